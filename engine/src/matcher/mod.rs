//! The sequence matcher: compiled rules over the merged event stream in, findings out.
//!
//! STUB: the matcher helper replaces this module's internals; `run` is the contract.

use crate::finding::MatchOutput;
use crate::parse::ParsedSource;
use crate::rule::ir::RuleSet;

/// Runs every rule over all sources (merged into one timeline) and returns the findings.
pub fn run(rules: &RuleSet, sources: &[ParsedSource]) -> MatchOutput {
    let _ = (rules, sources);
    MatchOutput::default()
}
