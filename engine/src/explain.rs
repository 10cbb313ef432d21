//! "Why not" (`logscan scan --explain`): for every rule that came close, how
//! far it got and what was missing.
//!
//! A rule *came close* when a record matched one of its positive steps (or a
//! partial bound one) but it has no confirmed finding. The missing part is the
//! first of, in this order:
//! 1. `step`: the first positive step no record matched (with the sources it
//!    reads, and what to collect when none of them is in the bundle);
//! 2. `fact`: a `require` fact that is false, or unknown (with what to collect);
//! 3. `absence`: an absent step ended it: a trailing absence the log ends
//!    before (inconclusive) or no source can prove, or a record that matched an
//!    absent step (named, with its location);
//! 4. `sequence`: every positive step matched some record, but never in order
//!    for one key within the rule's windows.
//!
//! Built from the matcher's per-rule traces (counted only with
//! `MatchOptions::explain`; a streamed source counts candidate records only),
//! into the `report::schema` types ([`WhyNot`], [`Missing`]); evidence is
//! re-read by `report::evidence`. This module never matches, ranks or prints.

use crate::collect::{reads, unfilled, Bundle};
use crate::finding::{Finding, RecordLoc, RuleTrace, Status, Truth};
use crate::report::evidence::{evidence_in, ReportOptions};
use crate::report::schema::{Evidence, Missing, MissingKind, StepCounts, WhyNot};
use crate::rule::duration::human;
use crate::rule::ir::{CompiledRule, FactMode, FactRole, RuleSet};
use crate::scan::Analysis;

/// Every rule that came close, deepest first, then by rule id; `None` when the
/// matcher did not count (explain off).
pub fn why_not(rules: &RuleSet, analysis: &Analysis, opts: ReportOptions) -> Option<Vec<WhyNot>> {
    let traces = &analysis.output.traces;
    if !traces.iter().any(|trace| trace.counted) {
        return None;
    }
    let bundle = Bundle::of(&analysis.sources);
    let findings = &analysis.output.findings;
    let mut out: Vec<(usize, WhyNot)> = Vec::new();
    for (rule_index, trace) in traces.iter().enumerate() {
        let Some(rule) = rules.rules.get(rule_index) else {
            continue;
        };
        let mine: Vec<&Finding> = findings
            .iter()
            .filter(|finding| finding.rule == rule_index)
            .collect();
        if mine
            .iter()
            .any(|finding| finding.status == Status::Confirmed)
            || !came_close(rule, trace)
        {
            continue;
        }
        let at = |step: &str, loc: &RecordLoc| evidence_in(analysis, step, loc, opts);
        let missing = missing(rule, trace, &mine, &bundle, &at);
        let reached = trace
            .reached
            .as_ref()
            .and_then(|(depth, _)| rule.steps.get(*depth))
            .map(|step| step.id.clone());
        let first = match &trace.reached {
            Some((depth, loc)) => rule.steps.get(*depth).map(|step| at(&step.id, loc)),
            None => rule
                .steps
                .iter()
                .zip(&trace.first)
                .find_map(|(step, loc)| loc.as_ref().map(|loc| at(&step.id, loc))),
        };
        let depth = trace.reached.as_ref().map_or(0, |(depth, _)| depth + 1);
        out.push((
            depth,
            WhyNot {
                rule: rule.id.clone(),
                cause: rule.cause.clone(),
                reached,
                missing,
                matched: StepCounts(
                    rule.steps
                        .iter()
                        .zip(&trace.matched)
                        .map(|(step, count)| (step.id.clone(), *count))
                        .collect(),
                ),
                first,
            },
        ));
    }
    out.sort_by(|(depth_a, why_a), (depth_b, why_b)| {
        depth_b
            .cmp(depth_a)
            .then_with(|| why_a.rule.cmp(&why_b.rule))
    });
    Some(out.into_iter().map(|(_, why_not)| why_not).collect())
}

/// A positive step matched some record, or a partial bound one.
fn came_close(rule: &CompiledRule, trace: &RuleTrace) -> bool {
    trace.reached.is_some()
        || rule
            .steps
            .iter()
            .zip(&trace.matched)
            .any(|(step, count)| !step.absent && *count > 0)
}

fn missing(
    rule: &CompiledRule,
    trace: &RuleTrace,
    findings: &[&Finding],
    bundle: &Bundle<'_>,
    at: &dyn Fn(&str, &RecordLoc) -> Evidence,
) -> Missing {
    let unmatched = rule
        .steps
        .iter()
        .zip(&trace.matched)
        .find(|(step, count)| !step.absent && **count == 0);
    if let Some((step, _)) = unmatched {
        let sources = reads(rule, &step.branches);
        // What would show the step is worth naming even when an input of its
        // kind is there (a sleep may be missing from the events provided).
        let detail = if bundle.covers(rule, &step.branches) {
            format!("no record matched it (it reads {sources})")
        } else {
            format!("no input of kind {sources}")
        };
        let collect = step.collect.as_deref().map(unfilled);
        return Missing {
            kind: MissingKind::Step,
            id: step.id.clone(),
            detail,
            collect,
            at: None,
        };
    }
    if let Some(fact) = required_fact(rule, trace, at) {
        return fact;
    }
    if let Some(absent) = absence(rule, trace, findings, bundle, at) {
        return absent;
    }
    sequence(rule, trace)
}

/// A `require` fact that is false or unknown.
fn required_fact(
    rule: &CompiledRule,
    trace: &RuleTrace,
    at: &dyn Fn(&str, &RecordLoc) -> Evidence,
) -> Option<Missing> {
    rule.facts
        .iter()
        .filter(|fact| fact.role == FactRole::Require)
        .find_map(|fact| {
            let fact_result = trace.facts.iter().find(|result| result.id == fact.id)?;
            let sources = reads(rule, &fact.branches);
            let (detail, collect) = match fact_result.value {
                Truth::True => return None,
                Truth::Unknown => (
                    format!("required fact is unknown: no input of kind {sources}"),
                    fact.collect.as_deref().map(unfilled),
                ),
                Truth::False => match fact.mode {
                    FactMode::Present => (
                        format!(
                            "required fact is false: no record matches it (it reads {sources})"
                        ),
                        None,
                    ),
                    FactMode::Absent => {
                        ("required fact is false: a record rules it out".into(), None)
                    }
                },
            };
            Some(Missing {
                kind: MissingKind::Fact,
                id: fact.id.clone(),
                detail,
                collect,
                at: fact_result
                    .evidence
                    .as_ref()
                    .map(|loc| at(&format!("fact:{}", fact.id), loc)),
            })
        })
}

/// A trailing absence left undecided, or a record that matched an absent step.
fn absence(
    rule: &CompiledRule,
    trace: &RuleTrace,
    findings: &[&Finding],
    bundle: &Bundle<'_>,
    at: &dyn Fn(&str, &RecordLoc) -> Evidence,
) -> Option<Missing> {
    let trailing = rule
        .steps
        .iter()
        .rev()
        .take_while(|step| step.absent)
        .collect::<Vec<_>>();
    if findings
        .iter()
        .any(|finding| finding.status == Status::Inconclusive)
    {
        let step = trailing.last()?;
        return Some(Missing {
            kind: MissingKind::Absence,
            id: step.id.clone(),
            detail: "the log ends before its window closes, so it cannot be ruled out".into(),
            collect: None,
            at: None,
        });
    }
    if !findings.is_empty() {
        if let Some(step) = trailing
            .iter()
            .rev()
            .find(|step| !bundle.covers(rule, &step.branches))
        {
            return Some(Missing {
                kind: MissingKind::Absence,
                id: step.id.clone(),
                detail: format!(
                    "the absence cannot be proven: no input of kind {}",
                    reads(rule, &step.branches)
                ),
                collect: step.collect.as_deref().map(unfilled),
                at: None,
            });
        }
    }
    let (step_index, loc) = trace.killed.as_ref()?;
    let step = rule.steps.get(*step_index)?;
    Some(Missing {
        kind: MissingKind::Absence,
        id: step.id.clone(),
        detail: "a record matched it and ended the match".into(),
        collect: None,
        at: Some(at(&step.id, loc)),
    })
}

/// Every positive step matched, never in order for one key within the windows.
fn sequence(rule: &CompiledRule, trace: &RuleTrace) -> Missing {
    let depth = trace.reached.as_ref().map(|(depth, _)| *depth);
    let next = rule
        .steps
        .iter()
        .enumerate()
        .find(|(step_index, step)| !step.absent && depth.is_none_or(|depth| *step_index > depth))
        .map(|(_, step)| step);
    let Some(next) = next else {
        return Missing {
            kind: MissingKind::Sequence,
            id: depth
                .and_then(|depth| rule.steps.get(depth))
                .map_or_else(String::new, |step| step.id.clone()),
            detail: "every step bound, but no finding was kept".into(),
            collect: None,
            at: None,
        };
    };
    let key = if rule.correlate_by.is_empty() {
        String::new()
    } else {
        format!(" for the same {}", rule.correlate_by.join(", "))
    };
    let mut windows = Vec::new();
    if let Some(within) = next.within {
        windows.push(format!("within {}", human(within)));
    }
    if let Some(maxspan) = rule.maxspan {
        windows.push(format!("maxspan {}", human(maxspan)));
    }
    if let Some(max_gap) = rule.max_gap {
        windows.push(format!("max_gap {}", human(max_gap)));
    }
    let windows = if windows.is_empty() {
        String::new()
    } else {
        format!(" ({})", windows.join(", "))
    };
    Missing {
        kind: MissingKind::Sequence,
        id: next.id.clone(),
        detail: format!("never in sequence{key} after the earlier steps{windows}"),
        collect: None,
        at: None,
    }
}
