//! Facts: timeless predicates that support (raise) or are required by a
//! finding, with their `present`/`absent`/`any` form, role, weight and what
//! to assume when their source is missing.
//!
//! This module never looks at steps beyond their ids.

use super::compiler::RuleCompiler;
use super::ids::is_ident;
use crate::rule::ir::{Branch, Fact, FactMode, FactRole, Step};
use crate::rule::schema::{FactDoc, RoleDoc, RuleDoc};
use crate::rule::yaml::Seg;

/// Compiles every fact of the rule.
pub(super) fn facts(compiler: &mut RuleCompiler<'_>, doc: &RuleDoc, steps: &[Step]) -> Vec<Fact> {
    let mut out: Vec<Fact> = Vec::new();
    for (i, fact_doc) in doc.facts.iter().enumerate() {
        let at = |key: &'static str| [Seg::Key("facts"), Seg::Index(i), Seg::Key(key)];
        if !is_ident(&fact_doc.id) {
            let pos = compiler.value_pos(&at("id"));
            compiler.err(
                pos,
                format!(
                    "bad fact id `{}`: use letters, digits, `_` and `-`",
                    fact_doc.id
                ),
            );
        }
        if out.iter().any(|f| f.id == fact_doc.id) || steps.iter().any(|s| s.id == fact_doc.id) {
            let pos = compiler.value_pos(&at("id"));
            compiler.err(
                pos,
                format!(
                    "duplicate id `{}`: fact ids must differ from each other and from step ids",
                    fact_doc.id
                ),
            );
        }
        if fact_doc.role == RoleDoc::Require && fact_doc.weight.is_some() {
            let pos = compiler.key_pos(&at("weight"));
            compiler.err(pos, "`weight` applies only to `role: support` facts");
        }
        if fact_doc.weight.is_some_and(|w| !w.is_finite()) {
            let pos = compiler.value_pos(&at("weight"));
            compiler.err(pos, "`weight` must be a finite number (log-odds)");
        }
        let forms = usize::from(fact_doc.present.is_some())
            + usize::from(fact_doc.absent.is_some())
            + usize::from(fact_doc.any.is_some());
        if forms != 1 {
            let pos = compiler.key_pos(&[Seg::Key("facts"), Seg::Index(i)]);
            compiler.err(
                pos,
                format!(
                    "fact `{}` needs exactly one of `present`, `absent` or `any`",
                    fact_doc.id
                ),
            );
            continue;
        }
        let (mode, branches) = fact_branches(compiler, i, fact_doc);
        out.push(Fact {
            id: fact_doc.id.clone(),
            role: match fact_doc.role {
                RoleDoc::Require => FactRole::Require,
                RoleDoc::Support => FactRole::Support,
            },
            weight: fact_doc.weight.unwrap_or(match fact_doc.role {
                RoleDoc::Support => 1.0,
                RoleDoc::Require => 0.0,
            }),
            mode,
            branches,
            on_source_missing: fact_doc.on_source_missing,
            collect: fact_doc.collect.clone(),
        });
    }
    out
}

/// Fact `i`'s form and branches (one for `present`/`absent`, one per `any`
/// alternative, all of one form).
fn fact_branches(
    compiler: &mut RuleCompiler<'_>,
    i: usize,
    fact_doc: &FactDoc,
) -> (FactMode, Vec<Branch>) {
    let from = match &fact_doc.from {
        Some(node) => compiler.names(node, "from"),
        None => None,
    };
    let mut mode = match fact_doc.absent {
        Some(_) => FactMode::Absent,
        None => FactMode::Present,
    };
    let mut branches = Vec::new();
    let Some(alternatives) = &fact_doc.any else {
        let node = fact_doc.present.as_ref().or(fact_doc.absent.as_ref());
        let missing_at = node.map_or_else(
            || compiler.key_pos(&[Seg::Key("facts"), Seg::Index(i)]),
            |n| n.pos,
        );
        if let Some(predicate) = compiler.matcher(node, missing_at) {
            branches.push(Branch {
                from,
                pred: compiler.pred(predicate),
            });
        }
        return (mode, branches);
    };
    for (j, alternative) in alternatives.iter().enumerate() {
        let alternative_at = compiler.key_pos(&[
            Seg::Key("facts"),
            Seg::Index(i),
            Seg::Key("any"),
            Seg::Index(j),
        ]);
        let (alternative_mode, node) = match (&alternative.present, &alternative.absent) {
            (Some(node), None) => (FactMode::Present, node),
            (None, Some(node)) => (FactMode::Absent, node),
            _ => {
                compiler.err(
                    alternative_at,
                    "a fact alternative needs exactly one of `present` or `absent`",
                );
                continue;
            }
        };
        if j == 0 {
            mode = alternative_mode;
        } else if alternative_mode != mode {
            compiler.err(
                alternative_at,
                "all `any` alternatives of a fact must use the same form (`present` or `absent`)",
            );
        }
        let alternative_from = match &alternative.from {
            Some(node) => compiler.names(node, "from"),
            None => from.clone(),
        };
        if let Some(predicate) = compiler.matcher(Some(node), node.pos) {
            branches.push(Branch {
                from: alternative_from,
                pred: compiler.pred(predicate),
            });
        }
    }
    (mode, branches)
}
