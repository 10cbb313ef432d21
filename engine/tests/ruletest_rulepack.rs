//! The built-in rule pack's test files must all be valid test files.

use std::path::Path;

use logscan_engine::ruletest::{self, RunOptions};

#[test]
fn every_rule_pack_test_file_parses() {
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("../rules");
    let report = ruletest::run(&[rules.as_path()], RunOptions::default());
    let schema: Vec<String> = report
        .files
        .iter()
        .flat_map(|f| &f.problems)
        .filter(|p| p.kind == "schema")
        .map(|p| format!("{}: {}", p.location(), p.message))
        .collect();
    assert_eq!(schema, Vec::<String>::new());
    assert!(
        report.files.len() >= 10,
        "{} test files",
        report.files.len()
    );
}
