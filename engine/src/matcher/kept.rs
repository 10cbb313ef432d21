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
//! `sequence` and `absence` make on them ([`Kept::completed_at`],
//! [`Kept::covers`]). At the end, [`Kept::finish`] merges what is left into
//! the rule's incidents.
//!
//! This module never matches; it only keeps what the automaton found.

use crate::finding::Status;
use crate::matcher::hits::Key;
use crate::matcher::incidents::{merge, RawFinding};
use crate::rule::ir::CompiledRule;

/// Findings of one rule held before they are merged.
pub(crate) const COMPACT_AT: usize = 4_096;
/// Incidents of one rule kept.
pub(crate) const MAX_INCIDENTS: usize = 1_000;

#[derive(Debug)]
pub(crate) struct Kept {
    /// Incidents merged so far, then the findings emitted since, in emission order.
    raws: Vec<RawFinding>,
    emitted: u64,
    next_compaction: usize,
    /// `(source, seq)` of records bound by evidence merged away or dropped.
    matched: Vec<(u32, u32)>,
    /// Findings not kept: their incident was past [`MAX_INCIDENTS`].
    dropped: u64,
}

/// What a rule's findings end as ([`Kept::finish`]).
#[derive(Debug)]
pub(crate) struct Finished {
    /// The rule's incidents (at most [`MAX_INCIDENTS`]), in merge order.
    pub incidents: Vec<RawFinding>,
    /// `(source, seq)` of every record bound by a positive step of any
    /// finding, kept, merged away or dropped (unsorted, with repeats).
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
    pub fn push(&mut self, mut finding: RawFinding) {
        finding.rank = (finding.first_pos, self.emitted);
        self.emitted += 1;
        self.raws.push(finding);
    }

    /// Whether a finding of `key` completed at timeline position `pos` (the
    /// findings the current record completed are the last ones held).
    pub fn completed_at(&self, pos: u64, key: &Option<Key>) -> bool {
        self.raws
            .iter()
            .rev()
            .take_while(|finding| finding.last_pos == pos)
            .any(|finding| &finding.key == key)
    }

    /// Whether a finding (or incident) of `key` held ends at or after
    /// `first_pos`: a match of `key` starting there shares a record with it.
    pub fn covers(&self, key: &Option<Key>, first_pos: u64) -> bool {
        self.raws
            .iter()
            .any(|finding| &finding.key == key && first_pos <= finding.last_pos)
    }

    /// Merges every finding held into the rule's incidents, capped. With
    /// `downgrade` (a required fact is unknown), confirmed findings become
    /// partial first.
    pub fn finish(mut self, rule: &CompiledRule, downgrade: bool) -> Finished {
        let mut matched = std::mem::take(&mut self.matched);
        let mut raws = std::mem::take(&mut self.raws);
        for raw in &mut raws {
            for step_marks in raw.marks.iter().flatten() {
                for mark in [&step_marks.first, &step_marks.last] {
                    matched.push((mark.source, mark.place.seq));
                }
            }
            if downgrade && raw.status == Status::Confirmed {
                raw.status = Status::Partial;
            }
        }
        // The marks merged away were counted above.
        let incidents = self.cap(merge(rule, raws, &mut Vec::new()));
        matched.append(&mut self.matched);
        Finished {
            incidents,
            matched,
            dropped: self.dropped,
        }
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
    fn cap(&mut self, mut incidents: Vec<RawFinding>) -> Vec<RawFinding> {
        if incidents.len() <= MAX_INCIDENTS {
            return incidents;
        }
        incidents.sort_by_key(|incident| incident.first_pos);
        for incident in incidents.drain(MAX_INCIDENTS..) {
            self.dropped += u64::from(incident.occurrences);
            for step_marks in incident.marks.iter().flatten() {
                for mark in [&step_marks.first, &step_marks.last] {
                    self.matched.push((mark.source, mark.place.seq));
                }
            }
        }
        incidents
    }
}

#[cfg(test)]
mod tests {
    use super::Kept;
    use crate::finding::Status;
    use crate::matcher::hits::Key;
    use crate::matcher::incidents::RawFinding;
    use crate::rule::ir::Bindings;

    fn key(name: &str) -> Option<Key> {
        Some(vec![name.into()].into())
    }

    fn finding(key_name: &str, first_pos: u64, last_pos: u64) -> RawFinding {
        RawFinding {
            key: key(key_name),
            binds: Bindings::default(),
            marks: Vec::new(),
            absences: Vec::new(),
            status: Status::Confirmed,
            first_pos,
            last_pos,
            first_ts: None,
            last_ts: None,
            unchecked: 0,
            order_uncertain: false,
            occurrences: 1,
            rank: (first_pos, 0),
        }
    }

    #[test]
    fn completed_at_looks_only_at_the_findings_of_the_current_record() {
        let mut kept = Kept::default();
        kept.push(finding("a", 0, 3));
        kept.push(finding("b", 1, 5));
        kept.push(finding("c", 2, 5));
        assert!(kept.completed_at(5, &key("b")));
        assert!(kept.completed_at(5, &key("c")));
        assert!(!kept.completed_at(5, &key("a")));
        assert!(!kept.completed_at(3, &key("a")), "not the last findings");
    }

    #[test]
    fn covers_a_match_of_the_same_key_starting_at_or_before_a_last_record() {
        let mut kept = Kept::default();
        kept.push(finding("a", 0, 3));
        assert!(kept.covers(&key("a"), 3));
        assert!(kept.covers(&key("a"), 1));
        assert!(!kept.covers(&key("a"), 4));
        assert!(!kept.covers(&key("b"), 1));
    }
}
