//! The rule language: YAML rule files in, [`ir::RuleSet`] out.
//!
//! `load` reads rule files and compiles a set (refusing `explains` cycles,
//! `cycles`, and what is over the size `limits`); `compile` validates and compiles
//! one file (read once by `yaml`, into the serde types of `schema`, with
//! `duration` for times and `placeholder` for template placeholders); `record`
//! compiles Sigma-style single-record matchers (with `condition` for
//! named-selection conditions and `literal` for their prefilter literals);
//! `prefilter` builds the literal prefilter; `suggest` finds the "did you mean"
//! of a typo; `builtin` holds the rule pack embedded at build time. Nothing
//! here runs rules over events: that is `matcher`.

pub mod builtin;
pub mod compile;
pub mod condition;
pub mod cycles;
pub mod duration;
pub mod ir;
pub mod limits;
pub mod literal;
pub mod load;
pub mod placeholder;
pub mod predicate;
pub mod prefilter;
pub mod record;
pub mod schema;
pub mod suggest;
pub mod yaml;
