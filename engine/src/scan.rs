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
    let mut sources: Vec<ParsedSource> = texts
        .into_par_iter()
        .enumerate()
        .map(|(i, t)| parse::parse(t, i as u32, opts))
        .collect();
    for (id, note) in crate::matcher::timeline::naive_tz_notes(&sources, opts.tz.is_some()) {
        if let Some(s) = sources.iter_mut().find(|s| s.id == id) {
            s.notes.push(note);
        }
    }
    let output = crate::matcher::run(rules, &sources);
    Analysis { sources, output }
}
