//! Time bounds of a partial taking a record: `maxspan`, `max_gap` and the
//! step's `within` (all inclusive, on the records' own timestamps), and the
//! deadline they give a waiting partial.
//!
//! A bound that cannot be checked because a record has no timestamp never
//! rejects: it is counted as unchecked, unless the timeline watermark (a lower
//! bound of the record's time) already proves the bound exceeded. A record
//! before its `within` anchor is taken only across the rule's
//! `order_tolerance` (and makes the match `order_uncertain`). This module
//! reads partials and never changes them.

use crate::matcher::partial::{Mark, Partial, NO_DEADLINE};
use crate::matcher::shape::Shape;
use crate::matcher::skew::At;
use crate::rule::ir::CompiledRule;

/// What checking the bounds of one taken record found (they all held).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Checked {
    /// Bounds that could not be checked (a record had no timestamp).
    pub unchecked_bounds: u32,
    /// The record lies before its anchor, within the `order_tolerance`.
    pub order_uncertain: bool,
}

/// Outcome of one time bound.
enum Bound {
    Ok,
    Unchecked,
    Reject,
}

/// `later <= base + add`, given `later`'s own timestamp and watermark.
fn upper(base: Option<i64>, add: i64, timestamp: Option<i64>, watermark: Option<i64>) -> Bound {
    let Some(base) = base else {
        return Bound::Unchecked;
    };
    let bound = base.saturating_add(add);
    match (timestamp, watermark) {
        (Some(time), _) if time <= bound => Bound::Ok,
        (Some(_), _) => Bound::Reject,
        (None, Some(watermark)) if watermark > bound => Bound::Reject,
        (None, _) => Bound::Unchecked,
    }
}

/// Time bounds for `partial` taking `record` at `step`: `None` when violated.
pub(crate) fn check(
    rule: &CompiledRule,
    shape: &Shape,
    partial: &Partial,
    step: usize,
    record: &At,
) -> Option<Checked> {
    let (timestamp, watermark) = (record.entry.ts, record.entry.wm);
    let mut checked = Checked::default();
    let mut apply = |bound: Bound| match bound {
        Bound::Ok => Some(()),
        Bound::Unchecked => {
            checked.unchecked_bounds += 1;
            Some(())
        }
        Bound::Reject => None,
    };
    if let Some(maxspan) = rule.maxspan {
        apply(upper(partial.first_ts, maxspan, timestamp, watermark))?;
    }
    if let Some(max_gap) = rule.max_gap {
        apply(upper(partial.last_ts, max_gap, timestamp, watermark))?;
    }
    if let Some(within) = rule.steps[step].within {
        if let Some(anchor) = anchor(rule, shape, partial, step) {
            apply(upper(anchor.ts, within, timestamp, watermark))?;
            if let (Some(anchor_time), Some(time)) = (anchor.ts, timestamp) {
                if time < anchor_time.saturating_sub(rule.order_tolerance) {
                    return None;
                }
                checked.order_uncertain = time < anchor_time;
            }
        }
    }
    Some(checked)
}

/// The record step `step`'s `within` is measured from.
fn anchor<'p>(
    rule: &CompiledRule,
    shape: &Shape,
    partial: &'p Partial,
    step: usize,
) -> Option<&'p Mark> {
    let anchor_step = shape.anchor_step(rule, step)?;
    partial
        .marks
        .get(anchor_step)?
        .as_ref()
        .map(|marks| &marks.last)
}

/// The latest time the next record of `partial` (waiting at its stage) may have.
pub(crate) fn deadline(rule: &CompiledRule, shape: &Shape, partial: &Partial) -> i64 {
    let mut deadline = NO_DEADLINE;
    let mut cap = |base: Option<i64>, add: Option<i64>| {
        if let (Some(base), Some(add)) = (base, add) {
            deadline = deadline.min(base.saturating_add(add));
        }
    };
    cap(partial.first_ts, rule.maxspan);
    cap(partial.last_ts, rule.max_gap);
    let stage = usize::from(partial.stage);
    if let Some(step) = rule.steps.get(stage) {
        cap(
            anchor(rule, shape, partial, stage).and_then(|mark| mark.ts),
            step.within,
        );
    }
    deadline
}
