//! From every rule's run to the [`MatchOutput`]: facts applied, incidents
//! merged, order fixed.
//!
//! - Required facts: `false` suppresses a rule's findings, `unknown` turns
//!   `confirmed` into `partial`.
//! - Incidents: see `incidents` (merged by `kept`, capped per rule).
//! - `matched_records` holds every record bound by a positive step of any
//!   emitted finding (for `count` steps: its first and last record), merged or not.
//! - Order: rule index, key, first record of the incident (timeline position).
//!
//! This module never matches; it only reshapes what the automata produced.

use crate::finding::{FactResult, Finding, MatchOutput, StepEvidence, Truth};
use crate::matcher::hits::Key;
use crate::matcher::incidents::RawFinding;
use crate::matcher::sequence::{RuleRun, RunParts};
use crate::rule::ir::{CompiledRule, FactRole, RuleSet};

/// A finding with what ordering needs.
struct Incident {
    finding: Finding,
    first_pos: u64,
}

/// Builds the output from every rule's run over `source_count` sources.
pub(crate) fn assemble(
    rules: &RuleSet,
    source_count: usize,
    runs: Vec<RuleRun>,
    facts: Vec<Vec<FactResult>>,
) -> MatchOutput {
    let mut out = MatchOutput {
        matched_records: vec![Vec::new(); source_count],
        ..MatchOutput::default()
    };
    for (rule_index, run) in runs.into_iter().enumerate() {
        let Some(rule) = rules.rules.get(rule_index) else {
            out.traces.push(Default::default());
            continue;
        };
        let RunParts {
            findings,
            evictions,
            trace,
        } = run.into_parts();
        out.evicted_partials += evictions.total();
        let rule_facts = facts.get(rule_index).cloned().unwrap_or_default();
        out.traces.push(trace.finish(rule_facts.clone()));
        let mut downgrade = false;
        let mut suppress = false;
        for (fact, result) in rule.facts.iter().zip(&rule_facts) {
            if fact.role == FactRole::Require {
                suppress |= result.value == Truth::False;
                downgrade |= result.value == Truth::Unknown;
            }
        }
        if suppress {
            continue;
        }
        let finished = findings.finish(rule, downgrade);
        for (source, seq) in finished.matched {
            if let Some(seqs) = out.matched_records.get_mut(source as usize) {
                seqs.push(seq);
            }
        }
        out.dropped_findings += finished.dropped;
        let mut incidents: Vec<Incident> = finished
            .incidents
            .into_iter()
            .map(|raw| Incident {
                finding: Finding {
                    rule: rule_index,
                    status: raw.status,
                    key: key_pairs(&rule.correlate_by, &raw.key),
                    vars: raw.binds.clone(),
                    occurrences: raw.occurrences,
                    steps: evidence(rule, &raw),
                    facts: rule_facts.clone(),
                    unchecked_time: raw.unchecked,
                    order_uncertain: raw.order_uncertain,
                    evicted: evictions.of(&raw.key),
                },
                first_pos: raw.first_pos,
            })
            .collect();
        incidents.sort_by(|left, right| {
            left.finding
                .key
                .cmp(&right.finding.key)
                .then(left.first_pos.cmp(&right.first_pos))
                .then(left.finding.status.cmp(&right.finding.status))
        });
        out.findings
            .extend(incidents.into_iter().map(|incident| incident.finding));
    }
    for seqs in &mut out.matched_records {
        seqs.sort_unstable();
        seqs.dedup();
    }
    out
}

fn key_pairs(by: &[String], key: &Option<Key>) -> Vec<(String, String)> {
    match key {
        Some(values) => by
            .iter()
            .zip(values.iter())
            .map(|(name, value)| (name.clone(), value.to_string()))
            .collect(),
        None => Vec::new(),
    }
}

fn evidence(rule: &CompiledRule, raw: &RawFinding) -> Vec<StepEvidence> {
    let first_positive = rule.steps.iter().position(|step| !step.absent);
    let mut out = Vec::new();
    for (step_index, step) in rule.steps.iter().enumerate() {
        if !step.absent {
            if let Some(Some(step_marks)) = raw.marks.get(step_index) {
                out.push(StepEvidence::Record {
                    step: step.id.clone(),
                    first: step_marks.first.loc(),
                    last: step_marks.last.loc(),
                    count: step_marks.count,
                });
            }
            continue;
        }
        if let Some(absence) = raw
            .absences
            .iter()
            .find(|absence| absence.step == step_index)
        {
            out.push(StepEvidence::Absence {
                step: step.id.clone(),
                deadline: absence.deadline,
                witness: absence.witness.as_ref().map(|mark| mark.loc()),
                unresolved: absence.unresolved,
            });
        } else {
            // Mid-sequence absences held (the partial survived); leading ones are unknown.
            let leading = first_positive.is_none_or(|first| step_index < first);
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
