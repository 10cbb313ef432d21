//! One rule's use of the skew memory (`order_tolerance`): which steps'
//! records are remembered, and how waiting partials take remembered records
//! as if they arrived now (see `skew` for when a remembered record may follow).
//!
//! With a tolerance of 0 nothing is remembered and [`Remembered::advance`]
//! does nothing. This module never evaluates predicates (it gets each record's
//! hits from the automaton) and never stores partials: it only appends what
//! the partials it is shown produce.

use crate::matcher::bounds;
use crate::matcher::evictions::Evictions;
use crate::matcher::hits::{compatible, key_compatible, merged, Hit, Key};
use crate::matcher::record::Rec;
use crate::matcher::shape::Shape;
use crate::matcher::skew::{self, Memo, Memory};
use crate::matcher::transition::{self, CountBefore, Produced, Take};
use crate::rule::ir::CompiledRule;

/// See the module docs.
pub(crate) struct Remembered {
    /// `order_tolerance` (0: order is never relaxed and `memory` stays empty).
    tolerance: i64,
    /// Per step: whether its records go to the skew memory.
    remember: Vec<bool>,
    memory: Memory,
}

impl Remembered {
    pub fn new(rule: &CompiledRule, shape: &Shape) -> Remembered {
        let tolerance = rule.order_tolerance.max(0);
        let remember = (0..rule.steps.len())
            .map(|step| {
                tolerance > 0
                    && !rule.steps[step].absent
                    && shape.first.is_some_and(|first| step > first)
            })
            .collect();
        Remembered {
            tolerance,
            remember,
            memory: Memory::default(),
        }
    }

    /// The rule's `order_tolerance` (never negative).
    pub fn tolerance(&self) -> i64 {
        self.tolerance
    }

    /// Whether the records of `step` go to the memory.
    pub fn remembers(&self, step: usize) -> bool {
        self.remember.get(step).copied().unwrap_or(false)
    }

    /// Forgets records too old for the timeline's `watermark`.
    pub fn prune(&mut self, watermark: i64) {
        self.memory.prune(watermark, self.tolerance);
    }

    /// Puts the record's hits on remembered steps into the memory; a record
    /// dropped to stay under the cap is counted in `evictions`.
    pub fn remember(
        &mut self,
        rec: &Rec<'_>,
        timestamp: i64,
        hits: Vec<Vec<Hit>>,
        evictions: &mut Evictions,
    ) {
        for (step, step_hits) in hits.into_iter().enumerate() {
            if step_hits.is_empty() || !self.remembers(step) {
                continue;
            }
            let memo = Memo {
                step,
                at: rec.at(),
                ts: timestamp,
                hits: step_hits,
            };
            if let Some(forgotten) = self.memory.push(memo) {
                let key = forgotten.hits.first().and_then(|hit| hit.key.clone());
                evictions.count(key, 1);
            }
        }
    }

    /// Advances the waiting partials in `out` with remembered records,
    /// appending what they produce; past [`skew::CASCADE_CAP`] results for
    /// one record, returns how many it dropped (and a key).
    pub fn advance(
        &self,
        rule: &CompiledRule,
        shape: &Shape,
        now: &Rec<'_>,
        out: &mut Vec<(CountBefore, Produced)>,
    ) -> Option<(Option<Key>, u32)> {
        if self.tolerance == 0 || self.memory.is_empty() {
            return None;
        }
        let (mut dropped, mut dropped_key) = (0u32, None);
        let mut index = 0;
        while let Some((_, produced)) = out.get(index) {
            index += 1;
            let Produced::Waiting(partial) = produced else {
                continue;
            };
            let stage = usize::from(partial.stage);
            // Only a step's first record may be a remembered one.
            if !self.remembers(stage) || partial.marks.get(stage).is_some_and(Option::is_some) {
                continue;
            }
            let guarded = shape
                .guards
                .get(stage)
                .is_some_and(|guards| !guards.is_empty());
            let partial = partial.clone();
            let mut more = Vec::new();
            for memo in self.memory.usable(stage, now.entry.wm, self.tolerance) {
                if partial.used.contains(&memo.at.pos) {
                    continue;
                }
                if out.len() + more.len() >= skew::CASCADE_CAP {
                    // Too many combinations for one record: dropped and counted.
                    dropped += 1;
                    dropped_key = partial.key.clone();
                    continue;
                }
                let uncertain = if guarded {
                    skew::may_follow_guarded(
                        &memo.at,
                        memo.ts,
                        partial.tail_source,
                        partial.last_ts,
                        self.tolerance,
                    )
                    .then_some(true)
                } else {
                    skew::may_follow(
                        &memo.at,
                        memo.ts,
                        partial.tail_pos,
                        partial.tail_source,
                        partial.last_ts,
                        self.tolerance,
                    )
                };
                let Some(uncertain) = uncertain else {
                    continue;
                };
                let Some(hit) = memo.hits.iter().find(|hit| {
                    key_compatible(&partial.key, &hit.key) && compatible(&partial.binds, &hit.binds)
                }) else {
                    continue;
                };
                let Some(mut checked) = bounds::check(rule, shape, &partial, stage, &memo.at)
                else {
                    continue;
                };
                checked.order_uncertain |= uncertain;
                let take = Take {
                    step: stage,
                    hit,
                    binds: merged(&partial.binds, &hit.binds),
                    record: &memo.at,
                    checked,
                };
                transition::produce(rule, shape, &partial, take, &mut more);
            }
            out.extend(more);
        }
        (dropped > 0).then_some((dropped_key, dropped))
    }
}
