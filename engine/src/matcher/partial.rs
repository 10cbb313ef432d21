//! Partial matches and their store: one slot per state identity, a deadline heap.
//!
//! A [`Partial`] is an in-flight sequence: which step it waits for (`stage`),
//! how many records it accumulated there (`count`, for `count:` steps), its
//! bindings and, per positive step, the first and last bound record as
//! [`Mark`]s (timeline position, source, seq, span, timestamp, highlight
//! ranges: numbers and offsets, never text nor references into segments).
//!
//! The [`Store`] keeps at most one partial per identity `(key, stage, count,
//! which bound records have timestamps, bindings)` (`select: latest` replaces the incumbent, `earliest` keeps it),
//! in a slab with a free list. Every partial is in a min-heap by deadline (the
//! latest time its next record may have): event time expires it, and caps evict
//! the one closest to its deadline. Heap entries are invalidated lazily by a
//! version number and the heap is rebuilt when stale entries dominate. Keys with
//! nothing in flight are removed at once. This module knows nothing of rules.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::ops::Range;

use crate::event::{SourceId, Span, Timestamp};
use crate::finding::RecordLoc;
use crate::matcher::hits::Key;
use crate::rule::ir::Bindings;

/// "No deadline": never expires by time.
pub(crate) const NO_DEADLINE: i64 = i64::MAX;

/// Where a record lies, as its evidence names it: taken when the record is
/// bound, so a finding never looks back into the (long dropped) events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Place {
    /// The source's id (`SourceMeta::id`).
    pub id: SourceId,
    pub seq: u32,
    pub span: Span,
    /// The timestamp had no UTC offset.
    pub naive: bool,
}

/// A record bound by a step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Mark {
    /// Position in the timeline.
    pub pos: u64,
    /// Index of the source in the timeline.
    pub source: u32,
    /// The record's own timestamp.
    pub ts: Option<i64>,
    pub place: Place,
    /// Matched parts, relative to the start of the record's text.
    pub highlights: Box<[Range<u32>]>,
}

impl Mark {
    /// The evidence location of the bound record (everything was taken at bind time).
    pub fn loc(&self) -> RecordLoc {
        RecordLoc {
            source: self.place.id,
            seq: self.place.seq,
            span: self.place.span,
            ts: self.ts.map(|ms| Timestamp {
                ms,
                naive: self.place.naive,
            }),
            highlights: self.highlights.to_vec(),
        }
    }
}

/// The records bound to one positive step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct StepMarks {
    pub first: Mark,
    pub last: Mark,
    pub count: u32,
}

/// An in-flight sequence (see the module docs).
#[derive(Clone, Debug)]
pub(crate) struct Partial {
    /// `None` only while no keyed step has bound (a broadcast first step).
    pub key: Option<Key>,
    /// Index of the step this partial waits for.
    pub stage: u16,
    /// Records accumulated at `stage` (a `count:` step), else 0.
    pub count: u32,
    pub binds: Bindings,
    /// Per step index: the records bound (positive steps only).
    pub marks: Vec<Option<StepMarks>>,
    pub first_pos: u64,
    pub first_ts: Option<i64>,
    /// The latest timeline position of any bound record (when the partial last moved).
    pub last_pos: u64,
    /// The timestamp of the last record in step order (the *tail*).
    pub last_ts: Option<i64>,
    /// Timeline position and source of the tail (differs from `last_pos` only
    /// when the tail came from the skew memory).
    pub tail_pos: u64,
    pub tail_source: u32,
    /// Every bound position, kept only for rules with an `order_tolerance`
    /// (a remembered record must not be bound twice).
    pub used: Vec<u64>,
    pub unchecked: u32,
    pub order_uncertain: bool,
    pub deadline: i64,
    /// The watermark when the partial was stored (`i64::MIN` before any
    /// timestamp): see [`Store::insert`] on dominated partials.
    pub born_wm: i64,
}

/// `(stage, count, timestamp mask, bindings, exact)`: `exact` is empty unless
/// the store is exact (see [`Store::exact`]).
type Ident = (u16, u32, u64, Bindings, Vec<i64>);

struct Slot {
    partial: Partial,
    version: u64,
}

/// What [`Store::insert`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Inserted {
    New,
    Replaced,
    KeptIncumbent,
}

/// See the module docs.
#[derive(Default)]
pub(crate) struct Store {
    slots: Vec<Option<Slot>>,
    free: Vec<u32>,
    /// Per key and stage: the slot of each identity.
    index: HashMap<(Option<Key>, u16), HashMap<Ident, u32>>,
    /// The highest stage ever stored (bounds the per-key lookups).
    max_stage: u16,
    heap: BinaryHeap<Reverse<(i64, u32, u64)>>,
    version: u64,
    live: usize,
    /// Keep every distinct partial instead of the dominating one (rules with an
    /// `order_tolerance`, see `ident`).
    pub exact: bool,
    /// An exact store of a `select: latest` rule: its `order_tolerance`, after
    /// which a newer partial dominates an older one (see [`Store::insert`]).
    dominance: Option<i64>,
    /// With `dominance`: the slots of each key and identity without times.
    groups: HashMap<(Option<Key>, Ident), VecDeque<u32>>,
}

fn ident(partial: &Partial, exact: bool) -> Ident {
    let mut binds = partial.binds.clone();
    binds.0.sort();
    let mut extra = Vec::new();
    if exact {
        // Every time a later constraint reads: once cross-source order is
        // relaxed a later tail no longer dominates (it is worse for the
        // tolerance's lower bound), so only partials equal in time and tail
        // source share an identity. Positions are left out: keeping every
        // distinct record set would grow a `count` step exponentially.
        extra.push(partial.first_ts.unwrap_or(i64::MIN));
        extra.push(partial.last_ts.unwrap_or(i64::MIN));
        extra.push(i64::from(partial.tail_source));
        for step_marks in partial.marks.iter().flatten() {
            extra.push(step_marks.last.ts.unwrap_or(i64::MIN));
        }
    }
    (partial.stage, partial.count, ts_mask(partial), binds, extra)
}

/// Whether `newer` dominates `old` of the same identity without times: it
/// started later and none of its times is earlier, so every record `old` could
/// take `newer` can take within bounds at least as wide, and `select: latest`
/// prefers `newer`'s finding when both complete.
fn dominates(newer: &Partial, old: &Partial) -> bool {
    let not_later = |earlier: Option<i64>, later: Option<i64>| match (earlier, later) {
        (Some(earlier), Some(later)) => earlier <= later,
        (None, None) => true,
        _ => false,
    };
    newer.first_pos > old.first_pos
        && not_later(old.first_ts, newer.first_ts)
        && not_later(old.last_ts, newer.last_ts)
        && old.marks.len() == newer.marks.len()
        && old
            .marks
            .iter()
            .zip(&newer.marks)
            .all(|(old_marks, new_marks)| match (old_marks, new_marks) {
                (Some(old_marks), Some(new_marks)) => {
                    not_later(old_marks.first.ts, new_marks.first.ts)
                        && not_later(old_marks.last.ts, new_marks.last.ts)
                }
                (None, None) => true,
                _ => false,
            })
}

/// Which bound records have a timestamp. A partial with an unknown time is not
/// dominated by a newer one with a known time (an unknown bound never rejects),
/// so the two must not share an identity.
fn ts_mask(partial: &Partial) -> u64 {
    let mut mask = 0u64;
    for (step, step_marks) in partial.marks.iter().enumerate().take(32) {
        if let Some(step_marks) = step_marks {
            mask |= u64::from(step_marks.first.ts.is_some()) << (2 * step);
            mask |= u64::from(step_marks.last.ts.is_some()) << (2 * step + 1);
        }
    }
    mask
}

impl Store {
    /// An empty store; `exact`: see [`Store::exact`].
    pub fn new(exact: bool) -> Store {
        Store {
            exact,
            ..Store::default()
        }
    }

    /// An exact store (tolerance `tolerance > 0`) that drops dominated
    /// partials: for `select: latest` rules, where the newest partial wins.
    pub fn exact_latest(tolerance: i64) -> Store {
        Store {
            exact: true,
            dominance: Some(tolerance),
            ..Store::default()
        }
    }

    pub fn live(&self) -> usize {
        self.live
    }

    /// Inserts `p`; `replace` decides between a newer partial and the incumbent.
    ///
    /// An exact store keeps partials a newer one would replace without a
    /// tolerance, because for `D` of event time an older one may still take a
    /// remembered record the newer one cannot (or take it in certain order).
    /// That advantage ends: every record a newer partial `N` cannot use as well
    /// has a timestamp before `N`'s times, and such records leave the skew
    /// memory once the watermark passes `N.born_wm + D`; a record arriving in
    /// order is never earlier than the watermark. So with `dominance`, once a
    /// partial of the same key, bindings, stage and count is that old, every
    /// partial it dominates (an earlier start, no later time anywhere) is
    /// dropped: `select: latest` would have preferred `N`'s findings anyway. A
    /// *late* record (more than `max_disorder` behind its source) is then
    /// matched against the newest partial, as in a store without a tolerance.
    pub fn insert(&mut self, partial: Partial, replace: bool) -> Inserted {
        let Some(tolerance) = self.dominance else {
            return self.insert_one(partial, replace).0;
        };
        let group = (partial.key.clone(), ident(&partial, false));
        let now = partial.born_wm;
        let (inserted, slot) = self.insert_one(partial, replace);
        let members = self.groups.entry(group.clone()).or_default();
        match inserted {
            Inserted::New => members.push_back(slot),
            // Newly born: to the back, so the group stays in birth order.
            Inserted::Replaced => {
                members.retain(|&member| member != slot);
                members.push_back(slot);
            }
            Inserted::KeptIncumbent => {}
        }
        self.prune_dominated(&group, now, tolerance);
        inserted
    }

    /// Drops the partials of `group` that its newest partial older than
    /// `tolerance` dominates (see [`Store::insert`]). A group lists its slots
    /// in the order they were stored, so born watermarks never decrease along
    /// it and the partials old enough to dominate are a prefix, the newest
    /// last: each insert looks at that prefix only (usually one or two).
    fn prune_dominated(&mut self, group: &(Option<Key>, Ident), now: i64, tolerance: i64) {
        let Some(members) = self.groups.get(group) else {
            return;
        };
        let matured = members
            .iter()
            .take_while(|&&member| {
                self.get(member)
                    .is_some_and(|partial| partial.born_wm.saturating_add(tolerance) < now)
            })
            .count();
        let Some(newest) = matured
            .checked_sub(1)
            .and_then(|index| members.get(index))
            .and_then(|&member| self.get(member))
        else {
            return;
        };
        let doomed: Vec<u32> = members
            .iter()
            .take(matured - 1)
            .copied()
            .filter(|&member| self.get(member).is_some_and(|old| dominates(newest, old)))
            .collect();
        for slot in doomed {
            self.remove(slot);
        }
    }

    /// Inserts `partial`; returns what it did and the slot it is in.
    fn insert_one(&mut self, partial: Partial, replace: bool) -> (Inserted, u32) {
        let id = ident(&partial, self.exact);
        self.version += 1;
        let version = self.version;
        let deadline = partial.deadline;
        self.max_stage = self.max_stage.max(partial.stage);
        let bucket = self
            .index
            .entry((partial.key.clone(), partial.stage))
            .or_default();
        if let Some(&slot) = bucket.get(&id) {
            if !replace {
                return (Inserted::KeptIncumbent, slot);
            }
            if let Some(Some(held)) = self.slots.get_mut(slot as usize) {
                held.partial = partial;
                held.version = version;
                self.heap.push(Reverse((deadline, slot, version)));
                return (Inserted::Replaced, slot);
            }
        }
        let slot = match self.free.pop() {
            Some(free) => free,
            None => {
                self.slots.push(None);
                (self.slots.len() - 1) as u32
            }
        };
        bucket.insert(id, slot);
        if let Some(entry) = self.slots.get_mut(slot as usize) {
            *entry = Some(Slot { partial, version });
        }
        self.live += 1;
        self.heap.push(Reverse((deadline, slot, version)));
        self.compact();
        (Inserted::New, slot)
    }

    /// Removes the partial in `slot`, returning it.
    pub fn remove(&mut self, slot: u32) -> Option<Partial> {
        let held = self.slots.get_mut(slot as usize)?.take()?;
        self.free.push(slot);
        self.live -= 1;
        let key = held.partial.key.clone();
        let at = (key, held.partial.stage);
        if let Some(bucket) = self.index.get_mut(&at) {
            bucket.remove(&ident(&held.partial, self.exact));
            if bucket.is_empty() {
                self.index.remove(&at);
            }
        }
        let key = at.0;
        if self.dominance.is_some() {
            let group = (key, ident(&held.partial, false));
            if let Some(members) = self.groups.get_mut(&group) {
                // Usually the oldest: expiry and pruning remove from the front.
                if let Some(index) = members.iter().position(|&member| member == slot) {
                    members.remove(index);
                }
                if members.is_empty() {
                    self.groups.remove(&group);
                }
            }
        }
        Some(held.partial)
    }

    pub fn get(&self, slot: u32) -> Option<&Partial> {
        Some(&self.slots.get(slot as usize)?.as_ref()?.partial)
    }

    /// Slots of the partials of `key` (`None`: every key), oldest first.
    pub fn slots_of(&self, key: Option<&Option<Key>>) -> Vec<u32> {
        let mut slots: Vec<u32> = match key {
            Some(key) => (0..=self.max_stage)
                .flat_map(|stage| self.slots_at(key, stage))
                .collect(),
            None => self
                .index
                .values()
                .flat_map(|bucket| bucket.values().copied())
                .collect(),
        };
        self.oldest_first(&mut slots);
        slots
    }

    /// Sorts `slots` oldest partial first, then by slot. Hash maps iterate in a
    /// random order and removals decide which slots the free list hands out
    /// next, so anything that removes sorts first: the same input then always
    /// gives the same findings.
    pub fn oldest_first(&self, slots: &mut [u32]) {
        slots.sort_unstable_by_key(|&slot| {
            (
                self.get(slot).map_or(u64::MAX, |partial| partial.first_pos),
                slot,
            )
        });
    }

    /// Slots of the partials of `key` waiting at `stage`, in no set order.
    pub fn slots_at(&self, key: &Option<Key>, stage: u16) -> impl Iterator<Item = u32> + '_ {
        self.index
            .get(&(key.clone(), stage))
            .into_iter()
            .flat_map(|bucket| bucket.values().copied())
    }

    /// Slots of every partial waiting at `stage`, in no set order.
    pub fn slots_at_stage(&self, stage: u16) -> impl Iterator<Item = u32> + '_ {
        self.index
            .iter()
            .filter(move |((_, at_stage), _)| *at_stage == stage)
            .flat_map(|(_, bucket)| bucket.values().copied())
    }

    /// Removes every partial whose deadline is before `now`; returns how many.
    pub fn expire(&mut self, now: i64) -> usize {
        let mut expired = 0;
        while let Some(&Reverse((deadline, slot, version))) = self.heap.peek() {
            if deadline >= now {
                break;
            }
            self.heap.pop();
            if self.is_current(slot, version) {
                self.remove(slot);
                expired += 1;
            }
        }
        expired
    }

    /// The earliest deadline of a live partial.
    pub fn earliest(&mut self) -> Option<i64> {
        while let Some(&Reverse((deadline, slot, version))) = self.heap.peek() {
            if self.is_current(slot, version) {
                return Some(deadline);
            }
            self.heap.pop();
        }
        None
    }

    /// Evicts the partial closest to its deadline.
    pub fn evict_one(&mut self) -> Option<Partial> {
        while let Some(Reverse((_, slot, version))) = self.heap.pop() {
            if self.is_current(slot, version) {
                return self.remove(slot);
            }
        }
        None
    }

    fn is_current(&self, slot: u32, version: u64) -> bool {
        matches!(self.slots.get(slot as usize), Some(Some(held)) if held.version == version)
    }

    /// Rebuilds the heap when stale entries outnumber live ones.
    fn compact(&mut self) {
        if self.heap.len() <= 2 * self.live + 64 {
            return;
        }
        self.heap = self
            .slots
            .iter()
            .enumerate()
            .filter_map(|(index, held)| {
                let held = held.as_ref()?;
                Some(Reverse((held.partial.deadline, index as u32, held.version)))
            })
            .collect();
    }
}
