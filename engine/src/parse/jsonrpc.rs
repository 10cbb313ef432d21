//! MCP JSON-RPC traffic: raw newline-delimited messages (`jsonrpc` format) and
//! the `{json}` payloads other formats embed (`Message from client: {...}`).
//!
//! Adds `method`, `id`, `error.code`, `error.message` and `direction`. It never
//! guesses a direction it cannot support: `Message from client/server`, `-->`
//! and `<--` say it; otherwise a response is the server's and a request the
//! client's, and a notification has none.
//!
//! As a format, `jsonrpc` is a trace of bare messages (one per line, or after
//! an inspector/proxy's `-->` / `<--` / `Message from ...:`). A message after an
//! editor's log prefix (`YYYY-MM-DD HH:MM:SS.mmm [level]`: VS Code's
//! `[debug] [editor -> server] {json}`) is still read, for the formats that fall back
//! to this parser, but scores low: it never makes detection pick `jsonrpc`
//! over the client whose prefix it is.

use std::borrow::Cow;

use crate::event::{field, Value};

use super::format::{FallbackReading, FormatSpec};
use super::head::{self, Head, ParseContext};
use super::lex::{Prefix, TsKind, View};

/// `jsonrpc`: bare JSON-RPC messages; also the first fallback of every other format.
pub const SPEC: FormatSpec = FormatSpec {
    split_glued_records: false,
    fallback: Some(FallbackReading {
        rank: 0,
        min_score: 0,
    }),
    ..FormatSpec::lines("jsonrpc", head)
};

/// Fields of a JSON-RPC message `json`, with `direction` when given.
///
/// The message is read in one pass that keeps only the members it reports
/// (`result`, `params` and everything else are skipped without being built):
/// tool results can be tens of KiB, and dense client logs hold one per line.
pub fn fields(
    json: &str,
    direction: Option<&'static str>,
) -> Option<Vec<(Cow<'static, str>, Value)>> {
    let msg: Message = serde_json::from_str(json.trim_end_matches([',', ' '])).ok()?;
    if !(msg.jsonrpc
        || msg.method.is_some()
        || (msg.id.is_some() && (msg.result || msg.error.is_some())))
    {
        return None;
    }
    let mut out: Vec<(Cow<'static, str>, Value)> = Vec::new();
    let method = msg.method.as_ref().and_then(|m| m.as_str());
    if let Some(m) = method {
        out.push((field::METHOD.into(), Value::Owned(m.into())));
    }
    match &msg.id {
        Some(serde_json::Value::Number(n)) => match n.as_i64() {
            Some(i) => out.push((field::ID.into(), Value::Int(i))),
            None => out.push((field::ID.into(), Value::Owned(n.to_string().into()))),
        },
        Some(serde_json::Value::String(s)) => {
            out.push((field::ID.into(), Value::Owned(s.as_str().into())))
        }
        _ => {}
    }
    if let Some(err) = msg.error.as_ref().and_then(|e| e.as_object()) {
        if let Some(c) = err.get("code").and_then(|c| c.as_i64()) {
            out.push((field::ERROR_CODE.into(), Value::Int(c)));
        }
        if let Some(m) = err.get("message").and_then(|m| m.as_str()) {
            out.push((field::ERROR_MESSAGE.into(), Value::Owned(m.into())));
        }
    }
    let guessed = match (method, msg.result || msg.error.is_some()) {
        (_, true) => Some("server"),
        (Some(_), false) if msg.id.is_some() => Some("client"),
        _ => None,
    };
    if let Some(d) = direction.or(guessed) {
        out.push((field::DIRECTION.into(), Value::Owned(d.into())));
    }
    Some(out)
}

/// The members of a JSON-RPC message [`fields`] reads: which keys are present,
/// and the (small) values of `method`, `id` and `error`. A repeated key keeps
/// its last value, as a JSON object read whole would.
#[derive(Default)]
struct Message {
    jsonrpc: bool,
    method: Option<serde_json::Value>,
    id: Option<serde_json::Value>,
    result: bool,
    error: Option<serde_json::Value>,
}

/// A member name of [`Message`], read without allocating.
enum Key {
    Jsonrpc,
    Method,
    Id,
    Result,
    Error,
    Other,
}

impl<'de> serde::Deserialize<'de> for Key {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Key, D::Error> {
        struct Name;
        impl serde::de::Visitor<'_> for Name {
            type Value = Key;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a member name")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Key, E> {
                Ok(match v {
                    "jsonrpc" => Key::Jsonrpc,
                    "method" => Key::Method,
                    "id" => Key::Id,
                    "result" => Key::Result,
                    "error" => Key::Error,
                    _ => Key::Other,
                })
            }
        }
        d.deserialize_identifier(Name)
    }
}

impl<'de> serde::Deserialize<'de> for Message {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Message, D::Error> {
        struct Members;
        impl<'de> serde::de::Visitor<'de> for Members {
            type Value = Message;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON-RPC message object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Message, A::Error> {
                use serde::de::IgnoredAny;
                let mut m = Message::default();
                while let Some(key) = map.next_key::<Key>()? {
                    match key {
                        Key::Method => m.method = Some(map.next_value()?),
                        Key::Id => m.id = Some(map.next_value()?),
                        Key::Error => m.error = Some(map.next_value()?),
                        Key::Jsonrpc | Key::Result | Key::Other => {
                            map.next_value::<IgnoredAny>()?;
                            match key {
                                Key::Jsonrpc => m.jsonrpc = true,
                                Key::Result => m.result = true,
                                _ => {}
                            }
                        }
                    }
                }
                Ok(m)
            }
        }
        d.deserialize_map(Members)
    }
}

/// `Message from client: {...}` / `Message from server: {...}` at the start of `msg`
/// (relative offsets): the direction and where the JSON starts.
pub fn message_from(msg: &str) -> Option<(&'static str, usize)> {
    // One pass for the common prefix (payloads can be tens of KiB), then the
    // first `client` lead, else the first `server` one, as two searches would.
    let mut first: [Option<usize>; 2] = [None, None];
    for i in memchr::memmem::find_iter(msg.as_bytes(), b"Message from ") {
        let rest = &msg.as_bytes()[i + 13..];
        for (k, word) in [b"client: ", b"server: "].iter().enumerate() {
            if first[k].is_none() && rest.starts_with(*word) {
                first[k] = Some(i + 13 + word.len());
            }
        }
        if first.iter().all(Option::is_some) {
            break;
        }
    }
    for (at, dir) in [(first[0], "client"), (first[1], "server")] {
        if let Some(at) = at {
            if msg[at..].starts_with('{') {
                return Some((dir, at));
            }
        }
    }
    None
}

/// A raw JSON-RPC line (optionally after `-->` / `<--`, or a bare `Message from ...:`).
pub fn head(context: &ParseContext<'_>, view: &View, prefix: &Prefix) -> Option<Head> {
    let content = context.get(&(prefix.rest..view.end));
    let (dir, json_at) = if let Some(r) = content.strip_prefix("--> ") {
        (Some("client"), content.len() - r.len())
    } else if let Some(r) = content.strip_prefix("<-- ") {
        (Some("server"), content.len() - r.len())
    } else if let Some((d, at)) = message_from(content) {
        (Some(d), at)
    } else {
        (None, 0)
    };
    let json = content.get(json_at..)?;
    if !json.starts_with('{') || !json.contains("\"jsonrpc\"") && !json.contains("\"method\"") {
        return None;
    }
    let mut h = Head::new(prefix.rest..view.end);
    h.ts = context.ts(prefix);
    h.fields = fields(json, dir)?;
    h.score = if client_prefix(context, prefix) { 1 } else { 3 };
    Some(h)
}

/// The line starts with an editor's log prefix (VS Code and its forks, Cursor): a
/// `YYYY-MM-DD HH:MM:SS.mmm` timestamp (or a redacted one), then a `[level]`.
fn client_prefix(context: &ParseContext<'_>, prefix: &Prefix) -> bool {
    matches!(prefix.ts, Some((_, TsKind::Space | TsKind::Redacted)))
        && prefix
            .brackets
            .first()
            .is_some_and(|b| head::level(context.get(b)).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get<'a>(f: &'a [(Cow<'static, str>, Value)], n: &str) -> Option<&'a Value> {
        f.iter().find(|(k, _)| k == n).map(|(_, v)| v)
    }

    /// The one-pass reader against reading the object whole (`serde_json::Value`).
    fn whole(json: &str) -> Option<Vec<(String, String)>> {
        let v: serde_json::Value = serde_json::from_str(json).ok()?;
        let o = v.as_object()?;
        let mut out = Vec::new();
        if let Some(m) = o.get("method").and_then(|m| m.as_str()) {
            out.push(("method".to_string(), m.to_string()));
        }
        if let Some(i) = o.get("id").filter(|i| i.is_number() || i.is_string()) {
            out.push((
                "id".to_string(),
                i.as_str().map_or(i.to_string(), str::to_string),
            ));
        }
        Some(out)
    }

    fn pairs(f: &[(Cow<'static, str>, Value)]) -> Vec<(String, String)> {
        f.iter()
            .filter(|(k, _)| k == "method" || k == "id")
            .map(|(k, v)| {
                let v = match v {
                    Value::Int(i) => i.to_string(),
                    Value::Owned(s) => s.to_string(),
                    _ => String::new(),
                };
                (k.to_string(), v)
            })
            .collect()
    }

    #[test]
    fn members_read_in_one_pass_as_a_whole_read_would() {
        let big = r#"x\\\"y\n"#.repeat(10_000);
        for json in [
            format!(r#"{{"jsonrpc":"2.0","id":7,"result":{{"content":[{{"type":"text","text":"{big}"}}],"isError":false}}}}"#),
            r#"{"id":"a1","method":"tools/call","params":{"name":"x","arguments":{"id":9,"method":"no"}}}"#.to_string(),
            // A repeated key keeps its last value; escaped key names are read.
            r#"{"jsonrpc":"2.0","method":"a","method":"b","\u0069d":4}"#.to_string(),
            r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#.to_string(),
        ] {
            let f = fields(&json, None).expect("a message");
            assert_eq!(pairs(&f), whole(&json).unwrap(), "{json:.80}");
        }
        // Not an object, not JSON-RPC, or not JSON at all: nothing.
        for json in [
            r#"[{"jsonrpc":"2.0"}]"#,
            r#"{"a":1}"#,
            r#"{"jsonrpc":"2.0","#,
            "null",
        ] {
            assert!(fields(json, None).is_none(), "{json}");
        }
    }

    #[test]
    fn request_and_error_response() {
        let f = fields(
            r#"{"method":"initialize","params":{},"jsonrpc":"2.0","id":0}"#,
            None,
        )
        .unwrap();
        assert_eq!(get(&f, "method"), Some(&Value::Owned("initialize".into())));
        assert_eq!(get(&f, "id"), Some(&Value::Int(0)));
        assert_eq!(get(&f, "direction"), Some(&Value::Owned("client".into())));
        let f = fields(
            r#"{"jsonrpc":"2.0","id":3,"error":{"code":-32601,"message":"Method not found"}}"#,
            None,
        )
        .unwrap();
        assert_eq!(get(&f, "error.code"), Some(&Value::Int(-32601)));
        assert_eq!(
            get(&f, "error.message"),
            Some(&Value::Owned("Method not found".into()))
        );
        assert_eq!(get(&f, "direction"), Some(&Value::Owned("server".into())));
    }

    /// The detection score of `line` read as a `jsonrpc` line.
    fn score(line: &str) -> Option<u8> {
        let tz = jiff::tz::TimeZone::UTC;
        let context = ParseContext {
            text: line,
            tz: &tz,
        };
        let l = crate::frame::lines(line).next()?;
        let v = View::new(line, l, false);
        let p = super::super::lex::prefix(line, &v);
        head(&context, &v, &p).map(|h| h.score)
    }

    #[test]
    fn an_editor_prefix_scores_low() {
        let json = r#"{"jsonrpc":"2.0","id":1,"method":"initialize"}"#;
        assert_eq!(score(json), Some(3));
        assert_eq!(score(&format!("--> {json}")), Some(3));
        assert_eq!(score(&format!("2025-06-03T07:23:52.664Z {json}")), Some(3));
        for prefix in [
            "2025-06-03 07:23:52.664 [debug] [editor -> server]",
            "2025-06-03 07:23:52.664 [trace]",
            "XXXX-XX-XX XX:XX:XX.XXX [debug]",
        ] {
            assert_eq!(score(&format!("{prefix} {json}")), Some(1), "{prefix}");
        }
    }

    #[test]
    fn not_jsonrpc() {
        assert_eq!(fields(r#"{"a":1}"#, None), None);
        assert_eq!(fields("{broken", None), None);
        assert_eq!(
            message_from("Message from server: {\"id\":1}"),
            Some(("server", 21))
        );
    }

    #[test]
    fn the_first_client_lead_wins_else_the_first_server_one() {
        let m = "Message from server: {} Message from client: {}";
        assert_eq!(message_from(m), Some(("client", 45)));
        // A client lead without a payload after it falls back to the server's.
        let m = "Message from client: x Message from server: {}";
        assert_eq!(message_from(m), Some(("server", 44)));
        assert_eq!(message_from("Message from client: x"), None);
        assert_eq!(message_from("Message from somewhere: {}"), None);
    }
}
