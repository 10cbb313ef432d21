//! Steps: ids, matchers (`match`, `any`, `same_as`), `after`, `within`,
//! `count`, `absent` and `on_eof`, and key aliases, checked against each
//! other and compiled in order.
//!
//! This module never checks horizons, correlation or placeholders (their own
//! modules read what it returns).

use std::sync::Arc;

use super::branches::branch_parts;
use super::compiler::{RuleCompiler, SharedPred};
use super::ids::is_ident;
use crate::rule::ir::{Branch, Count, OnEof, Step};
use crate::rule::record::Both;
use crate::rule::schema::{OnEofDoc, RuleDoc, StepDoc};
use crate::rule::suggest;
use crate::rule::yaml::{Kind, Scalar, Seg};

/// What a step can bind, for correlation and placeholder checks: per branch,
/// its variables.
pub(super) struct StepInfo {
    pub binds: Vec<Vec<String>>,
}

/// Compiles every step, in order, with what each can bind.
pub(super) fn steps(compiler: &mut RuleCompiler<'_>, doc: &RuleDoc) -> (Vec<Step>, Vec<StepInfo>) {
    let mut steps: Vec<Step> = Vec::new();
    let mut infos = Vec::new();
    for (i, step_doc) in doc.steps.iter().enumerate() {
        let at = |key: &'static str| [Seg::Key("steps"), Seg::Index(i), Seg::Key(key)];
        if !is_ident(&step_doc.id) {
            let pos = compiler.value_pos(&at("id"));
            compiler.err(
                pos,
                format!(
                    "bad step id `{}`: use letters, digits, `_` and `-`",
                    step_doc.id
                ),
            );
        }
        if steps.iter().any(|s| s.id == step_doc.id) {
            let pos = compiler.value_pos(&at("id"));
            compiler.err(pos, format!("duplicate step id `{}`", step_doc.id));
        }
        let branches = step_branches(compiler, i, step_doc, &steps);
        let (broadcast, key_alias) = step_key(compiler, step_doc);
        let after = step_doc
            .after
            .as_ref()
            .and_then(|after| earlier_step(compiler, doc, i, after, &steps));
        let within = compiler.duration(step_doc.within.as_ref());
        let count = step_count(compiler, i, step_doc);
        let trailing = step_doc.absent && doc.steps.iter().skip(i + 1).all(|s| s.absent);
        if step_doc.on_eof.is_some() && !trailing {
            let pos = compiler.key_pos(&at("on_eof"));
            compiler.err(pos, "`on_eof` applies only to trailing `absent` steps");
        }
        if trailing
            && within.is_none()
            && step_doc.within.is_none()
            && !doc.steps.iter().all(|s| s.absent)
        {
            let pos = compiler.key_pos(&at("absent"));
            compiler.err(
                pos,
                format!(
                    "trailing absent step `{}` needs `within` (how long the absence must last)",
                    step_doc.id
                ),
            );
        }
        let first_positive = !step_doc.absent && steps.iter().all(|s| s.absent);
        if first_positive && step_doc.within.is_some() && step_doc.after.is_none() {
            let pos = compiler.key_pos(&at("within"));
            compiler.err(pos, format!("`within` on the first positive step `{}` has nothing to be measured from; use `maxspan`", step_doc.id));
        }
        if first_positive && broadcast && doc.correlate.as_ref().is_some_and(|c| !c.by.is_empty()) {
            let pos = compiler.key_pos(&at("key"));
            compiler.err(pos, format!("the first positive step `{}` cannot be `key: none`: it would start a partial for no key", step_doc.id));
        }
        infos.push(StepInfo {
            binds: branches
                .iter()
                .map(|branch| {
                    let mut vars = branch.pred.inner.binds();
                    vars.extend(key_alias.iter().map(|(var, _)| var.clone()));
                    vars
                })
                .collect(),
        });
        steps.push(Step {
            id: step_doc.id.clone(),
            branches,
            absent: step_doc.absent,
            after,
            within,
            count,
            broadcast,
            key_alias,
            on_eof: match step_doc.on_eof {
                Some(OnEofDoc::Drop) => OnEof::Drop,
                _ => OnEof::Inconclusive,
            },
            collect: step_doc.collect.clone(),
        });
    }
    if !doc.steps.is_empty() && doc.steps.iter().all(|s| s.absent) {
        let pos = compiler.key_pos(&[Seg::Key("steps")]);
        compiler.err(
            pos,
            "a rule needs at least one positive (non-`absent`) step",
        );
    }
    (steps, infos)
}

/// The index of the earlier positive step `after` names (of step `i`).
fn earlier_step(
    compiler: &mut RuleCompiler<'_>,
    doc: &RuleDoc,
    i: usize,
    after: &str,
    earlier: &[Step],
) -> Option<usize> {
    let pos = compiler.value_pos(&[Seg::Key("steps"), Seg::Index(i), Seg::Key("after")]);
    match earlier.iter().position(|s| s.id == after) {
        Some(j) if earlier.get(j).is_some_and(|s| s.absent) => {
            compiler.err(pos, format!("`after: {after}` names an absent step; `within` is measured from a positive step"));
            None
        }
        Some(j) => Some(j),
        None => {
            let later = doc.steps.iter().skip(i).any(|s| s.id == after);
            let why = if later {
                "a later step (or this one)"
            } else {
                "no step"
            };
            let hint = if later {
                String::new()
            } else {
                suggest::hint(after, earlier.iter().map(|s| s.id.as_str()))
            };
            compiler.err(
                pos,
                format!("`after: {after}` names {why}; it must name an earlier step{hint}"),
            );
            None
        }
    }
}

/// Step `i`'s `count`, checked.
fn step_count(compiler: &mut RuleCompiler<'_>, i: usize, step_doc: &StepDoc) -> Option<Count> {
    let count = step_doc.count.as_ref()?;
    let at = |key: &'static str| {
        [
            Seg::Key("steps"),
            Seg::Index(i),
            Seg::Key("count"),
            Seg::Key(key),
        ]
    };
    if step_doc.absent {
        let pos = compiler.key_pos(&[Seg::Key("steps"), Seg::Index(i), Seg::Key("count")]);
        compiler.err(pos, "`count` has no meaning on an `absent` step");
        return None;
    }
    if count.min == 0 {
        let pos = compiler.value_pos(&at("min"));
        compiler.err(
            pos,
            "`count.min` must be at least 1 (use `absent: true` for \"none\")",
        );
    }
    if count.max.is_some_and(|max| max < count.min) {
        let pos = compiler.value_pos(&at("max"));
        compiler.err(pos, "`count.max` is smaller than `count.min`");
    }
    Some(Count {
        min: count.min,
        max: count.max,
    })
}

/// Step `i`'s branches: its `match`, each `any` alternative (with the `match`
/// ANDed in), or the branches of the earlier step `same_as` names.
fn step_branches(
    compiler: &mut RuleCompiler<'_>,
    i: usize,
    step_doc: &StepDoc,
    earlier: &[Step],
) -> Vec<Branch> {
    let at = |key: &'static str| [Seg::Key("steps"), Seg::Index(i), Seg::Key(key)];
    let from = match &step_doc.from {
        Some(node) => compiler.names(node, "from"),
        None => None,
    };
    if let Some(target) = &step_doc.same_as {
        let pos = compiler.value_pos(&at("same_as"));
        if step_doc.match_.is_some() || step_doc.any.is_some() {
            let key_pos = compiler.key_pos(&at("same_as"));
            compiler.err(
                key_pos,
                "`same_as` reuses another step's matcher: remove `match` and `any`",
            );
        }
        return match earlier.iter().find(|s| s.id == *target) {
            Some(step) => step.branches.clone(),
            None => {
                let hint = suggest::hint(target, earlier.iter().map(|s| s.id.as_str()));
                compiler.err(
                    pos,
                    format!("`same_as: {target}` must name an earlier step{hint}"),
                );
                Vec::new()
            }
        };
    }
    let main = match &step_doc.match_ {
        Some(node) => compiler.matcher(Some(node), node.pos),
        None => None,
    };
    match &step_doc.any {
        None if step_doc.match_.is_none() => {
            let pos = compiler.key_pos(&[Seg::Key("steps"), Seg::Index(i)]);
            compiler.err(
                pos,
                format!("step `{}` needs `match`, `any` or `same_as`", step_doc.id),
            );
            Vec::new()
        }
        None => main
            .map(|predicate| Branch {
                from: from.clone(),
                pred: compiler.pred(predicate),
            })
            .into_iter()
            .collect(),
        Some(alternatives) => {
            if alternatives.is_empty() {
                let pos = compiler.value_pos(&at("any"));
                compiler.err(pos, "`any` is empty");
            }
            let mut out = Vec::new();
            for (j, alternative) in alternatives.iter().enumerate() {
                let alternative_at = compiler.key_pos(&[
                    Seg::Key("steps"),
                    Seg::Index(i),
                    Seg::Key("any"),
                    Seg::Index(j),
                ]);
                let Some((alternative_from, predicate)) = branch_parts(
                    compiler,
                    alternative.from.as_ref(),
                    Some(&alternative.match_),
                    alternative_at,
                    from.clone(),
                ) else {
                    continue;
                };
                let inner: SharedPred = match &main {
                    Some(matcher) => Arc::new(Both(matcher.clone(), predicate)),
                    None => predicate,
                };
                out.push(Branch {
                    from: alternative_from,
                    pred: compiler.pred(inner),
                });
            }
            out
        }
    }
}

/// A step's `key:`: `none` (the step advances every key) or aliases `{var: field}`.
fn step_key(compiler: &mut RuleCompiler<'_>, step_doc: &StepDoc) -> (bool, Vec<(String, String)>) {
    let Some(node) = &step_doc.key else {
        return (false, Vec::new());
    };
    match &node.kind {
        Kind::Scalar(Scalar::Str(text)) if text == "none" => (true, Vec::new()),
        Kind::Map(entries) => {
            let mut aliases = Vec::new();
            for (var, field) in entries {
                match (&var.kind, &field.kind) {
                    (Kind::Scalar(Scalar::Str(var)), Kind::Scalar(Scalar::Str(field)))
                        if is_ident(var) && !field.is_empty() =>
                    {
                        aliases.push((var.clone(), field.clone()))
                    }
                    _ => compiler.err(
                        node.pos,
                        "`key` aliases map a variable to a field name, e.g. `{server: mcp_name}`",
                    ),
                }
            }
            (false, aliases)
        }
        _ => {
            compiler.err(
                node.pos,
                "`key` is `none` (a host-level step) or a map of aliases `{var: field}`",
            );
            (false, Vec::new())
        }
    }
}
