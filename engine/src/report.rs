//! The `Report`: the public, versioned result of a scan (`logscan/report@1`,
//! DESIGN §7 and docs/json.md).
//!
//! Built from the parsed sources, the findings and the ranking; evidence text is
//! re-read by offset from the decoded sources, redacted unless asked not to, and
//! never re-parsed. Printers (text, JSON) live in the CLI and read only this
//! value. Adding fields is compatible; renaming or removing one is a new schema.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::collect::{self, Bundle, Collect};
use crate::explain::{self, WhyNot};
use crate::finding::{Finding, RecordLoc, StepEvidence};
use crate::parse::ParsedSource;
use crate::rank::{Ranking, Verdict};
use crate::redact::{redact, redact_if};
use crate::rule::ir::RuleSet;
use crate::scan::Analysis;
use crate::source::InputError;
use crate::template;
use crate::unexplained::{self, Unexplained};

/// Schema id of this report shape.
pub const SCHEMA: &str = "logscan/report@1";
/// Evidence text longer than this (in bytes) is cut with `…`.
const MAX_EVIDENCE_TEXT: usize = 2000;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub schema: String,
    pub inputs: Vec<Input>,
    pub causes: Vec<Cause>,
    /// Findings whose trailing absence could not be decided before the input ended:
    /// never a root cause, shown so nothing is silently dropped.
    pub inconclusive: Vec<FindingReport>,
    pub unexplained: Vec<Unexplained>,
    /// What to collect next to settle what the bundle could not (docs/json.md).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub collect: Vec<Collect>,
    /// Why not: rules that came close (only with `--explain`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub explain: Option<Vec<WhyNot>>,
    pub stats: Stats,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Input {
    pub path: String,
    /// Detected format, or `error` for an input that could not be read.
    pub format: String,
    pub encoding: String,
    pub bytes: u64,
    pub records: u64,
    pub notes: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cause {
    pub cause: String,
    pub title: String,
    pub verdict: Verdict,
    /// Probability-like score in [0, 1], rounded to 2 decimals.
    pub score: f64,
    pub findings: Vec<FindingReport>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FindingReport {
    pub rule: String,
    pub status: String,
    pub key: BTreeMap<String, String>,
    pub occurrences: u32,
    pub summary: String,
    pub explanation: String,
    pub fix: String,
    pub evidence: Vec<Evidence>,
    /// A symptom finding the cause absorbed (its rule belongs to an explained cause).
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub symptom: bool,
    /// The order of two of its records relied on the rule's clock-skew tolerance.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub order_uncertain: bool,
    /// Time constraints that could not be checked (a record had no timestamp).
    #[serde(skip_serializing_if = "is_zero", default)]
    pub unchecked_time: u32,
    /// What would settle its unknown facts (or unprovable absences).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub collect: Vec<String>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// The step (or `fact:<id>`) this record proves.
    pub step: String,
    pub path: String,
    pub line: u32,
    pub end_line: u32,
    /// Byte offsets in the file on disk (or the decompressed stream), half-open.
    pub start: u64,
    pub end: u64,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub ts: Option<String>,
    pub text: String,
    /// Byte ranges within `text` of the parts that matched (for underlining).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub highlights: Vec<(u32, u32)>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    pub bytes: u64,
    pub records: u64,
    pub rules: u64,
    pub elapsed_ms: u64,
    pub evicted_partials: u64,
    /// Findings not kept: a rule found more than 1,000 incidents (their
    /// records still count as explained). Absent when 0.
    #[serde(default, skip_serializing_if = "is_zero_u64")]
    pub dropped_findings: u64,
}

fn is_zero_u64(n: &u64) -> bool {
    *n == 0
}

/// Options for building a report.
#[derive(Clone, Copy, Debug)]
pub struct ReportOptions {
    pub redact: bool,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions { redact: true }
    }
}

/// Builds the report of one scan.
pub fn build(
    rules: &RuleSet,
    analysis: &Analysis,
    errors: &[InputError],
    ranking: &Ranking,
    opts: ReportOptions,
) -> Report {
    prefetch(analysis);
    let sources = &analysis.sources;
    let findings = &analysis.output.findings;
    let matched = &analysis.output.matched_records;
    let evicted_partials = analysis.output.evicted_partials;
    let mut inputs: Vec<Input> = sources
        .iter()
        .map(|s| match analysis.streamed(s.id) {
            Some(st) => streamed_input(s, st),
            None => input_of(s),
        })
        .collect();
    for (input, &n) in inputs.iter_mut().zip(&analysis.output.reorder_overflow) {
        if n > 0 {
            input.notes.push(format!(
                "{n} records were matched in file order, not sorted by time: more records fell \
                 within {} ms of each other than the reorder buffer holds ({} records, {} MiB)",
                crate::matcher::timeline::DEFAULT_MAX_DISORDER,
                crate::matcher::timeline::REORDER_CAP,
                crate::matcher::timeline::REORDER_BYTES >> 20
            ));
        }
    }
    inputs.extend(errors.iter().map(|e| Input {
        path: e.path.clone(),
        format: "error".into(),
        encoding: String::new(),
        bytes: 0,
        records: 0,
        notes: vec![e.message.clone()],
    }));
    // A note may quote the input (a name, a line): it leaves the engine redacted too.
    for note in inputs.iter_mut().flat_map(|i| i.notes.iter_mut()) {
        if let std::borrow::Cow::Owned(red) = redact_if(opts.redact, note) {
            *note = red;
        }
    }
    let finding_report =
        |i: usize, likely: bool| finding_report(rules, analysis, &findings[i], likely, opts);
    let causes = ranking
        .causes
        .iter()
        .map(|c| {
            let top = &rules.rules[findings[c.findings[0]].rule];
            Cause {
                cause: c.cause.clone(),
                title: top.title.clone(),
                verdict: c.verdict,
                score: (c.score * 100.0).round() / 100.0,
                findings: c
                    .findings
                    .iter()
                    .map(|&i| FindingReport {
                        symptom: c.absorbed.contains(&i),
                        ..finding_report(i, c.verdict == Verdict::Likely)
                    })
                    .collect(),
            }
        })
        .collect();
    let inconclusive = ranking
        .inconclusive
        .iter()
        .map(|&i| finding_report(i, false))
        .collect();
    // Records of every finding count as explained, inconclusive ones included.
    // In source order, as if every source were one list of records.
    let mut groups = unexplained::Groups::default();
    for (i, s) in sources.iter().enumerate() {
        let covered = matched.get(i).map(Vec::as_slice).unwrap_or(&[]);
        match analysis.streamed(s.id) {
            Some(st) => groups.extend(st.summary.pending.unmatched(&st.input.display, covered)),
            None => groups.extend(unexplained::groups(
                std::slice::from_ref(s),
                std::slice::from_ref(&covered.to_vec()),
            )),
        }
    }
    let unexplained = groups.finish(opts.redact);
    let order: Vec<(usize, bool)> = ranking
        .causes
        .iter()
        .flat_map(|c| {
            c.findings
                .iter()
                .map(|&i| (i, c.verdict == Verdict::Likely))
        })
        .chain(ranking.inconclusive.iter().map(|&i| (i, false)))
        .collect();
    let collect = collect::next(
        rules,
        findings,
        &analysis.output.traces,
        &order,
        sources,
        collect::Reported::of(rules, ranking.causes.iter().map(|c| c.cause.as_str())),
        opts.redact,
    );
    let records = inputs.iter().map(|i| i.records).sum();
    Report {
        schema: SCHEMA.into(),
        inputs,
        causes,
        inconclusive,
        unexplained,
        collect,
        explain: explain::why_not(rules, analysis, opts),
        stats: Stats {
            bytes: sources.iter().map(|s| s.text.raw_len).sum(),
            records,
            rules: rules.rules.len() as u64,
            elapsed_ms: 0,
            evicted_partials,
            dropped_findings: analysis.output.dropped_findings,
        },
    }
}

fn input_of(s: &ParsedSource) -> Input {
    let mut notes: Vec<String> = s.text.notes.iter().chain(&s.notes).map(note_text).collect();
    if s.text.decompressed {
        notes.insert(0, "offsets refer to the decompressed stream".into());
    }
    Input {
        path: s.text.path.clone(),
        format: s.format.into(),
        encoding: s.text.encoding.as_str().into(),
        bytes: s.text.raw_len,
        records: line_count(&s.text.text),
        notes,
    }
}

fn streamed_input(s: &ParsedSource, st: &crate::scan::Streamed) -> Input {
    let mut notes: Vec<String> = st.input.notes.iter().map(note_text).collect();
    notes.extend(st.summary.report_notes().iter().map(note_text));
    notes.extend(s.notes.iter().map(note_text));
    if st.input.decompressed {
        notes.insert(0, "offsets refer to the decompressed stream".into());
    }
    Input {
        path: s.text.path.clone(),
        format: s.format.into(),
        encoding: st.summary.encoding.as_str().into(),
        bytes: s.text.raw_len,
        records: st.summary.lines,
        notes,
    }
}

/// The number of lines of a text, as a streamed source counts them (an
/// input's `records`, docs/json.md).
fn line_count(text: &str) -> u64 {
    crate::frame::lines(text)
        .last()
        .map_or(0, |l| u64::from(l.number))
}

fn note_text(n: &crate::text::Note) -> String {
    match n.line {
        Some(l) => format!("line {l}: {}", n.message),
        None => n.message.clone(),
    }
}

/// `likely`: the finding sits under a `likely` cause (see [`collect::for_finding`]).
fn finding_report(
    rules: &RuleSet,
    analysis: &Analysis,
    f: &Finding,
    likely: bool,
    opts: ReportOptions,
) -> FindingReport {
    let sources = &analysis.sources;
    let rule = &rules.rules[f.rule];
    let mut evidence = Vec::new();
    for s in &f.steps {
        if let StepEvidence::Record {
            step,
            first,
            last,
            count,
        } = s
        {
            evidence.push(evidence_in(analysis, step, first, opts));
            if *count > 1 && last != first {
                evidence.push(evidence_in(analysis, step, last, opts));
            }
        }
    }
    for fact in &f.facts {
        if let Some(loc) = &fact.evidence {
            evidence.push(evidence_in(
                analysis,
                &format!("fact:{}", fact.id),
                loc,
                opts,
            ));
        }
    }
    let ctx = template::Context::new(rule, f, sources).redacting(opts.redact);
    let bundle = Bundle::of(sources);
    FindingReport {
        rule: rule.id.clone(),
        status: f.status.as_str().into(),
        key: f
            .key
            .iter()
            .map(|(k, v)| (k.clone(), redact_if(opts.redact, v).into_owned()))
            .collect(),
        occurrences: f.occurrences.max(1),
        summary: ctx.render(&rule.diagnosis.summary),
        explanation: ctx.render(&rule.diagnosis.explanation),
        fix: ctx.render(&rule.diagnosis.fix),
        evidence,
        symptom: false,
        order_uncertain: f.order_uncertain,
        unchecked_time: f.unchecked_time,
        collect: collect::for_finding(rule, f, &ctx, &bundle, likely)
            .into_iter()
            .map(|(what, _)| what)
            .collect(),
    }
}

/// Evidence for one record of any source: a streamed source's record is
/// re-read from it (see [`prefetch`]).
pub(crate) fn evidence_in(
    analysis: &Analysis,
    step: &str,
    loc: &RecordLoc,
    opts: ReportOptions,
) -> Evidence {
    match analysis.streamed(loc.source) {
        None => evidence_of(&analysis.sources, step, loc, opts),
        Some(st) => {
            let range = (loc.span.start, loc.span.end);
            let cached = st.evidence.lock().ok().and_then(|m| m.get(&range).cloned());
            let text = cached.unwrap_or_else(|| reread(st, &[range]).pop().unwrap_or_default());
            let path = analysis
                .sources
                .get(loc.source as usize)
                .map_or_else(|| "?".to_string(), |s| s.text.path.clone());
            finish_evidence(step, path, &text, loc, opts)
        }
    }
}

/// Re-reads every record of a streamed source the report may show (findings'
/// evidence, facts, the traces `--explain` reads), in one pass per source: a
/// compressed source is decompressed once more, not once per record.
fn prefetch(analysis: &Analysis) {
    if analysis.streamed.is_empty() {
        return;
    }
    let mut want: BTreeMap<u32, Vec<(u64, u64)>> = BTreeMap::new();
    let mut add = |loc: &RecordLoc| {
        if analysis.streamed(loc.source).is_some() {
            want.entry(loc.source)
                .or_default()
                .push((loc.span.start, loc.span.end));
        }
    };
    for f in &analysis.output.findings {
        for s in &f.steps {
            if let StepEvidence::Record { first, last, .. } = s {
                add(first);
                add(last);
            }
        }
        f.facts
            .iter()
            .filter_map(|x| x.evidence.as_ref())
            .for_each(&mut add);
    }
    for t in &analysis.output.traces {
        t.first.iter().flatten().for_each(&mut add);
        for (_, loc) in t.reached.iter().chain(&t.killed) {
            add(loc);
        }
        t.facts
            .iter()
            .filter_map(|x| x.evidence.as_ref())
            .for_each(&mut add);
    }
    for (id, mut ranges) in want {
        let Some(st) = analysis.streamed(id) else {
            continue;
        };
        ranges.sort_unstable();
        ranges.dedup();
        let texts = reread(st, &ranges);
        if let Ok(mut m) = st.evidence.lock() {
            m.extend(ranges.into_iter().zip(texts));
        }
    }
}

/// The text of each record range of a streamed source, decoded as the source
/// was, at most [`MAX_REREAD`] bytes each; empty when it cannot be read.
fn reread(st: &crate::scan::Streamed, ranges: &[(u64, u64)]) -> Vec<String> {
    st.input
        .source
        .read_ranges(ranges, MAX_REREAD)
        .into_iter()
        .map(|bytes| {
            let mut text = crate::decode::decode_as(bytes, st.summary.encoding);
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
    let src = sources.get(loc.source as usize);
    let (path, raw_text) = match src.and_then(|s| s.events.get(loc.seq as usize).map(|e| (s, e))) {
        Some((s, e)) => (
            s.text.path.clone(),
            s.text
                .text
                .get(e.text.start as usize..e.text.end as usize)
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
        .filter(|h| h.end >= h.start && (h.end as usize) <= text.len())
        .map(|h| (h.start, h.end))
        .collect();
    if opts.redact {
        let red = redact(&text);
        if red != text {
            // Redaction moves bytes; the underlines would point at the wrong place.
            highlights.clear();
            text = red.into_owned();
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
        ts: loc.ts.map(|t| format_ts(t.ms)),
        text,
        highlights,
    }
}

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

/// RFC 3339 UTC with milliseconds.
pub fn format_ts(ms: i64) -> String {
    match jiff::Timestamp::from_millisecond(ms) {
        Ok(t) => t.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        Err(_) => ms.to_string(),
    }
}

/// Whether the report has a cause at or above `verdict` (`--fail-on`).
pub fn has_cause_at_least(report: &Report, verdict: Verdict) -> bool {
    report.causes.iter().any(|c| match verdict {
        Verdict::Likely => c.verdict == Verdict::Likely,
        Verdict::Possible => true,
    })
}
