//! Plain lines: the last fallback. The message is the line without paste
//! damage; only a Node
//! `{ metadata: ... }` tail is split off (pasted Claude Desktop entries often
//! lose their prefix).

use super::head::{self, Cx, Head};
use super::lex::View;

pub fn head(cx: &Cx, v: &View) -> Head {
    let mut h = Head::new(v.start..v.end);
    h.score = 0;
    head::take_tail(cx, &mut h);
    h
}
