//! Unexplained errors: error-looking records that no finding covers, grouped by
//! message template (DESIGN §5), so the reader sees what the rules did not explain.
//!
//! A record is error-looking when its level is error/fatal or its message holds
//! an error word (`error`, `failed`, `exception`, `ENOENT`, `refused`, ...).
//! Templates replace numbers, hex ids, quoted strings and paths with `<*>`.
//! This module never decides a cause.

use std::collections::HashMap;
use std::sync::OnceLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::event::{EventRef, Level};
use crate::parse::ParsedSource;
use crate::redact::redact;

/// At most this many groups are reported.
pub const MAX_GROUPS: usize = 20;
const MAX_TEXT: usize = 300;

/// One group of similar unexplained error records: the first one's place and text, and how many.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unexplained {
    pub path: String,
    pub line: u32,
    pub text: String,
    pub count: u32,
}

fn error_words() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            // ASCII word edges: Unicode ones send every non-ASCII record to the slow engine.
            r"(?i)(?-u:\b)(error|errno|failed|failure|fatal|exception|traceback|panic|refused|denied|timed out|killed|segfault|cannot|could not|unable to)(?-u:\b)|(?-i:(?-u:\b)E[A-Z]{3,}(?-u:\b))|exited with code [1-9]",
        )
        .expect("pattern compiles")
    })
}

fn template_parts() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r#""[^"]*"|'[^']*'|(?:[A-Za-z]:)?[\\/][^\s:'"]+|(?-u:\b)0x[0-9a-fA-F]+(?-u:\b)|(?-u:\b)[0-9a-f]{8,}(?-u:\b)|\d+"#)
            .expect("pattern compiles")
    })
}

/// Whether a record looks like an error.
pub fn is_error_like(ev: &EventRef<'_>) -> bool {
    matches!(ev.event.level, Some(Level::Error | Level::Fatal)) || error_words().is_match(&ev.msg())
}

/// The message with variable parts replaced by `<*>`.
pub fn template(msg: &str) -> String {
    template_parts().replace_all(msg.trim(), "<*>").into_owned()
}

/// Error-looking records not in `matched[source]` (sorted seqs), grouped by template, most frequent first.
pub fn collect(
    sources: &[ParsedSource],
    matched: &[Vec<u32>],
    redact_text: bool,
) -> Vec<Unexplained> {
    groups(sources, matched).finish(redact_text)
}

/// The groups [`collect`] reports, before sorting and cutting.
pub fn groups(sources: &[ParsedSource], matched: &[Vec<u32>]) -> Groups {
    let mut groups = Groups::default();
    for (si, s) in sources.iter().enumerate() {
        let covered = matched.get(si).map(Vec::as_slice).unwrap_or(&[]);
        for e in &s.events {
            if covered.binary_search(&e.seq).is_ok() {
                continue;
            }
            let ev = EventRef {
                event: e,
                source_text: &s.text.text,
                format: s.format,
            };
            if is_error_like(&ev) {
                groups.add(&s.text.path, e.span.line, &ev.msg());
            }
        }
    }
    groups
}

/// Groups being collected: the first record of each template and a count.
#[derive(Clone, Debug, Default)]
pub struct Groups {
    groups: Vec<Unexplained>,
    index: HashMap<String, usize>,
}

impl Groups {
    /// Counts one error-looking record whose message is `msg`.
    pub fn add(&mut self, path: &str, line: u32, msg: &str) {
        self.add_many(path, line, msg, 1);
    }

    /// Counts `count` error-looking records whose message is `msg`, the first at `line`.
    pub fn add_many(&mut self, path: &str, line: u32, msg: &str, count: u32) {
        let first_line = msg.lines().next().unwrap_or("");
        self.add_counted(template(first_line), path, line, &short(first_line), count);
    }

    /// Number of distinct templates so far.
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// Adds every group of `other` (collected later in input order).
    pub fn extend(&mut self, other: Groups) {
        let mut keys: Vec<(usize, String)> = other.index.into_iter().map(|(k, i)| (i, k)).collect();
        keys.sort_unstable();
        for (i, key) in keys {
            if let Some(g) = other.groups.get(i) {
                self.add_counted(key, &g.path, g.line, &g.text, g.count);
            }
        }
    }

    fn add_counted(&mut self, key: String, path: &str, line: u32, text: &str, count: u32) {
        match self.index.get(&key) {
            Some(&g) => {
                if let Some(g) = self.groups.get_mut(g) {
                    g.count = g.count.saturating_add(count);
                    // Groups merged out of order (a stream's kept records, then its
                    // other error lines) still show their first record.
                    if g.path == path && line < g.line {
                        g.line = line;
                        g.text = text.to_string();
                    }
                }
            }
            None => {
                self.index.insert(key, self.groups.len());
                self.groups.push(Unexplained {
                    path: path.to_string(),
                    line,
                    text: text.to_string(),
                    count,
                });
            }
        }
    }

    /// The [`MAX_GROUPS`] most frequent groups (ties in input order), redacted when asked.
    pub fn finish(self, redact_text: bool) -> Vec<Unexplained> {
        let mut groups = self.groups;
        groups.sort_by_key(|g| std::cmp::Reverse(g.count));
        groups.truncate(MAX_GROUPS);
        if redact_text {
            for g in &mut groups {
                g.text = redact(&g.text).into_owned();
            }
        }
        groups
    }
}

fn short(s: &str) -> String {
    if s.len() <= MAX_TEXT {
        return s.to_string();
    }
    let mut end = MAX_TEXT;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_fold_variable_parts() {
        assert_eq!(
            template(r#"connect ECONNREFUSED 127.0.0.1:8090 for "ctx" at /home/u/x.js"#),
            "connect ECONNREFUSED <*>.<*>.<*>.<*>:<*> for <*> at <*>"
        );
        assert_eq!(template("spawn npx ENOENT"), "spawn npx ENOENT");
    }

    #[test]
    fn merged_groups_show_their_first_record() {
        let mut later = Groups::default();
        later.add("a.log", 900, "connect ECONNREFUSED 10.0.0.1:80");
        let mut earlier = Groups::default();
        earlier.add("a.log", 12, "connect ECONNREFUSED 10.0.0.2:81");
        later.extend(earlier);
        let g = later.finish(false);
        assert_eq!((g[0].line, g[0].count), (12, 2));
        assert_eq!(g[0].text, "connect ECONNREFUSED 10.0.0.2:81");
    }

    #[test]
    fn error_words_beside_non_ascii_text() {
        // ASCII word edges: an accented letter is not a word character.
        assert!(super::error_words().is_match("échec: error in “config”"));
        assert!(!super::error_words().is_match("isError: false, «terror»x"));
    }

    #[test]
    fn error_words() {
        let yes = [
            "spawn npx ENOENT",
            "Connection failed",
            "Traceback (most recent call last):",
            "exited with code 1",
        ];
        let no = [
            "Server started and connected successfully",
            "exited with code 0",
            "Initializing server...",
        ];
        for y in yes {
            assert!(super::error_words().is_match(y), "{y}");
        }
        for n in no {
            assert!(!super::error_words().is_match(n), "{n}");
        }
    }
}
