//! Cross-source clock-skew tolerance: the per-rule memory of recent step records.
//!
//! With `order_tolerance: D > 0` (DESIGN §3, rule-language-study §4.1, §4.7),
//! a step B from one source may follow a step A from another source even when
//! `ts(B) < ts(A)`, as long as `ts(B) >= ts(A) - D` (a WSL guest clock drifts
//! behind Windows across sleep, so the resume event can carry a time before
//! the client's last "connected" line). The timeline feeds records in time
//! order, so B arrives before any partial waits for it. The [`Memory`] keeps
//! every timestamped record that matched a non-first, unguarded positive step,
//! for `D` of event time: when a partial reaches a stage (in `sequence`),
//! the remembered records for that stage advance it as if they arrived now if:
//! - the record is not bound yet, has a timestamp, and is still remembered:
//!   `ts >= wm(now) - D` (`wm(now)`: the watermark of the record being fed);
//! - it comes after the partial's tail in the timeline, or from another source
//!   than the tail with `ts >= ts(tail) - D` (same-source order is never
//!   relaxed; the finding is then `order_uncertain` when `ts < ts(tail)`);
//! - key, bindings and time bounds hold as for a live record.
//!
//! A step guarded by a mid-sequence absence takes a remembered record B only
//! across the tolerance ([`may_follow_guarded`]): B from another source than
//! the tail A with `ts(A) - D <= ts(B) < ts(A)`. In event time nothing lies
//! between A and B, so the absence between them is vacuously satisfied; the
//! finding is `order_uncertain`. A remembered B with `ts(B) >= ts(A)` is never
//! taken by a guarded step: the absence window A..B was not watched for this
//! partial (it only is for a record arriving in order). The memory is bounded by
//! [`MEMORY_CAP`]; the oldest record is dropped first and counted as an
//! eviction. This module never evaluates predicates nor touches partials.

use std::collections::VecDeque;

use crate::matcher::hits::Hit;
use crate::matcher::partial::{Mark, Place};
use crate::matcher::timeline::Entry;

/// Records remembered per rule at most.
pub(crate) const MEMORY_CAP: usize = 4_096;

/// Partials one record may produce through remembered records at most.
pub(crate) const CASCADE_CAP: usize = 4 * MEMORY_CAP;

/// A record at a timeline position, without its text.
#[derive(Clone, Copy, Debug)]
pub(crate) struct At {
    pub pos: u64,
    pub entry: Entry,
    pub place: Place,
}

impl At {
    /// `highlights` relative to the record's text start.
    pub fn mark(&self, highlights: &[std::ops::Range<u32>]) -> Mark {
        Mark {
            pos: self.pos,
            source: self.entry.source,
            ts: self.entry.ts,
            place: self.place,
            highlights: highlights.into(),
        }
    }
}

/// One remembered record and what it matched at one step.
#[derive(Clone, Debug)]
pub(crate) struct Memo {
    pub step: usize,
    pub at: At,
    /// Its timestamp (remembered records always have one).
    pub ts: i64,
    pub hits: Vec<Hit>,
}

/// See the module docs.
#[derive(Debug, Default)]
pub(crate) struct Memory {
    memos: VecDeque<Memo>,
}

impl Memory {
    /// Drops records older than `watermark - tolerance` from the front; the rest are
    /// filtered on lookup (arrival order is only roughly time order).
    pub fn prune(&mut self, watermark: i64, tolerance: i64) {
        let floor = watermark.saturating_sub(tolerance);
        while self.memos.front().is_some_and(|memo| memo.ts < floor) {
            self.memos.pop_front();
        }
    }

    /// Remembers `memo`; returns the record dropped to stay under the cap.
    pub fn push(&mut self, memo: Memo) -> Option<Memo> {
        self.memos.push_back(memo);
        if self.memos.len() > MEMORY_CAP {
            self.memos.pop_front()
        } else {
            None
        }
    }

    /// Remembered records of `step` still usable at `watermark`.
    pub fn usable(&self, step: usize, watermark: Option<i64>, tolerance: i64) -> Vec<&Memo> {
        let floor = watermark.map(|watermark| watermark.saturating_sub(tolerance));
        self.memos
            .iter()
            .filter(|memo| memo.step == step && floor.is_none_or(|floor| memo.ts >= floor))
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.memos.is_empty()
    }
}

/// Whether a remembered record at `at` (timestamp `ts`) may follow the tail
/// (`tail_pos`, `tail_source`, `tail_ts`): `Some(order_uncertain)` when it may.
pub(crate) fn may_follow(
    at: &At,
    ts: i64,
    tail_pos: u64,
    tail_source: u32,
    tail_ts: Option<i64>,
    tolerance: i64,
) -> Option<bool> {
    if at.pos > tail_pos {
        return Some(false);
    }
    if at.entry.source == tail_source {
        return None;
    }
    let tail_time = tail_ts?;
    (ts >= tail_time.saturating_sub(tolerance)).then_some(ts < tail_time)
}

/// [`may_follow`] for a step guarded by a mid-sequence absence: only a record
/// from another source than the tail, strictly before it and at most
/// `tolerance` before it (always `order_uncertain`).
pub(crate) fn may_follow_guarded(
    at: &At,
    ts: i64,
    tail_source: u32,
    tail_ts: Option<i64>,
    tolerance: i64,
) -> bool {
    let Some(tail_time) = tail_ts else {
        return false;
    };
    at.entry.source != tail_source && ts >= tail_time.saturating_sub(tolerance) && ts < tail_time
}
