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
use std::collections::{BinaryHeap, HashMap};
use std::ops::Range;

use crate::event::{SourceId, Span};
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
    index: HashMap<Option<Key>, HashMap<Ident, u32>>,
    heap: BinaryHeap<Reverse<(i64, u32, u64)>>,
    version: u64,
    live: usize,
    /// Keep every distinct partial instead of the dominating one (rules with an
    /// `order_tolerance`, see `ident`).
    pub exact: bool,
}

fn ident(p: &Partial, exact: bool) -> Ident {
    let mut b = p.binds.clone();
    b.0.sort();
    let mut extra = Vec::new();
    if exact {
        // Every time a later constraint reads: once cross-source order is
        // relaxed a later tail no longer dominates (it is worse for the
        // tolerance's lower bound), so only partials equal in time and tail
        // source share an identity. Positions are left out: keeping every
        // distinct record set would grow a `count` step exponentially.
        extra.push(p.first_ts.unwrap_or(i64::MIN));
        extra.push(p.last_ts.unwrap_or(i64::MIN));
        extra.push(i64::from(p.tail_source));
        for m in p.marks.iter().flatten() {
            extra.push(m.last.ts.unwrap_or(i64::MIN));
        }
    }
    (p.stage, p.count, ts_mask(p), b, extra)
}

/// Which bound records have a timestamp. A partial with an unknown time is not
/// dominated by a newer one with a known time (an unknown bound never rejects),
/// so the two must not share an identity.
fn ts_mask(p: &Partial) -> u64 {
    let mut mask = 0u64;
    for (i, m) in p.marks.iter().enumerate().take(32) {
        if let Some(m) = m {
            mask |= u64::from(m.first.ts.is_some()) << (2 * i);
            mask |= u64::from(m.last.ts.is_some()) << (2 * i + 1);
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

    pub fn live(&self) -> usize {
        self.live
    }

    /// Inserts `p`; `replace` decides between a newer partial and the incumbent.
    pub fn insert(&mut self, p: Partial, replace: bool) -> Inserted {
        let id = ident(&p, self.exact);
        self.version += 1;
        let version = self.version;
        let deadline = p.deadline;
        let bucket = self.index.entry(p.key.clone()).or_default();
        if let Some(&slot) = bucket.get(&id) {
            if !replace {
                return Inserted::KeptIncumbent;
            }
            if let Some(Some(s)) = self.slots.get_mut(slot as usize) {
                s.partial = p;
                s.version = version;
                self.heap.push(Reverse((deadline, slot, version)));
                return Inserted::Replaced;
            }
        }
        let slot = match self.free.pop() {
            Some(s) => s,
            None => {
                self.slots.push(None);
                (self.slots.len() - 1) as u32
            }
        };
        bucket.insert(id, slot);
        if let Some(s) = self.slots.get_mut(slot as usize) {
            *s = Some(Slot {
                partial: p,
                version,
            });
        }
        self.live += 1;
        self.heap.push(Reverse((deadline, slot, version)));
        self.compact();
        Inserted::New
    }

    /// Removes the partial in `slot`, returning it.
    pub fn remove(&mut self, slot: u32) -> Option<Partial> {
        let s = self.slots.get_mut(slot as usize)?.take()?;
        self.free.push(slot);
        self.live -= 1;
        let key = s.partial.key.clone();
        if let Some(bucket) = self.index.get_mut(&key) {
            bucket.remove(&ident(&s.partial, self.exact));
            if bucket.is_empty() {
                self.index.remove(&key);
            }
        }
        Some(s.partial)
    }

    pub fn get(&self, slot: u32) -> Option<&Partial> {
        Some(&self.slots.get(slot as usize)?.as_ref()?.partial)
    }

    /// Slots of the partials of `key` (`None`: every key).
    pub fn slots_of(&self, key: Option<&Option<Key>>) -> Vec<u32> {
        let mut slots: Vec<u32> = match key {
            Some(k) => self
                .index
                .get(k)
                .map(|b| b.values().copied().collect())
                .unwrap_or_default(),
            None => self
                .index
                .values()
                .flat_map(|b| b.values().copied())
                .collect(),
        };
        // Hash maps iterate in a random order: sort, so the same input always gives the same
        // findings (oldest partial first, then slot).
        slots.sort_unstable_by_key(|&s| (self.get(s).map_or(u64::MAX, |p| p.first_pos), s));
        slots
    }

    /// Removes every partial whose deadline is before `now`; returns how many.
    pub fn expire(&mut self, now: i64) -> usize {
        let mut n = 0;
        while let Some(&Reverse((deadline, slot, version))) = self.heap.peek() {
            if deadline >= now {
                break;
            }
            self.heap.pop();
            if self.is_current(slot, version) {
                self.remove(slot);
                n += 1;
            }
        }
        n
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
        matches!(self.slots.get(slot as usize), Some(Some(s)) if s.version == version)
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
            .filter_map(|(i, s)| {
                let s = s.as_ref()?;
                Some(Reverse((s.partial.deadline, i as u32, s.version)))
            })
            .collect();
    }
}
