//! The streaming scanner: one large line-based file in, a lazy stream of small
//! [`Segment`]s out, in bounded memory.
//!
//! A file is streamed when it is at least [`StreamConfig::threshold`] bytes,
//! its head decodes as UTF-8, its format (detected on the head) is read line by
//! line, and every rule predicate that reads that format has required literals
//! (`logscan rules literals`). Otherwise it is read whole like any other input.
//!
//! The file is read through one buffer in batches of fixed-size chunks
//! (`reader`), cut at line ends. (Memory-mapping it instead was measured: no
//! faster on 1 GiB, a few MiB more resident; not worth the `unsafe`.) Each chunk is searched for the literals with one Aho-Corasick pass
//! over its bytes (`hits`); only the lines that hold one are expanded to their
//! records and parsed (`island`), in parallel across chunks; the rest of the
//! file is never tokenized. Records that some rule may match become the
//! events of the chunk's segment; error-looking records no rule reads feed
//! the unexplained-errors groups ([`Summary`]). Chunk boundaries do not depend
//! on the thread count, so the output is the same for any `--threads`.
//!
//! Differences from reading whole, documented in ARCHITECTURE.md: `seq` is the
//! record's first line number; a source's record count is its line count;
//! trailing absences are witnessed by a sampled record (the last record of
//! each chunk is always parsed for its time); unexplained errors are the
//! error-looking records that no rule literal hit.
//!
//! This module never matches sequences, ranks or prints, and never keeps more
//! than one batch of the file in memory.

pub mod ahead;
mod hits;
mod island;
mod reader;
mod summary;

use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::sync::{Arc, Mutex};

use crate::event::SourceId;
use crate::parse::{ParseOptions, ParsedSource, PieceParser};
use crate::rule::ir::{format_in_family, Branch, CompiledRule, RuleSet};
use crate::segment::{Order, SegmentStream, SourceMeta};
use crate::text::Encoding;

pub use summary::Summary;

/// Sizes of the streaming scanner.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StreamConfig {
    /// Files of at least this many bytes are streamed.
    pub threshold: u64,
    /// Bytes per chunk (the unit of parallel work).
    pub chunk: usize,
    /// Chunks read and processed together.
    pub chunks_per_batch: usize,
}

impl Default for StreamConfig {
    fn default() -> StreamConfig {
        StreamConfig {
            threshold: 8 << 20,
            chunk: 256 << 10,
            chunks_per_batch: 4,
        }
    }
}

/// Bytes of the file's head used to detect its format and time order.
const HEAD: usize = 256 << 10;

/// A large file ready to be matched.
pub struct Prepared<'a> {
    pub meta: SourceMeta,
    pub stream: SegmentStream<'a>,
    /// Filled while the stream is read: line count, notes, unexplained errors.
    pub summary: Arc<Mutex<Summary>>,
}

/// Why a large file is read whole after all.
#[derive(Debug)]
pub enum Whole {
    /// Not UTF-8, a whole-document format, newest-first, lone CR line ends, a forced format.
    Format(&'static str),
    /// A predicate reading this format has no literal, so every record would be parsed.
    Unfiltered,
    /// The file could not be opened or read.
    Io(std::io::Error),
}

/// Opens `path` as a stream of source `id`, or says why it must be read whole.
pub fn prepare<'a>(
    path: &Path,
    display: &str,
    id: SourceId,
    rules: &'a RuleSet,
    opts: &ParseOptions,
    cfg: StreamConfig,
) -> Result<Prepared<'a>, Whole> {
    let mut file = File::open(path).map_err(Whole::Io)?;
    let mut head = Vec::with_capacity(HEAD);
    (&mut file)
        .take(HEAD as u64)
        .read_to_end(&mut head)
        .map_err(Whole::Io)?;
    if let Some(end) = memchr::memrchr(b'\n', &head) {
        head.truncate(end + 1);
    }
    if has_lone_cr(&head) {
        return Err(Whole::Format("lone CR line ends"));
    }
    let text = crate::decode::decode(display.to_string(), head);
    if !matches!(
        text.encoding,
        Encoding::Utf8 | Encoding::Utf8Bom | Encoding::Utf8Lossy
    ) {
        return Err(Whole::Format("not UTF-8"));
    }
    let (parsed, parser) = PieceParser::from_head(text, id, opts);
    let parser = parser.ok_or(Whole::Format("read as a whole document"))?;
    let order = order_of(&parsed).ok_or(Whole::Format("newest first"))?;
    let active = active_predicates(rules, parser.format()).ok_or(Whole::Unfiltered)?;
    let literals = literals_of(rules, &active).ok_or(Whole::Unfiltered)?;
    let finder = hits::Finder::new(&literals, summary::ERROR_WORDS).ok_or(Whole::Unfiltered)?;
    let meta = SourceMeta {
        id,
        path: display.to_string(),
        format: parser.format(),
        order,
        naive_ts: parsed.events.iter().any(|e| e.ts.is_some_and(|t| t.naive)),
        aware_ts: parsed.events.iter().any(|e| e.ts.is_some_and(|t| !t.naive)),
    };
    let summary = Arc::new(Mutex::new(Summary::new(display, parsed.text.encoding)));
    let ctx = island::Ctx {
        id,
        path: display.to_string(),
        parser,
        timed: !matches!(order, Order::Untimed),
        finder,
    };
    let file = File::open(path).map_err(Whole::Io)?;
    let stream = reader::Stream::new(file, ctx, cfg, Arc::clone(&summary));
    Ok(Prepared {
        meta,
        stream: Box::new(stream),
        summary,
    })
}

/// A `\r` not followed by `\n` (old Mac line ends): line counting would be off.
fn has_lone_cr(bytes: &[u8]) -> bool {
    memchr::memchr_iter(b'\r', bytes).any(|i| !matches!(bytes.get(i + 1), Some(b'\n' | b'\r')))
}

/// The time order of the head, or `None` when it is newest first.
fn order_of(head: &ParsedSource) -> Option<Order> {
    let mut times = head.events.iter().filter_map(|e| e.ts.map(|t| t.ms));
    let Some(first_ts) = times.next() else {
        return Some(Order::Untimed);
    };
    let (mut up, mut down, mut prev) = (0u32, 0u32, first_ts);
    for t in times {
        if t > prev {
            up += 1;
        } else if t < prev {
            down += 1;
        }
        prev = t;
    }
    if down >= 2 && down > 2 * up {
        return None;
    }
    Some(Order::Forward { first_ts })
}

/// Ids of the predicates of every rule branch that reads `format`.
fn active_predicates(rules: &RuleSet, format: &str) -> Option<Vec<u32>> {
    let reads_rule = |r: &CompiledRule| {
        r.sources.is_empty() || r.sources.iter().any(|f| format_in_family(format, f))
    };
    let mut ids = Vec::new();
    for rule in rules.rules.iter().filter(|r| reads_rule(r)) {
        let branches = rule
            .steps
            .iter()
            .flat_map(|s| &s.branches)
            .chain(rule.facts.iter().flat_map(|f| &f.branches))
            .chain(&rule.until);
        ids.extend(
            branches
                .filter(|b: &&Branch| b.reads(format))
                .map(|b| b.pred.id),
        );
    }
    ids.sort_unstable();
    ids.dedup();
    Some(ids)
}

/// The literals of `ids` plus the unexplained error words; `None` when a predicate has none.
fn literals_of(rules: &RuleSet, ids: &[u32]) -> Option<Vec<String>> {
    let mut out: Vec<String> = summary::ERROR_WORDS.iter().map(|s| s.to_string()).collect();
    for pred in rules
        .predicates()
        .filter(|p| ids.binary_search(&p.id).is_ok())
    {
        out.extend(pred.inner.required_literals()?);
    }
    out.iter_mut().for_each(|l| l.make_ascii_lowercase());
    out.sort();
    out.dedup();
    Some(out)
}

#[cfg(test)]
mod tests;
