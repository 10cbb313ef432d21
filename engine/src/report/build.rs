//! `report::build`: the [`Report`] of one scan, put together from the parsed
//! sources, the findings and the ranking: inputs with their notes, causes and
//! their findings (diagnosis templates filled, evidence re-read), what is
//! inconclusive and unexplained, what to collect, and (with `--explain`) the
//! "why not" entries.
//!
//! This is the last stage: it calls `explain`, `collect`, `unexplained` and
//! `template`, and none of them calls it. It never matches, ranks, prints or
//! parses a record again.

use std::borrow::Cow;

use crate::collect::{self, Bundle};
use crate::explain;
use crate::finding::{Finding, StepEvidence};
use crate::matcher::timeline::{DEFAULT_MAX_DISORDER, REORDER_BYTES, REORDER_CAP};
use crate::parse::ParsedSource;
use crate::rank::{Ranking, Verdict};
use crate::redact::redact_if;
use crate::report::evidence::{evidence_in, prefetch, ReportOptions};
use crate::report::schema::{Cause, FindingReport, Input, Report, Stats, Unexplained, SCHEMA};
use crate::rule::ir::RuleSet;
use crate::scan::{Analysis, Streamed};
use crate::source::InputError;
use crate::template;
use crate::text::Note;
use crate::unexplained;

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
    let inputs = inputs(analysis, errors, opts);
    let finding_report = |index: usize, likely: bool| {
        finding_report(rules, analysis, &findings[index], likely, opts)
    };
    let causes = ranking
        .causes
        .iter()
        .map(|ranked| {
            let top = &rules.rules[findings[ranked.findings[0]].rule];
            Cause {
                cause: ranked.cause.clone(),
                title: top.title.clone(),
                verdict: ranked.verdict,
                score: (ranked.score * 100.0).round() / 100.0,
                findings: ranked
                    .findings
                    .iter()
                    .map(|&index| FindingReport {
                        symptom: ranked.absorbed.contains(&index),
                        ..finding_report(index, ranked.verdict == Verdict::Likely)
                    })
                    .collect(),
            }
        })
        .collect();
    let inconclusive = ranking
        .inconclusive
        .iter()
        .map(|&index| finding_report(index, false))
        .collect();
    let order: Vec<(usize, bool)> = ranking
        .causes
        .iter()
        .flat_map(|ranked| {
            ranked
                .findings
                .iter()
                .map(|&index| (index, ranked.verdict == Verdict::Likely))
        })
        .chain(ranking.inconclusive.iter().map(|&index| (index, false)))
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
    let records = inputs.iter().map(|input| input.records).sum();
    Report {
        schema: SCHEMA.into(),
        inputs,
        causes,
        inconclusive,
        unexplained: unexplained_groups(analysis, opts),
        collect,
        explain: explain::why_not(rules, analysis, opts),
        stats: Stats {
            bytes: sources.iter().map(|source| source.text.raw_len).sum(),
            records,
            rules: rules.rules.len() as u64,
            elapsed_ms: 0,
            evicted_partials: analysis.output.evicted_partials,
            dropped_findings: analysis.output.dropped_findings,
        },
    }
}

/// Every input: the sources read, with the reorder buffer's overflow noted,
/// then the inputs that could not be read; every note redacted when asked.
fn inputs(analysis: &Analysis, errors: &[InputError], opts: ReportOptions) -> Vec<Input> {
    let mut inputs: Vec<Input> = analysis
        .sources
        .iter()
        .map(|source| match analysis.streamed(source.id) {
            Some(streamed) => streamed_input(source, streamed),
            None => input_of(source),
        })
        .collect();
    for (input, &overflow) in inputs.iter_mut().zip(&analysis.output.reorder_overflow) {
        if overflow > 0 {
            input.notes.push(format!(
                "{overflow} records were matched in file order, not sorted by time: more records \
                 fell within {DEFAULT_MAX_DISORDER} ms of each other than the reorder buffer \
                 holds ({REORDER_CAP} records, {} MiB)",
                REORDER_BYTES >> 20
            ));
        }
    }
    inputs.extend(errors.iter().map(|error| Input {
        path: error.path.clone(),
        format: "error".into(),
        encoding: String::new(),
        bytes: 0,
        records: 0,
        notes: vec![error.message.clone()],
    }));
    // A note may quote the input (a name, a line): it leaves the engine redacted too.
    for note in inputs.iter_mut().flat_map(|input| input.notes.iter_mut()) {
        if let Cow::Owned(redacted) = redact_if(opts.redact, note) {
            *note = redacted;
        }
    }
    inputs
}

/// The unexplained-error groups: the error-looking records no finding bound
/// (the records of every finding count as explained, inconclusive ones
/// included), in source order, as if every source were one list of records.
fn unexplained_groups(analysis: &Analysis, opts: ReportOptions) -> Vec<Unexplained> {
    let matched = &analysis.output.matched_records;
    let mut groups = unexplained::Groups::default();
    for (index, source) in analysis.sources.iter().enumerate() {
        let covered = matched.get(index).map(Vec::as_slice).unwrap_or(&[]);
        match analysis.streamed(source.id) {
            Some(streamed) => {
                for errors in streamed.summary.pending.unmatched(covered) {
                    groups.add_many(
                        &streamed.input.display,
                        errors.line,
                        errors.text,
                        errors.count,
                    );
                }
            }
            None => groups.extend(unexplained::groups(
                std::slice::from_ref(source),
                std::slice::from_ref(&covered.to_vec()),
            )),
        }
    }
    groups.finish(opts.redact)
}

fn input_of(source: &ParsedSource) -> Input {
    let mut notes: Vec<String> = source
        .text
        .notes
        .iter()
        .chain(&source.notes)
        .map(note_text)
        .collect();
    if source.text.decompressed {
        notes.insert(0, "offsets refer to the decompressed stream".into());
    }
    Input {
        path: source.text.path.clone(),
        format: source.format.into(),
        encoding: source.text.encoding.as_str().into(),
        bytes: source.text.raw_len,
        records: line_count(&source.text.text),
        notes,
    }
}

fn streamed_input(source: &ParsedSource, streamed: &Streamed) -> Input {
    let mut notes: Vec<String> = streamed.input.notes.iter().map(note_text).collect();
    notes.extend(streamed.summary.report_notes().iter().map(note_text));
    notes.extend(source.notes.iter().map(note_text));
    if streamed.input.decompressed {
        notes.insert(0, "offsets refer to the decompressed stream".into());
    }
    Input {
        path: source.text.path.clone(),
        format: source.format.into(),
        encoding: streamed.summary.encoding.as_str().into(),
        bytes: source.text.raw_len,
        records: streamed.summary.lines,
        notes,
    }
}

/// The number of lines of a text, as a streamed source counts them (an
/// input's `records`, docs/json.md).
fn line_count(text: &str) -> u64 {
    crate::frame::lines(text)
        .last()
        .map_or(0, |line| u64::from(line.number))
}

fn note_text(note: &Note) -> String {
    match note.line {
        Some(line) => format!("line {line}: {}", note.message),
        None => note.message.clone(),
    }
}

/// `likely`: the finding sits under a `likely` cause (see [`collect::for_finding`]).
fn finding_report(
    rules: &RuleSet,
    analysis: &Analysis,
    finding: &Finding,
    likely: bool,
    opts: ReportOptions,
) -> FindingReport {
    let sources = &analysis.sources;
    let rule = &rules.rules[finding.rule];
    let mut evidence = Vec::new();
    for step_evidence in &finding.steps {
        if let StepEvidence::Record {
            step,
            first,
            last,
            count,
        } = step_evidence
        {
            evidence.push(evidence_in(analysis, step, first, opts));
            if *count > 1 && last != first {
                evidence.push(evidence_in(analysis, step, last, opts));
            }
        }
    }
    for fact in &finding.facts {
        if let Some(loc) = &fact.evidence {
            evidence.push(evidence_in(
                analysis,
                &format!("fact:{}", fact.id),
                loc,
                opts,
            ));
        }
    }
    let context = template::Context::new(rule, finding, sources).redacting(opts.redact);
    let bundle = Bundle::of(sources);
    FindingReport {
        rule: rule.id.clone(),
        status: finding.status.as_str().into(),
        key: finding
            .key
            .iter()
            .map(|(name, value)| (name.clone(), redact_if(opts.redact, value).into_owned()))
            .collect(),
        occurrences: finding.occurrences.max(1),
        summary: context.render(&rule.diagnosis.summary),
        explanation: context.render(&rule.diagnosis.explanation),
        fix: context.render(&rule.diagnosis.fix),
        evidence,
        symptom: false,
        order_uncertain: finding.order_uncertain,
        unchecked_time: finding.unchecked_time,
        collect: collect::for_finding(rule, finding, &context, &bundle, likely)
            .into_iter()
            .map(|(what, _)| what)
            .collect(),
    }
}

/// Whether the report has a cause at or above `verdict` (`--fail-on`).
pub fn has_cause_at_least(report: &Report, verdict: Verdict) -> bool {
    report.causes.iter().any(|cause| match verdict {
        Verdict::Likely => cause.verdict == Verdict::Likely,
        Verdict::Possible => true,
    })
}
