//! Claude Code's human-facing output: `claude mcp list` health lines
//! (`name: command - ✓ Connected`), `claude mcp get` blocks, the `/mcp` panel
//! (`name · ✗ failed`), `/doctor` diagnostics (`└ [Warning] [server] ...`) and
//! TUI tool-result blocks (`⎿  Error: ...` under `server - tool (MCP)(...)`);
//! `where.exe claude` / `which claude` / `claude config get` output is read by
//! [`super::claude_code_shell`].
//!
//! Lines it does not know fall back to the generic parser; this module never
//! claims a line by indentation alone.

use crate::event::{field, Level, Value};

use super::claude_code_shell;
use super::format::{FallbackReading, FormatSpec};
use super::head::{self, Head, ParseContext, SERVER};
use super::lex::{self, Prefix, View};

/// `claude-code-cli`: `claude mcp list|get`, `/mcp`, `/doctor` output (its
/// records span the output: never streamed in pieces). It also reads the
/// unmistakable (score 3) lines of other sources.
pub const SPEC: FormatSpec = FormatSpec {
    streamed_in_pieces: false,
    fallback: Some(FallbackReading {
        rank: 1,
        min_score: 3,
    }),
    config_entry_file: Some("claude mcp"),
    ..FormatSpec::lines("claude-code-cli", head)
};

/// Status marks after ` - ` (`claude mcp list`) or ` · ` (`/mcp` panel), with the level they imply.
const STATUS: [(&str, &str, Option<Level>); 12] = [
    (" - ", " - ✓", None),
    (" - ", " - ✗", Some(Level::Error)),
    (" - ", " - ⏸", None),
    (" - ", " - ⚠", Some(Level::Warn)),
    (" - ", " - ◯", None),
    (" - ", " - !", Some(Level::Warn)),
    (" · ", " · ✓", None),
    (" · ", " · ✗", Some(Level::Error)),
    (" · ", " · ⏸", None),
    (" · ", " · ⚠", Some(Level::Warn)),
    (" · ", " · ◯", None),
    (" · ", " · !", Some(Level::Warn)),
];

pub fn head(context: &ParseContext<'_>, view: &View, prefix: &Prefix) -> Option<Head> {
    if prefix.ts.is_some() {
        return None;
    }
    let start = view.start;
    let content = context.get(&(start..view.end));
    // Curly quotes around a pasted line.
    let (lead, body) = match content.strip_prefix('“') {
        Some(b) => ("“".len(), b.strip_suffix('”').unwrap_or(b)),
        None => (0, content),
    };
    let at = |rel: usize| start + (lead + rel) as u32;
    if let Some(h) = doctor(context, view, body, lead) {
        return Some(h);
    }
    if let Some(rest) = body.strip_prefix('⎿') {
        let off = body.len() - rest.trim_start().len();
        let msg = &body[off..];
        let mut h = Head::new(at(off)..at(body.len()));
        h.score = 3;
        if msg.starts_with("Error") {
            h.level = Some(Level::Error);
        }
        return Some(h);
    }
    if body.contains(" - ") || body.contains(" · ") {
        for (sep, needle, level) in STATUS {
            let Some(i) = body.rfind(needle) else {
                continue;
            };
            let left = &body[..i];
            let (name, cmd) = match (sep, left.find(": ")) {
                (" - ", Some(c)) => (&left[..c], Some((c + 2, i))),
                (" · ", _) => (left, None),
                _ => continue,
            };
            if name.is_empty() || name.contains(' ') {
                continue;
            }
            let mut h = Head::new(at(0)..at(body.len()));
            h.score = 3;
            h.level = level;
            h.set(SERVER, Value::Text(at(0)..at(name.len())));
            if let Some((a, b)) = cmd {
                h.set(field::COMMAND, Value::Text(at(a)..at(b)));
            }
            return Some(h);
        }
    }
    // `server - tool (MCP)(args)` tool-call header, possibly after a bullet.
    let call = body.trim_start_matches(['●', '⏺', ' ']);
    if let Some(i) = call.find(" - ") {
        let name = &call[..i];
        if call.contains(" (MCP)") && !name.is_empty() && !name.contains(' ') {
            let n0 = body.len() - call.len();
            let r = at(n0)..at(n0 + name.len());
            let mut h = Head::new(at(0)..at(body.len()));
            h.score = 3;
            h.set(SERVER, Value::Text(r.clone()));
            h.carry = Some(Value::Text(r));
            return Some(h);
        }
    }
    // `claude mcp get <name>` block.
    if let Some(name) = body.strip_suffix(':') {
        let ident = name.bytes().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.' | b':' | b'@' | b'/')
        });
        if view.indent == 0 && !name.is_empty() && ident {
            let mut h = Head::new(at(0)..at(body.len()));
            h.score = 0;
            h.set(SERVER, Value::Text(at(0)..at(name.len())));
            h.carry = Some(Value::Text(at(0)..at(name.len())));
            return Some(h);
        }
    }
    for (key, name) in [
        ("Command: ", field::COMMAND),
        ("Args: ", field::ARGS),
        ("URL: ", "url"),
        ("Scope: ", "scope"),
        ("Status: ", "status"),
        ("Type: ", "type"),
    ] {
        if let Some(rest) = body.strip_prefix(key) {
            let mut h = Head::new(at(0)..at(body.len()));
            h.score = match name {
                "status" if rest.contains(['✓', '✗', '⏸']) => 3,
                "type" | "status" | "url" => 1,
                _ => 2,
            };
            h.set(name, Value::Text(at(key.len())..at(key.len() + rest.len())));
            if rest.contains('✗') {
                h.level = Some(Level::Error);
            }
            return Some(h);
        }
    }
    const BANNERS: [&str; 4] = [
        "MCP Config Diagnostics",
        "No MCP servers configured",
        "Checking MCP server health",
        "Manage MCP servers",
    ];
    if BANNERS.iter().any(|b| body.starts_with(b)) {
        let mut h = Head::new(at(0)..at(body.len()));
        h.score = 3;
        return Some(h);
    }
    claude_code_shell::head(context, view, body, at(0))
}

/// `└ [Warning] [context7] mcpServers.context7: ...`
fn doctor(context: &ParseContext<'_>, view: &View, body: &str, lead: usize) -> Option<Head> {
    let rest = body.strip_prefix('└')?;
    let off = lead + body.len() - rest.trim_start().len();
    let sub = View {
        start: view.start + off as u32,
        ..*view
    };
    let p = lex::prefix(context.text, &sub);
    let level = head::level(context.get(p.brackets.first()?))?;
    let mut h = Head::new(p.rest..view.end);
    h.level = Some(level);
    h.score = 3;
    if let Some(s) = p.brackets.get(1) {
        h.set(SERVER, Value::Text(s.clone()));
    }
    Some(h)
}
