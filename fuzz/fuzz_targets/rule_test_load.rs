//! Fuzz target: the rule-test file loader (`*.test.yaml`) on arbitrary text
//! must return a test file or positioned errors, never panic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use logscan_engine::ruletest::schema::parse;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Err(errors) = parse(&text) {
        assert!(!errors.is_empty(), "a failed load names at least one error");
        for e in errors {
            assert!(e.line >= 1, "errors carry a 1-based line: {e:?}");
        }
    }
});
