//! Placeholder checks: every `{name}` and `{step.field}` of the diagnosis and
//! of `collect` texts must name a variable, step or fact (and a step field
//! that exists), or it would be printed as written; each error points at the
//! placeholder itself, on the line of a block scalar it was written on.
//!
//! This module never fills a template (that is `template`).

use super::compiler::RuleCompiler;
use super::diag::Diag;
use super::steps::StepInfo;
use crate::rule::ir::{Fact, Step};
use crate::rule::placeholder::{placeholders, STEP_FIELDS};
use crate::rule::schema::RuleDoc;
use crate::rule::suggest;
use crate::rule::yaml::{Node, Pos, Seg};

/// What the templates of a rule may name.
pub(super) struct Names<'a> {
    pub steps: &'a [Step],
    pub facts: &'a [Fact],
    /// The `correlate.by` variables.
    pub by: &'a [String],
    pub infos: &'a [StepInfo],
}

/// Checks every placeholder of the diagnosis and of `collect` texts.
pub(super) fn check_placeholders(
    compiler: &mut RuleCompiler<'_>,
    doc: &RuleDoc,
    names: &Names<'_>,
) {
    let Names {
        steps,
        facts,
        by,
        infos,
    } = names;
    let mut vars: Vec<String> = by.to_vec();
    for info in infos.iter() {
        vars.extend(info.binds.iter().flatten().cloned());
    }
    for branch in facts.iter().flat_map(|f| &f.branches) {
        vars.extend(branch.pred.inner.binds());
    }
    let named = |n: &str| steps.iter().any(|s| s.id == n) || facts.iter().any(|f| f.id == n);
    // Every text filled from a finding: the diagnosis, and what to collect.
    let mut texts: Vec<(Vec<Seg<'_>>, String, &str)> = [
        ("summary", &doc.diagnosis.summary),
        ("explanation", &doc.diagnosis.explanation),
        ("fix", &doc.diagnosis.fix),
    ]
    .into_iter()
    .map(|(key, text)| {
        let path = vec![Seg::Key("diagnosis"), Seg::Key(key)];
        (path, format!("diagnosis.{key}"), text.as_str())
    })
    .collect();
    for (list, items) in [
        (
            "steps",
            doc.steps.iter().map(|s| &s.collect).collect::<Vec<_>>(),
        ),
        ("facts", doc.facts.iter().map(|f| &f.collect).collect()),
    ] {
        for (i, collect) in items.into_iter().enumerate() {
            if let Some(text) = collect {
                let path = vec![Seg::Key(list), Seg::Index(i), Seg::Key("collect")];
                texts.push((path, format!("{list}[{i}].collect"), text.as_str()));
            }
        }
    }
    let known: Vec<&str> = vars
        .iter()
        .map(String::as_str)
        .chain(steps.iter().map(|s| s.id.as_str()))
        .chain(facts.iter().map(|f| f.id.as_str()))
        .collect();
    for (path, label, text) in texts {
        for placeholder in placeholders(text) {
            if let Some((head, field)) = placeholder.split_once('.') {
                if steps.iter().any(|s| s.id == head) && !STEP_FIELDS.contains(&field) {
                    let pos = placeholder_pos(compiler, &path, placeholder);
                    let hint = suggest::hint(field, STEP_FIELDS.iter().copied());
                    let len = placeholder_len(compiler, &path, pos, placeholder);
                    compiler.diags.push(Diag {
                        pos,
                        len,
                        message: format!(
                            "placeholder `{{{placeholder}}}` in `{label}` names no field of step `{head}`{hint} (step fields: {}); it would be printed as written",
                            STEP_FIELDS.join(", ")
                        ),
                    });
                    continue;
                }
            }
            let ok = match placeholder.split_once('.') {
                Some((head, _)) => named(head),
                // A matcher that failed to compile may have bound it: say nothing more.
                None => {
                    vars.iter().any(|v| v == placeholder)
                        || named(placeholder)
                        || compiler.matcher_failed
                }
            };
            if !ok {
                let pos = placeholder_pos(compiler, &path, placeholder);
                let what = if placeholder.contains('.') {
                    "names no step or fact"
                } else {
                    "names no variable (named regex group, key alias or `correlate.by`), step or fact"
                };
                let head = placeholder
                    .split_once('.')
                    .map_or(placeholder, |(head, _)| head);
                let near = suggest::hint(head, known.iter().copied());
                let len = placeholder_len(compiler, &path, pos, placeholder);
                compiler.diags.push(Diag {
                    pos,
                    len,
                    message: format!("placeholder `{{{placeholder}}}` in `{label}` {what}{near}"),
                });
            }
        }
    }
}

/// The width of `{placeholder}` when it was found at `pos`; 0 (the value's
/// token) when it was not.
fn placeholder_len(
    compiler: &RuleCompiler<'_>,
    path: &[Seg<'_>],
    pos: Pos,
    placeholder: &str,
) -> u32 {
    if pos == compiler.value_pos(path) {
        return 0;
    }
    u32::try_from(placeholder.chars().count() + 2).unwrap_or(u32::MAX)
}

/// The position of `{placeholder}` in the lines the value was written on (a
/// block scalar spans several); the value's position when it is not found there.
fn placeholder_pos(compiler: &RuleCompiler<'_>, path: &[Seg<'_>], placeholder: &str) -> Pos {
    let pos = compiler.value_pos(path);
    let needle = format!("{{{placeholder}}}");
    let span = compiler
        .root
        .at(path)
        .and_then(Node::as_str)
        .map_or(1, |value| value.lines().count().max(1));
    let lines = compiler
        .text
        .lines()
        .enumerate()
        .skip(pos.line.saturating_sub(1) as usize)
        .take(span + 1);
    for (i, line) in lines {
        let first = i + 1 == pos.line as usize;
        let from = if first {
            line.char_indices()
                .nth(pos.col.saturating_sub(1) as usize)
                .map_or(line.len(), |(byte, _)| byte)
        } else {
            0
        };
        if let Some(offset) = line.get(from..).and_then(|rest| rest.find(&needle)) {
            let col = line.get(..from + offset).map_or(0, |s| s.chars().count());
            return Pos {
                line: u32::try_from(i + 1).unwrap_or(u32::MAX),
                col: u32::try_from(col).unwrap_or(u32::MAX).saturating_add(1),
            };
        }
    }
    pos
}
