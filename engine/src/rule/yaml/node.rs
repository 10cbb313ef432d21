//! The positioned YAML tree: every node remembers where it was written (line,
//! column), so errors found while reading it point at the right token.
//!
//! Built from yaml-rust2's marked event parser (first document only), with
//! aliases resolved to copies of their anchored node, positioned at the alias,
//! within a budget ([`MAX_ALIAS_NODES`]) and nesting at most [`MAX_DEPTH`]
//! deep, so that no input makes the tree or its walks blow up. This module
//! never validates anything (it only records what was written where) and never
//! panics on malformed YAML: errors come back as a [`YamlError`] with a position.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// A 1-based position in the YAML text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

/// A scalar as written, resolved to its YAML core-schema type.
#[derive(Clone, Debug, PartialEq)]
pub enum Scalar {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
}

impl Scalar {
    /// The scalar as text (`true`, `42`, `npx`); empty for null.
    pub fn as_text(&self) -> String {
        match self {
            Scalar::Null => String::new(),
            Scalar::Bool(b) => b.to_string(),
            Scalar::Int(i) => i.to_string(),
            Scalar::Float(f) => f.to_string(),
            Scalar::Str(s) => s.clone(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    Scalar(Scalar),
    Seq(Vec<Node>),
    /// Entries in file order: (key, value).
    Map(Vec<(Node, Node)>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub kind: Kind,
    pub pos: Pos,
    /// A scalar's text as written (after unquoting); empty for other nodes.
    raw: String,
}

/// How deep collections may nest (serde_yaml's limit too).
pub const MAX_DEPTH: usize = 128;

/// How many nodes aliases may copy in one document (a "billion laughs" stops here).
pub const MAX_ALIAS_NODES: usize = 100_000;

/// A YAML syntax error (or an alias that cannot be resolved).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlError {
    pub pos: Pos,
    pub message: String,
}

/// One step of a path into the tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

impl Node {
    /// The scalar text of a key or value (`None` for collections).
    pub fn text(&self) -> Option<String> {
        match &self.kind {
            Kind::Scalar(s) => Some(s.as_text()),
            _ => None,
        }
    }

    /// A non-null scalar's text exactly as written (`1.50`, `True`, `'null'`
    /// gives `null`); `None` for null and collections.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Scalar(Scalar::Null) => None,
            Kind::Scalar(_) => Some(&self.raw),
            _ => None,
        }
    }

    /// A scalar's text as written, null included (`~`, `null` or empty); empty
    /// for collections.
    pub fn written(&self) -> &str {
        &self.raw
    }

    /// Whether this is a null (`~`, `null`, an empty value).
    pub fn is_null(&self) -> bool {
        self.kind == Kind::Scalar(Scalar::Null)
    }

    /// A short name of the node's kind for messages (`a mapping`, `a list`, ...).
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            Kind::Scalar(Scalar::Null) => "null",
            Kind::Scalar(_) => "a scalar",
            Kind::Seq(_) => "a list",
            Kind::Map(_) => "a mapping",
        }
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, v)| v)
    }

    /// The key node and value node of map entry `key`.
    pub fn entry(&self, key: &str) -> Option<(&Node, &Node)> {
        match &self.kind {
            Kind::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.text().as_deref() == Some(key))
                .map(|(k, v)| (k, v)),
            _ => None,
        }
    }

    /// The node at `path`.
    pub fn at(&self, path: &[Seg<'_>]) -> Option<&Node> {
        let mut node = self;
        for seg in path {
            node = match (seg, &node.kind) {
                (Seg::Key(k), _) => node.get(k)?,
                (Seg::Index(i), Kind::Seq(items)) => items.get(*i)?,
                _ => return None,
            };
        }
        Some(node)
    }

    /// Where the last segment of `path` was written: the key of a map entry,
    /// the item of a sequence. Falls back to the deepest ancestor found.
    pub fn key_pos(&self, path: &[Seg<'_>]) -> Pos {
        let mut node = self;
        let mut pos = self.pos;
        for seg in path {
            match (seg, &node.kind) {
                (Seg::Key(k), _) => match node.entry(k) {
                    Some((kn, vn)) => {
                        pos = kn.pos;
                        node = vn;
                    }
                    None => return pos,
                },
                (Seg::Index(i), Kind::Seq(items)) => match items.get(*i) {
                    Some(n) => {
                        pos = n.pos;
                        node = n;
                    }
                    None => return pos,
                },
                _ => return pos,
            }
        }
        pos
    }

    /// Where the value at `path` was written, or [`Node::key_pos`] when it is missing.
    pub fn value_pos(&self, path: &[Seg<'_>]) -> Pos {
        match self.at(path) {
            Some(n) => n.pos,
            None => self.key_pos(path),
        }
    }
}

/// Parses the first document of `text` into a positioned tree (`None` for an
/// empty file), aliases resolved.
pub fn parse(text: &str) -> Result<Option<Node>, YamlError> {
    let mut builder = Builder {
        stack: Vec::new(),
        anchors: HashMap::new(),
        copied: 0,
        root: None,
        error: None,
    };
    let mut parser = Parser::new_from_str(text);
    if let Err(e) = parser.load(&mut builder, false) {
        // A fault the builder stopped at comes first: the parser went on past it.
        return Err(builder.error.unwrap_or_else(|| YamlError {
            pos: pos_of(e.marker()),
            message: e.info().to_string(),
        }));
    }
    match builder.error {
        Some(e) => Err(e),
        None => Ok(builder.root),
    }
}

/// Every key written twice in one map, anywhere in the tree, at its second
/// place, with a message (a reader sees only the first).
pub fn duplicate_keys(root: &Node) -> Vec<(Pos, String)> {
    let mut out = Vec::new();
    duplicates_under(root, &mut out);
    out
}

fn duplicates_under(node: &Node, out: &mut Vec<(Pos, String)>) {
    match &node.kind {
        Kind::Map(entries) => {
            for (i, (key, value)) in entries.iter().enumerate() {
                if let Some(name) = key.text() {
                    let first = entries[..i]
                        .iter()
                        .find(|(earlier, _)| earlier.text().as_deref() == Some(name.as_str()));
                    if let Some((earlier, _)) = first {
                        out.push((
                            key.pos,
                            format!(
                                "duplicate key `{name}` (first written at line {}); a map holds each key once",
                                earlier.pos.line
                            ),
                        ));
                    }
                }
                duplicates_under(value, out);
            }
        }
        Kind::Seq(items) => items.iter().for_each(|item| duplicates_under(item, out)),
        Kind::Scalar(_) => {}
    }
}

/// How many nodes `node` holds, itself included.
fn size(node: &Node) -> usize {
    match &node.kind {
        Kind::Scalar(_) => 1,
        Kind::Seq(items) => 1 + items.iter().map(size).sum::<usize>(),
        Kind::Map(entries) => {
            1 + entries
                .iter()
                .map(|(key, value)| size(key) + size(value))
                .sum::<usize>()
        }
    }
}

fn pos_of(m: &Marker) -> Pos {
    Pos {
        line: u32::try_from(m.line()).unwrap_or(u32::MAX),
        col: u32::try_from(m.col()).unwrap_or(u32::MAX).saturating_add(1),
    }
}

struct Builder {
    stack: Vec<Frame>,
    /// Completed anchored nodes by anchor id, with their size.
    anchors: HashMap<usize, (Node, usize)>,
    /// Nodes copied by aliases so far.
    copied: usize,
    root: Option<Node>,
    error: Option<YamlError>,
}

/// An open collection while its events arrive, with its anchor id (0: none).
enum Frame {
    Seq(Pos, usize, Vec<Node>),
    /// A mapping and a key waiting for its value.
    Map(Pos, usize, Vec<(Node, Node)>, Option<Node>),
}

impl Builder {
    fn push(&mut self, node: Node, anchor: usize) {
        if anchor != 0 {
            let nodes = size(&node);
            self.anchors.insert(anchor, (node.clone(), nodes));
        }
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some(Frame::Seq(_, _, items)) => items.push(node),
            Some(Frame::Map(_, _, entries, pending)) => match pending.take() {
                None => *pending = Some(node),
                Some(key) => entries.push((key, node)),
            },
        }
    }

    fn alias(&mut self, id: usize, pos: Pos) {
        match self.anchors.get(&id) {
            Some((_, nodes)) if self.copied + nodes > MAX_ALIAS_NODES => {
                self.error = Some(YamlError {
                    pos,
                    message: format!("aliases expand to more than {MAX_ALIAS_NODES} nodes"),
                })
            }
            Some((node, nodes)) => {
                self.copied += nodes;
                let mut node = node.clone();
                node.pos = pos;
                self.push(node, 0);
            }
            // The anchored node is still open (`&a [*a]`).
            None => {
                self.error = Some(YamlError {
                    pos,
                    message: "unknown alias".into(),
                })
            }
        }
    }
}

fn leaf(kind: Kind, pos: Pos, raw: String) -> Node {
    Node { kind, pos, raw }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        // Only the first document counts; stop at the first error.
        if (self.root.is_some() && self.stack.is_empty()) || self.error.is_some() {
            return;
        }
        let pos = pos_of(&mark);
        match ev {
            Event::Scalar(value, style, anchor, _) => {
                let scalar = if style == TScalarStyle::Plain {
                    resolve(&value)
                } else {
                    Scalar::Str(value.clone())
                };
                self.push(leaf(Kind::Scalar(scalar), pos, value), anchor);
            }
            Event::Alias(id) => self.alias(id, pos),
            Event::SequenceStart(..) | Event::MappingStart(..) if self.stack.len() >= MAX_DEPTH => {
                self.error = Some(YamlError {
                    pos,
                    message: format!("collections nested deeper than {MAX_DEPTH} levels"),
                })
            }
            Event::SequenceStart(anchor, _) => self.stack.push(Frame::Seq(pos, anchor, Vec::new())),
            Event::MappingStart(anchor, _) => {
                self.stack.push(Frame::Map(pos, anchor, Vec::new(), None))
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (node, anchor) = match self.stack.pop() {
                    Some(Frame::Seq(pos, anchor, items)) => {
                        (leaf(Kind::Seq(items), pos, String::new()), anchor)
                    }
                    // Block maps are marked after their first key: point at the key.
                    Some(Frame::Map(pos, anchor, entries, _)) => {
                        let pos = entries.first().map_or(pos, |(k, _)| k.pos.min(pos));
                        (leaf(Kind::Map(entries), pos, String::new()), anchor)
                    }
                    None => return,
                };
                self.push(node, anchor);
            }
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart
            | Event::DocumentEnd => {}
        }
    }
}

/// YAML 1.2 core-schema resolution of a plain scalar.
fn resolve(s: &str) -> Scalar {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Scalar::Null,
        "true" | "True" | "TRUE" => return Scalar::Bool(true),
        "false" | "False" | "FALSE" => return Scalar::Bool(false),
        _ => {}
    }
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(i) = s.parse::<i64>() {
            return Scalar::Int(i);
        }
    }
    let looks_float = digits.bytes().any(|b| b.is_ascii_digit())
        && digits
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'));
    if looks_float {
        if let Ok(f) = s.parse::<f64>() {
            return Scalar::Float(f);
        }
    }
    Scalar::Str(s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based() {
        let t = "id: x\nsteps:\n  - id: a\n    match: {msg|contains: 'b'}\n";
        let root = parse(t).unwrap().unwrap();
        let p = [Seg::Key("steps"), Seg::Index(0), Seg::Key("match")];
        assert_eq!(root.key_pos(&p), Pos { line: 4, col: 5 });
        assert_eq!(root.value_pos(&p), Pos { line: 4, col: 12 });
        let p = [
            Seg::Key("steps"),
            Seg::Index(0),
            Seg::Key("match"),
            Seg::Key("msg|contains"),
        ];
        assert_eq!(root.value_pos(&p), Pos { line: 4, col: 27 });
        assert_eq!(root.key_pos(&[Seg::Key("nope")]), root.pos);
    }

    #[test]
    fn scalars_resolve_like_yaml() {
        let root = parse("a: 1\nb: '1'\nc: true\nd: ~\ne: 0.5\nf: x1")
            .unwrap()
            .unwrap();
        let kind = |k| root.get(k).map(|n| n.kind.clone());
        assert_eq!(kind("a"), Some(Kind::Scalar(Scalar::Int(1))));
        assert_eq!(kind("b"), Some(Kind::Scalar(Scalar::Str("1".into()))));
        assert_eq!(kind("c"), Some(Kind::Scalar(Scalar::Bool(true))));
        assert_eq!(kind("d"), Some(Kind::Scalar(Scalar::Null)));
        assert_eq!(kind("e"), Some(Kind::Scalar(Scalar::Float(0.5))));
        assert_eq!(kind("f"), Some(Kind::Scalar(Scalar::Str("x1".into()))));
    }

    #[test]
    fn syntax_errors_have_positions() {
        let err = parse("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(err.pos.line >= 1, "{err:?}");
        assert!(!err.message.is_empty());
        assert_eq!(parse("").unwrap(), None);
        assert_eq!(parse("# only a comment\n").unwrap(), None);
    }

    #[test]
    fn collections_know_their_lines() {
        let root = parse("a: 1\nlist:\n  - x: 1\n    y: 2\n  - {x: 3}\n")
            .unwrap()
            .unwrap();
        let Kind::Map(entries) = &root.kind else {
            panic!("not a map: {root:?}")
        };
        assert_eq!(entries[0].0.as_str(), Some("a"));
        assert_eq!(entries[1].0.pos, Pos { line: 2, col: 1 });
        let Kind::Seq(items) = &entries[1].1.kind else {
            panic!("not a list: {:?}", entries[1].1)
        };
        let lines: Vec<u32> = items.iter().map(|i| i.pos.line).collect();
        assert_eq!(lines, [3, 5]);
        assert_eq!(items[0].pos, Pos { line: 3, col: 5 });
    }

    #[test]
    fn as_str_is_the_text_as_written() {
        let root = parse("a: 1.50\nb: True\nc: ~\nd: 'null'\ne: 007\nf:\ng: [x]\n")
            .unwrap()
            .unwrap();
        let s = |k| root.get(k).and_then(Node::as_str);
        assert_eq!(s("a"), Some("1.50"));
        assert_eq!(root.get("a").and_then(Node::text).as_deref(), Some("1.5"));
        assert_eq!(s("b"), Some("True"));
        assert_eq!(s("c"), None);
        assert_eq!(s("d"), Some("null"));
        assert_eq!(s("e"), Some("007"));
        assert_eq!(s("f"), None);
        assert_eq!(s("g"), None);
        let names: Vec<&str> = ["a", "c", "g"]
            .iter()
            .filter_map(|k| root.get(k).map(Node::kind_name))
            .collect();
        assert_eq!(names, ["a scalar", "null", "a list"]);
        assert_eq!(root.kind_name(), "a mapping");
        assert!(root.get("f").is_some_and(Node::is_null));
        assert!(!root.get("d").is_some_and(Node::is_null));
    }

    #[test]
    fn aliases_are_resolved() {
        let t = "a: &t hello\nb: *t\nc: &m {k: v}\nd: *m\n";
        let root = parse(t).unwrap().unwrap();
        let b = root.get("b").unwrap();
        assert_eq!(
            (b.as_str(), b.pos),
            (Some("hello"), Pos { line: 2, col: 4 })
        );
        let d = root.get("d").unwrap();
        assert_eq!(d.pos, Pos { line: 4, col: 4 });
        assert_eq!(d.get("k").and_then(Node::as_str), Some("v"));
        let err = parse("a: &x [1, *x]\n").unwrap_err();
        assert_eq!(
            err,
            YamlError {
                pos: Pos { line: 1, col: 11 },
                message: "unknown alias".into()
            }
        );
    }

    #[test]
    fn only_the_first_document_counts() {
        let root = parse("a: &x 1\n---\nb: *x\n").unwrap().unwrap();
        assert_eq!(root.get("a").and_then(Node::as_str), Some("1"));
        assert_eq!(root.get("b"), None);
    }

    #[test]
    fn alias_bombs_and_deep_nesting_are_refused() {
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..8 {
            let prev = format!("*a{}", i - 1);
            let items = [prev.as_str(); 10].join(", ");
            bomb.push_str(&format!("a{i}: &a{i} [{items}]\n"));
        }
        let err = parse(&bomb).unwrap_err();
        assert!(err.message.contains("aliases expand"), "{err:?}");
        let deep = "- ".repeat(MAX_DEPTH + 1) + "x\n";
        let err = parse(&deep).unwrap_err();
        assert!(err.message.contains("nested deeper"), "{err:?}");
        assert!(parse(&("- ".repeat(MAX_DEPTH - 1) + "x\n")).is_ok());
    }

    #[test]
    fn duplicates_are_found_at_their_second_place() {
        let root = parse("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n").unwrap().unwrap();
        let found: Vec<(u32, String)> = duplicate_keys(&root)
            .into_iter()
            .map(|(pos, message)| (pos.line, message))
            .collect();
        assert_eq!(
            found,
            [
                (
                    4,
                    "duplicate key `c` (first written at line 3); a map holds each key once"
                        .to_string()
                ),
                (
                    5,
                    "duplicate key `a` (first written at line 1); a map holds each key once"
                        .to_string()
                ),
            ]
        );
    }
}
