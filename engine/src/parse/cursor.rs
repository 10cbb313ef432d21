//! Cursor's MCP output: `YYYY-MM-DD HH:MM:SS.mmm [level] <server>: message`,
//! where the server name may be cut at the front (`rver:`), plus newer
//! `[V2] ...` / `[V2 FSM] ...` lines that name no server.
//!
//! This module never takes an error class (`TypeError:`) or a common word for
//! a server name.

use crate::event::Value;

use super::format::{FileNameHint, FormatSpec, NameHint};
use super::head::{self, Head, ParseContext, SERVER};
use super::jsonrpc;
use super::lex::{Prefix, TsKind, View};

/// `cursor-mcp`: Cursor's MCP output channel.
pub const SPEC: FormatSpec = FormatSpec {
    file_name_hint: Some(FileNameHint {
        rank: 25,
        matches: |name| {
            (name.path_lower.contains("cursor") && name.path_lower.contains("mcp"))
                .then_some(NameHint::default())
        },
    }),
    stderr_between_entries: true,
    client_log: true,
    ..FormatSpec::lines("cursor-mcp", head)
};

pub fn head(context: &ParseContext<'_>, view: &View, prefix: &Prefix) -> Option<Head> {
    let (_, kind) = prefix.ts.as_ref()?;
    if !matches!(kind, TsKind::Space | TsKind::Redacted) {
        return None;
    }
    let b0 = prefix.brackets.first()?;
    let level = head::level(context.get(b0))?;
    let v2 = prefix
        .brackets
        .get(1)
        .is_some_and(|b| context.get(b).starts_with("V2"));
    let msg_start = match prefix.brackets.get(1) {
        Some(b1) => b1.start - 1,
        None => prefix.rest,
    };
    let msg = context.get(&(msg_start..view.end));
    let mut h = Head::new(msg_start..view.end);
    h.ts = context.ts(prefix);
    h.level = Some(level);
    h.score = if v2 { 3 } else { 1 };
    if prefix.brackets.len() == 1 {
        if let Some(n) = server_name(msg) {
            h.set(SERVER, Value::Text(msg_start..msg_start + n as u32));
            h.score = 3;
        }
    }
    if let Some(i) = msg.find("{\"") {
        if let Some(f) = jsonrpc::fields(&msg[i..], None) {
            h.fields.extend(f);
        }
    }
    Some(h)
}

/// Length of a leading `name:` (followed by a space) that can be a server name.
fn server_name(msg: &str) -> Option<usize> {
    let n = msg.find(": ")?;
    let name = &msg[..n];
    let ok = !name.is_empty()
        && name.len() <= 64
        && name.bytes().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.' | b'@' | b'/' | b'+')
        });
    if !ok {
        return None;
    }
    let lower = name.to_ascii_lowercase();
    let stop = lower.ends_with("error")
        || lower.ends_with("exception")
        || matches!(
            lower.as_str(),
            "warning"
                | "warn"
                | "info"
                | "debug"
                | "note"
                | "http"
                | "https"
                | "file"
                | "stderr"
                | "stdout"
                | "cause"
                | "reason"
                | "status"
        );
    (!stop).then_some(n)
}

#[cfg(test)]
mod tests {
    use super::server_name;

    #[test]
    fn names() {
        assert_eq!(server_name("wave: Found 10 tools"), Some(4));
        assert_eq!(server_name("rver: Error in MCP"), Some(4));
        assert_eq!(server_name("TypeError: fetch failed"), None);
        assert_eq!(server_name("Connection state: Error"), None);
    }
}
