//! Sigma-style single-record matchers: compiled from the positioned YAML tree
//! (`compile`), evaluated against one [`EventRef`](crate::event::EventRef)
//! (`eval`), in the form `types` defines, checked against the closed sets of
//! `vocabulary`.
//!
//! A matcher is a map of `field|modifier|...: value(s)` (keys ANDed, a list
//! value ORed, `|all` makes it an AND), a list of such maps (ORed), or named
//! `selections` combined by a `condition`. Strings compare case-insensitively
//! unless `|cased`; `|re` uses the `regex` crate and its named groups bind
//! variables. This module never looks at more than one record and never
//! touches sequence state.

mod compile;
mod eval;
mod regexp;
mod types;
mod vocabulary;

pub use eval::Both;
pub use regexp::compile_regex;
pub use types::{MatchError, Matcher};
pub use vocabulary::{
    field_meant, format_names, is_format_or_family, LEVELS, MODIFIERS, RECORD_FIELDS,
};
