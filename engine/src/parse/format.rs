//! The formats this crate parses, by name, and the dispatch from a format to
//! its line parser.
//!
//! Format names are hierarchical (`claude-code-debug` is in the `claude-code`
//! family); they are part of the rule language, so a name never changes once
//! published. This module holds no parsing logic of its own.

use super::head::{Cx, Head};
use super::lex::{Prefix, View};
use super::{
    claude_code, claude_code_cli, claude_code_json, claude_desktop, cursor, generic, inspector,
    jsonrpc, plain, vscode, winevent_csv, winevent_ps, winevent_text, winevent_xml,
};

/// A log format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    ClaudeCodeConsole,
    ClaudeCodeDebug,
    ClaudeCodeJson,
    ClaudeCodeCli,
    ClaudeDesktopMain,
    ClaudeDesktopServer,
    VscodeMcp,
    CursorMcp,
    McpInspector,
    WinEventXml,
    WinEventEvtx,
    WinEventText,
    WinEventPs,
    WinEventCsv,
    JsonRpc,
    Generic,
    Plain,
}

impl Format {
    /// Every format, in detection tie-break order (most specific first).
    pub const ALL: [Format; 17] = [
        Format::ClaudeDesktopServer,
        Format::ClaudeDesktopMain,
        Format::ClaudeCodeDebug,
        Format::ClaudeCodeConsole,
        Format::ClaudeCodeJson,
        Format::ClaudeCodeCli,
        Format::VscodeMcp,
        Format::CursorMcp,
        Format::McpInspector,
        Format::WinEventXml,
        Format::WinEventEvtx,
        Format::WinEventText,
        Format::WinEventPs,
        Format::WinEventCsv,
        Format::JsonRpc,
        Format::Generic,
        Format::Plain,
    ];

    /// The name rules use in `from:` / `sources:`.
    pub fn name(self) -> &'static str {
        match self {
            Format::ClaudeCodeConsole => "claude-code-console",
            Format::ClaudeCodeDebug => "claude-code-debug",
            Format::ClaudeCodeJson => "claude-code-json",
            Format::ClaudeCodeCli => "claude-code-cli",
            Format::ClaudeDesktopMain => "claude-desktop-main",
            Format::ClaudeDesktopServer => "claude-desktop-server",
            Format::VscodeMcp => "vscode-mcp",
            Format::CursorMcp => "cursor-mcp",
            Format::McpInspector => "mcp-inspector",
            Format::WinEventXml => "windows-event-xml",
            Format::WinEventEvtx => "windows-event-evtx",
            Format::WinEventText => "windows-event-text",
            Format::WinEventPs => "windows-event-ps",
            Format::WinEventCsv => "windows-event-csv",
            Format::JsonRpc => "jsonrpc",
            Format::Generic => "generic",
            Format::Plain => "plain",
        }
    }

    /// The format called `name`.
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Unprefixed lines between this format's entries are the server's stderr.
    pub fn has_stderr_between(self) -> bool {
        matches!(
            self,
            Format::ClaudeDesktopMain
                | Format::ClaudeDesktopServer
                | Format::VscodeMcp
                | Format::CursorMcp
        )
    }

    /// Reads `v` as the first line of a record of this format.
    pub fn head(self, cx: &Cx, v: &View, p: &Prefix) -> Option<Head> {
        match self {
            Format::ClaudeCodeConsole => claude_code::head(cx, v, p, false),
            Format::ClaudeCodeDebug => claude_code::head(cx, v, p, true),
            Format::ClaudeCodeJson => claude_code_json::head(cx, v, p),
            Format::ClaudeCodeCli => claude_code_cli::head(cx, v, p),
            Format::ClaudeDesktopMain => claude_desktop::head(cx, v, p, false),
            Format::ClaudeDesktopServer => claude_desktop::head(cx, v, p, true),
            Format::VscodeMcp => vscode::head(cx, v, p),
            Format::CursorMcp => cursor::head(cx, v, p),
            Format::McpInspector => inspector::head(cx, v, p),
            Format::WinEventXml | Format::WinEventEvtx => winevent_xml::head(cx, v, p),
            Format::WinEventText => winevent_text::head(cx, v, p),
            Format::WinEventPs => winevent_ps::head(cx, v, p),
            Format::WinEventCsv => winevent_csv::head(cx, v, p),
            Format::JsonRpc => jsonrpc::head(cx, v, p),
            Format::Generic => generic::head(cx, v, p),
            Format::Plain => Some(plain::head(cx, v)),
        }
    }
}
