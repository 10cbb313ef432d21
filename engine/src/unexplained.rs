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
            r"(?i)\b(error|errno|failed|failure|fatal|exception|traceback|panic|refused|denied|timed out|killed|segfault|cannot|could not|unable to)\b|(?-i:\bE[A-Z]{3,}\b)|exited with code [1-9]",
        )
        .expect("pattern compiles")
    })
}

fn template_parts() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r#""[^"]*"|'[^']*'|(?:[A-Za-z]:)?[\\/][^\s:'"]+|\b0x[0-9a-fA-F]+\b|\b[0-9a-f]{8,}\b|\d+"#)
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
    let mut groups: Vec<Unexplained> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
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
            if !is_error_like(&ev) {
                continue;
            }
            let msg = ev.msg();
            let first_line = msg.lines().next().unwrap_or("");
            let key = template(first_line);
            match index.get(&key) {
                Some(&g) => groups[g].count += 1,
                None => {
                    index.insert(key, groups.len());
                    let text = short(first_line);
                    groups.push(Unexplained {
                        path: s.text.path.clone(),
                        line: e.span.line,
                        text: if redact_text {
                            redact(&text).into_owned()
                        } else {
                            text
                        },
                        count: 1,
                    });
                }
            }
        }
    }
    // Stable: most frequent first, then in input order.
    groups.sort_by_key(|g| std::cmp::Reverse(g.count));
    groups.truncate(MAX_GROUPS);
    groups
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
