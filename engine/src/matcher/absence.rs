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
//! lost to a newer one whose longer window is then violated.
//!
//! [`Absences`] owns the pending findings of one rule; the automaton
//! (`sequence`) hands it completed partials and each record's hits, and
//! emits the findings it returns. This module never evaluates predicates (it
//! gets the record's hits from the automaton) and never emits a finding
//! itself: the after-match policy and the kept findings belong to the caller.

use crate::finding::Status;
use crate::matcher::hits::{compatible, key_compatible, Hit, Key};
use crate::matcher::incidents::{AbsenceOutcome, RawFinding};
use crate::matcher::partial::{Mark, Partial};
use crate::matcher::record::Rec;
use crate::matcher::shape::Shape;
use crate::rule::ir::{CompiledRule, OnEof};

/// The state of one trailing absence.
#[derive(Clone, Debug)]
enum AbsenceState {
    Open,
    Witnessed(Mark),
    /// No covering source was provided.
    Unknown,
}

#[derive(Clone, Debug)]
struct Absence {
    step: usize,
    deadline: Option<i64>,
    state: AbsenceState,
}

impl Absence {
    fn is_open(&self) -> bool {
        matches!(self.state, AbsenceState::Open)
    }
}

/// A completed positive prefix waiting for its trailing absences.
#[derive(Clone, Debug)]
pub(crate) struct Pending {
    partial: Partial,
    absences: Vec<Absence>,
}

impl Pending {
    /// The key of the match.
    pub fn key(&self) -> &Option<Key> {
        &self.partial.key
    }

    /// The timeline position of the match's first record.
    pub fn first_pos(&self) -> u64 {
        self.partial.first_pos
    }

    /// The earliest deadline of an open absence (`i64::MAX` when none can be witnessed).
    fn earliest_open(&self) -> i64 {
        self.absences
            .iter()
            .filter(|absence| absence.is_open())
            .filter_map(|absence| absence.deadline)
            .min()
            .unwrap_or(i64::MAX)
    }
}

/// Whether a record at (`timestamp`, `watermark`) may lie at or before `deadline`.
fn inside(deadline: Option<i64>, timestamp: Option<i64>, watermark: Option<i64>) -> bool {
    match (deadline, timestamp, watermark) {
        (None, _, _) => true,
        (Some(deadline), Some(time), _) => time <= deadline,
        (Some(deadline), None, Some(watermark)) => watermark <= deadline,
        (Some(_), None, None) => true,
    }
}

/// The trailing absences of one rule and its pending findings (see the module docs).
#[derive(Debug)]
pub(crate) struct Absences {
    /// The trailing absent steps, each with the positive step its deadline
    /// is measured from.
    trailing: Vec<(usize, Option<usize>)>,
    /// Per absent step: which sources cover it (empty for positive steps).
    covering: Vec<Vec<bool>>,
    /// The status of a finding whose absences all held: `partial` when the
    /// rule has leading absences (never evaluated), else `confirmed`.
    proven: Status,
    pendings: Vec<Pending>,
    /// No pending finding can be witnessed by a record at or before this time.
    next_witness: i64,
}

impl Absences {
    pub fn new(rule: &CompiledRule, shape: &Shape, covering: Vec<Vec<bool>>) -> Absences {
        Absences {
            trailing: shape
                .trailing
                .iter()
                .map(|&step| (step, shape.anchor_step(rule, step)))
                .collect(),
            covering,
            proven: if shape.leading.is_empty() {
                Status::Confirmed
            } else {
                Status::Partial
            },
            pendings: Vec::new(),
            next_witness: i64::MAX,
        }
    }

    /// Whether no finding is pending.
    pub fn is_empty(&self) -> bool {
        self.pendings.is_empty()
    }

    /// Turns a completed partial into a pending finding, or returns the
    /// finding at once when no absence is open (none is covered).
    pub fn open(&mut self, rule: &CompiledRule, partial: Partial) -> Option<RawFinding> {
        let absences = self
            .trailing
            .iter()
            .map(|&(step, anchor_step)| {
                let anchor_ts = anchor_step
                    .and_then(|anchor| partial.marks.get(anchor))
                    .and_then(|marks| marks.as_ref())
                    .and_then(|marks| marks.last.ts);
                let deadline = match (anchor_ts, rule.steps[step].within) {
                    (Some(time), Some(within)) => Some(time.saturating_add(within)),
                    _ => None,
                };
                let covered = self
                    .covering
                    .get(step)
                    .is_some_and(|sources| sources.iter().any(|&covers| covers));
                Absence {
                    step,
                    deadline,
                    state: if covered {
                        AbsenceState::Open
                    } else {
                        AbsenceState::Unknown
                    },
                }
            })
            .collect::<Vec<_>>();
        let pending = Pending { partial, absences };
        if pending.absences.iter().any(Absence::is_open) {
            self.next_witness = self.next_witness.min(pending.earliest_open());
            self.pendings.push(pending);
            None
        } else {
            self.resolve(rule, pending, false)
        }
    }

    /// Kills the pending findings whose absence the record violates; returns
    /// the absent step that killed the first of them (for the trace).
    pub fn kill(&mut self, rec: &Rec<'_>, hits: &[Vec<Hit>]) -> Option<usize> {
        let (timestamp, watermark) = (rec.entry.ts, rec.entry.wm);
        let mut first_killer = None;
        self.pendings.retain(|pending| {
            let killer = pending.absences.iter().find(|absence| {
                absence.is_open()
                    && inside(absence.deadline, timestamp, watermark)
                    && hits.get(absence.step).is_some_and(|step_hits| {
                        step_hits.iter().any(|hit| {
                            key_compatible(&pending.partial.key, &hit.key)
                                && compatible(&pending.partial.binds, &hit.binds)
                        })
                    })
            });
            if let Some(absence) = killer {
                first_killer = first_killer.or(Some(absence.step));
            }
            killer.is_none()
        });
        first_killer
    }

    /// Lets the record witness the deadlines it is past; returns the pending
    /// findings now proven, oldest first (the caller resolves them).
    pub fn witness(&mut self, rec: &Rec<'_>) -> Vec<Pending> {
        let Some(time) = rec.entry.ts else {
            return Vec::new();
        };
        if time <= self.next_witness {
            return Vec::new();
        }
        let source = rec.entry.source as usize;
        let mut done = Vec::new();
        for (index, pending) in self.pendings.iter_mut().enumerate() {
            for absence in &mut pending.absences {
                let covers = self
                    .covering
                    .get(absence.step)
                    .and_then(|sources| sources.get(source))
                    .copied()
                    .unwrap_or(false);
                if absence.is_open()
                    && covers
                    && absence.deadline.is_some_and(|deadline| time > deadline)
                {
                    absence.state = AbsenceState::Witnessed(rec.mark(&[]));
                }
            }
            if !pending.absences.iter().any(Absence::is_open) {
                done.push(index);
            }
        }
        let mut finished = Vec::with_capacity(done.len());
        for index in done.into_iter().rev() {
            finished.push(self.pendings.remove(index));
        }
        self.next_witness = self
            .pendings
            .iter()
            .map(Pending::earliest_open)
            .min()
            .unwrap_or(i64::MAX);
        finished.reverse();
        finished
    }

    /// Takes every pending finding, oldest first (at the end of input).
    pub fn take_all(&mut self) -> Vec<Pending> {
        std::mem::take(&mut self.pendings)
    }

    /// Drops the pending findings of `key` that started at or before
    /// `last_pos` (`after_match: skip_past_last` after a finding ending there).
    pub fn drop_overlapping(&mut self, key: &Option<Key>, last_pos: u64) {
        self.pendings.retain(|pending| {
            !(&pending.partial.key == key && pending.partial.first_pos <= last_pos)
        });
    }

    /// The finding `pending` becomes; `None` when an absence still open at
    /// the end of input (`end_of_input`) has `on_eof: drop`.
    pub fn resolve(
        &self,
        rule: &CompiledRule,
        mut pending: Pending,
        end_of_input: bool,
    ) -> Option<RawFinding> {
        let mut status = self.proven;
        let mut outcomes = Vec::with_capacity(pending.absences.len());
        for absence in &pending.absences {
            let (witness, unresolved) = match &absence.state {
                AbsenceState::Witnessed(mark) => (Some(mark.clone()), false),
                AbsenceState::Unknown => {
                    status = status.max(Status::Partial);
                    (None, true)
                }
                AbsenceState::Open => {
                    debug_assert!(end_of_input);
                    if absence.deadline.is_none() {
                        pending.partial.unchecked += 1;
                        status = status.max(Status::Partial);
                    } else if rule.steps[absence.step].on_eof == OnEof::Drop {
                        return None;
                    } else {
                        status = Status::Inconclusive;
                    }
                    (None, true)
                }
            };
            outcomes.push(AbsenceOutcome {
                step: absence.step,
                deadline: absence.deadline,
                witness,
                unresolved,
            });
        }
        Some(RawFinding::new(pending.partial, status, outcomes))
    }
}
