//! A serde `Deserializer` over the positioned tree: the one reader of every
//! YAML file logscan loads (rules, rule tests, evaluation labels).
//!
//! Every problem comes back as a [`Problem`] at the position of the node that
//! failed, with the path to it (`steps[0].count.min`), in words of a YAML file
//! (`expected a whole number of 0 or more`, not `expected u32`). Reading goes
//! on after a problem, so that a file's problems are all reported at once: an
//! unknown key is skipped (its map is read without it), a key written twice is
//! read at its first place (`node::duplicate_keys` reports the second), a value
//! of the wrong type is read as a stand-in, and a map that misses a required
//! key is left out of the next attempt. A value read after a problem is never
//! used: [`Outcome::value`] is only for reading on to more problems. This module
//! never decides what a value means.

use std::cell::{Cell, RefCell};
use std::fmt;

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, DeserializeSeed, Expected, Unexpected, Visitor};
use serde::Deserialize;

use super::node::{Kind, Node, Pos, Scalar};
use super::spanned::{self, NODE_NAME, SPANNED_NAME};
use crate::rule::suggest;

/// Something wrong with a file's content, where it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// A key the type has no field for; the rest of its map is still read.
    UnknownKey {
        pos: Pos,
        key: String,
        /// The Rust name of the type the map was read as (`StepDoc`).
        part: &'static str,
        /// Its keys, in declaration order.
        expected: &'static [&'static str],
    },
    /// A value of the wrong type, an unknown value of a closed set, a missing key.
    Invalid {
        pos: Pos,
        /// Where in the document (`steps[0].count.min`); empty at the top.
        path: String,
        message: String,
    },
}

impl Problem {
    /// Where the problem was written.
    pub fn pos(&self) -> Pos {
        match self {
            Problem::UnknownKey { pos, .. } | Problem::Invalid { pos, .. } => *pos,
        }
    }
}

impl fmt::Display for Problem {
    /// `path: message` (`unknown key `x`` for an unknown key), without the position.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::UnknownKey { key, .. } => write!(f, "unknown key `{key}`"),
            Problem::Invalid { path, message, .. } if path.is_empty() => f.write_str(message),
            Problem::Invalid { path, message, .. } => write!(f, "{path}: {message}"),
        }
    }
}

/// What [`from_node`] does with a key the type has no field for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnknownKeys {
    /// A [`Problem::UnknownKey`] (for types that deny unknown fields).
    Report,
    /// Skipped silently (for types that read some fields of a larger file).
    Ignore,
}

/// What reading a tree as a `T` gave.
#[derive(Debug)]
pub struct Outcome<T> {
    /// The value, when the reading got to its end (with stand-ins where
    /// `problems` says so: use it only when `problems` is empty, or holds
    /// unknown keys alone).
    pub value: Option<T>,
    /// Every problem found, in the order they were met.
    pub problems: Vec<Problem>,
}

/// How many times a reading stopped by a missing key is tried again without
/// the map that missed it.
const MAX_ATTEMPTS: usize = 20;

/// Reads `root` as a `T`, collecting every problem on the way.
pub fn from_node<'de, T: Deserialize<'de>>(root: &'de Node, unknown: UnknownKeys) -> Outcome<T> {
    let mut hidden: Vec<&'de Node> = Vec::new();
    let mut problems: Vec<Problem> = Vec::new();
    for _ in 0..MAX_ATTEMPTS {
        let sink = Sink {
            problems: RefCell::new(Vec::new()),
            hidden: &hidden,
            stopped_at: Cell::new(None),
            unknown,
        };
        let result = T::deserialize(NodeDe::new(root, &sink));
        for problem in sink.problems.into_inner() {
            if !problems.contains(&problem) {
                problems.push(problem);
            }
        }
        match (result, sink.stopped_at.get()) {
            (Ok(value), _) => {
                return Outcome {
                    value: Some(value),
                    problems,
                }
            }
            // Read again without the map that stopped this reading.
            (Err(_), Some(node)) if !std::ptr::eq(node, root) => hidden.push(node),
            (Err(_), _) => break,
        }
    }
    Outcome {
        value: None,
        problems,
    }
}

/// Parses `text` and reads it as a `T`, keys it has no field for ignored: the
/// first problem as `line:col: path: message`.
pub fn from_str<T: de::DeserializeOwned>(text: &str) -> Result<T, String> {
    let root = match super::node::parse(text) {
        Ok(Some(root)) => root,
        Ok(None) => super::node::parse("~")
            .ok()
            .flatten()
            .ok_or_else(|| "empty file".to_string())?,
        Err(e) => return Err(format!("{}:{}: {}", e.pos.line, e.pos.col, e.message)),
    };
    let outcome = from_node::<T>(&root, UnknownKeys::Ignore);
    match (outcome.problems.first(), outcome.value) {
        (Some(problem), _) => {
            let pos = problem.pos();
            Err(format!("{}:{}: {problem}", pos.line, pos.col))
        }
        (None, Some(value)) => Ok(value),
        (None, None) => Err("unreadable".into()),
    }
}

/// What one reading collects, shared by every node's deserializer.
struct Sink<'de, 'h> {
    problems: RefCell<Vec<Problem>>,
    /// Maps left out of this reading (an earlier one stopped at them).
    hidden: &'h [&'de Node],
    /// The node whose problem stopped this reading.
    stopped_at: Cell<Option<&'de Node>>,
    unknown: UnknownKeys,
}

impl<'de> Sink<'de, '_> {
    fn is_hidden(&self, node: &Node) -> bool {
        self.hidden.iter().any(|h| std::ptr::eq(*h, node))
    }

    fn push(&self, problem: Problem) {
        let mut problems = self.problems.borrow_mut();
        if !problems.contains(&problem) {
            problems.push(problem);
        }
    }

    fn stop_at(&self, node: &'de Node) {
        if self.stopped_at.get().is_none() {
            self.stopped_at.set(Some(node));
        }
    }
}

/// The error serde's visitors hand back; placed at a node and recorded as soon
/// as it reaches one.
#[derive(Debug)]
pub struct Error(ErrorKind);

#[derive(Debug)]
enum ErrorKind {
    Message(String),
    MissingField(&'static str),
    /// Already a [`Problem`]: reading stops.
    Recorded,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            ErrorKind::Message(m) => f.write_str(m),
            ErrorKind::MissingField(name) => write!(f, "missing key `{name}`"),
            ErrorKind::Recorded => f.write_str("(recorded)"),
        }
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(ErrorKind::Message(msg.to_string()))
    }

    fn invalid_type(unexp: Unexpected<'_>, exp: &dyn Expected) -> Self {
        Error(ErrorKind::Message(format!(
            "invalid type: {}, expected {}",
            unexpected_words(unexp),
            expected_words(exp)
        )))
    }

    fn invalid_value(unexp: Unexpected<'_>, exp: &dyn Expected) -> Self {
        Error(ErrorKind::Message(format!(
            "invalid value: {}, expected {}",
            unexpected_words(unexp),
            expected_words(exp)
        )))
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        Error(ErrorKind::Message(unknown_value(variant, expected)))
    }

    fn missing_field(field: &'static str) -> Self {
        Error(ErrorKind::MissingField(field))
    }

    fn duplicate_field(field: &'static str) -> Self {
        Error(ErrorKind::Message(format!("duplicate key `{field}`")))
    }
}

/// `unknown value `hgh`, expected one of `info`, ...; did you mean `high`?`
fn unknown_value(value: &str, expected: &[&str]) -> String {
    let list: Vec<String> = expected.iter().map(|v| format!("`{v}`")).collect();
    let hint = suggest::hint(value, expected.iter().copied());
    format!(
        "unknown value `{value}`, expected one of {}{hint}",
        list.join(", ")
    )
}

/// serde's description of a value in the words of a YAML file.
fn unexpected_words(unexp: Unexpected<'_>) -> String {
    match unexp {
        Unexpected::Bool(b) => format!("boolean `{b}`"),
        Unexpected::Unsigned(n) => format!("number `{n}`"),
        Unexpected::Signed(n) => format!("number `{n}`"),
        Unexpected::Float(n) => format!("number `{n}`"),
        Unexpected::Char(c) => format!("string {:?}", c.to_string()),
        Unexpected::Str(s) => format!("string {s:?}"),
        Unexpected::Unit => "an empty value".into(),
        Unexpected::Seq => "a list".into(),
        Unexpected::Map => "a map".into(),
        other => other.to_string(),
    }
}

/// What a visitor expected, in the words of a YAML file (`u32` is a whole number of 0 or more).
fn expected_words(exp: &dyn Expected) -> String {
    let rust = exp.to_string();
    let plain = match rust.as_str() {
        "f64" | "f32" => "a number",
        "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number of 0 or more",
        "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number",
        "a boolean" => "`true` or `false`",
        "a sequence" => "a list",
        "unit" => "an empty value",
        _ if rust.starts_with("struct ") => "a map",
        _ => return rust,
    };
    plain.to_string()
}

/// A node's value in the words of a message (`string "many"`, `a list`).
fn found(node: &Node) -> String {
    match &node.kind {
        Kind::Scalar(Scalar::Null) => "an empty value".into(),
        Kind::Scalar(Scalar::Bool(_)) => format!("boolean `{}`", node.written()),
        Kind::Scalar(Scalar::Int(_) | Scalar::Float(_)) => format!("number `{}`", node.written()),
        Kind::Scalar(Scalar::Str(s)) => format!("string {s:?}"),
        Kind::Seq(_) => "a list".into(),
        Kind::Map(_) => "a map".into(),
    }
}

/// One step of the path to a node.
#[derive(Clone, Copy)]
enum Path<'a> {
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
struct NodeDe<'de, 'a> {
    node: &'de Node,
    /// Where the key of this value was written (the item itself in a list).
    key_pos: Pos,
    path: Path<'a>,
    sink: &'a Sink<'de, 'a>,
}

impl<'de, 'a> NodeDe<'de, 'a> {
    fn new(root: &'de Node, sink: &'a Sink<'de, 'a>) -> Self {
        NodeDe {
            node: root,
            key_pos: root.pos,
            path: Path::Root,
            sink,
        }
    }

    fn record(&self, message: String) {
        self.sink.push(Problem::Invalid {
            pos: self.node.pos,
            path: self.path.to_string(),
            message,
        });
    }

    /// Records that the node is not what `expected` says (reading goes on with a stand-in).
    fn mismatch(&self, expected: &str) {
        self.record(format!(
            "invalid type: {}, expected {expected}",
            found(self.node)
        ));
    }

    /// Places an error that reached this node, and stops the reading.
    fn place(&self, error: Error) -> Error {
        match error.0 {
            ErrorKind::Recorded => {}
            ErrorKind::Message(message) => self.record(message),
            ErrorKind::MissingField(name) => self.record(format!("missing key `{name}`")),
        }
        self.sink.stop_at(self.node);
        Error(ErrorKind::Recorded)
    }

    fn whole(&self) -> Option<i64> {
        match self.node.kind {
            Kind::Scalar(Scalar::Int(i)) => Some(i),
            _ => None,
        }
    }

    /// A whole number in `T`'s range, or a recorded mismatch and 0.
    fn whole_in<T: TryFrom<i64> + Default>(&self, expected: &str) -> T {
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

    fn number(&self) -> f64 {
        match self.node.kind {
            Kind::Scalar(Scalar::Int(i)) => i as f64,
            Kind::Scalar(Scalar::Float(f)) => f,
            _ => {
                self.mismatch("a number");
                0.0
            }
        }
    }

    fn text(&self) -> &'de str {
        match self.node.kind {
            Kind::Scalar(_) => self.node.written(),
            _ => {
                self.mismatch("a string");
                ""
            }
        }
    }

    fn map_access(&self) -> MapAccess<'de, '_> {
        let entries: &'de [(Node, Node)] = match &self.node.kind {
            Kind::Map(entries) => entries,
            _ => &[],
        };
        MapAccess {
            entries: entries.iter(),
            seen: Vec::new(),
            pending: None,
            path: self.path,
            sink: self.sink,
        }
    }
}

const WHOLE: &str = "a whole number";
const NATURAL: &str = "a whole number of 0 or more";

macro_rules! whole_numbers {
    ($($method:ident $visit:ident $ty:ty, $expected:expr;)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
                let n: $ty = self.whole_in($expected);
                visitor.$visit(n).map_err(|e| self.place(e))
            }
        )*
    };
}

impl<'de> de::Deserializer<'de> for NodeDe<'de, '_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let result = match &self.node.kind {
            Kind::Scalar(Scalar::Null) => visitor.visit_unit(),
            Kind::Scalar(Scalar::Bool(b)) => visitor.visit_bool(*b),
            Kind::Scalar(Scalar::Int(i)) => visitor.visit_i64(*i),
            Kind::Scalar(Scalar::Float(f)) => visitor.visit_f64(*f),
            Kind::Scalar(Scalar::Str(_)) => visitor.visit_borrowed_str(self.node.written()),
            Kind::Seq(items) => visitor.visit_seq(SeqAccess::new(items, self.path, self.sink)),
            Kind::Map(_) => visitor.visit_map(self.map_access()),
        };
        result.map_err(|e| self.place(e))
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let value = match self.node.kind {
            Kind::Scalar(Scalar::Bool(b)) => b,
            _ => {
                self.mismatch("`true` or `false`");
                false
            }
        };
        visitor.visit_bool(value).map_err(|e| self.place(e))
    }

    whole_numbers! {
        deserialize_i8 visit_i8 i8, WHOLE;
        deserialize_i16 visit_i16 i16, WHOLE;
        deserialize_i32 visit_i32 i32, WHOLE;
        deserialize_i64 visit_i64 i64, WHOLE;
        deserialize_u8 visit_u8 u8, NATURAL;
        deserialize_u16 visit_u16 u16, NATURAL;
        deserialize_u32 visit_u32 u32, NATURAL;
        deserialize_u64 visit_u64 u64, NATURAL;
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let n = self.number();
        visitor.visit_f32(n as f32).map_err(|e| self.place(e))
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let n = self.number();
        visitor.visit_f64(n).map_err(|e| self.place(e))
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    /// Any scalar as written (`1.50`, `True`), as serde_yaml read it.
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let text = self.text();
        visitor.visit_borrowed_str(text).map_err(|e| self.place(e))
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.node.is_null() {
            true => visitor.visit_none(),
            false => {
                let sink = self.sink;
                let node = self.node;
                visitor.visit_some(self).map_err(|e| {
                    sink.stop_at(node);
                    e
                })
            }
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if !self.node.is_null() {
            self.mismatch("an empty value");
        }
        visitor.visit_unit().map_err(|e| self.place(e))
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        let (sink, node) = (self.sink, self.node);
        visitor.visit_newtype_struct(self).map_err(|e| {
            sink.stop_at(node);
            e
        })
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let items: &'de [Node] = match &self.node.kind {
            Kind::Seq(items) => items,
            _ => {
                self.mismatch("a list");
                &[]
            }
        };
        visitor
            .visit_seq(SeqAccess::new(items, self.path, self.sink))
            .map_err(|e| self.place(e))
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if !matches!(self.node.kind, Kind::Map(_)) {
            self.mismatch("a map");
        }
        visitor
            .visit_map(self.map_access())
            .map_err(|e| self.place(e))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        if name == NODE_NAME {
            spanned::hand_over_node(self.node.clone());
            return visitor.visit_unit().map_err(|e| self.place(e));
        }
        if name == SPANNED_NAME {
            spanned::hand_over_pos(self.key_pos, self.node.pos);
            let (sink, node) = (self.sink, self.node);
            return visitor.visit_newtype_struct(self).map_err(|e| {
                sink.stop_at(node);
                e
            });
        }
        let Kind::Map(entries) = &self.node.kind else {
            self.mismatch("a map");
            return visitor
                .visit_map(Filler::fields(fields))
                .map_err(|e| self.place(e));
        };
        let hidden_keys = RefCell::new(Vec::new());
        let access = StructAccess {
            entries: entries.iter(),
            part: name,
            fields,
            seen: Vec::new(),
            hidden_keys: &hidden_keys,
            pending: None,
            path: self.path,
            sink: self.sink,
        };
        match visitor.visit_map(access) {
            Ok(value) => Ok(value),
            // A key left out with its map: not news, but this map is incomplete.
            Err(Error(ErrorKind::MissingField(name))) if hidden_keys.borrow().contains(&name) => {
                self.sink.stop_at(self.node);
                Err(Error(ErrorKind::Recorded))
            }
            Err(e) => Err(self.place(e)),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let text = match &self.node.kind {
            Kind::Scalar(Scalar::Null) => None,
            Kind::Scalar(_) => Some(self.node.written()),
            _ => None,
        };
        let variant = match text {
            Some(t) if variants.contains(&t) => t,
            Some(t) => {
                self.record(unknown_value(t, variants));
                variants.first().copied().unwrap_or("")
            }
            None => {
                let list: Vec<String> = variants.iter().map(|v| format!("`{v}`")).collect();
                self.mismatch(&format!("one of {}", list.join(", ")));
                variants.first().copied().unwrap_or("")
            }
        };
        let access: BorrowedStrDeserializer<'de, Error> = BorrowedStrDeserializer::new(variant);
        visitor.visit_enum(access).map_err(|e| self.place(e))
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }
}

/// The items of a list, each with its own deserializer; hidden items are left out.
struct SeqAccess<'de, 'a> {
    items: std::iter::Enumerate<std::slice::Iter<'de, Node>>,
    path: Path<'a>,
    sink: &'a Sink<'de, 'a>,
}

impl<'de, 'a> SeqAccess<'de, 'a> {
    fn new(items: &'de [Node], path: Path<'a>, sink: &'a Sink<'de, 'a>) -> Self {
        SeqAccess {
            items: items.iter().enumerate(),
            path,
            sink,
        }
    }
}

impl<'de> de::SeqAccess<'de> for SeqAccess<'de, '_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        for (i, item) in self.items.by_ref() {
            if self.sink.is_hidden(item) {
                continue;
            }
            let de = NodeDe {
                node: item,
                key_pos: item.pos,
                path: Path::Index(&self.path, i),
                sink: self.sink,
            };
            return seed.deserialize(de).map(Some);
        }
        Ok(None)
    }
}

/// The entries of a map read as a map (keys of any type); a key written twice
/// is read at its first place.
struct MapAccess<'de, 'a> {
    entries: std::slice::Iter<'de, (Node, Node)>,
    seen: Vec<&'de str>,
    pending: Option<&'de (Node, Node)>,
    path: Path<'a>,
    sink: &'a Sink<'de, 'a>,
}

impl<'de> de::MapAccess<'de> for MapAccess<'de, '_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        for entry in self.entries.by_ref() {
            let (key, value) = entry;
            let name = key.written();
            if self.seen.contains(&name) || self.sink.is_hidden(value) {
                continue;
            }
            self.seen.push(name);
            self.pending = Some(entry);
            let de = NodeDe {
                node: key,
                key_pos: key.pos,
                path: self.path,
                sink: self.sink,
            };
            return seed.deserialize(de).map(Some);
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let Some((key, value)) = self.pending.take() else {
            return Err(de::Error::custom("a map value read before its key"));
        };
        seed.deserialize(NodeDe {
            node: value,
            key_pos: key.pos,
            path: Path::Key(&self.path, key.written()),
            sink: self.sink,
        })
    }
}

/// The entries of a map read as a struct: unknown keys are reported (or
/// ignored) and skipped, a key written twice is read at its first place.
struct StructAccess<'de, 'a> {
    entries: std::slice::Iter<'de, (Node, Node)>,
    part: &'static str,
    fields: &'static [&'static str],
    seen: Vec<&'de str>,
    /// Keys left out with their hidden value.
    hidden_keys: &'a RefCell<Vec<&'de str>>,
    pending: Option<&'de (Node, Node)>,
    path: Path<'a>,
    sink: &'a Sink<'de, 'a>,
}

impl<'de> de::MapAccess<'de> for StructAccess<'de, '_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        for entry in self.entries.by_ref() {
            let (key, value) = entry;
            let name = key.written();
            if !self.fields.contains(&name) {
                if self.sink.unknown == UnknownKeys::Report {
                    self.sink.push(Problem::UnknownKey {
                        pos: key.pos,
                        key: key.text().unwrap_or_default(),
                        part: self.part,
                        expected: self.fields,
                    });
                }
                continue;
            }
            if self.seen.contains(&name) {
                continue;
            }
            self.seen.push(name);
            if self.sink.is_hidden(value) {
                self.hidden_keys.borrow_mut().push(name);
                continue;
            }
            self.pending = Some(entry);
            let key_de: BorrowedStrDeserializer<'de, Error> = BorrowedStrDeserializer::new(name);
            return seed.deserialize(key_de).map(Some);
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let Some((key, value)) = self.pending.take() else {
            return Err(de::Error::custom("a map value read before its key"));
        };
        seed.deserialize(NodeDe {
            node: value,
            key_pos: key.pos,
            path: Path::Key(&self.path, key.written()),
            sink: self.sink,
        })
    }
}

/// A stand-in value of any type (after a problem), or every field of a struct
/// filled with stand-ins; with `shapes`, a probe that lists every struct it fills.
struct Filler<'p> {
    shapes: Option<&'p RefCell<Vec<Shape>>>,
}

/// A struct's Rust name and its keys (serde's `FIELDS`), in declaration order.
pub type Shape = (&'static str, &'static [&'static str]);

/// Every struct `T` is read through (`T` first, then the types of its fields,
/// each once), with its keys: the key lists come from the types.
pub fn shapes<T: de::DeserializeOwned>() -> Vec<Shape> {
    let found = RefCell::new(Vec::new());
    let _ = T::deserialize(Filler {
        shapes: Some(&found),
    });
    found.into_inner()
}

/// Fills the fields of a struct that was written as something else.
struct FillerFields<'p> {
    fields: std::slice::Iter<'static, &'static str>,
    shapes: Option<&'p RefCell<Vec<Shape>>>,
}

impl Filler<'_> {
    fn fields(fields: &'static [&'static str]) -> FillerFields<'static> {
        FillerFields {
            fields: fields.iter(),
            shapes: None,
        }
    }
}

impl<'de> de::MapAccess<'de> for FillerFields<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        match self.fields.next() {
            Some(name) => {
                let key: BorrowedStrDeserializer<'de, Error> = BorrowedStrDeserializer::new(name);
                seed.deserialize(key).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        seed.deserialize(Filler {
            shapes: self.shapes,
        })
    }
}

/// One stand-in item (a probe looks inside lists).
struct FillerItems<'p> {
    left: usize,
    shapes: Option<&'p RefCell<Vec<Shape>>>,
}

impl<'de> de::SeqAccess<'de> for FillerItems<'_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        seed.deserialize(Filler {
            shapes: self.shapes,
        })
        .map(Some)
    }
}

macro_rules! filler_scalars {
    ($($method:ident $visit:ident $value:expr;)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
                visitor.$visit($value)
            }
        )*
    };
}

impl<'de> de::Deserializer<'de> for Filler<'_> {
    type Error = Error;

    filler_scalars! {
        deserialize_bool visit_bool false;
        deserialize_i8 visit_i8 0;
        deserialize_i16 visit_i16 0;
        deserialize_i32 visit_i32 0;
        deserialize_i64 visit_i64 0;
        deserialize_u8 visit_u8 0;
        deserialize_u16 visit_u16 0;
        deserialize_u32 visit_u32 0;
        deserialize_u64 visit_u64 0;
        deserialize_f32 visit_f32 0.0;
        deserialize_f64 visit_f64 0.0;
        deserialize_char visit_char ' ';
        deserialize_str visit_borrowed_str "";
        deserialize_string visit_borrowed_str "";
        deserialize_bytes visit_borrowed_str "";
        deserialize_byte_buf visit_borrowed_str "";
        deserialize_identifier visit_borrowed_str "";
    }

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.shapes {
            Some(_) => visitor.visit_some(self),
            None => visitor.visit_none(),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_seq(FillerItems {
            left: usize::from(self.shapes.is_some()),
            shapes: self.shapes,
        })
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_map(FillerFields {
            fields: [].iter(),
            shapes: self.shapes,
        })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        if name == NODE_NAME {
            let null = super::node::parse("~").ok().flatten();
            if let Some(null) = null {
                spanned::hand_over_node(null);
            }
            return visitor.visit_unit();
        }
        if name == SPANNED_NAME {
            spanned::hand_over_pos(Pos::default(), Pos::default());
            return visitor.visit_newtype_struct(self);
        }
        if let Some(shapes) = self.shapes {
            let mut list = shapes.borrow_mut();
            if !list.iter().any(|(n, _)| *n == name) {
                list.push((name, fields));
            }
        }
        visitor.visit_map(FillerFields {
            fields: fields.iter(),
            shapes: self.shapes,
        })
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let first: BorrowedStrDeserializer<'de, Error> =
            BorrowedStrDeserializer::new(variants.first().copied().unwrap_or(""));
        visitor.visit_enum(first)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;

    use super::*;
    use crate::rule::yaml::node::parse;
    use crate::rule::yaml::spanned::Spanned;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Doc {
        name: String,
        #[serde(default)]
        count: u32,
        #[serde(default)]
        level: Option<Level>,
        #[serde(default)]
        items: Vec<Item>,
        #[serde(default)]
        raw: Option<Node>,
        #[serde(default)]
        at: Option<Spanned<f64>>,
        #[serde(default)]
        vars: BTreeMap<String, String>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Item {
        id: String,
        #[serde(default)]
        on: bool,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "lowercase")]
    enum Level {
        Low,
        High,
    }

    fn read(text: &str) -> (Option<Doc>, Vec<String>) {
        let root = parse(text).unwrap().unwrap();
        let outcome = from_node::<Doc>(&root, UnknownKeys::Report);
        let problems = outcome
            .problems
            .iter()
            .map(|p| format!("{}:{}: {p}", p.pos().line, p.pos().col))
            .collect();
        (outcome.value, problems)
    }

    #[test]
    fn a_good_document_reads_with_positions_and_raw_nodes() {
        let (doc, problems) =
            read("name: 1.50\ncount: 3\nlevel: high\nitems: [{id: a, on: true}]\nraw: {x: [1]}\nat:\n  0.5\nvars: {v: 007}\n");
        assert_eq!(problems, Vec::<String>::new());
        let doc = doc.unwrap();
        assert_eq!(doc.name, "1.50");
        assert_eq!((doc.count, doc.level), (3, Some(Level::High)));
        assert_eq!(
            doc.items,
            [Item {
                id: "a".into(),
                on: true
            }]
        );
        let raw = doc.raw.unwrap();
        assert_eq!((raw.pos.line, raw.pos.col), (5, 6));
        assert_eq!(raw.get("x").map(|x| x.pos.col), Some(10));
        let at = doc.at.unwrap();
        assert_eq!(
            (at.value, at.key_pos.line, at.pos.line, at.pos.col),
            (0.5, 6, 7, 3)
        );
        assert_eq!(doc.vars.get("v").map(String::as_str), Some("007"));
    }

    #[test]
    fn every_problem_is_reported_where_it_was_written() {
        let (doc, problems) = read(
            "name: x\ncount: many\nlevel: hgh\nitems:\n  - {id: a, on: 3, colour: red}\n  - id: [b]\nextra: 1\n",
        );
        assert!(doc.is_some());
        assert_eq!(
            problems,
            [
                "2:8: count: invalid type: string \"many\", expected a whole number of 0 or more",
                "3:8: level: unknown value `hgh`, expected one of `low`, `high`; did you mean `high`?",
                "5:17: items[0].on: invalid type: number `3`, expected `true` or `false`",
                "5:20: unknown key `colour`",
                "6:9: items[1].id: invalid type: a list, expected a string",
                "7:1: unknown key `extra`",
            ]
        );
        let (_, problems) = read("name: x\ncount: -1\nitems: {id: a}\n");
        assert_eq!(
            problems,
            [
                "2:8: count: invalid value: number `-1`, expected a whole number of 0 or more",
                "3:8: items: invalid type: a map, expected a list",
            ]
        );
    }

    #[test]
    fn a_missing_key_stops_only_its_map() {
        let (doc, problems) =
            read("items:\n  - on: true\n  - id: b\n    on: 2\nname: x\nmore: 1\n");
        // Read again without the item that missed its key: only to find more problems.
        assert_eq!(doc.map(|d| d.items.len()), Some(1));
        assert_eq!(
            problems,
            [
                "2:5: items[0]: missing key `id`",
                "4:9: items[1].on: invalid type: number `2`, expected `true` or `false`",
                "6:1: unknown key `more`",
            ]
        );
        let (_, problems) = read("count: 1\n");
        assert_eq!(problems, ["1:1: missing key `name`"]);
    }

    #[test]
    fn a_struct_written_as_a_scalar_is_reported_once() {
        let (doc, problems) = read("name: x\nitems: [a, {id: b, on: x}]\n");
        assert!(doc.is_some());
        assert_eq!(
            problems,
            [
                "2:9: items[0]: invalid type: string \"a\", expected a map",
                "2:24: items[1].on: invalid type: string \"x\", expected `true` or `false`",
            ]
        );
    }

    #[test]
    fn shapes_come_from_the_types() {
        assert_eq!(
            shapes::<Doc>(),
            [
                (
                    "Doc",
                    &["name", "count", "level", "items", "raw", "at", "vars"][..]
                ),
                ("Item", &["id", "on"][..]),
            ]
        );
    }

    #[test]
    fn from_str_ignores_other_keys_and_names_the_first_problem() {
        #[derive(Debug, Deserialize)]
        struct Label {
            expect: String,
        }
        let label: Label = from_str("expect: a\nother: 1\n").unwrap();
        assert_eq!(label.expect, "a");
        assert_eq!(
            from_str::<Label>("other: 1\n").unwrap_err(),
            "1:1: missing key `expect`"
        );
        assert!(from_str::<Label>("expect: [\n").is_err());
    }
}
