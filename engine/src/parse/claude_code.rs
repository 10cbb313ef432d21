//! Claude Code `--debug` output: the console form (`[DEBUG] MCP server "x":
//! ...`, no timestamps) and the debug file (`~/.claude/debug/*`: ISO
//! timestamp, then `[DEBUG]`/`[ERROR]`).
//!
//! `MCP server "x": ...` / `MCP server "x" ...` names the server (kept in
//! `msg`, which rules match on); `Server stderr:` payloads continue on the
//! unprefixed lines after them. This module never treats a lowercase
//! `[level]` (Claude Desktop's) as its own.

use crate::event::Value;

use super::format::{FileNameHint, FormatSpec, NameHint};
use super::head::{self, Head, Open, ParseContext, SERVER};
use super::lex::{Prefix, TsKind, View};

/// `claude-code-debug`: the debug file, `~/.claude/debug/*`.
pub const DEBUG_SPEC: FormatSpec = FormatSpec {
    file_name_hint: Some(FileNameHint {
        rank: 24,
        matches: |name| {
            name.path_lower
                .contains(".claude/debug/")
                .then_some(NameHint::default())
        },
    }),
    client_log: true,
    ..FormatSpec::lines("claude-code-debug", read_debug_file_head)
};

/// `claude-code-console`: `claude --debug` on the terminal (no timestamps).
pub const CONSOLE_SPEC: FormatSpec = FormatSpec {
    client_log: true,
    ..FormatSpec::lines("claude-code-console", read_console_head)
};

fn read_debug_file_head(context: &ParseContext<'_>, view: &View, prefix: &Prefix) -> Option<Head> {
    head(context, view, prefix, true)
}

fn read_console_head(context: &ParseContext<'_>, view: &View, prefix: &Prefix) -> Option<Head> {
    head(context, view, prefix, false)
}

/// `timestamped`: the debug-file form (else the console form).
pub fn head(
    context: &ParseContext<'_>,
    view: &View,
    prefix: &Prefix,
    timestamped: bool,
) -> Option<Head> {
    let b0 = prefix.brackets.first()?;
    let tag = context.get(b0);
    if !tag.bytes().all(|c| c.is_ascii_uppercase()) {
        return None;
    }
    let level = head::level(tag)?;
    let mut h = Head::new(head::trim(context.text, prefix.rest..view.end));
    h.level = Some(level);
    h.ts = context.ts(prefix);
    let has_ts = matches!(prefix.ts, Some((_, TsKind::Iso | TsKind::Redacted)));
    h.score = match (timestamped, has_ts) {
        (true, true) | (false, false) => 2,
        _ => 1,
    };
    if prefix.brackets.len() > 1 {
        h.score = h.score.min(1);
    }
    let msg = context.get(&(prefix.rest..view.end));
    if msg.starts_with("MCP server ") {
        h.score += 1;
    }
    if let Some(r) = head::server_in_msg(msg) {
        h.set(
            SERVER,
            Value::Text(prefix.rest + r.start as u32..prefix.rest + r.end as u32),
        );
    }
    if msg.contains("Server stderr:") {
        h.open = Open::Stderr;
    }
    Some(h)
}
