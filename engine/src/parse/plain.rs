//! Plain lines: the last fallback. The message is the line without paste
//! damage; nothing else is read from it.

use super::head::Head;
use super::lex::View;

pub fn head(v: &View) -> Head {
    let mut h = Head::new(v.start..v.end);
    h.score = 0;
    h
}
