//! Compiled rules: the form the matcher runs, produced by the rule loader.
//!
//! The loader (`rule::load`) turns YAML into these values after validation; the
//! sequence matcher (`matcher`) and the ranker read them. Single-record
//! predicates are trait objects so the matcher can be tested with hand-made
//! predicates and the loader can evolve its matcher language freely. This
//! module holds data only: no YAML, no matching.

use std::sync::Arc;

pub use crate::rule::predicate::{Bindings, RecordPredicate};

/// Milliseconds.
pub type Millis = i64;

/// A shared predicate with its prefilter id (unique within a [`RuleSet`]).
#[derive(Clone, Debug)]
pub struct Pred {
    pub id: u32,
    pub inner: Arc<dyn RecordPredicate>,
}

/// One alternative of a step: a source restriction and a predicate.
#[derive(Clone, Debug)]
pub struct Branch {
    /// Format names or families this branch reads (`claude-code` matches
    /// `claude-code-debug`); `None` reads every source.
    pub from: Option<Vec<String>>,
    pub pred: Pred,
}

impl Branch {
    /// Whether this branch reads sources of `format`.
    pub fn reads(&self, format: &str) -> bool {
        match &self.from {
            None => true,
            Some(list) => list.iter().any(|f| format_in_family(format, f)),
        }
    }
}

/// `claude-code-debug` is in families `claude-code-debug`, `claude-code` and `claude`.
pub fn format_in_family(format: &str, family: &str) -> bool {
    format == family
        || (format.len() > family.len()
            && format.starts_with(family)
            && format.as_bytes()[family.len()] == b'-')
}

/// `count: {min, max}` on a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Count {
    pub min: u32,
    pub max: Option<u32>,
}

/// What a trailing absence becomes when the input ends before its deadline.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OnEof {
    #[default]
    Inconclusive,
    Drop,
}

/// One step of a sequence.
#[derive(Clone, Debug)]
pub struct Step {
    pub id: String,
    /// A record satisfies the step if it satisfies any branch (first branch in
    /// order wins and binds). A step's `match:` together with `any:` is compiled
    /// into branches that each AND the `match:` predicate with one alternative.
    pub branches: Vec<Branch>,
    pub absent: bool,
    /// Index (into `steps`) of the positive step `within` is measured from; `None`
    /// means the previous positive step.
    pub after: Option<usize>,
    pub within: Option<Millis>,
    pub count: Option<Count>,
    /// `key: none`: a host-level step that advances the partials of every key.
    pub broadcast: bool,
    /// `key: {var: field}` aliases: bind key variable `var` from field `field`.
    pub key_alias: Vec<(String, String)>,
    pub on_eof: OnEof,
    /// What to collect when no provided source is one this step reads
    /// (`wsl --status`, Windows System events, ...).
    pub collect: Option<String>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    #[default]
    Medium,
    High,
    Critical,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FactRole {
    Require,
    Support,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FactMode {
    Present,
    Absent,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OnSourceMissing {
    #[default]
    Unknown,
    AssumeAbsent,
    AssumePresent,
}

/// A timeless predicate over the whole input.
#[derive(Clone, Debug)]
pub struct Fact {
    pub id: String,
    pub role: FactRole,
    /// Log-odds added when a support fact is true.
    pub weight: f64,
    pub mode: FactMode,
    /// True (for `present`) when any record of a covering source matches any branch.
    pub branches: Vec<Branch>,
    pub on_source_missing: OnSourceMissing,
    /// What to collect when the fact is unknown (`wsl --status`, `claude mcp list`, ...).
    pub collect: Option<String>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AfterMatch {
    #[default]
    SkipPastLast,
    None,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Select {
    #[default]
    Latest,
    Earliest,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OnMissingKey {
    #[default]
    Skip,
    NullKey,
}

/// Text templates with `{var}` and `{step.field}` placeholders.
#[derive(Clone, Debug, Default)]
pub struct Diagnosis {
    pub summary: String,
    pub explanation: String,
    pub fix: String,
}

/// Where a rule came from, for messages.
#[derive(Clone, Debug, Default)]
pub struct Origin {
    /// `rules/mcp/windows-npx-shim.yaml`, or `builtin:mcp/windows-npx-shim.yaml`.
    pub path: String,
    pub line: u32,
    /// Where each step and fact (by id) and `until` were written: (id, line).
    pub parts: Vec<(String, u32)>,
}

impl Origin {
    /// The line of step or fact `id` (or `until`); the rule's line when unknown.
    pub fn line_of(&self, id: &str) -> u32 {
        self.parts
            .iter()
            .find(|(p, _)| p == id)
            .map_or(self.line, |(_, l)| *l)
    }
}

/// A validated, compiled rule.
#[derive(Clone, Debug)]
pub struct CompiledRule {
    pub id: String,
    pub cause: String,
    pub title: String,
    /// The rule's free-text `description:`, for `logscan rules explain` and `list`.
    pub description: Option<String>,
    /// Prior: P(cause | rule fully matched), in (0, 1).
    pub confidence: f64,
    pub severity: Severity,
    /// Causes (symptoms) this rule's cause absorbs when both match with overlapping evidence.
    pub explains: Vec<String>,
    /// Formats the rule reads (empty: all).
    pub sources: Vec<String>,
    pub correlate_by: Vec<String>,
    pub on_missing_key: OnMissingKey,
    pub maxspan: Option<Millis>,
    pub max_gap: Option<Millis>,
    pub order_tolerance: Millis,
    pub select: Select,
    pub after_match: AfterMatch,
    /// Findings of the same key within this window of the previous one merge into one incident.
    pub merge_window: Option<Millis>,
    /// Rule-level reset: a matching record kills the key's partials.
    pub until: Vec<Branch>,
    pub steps: Vec<Step>,
    pub facts: Vec<Fact>,
    pub diagnosis: Diagnosis,
    pub references: Vec<String>,
    pub origin: Origin,
}

impl CompiledRule {
    /// The steps and facts (and `until`) with a matcher that has no required
    /// literal and reads every format: each such matcher runs on every record,
    /// and makes every large file be read whole instead of streamed (docs/rules.md,
    /// "Performance: the prefilter"). Limit it with `from:` or the rule's `sources:`.
    pub fn unfiltered_everywhere(&self) -> Vec<&str> {
        if !self.sources.is_empty() {
            return Vec::new();
        }
        let open = |b: &Branch| b.from.is_none() && b.pred.inner.required_literals().is_none();
        let steps = self.steps.iter().map(|s| (s.id.as_str(), &s.branches));
        let facts = self.facts.iter().map(|f| (f.id.as_str(), &f.branches));
        let mut out: Vec<&str> = steps
            .chain(facts)
            .filter(|(_, branches)| branches.iter().any(open))
            .map(|(id, _)| id)
            .collect();
        if self.until.iter().any(open) {
            out.push("until");
        }
        out
    }

    /// Horizon (ms): the longest time a partial of this rule may live, at most 48 h.
    pub fn horizon(&self) -> Millis {
        const CEILING: Millis = 48 * 3600 * 1000;
        unclamped_horizon(self.maxspan, &self.steps).clamp(0, CEILING)
    }
}

/// `maxspan` (or the sum of the positive steps' `within`s) plus the longest
/// trailing-absence window: how long a partial can live before it is decided.
pub fn unclamped_horizon(maxspan: Option<Millis>, steps: &[Step]) -> Millis {
    let positive: Millis = maxspan.unwrap_or_else(|| {
        steps
            .iter()
            .filter(|s| !s.absent)
            .filter_map(|s| s.within)
            .sum()
    });
    let trailing = steps
        .iter()
        .rev()
        .take_while(|s| s.absent)
        .filter_map(|s| s.within)
        .max()
        .unwrap_or(0);
    positive.saturating_add(trailing)
}

/// All rules of a scan, with the prefilter over their predicates.
#[derive(Debug)]
pub struct RuleSet {
    pub rules: Vec<CompiledRule>,
    pub prefilter: crate::rule::prefilter::Prefilter,
}

impl RuleSet {
    /// Every predicate of every rule: step branches, fact branches and `until`.
    pub fn predicates(&self) -> impl Iterator<Item = &Pred> {
        self.rules.iter().flat_map(|r| {
            r.steps
                .iter()
                .flat_map(|s| &s.branches)
                .chain(r.facts.iter().flat_map(|f| &f.branches))
                .chain(&r.until)
                .map(|b| &b.pred)
        })
    }
}
