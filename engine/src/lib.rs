//! logscan-engine: reads support logs, matches YAML rule sequences, ranks causes.
//!
//! The pipeline runs one way, one module per stage:
//! `source -> decode -> frame -> parse -> event -> signal -> match -> rank -> report`.
//! See `ARCHITECTURE.md` at the repository root for the code map, and
//! [`Engine`] for the library entry point.

pub mod collect;
pub mod decode;
pub mod engine;
pub mod error_like;
pub mod eval;
pub mod event;
pub mod explain;
pub mod finding;
pub mod frame;
pub mod json_schema;
pub mod matcher;
pub mod parse;
pub mod progress;
pub mod rank;
pub mod redact;
pub mod report;
pub mod rule;
pub mod ruletest;
pub mod scan;
pub mod segment;
pub mod signal;
pub mod source;
pub mod stream;
pub mod template;
pub mod text;
pub mod unexplained;
pub mod visible;

pub use engine::{Engine, EngineBuilder, Error, RecordStream, ScanResult};
pub use report::Report;
