//! The streaming scanner: one line-based source in (a file, stdin, a gzip
//! stream, an archive member: any [`Input`]), a lazy stream of small
//! [`Segment`]s out, in bounded memory. Every line-based source goes this way,
//! whatever its size or how it arrived; what is read whole instead is decided
//! by content only ([`Whole`]), from the source's head.
//!
//! A source is streamed when its head (the first [`HEAD`] bytes, cut at a line
//! end) decodes as UTF-8 (or as UTF-16, transcoded as it is read:
//! `transcode`), has no lone-CR line ends, its format is read line by line
//! (not a whole document), it is oldest first, and every rule predicate that
//! reads its format has required literals (`logscan rules literals`).
//!
//! The source is read through one buffer in batches of fixed-size chunks
//! (`reader`), cut at line ends. (Memory-mapping files instead was measured: no
//! faster on 1 GiB, a few MiB more resident; not worth the `unsafe`.) Each chunk is searched for the literals with one Aho-Corasick pass
//! over its bytes (`hits`); only the lines that hold one are expanded to their
//! records and parsed (`island`), in parallel across chunks; the rest of the
//! source is never tokenized. Records that some rule may match become the
//! events of the chunk's segment; error-looking records no rule reads feed
//! the unexplained-errors groups ([`Summary`]). Chunk boundaries do not depend
//! on the thread count, so the output is the same for any `--threads`.
//!
//! What a report says of a streamed source (ARCHITECTURE.md, "Content
//! decides"): `seq` is the record's first line number; the record count is
//! the line count; trailing absences are witnessed by a sampled record (the
//! last record of each chunk is always parsed for its time); unexplained
//! errors are the error-looking records that hold an error word.
//!
//! The literal sets and finders are built once per rule set and format and
//! kept in a [`Cache`]. This module never matches sequences, ranks or prints,
//! and never keeps more than one batch of the source in memory.

pub mod ahead;
mod cache;
pub mod deferred;
pub mod every;
mod feed;
mod hits;
mod island;
mod reader;
mod summary;
mod transcode;

use std::path::Path;
use std::sync::{Arc, Mutex};

use crate::event::SourceId;
use crate::parse::{ParseOptions, ParsedSource, PieceParser};
use crate::rule::ir::RuleSet;
use crate::segment::{Order, SegmentStream, SourceMeta};
use crate::source::Input;
use crate::text::Encoding;

pub use cache::Cache;
pub use summary::{Summary, MAX_GROUPED};

/// Sizes of the streaming scanner.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StreamConfig {
    /// Bytes per chunk (the unit of parallel work).
    pub chunk: usize,
    /// Chunks read and processed together.
    pub chunks_per_batch: usize,
    /// Error records of a source grouped in unexplained errors; from the
    /// first block after that many, error-only lines are counted, not parsed
    /// (see `reader::starts_block`).
    pub max_grouped: u64,
    /// What the small sources of a scan (up to a few batches each) may cost
    /// together when each is read to its end as it is opened (its bytes plus
    /// [`HELD_PER_SOURCE`]); the ones after that are opened for their head,
    /// closed, and read again when the timeline reaches them
    /// (`stream::deferred`). Reports do not depend on it.
    pub eager_held: u64,
}

/// What a small source read when opened is counted for besides its bytes
/// (its segments, events, summary and feed), for [`StreamConfig::eager_held`].
pub const HELD_PER_SOURCE: u64 = 2 << 10;

impl Default for StreamConfig {
    fn default() -> StreamConfig {
        StreamConfig {
            chunk: 256 << 10,
            chunks_per_batch: 16,
            max_grouped: MAX_GROUPED,
            eager_held: 16 << 20,
        }
    }
}

impl StreamConfig {
    /// Bytes of one batch.
    pub fn batch(&self) -> usize {
        self.chunk
            .max(1)
            .saturating_mul(self.chunks_per_batch.max(1))
    }

    /// The sizes for each of `streams` sources read at once: the chunks of one
    /// batch are shared among them (down to one chunk each), so the memory
    /// they hold together stays about one batch's, however many files a scan
    /// reads. Reports do not depend on the batch size (tests/it/stream_equivalence.rs).
    pub fn shared_by(self, streams: usize) -> StreamConfig {
        StreamConfig {
            chunks_per_batch: (self.chunks_per_batch / streams.max(1)).max(1),
            ..self
        }
    }
}

/// Bytes of a source's head used to detect its encoding, format and time order.
pub const HEAD: usize = 256 << 10;

/// A source ready to be matched.
pub struct Prepared<'a> {
    pub meta: SourceMeta,
    pub stream: SegmentStream<'a>,
    /// Filled while the stream is read: line count, notes, unexplained errors.
    pub summary: Arc<Mutex<Summary>>,
}

/// Why a source is read whole after all (decided by its head's content).
#[derive(Debug)]
pub enum Whole {
    /// A whole-document format, newest-first, lone CR line ends, a forced format.
    Format(&'static str),
    /// A predicate reading this format has no literal, so every record would be parsed.
    Unfiltered,
    /// The source could not be opened or read.
    Io(std::io::Error),
}

/// What the head of a source says, and the reader positioned after it.
pub(crate) struct Opened {
    pub(crate) feed: feed::Feed,
    /// The head (decoded) parsed, and the parser for the rest.
    pub(crate) parsed: ParsedSource,
    pub(crate) parser: PieceParser,
    pub(crate) encoding: Encoding,
}

/// Opens `input`, reads its head and decides whether it can be streamed.
pub(crate) fn open(input: &Input, id: SourceId, opts: &ParseOptions) -> Result<Opened, Whole> {
    let mut feed = feed::Feed::open(input).map_err(Whole::Io)?;
    let mut head = feed.head(HEAD).to_vec();
    if let Some(end) = memchr::memrchr(b'\n', &head) {
        head.truncate(end + 1);
    }
    // Formats are detected by the name without `.gz` (`mcp-server-x.log.gz` is `mcp-server-x.log`).
    let mut text = crate::decode::decode(input.name.clone(), head);
    let encoding = text.encoding;
    if !matches!(
        encoding,
        Encoding::Utf8 | Encoding::Utf8Bom | Encoding::Utf8Lossy
    ) {
        // UTF-16: read through a transcoder; the head is read again as UTF-8.
        feed = feed
            .transcoded(encoding)
            .ok_or(Whole::Format("not UTF-8"))?;
        let mut head = feed.head(HEAD).to_vec();
        if let Some(end) = memchr::memrchr(b'\n', &head) {
            head.truncate(end + 1);
        }
        text = crate::decode::decode(input.name.clone(), head);
    }
    if has_lone_cr(text.text.as_bytes()) {
        return Err(Whole::Format("lone CR line ends"));
    }
    let (parsed, parser) = PieceParser::from_head(text, id, opts);
    let parser = parser.ok_or(Whole::Format("read as a whole document"))?;
    Ok(Opened {
        feed,
        parsed,
        parser,
        encoding,
    })
}

/// Opens `input` as a stream of source `id`, or says why it must be read whole.
pub fn prepare_input<'a>(
    input: &Input,
    id: SourceId,
    rules: &'a RuleSet,
    opts: &ParseOptions,
    cfg: StreamConfig,
    cache: &'a Cache,
) -> Result<Prepared<'a>, Whole> {
    prepare_into(input, id, rules, opts, cfg, cache, None)
}

/// [`prepare_input`], filling `summary` when given (a deferred source read
/// again, `deferred`, fills the summary of its first opening).
pub(crate) fn prepare_into<'a>(
    input: &Input,
    id: SourceId,
    rules: &'a RuleSet,
    opts: &ParseOptions,
    cfg: StreamConfig,
    cache: &'a Cache,
    summary: Option<Arc<Mutex<Summary>>>,
) -> Result<Prepared<'a>, Whole> {
    let Opened {
        feed,
        parsed,
        parser,
        encoding,
    } = open(input, id, opts)?;
    let order = order_of(&parsed).ok_or(Whole::Format("newest first"))?;
    let finder = cache
        .finder(rules, parser.format())
        .ok_or(Whole::Unfiltered)?;
    let meta = SourceMeta {
        id,
        path: input.display.clone(),
        format: parser.format(),
        order,
        naive_ts: parsed.events.iter().any(|e| e.ts.is_some_and(|t| t.naive)),
        aware_ts: parsed.events.iter().any(|e| e.ts.is_some_and(|t| !t.naive)),
    };
    let summary = summary.unwrap_or_else(|| {
        Arc::new(Mutex::new(Summary::new(
            &input.display,
            encoding,
            cfg.max_grouped,
        )))
    });
    let ctx = island::Ctx {
        id,
        path: input.display.clone(),
        parser,
        timed: !matches!(order, Order::Untimed),
        finder,
    };
    let stream = reader::Stream::new(feed, ctx, cfg, Arc::clone(&summary));
    Ok(Prepared {
        meta,
        stream: Box::new(stream),
        summary,
    })
}

/// [`prepare_input`] for one plain file `path`, shown as `display`, with the
/// finders of a cache shared by every call.
pub fn prepare<'a>(
    path: &Path,
    display: &str,
    id: SourceId,
    rules: &'a RuleSet,
    opts: &ParseOptions,
    cfg: StreamConfig,
) -> Result<Prepared<'a>, Whole> {
    static SHARED: std::sync::OnceLock<Cache> = std::sync::OnceLock::new();
    let input = Input::of_source(display, crate::source::ByteSource::file(path));
    prepare_input(&input, id, rules, opts, cfg, SHARED.get_or_init(Cache::new))
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

#[cfg(test)]
mod tests;
