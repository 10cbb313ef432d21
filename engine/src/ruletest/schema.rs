//! The `*.test.yaml` schema: a YAML tree in, a validated [`TestFile`] out.
//!
//! Every case, input and expectation keeps the line it was written on so the
//! runner can point at it. Unknown keys, wrong types and bad anchors are
//! errors with a line and column, and all errors of a file are returned, not
//! just the first. This module must never read fixtures or run rules.

use std::collections::BTreeMap;

use crate::finding::Status;
use crate::rule::yamlpos::{self, Aliases, Kind, Node, Pos};
use crate::ruletest::anchor::Anchor;

/// The only schema tag accepted in `schema:` (which is optional).
pub const SCHEMA: &str = "logscan/test@1";

const FILE_KEYS: &[&str] = &["schema", "rules", "cases"];
const CASE_KEYS: &[&str] = &["name", "inputs", "tz", "expect", "mutate", "todo"];
const INPUT_KEYS: &[&str] = &["path", "name", "text", "format"];
const EXPECT_KEYS: &[&str] = &["rule", "key", "status", "occurrences", "vars", "evidence"];
const ANCHOR_KEYS: &[&str] = &["at", "text"];

/// Each part of a test file (by the name of its type in the JSON Schema; `""`
/// is the file itself) and the keys this parser allows in it, so that a test
/// can keep the two equal.
pub const ALLOWED_KEYS: &[(&str, &[&str])] = &[
    ("", FILE_KEYS),
    ("CaseDoc", CASE_KEYS),
    ("InputDoc", INPUT_KEYS),
    ("ExpectDoc", EXPECT_KEYS),
    ("AnchorDoc", ANCHOR_KEYS),
];

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

/// Parses and validates a test file.
pub fn parse(text: &str) -> Result<TestFile, Vec<SchemaError>> {
    let root = yamlpos::parse_with(text, Aliases::Resolve).map_err(|e| {
        vec![SchemaError {
            line: e.pos.line,
            col: e.pos.col,
            message: format!("invalid YAML: {}", e.message),
        }]
    })?;
    let mut cx = Cx::default();
    let file = cx.file(root.as_ref());
    match file {
        Some(f) if cx.errors.is_empty() => Ok(f),
        _ => Err(cx.errors),
    }
}

#[derive(Default)]
struct Cx {
    errors: Vec<SchemaError>,
}

impl Cx {
    fn err(&mut self, pos: Pos, message: impl Into<String>) {
        self.errors.push(SchemaError {
            line: pos.line,
            col: pos.col,
            message: message.into(),
        });
    }

    /// The entries of a mapping node, checking keys against `allowed`.
    fn map<'n>(
        &mut self,
        node: &'n Node,
        what: &str,
        allowed: &[&str],
    ) -> Option<Vec<(&'n str, &'n Node, Pos)>> {
        let Kind::Map(entries) = &node.kind else {
            self.err(
                node.pos,
                format!("{what} must be a mapping, found {}", node.kind_name()),
            );
            return None;
        };
        let mut out: Vec<(&str, &Node, Pos)> = Vec::new();
        for (k, v) in entries {
            let Some(key) = k.as_str() else {
                self.err(k.pos, format!("{what}: keys must be strings"));
                continue;
            };
            if !allowed.contains(&key) {
                self.err(
                    k.pos,
                    format!(
                        "{what}: unknown key `{key}` (expected one of: {})",
                        allowed.join(", ")
                    ),
                );
                continue;
            }
            if out.iter().any(|(seen, _, _)| *seen == key) {
                self.err(k.pos, format!("{what}: duplicate key `{key}`"));
                continue;
            }
            out.push((key, v, k.pos));
        }
        Some(out)
    }

    fn string(&mut self, node: &Node, what: &str) -> Option<String> {
        match node.as_str() {
            Some(s) => Some(s.to_string()),
            None => {
                self.err(
                    node.pos,
                    format!("{what} must be a string, found {}", node.kind_name()),
                );
                None
            }
        }
    }

    fn list<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n [Node]> {
        match &node.kind {
            Kind::Seq(items) => Some(items),
            _ if node.is_null() => Some(&[]),
            _ => {
                self.err(
                    node.pos,
                    format!("{what} must be a list, found {}", node.kind_name()),
                );
                None
            }
        }
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
        let entries = self.map(root, "test file", FILE_KEYS)?;
        let mut rules = None;
        let mut cases = None;
        for (key, v, kpos) in entries {
            match key {
                "schema" => {
                    if v.as_str() != Some(SCHEMA) {
                        self.err(v.pos, format!("unsupported schema (expected `{SCHEMA}`)"));
                    }
                }
                "rules" => {
                    let ids = match v.as_str() {
                        Some(id) => vec![id.to_string()],
                        None => self
                            .list(v, "`rules`")
                            .unwrap_or_default()
                            .iter()
                            .filter_map(|n| self.string(n, "a rule id"))
                            .collect(),
                    };
                    if ids.is_empty() {
                        self.err(v.pos, "`rules` must name at least one rule id");
                    }
                    rules = Some((ids, kpos.line));
                }
                _ => cases = Some(v),
            }
        }
        let Some((rules, rules_line)) = rules else {
            self.err(root.pos, "missing `rules:` (the rule ids under test)");
            return None;
        };
        let Some(cases_node) = cases else {
            self.err(root.pos, "missing `cases:`");
            return None;
        };
        let mut cases: Vec<Case> = Vec::new();
        for item in self.list(cases_node, "`cases`").unwrap_or_default() {
            if let Some(case) = self.case(item, &rules) {
                if cases.iter().any(|c| c.name == case.name) {
                    self.err(item.pos, format!("duplicate case name {:?}", case.name));
                }
                cases.push(case);
            }
        }
        Some(TestFile {
            rules,
            rules_line,
            cases,
        })
    }

    fn case(&mut self, node: &Node, rules: &[String]) -> Option<Case> {
        let entries = self.map(node, "a case", CASE_KEYS)?;
        let mut case = Case {
            name: String::new(),
            line: node.pos.line,
            inputs: Vec::new(),
            tz: None,
            expect: Vec::new(),
            mutate: true,
            todo: None,
        };
        let (mut has_name, mut has_inputs, mut has_expect) = (false, false, false);
        for (key, v, _) in entries {
            match key {
                "name" => {
                    has_name = true;
                    case.name = self.string(v, "`name`").unwrap_or_default();
                }
                "inputs" => {
                    has_inputs = true;
                    for i in self.list(v, "`inputs`").unwrap_or_default() {
                        if let Some(input) = self.input(i) {
                            case.inputs.push(input);
                        }
                    }
                    if case.inputs.is_empty() && matches!(&v.kind, Kind::Seq(s) if s.is_empty()) {
                        self.err(v.pos, "`inputs` is empty: a case needs at least one input");
                    }
                }
                "tz" => case.tz = self.string(v, "`tz`"),
                "expect" => {
                    has_expect = true;
                    for e in self.list(v, "`expect`").unwrap_or_default() {
                        if let Some(exp) = self.expect(e, rules) {
                            case.expect.push(exp);
                        }
                    }
                }
                "mutate" => match v.as_str() {
                    Some("true") => case.mutate = true,
                    Some("false") => case.mutate = false,
                    _ => self.err(v.pos, "`mutate` must be true or false"),
                },
                _ => case.todo = self.string(v, "`todo`"),
            }
        }
        if !has_name {
            self.err(node.pos, "a case needs a `name`");
        }
        if !has_inputs {
            self.err(node.pos, "a case needs `inputs`");
        }
        if !has_expect {
            self.err(
                node.pos,
                "a case needs `expect` (use `expect: []` when nothing may match)",
            );
        }
        Some(case)
    }

    fn input(&mut self, node: &Node) -> Option<Input> {
        let entries = self.map(node, "an input", INPUT_KEYS)?;
        let (mut path, mut name, mut text, mut format) = (None, None, None, None);
        for (key, v, _) in entries {
            let s = self.string(v, &format!("`{key}`"));
            match key {
                "path" => path = s,
                "name" => name = s,
                "text" => text = s,
                _ => format = s,
            }
        }
        let source = match (path, name, text) {
            (Some(p), None, None) => InputSource::Path(p),
            (None, Some(name), Some(text)) => InputSource::Inline { name, text },
            (None, None, Some(_)) => {
                self.err(
                    node.pos,
                    "an inline input needs a `name` (it drives format detection)",
                );
                return None;
            }
            (None, _, None) => {
                self.err(node.pos, "an input needs `path`, or `name` and `text`");
                return None;
            }
            (Some(_), _, _) => {
                self.err(
                    node.pos,
                    "an input has either `path` or `name` and `text`, not both",
                );
                return None;
            }
        };
        Some(Input {
            line: node.pos.line,
            source,
            format,
        })
    }

    fn expect(&mut self, node: &Node, rules: &[String]) -> Option<Expect> {
        let entries = self.map(node, "an expectation", EXPECT_KEYS)?;
        let mut exp = Expect {
            line: node.pos.line,
            rule: String::new(),
            key: BTreeMap::new(),
            status: Status::Confirmed,
            occurrences: None,
            vars: BTreeMap::new(),
            evidence: Vec::new(),
        };
        let mut has_rule = false;
        for (key, v, _) in entries {
            match key {
                "rule" => {
                    has_rule = true;
                    exp.rule = self.string(v, "`rule`")?;
                    if !rules.contains(&exp.rule) {
                        self.err(
                            v.pos,
                            format!("rule `{}` is not under test (add it to `rules:`)", exp.rule),
                        );
                    }
                }
                "key" => exp.key = self.string_map(v, "`key`"),
                "vars" => exp.vars = self.string_map(v, "`vars`"),
                "status" => match v.as_str() {
                    Some("confirmed") => exp.status = Status::Confirmed,
                    Some("partial") => exp.status = Status::Partial,
                    Some("inconclusive") => exp.status = Status::Inconclusive,
                    _ => self.err(
                        v.pos,
                        "`status` must be one of: confirmed, partial, inconclusive",
                    ),
                },
                "occurrences" => match v.as_str().and_then(|s| s.parse::<u32>().ok()) {
                    Some(n) if n > 0 => exp.occurrences = Some(n),
                    _ => self.err(v.pos, "`occurrences` must be a positive integer"),
                },
                _ => exp.evidence = self.evidence(v),
            }
        }
        if !has_rule {
            self.err(node.pos, "an expectation needs a `rule`");
            return None;
        }
        Some(exp)
    }

    fn string_map(&mut self, node: &Node, what: &str) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        if node.is_null() {
            return out;
        }
        let Kind::Map(entries) = &node.kind else {
            self.err(
                node.pos,
                format!("{what} must be a mapping, found {}", node.kind_name()),
            );
            return out;
        };
        for (k, v) in entries {
            let (Some(k), Some(v)) = (k.as_str(), self.scalar_or_empty(v, what)) else {
                continue;
            };
            out.insert(k.to_string(), v);
        }
        out
    }

    /// A scalar value; a null is the empty string (the `null_key` value).
    fn scalar_or_empty(&mut self, node: &Node, what: &str) -> Option<String> {
        match node.as_str() {
            Some(s) => Some(s.to_string()),
            None if node.is_null() => Some(String::new()),
            None => {
                self.err(node.pos, format!("{what}: values must be scalars"));
                None
            }
        }
    }

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
        for (k, v) in entries {
            let Some(step) = k.as_str() else {
                self.err(k.pos, "`evidence`: step ids must be strings");
                continue;
            };
            let (at, text) = match (&v.kind, v.as_str()) {
                (_, Some(at)) => (at.to_string(), None),
                (Kind::Map(_), _) => {
                    let Some(fields) = self.map(v, "an anchor", ANCHOR_KEYS) else {
                        continue;
                    };
                    let mut at = None;
                    let mut text = None;
                    for (key, fv, _) in fields {
                        let s = self.string(fv, &format!("`{key}`"));
                        if key == "at" {
                            at = s;
                        } else {
                            text = s;
                        }
                    }
                    let Some(at) = at else {
                        self.err(v.pos, "an anchor needs `at: 'file:line'`");
                        continue;
                    };
                    (at, text)
                }
                _ => {
                    self.err(
                        v.pos,
                        "an anchor is 'file:line' or {at: 'file:line', text: '...'}",
                    );
                    continue;
                }
            };
            match Anchor::parse(&at, text) {
                Ok(a) => out.push((step.to_string(), a, v.pos.line)),
                Err(e) => self.err(v.pos, e),
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
                "6:31: `status` must be one of: confirmed, partial, inconclusive",
                "6:53: `occurrences` must be a positive integer",
                "9:9: an expectation: unknown key `colour` (expected one of: rule, key, status, occurrences, vars, evidence)",
                "8:27: anchor `x.log` is not `file:line` or `file:first-last`",
                "10:13: `inputs` is empty: a case needs at least one input",
                "10:5: a case needs a `name`",
                "10:5: a case needs `expect` (use `expect: []` when nothing may match)",
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
    mutate: True
";
        assert_eq!(errors(text), ["9:13: `mutate` must be true or false"]);
        let f = parse(&text.replace("True", "false")).unwrap();
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
