//! Evidence anchors: `file:line` or `file:first-last`, with an optional text guard.
//!
//! An anchor names a fixture by file name (or a path suffix such as
//! `sub/x.log`) and a line, and holds when the record a step bound lies there.
//! This module parses and checks anchors; it must never read files or decide
//! which record a step bound (that is `compare`).

use std::fmt;

/// A parsed `at:` anchor plus its `text:` guard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Anchor {
    /// The file name or path suffix, as written.
    pub file: String,
    pub first: u32,
    /// Equal to `first` for a single line.
    pub last: u32,
    /// `file:a-b` was written: the record must span exactly these lines.
    pub range: bool,
    /// Substring the record text must contain (case-sensitive).
    pub text: Option<String>,
}

/// Where a bound record lies, for checking an anchor against it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located<'a> {
    /// The source's display path (a file path, `x.zip!member`, or an inline name).
    pub path: &'a str,
    pub line: u32,
    pub end_line: u32,
    /// The whole record text.
    pub text: &'a str,
}

impl Anchor {
    /// Parses `file:line` or `file:first-last`. The file part may itself hold `:`
    /// (`C:\x.log:3`): the line is what follows the last colon.
    pub fn parse(at: &str, text: Option<String>) -> Result<Anchor, String> {
        let at = at.trim();
        let Some((file, lines)) = at.rsplit_once(':') else {
            return Err(format!(
                "anchor `{at}` is not `file:line` or `file:first-last`"
            ));
        };
        if file.is_empty() {
            return Err(format!("anchor `{at}` names no file"));
        }
        let number = |s: &str| -> Result<u32, String> {
            match s.trim().parse::<u32>() {
                Ok(n) if n > 0 => Ok(n),
                _ => Err(format!(
                    "anchor `{at}`: `{s}` is not a line number (1-based)"
                )),
            }
        };
        let (first, last, range) = match lines.split_once('-') {
            Some((a, b)) => (number(a)?, number(b)?, true),
            None => {
                let n = number(lines)?;
                (n, n, false)
            }
        };
        if last < first {
            return Err(format!("anchor `{at}`: the range ends before it starts"));
        }
        Ok(Anchor {
            file: file.to_string(),
            first,
            last,
            range,
            text,
        })
    }

    /// Whether the anchor's file names the source at `path`: equal, or a suffix
    /// after a path separator or an archive's `!`.
    pub fn names_file(&self, path: &str) -> bool {
        let path = path.replace('\\', "/");
        let file = self.file.replace('\\', "/");
        path == file
            || path
                .strip_suffix(file.as_str())
                .is_some_and(|head| head.ends_with('/') || head.ends_with('!'))
    }

    /// Whether the anchor's lines hold for a record spanning `line..=end_line`.
    pub fn covers(&self, line: u32, end_line: u32) -> bool {
        if self.range {
            self.first == line && self.last == end_line
        } else {
            line <= self.first && self.first <= end_line
        }
    }

    /// Checks the anchor against a located record; `Err` says what is wrong.
    pub fn check(&self, rec: &Located<'_>) -> Result<(), String> {
        if !self.names_file(rec.path) || !self.covers(rec.line, rec.end_line) {
            return Err(format!("the record is at {}", location(rec)));
        }
        if let Some(guard) = &self.text {
            if !rec.text.contains(guard.as_str()) {
                return Err(format!(
                    "text guard {guard:?} is not in the record at {}: {:?}",
                    location(rec),
                    first_line(rec.text)
                ));
            }
        }
        Ok(())
    }
}

impl fmt::Display for Anchor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.range {
            write!(f, "{}:{}-{}", self.file, self.first, self.last)?;
        } else {
            write!(f, "{}:{}", self.file, self.first)?;
        }
        if let Some(t) = &self.text {
            write!(f, " {t:?}")?;
        }
        Ok(())
    }
}

/// `name:line` or `name:line-end` for a record, with the path cut to its file name.
pub fn location(rec: &Located<'_>) -> String {
    let name = file_name(rec.path);
    if rec.end_line > rec.line {
        format!("{name}:{}-{}", rec.line, rec.end_line)
    } else {
        format!("{name}:{}", rec.line)
    }
}

/// The last component of a display path (after `/`, `\` or an archive's `!`).
pub fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\', '!']).next().unwrap_or(path)
}

/// The first physical line of a record text, for short messages.
pub fn first_line(text: &str) -> &str {
    text.split(['\n', '\r']).next().unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec<'a>(path: &'a str, line: u32, end_line: u32, text: &'a str) -> Located<'a> {
        Located {
            path,
            line,
            end_line,
            text,
        }
    }

    #[test]
    fn parses_lines_and_ranges() {
        let a = Anchor::parse("cc.log:3", None).unwrap();
        assert_eq!(
            (a.file.as_str(), a.first, a.last, a.range),
            ("cc.log", 3, 3, false)
        );
        let a = Anchor::parse(r"C:\logs\cc.log:3-5", Some("x".into())).unwrap();
        assert_eq!(
            (a.file.as_str(), a.first, a.last, a.range),
            (r"C:\logs\cc.log", 3, 5, true)
        );
        assert_eq!(a.to_string(), r#"C:\logs\cc.log:3-5 "x""#);
    }

    #[test]
    fn rejects_bad_anchors_with_a_reason() {
        assert_eq!(
            Anchor::parse("cc.log", None).unwrap_err(),
            "anchor `cc.log` is not `file:line` or `file:first-last`"
        );
        assert_eq!(
            Anchor::parse("cc.log:0", None).unwrap_err(),
            "anchor `cc.log:0`: `0` is not a line number (1-based)"
        );
        assert_eq!(
            Anchor::parse("cc.log:5-3", None).unwrap_err(),
            "anchor `cc.log:5-3`: the range ends before it starts"
        );
        assert_eq!(
            Anchor::parse(":4", None).unwrap_err(),
            "anchor `:4` names no file"
        );
    }

    #[test]
    fn file_names_match_by_suffix_only_at_a_separator() {
        let a = Anchor::parse("cc.log:1", None).unwrap();
        assert!(a.names_file("rules/fixtures/cc.log"));
        assert!(a.names_file(r"rules\fixtures\cc.log"));
        assert!(a.names_file("bundle.zip!cc.log"));
        assert!(a.names_file("cc.log"));
        assert!(!a.names_file("rules/fixtures/xcc.log"));
    }

    #[test]
    fn a_line_must_fall_in_the_record_and_a_range_must_equal_it() {
        let one = Anchor::parse("a.log:4", None).unwrap();
        assert!(one.covers(3, 5));
        assert!(!one.covers(5, 6));
        let range = Anchor::parse("a.log:3-5", None).unwrap();
        assert!(range.covers(3, 5));
        assert!(!range.covers(3, 4));
    }

    #[test]
    fn check_reports_where_the_record_is_and_the_guard() {
        let a = Anchor::parse("a.log:2", Some("ENOENT".into())).unwrap();
        assert_eq!(a.check(&rec("dir/a.log", 2, 2, "spawn npx ENOENT")), Ok(()));
        assert_eq!(
            a.check(&rec("dir/a.log", 3, 4, "spawn npx ENOENT")),
            Err("the record is at a.log:3-4".to_string())
        );
        assert_eq!(
            a.check(&rec("dir/a.log", 2, 2, "spawn npx enoent\nmore")),
            Err(
                r#"text guard "ENOENT" is not in the record at a.log:2: "spawn npx enoent""#
                    .to_string()
            )
        );
    }
}
