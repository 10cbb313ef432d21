//! Groups physical lines into records and turns records into [`Event`]s.
//!
//! The driver asks the source's format to read each line as a record head;
//! lines it does not claim either continue the open record (multi-line
//! objects, `Server stderr:` payloads, Node stack frames, Python tracebacks,
//! deeper indentation), become the server's stderr (formats with prefixed
//! entries), or fall back to the JSON-RPC, CLI and generic parsers and finally
//! to a plain line. A line holding two records (a lost newline) is split
//! first (`glue`); paste markup (code fences, pager prompts, elisions) is a
//! plain line of its own (`paste`); curly quotes in `msg` are made ASCII in the
//! value rules match. Every non-blank line ends up in exactly one event. This
//! module never drops text and never invents a timestamp for a source that
//! has none.

use std::borrow::Cow;

use crate::event::{field, Event, SourceId, Span, Timestamp, Value};
use crate::frame::{self, Line};
use crate::text::{Note, SourceText};

use super::claude_desktop;
use super::detect::Detected;
use super::format_list::fallback_formats;
use super::glue;
use super::head::{self, Head, Open, ParseContext};
use super::jsonrpc;
use super::lex::{self, Prefix, View};
use super::paste;
use super::plain;

/// An open object stops folding after this many lines (a missing `}`).
const MAX_FOLD: usize = 500;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// A record of the source's format.
    Entry,
    /// A line the format did not claim, read by a fallback parser.
    Fallback,
    /// Unprefixed server output between entries.
    Stderr,
}

struct Rec {
    head: Head,
    kind: Kind,
    first: Line,
    last: Line,
    indent: u32,
    content_end: u32,
    meta: Option<u32>,
    blank_after: bool,
    /// Number of physical lines.
    lines: usize,
    /// The lines' views, kept only for formats that re-read them (JSON objects).
    views: Vec<View>,
}

impl Rec {
    fn new(head: Head, kind: Kind, v: View, keep: bool) -> Rec {
        let meta = match head.open {
            Open::Braces { meta, .. } => meta,
            _ => None,
        };
        Rec {
            head,
            kind,
            first: v.line,
            last: v.line,
            indent: v.indent,
            content_end: v.end,
            meta,
            blank_after: false,
            lines: 1,
            views: if keep { vec![v] } else { Vec::new() },
        }
    }

    fn push(&mut self, v: View) {
        self.last = v.line;
        self.content_end = v.end;
        self.lines += 1;
        if !self.views.is_empty() {
            self.views.push(v);
        }
    }
}

/// Parses the whole source into events.
pub struct Driver<'a> {
    context: &'a ParseContext<'a>,
    src: &'a SourceText,
    id: SourceId,
    det: &'a Detected,
    events: Vec<Event>,
    last_ts: Option<Timestamp>,
    last_server: Option<Value>,
    carry: Option<Value>,
    seen_entry: bool,
}

impl<'a> Driver<'a> {
    pub fn new(
        context: &'a ParseContext<'a>,
        src: &'a SourceText,
        id: SourceId,
        det: &'a Detected,
    ) -> Driver<'a> {
        Driver {
            context,
            src,
            id,
            det,
            events: Vec::new(),
            last_ts: None,
            last_server: None,
            carry: None,
            seen_entry: false,
        }
    }

    /// Starts with the server an earlier line named (a piece of a streamed source).
    pub fn with_carry(mut self, server: Option<&str>) -> Driver<'a> {
        self.carry = server.map(|s| Value::Owned(s.into()));
        self
    }

    pub fn run(mut self, notes: &mut Vec<Note>) -> Vec<Event> {
        let text = self.context.text;
        let fmt = self.det.format;
        let mut cur: Option<Rec> = None;
        let glue = fmt.spec().split_glued_records;
        let keep_record_lines = fmt.spec().finish_multi_line_record.is_some();
        let mut pieces = Vec::with_capacity(glue::MAX_GLUED);
        for whole in frame::lines(text) {
            if whole.cut {
                notes.push(Note::new(
                    Some(whole.number),
                    "line longer than 64 KiB: the rest was skipped",
                ));
            }
            pieces.clear();
            if glue {
                let content = View::new(text, whole, self.det.quoted).start;
                glue::split(self.context, fmt, whole, content, &mut pieces);
            } else {
                pieces.push(whole);
            }
            for &line in &pieces {
                let v = View::new(text, line, self.det.quoted);
                if v.is_blank() {
                    if let Some(r) = cur.as_mut() {
                        if !matches!(r.head.open, Open::Braces { .. }) {
                            r.blank_after = true;
                        }
                    }
                    continue;
                }
                let p = lex::prefix(text, &v);
                if let Some(m) = paste::markup(v.text(text)) {
                    // Paste markup is a line of its own; an elision inside an open
                    // record (an indented `...` in a stack) still belongs to it.
                    let inside = m == paste::Markup::Elision
                        && cur.as_mut().is_some_and(|r| self.fold(r, &v, &p, None));
                    if !inside {
                        if let Some(done) = cur.take() {
                            self.finish(done);
                        }
                        let mut h = plain::head(self.context, &v);
                        h.set("paste", Value::Owned(m.as_str().into()));
                        self.finish(Rec::new(h, Kind::Fallback, v, false));
                    }
                    continue;
                }
                let head = fmt.head(self.context, &v, &p);
                if let Some(r) = cur.as_mut() {
                    if self.fold(r, &v, &p, head.as_ref()) {
                        continue;
                    }
                }
                if let Some(done) = cur.take() {
                    self.finish(done);
                }
                cur = Some(match head {
                    Some(h) => Rec::new(h, Kind::Entry, v, keep_record_lines),
                    None => self.fallback(&v, &p),
                });
            }
        }
        if let Some(done) = cur {
            self.finish(done);
        }
        self.events
    }

    /// Adds `v` to the open record `r` when it continues it.
    fn fold(&self, r: &mut Rec, v: &View, p: &Prefix, head: Option<&Head>) -> bool {
        let content = v.text(self.context.text);
        match r.head.open {
            Open::Braces { depth, meta } => {
                let strong = head.is_some_and(|h| h.score >= 2 && p.ts.is_some());
                // Object interiors are indented; an unindented line that is not a
                // closing brace means the object was cut (a truncated paste).
                let outdented = v.indent <= r.indent && !content.starts_with(['}', ']']);
                if strong || outdented || r.lines >= MAX_FOLD {
                    r.head.open = Open::Closed;
                    return false;
                }
                let d = depth + head::brace_delta(content);
                r.head.open = if d <= 0 {
                    Open::Closed
                } else {
                    Open::Braces { depth: d, meta }
                };
                r.push(*v);
                return true;
            }
            _ if r.blank_after => return false,
            Open::Stderr => {
                if head.is_none_or(|h| h.score == 0) && p.ts.is_none() {
                    r.push(*v);
                    return true;
                }
                return false;
            }
            Open::Traceback => {
                if v.indent > r.indent {
                    r.push(*v);
                    return true;
                }
                r.head.open = Open::Closed;
                if r.lines > 1 && is_exception_line(content) {
                    r.push(*v);
                    return true;
                }
                return false;
            }
            Open::Closed => {}
        }
        if head.is_some_and(|h| h.score > 0) {
            return false;
        }
        let frame = is_frame(content, v.indent);
        let closer = matches!(content, "}" | "]" | "}," | "]," | "} %o");
        let deeper = v.indent > r.indent
            && (r.kind != Kind::Entry || !self.det.format.spec().stderr_between_entries);
        if frame || closer || deeper {
            r.push(*v);
            return true;
        }
        false
    }

    /// A record for a line the format did not claim.
    fn fallback(&self, view: &View, prefix: &Prefix) -> Rec {
        let content = view.text(self.context.text);
        let traceback = content.starts_with("Traceback (most recent call last)");
        // A line with a real timestamp is a record of another shape (or one cut
        // short by a pager), not server output.
        let timed = prefix
            .ts
            .as_ref()
            .is_some_and(|(_, kind)| *kind != lex::TsKind::Redacted);
        if self.det.format.spec().stderr_between_entries && self.seen_entry && !timed {
            let mut stderr_head = plain::head(self.context, view);
            stderr_head.set("stream", Value::Owned("stderr".into()));
            if let Some(server) = &self.last_server {
                stderr_head.set(field::SERVER, server.clone());
            }
            if traceback {
                stderr_head.open = Open::Traceback;
            }
            return Rec::new(stderr_head, Kind::Stderr, *view, false);
        }
        for &fallback_format in fallback_formats() {
            if fallback_format == self.det.format {
                continue;
            }
            let min_score = fallback_format
                .spec()
                .fallback
                .map_or(0, |fallback| fallback.min_score);
            if let Some(fallback_head) = fallback_format.head(self.context, view, prefix) {
                if fallback_head.score >= min_score {
                    return Rec::new(fallback_head, Kind::Fallback, *view, false);
                }
            }
        }
        let mut plain_head = plain::head(self.context, view);
        if traceback {
            plain_head.open = Open::Traceback;
        }
        Rec::new(plain_head, Kind::Fallback, *view, false)
    }

    fn finish(&mut self, mut r: Rec) {
        let context = self.context;
        if r.views.len() > 1 {
            if let Some(finish_record) = self.det.format.spec().finish_multi_line_record {
                finish_record(context, &mut r.head, &r.views);
            }
        }
        let h = r.head;
        let msg = match h.msg {
            Value::Text(m) if h.extend && r.lines > 1 => {
                Value::Text(m.start..m.end.max(r.content_end))
            }
            other => other,
        };
        let mut extra = Vec::new();
        if r.lines > 1
            && !h
                .fields
                .iter()
                .any(|(n, _)| n == field::METHOD || n == field::ID)
        {
            let whole = context.get(&(r.first.start..r.last.end)).trim_start();
            if whole.starts_with('{') {
                extra = jsonrpc::fields(whole, None).unwrap_or_default();
            }
        }
        let mut fields: Vec<(Cow<'static, str>, Value)> = Vec::with_capacity(h.fields.len() + 2);
        fields.push((Cow::Borrowed(field::MSG), msg.clone()));
        fields.extend(h.fields);
        fields.extend(extra);
        let has =
            |fields: &[(Cow<'static, str>, Value)], n: &str| fields.iter().any(|(k, _)| k == n);
        if let Some(m) = r.meta {
            let meta = m..r.content_end;
            if !has(&fields, field::ARGS) {
                if let Some(a) = claude_desktop::args_in(context.text, meta.clone()) {
                    fields.push((Cow::Borrowed(field::ARGS), Value::Text(a)));
                }
            }
            fields.push((Cow::Borrowed("metadata"), Value::Text(meta)));
        }
        if !has(&fields, field::SERVER) {
            let named = match &msg {
                Value::Text(m) => head::server_in_msg(context.get(m))
                    .map(|s| Value::Text(m.start + s.start as u32..m.start + s.end as u32)),
                _ => None,
            };
            let server = self
                .det
                .server
                .as_deref()
                .map(|s| Value::Owned(s.into()))
                .or(named)
                .or_else(|| {
                    (r.kind != Kind::Stderr)
                        .then(|| self.carry.clone())
                        .flatten()
                });
            if let Some(s) = server {
                fields.push((Cow::Borrowed(field::SERVER), s));
            }
        }
        if let Some(Value::Text(m)) = fields.first().map(|(_, v)| v) {
            if let Some(ascii) = paste::ascii_quotes(context.get(m)) {
                fields[0].1 = ascii;
            }
        }
        if let Some(c) = h.carry {
            self.carry = Some(c);
        }
        if r.kind == Kind::Entry {
            self.seen_entry = true;
            self.last_server = fields
                .iter()
                .find(|(k, _)| k == field::SERVER)
                .map(|(_, v)| v.clone());
        }
        let ts = match h.ts {
            Some(t) => {
                self.last_ts = Some(t);
                Some(t)
            }
            None => self.last_ts,
        };
        let seq = self.events.len() as u32;
        self.events.push(Event {
            source: self.id,
            seq,
            span: Span {
                start: self.src.raw_offset(r.first.start as usize),
                end: self.src.raw_offset(r.last.end as usize),
                line: r.first.number,
                end_line: r.last.number,
            },
            text: r.first.start..r.last.end,
            ts,
            level: h.level,
            fields,
        });
    }
}

/// A stack frame line: Node `    at fn (file:1:2)`, devtools `fn @ file.ts:12`.
fn is_frame(content: &str, indent: u32) -> bool {
    (indent > 0 && (content.starts_with("at ") || content.starts_with("... ")))
        || content.split_once(" @ ").is_some_and(|(f, loc)| {
            !f.contains(' ')
                && !loc.contains(' ')
                && loc
                    .rsplit(':')
                    .next()
                    .is_some_and(|n| !n.is_empty() && n.bytes().all(|c| c.is_ascii_digit()))
        })
}

/// The last line of a Python traceback: `ModuleNotFoundError: ...`, `KeyboardInterrupt`.
fn is_exception_line(content: &str) -> bool {
    let name = content.split(':').next().unwrap_or("");
    !name.is_empty()
        && !name.contains(' ')
        && name
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'.')
        && (name.ends_with("Error")
            || name.ends_with("Exception")
            || name.ends_with("Exit")
            || name.ends_with("Interrupt")
            || content.contains(": "))
}
