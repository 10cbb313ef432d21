//! `journalctl` short output: syslog-shaped lines (see [`super::syslog`]),
//! plus the journal's own marker lines (`-- Logs begin at ...`,
//! `-- Boot 3f2a... --`, `-- No entries --`) and pager damage: a line that
//! `less` cut at the right edge ends with `>`; the `>` is dropped from `msg`
//! and the record gets `truncated: true`.
//!
//! This module never reads a line without a journal timestamp or marker.

use crate::event::Value;

use super::bsd_time;
use super::format::{FileNameHint, FormatSpec, NameHint};
use super::head::{Head, ParseContext};
use super::lex::{Prefix, View};
use super::syslog;

/// `linux-journal`: `journal*` files.
pub const SPEC: FormatSpec = FormatSpec {
    file_name_hint: Some(FileNameHint {
        rank: 33,
        matches: |name| {
            name.base_lower
                .starts_with("journal")
                .then_some(NameHint::default())
        },
    }),
    source_notes: Some(bsd_time::yearless_notes),
    ..FormatSpec::lines("linux-journal", head)
};

pub fn head(context: &ParseContext<'_>, view: &View, _p: &Prefix) -> Option<Head> {
    let content = view.text(context.text);
    if content.starts_with("-- ")
        && (content.ends_with(" --")
            || content.starts_with("-- Logs begin at")
            || content.starts_with("-- Journal begins at"))
    {
        let mut h = Head::new(view.start..view.end);
        h.score = 3;
        return Some(h);
    }
    let mut h = syslog::line(context, view)?;
    if let Some(m) = h.msg_range() {
        let msg = context.get(&m);
        if msg.ends_with('>') && msg.matches('>').count() > msg.matches('<').count() {
            h.msg = Value::Text(m.start..m.end - 1);
            h.extend = false;
            h.set("truncated", Value::Owned("true".into()));
            h.score = 3;
        }
    }
    Some(h)
}
