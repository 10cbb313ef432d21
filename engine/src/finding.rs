//! Findings: what the matcher hands the ranker.
//!
//! A [`Finding`] is one completed (or pending-at-EOF) match of one rule for one
//! key, with the location of every record that bound a step, the result of
//! every fact, and what lowered its certainty. It holds offsets, never log
//! text: the report re-reads text by offset.

use std::ops::Range;

use crate::event::{SourceId, Span, Timestamp};
use crate::rule::ir::Bindings;

/// Status of a finding (rule-language-study §4.12).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// All steps bound, absences proven, required facts true.
    Confirmed,
    /// A required fact or an absence is unknown.
    Partial,
    /// A trailing absence was unresolved at the end of input.
    Inconclusive,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Confirmed => "confirmed",
            Status::Partial => "partial",
            Status::Inconclusive => "inconclusive",
        }
    }
}

/// A record bound by a step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordLoc {
    pub source: SourceId,
    pub seq: u32,
    pub span: Span,
    pub ts: Option<Timestamp>,
    /// Decoded byte ranges of the matched parts, relative to the start of the
    /// record's text (`Event::text.start`).
    pub highlights: Vec<Range<u32>>,
}

/// Evidence for one step.
#[derive(Clone, Debug, PartialEq)]
pub enum StepEvidence {
    /// A positive step: the first and last bound records (equal unless `count`) and how many.
    Record {
        step: String,
        first: RecordLoc,
        last: RecordLoc,
        count: u32,
    },
    /// An absence that was checked: the records searched and the first record past the deadline.
    Absence {
        step: String,
        /// Deadline (UTC ms), when time-bounded.
        deadline: Option<i64>,
        /// The first record after the deadline that proves coverage (trailing absences).
        witness: Option<RecordLoc>,
        /// The absence could not be proven (input ended, or no covering source).
        unresolved: bool,
    },
}

impl StepEvidence {
    pub fn step(&self) -> &str {
        match self {
            StepEvidence::Record { step, .. } | StepEvidence::Absence { step, .. } => step,
        }
    }
}

/// Three-valued fact result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Truth {
    True,
    False,
    Unknown,
}

/// The value of one fact for a finding.
#[derive(Clone, Debug, PartialEq)]
pub struct FactResult {
    pub id: String,
    pub value: Truth,
    /// The record that made a `present` fact true (or an `absent` fact false).
    pub evidence: Option<RecordLoc>,
}

/// One match of one rule for one key.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// Index of the rule in the [`crate::rule::ir::RuleSet`].
    pub rule: usize,
    pub status: Status,
    /// The `correlate.by` variables and their values, in rule order.
    pub key: Vec<(String, String)>,
    /// Every variable bound (key included).
    pub vars: Bindings,
    /// How many incidents were merged into this one (`merge.window`), at least 1.
    pub occurrences: u32,
    /// Evidence in step order (steps that bound nothing, e.g. a killed absence, are omitted).
    pub steps: Vec<StepEvidence>,
    pub facts: Vec<FactResult>,
    /// Time constraints that could not be checked because a record had no timestamp.
    pub unchecked_time: u32,
    /// A cross-source ordering relied on `order_tolerance`.
    pub order_uncertain: bool,
    /// Partials of this rule and key evicted by memory caps.
    pub evicted: u32,
}

/// What the matcher returns.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MatchOutput {
    /// In a deterministic order: by rule index, then key, then first evidence.
    pub findings: Vec<Finding>,
    /// Partials evicted by caps, in all.
    pub evicted_partials: u64,
    /// Findings not kept because their rule had more incidents than it keeps
    /// (`matcher::kept`); their records still count as matched.
    pub dropped_findings: u64,
    /// Which records some step of some rule matched, by source: `covered[source]` holds
    /// sorted `seq`s. The report's unexplained-errors section skips these.
    pub matched_records: Vec<Vec<u32>>,
    /// Per source (indexed like `matched_records`): records the timeline
    /// released before their turn because the source's reorder buffer was
    /// full (their order may deviate from time order; the report notes it).
    pub reorder_overflow: Vec<u64>,
    /// Per rule (by index): how far it got, for "what to collect next" and `--explain`.
    pub traces: Vec<RuleTrace>,
}

/// How far one rule got in a run, whether or not it produced findings.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RuleTrace {
    /// `matched` and `first` were counted (`MatchOptions::explain`).
    pub counted: bool,
    /// Per step (when counted): records that matched the step's predicate with a
    /// key, ignoring correlation and time windows. A streamed source counts its
    /// candidate records only.
    pub matched: Vec<u64>,
    /// Per step (when counted): the first such record.
    pub first: Vec<Option<RecordLoc>>,
    /// The deepest positive step (index) any partial bound, and the first record that bound it.
    pub reached: Option<(usize, RecordLoc)>,
    /// The first record that ended a partial through an absent step (index).
    pub killed: Option<(usize, RecordLoc)>,
    /// The rule's facts (the same for every key).
    pub facts: Vec<FactResult>,
}
