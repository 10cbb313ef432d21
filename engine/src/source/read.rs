//! Reads the bytes of each input under the [`Limits`], unpacks containers
//! into members, and hands each member to [`crate::decode`].
//!
//! A member is one stream of bytes with a display path. A plain file or stdin
//! is one member; a gzip stream (by its magic bytes or a `.gz` name) is one
//! decompressed member keeping the `.gz` name. Archive readers (zip, tar) plug
//! in at [`Reader::member`]: they call it once per entry with the display path
//! `archive.zip!member/path`, so caps, notes and errors work the same.
//!
//! This module never holds more than the capped bytes of a source, never
//! writes to disk, and never drops an input without an [`InputError`].

use std::fs::File;
use std::io::{self, Read};

use flate2::read::MultiGzDecoder;

use super::walk::Input;
use super::{io_message, InputError, Limits};
use crate::decode::{self, human_bytes, DecodeOptions};
use crate::text::SourceText;

/// Reads inputs one by one, keeping the total under `limits.max_total_bytes`.
pub(crate) struct Reader<'a> {
    limits: &'a Limits,
    /// Bytes kept so far, over all sources.
    total: u64,
    pub(crate) texts: Vec<SourceText>,
    pub(crate) errors: Vec<InputError>,
}

/// Which cap bounded a read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cap {
    Source(u64),
    Total(u64),
    Ratio(u64),
}

impl Cap {
    fn bytes(self) -> u64 {
        match self {
            Cap::Source(n) | Cap::Total(n) | Cap::Ratio(n) => n,
        }
    }

    fn reason(self, limits: &Limits) -> String {
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
}

/// The bytes of a capped read: what was read, whether the cap cut it, and the
/// error that ended it early, if any.
struct Capped {
    bytes: Vec<u8>,
    truncated: bool,
    error: Option<io::Error>,
}

fn read_capped(r: impl Read, cap: u64) -> Capped {
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
    fn cap(&self) -> Cap {
        let left = self.limits.max_total_bytes.saturating_sub(self.total);
        if left < self.limits.max_source_bytes {
            Cap::Total(left)
        } else {
            Cap::Source(self.limits.max_source_bytes)
        }
    }

    fn skip_over_total(&mut self, display: String) {
        let message = format!(
            "the total input cap ({}) was reached; skipped",
            human_bytes(self.limits.max_total_bytes)
        );
        self.errors.push(InputError::new(display, message));
    }

    /// Reads one input.
    pub(crate) fn input(&mut self, input: Input) {
        let cap = self.cap();
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
                Err(e) => return self.errors.push(InputError::new(display, io_message(&e))),
            },
        };
        let cut = match (&read.error, read.truncated) {
            (Some(e), _) if read.bytes.is_empty() => {
                return self.errors.push(InputError::new(display, io_message(e)))
            }
            (Some(e), _) => Some(format!("a read error ({})", io_message(e))),
            (None, true) => Some(cap.reason(self.limits)),
            (None, false) => None,
        };
        self.blob(display, read.bytes, cut);
    }

    /// Reads bytes already in memory as one input, capped like a file.
    pub(crate) fn bytes(&mut self, display: String, mut bytes: Vec<u8>) {
        let cap = self.cap();
        if cap.bytes() == 0 {
            return self.skip_over_total(display);
        }
        let mut cut = None;
        if bytes.len() as u64 > cap.bytes() {
            bytes.truncate(usize::try_from(cap.bytes()).unwrap_or(usize::MAX));
            cut = Some(cap.reason(self.limits));
        }
        self.blob(display, bytes, cut);
    }

    /// Dispatches the bytes of one input by content: a gzip stream is
    /// unpacked, anything else is one member. Archive readers hook in here.
    fn blob(&mut self, display: String, bytes: Vec<u8>, cut: Option<String>) {
        if bytes.starts_with(super::evtx::MAGIC) {
            // Binary Windows event log: rendered to one line of XML per record.
            match super::evtx::to_text(&display, &bytes) {
                Ok(mut text) => {
                    text.notes
                        .extend(cut.map(|c| crate::text::Note::new(None, c)));
                    self.total = self.total.saturating_add(text.raw_len);
                    self.texts.push(text);
                }
                Err(e) => self.errors.push(e),
            }
        } else if is_gzip(&display, &bytes) {
            self.gunzip(display, &bytes, cut);
        } else {
            self.member(display, bytes, false, cut);
        }
    }

    /// Decompresses a gzip stream (all its members) into one source. `cut` says
    /// why the compressed bytes end early, when they do.
    fn gunzip(&mut self, display: String, compressed: &[u8], cut: Option<String>) {
        let by_ratio = (compressed.len() as u64)
            .saturating_mul(self.limits.max_ratio)
            .max(self.limits.ratio_floor);
        let cap = match self.cap() {
            c @ (Cap::Source(n) | Cap::Total(n)) if n <= by_ratio => c,
            _ => Cap::Ratio(by_ratio),
        };
        let read = read_capped(MultiGzDecoder::new(compressed), cap.bytes());
        let cut = match (&read.error, read.truncated) {
            (Some(e), _) if read.bytes.is_empty() => {
                let message = format!("corrupt gzip: {}", io_message(e));
                return self.errors.push(InputError::new(display, message));
            }
            (Some(_), _) if cut.is_some() => cut,
            (Some(e), _) => Some(format!(
                "the gzip stream is corrupt or truncated after {} decompressed bytes ({})",
                read.bytes.len(),
                io_message(e)
            )),
            (None, true) => Some(cap.reason(self.limits)),
            (None, false) => None,
        };
        self.member(display, read.bytes, true, cut);
    }

    /// Decodes one member and keeps it. Archive readers call this per entry
    /// with `archive!entry` display paths.
    pub(crate) fn member(
        &mut self,
        display: String,
        bytes: Vec<u8>,
        decompressed: bool,
        cut: Option<String>,
    ) {
        let opts = DecodeOptions { decompressed, cut };
        match decode::try_decode_with(display, bytes, opts) {
            Ok(text) => {
                self.total = self.total.saturating_add(text.raw_len);
                self.texts.push(text);
            }
            Err(e) => self
                .errors
                .push(InputError::new(e.path, e.kind.to_string())),
        }
    }
}

/// Whether `bytes` is a gzip stream: by its magic bytes, or by a `.gz` name
/// (so a damaged `.gz` is reported as corrupt gzip, not as binary).
fn is_gzip(display: &str, bytes: &[u8]) -> bool {
    let named = display
        .rsplit_once('.')
        .is_some_and(|(_, ext)| ext.eq_ignore_ascii_case("gz") || ext.eq_ignore_ascii_case("tgz"));
    bytes.starts_with(b"\x1f\x8b") || named
}
