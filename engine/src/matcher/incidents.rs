//! Findings as the automaton emits them ([`RawFinding`]) and their merge into
//! incidents.
//!
//! - Incidents: findings of the same rule, key and status merge into one
//!   [`crate::finding::Finding`] with `occurrences` counting them. With `merge_window`, a finding
//!   whose first record lies more than the window after the current incident's
//!   last record starts a new incident (an unknown time merges). Without a
//!   window, all repeats of a rule, key and status are one incident. The merged
//!   finding keeps the evidence and variables of its **latest** occurrence (the
//!   one closest to the symptom), sums `unchecked_time`, ORs `order_uncertain`.
//! - The records of evidence a merge drops are handed back, so they still
//!   count as matched (see `output`).
//!
//! This module never matches; it only reshapes what the automata produced.

use crate::finding::Status;
use crate::matcher::hits::Key;
use crate::matcher::partial::{Mark, Partial, StepMarks};
use crate::rule::ir::{Bindings, CompiledRule};

/// How a trailing absence ended.
#[derive(Clone, Debug)]
pub(crate) struct AbsenceOutcome {
    pub step: usize,
    pub deadline: Option<i64>,
    pub witness: Option<Mark>,
    pub unresolved: bool,
}

/// A finding as the automaton emits it.
#[derive(Clone, Debug)]
pub(crate) struct RawFinding {
    pub key: Option<Key>,
    pub binds: Bindings,
    pub marks: Vec<Option<StepMarks>>,
    pub absences: Vec<AbsenceOutcome>,
    pub status: Status,
    pub first_pos: u64,
    pub last_pos: u64,
    pub first_ts: Option<i64>,
    pub last_ts: Option<i64>,
    pub unchecked: u32,
    pub order_uncertain: bool,
    /// Findings it stands for (more than 1 once merged, see [`merge`]).
    pub occurrences: u32,
    /// `(first_pos, emission number)` of the occurrence whose evidence it
    /// keeps: the latest to start (ties: the later completed).
    pub rank: (u64, u64),
}

impl RawFinding {
    pub fn new(partial: Partial, status: Status, absences: Vec<AbsenceOutcome>) -> RawFinding {
        RawFinding {
            occurrences: 1,
            rank: (partial.first_pos, 0),
            key: partial.key,
            binds: partial.binds,
            marks: partial.marks,
            absences,
            status,
            first_pos: partial.first_pos,
            last_pos: partial.last_pos,
            first_ts: partial.first_ts,
            last_ts: partial.last_ts,
            unchecked: partial.unchecked,
            order_uncertain: partial.order_uncertain,
        }
    }
}

/// Merges findings of the same key and status into incidents (see the module
/// docs): in order of first record, each joins the incident before it unless
/// the rule's `merge_window` separates them. An incident counts its
/// occurrences and keeps the evidence of the latest to start ([`RawFinding::rank`]);
/// the records of evidence it drops go to `away` as `(source, seq)`. Merging
/// incidents again gives the same incidents when the rule has no window.
pub(crate) fn merge(
    rule: &CompiledRule,
    mut raws: Vec<RawFinding>,
    away: &mut Vec<(u32, u32)>,
) -> Vec<RawFinding> {
    raws.sort_by(|left, right| {
        key_order(&left.key)
            .cmp(&key_order(&right.key))
            .then(left.status.cmp(&right.status))
            .then(left.first_pos.cmp(&right.first_pos))
    });
    let mut out: Vec<RawFinding> = Vec::new();
    for raw in raws {
        let joins = out.last().is_some_and(|incident| {
            incident.key == raw.key
                && incident.status == raw.status
                && match (rule.merge_window, incident.last_ts, raw.first_ts) {
                    (None, _, _) => true,
                    (Some(window), Some(last), Some(first)) => first.saturating_sub(last) <= window,
                    (Some(_), _, _) => true,
                }
        });
        match out.last_mut() {
            Some(incident) if joins => absorb(incident, raw, away),
            _ => out.push(raw),
        }
    }
    out
}

/// `raw` (later in order of first record) joins `incident`.
fn absorb(incident: &mut RawFinding, mut raw: RawFinding, away: &mut Vec<(u32, u32)>) {
    incident.occurrences = incident.occurrences.saturating_add(raw.occurrences);
    incident.unchecked = incident.unchecked.saturating_add(raw.unchecked);
    incident.order_uncertain |= raw.order_uncertain;
    incident.last_ts = raw.last_ts.or(incident.last_ts);
    incident.last_pos = incident.last_pos.max(raw.last_pos);
    if raw.rank > incident.rank {
        std::mem::swap(&mut incident.binds, &mut raw.binds);
        std::mem::swap(&mut incident.marks, &mut raw.marks);
        std::mem::swap(&mut incident.absences, &mut raw.absences);
        incident.rank = raw.rank;
    }
    for step_marks in raw.marks.iter().flatten() {
        for mark in [&step_marks.first, &step_marks.last] {
            away.push((mark.source, mark.place.seq));
        }
    }
}

fn key_order(key: &Option<Key>) -> Vec<&str> {
    key.as_deref()
        .map(|values| values.iter().map(|value| &**value).collect())
        .unwrap_or_default()
}
