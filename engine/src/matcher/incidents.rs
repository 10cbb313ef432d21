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
use crate::rule::ir::{Bindings, CompiledRule, FactRole, RuleSet};

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
    /// Findings it stands for (more than 1 once merged, see [`merge`]).
    pub occurrences: u32,
    /// `(first_pos, emission number)` of the occurrence whose evidence it
    /// keeps: the latest to start (ties: the later completed).
    pub rank: (u64, u64),
}

impl RawFinding {
    pub fn new(p: Partial, status: Status, absences: Vec<AbsenceOutcome>) -> RawFinding {
        RawFinding {
            occurrences: 1,
            rank: (p.first_pos, 0),
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

/// A finding with what ordering needs.
struct Incident {
    finding: Finding,
    first_pos: u64,
}

/// Merges findings of the same key and status into incidents (see the module
/// docs): in order of first record, each joins the incident before it unless
/// the rule's `merge_window` separates them. An incident counts its
/// occurrences and keeps the evidence of the latest to start ([`RawFinding::rank`]);
/// the records of evidence it drops go to `away` as `(source, seq)`. Merging
/// incidents again gives the same incidents when the rule has no window.
pub(crate) fn merge(
    rule: &CompiledRule,
    mut raws: Vec<RawFinding>,
    away: &mut Vec<(u32, u32)>,
) -> Vec<RawFinding> {
    raws.sort_by(|a, b| {
        key_order(&a.key)
            .cmp(&key_order(&b.key))
            .then(a.status.cmp(&b.status))
            .then(a.first_pos.cmp(&b.first_pos))
    });
    let mut out: Vec<RawFinding> = Vec::new();
    for raw in raws {
        let joins = out.last().is_some_and(|inc| {
            inc.key == raw.key
                && inc.status == raw.status
                && match (rule.merge_window, inc.last_ts, raw.first_ts) {
                    (None, _, _) => true,
                    (Some(w), Some(last), Some(first)) => first.saturating_sub(last) <= w,
                    (Some(_), _, _) => true,
                }
        });
        match out.last_mut() {
            Some(inc) if joins => absorb(inc, raw, away),
            _ => out.push(raw),
        }
    }
    out
}

/// `raw` (later in order of first record) joins incident `inc`.
fn absorb(inc: &mut RawFinding, mut raw: RawFinding, away: &mut Vec<(u32, u32)>) {
    inc.occurrences = inc.occurrences.saturating_add(raw.occurrences);
    inc.unchecked = inc.unchecked.saturating_add(raw.unchecked);
    inc.order_uncertain |= raw.order_uncertain;
    inc.last_ts = raw.last_ts.or(inc.last_ts);
    inc.last_pos = inc.last_pos.max(raw.last_pos);
    if raw.rank > inc.rank {
        std::mem::swap(&mut inc.binds, &mut raw.binds);
        std::mem::swap(&mut inc.marks, &mut raw.marks);
        std::mem::swap(&mut inc.absences, &mut raw.absences);
        inc.rank = raw.rank;
    }
    for m in raw.marks.iter().flatten() {
        for mark in [&m.first, &m.last] {
            away.push((mark.source, mark.place.seq));
        }
    }
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
        let mut kept = run.findings;
        for &(source, seq) in &kept.matched {
            if let Some(v) = out.matched_records.get_mut(source as usize) {
                v.push(seq);
            }
        }
        let mut raws = std::mem::take(&mut kept.raws);
        for raw in &mut raws {
            for m in raw.marks.iter().flatten() {
                for mark in [&m.first, &m.last] {
                    if let Some(v) = out.matched_records.get_mut(mark.source as usize) {
                        v.push(mark.place.seq);
                    }
                }
            }
            if downgrade && raw.status == Status::Confirmed {
                raw.status = Status::Partial;
            }
        }
        // The marks merged away were counted above.
        let merged = kept.cap(merge(rule, raws, &mut Vec::new()));
        for (source, seq) in std::mem::take(&mut kept.matched) {
            if let Some(v) = out.matched_records.get_mut(source as usize) {
                v.push(seq);
            }
        }
        out.dropped_findings += kept.dropped;
        let mut incidents: Vec<Incident> = merged
            .into_iter()
            .map(|raw| Incident {
                finding: Finding {
                    rule: ri,
                    status: raw.status,
                    key: key_pairs(&rule.correlate_by, &raw.key),
                    vars: raw.binds.clone(),
                    occurrences: raw.occurrences,
                    steps: evidence(rule, &raw),
                    facts: rule_facts.clone(),
                    unchecked_time: raw.unchecked,
                    order_uncertain: raw.order_uncertain,
                    evicted: run.evicted.get(&raw.key).copied().unwrap_or(0),
                },
                first_pos: raw.first_pos,
            })
            .collect();
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

fn evidence(rule: &CompiledRule, raw: &RawFinding) -> Vec<StepEvidence> {
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
