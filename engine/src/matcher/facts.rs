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
                .map(|rule| vec![None; rule.facts.len()])
                .collect(),
        }
    }

    pub fn on_record(
        &mut self,
        rule_index: usize,
        rule: &CompiledRule,
        plan: &RulePlan,
        rec: &Rec<'_>,
        candidates: &Candidates,
    ) {
        let Some(found) = self.found.get_mut(rule_index) else {
            return;
        };
        for (fact_index, fact) in rule.facts.iter().enumerate() {
            let reading = plan.facts.get(fact_index).map(Vec::as_slice).unwrap_or(&[]);
            let Some(slot) = found.get_mut(fact_index) else {
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
                candidates,
            );
            if let Some(hit) = hits.first() {
                *slot = Some(rec.mark(&hit.highlights));
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
            .map(|(rule_index, (rule, found))| {
                rule.facts
                    .iter()
                    .zip(found)
                    .enumerate()
                    .map(|(fact_index, (fact, mark))| {
                        let present = if plan.fact_covered(rule_index, fact_index) {
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
                            (Some(present), FactMode::Present) => truth(present),
                            (Some(present), FactMode::Absent) => truth(!present),
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

fn truth(holds: bool) -> Truth {
    if holds {
        Truth::True
    } else {
        Truth::False
    }
}
