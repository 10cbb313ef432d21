//! A small YAML tree that remembers where every node was written.
//!
//! Test files need the line of each case and expectation for their failure
//! messages, which `serde_yaml` does not keep; this module builds a tree of
//! [`Node`]s with 1-based lines and columns from `yaml-rust2`'s event stream.
//! It must never interpret what the nodes mean (that is `schema`) and never
//! panic on malformed YAML: errors come back as [`YamlError`] with a position.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// A position in the YAML text: 1-based line and column.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

/// One YAML node with the position where it starts.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub pos: Pos,
    pub kind: Kind,
}

/// What a node holds. Mapping keys keep their order and their own positions.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    Null,
    /// A scalar as written (quoted or not); `plain` tells `true` from `'true'`.
    Scalar {
        value: String,
        plain: bool,
    },
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// The scalar text, if this node is a scalar.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    /// A short name of the node's kind for messages (`a mapping`, `a list`, ...).
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            Kind::Null => "null",
            Kind::Scalar { .. } => "a scalar",
            Kind::Seq(_) => "a list",
            Kind::Map(_) => "a mapping",
        }
    }
}

/// A YAML syntax error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlError {
    pub pos: Pos,
    pub message: String,
}

/// Parses the first document of `text`; an empty document is [`Kind::Null`].
pub fn parse(text: &str) -> Result<Node, YamlError> {
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(text);
    if let Err(e) = parser.load(&mut builder, false) {
        return Err(YamlError {
            pos: pos(e.marker()),
            message: e.info().to_string(),
        });
    }
    if let Some(e) = builder.error {
        return Err(e);
    }
    Ok(builder.root.unwrap_or(Node {
        pos: Pos { line: 1, col: 1 },
        kind: Kind::Null,
    }))
}

fn pos(m: &Marker) -> Pos {
    Pos {
        line: u32::try_from(m.line()).unwrap_or(u32::MAX),
        col: u32::try_from(m.col()).unwrap_or(u32::MAX).saturating_add(1),
    }
}

/// An open collection while its events arrive.
#[derive(Debug)]
enum Open {
    Seq(Node, usize),
    /// A mapping, its anchor, and a key waiting for its value.
    Map(Node, usize, Option<Node>),
}

#[derive(Debug, Default)]
struct Builder {
    stack: Vec<Open>,
    anchors: HashMap<usize, Node>,
    root: Option<Node>,
    error: Option<YamlError>,
    done: bool,
}

impl Builder {
    fn push_value(&mut self, node: Node, anchor: usize) {
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
                self.done = true;
            }
            Some(Open::Seq(seq, _)) => {
                if let Kind::Seq(items) = &mut seq.kind {
                    items.push(node);
                }
            }
            Some(Open::Map(map, _, pending)) => match pending.take() {
                None => *pending = Some(node),
                Some(key) => {
                    if let Kind::Map(entries) = &mut map.kind {
                        entries.push((key, node));
                    }
                }
            },
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.done || self.error.is_some() {
            return;
        }
        let at = pos(&mark);
        match ev {
            Event::Scalar(value, style, anchor, _tag) => {
                let plain = style == TScalarStyle::Plain;
                let kind = if plain && matches!(value.as_str(), "" | "~" | "null" | "Null" | "NULL")
                {
                    Kind::Null
                } else {
                    Kind::Scalar { value, plain }
                };
                self.push_value(Node { pos: at, kind }, anchor);
            }
            Event::Alias(id) => match self.anchors.get(&id) {
                Some(node) => {
                    let mut node = node.clone();
                    node.pos = at;
                    self.push_value(node, 0);
                }
                None => {
                    self.error = Some(YamlError {
                        pos: at,
                        message: "unknown alias".into(),
                    })
                }
            },
            Event::SequenceStart(anchor, _) => self.stack.push(Open::Seq(
                Node {
                    pos: at,
                    kind: Kind::Seq(Vec::new()),
                },
                anchor,
            )),
            Event::MappingStart(anchor, _) => self.stack.push(Open::Map(
                Node {
                    pos: at,
                    kind: Kind::Map(Vec::new()),
                },
                anchor,
                None,
            )),
            Event::SequenceEnd | Event::MappingEnd => match self.stack.pop() {
                Some(Open::Seq(node, anchor)) => self.push_value(node, anchor),
                Some(Open::Map(mut node, anchor, _)) => {
                    // A block mapping's start marker points past its first key:
                    // the mapping starts where that key does.
                    if let Kind::Map(entries) = &node.kind {
                        if let Some((k, _)) = entries.first() {
                            node.pos = node.pos.min(k.pos);
                        }
                    }
                    self.push_value(node, anchor)
                }
                None => {}
            },
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart
            | Event::DocumentEnd => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(n: &Node) -> Vec<u32> {
        match &n.kind {
            Kind::Seq(items) => items.iter().map(|i| i.pos.line).collect(),
            _ => Vec::new(),
        }
    }

    #[test]
    fn nodes_know_their_lines() {
        let doc = parse("a: 1\nlist:\n  - x: 1\n    y: 2\n  - {x: 3}\n").unwrap();
        let Kind::Map(entries) = &doc.kind else {
            panic!("not a map")
        };
        assert_eq!(entries[0].0.as_str(), Some("a"));
        assert_eq!(entries[1].0.pos, Pos { line: 2, col: 1 });
        assert_eq!(lines_of(&entries[1].1), [3, 5]);
    }

    #[test]
    fn aliases_are_resolved_and_nulls_recognised() {
        let doc = parse("a: &t hello\nb: *t\nc: ~\nd: 'null'\n").unwrap();
        let Kind::Map(e) = &doc.kind else {
            panic!("not a map")
        };
        assert_eq!(e[1].1.as_str(), Some("hello"));
        assert_eq!(e[1].1.pos.line, 2);
        assert_eq!(e[2].1.kind, Kind::Null);
        assert_eq!(e[3].1.as_str(), Some("null"));
    }

    #[test]
    fn syntax_errors_have_a_position() {
        let err = parse("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(err.pos.line >= 1, "{err:?}");
        assert!(!err.message.is_empty());
        assert_eq!(parse("").unwrap().kind, Kind::Null);
    }
}
