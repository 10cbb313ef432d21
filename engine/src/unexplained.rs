//! Unexplained errors: error-looking records that no finding covers, grouped by
//! message template (DESIGN §5), so the reader sees what the rules did not explain.
//!
//! What is error-looking and what a message's template is are `error_like`'s
//! (the stream uses them too); this module groups, counts and cuts, into the
//! report's [`Unexplained`] values. It never decides a cause.

use std::collections::HashMap;

use crate::error_like::{is_error_like, message_template};
use crate::event::EventRef;
use crate::parse::ParsedSource;
use crate::redact::redact;
use crate::report::schema::Unexplained;

/// At most this many groups are reported.
pub const MAX_GROUPS: usize = 20;
const MAX_TEXT: usize = 300;

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
    for (source_index, source) in sources.iter().enumerate() {
        let covered = matched.get(source_index).map(Vec::as_slice).unwrap_or(&[]);
        for event in &source.events {
            if covered.binary_search(&event.seq).is_ok() {
                continue;
            }
            let record = EventRef {
                event,
                source_text: &source.text.text,
                format: source.format,
            };
            if is_error_like(&record) {
                groups.add(&source.text.path, event.span.line, &record.msg());
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
        self.add_counted(
            message_template(first_line),
            path,
            line,
            &short(first_line),
            count,
        );
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
        let mut keys: Vec<(usize, String)> = other
            .index
            .into_iter()
            .map(|(key, position)| (position, key))
            .collect();
        keys.sort_unstable();
        for (position, key) in keys {
            if let Some(group) = other.groups.get(position) {
                self.add_counted(key, &group.path, group.line, &group.text, group.count);
            }
        }
    }

    fn add_counted(&mut self, key: String, path: &str, line: u32, text: &str, count: u32) {
        match self.index.get(&key) {
            Some(&position) => {
                if let Some(group) = self.groups.get_mut(position) {
                    group.count = group.count.saturating_add(count);
                    // Groups merged out of order (a stream's kept records, then its
                    // other error lines) still show their first record.
                    if group.path == path && line < group.line {
                        group.line = line;
                        group.text = text.to_string();
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
        groups.sort_by_key(|group| std::cmp::Reverse(group.count));
        groups.truncate(MAX_GROUPS);
        if redact_text {
            for group in &mut groups {
                group.text = redact(&group.text).into_owned();
            }
        }
        groups
    }
}

/// `line` cut to [`MAX_TEXT`] bytes (at a character boundary) with `…`.
fn short(line: &str) -> String {
    if line.len() <= MAX_TEXT {
        return line.to_string();
    }
    let mut end = MAX_TEXT;
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &line[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merged_groups_show_their_first_record() {
        let mut later = Groups::default();
        later.add("a.log", 900, "connect ECONNREFUSED 10.0.0.1:80");
        let mut earlier = Groups::default();
        earlier.add("a.log", 12, "connect ECONNREFUSED 10.0.0.2:81");
        later.extend(earlier);
        let groups = later.finish(false);
        assert_eq!((groups[0].line, groups[0].count), (12, 2));
        assert_eq!(groups[0].text, "connect ECONNREFUSED 10.0.0.2:81");
    }
}
