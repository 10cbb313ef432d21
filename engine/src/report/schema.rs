//! The serialisable types of the report (`logscan/report@1`, DESIGN §7 and
//! docs/json.md): the [`Report`] and every value it holds, the "why not"
//! entries, what to collect and the unexplained-error groups included.
//!
//! Data only: the stages that fill these (`report::build`, `explain`,
//! `collect`, `unexplained`) depend on this module, never the other way
//! round. It must never read a source, match, rank or print. Adding fields is
//! compatible; renaming or removing one is a new schema.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::rank::Verdict;

/// Schema id of this report shape.
pub const SCHEMA: &str = "logscan/report@1";

/// The result of one scan, as the JSON contract and every printer see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub schema: String,
    pub inputs: Vec<Input>,
    pub causes: Vec<Cause>,
    /// Findings whose trailing absence could not be decided before the input ended:
    /// never a root cause, shown so nothing is silently dropped.
    pub inconclusive: Vec<FindingReport>,
    pub unexplained: Vec<Unexplained>,
    /// What to collect next to settle what the bundle could not (docs/json.md).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub collect: Vec<Collect>,
    /// Why not: rules that came close (only with `--explain`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub explain: Option<Vec<WhyNot>>,
    pub stats: Stats,
}

/// One input as read: its format, encoding, size, record count and notes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Input {
    pub path: String,
    /// Detected format, or `error` for an input that could not be read.
    pub format: String,
    pub encoding: String,
    pub bytes: u64,
    pub records: u64,
    pub notes: Vec<String>,
}

/// One ranked cause with the findings under it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cause {
    pub cause: String,
    pub title: String,
    pub verdict: Verdict,
    /// Probability-like score in [0, 1], rounded to 2 decimals.
    pub score: f64,
    pub findings: Vec<FindingReport>,
}

/// One finding as reported: its rule, key, filled diagnosis and evidence.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FindingReport {
    pub rule: String,
    pub status: String,
    pub key: BTreeMap<String, String>,
    pub occurrences: u32,
    pub summary: String,
    pub explanation: String,
    pub fix: String,
    pub evidence: Vec<Evidence>,
    /// A symptom finding the cause absorbed (its rule belongs to an explained cause).
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub symptom: bool,
    /// The order of two of its records relied on the rule's clock-skew tolerance.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub order_uncertain: bool,
    /// Time constraints that could not be checked (a record had no timestamp).
    #[serde(skip_serializing_if = "is_zero", default)]
    pub unchecked_time: u32,
    /// What would settle its unknown facts (or unprovable absences).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub collect: Vec<String>,
}

fn is_zero(count: &u32) -> bool {
    *count == 0
}

/// One record that proves a step or fact: its place on disk and its (redacted) text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// The step (or `fact:<id>`) this record proves.
    pub step: String,
    pub path: String,
    pub line: u32,
    pub end_line: u32,
    /// Byte offsets in the file on disk (or the decompressed stream), half-open.
    pub start: u64,
    pub end: u64,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub ts: Option<String>,
    pub text: String,
    /// Byte ranges within `text` of the parts that matched (for underlining).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub highlights: Vec<(u32, u32)>,
}

/// Totals of the scan.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    pub bytes: u64,
    pub records: u64,
    pub rules: u64,
    pub elapsed_ms: u64,
    pub evicted_partials: u64,
    /// Findings not kept: a rule found more than 1,000 incidents (their
    /// records still count as explained). Absent when 0.
    #[serde(default, skip_serializing_if = "is_zero_u64")]
    pub dropped_findings: u64,
}

fn is_zero_u64(count: &u64) -> bool {
    *count == 0
}

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

/// What was missing, by precedence (see the `explain` module's docs).
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

/// Which part of a rule was missing (in precedence order).
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
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (step, count) in &self.0 {
            map.serialize_entry(step, count)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for StepCounts {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StepCountsVisitor;
        impl<'de> Visitor<'de> for StepCountsVisitor {
            type Value = StepCounts;
            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("a map of step ids to counts")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<StepCounts, A::Error> {
                let mut counts = Vec::new();
                while let Some((step, count)) = map.next_entry::<String, u64>()? {
                    counts.push((step, count));
                }
                Ok(StepCounts(counts))
            }
        }
        deserializer.deserialize_map(StepCountsVisitor)
    }
}

/// One thing to collect (`collect` in the report).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Collect {
    /// The file or command, as the rule words it.
    pub what: String,
    /// Why: the rule and the fact or step it would decide.
    pub why: String,
    /// The first rule that asked for it (none for the client-log advice).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub rule: Option<String>,
}

/// One group of similar unexplained error records: the first one's place and text, and how many.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unexplained {
    pub path: String,
    pub line: u32,
    pub text: String,
    pub count: u32,
}
