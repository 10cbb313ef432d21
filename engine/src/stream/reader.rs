//! The batch reader: reads a source through one buffer, a batch of chunks at a
//! time, processes the chunks in parallel and yields their segments in order.
//!
//! The buffer holds the batch plus [`MARGIN`] bytes on each side, so a record
//! that crosses a chunk or batch boundary is parsed whole. Two chunks can
//! produce the same record; the later copy (overlapping what was emitted) is
//! dropped. While counting each chunk's lines it also finds the bytes that
//! are not valid UTF-8 (read as Windows-1252, counted in one note as for a
//! source read whole), and it notes the error-looking records it keeps, so
//! the report can group those no finding explains ([`Summary`]). A source that
//! ends early (a cap, a read error) is cut back to its last line end, with a
//! note. Memory: one buffer of `chunk × chunks_per_batch + 2 × MARGIN` bytes
//! (grown as the source proves that long) plus the segments of one batch.
//! This module never parses by itself.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::segment::Segment;
use crate::text::{Encoding, Note};

use super::feed::Feed;
use super::island::{self, BatchCx, Carries, ChunkOut, Ctx};
use super::{StreamConfig, Summary};

/// Context kept before and read past each batch.
pub const MARGIN: usize = 64 << 10;

/// Bytes read at first; the buffer grows from there as the source proves longer.
const FIRST_READ: usize = 64 << 10;

/// A streamed source (see the module docs).
pub struct Stream<'a> {
    feed: Feed,
    /// `None` once the stream has ended.
    ctx: Option<Ctx>,
    cfg: StreamConfig,
    summary: Arc<Mutex<Summary>>,
    buf: Vec<u8>,
    /// File offset of `buf[0]`.
    base: u64,
    /// Where the next batch starts in `buf`.
    body: usize,
    /// Line number of the line starting at `buf[body]`.
    line: u64,
    eof: bool,
    done: bool,
    /// End (file offset) of the last event emitted, to drop a record parsed twice.
    emitted_end: Option<u64>,
    /// The server the last naming line before `body` named (see `Carries`).
    carry: Option<String>,
    queue: VecDeque<Segment<'a>>,
    /// Bytes not valid UTF-8 so far, and the line of the first.
    lossy: (u64, Option<u64>),
    /// Whether the block (see [`starts_block`]) the next batch starts in skips
    /// error-only lines: the grouping budget was spent before the block began.
    block_skips: bool,
}

impl<'a> Stream<'a> {
    pub fn new(feed: Feed, ctx: Ctx, cfg: StreamConfig, summary: Arc<Mutex<Summary>>) -> Self {
        Stream {
            feed,
            ctx: Some(ctx),
            cfg: StreamConfig {
                chunk: cfg.chunk.max(1),
                chunks_per_batch: cfg.chunks_per_batch.max(1),
                ..cfg
            },
            summary,
            buf: Vec::new(),
            base: 0,
            body: 0,
            line: 1,
            eof: false,
            done: false,
            emitted_end: None,
            carry: None,
            queue: VecDeque::new(),
            lossy: (0, None),
            block_skips: false,
        }
    }

    /// Reads until the buffer holds a batch and its margin (or the source ends).
    fn fill(&mut self) {
        let want = self.body + self.cfg.chunk * self.cfg.chunks_per_batch + MARGIN;
        // Exactly what a batch needs (growing by doubling would hold up to twice that).
        self.buf.reserve_exact(want.saturating_sub(self.buf.len()));
        while self.buf.len() < want && !self.eof {
            let old = self.buf.len();
            let mut step = (want - old).min(old.max(FIRST_READ));
            if let Some(rest) = self.feed.known_rest() {
                // The head holds the rest: ask for it and one byte more (to see the end).
                step = step.min(rest + 1);
            }
            self.buf.resize(old + step, 0);
            let n = self.feed.read(self.buf.get_mut(old..).unwrap_or_default());
            self.buf.truncate(old + n);
            if n == 0 {
                self.eof = true;
                if self.feed.cut().is_some() {
                    // Cut short: keep whole lines only (as a source read whole is cut).
                    let keep = match memchr::memrchr(b'\n', &self.buf) {
                        Some(i) => i + 1,
                        None if self.base == 0 => self.buf.len(),
                        None => self.body,
                    };
                    self.buf.truncate(keep.max(self.body));
                }
            }
        }
    }

    /// Whether the source has grouped as many error records as it may.
    fn budget_spent(&self) -> bool {
        self.summary.lock().is_ok_and(|s| s.budget_spent())
    }

    fn with_summary(&self, f: impl FnOnce(&mut Summary)) {
        if let Ok(mut s) = self.summary.lock() {
            f(&mut s);
        }
    }

    /// Reads and processes one batch, queueing its segments.
    fn batch(&mut self) {
        self.fill();
        let len = self.buf.len();
        let end = if self.eof {
            len
        } else {
            let limit = len.saturating_sub(MARGIN).max(self.body);
            let region = self.buf.get(self.body..limit).unwrap_or(&[]);
            match memchr::memrchr(b'\n', region) {
                Some(i) => self.body + i + 1,
                // A line longer than the batch: end the batch after it (or cut it at the buffer's end).
                None => memchr::memchr(b'\n', self.buf.get(limit..).unwrap_or(&[]))
                    .map_or(len, |i| limit + i + 1),
            }
        };
        if end <= self.body {
            // The end (or no room to make progress: cannot happen with MARGIN > 0, but never spin).
            self.finish();
            return;
        }
        if self.ctx.is_none() {
            self.finish();
            return;
        }
        let chunks = split(&self.buf, self.base, self.body, end, self.cfg.chunk);
        let scans: Vec<(u64, Invalid)> = chunks
            .par_iter()
            .map(|&(lo, hi)| {
                let bytes = self.buf.get(lo..hi).unwrap_or(&[]);
                (island::newlines(bytes), invalid_utf8(bytes))
            })
            .collect();
        let mut firsts = Vec::with_capacity(chunks.len());
        let mut line = self.line;
        for ((count, bad), &(lo, _)) in scans.iter().zip(&chunks) {
            firsts.push(line);
            if bad.count > 0 {
                self.lossy.0 += bad.count;
                let before = self.buf.get(lo..lo + bad.first).unwrap_or(&[]);
                self.lossy.1.get_or_insert(line + island::newlines(before));
            }
            line += count;
        }
        let Some(ctx) = self.ctx.as_ref() else {
            return;
        };
        let batch = BatchCx {
            carries: self.carries(ctx, end),
        };
        let (buf, base) = (&self.buf, self.base);
        // Whether each chunk skips errors, as far as the budget is known now
        // (corrected below, chunk by chunk, where the budget runs out in this batch).
        let starts: Vec<bool> = chunks
            .iter()
            .map(|&(lo, _)| starts_block(buf, base, lo))
            .collect();
        let spent_now = self.budget_spent();
        let mut current = self.block_skips;
        let skips: Vec<bool> = starts
            .iter()
            .map(|&start| {
                if start {
                    current = spent_now;
                }
                current
            })
            .collect();
        let outs: Vec<ChunkOut> = chunks
            .par_iter()
            .zip(&firsts)
            .zip(&skips)
            .map(|((&range, &first), &skip)| {
                island::chunk(ctx, buf, base, range, first, &batch, skip)
            })
            .collect();
        if let Some((_, last)) = batch.carries.at.last() {
            self.carry = Some(last.clone());
        }
        let mut lines = line - self.line;
        if self.eof
            && end == len
            && self
                .buf
                .get(..end)
                .and_then(|b| b.last())
                .is_some_and(|&b| b != b'\n')
        {
            lines += 1;
        }
        let eof_at = (self.eof && end == len).then_some(len);
        for (k, (mut out, &(lo, hi))) in outs.into_iter().zip(&chunks).enumerate() {
            if starts.get(k) == Some(&true) {
                self.block_skips = self.budget_spent();
            }
            if skips.get(k) != Some(&self.block_skips) {
                if let (Some(ctx), Some(&first)) = (self.ctx.as_ref(), firsts.get(k)) {
                    let (buf, base) = (&self.buf, self.base);
                    out = island::chunk(ctx, buf, base, (lo, hi), first, &batch, self.block_skips);
                }
            }
            // Each chunk's last record was parsed as a time sample; keep it only
            // where it is one whatever the chunk size (else it is kept only as a candidate).
            let drop = last_line(&self.buf, lo, hi)
                .filter(|&(s, e)| !is_sample(&self.buf, self.base, s, e, eof_at))
                .map(|(s, _)| self.base + s as u64);
            self.emit(out, drop);
        }
        self.with_summary(|s| s.lines += lines);
        self.line = line;
        let keep = MARGIN.min(end);
        self.buf.drain(..end - keep);
        self.base += (end - keep) as u64;
        self.body = keep;
        self.feed.forget_below(self.base);
        if self.eof && self.body >= self.buf.len() {
            self.finish();
        }
    }

    /// Ends the stream: what the summary learns at the end, the buffer freed,
    /// the finder given back.
    fn finish(&mut self) {
        if self.done {
            return;
        }
        self.done = true;
        let end = self.base + self.buf.len() as u64;
        let raw_end = self.feed.raw_of(end);
        let cut = self.feed.cut();
        let lossy = self.lossy;
        let bad = self.feed.bad_units();
        self.with_summary(|s| {
            s.pending.finished();
            s.bytes = raw_end;
            s.cut = cut;
            if let (count @ 1.., Some(line)) = lossy {
                s.encoding = Encoding::Utf8Lossy;
                s.note(Note::new(
                    u32::try_from(line).ok(),
                    format!(
                        "{count} {} not valid UTF-8, read as Windows-1252 (first on line {line})",
                        if count == 1 { "byte was" } else { "bytes were" }
                    ),
                ));
            }
            if let Some(n) = bad.and_then(|b| b.note()) {
                s.note(n);
            }
        });
        self.buf = Vec::new();
        self.ctx = None;
    }

    /// The servers named by lines of `buf[body..end]` (one sequential substring search).
    fn carries(&self, ctx: &Ctx, end: usize) -> Carries {
        let mut at = Vec::new();
        if let Some(lit) = ctx.parser.carry_literal() {
            let region = self.buf.get(self.body..end).unwrap_or(&[]);
            for i in memchr::memmem::find_iter(region, lit.as_bytes()) {
                let pos = self.body + i;
                let start =
                    memchr::memrchr(b'\n', self.buf.get(..pos).unwrap_or(&[])).map_or(0, |j| j + 1);
                let stop = memchr::memchr(b'\n', self.buf.get(pos..end).unwrap_or(&[]))
                    .map_or(end, |j| pos + j);
                let line = self.buf.get(start..stop).unwrap_or(&[]);
                let line = line.strip_suffix(b"\r").unwrap_or(line);
                if let Some(server) = std::str::from_utf8(line)
                    .ok()
                    .and_then(|l| ctx.parser.carry_of(l))
                {
                    if at.last().is_none_or(|(s, _)| *s != start) {
                        at.push((start, server));
                    }
                }
            }
        }
        Carries {
            before: self.carry.clone(),
            at,
        }
    }

    /// Queues one chunk's segment and folds its errors, notes and error-looking
    /// records into the summary. The record holding the line at `drop` (a
    /// chunk's last line that is not a sample) is left out unless a line of it
    /// holds a rule literal.
    fn emit(&mut self, mut out: ChunkOut, drop: Option<u64>) {
        let Some(ctx) = self.ctx.as_ref() else {
            return;
        };
        let id = ctx.id;
        if let Some(at) = drop {
            let (buf, base) = (&self.buf, self.base);
            out.events.retain(|e| {
                if !(e.span.start <= at && at < e.span.end.max(e.span.start + 1)) {
                    return true;
                }
                let lo = usize::try_from(e.span.start.saturating_sub(base)).unwrap_or(0);
                let hi = usize::try_from(e.span.end.saturating_sub(base)).unwrap_or(0);
                !ctx.finder.lines(buf, lo, hi).is_empty()
            });
        }
        // A record two chunks parsed (it crosses their boundary) is kept once.
        // (An error-only record always holds a literal: the filter above keeps it.)
        let emitted = self.emitted_end;
        let fresh = |start: u64| emitted.is_none_or(|end| start > end);
        out.events.retain(|e| fresh(e.span.start));
        out.error_only.retain(|e| fresh(e.start));
        let last_end = out.events.last().map(|e| e.span.end);
        let last_error_end = out.error_only.last().map(|e| e.end);
        if let Some(end) = last_end.max(last_error_end) {
            self.emitted_end = Some(end);
        }
        let (notes, ungrouped) = (out.notes, out.ungrouped);
        let feed = &self.feed;
        let summary = &self.summary;
        if let Ok(mut s) = summary.lock() {
            s.dropped_errors += ungrouped;
            notes
                .into_iter()
                .filter(|n| !crate::decode::is_lossy_note(&n.message))
                .for_each(|n| s.note(n));
            // Worked out by the chunk (in parallel); only the copies kept above count.
            for r in std::mem::take(&mut out.error_records_kept) {
                let kept = out.events.binary_search_by_key(&r.line, |e| e.seq).is_ok()
                    || out
                        .error_only
                        .binary_search_by_key(&r.line, |e| e.seq)
                        .is_ok();
                if kept {
                    s.pending(r);
                }
            }
        }
        if feed.is_transcoded() {
            for ev in &mut out.events {
                ev.span.start = feed.raw_of(ev.span.start);
                ev.span.end = feed.raw_of(ev.span.end);
            }
        }
        if !out.events.is_empty() {
            self.queue.push_back(Segment {
                source: id,
                text: out.text.into(),
                events: out.events.into(),
            });
        }
    }
}

/// Bytes of a chunk that are not valid UTF-8, and the offset of the first.
#[derive(Clone, Copy, Debug, Default)]
struct Invalid {
    count: u64,
    first: usize,
}

/// The invalid UTF-8 bytes of `bytes` (each byte of an invalid sequence counts, as `decode` reads them one by one).
fn invalid_utf8(bytes: &[u8]) -> Invalid {
    let mut out = Invalid::default();
    let mut pos = 0;
    while let Some(rest) = bytes.get(pos..) {
        match std::str::from_utf8(rest) {
            Ok(_) => break,
            Err(e) => {
                let at = pos + e.valid_up_to();
                let bad = e.error_len().unwrap_or(bytes.len() - at);
                if out.count == 0 {
                    out.first = at;
                }
                out.count += bad as u64;
                pos = at + bad.max(1);
            }
        }
    }
    out
}

impl<'a> Iterator for Stream<'a> {
    type Item = Segment<'a>;

    fn next(&mut self) -> Option<Segment<'a>> {
        loop {
            if let Some(s) = self.queue.pop_front() {
                return Some(s);
            }
            if self.done {
                return None;
            }
            self.batch();
        }
    }
}

/// Every this many bytes of a source, the record holding the last non-blank
/// line before that point is kept as a time sample (see [`is_sample`]).
pub const SAMPLE_EVERY: u64 = 256 << 10;

/// The end (past its `\n`) of the line of `buf` holding the first multiple of
/// [`SAMPLE_EVERY`] (from the first) at or after `pos`; `base` is the source
/// offset of `buf[0]`. `None` when that line does not end inside `buf`.
fn sample_cut(buf: &[u8], base: u64, pos: usize) -> Option<usize> {
    let abs = base + pos as u64;
    let m = abs.div_ceil(SAMPLE_EVERY).max(1) * SAMPLE_EVERY;
    let at = usize::try_from(m - base).ok()?;
    memchr::memchr(b'\n', buf.get(at..)?).map(|i| at + i + 1)
}

/// Whether a chunk starting at `buf[lo]` starts a block: the source is cut in
/// blocks at the sample cuts ([`SAMPLE_EVERY`]), which `split` always cuts
/// chunks at. Whether a block skips error-only lines (its error records
/// counted, not grouped) is decided from the records grouped before it, so
/// where the grouping budget runs out never depends on the batch or chunk
/// size, or on how many sources a scan reads at once.
fn starts_block(buf: &[u8], base: u64, lo: usize) -> bool {
    if base + lo as u64 == 0 {
        return true;
    }
    let Some(before) = lo.checked_sub(1).and_then(|i| buf.get(..i)) else {
        return false;
    };
    let line = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    sample_cut(buf, base, line) == Some(lo)
}

/// Whether the line starting at `start` and ending at `end` (past its
/// terminator) is a time sample: the last non-blank line before a sample cut
/// ([`SAMPLE_EVERY`]), or before the end of the source (`eof_at`, when known).
/// Where a stream cuts its chunks never changes which lines are samples.
fn is_sample(buf: &[u8], base: u64, start: usize, end: usize, eof_at: Option<usize>) -> bool {
    let blank = |from: usize, to: usize| {
        buf.get(from..to)
            .is_some_and(|b| b.iter().all(|&c| c == b'\n' || c == b'\r'))
    };
    if let Some(q) = sample_cut(buf, base, start) {
        if blank(end, q) {
            return true;
        }
    }
    eof_at.is_some_and(|e| blank(end, e))
}

/// `[lo, hi)` cut into chunks of about `size` bytes at line ends, and at every
/// sample cut ([`SAMPLE_EVERY`]), so that the end of a chunk's last line is
/// where a sample may be.
fn split(buf: &[u8], base: u64, lo: usize, hi: usize, size: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut pos = lo;
    while pos < hi {
        let target = pos.saturating_add(size);
        let mut end = if target >= hi {
            hi
        } else {
            memchr::memchr(b'\n', buf.get(target..hi).unwrap_or(&[])).map_or(hi, |i| target + i + 1)
        };
        if let Some(cut) = sample_cut(buf, base, pos) {
            if cut > pos && cut < end {
                end = cut;
            }
        }
        out.push((pos, end));
        pos = end;
    }
    out
}

/// The last non-blank line of `buf[lo..hi]`: `(start, end past its terminator)`.
fn last_line(buf: &[u8], lo: usize, hi: usize) -> Option<(usize, usize)> {
    let (start, end) = island::last_line(buf, lo, hi)?;
    let stop = memchr::memchr(b'\n', buf.get(end..hi)?).map_or(hi, |i| end + i + 1);
    Some((start, stop))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A buffer of `lines` lines of `width` bytes each (newline included).
    fn lines(lines: usize, width: usize) -> Vec<u8> {
        let mut line = vec![b'x'; width - 1];
        line.push(b'\n');
        line.repeat(lines)
    }

    /// The sample lines (their start offsets) of `buf` split at `size`, as the stream keeps them.
    fn samples(buf: &[u8], size: usize) -> Vec<usize> {
        split(buf, 0, 0, buf.len(), size)
            .into_iter()
            .filter_map(|(lo, hi)| last_line(buf, lo, hi))
            .filter(|&(s, e)| is_sample(buf, 0, s, e, Some(buf.len())))
            .map(|(s, _)| s)
            .collect()
    }

    #[test]
    fn samples_do_not_depend_on_the_chunk_size() {
        // 100-byte lines over 600 KiB: sample cuts after bytes 256 Ki and 512 Ki, and the end.
        let buf = lines(6144, 100);
        let want = samples(&buf, 1 << 20);
        // The line holding byte 262144 starts at 262100; the one before its end is the sample.
        assert_eq!(want, [262_100, 524_200, 614_300]);
        for size in [61, 997, 4096, 300_000] {
            assert_eq!(samples(&buf, size), want, "chunk size {size}");
        }
    }

    #[test]
    fn a_sample_skips_back_over_blank_lines_and_never_cuts_mid_line() {
        let mut buf = lines(2700, 100); // 270,000 bytes
                                        // Blank lines around the first sample cut.
        for b in buf.get_mut(262_000..262_400).unwrap() {
            *b = b'\n';
        }
        let got = samples(&buf, 997);
        assert_eq!(got.first(), Some(&261_900), "{got:?}");
        for (lo, hi) in split(&buf, 0, 0, buf.len(), 997) {
            assert!(lo == 0 || buf[lo - 1] == b'\n');
            assert!(hi == buf.len() || buf[hi - 1] == b'\n');
        }
    }

    #[test]
    fn invalid_utf8_is_counted_byte_by_byte() {
        let bad = invalid_utf8(b"ok \xe9t\xe9 \xff\xfe end\n");
        assert_eq!((bad.count, bad.first), (4, 3));
        assert_eq!(invalid_utf8("caf\u{e9}\n".as_bytes()).count, 0);
    }
}
