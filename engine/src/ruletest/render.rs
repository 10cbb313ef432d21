//! Renders a [`TestReport`] as text (for people), JSON and JUnit XML (for CI).
//!
//! Output is deterministic (no timings, no absolute clock) so it can be
//! snapshot-tested. This module must never run tests or print: it returns
//! strings and values.

use std::fmt::Write as _;

use serde_json::{json, Value};

use crate::visible::text as shown;

use crate::ruletest::report::{
    CaseResult, MutantOutcome, MutantResult, Outcome, Problem, TestReport,
};

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

struct Paint {
    on: bool,
}

impl Paint {
    fn paint(&self, style: &str, s: &str) -> String {
        if self.on {
            format!("{style}{s}{RESET}")
        } else {
            s.to_string()
        }
    }
}

impl TestReport {
    /// Human-readable results: failures with `path:line`, expected vs actual,
    /// then a summary line. Passing cases and skipped mutations are listed only
    /// when the report is verbose. `color` adds ANSI colours.
    pub fn render_text(&self, color: bool) -> String {
        let p = Paint { on: color };
        let mut out = String::new();
        for e in &self.errors {
            write_problem(&mut out, &p, "error", e, "");
        }
        for f in &self.files {
            for e in &f.problems {
                write_problem(&mut out, &p, "error", e, "");
            }
            for c in &f.cases {
                write_case(&mut out, &p, &f.path, c, self.verbose);
            }
        }
        let n = self.counts();
        let verdict = if self.passed() {
            p.paint(GREEN, "ok")
        } else {
            p.paint(RED, "FAILED")
        };
        let _ = write!(
            out,
            "test result: {verdict}. {} {} in {} {}: {} passed, {} failed, {} todo",
            n.cases,
            plural(n.cases, "test", "tests"),
            n.files,
            plural(n.files, "file", "files"),
            n.passed,
            n.failed,
            n.todo
        );
        let _ = write!(
            out,
            "; derived negatives: {} checked, {} still matched, {} skipped",
            n.mutants, n.mutants_survived, n.mutants_skipped
        );
        if n.errors > 0 {
            let _ = write!(
                out,
                "; {} {}",
                n.errors,
                plural(n.errors, "error", "errors")
            );
        }
        out.push('\n');
        out
    }

    /// The report as JSON (`schema: logscan/ruletest@1`), object keys sorted so the
    /// output is the same whether or not serde_json preserves insertion order
    /// (a dependency turns its `preserve_order` feature on).
    pub fn to_json(&self) -> Value {
        sorted(self.to_json_unsorted())
    }

    fn to_json_unsorted(&self) -> Value {
        let n = self.counts();
        json!({
            "schema": "logscan/ruletest@1",
            "passed": self.passed(),
            "summary": {
                "files": n.files, "tests": n.cases, "passed": n.passed, "failed": n.failed,
                "todo": n.todo, "mutants": n.mutants, "mutants_survived": n.mutants_survived,
                "mutants_skipped": n.mutants_skipped, "errors": n.errors,
            },
            "errors": self.errors.iter().map(problem_json).collect::<Vec<_>>(),
            "files": self.files.iter().map(|f| json!({
                "path": f.path,
                "problems": f.problems.iter().map(problem_json).collect::<Vec<_>>(),
                "cases": f.cases.iter().map(case_json).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })
    }

    /// The report as JUnit XML: one `<testsuite>` per test file, one
    /// `<testcase>` per case and per derived negative; todo cases are skipped.
    pub fn to_junit(&self) -> String {
        let n = self.counts();
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let total = n.cases + n.mutants + n.mutants_skipped + n.errors;
        let failures = n.failed + n.mutants_survived + n.errors;
        let _ = writeln!(
            out,
            "<testsuites name=\"logscan rules test\" tests=\"{total}\" failures=\"{failures}\" skipped=\"{}\">",
            n.todo + n.mutants_skipped
        );
        if !self.errors.is_empty() {
            let _ = writeln!(
                out,
                "  <testsuite name=\"rule loading\" tests=\"{0}\" failures=\"{0}\" skipped=\"0\">",
                self.errors.len()
            );
            for e in &self.errors {
                junit_problem_case(&mut out, "rule loading", e);
            }
            out.push_str("  </testsuite>\n");
        }
        for f in &self.files {
            let cases: Vec<(String, u32, JunitResult)> = junit_cases(f);
            let tests = cases.len();
            let failed = cases
                .iter()
                .filter(|c| matches!(c.2, JunitResult::Failure(..)))
                .count();
            let skipped = cases
                .iter()
                .filter(|c| matches!(c.2, JunitResult::Skipped(_)))
                .count();
            let _ = writeln!(
                out,
                "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failed}\" skipped=\"{skipped}\">",
                xml(&f.path)
            );
            for (name, line, result) in cases {
                let _ = write!(
                    out,
                    "    <testcase classname=\"{}\" name=\"{}\" file=\"{}\" line=\"{line}\"",
                    xml(&f.path),
                    xml(&name),
                    xml(&f.path)
                );
                match result {
                    JunitResult::Pass => out.push_str("/>\n"),
                    JunitResult::Skipped(why) => {
                        let _ = writeln!(
                            out,
                            ">\n      <skipped message=\"{}\"/>\n    </testcase>",
                            xml(&why)
                        );
                    }
                    JunitResult::Failure(message, body) => {
                        let _ = writeln!(
                            out,
                            ">\n      <failure message=\"{}\">{}</failure>\n    </testcase>",
                            xml(&message),
                            xml(&body)
                        );
                    }
                }
            }
            out.push_str("  </testsuite>\n");
        }
        out.push_str("</testsuites>\n");
        out
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

fn write_problem(out: &mut String, p: &Paint, label: &str, e: &Problem, indent: &str) {
    let label = if label.is_empty() {
        String::new()
    } else {
        format!("{} ", p.paint(RED, label))
    };
    // Messages, values and paths can hold a log's text: escaped (`visible`).
    let message = shown(&e.message);
    let mut lines = message.lines();
    let first = lines.next().unwrap_or("");
    let _ = writeln!(
        out,
        "{indent}{label}{}: [{}] {first}",
        p.paint(BOLD, &shown(&e.location())),
        e.kind
    );
    for l in lines {
        let _ = writeln!(out, "{indent}    | {l}");
    }
    if let (Some(exp), Some(act)) = (&e.expected, &e.actual) {
        let _ = writeln!(out, "{indent}    expected: {}", shown(exp));
        let _ = writeln!(out, "{indent}    actual:   {}", shown(act));
    }
}

fn write_case(out: &mut String, p: &Paint, path: &str, c: &CaseResult, verbose: bool) {
    let head = shown(&format!("{path}:{}: case {:?}", c.line, c.name)).into_owned();
    let survived: Vec<&MutantResult> = c
        .mutants
        .iter()
        .filter(|m| matches!(m.outcome, MutantOutcome::Survived(_)))
        .collect();
    match &c.outcome {
        Outcome::Pass if survived.is_empty() => {
            if verbose {
                let _ = writeln!(out, "{} {head}", p.paint(GREEN, "ok  "));
            }
        }
        Outcome::Pass | Outcome::Fail => {
            let _ = writeln!(out, "{} {head}", p.paint(RED, "FAIL"));
        }
        Outcome::Todo(why) => {
            let why = shown(why);
            let _ = writeln!(out, "{} {head} (todo: {why})", p.paint(YELLOW, "TODO"));
        }
        Outcome::Fixed(why) => {
            let why = shown(why);
            let _ = writeln!(out, "{} {head} (todo: {why})", p.paint(RED, "FIXED"));
        }
    }
    let show_problems = !matches!(c.outcome, Outcome::Todo(_)) || verbose;
    if show_problems {
        for e in &c.problems {
            write_problem(out, p, "", e, "  ");
        }
    }
    for m in &c.mutants {
        let what = format!(
            "derived negative `{}` {} {}",
            m.kind.as_str(),
            shown(&m.rule),
            shown(&m.key)
        );
        match &m.outcome {
            MutantOutcome::Survived(e) => write_problem(out, p, "", e, "  "),
            MutantOutcome::Killed if verbose => {
                let _ = writeln!(out, "  {what}: no match (ok)");
            }
            MutantOutcome::Skipped(why) if verbose => {
                let _ = writeln!(out, "  {what}: skipped: {}", shown(why));
            }
            _ => {}
        }
    }
}

fn problem_json(e: &Problem) -> Value {
    json!({
        "path": e.path, "line": e.line, "col": e.col, "kind": e.kind, "message": e.message,
        "expected": e.expected, "actual": e.actual,
    })
}

fn case_json(c: &CaseResult) -> Value {
    let todo = match &c.outcome {
        Outcome::Todo(w) | Outcome::Fixed(w) => Some(w.clone()),
        _ => None,
    };
    json!({
        "name": c.name,
        "line": c.line,
        "outcome": c.outcome.as_str(),
        "todo": todo,
        "problems": c.problems.iter().map(problem_json).collect::<Vec<_>>(),
        "mutants": c.mutants.iter().map(|m| {
            let (outcome, reason, problem) = match &m.outcome {
                MutantOutcome::Killed => ("killed", None, None),
                MutantOutcome::Survived(e) => ("survived", None, Some(problem_json(e))),
                MutantOutcome::Skipped(why) => ("skipped", Some(why.clone()), None),
            };
            json!({"kind": m.kind.as_str(), "rule": m.rule, "key": m.key, "outcome": outcome,
                   "reason": reason, "problem": problem})
        }).collect::<Vec<_>>(),
    })
}

enum JunitResult {
    Pass,
    Skipped(String),
    /// Message and body.
    Failure(String, String),
}

fn problems_body(problems: &[&Problem]) -> String {
    let mut body = String::new();
    for e in problems {
        write_problem(&mut body, &Paint { on: false }, "", e, "");
    }
    body
}

fn junit_cases(f: &crate::ruletest::report::FileResult) -> Vec<(String, u32, JunitResult)> {
    let mut out = Vec::new();
    for e in &f.problems {
        out.push((
            format!("{} (test file)", e.location()),
            e.line,
            JunitResult::Failure(
                e.message.lines().next().unwrap_or("").to_string(),
                problems_body(&[e]),
            ),
        ));
    }
    for c in &f.cases {
        let refs: Vec<&Problem> = c.problems.iter().collect();
        let result = match &c.outcome {
            Outcome::Pass => JunitResult::Pass,
            Outcome::Todo(why) => JunitResult::Skipped(format!("todo: {why}")),
            Outcome::Fail | Outcome::Fixed(_) => JunitResult::Failure(
                format!(
                    "{} {}",
                    refs.len(),
                    plural(refs.len(), "mismatch", "mismatches")
                ),
                problems_body(&refs),
            ),
        };
        out.push((c.name.clone(), c.line, result));
        for m in &c.mutants {
            let name = format!(
                "{} [derived negative {} {}]",
                c.name,
                m.kind.as_str(),
                m.key
            );
            let result = match &m.outcome {
                MutantOutcome::Killed => JunitResult::Pass,
                MutantOutcome::Skipped(why) => JunitResult::Skipped(why.clone()),
                MutantOutcome::Survived(e) => {
                    JunitResult::Failure(e.message.clone(), problems_body(&[e]))
                }
            };
            out.push((name, c.line, result));
        }
    }
    out
}

fn junit_problem_case(out: &mut String, suite: &str, e: &Problem) {
    let _ = writeln!(
        out,
        "    <testcase classname=\"{}\" name=\"{}\">\n      <failure message=\"{}\">{}</failure>\n    </testcase>",
        xml(suite),
        xml(&e.location()),
        xml(e.message.lines().next().unwrap_or("")),
        xml(&problems_body(&[e]))
    );
}

/// Escapes text for XML attributes and content, dropping characters XML 1.0 forbids.
pub fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// `v` with every object's keys inserted in sorted order.
fn sorted(v: Value) -> Value {
    match v {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ruletest::report::{FileResult, MutationKind};

    fn sample() -> TestReport {
        let t = "rules/mcp/npx.test.yaml";
        TestReport {
            errors: vec![Problem {
                col: 7,
                ..Problem::new("rules/mcp/broken.yaml", 3, "rule-load", "unknown key `stpes`\nstpes: []")
            }],
            files: vec![FileResult {
                path: t.into(),
                problems: vec![],
                cases: vec![
                    CaseResult {
                        name: "positive".into(),
                        line: 3,
                        outcome: Outcome::Pass,
                        problems: vec![],
                        mutants: vec![
                            MutantResult {
                                kind: MutationKind::Swap,
                                rule: "npx.spawn-enoent".into(),
                                key: "{server=ctx}".into(),
                                outcome: MutantOutcome::Killed,
                            },
                            MutantResult {
                                kind: MutationKind::ChangeKey,
                                rule: "npx.spawn-enoent".into(),
                                key: "{server=ctx}".into(),
                                outcome: MutantOutcome::Survived(
                                    Problem::new(t, 3, "mutant", "derived negative `change-key` of case \"positive\" still matches npx.spawn-enoent {server=ctx}")
                                        .diff("no confirmed finding", "npx.spawn-enoent {server=ctx} [confirmed] at spawn@cc.log:2"),
                                ),
                            },
                            MutantResult {
                                kind: MutationKind::Shift,
                                rule: "npx.spawn-enoent".into(),
                                key: "{server=ctx}".into(),
                                outcome: MutantOutcome::Skipped("the last step's record has no timestamp".into()),
                            },
                        ],
                    },
                    CaseResult {
                        name: "wrong <status> & key".into(),
                        line: 20,
                        outcome: Outcome::Fail,
                        problems: vec![
                            Problem::new(t, 24, "status", "wrong status for npx.spawn-enoent").diff("confirmed", "inconclusive"),
                            Problem::new(t, 20, "unexpected", "unexpected finding")
                                .diff("no such finding", "npx.spawn-enoent {server=b} [confirmed] at spawn@cc.log:5"),
                        ],
                        mutants: vec![],
                    },
                    CaseResult {
                        name: "stack trace".into(),
                        line: 30,
                        outcome: Outcome::Todo("parser does not fold traces".into()),
                        problems: vec![Problem::new(t, 33, "missing", "expected finding not found")
                            .diff("npx.spawn-enoent {server=a} [confirmed]", "no such finding")],
                        mutants: vec![],
                    },
                ],
            }],
            verbose: false,
        }
    }

    #[test]
    fn text() {
        insta::assert_snapshot!(sample().render_text(false));
    }

    #[test]
    fn text_verbose() {
        let mut r = sample();
        r.verbose = true;
        insta::assert_snapshot!(r.render_text(false));
    }

    #[test]
    fn text_color_marks_the_verdict() {
        let s = sample().render_text(true);
        assert!(s.contains("\x1b[31mFAILED\x1b[0m"), "{s}");
        assert_eq!(TestReport::default().render_text(true), "test result: \x1b[32mok\x1b[0m. 0 tests in 0 files: 0 passed, 0 failed, 0 todo; derived negatives: 0 checked, 0 still matched, 0 skipped\n");
    }

    #[test]
    fn log_text_in_problems_is_escaped_and_colours_are_kept() {
        let mut r = TestReport::default();
        let mut p = Problem::new(
            "t.test.yaml",
            2,
            "missing",
            "no finding for \u{1b}]0;owned\u{7}",
        );
        p.expected = Some("server=\u{1b}[2Jx".into());
        p.actual = Some("nothing".into());
        r.errors.push(p);
        let s = r.render_text(true);
        assert!(s.contains("no finding for \\u{1b}]0;owned\\u{7}"), "{s}");
        assert!(s.contains("expected: server=\\u{1b}[2Jx"), "{s}");
        assert!(s.contains("\x1b[31merror\x1b[0m"), "{s}");
        assert_eq!(s.matches('\u{1b}').count(), 6, "only the colours: {s:?}");
    }

    #[test]
    fn json() {
        insta::assert_json_snapshot!(sample().to_json());
    }

    #[test]
    fn junit() {
        insta::assert_snapshot!(sample().to_junit());
    }

    #[test]
    fn xml_escapes_and_drops_control_characters() {
        assert_eq!(xml("a<b & \"c\"\u{1}\n"), "a&lt;b &amp; &quot;c&quot;\n");
    }
}
