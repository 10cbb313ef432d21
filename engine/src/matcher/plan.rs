//! What each source can feed: per source and rule, which branches read it.
//!
//! Computed once per run so the per-record loop never compares format names. A
//! rule reads a source when its `sources` list is empty or names the source's
//! format (or a family of it); a branch reads it when, in addition, its `from`
//! does. The *covering sources* of a step or fact are the provided sources some
//! branch of it reads. This module never evaluates predicates.

use crate::rule::ir::{Branch, CompiledRule, RuleSet};
use crate::segment::SourceMeta;

/// Branch indices (into the step's, until's or fact's `branches`) that read one source.
pub(crate) type Reading = Vec<u16>;

/// How one rule reads one source.
#[derive(Clone, Debug, Default)]
pub(crate) struct RulePlan {
    /// The rule reads this source at all.
    pub active: bool,
    /// Per step: branches that read the source.
    pub steps: Vec<Reading>,
    pub until: Reading,
    /// Per fact: branches that read the source.
    pub facts: Vec<Reading>,
}

/// Per source, per rule (sources of one format share their plans: a scan of
/// 100,000 small files holds one plan per format, not per file).
#[derive(Debug)]
pub(crate) struct Plan {
    /// Per source: its format's index in `plans`.
    of_source: Vec<usize>,
    /// Per format present: per rule.
    plans: Vec<Vec<RulePlan>>,
}

impl Plan {
    pub fn new(rules: &RuleSet, sources: &[SourceMeta]) -> Plan {
        let mut formats: Vec<&str> = Vec::new();
        let mut plans = Vec::new();
        let of_source = sources
            .iter()
            .map(
                |source| match formats.iter().position(|format| *format == source.format) {
                    Some(index) => index,
                    None => {
                        formats.push(source.format);
                        plans.push(
                            rules
                                .rules
                                .iter()
                                .map(|rule| rule_plan(rule, source.format))
                                .collect(),
                        );
                        plans.len() - 1
                    }
                },
            )
            .collect();
        Plan { of_source, plans }
    }

    fn of(&self, source: usize) -> Option<&[RulePlan]> {
        self.plans
            .get(*self.of_source.get(source)?)
            .map(Vec::as_slice)
    }

    pub fn rule(&self, source: usize, rule: usize) -> Option<&RulePlan> {
        self.of(source)?
            .get(rule)
            .filter(|rule_plan| rule_plan.active)
    }

    /// For rule `rule`, step `step`: `covering[source]` = some branch reads the source.
    pub fn step_covering(&self, rule: usize, step: usize) -> Vec<bool> {
        (0..self.of_source.len())
            .map(|source| {
                self.rule(source, rule)
                    .and_then(|rule_plan| rule_plan.steps.get(step))
                    .is_some_and(|reading| !reading.is_empty())
            })
            .collect()
    }

    /// Whether some provided source is read by fact `fact` of rule `rule`.
    pub fn fact_covered(&self, rule: usize, fact: usize) -> bool {
        self.plans.iter().any(|per_rule| {
            per_rule
                .get(rule)
                .filter(|rule_plan| rule_plan.active)
                .and_then(|rule_plan| rule_plan.facts.get(fact))
                .is_some_and(|reading| !reading.is_empty())
        })
    }
}

/// Whether `rule` reads sources of `format` (an empty `sources` list reads all).
pub(crate) fn rule_reads(rule: &CompiledRule, format: &str) -> bool {
    rule.sources.is_empty()
        || rule
            .sources
            .iter()
            .any(|family| crate::rule::ir::format_in_family(format, family))
}

fn rule_plan(rule: &CompiledRule, format: &str) -> RulePlan {
    if !rule_reads(rule, format) {
        return RulePlan::default();
    }
    RulePlan {
        active: true,
        steps: rule
            .steps
            .iter()
            .map(|step| reading(&step.branches, format))
            .collect(),
        until: reading(&rule.until, format),
        facts: rule
            .facts
            .iter()
            .map(|fact| reading(&fact.branches, format))
            .collect(),
    }
}

fn reading(branches: &[Branch], format: &str) -> Reading {
    branches
        .iter()
        .enumerate()
        .filter(|(_, branch)| branch.reads(format))
        .filter_map(|(index, _)| u16::try_from(index).ok())
        .collect()
}
