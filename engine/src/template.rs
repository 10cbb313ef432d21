//! Diagnosis templates: `{var}` and `{step.field}` placeholders filled from a finding.
//!
//! `{name}` is a bound variable; `{step.ts}`, `{step.line}`, `{step.path}` and
//! `{step.count}` describe the record a step bound; `{fact_id}` is a fact's value
//! (`true`/`false`/`unknown`). Unknown placeholders are left as written (the rule
//! loader rejects them, so this only happens for hand-built rules). Never reads
//! anything but the finding and the sources' paths.

use crate::finding::{Finding, StepEvidence, Truth};
use crate::parse::ParsedSource;
use crate::rule::ir::CompiledRule;

/// What a template can see.
pub struct Context<'a> {
    rule: &'a CompiledRule,
    finding: &'a Finding,
    sources: &'a [ParsedSource],
}

impl<'a> Context<'a> {
    pub fn new(rule: &'a CompiledRule, finding: &'a Finding, sources: &'a [ParsedSource]) -> Self {
        Context {
            rule,
            finding,
            sources,
        }
    }

    /// `template` with its placeholders filled.
    pub fn render(&self, template: &str) -> String {
        let mut out = String::with_capacity(template.len());
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            match after.find('}') {
                Some(close) if is_name(&after[..close]) => {
                    let name = &after[..close];
                    match self.lookup(name) {
                        Some(v) => out.push_str(&v),
                        None => {
                            out.push('{');
                            out.push_str(name);
                            out.push('}');
                        }
                    }
                    rest = &after[close + 1..];
                }
                _ => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    fn lookup(&self, name: &str) -> Option<String> {
        if let Some(v) = self.finding.vars.get(name) {
            return Some(v.to_string());
        }
        if let Some((step, field)) = name.split_once('.') {
            return self.step_field(step, field);
        }
        if let Some(f) = self.finding.facts.iter().find(|f| f.id == name) {
            return Some(
                match f.value {
                    Truth::True => "true",
                    Truth::False => "false",
                    Truth::Unknown => "unknown",
                }
                .into(),
            );
        }
        self.rule
            .facts
            .iter()
            .find(|f| f.id == name)
            .map(|_| "unknown".into())
    }

    fn step_field(&self, step: &str, field: &str) -> Option<String> {
        let ev = self.finding.steps.iter().find(|s| s.step() == step)?;
        let StepEvidence::Record {
            first, last, count, ..
        } = ev
        else {
            return None;
        };
        let path = |loc: &crate::finding::RecordLoc| {
            self.sources
                .get(loc.source as usize)
                .map(|s| s.text.path.clone())
                .unwrap_or_default()
        };
        Some(match field {
            "ts" => last
                .ts
                .map(|t| crate::report::format_ts(t.ms))
                .unwrap_or_else(|| format!("line {}", last.span.line)),
            "first_ts" => first
                .ts
                .map(|t| crate::report::format_ts(t.ms))
                .unwrap_or_else(|| format!("line {}", first.span.line)),
            "line" => last.span.line.to_string(),
            "path" => path(last),
            "count" => count.to_string(),
            _ => return None,
        })
    }
}

fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.')
}
