//! Branches: a `{from, match}` alternative compiled into a registered
//! predicate with the formats it reads, and the rule's `until` reset (a
//! matcher, a `{from, match}` map, or `{any: [...]}` of them).
//!
//! This module never decides what a step or fact does with its branches.

use super::compiler::{RuleCompiler, SharedPred};
use crate::rule::ir::Branch;
use crate::rule::yaml::{Kind, Node, Pos};

/// A `from:` and `match:` pair compiled, not registered; `inherited` is the
/// enclosing `from` (used when the pair has none); `at` is where the pair was
/// written (for a missing matcher).
pub(super) fn branch_parts(
    compiler: &mut RuleCompiler<'_>,
    from: Option<&Node>,
    matcher: Option<&Node>,
    at: Pos,
    inherited: Option<Vec<String>>,
) -> Option<(Option<Vec<String>>, SharedPred)> {
    let from = match from {
        Some(node) => Some(compiler.names(node, "from")?),
        None => inherited,
    };
    let predicate = compiler.matcher(matcher, at)?;
    Some((from, predicate))
}

/// A `{from, match}` map written in a raw part of the rule (`until`), its keys
/// checked here, registered as a branch.
fn raw_branch(compiler: &mut RuleCompiler<'_>, node: &Node) -> Option<Branch> {
    if let Kind::Map(entries) = &node.kind {
        for (key, _) in entries {
            let name = key.text().unwrap_or_default();
            if name != "from" && name != "match" {
                compiler.err(
                    key.pos,
                    format!("unknown key `{name}` in alternative; expected `from` and `match`"),
                );
            }
        }
    }
    let (from, predicate) = branch_parts(
        compiler,
        node.get("from"),
        node.get("match"),
        node.pos,
        None,
    )?;
    Some(Branch {
        from,
        pred: compiler.pred(predicate),
    })
}

/// The rule's `until:` reset, compiled into branches.
pub(super) fn until(compiler: &mut RuleCompiler<'_>, node: &Node) -> Vec<Branch> {
    let keys: Vec<String> = match &node.kind {
        Kind::Map(entries) => entries.iter().filter_map(|(key, _)| key.text()).collect(),
        _ => Vec::new(),
    };
    let has = |name: &str| keys.iter().any(|key| key == name);
    if has("any") {
        if keys.len() > 1 {
            compiler.err(node.pos, "`until: {any: [...]}` takes only `any`");
            return Vec::new();
        }
        let Some(Kind::Seq(alternatives)) = node.get("any").map(|any| &any.kind) else {
            let pos = node.get("any").map_or(node.pos, |any| any.pos);
            compiler.err(pos, "`any` is a list of `{from, match}` alternatives");
            return Vec::new();
        };
        alternatives
            .iter()
            .filter_map(|alternative| raw_branch(compiler, alternative))
            .collect()
    } else if has("match") {
        raw_branch(compiler, node).into_iter().collect()
    } else {
        let Some(predicate) = compiler.matcher(Some(node), node.pos) else {
            return Vec::new();
        };
        vec![Branch {
            from: None,
            pred: compiler.pred(predicate),
        }]
    }
}

/// Checks the format names of every `from:` of `until`.
pub(super) fn check_until_formats(compiler: &mut RuleCompiler<'_>, node: &Node) {
    compiler.check_formats(node.get("from"));
    if let Some(Kind::Seq(alternatives)) = node.get("any").map(|any| &any.kind) {
        for alternative in alternatives {
            compiler.check_formats(alternative.get("from"));
        }
    }
}
