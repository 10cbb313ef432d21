//! Format detection: file-name hints, content scoring, and the traps where two
//! formats share a prefix (VS Code vs Cursor; `mcp.log` vs `mcp-server-x.log`).

mod parse_common;

use logscan_engine::event::{EventRef, Level};
use logscan_engine::parse::{detect_format, parse, ParseOptions, ParsedSource};
use logscan_engine::text::SourceText;

use parse_common::parse_str;

fn field(p: &ParsedSource, i: usize, name: &str) -> Option<String> {
    let r = EventRef {
        event: &p.events[i],
        source_text: &p.text.text,
        format: p.format,
    };
    r.get(name).map(|c| c.into_owned())
}

const VSCODE: &str = "\
2025-07-01 09:00:00.100 [info] Starting server notes
2025-07-01 09:00:00.101 [info] Connection state: Starting
2025-07-01 09:00:00.140 [info] Connection state: Error spawn npx ENOENT
";

const CURSOR: &str = "\
2025-07-01 09:00:00.100 [info] notes: Handling CreateClient action
2025-07-01 09:00:00.101 [info] notes: Starting new stdio process with command: npx notes-mcp
2025-07-01 09:00:00.140 [error] notes: Client error for command spawn npx ENOENT
";

#[test]
fn vscode_and_cursor_share_a_prefix_but_not_a_format() {
    let v = parse_str("output.log", VSCODE);
    assert_eq!(v.format, "vscode-mcp");
    assert_eq!(field(&v, 2, "server").as_deref(), Some("notes"));
    assert_eq!(
        field(&v, 2, "msg").as_deref(),
        Some("Connection state: Error spawn npx ENOENT")
    );
    let c = parse_str("output.log", CURSOR);
    assert_eq!(c.format, "cursor-mcp");
    assert_eq!(field(&c, 2, "server").as_deref(), Some("notes"));
    assert_eq!(c.events[2].level, Some(Level::Error));
}

#[test]
fn desktop_prefix_order_decides_main_or_server_log() {
    let main = "2025-06-03T07:23:52.636Z [info] [notes] Initializing server...\n2025-06-03T07:23:52.664Z [error] [notes] spawn npx ENOENT\n";
    let server = "2025-06-03T07:23:52.636Z [notes] [info] Initializing server...\n2025-06-03T07:23:52.664Z [notes] [error] spawn npx ENOENT\n";
    let m = parse_str("log.txt", main);
    let s = parse_str("log.txt", server);
    assert_eq!(
        (m.format, s.format),
        ("claude-desktop-main", "claude-desktop-server")
    );
    for p in [&m, &s] {
        assert_eq!(field(p, 1, "server").as_deref(), Some("notes"));
        assert_eq!(field(p, 1, "msg").as_deref(), Some("spawn npx ENOENT"));
        assert_eq!(p.events[1].level, Some(Level::Error));
    }
}

#[test]
fn file_names_hint_and_imply_servers() {
    let p = parse_str(
        "logs/mcp-server-my notes.log",
        "[info] Server started and connected successfully\nenv: node: No such file or directory\n",
    );
    assert_eq!(p.format, "claude-desktop-server");
    assert_eq!(field(&p, 0, "server").as_deref(), Some("my notes"));
    assert_eq!(field(&p, 1, "server").as_deref(), Some("my notes"));
    assert_eq!(field(&p, 1, "stream").as_deref(), Some("stderr"));

    let p = parse_str(
        "C:\\Users\\me\\AppData\\Roaming\\Claude\\logs\\mcp.log",
        "something odd happened\n",
    );
    assert_eq!(p.format, "claude-desktop-main");

    let src = SourceText::identity(
        "cache/proj/mcp-logs-github/2025.txt",
        "  \"error\": \"Connection failed: spawn ENOTDIR\",\n".into(),
    );
    assert_eq!(
        detect_format(&src),
        ("claude-code-json", Some("github".to_string()))
    );

    let src = SourceText::identity(
        "/home/me/.claude/debug/latest",
        "2026-03-01T10:00:00.000Z [DEBUG] hello\n".into(),
    );
    assert_eq!(detect_format(&src).0, "claude-code-debug");
}

#[test]
fn content_beats_a_name_whose_format_reads_nothing() {
    let p = parse_str("mcp.log", VSCODE);
    assert_eq!(p.format, "vscode-mcp");
}

#[test]
fn bracketed_dates_are_not_desktop_servers() {
    let apache = "[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok\n[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6\n";
    let p = parse_str("error_log", apache);
    assert_ne!(p.format, "claude-desktop-server");
    assert_eq!(field(&p, 1, "server"), None);
}

#[test]
fn unknown_text_is_plain_and_a_forced_format_wins() {
    let p = parse_str("notes.txt", "hello\nworld\n");
    assert_eq!(p.format, "plain");
    assert_eq!(p.events.len(), 2);
    let opts = ParseOptions {
        format: Some("cursor-mcp".into()),
        ..ParseOptions::default()
    };
    let p = parse(SourceText::identity("output.log", VSCODE.into()), 0, &opts);
    assert_eq!(p.format, "cursor-mcp");
    let opts = ParseOptions {
        format: Some("nope".into()),
        ..ParseOptions::default()
    };
    let p = parse(SourceText::identity("output.log", VSCODE.into()), 0, &opts);
    assert_eq!(p.format, "vscode-mcp");
    assert_eq!(p.notes.len(), 1);
}

#[test]
fn detection_reads_only_the_first_records() {
    let mut text = VSCODE.repeat(30);
    text.push_str(&CURSOR.repeat(100));
    let p = parse_str("output.log", &text);
    assert_eq!(p.format, "vscode-mcp");
    parse_common::check_invariants(&p);
}
