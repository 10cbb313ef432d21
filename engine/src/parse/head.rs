//! What a format's line parser returns for the first line of a record, and the
//! small text helpers several formats share (levels, `MCP server "x"`, Node
//! `{ metadata: ... }` tails, brace depth).
//!
//! Nothing here knows which format it serves, and nothing here reads more than
//! one line.

use std::borrow::Cow;
use std::ops::Range;

use jiff::tz::TimeZone;
use nom::branch::alt;
use nom::bytes::complete::{tag, take_till1};
use nom::character::complete::char;
use nom::sequence::delimited;
use nom::IResult;

use crate::event::{field, Level, Timestamp, Value};

use super::lex::{Prefix, TsKind};
use super::time;

/// Read-only context of a parse.
pub struct ParseContext<'a> {
    pub text: &'a str,
    pub tz: &'a TimeZone,
}

impl ParseContext<'_> {
    /// The decoded text of an absolute range ("" when out of bounds or off a char boundary).
    pub fn get(&self, r: &Range<u32>) -> &str {
        self.text
            .get(r.start as usize..r.end as usize)
            .unwrap_or("")
    }

    /// The prefix timestamp, when it is a readable one.
    pub fn ts(&self, p: &Prefix) -> Option<Timestamp> {
        let (r, kind) = p.ts.as_ref()?;
        match kind {
            TsKind::Redacted => None,
            _ => time::read(self.get(r), self.tz),
        }
    }
}

/// What a record still accepts after its first line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Open {
    /// Only stack frames and deeper-indented detail.
    #[default]
    Closed,
    /// A multi-line object is open; `meta` is where it started when it is a
    /// Node `util.inspect` tail (it becomes the `metadata` field).
    Braces { depth: i32, meta: Option<u32> },
    /// A stderr payload that continues on unprefixed lines.
    Stderr,
    /// A Python traceback: indented lines, then the `XxxError: ...` line.
    Traceback,
}

/// The first line of a record as a format read it.
#[derive(Clone, Debug)]
pub struct Head {
    pub ts: Option<Timestamp>,
    pub level: Option<Level>,
    /// The message: a range of the line, or owned text (unescaped JSON).
    pub msg: Value,
    /// Continuation lines extend `msg` to the end of the record.
    pub extend: bool,
    /// Fields other than `msg` (`server`, `command`, JSON-RPC fields, ...).
    pub fields: Vec<(Cow<'static, str>, Value)>,
    pub open: Open,
    /// How specific to its format this line is, for detection: 0 says nothing, 3 is unmistakable.
    pub score: u8,
    /// The server that following records of the source inherit (VS Code
    /// `Starting server x`, `claude mcp get` headers).
    pub carry: Option<Value>,
}

impl Head {
    pub fn new(msg: Range<u32>) -> Head {
        Head {
            ts: None,
            level: None,
            msg: Value::Text(msg),
            extend: true,
            fields: Vec::new(),
            open: Open::Closed,
            score: 1,
            carry: None,
        }
    }

    pub fn set(&mut self, name: &'static str, value: Value) {
        match self.fields.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = value,
            None => self.fields.push((Cow::Borrowed(name), value)),
        }
    }

    pub fn has(&self, name: &str) -> bool {
        self.fields.iter().any(|(n, _)| n == name)
    }

    /// The message range, when the message is a range.
    pub fn msg_range(&self) -> Option<Range<u32>> {
        match &self.msg {
            Value::Text(r) => Some(r.clone()),
            _ => None,
        }
    }
}

/// `[level]` text to a level; only the usual spellings.
pub fn level(s: &str) -> Option<Level> {
    if s.len() > 11 {
        return None;
    }
    Level::parse(s)
}

/// `start..end` shrunk so it has no surrounding white space.
pub fn trim(text: &str, r: Range<u32>) -> Range<u32> {
    let s = text.get(r.start as usize..r.end as usize).unwrap_or("");
    let lead = s.len() - s.trim_start().len();
    let t = s.trim();
    let start = r.start + lead as u32;
    start..start + t.len() as u32
}

/// Finds the server a message names: `MCP server "x"`, `Transport error for
/// "x"`, `reconnect to x:`, `for server x`. The range is relative to `msg`.
pub fn server_in_msg(msg: &str) -> Option<Range<usize>> {
    // Every anchor below holds one of these: most messages are ruled out by SIMD searches.
    static ANCHORS: std::sync::OnceLock<[memchr::memmem::Finder<'static>; 3]> =
        std::sync::OnceLock::new();
    let anchors = ANCHORS.get_or_init(|| {
        [
            memchr::memmem::Finder::new("erver "),
            memchr::memmem::Finder::new("Transport error for "),
            memchr::memmem::Finder::new("reconnect to "),
        ]
    });
    if anchors.iter().all(|f| f.find(msg.as_bytes()).is_none()) {
        return None;
    }
    const QUOTED: [&str; 5] = [
        "MCP server ",
        "MCP Server ",
        "Transport error for ",
        "Failed to connect to MCP server ",
        "server ",
    ];
    for anchor in QUOTED {
        let mut from = 0;
        while let Some(i) = msg.get(from..).and_then(|s| s.find(anchor)) {
            let at = from + i + anchor.len();
            let rest = msg.get(at..).unwrap_or("");
            if let Ok((_, name)) = quoted(rest) {
                let start = at + (name.as_ptr() as usize - rest.as_ptr() as usize);
                return Some(start..start + name.len());
            }
            from = at;
        }
    }
    for anchor in ["reconnect to ", "for server "] {
        if let Some(i) = msg.find(anchor) {
            let at = i + anchor.len();
            let rest = msg.get(at..).unwrap_or("");
            let len = rest
                .find(|c: char| c.is_whitespace() || c == '"' || c == ',')
                .unwrap_or(rest.len());
            let name = rest[..len].trim_end_matches([':', '.']);
            if !name.is_empty() {
                return Some(at..at + name.len());
            }
        }
    }
    None
}

fn quoted(s: &str) -> IResult<&str, &str> {
    let name = |i| {
        take_till1(|c: char| matches!(c, '"' | '“' | '”' | '\'' | '‘' | '’' | '\n' | '\r'))(
            i,
        )
    };
    alt((
        delimited(char('"'), name, char('"')),
        delimited(char('“'), name, alt((char('”'), char('“')))),
        delimited(char('‘'), name, alt((char('’'), char('‘')))),
        delimited(tag("'"), name, tag("'")),
    ))(s)
}

/// A Node `util.inspect` or JSON context tail at the end of a one-line message:
/// ` { metadata: undefined }`, ` {"context":"connection",...}`, ` %o`.
/// Returns the message end without it and the tail's range (relative).
pub fn split_tail(msg: &str) -> (usize, Option<Range<usize>>) {
    let t = msg.trim_end();
    let t = t.strip_suffix("%o").map_or(t, str::trim_end);
    if !t.ends_with('}') {
        return (t.len(), None);
    }
    // Every opener starts with ` {`: find those once, from the end (a JSON
    // payload line has few), instead of searching the line once per opener.
    let starts: Vec<usize> = memchr::memmem::rfind_iter(t.as_bytes(), b" {").collect();
    for opener in [
        " { metadata",
        " { args",
        " {\"context\"",
        " {\"stack\"",
        " {\"metadata\"",
    ] {
        let found = starts.iter().copied().find(|&i| t[i..].starts_with(opener));
        if let Some(i) = found {
            if brace_delta(&t[i..]) == 0 {
                return (msg[..i].trim_end().len(), Some(i + 1..t.len()));
            }
        }
    }
    (t.len(), None)
}

/// If `msg` ends by opening an object (` {`, ` [`, ` {` + `%o` later), the
/// offset (relative) of the opening brace and the depth it leaves open.
pub fn opens_object(msg: &str) -> Option<(usize, i32)> {
    let t = msg.trim_end();
    if !(t.ends_with('{') || t.ends_with('[')) {
        return None;
    }
    let d = brace_delta(t);
    if d <= 0 {
        return None;
    }
    let i = t.len() - 1;
    Some((i, d))
}

/// Net `{`/`[` minus `}`/`]` outside `'...'`, `"..."` and `` `...` `` strings.
pub fn brace_delta(s: &str) -> i32 {
    let mut d = 0;
    let mut quote: Option<u8> = None;
    let mut esc = false;
    for &c in s.as_bytes() {
        if let Some(q) = quote {
            if esc {
                esc = false;
            } else if c == b'\\' {
                esc = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            b'"' | b'\'' | b'`' => quote = Some(c),
            b'{' | b'[' => d += 1,
            b'}' | b']' => d -= 1,
            _ => {}
        }
    }
    d
}

/// The field name for a server.
pub const SERVER: &str = field::SERVER;

/// Moves a Node `util.inspect` / JSON context tail off the end of `h`'s
/// message: a one-line tail becomes the `metadata` field, an opening ` {`
/// opens the record until its braces close (the driver adds `metadata`).
pub fn take_tail(context: &ParseContext<'_>, h: &mut Head) {
    let Some(m) = h.msg_range() else { return };
    let msg = context.get(&m);
    let (end, tail) = split_tail(msg);
    if let Some(t) = tail {
        h.set(
            "metadata",
            Value::Text(m.start + t.start as u32..m.start + t.end as u32),
        );
        h.msg = Value::Text(m.start..m.start + end as u32);
        h.extend = false;
    } else if let Some((at, depth)) = opens_object(msg) {
        let before = msg.get(..at).map_or(0, |s| s.trim_end().len());
        // A bare `{` is an object of its own, not a tail.
        if before > 0 {
            h.open = Open::Braces {
                depth,
                meta: Some(m.start + at as u32),
            };
            h.extend = false;
            h.msg = Value::Text(m.start..m.start + before as u32);
        }
    } else {
        h.msg = Value::Text(m.start..m.start + end as u32);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(m: &str) -> Option<&str> {
        server_in_msg(m).map(|r| &m[r])
    }

    #[test]
    fn servers_named_in_messages() {
        assert_eq!(
            server(r#"MCP server "mcp-nova": Connection failed"#),
            Some("mcp-nova")
        );
        assert_eq!(
            server("MCP server “my srv” Server stderr: x"),
            Some("my srv")
        );
        assert_eq!(
            server(r#"Transport error for "context7": Error"#),
            Some("context7")
        );
        assert_eq!(
            server("Failed to reconnect to plugin:claude-mem:mcp-search: -32000"),
            Some("plugin:claude-mem:mcp-search")
        );
        assert_eq!(
            server("Failed to connect client for server sse_agent by error"),
            Some("sse_agent")
        );
        assert_eq!(server("spawn npx ENOENT"), None);
    }

    #[test]
    fn tails_and_braces() {
        let m = "Server started { metadata: undefined }";
        assert_eq!(split_tail(m), (14, Some(15..m.len())));
        let m = r#"spawn . EACCES {"context":"connection","stack":"Error: x\n at y"}"#;
        assert_eq!(&m[..split_tail(m).0], "spawn . EACCES");
        assert_eq!(split_tail("a {b}"), (5, None));
        assert_eq!(opens_object("is not valid JSON {"), Some((18, 1)));
        assert_eq!(opens_object("x { a: 1 }"), None);
        assert_eq!(brace_delta(r#"  stack: `a {\n` + '{' + "}"  "#), 0);
    }
}
