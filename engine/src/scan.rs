//! The pipeline driver: decoded sources in, parsed sources and findings out.
//!
//! `analyze` parses every source (in parallel) and runs the matcher over the
//! merged timeline. Ranking and the report are built from its result by
//! `rank` and `report`. This module never prints.

use rayon::prelude::*;

use crate::finding::MatchOutput;
use crate::parse::{self, ParseOptions, ParsedSource};
use crate::rule::ir::RuleSet;
use crate::text::SourceText;

/// Parsed sources and the matcher's output for one bundle.
#[derive(Debug)]
pub struct Analysis {
    pub sources: Vec<ParsedSource>,
    pub output: MatchOutput,
}

/// Parses `texts` (source ids are their indices) and matches `rules` over them.
pub fn analyze(rules: &RuleSet, texts: Vec<SourceText>, opts: &ParseOptions) -> Analysis {
    let sources: Vec<ParsedSource> = texts
        .into_par_iter()
        .enumerate()
        .map(|(i, t)| parse::parse(t, i as u32, opts))
        .collect();
    let output = crate::matcher::run(rules, &sources);
    Analysis { sources, output }
}
