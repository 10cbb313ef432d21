//! Opens each input as a [`ByteSource`] under the [`Limits`], unpacks
//! containers into members, and hands each member on: decoded whole
//! ([`Mode::Whole`], for [`super::collect`]) or as an [`Input`] to be streamed
//! ([`Mode::Stream`], for a scan).
//!
//! A [`Blob`] is one stream of bytes with a display path. A plain file or
//! stdin is one blob; a gzip stream (by its magic bytes or a `.gz` name) is
//! one blob of its decompressed bytes keeping the `.gz` name. A zip or tar
//! archive is listed by its format reader ([`super::zip::list`],
//! [`super::tar::list`]), which only hands back its entries and their byte
//! sources (a [`Listing`]); this module decides what becomes of each member,
//! in the order and under the names of [`archive::in_order`]: each is one
//! blob, named `archive.zip!member/path`, dispatched through [`Reader::blob`]
//! again, so caps, notes, errors and nested containers work the same at every
//! level (down to [`MAX_NESTING`] containers). Nothing is decompressed ahead:
//! a blob's source decompresses when it is read. Sources read whole are read
//! by [`super::whole`] (which converts `.evtx` to text).
//!
//! Caps ([`super::cap`]): a decompressed blob may not exceed the compression
//! ratio cap (checked against its compressed size) nor what is left of the
//! decompression [`Budget`] of its top-level input; what is read whole (every
//! source in [`Mode::Whole`], whole documents and `.evtx` in a scan) is also
//! capped per source and, in [`Mode::Whole`], in total. A streamed source has
//! no size cap: it is never held in memory.
//!
//! This module never holds more than the capped bytes of a source read whole,
//! never writes to disk (a spool's temporary file aside), and never drops an
//! input or a member without an [`InputError`].

use std::io::{self, Read};

use super::archive::{self, EntryKind, Listing};
use super::bytes::ByteSource;
use super::cap::{read_capped, Budget, Cap};
use super::container::{self, Kind};
use super::walk::Input as WalkInput;
use super::whole::read_whole;
use super::{io_message, Collected, Input, InputError, Limits, Origin};
use crate::decode::{self, human_bytes};
use crate::text::Note;

/// Most containers opened one inside the other (`a.tar.gz` is two: gzip, then
/// tar; a `.log.gz` inside a `.zip` inside it makes four).
pub(crate) const MAX_NESTING: u8 = 4;

/// Bytes of a blob read to recognise it (containers, binary, `.evtx`).
const SNIFF: u64 = decode::SNIFF_LEN as u64;

/// What becomes of each member.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Read and decoded whole, under every cap.
    Whole,
    /// Handed on as an [`Input`] (`.evtx` excepted: converted whole).
    Stream,
}

/// Reads inputs one by one, keeping the total under `limits.max_total_bytes`.
pub(crate) struct Reader<'a> {
    limits: &'a Limits,
    mode: Mode,
    /// Bytes kept so far, over all sources read whole.
    total: u64,
    /// The decompression budget of the top-level input being read, shared by
    /// every container nested in it (set when its first container is opened).
    budget: Option<Budget>,
    pub(crate) out: Vec<Collected>,
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
    pub(crate) source: ByteSource,
    /// Most bytes read from `source`, and which cap says so.
    pub(crate) limit: Option<Cap>,
    /// Why the bytes end early, when that is known already (an archive cut short).
    pub(crate) cut: Option<String>,
    /// What the bytes are, to word read errors.
    pub(crate) origin: Origin,
    /// Containers opened to reach these bytes.
    pub(crate) depth: u8,
    /// Notes for the source these bytes become (a normalised member path).
    pub(crate) notes: Vec<Note>,
    /// The bytes are decompressed here (a gzip stream's content) and not yet
    /// charged to the [`Budget`]: they are, by their length, once it is known.
    pub(crate) uncharged: bool,
}

impl Blob {
    fn top(display: String, source: ByteSource, limit: Option<Cap>) -> Blob {
        Blob {
            hint: display.clone(),
            display,
            source,
            limit,
            cut: None,
            origin: Origin::Plain,
            depth: 0,
            notes: Vec::new(),
            uncharged: false,
        }
    }

    /// The bytes of the blob as a source, cut at its limit plus one byte (to tell a cut).
    pub(crate) fn bounded(&self) -> ByteSource {
        match self.limit {
            Some(c) => self.source.limited(c.bytes().saturating_add(1)),
            None => self.source.clone(),
        }
    }
}

/// Whether `input` is a regular file (or not a file at all: bytes in memory, a member).
fn is_regular(input: &Input) -> bool {
    match input.source.path() {
        Some(path) => std::fs::metadata(path).is_ok_and(|metadata| metadata.is_file()),
        None => true,
    }
}

impl<'a> Reader<'a> {
    pub(crate) fn new(limits: &'a Limits, mode: Mode) -> Reader<'a> {
        Reader {
            limits,
            mode,
            total: 0,
            budget: None,
            out: Vec::new(),
            errors: Vec::new(),
        }
    }

    /// Why a read stopped at `reached`.
    fn reason(&self, reached: Cap) -> String {
        reached.reason(self.limits, self.budget.as_ref())
    }

    /// What is left of the current top-level input's budget, as a cap.
    fn budget_cap(&self) -> Option<Cap> {
        self.budget.as_ref().map(|b| Cap::Budget(b.left))
    }

    /// Charges `decompressed` bytes to the current budget.
    fn charge(&mut self, decompressed: u64) {
        if let Some(budget) = &mut self.budget {
            budget.charge(decompressed);
        }
    }

    /// Why a member is skipped: the budget is spent (with the later members skipped with it).
    fn budget_spent(&self) -> String {
        match &self.budget {
            Some(budget) => budget.reason(self.limits),
            None => Cap::Ratio(0).reason(self.limits, None),
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

    /// The cap for reading bytes that may be a container when they are read
    /// whole: the per-source cap (the total cap applies to what is decoded,
    /// see [`Reader::member`]), or nothing once the total is spent. A stream
    /// has none.
    fn read_cap(&self) -> Option<Cap> {
        match (self.mode, self.cap()) {
            (Mode::Stream, _) => None,
            (Mode::Whole, Cap::Total(0)) => Some(Cap::Total(0)),
            (Mode::Whole, _) => Some(Cap::Source(self.limits.max_source_bytes)),
        }
    }

    /// Most decompressed bytes allowed from `compressed` bytes.
    fn ratio_cap(&self, compressed: u64) -> u64 {
        compressed
            .saturating_mul(self.limits.max_ratio)
            .max(self.limits.ratio_floor)
    }

    fn error(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.errors.push(InputError::new(path, message));
    }

    fn skip_over_total(&mut self, display: String) {
        let message = format!(
            "the total input cap ({}) was reached; skipped",
            human_bytes(self.limits.max_total_bytes)
        );
        self.error(display, message);
    }

    /// Whether the total cap is spent (only sources read whole count).
    fn total_spent(&self) -> bool {
        self.mode == Mode::Whole && self.cap().bytes() == 0
    }

    /// Reads one input.
    pub(crate) fn input(&mut self, input: WalkInput) {
        let display = match &input {
            WalkInput::Stdin => "-".to_string(),
            WalkInput::File { display, .. } => display.clone(),
        };
        if self.total_spent() {
            return self.skip_over_total(display);
        }
        let source = match input {
            WalkInput::Stdin => ByteSource::spool(Box::new(io::stdin())),
            WalkInput::File { path, .. } => {
                if let Err(e) = std::fs::File::open(&path) {
                    return self.error(display, io_message(&e));
                }
                ByteSource::file(path)
            }
        };
        let limit = self.read_cap();
        self.top(Blob::top(display, source, limit));
    }

    /// Reads one top-level input, with a budget of its own.
    fn top(&mut self, blob: Blob) {
        self.budget = None;
        self.blob(blob);
        self.budget = None;
    }

    /// Reads bytes already in memory as one input, capped like a file.
    pub(crate) fn bytes(&mut self, display: String, bytes: Vec<u8>) {
        if self.total_spent() {
            return self.skip_over_total(display);
        }
        let limit = self.read_cap();
        self.top(Blob::top(display, ByteSource::memory(bytes), limit));
    }

    /// Reads one source of bytes as one input.
    pub(crate) fn source(&mut self, display: String, source: ByteSource) {
        if self.total_spent() {
            return self.skip_over_total(display);
        }
        let limit = self.read_cap();
        self.top(Blob::top(display, source, limit));
    }

    /// Dispatches one blob by content: containers are opened (their members
    /// come back here), anything else is one source.
    fn blob(&mut self, blob: Blob) {
        let head = match blob.bounded().open() {
            Ok(r) => read_capped(r, SNIFF),
            Err(e) => return self.error(blob.display, io_message(&e)),
        };
        if let Some(e) = &head.error {
            if head.bytes.is_empty() {
                let message = blob.origin.unreadable(e);
                return self.error(blob.display, message);
            }
        }
        let kind = container::sniff(&blob.hint, &head.bytes);
        if kind != Kind::Plain && blob.depth >= MAX_NESTING {
            let message =
                format!("a container nested more than {MAX_NESTING} levels deep; skipped");
            return self.error(blob.display, message);
        }
        match kind {
            Kind::Gzip => self.gunzip(blob),
            Kind::Zip | Kind::Tar => self.archive(&blob, kind),
            Kind::Plain => self.member(blob, &head.bytes),
        }
    }

    /// A seekable view of a container's bytes within its limit, with why it
    /// was cut (the limit, or a read error), spooling a stream that cannot seek.
    /// The first container of a top-level input sets its [`Budget`]; a
    /// container decompressed here (the content of a gzip stream) is charged.
    fn seekable(&mut self, blob: &Blob) -> io::Result<(ByteSource, Option<String>)> {
        let view = blob.bounded().spooled()?;
        let len = view.seek_len().unwrap_or(0);
        if blob.depth == 0 {
            let total = self.ratio_cap(len);
            self.budget = Some(Budget {
                top: blob.display.clone(),
                compressed: len,
                total,
                left: total,
            });
        }
        if blob.uncharged {
            self.charge(blob.limit.map_or(len, |c| len.min(c.bytes())));
        }
        if let Some(c) = blob.limit {
            if len > c.bytes() {
                return Ok((view.slice(0, c.bytes()), Some(self.reason(c))));
            }
        }
        if let Some(e) = view.failure() {
            let why = blob.origin.cut_by_error(len, &e);
            return Ok((view, Some(why)));
        }
        Ok((view, blob.cut.clone()))
    }

    /// A zip or tar archive: listed by its format reader, then every member
    /// read in the order of [`archive::in_order`] ([`Reader::members`]),
    /// with the errors the listing found about the archive itself before and
    /// after them.
    fn archive(&mut self, blob: &Blob, kind: Kind) {
        let format = if kind == Kind::Zip { "zip" } else { "tar" };
        let (view, cut) = match self.seekable(blob) {
            Ok(seekable) => seekable,
            Err(error) => {
                let message = archive::corrupt(format, &io_message(&error), None);
                return self.error(blob.display.clone(), message);
            }
        };
        let listed = match kind {
            Kind::Zip => super::zip::list(view, cut.as_deref()),
            _ => super::tar::list(view, cut.as_deref()),
        };
        let Listing {
            entries,
            members,
            errors_before,
            error_after,
        } = match listed {
            Ok(listing) => listing,
            Err(message) => return self.error(blob.display.clone(), message),
        };
        for message in errors_before {
            self.error(blob.display.clone(), message);
        }
        self.members(blob, cut, entries, members);
        if let Some(message) = error_after {
            self.error(blob.display.clone(), message);
        }
    }

    /// Reads the members of the archive in `archive` (whose bytes were cut
    /// for `archive_cut`, if they were) in sorted order of normalised name,
    /// each as a blob of its own under the caps: the total cap and a spent
    /// budget skip it and every later member (counted), each compressed
    /// member is capped by the ratio against its compressed size and by what
    /// is left of the top-level input's budget, and is charged its declared
    /// size (which its reader never exceeds), so that neither overlapping nor
    /// nested members can multiply a bomb.
    fn members(
        &mut self,
        archive: &Blob,
        archive_cut: Option<String>,
        entries: Vec<archive::Entry>,
        mut members: Box<dyn archive::Members>,
    ) {
        let named = archive::in_order(&archive.display, entries);
        let files = named
            .iter()
            .filter(|member| matches!(member.entry.kind, EntryKind::File))
            .count();
        let mut seen = 0usize;
        for member in named {
            if let Some(message) = member.entry.kind.skip_message() {
                self.error(member.display, message);
                continue;
            }
            seen += 1;
            let later = files - seen;
            if self.total_spent() {
                let why = format!(
                    "the total input cap ({}) was reached",
                    human_bytes(self.limits.max_total_bytes)
                );
                return self.error(member.display, archive::skipped_with(why, later));
            }
            // The total cap applies when the member is decoded: a nested
            // archive is read whole (up to the per-source cap).
            let mut cap = self.read_cap();
            if let Some(compressed) = member.entry.compressed {
                cap = Cap::tighter(cap, Some(Cap::Ratio(self.ratio_cap(compressed))));
                // Decompressed here: charged to the top-level input's budget.
                cap = Cap::tighter(cap, self.budget_cap());
            }
            if let Some(spent) = cap.filter(|reached| reached.bytes() == 0) {
                let why = match spent {
                    Cap::Budget(_) => self.budget_spent(),
                    other => self.reason(other),
                };
                return self.error(member.display, archive::skipped_with(why, later));
            }
            let bytes = match members.source(&member.entry) {
                Ok(bytes) => bytes,
                Err(why) => {
                    self.error(member.display, why);
                    continue;
                }
            };
            if member.entry.compressed.is_some() {
                self.charge(cap.map_or(bytes.size, |reached| reached.bytes().min(bytes.size)));
            }
            self.blob(Blob {
                display: member.display,
                hint: member.name,
                source: bytes.source,
                limit: cap,
                cut: bytes.cut,
                origin: Origin::Member {
                    outer_cut: archive_cut.clone(),
                },
                depth: archive.depth.saturating_add(1),
                notes: member.notes,
                uncharged: false,
            });
        }
    }

    /// A gzip stream: its decompressed content is one blob, dispatched again
    /// (a `.tar.gz` holds a tar). The ratio cap is checked against its
    /// compressed size (a stream that cannot seek is spooled to learn it).
    fn gunzip(&mut self, blob: Blob) {
        let (compressed, outer_cut) = match self.seekable(&blob) {
            Ok(v) => v,
            Err(e) => return self.error(blob.display, io_message(&e)),
        };
        let size = compressed.seek_len().unwrap_or(0);
        let ratio = Cap::Ratio(self.ratio_cap(size));
        let mut limit = match self.read_cap() {
            Some(c) => c.or_ratio(ratio.bytes()),
            None => ratio,
        };
        if blob.depth > 0 {
            // Nested: what is left of the top-level input's budget.
            if let Some(Cap::Budget(0)) = self.budget_cap() {
                let message = format!("{}; skipped", self.budget_spent());
                return self.error(blob.display, message);
            }
            limit = Cap::tighter(Some(limit), self.budget_cap()).unwrap_or(limit);
        }
        self.blob(Blob {
            hint: container::gunzipped_name(&blob.hint),
            display: blob.display,
            source: compressed.gunzip(),
            limit: Some(limit),
            cut: None,
            origin: Origin::Gzip { outer_cut },
            depth: blob.depth.saturating_add(1),
            notes: blob.notes,
            uncharged: true,
        });
    }

    /// Charges the content of a nested gzip stream that is not a container
    /// by its length, decompressing it once to learn it (within its limit):
    /// what is left of the budget then bounds the members after it. The
    /// content of a top-level gzip stream is not counted (nothing after it
    /// shares its budget).
    fn charge_stream(&mut self, blob: &Blob) {
        if !blob.uncharged || blob.depth <= 1 {
            return;
        }
        let limit = blob.limit.map_or(u64::MAX, Cap::bytes);
        let n = match blob.bounded().open() {
            Ok(r) => io::copy(&mut r.take(limit), &mut io::sink()).unwrap_or(limit),
            Err(_) => 0,
        };
        self.charge(n.min(limit));
    }

    /// One source: decoded whole ([`Mode::Whole`], or a binary format converted
    /// to text), else handed on to be streamed. `head` is its first bytes.
    fn member(&mut self, blob: Blob, head: &[u8]) {
        let whole = self.mode == Mode::Whole || head.starts_with(super::evtx::MAGIC);
        if self.total_spent() {
            return self.skip_over_total(blob.display);
        }
        self.charge_stream(&blob);
        let mut limit = blob.limit.map(|c| (c.bytes(), self.reason(c)));
        // Text followed by NUL bytes: the verdict comes from the text, and a
        // final NUL run is left out with a note counting it.
        let text_end = super::nul_tail::head_text_end(head);
        let verdict = text_end.and_then(|t| head.get(..t)).unwrap_or(head);
        if let Some(t) = text_end {
            if let Some((run, nuls)) = super::nul_tail::final_run(&blob.source, t as u64) {
                if limit.as_ref().is_none_or(|(n, _)| run < *n) {
                    let why = format!(
                        "the last {nuls} bytes are NUL bytes (space preallocated, or a file \
                         cut short by a crash), not text"
                    );
                    limit = Some((run, why));
                }
            }
        }
        let input = Input {
            display: blob.display,
            name: blob.hint,
            source: blob.source,
            decompressed: blob.origin != Origin::Plain,
            limit,
            cut: blob.cut,
            notes: blob.notes,
            origin: blob.origin,
            progress: None,
        };
        if !whole {
            if let Some(what) = decode::binary_kind(verdict) {
                let kind = decode::DecodeErrorKind::Binary { what };
                let mut message = kind.to_string();
                if !head.is_empty() && head.iter().all(|b| *b == 0) && !is_regular(&input) {
                    message = "not a regular file and it yields only NUL bytes (a device such \
                               as /dev/zero?); skipped"
                        .to_string();
                }
                return self.error(input.display, message);
            }
            self.out.push(Collected::Input(input));
            return;
        }
        let cap = match self.mode {
            Mode::Whole => self.cap(),
            Mode::Stream => Cap::Source(self.limits.max_source_bytes),
        };
        match read_whole(input, cap, self.limits) {
            Ok(text) => {
                self.total = self.total.saturating_add(text.raw_len);
                self.out.push(Collected::Text(text));
            }
            Err(e) => self.errors.push(e),
        }
    }
}
