//! The `Report`: the public, versioned result of a scan (`logscan/report@1`,
//! DESIGN §7 and docs/json.md).
//!
//! Three layers, each depending only on the ones above it:
//! - [`schema`]: the serialisable types (data only);
//! - [`evidence`]: evidence text re-read by offset from the decoded sources
//!   (or a streamed source's bytes), redacted unless asked not to, and the
//!   [`ReportOptions`];
//! - `build`: [`build()`] puts the report together, calling `explain`,
//!   `collect`, `unexplained` and `template`, which depend on `schema` and
//!   `evidence` only.
//!
//! Printers (text, JSON, HTML) live in the CLI and read only these values.

mod build;
pub mod evidence;
pub mod schema;

pub use self::build::{build, has_cause_at_least};
pub use self::evidence::{evidence_of, ReportOptions};
pub use self::schema::{
    Cause, Collect, Evidence, FindingReport, Input, Missing, MissingKind, Report, Stats,
    StepCounts, Unexplained, WhyNot, SCHEMA,
};
