//! One rule file's text in, a validated [`CompiledRule`] (or every error found
//! in it, with positions) out.
//!
//! Order of work: the file is parsed once (`rule::yaml`); duplicate keys,
//! unknown keys and wrong types come from that reading (`problems`); then
//! meaning: ids (`ids`), `until` and alternatives (`branches`), steps
//! (`steps`), horizons (`horizon`), correlation variables (`correlate`), facts
//! (`facts`) and diagnosis placeholders (`placeholders`), on the state of
//! `compiler`. This module never reads files and never looks across rule
//! files (duplicate ids are `rule::load`'s job).

mod branches;
mod compiler;
mod correlate;
mod diag;
mod facts;
mod horizon;
mod ids;
mod placeholders;
mod problems;
mod steps;

use std::sync::Arc;

pub use correlate::WELL_KNOWN_FIELDS;
pub use diag::Diag;
pub use horizon::HORIZON_CEILING;

use crate::rule::ir::{CompiledRule, Diagnosis, Origin, RecordPredicate, Severity};
use crate::rule::schema::{RuleDoc, SeverityDoc};
use crate::rule::yaml::{self, Kind, Pos, Problem, Seg, UnknownKeys};
use compiler::RuleCompiler;

/// A compiled rule and where its `id` and `explains` values were written (for cross-file checks).
pub struct Compiled {
    pub rule: CompiledRule,
    pub id_pos: Pos,
    /// Where each `explains` entry was written, in order.
    pub explains_pos: Vec<Pos>,
}

/// Compiles one rule file. Predicates are appended to `preds`; their index is their id.
pub fn compile_file(
    path: &str,
    text: &str,
    preds: &mut Vec<Arc<dyn RecordPredicate>>,
) -> Result<Compiled, Vec<Diag>> {
    let root = match yaml::parse(text) {
        Ok(Some(root)) => root,
        Ok(None) => return Err(vec![Diag::new(Pos { line: 1, col: 1 }, "empty rule file")]),
        Err(error) => return Err(vec![problems::syntax_error(text, &error)]),
    };
    if !matches!(root.kind, Kind::Map(_)) {
        return Err(vec![Diag::new(
            root.pos,
            "a rule file holds one map (`id:`, `steps:`, ...)",
        )]);
    }
    let reading = yaml::from_node::<RuleDoc>(&root, UnknownKeys::Report);
    let holders = problems::maps_holding_unknown_keys(&root, &reading.problems);
    let mut diags: Vec<Diag> = yaml::node::duplicate_keys(&root)
        .into_iter()
        .map(|(pos, message)| Diag::new(pos, message))
        .chain(reading.problems.iter().map(problems::diag_of))
        .collect();
    let only_keys = reading
        .problems
        .iter()
        .all(|p| matches!(p, Problem::UnknownKey { .. }));
    let doc = match reading.value {
        // With unknown keys alone the meaning checks still run, so that every
        // error is reported; the file still fails for the keys.
        Some(doc) if only_keys => doc,
        _ => return Err(finish(diags, &holders)),
    };
    let start = preds.len();
    let mut compiler = RuleCompiler {
        root: &root,
        text,
        diags: std::mem::take(&mut diags),
        preds,
        matcher_failed: false,
    };
    let rule = rule(&mut compiler, &doc, path);
    if compiler.diags.is_empty() {
        let id_pos = root.value_pos(&[Seg::Key("id")]);
        let explains_pos = (0..rule.explains.len())
            .map(|i| root.value_pos(&[Seg::Key("explains"), Seg::Index(i)]))
            .collect();
        return Ok(Compiled {
            rule,
            id_pos,
            explains_pos,
        });
    }
    let diags = std::mem::take(&mut compiler.diags);
    preds.truncate(start);
    Err(finish(diags, &holders))
}

/// The errors in file order, without those about a map that held an unknown key
/// (see [`problems::maps_holding_unknown_keys`]).
fn finish(mut diags: Vec<Diag>, holders: &[Pos]) -> Vec<Diag> {
    diags.retain(|d| d.message.starts_with("unknown key") || !holders.contains(&d.pos));
    diags.sort_by_key(|d| (d.pos.line, d.pos.col));
    diags
}

/// Checks the meaning of a read rule and compiles it.
fn rule(compiler: &mut RuleCompiler<'_>, doc: &RuleDoc, path: &str) -> CompiledRule {
    ids::check_ids(compiler, doc);
    if !(doc.confidence > 0.0 && doc.confidence < 1.0) {
        let pos = compiler.value_pos(&[Seg::Key("confidence")]);
        compiler.err(
            pos,
            format!(
                "`confidence` must be between 0 and 1, exclusive (got {})",
                doc.confidence
            ),
        );
    }
    let maxspan = compiler.duration(doc.maxspan.as_ref());
    let max_gap = compiler.duration(doc.max_gap.as_ref());
    let order_tolerance = compiler.duration(doc.order_tolerance.as_ref()).unwrap_or(0);
    let merge_window = doc
        .merge
        .as_ref()
        .and_then(|merge| compiler.duration(Some(&merge.window)));
    let correlate_by: Vec<String> = doc
        .correlate
        .as_ref()
        .map(|c| c.by.clone())
        .unwrap_or_default();
    let until = match &doc.until {
        Some(node) => branches::until(compiler, node),
        None => Vec::new(),
    };
    let sources = match &doc.sources {
        Some(node) if matches!(&node.kind, Kind::Seq(items) if items.is_empty()) => Vec::new(),
        Some(node) => compiler.names(node, "sources").unwrap_or_default(),
        None => Vec::new(),
    };
    check_every_format(compiler, doc);
    let (steps, infos) = steps::steps(compiler, doc);
    horizon::check_horizon(compiler, doc, &steps, maxspan);
    correlate::check_correlation(compiler, &correlate_by, &steps, &infos);
    let facts = facts::facts(compiler, doc, &steps);
    let names = placeholders::Names {
        steps: &steps,
        facts: &facts,
        by: &correlate_by,
        infos: &infos,
    };
    placeholders::check_placeholders(compiler, doc, &names);
    CompiledRule {
        id: doc.id.clone(),
        cause: doc.cause.clone(),
        title: doc.title.clone(),
        description: doc.description.clone(),
        confidence: doc.confidence,
        severity: match doc.severity {
            SeverityDoc::Info => Severity::Info,
            SeverityDoc::Low => Severity::Low,
            SeverityDoc::Medium => Severity::Medium,
            SeverityDoc::High => Severity::High,
            SeverityDoc::Critical => Severity::Critical,
        },
        explains: doc.explains.clone(),
        sources,
        correlate_by,
        on_missing_key: doc
            .correlate
            .as_ref()
            .map(|c| c.on_missing_key)
            .unwrap_or_default(),
        maxspan,
        max_gap,
        order_tolerance,
        select: doc.select,
        after_match: doc.after_match,
        merge_window,
        until,
        steps,
        facts,
        diagnosis: Diagnosis {
            summary: doc.diagnosis.summary.clone(),
            explanation: doc.diagnosis.explanation.clone(),
            fix: doc.diagnosis.fix.clone(),
        },
        references: doc.references.clone(),
        origin: Origin {
            path: path.to_string(),
            line: compiler.key_pos(&[Seg::Key("id")]).line,
            parts: part_lines(compiler, doc),
        },
    }
}

/// Checks the names of every `sources:` and `from:` of the rule.
fn check_every_format(compiler: &mut RuleCompiler<'_>, doc: &RuleDoc) {
    compiler.check_formats(doc.sources.as_ref());
    for step in &doc.steps {
        compiler.check_formats(step.from.as_ref());
        for alternative in step.any.iter().flatten() {
            compiler.check_formats(alternative.from.as_ref());
        }
    }
    for fact in &doc.facts {
        compiler.check_formats(fact.from.as_ref());
        for alternative in fact.any.iter().flatten() {
            compiler.check_formats(alternative.from.as_ref());
        }
    }
    if let Some(node) = &doc.until {
        branches::check_until_formats(compiler, node);
    }
}

/// Where each step, fact and `until` was written, for messages about a compiled rule.
fn part_lines(compiler: &RuleCompiler<'_>, doc: &RuleDoc) -> Vec<(String, u32)> {
    let mut out: Vec<(String, u32)> = Vec::new();
    for (list, ids) in [
        ("steps", doc.steps.iter().map(|s| &s.id).collect::<Vec<_>>()),
        ("facts", doc.facts.iter().map(|f| &f.id).collect()),
    ] {
        for (i, id) in ids.into_iter().enumerate() {
            let line = compiler.key_pos(&[Seg::Key(list), Seg::Index(i)]).line;
            out.push((id.clone(), line));
        }
    }
    if doc.until.is_some() {
        out.push(("until".into(), compiler.key_pos(&[Seg::Key("until")]).line));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULE: &str = "id: a.b\ncause: c\ntitle: t\nconfidence: 0.5\ndescription: Why this rule exists.\ndiagnosis: {summary: s}\nsteps:\n  - id: s\n    match: {msg|contains: x}\n";

    #[test]
    fn the_description_is_kept() {
        let mut preds = Vec::new();
        let compiled = compile_file("r.yaml", RULE, &mut preds).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            compiled.rule.description.as_deref(),
            Some("Why this rule exists.")
        );
        let without = RULE.replace("description: Why this rule exists.\n", "");
        let compiled =
            compile_file("r.yaml", &without, &mut preds).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(compiled.rule.description, None);
    }

    #[test]
    fn unknown_keys_do_not_stop_the_meaning_checks() {
        let text = RULE
            .replace("title: t", "title: t\nlvl: 1")
            .replace("{msg|contains: x}", "{msg|re: '(x'}");
        let errors: Vec<String> = compile_file("r.yaml", &text, &mut Vec::new())
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|d| format!("{}:{}: {}", d.pos.line, d.pos.col, d.message))
            .collect();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(
            errors[0].starts_with("4:1: unknown key `lvl` in rule"),
            "{errors:?}"
        );
        assert!(errors[1].starts_with("10:22: bad regex"), "{errors:?}");
    }

    #[test]
    fn closed_values_read_straight_into_the_compiled_types() {
        use crate::rule::ir::{AfterMatch, OnMissingKey, OnSourceMissing, Select};
        let mut preds = Vec::new();
        let plain = compile_file("r.yaml", RULE, &mut preds).unwrap_or_else(|e| panic!("{e:?}"));
        let rule = &plain.rule;
        assert_eq!(
            (rule.select, rule.after_match, rule.on_missing_key),
            (Select::Latest, AfterMatch::SkipPastLast, OnMissingKey::Skip)
        );
        let text = format!(
            "{RULE}select: earliest\nafter_match: none\ncorrelate: {{on_missing_key: null_key}}\nfacts:\n  - id: f\n    on_source_missing: assume_absent\n    present: {{msg: y}}\n"
        );
        let set = compile_file("r.yaml", &text, &mut preds).unwrap_or_else(|e| panic!("{e:?}"));
        let rule = &set.rule;
        assert_eq!(
            (rule.select, rule.after_match, rule.on_missing_key),
            (Select::Earliest, AfterMatch::None, OnMissingKey::NullKey)
        );
        assert_eq!(
            rule.facts[0].on_source_missing,
            OnSourceMissing::AssumeAbsent
        );
    }
}
