//! MCP JSON-RPC traffic: raw newline-delimited messages (`jsonrpc` format) and
//! the `{json}` payloads other formats embed (`Message from client: {...}`).
//!
//! Adds `method`, `id`, `error.code`, `error.message` and `direction`. It never
//! guesses a direction it cannot support: `Message from client/server`, `-->`
//! and `<--` say it; otherwise a response is the server's and a request the
//! client's, and a notification has none.

use std::borrow::Cow;

use crate::event::{field, Value};

use super::head::{Cx, Head};
use super::lex::{Prefix, View};

/// Fields of a JSON-RPC message `json`, with `direction` when given.
pub fn fields(
    json: &str,
    direction: Option<&'static str>,
) -> Option<Vec<(Cow<'static, str>, Value)>> {
    let v: serde_json::Value = serde_json::from_str(json.trim_end_matches([',', ' '])).ok()?;
    let obj = v.as_object()?;
    if !(obj.contains_key("jsonrpc")
        || obj.contains_key("method")
        || (obj.contains_key("id") && (obj.contains_key("result") || obj.contains_key("error"))))
    {
        return None;
    }
    let mut out: Vec<(Cow<'static, str>, Value)> = Vec::new();
    let method = obj.get("method").and_then(|m| m.as_str());
    if let Some(m) = method {
        out.push((field::METHOD.into(), Value::Owned(m.into())));
    }
    match obj.get("id") {
        Some(serde_json::Value::Number(n)) => match n.as_i64() {
            Some(i) => out.push((field::ID.into(), Value::Int(i))),
            None => out.push((field::ID.into(), Value::Owned(n.to_string().into()))),
        },
        Some(serde_json::Value::String(s)) => {
            out.push((field::ID.into(), Value::Owned(s.as_str().into())))
        }
        _ => {}
    }
    if let Some(err) = obj.get("error").and_then(|e| e.as_object()) {
        if let Some(c) = err.get("code").and_then(|c| c.as_i64()) {
            out.push((field::ERROR_CODE.into(), Value::Int(c)));
        }
        if let Some(m) = err.get("message").and_then(|m| m.as_str()) {
            out.push((field::ERROR_MESSAGE.into(), Value::Owned(m.into())));
        }
    }
    let guessed = match (
        method,
        obj.contains_key("result") || obj.contains_key("error"),
    ) {
        (_, true) => Some("server"),
        (Some(_), false) if obj.contains_key("id") => Some("client"),
        _ => None,
    };
    if let Some(d) = direction.or(guessed) {
        out.push((field::DIRECTION.into(), Value::Owned(d.into())));
    }
    Some(out)
}

/// `Message from client: {...}` / `Message from server: {...}` at the start of `msg`
/// (relative offsets): the direction and where the JSON starts.
pub fn message_from(msg: &str) -> Option<(&'static str, usize)> {
    for (lead, dir) in [
        ("Message from client: ", "client"),
        ("Message from server: ", "server"),
    ] {
        if let Some(i) = msg.find(lead) {
            let at = i + lead.len();
            if msg[at..].starts_with('{') {
                return Some((dir, at));
            }
        }
    }
    None
}

/// A raw JSON-RPC line (optionally after `-->` / `<--`, or a bare `Message from ...:`).
pub fn head(cx: &Cx, v: &View, p: &Prefix) -> Option<Head> {
    let content = cx.get(&(p.rest..v.end));
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
    let mut h = Head::new(p.rest..v.end);
    h.ts = cx.ts(p);
    h.fields = fields(json, dir)?;
    h.score = 3;
    Some(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get<'a>(f: &'a [(Cow<'static, str>, Value)], n: &str) -> Option<&'a Value> {
        f.iter().find(|(k, _)| k == n).map(|(_, v)| v)
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

    #[test]
    fn not_jsonrpc() {
        assert_eq!(fields(r#"{"a":1}"#, None), None);
        assert_eq!(fields("{broken", None), None);
        assert_eq!(
            message_from("Message from server: {\"id\":1}"),
            Some(("server", 21))
        );
    }
}
