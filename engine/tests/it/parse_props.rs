//! Property tests: `parse` never panics, every non-blank line is in exactly
//! one event, spans are inside the file and in order, on arbitrary text built
//! from real line shapes, random characters and every line terminator.

use crate::parse_common;

use proptest::prelude::*;

use logscan_engine::parse::{parse, ParseOptions};
use logscan_engine::text::SourceText;

const PIECES: &[&str] = &[
    "2025-06-03T07:23:52.664Z ",
    "2025-06-03 07:23:52.664 ",
    "XXX-XX-XX...>",
    "[info] ",
    "[error] ",
    "[DEBUG] ",
    "[my server] ",
    "[",
    "]",
    "{",
    "}",
    " { metadata: undefined }",
    "  metadata: {",
    "    at f (x.js:1:2)",
    "MCP server \"a\": ",
    "MCP server “",
    "Server stderr: ",
    "Message from client: {\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\"}",
    "{\"jsonrpc\":\"2.0\",\"id\":",
    "\"error\": \"x\\n y\",",
    "Traceback (most recent call last):",
    "  File \"a.py\", line 1",
    "ValueError: bad",
    "> ",
    "\t",
    "    ",
    " - ✗ Failed to connect",
    " · ✓ connected",
    "└ [Warning] [c] ",
    "⎿  Error: ",
    "Starting server s",
    "Log from MCP Server: ",
    "é",
    "…",
    "\u{FEFF}",
    "%o",
    "`",
    "'",
];

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => proptest::sample::select(PIECES).prop_map(str::to_string),
        1 => "[^\r\n]{0,12}",
        1 => any::<char>().prop_map(|c| c.to_string()),
    ]
}

fn line() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..6).prop_map(|v| v.concat())
}

fn doc() -> impl Strategy<Value = String> {
    let term = proptest::sample::select(&["\n", "\r\n", "\r\r\n", "\r", "\n\n"][..]);
    prop::collection::vec((line(), term), 0..24)
        .prop_map(|v| v.into_iter().map(|(l, t)| format!("{l}{t}")).collect())
}

fn name() -> impl Strategy<Value = &'static str> {
    proptest::sample::select(
        &[
            "x.txt",
            "mcp.log",
            "mcp-server-a b.log",
            "c/mcp-logs-srv/1.txt",
            "/home/u/.claude/debug/latest",
            "Cursor/MCP.log",
            "",
        ][..],
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn parse_keeps_its_invariants(text in doc(), name in name()) {
        let p = parse(SourceText::identity(name, text), 0, &ParseOptions::default());
        parse_common::check_invariants(&p);
    }

    #[test]
    fn arbitrary_strings_never_panic(text in any::<String>()) {
        let p = parse(SourceText::identity("x", text), 0, &ParseOptions::default());
        parse_common::check_invariants(&p);
    }
}
