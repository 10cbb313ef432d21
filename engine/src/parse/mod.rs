//! Parsing: a decoded source in, its format and its events out.
//!
//! `detect` picks the format from the file name and the first records (never
//! the whole file); each format is its own module. Unknown text falls back to
//! the generic "timestamp? level? message" parser and then to plain lines:
//! every non-blank line of the input ends up in exactly one event.
//!
//! Modules: `lex` (paste damage and the `logos` prefix lexer), `time`
//! (timestamps), `head` (what a line parser returns, shared helpers),
//! `record` (multi-line grouping, stderr, events), `detect`, `format` (the
//! list of formats) and one module per format. Parsing never panics and never
//! fails: a line no parser understands is a plain line.

mod claude_code;
mod claude_code_cli;
mod claude_code_json;
mod claude_code_shell;
mod claude_desktop;
mod client_config;
mod cursor;
mod detect;
mod dmesg;
mod format;
mod generic;
mod head;
mod ini;
mod inspector;
mod journal;
mod jsonc;
mod jsonrpc;
mod lex;
mod plain;
mod record;
mod syslog;
pub mod time;
mod vscode;
mod winevent;
mod winevent_csv;
mod winevent_ps;
mod winevent_text;
mod winevent_xml;
mod wsl_cli;

pub use format::Format;

use crate::event::{Event, SourceId};
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

/// Names of every format `parse` can detect or be forced to.
pub fn format_names() -> impl Iterator<Item = &'static str> {
    Format::ALL.into_iter().map(Format::name)
}

/// Detects the format of `text` and parses it into events.
pub fn parse(text: SourceText, id: SourceId, opts: &ParseOptions) -> ParsedSource {
    let tz = opts.tz.clone().unwrap_or(jiff::tz::TimeZone::UTC);
    let mut notes = Vec::new();
    let (format, events) = {
        let cx = head::Cx {
            text: &text.text,
            tz: &tz,
        };
        let mut det = detect::detect(&cx, &text.path);
        if let Some(name) = opts.format.as_deref() {
            match Format::from_name(name) {
                Some(f) => det.format = f,
                None => notes.push(Note::new(
                    None,
                    format!(
                        "unknown format `{name}`: detected {} instead",
                        det.format.name()
                    ),
                )),
            }
        }
        // Whole-document formats (client configs, Windows event dumps) first, then lines.
        let events = match det.format.whole(&cx, &text, id, &mut notes) {
            Some(events) => events,
            None => match winevent::parse(&cx, &text, id, &det, &mut notes) {
                Some(events) => events,
                None => record::Driver::new(&cx, &text, id, &det).run(&mut notes),
            },
        };
        format_notes(det.format, &text, &events, opts, &mut notes);
        (det.format.name(), events)
    };
    ParsedSource {
        id,
        text,
        format,
        events,
        notes,
    }
}

/// Notes some formats add once per source (assumed years, misplaced INI keys).
fn format_notes(
    format: Format,
    text: &SourceText,
    events: &[Event],
    opts: &ParseOptions,
    notes: &mut Vec<Note>,
) {
    match format {
        Format::LinuxSyslog | Format::LinuxJournal | Format::LinuxDmesg => {
            notes.extend(syslog::notes(&text.text, events, opts.tz.is_some()));
        }
        Format::WslConfig | Format::WslConf => {
            notes.extend(ini::notes(&text.path, &text.text, format.name(), events));
        }
        _ => {}
    }
}

/// Detects the format of a source without parsing it: `(format name, implied server)`.
pub fn detect_format(text: &SourceText) -> (&'static str, Option<String>) {
    let cx = head::Cx {
        text: &text.text,
        tz: &jiff::tz::TimeZone::UTC,
    };
    let d = detect::detect(&cx, &text.path);
    (d.format.name(), d.server)
}
