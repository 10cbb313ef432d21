//! Every validation error of the rule language, with its exact position and message.

use logscan_engine::rule::load::{compile, RuleError, RuleFile};

const HEAD: &str = "\
id: test.rule
cause: some-cause
title: A test rule
confidence: 0.5
diagnosis: {summary: 'server {server}'}
correlate: {by: [server]}
";

/// The `path:line:col: message` lines of compiling `HEAD + body`.
fn errors(body: &str) -> Vec<String> {
    errors_of(&[("r.yaml", format!("{HEAD}{body}"))])
}

fn errors_of(files: &[(&str, String)]) -> Vec<String> {
    let files: Vec<RuleFile> = files
        .iter()
        .map(|(p, t)| RuleFile {
            path: p.to_string(),
            text: t.clone(),
        })
        .collect();
    match compile(&files) {
        Ok(_) => Vec::new(),
        Err(es) => es
            .iter()
            .map(|e| format!("{}:{}:{}: {}", e.path, e.line, e.column, e.message))
            .collect(),
    }
}

const ONE_STEP: &str = "steps:\n  - id: s\n    match: {msg|contains: x}\n";

#[test]
fn valid_base_compiles() {
    assert_eq!(errors(ONE_STEP), Vec::<String>::new());
}

#[test]
fn unknown_keys_are_all_reported() {
    let body = "steps:\n  - id: s\n    match: {msg|contains: x}\n    witin: 5s\n  - id: t\n    mtch: {msg: y}\nfoo: 1\n";
    assert_eq!(
        errors(body),
        vec![
            "r.yaml:10:5: unknown key `witin` in step; did you mean `within`?",
            "r.yaml:12:5: unknown key `mtch` in step; did you mean `match`?",
            "r.yaml:13:1: unknown key `foo` in rule; expected one of: schema, id, cause, title, confidence, severity, explains, sources, correlate, maxspan, max_gap, order_tolerance, select, after_match, merge, until, steps, facts, diagnosis, references, tags, status, description",
        ]
    );
}

#[test]
fn wrong_types() {
    assert_eq!(
        errors("steps:\n  - id: s\n    match: {msg|contains: x}\n    count: {min: many}\n"),
        vec!["r.yaml:10:18: steps[0].count.min: invalid type: string \"many\", expected a whole number of 0 or more"]
    );
    assert_eq!(
        errors(&format!("severity: hgh\n{ONE_STEP}")),
        vec!["r.yaml:7:11: severity: unknown value `hgh`, expected one of `info`, `low`, `medium`, `high`, `critical`; did you mean `high`?"]
    );
    assert_eq!(
        errors(&format!("{ONE_STEP}    from: {{a: b}}\n")),
        vec!["r.yaml:10:11: `from` is a format name or a list of format names"]
    );
}

#[test]
fn bad_durations() {
    assert_eq!(
        errors(&format!("maxspan: 30\n{ONE_STEP}")),
        vec!["r.yaml:7:10: bad duration `30`: `30` needs a unit (ms, s, m, h, d)"]
    );
    assert_eq!(
        errors(&format!("merge: {{window: 3 weeks}}\n{ONE_STEP}")),
        vec!["r.yaml:7:17: bad duration `3 weeks`: unknown unit `weeks` (use ms, s, m, h, d)"]
    );
}

#[test]
fn bad_regexes() {
    let body = "maxspan: 1m\nsteps:\n  - id: s\n    match: {msg|re: '(?=x)y'}\n  - id: t\n    match: {msg|re: '(a)\\1'}\n  - id: u\n    match: {msg|re: 'a(b'}\n";
    assert_eq!(
        errors(body),
        vec![
            "r.yaml:10:22: regex look-around (`(?=`, `(?!`, `(?<=`, `(?<!`) is not supported by the Rust regex engine, in `(?=x)y`",
            "r.yaml:12:25: regex back-references (`\\1`, `\\k<name>`) are not supported by the Rust regex engine, in `(a)\\1`",
            "r.yaml:14:23: bad regex `a(b`: unclosed group",
        ]
    );
}

#[test]
fn unknown_and_conflicting_modifiers() {
    assert_eq!(
        errors("steps:\n  - id: s\n    match: {msg|contians: x, msg|re|contains: y, pid|exists: 3}\n"),
        vec![
            "r.yaml:9:17: unknown modifier `contians` in `msg|contians`; did you mean `contains`? (known: contains, startswith, endswith, re, all, cased, exists, gt, gte, lt, lte)",
            "r.yaml:9:30: modifiers `re` and `contains` cannot be combined in `msg|re|contains`",
            "r.yaml:9:62: `pid|exists` takes `true` or `false`",
        ]
    );
}

#[test]
fn bad_condition_syntax_and_unknown_selection() {
    let body = "steps:\n  - id: s\n    match:\n      selections:\n        sel_a: {msg|contains: x}\n      condition: sel_a and (\n";
    assert_eq!(
        errors(body),
        vec!["r.yaml:12:18: condition ends too early: expected a selection"]
    );
    let body = "steps:\n  - id: s\n    match:\n      selections:\n        sel_a: {msg|contains: x}\n      condition: sel_a and not filter\n";
    assert_eq!(
        errors(body),
        vec!["r.yaml:12:18: unknown selection `filter` in condition (selections: sel_a)"]
    );
    let body =
        "steps:\n  - id: s\n    match:\n      selections:\n        sel_a: {msg|contains: x}\n";
    assert_eq!(
        errors(body),
        vec!["r.yaml:10:7: `selections` needs a `condition` (e.g. `1 of sel_*`)"]
    );
}

#[test]
fn duplicate_step_ids() {
    let body = "maxspan: 1m\nsteps:\n  - id: s\n    match: {msg|contains: x}\n  - id: s\n    match: {msg|contains: y}\n";
    assert_eq!(errors(body), vec!["r.yaml:11:9: duplicate step id `s`"]);
}

#[test]
fn after_and_same_as_must_name_earlier_steps() {
    let body = "maxspan: 1m\nsteps:\n  - id: a\n    match: {msg|contains: x}\n    after: b\n  - id: b\n    match: {msg|contains: y}\n    after: nope\n  - id: c\n    absent: true\n    same_as: d\n    within: 5s\n  - id: d\n    match: {msg|contains: z}\n";
    assert_eq!(
        errors(body),
        vec![
            "r.yaml:11:12: `after: b` names a later step (or this one); it must name an earlier step",
            "r.yaml:14:12: `after: nope` names no step; it must name an earlier step",
            "r.yaml:17:14: `same_as: d` must name an earlier step; did you mean `a`?",
        ]
    );
}

#[test]
fn trailing_absent_needs_within() {
    let body = "steps:\n  - id: s\n    match: {msg|contains: x}\n  - id: gone\n    absent: true\n    match: {msg|contains: ok}\n";
    assert_eq!(
        errors(body),
        vec!["r.yaml:11:5: trailing absent step `gone` needs `within` (how long the absence must last)"]
    );
}

#[test]
fn absent_with_count() {
    let body = "steps:\n  - id: s\n    match: {msg|contains: x}\n  - id: gone\n    absent: true\n    within: 5s\n    count: {min: 2}\n    match: {msg|contains: ok}\n";
    assert_eq!(
        errors(body),
        vec!["r.yaml:13:5: `count` has no meaning on an `absent` step"]
    );
}

#[test]
fn horizons() {
    let body = "steps:\n  - id: s\n    match: {msg|contains: x}\n  - id: t\n    match: {msg|contains: y}\n";
    assert_eq!(
        errors(body),
        vec!["r.yaml:10:5: no finite horizon: step `t` has no `within` and the rule has no `maxspan`"]
    );
    let body = "maxspan: 2d\nsteps:\n  - id: s\n    match: {msg|contains: x}\n  - id: t\n    match: {msg|contains: y}\n  - id: u\n    absent: true\n    within: 1h\n    match: {msg|contains: z}\n";
    assert_eq!(
        errors(body),
        vec!["r.yaml:7:1: horizon of 49h exceeds the 48h ceiling (maxspan or the sum of `within`s, plus the trailing absence)"]
    );
}

#[test]
fn correlation_variables_must_be_bindable() {
    let body = "correlate: {by: [port]}\nsteps:\n  - id: s\n    match: {msg|re: 'port (?P<port>\\d+)'}\n  - id: t\n    match: {msg|contains: refused}\n    within: 5s\n  - id: u\n    key: none\n    match: {msg|contains: resumed}\n    within: 5s\n  - id: v\n    key: {port: remote_port}\n    match: {msg|contains: retry}\n    within: 5s\n";
    let text = format!(
        "{}{body}",
        HEAD.replace("correlate: {by: [server]}\n", "")
            .replace("{server}", "{port}")
    );
    assert_eq!(
        errors_of(&[("r.yaml", text)]),
        vec!["r.yaml:10:5: step `t` cannot bind correlation variable `port`: add a named group `(?P<port>...)` to every alternative, a key alias `key: {port: field}`, or `key: none`"]
    );
}

#[test]
fn confidence_bounds() {
    let text = format!("{}{ONE_STEP}", HEAD.replace("0.5", "1.0"));
    assert_eq!(
        errors_of(&[("r.yaml", text)]),
        vec!["r.yaml:4:13: `confidence` must be between 0 and 1, exclusive (got 1)"]
    );
}

#[test]
fn duplicate_rule_ids_across_files() {
    let text = format!("{HEAD}{ONE_STEP}");
    assert_eq!(
        errors_of(&[("a.yaml", text.clone()), ("b.yaml", text)]),
        vec!["b.yaml:1:5: duplicate rule id `test.rule` (also defined in a.yaml)"]
    );
}

#[test]
fn diagnosis_placeholders() {
    let text = format!(
        "{}{ONE_STEP}",
        HEAD.replace(
            "diagnosis: {summary: 'server {server}'}",
            "diagnosis: {summary: 'server {server} {cmd} at {s.ts}', fix: 'see {nope.ts} {{literal}}'}"
        )
    );
    assert_eq!(
        errors_of(&[("r.yaml", text)]),
        vec![
            "r.yaml:5:39: placeholder `{cmd}` in `diagnosis.summary` names no variable (named regex group, key alias or `correlate.by`), step or fact",
            "r.yaml:5:67: placeholder `{nope.ts}` in `diagnosis.fix` names no step or fact",
        ]
    );
}

#[test]
fn collect_placeholders() {
    let body = "steps:\n  - id: s\n    match: {msg|re: 'spawn (?P<cmd>\\w+)'}\n    collect: 'which {cmd} and {tool}'\nfacts:\n  - id: f\n    present: {msg|contains: y}\n    collect: 'the log of {server}, {s.ts} and {nope.ts}'\n";
    assert_eq!(
        errors(body),
        vec![
            "r.yaml:10:31: placeholder `{tool}` in `steps[0].collect` names no variable (named regex group, key alias or `correlate.by`), step or fact",
            "r.yaml:14:47: placeholder `{nope.ts}` in `facts[0].collect` names no step or fact",
        ]
    );
}

#[test]
fn errors_of_all_files_are_reported_and_displayed_with_a_caret() {
    let bad1 = format!("{HEAD}steps:\n  - id: s\n    match: {{msg|re: '(?<=a)b'}}\n");
    let bad2 = "id: [\n".to_string();
    let files = [
        RuleFile {
            path: "one.yaml".into(),
            text: bad1,
        },
        RuleFile {
            path: "two.yaml".into(),
            text: bad2,
        },
    ];
    let errs: Vec<RuleError> = compile(&files).unwrap_err();
    assert_eq!(errs.len(), 2);
    assert_eq!(
        errs[0].render(false),
        "error: regex look-around (`(?=`, `(?!`, `(?<=`, `(?<!`) is not supported by the Rust regex engine, in `(?<=a)b`\n --> one.yaml:9:22\n  |\n9 |     match: {msg|re: '(?<=a)b'}\n  |                      ^^^^\n  |"
    );
    assert_eq!(errs[0].snippet, "    match: {msg|re: '(?<=a)b'}");
    assert_eq!(errs[1].path, "two.yaml");
    assert!(
        errs[1].message.starts_with("YAML syntax error: "),
        "{}",
        errs[1].message
    );
}

#[test]
fn fact_shapes() {
    let body = format!("{ONE_STEP}facts:\n  - id: f\n    role: require\n    weight: 2\n    present: {{msg|contains: a}}\n  - id: g\n    present: {{msg|contains: a}}\n    absent: {{msg|contains: b}}\n");
    assert_eq!(
        errors(&body),
        vec![
            "r.yaml:13:5: `weight` applies only to `role: support` facts",
            "r.yaml:15:5: fact `g` needs exactly one of `present`, `absent` or `any`",
        ]
    );
}

#[test]
fn empty_and_non_map_files() {
    assert_eq!(
        errors_of(&[("e.yaml", String::new())]),
        vec!["e.yaml:1:1: empty rule file"]
    );
    assert_eq!(
        errors_of(&[("l.yaml", "- a\n- b\n".into())]),
        vec!["l.yaml:1:1: a rule file holds one map (`id:`, `steps:`, ...)"]
    );
}

#[test]
fn odd_inputs_fail_cleanly() {
    let deep = format!("{}{}", "[".repeat(2000), "]".repeat(2000));
    let inputs = [
        deep.as_str(),
        "id: &a x\ncause: *a\n",
        "---\nid: a\n---\nid: b\n",
        "id: a\r\ncause: b\r\n\ttitle: x\r\n",
        "id: a.b\ncause: c\ntitle: t\nconfidence: 0.5\ndiagnosis: {summary: s}\nsteps:\n  - id: s\n    match: {msg|re: '\u{0}\u{ffff}(?P<é>x)'}\n",
        "\u{feff}id: x",
        "steps: [{id: s, match: [[1]]}]",
    ];
    for text in inputs {
        let errs = errors_of(&[("odd.yaml", text.to_string())]);
        assert!(!errs.is_empty(), "{text:?} compiled");
        for e in &errs {
            assert!(e.starts_with("odd.yaml:"), "{e}");
        }
    }
}

#[test]
fn signal_keys() {
    assert_eq!(
        errors("steps:\n  - id: s\n    match: {signal: spawn_failed, errno: ENOENT}\n"),
        Vec::<String>::new()
    );
    assert_eq!(
        errors("steps:\n  - id: s\n    match: {signal: [spawn_failed, process_exited]}\n"),
        Vec::<String>::new()
    );
    let unknown = errors("steps:\n  - id: s\n    match: {signal: spawn_fail}\n");
    assert_eq!(unknown.len(), 1, "{unknown:?}");
    assert!(
        unknown[0].starts_with(
            "r.yaml:9:21: unknown signal `spawn_fail`; did you mean `spawn_failed`? (known: spawn_failed, process_exited,"
        ),
        "{unknown:?}"
    );
    assert_eq!(
        errors("steps:\n  - id: s\n    match: {signal|contains: spawn}\n"),
        vec!["r.yaml:9:13: `signal|contains`: `signal` takes a signal name or a list of them, without modifiers"]
    );
    assert_eq!(
        errors("steps:\n  - id: s\n    match: {signal: []}\n"),
        vec!["r.yaml:9:21: `signal: []` never matches"]
    );
}
