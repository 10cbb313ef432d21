//! What a streamed source tells the report besides its findings: its line
//! count, its notes, why it ended early, and its error-looking records (those
//! no finding explains are the unexplained errors). Filled by the stream as
//! batches are read; read by the report once the stream is exhausted.
//!
//! Error-looking records the stream kept for the matcher are remembered as
//! [`Pending`]: their line, their template, and the text of the first few of
//! each template, so the report can group those that no finding bound, as it
//! does for a source read whole, in memory bounded by [`MAX_GROUPED`].
//!
//! This module never reads the source and never decides a cause.

use std::collections::HashMap;

use crate::error_like::message_template;
use crate::parse::MAX_NOTES;
use crate::text::{Encoding, Note};

/// Error words searched for in streamed files (lower-case literals): a line
/// holding none of them is never an unexplained error. The streamed view of
/// [`crate::error_like::is_error_like`], whose `E[A-Z]{3,}` codes and
/// level-only errors are only seen on records some other literal selected.
pub const ERROR_WORDS: &[&str] = &[
    "error",
    "errno",
    "fail",
    "fatal",
    "exception",
    "traceback",
    "panic",
    "refused",
    "denied",
    "timed out",
    "killed",
    "segfault",
    "cannot",
    "could not",
    "unable to",
    "exited with code",
];

/// Most unexplained templates kept per source; records of later new templates are counted.
const MAX_TEMPLATES: usize = 10_000;
/// Error records grouped per source; later ones are counted, not grouped (grouping
/// costs two regex passes per record, and the first ones show the kinds of errors).
pub const MAX_GROUPED: u64 = 100_000;

/// See the module docs.
#[derive(Debug)]
pub struct Summary {
    pub path: String,
    pub encoding: Encoding,
    /// Bytes read so far.
    pub bytes: u64,
    /// Lines read so far (the record count reported for a streamed source).
    pub lines: u64,
    pub notes: Vec<Note>,
    /// Notes not kept (over [`MAX_NOTES`]).
    pub dropped_notes: u64,
    /// Error records of templates past [`MAX_TEMPLATES`] or after [`MAX_GROUPED`].
    pub dropped_errors: u64,
    /// Error records grouped so far (pending ones included).
    pub grouped: u64,
    /// Error records it may group (see [`MAX_GROUPED`]).
    pub max_grouped: u64,
    /// Why the source ended early, if it did (its bytes were cut back to a line end).
    pub cut: Option<String>,
    /// Error-looking records kept for the matcher.
    pub pending: Pending,
}

/// Texts kept per template of pending records (the first unmatched one is the group's text).
const TEXTS_PER_TEMPLATE: usize = 2;
/// Bytes kept of each such text (groups show 300, and must see that there is more).
const TEXT_BYTES: usize = 320;

/// Records per block of [`Pending::records`].
const BLOCK: usize = 4096;

/// Error-looking records kept for the matcher, in input order.
#[derive(Debug, Default)]
pub struct Pending {
    /// `(line, template)` of each record (its line is its `seq`), in blocks of [`BLOCK`] (so a
    /// long list never moves: no large buffer freed and taken again).
    records: Vec<Vec<(u32, u32)>>,
    /// Per template: the `(line, first message line)` of its first records.
    templates: Vec<Vec<(u32, String)>>,
    /// Template of each message template's hash (the template itself may be long).
    index: HashMap<u64, u32>,
}

/// What [`Pending`] keeps of an error-looking record, worked out where the
/// record was parsed (in parallel): its message's first line and the hash of
/// its template.
#[derive(Debug)]
pub struct ErrorRecord {
    /// Its first line number (a streamed record's `seq`).
    pub line: u32,
    pub key: u64,
    pub first: String,
}

impl ErrorRecord {
    /// A record past the grouping budget: only counted, so nothing is worked out.
    pub fn counted(line: u32) -> ErrorRecord {
        ErrorRecord {
            line,
            key: 0,
            first: String::new(),
        }
    }

    pub fn new(line: u32, msg: &str) -> ErrorRecord {
        let first = msg.lines().next().unwrap_or("");
        let key = {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            message_template(first).hash(&mut h);
            h.finish()
        };
        let mut end = first.len().min(TEXT_BYTES);
        while !first.is_char_boundary(end) {
            end -= 1;
        }
        ErrorRecord {
            line,
            key,
            first: first.get(..end).unwrap_or("").to_string(),
        }
    }
}

/// The error-looking records of one template that no finding bound: the
/// first one's line and kept text, and how many (see [`Pending::unmatched`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnmatchedErrors<'a> {
    pub line: u32,
    pub text: &'a str,
    pub count: u32,
}

impl Pending {
    /// Remembers a record; `false` when it opens a template past [`MAX_TEMPLATES`].
    fn add_record(&mut self, r: ErrorRecord) -> bool {
        let ErrorRecord { line, key, first } = r;
        let t = match self.index.get(&key) {
            Some(&t) => t,
            None if self.templates.len() >= MAX_TEMPLATES => return false,
            None => {
                let t = u32::try_from(self.templates.len()).unwrap_or(u32::MAX);
                self.index.insert(key, t);
                self.templates.push(Vec::new());
                t
            }
        };
        if let Some(texts) = self.templates.get_mut(t as usize) {
            if texts.len() < TEXTS_PER_TEMPLATE {
                texts.push((line, first));
            }
        }
        match self.records.last_mut() {
            Some(block) if block.len() < BLOCK => block.push((line, t)),
            last => {
                // The first block grows as needed (most sources hold a few records).
                let mut block = match last {
                    Some(_) => Vec::with_capacity(BLOCK),
                    None => Vec::new(),
                };
                block.push((line, t));
                self.records.push(block);
            }
        }
        true
    }

    /// Frees what only adding needed, once the stream has ended (a scan of
    /// many small files holds one `Pending` per file until the report).
    pub fn finished(&mut self) {
        self.index = HashMap::new();
        for block in &mut self.records {
            block.shrink_to_fit();
        }
        self.records.shrink_to_fit();
        for texts in &mut self.templates {
            texts.shrink_to_fit();
        }
        self.templates.shrink_to_fit();
    }

    /// The records whose `seq` is not in `matched` (sorted), one entry per
    /// template in order of its first such record, for the unexplained-error
    /// groups. A template whose kept texts all belong to matched records is
    /// shown with the text of its first record.
    pub fn unmatched(&self, matched: &[u32]) -> Vec<UnmatchedErrors<'_>> {
        // The text each template's records are grouped with: its first unmatched kept one.
        let mut shown: Vec<Option<&str>> = vec![None; self.templates.len()];
        // Per template: the first unmatched record's line, its text, and how many.
        let mut acc: Vec<Option<(u32, &str, u32)>> = vec![None; self.templates.len()];
        let mut order: Vec<usize> = Vec::new();
        for &(line, t) in self.records.iter().flatten() {
            if matched.binary_search(&line).is_ok() {
                continue;
            }
            let Some(texts) = self.templates.get(t as usize) else {
                continue;
            };
            let slot = shown.get_mut(t as usize);
            let text = match slot {
                Some(Some(text)) => *text,
                Some(slot) => {
                    let text = texts
                        .iter()
                        .find(|(l, _)| *l == line)
                        .or_else(|| texts.first())
                        .map_or("", |(_, t)| t.as_str());
                    *slot = Some(text);
                    text
                }
                None => continue,
            };
            match acc.get_mut(t as usize) {
                Some(Some((_, _, n))) => *n += 1,
                Some(slot) => {
                    *slot = Some((line, text, 1));
                    order.push(t as usize);
                }
                None => {}
            }
        }
        // One entry per template, in order of first record (as adding them one
        // by one would give, with one template worked out per group).
        order
            .into_iter()
            .filter_map(|t| match acc.get(t) {
                Some(&Some((line, text, count))) => Some(UnmatchedErrors { line, text, count }),
                _ => None,
            })
            .collect()
    }
}

impl Summary {
    /// A summary for a source that may group `max_grouped` error records.
    pub fn new(path: &str, encoding: Encoding, max_grouped: u64) -> Summary {
        Summary {
            path: path.to_string(),
            encoding,
            bytes: 0,
            lines: 0,
            notes: Vec::new(),
            dropped_notes: 0,
            dropped_errors: 0,
            grouped: 0,
            max_grouped,
            cut: None,
            pending: Pending::default(),
        }
    }

    /// Whether as many error records were grouped as may be.
    pub fn budget_spent(&self) -> bool {
        self.grouped >= self.max_grouped
    }

    /// Remembers an error-looking record the stream kept (within the budget).
    pub fn pending(&mut self, r: ErrorRecord) {
        if self.budget_spent() {
            self.dropped_errors += 1;
            return;
        }
        if self.pending.add_record(r) {
            self.grouped += 1;
        } else {
            self.dropped_errors += 1;
        }
    }

    /// Keeps `note` unless an equal message is kept already.
    pub fn note(&mut self, note: Note) {
        if self.notes.iter().any(|n| n.message == note.message) {
            return;
        }
        if self.notes.len() >= MAX_NOTES {
            self.dropped_notes += 1;
            return;
        }
        self.notes.push(note);
    }

    /// The notes as the report lists them, with a last note for what was not kept.
    pub fn report_notes(&self) -> Vec<Note> {
        let mut out: Vec<Note> = self.notes.clone();
        if let Some(why) = &self.cut {
            let lines = u32::try_from(self.lines).unwrap_or(u32::MAX);
            out.push(Note::new(
                Some(lines),
                format!(
                    "input cut short: {why}; kept lines 1-{lines} ({} bytes), the rest is skipped",
                    self.bytes
                ),
            ));
        }
        if self.dropped_notes > 0 {
            out.push(Note::new(
                None,
                format!("{} more notes not shown", self.dropped_notes),
            ));
        }
        if self.dropped_errors > 0 {
            out.push(Note::new(
                None,
                format!(
                    "{} error records (past the budget: lines holding an error word, not parsed) not grouped in unexplained errors (only the first {}, and at most {MAX_TEMPLATES} distinct messages, are)",
                    self.dropped_errors, self.max_grouped
                ),
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pending_records_a_finding_bound_are_not_unexplained() {
        let mut s = Summary::new("x.log", Encoding::Utf8, MAX_GROUPED);
        s.pending(ErrorRecord::new(3, "spawn npx ENOENT"));
        s.pending(ErrorRecord::new(5, "connection refused on port 8080"));
        s.pending(ErrorRecord::new(9, "spawn uvx ENOENT"));
        s.pending(ErrorRecord::new(12, "connection refused on port 9090"));
        // Lines 3 and 12 were bound by a finding.
        let got: Vec<(u32, &str, u32)> = s
            .pending
            .unmatched(&[3, 12])
            .iter()
            .map(|errors| (errors.line, errors.text, errors.count))
            .collect();
        assert_eq!(
            got,
            [
                (5, "connection refused on port 8080", 1),
                (9, "spawn uvx ENOENT", 1)
            ]
        );
        assert_eq!(s.grouped, 4);
    }
}
