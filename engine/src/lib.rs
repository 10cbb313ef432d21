//! logscan-engine: reads support logs, matches YAML rule sequences, ranks causes.
//!
//! The pipeline runs one way, one module per stage:
//! `source -> decode -> frame -> parse -> event -> match -> rank -> report`.
//! See `ARCHITECTURE.md` at the repository root for the code map.

pub mod decode;
pub mod event;
pub mod finding;
pub mod frame;
pub mod matcher;
pub mod parse;
pub mod rule;
pub mod scan;
pub mod source;
pub mod text;
