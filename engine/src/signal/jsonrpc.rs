//! Signal family `stdout_not_jsonrpc`: the client read something on the
//! server's stdout that is not a JSON-RPC message.
//!
//! Each client reads stdout line by line and parses each line:
//! - Node clients (TypeScript SDK `src/shared/stdio.ts`: `JSON.parse(line)`,
//!   then `JSONRPCMessageSchema.parse`) print V8's `JSON.parse` errors (V8
//!   `src/common/message-template.h`): `Unexpected token 'S', "Starting s"...
//!   is not valid JSON` (Node 20+, four context forms and `"x" is not valid
//!   JSON`), `Unexpected token S in JSON at position 0` (older V8),
//!   `Unexpected non-whitespace character after JSON at position 4`,
//!   `Expected ',' or ']' after array element in JSON at position 5 (line 1
//!   column 6)` and the other `... in JSON at position N` templates,
//!   `Unexpected end of JSON input`; a line that is JSON but not JSON-RPC fails
//!   the zod schema (`invalid_union` / `invalid_literal` on `jsonrpc`).
//! - Python SDK (`src/mcp/client/stdio/__init__.py`): `Failed to parse JSONRPC
//!   message from server`, then pydantic's `validation error for
//!   JSONRPCMessage ... [type=json_invalid, input_value='...', ...]`.
//! - VS Code (`mainThreadMcp.ts`): `Failed to parse message: "<line>"`.
//! - npx without `-y`: `Need to install the following packages:` / `Ok to proceed? (y)`.
//!
//! Fields: `how` (unexpected_token, trailing_text, bad_json, end_of_input,
//! parse_failed, invalid_message, not_jsonrpc, npx_prompt), `text` (the
//! offending stdout text when the message quotes it), `token`, `position`.

use std::borrow::Cow;

use crate::event::EventRef;
use crate::signal::text::{abs, find_all_ci, find_ci, word_start};
use crate::signal::transport::{ends_with_ci, leading_digits, line_at, starts_with_ci};
use crate::signal::{Family, Kind, SigValue, Signal};

/// `stdout_not_jsonrpc`: the client read text that is not JSON-RPC on the server's stdout.
pub static STDOUT_NOT_JSONRPC: Family = Family {
    kind: Kind::StdoutNotJsonrpc,
    name: "stdout_not_jsonrpc",
    about: "the client read text that is not JSON-RPC on the server's stdout",
    fields: &["text", "how", "token", "position"],
    literals: &[
        "is not valid json",
        "in json at position",
        "after json at position",
        "unexpected end of json input",
        "failed to parse jsonrpc message",
        "validation error for jsonrpcmessage",
        "failed to parse message:",
        "need to install the following packages",
        "ok to proceed? (y)",
        "invalid_union",
        "invalid_literal",
        "unhandled json from context_server:",
        // Java SDK StdioClientTransport.
        "error processing inbound message for line",
        // Go SDK mcp/transport.go ioConn (encoding/json's decoder) and jsonrpc2.DecodeMessage.
        "looking for beginning of value",
        "invalid trailing data at the end of stream",
        "unmarshaling jsonrpc message",
        "invalid message version tag",
    ],
    narrow: crate::signal::broad,
    read: read_stdout_not_jsonrpc,
};

/// V8's `... in JSON at position N` templates (without the position), and the `how` each means.
const AT_POSITION: &[(&str, &str)] = &[
    ("unexpected number", "unexpected_token"),
    ("unexpected string", "unexpected_token"),
    ("unterminated string", "bad_json"),
    ("expected property name or '}'", "bad_json"),
    ("expected ',' or ']' after array element", "bad_json"),
    ("expected ',' or '}' after property value", "bad_json"),
    ("expected double-quoted property name", "bad_json"),
    ("exponent part is missing a number", "bad_json"),
    ("expected ':' after property name", "bad_json"),
    ("unterminated fractional number", "bad_json"),
    ("bad escaped character", "bad_json"),
    ("bad control character in string literal", "bad_json"),
    ("bad unicode escape", "bad_json"),
    ("no number after minus sign", "bad_json"),
];

fn read_stdout_not_jsonrpc<'a>(ev: &EventRef<'a>, out: &mut Vec<Signal<'a>>) {
    let first = out.len();
    read_all(ev, out);
    // `text` is always set (empty when the message quotes no stdout text), so
    // a rule reading it never falls back to the record's whole text.
    for s in &mut out[first..] {
        if s.get("text").is_none() {
            s.set(
                "text",
                SigValue {
                    text: Cow::Borrowed(""),
                    at: None,
                },
            );
        }
    }
}

fn read_all<'a>(ev: &EventRef<'a>, out: &mut Vec<Signal<'a>>) {
    let t = ev.record_text();
    let base = ev.event.text.start;
    let at_abs = |i: usize| base.saturating_add(u32::try_from(i).unwrap_or(u32::MAX));
    // Node 20+: `Unexpected token 'S', "Starting s"... is not valid JSON`, `"x" is not valid JSON`.
    for at in find_all_ci(t, "is not valid json") {
        let end = at + "is not valid json".len();
        if let Some(s) = quoted_before(t, at, base) {
            out.push(s.finish(Kind::StdoutNotJsonrpc, at_abs, end));
        }
    }
    // Older V8: `Unexpected token S in JSON at position 0`; the other templates.
    for at in find_all_ci(t, "in json at position") {
        let line = line_at(t, at);
        let head = t.get(line.start..at).unwrap_or("").trim_end();
        let (end, pos) = position_after(t, at + "in json at position".len());
        let mut sig = None;
        if let Some(p) = find_ci(head, "unexpected token ", 0) {
            let tok = head[p + "unexpected token ".len()..].trim();
            if !tok.is_empty() && tok.chars().count() <= 2 {
                let tok_at = line.start + p + "unexpected token ".len();
                let tok_at = tok_at
                    + (head[p + "unexpected token ".len()..].len()
                        - head[p + "unexpected token ".len()..].trim_start().len());
                sig = Some(
                    Signal::new(Kind::StdoutNotJsonrpc, abs(base, line.start + p..end))
                        .with("how", "unexpected_token")
                        .with_slice("token", tok, at_abs(tok_at)),
                );
            }
        }
        if sig.is_none() {
            for (phrase, how) in AT_POSITION {
                if ends_with_ci(head, phrase) {
                    let s = line.start + head.len() - phrase.len();
                    sig = Some(
                        Signal::new(Kind::StdoutNotJsonrpc, abs(base, s..end)).with("how", *how),
                    );
                    break;
                }
            }
        }
        if let Some(mut s) = sig {
            if let Some((p, d)) = pos {
                s = s.with_slice("position", d, at_abs(p));
            }
            out.push(s);
        }
    }
    // `Unexpected non-whitespace character after JSON at position 4` (a log
    // line that starts like a number: `2025-...`); pastes wrap it anywhere.
    for at in find_all_ci(t, "after json at position") {
        let head = t.get(..at).unwrap_or("").trim_end();
        if !ends_with_ci(head, "character") {
            continue;
        }
        let mut start = head.len() - "character".len();
        let h2 = head[..start].trim_end();
        if !ends_with_ci(h2, "non-whitespace") {
            continue;
        }
        start = h2.len() - "non-whitespace".len();
        let h3 = h2[..start].trim_end();
        if ends_with_ci(h3, "unexpected") {
            start = h3.len() - "unexpected".len();
        }
        let (end, pos) = position_after(t, at + "after json at position".len());
        let mut s =
            Signal::new(Kind::StdoutNotJsonrpc, abs(base, start..end)).with("how", "trailing_text");
        if let Some((p, d)) = pos {
            s = s.with_slice("position", d, at_abs(p));
        }
        out.push(s);
    }
    for at in find_all_ci(t, "unexpected end of json input") {
        let end = at + "unexpected end of json input".len();
        out.push(
            Signal::new(Kind::StdoutNotJsonrpc, abs(base, at..end)).with("how", "end_of_input"),
        );
    }
    // Python SDK: `Failed to parse JSONRPC message from server` and pydantic's report.
    for (phrase, how) in [
        ("failed to parse jsonrpc message", "parse_failed"),
        ("validation error for jsonrpcmessage", "invalid_message"),
    ] {
        for at in find_all_ci(t, phrase) {
            let line = line_at(t, at);
            let mut start = at;
            if how == "invalid_message" {
                let head = t.get(line.start..at).unwrap_or("").trim_end();
                let d = head.len() - head.trim_end_matches(|c: char| c.is_ascii_digit()).len();
                if d > 0 && head.len() > d {
                    start = line.start + head.len() - d;
                }
            }
            let end = (at + phrase.len()).max(if how == "parse_failed" {
                let rest = t.get(at + phrase.len()..line.end).unwrap_or("");
                if starts_with_ci(rest, " from server") {
                    at + phrase.len() + " from server".len()
                } else {
                    0
                }
            } else {
                0
            });
            let mut s = Signal::new(Kind::StdoutNotJsonrpc, abs(base, start..end)).with("how", how);
            if let Some(v) = input_value(t, end, base) {
                s.set("text", v);
            }
            out.push(s);
        }
    }
    // VS Code: `Failed to parse message: "Config loaded"` (JSON.stringify of the line).
    for at in find_all_ci(t, "failed to parse message:") {
        let q = at + "failed to parse message:".len();
        let rest = t.get(q..).unwrap_or("");
        let lead = rest.len() - rest.trim_start_matches(' ').len();
        let Some(v) = json_string_at(t, q + lead) else {
            continue;
        };
        let end = q + lead + v.1;
        let mut s =
            Signal::new(Kind::StdoutNotJsonrpc, abs(base, at..end)).with("how", "parse_failed");
        s.set("text", v.0);
        out.push(s);
    }
    // Zed crates/context_server/src/client.rs `handle_input`: a stdout line that parses as
    // no request, response or notification (plain text, or JSON that is not JSON-RPC).
    const ZED: &str = "unhandled json from context_server:";
    for at in find_all_ci(t, ZED) {
        let line = line_at(t, at);
        let rest = t.get(at + ZED.len()..line.end).unwrap_or("");
        let text = rest.trim();
        let end = if text.is_empty() {
            at + ZED.len()
        } else {
            at + ZED.len() + (rest.len() - rest.trim_start().len()) + text.len()
        };
        let how = if text.starts_with('{') || text.starts_with('[') {
            "not_jsonrpc"
        } else {
            "parse_failed"
        };
        let mut s = Signal::new(Kind::StdoutNotJsonrpc, abs(base, at..end)).with("how", how);
        if !text.is_empty() {
            s = s.with_slice("text", text, at_abs(end - text.len()));
        }
        out.push(s);
    }
    read_java_and_go(t, base, out);
    // npx without -y asks on stdout.
    for phrase in [
        "need to install the following packages",
        "ok to proceed? (y)",
    ] {
        for at in find_all_ci(t, phrase) {
            if word_start(t, at) {
                let end = at + phrase.len();
                out.push(
                    Signal::new(Kind::StdoutNotJsonrpc, abs(base, at..end))
                        .with("how", "npx_prompt"),
                );
            }
        }
    }
    // zod: a JSON line that is not a JSON-RPC message (`jsonrpc` missing or not "2.0").
    for phrase in ["invalid_union", "invalid_literal"] {
        if let Some(at) = find_ci(t, phrase, 0) {
            if find_ci(t, "jsonrpc", 0).is_some() {
                out.push(
                    Signal::new(Kind::StdoutNotJsonrpc, abs(base, at..at + phrase.len()))
                        .with("how", "not_jsonrpc"),
                );
                break;
            }
        }
    }
}

/// Java SDK and Go SDK stdio clients.
fn read_java_and_go<'a>(t: &'a str, base: u32, out: &mut Vec<Signal<'a>>) {
    let at_abs = |i: usize| base.saturating_add(u32::try_from(i).unwrap_or(u32::MAX));
    // Java SDK client/transport/StdioClientTransport.java: `logger.error("Error processing
    // inbound message for line: {}", line, e)` (then Jackson's exception).
    const JAVA: &str = "error processing inbound message for line";
    for at in find_all_ci(t, JAVA) {
        if !word_start(t, at) {
            continue;
        }
        let line = line_at(t, at);
        let mut end = at + JAVA.len();
        let mut s = Signal::new(Kind::StdoutNotJsonrpc, 0..0).with("how", "parse_failed");
        if let Some(rest) = t.get(end..line.end).and_then(|r| r.strip_prefix(':')) {
            let text = rest.trim();
            if !text.is_empty() {
                let text_at = end + 1 + (rest.len() - rest.trim_start().len());
                end = text_at + text.len();
                s = s.with_slice("text", text, at_abs(text_at));
            }
        }
        s.at = abs(base, at..end);
        out.push(s);
    }
    // Go SDK: the stdio reader decodes stdout with encoding/json's Decoder, whose error ends
    // the connection and every pending call: `connection closed: calling "initialize":
    // client is closing: invalid character 'S' looking for beginning of value`. Every Go
    // program that reads JSON can say this, so the line must show an MCP call or name MCP.
    const GO: &str = "looking for beginning of value";
    for at in find_all_ci(t, GO) {
        let line = line_at(t, at);
        let whole = t.get(line.clone()).unwrap_or("");
        if !is_go_mcp_line(whole) {
            continue;
        }
        let head = t.get(line.start..at).unwrap_or("");
        // `invalid character 'S' ` right before.
        let Some(h) = head.strip_suffix("' ") else {
            continue;
        };
        let Some(q) = h.rfind("invalid character '") else {
            continue;
        };
        let tok_at = line.start + q + "invalid character '".len();
        let tok = &t[tok_at..line.start + h.len()];
        if tok.is_empty() || tok.chars().count() > 2 && !tok.starts_with('\\') {
            continue;
        }
        let end = at + GO.len();
        out.push(
            Signal::new(Kind::StdoutNotJsonrpc, abs(base, line.start + q..end))
                .with("how", "unexpected_token")
                .with_slice("token", tok, at_abs(tok_at)),
        );
    }
    // Go SDK ioConn: a JSON value followed by more text on the line (`2025-01-01 ...` decodes
    // as 2025); jsonrpc2.DecodeMessage: JSON that is not a JSON-RPC message.
    for (phrase, how) in [
        (
            "invalid trailing data at the end of stream",
            "trailing_text",
        ),
        ("unmarshaling jsonrpc message", "not_jsonrpc"),
        ("invalid message version tag", "not_jsonrpc"),
    ] {
        for at in find_all_ci(t, phrase) {
            if word_start(t, at) {
                let end = at + phrase.len();
                out.push(Signal::new(Kind::StdoutNotJsonrpc, abs(base, at..end)).with("how", how));
            }
        }
    }
}

/// Whether a Go error line is an MCP client's: the Go SDK's `calling "<method>"` wrapping,
/// or a line that names MCP / JSON-RPC.
fn is_go_mcp_line(line: &str) -> bool {
    ["calling \"", "calling \\\"", "mcp", "jsonrpc", "json-rpc"]
        .iter()
        .any(|k| find_ci(line, k, 0).is_some())
}

/// A partly built signal: span start, fields.
struct Partial<'a> {
    start: usize,
    fields: Vec<(&'static str, SigValue<'a>)>,
}

impl<'a> Partial<'a> {
    fn finish(self, kind: Kind, at_abs: impl Fn(usize) -> u32, end: usize) -> Signal<'a> {
        let mut s = Signal::new(kind, at_abs(self.start)..at_abs(end));
        for (n, v) in self.fields {
            s.set(n, v);
        }
        s
    }
}

/// Reads `Unexpected token 'X', ...?"TEXT"...? ` or `"TEXT" ` ending right before `at`.
fn quoted_before<'a>(t: &'a str, at: usize, base: u32) -> Option<Partial<'a>> {
    let line = line_at(t, at);
    let head = t.get(line.start..at)?.trim_end();
    let head = head.strip_suffix("...").unwrap_or(head);
    // The closing quote, raw or JSON-escaped.
    let (close, esc) = if let Some(h) = head.strip_suffix("\\\"") {
        (h.len(), true)
    } else if let Some(h) = head.strip_suffix('"') {
        (h.len(), false)
    } else {
        return None;
    };
    let mut fields = Vec::new();
    // With `Unexpected token 'X', `, the text starts after it.
    let ut = find_ci(&head[..close], "unexpected token ", 0);
    let (open_after, start) = match ut {
        Some(p) => {
            let rest = &head[p + "unexpected token ".len()..close];
            let mut it = rest.char_indices();
            let (q0, c0) = it.next()?;
            if c0 != '\'' {
                return None;
            }
            let tok_start = q0 + 1;
            let tok_len = rest[tok_start..].chars().next()?.len_utf8();
            if !rest[tok_start + tok_len..].starts_with("', ") {
                return None;
            }
            let tok_abs = line.start + p + "unexpected token ".len() + tok_start;
            let tok = &t[tok_abs..tok_abs + tok_len];
            fields.push(("token", slice_val(tok, base, tok_abs)));
            let mut o = tok_abs + tok_len + 3;
            if t.get(o..).is_some_and(|r| r.starts_with("...")) {
                o += 3;
            }
            let q = if esc { "\\\"" } else { "\"" };
            if !t.get(o..)?.starts_with(q) {
                return None;
            }
            (o + q.len(), line.start + p)
        }
        None => {
            // `"x" is not valid JSON`: the nearest opening quote.
            let inner = &head[..close];
            let o = if esc {
                inner.rfind("\\\"")?
            } else {
                inner.rfind('"')?
            };
            let q = if esc { 2 } else { 1 };
            (line.start + o + q, line.start + o)
        }
    };
    let close_abs = line.start + close;
    if open_after > close_abs {
        return None;
    }
    let text = &t[open_after..close_abs];
    fields.push((
        "how",
        SigValue {
            text: Cow::Borrowed("unexpected_token"),
            at: None,
        },
    ));
    if esc && text.contains('\\') {
        fields.push((
            "text",
            SigValue {
                text: Cow::Owned(unescape(text)),
                at: None,
            },
        ));
    } else {
        fields.push(("text", slice_val(text, base, open_after)));
    }
    // Order: text, how, token.
    fields.sort_by_key(|(n, _)| match *n {
        "text" => 0,
        "how" => 1,
        _ => 2,
    });
    Some(Partial { start, fields })
}

fn slice_val(s: &str, base: u32, at: usize) -> SigValue<'_> {
    SigValue {
        text: Cow::Borrowed(s),
        at: Some(base.saturating_add(u32::try_from(at).unwrap_or(u32::MAX))),
    }
}

/// After `... at position`: the end of ` N (line L column C)` and N (offset, digits).
fn position_after(t: &str, from: usize) -> (usize, Option<(usize, &str)>) {
    let rest = t.get(from..).unwrap_or("");
    let lead = rest.len() - rest.trim_start().len();
    let d = leading_digits(&rest[lead..]);
    if d.is_empty() {
        return (from, None);
    }
    let p = from + lead + d.len();
    let mut end = p;
    let tail = t.get(p..).unwrap_or("");
    if let Some(r) = tail.strip_prefix(" (line ") {
        if let Some(c) = r.find(')') {
            if c < 32
                && r[..c]
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b' ')
            {
                end = p + " (line ".len() + c + 1;
            }
        }
    }
    (end, Some((from + lead, d)))
}

/// pydantic's `input_value='...'` (or `"..."`) after `from`, within a few lines.
fn input_value(t: &str, from: usize, base: u32) -> Option<SigValue<'_>> {
    let window = t.get(from..)?;
    let window = window.get(..window.len().min(4000)).unwrap_or(window);
    let p = find_ci(window, "input_value=", 0)?;
    let v = &window[p + "input_value=".len()..];
    let q = v.chars().next()?;
    if q != '\'' && q != '"' {
        return None;
    }
    let body = &v[1..];
    let close = body.find([q, '\n'])?;
    let text = &body[..close];
    let text = text.strip_suffix("...").unwrap_or(text);
    Some(slice_val(text, base, from + p + "input_value=".len() + 1))
}

/// The JSON string literal starting at `at` (raw `"..."` or JSON-escaped `\"...\"`), decoded, and its byte length.
fn json_string_at(t: &str, at: usize) -> Option<(SigValue<'static>, usize)> {
    let s = t.get(at..)?;
    let (esc, body) = if let Some(b) = s.strip_prefix("\\\"") {
        (true, b)
    } else if let Some(b) = s.strip_prefix('"') {
        (false, b)
    } else {
        return None;
    };
    let bytes = body.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => return None,
            b'\\' if esc && bytes.get(i + 1) == Some(&b'"') => {
                let raw = &body[..i];
                let once = unescape(raw);
                return Some((owned(unescape(&once)), 2 + i + 2));
            }
            b'\\' if esc => i += 2,
            b'\\' => i += 2,
            b'"' if !esc => return Some((owned(unescape(&body[..i])), 1 + i + 1)),
            _ => i += 1,
        }
    }
    None
}

fn owned(s: String) -> SigValue<'static> {
    SigValue {
        text: Cow::Owned(s),
        at: None,
    }
}

/// Undoes one level of JSON string escaping (`\"`, `\\`, `\n`, `\t`, `\uXXXX`).
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('u') => {
                let hex: String = it.by_ref().take(4).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(ch) => out.push(ch),
                    None => {
                        out.push_str("\\u");
                        out.push_str(&hex);
                    }
                }
            }
            Some(o) => out.push(o),
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::signal::testkit::read;
    use crate::signal::Kind::StdoutNotJsonrpc as J;

    #[test]
    fn java_sdk_stdio_line() {
        let log = "2026-01-10 09:12:44.101 ERROR 4242 --- [pool-2-thread-1] i.m.c.transport.StdioClientTransport : Error processing inbound message for line: Starting notes server on stdio\n\
com.fasterxml.jackson.core.JsonParseException: Unrecognized token 'Starting': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n";
        assert_eq!(
            read("agent.log", log, J),
            vec!["how=parse_failed text=Starting notes server on stdio"]
        );
    }

    #[test]
    fn go_sdk_stdio_decoder_errors() {
        let log = "time=2026-02-03T10:00:01Z level=ERROR msg=\"connect failed\" err=\"connection closed: calling \\\"initialize\\\": client is closing: invalid character 'S' looking for beginning of value\"\n";
        assert_eq!(
            read("client.log", log, J),
            vec!["how=unexpected_token token=S text="]
        );
        let trail = "2026/02/03 10:00:01 mcp: connect: connection closed: calling \"initialize\": client is closing: invalid trailing data at the end of stream\n";
        assert_eq!(
            read("client.log", trail, J),
            vec!["how=trailing_text text="]
        );
        let tag = "2026/02/03 10:00:01 mcp: connect: connection closed: calling \"initialize\": client is closing: invalid message version tag \"\"; expected \"2.0\"\n";
        assert_eq!(read("client.log", tag, J), vec!["how=not_jsonrpc text="]);
        // docker's own JSON errors are not MCP stdout.
        let other =
            "Error response from daemon: invalid character 'x' looking for beginning of value\n";
        assert!(read("docker.log", other, J).is_empty());
    }

    #[test]
    fn v8_modern_wording_in_claude_desktop_and_inspector() {
        let log = "2025-09-20T08:15:30.402Z [scraper] [error] Unexpected token 'S', \"Scraper MC\"... is not valid JSON { metadata: undefined }\n";
        assert_eq!(
            read("mcp-server-scraper.log", log, J),
            vec!["text=Scraper MC how=unexpected_token token=S"]
        );
        assert_eq!(
            read(
                "inspector.txt",
                "Error from MCP server: SyntaxError: Unexpected token '>', \"> weather-\"... is not valid JSON\n",
                J
            ),
            vec!["text=> weather- how=unexpected_token token=>"]
        );
        // Short string and the with-context-on-both-sides forms.
        assert_eq!(
            read(
                "console.txt",
                "[ERROR] MCP server \"a\" SyntaxError: \"ready\" is not valid JSON\n",
                J
            ),
            vec!["text=ready how=unexpected_token"]
        );
        assert_eq!(
            read(
                "console.txt",
                "SyntaxError: Unexpected token 'o', ...\"d: connected\"... is not valid JSON\n",
                J
            ),
            vec!["text=d: connected how=unexpected_token token=o"]
        );
    }

    #[test]
    fn v8_modern_wording_json_escaped_in_claude_code_json_logs() {
        let json = "[{\"error\": \"Connection failed: SyntaxError: Unexpected token 'W', \\\"Welcome to\\\"... is not valid JSON\", \"timestamp\": \"2025-06-01T10:00:00.000Z\"}]\n";
        assert_eq!(
            read("mcp-logs.json", json, J),
            vec!["text=Welcome to how=unexpected_token token=W"]
        );
    }

    #[test]
    fn v8_position_templates() {
        assert_eq!(
            read(
                "claude-debug.txt",
                "2025-02-11T10:00:00.913Z [ERROR] MCP server \"db\" SyntaxError: Unexpected token C in JSON at position 0\n",
                J
            ),
            vec!["how=unexpected_token token=C position=0 text="]
        );
        assert_eq!(
            read(
                "toast.txt",
                "MCP notes: Expected ',' or ']' after array element in JSON at position 5 (line 1 column 6)\n",
                J
            ),
            vec!["how=bad_json position=5 text="]
        );
        assert_eq!(
            read(
                "mcp.log",
                "2025-06-01T10:00:00.000Z [error] [files] Unexpected non-whitespace character after JSON at position 4 (line 1 column 5)\n",
                J
            ),
            vec!["how=trailing_text position=4 text="]
        );
        // Hard-wrapped paste.
        assert_eq!(
            read(
                "toast.txt",
                "  MCP files: Unexpected\n  non-whitespace character after JSON at position\n   4 (line 1 column 5)\n",
                J
            ),
            vec!["how=trailing_text position=4 text="]
        );
        assert_eq!(
            read(
                "console.txt",
                "[ERROR] MCP server \"x\" SyntaxError: Unexpected end of JSON input\n",
                J
            ),
            vec!["how=end_of_input text="]
        );
    }

    #[test]
    fn python_sdk_and_pydantic() {
        let log = "ERROR:mcp.client.stdio:Failed to parse JSONRPC message from server\n\
                   Traceback (most recent call last):\n\
                   \x20 File \"/venv/lib/python3.12/site-packages/mcp/client/stdio/__init__.py\", line 155, in stdout_reader\n\
                   pydantic_core._pydantic_core.ValidationError: 1 validation error for JSONRPCMessage\n\
                   \x20 Invalid JSON: expected value at line 1 column 1 [type=json_invalid, input_value='Loading index...', input_type=str]\n";
        let got = read("client.log", log, J);
        // The logger line and its traceback may be one record or two (the parser decides).
        assert!(
            got.first()
                .is_some_and(|s| s.starts_with("how=parse_failed")),
            "{got:?}"
        );
        assert!(
            got.iter()
                .any(|s| s == "how=invalid_message text=Loading index"),
            "{got:?}"
        );
    }

    #[test]
    fn vscode_failed_to_parse_message() {
        let log = "2025-07-31 23:51:15.858 [warning] Failed to parse message: \"Config loaded with language: en\"\n";
        assert_eq!(
            read("vscode-output.log", log, J),
            vec!["how=parse_failed text=Config loaded with language: en"]
        );
    }

    #[test]
    fn zed_unhandled_stdout_line() {
        let zed = "2025-07-11T17:42:09-04:00 ERROR [context_server::client] Unhandled JSON from context_server: Notes server v2 listening on stdio\n";
        assert_eq!(
            read("Zed.log", zed, J),
            vec!["how=parse_failed text=Notes server v2 listening on stdio"]
        );
        let json = "2025-07-11T17:42:09-04:00 ERROR [context_server::client] Unhandled JSON from context_server: {\"level\":\"info\",\"msg\":\"ready\"}\n";
        assert_eq!(
            read("Zed.log", json, J),
            vec!["how=not_jsonrpc text={\"level\":\"info\",\"msg\":\"ready\"}"]
        );
    }

    #[test]
    fn npx_prompt_and_zod() {
        let log = "2025-04-02T12:10:01.190Z [pdf] [info] Initializing server...\nNeed to install the following packages:\n";
        assert_eq!(
            read("mcp-server-pdf.log", log, J),
            vec!["how=npx_prompt text="]
        );
        let zod = "[ERROR] MCP server \"x\" ZodError: [ { \"code\": \"invalid_literal\", \"expected\": \"2.0\", \"path\": [ \"jsonrpc\" ] } ]\n";
        assert_eq!(read("console.txt", zod, J), vec!["how=not_jsonrpc text="]);
        // A tool result failing its schema is not stdout pollution.
        let tool =
            "[ERROR] ZodError: [ { \"code\": \"invalid_union\", \"path\": [ \"content\", 0 ] } ]\n";
        assert!(read("console.txt", tool, J).is_empty());
    }

    #[test]
    fn odd_input_never_panics() {
        for s in [
            "is not valid JSON",
            "\" is not valid JSON",
            "Unexpected token 'é', \"é\" is not valid JSON",
            "Unexpected token '",
            "in JSON at position",
            "Failed to parse message: \\\"abc",
            "input_value='",
            "character after JSON at position",
        ] {
            let _ = read("x.txt", s, J);
        }
    }
}
