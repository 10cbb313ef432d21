//! From raw matches to the output: facts applied, incidents merged, order fixed.
//!
//! - Required facts: `false` suppresses a rule's findings, `unknown` turns
//!   `confirmed` into `partial`.
//! - Incidents: findings of the same rule, key and status merge into one
//!   [`Finding`] with `occurrences` counting them. With `merge_window`, a finding
//!   whose first record lies more than the window after the current incident's
//!   last record starts a new incident (an unknown time merges). Without a
//!   window, all repeats of a rule, key and status are one incident. The merged
//!   finding keeps the evidence and variables of its **latest** occurrence (the
//!   one closest to the symptom), sums `unchecked_time`, ORs `order_uncertain`.
//! - `matched_records` holds every record bound by a positive step of any
//!   emitted finding (for `count` steps: its first and last record), merged or not.
//! - Order: rule index, key, first record of the incident (timeline position).
//!
//! This module never matches; it only reshapes what the automata produced.

use crate::event::Timestamp;
use crate::finding::{FactResult, Finding, MatchOutput, RecordLoc, Status, StepEvidence, Truth};
use crate::matcher::hits::Key;
use crate::matcher::partial::{Mark, Partial, StepMarks};
use crate::matcher::sequence::RuleRun;
use crate::rule::ir::{Bindings, FactRole, RuleSet};

/// How a trailing absence ended.
#[derive(Clone, Debug)]
pub(crate) struct AbsenceOutcome {
    pub step: usize,
    pub deadline: Option<i64>,
    pub witness: Option<Mark>,
    pub unresolved: bool,
}

/// A finding as the automaton emits it.
#[derive(Clone, Debug)]
pub(crate) struct RawFinding {
    pub key: Option<Key>,
    pub binds: Bindings,
    pub marks: Vec<Option<StepMarks>>,
    pub absences: Vec<AbsenceOutcome>,
    pub status: Status,
    pub first_pos: u64,
    pub last_pos: u64,
    pub first_ts: Option<i64>,
    pub last_ts: Option<i64>,
    pub unchecked: u32,
    pub order_uncertain: bool,
}

impl RawFinding {
    pub fn new(p: Partial, status: Status, absences: Vec<AbsenceOutcome>) -> RawFinding {
        RawFinding {
            key: p.key,
            binds: p.binds,
            marks: p.marks,
            absences,
            status,
            first_pos: p.first_pos,
            last_pos: p.last_pos,
            first_ts: p.first_ts,
            last_ts: p.last_ts,
            unchecked: p.unchecked,
            order_uncertain: p.order_uncertain,
        }
    }
}

/// The evidence location of a bound record (everything was taken at bind time).
pub(crate) fn loc(m: &Mark) -> RecordLoc {
    RecordLoc {
        source: m.place.id,
        seq: m.place.seq,
        span: m.place.span,
        ts: m.ts.map(|ms| Timestamp {
            ms,
            naive: m.place.naive,
        }),
        highlights: m.highlights.to_vec(),
    }
}

/// A finding being merged, with what ordering and merging need.
struct Incident {
    finding: Finding,
    first_pos: u64,
    last_ts: Option<i64>,
}

/// Builds the output from every rule's run over `n_sources` sources.
pub(crate) fn assemble(
    rules: &RuleSet,
    n_sources: usize,
    runs: Vec<RuleRun>,
    facts: Vec<Vec<FactResult>>,
) -> MatchOutput {
    let mut out = MatchOutput {
        matched_records: vec![Vec::new(); n_sources],
        ..MatchOutput::default()
    };
    for (ri, run) in runs.into_iter().enumerate() {
        let Some(rule) = rules.rules.get(ri) else {
            out.traces.push(Default::default());
            continue;
        };
        out.evicted_partials += run.evicted_total;
        let rule_facts = facts.get(ri).cloned().unwrap_or_default();
        out.traces.push(run.trace.finish(rule_facts.clone()));
        let mut downgrade = false;
        let mut suppress = false;
        for (fact, res) in rule.facts.iter().zip(&rule_facts) {
            if fact.role == FactRole::Require {
                suppress |= res.value == Truth::False;
                downgrade |= res.value == Truth::Unknown;
            }
        }
        if suppress {
            continue;
        }
        let mut raws = run.findings;
        raws.sort_by(|a, b| {
            key_order(&a.key)
                .cmp(&key_order(&b.key))
                .then(a.status.cmp(&b.status))
                .then(a.first_pos.cmp(&b.first_pos))
        });
        let mut incidents: Vec<Incident> = Vec::new();
        for raw in raws {
            for m in raw.marks.iter().flatten() {
                for mark in [&m.first, &m.last] {
                    if let Some(v) = out.matched_records.get_mut(mark.source as usize) {
                        v.push(mark.place.seq);
                    }
                }
            }
            let mut status = raw.status;
            if downgrade && status == Status::Confirmed {
                status = Status::Partial;
            }
            let evicted = run.evicted.get(&raw.key).copied().unwrap_or(0);
            let finding = Finding {
                rule: ri,
                status,
                key: key_pairs(&rule.correlate_by, &raw.key),
                vars: raw.binds.clone(),
                occurrences: 1,
                steps: evidence(rule, &raw),
                facts: rule_facts.clone(),
                unchecked_time: raw.unchecked,
                order_uncertain: raw.order_uncertain,
                evicted,
            };
            let merge_into = incidents.last_mut().filter(|inc| {
                inc.finding.key == finding.key
                    && inc.finding.status == finding.status
                    && match (rule.merge_window, inc.last_ts, raw.first_ts) {
                        (None, _, _) => true,
                        (Some(w), Some(last), Some(first)) => first.saturating_sub(last) <= w,
                        (Some(_), _, _) => true,
                    }
            });
            match merge_into {
                Some(inc) => {
                    let occurrences = inc.finding.occurrences + 1;
                    let unchecked = inc.finding.unchecked_time + finding.unchecked_time;
                    let uncertain = inc.finding.order_uncertain || finding.order_uncertain;
                    inc.finding = finding;
                    inc.finding.occurrences = occurrences;
                    inc.finding.unchecked_time = unchecked;
                    inc.finding.order_uncertain = uncertain;
                    inc.last_ts = raw.last_ts.or(inc.last_ts);
                }
                None => incidents.push(Incident {
                    finding,
                    first_pos: raw.first_pos,
                    last_ts: raw.last_ts,
                }),
            }
        }
        incidents.sort_by(|a, b| {
            a.finding
                .key
                .cmp(&b.finding.key)
                .then(a.first_pos.cmp(&b.first_pos))
                .then(a.finding.status.cmp(&b.finding.status))
        });
        out.findings
            .extend(incidents.into_iter().map(|i| i.finding));
    }
    for v in &mut out.matched_records {
        v.sort_unstable();
        v.dedup();
    }
    out
}

fn key_order(key: &Option<Key>) -> Vec<&str> {
    key.as_deref()
        .map(|k| k.iter().map(|v| &**v).collect())
        .unwrap_or_default()
}

fn key_pairs(by: &[String], key: &Option<Key>) -> Vec<(String, String)> {
    match key {
        Some(k) => by
            .iter()
            .zip(k.iter())
            .map(|(n, v)| (n.clone(), v.to_string()))
            .collect(),
        None => Vec::new(),
    }
}

fn evidence(rule: &crate::rule::ir::CompiledRule, raw: &RawFinding) -> Vec<StepEvidence> {
    let first_positive = rule.steps.iter().position(|s| !s.absent);
    let mut out = Vec::new();
    for (j, step) in rule.steps.iter().enumerate() {
        if !step.absent {
            if let Some(Some(m)) = raw.marks.get(j) {
                out.push(StepEvidence::Record {
                    step: step.id.clone(),
                    first: loc(&m.first),
                    last: loc(&m.last),
                    count: m.count,
                });
            }
            continue;
        }
        if let Some(a) = raw.absences.iter().find(|a| a.step == j) {
            out.push(StepEvidence::Absence {
                step: step.id.clone(),
                deadline: a.deadline,
                witness: a.witness.as_ref().map(loc),
                unresolved: a.unresolved,
            });
        } else {
            // Mid-sequence absences held (the partial survived); leading ones are unknown.
            let leading = first_positive.map_or(true, |f| j < f);
            out.push(StepEvidence::Absence {
                step: step.id.clone(),
                deadline: None,
                witness: None,
                unresolved: leading,
            });
        }
    }
    out
}
