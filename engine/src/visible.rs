//! Text made safe to print on a terminal: every control character but tab
//! and line ends (ESC and so every CSI / OSC sequence, BEL, BS, a CR that is
//! not part of a line end, DEL, the C1 controls such as the 8-bit CSI U+009B)
//! and the bidirectional overrides that reorder what is shown are written in
//! Rust's escaped form (`\u{1b}`, `\r`), so they are seen, not obeyed.
//!
//! For every text printer that shows log text (the CLI's printers, the rule
//! test report). JSON needs none of it: serde escapes controls. This module
//! never redacts (see `redact`) and never changes anything but controls.

use std::borrow::Cow;

/// `text` with every control character escaped (borrowed when there was none).
pub fn text(text: &str) -> Cow<'_, str> {
    if !text.char_indices().any(|(i, c)| hidden(text, i, c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for (i, c) in text.char_indices() {
        if hidden(text, i, c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Whether the character at `i` must be escaped: a control character (not
/// tab, LF, nor a CR ending a line) or a bidirectional override.
pub fn hidden(text: &str, i: usize, c: char) -> bool {
    match c {
        '\t' | '\n' => false,
        '\r' => !matches!(text.as_bytes().get(i + 1), None | Some(b'\n')),
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
        _ => c.is_control(),
    }
}

/// Appends `c` in its escaped form (`\r`, `\u{1b}`).
pub fn push_escaped(out: &mut String, c: char) {
    if c == '\r' {
        out.push_str("\\r");
    } else {
        out.push_str(&format!("\\u{{{:x}}}", c as u32));
    }
}
