//! Cross-source clock skew: `order_tolerance` lets a step from another source
//! carry a timestamp slightly before the previous step (the sleep/resume case).

use logscan_engine::finding::{MatchOutput, Status, StepEvidence};
use logscan_engine::matcher::testkit::{self, absent, step, Contains, Row};
use logscan_engine::matcher::{run, run_with, MatchLimits, MatchOptions};
use logscan_engine::parse::ParsedSource;
use logscan_engine::rule::ir::{CompiledRule, Count};

const T0: i64 = 1_750_000_000_000;
const S: i64 = 1_000;

/// ready (client) → power (`key: none`, `count: {min: 1}`) → no re-init → died
/// within 30 min after power, like the WSL sleep/resume rule.
fn sleep_rule(tolerance: i64) -> CompiledRule {
    let mut power = step("power", Contains::new("resumed from sleep"));
    power.broadcast = true;
    power.count = Some(Count { min: 1, max: None });
    let mut died = step("died", Contains::binding("epipe", "server"));
    died.after = Some(1);
    died.within = Some(30 * 60 * S);
    let mut r = testkit::rule(
        "sleep",
        &["server"],
        vec![
            step("ready", Contains::binding("connected", "server")),
            power,
            absent("reinit", Contains::binding("initializing", "server")),
            died,
        ],
    );
    r.maxspan = Some(24 * 3_600 * S);
    r.order_tolerance = tolerance;
    r
}

fn client(rows: &[Row<'_>]) -> ParsedSource {
    testkit::source(0, "claude-code-debug", rows)
}

fn windows(rows: &[Row<'_>]) -> ParsedSource {
    testkit::source(1, "windows-event", rows)
}

/// `(key, status, order_uncertain)` per finding.
fn summary(out: &MatchOutput) -> Vec<(String, Status, bool)> {
    out.findings
        .iter()
        .map(|f| {
            let k: Vec<&str> = f.key.iter().map(|(_, v)| v.as_str()).collect();
            (k.join(","), f.status, f.order_uncertain)
        })
        .collect()
}

/// `(source, seq)` of the first record of each positive step.
fn records(out: &MatchOutput, i: usize) -> Vec<(String, u32, u32)> {
    out.findings[i]
        .steps
        .iter()
        .filter_map(|s| match s {
            StepEvidence::Record { step, first, .. } => {
                Some((step.clone(), first.source, first.seq))
            }
            StepEvidence::Absence { .. } => None,
        })
        .collect()
}

/// Power `before` ms before the client's "connected" line, from Windows.
fn resume_before(before: i64, tolerance: i64) -> MatchOutput {
    let rules = testkit::rule_set(vec![sleep_rule(tolerance)]);
    let logs = client(&[
        (Some(T0), "connected a", None),
        (Some(T0 + 60 * S), "epipe a", None),
    ]);
    let events = windows(&[(Some(T0 - before), "resumed from sleep", None)]);
    run(&rules, &[logs, events])
}

#[test]
fn resume_3s_before_connected_within_tolerance_is_order_uncertain() {
    let out = resume_before(3 * S, 5 * S);
    assert_eq!(
        summary(&out),
        vec![("a".to_string(), Status::Confirmed, true)]
    );
    assert_eq!(
        records(&out, 0),
        vec![
            ("ready".to_string(), 0, 0),
            ("power".to_string(), 1, 0),
            ("died".to_string(), 0, 1),
        ]
    );
}

#[test]
fn resume_exactly_at_the_tolerance_matches() {
    let out = resume_before(5 * S, 5 * S);
    assert_eq!(
        summary(&out),
        vec![("a".to_string(), Status::Confirmed, true)]
    );
}

#[test]
fn resume_6s_before_connected_is_beyond_tolerance() {
    assert_eq!(summary(&resume_before(6 * S, 5 * S)), vec![]);
}

#[test]
fn without_tolerance_an_earlier_resume_never_matches() {
    assert_eq!(summary(&resume_before(3 * S, 0)), vec![]);
}

#[test]
fn resume_after_connected_is_certain() {
    let out = resume_before(-2 * S, 5 * S);
    assert_eq!(
        summary(&out),
        vec![("a".to_string(), Status::Confirmed, false)]
    );
}

#[test]
fn same_source_order_is_never_relaxed() {
    let rules = testkit::rule_set(vec![sleep_rule(5 * S)]);
    let logs = client(&[
        (Some(T0 - 3 * S), "resumed from sleep", None),
        (Some(T0), "connected a", None),
        (Some(T0 + 60 * S), "epipe a", None),
    ]);
    let events = windows(&[(Some(T0 - 3_600 * S), "unrelated", None)]);
    assert_eq!(summary(&run(&rules, &[logs, events])), vec![]);
}

#[test]
fn an_early_resume_advances_every_server() {
    let rules = testkit::rule_set(vec![sleep_rule(5 * S)]);
    let logs = client(&[
        (Some(T0), "connected a", None),
        (Some(T0 + S), "connected b", None),
        (Some(T0 + 60 * S), "epipe b", None),
        (Some(T0 + 61 * S), "epipe a", None),
    ]);
    let events = windows(&[(Some(T0 - 2 * S), "resumed from sleep", None)]);
    let out = run(&rules, &[logs, events]);
    assert_eq!(
        summary(&out),
        vec![
            ("a".to_string(), Status::Confirmed, true),
            ("b".to_string(), Status::Confirmed, true),
        ]
    );
}

#[test]
fn an_early_record_still_obeys_within_and_the_guard() {
    // died is more than 30 min after the (early) resume.
    let rules = testkit::rule_set(vec![sleep_rule(5 * S)]);
    let logs = client(&[
        (Some(T0), "connected a", None),
        (Some(T0 + 30 * 60 * S - 2 * S), "epipe a", None),
    ]);
    let events = windows(&[(Some(T0 - 3 * S), "resumed from sleep", None)]);
    assert_eq!(summary(&run(&rules, &[logs, events])), vec![]);
    // A re-init between the resume and the failure kills the match.
    let logs = client(&[
        (Some(T0), "connected a", None),
        (Some(T0 + 10 * S), "initializing a", None),
        (Some(T0 + 60 * S), "epipe a", None),
    ]);
    let events = windows(&[(Some(T0 - 3 * S), "resumed from sleep", None)]);
    assert_eq!(summary(&run(&rules, &[logs, events])), vec![]);
}

#[test]
fn a_remembered_record_is_forgotten_after_the_tolerance() {
    // "connected a" is a late line (10 s behind its source's newest): when it
    // arrives, event time is already more than 5 s past the resume, which is no
    // longer remembered although it is only 3 s before "connected a".
    let rules = testkit::rule_set(vec![sleep_rule(5 * S)]);
    let logs = client(&[
        (Some(T0 + 10 * S), "connected b", None),
        (Some(T0), "connected a", None),
        (Some(T0 + 60 * S), "epipe a", None),
    ]);
    let events = windows(&[(Some(T0 - 3 * S), "resumed from sleep", None)]);
    assert_eq!(summary(&run(&rules, &[logs, events])), vec![]);
    // Control: the same line in order is matched.
    let logs = client(&[
        (Some(T0), "connected a", None),
        (Some(T0 + 10 * S), "connected b", None),
        (Some(T0 + 60 * S), "epipe a", None),
    ]);
    let events = windows(&[(Some(T0 - 3 * S), "resumed from sleep", None)]);
    assert_eq!(
        summary(&run(&rules, &[logs, events])),
        vec![("a".to_string(), Status::Confirmed, true)]
    );
}

#[test]
fn the_memory_is_capped_and_its_evictions_counted() {
    // 4 100 resume lines within the tolerance: the memory keeps 4 096.
    let rules = testkit::rule_set(vec![sleep_rule(5 * S)]);
    let lines: Vec<String> = (0..4_100)
        .map(|i| format!("resumed from sleep {i}"))
        .collect();
    let rows: Vec<Row<'_>> = lines
        .iter()
        .map(|l| (Some(T0 - S), l.as_str(), None))
        .collect();
    let logs = client(&[
        (Some(T0), "connected a", None),
        (Some(T0 + 60 * S), "epipe a", None),
    ]);
    let out = run(&rules, &[logs, windows(&rows)]);
    assert_eq!(
        summary(&out),
        vec![("a".to_string(), Status::Confirmed, true)]
    );
    assert_eq!(out.evicted_partials, 4);
}

#[test]
fn with_tolerance_the_latest_start_still_wins() {
    // Two "connected" lines before the failure: `select: latest` keeps the second.
    let rules = testkit::rule_set(vec![sleep_rule(5 * S)]);
    let logs = client(&[
        (Some(T0), "connected a", None),
        (Some(T0 + 20), "connected a", None),
        (Some(T0 + 60 * S), "epipe a", None),
    ]);
    let events = windows(&[(Some(T0 + 30 * S), "resumed from sleep", None)]);
    let out = run(&rules, &[logs, events]);
    assert_eq!(
        summary(&out),
        vec![("a".to_string(), Status::Confirmed, false)]
    );
    assert_eq!(
        records(&out, 0),
        vec![
            ("ready".to_string(), 0, 1),
            ("power".to_string(), 1, 0),
            ("died".to_string(), 0, 2),
        ]
    );
}

/// Connected at `T0`, the Windows resume at `T0 + 60 s`, the death `before`
/// ms before the resume in the client log: died follows the re-init absence.
fn died_before_resume(before: i64, tolerance: i64) -> MatchOutput {
    let rules = testkit::rule_set(vec![sleep_rule(tolerance)]);
    let logs = client(&[
        (Some(T0), "connected a", None),
        (Some(T0 + 60 * S - before), "epipe a", None),
    ]);
    let events = windows(&[(Some(T0 + 60 * S), "resumed from sleep", None)]);
    run(&rules, &[logs, events])
}

#[test]
fn death_2_5s_before_resume_crosses_the_absence_within_tolerance() {
    let out = died_before_resume(2_500, 5 * S);
    assert_eq!(
        summary(&out),
        vec![("a".to_string(), Status::Confirmed, true)]
    );
    assert_eq!(
        records(&out, 0),
        vec![
            ("ready".to_string(), 0, 0),
            ("power".to_string(), 1, 0),
            ("died".to_string(), 0, 1),
        ]
    );
}

#[test]
fn death_8s_before_resume_is_beyond_tolerance() {
    assert_eq!(summary(&died_before_resume(8 * S, 5 * S)), vec![]);
}

#[test]
fn death_exactly_at_the_tolerance_before_resume_matches() {
    assert_eq!(
        summary(&died_before_resume(5 * S, 5 * S)),
        vec![("a".to_string(), Status::Confirmed, true)]
    );
}

#[test]
fn without_tolerance_a_death_before_resume_never_matches() {
    assert_eq!(summary(&died_before_resume(2_500, 0)), vec![]);
}

#[test]
fn a_death_before_a_resume_of_the_same_source_never_matches() {
    // The resume is in the client log itself: same-source order is kept.
    let rules = testkit::rule_set(vec![sleep_rule(5 * S)]);
    let logs = client(&[
        (Some(T0), "connected a", None),
        (Some(T0 + 60 * S - 2_500), "epipe a", None),
        (Some(T0 + 60 * S), "resumed from sleep", None),
    ]);
    let events = windows(&[(Some(T0 - 3_600 * S), "unrelated", None)]);
    assert_eq!(summary(&run(&rules, &[logs, events])), vec![]);
}

#[test]
fn a_death_at_the_resume_time_is_not_taken_from_memory() {
    // ts(died) == ts(power); equal times go by source index, so died comes
    // first in the timeline. It is not strictly before the resume, so the
    // absence window would have had to be watched: never taken.
    let rules = testkit::rule_set(vec![sleep_rule(5 * S)]);
    let logs = client(&[
        (Some(T0), "connected a", None),
        (Some(T0 + 60 * S), "epipe a", None),
    ]);
    let events = windows(&[(Some(T0 + 60 * S), "resumed from sleep", None)]);
    assert_eq!(summary(&run(&rules, &[logs, events])), vec![]);
}

#[test]
fn a_reinit_before_the_resume_does_not_guard_a_skewed_death() {
    // The re-init is logged before the resume in event time, so it is not
    // between power and died (which are adjacent in event time): the match stands.
    let rules = testkit::rule_set(vec![sleep_rule(5 * S)]);
    let logs = client(&[
        (Some(T0), "connected a", None),
        (Some(T0 + 60 * S - 3 * S), "initializing a", None),
        (Some(T0 + 60 * S - 2 * S), "epipe a", None),
    ]);
    let events = windows(&[(Some(T0 + 60 * S), "resumed from sleep", None)]);
    assert_eq!(
        summary(&run(&rules, &[logs, events])),
        vec![("a".to_string(), Status::Confirmed, true)]
    );
}

#[test]
fn a_clean_session_keeps_one_partial_per_server_beyond_the_tolerance() {
    // A long session: "connected" every 100 ms for 2,000 s, no sleep. Each
    // line opens a partial; under a tolerance an older one may still take a
    // remembered record for 5 s, after that the newest dominates it. With a cap
    // of 200 partials (50 would be live within the tolerance), nothing may be
    // evicted: the store drops dominated partials instead of filling up.
    let rules = testkit::rule_set(vec![sleep_rule(5 * S)]);
    let lines: Vec<String> = (0..20_000)
        .map(|i| format!("connected a{}", i % 2))
        .collect();
    let mut rows: Vec<Row<'_>> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| (Some(T0 + i as i64 * 100), l.as_str(), None))
        .collect();
    let end = T0 + 20_000 * 100;
    rows.push((Some(end + 60 * S), "epipe a1", None));
    let logs = client(&rows);
    let events = windows(&[(Some(end + 10 * S), "resumed from sleep", None)]);
    let opts = MatchOptions {
        limits: MatchLimits {
            max_partials_per_rule: 200,
            ..MatchLimits::default()
        },
        ..MatchOptions::default()
    };
    let out = run_with(&rules, &[logs, events], &opts);
    assert_eq!(out.evicted_partials, 0);
    assert_eq!(
        summary(&out),
        vec![("a1".to_string(), Status::Confirmed, false)]
    );
    // Newest partial wins: the finding starts at a1's last "connected" line.
    assert_eq!(records(&out, 0)[0], ("ready".to_string(), 0, 19_999));
}
