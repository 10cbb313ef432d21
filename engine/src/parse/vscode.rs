//! The VS Code MCP output channel (and its forks' shape, e.g. Kiro):
//! `YYYY-MM-DD HH:MM:SS.mmm [level] [server]? message`.
//!
//! The channel is per server: `Starting server <name>` names it for the lines
//! that follow. `Server command line: ...` gives `command`; Kiro's
//! `[server] Log from MCP Server: ...` is stderr that continues on unprefixed
//! lines; `[server stderr]` lines get `stream: stderr` (VS Code writes the
//! server's stderr one line per entry, so a stack is one entry per line: the
//! crash family reads each alone). At debug and trace level the JSON-RPC
//! traffic is logged as `[editor -> server] {json}` / `[server -> editor]
//! {json}` (`mcpServerRequestHandler.ts`): those lines are this format's,
//! unmistakably, and get the JSON-RPC fields with the direction the bracket
//! says. This module never reads Cursor's `name: message` form as a server.

use crate::event::{field, Value};

use super::format::{FileNameHint, FormatSpec, NameHint};
use super::head::{self, Head, Open, ParseContext, SERVER};
use super::jsonrpc;
use super::lex::{Prefix, TsKind, View};

/// `vscode-mcp`: the VS Code (and Kiro) MCP output channel.
pub const SPEC: FormatSpec = FormatSpec {
    file_name_hint: Some(FileNameHint {
        rank: 26,
        matches: |name| {
            (name.path_lower.contains("kiro")
                || name.path_lower.contains("output_logging")
                || name.base_lower.contains("mcp server"))
            .then_some(NameHint::default())
        },
    }),
    stderr_between_entries: true,
    server_carry_literal: Some("Starting server "),
    client_log: true,
    ..FormatSpec::lines("vscode-mcp", head)
};

const PHRASES: [&str; 10] = [
    "Connection state:",
    "Starting server",
    "Server command line:",
    "Discovered ",
    "Stopping server",
    "Waiting for server",
    "Server exited",
    "Log from MCP Server",
    "Sending message",
    "Received message",
];

pub fn head(context: &ParseContext<'_>, view: &View, prefix: &Prefix) -> Option<Head> {
    let (_, kind) = prefix.ts.as_ref()?;
    if !matches!(kind, TsKind::Space | TsKind::Redacted) {
        return None;
    }
    let b0 = prefix.brackets.first()?;
    let level = head::level(context.get(b0))?;
    let mut msg_start = prefix.rest;
    let mut server = None;
    let mut stderr = false;
    let mut direction = None;
    if let (Some(b1), Some(true)) = (prefix.brackets.get(1), prefix.spaced.first()) {
        let name = context.get(b1);
        if name == "server stderr" {
            stderr = true;
        } else if let Some(d) = trace_direction(name) {
            direction = Some(d);
            msg_start = b1.start - 1;
        } else if prefix.brackets.len() == 2 && is_name(name) {
            server = Some(b1.clone());
        } else {
            msg_start = b1.start - 1;
        }
    }
    let msg = context.get(&(msg_start..view.end));
    let mut h = Head::new(msg_start..view.end);
    h.ts = context.ts(prefix);
    h.level = Some(level);
    h.score = 2 + u8::from(server.is_some() || PHRASES.iter().any(|ph| msg.starts_with(ph)));
    if let Some(s) = server {
        h.set(SERVER, Value::Text(s));
    }
    if stderr || direction.is_some() {
        h.score = 3;
    }
    if stderr {
        h.set("stream", Value::Owned("stderr".into()));
    }
    if let Some(rest) = msg.strip_prefix("Starting server ") {
        if !rest.starts_with("from ") && !rest.is_empty() && !rest.contains(' ') {
            let at = msg_start + (msg.len() - rest.len()) as u32;
            let r = at..at + rest.len() as u32;
            h.set(SERVER, Value::Text(r.clone()));
            h.carry = Some(Value::Text(r));
        }
    }
    if let Some(rest) = msg.strip_prefix("Server command line: ") {
        let at = msg_start + (msg.len() - rest.len()) as u32;
        h.set(field::COMMAND, Value::Text(at..view.end));
    }
    if msg.starts_with("Log from MCP Server") {
        h.open = Open::Stderr;
    }
    if let Some(i) = msg.find("{\"") {
        if let Some(f) = jsonrpc::fields(&msg[i..], direction) {
            h.fields.extend(f);
        }
    }
    Some(h)
}

/// Who sent a message VS Code traces as `[editor -> server]` / `[server -> editor]`.
fn trace_direction(bracket: &str) -> Option<&'static str> {
    match bracket {
        "editor -> server" => Some("client"),
        "server -> editor" => Some("server"),
        _ => None,
    }
}

/// A server-looking bracket: one token, not `V2`-style tags, not addresses or hex ids.
fn is_name(s: &str) -> bool {
    let b = s.as_bytes();
    let tag = b.first() == Some(&b'V') && b.get(1).is_some_and(u8::is_ascii_digit);
    let address = b
        .iter()
        .all(|c| c.is_ascii_hexdigit() || matches!(c, b'.' | b':'));
    !b.is_empty() && b.len() <= 64 && !b.contains(&b' ') && !tag && !address
}
