//! Splits a physical line that holds two records because a paste lost the
//! newline between them: `...{ metadata: undefined }2025-06-03T07:23:52.664Z
//! [docs] [error] ...` or `... [info] x 2025-06-03 07:23:52.700 [error] y`.
//!
//! A split happens only where a timestamp (real or redacted) starts a text
//! that the source's own format reads as a clear record head (score 2 or
//! more, with that timestamp). A timestamp right after `: `, `"` or `=` is a
//! value inside the message (`Server stderr: 2025-...`), never a split. The
//! pieces share the line number and cover the line without gap or overlap;
//! this module never drops or reorders text. Which formats are searched is
//! theirs to say (`FormatSpec::split_glued_records`).

use crate::frame::Line;

use super::format::Format;
use super::head::ParseContext;
use super::lex::{self, View};

/// Most records split off one physical line.
pub const MAX_GLUED: usize = 4;

/// Pushes the pieces of `line` onto `out` (just `line` when nothing is glued).
/// `content` is where the line's content starts (after quote marks and indentation).
pub fn split(
    context: &ParseContext<'_>,
    fmt: Format,
    line: Line,
    content: u32,
    out: &mut Vec<Line>,
) {
    let s = line.text(context.text);
    let b = s.as_bytes();
    let skip = content.saturating_sub(line.start) as usize;
    let mut prev = line.start;
    let mut from = skip;
    for colon in colons(b, skip) {
        if out.len() + 1 == MAX_GLUED {
            break;
        }
        let Some(start) = ts_start(b, colon) else {
            continue;
        };
        if start <= from || !s.is_char_boundary(start) || !glued_after(s.get(from..start)) {
            continue;
        }
        let at = line.start + start as u32;
        let sub = Line { start: at, ..line };
        let v = View::new(context.text, sub, false);
        let p = lex::prefix(context.text, &v);
        if p.ts.is_none() || fmt.head(context, &v, &p).is_none_or(|h| h.score < 2) {
            continue;
        }
        out.push(Line {
            start: prev,
            end: at,
            next: at,
            ..line
        });
        prev = at;
        from = start;
    }
    out.push(Line {
        start: prev,
        ..line
    });
}

/// Positions of the `HH:MM` colons of timestamps that may start a glued record.
/// A line that starts with a timestamp is searched for its own year (`2025-`,
/// `XXXX-`), any other line for any year, by its dashes. No allocation and no
/// searcher to build: this runs on every line of every source.
fn colons(b: &[u8], skip: usize) -> Colons<'_> {
    let at = skip + usize::from(b.get(skip) == Some(&b'['));
    let year = b.get(at..at + 5).and_then(|y| {
        let digits = y[..4]
            .iter()
            .all(|c| c.is_ascii_digit() || matches!(c, b'X' | b'x'));
        (y[4] == b'-' && digits).then(|| [y[0], y[1], y[2], y[3]])
    });
    let (year, base) = match year {
        Some(year) => (Some(year), at + 5),
        None => (None, 0),
    };
    Colons {
        b,
        year,
        dashes: memchr::memchr_iter(b'-', b.get(base..).unwrap_or(&[])),
        base,
    }
}

/// Dashes that may end the year of a `YYYY-MM-DD?HH:MM` timestamp (the
/// line's own year when it starts with one, else any four digits or `X`s),
/// mapped to where its `HH:MM` colon is.
struct Colons<'a> {
    b: &'a [u8],
    year: Option<[u8; 4]>,
    dashes: memchr::Memchr<'a>,
    base: usize,
}

impl Iterator for Colons<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        loop {
            let dash = self.base + self.dashes.next()?;
            let Some(y) = dash.checked_sub(4).and_then(|y| self.b.get(y..dash)) else {
                continue;
            };
            let is_year = match &self.year {
                Some(year) => y == year.as_slice(),
                None => y
                    .iter()
                    .all(|c| c.is_ascii_digit() || matches!(c, b'X' | b'x')),
            };
            if is_year && self.b.get(dash + 9) == Some(&b':') {
                return Some(dash + 9);
            }
        }
    }
}

/// Whether the text before a timestamp can be a whole record: it has content and
/// does not end in a label that introduces a value. Quote marks alone (a line
/// pasted in curly quotes) are no record.
fn glued_after(before: Option<&str>) -> bool {
    let t = before.unwrap_or("").trim_end();
    let quotes = ['"', '\'', '“', '”', '‘', '’'];
    !t.trim_matches(quotes).is_empty() && !t.ends_with([':', '"', '=', '\'', '('])
}

/// Where the timestamp whose `HH:MM` colon is at `colon` starts:
/// `YYYY-MM-DD[T ]HH:MM`, digits or `X`, optionally after `[`.
fn ts_start(b: &[u8], colon: usize) -> Option<usize> {
    let start = colon.checked_sub(13)?;
    let d = |j: usize| {
        b.get(j)
            .is_some_and(|c| c.is_ascii_digit() || matches!(c, b'X' | b'x'))
    };
    let is = |j: usize, set: &[u8]| b.get(j).is_some_and(|c| set.contains(c));
    let ok = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15]
        .iter()
        .all(|&k| d(start + k))
        && is(start + 4, b"-")
        && is(start + 7, b"-")
        && is(start + 10, b"Tt ");
    if !ok {
        return None;
    }
    Some(if start > 0 && is(start - 1, b"[") {
        start - 1
    } else {
        start
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::lines;

    fn pieces<'a>(format_name: &str, s: &'a str) -> Vec<&'a str> {
        let fmt = Format::from_name(format_name).expect("a format name");
        let tz = jiff::tz::TimeZone::UTC;
        let context = ParseContext { text: s, tz: &tz };
        let line = lines(s).next().unwrap();
        let v = View::new(s, line, true);
        let mut out = Vec::new();
        split(&context, fmt, line, v.start, &mut out);
        out.iter().map(|l| l.text(s)).collect()
    }

    #[test]
    fn splits_where_a_clear_head_starts() {
        assert_eq!(
            pieces(
                "claude-desktop-server",
                "2025-06-03T07:23:52.664Z [docs] [info] Server started { metadata: undefined }2025-06-03T07:23:52.700Z [docs] [error] spawn npx ENOENT"
            ),
            [
                "2025-06-03T07:23:52.664Z [docs] [info] Server started { metadata: undefined }",
                "2025-06-03T07:23:52.700Z [docs] [error] spawn npx ENOENT"
            ]
        );
        assert_eq!(
            pieces(
                "vscode-mcp",
                "2025-04-11 09:28:33.506 [info] Starting server x 2025-04-11 09:28:33.600 [error] Connection state: Error"
            ),
            [
                "2025-04-11 09:28:33.506 [info] Starting server x ",
                "2025-04-11 09:28:33.600 [error] Connection state: Error"
            ]
        );
        assert_eq!(
            pieces(
                "claude-code-debug",
                "> XXXX-XX-XXTXX:XX:XX.XXXZ [DEBUG] a XXXX-XX-XXTXX:XX:XX.XXXZ [ERROR] MCP server \"x\" b"
            ),
            [
                "> XXXX-XX-XXTXX:XX:XX.XXXZ [DEBUG] a ",
                "XXXX-XX-XXTXX:XX:XX.XXXZ [ERROR] MCP server \"x\" b"
            ]
        );
    }

    #[test]
    fn leaves_values_and_foreign_heads_alone() {
        let s = "2025-09-03T07:58:41.341Z [DEBUG] MCP server \"x\": Server stderr: 2025-09-03T07:58:41.300Z [ERROR] boom";
        assert_eq!(pieces("claude-code-debug", s), [s]);
        // Desktop's lower-case level is not a Claude Code head.
        let s = "2025-09-03T07:58:41.341Z [DEBUG] a 2025-09-03T07:58:41.342Z [info] b";
        assert_eq!(pieces("claude-code-debug", s), [s]);
        let s = "started at 2025-09-03T07:58:41Z";
        assert_eq!(pieces("claude-desktop-main", s), [s]);
        let s = "2025-09-03T07:58:41Z";
        assert_eq!(pieces("claude-desktop-main", s), [s]);
    }
}
