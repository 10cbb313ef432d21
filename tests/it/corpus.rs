//! The corpus: every `corpus/<case>/` folder holds a support bundle in
//! `bundle/` and an `expected.yaml` with the exact ranked causes (cause and
//! verdict, best first). Each bundle is scanned with the built-in rules as
//! `logscan scan corpus/<case>/bundle` would.

use crate::common;

use std::fs;

use logscan_engine::rank::Verdict;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    #[allow(dead_code)]
    description: String,
    expect: Expect,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    causes: Vec<ExpectedCause>,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct ExpectedCause {
    cause: String,
    verdict: Verdict,
}

#[test]
fn every_corpus_case_gets_its_expected_diagnosis() {
    let engine = common::builtin_engine();
    let cases = common::corpus_cases();
    assert!(
        cases.len() >= 10,
        "the corpus has its cases ({} found)",
        cases.len()
    );
    let mut failures = Vec::new();
    for case in &cases {
        let exp: Expected =
            serde_yaml::from_str(&fs::read_to_string(case.join("expected.yaml")).unwrap())
                .unwrap_or_else(|e| panic!("{}: {e}", case.join("expected.yaml").display()));
        let bundle = case.join("bundle");
        let result = engine.scan_paths(&[bundle.as_path()]);
        assert!(
            result.errors.is_empty(),
            "{}: {:?}",
            case.display(),
            result.errors
        );
        let got: Vec<ExpectedCause> = result
            .report
            .causes
            .iter()
            .map(|c| ExpectedCause {
                cause: c.cause.clone(),
                verdict: c.verdict,
            })
            .collect();
        if got != exp.expect.causes {
            failures.push(format!(
                "{}\n  expected: {:?}\n  got:      {:?}",
                case.display(),
                exp.expect.causes,
                got
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} corpus case(s) differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
