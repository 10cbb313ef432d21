//! Fuzz target: every parser on arbitrary text. The first byte picks the
//! format: below 0x80, one of `Format::ALL` forced by name; from 0x80 on,
//! detection. The second byte picks the file name detection sees; the rest is
//! the text. Parsing must never panic,
//! and every event must stay inside the text, numbered in order.

#![no_main]

use libfuzzer_sys::fuzz_target;
use logscan_engine::parse::{format_names, parse, ParseOptions};
use logscan_engine::text::SourceText;

const NAMES: [&str; 10] = [
    "x.txt",
    "mcp.log",
    "mcp-server-a.log",
    "p/mcp-logs-s/1.txt",
    ".claude/debug/latest",
    ".wslconfig",
    "events.xml",
    "dmesg.txt",
    ".mcp.json",
    "claude_desktop_config.json",
];

fuzz_target!(|data: &[u8]| {
    let [pick, name, rest @ ..] = data else {
        return;
    };
    let formats: Vec<&str> = format_names().collect();
    let format = (*pick < 0x80).then(|| formats[usize::from(*pick) % formats.len()]);
    let opts = ParseOptions {
        tz: None,
        format: format.map(str::to_string),
    };
    let name = NAMES[usize::from(*name) % NAMES.len()];
    let text = String::from_utf8_lossy(rest).into_owned();
    let len = text.len() as u64;
    let p = parse(SourceText::identity(name, text), 0, &opts);
    if let Some(f) = format {
        assert_eq!(p.format, f, "a forced format is the one parsed");
    }
    for (i, e) in p.events.iter().enumerate() {
        assert_eq!(e.seq as usize, i, "events are numbered in order");
        assert!(
            e.span.start <= e.span.end && e.span.end <= len,
            "span inside the text"
        );
        assert!(e.span.line <= e.span.end_line, "lines in order");
    }
});
