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
//! `MatchOptions::explain`; a streamed source counts candidate records only).
//! This module never matches, ranks or prints.

use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::collect::{reads, unfilled, Bundle};
use crate::finding::{Finding, RecordLoc, RuleTrace, Status, Truth};
use crate::report::{evidence_in, Evidence, ReportOptions};
use crate::rule::duration::human;
use crate::rule::ir::{CompiledRule, FactMode, FactRole, RuleSet};
use crate::scan::Analysis;

/// One rule that came close (`explain` in the report).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WhyNot {
    pub rule: String,
    pub cause: String,
    /// The deepest positive step a partial bound (`null`: none).
    pub reached: Option<String>,
    pub missing: Missing,
    /// Per step, in rule order: records that matched its predicate (with a key),
    /// ignoring correlation and time windows.
    pub matched: StepCounts,
    /// The record that first bound `reached` (else the first record any step matched).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub first: Option<Evidence>,
}

/// What was missing, by precedence (see the module docs).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Missing {
    pub kind: MissingKind,
    /// The step or fact id.
    pub id: String,
    pub detail: String,
    /// What would settle it (the step's or fact's `collect`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub collect: Option<String>,
    /// The record that ended it (an absence) or made a required fact false.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub at: Option<Evidence>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MissingKind {
    Fact,
    Step,
    Absence,
    Sequence,
}

impl MissingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MissingKind::Fact => "fact",
            MissingKind::Step => "step",
            MissingKind::Absence => "absence",
            MissingKind::Sequence => "sequence",
        }
    }
}

/// `{step: count}` in step order (a JSON object whose keys keep rule order).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StepCounts(pub Vec<(String, u64)>);

impl Serialize for StepCounts {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl<'de> Deserialize<'de> for StepCounts {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = StepCounts;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map of step ids to counts")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<StepCounts, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = a.next_entry::<String, u64>()? {
                    out.push((k, v));
                }
                Ok(StepCounts(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// Every rule that came close, deepest first, then by rule id; `None` when the
/// matcher did not count (explain off).
pub fn why_not(rules: &RuleSet, analysis: &Analysis, opts: ReportOptions) -> Option<Vec<WhyNot>> {
    let traces = &analysis.output.traces;
    if !traces.iter().any(|t| t.counted) {
        return None;
    }
    let bundle = Bundle::of(&analysis.sources);
    let findings = &analysis.output.findings;
    let mut out: Vec<(usize, WhyNot)> = Vec::new();
    for (ri, t) in traces.iter().enumerate() {
        let Some(rule) = rules.rules.get(ri) else {
            continue;
        };
        let mine: Vec<&Finding> = findings.iter().filter(|f| f.rule == ri).collect();
        if mine.iter().any(|f| f.status == Status::Confirmed) || !came_close(rule, t) {
            continue;
        }
        let at = |step: &str, loc: &RecordLoc| evidence_in(analysis, step, loc, opts);
        let missing = missing(rule, t, &mine, &bundle, &at);
        let reached = t
            .reached
            .as_ref()
            .and_then(|(d, _)| rule.steps.get(*d))
            .map(|s| s.id.clone());
        let first = match &t.reached {
            Some((d, loc)) => rule.steps.get(*d).map(|s| at(&s.id, loc)),
            None => rule
                .steps
                .iter()
                .zip(&t.first)
                .find_map(|(s, l)| l.as_ref().map(|l| at(&s.id, l))),
        };
        let depth = t.reached.as_ref().map_or(0, |(d, _)| d + 1);
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
                        .zip(&t.matched)
                        .map(|(s, n)| (s.id.clone(), *n))
                        .collect(),
                ),
                first,
            },
        ));
    }
    out.sort_by(|(da, a), (db, b)| db.cmp(da).then_with(|| a.rule.cmp(&b.rule)));
    Some(out.into_iter().map(|(_, w)| w).collect())
}

/// A positive step matched some record, or a partial bound one.
fn came_close(rule: &CompiledRule, t: &RuleTrace) -> bool {
    t.reached.is_some()
        || rule
            .steps
            .iter()
            .zip(&t.matched)
            .any(|(s, n)| !s.absent && *n > 0)
}

fn missing(
    rule: &CompiledRule,
    t: &RuleTrace,
    findings: &[&Finding],
    bundle: &Bundle<'_>,
    at: &dyn Fn(&str, &RecordLoc) -> Evidence,
) -> Missing {
    let unmatched = rule
        .steps
        .iter()
        .zip(&t.matched)
        .find(|(s, n)| !s.absent && **n == 0);
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
    if let Some(m) = required_fact(rule, t, at) {
        return m;
    }
    if let Some(m) = absence(rule, t, findings, bundle, at) {
        return m;
    }
    sequence(rule, t)
}

/// A `require` fact that is false or unknown.
fn required_fact(
    rule: &CompiledRule,
    t: &RuleTrace,
    at: &dyn Fn(&str, &RecordLoc) -> Evidence,
) -> Option<Missing> {
    rule.facts
        .iter()
        .filter(|f| f.role == FactRole::Require)
        .find_map(|fact| {
            let res = t.facts.iter().find(|r| r.id == fact.id)?;
            let sources = reads(rule, &fact.branches);
            let (detail, collect) = match res.value {
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
                at: res
                    .evidence
                    .as_ref()
                    .map(|l| at(&format!("fact:{}", fact.id), l)),
            })
        })
}

/// A trailing absence left undecided, or a record that matched an absent step.
fn absence(
    rule: &CompiledRule,
    t: &RuleTrace,
    findings: &[&Finding],
    bundle: &Bundle<'_>,
    at: &dyn Fn(&str, &RecordLoc) -> Evidence,
) -> Option<Missing> {
    let trailing = rule
        .steps
        .iter()
        .rev()
        .take_while(|s| s.absent)
        .collect::<Vec<_>>();
    if findings.iter().any(|f| f.status == Status::Inconclusive) {
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
            .find(|s| !bundle.covers(rule, &s.branches))
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
    let (j, loc) = t.killed.as_ref()?;
    let step = rule.steps.get(*j)?;
    Some(Missing {
        kind: MissingKind::Absence,
        id: step.id.clone(),
        detail: "a record matched it and ended the match".into(),
        collect: None,
        at: Some(at(&step.id, loc)),
    })
}

/// Every positive step matched, never in order for one key within the windows.
fn sequence(rule: &CompiledRule, t: &RuleTrace) -> Missing {
    let depth = t.reached.as_ref().map(|(d, _)| *d);
    let next = rule
        .steps
        .iter()
        .enumerate()
        .find(|(j, s)| !s.absent && depth.map_or(true, |d| *j > d))
        .map(|(_, s)| s);
    let Some(next) = next else {
        return Missing {
            kind: MissingKind::Sequence,
            id: depth
                .and_then(|d| rule.steps.get(d))
                .map_or_else(String::new, |s| s.id.clone()),
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
    if let Some(w) = next.within {
        windows.push(format!("within {}", human(w)));
    }
    if let Some(m) = rule.maxspan {
        windows.push(format!("maxspan {}", human(m)));
    }
    if let Some(g) = rule.max_gap {
        windows.push(format!("max_gap {}", human(g)));
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
