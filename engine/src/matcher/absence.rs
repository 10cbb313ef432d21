//! Trailing absences: pending findings, their deadlines, kills and horizon witnesses.
//!
//! When every positive step of a rule with trailing `absent` steps is bound,
//! the match becomes a [`Pending`] finding. Each trailing absence gets a
//! deadline: its anchor's timestamp (the `after:` step's last record, else the
//! last positive record) plus its `within`; the searched window starts after
//! the last positive record. Then, record by record:
//! - a record matching the absence with the same key and unifiable bindings
//!   kills the pending finding when it may lie inside the window (its own
//!   timestamp is at or before the deadline, or it has none and the watermark
//!   does not prove it later);
//! - a record of a *covering* source (a provided source some branch of the
//!   absent step reads) whose own timestamp is past the deadline proves the
//!   absence (the horizon witness); records without a timestamp never witness.
//!
//! An absence with no covering source is unknown: the finding is `partial`. An
//! absence whose anchor has no timestamp has no deadline: it can only be
//! killed, and at the end of input it held over the whole rest of the input
//! (status `partial`, one unchecked time bound). At the end of input an
//! absence still open is `inconclusive` (`on_eof: drop` discards the finding).
//! A pending finding is confirmed when all its absences are proven.
//!
//! Pending findings are not subject to the partial caps; they are bounded by
//! the rate of completions within the absence window. A record is checked as a
//! witness only when its time is past the earliest open deadline.
//!
//! Known limit: `after:` on a trailing absence moves its deadline, not the start
//! of the searched window, and since the positive steps keep only the newest
//! partial, an older anchor with an earlier (already witnessed) deadline can be
//! lost to a newer one whose longer window is then violated. This module never
//! evaluates predicates: it gets the record's hits from the sequence automaton.

use crate::finding::Status;
use crate::matcher::hits::{compatible, Hit};
use crate::matcher::incidents::{AbsenceOutcome, RawFinding};
use crate::matcher::partial::{Mark, Partial};
use crate::matcher::sequence::{key_compatible, Rec, RuleRun};
use crate::rule::ir::{CompiledRule, OnEof};

/// The state of one trailing absence.
#[derive(Clone, Debug)]
pub(crate) enum AbsState {
    Open,
    Witnessed(Mark),
    /// No covering source was provided.
    Unknown,
}

#[derive(Clone, Debug)]
pub(crate) struct Abs {
    pub step: usize,
    pub deadline: Option<i64>,
    pub state: AbsState,
}

/// A completed positive prefix waiting for its trailing absences.
#[derive(Clone, Debug)]
pub(crate) struct Pending {
    pub p: Partial,
    pub abs: Vec<Abs>,
}

/// Whether a record at (`ts`, `wm`) may lie at or before `deadline`.
fn inside(deadline: Option<i64>, ts: Option<i64>, wm: Option<i64>) -> bool {
    match (deadline, ts, wm) {
        (None, _, _) => true,
        (Some(d), Some(t), _) => t <= d,
        (Some(d), None, Some(w)) => w <= d,
        (Some(_), None, None) => true,
    }
}

impl RuleRun {
    /// Turns a completed partial into a pending finding (or a finding at once).
    pub(crate) fn open_pending(&mut self, rule: &CompiledRule, p: Partial) {
        let abs = self
            .shape
            .trailing
            .iter()
            .map(|&a| {
                let step = &rule.steps[a];
                let anchor_step = step
                    .after
                    .filter(|&k| k < a && !rule.steps[k].absent)
                    .or(self.shape.prev.get(a).copied().flatten());
                let anchor_ts = anchor_step
                    .and_then(|k| p.marks.get(k))
                    .and_then(|m| m.as_ref())
                    .and_then(|m| m.last.ts);
                let deadline = match (anchor_ts, step.within) {
                    (Some(t), Some(w)) => Some(t.saturating_add(w)),
                    _ => None,
                };
                let covered = self.covering.get(a).is_some_and(|c| c.iter().any(|&x| x));
                Abs {
                    step: a,
                    deadline,
                    state: if covered {
                        AbsState::Open
                    } else {
                        AbsState::Unknown
                    },
                }
            })
            .collect::<Vec<_>>();
        let pending = Pending { p, abs };
        if pending
            .abs
            .iter()
            .any(|a| matches!(a.state, AbsState::Open))
        {
            self.next_witness = self.next_witness.min(earliest_open(&pending));
            self.pendings.push(pending);
        } else {
            self.finish_pending(rule, pending, false);
        }
    }

    /// Kills pending findings whose absence the record violates.
    pub(crate) fn kill_pendings(&mut self, rec: &Rec<'_>, hits: &[Vec<Hit>]) {
        let (ts, wm) = (rec.entry.ts, rec.entry.wm);
        let trace = &mut self.trace;
        self.pendings.retain(|pd| {
            let killer = pd.abs.iter().find(|a| {
                matches!(a.state, AbsState::Open)
                    && inside(a.deadline, ts, wm)
                    && hits.get(a.step).is_some_and(|hs| {
                        hs.iter().any(|h| {
                            key_compatible(&pd.p.key, &h.key) && compatible(&pd.p.binds, &h.binds)
                        })
                    })
            });
            if let Some(a) = killer {
                trace.killed(a.step, rec);
            }
            killer.is_none()
        });
    }

    /// Lets the record witness deadlines it is past; emits pending findings now proven.
    pub(crate) fn witness_pendings(&mut self, rule: &CompiledRule, rec: &Rec<'_>) {
        let Some(t) = rec.entry.ts else {
            return;
        };
        if t <= self.next_witness {
            return;
        }
        let source = rec.entry.source as usize;
        let mut done = Vec::new();
        for (i, pd) in self.pendings.iter_mut().enumerate() {
            for a in &mut pd.abs {
                let covers = self
                    .covering
                    .get(a.step)
                    .and_then(|c| c.get(source))
                    .copied()
                    .unwrap_or(false);
                if matches!(a.state, AbsState::Open) && covers && a.deadline.is_some_and(|d| t > d)
                {
                    a.state = AbsState::Witnessed(rec.mark(&[]));
                }
            }
            if !pd.abs.iter().any(|a| matches!(a.state, AbsState::Open)) {
                done.push(i);
            }
        }
        let mut finished = Vec::with_capacity(done.len());
        for i in done.into_iter().rev() {
            finished.push(self.pendings.remove(i));
        }
        self.next_witness = self
            .pendings
            .iter()
            .map(earliest_open)
            .min()
            .unwrap_or(i64::MAX);
        // Oldest first; an emitted finding may drop later ones of its key.
        for pd in finished.into_iter().rev() {
            let dropped = self
                .findings
                .raws
                .iter()
                .any(|f| rule_skips(rule) && f.key == pd.p.key && pd.p.first_pos <= f.last_pos);
            if !dropped {
                self.finish_pending(rule, pd, false);
            }
        }
    }

    /// Resolves every pending finding at the end of input.
    pub(crate) fn finish_pendings(&mut self, rule: &CompiledRule) {
        let pendings = std::mem::take(&mut self.pendings);
        for pd in pendings {
            // An earlier pending of the same key may have dropped this one.
            if self
                .findings
                .raws
                .iter()
                .any(|f| f.key == pd.p.key && rule_skips(rule) && pd.p.first_pos <= f.last_pos)
            {
                continue;
            }
            self.finish_pending(rule, pd, true);
        }
    }

    fn finish_pending(&mut self, rule: &CompiledRule, mut pd: Pending, eof: bool) {
        let mut status = if self.shape.leading.is_empty() {
            Status::Confirmed
        } else {
            Status::Partial
        };
        let mut outcomes = Vec::with_capacity(pd.abs.len());
        for a in &pd.abs {
            let (witness, unresolved) = match &a.state {
                AbsState::Witnessed(m) => (Some(m.clone()), false),
                AbsState::Unknown => {
                    status = status.max(Status::Partial);
                    (None, true)
                }
                AbsState::Open => {
                    debug_assert!(eof);
                    if a.deadline.is_none() {
                        pd.p.unchecked += 1;
                        status = status.max(Status::Partial);
                    } else if rule.steps[a.step].on_eof == OnEof::Drop {
                        return;
                    } else {
                        status = Status::Inconclusive;
                    }
                    (None, true)
                }
            };
            outcomes.push(AbsenceOutcome {
                step: a.step,
                deadline: a.deadline,
                witness,
                unresolved,
            });
        }
        self.emit(rule, RawFinding::new(pd.p, status, outcomes));
    }
}

/// The earliest deadline of an open absence (`i64::MAX` when none can be witnessed).
fn earliest_open(pd: &Pending) -> i64 {
    pd.abs
        .iter()
        .filter(|a| matches!(a.state, AbsState::Open))
        .filter_map(|a| a.deadline)
        .min()
        .unwrap_or(i64::MAX)
}

fn rule_skips(rule: &CompiledRule) -> bool {
    rule.after_match == crate::rule::ir::AfterMatch::SkipPastLast
}
