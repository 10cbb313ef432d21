//! The JSON Schemas under `schema/`: equal to what the types generate, and
//! right about the files they describe (every built-in rule and test file
//! validates; a typo does not), and named by every built-in file's header.

use crate::common;

use std::path::{Path, PathBuf};

use logscan_engine::json_schema;
use serde_json::Value;

fn checked_in(name: &str) -> String {
    let path = common::workspace_root().join("schema").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_checked_in_schemas_are_the_generated_ones() {
    for (name, schema) in [
        ("rule.schema.json", json_schema::rule()),
        ("rule-test.schema.json", json_schema::rule_test()),
    ] {
        assert!(
            checked_in(name) == json_schema::pretty(&schema),
            "schema/{name} is out of date: run `cargo run -q -- rules schema {} > schema/{name}`",
            if name.starts_with("rule-test") {
                "test"
            } else {
                "rule"
            }
        );
    }
}

/// Every built-in rule file (`false`) or test file (`true`), recursively.
fn builtin(tests: bool) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                if !p
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .contains("fixtures")
                {
                    walk(&p, out);
                }
            } else if p.extension().is_some_and(|x| x == "yaml") {
                out.push(p);
            }
        }
    }
    let mut all = Vec::new();
    walk(&common::workspace_root().join("rules"), &mut all);
    all.retain(|p| p.to_string_lossy().ends_with(".test.yaml") == tests);
    all.sort();
    assert!(all.len() > 20, "built-in files missing: {all:?}");
    all
}

fn yaml(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    logscan_engine::rule::yaml::from_str(&text).unwrap()
}

fn errors(validator: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    validator
        .iter_errors(doc)
        .map(|e| format!("{}: {e}", e.instance_path))
        .collect()
}

#[test]
fn every_builtin_rule_and_test_file_validates() {
    for (tests, schema) in [
        (false, json_schema::rule()),
        (true, json_schema::rule_test()),
    ] {
        let v = jsonschema::validator_for(&schema).expect("a valid JSON Schema");
        for path in builtin(tests) {
            let errs = errors(&v, &yaml(&path));
            assert!(errs.is_empty(), "{}: {errs:#?}", path.display());
        }
    }
}

#[test]
fn typos_that_leave_a_rule_dead_are_flagged_by_the_schema() {
    let v = jsonschema::validator_for(&json_schema::rule()).unwrap();
    let good: Value = serde_json::json!({
        "id": "a.b", "cause": "a", "title": "t", "confidence": 0.5, "severity": "high",
        "sources": ["claude-code"],
        "steps": [{"id": "s", "match": {"msg|contains": "x", "level": "error"}, "within": "5s"}],
        "diagnosis": {"summary": "s"}
    });
    assert_eq!(errors(&v, &good), Vec::<String>::new());
    let bad = |pointer: &str, value: Value| {
        let mut doc = good.clone();
        *doc.pointer_mut(pointer).unwrap() = value;
        doc
    };
    for (what, doc) in [
        (
            "a family",
            bad("/sources", serde_json::json!(["claude-cod"])),
        ),
        (
            "a modifier",
            bad("/steps/0/match", serde_json::json!({"msg|contians": "x"})),
        ),
        (
            "a level",
            bad("/steps/0/match", serde_json::json!({"level": "eror"})),
        ),
        (
            "a signal",
            bad(
                "/steps/0/match",
                serde_json::json!({"signal": "spawn_fail"}),
            ),
        ),
        (
            "a duration",
            bad("/steps/0/within", serde_json::json!("5 weeks")),
        ),
        ("a severity", bad("/severity", serde_json::json!("hgh"))),
    ] {
        assert!(!errors(&v, &doc).is_empty(), "{what}: {doc}");
    }
    let mut doc = good.clone();
    doc["steps"][0]["witin"] = serde_json::json!("5s");
    assert!(!errors(&v, &doc).is_empty(), "an unknown step key");
}

#[test]
fn every_builtin_file_names_its_schema_for_editors() {
    for (tests, name) in [(false, "rule.schema.json"), (true, "rule-test.schema.json")] {
        for path in builtin(tests) {
            let depth = path
                .strip_prefix(common::workspace_root())
                .unwrap()
                .components()
                .count()
                - 1;
            let want = format!(
                "# yaml-language-server: $schema={}schema/{name}",
                "../".repeat(depth)
            );
            let text = std::fs::read_to_string(&path).unwrap();
            assert_eq!(
                text.lines().next(),
                Some(want.as_str()),
                "{}",
                path.display()
            );
        }
    }
}
