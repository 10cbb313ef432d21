//! The pipeline driver: inputs in, parsed sources and findings out.
//!
//! [`analyze`] parses decoded sources (in parallel) and matches the merged
//! timeline. [`analyze_inputs`] also takes large files: each is streamed
//! (`stream`) when it can be, else read whole, and every source reaches the
//! matcher as a segment stream (`matcher::run_streams`). Ranking and the
//! report are built from the result by `rank` and `report`. This module never
//! prints.

use std::path::PathBuf;

use rayon::prelude::*;

use crate::event::SourceId;
use crate::finding::MatchOutput;
use crate::matcher::{self, timeline};
use crate::parse::{self, ParseOptions, ParsedSource};
use crate::rule::ir::RuleSet;
use crate::segment::{Segment, SegmentStream, SourceMeta};
use crate::source::{Collected, InputError, LargeFile};
use crate::stream::{self, ahead, StreamConfig, Summary};
use crate::text::{Note, SourceText};

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
    pub file: PathBuf,
    pub summary: Summary,
}

impl Analysis {
    /// The stream summary of source `id`, when it was streamed.
    pub fn streamed(&self, id: SourceId) -> Option<&Streamed> {
        self.streamed.iter().find(|s| s.id == id)
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
    analyze_inputs_with(rules, inputs, opts, StreamConfig::default(), match_opts).0
}

/// One input on its way to the matcher.
enum Source<'r> {
    Whole(ParsedSource),
    Streamed(LargeFile, stream::Prepared<'r>),
}

/// [`analyze`] over inputs that may include large files (see the module docs).
/// Large files that cannot be opened become input errors.
pub fn analyze_inputs(
    rules: &RuleSet,
    inputs: Vec<Collected>,
    opts: &ParseOptions,
    cfg: StreamConfig,
) -> (Analysis, Vec<InputError>) {
    analyze_inputs_with(rules, inputs, opts, cfg, &matcher::MatchOptions::default())
}

/// [`analyze_inputs`] with explicit matcher options.
pub fn analyze_inputs_with<'r>(
    rules: &'r RuleSet,
    inputs: Vec<Collected>,
    opts: &ParseOptions,
    cfg: StreamConfig,
    match_opts: &matcher::MatchOptions,
) -> (Analysis, Vec<InputError>) {
    let mut errors = Vec::new();
    let prepared: Vec<Option<Source<'_>>> = inputs
        .into_par_iter()
        .enumerate()
        .map(|(i, input)| open(rules, i as SourceId, input, opts, cfg))
        .collect::<Vec<_>>()
        .into_iter()
        .map(|r| r.map_err(|e| errors.push(e)).ok())
        .collect();
    // Ids are positions among the sources that opened.
    let mut sources: Vec<Source<'_>> = prepared.into_iter().flatten().collect();
    for (i, s) in sources.iter_mut().enumerate() {
        let id = i as SourceId;
        match s {
            Source::Whole(p) => set_whole_id(p, id),
            Source::Streamed(_, p) => p.meta.id = id,
        }
    }
    let metas: Vec<SourceMeta> = sources
        .iter()
        .map(|s| match s {
            Source::Whole(p) => timeline::meta_of(p),
            Source::Streamed(_, p) => p.meta.clone(),
        })
        .collect();
    let notes = timeline::naive_tz_notes_for(&metas, opts.tz.is_some());
    let mut parsed: Vec<ParsedSource> = Vec::with_capacity(sources.len());
    let mut streams_of: Vec<(SourceId, PathBuf, std::sync::Arc<std::sync::Mutex<Summary>>)> =
        Vec::new();
    let mut streams: Vec<Option<SegmentStream<'r>>> = Vec::with_capacity(sources.len());
    for (s, meta) in sources.into_iter().zip(&metas) {
        match s {
            Source::Whole(p) => {
                parsed.push(p);
                streams.push(None);
            }
            Source::Streamed(file, p) => {
                parsed.push(placeholder(meta, &file));
                streams_of.push((meta.id, file.path, p.summary));
                streams.push(Some(p.stream));
            }
        }
    }
    for (id, note) in notes {
        if let Some(s) = parsed.get_mut(id as usize) {
            s.notes.push(note);
        }
    }
    // With one thread, streams are read in the matcher's thread; else each on its own.
    let read_ahead = rayon::current_num_threads() > 1;
    let budget = ahead::Budget::new();
    let output = std::thread::scope(|scope| {
        let streams: Vec<SegmentStream<'_>> = streams
            .into_iter()
            .zip(&parsed)
            .enumerate()
            .map(|(slot, (s, p))| -> SegmentStream<'_> {
                match s {
                    Some(s) if read_ahead => ahead::spawn(scope, s, &budget, slot),
                    // `Segment` is covariant, the stream's item type is not: re-box.
                    #[allow(clippy::map_identity)]
                    Some(s) => Box::new(s.map(|seg| -> Segment<'_> { seg })),
                    None => timeline::whole(p),
                }
            })
            .collect();
        matcher::run_streams(rules, &metas, streams, match_opts)
    });
    let streamed = streams_of
        .into_iter()
        .map(|(id, file, summary)| Streamed {
            id,
            file,
            summary: std::sync::Arc::try_unwrap(summary)
                .ok()
                .and_then(|m| m.into_inner().ok())
                .unwrap_or_else(|| Summary::new("?", crate::text::Encoding::Utf8)),
        })
        .collect();
    let analysis = Analysis {
        sources: parsed,
        streamed,
        output,
    };
    (analysis, errors)
}

/// Parses a decoded input, or opens a large file as a stream (read whole when it cannot be).
fn open<'r>(
    rules: &'r RuleSet,
    id: SourceId,
    input: Collected,
    opts: &ParseOptions,
    cfg: StreamConfig,
) -> Result<Source<'r>, InputError> {
    let large = match input {
        Collected::Text(t) => return Ok(Source::Whole(parse::parse(t, id, opts))),
        Collected::Large(large) => large,
    };
    match stream::prepare(&large.path, &large.display, id, rules, opts, cfg) {
        Ok(p) => Ok(Source::Streamed(large, p)),
        Err(stream::Whole::Io(e)) => Err(InputError::new(
            large.display,
            crate::source::io_message(&e),
        )),
        Err(_) => {
            let (mut texts, mut errs) = crate::source::collect(&[large.path.as_path()]);
            match (texts.pop(), errs.pop()) {
                (Some(mut t), _) => {
                    t.path = large.display;
                    Ok(Source::Whole(parse::parse(t, id, opts)))
                }
                (None, Some(e)) => Err(e),
                (None, None) => Err(InputError::new(large.display, "could not be read")),
            }
        }
    }
}

/// Gives a parsed source (and its events) the id `id`.
fn set_whole_id(p: &mut ParsedSource, id: SourceId) {
    p.id = id;
    for e in &mut p.events {
        e.source = id;
    }
}

/// The entry of a streamed source in [`Analysis::sources`].
fn placeholder(meta: &SourceMeta, file: &LargeFile) -> ParsedSource {
    let mut text = SourceText::identity(meta.path.clone(), String::new());
    text.raw_len = file.size;
    ParsedSource {
        id: meta.id,
        text,
        format: meta.format,
        events: Vec::new(),
        notes: Vec::<Note>::new(),
    }
}
