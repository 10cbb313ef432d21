//! Claude Code's per-server JSON logs (`mcp-logs-<server>/*.txt`): a
//! pretty-printed array of `{"debug"|"error": msg, "timestamp", "sessionId",
//! "cwd"}` objects, and the fragments users paste from them (no `[`, trailing
//! `},`, a lone property line).
//!
//! An object is one record (the driver folds its lines by brace depth); a lone
//! property line is a record of its own. The level is the message's key. This
//! module never fails on broken JSON: it reads what property lines it can.

use std::borrow::Cow;
use std::ops::Range;

use crate::event::{Level, Value};

use super::format::{FileNameHint, FormatSpec, NameHint};
use super::head::{Head, Open, ParseContext};
use super::lex::{Prefix, View};
use super::time;

/// `claude-code-json`: `mcp-logs-<server>/<time>.txt`; the server is the
/// folder's name suffix (a file merely named `mcp-logs-x.txt` names none).
/// One JSON document over many lines: never streamed in pieces.
pub const SPEC: FormatSpec = FormatSpec {
    file_name_hint: Some(FileNameHint {
        rank: 22,
        matches: |name| {
            let at = name.path.find("mcp-logs-")?;
            let rest = &name.path[at + "mcp-logs-".len()..];
            let server = rest.split_once('/').map_or("", |(folder, _)| folder);
            Some(NameHint {
                implied_server: (!server.is_empty()).then(|| server.to_string()),
            })
        },
    }),
    streamed_in_pieces: false,
    split_glued_records: false,
    finish_multi_line_record: Some(finish),
    client_log: true,
    ..FormatSpec::lines("claude-code-json", head)
};

pub fn head(context: &ParseContext<'_>, view: &View, prefix: &Prefix) -> Option<Head> {
    if prefix.ts.is_some() || !prefix.brackets.is_empty() {
        // `[` alone is lexed as no bracket (unclosed), so `[{` still arrives here.
        return None;
    }
    let content = context.get(&(view.start..view.end));
    let opener = content.trim_start_matches(['[', ' ']);
    if opener == "{" {
        let mut h = Head::new(view.start..view.end);
        h.open = Open::Braces {
            depth: 1,
            meta: None,
        };
        h.extend = false;
        h.score = 2;
        return Some(h);
    }
    if opener.starts_with('{') && opener.trim_end_matches([',', ']', ' ']).ends_with('}') {
        let obj_at = view.start + (content.len() - opener.len()) as u32;
        let mut h = Head::new(view.start..view.end);
        h.extend = false;
        h.score = 0;
        let json = opener.trim_end_matches([',', ']', ' ']);
        if let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(json)
        {
            let mut any = false;
            for (k, val) in &map {
                any |= apply(context, &mut h, k, Prop::Json(val), obj_at..view.end);
            }
            if any {
                h.score = 2;
                return Some(h);
            }
        }
        return None;
    }
    let (key, val) = property(content)?;
    let mut h = Head::new(view.start..view.end);
    h.extend = false;
    let known = apply(
        context,
        &mut h,
        key,
        Prop::Raw(val, view.start + offset_in(content, val)),
        view.start..view.end,
    );
    h.score = if known { 2 } else { 0 };
    known.then_some(h)
}

/// Re-reads a folded object record: `lines` are its physical lines' views.
pub fn finish(context: &ParseContext<'_>, h: &mut Head, lines: &[View]) {
    for v in lines {
        let content = context.get(&(v.start..v.end));
        if let Some((key, val)) = property(content) {
            apply(
                context,
                h,
                key,
                Prop::Raw(val, v.start + offset_in(content, val)),
                v.start..v.end,
            );
        }
    }
}

enum Prop<'a> {
    /// Raw JSON value text and its absolute start.
    Raw(&'a str, u32),
    Json(&'a serde_json::Value),
}

/// Applies one property; true when the key is one this format knows.
fn apply(
    context: &ParseContext<'_>,
    h: &mut Head,
    key: &str,
    val: Prop<'_>,
    _line: Range<u32>,
) -> bool {
    let text_of = |val: &Prop<'_>| -> Option<Value> {
        match val {
            Prop::Raw(raw, at) => string_value(raw, *at),
            Prop::Json(serde_json::Value::String(s)) => Some(Value::Owned(s.as_str().into())),
            Prop::Json(_) => None,
        }
    };
    match key {
        "debug" | "error" | "info" | "warn" | "warning" => {
            if let Some(v) = text_of(&val) {
                h.msg = v;
                h.level = Level::parse(key);
            }
            true
        }
        "timestamp" => {
            if let Some(v) = text_of(&val) {
                let s: Cow<'_, str> = match &v {
                    Value::Text(r) => Cow::Borrowed(context.get(r)),
                    Value::Owned(s) => Cow::Owned(s.to_string()),
                    Value::Int(_) => Cow::Borrowed(""),
                };
                h.ts = time::read(&s, context.tz);
            }
            true
        }
        "sessionId" | "cwd" => {
            if let Some(v) = text_of(&val) {
                h.set(if key == "cwd" { "cwd" } else { "session" }, v);
            }
            true
        }
        _ => false,
    }
}

/// `"key": value` with an optional trailing comma.
fn property(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix('"')?;
    let end = rest.find('"')?;
    let key = &rest[..end];
    let after = rest[end + 1..].trim_start().strip_prefix(':')?.trim_start();
    let val = after.strip_suffix(',').unwrap_or(after).trim_end();
    Some((key, val))
}

fn offset_in(outer: &str, inner: &str) -> u32 {
    (inner.as_ptr() as usize).saturating_sub(outer.as_ptr() as usize) as u32
}

/// A JSON string literal at absolute offset `at`: a range inside the quotes
/// when it has no escapes, else the unescaped text. Truncated strings (a
/// paste cut mid-value) keep what is there.
fn string_value(raw: &str, at: u32) -> Option<Value> {
    let inner = raw.strip_prefix('"')?;
    match inner.strip_suffix('"') {
        Some(body) if !body.contains('\\') => Some(Value::Text(at + 1..at + 1 + body.len() as u32)),
        Some(_) => match serde_json::from_str::<String>(raw) {
            Ok(s) => Some(Value::Owned(s.into())),
            Err(_) => Some(Value::Text(at + 1..at + raw.len() as u32 - 1)),
        },
        None => Some(Value::Text(at + 1..at + raw.len() as u32)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn properties() {
        assert_eq!(property(r#""error": "x y","#), Some(("error", r#""x y""#)));
        assert_eq!(property(r#""a" : 1"#), Some(("a", "1")));
        assert_eq!(property("{"), None);
        assert_eq!(
            string_value(r#""a\nb""#, 0),
            Some(Value::Owned("a\nb".into()))
        );
        assert_eq!(string_value(r#""ab""#, 10), Some(Value::Text(11..13)));
    }
}
