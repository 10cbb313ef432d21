//! The state of compiling one rule file, [`RuleCompiler`], and the primitives
//! every part of the compiler shares: errors at positions, predicate
//! registration, matchers, `from:` names and durations read off positioned
//! nodes.
//!
//! This module never decides what a rule means as a whole (steps, facts,
//! horizons are their own modules) and never looks at another file.

use std::sync::Arc;

use super::diag::Diag;
use crate::rule::duration;
use crate::rule::ir::{Millis, Pred, RecordPredicate};
use crate::rule::record::{self, Matcher};
use crate::rule::suggest;
use crate::rule::yaml::{Kind, Node, Pos, Scalar, Seg};

/// A compiled predicate, shared between the branches that use it.
pub(super) type SharedPred = Arc<dyn RecordPredicate>;

/// One rule file being compiled: its tree and text (for positions), the
/// errors found so far and the predicate table it appends to.
pub(super) struct RuleCompiler<'a> {
    pub root: &'a Node,
    pub text: &'a str,
    pub diags: Vec<Diag>,
    pub preds: &'a mut Vec<Arc<dyn RecordPredicate>>,
    /// A matcher failed to compile: the variables it would bind are unknown.
    pub matcher_failed: bool,
}

impl RuleCompiler<'_> {
    pub fn err(&mut self, pos: Pos, message: impl Into<String>) {
        self.diags.push(Diag::new(pos, message));
    }

    /// Where the last segment of `path` was written (see [`Node::key_pos`]).
    pub fn key_pos(&self, path: &[Seg<'_>]) -> Pos {
        self.root.key_pos(path)
    }

    /// Where the value at `path` was written (see [`Node::value_pos`]).
    pub fn value_pos(&self, path: &[Seg<'_>]) -> Pos {
        self.root.value_pos(path)
    }

    /// The position `offset` characters into the scalar written at `pos` (past its opening quote).
    pub fn inside(&self, pos: Pos, offset: u32) -> Pos {
        let line = self
            .text
            .lines()
            .nth(pos.line.saturating_sub(1) as usize)
            .unwrap_or("");
        let quoted = matches!(
            line.chars().nth(pos.col.saturating_sub(1) as usize),
            Some('\'' | '"')
        );
        Pos {
            line: pos.line,
            col: pos
                .col
                .saturating_add(offset)
                .saturating_add(u32::from(quoted)),
        }
    }

    /// Registers a predicate; its index in the table is its id.
    pub fn pred(&mut self, inner: SharedPred) -> Pred {
        let id = u32::try_from(self.preds.len()).unwrap_or(u32::MAX);
        self.preds.push(inner.clone());
        Pred { id, inner }
    }

    /// Compiles the matcher written at `node` (`present: {match: M}` is read as
    /// `present: M`); `None` (and an error at `missing_at`) when there is none.
    pub fn matcher(&mut self, node: Option<&Node>, missing_at: Pos) -> Option<SharedPred> {
        let Some(node) = node else {
            self.err(missing_at, "missing matcher");
            return None;
        };
        match Matcher::compile(unwrap_match(node)) {
            Ok(matcher) => Some(Arc::new(matcher)),
            Err(errors) => {
                self.matcher_failed = true;
                for error in errors {
                    let diag = match error.sub {
                        Some((offset, len)) => Diag {
                            pos: self.inside(error.pos, offset),
                            len,
                            message: error.message,
                        },
                        None => Diag::new(error.pos, error.message),
                    };
                    self.diags.push(diag);
                }
                None
            }
        }
    }

    /// The format names of a `from:` or `sources:` value (one name or a list);
    /// `key` names it in the error.
    pub fn names(&mut self, node: &Node, key: &str) -> Option<Vec<String>> {
        let names: Option<Vec<String>> = match &node.kind {
            Kind::Scalar(_) => node.text().map(|text| vec![text]),
            Kind::Seq(items) => items.iter().map(Node::text).collect(),
            Kind::Map(_) => None,
        };
        match names {
            Some(list) if !list.is_empty() && list.iter().all(|n| !n.trim().is_empty()) => {
                Some(list)
            }
            _ => {
                self.err(
                    node.pos,
                    format!("`{key}` is a format name or a list of format names"),
                );
                None
            }
        }
    }

    /// Checks `from:`/`sources:` names against the formats and families.
    pub fn check_formats(&mut self, node: Option<&Node>) {
        let Some(node) = node else {
            return;
        };
        let items: Vec<&Node> = match &node.kind {
            Kind::Seq(items) => items.iter().collect(),
            _ => vec![node],
        };
        let known = record::format_names();
        for item in items {
            let Some(name) = item.as_str() else { continue };
            if !record::is_format_or_family(name) {
                let hint = suggest::hint(name, known.iter().copied());
                let message = format!("unknown format or family `{name}`{hint} (a rule that reads no format never matches; docs/rules.md, \"Formats and families\")");
                self.err(item.pos, message);
            }
        }
    }

    /// A duration written at `node` (`30s`, or `0`), in milliseconds.
    pub fn duration(&mut self, node: Option<&Node>) -> Option<Millis> {
        let node = node?;
        let parsed = match &node.kind {
            Kind::Scalar(Scalar::Str(text)) => duration::parse(text),
            Kind::Scalar(Scalar::Int(0)) => Ok(0),
            Kind::Scalar(Scalar::Int(_) | Scalar::Float(_)) => {
                let number = node.written();
                Err(format!(
                    "bad duration `{number}`: `{number}` needs a unit (ms, s, m, h, d)"
                ))
            }
            _ => Err("a duration is a string such as `30s`, `500ms`, `5m`, `2h`, `1d`".into()),
        };
        match parsed {
            Ok(ms) => Some(ms),
            Err(message) => {
                self.err(node.pos, message);
                None
            }
        }
    }
}

/// `present: {match: M}` is accepted as `present: M`.
fn unwrap_match(node: &Node) -> &Node {
    match &node.kind {
        Kind::Map(entries) if entries.len() == 1 => match entries.first() {
            Some((key, value)) if key.text().as_deref() == Some("match") => value,
            _ => node,
        },
        _ => node,
    }
}
