//! Evidence: the text of the records a report shows, re-read by offset from
//! the decoded source, or from a streamed source's `ByteSource` (every record
//! the report may show, in one pass per source, decoded as the source was),
//! cut to [`MAX_EVIDENCE_TEXT`] and redacted unless asked not to; and the
//! [`ReportOptions`] every part of the report is built with.
//!
//! Used by `report::build` and by `explain`; it never matches, ranks, fills
//! templates or prints, and never parses a record again.

use std::collections::BTreeMap;

use crate::finding::{RecordLoc, StepEvidence};
use crate::parse::time::format_ts;
use crate::parse::ParsedSource;
use crate::redact::redact;
use crate::report::schema::Evidence;
use crate::scan::{Analysis, Streamed};

/// Evidence text longer than this (in bytes) is cut with `…`.
pub const MAX_EVIDENCE_TEXT: usize = 2000;

/// Options for building a report.
#[derive(Clone, Copy, Debug)]
pub struct ReportOptions {
    /// Secrets in every text that leaves the engine are masked (`--no-redact` off).
    pub redact: bool,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions { redact: true }
    }
}

/// Evidence for one record of any source: a streamed source's record is
/// re-read from it (see [`prefetch`]).
pub fn evidence_in(
    analysis: &Analysis,
    step: &str,
    loc: &RecordLoc,
    opts: ReportOptions,
) -> Evidence {
    match analysis.streamed(loc.source) {
        None => evidence_of(&analysis.sources, step, loc, opts),
        Some(streamed) => {
            let range = (loc.span.start, loc.span.end);
            let cached = streamed
                .evidence
                .lock()
                .ok()
                .and_then(|texts| texts.get(&range).cloned());
            let text =
                cached.unwrap_or_else(|| reread(streamed, &[range]).pop().unwrap_or_default());
            let path = analysis
                .sources
                .get(loc.source as usize)
                .map_or_else(|| "?".to_string(), |source| source.text.path.clone());
            finish_evidence(step, path, &text, loc, opts)
        }
    }
}

/// Re-reads every record of a streamed source the report may show (findings'
/// evidence, facts, the traces `--explain` reads), in one pass per source: a
/// compressed source is decompressed once more, not once per record.
pub fn prefetch(analysis: &Analysis) {
    if analysis.streamed.is_empty() {
        return;
    }
    let mut wanted: BTreeMap<u32, Vec<(u64, u64)>> = BTreeMap::new();
    let mut want = |loc: &RecordLoc| {
        if analysis.streamed(loc.source).is_some() {
            wanted
                .entry(loc.source)
                .or_default()
                .push((loc.span.start, loc.span.end));
        }
    };
    for finding in &analysis.output.findings {
        for step in &finding.steps {
            if let StepEvidence::Record { first, last, .. } = step {
                want(first);
                want(last);
            }
        }
        finding
            .facts
            .iter()
            .filter_map(|fact| fact.evidence.as_ref())
            .for_each(&mut want);
    }
    for trace in &analysis.output.traces {
        trace.first.iter().flatten().for_each(&mut want);
        for (_, loc) in trace.reached.iter().chain(&trace.killed) {
            want(loc);
        }
        trace
            .facts
            .iter()
            .filter_map(|fact| fact.evidence.as_ref())
            .for_each(&mut want);
    }
    for (source_id, mut ranges) in wanted {
        let Some(streamed) = analysis.streamed(source_id) else {
            continue;
        };
        ranges.sort_unstable();
        ranges.dedup();
        let texts = reread(streamed, &ranges);
        if let Ok(mut cache) = streamed.evidence.lock() {
            cache.extend(ranges.into_iter().zip(texts));
        }
    }
}

/// The text of each record range of a streamed source, decoded as the source
/// was, at most [`MAX_REREAD`] bytes each; empty when it cannot be read.
fn reread(streamed: &Streamed, ranges: &[(u64, u64)]) -> Vec<String> {
    streamed
        .input
        .source
        .read_ranges(ranges, MAX_REREAD)
        .into_iter()
        .map(|bytes| {
            let mut text = crate::decode::decode_as(bytes, streamed.summary.encoding);
            // Keep what `cut` looks at (a byte past the evidence cap tells it to cut).
            if text.len() > MAX_EVIDENCE_TEXT {
                let mut end = MAX_EVIDENCE_TEXT + 1;
                while !text.is_char_boundary(end) {
                    end += 1;
                }
                text.truncate(end);
            }
            text
        })
        .collect()
}

/// Raw bytes re-read per evidence record: enough for [`MAX_EVIDENCE_TEXT`]
/// decoded bytes of any encoding.
const MAX_REREAD: u64 = 8 * MAX_EVIDENCE_TEXT as u64;

/// Evidence for one record, its text re-read from the decoded source by offset.
pub fn evidence_of(
    sources: &[ParsedSource],
    step: &str,
    loc: &RecordLoc,
    opts: ReportOptions,
) -> Evidence {
    let record = sources.get(loc.source as usize).and_then(|source| {
        source
            .events
            .get(loc.seq as usize)
            .map(|event| (source, event))
    });
    let (path, raw_text) = match record {
        Some((source, event)) => (
            source.text.path.clone(),
            source
                .text
                .text
                .get(event.text.start as usize..event.text.end as usize)
                .unwrap_or(""),
        ),
        None => (String::from("?"), ""),
    };
    finish_evidence(step, path, raw_text, loc, opts)
}

/// Evidence from a record's text: cut, redacted, with its highlights.
fn finish_evidence(
    step: &str,
    path: String,
    raw_text: &str,
    loc: &RecordLoc,
    opts: ReportOptions,
) -> Evidence {
    let mut text = cut(raw_text);
    // Highlights are relative to the record text already.
    let mut highlights: Vec<(u32, u32)> = loc
        .highlights
        .iter()
        .filter(|highlight| {
            highlight.end >= highlight.start && (highlight.end as usize) <= text.len()
        })
        .map(|highlight| (highlight.start, highlight.end))
        .collect();
    if opts.redact {
        let redacted = redact(&text);
        if redacted != text {
            // Redaction moves bytes; the underlines would point at the wrong place.
            highlights.clear();
            text = redacted.into_owned();
        }
    }
    highlights.sort_unstable();
    highlights.dedup();
    Evidence {
        step: step.into(),
        path,
        line: loc.span.line,
        end_line: loc.span.end_line,
        start: loc.span.start,
        end: loc.span.end,
        ts: loc.ts.map(|ts| format_ts(ts.ms)),
        text,
        highlights,
    }
}

/// `text` cut to [`MAX_EVIDENCE_TEXT`] bytes (at a character boundary) with `…`.
fn cut(text: &str) -> String {
    if text.len() <= MAX_EVIDENCE_TEXT {
        return text.to_string();
    }
    let mut end = MAX_EVIDENCE_TEXT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}
