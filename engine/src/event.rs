//! The one event model every stage after `parse` speaks.
//!
//! An [`Event`] is one logical record of one source: its span on disk, its
//! timestamp (UTC, when the record has one), its level and its fields. Field
//! values point into the source's decoded text where possible ([`Value::Text`])
//! so parsing allocates little; [`EventRef`] pairs an event with that text so
//! matchers can read fields as `&str`.
//!
//! This module must never know about formats, rules or reports: it is the
//! vocabulary they share.

use std::borrow::Cow;
use std::ops::Range;

/// Index of a source (file, archive member or stdin) within one scan.
pub type SourceId = u32;

/// Where a record lies in the input as stored on disk.
///
/// `start..end` are byte offsets into the raw bytes of the file (or of the
/// decompressed stream for compressed input, which the source marks), half-open,
/// `end` excluding the final line terminator. `line..=end_line` are 1-based
/// physical line numbers; CRLF and CR CR LF count as one terminator.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: u64,
    pub end: u64,
    pub line: u32,
    pub end_line: u32,
}

/// A record's time, normalised to UTC.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Timestamp {
    /// Milliseconds since the Unix epoch, UTC.
    pub ms: i64,
    /// The log gave no UTC offset; the value was read in the `--tz` zone, or as UTC when none was given.
    pub naive: bool,
}

/// Severity as the log wrote it, normalised.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    Trace,
    Debug,
    Info,
    Warn,
    Error,
    Fatal,
}

impl Level {
    /// Lower-case name used in rules and reports (`error`, `warn`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Trace => "trace",
            Level::Debug => "debug",
            Level::Info => "info",
            Level::Warn => "warn",
            Level::Error => "error",
            Level::Fatal => "fatal",
        }
    }

    /// Reads the usual spellings (`ERROR`, `err`, `warning`, `Warn`, `critical`, ...).
    pub fn parse(s: &str) -> Option<Level> {
        let l = s.trim().to_ascii_lowercase();
        Some(match l.as_str() {
            "trace" | "verbose" => Level::Trace,
            "debug" | "dbg" => Level::Debug,
            "info" | "information" | "notice" | "log" => Level::Info,
            "warn" | "warning" | "wrn" => Level::Warn,
            "error" | "err" | "erro" => Level::Error,
            "fatal" | "critical" | "crit" | "panic" | "emerg" | "alert" => Level::Fatal,
            _ => return None,
        })
    }
}

/// A field value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// A byte range of the source's decoded text.
    Text(Range<u32>),
    /// Text the parser had to build (unescaped JSON strings, joined continuations).
    Owned(Box<str>),
    /// A number the format defines as one (event ids, pids, exit codes).
    Int(i64),
}

/// Well-known field names. Parsers may add others (e.g. JSON keys); rules address
/// fields by these names.
pub mod field {
    pub const MSG: &str = "msg";
    pub const SERVER: &str = "server";
    pub const PID: &str = "pid";
    pub const EXIT_CODE: &str = "exit_code";
    pub const SIGNAL: &str = "signal";
    pub const PROVIDER: &str = "provider";
    pub const EVENT_ID: &str = "event_id";
    pub const CHANNEL: &str = "channel";
    pub const SECTION: &str = "section";
    pub const KEY: &str = "key";
    pub const VALUE: &str = "value";
    pub const PATH: &str = "path";
    pub const COMMAND: &str = "command";
    pub const ARGS: &str = "args";
    pub const METHOD: &str = "method";
    pub const ID: &str = "id";
    pub const ERROR_CODE: &str = "error.code";
    pub const ERROR_MESSAGE: &str = "error.message";
    pub const DIRECTION: &str = "direction";
}

/// One logical record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub source: SourceId,
    /// Position of the record within its source (0-based): the in-source order.
    pub seq: u32,
    /// Raw on-disk span.
    pub span: Span,
    /// The whole record as a byte range of the decoded text (all its physical lines).
    pub text: Range<u32>,
    pub ts: Option<Timestamp>,
    pub level: Option<Level>,
    /// `msg` first, then format-specific fields. Names are unique.
    pub fields: Vec<(Cow<'static, str>, Value)>,
}

impl Event {
    /// The value of field `name`, if the record has it.
    pub fn value(&self, name: &str) -> Option<&Value> {
        self.fields.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// Sets a field, replacing a previous value of the same name.
    pub fn set(&mut self, name: impl Into<Cow<'static, str>>, value: Value) {
        let name = name.into();
        match self.fields.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => self.fields.push((name, value)),
        }
    }
}

/// An event together with the decoded text of its source, so fields read as text.
#[derive(Clone, Copy, Debug)]
pub struct EventRef<'a> {
    pub event: &'a Event,
    /// The decoded text of the event's whole source.
    pub source_text: &'a str,
    /// The detected format of the event's source (e.g. `claude-desktop-server`).
    pub format: &'a str,
}

impl<'a> EventRef<'a> {
    /// The whole record text.
    pub fn record_text(&self) -> &'a str {
        slice(self.source_text, &self.event.text)
    }

    /// Field `name` as text. `level` and `ts` are virtual fields; `format` is the source's format.
    pub fn get(&self, name: &str) -> Option<Cow<'a, str>> {
        match name {
            "level" => return self.event.level.map(|l| Cow::Borrowed(l.as_str())),
            "format" => return Some(Cow::Borrowed(self.format)),
            _ => {}
        }
        match self.event.value(name)? {
            Value::Text(r) => Some(Cow::Borrowed(slice(self.source_text, r))),
            Value::Owned(s) => Some(Cow::Owned(s.to_string())),
            Value::Int(i) => Some(Cow::Owned(i.to_string())),
        }
    }

    /// The `msg` field (empty when a parser produced none, which it must not).
    pub fn msg(&self) -> Cow<'a, str> {
        self.get(field::MSG).unwrap_or(Cow::Borrowed(""))
    }

    /// Field `name` as a number, when it is one.
    pub fn get_int(&self, name: &str) -> Option<i64> {
        match self.event.value(name)? {
            Value::Int(i) => Some(*i),
            _ => self.get(name)?.trim().parse().ok(),
        }
    }
}

fn slice<'a>(text: &'a str, r: &Range<u32>) -> &'a str {
    text.get(r.start as usize..r.end as usize).unwrap_or("")
}
