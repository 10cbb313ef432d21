//! The result of an evaluation: the `logscan/eval@1` value (docs/json.md).
//! Data and formatting of ratios only: the computation that fills it and the
//! threshold check depend on this module, never the other way round (it
//! names neither).

use std::fmt;

use serde::ser::SerializeStruct;
use serde::Serialize;

use crate::eval::outcome::{Confidence, Diagnosable, Label};
use crate::rank::Verdict;

/// Schema id of the evaluation summary.
pub const SCHEMA: &str = "logscan/eval@1";

/// `hits` out of `total`; serialised with its `rate` (4 decimals, `null` when
/// `total` is 0).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ratio {
    pub hits: u32,
    pub total: u32,
}

impl Ratio {
    pub fn new(hits: u32, total: u32) -> Ratio {
        Ratio { hits, total }
    }

    /// `hits / total`, or `None` when there is nothing to divide.
    pub fn rate(&self) -> Option<f64> {
        (self.total > 0).then(|| f64::from(self.hits) / f64::from(self.total))
    }

    /// Counts one case, a hit or not.
    pub fn add(&mut self, hit: bool) {
        self.total += 1;
        self.hits += u32::from(hit);
    }
}

/// `k/n (x.y%)`, or `0/0 (-)`.
impl fmt::Display for Ratio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.rate() {
            Some(r) => write!(f, "{}/{} ({:.1}%)", self.hits, self.total, r * 100.0),
            None => write!(f, "{}/{} (-)", self.hits, self.total),
        }
    }
}

impl Serialize for Ratio {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Ratio", 3)?;
        st.serialize_field("hits", &self.hits)?;
        st.serialize_field("total", &self.total)?;
        st.serialize_field("rate", &self.rate().map(round4))?;
        st.end()
    }
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// Top-1 and top-3 accuracy over a set of catalogued cases.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Accuracy {
    pub top1: Ratio,
    pub top3: Ratio,
}

/// Accuracy of the catalogued cases of one `cause_confidence` level
/// (`high`, `medium`, `low` or `unlabelled`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Level {
    pub confidence: String,
    #[serde(flatten)]
    pub accuracy: Accuracy,
}

/// A `none`/`other` case that got a `likely` cause.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Flagged {
    pub case: String,
    pub expect: Label,
    pub cause: String,
    pub score: f64,
}

/// How the `none`/`other` cases fared.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct NoneOther {
    /// Cases without a `likely` cause, out of all `none`/`other` cases.
    pub no_likely: Ratio,
    /// Cases with any cause reported (`possible` included).
    pub any_cause: u32,
    /// Every case that got a `likely` cause.
    pub likely: Vec<Flagged>,
}

/// The figures of the cases of one `diagnosable` value (or of the cases
/// without one, `diagnosable: null`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Group {
    pub diagnosable: Option<Diagnosable>,
    /// Scored cases with this value (`none`/`other` and low confidence included).
    pub cases: u32,
    /// Over its catalogued cases not labelled `cause_confidence: low`.
    pub top1: Ratio,
    pub top3: Ratio,
    /// Cases with a `likely` cause.
    pub likely: u32,
    /// Those of them where a `likely` cause is not the expected one.
    pub wrong_likely: u32,
    /// Cases without any `likely` cause.
    pub no_likely: u32,
}

impl Group {
    pub fn new(diagnosable: Option<Diagnosable>) -> Group {
        Group {
            diagnosable,
            cases: 0,
            top1: Ratio::default(),
            top3: Ratio::default(),
            likely: 0,
            wrong_likely: 0,
            no_likely: 0,
        }
    }
}

/// How the `diagnosable: no` cases fared: a good report says no more than the
/// log shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct NoCases {
    pub cases: u32,
    /// Cases without any `likely` cause.
    pub no_likely: u32,
    /// Cases with a `likely` cause that is not the expected one.
    pub wrong_likely: u32,
}

/// The headline split by what the paste holds (`diagnosable`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Split {
    /// `yes` cases, catalogued, not `cause_confidence: low`: the expected cause ranked first.
    pub yes_top1: Ratio,
    /// `partial` cases, catalogued, not `cause_confidence: low`: the expected
    /// cause among the first three.
    pub partial_top3: Ratio,
    /// Every scored case with a `likely` cause: `hits` are those where a
    /// `likely` cause is not the expected one.
    pub wrong_likely: Ratio,
    /// Every `none`/`other` case: `hits` are those without any `likely` cause.
    pub clean: Ratio,
    pub no: NoCases,
    /// `yes`, `partial`, `no`, then the cases without a value; only values with cases.
    pub groups: Vec<Group>,
}

/// One cell of the confusion table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Cell {
    pub expect: String,
    /// The ranked-first cause, `none` when nothing was reported.
    pub got: String,
    pub count: u32,
}

/// How often a rule's findings sat under the expected cause.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RulePrecision {
    pub rule: String,
    /// Cases with a finding of this rule under a reported cause.
    pub fired: u32,
    /// Those of them where that cause is the expected one.
    pub correct: u32,
    pub precision: f64,
}

/// One scored case.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CaseResult {
    pub case: String,
    pub path: String,
    pub expect: Label,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expect_verdict: Option<Verdict>,
    /// What the paste holds (`null` when the case has no `diagnosable`).
    pub diagnosable: Option<Diagnosable>,
    /// The ranked-first cause (`null` when nothing was reported).
    pub got: Option<String>,
    pub verdict: Option<Verdict>,
    pub score: Option<f64>,
    /// Catalogued cases only: the ranked-first cause is the expected one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top1: Option<bool>,
    /// Catalogued cases only: the expected cause is among the first three.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top3: Option<bool>,
    /// Catalogued cases only: where the expected cause is among the reported
    /// ones (1 = first), `null` when it was not reported.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rank: Option<Option<u32>>,
    /// Catalogued: top-1 and (when expected) the same verdict; `none`/`other`:
    /// no `likely` cause.
    pub ok: bool,
}

/// A case that could not be scored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CaseError {
    pub case: String,
    pub path: String,
    pub message: String,
}

/// Everything `logscan eval` reports.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    pub schema: &'static str,
    /// Cases found, errors included.
    pub cases: u32,
    pub scored: u32,
    /// The split by `diagnosable`: the headline of the text summary.
    pub diagnosable: Split,
    /// Catalogued cases except those labelled `cause_confidence: low`.
    pub headline: Accuracy,
    /// Every catalogued case.
    pub catalogued: Accuracy,
    /// Per confidence level, only levels with catalogued cases.
    pub by_confidence: Vec<Level>,
    pub none_other: NoneOther,
    /// Among cases whose ranked-first cause is `likely`: those where it is not
    /// the expected cause.
    pub wrong_likely: Ratio,
    /// Among cases whose ranked-first cause is only `possible`: those where it
    /// is the expected cause (how far a `possible` verdict can be trusted).
    pub possible_right: Ratio,
    /// Among cases with an expected verdict (corpus cases with a cause): the
    /// ranked-first cause and its verdict are the expected ones.
    pub verdicts: Ratio,
    pub confusion: Vec<Cell>,
    pub rules: Vec<RulePrecision>,
    pub results: Vec<CaseResult>,
    pub errors: Vec<CaseError>,
    /// The thresholds that failed (filled by the threshold check, `--min-top1` ...).
    pub failures: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_print_and_serialise_exactly() {
        assert_eq!(Ratio::new(2, 3).to_string(), "2/3 (66.7%)");
        assert_eq!(Ratio::new(0, 0).to_string(), "0/0 (-)");
        assert_eq!(
            serde_json::to_string(&Ratio::new(2, 3)).unwrap(),
            r#"{"hits":2,"total":3,"rate":0.6667}"#
        );
        assert_eq!(
            serde_json::to_string(&Ratio::new(0, 0)).unwrap(),
            r#"{"hits":0,"total":0,"rate":null}"#
        );
    }
}
