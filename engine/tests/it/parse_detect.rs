//! Format detection: file-name hints, content scoring, and the traps where two
//! formats share a prefix (VS Code vs Cursor; `mcp.log` vs `mcp-server-x.log`).

use crate::parse_common;

use logscan_engine::event::Level;
use logscan_engine::parse::{detect_format, parse, ParseOptions};
use logscan_engine::text::SourceText;

use parse_common::{field, parse_str};

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

/// The VS Code MCP channel at debug level: VS Code's `[info]` lines, then the JSON-RPC
/// traffic it traces as `[editor -> server]` / `[server -> editor]` (mcpServerRequestHandler.ts).
const VSCODE_DEBUG: &str = "\
2025-06-03 07:23:52.100 [info] Starting server notes
2025-06-03 07:23:52.101 [info] Connection state: Starting
2025-06-03 07:23:52.300 [info] Connection state: Running
2025-06-03 07:23:52.600 [debug] [editor -> server] {\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{}}}
2025-06-03 07:23:52.664 [debug] [server -> editor] {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{\"tools\":{}}}}
2025-06-03 07:23:52.665 [debug] [editor -> server] {\"method\":\"notifications/initialized\",\"jsonrpc\":\"2.0\"}
2025-06-03 07:23:52.666 [debug] [editor -> server] {\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\",\"params\":{}}
2025-06-03 07:23:52.700 [debug] [server -> editor] {\"jsonrpc\":\"2.0\",\"id\":2,\"error\":{\"code\":-32601,\"message\":\"Method not found\"}}
2025-06-03 07:23:52.710 [warning] [server stderr] listening on stdio
";

/// Only the traffic lines, as a paste that starts after the `[info]` lines.
fn traffic_only(level: &str) -> String {
    VSCODE_DEBUG
        .lines()
        .filter(|l| l.contains("] [editor -> server]") || l.contains("] [server -> editor]"))
        .map(|l| format!("{}\n", l.replace("[debug]", &format!("[{level}]"))))
        .collect::<Vec<_>>()
        .concat()
}

#[test]
fn vscode_channel_at_debug_and_trace_level_is_vscode_not_jsonrpc() {
    let cases = [
        ("info then debug", VSCODE_DEBUG.to_string()),
        ("debug only", traffic_only("debug")),
        ("trace only", traffic_only("trace")),
        ("crlf", VSCODE_DEBUG.replace('\n', "\r\n")),
        (
            "traffic repeated past the sample",
            traffic_only("debug").repeat(40),
        ),
    ];
    for (what, text) in &cases {
        let p = parse_str("output.log", text);
        assert_eq!(p.format, "vscode-mcp", "{what}");
        parse_common::check_invariants(&p);
    }
    // The traffic keeps the server `Starting server` named and the direction the bracket says.
    let p = parse_str("output.log", VSCODE_DEBUG);
    let got: Vec<_> = (3..8)
        .map(|i| {
            (
                field(&p, i, "server"),
                field(&p, i, "direction"),
                field(&p, i, "method"),
                field(&p, i, "id"),
            )
        })
        .collect();
    let s = |x: &str| Some(x.to_string());
    assert_eq!(
        got,
        [
            (s("notes"), s("client"), s("initialize"), s("1")),
            (s("notes"), s("server"), None, s("1")),
            (
                s("notes"),
                s("client"),
                s("notifications/initialized"),
                None
            ),
            (s("notes"), s("client"), s("tools/list"), s("2")),
            (s("notes"), s("server"), None, s("2")),
        ]
    );
    assert_eq!(field(&p, 7, "error.code").as_deref(), Some("-32601"));
    assert_eq!(p.events[3].level, Some(Level::Debug));
    assert_eq!(
        field(&p, 3, "msg").as_deref(),
        Some("[editor -> server] {\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{}}}")
    );
    assert_eq!(field(&p, 8, "stream").as_deref(), Some("stderr"));
    assert_eq!(field(&p, 8, "server").as_deref(), Some("notes"));
    let t = parse_str("output.log", &traffic_only("trace"));
    assert_eq!(t.events[0].level, Some(Level::Trace));
    assert_eq!(field(&t, 0, "direction").as_deref(), Some("client"));
}

#[test]
fn bare_json_rpc_traces_stay_jsonrpc() {
    // Newline-delimited messages, and a proxy's `-->` / `<--` arrows, are `jsonrpc`.
    let bare = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{}}\n{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}\n";
    assert_eq!(parse_str("trace.txt", bare).format, "jsonrpc");
    let arrows = "--> {\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\"}\n<-- {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}\n";
    let p = parse_str("trace.txt", arrows);
    assert_eq!(p.format, "jsonrpc");
    assert_eq!(field(&p, 1, "direction").as_deref(), Some("server"));
}
