//! The sequence matcher: compiled rules over the merged event stream in, findings out.
//!
//! [`run`] walks the [`timeline`] (all sources merged into one global order)
//! once. For each record it computes the prefilter candidates once, then feeds
//! every rule that reads the record's source: its sequence automaton
//! (`sequence`, with trailing absences in `absence`) and its facts
//! (`facts`). At the end, pending trailing absences are resolved
//! (`inconclusive` at end of input), required facts applied, repeats merged into
//! incidents and the findings ordered (`incidents`).
//!
//! Semantics follow rule-language-study §4; each module documents its part.
//! Memory: partials hold record positions and offsets, never text; event time
//! expires them through a deadline heap; caps ([`MatchLimits`]) evict the
//! partial closest to its deadline and count it, per key on the findings and
//! in all in [`MatchOutput::evicted_partials`].
//!
//! [`reference`](mod@reference) is a brute-force matcher for tiny inputs that the property
//! tests compare against. This module never parses, ranks or prints.
//!
//! Output conventions: `matched_records` is indexed by the position of the
//! source in the slice given to [`run`] (equal to `ParsedSource::id` when ids
//! are indices, as `scan` makes them); findings are ordered by rule index, key,
//! then the timeline position of their first record.
//!
//! Cross-source clock skew (`order_tolerance: D`): records matching a later
//! step are remembered for `D` of event time (`skew`), so a step from another
//! source may carry a timestamp up to `D` before the previous step; such a
//! finding is `order_uncertain`. Same-source order is never relaxed.
//!
//! Known limits (documented where they live):
//! - Only a step's first record may come from the skew memory; a step guarded
//!   by a mid-sequence absence takes one only when it lies before the previous
//!   step's record (the absence is then vacuous; see `skew`).
//! - Leading absences are not evaluated: a rule starting with one yields at best
//!   `partial` findings.
//! - A *late* record (older than the reorder buffer allows) cannot advance a
//!   partial that event time already expired.
//! - `after:` on a trailing absence: see `absence`.
//! - Facts bind no variables and are the same for every key of a rule.

mod absence;
mod facts;
mod hits;
mod incidents;
mod partial;
mod plan;
pub mod reference;
mod sequence;
mod skew;
#[doc(hidden)]
pub mod testkit;
pub mod timeline;

use crate::event::EventRef;
use crate::finding::MatchOutput;
use crate::parse::ParsedSource;
use crate::rule::ir::RuleSet;
use crate::rule::prefilter::Candidates;

use sequence::{Caps, Rec, RuleRun};

/// Caps on live partial matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MatchLimits {
    /// Live partials of one rule (all keys and stages).
    pub max_partials_per_rule: usize,
    /// Live partials of all rules.
    pub max_partials: usize,
}

impl Default for MatchLimits {
    fn default() -> MatchLimits {
        MatchLimits {
            max_partials_per_rule: 10_000,
            max_partials: 1_000_000,
        }
    }
}

/// Options of [`run_with`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MatchOptions {
    pub limits: MatchLimits,
    /// The per-source reorder buffer in ms (see [`timeline`]).
    pub max_disorder: i64,
}

impl Default for MatchOptions {
    fn default() -> MatchOptions {
        MatchOptions {
            limits: MatchLimits::default(),
            max_disorder: timeline::DEFAULT_MAX_DISORDER,
        }
    }
}

/// Runs every rule over all sources (merged into one timeline) and returns the findings.
pub fn run(rules: &RuleSet, sources: &[ParsedSource]) -> MatchOutput {
    run_with(rules, sources, &MatchOptions::default())
}

/// [`run`] with explicit limits and reorder buffer.
pub fn run_with(rules: &RuleSet, sources: &[ParsedSource], opts: &MatchOptions) -> MatchOutput {
    let plan = plan::Plan::new(rules, sources);
    let mut runs: Vec<RuleRun> = rules
        .rules
        .iter()
        .enumerate()
        .map(|(ri, rule)| {
            let covering = (0..rule.steps.len())
                .map(|j| plan.step_covering(ri, j))
                .collect();
            RuleRun::new(rule, covering)
        })
        .collect();
    let mut facts = facts::Facts::new(rules);
    let caps = Caps {
        per_rule: opts.limits.max_partials_per_rule.max(1),
    };
    let mut cands = Candidates::default();
    for (pos, entry) in timeline::Timeline::new(sources, opts.max_disorder).enumerate() {
        let Some(src) = sources.get(entry.source as usize) else {
            continue;
        };
        let Some(event) = src.events.get(entry.event as usize) else {
            continue;
        };
        let ev = EventRef {
            event,
            source_text: &src.text.text,
            format: src.format,
        };
        rules.prefilter.candidates(ev.record_text(), &mut cands);
        let rec = Rec {
            pos: pos as u64,
            entry,
            ev,
        };
        let mut touched = false;
        for (ri, (rule, run)) in rules.rules.iter().zip(runs.iter_mut()).enumerate() {
            let Some(rp) = plan.rule(entry.source as usize, ri) else {
                continue;
            };
            run.on_record(rule, rp, &rec, &cands, caps);
            facts.on_record(ri, rule, rp, &rec, &cands);
            touched = true;
        }
        if touched {
            enforce_global_cap(&mut runs, opts.limits.max_partials.max(1));
        }
    }
    for (rule, run) in rules.rules.iter().zip(runs.iter_mut()) {
        run.finish_pendings(rule);
    }
    let facts = facts.results(rules, &plan, sources);
    incidents::assemble(rules, sources, runs, facts)
}

/// Evicts, across rules, the partials closest to their deadlines until under `max`.
fn enforce_global_cap(runs: &mut [RuleRun], max: usize) {
    let mut live: usize = runs.iter().map(|r| r.store.live()).sum();
    while live > max {
        let victim = runs
            .iter_mut()
            .enumerate()
            .filter_map(|(i, r)| r.store.earliest().map(|d| (d, i)))
            .min();
        let Some((_, i)) = victim else {
            return;
        };
        if !runs.get_mut(i).is_some_and(RuleRun::evict_one) {
            return;
        }
        live -= 1;
    }
}
