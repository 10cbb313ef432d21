//! What a single-record predicate is and what it binds: the vocabulary the
//! compiled rules (`ir`) and the literal prefilter (`prefilter`) share.
//!
//! It lies below both so neither imports the other's file (`ir` re-exports
//! these names, so `rule::ir::Bindings` keeps working). This module holds a
//! trait and a value type only: it must never compile, match or prefilter.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use crate::event::EventRef;

/// Variables bound so far: `(name, value)` pairs, names unique.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Bindings(pub Vec<(Arc<str>, Arc<str>)>);

impl Bindings {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(n, _)| &**n == name).map(|(_, v)| &**v)
    }

    /// Binds `name` to `value`; false (and nothing changed) if it is bound to another value.
    pub fn unify(&mut self, name: &str, value: &str) -> bool {
        match self.get(name) {
            Some(v) => v == value,
            None => {
                self.0.push((Arc::from(name), Arc::from(value)));
                true
            }
        }
    }

    /// Number of bindings; `truncate` back to it undoes later bindings.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn truncate(&mut self, len: usize) {
        self.0.truncate(len)
    }
}

/// A single-record predicate (a Sigma-style `match:` block or a `selections` + `condition`).
pub trait RecordPredicate: Send + Sync + fmt::Debug {
    /// Whether `ev` matches given the variables bound so far. On a match, new
    /// variables are added to `binds` (a variable already bound must unify, else
    /// it is no match) and the decoded byte ranges that made the match (absolute
    /// offsets into the source text) are pushed to `highlights`. On no match,
    /// `binds` and `highlights` are left as they were.
    fn eval(
        &self,
        ev: &EventRef<'_>,
        binds: &mut Bindings,
        highlights: &mut Vec<Range<u32>>,
    ) -> bool;

    /// Lower-case literals such that any matching record's text contains at
    /// least one of them; `None` when no such set exists (the record must
    /// always be evaluated). Used to build the prefilter.
    fn required_literals(&self) -> Option<Vec<String>>;

    /// Variables this predicate can bind.
    fn binds(&self) -> Vec<String>;
}
