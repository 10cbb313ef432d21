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
    let mut s = Summary {
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
    for o in outcomes {
        let ranked = match &o.result {
            Ok(r) => r,
            Err(message) => {
                s.errors.push(CaseError {
                    case: o.name.clone(),
                    path: o.path.clone(),
                    message: message.clone(),
                });
                continue;
            }
        };
        s.scored += 1;
        let r = score_case(o, ranked);
        split_case(&mut s.diagnosable, &mut groups, o, &r, ranked);
        if let (Some(t1), Some(t3)) = (r.top1, r.top3) {
            for acc in [
                Some(&mut s.catalogued),
                (o.confidence != Some(Confidence::Low)).then_some(&mut s.headline),
                Some(
                    levels
                        .entry((o.confidence.is_none(), o.confidence))
                        .or_default(),
                ),
            ]
            .into_iter()
            .flatten()
            {
                acc.top1.add(t1);
                acc.top3.add(t3);
            }
        } else {
            s.none_other.no_likely.add(r.ok);
            s.none_other.any_cause += u32::from(!ranked.is_empty());
            if let Some(l) = ranked.iter().find(|c| c.verdict == Verdict::Likely) {
                s.none_other.likely.push(Flagged {
                    case: o.name.clone(),
                    expect: o.expect.clone(),
                    cause: l.cause.clone(),
                    score: l.score,
                });
            }
        }
        if let Some(top) = ranked.first() {
            let right = Some(top.cause.as_str()) == o.expect.cause();
            match top.verdict {
                Verdict::Likely => s.wrong_likely.add(!right),
                Verdict::Possible => s.possible_right.add(right),
            }
        }
        if o.expect_verdict.is_some() {
            s.verdicts.add(r.ok);
        }
        let got = r.got.clone().unwrap_or_else(|| "none".to_string());
        *confusion
            .entry((o.expect.as_str().to_string(), got))
            .or_default() += 1;
        for (rule, correct) in rule_hits(&o.expect, ranked) {
            let e = rules.entry(rule).or_default();
            e.0 += 1;
            e.1 += u32::from(correct);
        }
        s.results.push(r);
    }
    if levels.keys().any(|(unlabelled, _)| !unlabelled) {
        s.by_confidence = levels
            .into_iter()
            .map(|((_, c), accuracy)| Level {
                confidence: c.map_or("unlabelled", Confidence::as_str).to_string(),
                accuracy,
            })
            .collect();
    }
    s.diagnosable.groups = groups.into_values().collect();
    let group = |d: Diagnosable| {
        s.diagnosable
            .groups
            .iter()
            .find(|g| g.diagnosable == Some(d))
            .cloned()
            .unwrap_or_else(|| Group::new(Some(d)))
    };
    let (yes, partial, no) = (
        group(Diagnosable::Yes),
        group(Diagnosable::Partial),
        group(Diagnosable::No),
    );
    s.diagnosable.yes_top1 = yes.top1;
    s.diagnosable.partial_top3 = partial.top3;
    s.diagnosable.no = NoCases {
        cases: no.cases,
        no_likely: no.no_likely,
        wrong_likely: no.wrong_likely,
    };
    s.confusion = confusion
        .into_iter()
        .map(|((expect, got), count)| Cell { expect, got, count })
        .collect();
    s.rules = rule_table(rules);
    s
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Counts one scored case in the `diagnosable` split.
fn split_case(
    split: &mut Split,
    groups: &mut BTreeMap<(bool, Option<Diagnosable>), Group>,
    o: &Outcome,
    r: &CaseResult,
    ranked: &[Ranked],
) {
    let g = groups
        .entry((o.diagnosable.is_none(), o.diagnosable))
        .or_insert_with(|| Group::new(o.diagnosable));
    g.cases += 1;
    if let (Some(t1), Some(t3)) = (r.top1, r.top3) {
        if o.confidence != Some(Confidence::Low) {
            g.top1.add(t1);
            g.top3.add(t3);
        }
    }
    let mut likely = ranked.iter().filter(|c| c.verdict == Verdict::Likely);
    let any_likely = ranked.iter().any(|c| c.verdict == Verdict::Likely);
    if any_likely {
        let wrong = likely.any(|c| o.expect.cause() != Some(c.cause.as_str()));
        g.likely += 1;
        g.wrong_likely += u32::from(wrong);
        split.wrong_likely.add(wrong);
    } else {
        g.no_likely += 1;
    }
    if o.expect.cause().is_none() {
        split.clean.add(!any_likely);
    }
}

/// The per-case result of a scored case.
fn score_case(o: &Outcome, ranked: &[Ranked]) -> CaseResult {
    let top = ranked.first();
    let expected = o.expect.cause();
    let top1 = expected.map(|c| top.is_some_and(|t| t.cause == c));
    let top3 = expected.map(|c| ranked.iter().take(3).any(|t| t.cause == c));
    let rank = expected.map(|c| {
        ranked
            .iter()
            .position(|t| t.cause == c)
            .map(|i| count(i + 1))
    });
    let ok = match top1 {
        Some(t1) => {
            t1 && o
                .expect_verdict
                .map_or(true, |v| top.is_some_and(|t| t.verdict == v))
        }
        None => ranked.iter().all(|c| c.verdict != Verdict::Likely),
    };
    CaseResult {
        case: o.name.clone(),
        path: o.path.clone(),
        expect: o.expect.clone(),
        confidence: o.confidence,
        expect_verdict: o.expect_verdict,
        diagnosable: o.diagnosable,
        got: top.map(|t| t.cause.clone()),
        verdict: top.map(|t| t.verdict),
        score: top.map(|t| t.score),
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
    for c in ranked {
        let right = expect.cause() == Some(c.cause.as_str());
        for rule in &c.rules {
            *out.entry(rule.clone()).or_default() |= right;
        }
    }
    out
}

/// Lowest precision first, then rule id.
fn rule_table(rules: BTreeMap<String, (u32, u32)>) -> Vec<RulePrecision> {
    let mut v: Vec<RulePrecision> = rules
        .into_iter()
        .map(|(rule, (fired, correct))| RulePrecision {
            precision: Ratio::new(correct, fired)
                .rate()
                .map_or(0.0, |p| (p * 10_000.0).round() / 10_000.0),
            rule,
            fired,
            correct,
        })
        .collect();
    // Exact comparison of correct/fired by cross-multiplication (no float ties).
    v.sort_by(|a, b| {
        let l = u64::from(a.correct) * u64::from(b.fired);
        let r = u64::from(b.correct) * u64::from(a.fired);
        l.cmp(&r).then_with(|| a.rule.cmp(&b.rule))
    });
    v
}

#[cfg(test)]
mod tests;
