//! The `*.test.yaml` schema: a test file read by `rule::yaml` into serde types
//! (their keys are the keys a test file may write), then checked into a
//! validated [`TestFile`].
//!
//! Every case, input and expectation keeps the line it was written on so the
//! runner can point at it. Unknown keys, wrong types and bad anchors are
//! errors with a line and column, and all errors of a file are returned, not
//! just the first. This module must never read fixtures or run rules.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};

use crate::finding::Status;
use crate::rule::yaml::{self, Kind, Node, Pos, Problem, Spanned, UnknownKeys};
use crate::ruletest::anchor::Anchor;

/// The only schema tag accepted in `schema:` (which is optional).
pub const SCHEMA: &str = "logscan/test@1";

/// One test file.
#[derive(Clone, Debug, PartialEq)]
pub struct TestFile {
    /// Rule ids under test; findings of other rules are ignored.
    pub rules: Vec<String>,
    /// Line of the `rules:` key.
    pub rules_line: u32,
    pub cases: Vec<Case>,
}

/// One case: inputs, options and the exact expected findings.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    pub name: String,
    /// Line where the case starts.
    pub line: u32,
    pub inputs: Vec<Input>,
    /// `--tz` for this case (an IANA name or `UTC`).
    pub tz: Option<String>,
    pub expect: Vec<Expect>,
    /// Derive mutated negatives from this case (default true).
    pub mutate: bool,
    /// The case is expected to fail, for this reason.
    pub todo: Option<String>,
}

/// One input of a case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    pub line: u32,
    pub source: InputSource,
    /// Force this format instead of detecting it.
    pub format: Option<String>,
}

/// Where an input's bytes come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputSource {
    /// A fixture path, relative to the test file.
    Path(String),
    /// Inline text with the name that drives format detection.
    Inline { name: String, text: String },
}

/// One expected finding.
#[derive(Clone, Debug, PartialEq)]
pub struct Expect {
    pub line: u32,
    pub rule: String,
    /// The `correlate.by` variables, sorted by name.
    pub key: BTreeMap<String, String>,
    pub status: Status,
    pub occurrences: Option<u32>,
    /// Variables that must be bound to these values.
    pub vars: BTreeMap<String, String>,
    /// Step id -> anchor, with the line of each anchor.
    pub evidence: Vec<(String, Anchor, u32)>,
}

/// A schema or syntax error at a position of the test file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaError {
    pub line: u32,
    pub col: u32,
    pub message: String,
}

// ---- what a test file holds, as written ----------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TestFileDoc {
    #[serde(default)]
    schema: Option<Spanned<String>>,
    /// A rule id or a list of them.
    #[serde(default)]
    rules: Option<Spanned<Node>>,
    #[serde(default, deserialize_with = "null_is_empty")]
    cases: Option<Vec<Spanned<CaseDoc>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseDoc {
    #[serde(default)]
    name: Option<String>,
    /// `None`: not written; a null value reads as no inputs.
    #[serde(default, deserialize_with = "written")]
    inputs: Option<Spanned<Option<Vec<Spanned<InputDoc>>>>>,
    #[serde(default)]
    tz: Option<String>,
    #[serde(default, deserialize_with = "null_is_empty")]
    expect: Option<Vec<Spanned<ExpectDoc>>>,
    #[serde(default)]
    mutate: Option<bool>,
    #[serde(default)]
    todo: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InputDoc {
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    format: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectDoc {
    #[serde(default)]
    rule: Option<Spanned<String>>,
    #[serde(default)]
    key: Option<BTreeMap<String, Option<String>>>,
    #[serde(default)]
    status: Option<StatusDoc>,
    #[serde(default)]
    occurrences: Option<Spanned<u32>>,
    #[serde(default)]
    vars: Option<BTreeMap<String, Option<String>>>,
    /// Step id -> anchor, read in file order by [`evidence`].
    #[serde(default)]
    evidence: Option<Node>,
}

#[derive(Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum StatusDoc {
    Confirmed,
    Partial,
    Inconclusive,
}

/// An anchor with a text guard: `{at: 'file:line', text: '...'}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GuardedAnchorDoc {
    #[serde(default)]
    at: Option<String>,
    #[serde(default)]
    text: Option<String>,
}

/// A list that may be written empty (`expect:` with nothing after it).
fn null_is_empty<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<Vec<T>>, D::Error> {
    Ok(Some(
        Option::<Vec<T>>::deserialize(deserializer)?.unwrap_or_default(),
    ))
}

/// Every part of a test file (by the name of its type) with its keys, from
/// the types: what the JSON Schema of test files must list.
pub fn shapes() -> Vec<yaml::de::Shape> {
    let mut out = yaml::de::shapes::<TestFileDoc>();
    out.extend(yaml::de::shapes::<GuardedAnchorDoc>());
    out
}

/// A value that was written (`None` is only for a missing key).
fn written<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<T>, D::Error> {
    T::deserialize(deserializer).map(Some)
}

/// What a part of a test file is called in messages, by the name of its type.
fn part_name(type_name: &str) -> &'static str {
    match type_name {
        "TestFileDoc" => "test file",
        "CaseDoc" => "a case",
        "InputDoc" => "an input",
        "ExpectDoc" => "an expectation",
        "GuardedAnchorDoc" => "an anchor",
        _ => "a map",
    }
}

/// Parses and validates a test file.
pub fn parse(text: &str) -> Result<TestFile, Vec<SchemaError>> {
    let root = yaml::parse(text).map_err(|e| {
        vec![SchemaError {
            line: e.pos.line,
            col: e.pos.col,
            message: format!("invalid YAML: {}", e.message),
        }]
    })?;
    let mut checker = Checker::default();
    let file = checker.file(root.as_ref());
    match file {
        Some(f) if checker.errors.is_empty() => Ok(f),
        _ => {
            checker.errors.sort_by_key(|e| (e.line, e.col));
            Err(checker.errors)
        }
    }
}

/// Collects the errors of one test file while turning what it holds into a [`TestFile`].
#[derive(Default)]
struct Checker {
    errors: Vec<SchemaError>,
}

impl Checker {
    fn err(&mut self, pos: Pos, message: impl Into<String>) {
        self.errors.push(SchemaError {
            line: pos.line,
            col: pos.col,
            message: message.into(),
        });
    }

    /// Records what reading a part found; `Some` when the part can be checked further.
    fn read<'de, T: Deserialize<'de>>(&mut self, node: &'de Node) -> Option<T> {
        let reading = yaml::from_node::<T>(node, UnknownKeys::Report);
        for problem in &reading.problems {
            match problem {
                Problem::UnknownKey {
                    pos,
                    key,
                    part,
                    expected,
                } => self.err(
                    *pos,
                    format!(
                        "{}: unknown key `{key}` (expected one of: {})",
                        part_name(part),
                        expected.join(", ")
                    ),
                ),
                Problem::Invalid { pos, .. } => self.err(*pos, problem.to_string()),
            }
        }
        reading.value
    }

    fn file(&mut self, root: Option<&Node>) -> Option<TestFile> {
        let root = match root {
            Some(r) if !r.is_null() => r,
            _ => {
                let pos = root.map_or(Pos { line: 1, col: 1 }, |r| r.pos);
                self.err(pos, "empty test file: expected `rules:` and `cases:`");
                return None;
            }
        };
        if !matches!(root.kind, Kind::Map(_)) {
            self.err(
                root.pos,
                format!("test file must be a mapping, found {}", root.kind_name()),
            );
            return None;
        }
        for (pos, message) in yaml::node::duplicate_keys(root) {
            self.err(pos, message);
        }
        let doc: TestFileDoc = self.read(root)?;
        if let Some(schema) = &doc.schema {
            if schema.value != SCHEMA {
                self.err(
                    schema.pos,
                    format!("unsupported schema (expected `{SCHEMA}`)"),
                );
            }
        }
        let Some(rules) = &doc.rules else {
            self.err(root.pos, "missing `rules:` (the rule ids under test)");
            return None;
        };
        let ids = self.rule_ids(&rules.value);
        let Some(cases) = doc.cases else {
            self.err(root.pos, "missing `cases:`");
            return None;
        };
        let mut out: Vec<Case> = Vec::new();
        for case_doc in cases {
            let pos = case_doc.pos;
            let case = self.case(case_doc, &ids);
            if out.iter().any(|c| c.name == case.name) {
                self.err(pos, format!("duplicate case name {:?}", case.name));
            }
            out.push(case);
        }
        Some(TestFile {
            rules: ids,
            rules_line: rules.key_pos.line,
            cases: out,
        })
    }

    /// `rules:` is one rule id or a list of them.
    fn rule_ids(&mut self, node: &Node) -> Vec<String> {
        let ids: Vec<String> = match (&node.kind, node.as_str()) {
            (_, Some(id)) => vec![id.to_string()],
            (Kind::Seq(items), _) => items
                .iter()
                .filter_map(|item| match item.as_str() {
                    Some(id) => Some(id.to_string()),
                    None => {
                        self.err(
                            item.pos,
                            format!("a rule id must be a string, found {}", item.kind_name()),
                        );
                        None
                    }
                })
                .collect(),
            _ if node.is_null() => Vec::new(),
            _ => {
                self.err(
                    node.pos,
                    format!("`rules` must be a list, found {}", node.kind_name()),
                );
                Vec::new()
            }
        };
        if ids.is_empty() {
            self.err(node.pos, "`rules` must name at least one rule id");
        }
        ids
    }

    fn case(&mut self, case_doc: Spanned<CaseDoc>, rules: &[String]) -> Case {
        let Spanned {
            pos, value: doc, ..
        } = case_doc;
        if doc.name.is_none() {
            self.err(pos, "a case needs a `name`");
        }
        if doc.inputs.is_none() {
            self.err(pos, "a case needs `inputs`");
        }
        if doc.expect.is_none() {
            self.err(
                pos,
                "a case needs `expect` (use `expect: []` when nothing may match)",
            );
        }
        let written_inputs = doc.inputs.map(|list| (list.pos, list.value));
        if let Some((list_pos, Some(list))) = &written_inputs {
            if list.is_empty() {
                self.err(
                    *list_pos,
                    "`inputs` is empty: a case needs at least one input",
                );
            }
        }
        let inputs: Vec<Input> = written_inputs
            .and_then(|(_, list)| list)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|input| self.input(input))
            .collect();
        Case {
            name: doc.name.unwrap_or_default(),
            line: pos.line,
            inputs,
            tz: doc.tz,
            expect: doc
                .expect
                .unwrap_or_default()
                .into_iter()
                .filter_map(|expect| self.expect(expect, rules))
                .collect(),
            mutate: doc.mutate.unwrap_or(true),
            todo: doc.todo,
        }
    }

    fn input(&mut self, input: Spanned<InputDoc>) -> Option<Input> {
        let Spanned { pos, value, .. } = input;
        let source = match (value.path, value.name, value.text) {
            (Some(p), None, None) => InputSource::Path(p),
            (None, Some(name), Some(text)) => InputSource::Inline { name, text },
            (None, None, Some(_)) => {
                self.err(
                    pos,
                    "an inline input needs a `name` (it drives format detection)",
                );
                return None;
            }
            (None, _, None) => {
                self.err(pos, "an input needs `path`, or `name` and `text`");
                return None;
            }
            (Some(_), _, _) => {
                self.err(
                    pos,
                    "an input has either `path` or `name` and `text`, not both",
                );
                return None;
            }
        };
        Some(Input {
            line: pos.line,
            source,
            format: value.format,
        })
    }

    fn expect(&mut self, expect: Spanned<ExpectDoc>, rules: &[String]) -> Option<Expect> {
        let Spanned { pos, value, .. } = expect;
        let Some(rule) = value.rule else {
            self.err(pos, "an expectation needs a `rule`");
            return None;
        };
        if !rules.contains(&rule.value) {
            self.err(
                rule.pos,
                format!(
                    "rule `{}` is not under test (add it to `rules:`)",
                    rule.value
                ),
            );
        }
        let occurrences = match value.occurrences {
            Some(n) if n.value == 0 => {
                self.err(n.pos, "`occurrences` must be a positive integer");
                None
            }
            other => other.map(|n| n.value),
        };
        let text_map = |map: Option<BTreeMap<String, Option<String>>>| -> BTreeMap<String, String> {
            map.unwrap_or_default()
                .into_iter()
                .map(|(k, v)| (k, v.unwrap_or_default()))
                .collect()
        };
        Some(Expect {
            line: pos.line,
            rule: rule.value,
            key: text_map(value.key),
            status: match value.status {
                None | Some(StatusDoc::Confirmed) => Status::Confirmed,
                Some(StatusDoc::Partial) => Status::Partial,
                Some(StatusDoc::Inconclusive) => Status::Inconclusive,
            },
            occurrences,
            vars: text_map(value.vars),
            evidence: match &value.evidence {
                Some(node) if !node.is_null() => self.evidence(node),
                _ => Vec::new(),
            },
        })
    }

    /// `evidence:`: step id -> `'file:line'` or `{at: 'file:line', text: '...'}`, in file order.
    fn evidence(&mut self, node: &Node) -> Vec<(String, Anchor, u32)> {
        let mut out = Vec::new();
        let Kind::Map(entries) = &node.kind else {
            self.err(
                node.pos,
                format!(
                    "`evidence` must be a mapping of step id to anchor, found {}",
                    node.kind_name()
                ),
            );
            return out;
        };
        for (key, value) in entries {
            let Some(step) = key.as_str() else {
                self.err(key.pos, "`evidence`: step ids must be strings");
                continue;
            };
            let (at, text) = match (&value.kind, value.as_str()) {
                (_, Some(at)) => (at.to_string(), None),
                (Kind::Map(_), _) => {
                    let Some(guarded) = self.read::<GuardedAnchorDoc>(value) else {
                        continue;
                    };
                    let Some(at) = guarded.at else {
                        self.err(value.pos, "an anchor needs `at: 'file:line'`");
                        continue;
                    };
                    (at, guarded.text)
                }
                _ => {
                    self.err(
                        value.pos,
                        "an anchor is 'file:line' or {at: 'file:line', text: '...'}",
                    );
                    continue;
                }
            };
            match Anchor::parse(&at, text) {
                Ok(anchor) => out.push((step.to_string(), anchor, value.pos.line)),
                Err(e) => self.err(value.pos, e),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "\
rules: [npx.spawn-enoent]
cases:
  - name: positive
    inputs:
      - path: fixtures/cc.log
      - name: inline.log
        text: |
          hello
        format: claude-desktop-main
    tz: UTC
    expect:
      - rule: npx.spawn-enoent
        key: {server: context7}
        status: partial
        occurrences: 2
        vars: {cmd: npx}
        evidence:
          spawn: {at: 'cc.log:2', text: Spawning}
          enoent: 'cc.log:3-4'
  - name: negative
    inputs: [{path: fixtures/ok.log}]
    expect: []
    mutate: false
    todo: parser
";

    fn errors(text: &str) -> Vec<String> {
        parse(text)
            .unwrap_err()
            .into_iter()
            .map(|e| format!("{}:{}: {}", e.line, e.col, e.message))
            .collect()
    }

    #[test]
    fn a_full_file_parses_with_lines() {
        let f = parse(GOOD).unwrap();
        assert_eq!(f.rules, ["npx.spawn-enoent"]);
        assert_eq!(f.rules_line, 1);
        assert_eq!(f.cases.len(), 2);
        let c = &f.cases[0];
        assert_eq!(
            (c.name.as_str(), c.line, c.tz.as_deref(), c.mutate),
            ("positive", 3, Some("UTC"), true)
        );
        assert_eq!(
            c.inputs[0].source,
            InputSource::Path("fixtures/cc.log".into())
        );
        assert_eq!(
            c.inputs[1].source,
            InputSource::Inline {
                name: "inline.log".into(),
                text: "hello\n".into()
            }
        );
        assert_eq!(c.inputs[1].format.as_deref(), Some("claude-desktop-main"));
        let e = &c.expect[0];
        assert_eq!(e.line, 12);
        assert_eq!(e.status, Status::Partial);
        assert_eq!(e.occurrences, Some(2));
        assert_eq!(e.key.get("server").map(String::as_str), Some("context7"));
        assert_eq!(e.vars.get("cmd").map(String::as_str), Some("npx"));
        let ev: Vec<String> = e
            .evidence
            .iter()
            .map(|(s, a, l)| format!("{s}@{l}={a}"))
            .collect();
        assert_eq!(
            ev,
            [r#"spawn@18=cc.log:2 "Spawning""#, "enoent@19=cc.log:3-4"]
        );
        let n = &f.cases[1];
        assert_eq!(
            (n.line, n.mutate, n.todo.as_deref()),
            (20, false, Some("parser"))
        );
        assert!(n.expect.is_empty());
    }

    #[test]
    fn status_defaults_to_confirmed_and_null_key_is_empty() {
        let f = parse("rules: r\ncases:\n- name: a\n  inputs: [{path: x}]\n  expect: [{rule: r, key: {server: ~}}]\n").unwrap();
        let e = &f.cases[0].expect[0];
        assert_eq!(e.status, Status::Confirmed);
        assert_eq!(e.key.get("server").map(String::as_str), Some(""));
    }

    #[test]
    fn every_error_is_reported_with_its_position() {
        let text = "\
rules: [r]
cases:
  - name: a
    inputs: [{path: x, text: y}]
    expect:
      - {rule: other, status: confirm, occurrences: 0}
      - rule: r
        evidence: {spawn: 'x.log'}
        colour: red
  - inputs: []
";
        assert_eq!(
            errors(text),
            [
                "4:14: an input has either `path` or `name` and `text`, not both",
                "6:16: rule `other` is not under test (add it to `rules:`)",
                "6:31: cases[0].expect[0].status: unknown value `confirm`, expected one of `confirmed`, `partial`, `inconclusive`; did you mean `confirmed`?",
                "6:53: `occurrences` must be a positive integer",
                "8:27: anchor `x.log` is not `file:line` or `file:first-last`",
                "9:9: an expectation: unknown key `colour` (expected one of: rule, key, status, occurrences, vars, evidence)",
                "10:5: a case needs a `name`",
                "10:5: a case needs `expect` (use `expect: []` when nothing may match)",
                "10:13: `inputs` is empty: a case needs at least one input",
            ]
        );
    }

    #[test]
    fn scalars_keep_their_text_and_aliases_resolve() {
        let text = "\
rules: [r]
cases:
  - name: a
    inputs: &in [{path: x}]
    expect: [{rule: r, vars: {v: 1.50, w: 007, n: 'null'}}]
  - name: b
    inputs: *in
    expect: []
    mutate: yes
";
        assert_eq!(
            errors(text),
            ["9:13: cases[1].mutate: invalid type: string \"yes\", expected `true` or `false`"]
        );
        let f = parse(&text.replace("yes", "false")).unwrap();
        let vars: Vec<(&str, &str)> = f.cases[0].expect[0]
            .vars
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(vars, [("n", "null"), ("v", "1.50"), ("w", "007")]);
        assert_eq!(f.cases[1].inputs, f.cases[0].inputs);
        assert_eq!(
            errors("rules: [r]\ncases: &c [*c]\n"),
            ["2:12: invalid YAML: unknown alias"]
        );
    }

    #[test]
    fn broken_yaml_and_missing_parts() {
        let e = errors("rules: [r\ncases: []\n");
        assert_eq!(e.len(), 1);
        assert!(e[0].contains("invalid YAML"), "{e:?}");
        assert_eq!(
            errors(""),
            ["1:1: empty test file: expected `rules:` and `cases:`"]
        );
        assert_eq!(
            errors("cases: []\n"),
            ["1:1: missing `rules:` (the rule ids under test)"]
        );
        assert_eq!(
            errors("schema: x\nrules: [r]\ncases: []\n"),
            ["1:9: unsupported schema (expected `logscan/test@1`)"]
        );
    }
}
