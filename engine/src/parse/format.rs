//! The formats this crate parses, by name, and the dispatch from a format to
//! its line parser.
//!
//! Format names are hierarchical (`claude-code-debug` is in the `claude-code`
//! family); they are part of the rule language, so a name never changes once
//! published. This module holds no parsing logic of its own.

use super::head::{Cx, Head};
use super::lex::{Prefix, View};
use super::{
    claude_code, claude_code_cli, claude_code_json, claude_desktop, client_config, cursor, dmesg,
    generic, ini, inspector, journal, jsonrpc, plain, syslog, vscode, winevent_csv, winevent_ps,
    winevent_text, winevent_xml, wsl_cli,
};
use crate::event::{Event, SourceId};
use crate::text::{Note, SourceText};

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
    LinuxDmesg,
    LinuxSyslog,
    LinuxJournal,
    WslVersion,
    WslStatus,
    WslList,
    WslError,
    WslConfig,
    WslConf,
    ClientConfigMcpJson,
    ClientConfigClaudeDesktop,
    ClientConfigClaudeJson,
    ClientConfigVscode,
    Generic,
    Plain,
}

impl Format {
    /// Every format, in detection tie-break order (most specific first).
    pub const ALL: [Format; 30] = [
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
        Format::LinuxDmesg,
        Format::LinuxSyslog,
        Format::LinuxJournal,
        Format::WslVersion,
        Format::WslStatus,
        Format::WslList,
        Format::WslError,
        Format::WslConfig,
        Format::WslConf,
        Format::ClientConfigMcpJson,
        Format::ClientConfigClaudeDesktop,
        Format::ClientConfigClaudeJson,
        Format::ClientConfigVscode,
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
            Format::LinuxDmesg => "linux-dmesg",
            Format::LinuxSyslog => "linux-syslog",
            Format::LinuxJournal => "linux-journal",
            Format::WslVersion => "wsl-version",
            Format::WslStatus => "wsl-status",
            Format::WslList => "wsl-list",
            Format::WslError => "wsl-error",
            Format::WslConfig => "wslconfig",
            Format::WslConf => "wsl-conf",
            Format::ClientConfigMcpJson => "client-config-mcp-json",
            Format::ClientConfigClaudeDesktop => "client-config-claude-desktop",
            Format::ClientConfigClaudeJson => "client-config-claude-json",
            Format::ClientConfigVscode => "client-config-vscode",
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
            Format::LinuxDmesg => dmesg::head(cx, v, p),
            Format::LinuxSyslog => syslog::head(cx, v, p),
            Format::LinuxJournal => journal::head(cx, v, p),
            Format::WslVersion => wsl_cli::head(cx, v, p, wsl_cli::Kind::Version),
            Format::WslStatus => wsl_cli::head(cx, v, p, wsl_cli::Kind::Status),
            Format::WslList => wsl_cli::head(cx, v, p, wsl_cli::Kind::List),
            Format::WslError => wsl_cli::head(cx, v, p, wsl_cli::Kind::Error),
            Format::WslConfig => ini::head(cx, v, p, ini::File::WslConfig),
            Format::WslConf => ini::head(cx, v, p, ini::File::WslConf),
            Format::ClientConfigMcpJson
            | Format::ClientConfigClaudeDesktop
            | Format::ClientConfigClaudeJson
            | Format::ClientConfigVscode => client_config::head(cx, v, p, self),
            Format::Generic => generic::head(cx, v, p),
            Format::Plain => Some(plain::head(cx, v)),
        }
    }

    /// Formats read as a whole file rather than record by record: their
    /// events, or `None` to read the source line by line (with any notes
    /// saying why).
    pub fn whole(
        self,
        cx: &Cx,
        src: &SourceText,
        id: SourceId,
        notes: &mut Vec<Note>,
    ) -> Option<Vec<Event>> {
        match self {
            Format::ClientConfigMcpJson
            | Format::ClientConfigClaudeDesktop
            | Format::ClientConfigClaudeJson
            | Format::ClientConfigVscode => client_config::parse(cx, src, id, self, notes),
            _ => None,
        }
    }
}
