//! Paste damage and span mapping: markdown quotes, CRLF, indentation,
//! redacted or stripped prefixes, curly quotes, elisions, UTF-16 offsets and
//! naive timestamps read in a given zone.

use crate::parse_common;

use logscan_engine::event::{Level, Span, Timestamp};
use logscan_engine::parse::{parse, ParseOptions};
use logscan_engine::text::{Checkpoint, Encoding, SourceText};

use parse_common::{check_invariants, field, parse_str};

#[test]
fn markdown_quoted_crlf_desktop_log() {
    let text = "> 2025-06-03T07:23:52.636Z [info] [notes] Initializing server...\r\n> env: node: No such file or directory\r\n>\r\n> 2025-06-03T07:23:52.664Z [error] [notes] spawn npx ENOENT\r\n";
    let p = parse_str("paste.md", text);
    check_invariants(&p);
    assert_eq!(p.format, "claude-desktop-main");
    assert_eq!(p.events.len(), 3);
    assert_eq!(
        field(&p, 1, "msg").as_deref(),
        Some("env: node: No such file or directory")
    );
    assert_eq!(field(&p, 1, "stream").as_deref(), Some("stderr"));
    assert_eq!(field(&p, 1, "server").as_deref(), Some("notes"));
    assert_eq!(
        p.events[1].ts,
        Some(Timestamp {
            ms: 1_748_935_432_636,
            naive: false
        })
    );
    let second = text.find("> env").unwrap() as u64;
    assert_eq!(
        p.events[1].span,
        Span {
            start: second,
            end: second + 38,
            line: 2,
            end_line: 2
        }
    );
    assert_eq!(p.events[2].span.line, 4);
}

#[test]
fn indented_paste_with_stack_and_stripped_prefixes() {
    let text = "    [error] [sentry] Unexpected token 'M', \"[MCP] Skipp\"... is not valid JSON\n    Error: boom\n        at JSON.parse (<anonymous>)\n    XXX-XX-XX...> [info] [sentry] Server transport closed { metadata: undefined }\n";
    let p = parse_str("paste.txt", text);
    check_invariants(&p);
    assert_eq!(p.format, "claude-desktop-main");
    let d: Vec<String> = p
        .events
        .iter()
        .map(|e| parse_common::describe(&p, e))
        .collect();
    assert_eq!(
        d,
        [
            r#"L1 error msg="Unexpected token 'M', \"[MCP] Skipp\"... is not valid JSON" server="sentry""#,
            r#"L2-3 msg="Error: boom\n        at JSON.parse (<anonymous>)" stream="stderr" server="sentry""#,
            r#"L4 info msg="Server transport closed" server="sentry" metadata=<23 bytes>"#,
        ]
    );
}

#[test]
fn curly_quotes_and_elisions() {
    let text = "[DEBUG] MCP server “my-db”: Connection failed: spawn db-mcp ENOENT\n…\n[DEBUG] MCP server \"my-db\": Retrying\n...\n";
    let p = parse_str("console.txt", text);
    check_invariants(&p);
    assert_eq!(p.format, "claude-code-console");
    assert_eq!(p.events.len(), 4);
    assert_eq!(field(&p, 0, "server").as_deref(), Some("my-db"));
    assert_eq!(field(&p, 1, "msg").as_deref(), Some("…"));
    assert_eq!(field(&p, 2, "server").as_deref(), Some("my-db"));
}

#[test]
fn utf16_offsets_map_back_to_disk() {
    // A UTF-16LE file with BOM: raw = 2 + 2 * decoded for ASCII text.
    let text = "2025-07-01 09:00:00.100 [info] Starting server a\r\n2025-07-01 09:00:00.200 [info] Connection state: Error spawn npx ENOENT\r\n";
    let src = SourceText {
        path: "output.log".into(),
        encoding: Encoding::Utf16LeBom,
        raw_len: 2 + 2 * text.len() as u64,
        decompressed: false,
        text: text.into(),
        notes: Vec::new(),
        checkpoints: vec![Checkpoint {
            decoded: 0,
            raw: 2,
            stride: 2,
        }],
    };
    let p = parse(src, 3, &ParseOptions::default());
    check_invariants(&p);
    let second = text.find("\r\n").unwrap() as u64 + 2;
    let end = text.len() as u64 - 2;
    assert_eq!(
        p.events[1].span,
        Span {
            start: 2 + 2 * second,
            end: 2 + 2 * end,
            line: 2,
            end_line: 2
        }
    );
    assert_eq!(p.events[1].source, 3);
    assert_eq!(p.events[1].text, second as u32..end as u32);
}

#[test]
fn naive_timestamps_use_the_given_zone_and_are_inherited() {
    let text = "2025-07-01 09:00:00.100 [info] Starting server a\nnpm ERR! code E404\n";
    let tz = jiff::tz::TimeZone::fixed(jiff::tz::offset(2));
    let opts = ParseOptions {
        tz: Some(tz),
        ..ParseOptions::default()
    };
    let p = parse(SourceText::identity("output.log", text.into()), 0, &opts);
    let utc = jiff::Timestamp::from_second(1_751_353_200)
        .unwrap()
        .as_millisecond()
        + 100;
    assert_eq!(
        p.events[0].ts,
        Some(Timestamp {
            ms: utc,
            naive: true
        })
    );
    assert_eq!(p.events[1].ts, p.events[0].ts);
    assert_eq!(p.events[0].level, Some(Level::Info));
}

#[test]
fn sources_without_time_get_none() {
    let p = parse_str(
        "x.txt",
        "[ERROR] MCP server \"a\" Connection failed\n[DEBUG] done\n",
    );
    assert!(p.events.iter().all(|e| e.ts.is_none()));
}

#[test]
fn long_lines_are_cut_with_a_note() {
    let text = format!("{}\nnext\n", "x".repeat(70 * 1024));
    let p = parse_str("big.txt", &text);
    check_invariants(&p);
    assert_eq!(p.events.len(), 2);
    assert_eq!(p.notes.len(), 1);
    assert_eq!(p.notes[0].line, Some(1));
}

#[test]
fn a_cut_object_ends_at_the_next_unindented_line() {
    let text = "2025-09-11T23:28:52.407Z [a] [error] Unexpected token 'd' is not valid JSON {\n  metadata: {\n    context: 'connection',\n[DEBUG] MCP server \"a\": Connection failed\nTraceback (most recent call last):\n";
    let p = parse_str("paste.txt", text);
    check_invariants(&p);
    let lines: Vec<(u32, u32)> = p
        .events
        .iter()
        .map(|e| (e.span.line, e.span.end_line))
        .collect();
    assert_eq!(lines, [(1, 3), (4, 4), (5, 5)]);
    assert_eq!(
        field(&p, 0, "msg").as_deref(),
        Some("Unexpected token 'd' is not valid JSON")
    );
    assert_eq!(field(&p, 1, "stream").as_deref(), Some("stderr"));
}

#[test]
fn two_entries_glued_on_one_line_are_split() {
    let text = "2025-06-03T07:23:52.636Z [a] [info] Server started { metadata: undefined }2025-06-03T07:23:52.664Z [a] [error] spawn npx ENOENT\nnext line\n";
    let p = parse_str("mcp-server-a.log", text);
    check_invariants(&p);
    let d: Vec<String> = p
        .events
        .iter()
        .map(|e| parse_common::describe(&p, e))
        .collect();
    assert_eq!(
        d,
        [
            r#"L1 2025-06-03T07:23:52.636Z info msg="Server started" server="a" metadata=<23 bytes>"#,
            r#"L1 2025-06-03T07:23:52.664Z error msg="spawn npx ENOENT" server="a""#,
            r#"L2 2025-06-03T07:23:52.664Z msg="next line" stream="stderr" server="a""#,
        ]
    );
    assert_eq!(p.events[1].span.start, 74);
    assert_eq!(p.events[0].span.end, 74);
}
