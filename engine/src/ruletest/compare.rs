//! Expected vs actual findings of one case, compared exactly.
//!
//! Findings are first resolved against the parsed sources into [`Actual`]s
//! (rule id, key, vars, and each step's records with path, lines and text),
//! then paired with the expectations: exact matches first, then same rule and
//! key (reporting what differs), then same rule (a wrong key); what is left
//! is missing or unexpected. This module must never run rules or read files.

use std::collections::BTreeMap;

use crate::finding::{Finding, RecordLoc, Status, StepEvidence};
use crate::parse::ParsedSource;
use crate::rule::ir::RuleSet;
use crate::ruletest::anchor::{self, Located};
use crate::ruletest::report::Problem;
use crate::ruletest::schema::Expect;

/// A record a step bound, located for anchors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rec {
    pub path: String,
    pub line: u32,
    pub end_line: u32,
    pub text: String,
}

impl Rec {
    fn located(&self) -> Located<'_> {
        Located {
            path: &self.path,
            line: self.line,
            end_line: self.end_line,
            text: &self.text,
        }
    }
}

/// A finding with everything the comparison needs, resolved to text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actual {
    pub rule: String,
    pub status: Status,
    pub key: BTreeMap<String, String>,
    pub vars: BTreeMap<String, String>,
    pub occurrences: u32,
    /// Step id -> the records it bound (first and last, or an absence's witness).
    pub steps: Vec<(String, Vec<Rec>)>,
}

impl Actual {
    /// `rule {server=x} [confirmed]` plus where its steps are.
    pub fn describe(&self) -> String {
        let mut s = format!(
            "{} {} [{}]",
            self.rule,
            key_text(&self.key),
            self.status.as_str()
        );
        let locs: Vec<String> = self
            .steps
            .iter()
            .filter_map(|(step, recs)| {
                recs.first()
                    .map(|r| format!("{step}@{}", anchor::location(&r.located())))
            })
            .collect();
        if !locs.is_empty() {
            s.push_str(" at ");
            s.push_str(&locs.join(", "));
        }
        s
    }
}

/// `{server=context7, x=y}`, or `{}`.
pub fn key_text(key: &BTreeMap<String, String>) -> String {
    let parts: Vec<String> = key.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("{{{}}}", parts.join(", "))
}

fn describe_expect(e: &Expect) -> String {
    format!("{} {} [{}]", e.rule, key_text(&e.key), e.status.as_str())
}

/// Resolves a finding against the sources it was found in.
pub fn resolve(f: &Finding, rules: &RuleSet, sources: &[ParsedSource]) -> Actual {
    let rule = rules
        .rules
        .get(f.rule)
        .map(|r| r.id.clone())
        .unwrap_or_else(|| format!("#{}", f.rule));
    let rec = |loc: &RecordLoc| -> Rec {
        let src = sources.iter().find(|s| s.id == loc.source);
        let text = src
            .and_then(|s| {
                let ev = s.events.get(loc.seq as usize)?;
                s.text
                    .text
                    .get(ev.text.start as usize..ev.text.end as usize)
            })
            .unwrap_or("");
        Rec {
            path: src.map(|s| s.text.path.clone()).unwrap_or_default(),
            line: loc.span.line,
            end_line: loc.span.end_line.max(loc.span.line),
            text: text.to_string(),
        }
    };
    let steps = f
        .steps
        .iter()
        .map(|s| {
            let recs = match s {
                StepEvidence::Record { first, last, .. } => {
                    let mut v = vec![rec(first)];
                    if last != first {
                        v.push(rec(last));
                    }
                    v
                }
                StepEvidence::Absence { witness, .. } => witness.iter().map(rec).collect(),
            };
            (s.step().to_string(), recs)
        })
        .collect();
    Actual {
        rule,
        status: f.status,
        key: f.key.iter().cloned().collect(),
        vars: f
            .vars
            .0
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        occurrences: f.occurrences,
        steps,
    }
}

/// Compares a case's expectations with the actual findings of the rules under
/// test. `path` is the test file; `case_line` is used for unexpected findings.
/// Returns every mismatch, and the pairs (expectation index, actual index).
pub fn compare(
    path: &str,
    case_line: u32,
    expect: &[Expect],
    actual: &[Actual],
) -> (Vec<Problem>, Vec<(usize, usize)>) {
    let mut used = vec![false; actual.len()];
    let mut pair: Vec<Option<usize>> = vec![None; expect.len()];
    // Pass 0: exact matches; pass 1: same rule and key; pass 2: same rule.
    let fits = |pass: u8, e: &Expect, a: &Actual| match pass {
        0 => e.rule == a.rule && e.key == a.key && differences(path, e, a).is_empty(),
        1 => e.rule == a.rule && e.key == a.key,
        _ => e.rule == a.rule,
    };
    for pass in 0..3 {
        for (ei, e) in expect.iter().enumerate() {
            if pair[ei].is_some() {
                continue;
            }
            if let Some(ai) = (0..actual.len()).find(|&ai| !used[ai] && fits(pass, e, &actual[ai]))
            {
                used[ai] = true;
                pair[ei] = Some(ai);
            }
        }
    }
    let mut problems = Vec::new();
    let mut pairs = Vec::new();
    for (ei, e) in expect.iter().enumerate() {
        match pair[ei] {
            None => problems.push(
                Problem::new(path, e.line, "missing", "expected finding not found")
                    .diff(describe_expect(e), "no such finding"),
            ),
            Some(ai) => {
                let a = &actual[ai];
                if e.key != a.key {
                    problems.push(
                        Problem::new(path, e.line, "key", format!("wrong key for {}", e.rule))
                            .diff(key_text(&e.key), key_text(&a.key)),
                    );
                }
                problems.extend(differences(path, e, a));
                pairs.push((ei, ai));
            }
        }
    }
    for (ai, a) in actual.iter().enumerate() {
        if !used[ai] {
            problems.push(
                Problem::new(path, case_line, "unexpected", "unexpected finding")
                    .diff("no such finding", a.describe()),
            );
        }
    }
    (problems, pairs)
}

/// Status, occurrences, vars and evidence differences (the key aside).
fn differences(path: &str, e: &Expect, a: &Actual) -> Vec<Problem> {
    let mut out = Vec::new();
    if e.status != a.status {
        out.push(
            Problem::new(
                path,
                e.line,
                "status",
                format!("wrong status for {}", e.rule),
            )
            .diff(e.status.as_str(), a.status.as_str()),
        );
    }
    if let Some(n) = e.occurrences {
        if n != a.occurrences {
            out.push(
                Problem::new(
                    path,
                    e.line,
                    "occurrences",
                    format!("wrong occurrences for {}", e.rule),
                )
                .diff(n.to_string(), a.occurrences.to_string()),
            );
        }
    }
    for (name, want) in &e.vars {
        let got = a.vars.get(name);
        if got != Some(want) {
            out.push(
                Problem::new(
                    path,
                    e.line,
                    "var",
                    format!("wrong value of variable `{name}`"),
                )
                .diff(
                    want.clone(),
                    got.map_or_else(|| "(unbound)".to_string(), String::clone),
                ),
            );
        }
    }
    for (step, anchor, line) in &e.evidence {
        let recs = a
            .steps
            .iter()
            .find(|(s, _)| s == step)
            .map(|(_, r)| r.as_slice())
            .unwrap_or(&[]);
        if recs.is_empty() {
            out.push(
                Problem::new(
                    path,
                    *line,
                    "evidence",
                    format!("step `{step}` bound no record"),
                )
                .diff(anchor.to_string(), "no evidence"),
            );
            continue;
        }
        let results: Vec<Result<(), String>> =
            recs.iter().map(|r| anchor.check(&r.located())).collect();
        if results.iter().any(Result::is_ok) {
            continue;
        }
        let why: Vec<String> = results.into_iter().filter_map(Result::err).collect();
        out.push(
            Problem::new(
                path,
                *line,
                "evidence",
                format!("wrong evidence for step `{step}`"),
            )
            .diff(anchor.to_string(), why.join("; ")),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ruletest::schema;

    fn rec(path: &str, line: u32, text: &str) -> Rec {
        Rec {
            path: path.into(),
            line,
            end_line: line,
            text: text.into(),
        }
    }

    fn actual(rule: &str, server: &str, status: Status) -> Actual {
        Actual {
            rule: rule.into(),
            status,
            key: [("server".to_string(), server.to_string())].into(),
            vars: [
                ("server".to_string(), server.to_string()),
                ("cmd".into(), "npx".into()),
            ]
            .into(),
            occurrences: 1,
            steps: vec![
                (
                    "spawn".into(),
                    vec![rec("fx/cc.log", 2, "Spawning MCP server \"ctx\"")],
                ),
                (
                    "enoent".into(),
                    vec![rec("fx/cc.log", 3, "spawn npx ENOENT")],
                ),
            ],
        }
    }

    fn expects(yaml: &str) -> Vec<Expect> {
        let text =
            format!("rules: [r, s]\ncases:\n- name: c\n  inputs: [{{path: x}}]\n  expect:\n{yaml}");
        schema::parse(&text).unwrap().cases.remove(0).expect
    }

    fn render(problems: &[Problem]) -> Vec<String> {
        problems
            .iter()
            .map(|p| {
                format!(
                    "{} {}: {} | expected {} | actual {}",
                    p.location(),
                    p.kind,
                    p.message,
                    p.expected.as_deref().unwrap_or("-"),
                    p.actual.as_deref().unwrap_or("-")
                )
            })
            .collect()
    }

    #[test]
    fn an_exact_match_has_no_problems() {
        let e = expects(
            "  - rule: r\n    key: {server: ctx}\n    vars: {cmd: npx}\n    occurrences: 1\n    evidence:\n      spawn: {at: 'cc.log:2', text: Spawning}\n      enoent: 'cc.log:3'\n",
        );
        let (p, pairs) = compare(
            "t.test.yaml",
            3,
            &e,
            &[actual("r", "ctx", Status::Confirmed)],
        );
        assert_eq!(render(&p), Vec::<String>::new());
        assert_eq!(pairs, [(0, 0)]);
    }

    #[test]
    fn every_difference_is_reported_at_its_line() {
        let e = expects(
            "  - rule: r\n    key: {server: ctx}\n    status: partial\n    occurrences: 2\n    vars: {cmd: npm, x: y}\n    evidence:\n      spawn: {at: 'cc.log:2', text: spawning}\n      enoent: 'cc.log:4'\n      gone: 'cc.log:9'\n",
        );
        let (p, _) = compare(
            "t.test.yaml",
            3,
            &e,
            &[actual("r", "ctx", Status::Confirmed)],
        );
        assert_eq!(
            render(&p),
            [
                "t.test.yaml:6 status: wrong status for r | expected partial | actual confirmed",
                "t.test.yaml:6 occurrences: wrong occurrences for r | expected 2 | actual 1",
                "t.test.yaml:6 var: wrong value of variable `cmd` | expected npm | actual npx",
                "t.test.yaml:6 var: wrong value of variable `x` | expected y | actual (unbound)",
                "t.test.yaml:12 evidence: wrong evidence for step `spawn` | expected cc.log:2 \"spawning\" | actual text guard \"spawning\" is not in the record at cc.log:2: \"Spawning MCP server \\\"ctx\\\"\"",
                "t.test.yaml:13 evidence: wrong evidence for step `enoent` | expected cc.log:4 | actual the record is at cc.log:3",
                "t.test.yaml:14 evidence: step `gone` bound no record | expected cc.log:9 | actual no evidence",
            ]
        );
    }

    #[test]
    fn missing_unexpected_and_wrong_key() {
        let e = expects("  - {rule: r, key: {server: a}}\n  - {rule: s, key: {server: a}}\n");
        let acts = [
            actual("r", "b", Status::Confirmed),
            actual("r", "c", Status::Inconclusive),
        ];
        let (p, pairs) = compare("t.test.yaml", 3, &e, &acts);
        assert_eq!(
            render(&p),
            [
                "t.test.yaml:6 key: wrong key for r | expected {server=a} | actual {server=b}",
                "t.test.yaml:7 missing: expected finding not found | expected s {server=a} [confirmed] | actual no such finding",
                "t.test.yaml:3 unexpected: unexpected finding | expected no such finding | actual r {server=c} [inconclusive] at spawn@cc.log:2, enoent@cc.log:3",
            ]
        );
        assert_eq!(pairs, [(0, 0)]);
    }

    #[test]
    fn exact_pairs_win_over_first_come() {
        // Two findings of the same rule and key: the expectation that fits the second exactly takes it.
        let e = expects("  - {rule: r, key: {server: a}, status: inconclusive}\n  - {rule: r, key: {server: a}}\n");
        let acts = [
            actual("r", "a", Status::Confirmed),
            actual("r", "a", Status::Inconclusive),
        ];
        let (p, pairs) = compare("t.test.yaml", 3, &e, &acts);
        assert_eq!(render(&p), Vec::<String>::new());
        assert_eq!(pairs, [(0, 1), (1, 0)]);
    }
}
