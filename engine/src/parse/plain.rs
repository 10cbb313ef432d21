//! Plain lines: the last fallback. The message is the line without paste
//! damage; only a Node
//! `{ metadata: ... }` tail is split off (pasted Claude Desktop entries often
//! lose their prefix).

use super::format::FormatSpec;
use super::head::{self, Head, ParseContext};
use super::lex::{Prefix, View};

/// `plain`: every line a record of its own, the last fallback.
pub const SPEC: FormatSpec = FormatSpec {
    split_glued_records: false,
    records_are_unindented_lines: true,
    ..FormatSpec::lines("plain", read_head)
};

fn read_head(context: &ParseContext<'_>, view: &View, _prefix: &Prefix) -> Option<Head> {
    Some(head(context, view))
}

pub fn head(context: &ParseContext<'_>, view: &View) -> Head {
    let mut h = Head::new(view.start..view.end);
    h.score = 0;
    head::take_tail(context, &mut h);
    h
}
