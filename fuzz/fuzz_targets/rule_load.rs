//! Fuzzes the rule loader: arbitrary text must compile or fail with errors,
//! never panic, and every error must render.
#![no_main]

use libfuzzer_sys::fuzz_target;
use logscan_engine::rule::load::{compile, RuleFile};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let files = [RuleFile {
        path: "fuzz.yaml".into(),
        text,
    }];
    if let Err(errors) = compile(&files) {
        for e in errors {
            let _ = e.to_string();
        }
    }
});
