//! MCP Inspector's proxy console (no timestamps): `STDIO transport:
//! command=..., args=...`, `Error from MCP server: ...`, connection notices.
//!
//! Only lines with the Inspector's own wording are claimed; anything else is
//! left to the generic parser.

use crate::event::{field, Level, Value};

use super::format::FormatSpec;
use super::head::{Head, Open, ParseContext};
use super::lex::{Prefix, View};

/// `mcp-inspector`: the Inspector proxy's console.
pub const SPEC: FormatSpec = FormatSpec {
    client_log: true,
    ..FormatSpec::lines("mcp-inspector", head)
};

const KNOWN: [&str; 12] = [
    "New STDIO connection request",
    "New SSE connection",
    "New StreamableHttp connection",
    "New connection",
    "Query parameters:",
    "Spawned stdio transport",
    "Created server transport",
    "Created client transport",
    "Connected MCP client to backing server transport",
    "Received message for sessionId",
    "Received POST message for sessionId",
    "Proxy server listening",
];

pub fn head(context: &ParseContext<'_>, view: &View, prefix: &Prefix) -> Option<Head> {
    if prefix.ts.is_some() || !prefix.brackets.is_empty() {
        return None;
    }
    let msg = context.get(&(prefix.rest..view.end));
    let mut h = Head::new(prefix.rest..view.end);
    h.score = 3;
    if let Some(rest) = msg.strip_prefix("STDIO transport: command=") {
        let at = prefix.rest + (msg.len() - rest.len()) as u32;
        let (cmd, args) = match rest.find(", args=") {
            Some(i) => (i, Some(i + ", args=".len())),
            None => (rest.len(), None),
        };
        h.set(field::COMMAND, Value::Text(at..at + cmd as u32));
        if let Some(a) = args {
            h.set(field::ARGS, Value::Text(at + a as u32..view.end));
        }
    } else if msg.starts_with("Error from MCP server:") || msg.starts_with("Error in /") {
        h.level = Some(Level::Error);
    } else if !KNOWN.iter().any(|k| msg.starts_with(k)) && !msg.contains("MCP Inspector") {
        return None;
    }
    if msg.ends_with('{') {
        h.open = Open::Braces {
            depth: 1,
            meta: None,
        };
    }
    Some(h)
}
