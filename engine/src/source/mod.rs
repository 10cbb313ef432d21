//! Sources: paths (files, folders, `.gz`, `.zip`, `.tar`, `.tar.gz`) and stdin
//! in, decoded [`SourceText`]s out.
//!
//! `walk` turns the paths into inputs in a sorted, deterministic order;
//! `read` reads each input's bytes under the [`Limits`] and unpacks
//! containers, found by magic bytes or name (`container`): a `.gz` holds
//! one member; zip (`zip`) and tar (`tar`) archives hold many, read in
//! memory in sorted order (`archive`) with normalised paths
//! (`member_path`) and named `archive.zip!member/path`; containers nest
//! (a `.zip` inside a `.tar.gz`). [`crate::decode`] makes each member a
//! [`SourceText`] whose offsets are into the member's own bytes. An input or
//! member that cannot be read becomes an [`InputError`] and the rest goes on.
//!
//! This module never writes to disk, never follows a symbolic link loop or an
//! archive's symbolic link member, and never skips an input without an
//! [`InputError`] or a note saying so.

mod archive;
mod container;
pub mod evtx;
mod member_path;
mod read;
mod tar;
mod walk;
mod zip;

use std::io;
use std::path::Path;

use crate::text::SourceText;

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
/// exhaust memory. A cap that cuts a source cuts it at a line boundary and
/// adds a note; a source that gets no budget at all is an [`InputError`].
///
/// An archive file (or a decompressed tarball) is held whole up to
/// `max_source_bytes`; each member is then capped on its own, the total
/// counts decoded members, and the ratio applies per compressed member and
/// over the whole archive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Most bytes kept from one source (after decompression).
    pub max_source_bytes: u64,
    /// Most bytes kept from all sources together.
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
/// in a sorted, deterministic order, with the default [`Limits`].
pub fn collect(paths: &[&Path]) -> (Vec<SourceText>, Vec<InputError>) {
    collect_with(paths, &Limits::default())
}

/// [`collect`] with explicit limits. Sources and errors come in path order.
pub fn collect_with(paths: &[&Path], limits: &Limits) -> (Vec<SourceText>, Vec<InputError>) {
    let mut reader = read::Reader::new(limits);
    for item in walk::expand(paths) {
        match item {
            walk::Item::Input(input) => reader.input(input),
            walk::Item::Error(e) => reader.errors.push(e),
        }
    }
    (reader.texts, reader.errors)
}

/// A plain file large enough to be streamed (`crate::stream`) rather than read whole.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LargeFile {
    pub path: std::path::PathBuf,
    pub display: String,
    pub size: u64,
}

/// An input in path order: read whole, or left for the streaming scanner.
#[derive(Clone, Debug)]
pub enum Collected {
    Text(SourceText),
    Large(LargeFile),
}

/// [`collect_with`], except that regular files of at least `stream_from` bytes
/// that are not containers or binary event logs (by name and first bytes) are
/// returned unread as [`Collected::Large`], in their place in path order.
pub fn collect_split(
    paths: &[&Path],
    limits: &Limits,
    stream_from: u64,
) -> (Vec<Collected>, Vec<InputError>) {
    let mut reader = read::Reader::new(limits);
    let mut out = Vec::new();
    for item in walk::expand(paths) {
        match item {
            walk::Item::Input(walk::Input::File { path, display }) => {
                match large_file(&path, &display, stream_from) {
                    Some(large) => {
                        out.extend(reader.texts.drain(..).map(Collected::Text));
                        out.push(Collected::Large(large));
                    }
                    None => reader.input(walk::Input::File { path, display }),
                }
            }
            walk::Item::Input(input) => reader.input(input),
            walk::Item::Error(e) => reader.errors.push(e),
        }
    }
    out.extend(reader.texts.drain(..).map(Collected::Text));
    (out, reader.errors)
}

/// `path` as a [`LargeFile`] when it is a plain file of at least `min` bytes.
fn large_file(path: &Path, display: &str, min: u64) -> Option<LargeFile> {
    use std::io::Read;
    let size = std::fs::metadata(path).ok().filter(|m| m.is_file())?.len();
    if size < min {
        return None;
    }
    let mut head = Vec::with_capacity(512);
    std::fs::File::open(path)
        .ok()?
        .take(512)
        .read_to_end(&mut head)
        .ok()?;
    let plain = container::sniff(display, &head) == container::Kind::Plain
        && !head.starts_with(evtx::MAGIC);
    plain.then(|| LargeFile {
        path: path.to_path_buf(),
        display: display.to_string(),
        size,
    })
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
    let mut reader = read::Reader::new(limits);
    reader.bytes(display.to_string(), bytes);
    (reader.texts, reader.errors)
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
