//! `logscan rules test`: runs rule test files and reports every mismatch.
pub mod anchor;
pub mod compare;
pub mod mutate;
pub mod report;
pub mod schema;
pub mod yaml;
