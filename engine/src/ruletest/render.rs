//! Renders a [`TestReport`] as text (for people), JSON and JUnit XML (for CI).
//!
//! Output is deterministic (no timings, no absolute clock) so it can be
//! snapshot-tested. This module must never run tests or print: it returns
//! strings and values.

use std::borrow::Cow;
use std::fmt::Write as _;

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;
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
        let painter = Paint { on: color };
        let mut out = String::new();
        for problem in &self.errors {
            write_problem(&mut out, &painter, "error", problem, "");
        }
        for file in &self.files {
            for problem in &file.problems {
                write_problem(&mut out, &painter, "error", problem, "");
            }
            for case in &file.cases {
                write_case(&mut out, &painter, &file.path, case, self.verbose);
            }
        }
        let counts = self.counts();
        let verdict = if self.passed() {
            painter.paint(GREEN, "ok")
        } else {
            painter.paint(RED, "FAILED")
        };
        let _ = write!(
            out,
            "test result: {verdict}. {} {} in {} {}: {} passed, {} failed, {} todo",
            counts.cases,
            plural(counts.cases, "test", "tests"),
            counts.files,
            plural(counts.files, "file", "files"),
            counts.passed,
            counts.failed,
            counts.todo
        );
        let _ = write!(
            out,
            "; derived negatives: {} checked, {} still matched, {} skipped",
            counts.mutants, counts.mutants_survived, counts.mutants_skipped
        );
        if counts.errors > 0 {
            let _ = write!(
                out,
                "; {} {}",
                counts.errors,
                plural(counts.errors, "error", "errors")
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
        let counts = self.counts();
        json!({
            "schema": "logscan/ruletest@1",
            "passed": self.passed(),
            "summary": {
                "files": counts.files, "tests": counts.cases, "passed": counts.passed, "failed": counts.failed,
                "todo": counts.todo, "mutants": counts.mutants, "mutants_survived": counts.mutants_survived,
                "mutants_skipped": counts.mutants_skipped, "errors": counts.errors,
            },
            "errors": self.errors.iter().map(problem_json).collect::<Vec<_>>(),
            "files": self.files.iter().map(|file| json!({
                "path": file.path,
                "problems": file.problems.iter().map(problem_json).collect::<Vec<_>>(),
                "cases": file.cases.iter().map(case_json).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })
    }

    /// The report as JUnit XML: one `<testsuite>` per test file, one
    /// `<testcase>` per case and per derived negative; todo cases are skipped.
    /// Written by quick-xml (which escapes), from texts whose characters XML
    /// 1.0 forbids were dropped (`xml_chars`).
    pub fn to_junit(&self) -> String {
        let counts = self.counts();
        let mut xml = Junit::new();
        xml.declaration();
        let total = counts.cases + counts.mutants + counts.mutants_skipped + counts.errors;
        let failures = counts.failed + counts.mutants_survived + counts.errors;
        let skipped = counts.todo + counts.mutants_skipped;
        xml.open(
            "testsuites",
            &[
                ("name", "logscan rules test".into()),
                ("tests", total.to_string()),
                ("failures", failures.to_string()),
                ("skipped", skipped.to_string()),
            ],
        );
        if !self.errors.is_empty() {
            let errors = self.errors.len().to_string();
            xml.open(
                "testsuite",
                &[
                    ("name", "rule loading".into()),
                    ("tests", errors.clone()),
                    ("failures", errors),
                    ("skipped", "0".into()),
                ],
            );
            for problem in &self.errors {
                xml.open(
                    "testcase",
                    &[
                        ("classname", "rule loading".into()),
                        ("name", problem.location()),
                    ],
                );
                let message = problem.message.lines().next().unwrap_or("");
                xml.failure(message, &problems_body(&[problem]));
                xml.close("testcase");
            }
            xml.close("testsuite");
        }
        for file in &self.files {
            let cases: Vec<(String, u32, JunitResult)> = junit_cases(file);
            let failed = cases
                .iter()
                .filter(|case| matches!(case.2, JunitResult::Failure(..)))
                .count();
            let skipped = cases
                .iter()
                .filter(|case| matches!(case.2, JunitResult::Skipped(_)))
                .count();
            xml.open(
                "testsuite",
                &[
                    ("name", file.path.clone()),
                    ("tests", cases.len().to_string()),
                    ("failures", failed.to_string()),
                    ("skipped", skipped.to_string()),
                ],
            );
            for (name, line, result) in cases {
                let attributes = [
                    ("classname", file.path.clone()),
                    ("name", name),
                    ("file", file.path.clone()),
                    ("line", line.to_string()),
                ];
                match result {
                    JunitResult::Pass => xml.empty("testcase", &attributes),
                    JunitResult::Skipped(why) => {
                        xml.open("testcase", &attributes);
                        xml.empty("skipped", &[("message", why)]);
                        xml.close("testcase");
                    }
                    JunitResult::Failure(message, body) => {
                        xml.open("testcase", &attributes);
                        xml.failure(&message, &body);
                        xml.close("testcase");
                    }
                }
            }
            xml.close("testsuite");
        }
        xml.close("testsuites");
        xml.finish()
    }
}

/// A JUnit document being written: quick-xml's writer, indented by two
/// spaces, into memory (writing to a `Vec` cannot fail, so errors are dropped).
struct Junit {
    writer: Writer<Vec<u8>>,
}

impl Junit {
    fn new() -> Junit {
        Junit {
            writer: Writer::new_with_indent(Vec::new(), b' ', 2),
        }
    }

    fn declaration(&mut self) {
        let declaration = BytesDecl::new("1.0", Some("UTF-8"), None);
        let _ = self.writer.write_event(Event::Decl(declaration));
    }

    fn element<'a>(name: &'a str, attributes: &'a [(&'a str, String)]) -> BytesStart<'a> {
        let mut element = BytesStart::new(name);
        for (key, value) in attributes {
            element.push_attribute((*key, xml_chars(value)));
        }
        element
    }

    fn open(&mut self, name: &str, attributes: &[(&str, String)]) {
        let start = Junit::element(name, attributes);
        let _ = self.writer.write_event(Event::Start(start));
    }

    fn empty(&mut self, name: &str, attributes: &[(&str, String)]) {
        let element = Junit::element(name, attributes);
        let _ = self.writer.write_event(Event::Empty(element));
    }

    fn close(&mut self, name: &str) {
        let _ = self.writer.write_event(Event::End(BytesEnd::new(name)));
    }

    /// `<failure message="...">body</failure>`.
    fn failure(&mut self, message: &str, body: &str) {
        self.open("failure", &[("message", message.to_string())]);
        let body = xml_chars(body);
        let _ = self.writer.write_event(Event::Text(BytesText::new(&body)));
        self.close("failure");
    }

    /// The document, ending with a line end.
    fn finish(self) -> String {
        let mut out = String::from_utf8(self.writer.into_inner()).unwrap_or_default();
        out.push('\n');
        out
    }
}

fn plural<'a>(count: usize, one: &'a str, many: &'a str) -> &'a str {
    if count == 1 {
        one
    } else {
        many
    }
}

fn write_problem(out: &mut String, painter: &Paint, label: &str, problem: &Problem, indent: &str) {
    let label = if label.is_empty() {
        String::new()
    } else {
        format!("{} ", painter.paint(RED, label))
    };
    // Messages, values and paths can hold a log's text: escaped (`visible`).
    let message = shown(&problem.message);
    let mut lines = message.lines();
    let first = lines.next().unwrap_or("");
    let _ = writeln!(
        out,
        "{indent}{label}{}: [{}] {first}",
        painter.paint(BOLD, &shown(&problem.location())),
        problem.kind
    );
    for line in lines {
        let _ = writeln!(out, "{indent}    | {line}");
    }
    if let (Some(expected), Some(actual)) = (&problem.expected, &problem.actual) {
        let _ = writeln!(out, "{indent}    expected: {}", shown(expected));
        let _ = writeln!(out, "{indent}    actual:   {}", shown(actual));
    }
}

fn write_case(out: &mut String, painter: &Paint, path: &str, case: &CaseResult, verbose: bool) {
    let head = shown(&format!("{path}:{}: case {:?}", case.line, case.name)).into_owned();
    let survived: Vec<&MutantResult> = case
        .mutants
        .iter()
        .filter(|mutant| matches!(mutant.outcome, MutantOutcome::Survived(_)))
        .collect();
    match &case.outcome {
        Outcome::Pass if survived.is_empty() => {
            if verbose {
                let _ = writeln!(out, "{} {head}", painter.paint(GREEN, "ok  "));
            }
        }
        Outcome::Pass | Outcome::Fail => {
            let _ = writeln!(out, "{} {head}", painter.paint(RED, "FAIL"));
        }
        Outcome::Todo(why) => {
            let why = shown(why);
            let _ = writeln!(
                out,
                "{} {head} (todo: {why})",
                painter.paint(YELLOW, "TODO")
            );
        }
        Outcome::Fixed(why) => {
            let why = shown(why);
            let _ = writeln!(out, "{} {head} (todo: {why})", painter.paint(RED, "FIXED"));
        }
    }
    let show_problems = !matches!(case.outcome, Outcome::Todo(_)) || verbose;
    if show_problems {
        for problem in &case.problems {
            write_problem(out, painter, "", problem, "  ");
        }
    }
    for mutant in &case.mutants {
        let what = format!(
            "derived negative `{}` {} {}",
            mutant.kind.as_str(),
            shown(&mutant.rule),
            shown(&mutant.key)
        );
        match &mutant.outcome {
            MutantOutcome::Survived(problem) => write_problem(out, painter, "", problem, "  "),
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

fn problem_json(problem: &Problem) -> Value {
    json!({
        "path": problem.path, "line": problem.line, "col": problem.col, "kind": problem.kind, "message": problem.message,
        "expected": problem.expected, "actual": problem.actual,
    })
}

fn case_json(case: &CaseResult) -> Value {
    let todo = match &case.outcome {
        Outcome::Todo(why) | Outcome::Fixed(why) => Some(why.clone()),
        _ => None,
    };
    json!({
        "name": case.name,
        "line": case.line,
        "outcome": case.outcome.as_str(),
        "todo": todo,
        "problems": case.problems.iter().map(problem_json).collect::<Vec<_>>(),
        "mutants": case.mutants.iter().map(|mutant| {
            let (outcome, reason, problem) = match &mutant.outcome {
                MutantOutcome::Killed => ("killed", None, None),
                MutantOutcome::Survived(problem) => ("survived", None, Some(problem_json(problem))),
                MutantOutcome::Skipped(why) => ("skipped", Some(why.clone()), None),
            };
            json!({"kind": mutant.kind.as_str(), "rule": mutant.rule, "key": mutant.key, "outcome": outcome,
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
    for problem in problems {
        write_problem(&mut body, &Paint { on: false }, "", problem, "");
    }
    body
}

fn junit_cases(file: &crate::ruletest::report::FileResult) -> Vec<(String, u32, JunitResult)> {
    let mut out = Vec::new();
    for problem in &file.problems {
        out.push((
            format!("{} (test file)", problem.location()),
            problem.line,
            JunitResult::Failure(
                problem.message.lines().next().unwrap_or("").to_string(),
                problems_body(&[problem]),
            ),
        ));
    }
    for case in &file.cases {
        let refs: Vec<&Problem> = case.problems.iter().collect();
        let result = match &case.outcome {
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
        out.push((case.name.clone(), case.line, result));
        for mutant in &case.mutants {
            let name = format!(
                "{} [derived negative {} {}]",
                case.name,
                mutant.kind.as_str(),
                mutant.key
            );
            let result = match &mutant.outcome {
                MutantOutcome::Killed => JunitResult::Pass,
                MutantOutcome::Skipped(why) => JunitResult::Skipped(why.clone()),
                MutantOutcome::Survived(problem) => {
                    JunitResult::Failure(problem.message.clone(), problems_body(&[problem]))
                }
            };
            out.push((name, case.line, result));
        }
    }
    out
}

/// `text` without the characters XML 1.0 forbids (controls other than tab
/// and line ends, U+FFFE, U+FFFF); escaping is quick-xml's.
fn xml_chars(text: &str) -> Cow<'_, str> {
    let forbidden = |character: char| {
        !matches!(character, '\t' | '\n' | '\r')
            && ((character as u32) < 0x20 || matches!(character, '\u{FFFE}' | '\u{FFFF}'))
    };
    if !text.chars().any(forbidden) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .filter(|&character| !forbidden(character))
            .collect(),
    )
}

/// `value` with every object's keys inserted in sorted order.
fn sorted(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(
                entries
                    .into_iter()
                    .map(|(key, value)| (key, sorted(value)))
                    .collect(),
            )
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
    fn junit_escapes_and_drops_control_characters() {
        assert_eq!(xml_chars("a<b & \"c\"\u{1}\u{FFFF}\n"), "a<b & \"c\"\n");
        let mut report = TestReport::default();
        report.errors.push(Problem::new(
            "r<1>.yaml",
            2,
            "rule-load",
            "bad 'key' & \"value\"\u{1b}[2J\u{7}",
        ));
        let junit = report.to_junit();
        assert!(
            junit.contains(r#"<testcase classname="rule loading" name="r&lt;1&gt;.yaml:2">"#),
            "{junit}"
        );
        assert!(
            junit.contains(r#"<failure message="bad &apos;key&apos; &amp; &quot;value&quot;[2J">"#),
            "{junit}"
        );
        assert!(
            !junit.contains('\u{1b}') && !junit.contains('\u{7}'),
            "{junit}"
        );
    }
}
