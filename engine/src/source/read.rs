//! Reads the bytes of each input under the [`Limits`], unpacks containers
//! into members, and hands each member to [`crate::decode`].
//!
//! A [`Blob`] is one stream of bytes with a display path. A plain file or
//! stdin is one blob; a gzip stream (by its magic bytes or a `.gz` name) is
//! decompressed into one blob keeping the `.gz` name; zip and tar archives
//! ([`super::zip`], [`super::tar`]) yield one blob per member, named
//! `archive.zip!member/path`, through [`Reader::blob`] again, so caps, notes,
//! errors and nested containers work the same at every level (down to
//! [`MAX_NESTING`] containers). Binary formats that can be turned into text
//! (`.evtx`) plug in at [`convert_binary`].
//!
//! This module never holds more than the capped bytes of a source, never
//! writes to disk, and never drops an input without an [`InputError`].

use std::fs::File;
use std::io::{self, Read};

use flate2::read::MultiGzDecoder;

use super::container::{self, Kind};
use super::walk::Input;
use super::{io_message, InputError, Limits};
use crate::decode::{self, human_bytes, DecodeOptions};
use crate::text::{Note, SourceText};

/// Most containers opened one inside the other (`a.tar.gz` is two: gzip, then
/// tar; a `.log.gz` inside a `.zip` inside it makes four).
pub(crate) const MAX_NESTING: u8 = 4;

/// Reads inputs one by one, keeping the total under `limits.max_total_bytes`.
pub(crate) struct Reader<'a> {
    pub(super) limits: &'a Limits,
    /// Bytes kept so far, over all sources.
    total: u64,
    pub(crate) texts: Vec<SourceText>,
    pub(crate) errors: Vec<InputError>,
}

/// One stream of bytes to read: a file, stdin, a decompressed stream or an
/// archive member.
pub(crate) struct Blob {
    /// The path shown to users (`bundle.zip!logs/mcp.log`).
    pub(crate) display: String,
    /// The name whose extension tells what the bytes are (`a.tar` for the
    /// content of `a.tar.gz`).
    pub(crate) hint: String,
    pub(crate) bytes: Vec<u8>,
    /// Why the bytes end early, when a cap or an error cut them.
    pub(crate) cut: Option<String>,
    /// The bytes are not the file on disk (decompressed, or an archive member).
    pub(crate) decompressed: bool,
    /// Containers opened to reach these bytes.
    pub(crate) depth: u8,
    /// Notes for the source these bytes become (a normalised member path).
    pub(crate) notes: Vec<Note>,
}

impl Blob {
    fn top(display: String, bytes: Vec<u8>, cut: Option<String>) -> Blob {
        Blob {
            hint: display.clone(),
            display,
            bytes,
            cut,
            decompressed: false,
            depth: 0,
            notes: Vec::new(),
        }
    }
}

/// Which cap bounded a read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cap {
    Source(u64),
    Total(u64),
    Ratio(u64),
}

impl Cap {
    pub(crate) fn bytes(self) -> u64 {
        match self {
            Cap::Source(n) | Cap::Total(n) | Cap::Ratio(n) => n,
        }
    }

    pub(crate) fn reason(self, limits: &Limits) -> String {
        match self {
            Cap::Source(n) => format!("the per-source size cap ({}) was reached", human_bytes(n)),
            Cap::Total(_) => format!(
                "the total input cap ({}) was reached",
                human_bytes(limits.max_total_bytes)
            ),
            Cap::Ratio(_) => format!(
                "the compression ratio cap ({}:1) was reached (a possible decompression bomb)",
                limits.max_ratio
            ),
        }
    }

    /// The tighter of `self` and a ratio cap of `n` bytes.
    pub(crate) fn or_ratio(self, n: u64) -> Cap {
        if n < self.bytes() {
            Cap::Ratio(n)
        } else {
            self
        }
    }
}

/// The bytes of a capped read: what was read, whether the cap cut it, and the
/// error that ended it early, if any.
pub(crate) struct Capped {
    pub(crate) bytes: Vec<u8>,
    pub(crate) truncated: bool,
    pub(crate) error: Option<io::Error>,
}

pub(crate) fn read_capped(r: impl Read, cap: u64) -> Capped {
    let mut bytes = Vec::new();
    let res = r.take(cap.saturating_add(1)).read_to_end(&mut bytes);
    let truncated = bytes.len() as u64 > cap;
    if truncated {
        bytes.truncate(usize::try_from(cap).unwrap_or(usize::MAX));
    }
    Capped {
        bytes,
        truncated,
        error: res.err(),
    }
}

/// Turns a binary input that holds log records (a Windows `.evtx` event log)
/// into text, before it would be rejected as binary. `None` means "not a
/// format converted here": the bytes are decoded as text (or rejected as
/// binary) as usual.
///
/// This is the single hook for binary converters: a binary Windows event log
/// (`ElfFile` magic) is rendered by [`super::evtx::to_text`] as one line of
/// XML per record; everything else goes to [`crate::decode`].
fn convert_binary(display: &str, bytes: &[u8]) -> Option<Result<SourceText, InputError>> {
    bytes
        .starts_with(super::evtx::MAGIC)
        .then(|| super::evtx::to_text(display, bytes))
}

impl<'a> Reader<'a> {
    pub(crate) fn new(limits: &'a Limits) -> Reader<'a> {
        Reader {
            limits,
            total: 0,
            texts: Vec::new(),
            errors: Vec::new(),
        }
    }

    /// The tightest of the per-source and the remaining total cap.
    pub(crate) fn cap(&self) -> Cap {
        let left = self.limits.max_total_bytes.saturating_sub(self.total);
        if left < self.limits.max_source_bytes {
            Cap::Total(left)
        } else {
            Cap::Source(self.limits.max_source_bytes)
        }
    }

    /// The cap for reading bytes that may be a container: the per-source cap
    /// (the total cap applies to what is decoded, see [`Reader::member`]), or
    /// nothing once the total is spent.
    pub(crate) fn read_cap(&self) -> Cap {
        match self.cap() {
            Cap::Total(0) => Cap::Total(0),
            _ => Cap::Source(self.limits.max_source_bytes),
        }
    }

    /// Most decompressed bytes allowed from `compressed` bytes.
    pub(crate) fn ratio_cap(&self, compressed: u64) -> u64 {
        compressed
            .saturating_mul(self.limits.max_ratio)
            .max(self.limits.ratio_floor)
    }

    pub(crate) fn error(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.errors.push(InputError::new(path, message));
    }

    fn skip_over_total(&mut self, display: String) {
        let message = format!(
            "the total input cap ({}) was reached; skipped",
            human_bytes(self.limits.max_total_bytes)
        );
        self.error(display, message);
    }

    /// Reads one input.
    pub(crate) fn input(&mut self, input: Input) {
        let cap = self.read_cap();
        let display = match &input {
            Input::Stdin => "-".to_string(),
            Input::File { display, .. } => display.clone(),
        };
        if cap.bytes() == 0 {
            return self.skip_over_total(display);
        }
        let read = match input {
            Input::Stdin => read_capped(io::stdin().lock(), cap.bytes()),
            Input::File { path, .. } => match File::open(&path) {
                Ok(f) => read_capped(f, cap.bytes()),
                Err(e) => return self.error(display, io_message(&e)),
            },
        };
        let cut = match (&read.error, read.truncated) {
            (Some(e), _) if read.bytes.is_empty() => return self.error(display, io_message(e)),
            (Some(e), _) => Some(format!("a read error ({})", io_message(e))),
            (None, true) => Some(cap.reason(self.limits)),
            (None, false) => None,
        };
        self.blob(Blob::top(display, read.bytes, cut));
    }

    /// Reads bytes already in memory as one input, capped like a file.
    pub(crate) fn bytes(&mut self, display: String, mut bytes: Vec<u8>) {
        let cap = self.read_cap();
        if cap.bytes() == 0 {
            return self.skip_over_total(display);
        }
        let mut cut = None;
        if bytes.len() as u64 > cap.bytes() {
            bytes.truncate(usize::try_from(cap.bytes()).unwrap_or(usize::MAX));
            cut = Some(cap.reason(self.limits));
        }
        self.blob(Blob::top(display, bytes, cut));
    }

    /// Dispatches one blob by content: containers are opened (their members
    /// come back here), anything else is decoded as one source.
    pub(crate) fn blob(&mut self, blob: Blob) {
        let kind = container::sniff(&blob.hint, &blob.bytes);
        if kind != Kind::Plain && blob.depth >= MAX_NESTING {
            let message =
                format!("a container nested more than {MAX_NESTING} levels deep; skipped");
            return self.error(blob.display, message);
        }
        match kind {
            Kind::Gzip => self.gunzip(blob),
            Kind::Zip => super::zip::read(self, &blob),
            Kind::Tar => super::tar::read(self, &blob),
            Kind::Plain => self.member(blob),
        }
    }

    /// Decompresses a gzip stream (all its members) into one blob and
    /// dispatches it again (a `.tar.gz` holds a tar).
    fn gunzip(&mut self, blob: Blob) {
        let cap = self
            .read_cap()
            .or_ratio(self.ratio_cap(blob.bytes.len() as u64));
        let read = read_capped(MultiGzDecoder::new(blob.bytes.as_slice()), cap.bytes());
        let cut = match (&read.error, read.truncated) {
            (Some(e), _) if read.bytes.is_empty() => {
                let message = format!("corrupt gzip: {}", io_message(e));
                return self.error(blob.display, message);
            }
            (Some(_), _) if blob.cut.is_some() => blob.cut,
            (Some(e), _) => Some(format!(
                "the gzip stream is corrupt or truncated after {} decompressed bytes ({})",
                read.bytes.len(),
                io_message(e)
            )),
            (None, true) => Some(cap.reason(self.limits)),
            (None, false) => None,
        };
        self.blob(Blob {
            hint: container::gunzipped_name(&blob.hint),
            display: blob.display,
            bytes: read.bytes,
            cut,
            decompressed: true,
            depth: blob.depth.saturating_add(1),
            notes: blob.notes,
        });
    }

    /// Decodes one blob as a source and keeps it (or converts it first, see
    /// [`convert_binary`]), cut to what is left of the total cap.
    fn member(&mut self, mut blob: Blob) {
        let cap = self.cap();
        if cap.bytes() == 0 {
            return self.skip_over_total(blob.display);
        }
        if blob.bytes.len() as u64 > cap.bytes() {
            blob.bytes
                .truncate(usize::try_from(cap.bytes()).unwrap_or(usize::MAX));
            blob.cut = Some(cap.reason(self.limits));
        }
        let decoded = match convert_binary(&blob.display, &blob.bytes) {
            Some(converted) => converted,
            None => {
                let opts = DecodeOptions {
                    decompressed: blob.decompressed,
                    cut: blob.cut,
                };
                decode::try_decode_with(blob.display, blob.bytes, opts)
                    .map_err(|e| InputError::new(e.path, e.kind.to_string()))
            }
        };
        match decoded {
            Ok(mut text) => {
                self.total = self.total.saturating_add(text.raw_len);
                if !blob.notes.is_empty() {
                    let mut notes = blob.notes;
                    notes.append(&mut text.notes);
                    text.notes = notes;
                }
                self.texts.push(text);
            }
            Err(e) => self.errors.push(e),
        }
    }
}
