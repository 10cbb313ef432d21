//! Parsing: a decoded source in, its format and its events out.
//!
//! `detect` picks the format from the file name and the first records (never
//! the whole file); each format is its own module. Unknown text falls back to
//! the generic "timestamp? level? message" parser and then to plain lines:
//! every line of the input ends up in some event.
//!
//! STUB: the formats helper replaces this module's internals; `parse` and
//! [`ParsedSource`] are the contract.

use crate::event::{Event, SourceId, Span, Value};
use crate::frame;
use crate::text::{Note, SourceText};

/// Options that affect how timestamps are read.
#[derive(Clone, Debug, Default)]
pub struct ParseOptions {
    /// Zone of timestamps written without an offset (`--tz`); UTC when `None`.
    pub tz: Option<jiff::tz::TimeZone>,
    /// Force a format by name instead of detecting it.
    pub format: Option<String>,
}

/// A source after parsing.
#[derive(Clone, Debug)]
pub struct ParsedSource {
    pub id: SourceId,
    pub text: SourceText,
    /// The detected format name (`claude-code-debug`, `plain`, ...).
    pub format: &'static str,
    /// Events in file order (`seq` = index).
    pub events: Vec<Event>,
    /// Parse notes (in addition to `text.notes`).
    pub notes: Vec<Note>,
}

/// Detects the format of `text` and parses it into events.
pub fn parse(text: SourceText, id: SourceId, opts: &ParseOptions) -> ParsedSource {
    let _ = opts;
    let mut events = Vec::new();
    for line in frame::lines(&text.text) {
        let seq = events.len() as u32;
        events.push(Event {
            source: id,
            seq,
            span: Span {
                start: text.raw_offset(line.start as usize),
                end: text.raw_offset(line.end as usize),
                line: line.number,
                end_line: line.number,
            },
            text: line.start..line.end,
            ts: None,
            level: None,
            fields: vec![("msg".into(), Value::Text(line.start..line.end))],
        });
    }
    ParsedSource {
        id,
        text,
        format: "plain",
        events,
        notes: Vec::new(),
    }
}
