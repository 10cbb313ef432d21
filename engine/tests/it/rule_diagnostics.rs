//! Rule diagnostics as `logscan rules check` prints them: every kind of error
//! that would leave a rule dead or print a literal `{...}`, each with its file,
//! line, column, the faulty token underlined and a "did you mean" where a close
//! name exists. Snapshots of the rendered text (insta).

use logscan_engine::rule::load::{compile, RuleError, RuleFile};

const HEAD: &str = "\
id: test.rule
cause: some-cause
title: A test rule
confidence: 0.5
";

/// Every error of compiling `files`, rendered without colour and joined by blank lines.
fn rendered_files(files: &[(&str, &str)]) -> String {
    let files: Vec<RuleFile> = files
        .iter()
        .map(|(p, t)| RuleFile {
            path: p.to_string(),
            text: t.to_string(),
        })
        .collect();
    match compile(&files) {
        Ok(_) => String::from("(compiled)"),
        Err(es) => es
            .iter()
            .map(|e| e.render(false))
            .collect::<Vec<_>>()
            .join("\n\n"),
    }
}

/// The errors of `HEAD + body` in `r.yaml`.
fn rendered(body: &str) -> String {
    rendered_files(&[("r.yaml", &format!("{HEAD}{body}"))])
}

const SUMMARY: &str = "diagnosis: {summary: 'x'}\n";

#[test]
fn unknown_field_in_a_predicate() {
    insta::assert_snapshot!(rendered(&format!(
        "{SUMMARY}steps:\n  - id: s\n    match: {{mesage|contains: x}}\n"
    )));
}

#[test]
fn fields_that_are_not_close_to_a_known_one_are_json_keys_and_pass() {
    assert_eq!(
        rendered(&format!(
            "{SUMMARY}steps:\n  - id: s\n    match: {{requestId|contains: x, data.ProcessId: 4, ppid: 1, ids: 2}}\n"
        )),
        "(compiled)"
    );
}

#[test]
fn a_short_field_with_two_letters_swapped_is_a_typo() {
    let out = rendered(&format!(
        "{SUMMARY}steps:\n  - id: s\n    match: {{mgs|contains: x}}\n"
    ));
    assert!(
        out.starts_with("error: unknown field `mgs`\n --> r.yaml:8:13\n")
            && out.contains("help: did you mean `msg`?"),
        "{out}"
    );
}

#[test]
fn unknown_field_of_a_signal() {
    insta::assert_snapshot!(rendered(&format!(
        "{SUMMARY}steps:\n  - id: s\n    match: {{signal: spawn_failed, erno: ENOENT}}\n"
    )));
}

#[test]
fn unknown_signal() {
    insta::assert_snapshot!(rendered(&format!(
        "{SUMMARY}steps:\n  - id: s\n    match: {{signal: spawn_fialed}}\n"
    )));
}

#[test]
fn unknown_modifier() {
    insta::assert_snapshot!(rendered(&format!(
        "{SUMMARY}steps:\n  - id: s\n    match: {{msg|contians: x}}\n"
    )));
}

#[test]
fn unknown_top_level_and_step_keys() {
    insta::assert_snapshot!(rendered(&format!(
        "{SUMMARY}lvl: error\nsteps:\n  - id: s\n    mtch: {{msg: x}}\n    witin: 5s\n"
    )));
}

#[test]
fn bad_level_value() {
    insta::assert_snapshot!(rendered(&format!(
        "{SUMMARY}steps:\n  - id: s\n    match: {{level: eror}}\n  - id: t\n    within: 1m\n    match: {{level: warning, msg: x}}\n"
    )));
}

#[test]
fn bad_format_value() {
    insta::assert_snapshot!(rendered(&format!(
        "{SUMMARY}steps:\n  - id: s\n    match: {{format: vscode-mpc, msg: x}}\n"
    )));
}

#[test]
fn bad_from_and_sources() {
    insta::assert_snapshot!(rendered(&format!(
        "{SUMMARY}sources: [claude-cod]\nsteps:\n  - id: s\n    from: vscod\n    match: {{msg: x}}\nfacts:\n  - id: f\n    from: [windows-event-xm]\n    present: {{msg: y}}\n"
    )));
}

#[test]
fn families_and_formats_pass() {
    assert_eq!(
        rendered(&format!(
            "{SUMMARY}sources: [claude-code, claude, vscode-mcp, windows]\nsteps:\n  - id: s\n    from: linux-dmesg\n    match: {{msg: x}}\n"
        )),
        "(compiled)"
    );
}

#[test]
fn bad_step_references() {
    insta::assert_snapshot!(rendered(&format!(
        "{SUMMARY}maxspan: 1m\nsteps:\n  - id: start\n    match: {{msg: x}}\n  - id: next\n    after: strat\n    within: 5s\n    match: {{msg: y}}\n  - id: again\n    same_as: nxt\n"
    )));
}

#[test]
fn placeholder_with_an_unknown_step_field() {
    insta::assert_snapshot!(rendered(
        "diagnosis: {summary: 'started at {start.tss}'}\nsteps:\n  - id: start\n    match: {msg: x}\n"
    ));
}

#[test]
fn placeholder_with_an_unknown_variable() {
    insta::assert_snapshot!(rendered(
        "diagnosis: {summary: 'server {sever} at {strat.ts}'}\nsteps:\n  - id: start\n    match: {msg|re: 'server (?P<server>\\w+)'}\n"
    ));
}

#[test]
fn regex_error_points_at_the_character_and_does_not_cascade() {
    let out = rendered(
        "diagnosis: {summary: 'server {server}'}\nsteps:\n  - id: s\n    match: {msg|re: 'server (?P<server>\\w+'}\n",
    );
    assert!(!out.contains("placeholder"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn duplicate_key_at_its_own_line() {
    insta::assert_snapshot!(rendered(&format!(
        "{SUMMARY}steps:\n  - id: s\n    match: {{msg: x}}\n    id: t\n"
    )));
}

#[test]
fn plain_words_for_wrong_types() {
    insta::assert_snapshot!(rendered_files(&[(
        "r.yaml",
        "id: test.rule\ncause: some-cause\ntitle: t\nconfidence: high\ndiagnosis: {summary: x}\nsteps: [{id: s, match: {msg: x}}]\n",
    )]));
}

#[test]
fn indentation_hint() {
    let out = rendered(&format!(
        "{SUMMARY}steps:\n  - id: s\n    match: {{msg: x}}\n   within: 5s\n"
    ));
    assert!(out.contains("check the indentation"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn every_error_of_every_file() {
    let one = format!("{HEAD}{SUMMARY}lvl: error\nsteps:\n  - id: s\n    from: vscod\n    match: {{mesage|contains: x}}\n");
    let two = format!("{HEAD}diagnosis: {{summary: '{{s.tss}}'}}\nsteps:\n  - id: s\n    match: {{msg|contians: x}}\n");
    insta::assert_snapshot!(rendered_files(&[("one.yaml", &one), ("two.yaml", &two)]));
}

#[test]
fn the_underline_spans_the_token_after_tabs_and_wide_text() {
    let errs = compile(&[RuleFile {
        path: "r.yaml".into(),
        text: format!("{HEAD}diagnosis: {{summary: '日本 {{s.tss}}'}}\nsteps:\n  - id: s\n    match: {{msg: x}}\n"),
    }])
    .unwrap_err();
    let e: &RuleError = &errs[0];
    assert_eq!((e.line, e.column, e.len), (5, 26, 7));
    let tabbed = compile(&[RuleFile {
        path: "r.yaml".into(),
        text: format!("{HEAD}diagnosis: {{summary: '\t{{s.tss}}'}}\nsteps:\n  - id: s\n    match: {{msg: x}}\n"),
    }])
    .unwrap_err();
    insta::assert_snapshot!(format!(
        "{}\n\n{}",
        e.render(false),
        tabbed[0].render(false)
    ));
}

#[test]
fn colour_when_asked() {
    let errs = compile(&[RuleFile {
        path: "r.yaml".into(),
        text: format!("{HEAD}{SUMMARY}steps:\n  - id: s\n    match: {{msg|contians: x}}\n"),
    }])
    .unwrap_err();
    let coloured = errs[0].render(true);
    assert!(coloured.contains("\x1b[91m^^^^^^^^\x1b[0m"), "{coloured:?}");
    insta::assert_snapshot!(coloured.replace('\x1b', "<ESC>"));
    assert!(!errs[0].render(false).contains('\x1b'));
}

#[test]
fn every_wrong_type_of_a_file() {
    insta::assert_snapshot!(rendered_files(&[(
        "r.yaml",
        "id: test.rule\ncause: some-cause\ntitle: t\nconfidence: high\nseverity: hgh\ndiagnosis: {summary: x}\nsteps:\n  - id: s\n    match: {msg: x}\n    count: {min: many}\n",
    )]));
}

#[test]
fn a_placeholder_on_a_later_line_of_a_block_is_found_on_its_line() {
    insta::assert_snapshot!(rendered(
        "diagnosis:\n  summary: s\n  explanation: |\n    First line.\n    Then {start.tss}.\nsteps:\n  - id: start\n    match: {msg: x}\n"
    ));
}
