//! One transition of the automaton: a partial takes a record at a step and
//! becomes the partials that result (waiting at the same `count` step, at the
//! next positive step, or complete).
//!
//! The caller has already checked key, bindings and time bounds
//! (`bounds::check`); this module only builds the resulting partials, with
//! their marks, counts and deadlines. It must never look at the store, the
//! skew memory or other partials.

use crate::matcher::bounds::{self, Checked};
use crate::matcher::hits::{Hit, Key};
use crate::matcher::partial::{Partial, StepMarks, NO_DEADLINE};
use crate::matcher::shape::Shape;
use crate::matcher::skew::At;
use crate::rule::ir::{Bindings, CompiledRule};

/// A partial produced by a transition.
pub(crate) enum Produced {
    /// Waits for its stage (stored).
    Waiting(Partial),
    /// Every positive step is bound.
    Complete(Partial),
}

impl Produced {
    pub fn partial(&self) -> &Partial {
        let (Produced::Waiting(partial) | Produced::Complete(partial)) = self;
        partial
    }
}

/// What produced partials are ordered by: the count the `count` window they
/// come from had before this record (0 for other steps); lower counts (later
/// windows) are inserted last, so they win.
pub(crate) type CountBefore = u32;

/// What a partial takes: a record at a step, what it matched there and what
/// checking its bounds found.
pub(crate) struct Take<'a> {
    pub step: usize,
    pub hit: &'a Hit,
    /// The partial's bindings merged with the hit's.
    pub binds: Bindings,
    pub record: &'a At,
    pub checked: Checked,
}

/// `base` takes `take.record` at `take.step`: pushes the resulting partials to `out`.
pub(crate) fn produce(
    rule: &CompiledRule,
    shape: &Shape,
    base: &Partial,
    take: Take<'_>,
    out: &mut Vec<(CountBefore, Produced)>,
) {
    let Take {
        step: step_index,
        hit,
        binds,
        record,
        checked,
    } = take;
    let step = &rule.steps[step_index];
    let fresh = base.marks.iter().all(Option::is_none);
    let mut next = base.clone();
    next.binds = binds;
    next.unchecked += checked.unchecked_bounds;
    next.order_uncertain |= checked.order_uncertain;
    if next.key.is_none() {
        next.key = hit.key.clone();
    }
    let mark = record.mark(&hit.highlights);
    match next.marks.get_mut(step_index) {
        Some(Some(marks)) => {
            marks.last = mark;
            marks.count += 1;
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
        next.first_pos = record.pos;
        next.first_ts = record.entry.ts;
        next.last_pos = record.pos;
    }
    next.last_pos = next.last_pos.max(record.pos);
    next.last_ts = record.entry.ts;
    next.tail_pos = record.pos;
    next.tail_source = record.entry.source;
    if rule.order_tolerance > 0 {
        next.used.push(record.pos);
    }
    let (count_before_window, done) = match step.count {
        Some(count) => {
            let min = count.min.max(1);
            let cap = count.max.map_or(min, |max| max.max(min));
            let count_before = if usize::from(base.stage) == step_index {
                base.count
            } else {
                0
            };
            if count.max.is_some() && count_before >= cap {
                return;
            }
            let count_now = (count_before + 1).min(cap);
            next.count = count_now;
            if count.max.is_none() || count_now < cap {
                let mut accumulating = next.clone();
                accumulating.stage = step_index as u16;
                accumulating.deadline = bounds::deadline(rule, shape, &accumulating);
                out.push((count_before, Produced::Waiting(accumulating)));
            }
            (count_before, count_before + 1 >= min)
        }
        None => (0, true),
    };
    if !done {
        return;
    }
    next.count = 0;
    match shape.next.get(step_index).copied().flatten() {
        Some(next_step) => {
            next.stage = next_step as u16;
            next.deadline = bounds::deadline(rule, shape, &next);
            out.push((count_before_window, Produced::Waiting(next)));
        }
        None => out.push((count_before_window, Produced::Complete(next))),
    }
}

/// The empty partial a record of the first positive step starts from (it
/// then takes the record through [`produce`]).
pub(crate) fn start(
    rule: &CompiledRule,
    first_step: usize,
    record: &At,
    key: Option<Key>,
) -> Partial {
    Partial {
        key,
        stage: first_step as u16,
        count: 0,
        binds: Bindings::default(),
        marks: vec![None; rule.steps.len()],
        first_pos: record.pos,
        first_ts: record.entry.ts,
        last_pos: record.pos,
        last_ts: record.entry.ts,
        tail_pos: record.pos,
        tail_source: record.entry.source,
        used: Vec::new(),
        unchecked: 0,
        order_uncertain: false,
        deadline: NO_DEADLINE,
        born_wm: i64::MIN,
    }
}
