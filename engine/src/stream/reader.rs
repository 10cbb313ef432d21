//! The batch reader: reads a file through one buffer, a batch of chunks at a
//! time, processes the chunks in parallel and yields their segments in order.
//!
//! The buffer holds the batch plus [`MARGIN`] bytes on each side, so a record
//! that crosses a chunk or batch boundary is parsed whole. Two chunks can
//! produce the same record; the later copy (overlapping what was emitted) is
//! dropped. Memory: one buffer of `chunk × chunks_per_batch + 2 × MARGIN`
//! bytes plus the segments of one batch. This module never parses by itself.

use std::collections::VecDeque;
use std::fs::File;
use std::io::Read;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::segment::Segment;
use crate::text::Note;

use super::island::{self, BatchCx, Carries, ChunkOut, Ctx};
use super::{StreamConfig, Summary};

/// Context kept before and read past each batch.
pub const MARGIN: usize = 64 << 10;

/// A streamed source (see the module docs).
pub struct Stream<'a> {
    file: File,
    ctx: Ctx,
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
}

impl<'a> Stream<'a> {
    pub fn new(file: File, ctx: Ctx, cfg: StreamConfig, summary: Arc<Mutex<Summary>>) -> Self {
        Stream {
            file,
            ctx,
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
        }
    }

    /// Reads until the buffer holds a batch and its margin (or the file ends).
    fn fill(&mut self) {
        let want = self.body + self.cfg.chunk * self.cfg.chunks_per_batch + MARGIN;
        while self.buf.len() < want && !self.eof {
            let old = self.buf.len();
            self.buf.resize(want, 0);
            match self.file.read(&mut self.buf[old..]) {
                Ok(0) => {
                    self.buf.truncate(old);
                    self.eof = true;
                }
                Ok(n) => self.buf.truncate(old + n),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => self.buf.truncate(old),
                Err(e) => {
                    self.buf.truncate(old);
                    self.eof = true;
                    let at = self.base + old as u64;
                    self.with_summary(|s| {
                        s.note(Note::new(
                            None,
                            format!(
                                "read error at byte {at} ({}): the rest was skipped",
                                crate::source::io_message(&e)
                            ),
                        ))
                    });
                }
            }
        }
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
            self.done = self.eof;
            if !self.eof {
                // No room to make progress: cannot happen with MARGIN > 0, but never spin.
                self.done = true;
            }
            return;
        }
        let chunks = split(&self.buf, self.body, end, self.cfg.chunk);
        let counts: Vec<u64> = chunks
            .par_iter()
            .map(|&(lo, hi)| island::newlines(self.buf.get(lo..hi).unwrap_or(&[])))
            .collect();
        let mut firsts = Vec::with_capacity(chunks.len());
        let mut line = self.line;
        for c in &counts {
            firsts.push(line);
            line += c;
        }
        let grouped = self.summary.lock().map_or(0, |s| s.grouped);
        let batch = BatchCx {
            carries: self.carries(end),
            group_budget: super::summary::MAX_GROUPED.saturating_sub(grouped),
        };
        let (buf, base, ctx) = (&self.buf, self.base, &self.ctx);
        let outs: Vec<ChunkOut> = chunks
            .par_iter()
            .zip(&firsts)
            .map(|(&range, &first)| island::chunk(ctx, buf, base, range, first, &batch))
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
        let bytes = (end - self.body) as u64;
        for out in outs {
            self.emit(out);
        }
        self.with_summary(|s| {
            s.lines += lines;
            s.bytes += bytes;
        });
        self.line = line;
        let keep = MARGIN.min(end);
        self.buf.drain(..end - keep);
        self.base += (end - keep) as u64;
        self.body = keep;
        if self.eof && self.body >= self.buf.len() {
            self.done = true;
        }
    }

    /// The servers named by lines of `buf[body..end]` (one sequential substring search).
    fn carries(&self, end: usize) -> Carries {
        let mut at = Vec::new();
        if let Some(lit) = self.ctx.parser.carry_literal() {
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
                    .and_then(|l| self.ctx.parser.carry_of(l))
                {
                    if at.last().map_or(true, |(s, _)| *s != start) {
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

    /// Queues one chunk's segment and folds its errors and notes into the summary.
    fn emit(&mut self, mut out: ChunkOut) {
        let emitted = self.emitted_end;
        out.events
            .retain(|e| emitted.map_or(true, |end| e.span.start > end));
        if let Some(last) = out.events.last() {
            self.emitted_end = Some(last.span.end);
        }
        let (errors, records, notes) = (out.errors, out.error_records, out.notes);
        let ungrouped = out.ungrouped;
        self.with_summary(|s| {
            s.add_errors(errors, records);
            s.dropped_errors += ungrouped;
            notes.into_iter().for_each(|n| s.note(n));
        });
        if !out.events.is_empty() {
            self.queue.push_back(Segment {
                source: self.ctx.id,
                text: out.text.into(),
                events: out.events.into(),
            });
        }
    }
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

/// `[lo, hi)` cut into chunks of about `size` bytes at line ends.
fn split(buf: &[u8], lo: usize, hi: usize, size: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut pos = lo;
    while pos < hi {
        let target = pos.saturating_add(size);
        let end = if target >= hi {
            hi
        } else {
            memchr::memchr(b'\n', buf.get(target..hi).unwrap_or(&[])).map_or(hi, |i| target + i + 1)
        };
        out.push((pos, end));
        pos = end;
    }
    out
}
