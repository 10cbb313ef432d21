//! What people add to a log when they paste it somewhere, recognised line by
//! line: markdown code fences and `<details>` tags, pager prompts (`(END)`,
//! `--More--`, `lines 1-40/200`, a lone `:`), and elisions (`...`, `[...]`,
//! `…`, `<snip>`, `(truncated)`); and the matching view of curly quotes.
//!
//! A markup line is kept as a plain line of its own (its event has a `paste`
//! field), never folded into a log record and never read as a server's stderr.
//! This module only classifies text: it never drops a line and never changes
//! an offset (curly quotes are normalised in an owned copy of `msg`, the
//! evidence still points at the bytes on disk).

use crate::event::Value;

/// The kind of a markup line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Markup {
    /// A markdown code fence: ```` ``` ````, ```` ```log ````, `~~~`.
    Fence,
    /// An HTML tag GitHub comments use around logs: `<details>`, `<summary>...</summary>`, `<pre>`.
    Html,
    /// What a pager prints: `(END)`, `--More--(45%)`, `lines 1-40/200`, a lone `:`.
    Pager,
    /// Text the reporter left out: `...`, `[...]`, `…`, `<snip>`, `(truncated)`.
    Elision,
}

impl Markup {
    /// The value of the event's `paste` field.
    pub fn as_str(self) -> &'static str {
        match self {
            Markup::Fence => "fence",
            Markup::Html => "html",
            Markup::Pager => "pager",
            Markup::Elision => "elision",
        }
    }
}

/// Classifies a line's content (paste damage already stripped, trimmed).
pub fn markup(content: &str) -> Option<Markup> {
    let first = *content.as_bytes().first()?;
    match first {
        b'`' | b'~' if content.starts_with("```") || content.starts_with("~~~") => {
            Some(Markup::Fence)
        }
        b'<' => html(content).or_else(|| elision(content)),
        b':' if content == ":" => Some(Markup::Pager),
        b'(' if content == "(END)" => Some(Markup::Pager),
        b'-' if content.starts_with("--More--") || content.starts_with("-- More --") => {
            Some(Markup::Pager)
        }
        b'l' if pager_lines(content) => Some(Markup::Pager),
        b'.' | b'[' | b'(' | b'-' | 0xE2 => elision(content),
        _ => None,
    }
}

/// `<details>`, `</details>`, `<details open>`, `<summary>Logs</summary>`, `<pre>`.
fn html(content: &str) -> Option<Markup> {
    let tag = content
        .strip_prefix("</")
        .or_else(|| content.strip_prefix('<'))?;
    let name_len = tag
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(tag.len());
    let name = tag.get(..name_len)?.to_ascii_lowercase();
    let after = tag.get(name_len..).unwrap_or("");
    let known = matches!(
        name.as_str(),
        "details" | "summary" | "pre" | "code" | "br" | "p"
    );
    (known && (after.starts_with('>') || after.starts_with(' ') || after.starts_with("/>")))
        .then_some(Markup::Html)
}

/// `less`'s status line: `lines 1-40/200`, `lines 1-40/200 (END)`, `lines 41-80 20%`.
fn pager_lines(content: &str) -> bool {
    let Some(rest) = content.strip_prefix("lines ") else {
        return false;
    };
    let (range, _) = rest.split_once(' ').unwrap_or((rest, ""));
    let nums = range.split(['-', '/']).collect::<Vec<_>>();
    nums.len() >= 2
        && nums
            .iter()
            .all(|n| !n.is_empty() && n.bytes().all(|c| c.is_ascii_digit()))
}

/// Elision marks, alone on a line or leading a short note (`... 120 lines omitted`).
fn elision(content: &str) -> Option<Markup> {
    const WHOLE: [&str; 12] = [
        "[...]",
        "[…]",
        "(...)",
        "(…)",
        "<snip>",
        "[snip]",
        "(snip)",
        "<snipped>",
        "[snipped]",
        "(truncated)",
        "[truncated]",
        "<truncated>",
    ];
    const LEADS: [&str; 4] = ["...", "…", "--snip--", "-- snip --"];
    if WHOLE.iter().any(|w| content.eq_ignore_ascii_case(w)) {
        return Some(Markup::Elision);
    }
    let rest = LEADS.iter().find_map(|l| content.strip_prefix(l))?;
    let rest = rest.trim_matches(|c: char| c == '.' || c == '…' || c.is_whitespace());
    // `...` alone, or a short note in words (`... more of same`, `... 120 lines omitted ...`).
    let note = rest.len() <= 40
        && rest.bytes().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, b' ' | b'(' | b')' | b'[' | b']' | b',')
        });
    note.then_some(Markup::Elision)
}

/// Curly quotes in `msg` become ASCII quotes in the value rules match, so a
/// pattern written with `"` or `'` matches a message pasted through a word
/// processor or chat client. Returns `None` when `s` has none (the usual case:
/// one `memchr` for their lead byte).
pub fn ascii_quotes(s: &str) -> Option<Value> {
    if !has_curly_quotes(s.as_bytes()) {
        return None;
    }
    let out: String = s
        .chars()
        .map(|c| match c {
            '“' | '”' | '„' => '"',
            '‘' | '’' => '\'',
            c => c,
        })
        .collect();
    Some(Value::Owned(out.into()))
}

/// Whether `bytes` hold a curly quote (`“ ” „ ‘ ’`, UTF-8 `E2 80 xx`): the
/// record's `msg` as rules see it differs from its text, so a literal
/// prefilter over the text must not rule the record out.
pub fn has_curly_quotes(bytes: &[u8]) -> bool {
    memchr::memchr_iter(0xE2, bytes).any(|i| curly_quote_at(bytes, i))
}

/// Whether a curly quote starts at `bytes[i]`.
pub fn curly_quote_at(bytes: &[u8], i: usize) -> bool {
    bytes.get(i) == Some(&0xE2)
        && bytes.get(i + 1) == Some(&0x80)
        && bytes
            .get(i + 2)
            .is_some_and(|b| matches!(b, 0x98 | 0x99 | 0x9C | 0x9D | 0x9E))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_lines() {
        let m = |s| markup(s).map(Markup::as_str);
        assert_eq!(m("```"), Some("fence"));
        assert_eq!(m("```log"), Some("fence"));
        assert_eq!(m("<details>"), Some("html"));
        assert_eq!(m("<details open>"), Some("html"));
        assert_eq!(m("<summary>mcp.log</summary>"), Some("html"));
        assert_eq!(m("</details>"), Some("html"));
        assert_eq!(m("(END)"), Some("pager"));
        assert_eq!(m("--More--(45%)"), Some("pager"));
        assert_eq!(m("lines 1-40/200 (END)"), Some("pager"));
        assert_eq!(m(":"), Some("pager"));
        assert_eq!(m("..."), Some("elision"));
        assert_eq!(m("…"), Some("elision"));
        assert_eq!(m("[...]"), Some("elision"));
        assert_eq!(m("<snip>"), Some("elision"));
        assert_eq!(m("(truncated)"), Some("elision"));
        assert_eq!(m("...more of same"), Some("elision"));
        assert_eq!(m("... 120 lines omitted ..."), Some("elision"));
    }

    #[test]
    fn log_lines_are_not_markup() {
        for s in [
            "[DEBUG] MCP server \"x\": Connection failed",
            "[...] spawn npx ENOENT: the rest of the line",
            "... at Object.<anonymous> (/x/index.js:1:2)",
            "<anonymous>",
            "(node:1234) Warning: x",
            "--inspect flag",
            "lines of text",
            "::1",
            "~/.claude/debug",
            "Error: x",
        ] {
            assert_eq!(markup(s), None, "{s}");
        }
    }

    #[test]
    fn curly_quotes_normalised() {
        assert_eq!(
            ascii_quotes("MCP server “docs”: it’s ‘x’"),
            Some(Value::Owned("MCP server \"docs\": it's 'x'".into()))
        );
        assert_eq!(ascii_quotes("plain \"ascii\""), None);
        assert_eq!(ascii_quotes("ellipsis … only"), None);
    }
}
