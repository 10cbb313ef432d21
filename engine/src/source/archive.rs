//! What a zip or tar format reader hands back, and how its members are
//! named: the vocabulary between [`super::zip`] / [`super::tar`] and
//! `read.rs`.
//!
//! A format reader lists its [`Entry`]s and gives one member's bytes as a
//! [`ByteSource`] on request ([`Members`]), together as a [`Listing`] with
//! the errors that name the archive itself. [`in_order`] sorts the entries
//! by normalised name, leaves directories out and names every member
//! `archive!member` (a later member of the same name `archive!member (2)`),
//! with the notes that say so.
//!
//! What becomes of each member (the caps, the decompression budget, nested
//! containers, errors) is decided by `read.rs`. This module never reads a
//! member's bytes, never applies a cap, never calls back into the reader and
//! never writes to disk.

use std::collections::HashMap;

use super::bytes::ByteSource;
use super::member_path;
use crate::text::Note;

/// One member as listed by the archive.
pub(crate) struct Entry {
    /// Position in the archive, for [`Members::source`].
    pub(crate) index: usize,
    /// The name as stored (lossily decoded).
    pub(crate) raw_name: String,
    pub(crate) kind: EntryKind,
    /// Compressed size, for the ratio cap; `None` when stored as is (tar).
    pub(crate) compressed: Option<u64>,
    /// Where the archive lists it (members of the same name keep this order).
    pub(crate) order: u64,
}

/// What a member is.
pub(crate) enum EntryKind {
    File,
    /// Directories and metadata entries: skipped silently.
    Dir,
    /// A symbolic link: skipped with an error naming it.
    Symlink(Option<String>),
    /// Anything else that cannot be read; the message says why.
    Skip(String),
}

impl EntryKind {
    /// Why a member of this kind is skipped with an error (a link, an
    /// unsupported member); `None` for a file (read) and a directory
    /// (skipped silently).
    pub(crate) fn skip_message(&self) -> Option<String> {
        match self {
            EntryKind::File | EntryKind::Dir => None,
            EntryKind::Symlink(Some(target)) => {
                Some(format!("symbolic link member (to `{target}`); skipped"))
            }
            EntryKind::Symlink(None) => Some("symbolic link member; skipped".to_string()),
            EntryKind::Skip(why) => Some(format!("{why}; skipped")),
        }
    }
}

/// A member's bytes.
pub(crate) struct MemberBytes {
    pub(crate) source: ByteSource,
    /// Its declared (uncompressed) size: what it may add to the archive's budget.
    pub(crate) size: u64,
    /// Why it ends early, when the listing shows it does (a tar cut inside it).
    pub(crate) cut: Option<String>,
}

/// Gives one member's bytes.
pub(crate) trait Members {
    /// The bytes of `entry`, or why the member cannot be opened.
    fn source(&mut self, entry: &Entry) -> Result<MemberBytes, String>;
}

/// What a format reader found in one archive.
pub(crate) struct Listing {
    /// Every entry, in the order the archive lists them.
    pub(crate) entries: Vec<Entry>,
    /// Gives the bytes of each entry.
    pub(crate) members: Box<dyn Members>,
    /// Errors naming the archive, reported before its members (damaged
    /// stretches of a tar skipped to the next header).
    pub(crate) errors_before: Vec<String>,
    /// An error naming the archive, reported after its members (the listing
    /// ended early: the rest of the archive is skipped).
    pub(crate) error_after: Option<String>,
}

/// The message for a damaged `kind` archive (`tar`, `zip`): why, and that it
/// was cut short when it was.
pub(crate) fn corrupt(kind: &str, why: &str, cut: Option<&str>) -> String {
    match cut {
        Some(cut) => format!("corrupt {kind} archive: {why} (the archive was cut short: {cut})"),
        None => format!("corrupt {kind} archive: {why}"),
    }
}

/// One member in reading order, with the name it is shown under.
pub(crate) struct NamedEntry {
    /// The normalised member path (`logs/mcp.log`): the name formats are
    /// detected by.
    pub(crate) name: String,
    /// The path shown to users: `archive!name`, or `archive!name (n)` for
    /// the n-th member of that name.
    pub(crate) display: String,
    pub(crate) entry: Entry,
    /// Notes for the source the member becomes (a repeated name, a path made
    /// relative).
    pub(crate) notes: Vec<Note>,
}

/// The entries of the archive shown as `archive_display`, directories left
/// out, in sorted order of normalised name (members of the same name in the
/// order the archive lists them), each named and noted.
pub(crate) fn in_order(archive_display: &str, entries: Vec<Entry>) -> Vec<NamedEntry> {
    let mut sorted: Vec<(String, bool, Entry)> = entries
        .into_iter()
        .filter(|entry| !matches!(entry.kind, EntryKind::Dir))
        .map(|entry| {
            let (name, changed) = member_path::normalise(&entry.raw_name);
            (name, changed, entry)
        })
        .collect();
    sorted.sort_by(|left, right| left.0.cmp(&right.0).then(left.2.order.cmp(&right.2.order)));
    let mut repeats = HashMap::<String, usize>::new();
    sorted
        .into_iter()
        .map(|(name, changed, entry)| {
            // Members of the same (normalised) name are all read, the later
            // ones named `name (2)`, `name (3)`, ... in the order the archive
            // lists them.
            let nth = {
                let seen = repeats.entry(name.clone()).or_insert(0);
                *seen += 1;
                *seen
            };
            let display = match nth {
                1 => format!("{archive_display}!{name}"),
                nth => format!("{archive_display}!{name} ({nth})"),
            };
            let mut notes = Vec::new();
            if nth > 1 {
                notes.push(Note::new(
                    None,
                    format!(
                        "the archive holds more than one member named `{name}`: this is number \
                         {nth} in the order the archive lists them, shown as `{name} ({nth})`"
                    ),
                ));
            }
            if changed {
                notes.push(Note::new(
                    None,
                    format!(
                        "archive member `{}` is shown as `{name}` (member paths are made relative)",
                        entry.raw_name
                    ),
                ));
            }
            NamedEntry {
                name,
                display,
                entry,
                notes,
            }
        })
        .collect()
}

/// `why; skipped`, with the count of later members skipped with it.
pub(crate) fn skipped_with(why: String, later: usize) -> String {
    match later {
        0 => format!("{why}; skipped"),
        1 => format!("{why}; skipped with 1 later member"),
        count => format!("{why}; skipped with {count} later members"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(index: usize, raw_name: &str, kind: EntryKind) -> Entry {
        Entry {
            index,
            raw_name: raw_name.to_string(),
            kind,
            compressed: None,
            order: index as u64,
        }
    }

    #[test]
    fn members_come_sorted_without_directories_and_repeats_are_numbered() {
        let named = in_order(
            "b.zip",
            vec![
                entry(0, "z.log", EntryKind::File),
                entry(1, "logs/", EntryKind::Dir),
                entry(2, "/a.log", EntryKind::File),
                entry(3, "z.log", EntryKind::Symlink(None)),
            ],
        );
        let shown: Vec<(&str, usize, usize)> = named
            .iter()
            .map(|member| {
                (
                    member.display.as_str(),
                    member.entry.index,
                    member.notes.len(),
                )
            })
            .collect();
        assert_eq!(
            shown,
            [
                ("b.zip!a.log", 2, 1),
                ("b.zip!z.log", 0, 0),
                ("b.zip!z.log (2)", 3, 1)
            ]
        );
        assert_eq!(
            named[2].entry.kind.skip_message().as_deref(),
            Some("symbolic link member; skipped")
        );
        assert_eq!(named[0].entry.kind.skip_message(), None);
    }

    #[test]
    fn skipped_members_are_counted() {
        assert_eq!(skipped_with("cap".into(), 0), "cap; skipped");
        assert_eq!(
            skipped_with("cap".into(), 1),
            "cap; skipped with 1 later member"
        );
        assert_eq!(
            skipped_with("cap".into(), 3),
            "cap; skipped with 3 later members"
        );
    }
}
