//! Candidate lines: one Aho-Corasick pass over a chunk's bytes finds the lines
//! that hold a literal of some predicate (or an error word).
//!
//! After a hit the search resumes at the next line, so a line is reported once
//! however many literals it holds. Lines holding a character that case-folds to
//! an ASCII letter (`ſ`, `K`; see `rule::literal`) or a curly quote (ASCII in
//! the `msg` rules see, docs/paste.md) are candidates too. This
//! module only finds lines; it never decodes or parses them.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, Input, MatchKind};

/// A candidate line: `buf[start..end]` (`end` at its `\n`, or the chunk end).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Hit {
    pub start: usize,
    pub end: usize,
    /// The line holds a rule literal (else only an error word).
    pub rule: bool,
}

/// The literal search of one source (cloning shares the automaton).
#[derive(Clone, Debug)]
pub struct Finder {
    ac: AhoCorasick,
    /// Patterns below this index are rule literals, the others error words.
    rules: usize,
}

impl Finder {
    /// A finder for rule literals and error words (lower-case), ASCII
    /// case-insensitive; `None` when there are no rule literals.
    pub fn new(rule_literals: &[String], error_words: &[&str]) -> Option<Finder> {
        if rule_literals.is_empty() {
            return None;
        }
        let mut patterns: Vec<String> = rule_literals.to_vec();
        for w in error_words {
            if !patterns.iter().any(|p| p == w) {
                patterns.push(w.to_string());
            }
        }
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .kind(Some(AhoCorasickKind::DFA))
            .match_kind(MatchKind::LeftmostFirst)
            .build(&patterns)
            .ok()?;
        Some(Finder {
            ac,
            rules: rule_literals.len(),
        })
    }

    /// The lines of `buf[lo..hi]` (which starts at a line start) that hold a
    /// literal, sorted and distinct.
    pub fn lines(&self, buf: &[u8], lo: usize, hi: usize) -> Vec<Hit> {
        let hi = hi.min(buf.len());
        let mut out: Vec<Hit> = Vec::new();
        let mut pos = lo;
        while pos < hi {
            let Some(m) = self.ac.find(Input::new(buf).range(pos..hi)) else {
                break;
            };
            let (start, end) = line_at(buf, lo, hi, m.start());
            let mut rule = m.pattern().as_usize() < self.rules;
            // Only an error word so far: look for a rule literal starting later in the line
            // (one may overlap the error word, so search again from the next byte).
            let mut from = m.start() + 1;
            while !rule && from < end {
                match self.ac.find(Input::new(buf).range(from..end)) {
                    Some(n) => {
                        rule = n.pattern().as_usize() < self.rules;
                        from = n.start() + 1;
                    }
                    None => break,
                }
            }
            out.push(Hit { start, end, rule });
            pos = end + 1;
        }
        let folded = folded_lines(buf, lo, hi);
        if !folded.is_empty() {
            for (start, end) in folded {
                match out.iter_mut().find(|h| h.start == start) {
                    Some(h) => h.rule = true,
                    None => out.push(Hit {
                        start,
                        end,
                        rule: true,
                    }),
                }
            }
            out.sort_unstable();
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

/// Lines holding `ſ` (C5 BF), the Kelvin sign (E2 84 AA) or a curly quote
/// (E2 80 xx: rules see it as an ASCII quote, `parse::curly_quote_at`).
fn folded_lines(buf: &[u8], lo: usize, hi: usize) -> Vec<(usize, usize)> {
    let Some(region) = buf.get(lo..hi) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for i in memchr::memmem::find_iter(region, "\u{17F}".as_bytes()) {
        out.push(line_at(buf, lo, hi, lo + i));
    }
    for i in memchr::memchr_iter(0xE2, region) {
        if region.get(i..i + 3) == Some("\u{212A}".as_bytes())
            || crate::parse::curly_quote_at(region, i)
        {
            out.push(line_at(buf, lo, hi, lo + i));
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finder(lits: &[&str]) -> Finder {
        let lits: Vec<String> = lits.iter().map(|s| s.to_string()).collect();
        Finder::new(&lits, &["failed"]).expect("literals")
    }

    fn ranges(hits: &[Hit]) -> Vec<(usize, usize, bool)> {
        hits.iter().map(|h| (h.start, h.end, h.rule)).collect()
    }

    #[test]
    fn one_range_per_line_case_insensitive() {
        let buf = b"alpha\nspawn ENOENT enoent\nbeta\nENOENT\n";
        let f = finder(&["enoent"]);
        assert_eq!(
            ranges(&f.lines(buf, 0, buf.len())),
            [(6, 25, true), (31, 37, true)]
        );
        // A sub-range only sees its own lines.
        assert_eq!(ranges(&f.lines(buf, 26, buf.len())), [(31, 37, true)]);
        assert_eq!(f.lines(buf, 0, 6), vec![]);
    }

    #[test]
    fn error_word_lines_are_told_apart_unless_a_rule_literal_follows() {
        let buf = b"Failed to x\nfailed: spawn ENOENT\n";
        let f = finder(&["enoent"]);
        assert_eq!(
            ranges(&f.lines(buf, 0, buf.len())),
            [(0, 11, false), (12, 32, true)]
        );
    }

    #[test]
    fn last_line_without_newline_and_folded_characters() {
        let buf = "x\nu\u{17F}ers\n\u{212A}\nend error".as_bytes();
        let f = finder(&["error"]);
        let lines = f.lines(buf, 0, buf.len());
        let text: Vec<&str> = lines
            .iter()
            .map(|h| std::str::from_utf8(&buf[h.start..h.end]).unwrap())
            .collect();
        assert_eq!(text, ["u\u{17F}ers", "\u{212A}", "end error"]);
    }

    #[test]
    fn no_literals_no_finder() {
        assert!(Finder::new(&[], &["error"]).is_none());
    }
}

#[cfg(test)]
mod props {
    use super::*;
    use proptest::prelude::*;

    /// Brute force: the lines that hold a literal (ASCII case-insensitive), and whether a rule one.
    fn reference(text: &str, rules: &[String], words: &[&str]) -> Vec<(usize, usize, bool)> {
        let mut out = Vec::new();
        let mut start = 0;
        for line in text.split_inclusive('\n') {
            let content = line.strip_suffix('\n').unwrap_or(line);
            let lower = content.to_ascii_lowercase();
            let rule = rules.iter().any(|l| lower.contains(l.as_str()));
            let word = words.iter().any(|w| lower.contains(w));
            if rule || word {
                out.push((start, start + content.len(), rule));
            }
            start += line.len();
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]
        #[test]
        fn finder_agrees_with_brute_force(
            lines in proptest::collection::vec("[a-cA-C \\[\\]]{0,12}", 0..30),
            rules in proptest::collection::vec("[a-c]{2,3}", 1..4),
        ) {
            let text = lines.join("\n");
            let words = ["ca"];
            let f = Finder::new(&rules, &words).expect("rule literals");
            let got: Vec<(usize, usize, bool)> = f
                .lines(text.as_bytes(), 0, text.len())
                .iter()
                .map(|h| (h.start, h.end, h.rule))
                .collect();
            prop_assert_eq!(got, reference(&text, &rules, &words));
        }
    }
}
