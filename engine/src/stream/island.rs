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

use crate::event::{Event, SourceId, Value};
use crate::parse::PieceParser;
use crate::text::{Note, SourceText};
use crate::unexplained::{self, Groups};

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
    pub errors: Groups,
    pub error_records: u64,
    /// Error records past the chunk's grouping budget (counted, not grouped).
    pub ungrouped: u64,
    /// `seq`s (increasing) of the events that hold only error words: no rule
    /// can match them, so they are for the unexplained groups, not the matcher.
    pub error_only: Vec<u32>,
    /// The error-looking events kept, as the stream's summary remembers them.
    pub error_records_kept: Vec<ErrorRecord>,
    pub notes: Vec<Note>,
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
    /// Error records each chunk may group (see `summary::MAX_GROUPED`).
    pub group_budget: u64,
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
pub fn chunk(
    ctx: &Ctx,
    buf: &[u8],
    base: u64,
    (lo, hi): (usize, usize),
    first_line: u64,
    batch: &BatchCx,
) -> ChunkOut {
    let mut out = ChunkOut::default();
    let mut hits = ctx.finder.lines(buf, lo, hi);
    // The chunk's last line is parsed for its time (see the module docs).
    let last = last_line(buf, lo, hi);
    if let Some(l) = last {
        if hits.last().map_or(true, |h| h.start < l.0) {
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
        let spent = out.error_records_kept.len() as u64 >= batch.group_budget;
        if spent && !sampled && group.iter().all(|h| !h.rule) {
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
        parse_island(ctx, &mut out, buf, base, &island, batch.group_budget);
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
    group_budget: u64,
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
    let offset = u32::try_from(out.text.len()).unwrap_or(u32::MAX);
    let mut kept_any = false;
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
        let keep = !held.is_empty() || sampled;
        let line = abs_line(ev.span.line);
        if !keep {
            if out.error_records >= group_budget {
                out.ungrouped += 1;
            } else if unexplained::is_error_like(&er) {
                out.errors.add(&ctx.path, line, &er.msg());
                out.error_records += 1;
            }
            continue;
        }
        // `seq` is the line number (below).
        let kept_error = unexplained::is_error_like(&er).then(|| {
            if (out.error_records_kept.len() as u64) < group_budget {
                ErrorRecord::new(line, line, &er.msg())
            } else {
                // Past the budget it is only counted: no template to work out.
                ErrorRecord::counted(line, line)
            }
        });
        ev.span.start += base + start as u64;
        ev.span.end += base + start as u64;
        ev.span.end_line = abs_line(ev.span.end_line);
        ev.span.line = line;
        ev.seq = line;
        shift(&mut ev, offset);
        if !sampled && held.iter().all(|h| !h.rule) {
            out.error_only.push(line);
        }
        if let Some(r) = kept_error {
            out.error_records_kept.push(r);
        }
        out.events.push(ev);
        kept_any = true;
    }
    if kept_any {
        out.text.push_str(&piece.text);
    }
}

/// Moves every text range of `ev` by `by` (its piece is appended at `by` in the segment text).
fn shift(ev: &mut Event, by: u32) {
    ev.text = ev.text.start.saturating_add(by)..ev.text.end.saturating_add(by);
    for (_, v) in &mut ev.fields {
        if let Value::Text(r) = v {
            *r = r.start.saturating_add(by)..r.end.saturating_add(by);
        }
    }
}
