//! What a streamed source tells the report besides its findings: its line
//! count, its notes and its unexplained-error groups. Filled by the stream as
//! batches are read; read by the report once the stream is exhausted.
//!
//! This module never reads the file and never decides a cause.

use crate::text::{Encoding, Note};
use crate::unexplained::Groups;

/// Error words searched for in streamed files (lower-case literals): a line
/// holding none of them is never an unexplained error. The streamed view of
/// [`crate::unexplained::is_error_like`], whose `E[A-Z]{3,}` codes and
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

/// Most notes kept per source; later ones are counted.
const MAX_NOTES: usize = 50;
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
    pub unexplained: Groups,
    /// Error records of templates past [`MAX_TEMPLATES`] or after [`MAX_GROUPED`].
    pub dropped_errors: u64,
    /// Error records grouped so far.
    pub grouped: u64,
}

impl Summary {
    pub fn new(path: &str, encoding: Encoding) -> Summary {
        Summary {
            path: path.to_string(),
            encoding,
            bytes: 0,
            lines: 0,
            notes: Vec::new(),
            dropped_notes: 0,
            unexplained: Groups::default(),
            dropped_errors: 0,
            grouped: 0,
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

    /// Adds the unexplained groups of one chunk (in input order).
    pub fn add_errors(&mut self, groups: Groups, records: u64) {
        self.grouped += records;
        if self.unexplained.len() >= MAX_TEMPLATES {
            self.dropped_errors += records;
            return;
        }
        self.unexplained.extend(groups);
    }

    /// The notes as the report lists them, with a last note for what was not kept.
    pub fn report_notes(&self) -> Vec<Note> {
        let mut out = vec![Note::new(
            None,
            "read as a stream: only records holding a rule literal or an error word were parsed; the record count is the line count",
        )];
        out.extend(self.notes.iter().cloned());
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
                    "{} error records not grouped in unexplained errors (only the first {MAX_GROUPED}, and at most {MAX_TEMPLATES} distinct messages, are)",
                    self.dropped_errors
                ),
            ));
        }
        out
    }
}
