//! Horizons: every rule must bound how long a partial match lives (`maxspan`,
//! or a `within` on every later positive step), and no horizon may pass the
//! 48-hour ceiling.
//!
//! This module only checks; the matcher computes horizons from the compiled rule.

use super::compiler::RuleCompiler;
use crate::rule::duration::human;
use crate::rule::ir::{unclamped_horizon, Millis, Step};
use crate::rule::schema::RuleDoc;
use crate::rule::yaml::Seg;

/// The longest horizon a rule may have.
pub const HORIZON_CEILING: Millis = 48 * 3600 * 1000;

/// Checks that the rule's horizon is finite and under [`HORIZON_CEILING`].
pub(super) fn check_horizon(
    compiler: &mut RuleCompiler<'_>,
    doc: &RuleDoc,
    steps: &[Step],
    maxspan: Option<Millis>,
) {
    let positive: Vec<(usize, &Step)> = steps
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.absent)
        .collect();
    if maxspan.is_none() && doc.maxspan.is_none() {
        for (i, step) in positive.iter().skip(1) {
            if step.within.is_none() && doc.steps.get(*i).is_some_and(|d| d.within.is_none()) {
                let pos = compiler.key_pos(&[Seg::Key("steps"), Seg::Index(*i)]);
                compiler.err(
                    pos,
                    format!("no finite horizon: step `{}` has no `within` and the rule has no `maxspan`", step.id),
                );
            }
        }
        if let [(i, step)] = positive.as_slice() {
            if step.count.is_some_and(|c| c.min > 1 || c.max.is_some()) && step.within.is_none() {
                let pos = compiler.key_pos(&[Seg::Key("steps"), Seg::Index(*i), Seg::Key("count")]);
                compiler.err(pos, format!("no finite horizon: `count` on step `{}` needs `maxspan` to bound how long it accumulates", step.id));
            }
        }
    }
    let total = unclamped_horizon(maxspan, steps);
    if total > HORIZON_CEILING {
        let path: &[Seg<'_>] = if doc.maxspan.is_some() {
            &[Seg::Key("maxspan")]
        } else {
            &[Seg::Key("steps")]
        };
        let pos = compiler.key_pos(path);
        compiler.err(
            pos,
            format!("horizon of {} exceeds the 48h ceiling (maxspan or the sum of `within`s, plus the trailing absence)", human(total)),
        );
    }
}
