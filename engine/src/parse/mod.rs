//! Parsing: a decoded source in, its format and its events out.
//!
//! `detect` picks the format from the file name and the first records (never
//! the whole file); each format is its own module. Unknown text falls back to
//! the generic "timestamp? level? message" parser and then to plain lines:
//! every non-blank line of the input ends up in exactly one event.
//!
//! Modules, from the bottom up: `lex` (paste damage and the `logos` prefix
//! lexer), `paste` (pasted markup lines, curly quotes), `time` and `bsd_time`
//! (timestamps), `head` (what a line parser returns, shared helpers), `format`
//! (`FormatSpec`, what each format declares, and the `Format` handle), one
//! module per format (each declares its spec; `winevent` and `jsonc` are what
//! some of them share), `format_list` (every format, once), then `glue` (two
//! records on one line), `record` (multi-line grouping, stderr, events) and
//! `detect`. Parsing never panics and never fails: a line no parser
//! understands is a plain line. A source's parse notes are capped here, once
//! for every parser ([`MAX_NOTES`], then a count). Nothing here names a
//! format: what differs between formats is read off their specs.

mod bsd_time;
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
mod format_list;
mod generic;
mod glue;
mod head;
mod ini;
mod inspector;
mod journal;
mod jsonc;
mod jsonrpc;
mod lex;
pub(crate) mod paste;
#[cfg(test)]
mod paste_tests;
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
pub(crate) mod wsl_cli;

pub use format::Format;
pub use paste::{curly_quote_at, has_curly_quotes};

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
    Format::ALL.iter().map(|format| format.name())
}

/// Whether records of the format called `format_name` are an MCP client's own log.
pub fn is_client_log(format_name: &str) -> bool {
    Format::from_name(format_name).is_some_and(|format| format.spec().client_log)
}

/// The `file` a `config_entry` signal names for a server configured in a
/// source of the format called `format_name` (`None`: it configures no server).
pub fn config_entry_file(format_name: &str) -> Option<&'static str> {
    Format::from_name(format_name)?.spec().config_entry_file
}

/// Detects the format of `text` and parses it into events.
pub fn parse(text: SourceText, id: SourceId, opts: &ParseOptions) -> ParsedSource {
    parse_detected(text, id, opts).0
}

/// [`parse`], plus the detection result when the format is read line by line
/// (not a whole-document format such as a client config or a Windows event dump).
fn parse_detected(
    text: SourceText,
    id: SourceId,
    opts: &ParseOptions,
) -> (ParsedSource, Option<detect::Detected>) {
    let tz = opts.tz.clone().unwrap_or(jiff::tz::TimeZone::UTC);
    let mut notes = Vec::new();
    let mut line_based = None;
    let (format, events) = {
        let context = head::ParseContext {
            text: &text.text,
            tz: &tz,
        };
        let mut detected = detect::detect(&context, &text.path);
        if let Some(name) = opts.format.as_deref() {
            match Format::from_name(name) {
                Some(forced) => detected.format = forced,
                None => notes.push(Note::new(
                    None,
                    format!(
                        "unknown format `{name}`: detected {} instead",
                        detected.format.name()
                    ),
                )),
            }
        }
        // Whole-document formats (client configs, Windows event dumps) first, then lines.
        let whole_events = detected.format.spec().read_whole.and_then(|read_whole| {
            let whole = format::WholeSource {
                context: &context,
                source: &text,
                id,
                quoted: detected.quoted,
            };
            read_whole(&whole, &mut notes)
        });
        let events = match whole_events {
            Some(events) => events,
            None => {
                let events = record::Driver::new(&context, &text, id, &detected).run(&mut notes);
                line_based = Some(detected.clone());
                events
            }
        };
        if let Some(source_notes) = detected.format.spec().source_notes {
            notes.extend(source_notes(&format::SourceNotesInput {
                source: &text,
                events: &events,
                format_name: detected.format.name(),
                zone_given: opts.tz.is_some(),
            }));
        }
        cap_notes(&mut notes);
        (detected.format.name(), events)
    };
    let parsed = ParsedSource {
        id,
        text,
        format,
        events,
        notes,
    };
    (parsed, line_based)
}

/// Parses pieces of one large line-based source with the format detected on its head
/// (the streaming scanner's view of `parse`).
#[derive(Clone, Debug)]
pub struct PieceParser {
    det: detect::Detected,
    tz: jiff::tz::TimeZone,
    /// The year of yearless timestamps, found in the head.
    year: (i16, bool),
}

impl PieceParser {
    /// Parses `head` (the first bytes of a large file) and returns it with a
    /// parser for the rest, or `None` when the format must be read whole
    /// (client configs, Windows event dumps, JSON arrays, CLI output) or is forced by name.
    pub fn from_head(
        head: SourceText,
        id: SourceId,
        opts: &ParseOptions,
    ) -> (ParsedSource, Option<PieceParser>) {
        let (parsed, det) = parse_detected(head, id, opts);
        let year = bsd_time::year(&parsed.text.text);
        let tz = opts.tz.clone().unwrap_or(jiff::tz::TimeZone::UTC);
        // Per-server JSON logs are one multi-line JSON document.
        let parser = det
            .filter(|detected| opts.format.is_none() && detected.format.spec().streamed_in_pieces)
            .map(|det| PieceParser { det, tz, year });
        (parsed, parser)
    }

    /// The detected format name.
    pub fn format(&self) -> &'static str {
        self.det.format.name()
    }

    /// Parses one piece: whole lines of the source, starting at a record start.
    /// Offsets, lines and `seq` are relative to the piece.
    /// `carry` is the server the last earlier [`PieceParser::carry_literal`] line named.
    pub fn parse(
        &self,
        piece: &SourceText,
        id: SourceId,
        carry: Option<&str>,
        notes: &mut Vec<Note>,
    ) -> Vec<Event> {
        let context = head::ParseContext {
            text: &piece.text,
            tz: &self.tz,
        };
        bsd_time::with_year(self.year, || {
            record::Driver::new(&context, piece, id, &self.det)
                .with_carry(carry)
                .run(notes)
        })
    }

    /// The text of lines that name the server of the lines after them (VS Code's
    /// `Starting server X`), when the format has such lines.
    pub fn carry_literal(&self) -> Option<&'static str> {
        self.det.format.spec().server_carry_literal
    }

    /// The server a line (without terminator) names for the lines after it.
    pub fn carry_of(&self, line: &str) -> Option<String> {
        let (view, prefix) = self.view(line);
        let context = head::ParseContext {
            text: line,
            tz: &self.tz,
        };
        let record_head = self.det.format.head(&context, &view, &prefix)?;
        match record_head.carry? {
            crate::event::Value::Text(range) => line
                .get(range.start as usize..range.end as usize)
                .map(str::to_string),
            crate::event::Value::Owned(server) => Some(server.into()),
            crate::event::Value::Int(number) => Some(number.to_string()),
        }
    }

    /// One line (without its terminator) as the record driver sees it.
    fn view(&self, line: &str) -> (lex::View, lex::Prefix) {
        let frame = crate::frame::Line {
            start: 0,
            end: line.len() as u32,
            next: line.len() as u32,
            number: 1,
            cut: false,
        };
        let view = lex::View::new(line, frame, self.det.quoted);
        let prefix = lex::prefix(line, &view);
        (view, prefix)
    }

    /// Whether a line (without its terminator) can start a record: the format
    /// reads it as an entry head (for formats with timestamps: one with a
    /// timestamp); for formats without entry heads (`generic`, `plain`), any
    /// unindented line that is not a closing bracket.
    pub fn starts_record(&self, line: &str, timed: bool) -> bool {
        if line.trim().is_empty() {
            return false;
        }
        if self.det.format.spec().records_are_unindented_lines {
            // Records of these formats are single unindented lines plus their stack frames.
            return !line.starts_with([' ', '\t', '}', ']', ')']);
        }
        let (view, prefix) = self.view(line);
        if timed {
            return prefix.ts.is_some();
        }
        let context = head::ParseContext {
            text: line,
            tz: &self.tz,
        };
        self.det
            .format
            .head(&context, &view, &prefix)
            .is_some_and(|record_head| record_head.score > 0)
    }
}

/// Most parse notes kept per source (the same cap as a streamed source's,
/// `stream::summary`); the rest are counted in one last note.
pub const MAX_NOTES: usize = 50;

/// Keeps the first [`MAX_NOTES`] notes and counts the rest in one note: every
/// parser's notes go through here, so no source's notes grow with its input.
fn cap_notes(notes: &mut Vec<Note>) {
    if notes.len() <= MAX_NOTES {
        return;
    }
    let rest = notes.len() - MAX_NOTES;
    notes.truncate(MAX_NOTES);
    notes.push(Note::new(None, format!("{rest} more notes not shown")));
}

/// Detects the format of a source without parsing it: `(format name, implied server)`.
pub fn detect_format(text: &SourceText) -> (&'static str, Option<String>) {
    let context = head::ParseContext {
        text: &text.text,
        tz: &jiff::tz::TimeZone::UTC,
    };
    let d = detect::detect(&context, &text.path);
    (d.format.name(), d.server)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_past_the_cap_become_one_count() {
        let mut notes: Vec<Note> = (0..MAX_NOTES + 7)
            .map(|i| Note::new(Some(i as u32), format!("n{i}")))
            .collect();
        cap_notes(&mut notes);
        assert_eq!(notes.len(), MAX_NOTES + 1);
        assert_eq!(notes[MAX_NOTES - 1].message, format!("n{}", MAX_NOTES - 1));
        assert_eq!(notes[MAX_NOTES].message, "7 more notes not shown");
        let mut few: Vec<Note> = vec![Note::new(None, "a")];
        cap_notes(&mut few);
        assert_eq!(few.len(), 1);
    }
}
