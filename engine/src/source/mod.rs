//! Sources: paths (files, folders, `.gz`, `.zip`, `.tar`, `.tar.gz`) and stdin
//! in, inputs out: unread [`Input`]s to stream ([`collect_inputs`], what a
//! scan uses), or decoded [`SourceText`]s read whole ([`collect`], for rule
//! tests and tools).
//!
//! `walk` turns the paths into inputs in a sorted, deterministic order; every
//! input is a [`ByteSource`] (`bytes`), opened as often as needed and never
//! held whole; `read` recognises containers by magic bytes or name
//! (`container`) under the [`Limits`] (`cap`): a `.gz` holds one stream; zip
//! (`zip`) and tar (`tar`) archives hold many members, listed in place by
//! their format readers, which hand back entries (`archive`) that `read`
//! reads in sorted order with normalised paths (`member_path`), named
//! `archive.zip!member/path`; containers nest (a `.zip` inside a `.tar.gz`).
//! What is read whole is read by `whole`.
//! What can be read only once and must then be seeked (stdin, the tar inside
//! a gzip) goes through a spool (`spool`: memory, then an anonymous temporary
//! file). Offsets are into each member's own bytes. An input or member that
//! cannot be read becomes an [`InputError`] and the rest goes on.
//!
//! This module never writes to disk except a spool's temporary file, never
//! follows a symbolic link loop or an archive's symbolic link member, and
//! never skips an input without an [`InputError`] or a note saying so.

mod archive;
mod bytes;
mod cap;
mod container;
pub mod evtx;
mod evtx_guard;
mod member_path;
mod nul_tail;
mod read;
mod spool;
mod tar;
mod walk;
mod whole;
mod zip;
mod zip_dir;

use std::io;
use std::path::Path;

pub use bytes::ByteSource;

use crate::text::{Note, SourceText};

/// An input that could not be read; the scan goes on without it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    pub path: String,
    pub message: String,
}

impl InputError {
    pub(crate) fn new(path: impl Into<String>, message: impl Into<String>) -> InputError {
        InputError {
            path: path.into(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Caps on how much is read, so a huge file or a decompression bomb cannot
/// exhaust memory or time. A cap that cuts a source cuts it at a line
/// boundary and adds a note; a source that gets no budget at all is an
/// [`InputError`].
///
/// Every decompressed source is capped by the ratio against its compressed
/// size (a zip archive's members also together, by their declared sizes).
/// What is read whole is also capped per source, and, by [`collect`], in
/// total (counting decoded members). A streamed source has no size cap: it is
/// never held in memory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Most bytes kept from one source read whole (after decompression).
    pub max_source_bytes: u64,
    /// Most bytes kept from all sources read whole together, by [`collect`].
    pub max_total_bytes: u64,
    /// Most decompressed bytes per compressed byte, checked only once the
    /// output is larger than `ratio_floor`.
    pub max_ratio: u64,
    /// Decompressed size up to which the ratio is not checked.
    pub ratio_floor: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_source_bytes: 1 << 30,
            max_total_bytes: 4 << 30,
            max_ratio: 200,
            ratio_floor: 16 << 20,
        }
    }
}

/// Reads every input named by `paths` (`-` is stdin), walking folders recursively
/// in a sorted, deterministic order, with the default [`Limits`]: every
/// source read whole and decoded.
pub fn collect(paths: &[&Path]) -> (Vec<SourceText>, Vec<InputError>) {
    collect_with(paths, &Limits::default())
}

/// [`collect`] with explicit limits. Sources and errors come in path order.
pub fn collect_with(paths: &[&Path], limits: &Limits) -> (Vec<SourceText>, Vec<InputError>) {
    let mut reader = read::Reader::new(limits, read::Mode::Whole);
    for item in walk::expand(paths) {
        match item {
            walk::Item::Input(input) => reader.input(input),
            walk::Item::Error(e) => reader.errors.push(e),
        }
    }
    (texts_of(reader.out), reader.errors)
}

fn texts_of(out: Vec<Collected>) -> Vec<SourceText> {
    out.into_iter()
        .filter_map(|c| match c {
            Collected::Text(t) => Some(t),
            Collected::Input(_) => None,
        })
        .collect()
}

/// One source to be streamed (or read whole, when its content says so): its
/// bytes, re-openable, with what is known about them before they are read.
#[derive(Clone, Debug)]
pub struct Input {
    /// The path shown to users (`-` for stdin, `bundle.zip!logs/mcp.log`).
    pub display: String,
    /// The name formats are detected by: the display path, without the `.gz`
    /// of a gzip stream (`mcp.log` for `mcp.log.gz`).
    pub name: String,
    pub source: ByteSource,
    /// The bytes are not the file on disk (decompressed, or an archive member).
    pub decompressed: bool,
    /// Most bytes read from the source, and the cap that says so (the
    /// compression ratio cap of a decompressed source).
    pub limit: Option<(u64, String)>,
    /// Why the bytes end early, when that is known before reading them (a
    /// member of an archive cut short).
    pub cut: Option<String>,
    /// Notes for the source (a normalised member path).
    pub notes: Vec<Note>,
    pub(crate) origin: Origin,
    /// Counts the bytes read from the source, for a progress display.
    pub progress: Option<std::sync::Arc<crate::progress::Progress>>,
}

impl Input {
    /// An input of bytes in memory named `display` (for tests and library callers).
    pub fn memory(display: impl Into<String>, bytes: Vec<u8>) -> Input {
        Input::of_source(display, ByteSource::memory(bytes))
    }

    /// A plain input (not a container) read from `source`, named `display`.
    pub fn of_source(display: impl Into<String>, source: ByteSource) -> Input {
        let display = display.into();
        Input {
            name: display.clone(),
            display,
            source,
            decompressed: false,
            limit: None,
            cut: None,
            notes: Vec::new(),
            origin: Origin::Plain,
            progress: None,
        }
    }

    /// Why the bytes end at byte `read`, where reading them failed with `e`
    /// (worded for what the bytes are: a file, a gzip stream, an archive member).
    pub fn read_error(&self, read: u64, e: &io::Error) -> String {
        self.origin.cut_by_error(read, e)
    }
}

/// What a source's bytes are, to word read errors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Origin {
    /// A file or stdin.
    Plain,
    /// A gzip stream; `outer_cut` says why its compressed bytes were cut, if they were.
    Gzip { outer_cut: Option<String> },
    /// An archive member; `outer_cut` says why the archive was cut, if it was.
    Member { outer_cut: Option<String> },
}

impl Origin {
    /// Why nothing could be read.
    pub(crate) fn unreadable(&self, e: &io::Error) -> String {
        match self {
            Origin::Plain => io_message(e),
            Origin::Gzip { .. } => format!("corrupt gzip: {}", io_message(e)),
            Origin::Member { .. } => format!("corrupt member: {}; skipped", io_message(e)),
        }
    }

    /// Why the bytes end after `read` bytes, where a read failed with `e`.
    pub(crate) fn cut_by_error(&self, read: u64, e: &io::Error) -> String {
        match self {
            Origin::Plain => format!("a read error ({})", io_message(e)),
            Origin::Gzip {
                outer_cut: Some(cut),
            }
            | Origin::Member {
                outer_cut: Some(cut),
            } => cut.clone(),
            Origin::Gzip { outer_cut: None } => format!(
                "the gzip stream is corrupt or truncated after {read} decompressed bytes ({})",
                io_message(e)
            ),
            Origin::Member { outer_cut: None } => format!(
                "the member is corrupt or truncated after {read} bytes ({})",
                io_message(e)
            ),
        }
    }
}

/// An input in path order: decoded already (a binary format rendered as
/// text), or to be streamed.
#[derive(Clone, Debug)]
pub enum Collected {
    Text(SourceText),
    Input(Input),
}

/// The inputs named by `paths` (`-` is stdin), as [`collect_with`] finds them,
/// but unread: every plain source (a file, stdin, a decompressed stream, an
/// archive member) is an [`Input`] to be streamed; only `.evtx` files are read
/// (and rendered) here. Containers are listed, never decompressed ahead.
pub fn collect_inputs(paths: &[&Path], limits: &Limits) -> (Vec<Collected>, Vec<InputError>) {
    let mut reader = read::Reader::new(limits, read::Mode::Stream);
    for item in walk::expand(paths) {
        match item {
            walk::Item::Input(input) => reader.input(input),
            walk::Item::Error(e) => reader.errors.push(e),
        }
    }
    (reader.out, reader.errors)
}

/// [`collect_inputs`] for one input of bytes in memory named `display`.
pub fn inputs_of_bytes(
    display: &str,
    bytes: Vec<u8>,
    limits: &Limits,
) -> (Vec<Collected>, Vec<InputError>) {
    let mut reader = read::Reader::new(limits, read::Mode::Stream);
    reader.bytes(display.to_string(), bytes);
    (reader.out, reader.errors)
}

/// [`collect_inputs`] for one source of bytes named `display`.
pub fn inputs_of_source(
    display: &str,
    source: ByteSource,
    limits: &Limits,
) -> (Vec<Collected>, Vec<InputError>) {
    let mut reader = read::Reader::new(limits, read::Mode::Stream);
    reader.source(display.to_string(), source);
    (reader.out, reader.errors)
}

/// Reads an input whole and decodes it, at most `limits.max_source_bytes` (for
/// a source whose content must be read whole: a whole document, a newest-first
/// export).
pub fn read_whole(input: Input, limits: &Limits) -> Result<SourceText, InputError> {
    whole::read_whole(input, cap::Cap::Source(limits.max_source_bytes), limits)
}

/// Reads bytes already in memory (a paste, an upload) named `display`, as
/// [`collect`] reads a file: gzip and archives are unpacked, caps apply,
/// binary is an error.
/// Returns a list because a container may hold several sources.
pub fn read_bytes(
    display: &str,
    bytes: Vec<u8>,
    limits: &Limits,
) -> (Vec<SourceText>, Vec<InputError>) {
    let mut reader = read::Reader::new(limits, read::Mode::Whole);
    reader.bytes(display.to_string(), bytes);
    (texts_of(reader.out), reader.errors)
}

/// An I/O error as one line, without the `(os error N)` suffix.
pub(crate) fn io_message(e: &io::Error) -> String {
    let s = e.to_string();
    match s.rfind(" (os error ") {
        Some(i) => s.get(..i).unwrap_or(&s).to_string(),
        None => s,
    }
}

#[cfg(test)]
mod tests;
