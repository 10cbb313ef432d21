//! What to collect next: the files or commands that would settle what the
//! bundle could not (issue 5, "what to collect next").
//!
//! Three kinds of advice, deduplicated by their text, in this order:
//! 1. per finding (causes in rank order, then inconclusive findings): every
//!    `unknown` fact whose rule says what to `collect`, every `support` fact
//!    that did not hold on a finding that is not `likely` (the evidence that
//!    would have made it likely may be in a log the bundle lacks), and every
//!    trailing absence no provided source could prove, when its step says;
//! 2. per rule that came close (a partial bound at least one positive step) but
//!    has no confirmed finding: the next positive step it needed, when the step
//!    says what to `collect` and either no provided source is one it reads, or
//!    the report holds only symptoms (a disconnect with no cause: the guide's
//!    playbook then looks for what the bundle may have left out, such as sleep
//!    events);
//! 3. when no cause was found and no input is an MCP client log: the client's
//!    debug log.
//!
//! Fact texts are filled like diagnosis templates; texts without a finding show
//! a placeholder as `<name>`. This module reads rules, findings and traces; it
//! never matches, ranks or prints.

use crate::finding::{Finding, RuleTrace, Status, StepEvidence, Truth};
use crate::report::schema::Collect;
use crate::rule::ir::{format_in_family, Branch, CompiledRule, FactRole, RuleSet};
use crate::rule::placeholder::placeholders;
use crate::template;

/// The client-log advice.
pub const CLIENT_LOG: &str = "the MCP client's debug log: `claude --debug` (Claude Code), the `mcp*.log` files of Claude Desktop's logs folder, or Output > MCP (VS Code, Cursor)";

/// The formats of the provided sources, to decide what a step or fact could read.
#[derive(Clone, Debug)]
pub struct Bundle<'a> {
    pub formats: Vec<&'a str>,
}

impl<'a> Bundle<'a> {
    pub fn of(sources: &'a [crate::parse::ParsedSource]) -> Bundle<'a> {
        Bundle {
            formats: sources.iter().map(|s| s.format).collect(),
        }
    }

    /// Whether some provided source is read by one of `branches` of `rule`.
    pub fn covers(&self, rule: &CompiledRule, branches: &[Branch]) -> bool {
        self.formats.iter().any(|f| {
            (rule.sources.is_empty() || rule.sources.iter().any(|s| format_in_family(f, s)))
                && branches.iter().any(|b| b.reads(f))
        })
    }

    /// Whether some provided source is an MCP client log (each format says
    /// whether it is one: `FormatSpec::client_log`).
    pub fn has_client_log(&self) -> bool {
        self.formats
            .iter()
            .any(|format_name| crate::parse::is_client_log(format_name))
    }
}

/// The formats `branches` read, for messages: `wsl-version, wsl-status`, or `any source`.
pub fn reads(rule: &CompiledRule, branches: &[Branch]) -> String {
    let mut names: Vec<&str> = Vec::new();
    for branch in branches {
        match &branch.from {
            Some(list) => names.extend(list.iter().map(String::as_str)),
            None if rule.sources.is_empty() => return "any source".into(),
            None => names.extend(rule.sources.iter().map(String::as_str)),
        }
    }
    let mut out: Vec<&str> = Vec::new();
    for name in names {
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out.join(", ")
}

/// `text` with every `{name}` placeholder shown as `<name>` (no finding to fill it).
pub fn unfilled(text: &str) -> String {
    let mut out = text.to_string();
    for placeholder in placeholders(text) {
        out = out.replace(&format!("{{{placeholder}}}"), &format!("<{placeholder}>"));
    }
    out
}

/// What to collect for one finding, with why (in fact, then step order).
/// `likely`: the finding sits under a `likely` cause (its unmet support facts
/// then need nothing more).
pub fn for_finding(
    rule: &CompiledRule,
    finding: &Finding,
    context: &template::Context<'_>,
    bundle: &Bundle<'_>,
    likely: bool,
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for fact_result in &finding.facts {
        let Some(fact) = rule
            .facts
            .iter()
            .find(|definition| definition.id == fact_result.id)
        else {
            continue;
        };
        let Some(collect) = &fact.collect else {
            continue;
        };
        let why = match fact_result.value {
            Truth::Unknown => format!(
                "{}: fact `{}` is unknown: no input of kind {}",
                rule.id,
                fact.id,
                reads(rule, &fact.branches)
            ),
            Truth::False if !likely && fact.role == FactRole::Support && fact.weight > 0.0 => {
                format!(
                    "{}: supporting fact `{}` not found in the inputs",
                    rule.id, fact.id
                )
            }
            _ => continue,
        };
        push(&mut out, context.render(collect), why);
    }
    for step_evidence in &finding.steps {
        let StepEvidence::Absence {
            step,
            unresolved: true,
            ..
        } = step_evidence
        else {
            continue;
        };
        let Some(absent_step) = rule.steps.iter().find(|defined| &defined.id == step) else {
            continue;
        };
        let unprovable = !bundle.covers(rule, &absent_step.branches);
        if let (Some(collect), true) = (&absent_step.collect, unprovable) {
            let why = format!(
                "{}: the absence `{}` cannot be proven: no input of kind {}",
                rule.id,
                absent_step.id,
                reads(rule, &absent_step.branches)
            );
            push(&mut out, context.render(collect), why);
        }
    }
    out
}

fn push(out: &mut Vec<(String, String)>, what: String, why: String) {
    if !out.iter().any(|(listed, _)| *listed == what) {
        out.push((what, why));
    }
}

/// The next positive step after `depth`.
fn next_step(rule: &CompiledRule, depth: usize) -> Option<&crate::rule::ir::Step> {
    rule.steps.iter().skip(depth + 1).find(|step| !step.absent)
}

/// What the ranking reported, as far as what to collect is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reported {
    /// No cause at all.
    Nothing,
    /// Only symptom causes (ones another cause `explains`, e.g. `server-disconnected`).
    SymptomsOnly,
    /// At least one root cause.
    Causes,
}

impl Reported {
    /// Classifies `causes` (cause ids, in rank order) against the rule set.
    pub fn of<'a>(rules: &RuleSet, mut causes: impl Iterator<Item = &'a str>) -> Reported {
        let symptom = |cause: &str| {
            rules
                .rules
                .iter()
                .any(|rule| rule.explains.iter().any(|explained| explained == cause))
        };
        match causes.next() {
            None => Reported::Nothing,
            Some(first) if symptom(first) && causes.all(symptom) => Reported::SymptomsOnly,
            Some(_) => Reported::Causes,
        }
    }
}

/// The report-level list (see the module docs). `order` holds finding indices
/// in report order (causes, then inconclusive findings), each with whether it
/// sits under a `likely` cause. `redact`: filled placeholders are redacted (`--no-redact` off).
pub fn next(
    rules: &RuleSet,
    findings: &[Finding],
    traces: &[RuleTrace],
    order: &[(usize, bool)],
    sources: &[crate::parse::ParsedSource],
    causes: Reported,
    redact: bool,
) -> Vec<Collect> {
    let bundle = Bundle::of(sources);
    let mut out: Vec<Collect> = Vec::new();
    let mut add = |what: String, why: String, rule: Option<&str>| {
        if !out.iter().any(|listed| listed.what == what) {
            out.push(Collect {
                what,
                why,
                rule: rule.map(str::to_string),
            });
        }
    };
    for &(index, likely) in order {
        let Some(finding) = findings.get(index) else {
            continue;
        };
        let Some(rule) = rules.rules.get(finding.rule) else {
            continue;
        };
        let context = template::Context::new(rule, finding, sources).redacting(redact);
        for (what, why) in for_finding(rule, finding, &context, &bundle, likely) {
            add(what, why, Some(&rule.id));
        }
    }
    for (rule_index, trace) in traces.iter().enumerate() {
        let (Some(rule), Some((depth, _))) = (rules.rules.get(rule_index), &trace.reached) else {
            continue;
        };
        let confirmed = findings
            .iter()
            .any(|finding| finding.rule == rule_index && finding.status == Status::Confirmed);
        if confirmed {
            continue;
        }
        let Some(step) = next_step(rule, *depth) else {
            continue;
        };
        let Some(collect) = &step.collect else {
            continue;
        };
        let reached = rule.steps.get(*depth).map_or("?", |step| step.id.as_str());
        let why = if !bundle.covers(rule, &step.branches) {
            format!(
                "{}: reached `{reached}`, but step `{}` needs an input of kind {}",
                rule.id,
                step.id,
                reads(rule, &step.branches)
            )
        } else if causes == Reported::SymptomsOnly {
            format!(
                "{}: reached `{reached}`; nothing explains the disconnect, and step `{}` would",
                rule.id, step.id
            )
        } else {
            continue;
        };
        add(unfilled(collect), why, Some(&rule.id));
    }
    if causes == Reported::Nothing && !bundle.has_client_log() {
        add(
            CLIENT_LOG.to_string(),
            "no cause found and no MCP client log among the inputs".to_string(),
            None,
        );
    }
    out
}
