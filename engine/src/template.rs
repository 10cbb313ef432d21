//! Diagnosis templates: `{var}` and `{step.field}` placeholders filled from a finding.
//!
//! `{name}` is a bound variable; `{step.ts}`, `{step.line}`, `{step.path}` and
//! `{step.count}` describe the record a step bound (the last one for a `count`
//! step; `{step.first.ts}`, `{step.last.ts}`, `{step.first.line}` and
//! `{step.last.line}` pick one); `{fact_id}` is a fact's value
//! (`true`/`false`/`unknown`). A variable the rule can bind but this finding did
//! not (an alternative regex group) is empty. Unknown placeholders are left as
//! written (the rule loader rejects them, so this only happens for hand-built rules). Never reads
//! anything but the finding and the sources' paths.
//!
//! Every filled value is redacted (`redact::redact_within`: a secret that
//! touches a value, found in the whole filled text) unless the context was
//! built with `redacting(false)` (`--no-redact`); the template's own words are
//! never masked.

use crate::finding::{Finding, StepEvidence, Truth};
use crate::parse::time::format_ts;
use crate::parse::ParsedSource;
use crate::rule::ir::CompiledRule;

/// What a template can see.
pub struct Context<'a> {
    rule: &'a CompiledRule,
    finding: &'a Finding,
    sources: &'a [ParsedSource],
    redact: bool,
}

impl<'a> Context<'a> {
    pub fn new(rule: &'a CompiledRule, finding: &'a Finding, sources: &'a [ParsedSource]) -> Self {
        Context {
            rule,
            finding,
            sources,
            redact: true,
        }
    }

    /// Whether filled values are redacted (default: yes).
    pub fn redacting(mut self, on: bool) -> Self {
        self.redact = on;
        self
    }

    /// `template` with its placeholders filled, the values redacted.
    pub fn render(&self, template: &str) -> String {
        let mut out = String::with_capacity(template.len());
        // Where each filled value sits in `out`.
        let mut values = Vec::new();
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            if let Some(more) = after.strip_prefix('{') {
                // `{{` is a literal brace.
                out.push('{');
                rest = more;
                continue;
            }
            match after.find('}') {
                Some(close) if is_name(&after[..close]) => {
                    let name = &after[..close];
                    match self.lookup(name) {
                        Some(value) => {
                            values.push(out.len()..out.len() + value.len());
                            out.push_str(&value);
                        }
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
        if self.redact && !values.is_empty() {
            if let std::borrow::Cow::Owned(redacted) = crate::redact::redact_within(&out, &values) {
                return redacted;
            }
        }
        out
    }

    fn lookup(&self, name: &str) -> Option<String> {
        if let Some(value) = self.finding.vars.get(name) {
            return Some(value.to_string());
        }
        if let Some((step, field)) = name.split_once('.') {
            return self.step_field(step, field);
        }
        if let Some(fact) = self.finding.facts.iter().find(|fact| fact.id == name) {
            return Some(
                match fact.value {
                    Truth::True => "true",
                    Truth::False => "false",
                    Truth::Unknown => "unknown",
                }
                .into(),
            );
        }
        if self.rule.facts.iter().any(|fact| fact.id == name) {
            return Some("unknown".into());
        }
        // A variable of a regex branch that did not take part in the match is empty.
        let declared = self
            .rule
            .steps
            .iter()
            .flat_map(|step| &step.branches)
            .any(|branch| branch.pred.inner.binds().iter().any(|bound| bound == name));
        declared.then(String::new)
    }

    fn step_field(&self, step: &str, field: &str) -> Option<String> {
        let step_evidence = self
            .finding
            .steps
            .iter()
            .find(|evidence| evidence.step() == step)?;
        let StepEvidence::Record {
            first, last, count, ..
        } = step_evidence
        else {
            return None;
        };
        let path = |loc: &crate::finding::RecordLoc| {
            self.sources
                .get(loc.source as usize)
                .map(|source| source.text.path.clone())
                .unwrap_or_default()
        };
        let ts_of = |loc: &crate::finding::RecordLoc| {
            loc.ts
                .map(|ts| format_ts(ts.ms))
                .unwrap_or_else(|| format!("line {}", loc.span.line))
        };
        Some(match field {
            "first.ts" => ts_of(first),
            "last.ts" => ts_of(last),
            "first.line" => first.span.line.to_string(),
            "last.line" => last.span.line.to_string(),
            "ts" => last
                .ts
                .map(|ts| format_ts(ts.ms))
                .unwrap_or_else(|| format!("line {}", last.span.line)),
            "line" => last.span.line.to_string(),
            "path" => path(last),
            "count" => count.to_string(),
            _ => return None,
        })
    }
}

/// Whether `text` may be a placeholder's name (`var`, `step.field`, `fact-id`).
fn is_name(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'-' | b'.'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{Span, Timestamp};
    use crate::finding::{RecordLoc, Status};
    use crate::rule::ir::Bindings;

    fn loc(line: u32, ms: Option<i64>) -> RecordLoc {
        RecordLoc {
            source: 0,
            seq: line,
            span: Span {
                start: 0,
                end: 1,
                line,
                end_line: line,
            },
            ts: ms.map(|ms| Timestamp { ms, naive: false }),
            highlights: vec![],
        }
    }

    fn finding(vars: Bindings, steps: Vec<StepEvidence>) -> Finding {
        Finding {
            rule: 0,
            status: Status::Confirmed,
            key: vec![],
            vars,
            occurrences: 1,
            steps,
            facts: vec![],
            unchecked_time: 0,
            order_uncertain: false,
            evicted: 0,
        }
    }

    #[test]
    fn fills_variables_steps_and_literal_braces() {
        let mut rule = crate::matcher::testkit::rule("r", &[], vec![]);
        rule.facts.clear();
        let mut vars = Bindings::default();
        vars.unify("server", "ctx");
        let f = finding(
            vars,
            vec![StepEvidence::Record {
                step: "power".into(),
                first: loc(3, Some(0)),
                last: loc(9, None),
                count: 2,
            }],
        );
        let ctx = Context::new(&rule, &f, &[]);
        assert_eq!(
            ctx.render(
                "{server}: {power.count} from {power.first.ts} to {power.last.ts} ({power.line})"
            ),
            "ctx: 2 from 1970-01-01T00:00:00.000Z to line 9 (9)"
        );
        assert_eq!(
            ctx.render(r#"use {{"command": "cmd"}} {nope} {"#),
            r#"use {"command": "cmd"}} {nope} {"#
        );
    }

    #[test]
    fn filled_values_are_redacted_and_the_template_is_not() {
        let mut rule = crate::matcher::testkit::rule("r", &[], vec![]);
        rule.facts.clear();
        let mut vars = Bindings::default();
        vars.unify("cmd", "npx");
        vars.unify(
            "args",
            "-y server --token ghp_0123456789abcdefghijABCDEFGHIJ",
        );
        vars.unify("url", "https://bob:hunter22@db.example.com/x");
        vars.unify("tok", "abcd1234efgh");
        let f = finding(vars, vec![]);
        let template = "run `{cmd} {args}` at {url}; set token={tok}; e.g. API_KEY=example123";
        let ctx = Context::new(&rule, &f, &[]);
        assert_eq!(
            ctx.render(template),
            "run `npx -y server --token [REDACTED]` at https://bob:[REDACTED]@db.example.com/x; \
             set token=[REDACTED]; e.g. API_KEY=example123"
        );
        assert_eq!(
            Context::new(&rule, &f, &[]).redacting(false).render(template),
            "run `npx -y server --token ghp_0123456789abcdefghijABCDEFGHIJ` at \
             https://bob:hunter22@db.example.com/x; set token=abcd1234efgh; e.g. API_KEY=example123"
        );
    }
}
