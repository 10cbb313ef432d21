//! logscan-engine: reads support logs, matches YAML rule sequences, ranks causes.
//!
//! The pipeline runs one way, one module per stage:
//! `source -> decode -> frame -> parse -> event -> signal -> match -> rank -> report`.
//! See `ARCHITECTURE.md` at the repository root for the code map, and
//! [`Engine`] for the library entry point.

// Shared vocabulary: data every stage may read.
pub mod event;
pub mod text;
pub mod segment;
pub mod finding;
pub mod error_like;
pub mod redact;
pub mod visible;
pub mod progress;

// The rules, compiled before a scan reads anything.
pub mod rule;
pub mod json_schema;

// The stages, in pipeline order.
pub mod source;
pub mod decode;
pub mod frame;
pub mod parse;
pub mod signal;
pub mod stream;
pub mod matcher;
pub mod rank;
pub mod unexplained;
pub mod explain;
pub mod collect;
pub mod template;
pub mod report;

// Drivers: a scan end to end, the library entry point, rule tests, evaluation.
pub mod scan;
pub mod engine;
pub mod ruletest;
pub mod eval;

pub use engine::{Engine, EngineBuilder, Error, RecordStream, ScanResult};
pub use report::Report;
