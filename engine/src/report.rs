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
use crate::redact::redact;
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
    inputs.extend(errors.iter().map(|e| Input {
        path: e.path.clone(),
        format: "error".into(),
        encoding: String::new(),
        bytes: 0,
        records: 0,
        notes: vec![e.message.clone()],
    }));
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
    let mut groups = unexplained::groups(sources, matched);
    for st in &analysis.streamed {
        groups.extend(st.summary.unexplained.clone());
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
    );
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
            records: sources.iter().map(|s| s.events.len() as u64).sum::<u64>()
                + analysis
                    .streamed
                    .iter()
                    .map(|s| s.summary.lines)
                    .sum::<u64>(),
            rules: rules.rules.len() as u64,
            elapsed_ms: 0,
            evicted_partials,
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
        records: s.events.len() as u64,
        notes,
    }
}

fn streamed_input(s: &ParsedSource, st: &crate::scan::Streamed) -> Input {
    let mut notes: Vec<String> = st.summary.report_notes().iter().map(note_text).collect();
    notes.extend(s.notes.iter().map(note_text));
    Input {
        path: s.text.path.clone(),
        format: s.format.into(),
        encoding: st.summary.encoding.as_str().into(),
        bytes: s.text.raw_len,
        records: st.summary.lines,
        notes,
    }
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
    let ctx = template::Context::new(rule, f, sources);
    let bundle = Bundle::of(sources);
    FindingReport {
        rule: rule.id.clone(),
        status: f.status.as_str().into(),
        key: f.key.iter().cloned().collect(),
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

/// Evidence for one record of any source: streamed sources are re-read from disk.
pub(crate) fn evidence_in(
    analysis: &Analysis,
    step: &str,
    loc: &RecordLoc,
    opts: ReportOptions,
) -> Evidence {
    match analysis.streamed(loc.source) {
        None => evidence_of(&analysis.sources, step, loc, opts),
        Some(st) => {
            let text = reread(&st.file, loc.span.start, loc.span.end);
            let path = analysis
                .sources
                .get(loc.source as usize)
                .map_or_else(|| "?".to_string(), |s| s.text.path.clone());
            finish_evidence(step, path, &text, loc, opts)
        }
    }
}

/// The record bytes `start..end` of `file`, as text (invalid UTF-8 replaced), at most
/// four times [`MAX_EVIDENCE_TEXT`] bytes; empty when the file cannot be read.
fn reread(file: &std::path::Path, start: u64, end: u64) -> String {
    use std::io::{Read, Seek, SeekFrom};
    let len = end.saturating_sub(start).min(4 * MAX_EVIDENCE_TEXT as u64);
    let mut buf = Vec::new();
    let read = std::fs::File::open(file).and_then(|mut f| {
        f.seek(SeekFrom::Start(start))?;
        f.take(len).read_to_end(&mut buf)
    });
    match read {
        Ok(_) => String::from_utf8_lossy(&buf).into_owned(),
        Err(_) => String::new(),
    }
}

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
