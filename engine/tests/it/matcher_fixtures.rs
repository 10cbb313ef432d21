//! Boundary and behaviour fixtures for the sequence matcher, with exact expectations.

use logscan_engine::finding::{Finding, MatchOutput, Status, StepEvidence, Truth};
use logscan_engine::matcher::testkit::{
    self, absent, branch, branch_from, fact, rule, step, Contains, Row,
};
use logscan_engine::matcher::{run, run_with, MatchLimits, MatchOptions};
use logscan_engine::parse::ParsedSource;
use logscan_engine::rule::ir::{
    CompiledRule, Count, FactMode, FactRole, OnEof, OnMissingKey, Select,
};

const T0: i64 = 1_750_000_000_000;

fn spawn_enoent(within: Option<i64>, maxspan: Option<i64>) -> CompiledRule {
    let mut enoent = step("enoent", Contains::binding("enoent for", "server"));
    enoent.within = within;
    let mut r = rule(
        "npx",
        &["server"],
        vec![
            step("spawn", Contains::binding("spawning", "server")),
            enoent,
        ],
    );
    r.maxspan = maxspan;
    r
}

fn src(rows: &[Row<'_>]) -> Vec<ParsedSource> {
    vec![testkit::source(0, "claude-code-debug", rows)]
}

fn keys(out: &MatchOutput) -> Vec<(String, Status, u32)> {
    out.findings
        .iter()
        .map(|f| {
            let k = f
                .key
                .iter()
                .map(|(_, v)| v.as_str())
                .collect::<Vec<_>>()
                .join(",");
            (k, f.status, f.occurrences)
        })
        .collect()
}

/// `(step, first seq, last seq, count)` of positive steps; `(step, witness seq)` of absences.
fn evidence(f: &Finding) -> Vec<(String, Option<u32>, Option<u32>, u32)> {
    f.steps
        .iter()
        .map(|s| match s {
            StepEvidence::Record {
                step,
                first,
                last,
                count,
            } => (step.clone(), Some(first.seq), Some(last.seq), *count),
            StepEvidence::Absence {
                step,
                witness,
                unresolved,
                ..
            } => (
                step.clone(),
                witness.as_ref().map(|w| w.seq),
                None,
                u32::from(*unresolved),
            ),
        })
        .collect()
}

fn confirmed(s: &str) -> (String, Status, u32) {
    (s.to_string(), Status::Confirmed, 1)
}

#[test]
fn within_is_inclusive() {
    let rules = testkit::rule_set(vec![spawn_enoent(Some(5_000), None)]);
    let at = src(&[
        (Some(T0), "spawning ctx", None),
        (Some(T0 + 5_000), "enoent for ctx", None),
    ]);
    assert_eq!(keys(&run(&rules, &at)), vec![confirmed("ctx")]);
    let past = src(&[
        (Some(T0), "spawning ctx", None),
        (Some(T0 + 5_001), "enoent for ctx", None),
    ]);
    assert_eq!(keys(&run(&rules, &past)), vec![]);
}

#[test]
fn maxspan_is_inclusive() {
    let rules = testkit::rule_set(vec![spawn_enoent(None, Some(30_000))]);
    let at = src(&[
        (Some(T0), "spawning ctx", None),
        (Some(T0 + 30_000), "enoent for ctx", None),
    ]);
    assert_eq!(keys(&run(&rules, &at)), vec![confirmed("ctx")]);
    let past = src(&[
        (Some(T0), "spawning ctx", None),
        (Some(T0 + 30_001), "enoent for ctx", None),
    ]);
    assert_eq!(keys(&run(&rules, &past)), vec![]);
}

#[test]
fn interleaved_keys_and_evidence_spans() {
    let rules = testkit::rule_set(vec![spawn_enoent(Some(5_000), None)]);
    let s = src(&[
        (Some(T0), "spawning a", None),
        (Some(T0 + 1), "spawning b", None),
        (Some(T0 + 2), "enoent for b", None),
        (Some(T0 + 3), "enoent for a", None),
    ]);
    let out = run(&rules, &s);
    assert_eq!(keys(&out), vec![confirmed("a"), confirmed("b")]);
    assert_eq!(
        evidence(&out.findings[0]),
        vec![
            ("spawn".into(), Some(0), Some(0), 1),
            ("enoent".into(), Some(3), Some(3), 1)
        ]
    );
    assert_eq!(
        evidence(&out.findings[1]),
        vec![
            ("spawn".into(), Some(1), Some(1), 1),
            ("enoent".into(), Some(2), Some(2), 1)
        ]
    );
    // Highlights: the needle and the bound word, relative to the record text.
    let StepEvidence::Record { first, .. } = &out.findings[0].steps[1] else {
        panic!("record evidence expected");
    };
    let ev = &s[0].events[first.seq as usize];
    let text = &s[0].text.text[ev.text.start as usize..ev.text.end as usize];
    let hl: Vec<&str> = first
        .highlights
        .iter()
        .map(|r| &text[r.start as usize..r.end as usize])
        .collect();
    assert_eq!(hl, vec!["enoent for", "a"]);
    assert_eq!(first.span.line, 4);
    assert_eq!(out.matched_records, vec![vec![0, 1, 2, 3]]);
}

#[test]
fn newest_partial_wins_and_earliest_keeps_incumbent() {
    let rows: [Row<'_>; 3] = [
        (Some(T0), "spawning ctx", None),
        (Some(T0 + 1_000), "spawning ctx", None),
        (Some(T0 + 2_000), "enoent for ctx", None),
    ];
    let latest = testkit::rule_set(vec![spawn_enoent(None, Some(10_000))]);
    let out = run(&latest, &src(&rows));
    assert_eq!(
        evidence(&out.findings[0])[0],
        ("spawn".into(), Some(1), Some(1), 1)
    );
    let mut r = spawn_enoent(None, Some(10_000));
    r.select = Select::Earliest;
    let out = run(&testkit::rule_set(vec![r]), &src(&rows));
    assert_eq!(
        evidence(&out.findings[0])[0],
        ("spawn".into(), Some(0), Some(0), 1)
    );
}

#[test]
fn eviction_under_a_tiny_cap_is_counted_and_reported() {
    let rules = testkit::rule_set(vec![spawn_enoent(None, Some(10_000))]);
    let s = src(&[
        (Some(T0), "spawning s1", None),
        (Some(T0 + 1_000), "spawning s2", None),
        (Some(T0 + 2_000), "spawning s3", None),
        (Some(T0 + 3_000), "enoent for s1", None),
        (Some(T0 + 4_000), "enoent for s2", None),
        (Some(T0 + 5_000), "spawning s1", None),
        (Some(T0 + 6_000), "enoent for s1", None),
    ]);
    let opts = MatchOptions {
        limits: MatchLimits {
            max_partials_per_rule: 2,
            max_partials: 100,
        },
        ..MatchOptions::default()
    };
    let out = run_with(&rules, &s, &opts);
    assert_eq!(out.evicted_partials, 1);
    assert_eq!(keys(&out), vec![confirmed("s1"), confirmed("s2")]);
    let evicted: Vec<u32> = out.findings.iter().map(|f| f.evicted).collect();
    assert_eq!(evicted, vec![1, 0]);
    assert_eq!(
        evidence(&out.findings[0])[0],
        ("spawn".into(), Some(5), Some(5), 1)
    );
    // The global cap evicts too.
    let opts = MatchOptions {
        limits: MatchLimits {
            max_partials_per_rule: 100,
            max_partials: 2,
        },
        ..MatchOptions::default()
    };
    assert_eq!(run_with(&rules, &s, &opts).evicted_partials, 1);
}

fn with_recovery(on_eof: OnEof) -> CompiledRule {
    let mut r = spawn_enoent(Some(5_000), None);
    let mut rec = absent("recovered", Contains::binding("connected", "server"));
    rec.within = Some(5_000);
    rec.on_eof = on_eof;
    r.steps.push(rec);
    r
}

#[test]
fn trailing_absence_inconclusive_at_eof_confirmed_with_witness() {
    let rules = testkit::rule_set(vec![with_recovery(OnEof::Inconclusive)]);
    let head: [Row<'_>; 3] = [
        (Some(T0), "spawning ctx", None),
        (Some(T0 + 1_000), "enoent for ctx", None),
        (Some(T0 + 3_000), "connected other", None),
    ];
    let out = run(&rules, &src(&head));
    assert_eq!(
        keys(&out),
        vec![("ctx".to_string(), Status::Inconclusive, 1)]
    );
    assert_eq!(
        evidence(&out.findings[0])[2],
        ("recovered".into(), None, None, 1)
    );

    let mut rows = head.to_vec();
    rows.push((Some(T0 + 6_001), "idle", None));
    let out = run(&rules, &src(&rows));
    assert_eq!(keys(&out), vec![confirmed("ctx")]);
    assert_eq!(
        evidence(&out.findings[0])[2],
        ("recovered".into(), Some(3), None, 0)
    );
    let StepEvidence::Absence { deadline, .. } = &out.findings[0].steps[2] else {
        panic!("absence evidence expected");
    };
    assert_eq!(*deadline, Some(T0 + 6_000));

    // A record exactly at the deadline is not a witness.
    let mut rows = head.to_vec();
    rows.push((Some(T0 + 6_000), "idle", None));
    assert_eq!(keys(&run(&rules, &src(&rows)))[0].1, Status::Inconclusive);

    // `on_eof: drop` drops it.
    let drop = testkit::rule_set(vec![with_recovery(OnEof::Drop)]);
    assert_eq!(keys(&run(&drop, &src(&head))), vec![]);
}

#[test]
fn trailing_absence_killed_inside_window_only() {
    let rules = testkit::rule_set(vec![with_recovery(OnEof::Inconclusive)]);
    let base: [Row<'_>; 2] = [
        (Some(T0), "spawning ctx", None),
        (Some(T0 + 1_000), "enoent for ctx", None),
    ];
    let mut at = base.to_vec();
    at.push((Some(T0 + 6_000), "connected ctx", None));
    at.push((Some(T0 + 9_000), "idle", None));
    assert_eq!(keys(&run(&rules, &src(&at))), vec![]);
    let mut past = base.to_vec();
    past.push((Some(T0 + 6_001), "connected ctx", None));
    let out = run(&rules, &src(&past));
    // The late recovery is itself the witness.
    assert_eq!(keys(&out), vec![confirmed("ctx")]);
    assert_eq!(
        evidence(&out.findings[0])[2],
        ("recovered".into(), Some(2), None, 0)
    );
}

#[test]
fn trailing_absence_without_covering_source_is_partial() {
    let mut r = with_recovery(OnEof::Inconclusive);
    r.steps[2].branches = vec![branch_from(
        Contains::binding("connected", "server"),
        &["vscode-mcp"],
    )];
    let rules = testkit::rule_set(vec![r]);
    let s = src(&[
        (Some(T0), "spawning ctx", None),
        (Some(T0 + 1_000), "enoent for ctx", None),
    ]);
    let out = run(&rules, &s);
    assert_eq!(keys(&out), vec![("ctx".to_string(), Status::Partial, 1)]);
}

#[test]
fn mid_sequence_absence_kills_only_its_key() {
    let mut r = spawn_enoent(None, Some(10_000));
    r.steps.insert(
        1,
        absent("no-retry", Contains::binding("retrying", "server")),
    );
    let rules = testkit::rule_set(vec![r]);
    let s = src(&[
        (Some(T0), "spawning a", None),
        (Some(T0), "spawning b", None),
        (Some(T0 + 1), "retrying a", None),
        (Some(T0 + 2), "enoent for a", None),
        (Some(T0 + 3), "enoent for b", None),
    ]);
    let out = run(&rules, &s);
    assert_eq!(keys(&out), vec![confirmed("b")]);
    assert_eq!(
        evidence(&out.findings[0])[1],
        ("no-retry".into(), None, None, 0)
    );
}

#[test]
fn until_resets_the_key() {
    let mut r = spawn_enoent(None, Some(10_000));
    r.until = vec![branch(Contains::binding("stopping", "server"))];
    let rules = testkit::rule_set(vec![r]);
    let reset = src(&[
        (Some(T0), "spawning a", None),
        (Some(T0 + 1), "stopping a", None),
        (Some(T0 + 2), "enoent for a", None),
    ]);
    assert_eq!(keys(&run(&rules, &reset)), vec![]);
    let other = src(&[
        (Some(T0), "spawning a", None),
        (Some(T0 + 1), "stopping b", None),
        (Some(T0 + 2), "enoent for a", None),
    ]);
    assert_eq!(keys(&run(&rules, &other)), vec![confirmed("a")]);
    // A keyless until resets every key.
    let mut r = spawn_enoent(None, Some(10_000));
    r.until = vec![branch(Contains::new("client restarted"))];
    let rules = testkit::rule_set(vec![r]);
    let global = src(&[
        (Some(T0), "spawning a", None),
        (Some(T0 + 1), "client restarted", None),
        (Some(T0 + 2), "enoent for a", None),
    ]);
    assert_eq!(keys(&run(&rules, &global)), vec![]);
}

#[test]
fn broadcast_step_advances_two_servers() {
    let mut sleep = step("sleep", Contains::new("resumed from sleep"));
    sleep.broadcast = true;
    let mut killed = step("killed", Contains::binding("killed", "server"));
    killed.within = Some(60_000);
    let mut r = rule(
        "sleep",
        &["server"],
        vec![
            step("ready", Contains::binding("connected", "server")),
            sleep,
            killed,
        ],
    );
    r.maxspan = Some(3_600_000);
    let rules = testkit::rule_set(vec![r]);
    let logs = testkit::source(
        0,
        "claude-code-debug",
        &[
            (Some(T0), "connected a", None),
            (Some(T0 + 10), "connected b", None),
            (Some(T0 + 5_000), "killed a", None),
            (Some(T0 + 8_000), "killed b", None),
        ],
    );
    let events = testkit::source(
        1,
        "windows-events",
        &[(Some(T0 + 1_000), "resumed from sleep", None)],
    );
    let out = run(&rules, &[logs, events]);
    assert_eq!(keys(&out), vec![confirmed("a"), confirmed("b")]);
    for f in &out.findings {
        let StepEvidence::Record { first, .. } = &f.steps[1] else {
            panic!("record evidence expected");
        };
        assert_eq!((first.source, first.seq), (1, 0));
    }
}

#[test]
fn count_step_keeps_first_last_and_count() {
    let mut retries = step("retry", Contains::binding("retry", "server"));
    retries.count = Some(Count { min: 3, max: None });
    let mut gave_up = step("gave-up", Contains::binding("gave up", "server"));
    gave_up.within = Some(1_000);
    let mut r = rule("retries", &["server"], vec![retries, gave_up]);
    r.maxspan = Some(10_000);
    let rules = testkit::rule_set(vec![r]);
    let s = src(&[
        (Some(T0), "retry x", None),
        (Some(T0 + 100), "retry x", None),
        (Some(T0 + 200), "retry y", None),
        (Some(T0 + 300), "retry x", None),
        (Some(T0 + 400), "gave up x", None),
        (Some(T0 + 500), "gave up y", None),
    ]);
    let out = run(&rules, &s);
    assert_eq!(keys(&out), vec![confirmed("x")]);
    assert_eq!(
        evidence(&out.findings[0])[0],
        ("retry".into(), Some(0), Some(3), 3)
    );
}

#[test]
fn facts_true_false_unknown() {
    let with_fact = |role| {
        let mut r = spawn_enoent(None, Some(10_000));
        r.facts = vec![fact(
            "windows",
            role,
            FactMode::Present,
            branch_from(Contains::new("C:\\Users"), &["claude-code"]),
        )];
        testkit::rule_set(vec![r])
    };
    let require = with_fact(FactRole::Require);
    let debug_rows: [Row<'_>; 2] = [
        (Some(T0), "spawning ctx", None),
        (Some(T0 + 1), "enoent for ctx", None),
    ];
    let log = testkit::source(0, "vscode-mcp", &debug_rows);

    // No covering source: unknown, the finding is downgraded to partial.
    let out = run(&require, std::slice::from_ref(&log));
    assert_eq!(keys(&out), vec![("ctx".to_string(), Status::Partial, 1)]);
    assert_eq!(out.findings[0].facts[0].value, Truth::Unknown);

    // Covering source with a match: true, evidence recorded.
    let cfg = testkit::source(
        1,
        "claude-code-json",
        &[(None, "config at C:\\Users\\ana\\.claude.json", None)],
    );
    let out = run(&require, &[log.clone(), cfg]);
    assert_eq!(keys(&out), vec![confirmed("ctx")]);
    assert_eq!(out.findings[0].facts[0].value, Truth::True);
    assert_eq!(
        out.findings[0].facts[0]
            .evidence
            .as_ref()
            .map(|e| (e.source, e.seq)),
        Some((1, 0))
    );

    // Covering source without a match: false suppresses a required fact...
    let cfg = testkit::source(
        1,
        "claude-code-json",
        &[(None, "config at /home/ana/.claude.json", None)],
    );
    assert_eq!(keys(&run(&require, &[log.clone(), cfg.clone()])), vec![]);
    // ...and is only reported for a support fact.
    let support = with_fact(FactRole::Support);
    let out = run(&support, &[log, cfg]);
    assert_eq!(keys(&out), vec![confirmed("ctx")]);
    assert_eq!(out.findings[0].facts[0].value, Truth::False);
}

#[test]
fn untimed_records_never_reject_and_are_counted() {
    let rules = testkit::rule_set(vec![spawn_enoent(Some(5_000), Some(5_000))]);
    let console = testkit::source(
        0,
        "claude-code-console",
        &[(None, "spawning ctx", None), (None, "enoent for ctx", None)],
    );
    let out = run(&rules, &[console]);
    assert_eq!(keys(&out), vec![confirmed("ctx")]);
    assert_eq!(out.findings[0].unchecked_time, 2);
}

#[test]
fn untimed_trailing_absence_is_partial_and_killable() {
    let rules = testkit::rule_set(vec![with_recovery(OnEof::Inconclusive)]);
    let rows: [Row<'_>; 2] = [(None, "spawning ctx", None), (None, "enoent for ctx", None)];
    let out = run(&rules, &[testkit::source(0, "claude-code-console", &rows)]);
    assert_eq!(keys(&out), vec![("ctx".to_string(), Status::Partial, 1)]);
    let mut killed = rows.to_vec();
    killed.push((None, "connected ctx", None));
    assert_eq!(
        keys(&run(
            &rules,
            &[testkit::source(0, "claude-code-console", &killed)]
        )),
        vec![]
    );
}

#[test]
fn repeats_merge_into_incidents() {
    let rows: Vec<Row<'_>> = vec![
        (Some(T0), "spawning ctx", None),
        (Some(T0 + 10), "enoent for ctx", None),
        (Some(T0 + 1_000), "spawning ctx", None),
        (Some(T0 + 1_010), "enoent for ctx", None),
        (Some(T0 + 900_000), "spawning ctx", None),
        (Some(T0 + 900_010), "enoent for ctx", None),
    ];
    let rules = testkit::rule_set(vec![spawn_enoent(Some(5_000), None)]);
    let out = run(&rules, &src(&rows));
    assert_eq!(keys(&out), vec![("ctx".to_string(), Status::Confirmed, 3)]);
    // The merged finding keeps the latest occurrence's evidence.
    assert_eq!(
        evidence(&out.findings[0])[0],
        ("spawn".into(), Some(4), Some(4), 1)
    );
    let mut r = spawn_enoent(Some(5_000), None);
    r.merge_window = Some(60_000);
    let out = run(&testkit::rule_set(vec![r]), &src(&rows));
    assert_eq!(
        keys(&out),
        vec![
            ("ctx".to_string(), Status::Confirmed, 2),
            ("ctx".to_string(), Status::Confirmed, 1)
        ]
    );
    assert_eq!(out.matched_records, vec![vec![0, 1, 2, 3, 4, 5]]);
}

#[test]
fn missing_key_skip_vs_null_key_and_parser_field() {
    // The enoent line names no server: skipped by default, "" with null_key.
    let rows: [Row<'_>; 2] = [
        (Some(T0), "spawning", None),
        (Some(T0 + 1), "spawn npx ENOENT", None),
    ];
    let make = |missing| {
        let mut r = rule(
            "k",
            &["server"],
            vec![
                step("spawn", Contains::new("spawning")),
                step("enoent", Contains::new("ENOENT")),
            ],
        );
        r.on_missing_key = missing;
        testkit::rule_set(vec![r])
    };
    assert_eq!(keys(&run(&make(OnMissingKey::Skip), &src(&rows))), vec![]);
    assert_eq!(
        keys(&run(&make(OnMissingKey::NullKey), &src(&rows))),
        vec![confirmed("")]
    );
    // A `server` field from the parser keys the record.
    let fielded: [Row<'_>; 2] = [
        (Some(T0), "spawning", Some("fs")),
        (Some(T0 + 1), "spawn npx ENOENT", Some("fs")),
    ];
    assert_eq!(
        keys(&run(&make(OnMissingKey::Skip), &src(&fielded))),
        vec![confirmed("fs")]
    );
}

#[test]
fn rule_sources_and_branch_from_restrict_reading() {
    let mut r = spawn_enoent(None, None);
    r.sources = vec!["claude-desktop".into()];
    let rules = testkit::rule_set(vec![r]);
    let rows: [Row<'_>; 2] = [
        (Some(T0), "spawning ctx", None),
        (Some(T0 + 1), "enoent for ctx", None),
    ];
    assert_eq!(keys(&run(&rules, &src(&rows))), vec![]);
    let desktop = testkit::source(0, "claude-desktop-main", &rows);
    assert_eq!(keys(&run(&rules, &[desktop])), vec![confirmed("ctx")]);
}

#[test]
fn no_rules_no_sources_no_panic() {
    let out = run(&testkit::rule_set(Vec::new()), &[]);
    assert_eq!(out, MatchOutput::default());
    let rules = testkit::rule_set(vec![spawn_enoent(None, None)]);
    let out = run(&rules, &[testkit::source(0, "plain", &[])]);
    assert_eq!(out.findings.len(), 0);
    assert_eq!(out.matched_records, vec![Vec::<u32>::new()]);
}
