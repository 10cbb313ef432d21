//! One record against one step: which branches match, what they bind, which key.
//!
//! Every branch that reads the record's source and passes the prefilter is
//! evaluated once, with no variables bound; partials then pick the first branch
//! (in rule order) whose bindings unify with theirs, which is what evaluating
//! the branches in order with the partial's bindings would give. Key variables
//! the predicate did not bind come from a `key:` alias field, else from the
//! event field of the same name, else (`on_missing_key: null_key`) the empty
//! string; otherwise the branch cannot key the record and is dropped. This
//! module never touches partial state.

use std::ops::Range;
use std::sync::Arc;

use crate::event::EventRef;
use crate::rule::ir::{Bindings, Branch, CompiledRule, OnMissingKey, Step};
use crate::rule::prefilter::Candidates;

/// Key values, in `correlate.by` order.
pub(crate) type Key = Arc<[Arc<str>]>;

/// One matching branch.
#[derive(Clone, Debug)]
pub(crate) struct Hit {
    /// Predicate bindings plus the resolved key variables.
    pub binds: Bindings,
    /// `None` for a broadcast step (and a keyless `until`).
    pub key: Option<Key>,
    /// Matched parts, relative to the start of the record's text.
    pub highlights: Vec<Range<u32>>,
}

/// How to key a hit.
#[derive(Clone, Copy)]
pub(crate) enum Keying<'a> {
    /// A keyed step, with its aliases.
    Step(&'a Step),
    /// A broadcast step: no key.
    Broadcast,
    /// `until`: keyed when the record names the key, global otherwise.
    Until,
}

/// Evaluates `branches[i]` for every `i` in `reading`, in order.
pub(crate) fn eval_branches(
    rule: &CompiledRule,
    branches: &[Branch],
    reading: &[u16],
    keying: Keying<'_>,
    event: &EventRef<'_>,
    candidates: &Candidates,
) -> Vec<Hit> {
    let mut hits = Vec::new();
    for &branch_index in reading {
        let Some(branch) = branches.get(usize::from(branch_index)) else {
            continue;
        };
        if !candidates.may_match(branch.pred.id) {
            continue;
        }
        let mut binds = Bindings::default();
        let mut highlights = Vec::new();
        if !branch.pred.inner.eval(event, &mut binds, &mut highlights) {
            continue;
        }
        let key = match keying {
            Keying::Broadcast => None,
            Keying::Step(step) => {
                match resolve_key(
                    rule,
                    &step.key_alias,
                    rule.on_missing_key,
                    event,
                    &mut binds,
                ) {
                    Some(key) => Some(key),
                    None => continue,
                }
            }
            Keying::Until => resolve_key(rule, &[], OnMissingKey::Skip, event, &mut binds),
        };
        hits.push(Hit {
            binds,
            key,
            highlights: relative(highlights, event.event.text.start),
        });
    }
    hits
}

/// Highlights (absolute in the segment's text) relative to the record's text
/// start `base`, which does not move when a source is cut into segments.
/// Ranges outside the record text (before `base`, or reversed) are dropped.
fn relative(highlights: Vec<Range<u32>>, base: u32) -> Vec<Range<u32>> {
    highlights
        .into_iter()
        .filter(|range| range.start >= base && range.end >= range.start)
        .map(|range| range.start - base..range.end - base)
        .collect()
}

/// Binds every `correlate.by` variable (see the module docs) and returns the key.
fn resolve_key(
    rule: &CompiledRule,
    aliases: &[(String, String)],
    missing: OnMissingKey,
    event: &EventRef<'_>,
    binds: &mut Bindings,
) -> Option<Key> {
    let mut key = Vec::with_capacity(rule.correlate_by.len());
    for var in &rule.correlate_by {
        let value: Arc<str> = match binds.get(var) {
            Some(bound) => Arc::from(bound),
            None => {
                let field = aliases
                    .iter()
                    .find(|(alias, _)| alias == var)
                    .map_or(var.as_str(), |(_, field)| field.as_str());
                let found = event
                    .get(field)
                    .map(|found| Arc::<str>::from(found.as_ref()));
                let value = match (found, missing) {
                    (Some(found), _) => found,
                    (None, OnMissingKey::NullKey) => Arc::from(""),
                    (None, OnMissingKey::Skip) => return None,
                };
                if !binds.unify(var, &value) {
                    return None;
                }
                value
            }
        };
        key.push(value);
    }
    Some(key.into())
}

/// Whether every variable bound in both `held` and `new` has the same value.
pub(crate) fn compatible(held: &Bindings, new: &Bindings) -> bool {
    new.0
        .iter()
        .all(|(name, value)| held.get(name).is_none_or(|bound| bound == &**value))
}

/// `held` extended with `new` (assumes [`compatible`]).
pub(crate) fn merged(held: &Bindings, new: &Bindings) -> Bindings {
    let mut out = held.clone();
    for (name, value) in &new.0 {
        if out.get(name).is_none() {
            out.0.push((name.clone(), value.clone()));
        }
    }
    out
}

/// Whether a partial keyed `partial_key` may take a hit keyed `hit_key`: a
/// broadcast hit (no key) or a keyless partial fits any key.
pub(crate) fn key_compatible(partial_key: &Option<Key>, hit_key: &Option<Key>) -> bool {
    match (partial_key, hit_key) {
        (Some(partial_key), Some(hit_key)) => partial_key == hit_key,
        _ => true,
    }
}
