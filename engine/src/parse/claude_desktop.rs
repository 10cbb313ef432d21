//! Claude Desktop logs: `mcp.log` (`ts [level] [server] msg`) and
//! `mcp-server-<name>.log` (`ts [server] [level] msg`).
//!
//! Both prefix orders are read by both formats (the order only scores
//! detection). Newer logs end lines in `{ metadata: undefined }` or open a
//! multi-line Node `util.inspect` object; the tail becomes the `metadata` field,
//! never part of `msg`. `Message from client/server: {json}` adds JSON-RPC
//! fields; `Using MCP server command: X with args and path:` adds `command`
//! (and `args`). Unprefixed lines between entries are the server's stderr;
//! the driver makes those, this module only reads prefixed lines.

use crate::event::{field, Value};

use super::format::{FileNameHint, FormatSpec, NameHint};
use super::head::{self, Head, ParseContext, SERVER};
use super::jsonrpc;
use super::lex::{Prefix, TsKind, View};

/// `claude-desktop-server`: `mcp-server-<name>.log`, every record of server `<name>`.
pub const SERVER_SPEC: FormatSpec = FormatSpec {
    file_name_hint: Some(FileNameHint {
        rank: 20,
        matches: |name| {
            let server = name
                .base
                .strip_prefix("mcp-server-")?
                .strip_suffix(".log")?;
            Some(NameHint {
                implied_server: (!server.is_empty()).then(|| server.to_string()),
            })
        },
    }),
    stderr_between_entries: true,
    client_log: true,
    ..FormatSpec::lines("claude-desktop-server", read_server_log_head)
};

/// `claude-desktop-main`: `mcp.log` and its rotations (`mcp1.log`, `mcp.1.log`).
pub const MAIN_SPEC: FormatSpec = FormatSpec {
    file_name_hint: Some(FileNameHint {
        rank: 21,
        matches: |name| is_main_log_name(&name.base).then_some(NameHint::default()),
    }),
    stderr_between_entries: true,
    client_log: true,
    ..FormatSpec::lines("claude-desktop-main", read_main_log_head)
};

fn read_server_log_head(context: &ParseContext<'_>, view: &View, prefix: &Prefix) -> Option<Head> {
    head(context, view, prefix, true)
}

fn read_main_log_head(context: &ParseContext<'_>, view: &View, prefix: &Prefix) -> Option<Head> {
    head(context, view, prefix, false)
}

/// `mcp.log`, or `mcp` and digits and dots before `.log`.
fn is_main_log_name(base: &str) -> bool {
    base == "mcp.log"
        || (base.starts_with("mcp")
            && base.ends_with(".log")
            && base[3..base.len() - 4]
                .bytes()
                .all(|byte| byte.is_ascii_digit() || byte == b'.'))
}

/// `server_first`: the per-server log's order is the expected one.
pub fn head(
    context: &ParseContext<'_>,
    view: &View,
    prefix: &Prefix,
    server_first: bool,
) -> Option<Head> {
    let (level, server, in_order) = match prefix.brackets.as_slice() {
        [a, b, ..] => {
            let (la, lb) = (lower_level(context, a), lower_level(context, b));
            match (la, lb) {
                (Some(l), None) => (Some(l), Some(b.clone()), !server_first),
                (None, Some(l)) => (Some(l), Some(a.clone()), server_first),
                (Some(l), Some(_)) if !server_first => (Some(l), Some(b.clone()), true),
                (Some(_), Some(l)) => (Some(l), Some(a.clone()), true),
                (None, None) => return None,
            }
        }
        [a] => (Some(lower_level(context, a)?), None, false),
        [] => return None,
    };
    let ts_kind = prefix.ts.as_ref().map(|(_, k)| *k);
    if matches!(ts_kind, Some(TsKind::Space | TsKind::Bracketed)) {
        return None;
    }
    if ts_kind.is_none()
        && server
            .as_ref()
            .is_some_and(|s| looks_like_time(context.get(s)))
    {
        return None;
    }
    let mut h = Head::new(prefix.rest..view.end);
    h.ts = context.ts(prefix);
    h.level = level;
    h.score = match (in_order, ts_kind.is_some(), server.is_some()) {
        (true, true, true) => 3,
        (true, false, true) => 2,
        _ => 1,
    };
    if let Some(s) = server {
        h.set(SERVER, Value::Text(s));
    }
    head::take_tail(context, &mut h);
    let body = context.get(&h.msg_range().unwrap_or(0..0));
    let msg_start = h.msg_range().map_or(prefix.rest, |r| r.start);
    if let Some((dir, at)) = jsonrpc::message_from(body) {
        if let Some(f) = jsonrpc::fields(&body[at..], Some(dir)) {
            h.fields.extend(f);
        }
    }
    if let Some(rest) = body.strip_prefix("Using MCP server command: ") {
        let cmd_at = body.len() - rest.len();
        let cmd_len = rest.find(" with args").unwrap_or(rest.len());
        let c = msg_start + cmd_at as u32;
        h.set(field::COMMAND, Value::Text(c..c + cmd_len as u32));
        let meta = h
            .fields
            .iter()
            .find(|(n, _)| n == "metadata")
            .map(|(_, view)| view.clone());
        if let Some(Value::Text(m)) = meta {
            if let Some(a) = args_in(context.text, m) {
                h.set(field::ARGS, Value::Text(a));
            }
        }
    }
    Some(h)
}

/// `Sun Dec 04 04:47:44 2005`: a bracketed time (Apache), not a server name.
fn looks_like_time(s: &str) -> bool {
    let b = s.as_bytes();
    b.windows(3)
        .any(|w| w[0].is_ascii_digit() && w[1] == b':' && w[2].is_ascii_digit())
}

fn lower_level(
    context: &ParseContext<'_>,
    r: &std::ops::Range<u32>,
) -> Option<crate::event::Level> {
    let s = context.get(r);
    if s.bytes().any(|c| c.is_ascii_uppercase()) {
        return None;
    }
    head::level(s)
}

/// `args: [ ... ]` inside an entry's metadata object (absolute range of the list).
pub fn args_in(text: &str, meta: std::ops::Range<u32>) -> Option<std::ops::Range<u32>> {
    let m = text.get(meta.start as usize..meta.end as usize)?;
    let i = m.find("args: [")? + "args: ".len();
    let mut depth = 0;
    for (j, c) in m[i..].char_indices() {
        match c {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(meta.start + i as u32..meta.start + (i + j + 1) as u32);
                }
            }
            _ => {}
        }
    }
    None
}
