//! Fuzz target: the whole pipeline, `Engine::scan_bytes`, with the built-in
//! rules. The first byte picks a typical file name (which drives container and
//! format detection); the rest is the file. Nothing may panic, and the report
//! must render as JSON.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use logscan_engine::Engine;

const NAMES: [&str; 8] = [
    "mcp.log",
    "claude-debug.txt",
    ".wslconfig",
    "System.evtx",
    "bundle.zip",
    "x.log.gz",
    "events.xml",
    "dmesg.txt",
];

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        Engine::builder()
            .builtin_rules()
            .build()
            .expect("the built-in rules load")
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let name = NAMES[usize::from(pick) % NAMES.len()];
    let report = engine().scan_bytes(name, rest);
    let _ = serde_json::to_string(&report).expect("a report serialises");
});
