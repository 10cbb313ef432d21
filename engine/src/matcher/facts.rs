//! Facts: timeless predicates, evaluated once per run over every record.
//!
//! A fact's covering sources are the provided sources some branch of it reads
//! (within the rule's `sources`). `present` is true when any record of a
//! covering source matches a branch, false when covering sources exist and
//! none matches; `absent` is the negation. With no covering source the fact is
//! decided by `on_source_missing` (default unknown: a source not provided is
//! never evidence of absence). The first matching record is the evidence of a
//! true `present` (or a false `absent`). Facts bind no variables here and do
//! not depend on the findings' keys. This module never decides a finding's
//! status: `incidents` applies `role: require`.

use crate::finding::{FactResult, Truth};
use crate::matcher::hits::{self, Keying};
use crate::matcher::partial::Mark;
use crate::matcher::plan::{Plan, RulePlan};
use crate::matcher::record::Rec;
use crate::rule::ir::{CompiledRule, FactMode, OnSourceMissing, RuleSet};
use crate::rule::prefilter::Candidates;

/// Per rule, per fact: the first matching record.
pub(crate) struct Facts {
    found: Vec<Vec<Option<Mark>>>,
}

impl Facts {
    pub fn new(rules: &RuleSet) -> Facts {
        Facts {
            found: rules
                .rules
                .iter()
                .map(|r| vec![None; r.facts.len()])
                .collect(),
        }
    }

    pub fn on_record(
        &mut self,
        ri: usize,
        rule: &CompiledRule,
        plan: &RulePlan,
        rec: &Rec<'_>,
        cands: &Candidates,
    ) {
        let Some(found) = self.found.get_mut(ri) else {
            return;
        };
        for (fi, fact) in rule.facts.iter().enumerate() {
            let reading = plan.facts.get(fi).map(Vec::as_slice).unwrap_or(&[]);
            let Some(slot) = found.get_mut(fi) else {
                continue;
            };
            if slot.is_some() || reading.is_empty() {
                continue;
            }
            let hits = hits::eval_branches(
                rule,
                &fact.branches,
                reading,
                Keying::Broadcast,
                &rec.ev,
                cands,
            );
            if let Some(h) = hits.first() {
                *slot = Some(rec.mark(&h.highlights));
            }
        }
    }

    /// The value of every fact of every rule.
    pub fn results(self, rules: &RuleSet, plan: &Plan) -> Vec<Vec<FactResult>> {
        rules
            .rules
            .iter()
            .zip(self.found)
            .enumerate()
            .map(|(ri, (rule, found))| {
                rule.facts
                    .iter()
                    .zip(found)
                    .enumerate()
                    .map(|(fi, (fact, mark))| {
                        let present = if plan.fact_covered(ri, fi) {
                            Some(mark.is_some())
                        } else {
                            match fact.on_source_missing {
                                OnSourceMissing::Unknown => None,
                                OnSourceMissing::AssumeAbsent => Some(false),
                                OnSourceMissing::AssumePresent => Some(true),
                            }
                        };
                        let value = match (present, fact.mode) {
                            (None, _) => Truth::Unknown,
                            (Some(p), FactMode::Present) => truth(p),
                            (Some(p), FactMode::Absent) => truth(!p),
                        };
                        FactResult {
                            id: fact.id.clone(),
                            value,
                            evidence: mark.as_ref().map(Mark::loc),
                        }
                    })
                    .collect()
            })
            .collect()
    }
}

fn truth(b: bool) -> Truth {
    if b {
        Truth::True
    } else {
        Truth::False
    }
}
