//! What looks like an error: the vocabulary the stream (which error records
//! to keep) and the unexplained-error groups (which records to group, under
//! which template) share.
//!
//! A record is error-looking when its level is error/fatal or its message holds
//! an error word (`error`, `failed`, `exception`, `ENOENT`, `refused`, ...).
//! A message's template replaces numbers, hex ids, quoted strings and paths
//! with `<*>`. Pure functions of one record or message: this module never
//! groups, counts, redacts or decides a cause.

use std::sync::OnceLock;

use regex::Regex;

use crate::event::{EventRef, Level};

fn error_words() -> &'static Regex {
    static ERROR_WORDS: OnceLock<Regex> = OnceLock::new();
    ERROR_WORDS.get_or_init(|| {
        Regex::new(
            // ASCII word edges: Unicode ones send every non-ASCII record to the slow engine.
            r"(?i)(?-u:\b)(error|errno|failed|failure|fatal|exception|traceback|panic|refused|denied|timed out|killed|segfault|cannot|could not|unable to)(?-u:\b)|(?-i:(?-u:\b)E[A-Z]{3,}(?-u:\b))|exited with code [1-9]",
        )
        .expect("pattern compiles")
    })
}

fn variable_parts() -> &'static Regex {
    static VARIABLE_PARTS: OnceLock<Regex> = OnceLock::new();
    VARIABLE_PARTS.get_or_init(|| {
        Regex::new(r#""[^"]*"|'[^']*'|(?:[A-Za-z]:)?[\\/][^\s:'"]+|(?-u:\b)0x[0-9a-fA-F]+(?-u:\b)|(?-u:\b)[0-9a-f]{8,}(?-u:\b)|\d+"#)
            .expect("pattern compiles")
    })
}

/// Whether a record looks like an error.
pub fn is_error_like(record: &EventRef<'_>) -> bool {
    matches!(record.event.level, Some(Level::Error | Level::Fatal))
        || error_words().is_match(&record.msg())
}

/// The message with variable parts replaced by `<*>`.
pub fn message_template(message: &str) -> String {
    variable_parts()
        .replace_all(message.trim(), "<*>")
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_fold_variable_parts() {
        assert_eq!(
            message_template(r#"connect ECONNREFUSED 127.0.0.1:8090 for "ctx" at /home/u/x.js"#),
            "connect ECONNREFUSED <*>.<*>.<*>.<*>:<*> for <*> at <*>"
        );
        assert_eq!(message_template("spawn npx ENOENT"), "spawn npx ENOENT");
    }

    #[test]
    fn error_words_beside_non_ascii_text() {
        // ASCII word edges: an accented letter is not a word character.
        assert!(error_words().is_match("échec: error in “config”"));
        assert!(!error_words().is_match("isError: false, «terror»x"));
    }

    #[test]
    fn error_words_found_and_not() {
        let errors = [
            "spawn npx ENOENT",
            "Connection failed",
            "Traceback (most recent call last):",
            "exited with code 1",
        ];
        let not_errors = [
            "Server started and connected successfully",
            "exited with code 0",
            "Initializing server...",
        ];
        for message in errors {
            assert!(error_words().is_match(message), "{message}");
        }
        for message in not_errors {
            assert!(!error_words().is_match(message), "{message}");
        }
    }
}
