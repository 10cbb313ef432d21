//! The figures of an evaluation, computed from outcomes alone (no files, no
//! scanning), so they can be checked on hand-made inputs.
//!
//! Definitions (README, "Evaluating the diagnosis"): a case is *catalogued*
//! when it expects a cause id. Top-1: the ranked-first cause is the expected
//! one; top-3: the expected cause is among the first three reported. The
//! headline counts catalogued cases not labelled `cause_confidence: low`. A
//! `none`/`other` case is right when no cause is `likely`. Wrong-likely: among
//! cases whose ranked-first cause is `likely`, those where it is not the
//! expected cause. A rule *fired* in a case when one of its findings sits in a
//! reported cause (absorbed symptoms sit in the cause that absorbed them); it
//! was *correct* when that cause is the expected one.
//!
//! The `diagnosable` split (README, same section): top-1 over the `yes` cases
//! and top-3 over the `partial` ones, both on catalogued cases not labelled
//! `cause_confidence: low` (as the headline); wrong-likely over every case
//! with any `likely` cause (wrong when a `likely` cause is not the expected
//! one); clean: `none`/`other` cases without any `likely` cause; and for the
//! `no` cases, how many got no `likely` and how many a wrong one. Errored cases count in no
//! figure but `errors`. This module must never panic and never depend on
//! input order for anything but `results`.

use std::collections::BTreeMap;

use crate::eval::outcome::{Confidence, Diagnosable, Label, Outcome, Ranked};
use crate::eval::summary::{
    Accuracy, CaseError, CaseResult, Cell, Flagged, Group, Level, NoCases, NoneOther, Ratio,
    RulePrecision, Split, Summary, SCHEMA,
};
use crate::rank::Verdict;

/// Computes every figure of the summary; `failures` is left empty.
pub fn summarize(outcomes: &[Outcome]) -> Summary {
    let mut summary = Summary {
        schema: SCHEMA,
        cases: count(outcomes.len()),
        scored: 0,
        diagnosable: Split::default(),
        headline: Accuracy::default(),
        catalogued: Accuracy::default(),
        by_confidence: Vec::new(),
        none_other: NoneOther::default(),
        wrong_likely: Ratio::default(),
        possible_right: Ratio::default(),
        verdicts: Ratio::default(),
        confusion: Vec::new(),
        rules: Vec::new(),
        results: Vec::new(),
        errors: Vec::new(),
        failures: Vec::new(),
    };
    // Keyed (unlabelled?, level): high, medium, low, then unlabelled.
    let mut levels: BTreeMap<(bool, Option<Confidence>), Accuracy> = BTreeMap::new();
    let mut confusion: BTreeMap<(String, String), u32> = BTreeMap::new();
    let mut rules: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    // Keyed (unlabelled?, value): yes, partial, no, then unlabelled.
    let mut groups: BTreeMap<(bool, Option<Diagnosable>), Group> = BTreeMap::new();
    for outcome in outcomes {
        let ranked = match &outcome.result {
            Ok(ranked) => ranked,
            Err(message) => {
                summary.errors.push(CaseError {
                    case: outcome.name.clone(),
                    path: outcome.path.clone(),
                    message: message.clone(),
                });
                continue;
            }
        };
        summary.scored += 1;
        let result = score_case(outcome, ranked);
        split_case(
            &mut summary.diagnosable,
            &mut groups,
            outcome,
            &result,
            ranked,
        );
        if let (Some(top1_right), Some(top3_right)) = (result.top1, result.top3) {
            for accuracy in [
                Some(&mut summary.catalogued),
                (outcome.confidence != Some(Confidence::Low)).then_some(&mut summary.headline),
                Some(
                    levels
                        .entry((outcome.confidence.is_none(), outcome.confidence))
                        .or_default(),
                ),
            ]
            .into_iter()
            .flatten()
            {
                accuracy.top1.add(top1_right);
                accuracy.top3.add(top3_right);
            }
        } else {
            summary.none_other.no_likely.add(result.ok);
            summary.none_other.any_cause += u32::from(!ranked.is_empty());
            if let Some(likely) = ranked.iter().find(|cause| cause.verdict == Verdict::Likely) {
                summary.none_other.likely.push(Flagged {
                    case: outcome.name.clone(),
                    expect: outcome.expect.clone(),
                    cause: likely.cause.clone(),
                    score: likely.score,
                });
            }
        }
        if let Some(top) = ranked.first() {
            let right = Some(top.cause.as_str()) == outcome.expect.cause();
            match top.verdict {
                Verdict::Likely => summary.wrong_likely.add(!right),
                Verdict::Possible => summary.possible_right.add(right),
            }
        }
        if outcome.expect_verdict.is_some() {
            summary.verdicts.add(result.ok);
        }
        let got = result.got.clone().unwrap_or_else(|| "none".to_string());
        *confusion
            .entry((outcome.expect.as_str().to_string(), got))
            .or_default() += 1;
        for (rule, correct) in rule_hits(&outcome.expect, ranked) {
            let tally = rules.entry(rule).or_default();
            tally.0 += 1;
            tally.1 += u32::from(correct);
        }
        summary.results.push(result);
    }
    if levels.keys().any(|(unlabelled, _)| !unlabelled) {
        summary.by_confidence = levels
            .into_iter()
            .map(|((_, confidence), accuracy)| Level {
                confidence: confidence
                    .map_or("unlabelled", Confidence::as_str)
                    .to_string(),
                accuracy,
            })
            .collect();
    }
    summary.diagnosable.groups = groups.into_values().collect();
    let group = |diagnosable: Diagnosable| {
        summary
            .diagnosable
            .groups
            .iter()
            .find(|group| group.diagnosable == Some(diagnosable))
            .cloned()
            .unwrap_or_else(|| Group::new(Some(diagnosable)))
    };
    let (yes, partial, no) = (
        group(Diagnosable::Yes),
        group(Diagnosable::Partial),
        group(Diagnosable::No),
    );
    summary.diagnosable.yes_top1 = yes.top1;
    summary.diagnosable.partial_top3 = partial.top3;
    summary.diagnosable.no = NoCases {
        cases: no.cases,
        no_likely: no.no_likely,
        wrong_likely: no.wrong_likely,
    };
    summary.confusion = confusion
        .into_iter()
        .map(|((expect, got), count)| Cell { expect, got, count })
        .collect();
    summary.rules = rule_table(rules);
    summary
}

/// `number` as a count (saturating).
fn count(number: usize) -> u32 {
    u32::try_from(number).unwrap_or(u32::MAX)
}

/// Counts one scored case in the `diagnosable` split.
fn split_case(
    split: &mut Split,
    groups: &mut BTreeMap<(bool, Option<Diagnosable>), Group>,
    outcome: &Outcome,
    result: &CaseResult,
    ranked: &[Ranked],
) {
    let group = groups
        .entry((outcome.diagnosable.is_none(), outcome.diagnosable))
        .or_insert_with(|| Group::new(outcome.diagnosable));
    group.cases += 1;
    if let (Some(top1_right), Some(top3_right)) = (result.top1, result.top3) {
        if outcome.confidence != Some(Confidence::Low) {
            group.top1.add(top1_right);
            group.top3.add(top3_right);
        }
    }
    let mut likely = ranked
        .iter()
        .filter(|cause| cause.verdict == Verdict::Likely);
    let any_likely = ranked.iter().any(|cause| cause.verdict == Verdict::Likely);
    if any_likely {
        let wrong = likely.any(|cause| outcome.expect.cause() != Some(cause.cause.as_str()));
        group.likely += 1;
        group.wrong_likely += u32::from(wrong);
        split.wrong_likely.add(wrong);
    } else {
        group.no_likely += 1;
    }
    if outcome.expect.cause().is_none() {
        split.clean.add(!any_likely);
    }
}

/// The per-case result of a scored case.
fn score_case(outcome: &Outcome, ranked: &[Ranked]) -> CaseResult {
    let top = ranked.first();
    let expected = outcome.expect.cause();
    let top1 = expected.map(|cause| top.is_some_and(|first| first.cause == cause));
    let top3 = expected.map(|cause| ranked.iter().take(3).any(|shown| shown.cause == cause));
    let rank = expected.map(|cause| {
        ranked
            .iter()
            .position(|shown| shown.cause == cause)
            .map(|index| count(index + 1))
    });
    let ok = match top1 {
        Some(top1_right) => {
            top1_right
                && outcome
                    .expect_verdict
                    .is_none_or(|verdict| top.is_some_and(|first| first.verdict == verdict))
        }
        None => ranked.iter().all(|cause| cause.verdict != Verdict::Likely),
    };
    CaseResult {
        case: outcome.name.clone(),
        path: outcome.path.clone(),
        expect: outcome.expect.clone(),
        confidence: outcome.confidence,
        expect_verdict: outcome.expect_verdict,
        diagnosable: outcome.diagnosable,
        got: top.map(|first| first.cause.clone()),
        verdict: top.map(|first| first.verdict),
        score: top.map(|first| first.score),
        top1,
        top3,
        rank,
        ok,
    }
}

/// Each rule with a finding in a reported cause, once, and whether one of the
/// causes it sits in is the expected one.
fn rule_hits(expect: &Label, ranked: &[Ranked]) -> BTreeMap<String, bool> {
    let mut out: BTreeMap<String, bool> = BTreeMap::new();
    for cause in ranked {
        let right = expect.cause() == Some(cause.cause.as_str());
        for rule in &cause.rules {
            *out.entry(rule.clone()).or_default() |= right;
        }
    }
    out
}

/// Lowest precision first, then rule id.
fn rule_table(rules: BTreeMap<String, (u32, u32)>) -> Vec<RulePrecision> {
    let mut table: Vec<RulePrecision> = rules
        .into_iter()
        .map(|(rule, (fired, correct))| RulePrecision {
            precision: Ratio::new(correct, fired)
                .rate()
                .map_or(0.0, |rate| (rate * 10_000.0).round() / 10_000.0),
            rule,
            fired,
            correct,
        })
        .collect();
    // Exact comparison of correct/fired by cross-multiplication (no float ties).
    table.sort_by(|left, right| {
        let left_scaled = u64::from(left.correct) * u64::from(right.fired);
        let right_scaled = u64::from(right.correct) * u64::from(left.fired);
        left_scaled
            .cmp(&right_scaled)
            .then_with(|| left.rule.cmp(&right.rule))
    });
    table
}

#[cfg(test)]
mod tests;
