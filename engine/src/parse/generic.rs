//! The fallback for any text: `timestamp? level? message`.
//!
//! Reads the shared prefix (ISO, space-separated or bracketed timestamps; a
//! `[level]` bracket and a `[server]`-looking bracket after it) or a leading
//! upper-case level word (`INFO`, `ERROR:`). It claims a line only when it
//! finds a timestamp or a level; everything else is a plain line.

use crate::event::Value;

use super::format::{FallbackReading, FormatSpec};
use super::head::{self, Head, ParseContext, SERVER};
use super::lex::{Prefix, View};

/// `generic`: any `timestamp? level? message` text; also the last fallback
/// before plain lines.
pub const SPEC: FormatSpec = FormatSpec {
    split_glued_records: false,
    fallback: Some(FallbackReading {
        rank: 2,
        min_score: 0,
    }),
    records_are_unindented_lines: true,
    ..FormatSpec::lines("generic", head)
};

pub fn head(context: &ParseContext<'_>, view: &View, prefix: &Prefix) -> Option<Head> {
    let mut h = Head::new(prefix.rest..view.end);
    h.ts = context.ts(prefix);
    let mut found = prefix.ts.is_some();
    let mut msg_start = prefix.rest;
    match prefix.brackets.as_slice() {
        [] => {}
        [b0, rest @ ..] => {
            if let Some(l) = head::level(context.get(b0)) {
                h.level = Some(l);
                found = true;
                if let [b1] = rest {
                    let name = context.get(b1);
                    if !name.is_empty()
                        && !name.contains(' ')
                        && name.len() <= 64
                        && prefix.spaced.first() == Some(&true)
                    {
                        h.set(SERVER, Value::Text(b1.clone()));
                    } else {
                        msg_start = b1.start - 1;
                    }
                } else if let Some(b1) = rest.first() {
                    msg_start = b1.start - 1;
                }
            } else {
                msg_start = b0.start - 1;
            }
        }
    }
    // `2016-09-28 04:30:30, Info ...`, `ts | msg`, `ts - msg`: separators after the time.
    let msg = context.get(&(msg_start..view.end));
    let body = msg.trim_start_matches([',', '|', ' ']);
    let body = body.strip_prefix("- ").unwrap_or(body).trim_start();
    msg_start += (msg.len() - body.len()) as u32;
    if h.level.is_none() {
        let msg = context.get(&(msg_start..view.end));
        let word_len = msg.find([' ', ':']).unwrap_or(msg.len());
        let word = &msg[..word_len];
        if word.len() >= 3 && word.bytes().all(|c| c.is_ascii_uppercase()) {
            if let Some(l) = head::level(word) {
                h.level = Some(l);
                found = true;
                let skip =
                    msg[word_len..].len() - msg[word_len..].trim_start_matches([':', ' ']).len();
                msg_start += (word_len + skip) as u32;
            }
        }
    }
    if !found {
        return None;
    }
    h.msg = Value::Text(msg_start..view.end);
    h.score = 1;
    head::take_tail(context, &mut h);
    Some(h)
}
