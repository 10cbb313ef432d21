//! Every record of a line-based source, in file order, in bounded memory:
//! what `logscan events` prints.
//!
//! The source is read through the same [`Feed`] as a scan (stdin, gzip,
//! archive members, UTF-16 transcoded) in pieces of about one batch, each cut
//! at the start of a record (a line the format reads as a record head, at
//! most [`MAX_BACK`] lines back from the piece's end; else at a line end), and
//! each piece is parsed whole with the format detected on the head. A piece
//! and its events are handed out and dropped before the next is read, so
//! memory does not grow with the source. Offsets are absolute (raw bytes of
//! the source), line numbers too. Unlike a scan, nothing is filtered: every
//! record is parsed. This module never matches and never prints.

use crate::event::{Event, SourceId};
use crate::parse::{ParseOptions, PieceParser};
use crate::source::Input;
use crate::text::{Encoding, Note, SourceText};

use super::feed::Feed;
use super::{island, Whole};

/// Lines walked back from a piece's end to find a record start.
const MAX_BACK: usize = 256;
/// Bytes per piece.
const PIECE: usize = 1 << 20;
/// A record longer than this is cut at a line end.
const MAX_RECORD: usize = 8 << 20;

/// One piece of the source: its text and its events (text ranges into `text`).
#[derive(Debug)]
pub struct Piece {
    pub text: String,
    /// Where `text` starts in the whole decoded text of the source (offsets of
    /// signals are into that text).
    pub offset: u64,
    pub events: Vec<Event>,
}

/// See the module docs.
pub struct Every {
    feed: Feed,
    parser: PieceParser,
    id: SourceId,
    path: String,
    timed: bool,
    pub encoding: Encoding,
    buf: Vec<u8>,
    /// Offset (in what the feed hands out) of `buf[0]`.
    base: u64,
    /// Line number of the line starting at `buf[0]`.
    line: u64,
    eof: bool,
    done: bool,
    carry: Option<String>,
    notes: Vec<Note>,
    records: u64,
    lossy: (u64, Option<u64>),
    /// Decoded bytes handed out so far.
    decoded: u64,
}

impl Every {
    /// Opens `input`, or says why its content must be read whole.
    pub fn open(input: &Input, id: SourceId, opts: &ParseOptions) -> Result<Every, Whole> {
        let opened = super::open(input, id, opts)?;
        let timed = opened.parsed.events.iter().any(|e| e.ts.is_some());
        Ok(Every {
            feed: opened.feed,
            parser: opened.parser,
            id,
            path: input.display.clone(),
            timed,
            encoding: opened.encoding,
            buf: Vec::new(),
            base: 0,
            line: 1,
            eof: false,
            done: false,
            carry: None,
            notes: input.notes.clone(),
            records: 0,
            lossy: (0, None),
            decoded: 0,
        })
    }

    /// The source's display path.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The detected format.
    pub fn format(&self) -> &'static str {
        self.parser.format()
    }

    /// Records handed out so far.
    pub fn records(&self) -> u64 {
        self.records
    }

    /// The notes so far (complete once the iterator has ended): parse notes,
    /// bytes that were not valid UTF-8, a cut.
    pub fn notes(&self) -> Vec<Note> {
        let mut out = self.notes.clone();
        if let (count @ 1.., Some(line)) = self.lossy {
            out.push(Note::new(
                u32::try_from(line).ok(),
                format!(
                    "{count} {} not valid UTF-8, read as Windows-1252 (first on line {line})",
                    if count == 1 { "byte was" } else { "bytes were" }
                ),
            ));
        }
        if let Some(n) = self.feed.bad_units().and_then(|b| b.note()) {
            out.push(n);
        }
        if self.done {
            if let Some(why) = self.feed.cut() {
                let lines = self.line.saturating_sub(1);
                let bytes = self.feed.raw_of(self.base);
                out.push(Note::new(
                    u32::try_from(lines).ok(),
                    format!(
                        "input cut short: {why}; kept lines 1-{lines} ({bytes} bytes), the rest is skipped"
                    ),
                ));
            }
        }
        out
    }

    /// Reads until the buffer holds a piece (or the source ends).
    fn fill(&mut self, want: usize) {
        while self.buf.len() < want && !self.eof {
            let old = self.buf.len();
            self.buf.resize(want, 0);
            let n = self.feed.read(self.buf.get_mut(old..).unwrap_or_default());
            self.buf.truncate(old + n);
            if n == 0 {
                self.eof = true;
                if self.feed.cut().is_some() {
                    let keep = memchr::memrchr(b'\n', &self.buf)
                        .map_or(if self.base == 0 { self.buf.len() } else { 0 }, |i| i + 1);
                    self.buf.truncate(keep);
                }
            }
        }
    }

    /// Where the next piece ends: at the end of the source, else at the last
    /// record start (or line end) of the buffer.
    fn cut(&mut self) -> usize {
        let mut want = PIECE;
        loop {
            self.fill(want);
            if self.eof {
                return self.buf.len();
            }
            let Some(last_end) = memchr::memrchr(b'\n', &self.buf) else {
                if self.buf.len() >= MAX_RECORD {
                    return self.buf.len();
                }
                want = self.buf.len().saturating_mul(2);
                continue;
            };
            // Walk back over complete lines for one that starts a record.
            let mut line_start = last_end + 1;
            for _ in 0..MAX_BACK {
                let prev_end = match line_start.checked_sub(1) {
                    Some(e) => e,
                    None => break,
                };
                let start = memchr::memrchr(b'\n', self.buf.get(..prev_end).unwrap_or_default())
                    .map_or(0, |i| i + 1);
                let bytes = self.buf.get(start..prev_end).unwrap_or_default();
                let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
                let text = std::str::from_utf8(bytes).unwrap_or("");
                if start > 0 && self.parser.starts_record(text, self.timed) {
                    return start;
                }
                if start == 0 {
                    break;
                }
                line_start = start;
            }
            if self.buf.len() >= MAX_RECORD {
                return last_end + 1;
            }
            // One record fills the buffer: read more before cutting it.
            want = self.buf.len().saturating_mul(2);
        }
    }

    /// The next piece, parsed.
    fn piece(&mut self) -> Option<Piece> {
        if self.done {
            return None;
        }
        let cut = self.cut();
        if cut == 0 {
            self.done = true;
            self.buf = Vec::new();
            return None;
        }
        let bytes: Vec<u8> = self.buf.drain(..cut).collect();
        let bad = invalid(&bytes);
        if let Some(first) = bad.1 {
            self.lossy.0 += bad.0;
            let before = bytes.get(..first).unwrap_or_default();
            self.lossy
                .1
                .get_or_insert(self.line + island::newlines(before));
        }
        let piece = match String::from_utf8(bytes) {
            Ok(t) if !t.starts_with('\u{feff}') => SourceText::identity(self.path.clone(), t),
            Ok(t) => crate::decode::decode(self.path.clone(), t.into_bytes()),
            Err(e) => crate::decode::decode(self.path.clone(), e.into_bytes()),
        };
        let mut notes = Vec::new();
        let mut events = self
            .parser
            .parse(&piece, self.id, self.carry.as_deref(), &mut notes);
        let line0 = self.line.saturating_sub(1);
        let abs = |l: u32| u32::try_from(u64::from(l) + line0).unwrap_or(u32::MAX);
        for n in notes {
            if crate::decode::is_lossy_note(&n.message) {
                continue;
            }
            self.notes.push(Note {
                line: n.line.map(abs),
                ..n
            });
        }
        for ev in &mut events {
            ev.span.start = self.feed.raw_of(ev.span.start + self.base);
            ev.span.end = self.feed.raw_of(ev.span.end + self.base);
            ev.span.line = abs(ev.span.line);
            ev.span.end_line = abs(ev.span.end_line);
            ev.seq = ev.span.line;
        }
        self.carry_from(&piece.text);
        self.records += events.len() as u64;
        self.base += cut as u64;
        self.line += island::newlines(piece.text.as_bytes());
        self.feed.forget_below(self.base);
        if self.eof && self.buf.is_empty() {
            self.done = true;
            if !piece.text.is_empty() && !piece.text.ends_with('\n') {
                self.line += 1;
            }
        }
        let offset = self.decoded;
        self.decoded += piece.text.len() as u64;
        Some(Piece {
            text: piece.text,
            offset,
            events,
        })
    }

    /// The server the last naming line of `text` names, for the next piece.
    fn carry_from(&mut self, text: &str) {
        let Some(lit) = self.parser.carry_literal() else {
            return;
        };
        for line in text.lines().rev().filter(|l| l.contains(lit)) {
            let line = line.strip_suffix('\r').unwrap_or(line);
            if let Some(server) = self.parser.carry_of(line) {
                self.carry = Some(server);
                return;
            }
        }
    }
}

impl Iterator for Every {
    type Item = Piece;

    fn next(&mut self) -> Option<Piece> {
        loop {
            let p = self.piece()?;
            if !p.events.is_empty() || self.done {
                return Some(p);
            }
        }
    }
}

/// Invalid UTF-8 bytes of `bytes` and the offset of the first.
fn invalid(bytes: &[u8]) -> (u64, Option<usize>) {
    let (mut count, mut first, mut pos) = (0u64, None, 0usize);
    while let Some(rest) = bytes.get(pos..) {
        match std::str::from_utf8(rest) {
            Ok(_) => break,
            Err(e) => {
                let at = pos + e.valid_up_to();
                let bad = e.error_len().unwrap_or(bytes.len() - at);
                first.get_or_insert(at);
                count += bad as u64;
                pos = at + bad.max(1);
            }
        }
    }
    (count, first)
}
