//! The sequence matcher: compiled rules over the merged event stream in, findings out.
//!
//! [`run_streams`] pulls every source's segments lazily through the
//! [`timeline`] (all sources merged into one global order) and walks it once.
//! For each record it computes the prefilter candidates once, then feeds
//! every rule that reads the record's source: its sequence automaton
//! (`sequence`, composed of `shape`, `partial`, `absence`, `kept`,
//! `evictions`, `remembered` and `trace`, with `bounds` and `transition`)
//! and its facts (`facts`). At the end, pending trailing absences are
//! resolved (`inconclusive` at end of input), required facts applied, repeats
//! merged into incidents (`incidents`) and the findings ordered (`output`). [`run`] and [`run_with`]
//! feed sources parsed whole, one borrowed segment each.
//! A record outside [`MatchOptions::window`] (`scan --since/--until`) is
//! skipped before any rule sees it (see [`Window`] for records without a timestamp).
//!
//! Semantics follow rule-language-study §4; each module documents its part.
//!
//! Memory does not grow with the input. A record is borrowed from its
//! segment only while it is fed; the timeline drops a segment once all its
//! records were fed (it holds only the per-source reorder buffers, see
//! `feed`). Partials, pending findings, facts and the skew memory hold
//! numbers and offsets, never text nor references into segments: a `Mark`
//! takes at bind time everything its evidence needs (source id, seq, span,
//! timestamp, highlights relative to the record text), so findings never look
//! back into events. Event time expires partials through a deadline heap; caps
//! ([`MatchLimits`]) evict the partial closest to its deadline and count it,
//! per key on the findings and in all in [`MatchOutput::evicted_partials`].
//! What grows is what was found: findings and `matched_records`.
//!
//! Every rule also keeps a `trace` (deepest step bound, first record that
//! ended a partial through an absence; with [`MatchOptions::explain`], per-step
//! match counts), returned in [`MatchOutput::traces`] for "what to collect
//! next" and `scan --explain`. It observes only: findings are the same either way.
//!
//! [`reference`](mod@reference) is a brute-force matcher for tiny inputs that the property
//! tests compare against. This module never parses, ranks or prints.
//!
//! Output conventions: `matched_records` is indexed by the position of the
//! source in the slice given to [`run`] or [`run_streams`] (equal to its id
//! when ids are indices, as `scan` makes them) and holds `seq`s; evidence names
//! sources by `SourceMeta::id`; findings are ordered by rule index, key, then
//! the timeline position of their first record.
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
//! - A reversed (newest-first) source is held whole; a source whose reorder
//!   buffer overflows ([`MatchOptions::reorder_cap`]) is read partly out of
//!   time order (counted in `MatchOutput::reorder_overflow`).

mod absence;
mod bounds;
mod evictions;
mod facts;
mod feed;
mod hits;
mod incidents;
mod kept;
mod meta;
mod output;
mod partial;
mod plan;
mod record;
pub mod reference;
mod remembered;
mod sequence;
mod shape;
mod skew;
#[doc(hidden)]
pub mod testkit;
pub mod timeline;
mod trace;
mod transition;

use crate::finding::MatchOutput;
use crate::parse::ParsedSource;
use crate::rule::ir::RuleSet;
use crate::rule::prefilter::Candidates;
use crate::segment::{SegmentStream, SourceMeta};

use record::Rec;
use sequence::{Caps, RuleRun};

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
    /// The most records a source's reorder buffer holds; past it the oldest
    /// is released early and counted in [`MatchOutput::reorder_overflow`].
    pub reorder_cap: usize,
    /// Count, per rule and step, the records that match (for `scan --explain`,
    /// in [`crate::finding::RuleTrace`]); costs evaluating every step on every
    /// candidate record. Never changes the findings.
    pub explain: bool,
    /// Only records inside this window are matched (`scan --since/--until`).
    pub window: Window,
}

/// A time window on records (ms since the Unix epoch, both ends inclusive;
/// `None` leaves that end open). A record is judged by its own timestamp; a
/// record without one, in a source that had a timestamp before it, by its
/// watermark (the newest timestamp at or before it in the timeline); a record
/// of a source that has had no timestamp yet (a config dump) is always inside.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Window {
    pub since: Option<i64>,
    pub until: Option<i64>,
}

impl Window {
    /// Whether the window is open at both ends (every record is inside).
    pub fn is_open(&self) -> bool {
        self.since.is_none() && self.until.is_none()
    }

    /// Whether time `ms` is inside the window.
    pub fn contains(&self, ms: i64) -> bool {
        !matches!(self.since, Some(since) if ms < since)
            && !matches!(self.until, Some(until) if ms > until)
    }

    /// Whether the record of `entry` is matched; `timed` says whether its
    /// source had a timestamp at or before it.
    fn admits(&self, entry: &timeline::Entry, timed: bool) -> bool {
        if self.is_open() {
            return true;
        }
        match (entry.ts, entry.wm) {
            (Some(time), _) => self.contains(time),
            (None, Some(watermark)) if timed => self.contains(watermark),
            _ => true,
        }
    }
}

impl Default for MatchOptions {
    fn default() -> MatchOptions {
        MatchOptions {
            limits: MatchLimits::default(),
            max_disorder: timeline::DEFAULT_MAX_DISORDER,
            reorder_cap: timeline::REORDER_CAP,
            explain: false,
            window: Window::default(),
        }
    }
}

/// Runs every rule over all sources (merged into one timeline) and returns the findings.
pub fn run(rules: &RuleSet, sources: &[ParsedSource]) -> MatchOutput {
    run_with(rules, sources, &MatchOptions::default())
}

/// [`run`] with explicit limits and reorder buffer: each source is one
/// borrowed segment, described by [`timeline::meta_of`].
pub fn run_with(rules: &RuleSet, sources: &[ParsedSource], opts: &MatchOptions) -> MatchOutput {
    let metas: Vec<SourceMeta> = sources.iter().map(timeline::meta_of).collect();
    let streams = sources.iter().map(timeline::whole).collect();
    run_streams(rules, &metas, streams, opts)
}

/// Runs every rule over the sources `metas[i]` / `streams[i]`, pulling their
/// segments lazily (see the module docs for what it keeps in memory).
pub fn run_streams(
    rules: &RuleSet,
    metas: &[SourceMeta],
    streams: Vec<SegmentStream<'_>>,
    opts: &MatchOptions,
) -> MatchOutput {
    let plan = plan::Plan::new(rules, metas);
    let mut runs: Vec<RuleRun> = rules
        .rules
        .iter()
        .enumerate()
        .map(|(rule_index, rule)| {
            // Only absences ask which sources cover a step (a table per source).
            let covering = (0..rule.steps.len())
                .map(|step_index| match rule.steps.get(step_index) {
                    Some(step) if step.absent => plan.step_covering(rule_index, step_index),
                    _ => Vec::new(),
                })
                .collect();
            RuleRun::new(rule, covering, opts.explain)
        })
        .collect();
    let mut facts = facts::Facts::new(rules);
    let caps = Caps {
        per_rule: opts.limits.max_partials_per_rule.max(1),
    };
    let mut candidates = Candidates::default();
    let mut merged = timeline::Timeline::new(metas, streams, opts.max_disorder, opts.reorder_cap);
    let mut pos: u64 = 0;
    // Per source: whether one of its records had a timestamp yet (for the window).
    let mut timed = vec![false; metas.len()];
    while let Some(record) = merged.next() {
        let entry = record.entry;
        if let Some(source_timed) = timed.get_mut(entry.source as usize) {
            *source_timed |= entry.ts.is_some();
        }
        let in_window = opts
            .window
            .admits(&entry, timed.get(entry.source as usize) == Some(&true));
        if !in_window {
            continue;
        }
        rules
            .prefilter
            .candidates(record.ev.record_text(), &mut candidates);
        let rec = Rec {
            pos,
            entry,
            id: metas
                .get(entry.source as usize)
                .map_or(entry.source, |meta| meta.id),
            ev: record.ev,
        };
        pos += 1;
        let mut touched = false;
        for (rule_index, (rule, run)) in rules.rules.iter().zip(runs.iter_mut()).enumerate() {
            let Some(rule_plan) = plan.rule(entry.source as usize, rule_index) else {
                continue;
            };
            run.on_record(rule, rule_plan, &rec, &candidates, caps);
            facts.on_record(rule_index, rule, rule_plan, &rec, &candidates);
            touched = true;
        }
        if touched {
            enforce_global_cap(&mut runs, opts.limits.max_partials.max(1));
        }
    }
    for (rule, run) in rules.rules.iter().zip(runs.iter_mut()) {
        run.finish_pendings(rule);
    }
    let facts = facts.results(rules, &plan);
    let mut out = output::assemble(rules, metas.len(), runs, facts);
    out.reorder_overflow = merged.overflow();
    out
}

/// Evicts, across rules, the partials closest to their deadlines until under `max`.
fn enforce_global_cap(runs: &mut [RuleRun], max: usize) {
    let mut live: usize = runs.iter().map(RuleRun::live_partials).sum();
    while live > max {
        let victim = runs
            .iter_mut()
            .enumerate()
            .filter_map(|(index, run)| run.earliest_deadline().map(|deadline| (deadline, index)))
            .min();
        let Some((_, index)) = victim else {
            return;
        };
        if !runs.get_mut(index).is_some_and(RuleRun::evict_one) {
            return;
        }
        live -= 1;
    }
}

#[cfg(test)]
mod tests {
    use super::testkit::{rule, rule_set, source, step, Contains};
    use super::{run_with, MatchOptions, Window};

    const T0: i64 = 1_750_000_000_000;

    /// Seqs of the records matched per source, with `window`.
    fn matched(window: Window) -> Vec<Vec<u32>> {
        let rules = rule_set(vec![rule(
            "boom",
            &[],
            vec![step("boom", Contains::new("boom"))],
        )]);
        let log = source(
            0,
            "claude-code-debug",
            &[
                (None, "boom before the first timestamp", None),
                (Some(T0), "boom early", None),
                (None, "boom continuation of early", None),
                (Some(T0 + 10_000), "boom inside", None),
                (Some(T0 + 20_000), "boom late", None),
            ],
        );
        let config = source(1, "client-config", &[(None, "boom in a config dump", None)]);
        let opts = MatchOptions {
            window,
            ..MatchOptions::default()
        };
        let mut out = run_with(&rules, &[log, config], &opts).matched_records;
        for seqs in &mut out {
            seqs.sort_unstable();
        }
        out
    }

    #[test]
    fn an_open_window_matches_every_record() {
        assert_eq!(
            matched(Window::default()),
            vec![vec![0, 1, 2, 3, 4], vec![0]]
        );
    }

    #[test]
    fn a_window_skips_timed_records_outside_it_and_keeps_untimed_ones() {
        let w = Window {
            since: Some(T0 + 5_000),
            until: Some(T0 + 15_000),
        };
        // seq 2 has no timestamp but its watermark (T0) is before the window;
        // seq 0 and the config dump come before any timestamp of their source.
        assert_eq!(matched(w), vec![vec![0, 3], vec![0]]);
    }

    #[test]
    fn window_ends_are_inclusive_and_may_be_open() {
        let since = Window {
            since: Some(T0 + 10_000),
            until: None,
        };
        assert_eq!(matched(since), vec![vec![0, 3, 4], vec![0]]);
        let until = Window {
            since: None,
            until: Some(T0 + 10_000),
        };
        assert_eq!(matched(until), vec![vec![0, 1, 2, 3], vec![0]]);
    }
}
