//! Scanning cases: each case's bundle is scanned on its own, as `logscan scan`
//! would scan those paths, in parallel (rayon); outcomes come back in input
//! order. This module never mixes cases and never ranks by itself: the ranked
//! causes are the report's.

use std::path::Path;

use rayon::prelude::*;

use crate::engine::Engine;
use crate::eval::case::{load, CaseDir};
use crate::eval::outcome::{Label, Outcome, Ranked};

/// Loads and scans every case; one outcome per case, in the order given.
pub fn run(engine: &Engine, cases: &[CaseDir]) -> Vec<Outcome> {
    cases.par_iter().map(|c| run_one(engine, c)).collect()
}

fn run_one(engine: &Engine, dir: &CaseDir) -> Outcome {
    let mut outcome = Outcome {
        name: dir.name.clone(),
        path: dir.path.display().to_string(),
        expect: Label::None,
        confidence: None,
        expect_verdict: None,
        diagnosable: None,
        result: Err(String::new()),
    };
    let case = match load(dir) {
        Ok(c) => c,
        Err(e) => {
            outcome.result = Err(e);
            return outcome;
        }
    };
    outcome.expect = case.expect;
    outcome.confidence = case.confidence;
    outcome.expect_verdict = case.expect_verdict;
    outcome.diagnosable = case.diagnosable;
    let paths: Vec<&Path> = case.inputs.iter().map(|p| p.as_path()).collect();
    let scanned = engine.scan_paths(&paths);
    outcome.result = if scanned.errors.is_empty() {
        Ok(Ranked::of_report(&scanned.report))
    } else {
        let msgs: Vec<String> = scanned.errors.iter().map(|e| e.to_string()).collect();
        Err(msgs.join("; "))
    };
    outcome
}
