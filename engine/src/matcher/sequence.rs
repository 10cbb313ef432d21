//! One rule's sequence automaton: records in, partial transitions and findings out.
//!
//! Semantics (rule-language-study §4.2-§4.6, §4.9):
//! - Skip-till-next-match: a partial waiting at step `j` advances on the first
//!   later record that matches `j` with its key, unifies with its bindings and
//!   meets its time bounds. The partial also stays where it was (a later record
//!   may advance it again); the state identity `(key, stage, count, bindings)`
//!   holds one partial, the newest under `select: latest` (which dominates the
//!   older one for every monotone constraint, so no match is lost).
//! - Time bounds, all inclusive and checked on the records' own timestamps:
//!   every positive record within `maxspan` of the first, within `max_gap` of the
//!   previous positive record, and within the step's `within` of its anchor (the
//!   `after:` step's last record, else the previous positive step's last). A
//!   bound that cannot be checked because a record has no timestamp never
//!   rejects: it is counted in `unchecked_time`, unless the timeline watermark
//!   (a lower bound of the record's time) already proves the bound exceeded.
//! - `count: {min, max}` steps keep, per identity, one partial per accumulated
//!   count (a sliding window over the latest matching records, capped at `max`,
//!   or at `min` without a max), so the count step never loses a match to
//!   greedy accumulation; each accumulation that reaches `min` offers the
//!   partial to the next step. The evidence count is the number of records in
//!   the kept window, first and last in full.
//! - Mid-sequence absent steps guard the partial waiting for the next positive
//!   step: a matching record with the same key and unifiable bindings kills it
//!   (for a `count` step before the gap, the gap starts at its last record). A
//!   mid absence's `within` is not used.
//! - `until` kills, at every stage, the partials of the key it names (every key
//!   when the record names none) whose bindings unify with it. It does not touch
//!   pending trailing-absence findings: their positive steps are complete, and a
//!   completed sequence stays a match (EQL).
//! - Broadcast steps (`key: none`) advance the partials of every key.
//! - With `order_tolerance`, a partial reaching a stage also takes the records
//!   the skew memory holds for it (`skew`), as if they arrived now (behind a
//!   mid-sequence absence only records strictly before the tail, across the
//!   tolerance, where the absence is vacuously satisfied); partials
//!   then share an identity only when equal in every time and tail source.
//! - After a finding, `after_match: skip_past_last` drops the rule's partials
//!   and pending findings of the same key that started at or before its last
//!   record (Flink `SKIP_PAST_LAST_EVENT`: no two findings of a key share a record).
//!
//! [`RuleRun`] is composed of parts that each own their state behind a small
//! API and never import this file: the static layout (`shape`), the store of
//! partials (`partial`), the trailing absences and their pending findings
//! (`absence`), the kept findings (`kept`), the eviction counts
//! (`evictions`), the skew memory (`remembered`) and the why-not trace
//! (`trace`); time bounds are `bounds` and one transition is `transition`.
//! This file routes a record's hits between them and applies the
//! after-match policy. It never reads text other than through predicates,
//! and never stores it.

use crate::finding::Status;
use crate::matcher::absence::Absences;
use crate::matcher::bounds;
use crate::matcher::evictions::Evictions;
use crate::matcher::hits::{self, compatible, key_compatible, merged, Hit, Key, Keying};
use crate::matcher::incidents::RawFinding;
use crate::matcher::kept::Kept;
use crate::matcher::partial::{Inserted, Partial, Store};
use crate::matcher::plan::RulePlan;
use crate::matcher::record::Rec;
use crate::matcher::remembered::Remembered;
use crate::matcher::shape::Shape;
use crate::matcher::trace::Trace;
use crate::matcher::transition::{self, CountBefore, Produced, Take};
use crate::rule::ir::{AfterMatch, Bindings, CompiledRule, Select, Step};
use crate::rule::prefilter::Candidates;

/// Memory caps (see [`crate::matcher::MatchLimits`]).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Caps {
    pub per_rule: usize,
}

/// The running state of one rule (see the module docs for its parts).
pub(crate) struct RuleRun {
    shape: Shape,
    store: Store,
    absences: Absences,
    findings: Kept,
    evictions: Evictions,
    remembered: Remembered,
    /// Every predicate of the rule's steps and `until`: a record that is a
    /// candidate for none of them only lets time pass.
    mask: Candidates,
    /// How far the rule got (observes only; see `trace`).
    trace: Trace,
}

/// What a finished run hands to the output (`output::assemble`).
pub(crate) struct RunParts {
    pub findings: Kept,
    pub evictions: Evictions,
    pub trace: Trace,
}

/// What a rule has open when a record arrives: it decides which steps must
/// be evaluated for the automaton.
#[derive(Clone, Copy)]
struct Open {
    /// Some partial is stored.
    partials: bool,
    /// Some finding waits for its trailing absences.
    pendings: bool,
    /// The record may go to the skew memory (a tolerance and a timestamp).
    memorable: bool,
}

/// How step `step`'s hits are keyed.
fn keying(step: &Step) -> Keying<'_> {
    if step.broadcast {
        Keying::Broadcast
    } else {
        Keying::Step(step)
    }
}

impl RuleRun {
    /// `covering`: per absent step, which sources cover it; `counting`:
    /// count every step's matching records for `--explain` (see `trace`).
    pub fn new(rule: &CompiledRule, covering: Vec<Vec<bool>>, counting: bool) -> RuleRun {
        let shape = Shape::new(rule);
        let remembered = Remembered::new(rule, &shape);
        let store = match (remembered.tolerance() > 0, rule.select) {
            (true, Select::Latest) => Store::exact_latest(remembered.tolerance()),
            (exact, _) => Store::new(exact),
        };
        let predicate_ids: Vec<u32> = rule
            .steps
            .iter()
            .flat_map(|step| &step.branches)
            .chain(&rule.until)
            .map(|branch| branch.pred.id)
            .collect();
        RuleRun {
            mask: Candidates::from_ids(&predicate_ids),
            absences: Absences::new(rule, &shape, covering),
            shape,
            store,
            findings: Kept::default(),
            evictions: Evictions::default(),
            remembered,
            trace: Trace::new(rule.steps.len(), counting),
        }
    }

    /// Live partials of this rule.
    pub fn live_partials(&self) -> usize {
        self.store.live()
    }

    /// The deadline of the partial closest to it (see [`Store::earliest`]).
    pub fn earliest_deadline(&mut self) -> Option<i64> {
        self.store.earliest()
    }

    /// The parts the output is built from.
    pub fn into_parts(self) -> RunParts {
        RunParts {
            findings: self.findings,
            evictions: self.evictions,
            trace: self.trace,
        }
    }

    /// Whether `step` must be evaluated for the automaton (as opposed to for counting).
    fn needed(&self, step: usize, open: Open) -> bool {
        if self.shape.trailing.contains(&step) {
            open.pendings
        } else {
            open.partials
                || Some(step) == self.shape.first
                || (open.memorable && self.remembered.remembers(step))
        }
    }

    /// Counts the record's matches per step, evaluating the steps the
    /// automaton skipped (their hits are used for counting only).
    fn count(
        &mut self,
        rule: &CompiledRule,
        plan: &RulePlan,
        rec: &Rec<'_>,
        candidates: &Candidates,
        hits: &[Vec<Hit>],
        open: Open,
    ) {
        for (step_index, step) in rule.steps.iter().enumerate() {
            match hits.get(step_index) {
                Some(step_hits) if !step_hits.is_empty() => {
                    self.trace.matched(step_index, rec, step_hits)
                }
                _ if self.needed(step_index, open) => {}
                _ => {
                    let reading = plan.steps.get(step_index).map(Vec::as_slice).unwrap_or(&[]);
                    if reading.is_empty() {
                        continue;
                    }
                    let step_hits = hits::eval_branches(
                        rule,
                        &step.branches,
                        reading,
                        keying(step),
                        &rec.ev,
                        candidates,
                    );
                    self.trace.matched(step_index, rec, &step_hits);
                }
            }
        }
    }

    /// Feeds one record (in timeline order).
    pub fn on_record(
        &mut self,
        rule: &CompiledRule,
        plan: &RulePlan,
        rec: &Rec<'_>,
        candidates: &Candidates,
        caps: Caps,
    ) {
        self.findings.compact_if_due(rule);
        if let Some(watermark) = rec.entry.wm {
            self.store.expire(watermark);
            self.remembered.prune(watermark);
        }
        let open = Open {
            partials: self.store.live() > 0,
            pendings: !self.absences.is_empty(),
            memorable: self.remembered.tolerance() > 0 && rec.entry.ts.is_some(),
        };
        if !open.partials && !open.pendings && !candidates.intersects(&self.mask) {
            // Nothing open and no step can match: the record cannot change this rule.
            return;
        }
        let hits: Vec<Vec<Hit>> = rule
            .steps
            .iter()
            .enumerate()
            .map(|(step_index, step)| {
                let reading = plan.steps.get(step_index).map(Vec::as_slice).unwrap_or(&[]);
                if !self.needed(step_index, open) || reading.is_empty() {
                    return Vec::new();
                }
                hits::eval_branches(
                    rule,
                    &step.branches,
                    reading,
                    keying(step),
                    &rec.ev,
                    candidates,
                )
            })
            .collect();
        if self.trace.counting() {
            self.count(rule, plan, rec, candidates, &hits, open);
        }
        if open.pendings {
            if let Some(killer) = self.absences.kill(rec, &hits) {
                self.trace.killed(killer, rec);
            }
            self.witness_pendings(rule, rec);
        }
        if open.partials && !plan.until.is_empty() {
            let until = hits::eval_branches(
                rule,
                &rule.until,
                &plan.until,
                Keying::Until,
                &rec.ev,
                candidates,
            );
            self.apply_until(&until);
        }
        if hits.iter().any(|step_hits| !step_hits.is_empty()) {
            self.advance(rule, rec, &hits, caps);
        }
        if let (true, Some(timestamp)) = (open.memorable, rec.entry.ts) {
            self.remembered
                .remember(rec, timestamp, hits, &mut self.evictions);
        }
    }

    /// Emits the pending findings the record proved (oldest first; an
    /// emitted finding may drop later ones of its key).
    fn witness_pendings(&mut self, rule: &CompiledRule, rec: &Rec<'_>) {
        for pending in self.absences.witness(rec) {
            if self.skipped(rule, pending.key(), pending.first_pos()) {
                continue;
            }
            if let Some(finding) = self.absences.resolve(rule, pending, false) {
                self.emit(rule, finding);
            }
        }
    }

    /// Resolves every pending finding at the end of input.
    pub fn finish_pendings(&mut self, rule: &CompiledRule) {
        for pending in self.absences.take_all() {
            // An earlier pending of the same key may have dropped this one.
            if self.skipped(rule, pending.key(), pending.first_pos()) {
                continue;
            }
            if let Some(finding) = self.absences.resolve(rule, pending, true) {
                self.emit(rule, finding);
            }
        }
    }

    /// Whether `after_match: skip_past_last` drops a match of `key` starting
    /// at `first_pos` (a kept finding of the key ends at or after it).
    fn skipped(&self, rule: &CompiledRule, key: &Option<Key>, first_pos: u64) -> bool {
        rule.after_match == AfterMatch::SkipPastLast && self.findings.covers(key, first_pos)
    }

    /// `until`: kills the partials of the hit's key (every key's for a
    /// keyless hit) whose bindings unify with it.
    fn apply_until(&mut self, until: &[Hit]) {
        for hit in until {
            let slots = match &hit.key {
                Some(key) => self.store.slots_of(Some(&Some(key.clone()))),
                None => self.store.slots_of(None),
            };
            for slot in slots {
                if self
                    .store
                    .get(slot)
                    .is_some_and(|partial| compatible(&partial.binds, &hit.binds))
                {
                    self.store.remove(slot);
                }
            }
        }
    }

    /// Slots of the partials at `stage` that `hit` may advance (or kill): its
    /// key's and the keyless ones (every key's for a broadcast hit).
    fn slots_for(&self, hit: &Hit, stage: usize) -> Vec<u32> {
        let stage = stage as u16;
        match &hit.key {
            Some(key) => self
                .store
                .slots_at(&Some(key.clone()), stage)
                .chain(self.store.slots_at(&None, stage))
                .collect(),
            None => self.store.slots_at_stage(stage).collect(),
        }
    }

    /// The partials the record's hits start or advance, before they are stored.
    fn transitions(
        &self,
        rule: &CompiledRule,
        rec: &Rec<'_>,
        hits: &[Vec<Hit>],
    ) -> Vec<(CountBefore, Produced)> {
        let record = rec.at();
        let mut produced: Vec<(CountBefore, Produced)> = Vec::new();
        for (step_index, step_hits) in hits.iter().enumerate() {
            if step_hits.is_empty() || rule.steps[step_index].absent {
                continue;
            }
            if Some(step_index) == self.shape.first {
                if let Some(hit) = step_hits.first() {
                    let start = transition::start(rule, step_index, &record, hit.key.clone());
                    let take = Take {
                        step: step_index,
                        hit,
                        binds: hit.binds.clone(),
                        record: &record,
                        checked: bounds::Checked::default(),
                    };
                    transition::produce(rule, &self.shape, &start, take, &mut produced);
                }
            }
            let mut slots: Vec<u32> = step_hits
                .iter()
                .flat_map(|hit| self.slots_for(hit, step_index))
                .collect();
            slots.sort_unstable();
            slots.dedup();
            for slot in slots {
                let Some(partial) = self.store.get(slot) else {
                    continue;
                };
                if usize::from(partial.stage) != step_index {
                    continue;
                }
                let Some(hit) = step_hits.iter().find(|hit| {
                    key_compatible(&partial.key, &hit.key) && compatible(&partial.binds, &hit.binds)
                }) else {
                    continue;
                };
                let Some(checked) = bounds::check(rule, &self.shape, partial, step_index, &record)
                else {
                    continue;
                };
                let take = Take {
                    step: step_index,
                    hit,
                    binds: merged(&partial.binds, &hit.binds),
                    record: &record,
                    checked,
                };
                transition::produce(rule, &self.shape, partial, take, &mut produced);
            }
        }
        produced
    }

    fn advance(&mut self, rule: &CompiledRule, rec: &Rec<'_>, hits: &[Vec<Hit>], caps: Caps) {
        let mut produced = self.transitions(rule, rec, hits);
        if let Some((key, dropped)) = self
            .remembered
            .advance(rule, &self.shape, rec, &mut produced)
        {
            self.evictions.count(key, dropped);
        }
        self.kill_guarded(rec, hits);
        for (_, result) in &produced {
            self.trace.bound(&result.partial().marks);
        }
        // Lower counts before (later windows) are inserted last so they win.
        produced.sort_by_key(|(count_before, _)| std::cmp::Reverse(*count_before));
        let replace = rule.select == Select::Latest;
        let mut completed = Vec::new();
        for (_, result) in produced {
            match result {
                Produced::Waiting(mut partial) => {
                    partial.born_wm = rec.entry.wm.unwrap_or(i64::MIN);
                    if self.store.insert(partial, replace) == Inserted::New {
                        while self.store.live() > caps.per_rule && self.evict_one() {}
                    }
                }
                Produced::Complete(partial) => completed.push(partial),
            }
        }
        if self.store.exact {
            self.prefer(rule, &mut completed);
        }
        for partial in completed {
            if rule.after_match == AfterMatch::SkipPastLast
                && self.findings.completed_at(rec.pos, &partial.key)
            {
                continue;
            }
            if self.shape.trailing.is_empty() {
                let status = if self.shape.leading.is_empty() {
                    Status::Confirmed
                } else {
                    Status::Partial
                };
                self.emit(rule, RawFinding::new(partial, status, Vec::new()));
            } else if let Some(finding) = self.absences.open(rule, partial) {
                self.emit(rule, finding);
            }
        }
    }

    /// An exact store keeps partials `select` would have merged: of the
    /// completions at one record, keep the one `select` prefers per key and
    /// bindings (the latest or earliest start), as the merging would have. With
    /// trailing absences all are kept (their windows differ).
    fn prefer(&self, rule: &CompiledRule, completed: &mut Vec<Partial>) {
        match rule.select {
            Select::Latest => completed.sort_by_key(|partial| std::cmp::Reverse(partial.first_pos)),
            _ => completed.sort_by_key(|partial| partial.first_pos),
        }
        if !self.shape.trailing.is_empty() {
            return;
        }
        let mut seen: Vec<(Option<Key>, Bindings)> = Vec::new();
        completed.retain(|partial| {
            let mut binds = partial.binds.clone();
            binds.0.sort();
            let identity = (partial.key.clone(), binds);
            if seen.contains(&identity) {
                return false;
            }
            seen.push(identity);
            true
        });
    }

    /// Evicts the partial closest to its deadline and counts it.
    pub fn evict_one(&mut self) -> bool {
        match self.store.evict_one() {
            Some(partial) => {
                self.evictions.count(partial.key, 1);
                true
            }
            None => false,
        }
    }

    /// Mid-sequence absences: kill partials waiting behind a guard the record matches.
    fn kill_guarded(&mut self, rec: &Rec<'_>, hits: &[Vec<Hit>]) {
        let mut kills = Vec::new();
        for (guarded_step, guards) in self.shape.guards.iter().enumerate() {
            for &absent_step in guards {
                for hit in hits.get(absent_step).map(Vec::as_slice).unwrap_or(&[]) {
                    for slot in self.slots_for(hit, guarded_step) {
                        let Some(partial) = self.store.get(slot) else {
                            continue;
                        };
                        if usize::from(partial.stage) == guarded_step
                            && partial.count == 0
                            && key_compatible(&partial.key, &hit.key)
                            && compatible(&partial.binds, &hit.binds)
                        {
                            kills.push((slot, absent_step));
                        }
                    }
                }
            }
        }
        if let Some(&(_, absent_step)) = kills.first() {
            self.trace.killed(absent_step, rec);
        }
        let mut slots: Vec<u32> = kills.into_iter().map(|(slot, _)| slot).collect();
        self.store.oldest_first(&mut slots);
        for slot in slots {
            self.store.remove(slot);
        }
    }

    /// Records a finding and applies the after-match policy.
    fn emit(&mut self, rule: &CompiledRule, finding: RawFinding) {
        if rule.after_match == AfterMatch::SkipPastLast {
            let key = finding.key.clone();
            for slot in self.store.slots_of(Some(&key)) {
                if self
                    .store
                    .get(slot)
                    .is_some_and(|partial| partial.first_pos <= finding.last_pos)
                {
                    self.store.remove(slot);
                }
            }
            self.absences.drop_overlapping(&key, finding.last_pos);
        }
        self.findings.push(finding);
    }
}
