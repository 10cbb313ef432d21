//! Per-format fixtures (written for this project in the shapes real users
//! paste) with the exact events expected: format, lines, timestamp, level and
//! fields, one line per event in an insta snapshot (`tests/it/snapshots/`,
//! reviewed when written: `INSTA_UPDATE=always`, or move the `.snap.new` over).

use crate::parse_common;

use logscan_engine::parse::ParsedSource;

fn fixture(rel: &str) -> ParsedSource {
    parse_common::fixture("", rel)
}

#[test]
fn claude_desktop_main() {
    let p = fixture("claude-desktop/mcp.log");
    assert_eq!(p.format, "claude-desktop-main");
    insta::assert_snapshot!(parse_common::events_text(&p));
}

#[test]
fn claude_desktop_server() {
    let p = fixture("claude-desktop/mcp-server-weather.log");
    assert_eq!(p.format, "claude-desktop-server");
    insta::assert_snapshot!(parse_common::events_text(&p));
}

#[test]
fn claude_code_console() {
    let p = fixture("claude-code-console.txt");
    assert_eq!(p.format, "claude-code-console");
    insta::assert_snapshot!(parse_common::events_text(&p));
}

#[test]
fn claude_code_debug() {
    let p = fixture("home/.claude/debug/latest");
    assert_eq!(p.format, "claude-code-debug");
    insta::assert_snapshot!(parse_common::events_text(&p));
}

#[test]
fn claude_code_json_array() {
    let p = fixture("cache/mcp-logs-github/2025-05-01T10-00-00.txt");
    assert_eq!(p.format, "claude-code-json");
    insta::assert_snapshot!(parse_common::events_text(&p));
}

#[test]
fn claude_code_json_fragments() {
    let p = fixture("json-fragment.txt");
    assert_eq!(p.format, "claude-code-json");
    insta::assert_snapshot!(parse_common::events_text(&p));
}

#[test]
fn vscode_mcp() {
    let p = fixture("vscode-mcp.log");
    assert_eq!(p.format, "vscode-mcp");
    insta::assert_snapshot!(parse_common::events_text(&p));
}

#[test]
fn cursor_mcp() {
    let p = fixture("cursor-mcp.log");
    assert_eq!(p.format, "cursor-mcp");
    insta::assert_snapshot!(parse_common::events_text(&p));
}

#[test]
fn kiro_falls_into_vscode_mcp() {
    let p = fixture("kiro.log");
    assert_eq!(p.format, "vscode-mcp");
    insta::assert_snapshot!(parse_common::events_text(&p));
}

#[test]
fn mcp_inspector() {
    let p = fixture("inspector.txt");
    assert_eq!(p.format, "mcp-inspector");
    insta::assert_snapshot!(parse_common::events_text(&p));
}

#[test]
fn raw_jsonrpc() {
    let p = fixture("traffic.jsonl");
    assert_eq!(p.format, "jsonrpc");
    insta::assert_snapshot!(parse_common::events_text(&p));
}

#[test]
fn claude_code_cli() {
    let p = fixture("cli.txt");
    assert_eq!(p.format, "claude-code-cli");
    insta::assert_snapshot!(parse_common::events_text(&p));
}

#[test]
fn generic() {
    let p = fixture("generic.txt");
    assert_eq!(p.format, "generic");
    insta::assert_snapshot!(parse_common::events_text(&p));
}
