//! `logscan eval`: measures the diagnosis against labelled cases.
//!
//! A case is a folder with `case.yaml` (a real-case label: `expect:` and
//! `cause_confidence:`, the logs beside it) or with `expected.yaml` (a corpus
//! case: the exact ranked causes, the logs in `bundle/`). [`case`] finds and
//! loads cases, [`run()`] scans them (in parallel, results in input order) into
//! [`Outcome`]s, [`metrics`] turns outcomes into a [`Summary`] (top-1/top-3
//! accuracy, the `diagnosable` split, wrong `likely` verdicts, confusion,
//! per-rule precision) and
//! [`threshold`] checks it against limits. Metrics are defined in README
//! ("Evaluating the diagnosis") and the JSON shape (`logscan/eval@1`) in
//! docs/json.md. This module never prints and never changes rules or ranking:
//! it only reads reports.

pub mod case;
pub mod metrics;
pub mod outcome;
pub mod run;
pub mod summary;
pub mod threshold;

pub use case::{discover, load, Case, CaseDir};
pub use metrics::summarize;
pub use outcome::{Confidence, Diagnosable, Label, Outcome, Ranked};
pub use run::run;
pub use summary::{Summary, SCHEMA};
pub use threshold::Thresholds;
