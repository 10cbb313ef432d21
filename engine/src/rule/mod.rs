//! The rule language: YAML rule files in, [`ir::RuleSet`] out.
//!
//! `load` parses and validates rule files (errors with file, line and column),
//! `record` compiles Sigma-style single-record matchers, `prefilter` builds the
//! literal prefilter, `builtin` holds the rule pack embedded at build time.
//! Nothing here runs rules over events: that is `matcher`.

pub mod builtin;
pub mod ir;
pub mod load;
pub mod prefilter;
