//! Fuzz target: `parse` on arbitrary text under a few file names must not
//! panic, and every event must stay inside the text.

#![no_main]

use libfuzzer_sys::fuzz_target;
use logscan_engine::parse::{parse, ParseOptions};
use logscan_engine::text::SourceText;

const NAMES: [&str; 5] = ["x.txt", "mcp.log", "mcp-server-a.log", "p/mcp-logs-s/1.txt", ".claude/debug/latest"];

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else { return };
    let name = NAMES[usize::from(first) % NAMES.len()];
    let text = String::from_utf8_lossy(rest).into_owned();
    let len = text.len() as u64;
    let p = parse(SourceText::identity(name, text), 0, &ParseOptions::default());
    let mut prev = 0;
    for e in &p.events {
        assert!(e.span.start >= prev && e.span.start <= e.span.end && e.span.end <= len);
        assert!(e.span.line <= e.span.end_line);
        prev = e.span.end;
    }
});
