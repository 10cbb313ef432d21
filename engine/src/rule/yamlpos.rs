//! A YAML tree that remembers where every node was written (line, column), so
//! validation errors found after deserialisation point at the right key.
//!
//! Built from yaml-rust2's marked event parser. Matchers are compiled from this
//! tree directly (their keys are free-form); the fixed parts of a rule go
//! through serde and only borrow positions from here. This module never
//! validates anything: it only records what was written where.

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// A 1-based position in the rule file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

impl Pos {
    fn min_with(self, other: Pos) -> Pos {
        if (self.line, self.col) <= (other.line, other.col) {
            self
        } else {
            other
        }
    }
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
    /// An alias (`*name`): kept as an opaque leaf.
    Alias,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub kind: Kind,
    pub pos: Pos,
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

/// Parses `text` into a positioned tree (first document only; `None` for an empty file).
pub fn parse(text: &str) -> Result<Option<Node>, (Pos, String)> {
    let mut b = Builder::default();
    let mut parser = Parser::new_from_str(text);
    if let Err(e) = parser.load(&mut b, false) {
        let m = e.marker();
        return Err((pos_of(m), e.info().to_string()));
    }
    Ok(b.root)
}

fn pos_of(m: &Marker) -> Pos {
    Pos {
        line: u32::try_from(m.line()).unwrap_or(u32::MAX),
        col: u32::try_from(m.col()).unwrap_or(u32::MAX).saturating_add(1),
    }
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    root: Option<Node>,
}

enum Frame {
    Seq(Pos, Vec<Node>),
    Map(Pos, Vec<(Node, Node)>, Option<Node>),
}

impl Builder {
    fn push(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some(Frame::Seq(_, items)) => items.push(node),
            Some(Frame::Map(_, entries, pending)) => match pending.take() {
                None => *pending = Some(node),
                Some(key) => entries.push((key, node)),
            },
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let pos = pos_of(&mark);
        match ev {
            Event::Scalar(value, style, _, _) => {
                let scalar = if style == TScalarStyle::Plain {
                    resolve(&value)
                } else {
                    Scalar::Str(value)
                };
                self.push(Node {
                    kind: Kind::Scalar(scalar),
                    pos,
                });
            }
            Event::Alias(_) => self.push(Node {
                kind: Kind::Alias,
                pos,
            }),
            Event::SequenceStart(..) => self.stack.push(Frame::Seq(pos, Vec::new())),
            Event::MappingStart(..) => self.stack.push(Frame::Map(pos, Vec::new(), None)),
            Event::SequenceEnd | Event::MappingEnd => {
                let node = match self.stack.pop() {
                    Some(Frame::Seq(pos, items)) => Node {
                        kind: Kind::Seq(items),
                        pos,
                    },
                    // Block maps are marked after their first key: point at the key.
                    Some(Frame::Map(pos, entries, _)) => Node {
                        pos: entries.first().map_or(pos, |(k, _)| k.pos.min_with(pos)),
                        kind: Kind::Map(entries),
                    },
                    None => return,
                };
                self.push(node);
            }
            _ => {}
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
        assert!(err.0.line >= 1, "{err:?}");
    }
}
