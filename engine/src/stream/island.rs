//! Islands: the records around the candidate lines of one chunk, parsed.
//!
//! A candidate line is widened to its record: back to the nearest line that
//! can start a record (a timestamped line for formats with timestamps), at
//! most [`MAX_BACK`] lines, and forward to the next such line, at most
//! [`MAX_FORWARD`] lines. Overlapping islands are merged, each island is
//! decoded and parsed with the source's format on its own, and the events
//! that hold a candidate line are kept: in the segment when some rule reading
//! the source may match them (or when they are the chunk's last record, kept
//! so the matcher sees time pass), else in the unexplained-error groups when
//! they look like errors. This module never reads the file and never matches.

use std::ops::Range;

use crate::error_like::is_error_like;
use crate::event::{Event, SourceId, Value};
use crate::parse::PieceParser;
use crate::text::{Note, SourceText};

use super::hits::{Finder, Hit};
use super::summary::ErrorRecord;

/// Most lines walked back from a candidate line to find its record's start.
pub const MAX_BACK: usize = 32;
/// Most lines a record may extend past its candidate line.
pub const MAX_FORWARD: usize = 256;

/// What every chunk of one source shares.
pub struct Ctx {
    pub id: SourceId,
    pub path: String,
    pub parser: PieceParser,
    /// The source has timestamps (records start at timestamped lines).
    pub timed: bool,
    pub finder: Finder,
}

/// The result of one chunk.
#[derive(Debug, Default)]
pub struct ChunkOut {
    pub text: String,
    /// In file order; spans, lines and `seq` absolute; text ranges into `text`.
    pub events: Vec<Event>,
    /// Lines holding only error words, counted not parsed (the chunk skips errors).
    pub ungrouped: u64,
    /// The records that hold only error words, in file order: no rule can
    /// match them, so they are for the unexplained groups, not the matcher
    /// (only their place is kept, to drop a copy parsed by two chunks).
    pub error_only: Vec<ErrorOnly>,
    /// The error-looking events kept, as the stream's summary remembers them.
    pub error_records_kept: Vec<ErrorRecord>,
    pub notes: Vec<Note>,
}

/// Where a record holding only error words is (see [`ChunkOut::error_only`]).
#[derive(Clone, Copy, Debug)]
pub struct ErrorOnly {
    pub seq: u32,
    /// Its span in the file.
    pub start: u64,
    pub end: u64,
}

/// Servers named by earlier lines (see [`PieceParser::carry_literal`]): the
/// server before the batch, and `(offset in buf, server)` of the batch's naming lines.
#[derive(Debug, Default)]
pub struct Carries {
    pub before: Option<String>,
    pub at: Vec<(usize, String)>,
}

/// What a batch gives each of its chunks besides bytes.
#[derive(Debug, Default)]
pub struct BatchCx {
    pub carries: Carries,
}

impl Carries {
    /// The server named last before offset `pos`.
    fn before(&self, pos: usize) -> Option<&str> {
        let i = self.at.partition_point(|(at, _)| *at < pos);
        match i.checked_sub(1).and_then(|i| self.at.get(i)) {
            Some((_, s)) => Some(s),
            None => self.before.as_deref(),
        }
    }
}

/// One chunk: `buf[lo..hi]` (whole lines), its first line number `first_line`,
/// `base` the file offset of `buf[0]`. `buf` around the chunk is context.
/// With `skip_errors` (the grouping budget is spent: `reader`), lines holding
/// only error words are counted, not parsed.
pub fn chunk(
    ctx: &Ctx,
    buf: &[u8],
    base: u64,
    (lo, hi): (usize, usize),
    first_line: u64,
    batch: &BatchCx,
    skip_errors: bool,
) -> ChunkOut {
    let mut out = ChunkOut::default();
    let mut hits = ctx.finder.lines(buf, lo, hi);
    // The chunk's last line is parsed for its time (see the module docs).
    let last = last_line(buf, lo, hi);
    if let Some(l) = last {
        if hits.last().is_none_or(|h| h.start < l.0) {
            hits.push(Hit {
                start: l.0,
                end: l.1,
                rule: false,
            });
        }
    }
    let mut lines = LineCounter {
        pos: lo,
        line: first_line,
    };
    let mut i = 0;
    while let Some(&Hit {
        start: hs, end: he, ..
    }) = hits.get(i)
    {
        let start = walk_back(ctx, buf, hs);
        let mut end = walk_forward(ctx, buf, he);
        let mut j = i + 1;
        while let Some(&Hit {
            start: s, end: e, ..
        }) = hits.get(j)
        {
            if s >= end {
                break;
            }
            end = end.max(walk_forward(ctx, buf, e));
            j += 1;
        }
        let group = hits.get(i..j).unwrap_or(&[]);
        let sampled = last.is_some_and(|(ls, _)| start <= ls && ls < end.max(start + 1));
        if skip_errors && !sampled && group.iter().all(|h| !h.rule) {
            // Only error words, and the grouping budget is spent: their lines are
            // counted (in the note on what was not grouped), never parsed.
            out.ungrouped += group.len() as u64;
            i = j;
            continue;
        }
        let island_line = lines.line_at(buf, start);
        let island = Island {
            range: (start, end),
            first_line: island_line,
            hits: group,
            sample: last,
            carry: batch.carries.before(start),
        };
        parse_island(ctx, &mut out, buf, base, &island, skip_errors);
        i = j;
    }
    out
}

/// Line numbers at increasing offsets, counted incrementally.
struct LineCounter {
    pos: usize,
    line: u64,
}

impl LineCounter {
    fn line_at(&mut self, buf: &[u8], at: usize) -> u64 {
        if at >= self.pos {
            self.line += newlines(buf.get(self.pos..at).unwrap_or(&[]));
        } else {
            self.line -= newlines(buf.get(at..self.pos).unwrap_or(&[]));
        }
        self.pos = at;
        self.line
    }
}

/// Number of `\n` bytes (a loop the compiler vectorises).
pub fn newlines(bytes: &[u8]) -> u64 {
    bytes.iter().map(|&b| u64::from(b == b'\n')).sum()
}

/// The last non-empty line of `buf[lo..hi]` (its end before the terminator).
pub(super) fn last_line(buf: &[u8], lo: usize, hi: usize) -> Option<(usize, usize)> {
    let region = buf.get(lo..hi)?;
    let mut end = region.len();
    while end > 0 && matches!(region.get(end - 1), Some(b'\n' | b'\r')) {
        end -= 1;
    }
    if end == 0 {
        return None;
    }
    let start = memchr::memrchr(b'\n', region.get(..end)?).map_or(0, |i| i + 1);
    Some((lo + start, lo + end))
}

/// The line `buf[start..end]` (without its terminator) as text, when it is UTF-8.
fn line_text(buf: &[u8], start: usize, end: usize) -> &str {
    let bytes = buf.get(start..end).unwrap_or(&[]);
    let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
    std::str::from_utf8(bytes).unwrap_or("")
}

/// The start of the record holding the line that starts at `at`.
fn walk_back(ctx: &Ctx, buf: &[u8], at: usize) -> usize {
    let mut cur = at;
    for _ in 0..MAX_BACK {
        let end =
            memchr::memchr(b'\n', buf.get(cur..).unwrap_or(&[])).map_or(buf.len(), |i| cur + i);
        if ctx
            .parser
            .starts_record(line_text(buf, cur, end), ctx.timed)
        {
            return cur;
        }
        if cur == 0 {
            return at;
        }
        cur = memchr::memrchr(b'\n', buf.get(..cur - 1).unwrap_or(&[])).map_or(0, |i| i + 1);
    }
    at
}

/// The end (exclusive, a line start) of the record holding the line ending at `end`.
fn walk_forward(ctx: &Ctx, buf: &[u8], end: usize) -> usize {
    let mut next = end + 1;
    for _ in 0..MAX_FORWARD {
        if next >= buf.len() {
            return buf.len();
        }
        let e =
            memchr::memchr(b'\n', buf.get(next..).unwrap_or(&[])).map_or(buf.len(), |i| next + i);
        if ctx.parser.starts_record(line_text(buf, next, e), ctx.timed) {
            return next;
        }
        next = e + 1;
    }
    next.min(buf.len())
}

/// Lines to parse together.
struct Island<'h> {
    /// Byte range in the buffer (whole lines).
    range: (usize, usize),
    /// Line number of its first line.
    first_line: u64,
    /// The candidate lines it holds.
    hits: &'h [Hit],
    /// The chunk's last line (kept whatever it holds).
    sample: Option<(usize, usize)>,
    /// The server named before it.
    carry: Option<&'h str>,
}

/// Parses an island and keeps the events that hold a hit.
fn parse_island(
    ctx: &Ctx,
    out: &mut ChunkOut,
    buf: &[u8],
    base: u64,
    island: &Island<'_>,
    skip_errors: bool,
) {
    let (start, end) = island.range;
    let (first_line, hits, sample) = (island.first_line, island.hits, island.sample);
    let Some(bytes) = buf.get(start..end) else {
        return;
    };
    // The file's encoding was read from its head: a valid UTF-8 piece is taken as it is
    // (decoding it again could take a piece with NUL bytes for UTF-16).
    let piece = match std::str::from_utf8(bytes) {
        Ok(t) if !t.starts_with('\u{feff}') => {
            SourceText::identity(ctx.path.clone(), t.to_string())
        }
        _ => crate::decode::decode(ctx.path.clone(), bytes.to_vec()),
    };
    let mut notes = piece.notes.clone();
    let events = ctx.parser.parse(&piece, ctx.id, island.carry, &mut notes);
    let line0 = first_line.saturating_sub(1);
    let abs_line = |l: u32| u32::try_from(u64::from(l) + line0).unwrap_or(u32::MAX);
    for mut n in notes {
        n.line = n.line.map(abs_line);
        out.notes.push(n);
    }
    let mut copied = Copied::default();
    for mut ev in events {
        let (s, e) = (ev.span.start as usize + start, ev.span.end as usize + start);
        let holds = |&(hs, he): &(usize, usize)| s <= he && hs <= e;
        let held: Vec<&Hit> = hits.iter().filter(|h| holds(&(h.start, h.end))).collect();
        if held.is_empty() {
            continue;
        }
        let er = crate::event::EventRef {
            event: &ev,
            source_text: &piece.text,
            format: ctx.parser.format(),
        };
        // A literal on one of its lines: some rule reading this source may match
        // it, or it may be an unexplained error (kept either way, so the stream
        // sees every copy of a record once; `error_only` says which the
        // matcher need not see).
        let sampled = sample.is_some_and(|l| holds(&l));
        let line = abs_line(ev.span.line);
        let only_error_words = held.iter().all(|h| !h.rule);
        // `seq` is the line number (below).
        let kept_error = if !skip_errors {
            is_error_like(&er).then(|| ErrorRecord::new(line, &er.msg()))
        } else if only_error_words {
            // Past the budget, as where such lines are not parsed (`chunk`):
            // their lines counted, whatever the record.
            out.ungrouped += held.len() as u64;
            None
        } else {
            // Only counted: no template to work out.
            is_error_like(&er).then(|| ErrorRecord::counted(line))
        };
        ev.span.start += base + start as u64;
        ev.span.end += base + start as u64;
        ev.span.end_line = abs_line(ev.span.end_line);
        ev.span.line = line;
        ev.seq = line;
        if let Some(r) = kept_error {
            out.error_records_kept.push(r);
        }
        if !sampled && only_error_words {
            // Only error words: for the unexplained groups, never the matcher.
            out.error_only.push(ErrorOnly {
                seq: line,
                start: ev.span.start,
                end: ev.span.end,
            });
            continue;
        }
        copied.take(&mut out.text, &piece.text, &mut ev);
        out.events.push(ev);
    }
}

/// The text of an island's kept events copied into the segment text: only
/// their own bytes, not the lines between them (an island can span many
/// lines of which one record is kept).
#[derive(Default)]
struct Copied {
    /// The piece range copied last, and where it starts in the segment text.
    last: Option<(u32, u32, u32)>,
}

impl Copied {
    /// Copies the bytes `ev` reads (its record and fields) from `piece` to
    /// `text`, sharing the last copy where they overlap, and moves its ranges there.
    fn take(&mut self, text: &mut String, piece: &str, ev: &mut Event) {
        let (lo, hi) = ranges(ev).fold((ev.text.start, ev.text.end), |(lo, hi), r| {
            (lo.min(r.start), hi.max(r.end))
        });
        let at = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        match self.last {
            Some((c_lo, c_hi, c_at)) if c_lo <= lo && lo <= c_hi => {
                if hi > c_hi {
                    text.push_str(piece.get(c_hi as usize..hi as usize).unwrap_or(""));
                    self.last = Some((c_lo, hi, c_at));
                }
                relocate(ev, c_lo, c_at);
            }
            _ => {
                let to = at(text.len());
                text.push_str(piece.get(lo as usize..hi as usize).unwrap_or(""));
                self.last = Some((lo, hi, to));
                relocate(ev, lo, to);
            }
        }
    }
}

/// The text ranges of `ev`'s fields.
fn ranges(ev: &Event) -> impl Iterator<Item = &Range<u32>> {
    ev.fields.iter().filter_map(|(_, v)| match v {
        Value::Text(r) => Some(r),
        _ => None,
    })
}

/// Moves every text range of `ev` from offset `from` of its piece to offset
/// `to` of the segment text (`from` past every range: all become empty at `to`).
fn relocate(ev: &mut Event, from: u32, to: u32) {
    let map = |r: &Range<u32>| {
        let s = r.start.saturating_sub(from).saturating_add(to);
        s..r.end.saturating_sub(from).saturating_add(to).max(s)
    };
    ev.text = map(&ev.text);
    for (_, v) in &mut ev.fields {
        if let Value::Text(r) = v {
            *r = map(r);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Span;

    fn event(record: Range<u32>, field: Range<u32>) -> Event {
        Event {
            source: 0,
            seq: 0,
            span: Span::default(),
            text: record,
            ts: None,
            level: None,
            fields: vec![("msg".into(), Value::Text(field))],
        }
    }

    fn read<'t>(text: &'t str, ev: &Event) -> (&'t str, &'t str) {
        let Some((_, Value::Text(f))) = ev.fields.first() else {
            panic!("a text field");
        };
        (
            &text[ev.text.start as usize..ev.text.end as usize],
            &text[f.start as usize..f.end as usize],
        )
    }

    #[test]
    fn only_the_kept_records_text_is_copied_and_every_range_follows_it() {
        let piece = "t1 first kept\nt2 not kept, long line\nt3 second kept\nt4 third\n";
        let mut text = String::from("earlier island\n");
        let mut copied = Copied::default();
        let mut a = event(0..13, 3..8);
        let mut b = event(37..51, 40..46);
        // A record sharing part of `b`'s bytes (e.g. a field read past it).
        let mut c = event(40..60, 56..60);
        for ev in [&mut a, &mut b, &mut c] {
            copied.take(&mut text, piece, ev);
        }
        // Records are copied back to back: each reads only its own range.
        assert_eq!(
            text,
            "earlier island\nt1 first keptt3 second kept\nt4 third"
        );
        assert_eq!(read(&text, &a), ("t1 first kept", "first"));
        assert_eq!(read(&text, &b), ("t3 second kept", "second"));
        assert_eq!(read(&text, &c), ("second kept\nt4 third", "hird"));
    }

    #[test]
    fn an_event_left_out_points_at_no_text() {
        let mut ev = event(5..9, 6..8);
        relocate(&mut ev, u32::MAX, 0);
        assert_eq!(ev.text, 0..0);
        assert_eq!(
            ev.fields.first().map(|f| f.1.clone()),
            Some(Value::Text(0..0))
        );
    }
}
