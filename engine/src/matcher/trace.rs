//! Why-not instrumentation: how far one rule got, for "what to collect next"
//! and `scan --explain`.
//!
//! Always kept (plain fields, touched only when a partial moves deeper than
//! before or dies): the deepest positive step any partial bound, with the
//! record that first bound it, and the first record that ended a partial
//! through an absent step (mid-sequence or trailing). Only when counting
//! (`MatchOptions::explain`): per step, how many records matched its predicate
//! with a key, ignoring correlation and time, and the first of them.
//!
//! It only observes: it must never change what the automaton matches. Records
//! the automaton skipped (steps no partial waits for) are evaluated again for
//! counting only, and their hits go nowhere else. On a streamed source only
//! candidate records are parsed, so the counts cover candidate records only.

use crate::finding::{FactResult, RuleTrace};
use crate::matcher::hits::Hit;
use crate::matcher::incidents::loc;
use crate::matcher::partial::{Mark, StepMarks};
use crate::matcher::sequence::Rec;

/// The why-not state of one rule's run.
#[derive(Debug, Default)]
pub(crate) struct Trace {
    /// Count matches per step (explain mode).
    pub counting: bool,
    matched: Vec<u64>,
    first: Vec<Option<Mark>>,
    reached: Option<(usize, Mark)>,
    killed: Option<(usize, Mark)>,
}

impl Trace {
    pub fn new(steps: usize, counting: bool) -> Trace {
        let n = if counting { steps } else { 0 };
        Trace {
            counting,
            matched: vec![0; n],
            first: vec![None; n],
            reached: None,
            killed: None,
        }
    }

    /// A partial now holds `marks`: remembers its deepest bound step if deeper than any before.
    pub fn bound(&mut self, marks: &[Option<StepMarks>]) {
        let Some(depth) = marks.iter().rposition(Option::is_some) else {
            return;
        };
        if self.reached.as_ref().is_some_and(|(d, _)| *d >= depth) {
            return;
        }
        if let Some(Some(m)) = marks.get(depth) {
            self.reached = Some((depth, m.first.clone()));
        }
    }

    /// The record matched step `j` (its hits are not empty).
    pub fn matched(&mut self, j: usize, rec: &Rec<'_>, hits: &[Hit]) {
        let Some(h) = hits.first() else {
            return;
        };
        if let Some(n) = self.matched.get_mut(j) {
            *n += 1;
        }
        if let Some(slot @ None) = self.first.get_mut(j) {
            *slot = Some(rec.mark(&h.highlights));
        }
    }

    /// The record ended a partial through absent step `step` (the first such record is kept).
    pub fn killed(&mut self, step: usize, rec: &Rec<'_>) {
        if self.killed.is_none() {
            self.killed = Some((step, rec.mark(&[])));
        }
    }

    /// The public form, with the rule's fact results.
    pub fn finish(&self, facts: Vec<FactResult>) -> RuleTrace {
        RuleTrace {
            counted: self.counting,
            matched: self.matched.clone(),
            first: self.first.iter().map(|m| m.as_ref().map(loc)).collect(),
            reached: self.reached.as_ref().map(|(d, m)| (*d, loc(m))),
            killed: self.killed.as_ref().map(|(s, m)| (*s, loc(m))),
            facts,
        }
    }
}
