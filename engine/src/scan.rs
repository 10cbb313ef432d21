//! The pipeline driver: inputs in, parsed sources and findings out.
//!
//! [`analyze_inputs`] opens every input: a line-based source is streamed
//! (`stream`), whatever its size or how it arrived; a source whose content
//! must be read whole (a whole document, a newest-first export: see
//! [`stream::Whole`]) is read whole and parsed. Sources are opened in
//! parallel; a small source (up to a few batches, by its known size) is
//! streamed to its end right there, so it needs no thread of its own, and a
//! larger one is read ahead on its own thread (`stream::ahead`) unless there
//! is one thread. Once the small sources read so far would hold more than
//! [`StreamConfig::eager_held`], the next ones are only opened for their head
//! and read again when the timeline reaches their first timestamp
//! (`stream::deferred`): a scan of 100,000 small files holds what describes
//! each file, not its records. Every source reaches the matcher as a segment stream
//! (`matcher::run_streams`). [`analyze`] takes sources decoded already and
//! parses them whole. Ranking and the report are built from the result by
//! `rank` and `report`. This module never prints.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::event::SourceId;
use crate::finding::MatchOutput;
use crate::matcher::{self, timeline};
use crate::parse::{self, ParseOptions, ParsedSource};
use crate::rule::ir::RuleSet;
use crate::segment::{Segment, SegmentStream, SourceMeta};
use crate::source::{Collected, Input, InputError, Limits};
use crate::stream::{self, ahead, Cache, StreamConfig, Summary};
use crate::text::{Note, SourceText};

/// Sources of at most this many batches (by their known size) are streamed to
/// their end while the inputs are opened, without a read-ahead thread.
const EAGER_BATCHES: u64 = 4;

/// Parsed sources and the matcher's output for one bundle.
#[derive(Debug)]
pub struct Analysis {
    /// Every source by id. A streamed source is a placeholder here: its path,
    /// format and size, no text and no events (see [`Analysis::streamed`]).
    pub sources: Vec<ParsedSource>,
    /// The sources read as streams, by id.
    pub streamed: Vec<Streamed>,
    pub output: MatchOutput,
}

/// A source read as a stream: where to re-read evidence and what the stream counted.
#[derive(Debug)]
pub struct Streamed {
    pub id: SourceId,
    pub input: Input,
    pub summary: Summary,
    /// Evidence text re-read from the source, by byte range (see `report`).
    pub evidence: Mutex<HashMap<(u64, u64), String>>,
}

impl Analysis {
    /// The stream summary of source `id`, when it was streamed.
    pub fn streamed(&self, id: SourceId) -> Option<&Streamed> {
        // In id order (they are made in the order of the sources).
        let i = self.streamed.binary_search_by_key(&id, |s| s.id).ok()?;
        self.streamed.get(i)
    }
}

/// Parses `texts` (source ids are their indices) and matches `rules` over them.
pub fn analyze(rules: &RuleSet, texts: Vec<SourceText>, opts: &ParseOptions) -> Analysis {
    analyze_with(rules, texts, opts, &matcher::MatchOptions::default())
}

/// [`analyze`] with explicit matcher options (e.g. `explain`).
pub fn analyze_with(
    rules: &RuleSet,
    texts: Vec<SourceText>,
    opts: &ParseOptions,
    match_opts: &matcher::MatchOptions,
) -> Analysis {
    let inputs = texts.into_iter().map(Collected::Text).collect();
    let cache = Cache::new();
    let run = Run {
        rules,
        opts,
        cfg: StreamConfig::default(),
        match_opts,
        cache: &cache,
        limits: &Limits::default(),
    };
    run.analyze(inputs).0
}

/// [`analyze`] over inputs to be streamed (see the module docs), with a cache of its own.
pub fn analyze_inputs(
    rules: &RuleSet,
    inputs: Vec<Collected>,
    opts: &ParseOptions,
    cfg: StreamConfig,
) -> (Analysis, Vec<InputError>) {
    let cache = Cache::new();
    let run = Run {
        rules,
        opts,
        cfg,
        match_opts: &matcher::MatchOptions::default(),
        cache: &cache,
        limits: &Limits::default(),
    };
    run.analyze(inputs)
}

/// Everything one analysis runs with.
#[derive(Clone, Copy)]
pub struct Run<'r> {
    pub rules: &'r RuleSet,
    pub opts: &'r ParseOptions,
    pub cfg: StreamConfig,
    pub match_opts: &'r matcher::MatchOptions,
    /// Literal sets and finders of `rules` (kept by the engine across scans).
    pub cache: &'r Cache,
    /// Caps on sources read whole.
    pub limits: &'r Limits,
}

/// One input on its way to the matcher.
enum Source<'r> {
    Whole(ParsedSource),
    /// Streamed; `Some` segments when it was read to its end already.
    Streamed(Input, stream::Prepared<'r>, Option<Vec<Segment<'r>>>),
    /// Opened for its meta and closed: read again when the timeline reaches it.
    Deferred(Input, SourceMeta, Arc<Mutex<Summary>>),
}

/// How a source's segments reach the matcher.
enum Pull<'r> {
    /// From its parsed source in `Analysis::sources`.
    Whole,
    Read(Vec<Segment<'r>>),
    Stream(SegmentStream<'r>),
    /// [`stream::deferred`], reading the input at this index of the streamed sources.
    Deferred(usize),
}

impl<'r> Run<'r> {
    /// Opens, streams and matches `inputs`; inputs that cannot be read become input errors.
    pub fn analyze(&self, inputs: Vec<Collected>) -> (Analysis, Vec<InputError>) {
        let rules = self.rules;
        let mut errors = Vec::new();
        let eager = self.eager_bytes();
        let large = inputs
            .iter()
            .filter(|i| match i {
                Collected::Input(i) => i.source.len().is_none_or(|n| n > eager),
                Collected::Text(_) => false,
            })
            .count();
        let deferred = deferred_from(&inputs, eager, self.cfg.eager_held);
        let run = Run {
            cfg: self.cfg.shared_by(large),
            ..*self
        };
        let prepared: Vec<Result<Source<'r>, InputError>> = inputs
            .into_par_iter()
            .enumerate()
            .map(|(i, input)| run.open(i as SourceId, input, eager, i >= deferred))
            .collect();
        // Ids are positions among the sources that opened.
        let mut metas: Vec<SourceMeta> = Vec::with_capacity(prepared.len());
        let mut parsed: Vec<ParsedSource> = Vec::with_capacity(prepared.len());
        let streamed_count = prepared
            .iter()
            .filter(|s| matches!(s, Ok(Source::Streamed(..) | Source::Deferred(..))))
            .count();
        let mut streams_of: Vec<(SourceId, Input, Arc<Mutex<Summary>>)> =
            Vec::with_capacity(streamed_count);
        let mut pulls: Vec<Pull<'r>> = Vec::with_capacity(prepared.len());
        for source in prepared {
            let source = match source {
                Ok(s) => s,
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            };
            let id = metas.len() as SourceId;
            let (meta, pull) = match source {
                Source::Whole(mut p) => {
                    set_whole_id(&mut p, id);
                    let meta = timeline::meta_of(&p);
                    parsed.push(p);
                    (meta, Pull::Whole)
                }
                Source::Streamed(input, p, segs) => {
                    let meta = SourceMeta { id, ..p.meta };
                    parsed.push(placeholder(&meta, &input));
                    streams_of.push((id, input, p.summary));
                    let pull = match segs {
                        Some(mut segs) => {
                            segs.iter_mut().for_each(|seg| set_segment_id(seg, id));
                            Pull::Read(segs)
                        }
                        None => Pull::Stream(Box::new(p.stream.map(move |mut seg| {
                            set_segment_id(&mut seg, id);
                            seg
                        }))),
                    };
                    (meta, pull)
                }
                Source::Deferred(input, meta, summary) => {
                    let meta = SourceMeta { id, ..meta };
                    parsed.push(placeholder(&meta, &input));
                    streams_of.push((id, input, summary));
                    (meta, Pull::Deferred(streams_of.len() - 1))
                }
            };
            metas.push(meta);
            pulls.push(pull);
        }
        for (id, note) in timeline::naive_tz_notes_for(&metas, self.opts.tz.is_some()) {
            if let Some(s) = parsed.get_mut(id as usize) {
                s.notes.push(note);
            }
        }
        // With one thread, streams are read in the matcher's thread; else each on its own.
        let read_ahead = rayon::current_num_threads() > 1;
        let budget = ahead::Budget::new();
        let reopen = stream::deferred::Reopen {
            rules,
            opts: self.opts,
            cfg: run.cfg,
            cache: self.cache,
        };
        let output = std::thread::scope(|scope| {
            let streams: Vec<SegmentStream<'_>> = pulls
                .into_iter()
                .zip(&parsed)
                .enumerate()
                .map(|(slot, (pull, p))| -> SegmentStream<'_> {
                    match pull {
                        Pull::Whole => timeline::whole(p),
                        Pull::Read(segs) => Box::new(segs.into_iter()),
                        Pull::Stream(s) if read_ahead => ahead::spawn(scope, s, &budget, slot),
                        // `Segment` is covariant, the stream's item type is not: re-box.
                        #[allow(clippy::map_identity)]
                        Pull::Stream(s) => Box::new(s.map(|seg| -> Segment<'_> { seg })),
                        Pull::Deferred(k) => match streams_of.get(k) {
                            Some((id, input, summary)) => {
                                Box::new(stream::deferred::Deferred::new(
                                    reopen,
                                    input,
                                    *id,
                                    Arc::clone(summary),
                                ))
                            }
                            None => Box::new(std::iter::empty()),
                        },
                    }
                })
                .collect();
            matcher::run_streams(rules, &metas, streams, self.match_opts)
        });
        let streamed: Vec<Streamed> = streams_of
            .into_iter()
            .map(|(id, input, summary)| Streamed {
                id,
                summary: Arc::try_unwrap(summary)
                    .ok()
                    .and_then(|m| m.into_inner().ok())
                    .unwrap_or_else(|| {
                        Summary::new(&input.display, crate::text::Encoding::Utf8, 0)
                    }),
                input,
                evidence: Mutex::new(HashMap::new()),
            })
            .collect();
        for st in &streamed {
            if let Some(p) = parsed.get_mut(st.id as usize) {
                p.text.raw_len = st.summary.bytes;
                p.text.encoding = st.summary.encoding;
            }
        }
        let analysis = Analysis {
            sources: parsed,
            streamed,
            output,
        };
        (analysis, errors)
    }

    /// Sources of at most this many bytes are streamed to their end when opened.
    fn eager_bytes(&self) -> u64 {
        EAGER_BATCHES.saturating_mul(self.cfg.batch() as u64)
    }

    /// Parses a decoded input, or opens an input as a stream (read whole when
    /// its content says so), streamed to its end if it has at most `eager` bytes.
    /// `defer`: a small source is closed after its head and read again later.
    fn open(
        &self,
        id: SourceId,
        input: Collected,
        eager: u64,
        defer: bool,
    ) -> Result<Source<'r>, InputError> {
        let input = match input {
            Collected::Text(t) => return Ok(Source::Whole(parse::parse(t, id, self.opts))),
            Collected::Input(input) => input,
        };
        match stream::prepare_input(&input, id, self.rules, self.opts, self.cfg, self.cache) {
            Ok(mut p) => {
                if defer && input.source.len().is_some_and(|n| n <= eager) {
                    return Ok(Source::Deferred(input, p.meta, p.summary));
                }
                if input.source.len().is_some_and(|n| n <= eager) {
                    let stream = std::mem::replace(&mut p.stream, Box::new(std::iter::empty()));
                    let segs: Vec<Segment<'r>> = stream.collect();
                    return Ok(Source::Streamed(input, p, Some(segs)));
                }
                Ok(Source::Streamed(input, p, None))
            }
            Err(stream::Whole::Io(e)) => Err(InputError::new(
                input.display,
                crate::source::io_message(&e),
            )),
            Err(_) => {
                let name = input.name.clone();
                let text = crate::source::read_whole(input, self.limits)?;
                Ok(Source::Whole(parse_named(text, &name, id, self.opts)))
            }
        }
    }
}

/// The index from which small inputs are deferred (`stream::deferred`): past
/// `held_most` of what the earlier ones cost when read at once
/// ([`StreamConfig::eager_held`]).
fn deferred_from(inputs: &[Collected], eager: u64, held_most: u64) -> usize {
    let mut held = 0u64;
    inputs
        .iter()
        .position(|i| {
            if let Collected::Input(i) = i {
                if let Some(n) = i.source.len().filter(|&n| n <= eager) {
                    held = held.saturating_add(n + stream::HELD_PER_SOURCE);
                }
            }
            held > held_most
        })
        .unwrap_or(inputs.len())
}

/// Parses `text` with its format detected by `name` (the name without `.gz`),
/// keeping its display path.
pub(crate) fn parse_named(
    mut text: SourceText,
    name: &str,
    id: SourceId,
    opts: &ParseOptions,
) -> ParsedSource {
    let display = std::mem::replace(&mut text.path, name.to_string());
    let mut parsed = parse::parse(text, id, opts);
    parsed.text.path = display;
    parsed
}

/// Gives a parsed source (and its events) the id `id`.
fn set_whole_id(p: &mut ParsedSource, id: SourceId) {
    p.id = id;
    for e in &mut p.events {
        e.source = id;
    }
}

/// Gives a streamed segment (and its events) the id `id`.
fn set_segment_id(seg: &mut Segment<'_>, id: SourceId) {
    if seg.source == id {
        return;
    }
    seg.source = id;
    for e in seg.events.to_mut() {
        e.source = id;
    }
}

/// The entry of a streamed source in [`Analysis::sources`] (its size and
/// encoding are filled once the stream has ended).
fn placeholder(meta: &SourceMeta, input: &Input) -> ParsedSource {
    let mut text = SourceText::identity(meta.path.clone(), String::new());
    text.decompressed = input.decompressed;
    ParsedSource {
        id: meta.id,
        text,
        format: meta.format,
        events: Vec::new(),
        notes: Vec::<Note>::new(),
    }
}
