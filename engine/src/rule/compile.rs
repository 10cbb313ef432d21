//! One rule file's text in, a validated [`CompiledRule`] (or every error found
//! in it, with positions) out.
//!
//! Order of work: YAML syntax and unknown keys on the positioned tree, then the
//! serde schema, then meaning (durations, references between steps, horizons,
//! correlation variables, diagnosis placeholders) and matcher compilation.
//! This module never reads files and never looks across rule files (duplicate
//! ids are `rule::load`'s job).

use std::sync::Arc;

use serde_yaml::Value;

use crate::rule::duration;
use crate::rule::ir::{
    AfterMatch, Branch, CompiledRule, Count, Diagnosis, Fact, FactMode, FactRole, Millis, OnEof,
    OnMissingKey, OnSourceMissing, Origin, Pred, RecordPredicate, Select, Severity, Step,
};
use crate::rule::record::{Both, Matcher};
use crate::rule::schema::{self, OneOrMany, RoleDoc, RuleDoc, StepDoc};
use crate::rule::yamlpos::{self, Kind, Node, Pos, Seg};

/// The longest horizon a rule may have.
pub const HORIZON_CEILING: Millis = 48 * 3600 * 1000;

/// Fields the parsers fill that can bind a correlation variable of the same name.
pub const WELL_KNOWN_FIELDS: &[&str] = &[
    "server", "pid", "path", "command", "method", "id", "provider", "event_id", "channel",
    "section", "key", "value",
];

/// What a `{step.field}` placeholder may name (engine/src/template.rs fills them).
pub const STEP_FIELDS: &[&str] = &[
    "ts",
    "line",
    "path",
    "count",
    "first.ts",
    "last.ts",
    "first.line",
    "last.line",
];

type SharedPred = Arc<dyn RecordPredicate>;

/// An error at a position of the file being compiled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diag {
    pub pos: Pos,
    /// How many characters to underline from `pos`; 0: the YAML token written there.
    pub len: u32,
    pub message: String,
}

impl Diag {
    /// An error about the token written at `pos`.
    pub fn new(pos: Pos, message: impl Into<String>) -> Diag {
        Diag {
            pos,
            len: 0,
            message: message.into(),
        }
    }
}

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
    let root = match yamlpos::parse(text) {
        Ok(Some(root)) => root,
        Ok(None) => return Err(vec![Diag::new(Pos { line: 1, col: 1 }, "empty rule file")]),
        Err((pos, msg)) => {
            let message = syntax_message(&msg);
            // An indentation fault is the line's first token, not where the parser gave up.
            let pos = if message.contains("check the indentation") {
                let line = text
                    .lines()
                    .nth(pos.line.saturating_sub(1) as usize)
                    .unwrap_or("");
                let lead = line.chars().take_while(|c| *c == ' ').count();
                match line.trim().is_empty() {
                    true => pos,
                    false => Pos {
                        line: pos.line,
                        col: u32::try_from(lead + 1).unwrap_or(u32::MAX),
                    },
                }
            } else {
                pos
            };
            return Err(vec![Diag::new(pos, message)]);
        }
    };
    if !matches!(root.kind, Kind::Map(_)) {
        return Err(vec![Diag::new(
            root.pos,
            "a rule file holds one map (`id:`, `steps:`, ...)",
        )]);
    }
    let mut diags: Vec<Diag> = schema::duplicate_keys(&root)
        .into_iter()
        .chain(schema::unknown_keys(&root))
        .map(|(pos, m)| Diag::new(pos, m))
        .collect();
    let doc: RuleDoc = match parse_doc(text, &root, &diags) {
        Ok(doc) => doc,
        Err(more) => {
            diags.extend(more);
            diags.sort_by_key(|d| (d.pos.line, d.pos.col));
            return Err(diags);
        }
    };
    let start = preds.len();
    let mut cx = Cx {
        root: &root,
        text,
        diags,
        preds,
        matcher_failed: false,
    };
    let rule = cx.rule(&doc, path);
    if cx.diags.is_empty() {
        if let Some(rule) = rule {
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
    }
    let mut diags = std::mem::take(&mut cx.diags);
    // A map that held an unknown key was checked without it: what it then
    // lacks (`mtch` for `match`) is the same typo again, not news.
    let key_errors: Vec<Pos> = schema::unknown_keys(&root)
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    let mut holders = Vec::new();
    maps_holding(&root, &key_errors, &mut holders);
    diags.retain(|d| d.message.starts_with("unknown key") || !holders.contains(&d.pos));
    preds.truncate(start);
    diags.sort_by_key(|d| (d.pos.line, d.pos.col));
    Err(diags)
}

/// Deserialises the fixed parts of a rule. When the tree checks already found
/// errors (unknown or duplicate keys), the document is read again without the
/// keys they name so that the meaning checks still run and every error is
/// reported; serde's own report of those keys is dropped.
fn parse_doc(text: &str, root: &Node, found: &[Diag]) -> Result<RuleDoc, Vec<Diag>> {
    let first = match serde_yaml::from_str::<RuleDoc>(text) {
        Ok(doc) => return Ok(doc),
        Err(e) => e,
    };
    let raw = first.to_string();
    let about_keys = raw.contains("unknown field")
        || raw.contains("duplicate entry")
        || raw.contains("duplicate field");
    let msg = serde_message(&first);
    if about_keys && !found.is_empty() {
        let cleaned = serde_yaml::from_str::<Value>(text)
            .ok()
            .map(|mut v| {
                schema::drop_unknown_keys(&mut v);
                v
            })
            .and_then(|v| serde_yaml::from_value::<RuleDoc>(v).ok());
        return match cleaned {
            // The meaning checks run, but the file still fails for the keys.
            Some(doc) => Ok(doc),
            None => Err(Vec::new()),
        };
    }
    let pos = first
        .location()
        .map(|l| Pos {
            line: u32::try_from(l.line()).unwrap_or(u32::MAX),
            col: u32::try_from(l.column()).unwrap_or(u32::MAX),
        })
        .unwrap_or(Pos { line: 1, col: 1 });
    let mut out = vec![Diag::new(pos, msg.clone())];
    more_type_errors(text, root, &msg, &mut out);
    Err(out)
}

/// The most type errors reported for one file.
const MAX_TYPE_ERRORS: usize = 20;

/// serde stops at the first type error: drop the value it names and read again,
/// so that every wrong value of the file is reported, each at its place.
fn more_type_errors(text: &str, root: &Node, first: &str, out: &mut Vec<Diag>) {
    let Ok(mut doc) = serde_yaml::from_str::<Value>(text) else {
        return;
    };
    let mut msg = first.to_string();
    while out.len() < MAX_TYPE_ERRORS {
        let Some(path) = error_path(&msg) else { return };
        // Drop the value, or when the key is required put a harmless one of another type.
        let stand_ins = [
            None,
            Some(Value::from(0.5)),
            Some(Value::from("x")),
            Some(Value::Sequence(Vec::new())),
        ];
        let mut next = None;
        for stand_in in stand_ins {
            let mut trial = doc.clone();
            if !replace_at(&mut trial, &path, stand_in) {
                return;
            }
            // Through text again: only `from_str` names the path of an error.
            let Ok(again) = serde_yaml::to_string(&trial) else {
                return;
            };
            match serde_yaml::from_str::<RuleDoc>(&again) {
                Ok(_) => return,
                Err(e) => {
                    let m = serde_message(&e);
                    let same = error_path(&m).as_deref() == Some(path.as_str())
                        || m.contains("missing key");
                    if !same {
                        next = Some((trial, m));
                        break;
                    }
                }
            }
        }
        let Some((trial, m)) = next else { return };
        doc = trial;
        msg = m;
        let Some(at) = error_path(&msg) else { return };
        let segs = segments(&at);
        let borrowed: Vec<Seg<'_>> = segs
            .iter()
            .map(|s| match s {
                Owned::Key(k) => Seg::Key(k),
                Owned::Index(i) => Seg::Index(*i),
            })
            .collect();
        out.push(Diag::new(root.value_pos(&borrowed), msg.clone()));
    }
}

enum Owned {
    Key(String),
    Index(usize),
}

/// The `steps[0].count.min` a serde message starts with, if it starts with one.
fn error_path(msg: &str) -> Option<String> {
    let (path, _) = msg.split_once(": ")?;
    let ok = !path.is_empty()
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '[' | ']'));
    ok.then(|| path.to_string())
}

fn segments(path: &str) -> Vec<Owned> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let mut rest = part;
        if let Some(i) = rest.find('[') {
            out.push(Owned::Key(rest[..i].to_string()));
            rest = &rest[i..];
            while let Some(r) = rest.strip_prefix('[') {
                let Some(end) = r.find(']') else { break };
                if let Ok(n) = r[..end].parse() {
                    out.push(Owned::Index(n));
                }
                rest = &r[end + 1..];
            }
        } else {
            out.push(Owned::Key(rest.to_string()));
        }
    }
    out
}

/// Removes the map entry at `path` from `doc` (`None`) or sets it to `with`.
/// List items are never removed (later items would change their index).
fn replace_at(doc: &mut Value, path: &str, with: Option<Value>) -> bool {
    let segs = segments(path);
    let Some((last, parents)) = segs.split_last() else {
        return false;
    };
    let mut node = doc;
    for s in parents {
        let next = match (s, node) {
            (Owned::Key(k), Value::Mapping(m)) => m.get_mut(k.as_str()),
            (Owned::Index(i), Value::Sequence(v)) => v.get_mut(*i),
            _ => None,
        };
        match next {
            Some(n) => node = n,
            None => return false,
        }
    }
    match (last, node, with) {
        (Owned::Key(k), Value::Mapping(m), None) => m.remove(k.as_str()).is_some(),
        (Owned::Key(k), Value::Mapping(m), Some(v)) => {
            m.insert(Value::from(k.as_str()), v);
            true
        }
        _ => false,
    }
}

/// The positions of the maps (and of their keys) that hold a key written at one of `keys`.
fn maps_holding(n: &Node, keys: &[Pos], out: &mut Vec<Pos>) {
    match &n.kind {
        Kind::Map(entries) => {
            if entries.iter().any(|(k, _)| keys.contains(&k.pos)) {
                out.push(n.pos);
            }
            for (_, v) in entries {
                maps_holding(v, keys, out);
            }
        }
        Kind::Seq(items) => items.iter().for_each(|i| maps_holding(i, keys, out)),
        _ => {}
    }
}

/// A YAML parser message in plain words, with a hint for the usual cause.
fn syntax_message(msg: &str) -> String {
    let hint = if msg.contains("mapping values are not allowed")
        || msg.contains("did not find expected key")
        || msg.contains("block mapping")
        || msg.contains("indentation")
        || msg.contains("expected '-' indicator")
        || msg.contains("while parsing a block")
    {
        " (check the indentation: keys of one map start in the same column, and a nested map is indented further than its key)"
    } else if msg.contains("found character that cannot start any token") {
        " (a tab? YAML indents with spaces only)"
    } else {
        ""
    };
    format!("YAML syntax error: {msg}{hint}")
}

fn serde_message(e: &serde_yaml::Error) -> String {
    let mut m = e.to_string();
    if let Some(i) = m.find(" at line ") {
        m.truncate(i);
    }
    plain_words(&m)
}

/// serde's Rust words in the words of a YAML rule file, with "did you mean" for a bad value.
pub fn plain_words(m: &str) -> String {
    let mut m = m.replace(
        "data did not match any variant of untagged enum OneOrMany",
        "expected a format name or a list of format names",
    );
    for (rust, plain) in [
        ("expected f64", "expected a number"),
        ("expected f32", "expected a number"),
        ("expected u32", "expected a whole number of 0 or more"),
        ("expected u64", "expected a whole number of 0 or more"),
        ("expected i64", "expected a whole number"),
        ("expected a boolean", "expected `true` or `false`"),
        ("expected a sequence", "expected a list"),
        ("invalid type: sequence", "invalid type: a list"),
        ("invalid type: map", "invalid type: a map"),
        ("invalid type: unit value", "invalid type: an empty value"),
        ("invalid type: floating point", "invalid type: number"),
        ("invalid type: integer", "invalid type: number"),
        ("missing field", "missing key"),
        ("unknown variant", "unknown value"),
        ("unknown field", "unknown key"),
    ] {
        m = m.replace(rust, plain);
    }
    if let Some(i) = m.find("expected struct ") {
        let end = m[i..].find([',', ')']).map_or(m.len(), |e| i + e);
        m.replace_range(i..end, "expected a map");
    }
    // `unknown value `hgh`, expected one of `info`, `low`, ...`
    if let Some(rest) = m.split("unknown value `").nth(1) {
        let bad = rest.split('`').next().unwrap_or("");
        let allowed: Vec<&str> = m
            .split("expected one of ")
            .nth(1)
            .map(|l| l.split(", ").map(|x| x.trim_matches('`')).collect())
            .unwrap_or_default();
        if let Some(c) = crate::rule::suggest::closest(bad, allowed.iter().copied()) {
            m.push_str(&format!("; did you mean `{c}`?"));
        }
    }
    m
}

struct Cx<'a> {
    root: &'a Node,
    text: &'a str,
    diags: Vec<Diag>,
    preds: &'a mut Vec<Arc<dyn RecordPredicate>>,
    /// A matcher failed to compile: the variables it would bind are unknown.
    matcher_failed: bool,
}

/// What a step can bind, for correlation and placeholder checks.
struct StepInfo {
    binds: Vec<Vec<String>>,
}

impl Cx<'_> {
    fn err(&mut self, pos: Pos, msg: impl Into<String>) {
        self.diags.push(Diag::new(pos, msg));
    }

    /// The position `off` characters into the scalar written at `pos` (past its opening quote).
    fn inside(&self, pos: Pos, off: u32) -> Pos {
        let line = self
            .text
            .lines()
            .nth(pos.line.saturating_sub(1) as usize)
            .unwrap_or("");
        let quoted = matches!(
            line.chars().nth(pos.col.saturating_sub(1) as usize),
            Some('\'' | '"')
        );
        Pos {
            line: pos.line,
            col: pos
                .col
                .saturating_add(off)
                .saturating_add(u32::from(quoted)),
        }
    }

    /// Where each step, fact and `until` was written, for messages about a compiled rule.
    fn part_lines(&self, doc: &RuleDoc) -> Vec<(String, u32)> {
        let mut out: Vec<(String, u32)> = Vec::new();
        for (list, ids) in [
            ("steps", doc.steps.iter().map(|s| &s.id).collect::<Vec<_>>()),
            ("facts", doc.facts.iter().map(|f| &f.id).collect()),
        ] {
            for (i, id) in ids.into_iter().enumerate() {
                let line = self.key_pos(&[Seg::Key(list), Seg::Index(i)]).line;
                out.push((id.clone(), line));
            }
        }
        if self.root.get("until").is_some() {
            out.push(("until".into(), self.key_pos(&[Seg::Key("until")]).line));
        }
        out
    }

    /// Checks `from:`/`sources:` names at `path` against the formats and families.
    fn check_formats(&mut self, path: &[Seg<'_>]) {
        let Some(node) = self.root.at(path) else {
            return;
        };
        let items: Vec<&Node> = match &node.kind {
            Kind::Seq(items) => items.iter().collect(),
            _ => vec![node],
        };
        let names = crate::rule::record::format_names();
        for item in items {
            let Some(name) = item.as_str() else { continue };
            if !crate::rule::record::is_format_or_family(name) {
                let hint = crate::rule::suggest::hint(name, names.iter().copied());
                let msg = format!("unknown format or family `{name}`{hint} (a rule that reads no format never matches; docs/rules.md, \"Formats and families\")");
                self.err(item.pos, msg);
            }
        }
    }

    fn key_pos(&self, path: &[Seg<'_>]) -> Pos {
        self.root.key_pos(path)
    }

    fn value_pos(&self, path: &[Seg<'_>]) -> Pos {
        self.root.value_pos(path)
    }

    fn pred(&mut self, inner: Arc<dyn RecordPredicate>) -> Pred {
        let id = u32::try_from(self.preds.len()).unwrap_or(u32::MAX);
        self.preds.push(inner.clone());
        Pred { id, inner }
    }

    /// Compiles the matcher written at `path`.
    fn matcher(&mut self, path: &[Seg<'_>]) -> Option<Arc<dyn RecordPredicate>> {
        let Some(node) = self.root.at(path) else {
            let pos = self.key_pos(path);
            self.err(pos, "missing matcher");
            return None;
        };
        let node = unwrap_match(node);
        match Matcher::compile(node) {
            Ok(m) => Some(Arc::new(m)),
            Err(errs) => {
                self.matcher_failed = true;
                for e in errs {
                    let d = match e.sub {
                        Some((off, len)) => Diag {
                            pos: self.inside(e.pos, off),
                            len,
                            message: e.message,
                        },
                        None => Diag::new(e.pos, e.message),
                    };
                    self.diags.push(d);
                }
                None
            }
        }
    }

    fn duration(&mut self, v: Option<&Value>, path: &[Seg<'_>]) -> Option<Millis> {
        let v = v?;
        let pos = self.value_pos(path);
        let parsed = match v {
            Value::String(s) => duration::parse(s),
            Value::Number(n) if n.as_i64() == Some(0) => Ok(0),
            Value::Number(n) => Err(format!(
                "bad duration `{n}`: `{n}` needs a unit (ms, s, m, h, d)"
            )),
            _ => Err("a duration is a string such as `30s`, `500ms`, `5m`, `2h`, `1d`".into()),
        };
        match parsed {
            Ok(ms) => Some(ms),
            Err(m) => {
                self.err(pos, m);
                None
            }
        }
    }

    fn rule(&mut self, doc: &RuleDoc, path: &str) -> Option<CompiledRule> {
        self.check_ids(doc);
        if !(doc.confidence > 0.0 && doc.confidence < 1.0) {
            let pos = self.value_pos(&[Seg::Key("confidence")]);
            self.err(
                pos,
                format!(
                    "`confidence` must be between 0 and 1, exclusive (got {})",
                    doc.confidence
                ),
            );
        }
        let maxspan = self.duration(doc.maxspan.as_ref(), &[Seg::Key("maxspan")]);
        let max_gap = self.duration(doc.max_gap.as_ref(), &[Seg::Key("max_gap")]);
        let order_tolerance = self
            .duration(doc.order_tolerance.as_ref(), &[Seg::Key("order_tolerance")])
            .unwrap_or(0);
        let merge_window = doc
            .merge
            .as_ref()
            .and_then(|m| self.duration(Some(&m.window), &[Seg::Key("merge"), Seg::Key("window")]));
        let correlate_by: Vec<String> = doc
            .correlate
            .as_ref()
            .map(|c| c.by.clone())
            .unwrap_or_default();
        let until = match &doc.until {
            Some(_) => self.until(),
            None => Vec::new(),
        };
        self.check_formats(&[Seg::Key("sources")]);
        for (i, sd) in doc.steps.iter().enumerate() {
            self.check_formats(&[Seg::Key("steps"), Seg::Index(i), Seg::Key("from")]);
            for j in 0..sd.any.as_ref().map_or(0, Vec::len) {
                self.check_formats(&[
                    Seg::Key("steps"),
                    Seg::Index(i),
                    Seg::Key("any"),
                    Seg::Index(j),
                    Seg::Key("from"),
                ]);
            }
        }
        for (i, fd) in doc.facts.iter().enumerate() {
            self.check_formats(&[Seg::Key("facts"), Seg::Index(i), Seg::Key("from")]);
            for j in 0..fd.any.as_ref().map_or(0, Vec::len) {
                self.check_formats(&[
                    Seg::Key("facts"),
                    Seg::Index(i),
                    Seg::Key("any"),
                    Seg::Index(j),
                    Seg::Key("from"),
                ]);
            }
        }
        if let Some(n) = self.root.get("until") {
            let alts = match n.get("any").map(|a| &a.kind) {
                Some(Kind::Seq(items)) => items.len(),
                _ => 0,
            };
            self.check_formats(&[Seg::Key("until"), Seg::Key("from")]);
            for j in 0..alts {
                self.check_formats(&[
                    Seg::Key("until"),
                    Seg::Key("any"),
                    Seg::Index(j),
                    Seg::Key("from"),
                ]);
            }
        }
        let (steps, infos) = self.steps(doc);
        self.check_horizon(doc, &steps, maxspan);
        self.check_correlation(&correlate_by, &steps, &infos);
        let facts = self.facts(doc, &steps);
        self.check_placeholders(doc, &steps, &facts, &correlate_by, &infos);

        Some(CompiledRule {
            id: doc.id.clone(),
            cause: doc.cause.clone(),
            title: doc.title.clone(),
            confidence: doc.confidence,
            severity: match doc.severity {
                schema::SeverityDoc::Info => Severity::Info,
                schema::SeverityDoc::Low => Severity::Low,
                schema::SeverityDoc::Medium => Severity::Medium,
                schema::SeverityDoc::High => Severity::High,
                schema::SeverityDoc::Critical => Severity::Critical,
            },
            explains: doc.explains.clone(),
            sources: doc
                .sources
                .as_ref()
                .map(OneOrMany::to_vec)
                .unwrap_or_default(),
            correlate_by,
            on_missing_key: match doc.correlate.as_ref().map(|c| c.on_missing_key) {
                Some(schema::OnMissingKeyDoc::NullKey) => OnMissingKey::NullKey,
                _ => OnMissingKey::Skip,
            },
            maxspan,
            max_gap,
            order_tolerance,
            select: match doc.select {
                schema::SelectDoc::Latest => Select::Latest,
                schema::SelectDoc::Earliest => Select::Earliest,
            },
            after_match: match doc.after_match {
                schema::AfterMatchDoc::SkipPastLast => AfterMatch::SkipPastLast,
                schema::AfterMatchDoc::None => AfterMatch::None,
            },
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
                line: self.key_pos(&[Seg::Key("id")]).line,
                parts: self.part_lines(doc),
            },
        })
    }

    fn check_ids(&mut self, doc: &RuleDoc) {
        if !is_dotted_kebab(&doc.id) {
            let pos = self.value_pos(&[Seg::Key("id")]);
            self.err(
                pos,
                format!("bad rule id `{}`: use lower-case kebab-case segments joined by dots (e.g. `windows-npx-shim.spawn-enoent`)", doc.id),
            );
        }
        if !is_kebab(&doc.cause) {
            let pos = self.value_pos(&[Seg::Key("cause")]);
            self.err(
                pos,
                format!(
                    "bad cause id `{}`: use lower-case kebab-case (e.g. `windows-npx-shim`)",
                    doc.cause
                ),
            );
        }
        for (i, e) in doc.explains.iter().enumerate() {
            if !is_kebab(e) {
                let pos = self.value_pos(&[Seg::Key("explains"), Seg::Index(i)]);
                self.err(
                    pos,
                    format!("bad cause id `{e}` in `explains`: use lower-case kebab-case"),
                );
            }
        }
        if doc.title.trim().is_empty() {
            let pos = self.value_pos(&[Seg::Key("title")]);
            self.err(pos, "`title` is empty");
        }
        if doc.steps.is_empty() {
            let pos = self.value_pos(&[Seg::Key("steps")]);
            self.err(pos, "`steps` is empty: a rule needs at least one step");
        }
    }

    fn until(&mut self) -> Vec<Branch> {
        let Some(node) = self.root.get("until") else {
            return Vec::new();
        };
        let keys: Vec<String> = match &node.kind {
            Kind::Map(entries) => entries.iter().filter_map(|(k, _)| k.text()).collect(),
            _ => Vec::new(),
        };
        let has = |k: &str| keys.iter().any(|x| x == k);
        if has("any") {
            if keys.len() > 1 {
                let pos = self.value_pos(&[Seg::Key("until")]);
                self.err(pos, "`until: {any: [...]}` takes only `any`");
                return Vec::new();
            }
            let n = match node.get("any").map(|n| &n.kind) {
                Some(Kind::Seq(items)) => items.len(),
                _ => {
                    let pos = self.value_pos(&[Seg::Key("until"), Seg::Key("any")]);
                    self.err(pos, "`any` is a list of `{from, match}` alternatives");
                    return Vec::new();
                }
            };
            let mut out = Vec::new();
            for i in 0..n {
                let base = [Seg::Key("until"), Seg::Key("any"), Seg::Index(i)];
                out.extend(self.branch_at(&base, None));
            }
            out
        } else if has("match") {
            self.branch_at(&[Seg::Key("until")], None)
                .into_iter()
                .collect()
        } else {
            let Some(m) = self.matcher(&[Seg::Key("until")]) else {
                return Vec::new();
            };
            vec![Branch {
                from: None,
                pred: self.pred(m),
            }]
        }
    }

    /// A `{from, match}` map at `base`, registered as a branch.
    fn branch_at(&mut self, base: &[Seg<'_>], inherited: Option<Vec<String>>) -> Option<Branch> {
        let (from, m) = self.branch_parts(base, inherited)?;
        Some(Branch {
            from,
            pred: self.pred(m),
        })
    }

    /// A `{from, match}` map at `base`, compiled but not registered; `inherited`
    /// is the enclosing `from`.
    fn branch_parts(
        &mut self,
        base: &[Seg<'_>],
        inherited: Option<Vec<String>>,
    ) -> Option<(Option<Vec<String>>, SharedPred)> {
        let node = self.root.at(base)?;
        if let Kind::Map(entries) = &node.kind {
            for (k, _) in entries {
                let key = k.text().unwrap_or_default();
                if key != "from" && key != "match" {
                    self.err(
                        k.pos,
                        format!("unknown key `{key}` in alternative; expected `from` and `match`"),
                    );
                }
            }
        }
        let from = match node.get("from") {
            Some(f) => Some(self.names(f)?),
            None => inherited,
        };
        let mut p = base.to_vec();
        p.push(Seg::Key("match"));
        let m = self.matcher(&p)?;
        Some((from, m))
    }

    fn names(&mut self, node: &Node) -> Option<Vec<String>> {
        let out: Option<Vec<String>> = match &node.kind {
            Kind::Scalar(_) => node.text().map(|t| vec![t]),
            Kind::Seq(items) => items.iter().map(Node::text).collect(),
            _ => None,
        };
        match out {
            Some(v) if !v.is_empty() && v.iter().all(|s| !s.trim().is_empty()) => Some(v),
            _ => {
                self.err(
                    node.pos,
                    "`from` is a format name or a list of format names",
                );
                None
            }
        }
    }

    fn steps(&mut self, doc: &RuleDoc) -> (Vec<Step>, Vec<StepInfo>) {
        let mut steps: Vec<Step> = Vec::new();
        let mut infos = Vec::new();
        for (i, sd) in doc.steps.iter().enumerate() {
            let sp = |k: &'static str| [Seg::Key("steps"), Seg::Index(i), Seg::Key(k)];
            if !is_ident(&sd.id) {
                let pos = self.value_pos(&sp("id"));
                self.err(
                    pos,
                    format!("bad step id `{}`: use letters, digits, `_` and `-`", sd.id),
                );
            }
            if steps.iter().any(|s| s.id == sd.id) {
                let pos = self.value_pos(&sp("id"));
                self.err(pos, format!("duplicate step id `{}`", sd.id));
            }
            let branches = self.step_branches(i, sd, &steps);
            let (broadcast, key_alias) = self.step_key(i, sd);
            let after = sd.after.as_ref().and_then(|a| {
                let pos = self.value_pos(&sp("after"));
                match steps.iter().position(|s| s.id == *a) {
                    Some(j) if steps.get(j).is_some_and(|s| s.absent) => {
                        self.err(pos, format!("`after: {a}` names an absent step; `within` is measured from a positive step"));
                        None
                    }
                    Some(j) => Some(j),
                    None => {
                        let later = doc.steps.iter().skip(i).any(|s| s.id == *a);
                        let why = if later { "a later step (or this one)" } else { "no step" };
                        let hint = if later {
                            String::new()
                        } else {
                            crate::rule::suggest::hint(a, steps.iter().map(|s| s.id.as_str()))
                        };
                        self.err(pos, format!("`after: {a}` names {why}; it must name an earlier step{hint}"));
                        None
                    }
                }
            });
            let within = self.duration(sd.within.as_ref(), &sp("within"));
            let count = sd.count.as_ref().and_then(|c| {
                if sd.absent {
                    let pos = self.key_pos(&sp("count"));
                    self.err(pos, "`count` has no meaning on an `absent` step");
                    return None;
                }
                if c.min == 0 {
                    let pos = self.value_pos(&[
                        Seg::Key("steps"),
                        Seg::Index(i),
                        Seg::Key("count"),
                        Seg::Key("min"),
                    ]);
                    self.err(
                        pos,
                        "`count.min` must be at least 1 (use `absent: true` for \"none\")",
                    );
                }
                if c.max.is_some_and(|m| m < c.min) {
                    let pos = self.value_pos(&[
                        Seg::Key("steps"),
                        Seg::Index(i),
                        Seg::Key("count"),
                        Seg::Key("max"),
                    ]);
                    self.err(pos, "`count.max` is smaller than `count.min`");
                }
                Some(Count {
                    min: c.min,
                    max: c.max,
                })
            });
            let trailing = sd.absent && doc.steps.iter().skip(i + 1).all(|s| s.absent);
            if sd.on_eof.is_some() && !trailing {
                let pos = self.key_pos(&sp("on_eof"));
                self.err(pos, "`on_eof` applies only to trailing `absent` steps");
            }
            if trailing
                && within.is_none()
                && sd.within.is_none()
                && !doc.steps.iter().all(|s| s.absent)
            {
                let pos = self.key_pos(&sp("absent"));
                self.err(
                    pos,
                    format!(
                        "trailing absent step `{}` needs `within` (how long the absence must last)",
                        sd.id
                    ),
                );
            }
            let first_positive = !sd.absent && steps.iter().all(|s| s.absent);
            if first_positive && sd.within.is_some() && sd.after.is_none() {
                let pos = self.key_pos(&sp("within"));
                self.err(pos, format!("`within` on the first positive step `{}` has nothing to be measured from; use `maxspan`", sd.id));
            }
            if first_positive
                && broadcast
                && doc.correlate.as_ref().is_some_and(|c| !c.by.is_empty())
            {
                let pos = self.key_pos(&sp("key"));
                self.err(pos, format!("the first positive step `{}` cannot be `key: none`: it would start a partial for no key", sd.id));
            }
            infos.push(StepInfo {
                binds: branches
                    .iter()
                    .map(|b| {
                        let mut v = b.pred.inner.binds();
                        v.extend(key_alias.iter().map(|(var, _)| var.clone()));
                        v
                    })
                    .collect(),
            });
            steps.push(Step {
                id: sd.id.clone(),
                branches,
                absent: sd.absent,
                after,
                within,
                count,
                broadcast,
                key_alias,
                on_eof: match sd.on_eof {
                    Some(schema::OnEofDoc::Drop) => OnEof::Drop,
                    _ => OnEof::Inconclusive,
                },
                collect: sd.collect.clone(),
            });
        }
        if !doc.steps.is_empty() && doc.steps.iter().all(|s| s.absent) {
            let pos = self.key_pos(&[Seg::Key("steps")]);
            self.err(
                pos,
                "a rule needs at least one positive (non-`absent`) step",
            );
        }
        (steps, infos)
    }

    fn step_branches(&mut self, i: usize, sd: &StepDoc, earlier: &[Step]) -> Vec<Branch> {
        let base = [Seg::Key("steps"), Seg::Index(i)];
        let sp = |k: &'static str| [Seg::Key("steps"), Seg::Index(i), Seg::Key(k)];
        let from = match self.root.at(&sp("from")) {
            Some(n) => self.names(n),
            None => None,
        };
        if let Some(target) = &sd.same_as {
            let pos = self.value_pos(&sp("same_as"));
            if sd.match_.is_some() || sd.any.is_some() {
                let kpos = self.key_pos(&sp("same_as"));
                self.err(
                    kpos,
                    "`same_as` reuses another step's matcher: remove `match` and `any`",
                );
            }
            return match earlier.iter().find(|s| s.id == *target) {
                Some(s) => s.branches.clone(),
                None => {
                    let hint =
                        crate::rule::suggest::hint(target, earlier.iter().map(|s| s.id.as_str()));
                    self.err(
                        pos,
                        format!("`same_as: {target}` must name an earlier step{hint}"),
                    );
                    Vec::new()
                }
            };
        }
        let main = match sd.match_ {
            Some(_) => self.matcher(&sp("match")),
            None => None,
        };
        match &sd.any {
            None if sd.match_.is_none() => {
                let pos = self.key_pos(&base);
                self.err(
                    pos,
                    format!("step `{}` needs `match`, `any` or `same_as`", sd.id),
                );
                Vec::new()
            }
            None => main
                .map(|m| Branch {
                    from: from.clone(),
                    pred: self.pred(m),
                })
                .into_iter()
                .collect(),
            Some(alts) => {
                if alts.is_empty() {
                    let pos = self.value_pos(&sp("any"));
                    self.err(pos, "`any` is empty");
                }
                let mut out = Vec::new();
                for j in 0..alts.len() {
                    let ap = [
                        Seg::Key("steps"),
                        Seg::Index(i),
                        Seg::Key("any"),
                        Seg::Index(j),
                    ];
                    let Some((alt_from, alt)) = self.branch_parts(&ap, from.clone()) else {
                        continue;
                    };
                    let inner: Arc<dyn RecordPredicate> = match &main {
                        Some(m) => Arc::new(Both(m.clone(), alt)),
                        None => alt,
                    };
                    out.push(Branch {
                        from: alt_from,
                        pred: self.pred(inner),
                    });
                }
                out
            }
        }
    }

    fn step_key(&mut self, i: usize, sd: &StepDoc) -> (bool, Vec<(String, String)>) {
        let path = [Seg::Key("steps"), Seg::Index(i), Seg::Key("key")];
        match &sd.key {
            None => (false, Vec::new()),
            Some(Value::String(s)) if s == "none" => (true, Vec::new()),
            Some(Value::Mapping(m)) => {
                let mut out = Vec::new();
                for (k, v) in m {
                    match (k, v) {
                        (Value::String(var), Value::String(field))
                            if is_ident(var) && !field.is_empty() =>
                        {
                            out.push((var.clone(), field.clone()))
                        }
                        _ => {
                            let pos = self.value_pos(&path);
                            self.err(pos, "`key` aliases map a variable to a field name, e.g. `{server: mcp_name}`");
                        }
                    }
                }
                (false, out)
            }
            Some(_) => {
                let pos = self.value_pos(&path);
                self.err(
                    pos,
                    "`key` is `none` (a host-level step) or a map of aliases `{var: field}`",
                );
                (false, Vec::new())
            }
        }
    }

    fn check_horizon(&mut self, doc: &RuleDoc, steps: &[Step], maxspan: Option<Millis>) {
        let positive: Vec<(usize, &Step)> = steps
            .iter()
            .enumerate()
            .filter(|(_, s)| !s.absent)
            .collect();
        if maxspan.is_none() && doc.maxspan.is_none() {
            for (i, s) in positive.iter().skip(1) {
                if s.within.is_none() && doc.steps.get(*i).is_some_and(|d| d.within.is_none()) {
                    let pos = self.key_pos(&[Seg::Key("steps"), Seg::Index(*i)]);
                    self.err(
                        pos,
                        format!("no finite horizon: step `{}` has no `within` and the rule has no `maxspan`", s.id),
                    );
                }
            }
            if let [(i, s)] = positive.as_slice() {
                if s.count.is_some_and(|c| c.min > 1 || c.max.is_some()) && s.within.is_none() {
                    let pos = self.key_pos(&[Seg::Key("steps"), Seg::Index(*i), Seg::Key("count")]);
                    self.err(pos, format!("no finite horizon: `count` on step `{}` needs `maxspan` to bound how long it accumulates", s.id));
                }
            }
        }
        let total = crate::rule::ir::unclamped_horizon(maxspan, steps);
        if total > HORIZON_CEILING {
            let path: &[Seg<'_>] = if doc.maxspan.is_some() {
                &[Seg::Key("maxspan")]
            } else {
                &[Seg::Key("steps")]
            };
            let pos = self.key_pos(path);
            self.err(
                pos,
                format!("horizon of {} exceeds the 48h ceiling (maxspan or the sum of `within`s, plus the trailing absence)", human(total)),
            );
        }
    }

    fn check_correlation(&mut self, by: &[String], steps: &[Step], infos: &[StepInfo]) {
        for (i, (s, info)) in steps.iter().zip(infos).enumerate() {
            if s.absent || s.broadcast {
                continue;
            }
            for var in by {
                if WELL_KNOWN_FIELDS.contains(&var.as_str()) {
                    continue;
                }
                if info.binds.is_empty() || info.binds.iter().any(|b| !b.contains(var)) {
                    let pos = self.key_pos(&[Seg::Key("steps"), Seg::Index(i)]);
                    self.err(
                        pos,
                        format!("step `{}` cannot bind correlation variable `{var}`: add a named group `(?P<{var}>...)` to every alternative, a key alias `key: {{{var}: field}}`, or `key: none`", s.id),
                    );
                }
            }
        }
    }

    fn facts(&mut self, doc: &RuleDoc, steps: &[Step]) -> Vec<Fact> {
        let mut out: Vec<Fact> = Vec::new();
        for (i, fd) in doc.facts.iter().enumerate() {
            let fp = |k: &'static str| [Seg::Key("facts"), Seg::Index(i), Seg::Key(k)];
            if !is_ident(&fd.id) {
                let pos = self.value_pos(&fp("id"));
                self.err(
                    pos,
                    format!("bad fact id `{}`: use letters, digits, `_` and `-`", fd.id),
                );
            }
            if out.iter().any(|f| f.id == fd.id) || steps.iter().any(|s| s.id == fd.id) {
                let pos = self.value_pos(&fp("id"));
                self.err(
                    pos,
                    format!(
                        "duplicate id `{}`: fact ids must differ from each other and from step ids",
                        fd.id
                    ),
                );
            }
            if fd.role == RoleDoc::Require && fd.weight.is_some() {
                let pos = self.key_pos(&fp("weight"));
                self.err(pos, "`weight` applies only to `role: support` facts");
            }
            if fd.weight.is_some_and(|w| !w.is_finite()) {
                let pos = self.value_pos(&fp("weight"));
                self.err(pos, "`weight` must be a finite number (log-odds)");
            }
            let from = match self.root.at(&fp("from")) {
                Some(n) => self.names(n),
                None => None,
            };
            let forms = usize::from(fd.present.is_some())
                + usize::from(fd.absent.is_some())
                + usize::from(fd.any.is_some());
            if forms != 1 {
                let pos = self.key_pos(&[Seg::Key("facts"), Seg::Index(i)]);
                self.err(
                    pos,
                    format!(
                        "fact `{}` needs exactly one of `present`, `absent` or `any`",
                        fd.id
                    ),
                );
                continue;
            }
            let mut mode = if fd.absent.is_some() {
                FactMode::Absent
            } else {
                FactMode::Present
            };
            let mut branches = Vec::new();
            if let Some(alts) = &fd.any {
                for (j, alt) in alts.iter().enumerate() {
                    let ap = |k: &'static str| {
                        [
                            Seg::Key("facts"),
                            Seg::Index(i),
                            Seg::Key("any"),
                            Seg::Index(j),
                            Seg::Key(k),
                        ]
                    };
                    let alt_mode = match (alt.present.is_some(), alt.absent.is_some()) {
                        (true, false) => FactMode::Present,
                        (false, true) => FactMode::Absent,
                        _ => {
                            let pos = self.key_pos(&[
                                Seg::Key("facts"),
                                Seg::Index(i),
                                Seg::Key("any"),
                                Seg::Index(j),
                            ]);
                            self.err(
                                pos,
                                "a fact alternative needs exactly one of `present` or `absent`",
                            );
                            continue;
                        }
                    };
                    if j == 0 {
                        mode = alt_mode;
                    } else if alt_mode != mode {
                        let pos = self.key_pos(&[
                            Seg::Key("facts"),
                            Seg::Index(i),
                            Seg::Key("any"),
                            Seg::Index(j),
                        ]);
                        self.err(pos, "all `any` alternatives of a fact must use the same form (`present` or `absent`)");
                    }
                    let alt_from = match self.root.at(&ap("from")) {
                        Some(n) => self.names(n),
                        None => from.clone(),
                    };
                    let key = if alt_mode == FactMode::Present {
                        "present"
                    } else {
                        "absent"
                    };
                    if let Some(m) = self.matcher(&ap(key)) {
                        branches.push(Branch {
                            from: alt_from,
                            pred: self.pred(m),
                        });
                    }
                }
            } else {
                let key = if mode == FactMode::Present {
                    "present"
                } else {
                    "absent"
                };
                if let Some(m) = self.matcher(&fp(key)) {
                    branches.push(Branch {
                        from,
                        pred: self.pred(m),
                    });
                }
            }
            out.push(Fact {
                id: fd.id.clone(),
                role: match fd.role {
                    RoleDoc::Require => FactRole::Require,
                    RoleDoc::Support => FactRole::Support,
                },
                weight: fd.weight.unwrap_or(if fd.role == RoleDoc::Support {
                    1.0
                } else {
                    0.0
                }),
                mode,
                branches,
                on_source_missing: match fd.on_source_missing {
                    schema::OnSourceMissingDoc::Unknown => OnSourceMissing::Unknown,
                    schema::OnSourceMissingDoc::AssumeAbsent => OnSourceMissing::AssumeAbsent,
                    schema::OnSourceMissingDoc::AssumePresent => OnSourceMissing::AssumePresent,
                },
                collect: fd.collect.clone(),
            });
        }
        out
    }

    fn check_placeholders(
        &mut self,
        doc: &RuleDoc,
        steps: &[Step],
        facts: &[Fact],
        by: &[String],
        infos: &[StepInfo],
    ) {
        let mut vars: Vec<String> = by.to_vec();
        for info in infos {
            vars.extend(info.binds.iter().flatten().cloned());
        }
        for b in facts.iter().flat_map(|f| &f.branches) {
            vars.extend(b.pred.inner.binds());
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
            for (i, c) in items.into_iter().enumerate() {
                if let Some(text) = c {
                    let path = vec![Seg::Key(list), Seg::Index(i), Seg::Key("collect")];
                    texts.push((path, format!("{list}[{i}].collect"), text.as_str()));
                }
            }
        }
        let names: Vec<&str> = vars
            .iter()
            .map(String::as_str)
            .chain(steps.iter().map(|s| s.id.as_str()))
            .chain(facts.iter().map(|f| f.id.as_str()))
            .collect();
        for (path, label, text) in texts {
            for ph in placeholders(text) {
                if let Some((head, field)) = ph.split_once('.') {
                    if steps.iter().any(|s| s.id == head) && !STEP_FIELDS.contains(&field) {
                        let pos = self.placeholder_pos(&path, ph);
                        let hint = crate::rule::suggest::hint(field, STEP_FIELDS.iter().copied());
                        let len = self.placeholder_len(&path, pos, ph);
                        self.diags.push(Diag {
                            pos,
                            len,
                            message: format!(
                                "placeholder `{{{ph}}}` in `{label}` names no field of step `{head}`{hint} (step fields: {}); it would be printed as written",
                                STEP_FIELDS.join(", ")
                            ),
                        });
                        continue;
                    }
                }
                let ok = match ph.split_once('.') {
                    Some((head, _)) => named(head),
                    // A matcher that failed to compile may have bound it: say nothing more.
                    None => vars.iter().any(|v| v == ph) || named(ph) || self.matcher_failed,
                };
                if !ok {
                    let pos = self.placeholder_pos(&path, ph);
                    let what = if ph.contains('.') {
                        "names no step or fact"
                    } else {
                        "names no variable (named regex group, key alias or `correlate.by`), step or fact"
                    };
                    let near = match ph.split_once('.') {
                        Some((head, _)) => crate::rule::suggest::hint(head, names.iter().copied()),
                        None => crate::rule::suggest::hint(ph, names.iter().copied()),
                    };
                    let len = self.placeholder_len(&path, pos, ph);
                    self.diags.push(Diag {
                        pos,
                        len,
                        message: format!("placeholder `{{{ph}}}` in `{label}` {what}{near}"),
                    });
                }
            }
        }
    }

    /// The width of `{ph}` when it was found at `pos`; 0 (the value's token) when it was not.
    fn placeholder_len(&self, path: &[Seg<'_>], pos: Pos, ph: &str) -> u32 {
        if pos == self.value_pos(path) {
            return 0;
        }
        u32::try_from(ph.chars().count() + 2).unwrap_or(u32::MAX)
    }

    /// The position of `{ph}` in the lines the value was written on (a block
    /// scalar spans several); the value's position when it is not found there.
    fn placeholder_pos(&self, path: &[Seg<'_>], ph: &str) -> Pos {
        let pos = self.value_pos(path);
        let needle = format!("{{{ph}}}");
        let span = self
            .root
            .at(path)
            .and_then(Node::as_str)
            .map_or(1, |v| v.lines().count().max(1));
        let lines = self
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
                    .map_or(line.len(), |(b, _)| b)
            } else {
                0
            };
            if let Some(off) = line.get(from..).and_then(|rest| rest.find(&needle)) {
                let col = line.get(..from + off).map_or(0, |s| s.chars().count());
                return Pos {
                    line: u32::try_from(i + 1).unwrap_or(u32::MAX),
                    col: u32::try_from(col).unwrap_or(u32::MAX).saturating_add(1),
                };
            }
        }
        pos
    }
}

/// `{name}` and `{step.field}` placeholders of a template (`{{` escapes a brace;
/// braces around anything that is not an identifier path are plain text).
pub fn placeholders(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find('{') {
        let after = rest.get(i + 1..).unwrap_or("");
        if after.starts_with('{') {
            rest = after.get(1..).unwrap_or("");
            continue;
        }
        match after.find('}') {
            Some(j) => {
                let inner = after.get(..j).unwrap_or("");
                let is_path = !inner.is_empty()
                    && inner.split('.').all(|seg| !seg.is_empty() && is_ident(seg))
                    && inner
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
                if is_path {
                    out.push(inner);
                }
                rest = after.get(j + 1..).unwrap_or("");
            }
            None => break,
        }
    }
    out
}

/// `present: {match: M}` is accepted as `present: M`.
fn unwrap_match(node: &Node) -> &Node {
    match &node.kind {
        Kind::Map(entries) if entries.len() == 1 => match entries.first() {
            Some((k, v)) if k.text().as_deref() == Some("match") => v,
            _ => node,
        },
        _ => node,
    }
}

fn is_ident(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

fn is_dotted_kebab(s: &str) -> bool {
    s.split('.').all(is_kebab)
}

/// A duration as rules write it: `2h`, `30m`, `5s`, `250ms`.
pub fn human(ms: Millis) -> String {
    if ms % 1000 != 0 {
        format!("{ms}ms")
    } else if ms % 3_600_000 == 0 {
        format!("{}h", ms / 3_600_000)
    } else if ms % 60_000 == 0 {
        format!("{}m", ms / 60_000)
    } else {
        format!("{}s", ms / 1000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholder_scan() {
        assert_eq!(
            placeholders("MCP \"{server}\" at {spawn.ts}"),
            vec!["server", "spawn.ts"]
        );
        assert_eq!(
            placeholders(r#"{"command": "cmd"} {{literal}} {cmd}"#),
            vec!["cmd"]
        );
        assert_eq!(placeholders("{unclosed"), Vec::<&str>::new());
        assert_eq!(placeholders("{a..b} {1x} {}"), Vec::<&str>::new());
    }

    #[test]
    fn id_shapes() {
        assert!(is_dotted_kebab("windows-npx-shim.spawn-enoent"));
        assert!(!is_dotted_kebab("Windows.npx"));
        assert!(!is_dotted_kebab("a..b"));
        assert!(!is_kebab("a-"));
    }
}
