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
//! Trailing absences live in [`crate::matcher::absence`]. This module never
//! reads text other than through predicates, and never stores it.

use std::collections::HashMap;

use crate::event::{EventRef, SourceId};
use crate::finding::Status;
use crate::matcher::absence::Pending;
use crate::matcher::hits::{self, compatible, merged, Hit, Key, Keying};
use crate::matcher::incidents::RawFinding;
use crate::matcher::kept::Kept;
use crate::matcher::partial::{Inserted, Mark, Partial, Place, StepMarks, Store, NO_DEADLINE};
use crate::matcher::plan::RulePlan;
use crate::matcher::skew::{self, At, Memo, Memory};
use crate::matcher::timeline::Entry;
use crate::matcher::trace::Trace;
use crate::rule::ir::{AfterMatch, Bindings, CompiledRule, Select};
use crate::rule::prefilter::Candidates;

/// One record as the automata see it (borrowed only while it is fed).
pub(crate) struct Rec<'a> {
    pub pos: u64,
    pub entry: Entry,
    /// The source's id (`SourceMeta::id`).
    pub id: SourceId,
    pub ev: EventRef<'a>,
}

impl Rec<'_> {
    pub fn at(&self) -> At {
        let e = self.ev.event;
        At {
            pos: self.pos,
            entry: self.entry,
            place: Place {
                id: self.id,
                seq: e.seq,
                span: e.span,
                naive: e.ts.is_some_and(|t| t.naive),
            },
        }
    }

    pub fn mark(&self, highlights: &[std::ops::Range<u32>]) -> Mark {
        self.at().mark(highlights)
    }
}

/// The static layout of a rule's steps.
#[derive(Debug)]
pub(crate) struct Shape {
    pub first: Option<usize>,
    /// Next positive step after `j`.
    pub next: Vec<Option<usize>>,
    /// Previous positive step before `j`.
    pub prev: Vec<Option<usize>>,
    /// For a positive step: the absent steps between the previous positive step and it.
    pub guards: Vec<Vec<usize>>,
    pub leading: Vec<usize>,
    pub trailing: Vec<usize>,
}

impl Shape {
    pub fn new(rule: &CompiledRule) -> Shape {
        let n = rule.steps.len();
        let positive: Vec<usize> = (0..n).filter(|&j| !rule.steps[j].absent).collect();
        let first = positive.first().copied();
        let last = positive.last().copied();
        let next = (0..n)
            .map(|j| positive.iter().copied().find(|&k| k > j))
            .collect();
        let prev = (0..n)
            .map(|j| positive.iter().rev().copied().find(|&k| k < j))
            .collect::<Vec<_>>();
        let guards = (0..n)
            .map(|j| match (rule.steps[j].absent, prev[j]) {
                (false, Some(p)) => (p + 1..j).collect(),
                _ => Vec::new(),
            })
            .collect();
        let leading = (0..first.unwrap_or(n)).collect();
        let trailing = match last {
            Some(l) => (l + 1..n).collect(),
            None => Vec::new(),
        };
        Shape {
            first,
            next,
            prev,
            guards,
            leading,
            trailing,
        }
    }
}

/// Memory caps (see [`crate::matcher::MatchLimits`]).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Caps {
    pub per_rule: usize,
}

/// The running state of one rule.
pub(crate) struct RuleRun {
    pub shape: Shape,
    pub store: Store,
    pub pendings: Vec<Pending>,
    /// No pending finding can be witnessed by a record at or before this time.
    pub next_witness: i64,
    /// Per absent step: which sources cover it (empty for positive steps).
    pub covering: Vec<Vec<bool>>,
    pub findings: Kept,
    pub evicted: HashMap<Option<Key>, u32>,
    pub evicted_total: u64,
    /// `order_tolerance` (0: order is never relaxed and `memory` stays empty).
    pub tolerance: i64,
    /// Per step: whether its records go to the skew memory.
    pub remember: Vec<bool>,
    pub memory: Memory,
    /// Every predicate of the rule's steps and `until`: a record that is a
    /// candidate for none of them only lets time pass.
    pub mask: Candidates,
    /// How far the rule got (observes only; see `trace`).
    pub trace: Trace,
}

/// Keys whose evictions are counted one by one (see `RuleRun::count_evicted`).
const MAX_EVICTED_KEYS: usize = 10_000;

enum Out {
    Wait(Partial),
    Complete(Partial),
}

/// Outcome of one time bound.
enum Bound {
    Ok,
    Unchecked,
    Reject,
}

/// `later <= base + add`, given `later`'s own timestamp and watermark.
fn upper(base: Option<i64>, add: i64, ts: Option<i64>, wm: Option<i64>) -> Bound {
    let Some(b) = base else {
        return Bound::Unchecked;
    };
    let bound = b.saturating_add(add);
    match (ts, wm) {
        (Some(t), _) if t <= bound => Bound::Ok,
        (Some(_), _) => Bound::Reject,
        (None, Some(w)) if w > bound => Bound::Reject,
        (None, _) => Bound::Unchecked,
    }
}

impl RuleRun {
    /// `counting`: count every step's matching records for `--explain` (see `trace`).
    pub fn new(rule: &CompiledRule, covering: Vec<Vec<bool>>, counting: bool) -> RuleRun {
        let shape = Shape::new(rule);
        let tolerance = rule.order_tolerance.max(0);
        let remember = (0..rule.steps.len())
            .map(|j| tolerance > 0 && !rule.steps[j].absent && shape.first.is_some_and(|f| j > f))
            .collect();
        let store = match (tolerance > 0, rule.select) {
            (true, Select::Latest) => Store::exact_latest(tolerance),
            (exact, _) => Store::new(exact),
        };
        let ids: Vec<u32> = rule
            .steps
            .iter()
            .flat_map(|s| &s.branches)
            .chain(&rule.until)
            .map(|b| b.pred.id)
            .collect();
        RuleRun {
            mask: Candidates::from_ids(&ids),
            shape,
            store,
            pendings: Vec::new(),
            next_witness: i64::MAX,
            covering,
            findings: Kept::default(),
            evicted: HashMap::new(),
            evicted_total: 0,
            tolerance,
            remember,
            memory: Memory::default(),
            trace: Trace::new(rule.steps.len(), counting),
        }
    }

    /// Whether step `j` must be evaluated for the automaton (as opposed to for counting).
    fn needed(&self, j: usize, live: bool, pending: bool, memorable: bool) -> bool {
        if self.shape.trailing.contains(&j) {
            pending
        } else {
            live || Some(j) == self.shape.first
                || (memorable && self.remember.get(j).copied().unwrap_or(false))
        }
    }

    /// Counts the record's matches per step, evaluating the steps the
    /// automaton skipped (their hits are used for counting only).
    fn count(
        &mut self,
        rule: &CompiledRule,
        plan: &RulePlan,
        rec: &Rec<'_>,
        cands: &Candidates,
        hits: &[Vec<Hit>],
        (live, pending, memorable): (bool, bool, bool),
    ) {
        for (j, step) in rule.steps.iter().enumerate() {
            match hits.get(j) {
                Some(h) if !h.is_empty() => self.trace.matched(j, rec, h),
                _ if self.needed(j, live, pending, memorable) => {}
                _ => {
                    let reading = plan.steps.get(j).map(Vec::as_slice).unwrap_or(&[]);
                    if reading.is_empty() {
                        continue;
                    }
                    let keying = if step.broadcast {
                        Keying::Broadcast
                    } else {
                        Keying::Step(step)
                    };
                    let h =
                        hits::eval_branches(rule, &step.branches, reading, keying, &rec.ev, cands);
                    self.trace.matched(j, rec, &h);
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
        cands: &Candidates,
        caps: Caps,
    ) {
        self.findings.compact_if_due(rule);
        if let Some(wm) = rec.entry.wm {
            self.store.expire(wm);
            self.memory.prune(wm, self.tolerance);
        }
        let pending = !self.pendings.is_empty();
        let live = self.store.live() > 0;
        if !live && !pending && !cands.intersects(&self.mask) {
            // Nothing open and no step can match: the record cannot change this rule.
            return;
        }
        let memorable = self.tolerance > 0 && rec.entry.ts.is_some();
        let hits: Vec<Vec<Hit>> = rule
            .steps
            .iter()
            .enumerate()
            .map(|(j, step)| {
                let needed = self.needed(j, live, pending, memorable);
                let reading = plan.steps.get(j).map(Vec::as_slice).unwrap_or(&[]);
                if !needed || reading.is_empty() {
                    return Vec::new();
                }
                let keying = if step.broadcast {
                    Keying::Broadcast
                } else {
                    Keying::Step(step)
                };
                hits::eval_branches(rule, &step.branches, reading, keying, &rec.ev, cands)
            })
            .collect();
        if self.trace.counting {
            self.count(rule, plan, rec, cands, &hits, (live, pending, memorable));
        }
        if pending {
            self.kill_pendings(rec, &hits);
            self.witness_pendings(rule, rec);
        }
        if live && !plan.until.is_empty() {
            let until = hits::eval_branches(
                rule,
                &rule.until,
                &plan.until,
                Keying::Until,
                &rec.ev,
                cands,
            );
            self.apply_until(&until);
        }
        if hits.iter().any(|h| !h.is_empty()) {
            self.advance(rule, rec, &hits, caps);
        }
        if let (true, Some(ts)) = (memorable, rec.entry.ts) {
            self.remember_hits(rec, ts, hits);
        }
    }

    /// Puts the record's hits on remembered steps into the skew memory.
    fn remember_hits(&mut self, rec: &Rec<'_>, ts: i64, hits: Vec<Vec<Hit>>) {
        for (j, step_hits) in hits.into_iter().enumerate() {
            if step_hits.is_empty() || !self.remember.get(j).copied().unwrap_or(false) {
                continue;
            }
            let memo = Memo {
                step: j,
                at: rec.at(),
                ts,
                hits: step_hits,
            };
            if let Some(old) = self.memory.push(memo) {
                let key = old.hits.first().and_then(|h| h.key.clone());
                self.count_evicted(key, 1);
            }
        }
    }

    /// Advances the waiting partials in `out` with remembered records,
    /// appending what they produce (see `skew`); past [`skew::CASCADE_CAP`]
    /// results for one record, returns how many it dropped (and a key).
    fn advance_remembered(
        &self,
        rule: &CompiledRule,
        now: &Rec<'_>,
        out: &mut Vec<(u32, Out)>,
    ) -> Option<(Option<Key>, u32)> {
        if self.tolerance == 0 || self.memory.is_empty() {
            return None;
        }
        let (mut dropped, mut dropped_key) = (0u32, None);
        let mut i = 0;
        while let Some((_, o)) = out.get(i) {
            i += 1;
            let Out::Wait(p) = o else {
                continue;
            };
            let j = usize::from(p.stage);
            // Only a step's first record may be a remembered one.
            if !self.remember.get(j).copied().unwrap_or(false)
                || p.marks.get(j).is_some_and(Option::is_some)
            {
                continue;
            }
            let guarded = self.shape.guards.get(j).is_some_and(|g| !g.is_empty());
            let p = p.clone();
            let mut produced = Vec::new();
            for m in self.memory.usable(j, now.entry.wm, self.tolerance) {
                if p.used.contains(&m.at.pos) {
                    continue;
                }
                if out.len() + produced.len() >= skew::CASCADE_CAP {
                    // Too many combinations for one record: dropped and counted.
                    dropped += 1;
                    dropped_key = p.key.clone();
                    continue;
                }
                let uncertain = if guarded {
                    skew::may_follow_guarded(&m.at, m.ts, p.tail_source, p.last_ts, self.tolerance)
                        .then_some(true)
                } else {
                    skew::may_follow(
                        &m.at,
                        m.ts,
                        p.tail_pos,
                        p.tail_source,
                        p.last_ts,
                        self.tolerance,
                    )
                };
                let Some(uncertain) = uncertain else {
                    continue;
                };
                let Some(h) = m
                    .hits
                    .iter()
                    .find(|h| key_compatible(&p.key, &h.key) && compatible(&p.binds, &h.binds))
                else {
                    continue;
                };
                let Some((unchecked, unc)) = self.check(rule, &p, j, &m.at) else {
                    continue;
                };
                let binds = merged(&p.binds, &h.binds);
                self.produce(
                    rule,
                    &p,
                    j,
                    h,
                    binds,
                    &m.at,
                    (unchecked, unc || uncertain),
                    &mut produced,
                );
            }
            out.extend(produced);
        }
        (dropped > 0).then_some((dropped_key, dropped))
    }

    fn apply_until(&mut self, until: &[Hit]) {
        for h in until {
            let slots = match &h.key {
                Some(k) => self.store.slots_of(Some(&Some(k.clone()))),
                None => self.store.slots_of(None),
            };
            for slot in slots {
                if self
                    .store
                    .get(slot)
                    .is_some_and(|p| compatible(&p.binds, &h.binds))
                {
                    self.store.remove(slot);
                }
            }
        }
    }

    /// Slots of partials a hit may concern.
    /// Slots of the partials at `stage` that `hit` may advance (or kill): its
    /// key's and the keyless ones (every key's for a broadcast hit).
    fn candidates(&self, hit: &Hit, stage: usize) -> Vec<u32> {
        let stage = stage as u16;
        match &hit.key {
            Some(k) => self
                .store
                .slots_at(&Some(k.clone()), stage)
                .chain(self.store.slots_at(&None, stage))
                .collect(),
            None => self.store.slots_at_stage(stage).collect(),
        }
    }

    fn advance(&mut self, rule: &CompiledRule, rec: &Rec<'_>, hits: &[Vec<Hit>], caps: Caps) {
        let mut out: Vec<(u32, Out)> = Vec::new();
        for (j, step_hits) in hits.iter().enumerate() {
            if step_hits.is_empty() || rule.steps[j].absent {
                continue;
            }
            if Some(j) == self.shape.first {
                if let Some(h) = step_hits.first() {
                    let p0 = Partial {
                        key: h.key.clone(),
                        stage: j as u16,
                        count: 0,
                        binds: Bindings::default(),
                        marks: vec![None; rule.steps.len()],
                        first_pos: rec.pos,
                        first_ts: rec.entry.ts,
                        last_pos: rec.pos,
                        last_ts: rec.entry.ts,
                        tail_pos: rec.pos,
                        tail_source: rec.entry.source,
                        used: Vec::new(),
                        unchecked: 0,
                        order_uncertain: false,
                        deadline: NO_DEADLINE,
                        born_wm: i64::MIN,
                    };
                    self.produce(
                        rule,
                        &p0,
                        j,
                        h,
                        h.binds.clone(),
                        &rec.at(),
                        (0, false),
                        &mut out,
                    );
                }
            }
            let mut slots: Vec<u32> = step_hits
                .iter()
                .flat_map(|h| self.candidates(h, j))
                .collect();
            slots.sort_unstable();
            slots.dedup();
            for slot in slots {
                let Some(p) = self.store.get(slot) else {
                    continue;
                };
                if usize::from(p.stage) != j {
                    continue;
                }
                let Some(h) = step_hits
                    .iter()
                    .find(|h| key_compatible(&p.key, &h.key) && compatible(&p.binds, &h.binds))
                else {
                    continue;
                };
                let Some(checked) = self.check(rule, p, j, &rec.at()) else {
                    continue;
                };
                let binds = merged(&p.binds, &h.binds);
                let p = p.clone();
                self.produce(rule, &p, j, h, binds, &rec.at(), checked, &mut out);
            }
        }
        if let Some((key, n)) = self.advance_remembered(rule, rec, &mut out) {
            self.count_evicted(key, n);
        }
        self.kill_guarded(rec, hits);
        for (_, o) in &out {
            let (Out::Wait(q) | Out::Complete(q)) = o;
            self.trace.bound(&q.marks);
        }
        // Lower origin counts (later windows) are inserted last so they win.
        out.sort_by_key(|(origin, _)| std::cmp::Reverse(*origin));
        let replace = rule.select == Select::Latest;
        let mut completed = Vec::new();
        for (_, o) in out {
            match o {
                Out::Wait(mut q) => {
                    q.born_wm = rec.entry.wm.unwrap_or(i64::MIN);
                    if self.store.insert(q, replace) == Inserted::New {
                        while self.store.live() > caps.per_rule && self.evict_one() {}
                    }
                }
                Out::Complete(q) => completed.push(q),
            }
        }
        if self.store.exact {
            self.prefer(rule, &mut completed);
        }
        for q in completed {
            if rule.after_match == AfterMatch::SkipPastLast
                && self
                    .findings
                    .raws
                    .iter()
                    .rev()
                    .take_while(|f| f.last_pos == rec.pos)
                    .any(|f| f.key == q.key)
            {
                continue;
            }
            if self.shape.trailing.is_empty() {
                let status = if self.shape.leading.is_empty() {
                    Status::Confirmed
                } else {
                    Status::Partial
                };
                self.emit(rule, RawFinding::new(q, status, Vec::new()));
            } else {
                self.open_pending(rule, q);
            }
        }
    }

    /// An exact store keeps partials `select` would have merged: of the
    /// completions at one record, keep the one `select` prefers per key and
    /// bindings (the latest or earliest start), as the merging would have. With
    /// trailing absences all are kept (their windows differ).
    fn prefer(&self, rule: &CompiledRule, completed: &mut Vec<Partial>) {
        match rule.select {
            Select::Latest => completed.sort_by_key(|q| std::cmp::Reverse(q.first_pos)),
            _ => completed.sort_by_key(|q| q.first_pos),
        }
        if !self.shape.trailing.is_empty() {
            return;
        }
        let mut seen: Vec<(Option<Key>, Bindings)> = Vec::new();
        completed.retain(|q| {
            let mut b = q.binds.clone();
            b.0.sort();
            let id = (q.key.clone(), b);
            if seen.contains(&id) {
                return false;
            }
            seen.push(id);
            true
        });
    }

    /// Counts `n` evictions of `key`: in all, and per key for the first
    /// [`MAX_EVICTED_KEYS`] keys (a map over every key ever evicted would grow
    /// with the input on a log that opens a partial for every line).
    fn count_evicted(&mut self, key: Option<Key>, n: u32) {
        self.evicted_total += u64::from(n);
        if let Some(c) = self.evicted.get_mut(&key) {
            *c += n;
        } else if self.evicted.len() < MAX_EVICTED_KEYS {
            self.evicted.insert(key, n);
        }
    }

    /// Evicts the partial closest to its deadline and counts it.
    pub fn evict_one(&mut self) -> bool {
        match self.store.evict_one() {
            Some(p) => {
                self.count_evicted(p.key, 1);
                true
            }
            None => false,
        }
    }

    /// Mid-sequence absences: kill partials waiting behind a guard the record matches.
    fn kill_guarded(&mut self, rec: &Rec<'_>, hits: &[Vec<Hit>]) {
        let mut kills = Vec::new();
        for (k, guards) in self.shape.guards.iter().enumerate() {
            for &a in guards {
                for h in hits.get(a).map(Vec::as_slice).unwrap_or(&[]) {
                    for slot in self.candidates(h, k) {
                        let Some(p) = self.store.get(slot) else {
                            continue;
                        };
                        if usize::from(p.stage) == k
                            && p.count == 0
                            && key_compatible(&p.key, &h.key)
                            && compatible(&p.binds, &h.binds)
                        {
                            kills.push((slot, a));
                        }
                    }
                }
            }
        }
        if let Some(&(_, a)) = kills.first() {
            self.trace.killed(a, rec);
        }
        let mut slots: Vec<u32> = kills.into_iter().map(|(slot, _)| slot).collect();
        self.store.oldest_first(&mut slots);
        for slot in slots {
            self.store.remove(slot);
        }
    }

    /// Time bounds for `p` taking `rec` at step `j`: `None` when violated, else
    /// (unchecked bounds, order relied on the tolerance).
    fn check(&self, rule: &CompiledRule, p: &Partial, j: usize, rec: &At) -> Option<(u32, bool)> {
        let (ts, wm) = (rec.entry.ts, rec.entry.wm);
        let mut unchecked = 0;
        let mut uncertain = false;
        let mut apply = |b: Bound| match b {
            Bound::Ok => Some(()),
            Bound::Unchecked => {
                unchecked += 1;
                Some(())
            }
            Bound::Reject => None,
        };
        if let Some(ms) = rule.maxspan {
            apply(upper(p.first_ts, ms, ts, wm))?;
        }
        if let Some(g) = rule.max_gap {
            apply(upper(p.last_ts, g, ts, wm))?;
        }
        if let Some(w) = rule.steps[j].within {
            if let Some(anchor) = self.anchor(rule, p, j) {
                apply(upper(anchor.ts, w, ts, wm))?;
                if let (Some(a), Some(t)) = (anchor.ts, ts) {
                    if t < a.saturating_sub(rule.order_tolerance) {
                        return None;
                    }
                    uncertain = t < a;
                }
            }
        }
        Some((unchecked, uncertain))
    }

    /// The record step `j`'s `within` is measured from.
    fn anchor<'p>(&self, rule: &CompiledRule, p: &'p Partial, j: usize) -> Option<&'p Mark> {
        let k = rule.steps[j]
            .after
            .filter(|&k| k < j && !rule.steps[k].absent)
            .or(self.shape.prev.get(j).copied().flatten())?;
        p.marks.get(k)?.as_ref().map(|m| &m.last)
    }

    /// The latest time the next record of `p` (waiting at its stage) may have.
    fn deadline(&self, rule: &CompiledRule, p: &Partial) -> i64 {
        let mut d = NO_DEADLINE;
        let mut cap = |base: Option<i64>, add: Option<i64>| {
            if let (Some(b), Some(a)) = (base, add) {
                d = d.min(b.saturating_add(a));
            }
        };
        cap(p.first_ts, rule.maxspan);
        cap(p.last_ts, rule.max_gap);
        let j = usize::from(p.stage);
        if let Some(step) = rule.steps.get(j) {
            cap(self.anchor(rule, p, j).and_then(|m| m.ts), step.within);
        }
        d
    }

    /// `base` takes `rec` at step `j` (binds already merged): the resulting partials.
    #[allow(clippy::too_many_arguments)]
    fn produce(
        &self,
        rule: &CompiledRule,
        base: &Partial,
        j: usize,
        h: &Hit,
        binds: Bindings,
        rec: &At,
        (unchecked, uncertain): (u32, bool),
        out: &mut Vec<(u32, Out)>,
    ) {
        let step = &rule.steps[j];
        let fresh = base.marks.iter().all(Option::is_none);
        let mut q = base.clone();
        q.binds = binds;
        q.unchecked += unchecked;
        q.order_uncertain |= uncertain;
        if q.key.is_none() {
            q.key = h.key.clone();
        }
        let mark = rec.mark(&h.highlights);
        match q.marks.get_mut(j) {
            Some(Some(m)) => {
                m.last = mark;
                m.count += 1;
            }
            Some(slot) => {
                *slot = Some(StepMarks {
                    first: mark.clone(),
                    last: mark,
                    count: 1,
                })
            }
            None => return,
        }
        if fresh {
            q.first_pos = rec.pos;
            q.first_ts = rec.entry.ts;
            q.last_pos = rec.pos;
        }
        q.last_pos = q.last_pos.max(rec.pos);
        q.last_ts = rec.entry.ts;
        q.tail_pos = rec.pos;
        q.tail_source = rec.entry.source;
        if self.tolerance > 0 {
            q.used.push(rec.pos);
        }
        let (origin, done) = match step.count {
            Some(count) => {
                let min = count.min.max(1);
                let cap = count.max.map_or(min, |m| m.max(min));
                let c = if usize::from(base.stage) == j {
                    base.count
                } else {
                    0
                };
                if count.max.is_some() && c >= cap {
                    return;
                }
                let n = (c + 1).min(cap);
                q.count = n;
                if count.max.is_none() || n < cap {
                    let mut acc = q.clone();
                    acc.stage = j as u16;
                    acc.deadline = self.deadline(rule, &acc);
                    out.push((c, Out::Wait(acc)));
                }
                (c, c + 1 >= min)
            }
            None => (0, true),
        };
        if !done {
            return;
        }
        q.count = 0;
        match self.shape.next.get(j).copied().flatten() {
            Some(k) => {
                q.stage = k as u16;
                q.deadline = self.deadline(rule, &q);
                out.push((origin, Out::Wait(q)));
            }
            None => out.push((origin, Out::Complete(q))),
        }
    }

    /// Records a finding and applies the after-match policy.
    pub fn emit(&mut self, rule: &CompiledRule, f: RawFinding) {
        if rule.after_match == AfterMatch::SkipPastLast {
            let key = f.key.clone();
            for slot in self.store.slots_of(Some(&key)) {
                if self
                    .store
                    .get(slot)
                    .is_some_and(|p| p.first_pos <= f.last_pos)
                {
                    self.store.remove(slot);
                }
            }
            self.pendings
                .retain(|pd| !(pd.p.key == key && pd.p.first_pos <= f.last_pos));
        }
        self.findings.push(f);
    }
}

/// A broadcast hit (no key) or a keyless partial fits any key.
pub(crate) fn key_compatible(p: &Option<Key>, h: &Option<Key>) -> bool {
    match (p, h) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    }
}
