//! The line-prefix lexer shared by every format: paste damage off, then the
//! leading timestamp and `[bracket]` tokens, then the message.
//!
//! A [`View`] is one physical line with what users add when they paste it
//! removed (markdown `> ` quotes, indentation, curly quotes around the whole
//! line); a [`Prefix`] is what `logos` finds at its start: a timestamp (ISO,
//! `YYYY-MM-DD HH:MM:SS.mmm`, bracketed, or redacted: `XXX-XX-XX...>`,
//! `XXXX-XX-XX XX:XX:XX.XXX`, `2025-06-03TXX:XX:XX`, `[xx:xx:xx]`, `<timestamp>`) and
//! up to four `[...]` groups. Formats give the groups a meaning; this module
//! never decides what a bracket is, and never reads past the prefix.

use std::ops::Range;

use logos::Logos;

use crate::frame::Line;

/// One physical line after paste damage is stripped. Offsets are absolute
/// (decoded text).
#[derive(Clone, Copy, Debug)]
pub struct View {
    pub line: Line,
    /// Start of the content: after quote marks and indentation.
    pub start: u32,
    /// End of the content: trailing white space removed.
    pub end: u32,
    /// Indentation width in columns (a tab counts 4), after any quote marks.
    pub indent: u32,
}

impl View {
    /// Strips paste damage from `line`. `quoted`: the source is a markdown quote.
    pub fn new(text: &str, line: Line, quoted: bool) -> View {
        let s = line.text(text);
        let b = s.as_bytes();
        let mut i = 0;
        if quoted {
            let mut j = 0;
            while j < b.len() && matches!(b[j], b' ' | b'\t') {
                j += 1;
            }
            while j < b.len() && b[j] == b'>' {
                j += 1;
                if b.get(j) == Some(&b' ') {
                    j += 1;
                }
                i = j;
            }
        }
        let mut indent = 0;
        while i < b.len() && matches!(b[i], b' ' | b'\t') {
            indent += if b[i] == b'\t' { 4 } else { 1 };
            i += 1;
        }
        let mut end = b.len();
        while end > i && matches!(b[end - 1], b' ' | b'\t') {
            end -= 1;
        }
        View {
            line,
            start: line.start + i as u32,
            end: line.start + end as u32,
            indent,
        }
    }

    /// The content.
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start as usize..self.end as usize)
            .unwrap_or("")
    }

    pub fn is_blank(&self) -> bool {
        self.start >= self.end
    }
}

/// Whether the line (content) looks like a markdown block quote.
pub fn is_quote(content: &str) -> bool {
    content.starts_with("> ") || content == ">"
}

#[derive(Logos, Clone, Copy, Debug, PartialEq, Eq)]
enum Tok {
    #[regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}(:[0-9]{2}([.,][0-9]+)?)?([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)?")]
    IsoTs,
    #[regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}(:[0-9]{2}([.,][0-9]+)?)?")]
    SpaceTs,
    #[regex(r"XXX+[-X0-9.:TZ]*(…|\.\.\.)?>?")]
    #[regex(r"[Xx]{2,4}-[Xx]{2}-[Xx]{2}[Tt ][Xx0-9]{2}:[-Xx0-9.:,Zz+]*(…|\.\.\.)?>?")]
    #[regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][Xx]{2}:[-Xx0-9.:,Zz+]*")]
    #[regex(r"<(?i:timestamp|time|date|datetime|ts)>")]
    Redacted,
    #[regex(r"\[[^\]\r\n]*\]")]
    Bracket,
    #[regex(r"[ \t]+")]
    Ws,
    #[regex(r"[“”]")]
    CurlyQuote,
}

/// Kind of a leading timestamp.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TsKind {
    /// `2025-06-03T07:23:52.664Z` (possibly without a zone).
    Iso,
    /// `2025-06-03 07:23:52.664`.
    Space,
    /// `[2025-10-11T22:38:45.999]` or `[2025-06-03 07:23:52]`.
    Bracketed,
    /// Replaced by the reporter: `XXX-XX-XX...>`.
    Redacted,
}

/// What a line starts with.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Prefix {
    /// The timestamp token (absolute range, brackets excluded) and its kind.
    pub ts: Option<(Range<u32>, TsKind)>,
    /// Inner ranges of the `[...]` groups after the timestamp, in order.
    pub brackets: Vec<Range<u32>>,
    /// Whether each bracket was followed by white space (or the end).
    pub spaced: Vec<bool>,
    /// Where the message starts (after the prefix and its white space).
    pub rest: u32,
}

/// Lexes the prefix of `view`.
pub fn prefix(text: &str, view: &View) -> Prefix {
    let base = view.start;
    let content = view.text(text);
    let mut p = Prefix {
        rest: base,
        ..Prefix::default()
    };
    let mut lex = Tok::lexer(content);
    let mut first = true;
    while let Some(tok) = lex.next() {
        let r = lex.span();
        let abs = base + r.start as u32..base + r.end as u32;
        match tok {
            Ok(Tok::Ws) => {
                if let Some(s) = p.spaced.last_mut() {
                    *s = true;
                }
                p.rest = abs.end;
                continue;
            }
            Ok(Tok::CurlyQuote) if first => {}
            Ok(Tok::IsoTs) if p.ts.is_none() && p.brackets.is_empty() => {
                p.ts = Some((abs.clone(), TsKind::Iso));
            }
            Ok(Tok::SpaceTs) if p.ts.is_none() && p.brackets.is_empty() => {
                p.ts = Some((abs.clone(), TsKind::Space));
            }
            Ok(Tok::Redacted) if p.ts.is_none() && p.brackets.is_empty() => {
                p.ts = Some((abs.clone(), TsKind::Redacted));
            }
            Ok(Tok::Bracket) if p.brackets.len() < 4 => {
                let inner = abs.start + 1..abs.end - 1;
                let s = content.get(r.start + 1..r.end - 1).unwrap_or("");
                if p.ts.is_none() && p.brackets.is_empty() && is_ts_text(s) {
                    p.ts = Some((inner, TsKind::Bracketed));
                } else if p.ts.is_none() && p.brackets.is_empty() && is_redacted_ts(s) {
                    p.ts = Some((inner, TsKind::Redacted));
                } else {
                    p.brackets.push(inner);
                    p.spaced.push(false);
                }
            }
            _ => break,
        }
        first = false;
        p.rest = abs.end;
    }
    p
}

fn is_ts_text(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 16 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-' && b[7] == b'-'
}

/// Bracket text that stands for a removed timestamp: `xx:xx:xx`,
/// `XXXX-XX-XX XX:XX:XX.XXX`, `timestamp`. A bracket with any other letter
/// (a server name such as `plugin:x:y`) is not one.
fn is_redacted_ts(s: &str) -> bool {
    if s.eq_ignore_ascii_case("timestamp") || s.eq_ignore_ascii_case("time") {
        return true;
    }
    let b = s.as_bytes();
    b.len() >= 5
        && b.contains(&b':')
        && b.iter().any(|c| matches!(c, b'x' | b'X'))
        && b.iter().all(|c| {
            c.is_ascii_digit()
                || matches!(
                    c,
                    b'x' | b'X' | b':' | b'.' | b',' | b'-' | b'T' | b'Z' | b' '
                )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::lines;

    fn lex(s: &str) -> (Option<(String, TsKind)>, Vec<String>, String) {
        let line = lines(s).next().unwrap();
        let v = View::new(s, line, true);
        let p = prefix(s, &v);
        let get = |r: &Range<u32>| s[r.start as usize..r.end as usize].to_string();
        (
            p.ts.map(|(r, k)| (get(&r), k)),
            p.brackets.iter().map(get).collect(),
            s[p.rest as usize..v.end as usize].to_string(),
        )
    }

    #[test]
    fn desktop_prefix() {
        let (ts, br, rest) = lex("2025-06-03T07:23:52.664Z [error] [my server] spawn npx ENOENT");
        assert_eq!(ts, Some(("2025-06-03T07:23:52.664Z".into(), TsKind::Iso)));
        assert_eq!(br, ["error", "my server"]);
        assert_eq!(rest, "spawn npx ENOENT");
    }

    #[test]
    fn quoted_indented_space_ts() {
        let (ts, br, rest) = lex(">   2025-04-11 09:28:33.506 [info] Connection state: Error  ");
        assert_eq!(ts, Some(("2025-04-11 09:28:33.506".into(), TsKind::Space)));
        assert_eq!(br, ["info"]);
        assert_eq!(rest, "Connection state: Error");
    }

    #[test]
    fn redacted_and_bracketed() {
        let (ts, br, rest) = lex("XXX-XX-XX...>[hexstrike-ai] [info] Server started");
        assert_eq!(ts.unwrap().1, TsKind::Redacted);
        assert_eq!(br, ["hexstrike-ai", "info"]);
        assert_eq!(rest, "Server started");
        let (ts, br, _) = lex("[2025-10-11T22:38:45.999] #bot.cline ProtoBus");
        assert_eq!(
            ts,
            Some(("2025-10-11T22:38:45.999".into(), TsKind::Bracketed))
        );
        assert!(br.is_empty());
    }

    #[test]
    fn no_prefix() {
        let (ts, br, rest) = lex("env: node: No such file or directory");
        assert_eq!((ts, br.len()), (None, 0));
        assert_eq!(rest, "env: node: No such file or directory");
    }
}
