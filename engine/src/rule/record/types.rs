//! The compiled form of a single-record matcher: selections of conjunctions
//! of field tests, combined by a condition; and the error of compiling one.
//!
//! Data only: `compile` builds these, `eval` runs them.

use regex::Regex;

use crate::rule::condition::Expr;
use crate::rule::yaml::Pos;
use crate::signal;

/// A compile error inside a matcher.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatchError {
    pub pos: Pos,
    pub message: String,
    /// The faulty part of the scalar written at `pos`: its offset and length in
    /// characters of the scalar's text (a modifier in a key, the character a
    /// regex parser names); `None`: the whole token.
    pub sub: Option<(u32, u32)>,
}

/// A compiled single-record matcher.
#[derive(Debug)]
pub struct Matcher {
    pub(super) selections: Vec<Selection>,
    pub(super) expr: Expr,
}

/// OR of conjunctions of field tests.
#[derive(Debug)]
pub(super) struct Selection {
    pub alts: Vec<Conj>,
}

/// Field tests that must all hold. With `signal:` set, they hold for a record
/// when one of its signals of those kinds satisfies them all, each field read
/// from the signal first and from the record when the signal has no such field.
#[derive(Debug)]
pub(super) struct Conj {
    pub signal: Option<Vec<signal::Kind>>,
    pub tests: Vec<FieldTest>,
}

#[derive(Debug)]
pub(super) struct FieldTest {
    pub field: String,
    pub all: bool,
    pub vals: Vec<ValTest>,
    /// The values of a plain equality test (`os: [macos, linux]`), for signal literal narrowing.
    pub equals: Option<Vec<String>>,
}

#[derive(Debug)]
pub(super) enum ValTest {
    /// Equality, contains, startswith or endswith, as an escaped regex; with its prefilter literal.
    Pattern {
        re: Regex,
        literal: Option<String>,
    },
    /// `|re`: captures bind variables.
    Regex {
        re: Regex,
        literals: Option<Vec<String>>,
    },
    /// `field: null`: the field is missing or empty.
    Null,
    Exists(bool),
    Num(Cmp, f64),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Cmp {
    Gt,
    Gte,
    Lt,
    Lte,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Op {
    Eq,
    Contains,
    StartsWith,
    EndsWith,
    Re,
    Exists,
    Num(Cmp),
}
