//! Runs the parser over the shared real cases and loghub logs (in
//! `../shared/data` beside the checkout: required under `CI=true`, skipped with
//! a note elsewhere) and checks only the invariants: no panic, every non-blank
//! line in exactly one event, spans inside the file and ordered. The logs
//! themselves are never copied into the project. Also checks the rule that
//! reads them (`common::shared_data`).

use crate::common;
use crate::parse_common;

use std::path::{Path, PathBuf};

use logscan_engine::parse::{parse, ParseOptions};
use logscan_engine::text::SourceText;

/// The `log.txt` of every real case.
fn real_case_logs() -> Option<Vec<PathBuf>> {
    let cases = common::shared_files("real-cases", |path| path.join("log.txt").is_file())?;
    Some(cases.iter().map(|case| case.join("log.txt")).collect())
}

/// Every `.log` file of the loghub samples.
fn loghub_logs() -> Option<Vec<PathBuf>> {
    common::shared_files("loghub", |path| {
        path.extension().is_some_and(|extension| extension == "log")
    })
}

fn check_each(logs: &[PathBuf]) {
    for path in logs {
        let bytes =
            std::fs::read(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let source = SourceText::identity(path.display().to_string(), text);
        let parsed = parse(source, 0, &ParseOptions::default());
        parse_common::check_invariants(&parsed);
    }
}

#[test]
fn real_case_logs_keep_the_invariants() {
    let Some(logs) = real_case_logs() else { return };
    check_each(&logs);
}

#[test]
fn loghub_logs_keep_the_invariants() {
    let Some(logs) = loghub_logs() else { return };
    check_each(&logs);
}

#[test]
fn shared_data_is_required_only_under_ci() {
    assert!(common::required_by_ci(Some("true")));
    assert!(common::required_by_ci(Some("1")));
    assert!(!common::required_by_ci(Some("false")));
    assert!(!common::required_by_ci(Some("")));
    assert!(!common::required_by_ci(None));
}

#[test]
fn missing_shared_data_is_skipped_outside_ci() {
    let missing = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/no-such-shared-file");
    assert_eq!(common::present_or_skipped(missing, false), None);
    let here = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    assert_eq!(common::present_or_skipped(here.clone(), true), Some(here));
}

#[test]
#[should_panic(
    expected = "is missing: with CI=true the shared data beside the checkout is required"
)]
fn missing_shared_data_fails_under_ci() {
    let missing = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/no-such-shared-file");
    common::present_or_skipped(missing, true);
}
