//! What a format is: the [`FormatSpec`] every format module declares (its
//! name, how it is detected, how it is read, and what the rest of the engine
//! must know about it) and [`Format`], the handle the parser passes around.
//!
//! This is vocabulary: the format modules import it, the list of every format
//! (`format_list`) sits above them. This module must never name a format or
//! import a format module (that would be a cycle); it holds no parsing logic.

use std::hash::{Hash, Hasher};

use crate::event::{Event, SourceId};
use crate::text::{Note, SourceText};

use super::head::{Head, ParseContext};
use super::lex::{Prefix, View};

/// Everything the engine knows about one format, declared in the format's own
/// module (`pub const ..._SPEC: FormatSpec`) and listed once in `format_list`.
///
/// Start from [`FormatSpec::lines`] (a line-based format with no special
/// behaviour) and set what differs with struct update syntax.
pub struct FormatSpec {
    /// The name rules use in `from:` / `sources:` and reports show. Names are
    /// hierarchical (`claude-code-debug` is in the `claude-code` and `claude`
    /// families) and part of the rule language: a name never changes once published.
    pub name: &'static str,
    /// Reads a line as the first line of a record of this format (`None`: not
    /// one). The record driver, the glued-record splitter and detection use
    /// it; detection sums its `score` over the first lines of a source.
    pub read_head: fn(&ParseContext<'_>, &View, &Prefix) -> Option<Head>,
    /// What a file name must look like to imply this format, if anything does.
    pub file_name_hint: Option<FileNameHint>,
    /// Reads the whole source at once (client configs, Windows event dumps):
    /// its events, or `None` (with notes saying why) to read it line by line.
    /// `None` here: the format is read line by line by the record driver.
    pub read_whole: Option<WholeReader>,
    /// A large line-based source of this format may be streamed in pieces cut
    /// at record starts; `false` reads it whole (one JSON document spread over
    /// lines, command output whose records span the file).
    pub streamed_in_pieces: bool,
    /// Unprefixed lines between this format's entries are the server's stderr
    /// (they get `stream: stderr` and the server of the entry before them).
    pub stderr_between_entries: bool,
    /// Lines are searched for two records glued together by a lost newline
    /// (`parse::glue`); off for formats without timestamped entry heads.
    pub split_glued_records: bool,
    /// Re-reads a multi-line record's lines once it is complete (a JSON object
    /// written over several lines); setting it keeps every record's lines.
    pub finish_multi_line_record: Option<fn(&ParseContext<'_>, &mut Head, &[View])>,
    /// This format also reads the lines another format's source does not claim.
    pub fallback: Option<FallbackReading>,
    /// The text of lines that name the server of the lines after them (VS
    /// Code's `Starting server x`), which the streaming scanner must find in
    /// every chunk to carry the server across pieces.
    pub server_carry_literal: Option<&'static str>,
    /// A record is an unindented line plus its stack frames (the format has no
    /// entry heads to cut a streamed source at).
    pub records_are_unindented_lines: bool,
    /// Notes added once per source after it is parsed (assumed years, misplaced keys).
    pub source_notes: Option<fn(&SourceNotesInput<'_>) -> Vec<Note>>,
    /// Records of this format are an MCP client's own log (what `collect`
    /// advises to add when a bundle has none).
    pub client_log: bool,
    /// The `file` the `config_entry` signal names for a server configured in
    /// a source of this format (`.mcp.json`, `claude mcp`); `None`: this format
    /// holds no server configuration.
    pub config_entry_file: Option<&'static str>,
}

impl FormatSpec {
    /// A line-based format read by `read_head` alone: detected by content only,
    /// streamed, glued records split, nothing else special.
    pub const fn lines(
        name: &'static str,
        read_head: fn(&ParseContext<'_>, &View, &Prefix) -> Option<Head>,
    ) -> FormatSpec {
        FormatSpec {
            name,
            read_head,
            file_name_hint: None,
            read_whole: None,
            streamed_in_pieces: true,
            stderr_between_entries: false,
            split_glued_records: true,
            finish_multi_line_record: None,
            fallback: None,
            server_carry_literal: None,
            records_are_unindented_lines: false,
            source_notes: None,
            client_log: false,
            config_entry_file: None,
        }
    }
}

/// Reads a whole source: its events, or `None` (with notes saying why) to
/// read it line by line instead.
pub type WholeReader = fn(&WholeSource<'_>, &mut Vec<Note>) -> Option<Vec<Event>>;

/// A file-name hint: when `matches` accepts the name, detection prefers this
/// format (it wins whenever it reads the sample at all).
#[derive(Clone, Copy)]
pub struct FileNameHint {
    /// When several formats' hints accept a name, the lowest rank wins. Ranks
    /// are unique (a test checks): `mcp.log` inside `.claude/debug/` is Claude
    /// Desktop's because its rank is lower.
    pub rank: u8,
    /// Whether the name implies this format, and the server it implies.
    pub matches: fn(&FileName) -> Option<NameHint>,
}

/// What a matching file name says beyond the format.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NameHint {
    /// The server every record of the source belongs to (`mcp-server-<name>.log`).
    pub implied_server: Option<String>,
}

/// A source's path in the shapes hints compare: `/` separators, and the last
/// component (after `/` or an archive's `!`), each as given and in lower case.
#[derive(Clone, Debug)]
pub struct FileName {
    /// The path with `\` turned into `/`.
    pub path: String,
    /// `path` in ASCII lower case.
    pub path_lower: String,
    /// The file's own name, as given.
    pub base: String,
    /// `base` in ASCII lower case.
    pub base_lower: String,
}

impl FileName {
    pub fn of(path: &str) -> FileName {
        let path = path.replace('\\', "/");
        let base = path.rsplit(['/', '!']).next().unwrap_or("").to_string();
        FileName {
            path_lower: path.to_ascii_lowercase(),
            base_lower: base.to_ascii_lowercase(),
            path,
            base,
        }
    }
}

/// A format that reads lines the source's own format did not claim (before
/// they become plain lines): JSON-RPC payloads, `claude mcp` output, generic
/// `timestamp level message` lines.
#[derive(Clone, Copy, Debug)]
pub struct FallbackReading {
    /// Fallbacks are tried in increasing rank; ranks are unique.
    pub rank: u8,
    /// The head is taken only when it scores at least this.
    pub min_score: u8,
}

/// A source read whole by a [`FormatSpec::read_whole`] reader.
pub struct WholeSource<'a> {
    pub context: &'a ParseContext<'a>,
    pub source: &'a SourceText,
    pub id: SourceId,
    /// Every line is a markdown block quote (`> `), as detected.
    pub quoted: bool,
}

/// What a [`FormatSpec::source_notes`] function reads: the parsed source.
pub struct SourceNotesInput<'a> {
    pub source: &'a SourceText,
    pub events: &'a [Event],
    pub format_name: &'static str,
    /// Whether `--tz` gave the zone of timestamps without one.
    pub zone_given: bool,
}

/// A log format: a handle to its [`FormatSpec`]. Two handles are equal when
/// they name the same format. Every format is in `Format::ALL` (`format_list`).
#[derive(Clone, Copy)]
pub struct Format(&'static FormatSpec);

impl Format {
    /// The format `spec` declares.
    pub const fn of(spec: &'static FormatSpec) -> Format {
        Format(spec)
    }

    /// Everything known about this format.
    pub fn spec(self) -> &'static FormatSpec {
        self.0
    }

    /// The name rules use in `from:` / `sources:`.
    pub fn name(self) -> &'static str {
        self.0.name
    }

    /// Reads `view` as the first line of a record of this format.
    pub fn head(self, context: &ParseContext<'_>, view: &View, prefix: &Prefix) -> Option<Head> {
        (self.0.read_head)(context, view, prefix)
    }
}

impl PartialEq for Format {
    fn eq(&self, other: &Format) -> bool {
        self.0.name == other.0.name
    }
}

impl Eq for Format {}

impl Hash for Format {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.name.hash(state);
    }
}

impl std::fmt::Debug for Format {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(self.0.name)
    }
}
