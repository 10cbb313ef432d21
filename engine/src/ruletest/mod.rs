//! `logscan rules test`: runs rule test files and reports every mismatch.
//!
//! A test file (`<rule>.test.yaml`, see `docs/rule-tests.md`) lists cases:
//! fixture inputs and the exact findings expected of the rules under test.
//! [`run`] finds the test files and the rules under the given folders, runs
//! every case and its derived negatives (mutants), and returns a
//! [`TestReport`] that renders as text, JSON or JUnit. Module map: `schema`
//! (the file format, read through `rule::yaml` with positions), `anchor`
//! (`file:line` evidence), `compare` (expected vs actual), `mutate` (derived
//! negatives), `runner`, `report` (result values) and `render`. This module never prints: the CLI
//! prints what the report renders.

pub mod anchor;
pub mod compare;
pub mod mutate;
pub mod render;
pub mod report;
pub mod runner;
pub mod schema;

pub use report::{
    CaseResult, FileResult, MutantOutcome, MutantResult, MutationKind, Outcome, Problem, TestReport,
};
pub use runner::{run, RunOptions};
