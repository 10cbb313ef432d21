//! What reading a tree found: [`Problem`]s (each at the node that failed,
//! with its path), the [`Outcome`] of a reading, and the serde error that
//! carries a problem to the node that places it; messages in the words of a
//! YAML file, not of Rust types.
//!
//! Data and wording only: this module never walks a tree.

use std::fmt;

use serde::de::{self, Expected, Unexpected};

use super::node::{Kind, Node, Pos, Scalar};
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

/// The error serde's visitors hand back; placed at a node and recorded as soon
/// as it reaches one.
#[derive(Debug)]
pub struct Error(pub(super) ErrorKind);

#[derive(Debug)]
pub(super) enum ErrorKind {
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
pub(super) fn unknown_value(value: &str, expected: &[&str]) -> String {
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
pub(super) fn found(node: &Node) -> String {
    match &node.kind {
        Kind::Scalar(Scalar::Null) => "an empty value".into(),
        Kind::Scalar(Scalar::Bool(_)) => format!("boolean `{}`", node.written()),
        Kind::Scalar(Scalar::Int(_) | Scalar::Float(_)) => format!("number `{}`", node.written()),
        Kind::Scalar(Scalar::Str(s)) => format!("string {s:?}"),
        Kind::Seq(_) => "a list".into(),
        Kind::Map(_) => "a map".into(),
    }
}
