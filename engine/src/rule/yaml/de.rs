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

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, Visitor};
use serde::Deserialize;

use super::access::{SeqAccess, StructAccess};
use super::filler::Filler;
pub use super::filler::{shapes, Shape};
use super::node::{Kind, Node, Scalar};
use super::problem::{unknown_value, ErrorKind};
pub use super::problem::{Error, Outcome, Problem, UnknownKeys};
use super::reading::{NodeDe, Sink};
use super::spanned::{self, NODE_NAME, SPANNED_NAME};

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
                visitor.visit_some(self).inspect_err(|_| sink.stop_at(node))
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
        visitor
            .visit_newtype_struct(self)
            .inspect_err(|_| sink.stop_at(node))
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let items: &'de [Node] = match &self.node.kind {
            Kind::Seq(items) => items,
            // An empty value is an empty list, as serde_yaml read it.
            Kind::Scalar(Scalar::Null) => &[],
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
        if !matches!(self.node.kind, Kind::Map(_) | Kind::Scalar(Scalar::Null)) {
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
            return visitor
                .visit_newtype_struct(self)
                .inspect_err(|_| sink.stop_at(node));
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
        let (doc, problems) = read("name: x\nitems:\nvars:\n");
        assert_eq!(
            problems,
            Vec::<String>::new(),
            "an empty value is an empty list or map"
        );
        assert_eq!(doc.map(|d| (d.items.len(), d.vars.len())), Some((0, 0)));
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
