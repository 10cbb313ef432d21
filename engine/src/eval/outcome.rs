//! The values an evaluation is computed from: what a case expects ([`Label`],
//! [`Confidence`], an optional verdict) and what the scan ranked ([`Ranked`]).
//! Data only: nothing here reads files or scans.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::rank::Verdict;
use crate::report::Report;

/// What a correct diagnosis ranks first.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Label {
    /// A catalogued cause id.
    Cause(String),
    /// Nothing is wrong: no cause should be `likely`.
    None,
    /// A cause outside the catalogue: no catalogued cause should be `likely`.
    Other,
}

impl Label {
    /// `none` and `other` are words; anything else is a cause id.
    pub fn parse(s: &str) -> Label {
        match s.trim() {
            "none" => Label::None,
            "other" => Label::Other,
            id => Label::Cause(id.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Label::Cause(id) => id,
            Label::None => "none",
            Label::Other => "other",
        }
    }

    /// The cause id when the label names a catalogued cause.
    pub fn cause(&self) -> Option<&str> {
        match self {
            Label::Cause(id) => Some(id),
            _ => None,
        }
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Label {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// How sure the label is (`cause_confidence` in case.yaml).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    High,
    Medium,
    Low,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::High => "high",
            Confidence::Medium => "medium",
            Confidence::Low => "low",
        }
    }
}

/// What the paste alone holds (`diagnosable` in case.yaml,
/// ../shared/data/real-cases/README.md): it names the cause (`yes`), narrows it
/// to two or three candidates (`partial`), or the cause is known only from
/// elsewhere (`no`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Diagnosable {
    Yes,
    Partial,
    No,
}

impl Diagnosable {
    /// Every value, in report order.
    pub const ALL: [Diagnosable; 3] = [Diagnosable::Yes, Diagnosable::Partial, Diagnosable::No];

    pub fn as_str(self) -> &'static str {
        match self {
            Diagnosable::Yes => "yes",
            Diagnosable::Partial => "partial",
            Diagnosable::No => "no",
        }
    }

    /// `yes`, `partial` or `no` (surrounding blanks and case ignored).
    pub fn parse(s: &str) -> Option<Diagnosable> {
        match s.trim().to_ascii_lowercase().as_str() {
            "yes" => Some(Diagnosable::Yes),
            "partial" => Some(Diagnosable::Partial),
            "no" => Some(Diagnosable::No),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Diagnosable {
    /// A string (`yes`, `"partial"`, `'no'`), or a YAML 1.1 boolean (`yes`/`no`
    /// read as `true`/`false` by a YAML 1.1 writer) for `yes`/`no`.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Bool(bool),
            Text(String),
        }
        match Raw::deserialize(d)? {
            Raw::Bool(true) => Ok(Diagnosable::Yes),
            Raw::Bool(false) => Ok(Diagnosable::No),
            Raw::Text(t) => Diagnosable::parse(&t).ok_or_else(|| {
                serde::de::Error::custom(format!(
                    "diagnosable: `{t}` is not one of yes, partial, no"
                ))
            }),
        }
    }
}

impl fmt::Display for Diagnosable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One reported cause, reduced to what the metrics read.
#[derive(Clone, Debug, PartialEq)]
pub struct Ranked {
    pub cause: String,
    pub verdict: Verdict,
    pub score: f64,
    /// The rules of the findings listed under this cause (absorbed symptoms
    /// included), sorted, each once.
    pub rules: Vec<String>,
}

impl Ranked {
    /// The causes of a report, best first.
    pub fn of_report(report: &Report) -> Vec<Ranked> {
        report
            .causes
            .iter()
            .map(|c| {
                let mut rules: Vec<String> = c.findings.iter().map(|f| f.rule.clone()).collect();
                rules.sort();
                rules.dedup();
                Ranked {
                    cause: c.cause.clone(),
                    verdict: c.verdict,
                    score: c.score,
                    rules,
                }
            })
            .collect()
    }
}

/// One evaluated case: its label and what the scan gave, or why it could not
/// be scored.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// The case folder's name.
    pub name: String,
    /// The case folder as reached from the command line.
    pub path: String,
    pub expect: Label,
    pub confidence: Option<Confidence>,
    /// The verdict the first expected cause must have (corpus cases only).
    pub expect_verdict: Option<Verdict>,
    /// What the paste holds: a real case's `diagnosable` (`None` when its
    /// case.yaml has none), a corpus case's (`yes` unless its expected.yaml
    /// says otherwise).
    pub diagnosable: Option<Diagnosable>,
    /// The ranked causes, or the error that kept the case from being scored
    /// (its case file did not load, or an input could not be read).
    pub result: Result<Vec<Ranked>, String>,
}
