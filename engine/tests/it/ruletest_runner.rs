//! `rules test` end to end: real test files and fixtures under
//! `tests/data/ruletest/`, run through `ruletest::run`.

use std::path::{Path, PathBuf};

use logscan_engine::ruletest::{
    self, MutantOutcome, MutationKind, Outcome, RunOptions, TestReport,
};

fn data(dir: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/ruletest")
        .join(dir)
}

fn run(dir: &str) -> TestReport {
    let path = data(dir);
    ruletest::run(&[path.as_path()], RunOptions::default())
}

/// Rendered text with the machine-specific data root cut off.
fn text(report: &TestReport) -> String {
    let root = format!("{}/", data("").display()).replace("//", "/");
    report.render_text(false).replace(&root, "")
}

#[test]
fn a_folder_without_tests_reports_zero_tests() {
    let r = run("empty");
    assert!(r.passed());
    assert_eq!(
        text(&r),
        "test result: ok. 0 tests in 0 files: 0 passed, 0 failed, 0 todo; derived negatives: 0 checked, 0 still matched, 0 skipped\n"
    );
}

#[test]
fn a_missing_folder_is_an_error() {
    let r = run("no-such-folder");
    assert!(!r.passed());
    assert_eq!(r.errors.len(), 1);
    assert_eq!(r.errors[0].kind, "input");
    assert_eq!(r.errors[0].message, "no such file or folder");
}

#[test]
fn broken_yaml_is_a_failure_with_file_and_line() {
    let r = run("broken");
    assert!(!r.passed());
    assert_eq!(r.files.len(), 1);
    let p: Vec<String> = r.files[0]
        .problems
        .iter()
        .map(|p| format!("{}:{}:{} {}", p.line, p.col, p.kind, p.message))
        .collect();
    assert_eq!(
        p,
        ["5:5:schema invalid YAML: invalid indentation in flow construct"]
    );
    assert!(
        text(&r).starts_with("error broken/broken.test.yaml:5:5: [schema] invalid YAML"),
        "{}",
        text(&r)
    );
}

#[test]
fn schema_errors_are_all_reported() {
    let r = run("schema");
    let p: Vec<String> = r.files[0]
        .problems
        .iter()
        .map(|p| format!("{}:{} {}", p.line, p.col, p.message))
        .collect();
    assert_eq!(
        p,
        [
            "7:9 an expectation: unknown key `stauts` (expected one of: rule, key, status, occurrences, vars, evidence)",
            "8:27 anchor `cc-debug.log` is not `file:line` or `file:first-last`",
        ]
    );
    assert!(r.files[0].cases.is_empty());
}

#[test]
fn todo_cases_fixed_todos_and_missing_fixtures() {
    let r = run("todo");
    assert!(!r.passed());
    let cases = &r.files[0].cases;
    let outcomes: Vec<&str> = cases.iter().map(|c| c.outcome.as_str()).collect();
    assert_eq!(outcomes, ["todo", "fixed", "fail"]);
    assert_eq!(
        cases[0].outcome,
        Outcome::Todo("the rule cannot see this yet".into())
    );
    assert_eq!(
        cases[1].problems[0].message,
        "the case passes now: remove its `todo:`"
    );
    assert_eq!(cases[1].problems[0].line, 12);
    let missing = &cases[2].problems[0];
    assert_eq!((missing.kind, missing.line), ("input", 21));
    assert!(
        missing
            .message
            .starts_with("fixture fixtures/missing.log: "),
        "{}",
        missing.message
    );
}

// End to end through the real rule loader, parser and matcher. Ignored until the
// rule-language, formats and matcher branches are merged into main (in this tree
// `rule::load::compile` and `matcher::run` are still stubs).
#[test]
fn passing_rule_tests_pass_with_their_derived_negatives() {
    let path = data("npx");
    let r = ruletest::run(
        &[path.as_path()],
        RunOptions {
            verbose: true,
            ..RunOptions::default()
        },
    );
    assert!(r.passed(), "{}", text(&r));
    let cases = &r.files[0].cases;
    assert_eq!(cases.len(), 4);
    for c in &cases[..2] {
        let kinds: Vec<(MutationKind, bool)> = c
            .mutants
            .iter()
            .map(|m| (m.kind, m.outcome == MutantOutcome::Killed))
            .collect();
        assert_eq!(
            kinds,
            [
                (MutationKind::Swap, true),
                (MutationKind::ChangeKey, true),
                (MutationKind::Shift, true)
            ],
            "{}",
            c.name
        );
    }
}

#[test]
fn failing_rule_tests_report_every_mismatch() {
    let r = run("npx-fail");
    assert!(!r.passed());
    assert_eq!(
        text(&r),
        r#"FAIL npx-fail/npx-enoent.test.yaml:3: case "every assertion is wrong"
  npx-fail/npx-enoent.test.yaml:6: [status] wrong status for ruletest.npx-enoent
      expected: partial
      actual:   confirmed
  npx-fail/npx-enoent.test.yaml:6: [var] wrong value of variable `cmd`
      expected: npm
      actual:   npx
  npx-fail/npx-enoent.test.yaml:11: [evidence] wrong evidence for step `enoent`
      expected: cc-debug.log:4 "spawn npx ENOENT"
      actual:   the record is at cc-debug.log:3
FAIL npx-fail/npx-enoent.test.yaml:13: case "a wrong key"
  npx-fail/npx-enoent.test.yaml:16: [key] wrong key for ruletest.npx-enoent
      expected: {server=github}
      actual:   {server=context7}
FAIL npx-fail/npx-enoent.test.yaml:18: case "says nothing matches"
  npx-fail/npx-enoent.test.yaml:18: [unexpected] unexpected finding
      expected: no such finding
      actual:   ruletest.npx-enoent {server=context7} [confirmed] at start@cc-debug.log:2, enoent@cc-debug.log:3
test result: FAILED. 3 tests in 1 file: 0 passed, 3 failed, 0 todo; derived negatives: 3 checked, 0 still matched, 0 skipped
"#
    );
}
