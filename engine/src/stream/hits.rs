//! Candidate lines: one Aho-Corasick pass over a chunk's bytes finds the lines
//! that hold a literal of some predicate (or an error word).
//!
//! After a hit the search resumes at the next line, so a line is reported once
//! however many literals it holds. Lines holding a character that case-folds to
//! an ASCII letter (`ſ`, `K`; see `rule::literal`) are candidates too. This
//! module only finds lines; it never decodes or parses them.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, Input, MatchKind};

/// The literal search of one source.
#[derive(Debug)]
pub struct Finder {
    ac: AhoCorasick,
}

impl Finder {
    /// A finder for `literals` (lower-case), ASCII case-insensitive; `None` when there is none.
    pub fn new(literals: &[String]) -> Option<Finder> {
        if literals.is_empty() {
            return None;
        }
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .kind(Some(AhoCorasickKind::DFA))
            .match_kind(MatchKind::LeftmostFirst)
            .build(literals)
            .ok()?;
        Some(Finder { ac })
    }

    /// The lines of `buf[lo..hi]` (which starts at a line start) that hold a
    /// literal, as `(start, end)` byte ranges of `buf`, `end` at the `\n` (or
    /// `hi`). Sorted, distinct.
    pub fn lines(&self, buf: &[u8], lo: usize, hi: usize) -> Vec<(usize, usize)> {
        let hi = hi.min(buf.len());
        let mut out = Vec::new();
        let mut pos = lo;
        while pos < hi {
            let Some(m) = self.ac.find(Input::new(buf).range(pos..hi)) else {
                break;
            };
            let line = line_at(buf, lo, hi, m.start());
            out.push(line);
            pos = line.1 + 1;
        }
        let folded = folded_lines(buf, lo, hi);
        if !folded.is_empty() {
            out.extend(folded);
            out.sort_unstable();
            out.dedup();
        }
        out
    }
}

/// The line of `buf[lo..hi]` holding byte `at`.
fn line_at(buf: &[u8], lo: usize, hi: usize, at: usize) -> (usize, usize) {
    let start = buf
        .get(lo..at)
        .and_then(|b| memchr::memrchr(b'\n', b))
        .map_or(lo, |i| lo + i + 1);
    let end = buf
        .get(at..hi)
        .and_then(|b| memchr::memchr(b'\n', b))
        .map_or(hi, |i| at + i);
    (start, end)
}

/// Lines holding `ſ` (C5 BF) or the Kelvin sign (E2 84 AA).
fn folded_lines(buf: &[u8], lo: usize, hi: usize) -> Vec<(usize, usize)> {
    let Some(region) = buf.get(lo..hi) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for needle in ["\u{17F}", "\u{212A}"] {
        for i in memchr::memmem::find_iter(region, needle.as_bytes()) {
            out.push(line_at(buf, lo, hi, lo + i));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finder(lits: &[&str]) -> Finder {
        let lits: Vec<String> = lits.iter().map(|s| s.to_string()).collect();
        Finder::new(&lits).expect("literals")
    }

    #[test]
    fn one_range_per_line_case_insensitive() {
        let buf = b"alpha\nspawn ENOENT enoent\nbeta\nENOENT\n";
        let f = finder(&["enoent"]);
        assert_eq!(f.lines(buf, 0, buf.len()), vec![(6, 25), (31, 37)]);
        // A sub-range only sees its own lines.
        assert_eq!(f.lines(buf, 26, buf.len()), vec![(31, 37)]);
        assert_eq!(f.lines(buf, 0, 6), vec![]);
    }

    #[test]
    fn last_line_without_newline_and_folded_characters() {
        let buf = "x\nu\u{17F}ers\n\u{212A}\nend error".as_bytes();
        let f = finder(&["error"]);
        let lines = f.lines(buf, 0, buf.len());
        let text: Vec<&str> = lines
            .iter()
            .map(|&(s, e)| std::str::from_utf8(&buf[s..e]).unwrap())
            .collect();
        assert_eq!(text, ["u\u{17F}ers", "\u{212A}", "end error"]);
    }

    #[test]
    fn no_literals_no_finder() {
        assert!(Finder::new(&[]).is_none());
    }
}
