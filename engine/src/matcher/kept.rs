//! The findings of one rule as the automaton emits them, in bounded memory.
//!
//! Findings arrive in the order they complete. Each time the list doubles past
//! [`COMPACT_AT`], what it holds is merged into incidents (`incidents::merge`,
//! the merge the output makes at the end: same key and status, one incident
//! with a count and the evidence of its latest occurrence), and at most
//! [`MAX_INCIDENTS`] incidents are kept per rule, the earliest; later ones are
//! counted in [`Kept::dropped`] (the report says how many) and their records
//! still count as matched ([`Kept::matched`]). So a rule that matches a
//! million lines holds a few thousand findings, not a million. Without a
//! `merge_window`, merging early gives exactly the incidents merging at the
//! end gives; with one, findings of a rule past `COMPACT_AT` merge in the
//! order they completed (an incident may then split where a later-found
//! occurrence would have joined it). Compaction only runs between records,
//! so the findings a record completes stay in emission order for the checks
//! `sequence` and `absence` make on them.
//!
//! This module never matches; it only keeps what the automaton found.

use crate::matcher::incidents::{merge, RawFinding};
use crate::rule::ir::CompiledRule;

/// Findings of one rule held before they are merged.
pub(crate) const COMPACT_AT: usize = 4_096;
/// Incidents of one rule kept.
pub(crate) const MAX_INCIDENTS: usize = 1_000;

#[derive(Debug)]
pub(crate) struct Kept {
    /// Incidents merged so far, then the findings emitted since, in emission order.
    pub raws: Vec<RawFinding>,
    emitted: u64,
    next_compaction: usize,
    /// `(source, seq)` of records bound by evidence merged away or dropped.
    pub matched: Vec<(u32, u32)>,
    /// Findings not kept: their incident was past [`MAX_INCIDENTS`].
    pub dropped: u64,
}

impl Default for Kept {
    fn default() -> Kept {
        Kept {
            raws: Vec::new(),
            emitted: 0,
            next_compaction: COMPACT_AT,
            matched: Vec::new(),
            dropped: 0,
        }
    }
}

impl Kept {
    pub fn push(&mut self, mut f: RawFinding) {
        f.rank = (f.first_pos, self.emitted);
        self.emitted += 1;
        self.raws.push(f);
    }

    /// Merges what is held when it has grown enough (call between records).
    pub fn compact_if_due(&mut self, rule: &CompiledRule) {
        if self.raws.len() < self.next_compaction {
            return;
        }
        let raws = std::mem::take(&mut self.raws);
        let mut away = std::mem::take(&mut self.matched);
        let merged = merge(rule, raws, &mut away);
        self.matched = away;
        self.raws = self.cap(merged);
        self.matched.sort_unstable();
        self.matched.dedup();
        self.next_compaction = COMPACT_AT.max(2 * self.raws.len());
    }

    /// Keeps the [`MAX_INCIDENTS`] earliest of `incidents`; counts the rest.
    pub fn cap(&mut self, mut incidents: Vec<RawFinding>) -> Vec<RawFinding> {
        if incidents.len() <= MAX_INCIDENTS {
            return incidents;
        }
        incidents.sort_by_key(|f| f.first_pos);
        for f in incidents.drain(MAX_INCIDENTS..) {
            self.dropped += u64::from(f.occurrences);
            for m in f.marks.iter().flatten() {
                for mark in [&m.first, &m.last] {
                    self.matched.push((mark.source, mark.place.seq));
                }
            }
        }
        incidents
    }
}
