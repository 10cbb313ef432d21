//! The state of one reading of a tree: what it collects ([`Sink`]), the path
//! to a node, and the deserializer of one node ([`NodeDe`]) with the ways it
//! records a problem and reads on with a stand-in.
//!
//! This module never decides how a type is read (that is `de` and `access`).

use std::cell::{Cell, RefCell};
use std::fmt;

use super::node::{Kind, Node, Pos, Scalar};
use super::problem::{found, Error, ErrorKind, Problem, UnknownKeys};

/// What one reading collects, shared by every node's deserializer.
pub(super) struct Sink<'de, 'h> {
    pub problems: RefCell<Vec<Problem>>,
    /// Maps left out of this reading (an earlier one stopped at them).
    pub hidden: &'h [&'de Node],
    /// The node whose problem stopped this reading.
    pub stopped_at: Cell<Option<&'de Node>>,
    pub unknown: UnknownKeys,
}

impl<'de> Sink<'de, '_> {
    pub(super) fn is_hidden(&self, node: &Node) -> bool {
        self.hidden.iter().any(|h| std::ptr::eq(*h, node))
    }

    pub(super) fn push(&self, problem: Problem) {
        let mut problems = self.problems.borrow_mut();
        if !problems.contains(&problem) {
            problems.push(problem);
        }
    }

    pub(super) fn stop_at(&self, node: &'de Node) {
        if self.stopped_at.get().is_none() {
            self.stopped_at.set(Some(node));
        }
    }
}

/// One step of the path to a node.
#[derive(Clone, Copy)]
pub(super) enum Path<'a> {
    Root,
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Key(Path::Root, key) => f.write_str(key),
            Path::Key(parent, key) => write!(f, "{parent}.{key}"),
            Path::Index(parent, i) => write!(f, "{parent}[{i}]"),
        }
    }
}

/// The deserializer of one node.
pub(super) struct NodeDe<'de, 'a> {
    pub node: &'de Node,
    /// Where the key of this value was written (the item itself in a list).
    pub key_pos: Pos,
    pub path: Path<'a>,
    pub sink: &'a Sink<'de, 'a>,
}

impl<'de, 'a> NodeDe<'de, 'a> {
    pub(super) fn new(root: &'de Node, sink: &'a Sink<'de, 'a>) -> Self {
        NodeDe {
            node: root,
            key_pos: root.pos,
            path: Path::Root,
            sink,
        }
    }

    pub(super) fn record(&self, message: String) {
        self.sink.push(Problem::Invalid {
            pos: self.node.pos,
            path: self.path.to_string(),
            message,
        });
    }

    /// Records that the node is not what `expected` says (reading goes on with a stand-in).
    pub(super) fn mismatch(&self, expected: &str) {
        self.record(format!(
            "invalid type: {}, expected {expected}",
            found(self.node)
        ));
    }

    /// Places an error that reached this node, and stops the reading.
    pub(super) fn place(&self, error: Error) -> Error {
        match error.0 {
            ErrorKind::Recorded => {}
            ErrorKind::Message(message) => self.record(message),
            ErrorKind::MissingField(name) => self.record(format!("missing key `{name}`")),
        }
        self.sink.stop_at(self.node);
        Error(ErrorKind::Recorded)
    }

    pub(super) fn whole(&self) -> Option<i64> {
        match self.node.kind {
            Kind::Scalar(Scalar::Int(i)) => Some(i),
            _ => None,
        }
    }

    /// A whole number in `T`'s range, or a recorded mismatch and 0.
    pub(super) fn whole_in<T: TryFrom<i64> + Default>(&self, expected: &str) -> T {
        match self.whole().map(T::try_from) {
            Some(Ok(n)) => n,
            Some(Err(_)) => {
                self.record(format!(
                    "invalid value: {}, expected {expected}",
                    found(self.node)
                ));
                T::default()
            }
            None => {
                self.mismatch(expected);
                T::default()
            }
        }
    }

    pub(super) fn number(&self) -> f64 {
        match self.node.kind {
            Kind::Scalar(Scalar::Int(i)) => i as f64,
            Kind::Scalar(Scalar::Float(f)) => f,
            _ => {
                self.mismatch("a number");
                0.0
            }
        }
    }

    pub(super) fn text(&self) -> &'de str {
        match self.node.kind {
            Kind::Scalar(_) => self.node.written(),
            _ => {
                self.mismatch("a string");
                ""
            }
        }
    }
}
