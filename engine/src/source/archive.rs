//! What zip and tar readers share: the list of members, taken in sorted
//! order under the caps, each handed back to [`Reader::blob`] as
//! `archive!member`.
//!
//! A format reader lists its [`Entry`]s and gives one member's bytes as a
//! [`ByteSource`] on request ([`Members`]); this module sorts, skips
//! directories, reports links and unsupported members, applies the
//! per-source, total and compression-ratio caps (per member, and the
//! decompression budget of the top-level input, shared by every archive
//! nested in it, so that neither overlapping nor nested members can multiply
//! a bomb: each member is charged its declared size, which its reader never
//! exceeds) and names every error `archive!member`. It never reads a
//! member's bytes itself and never writes to disk.

use super::bytes::ByteSource;
use super::member_path;
use super::read::{Blob, Cap, Reader};
use super::Origin;
use crate::decode::human_bytes;
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

/// The archive being read: its blob and why its bytes were cut, if they were.
pub(crate) struct Archive<'b> {
    pub(crate) blob: &'b Blob,
    pub(crate) cut: Option<String>,
}

/// The message for a damaged `kind` archive (`tar`, `zip`): why, and that it
/// was cut short when it was.
pub(crate) fn corrupt(kind: &str, why: &str, cut: Option<&str>) -> String {
    match cut {
        Some(cut) => format!("corrupt {kind} archive: {why} (the archive was cut short: {cut})"),
        None => format!("corrupt {kind} archive: {why}"),
    }
}

/// Reads every entry of `archive` (whose format reader is `members`) in
/// sorted order of normalised name.
pub(crate) fn read_all(
    reader: &mut Reader<'_>,
    archive: &Archive<'_>,
    entries: Vec<Entry>,
    members: &mut impl Members,
) {
    let mut sorted: Vec<(String, bool, Entry)> = entries
        .into_iter()
        .map(|e| {
            let (name, changed) = member_path::normalise(&e.raw_name);
            (name, changed, e)
        })
        .collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0).then(a.2.order.cmp(&b.2.order)));
    let mut repeats = std::collections::HashMap::<String, usize>::new();
    let files = sorted
        .iter()
        .filter(|(_, _, e)| matches!(e.kind, EntryKind::File))
        .count();
    let mut seen = 0usize;
    for (name, changed, entry) in &sorted {
        if matches!(entry.kind, EntryKind::Dir) {
            continue;
        }
        // Members of the same (normalised) name are all read, the later ones
        // named `name (2)`, `name (3)`, ... in the order the archive lists them.
        let nth = {
            let n = repeats.entry(name.clone()).or_insert(0);
            *n += 1;
            *n
        };
        let display = match nth {
            1 => format!("{}!{name}", archive.blob.display),
            n => format!("{}!{name} ({n})", archive.blob.display),
        };
        match &entry.kind {
            EntryKind::Dir => continue,
            EntryKind::Symlink(target) => {
                let message = match target {
                    Some(t) => format!("symbolic link member (to `{t}`); skipped"),
                    None => "symbolic link member; skipped".to_string(),
                };
                reader.error(display, message);
                continue;
            }
            EntryKind::Skip(why) => {
                reader.error(display, format!("{why}; skipped"));
                continue;
            }
            EntryKind::File => seen += 1,
        }
        if reader.total_spent() {
            let why = format!(
                "the total input cap ({}) was reached",
                human_bytes(reader.limits.max_total_bytes)
            );
            return reader.error(display, skipped_with(why, files - seen));
        }
        // The total cap applies when the member is decoded: a nested
        // archive is read whole (up to the per-source cap).
        let mut cap = reader.read_cap();
        if let Some(n) = entry.compressed {
            cap = Cap::tighter(cap, Some(Cap::Ratio(reader.ratio_cap(n))));
        }
        if entry.compressed.is_some() {
            // Decompressed here: charged to the top-level input's budget.
            cap = Cap::tighter(cap, reader.budget_cap());
        }
        if cap.is_some_and(|c| c.bytes() == 0) {
            let why = match cap {
                Some(Cap::Budget(_)) => reader.budget_spent(),
                Some(c) => reader.reason(c),
                None => String::new(),
            };
            return reader.error(display, skipped_with(why, files - seen));
        }
        let bytes = match members.source(entry) {
            Ok(b) => b,
            Err(why) => {
                reader.error(display, why);
                continue;
            }
        };
        if entry.compressed.is_some() {
            reader.charge(cap.map_or(bytes.size, |c| c.bytes().min(bytes.size)));
        }
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
        if *changed {
            notes.push(Note::new(
                None,
                format!(
                    "archive member `{}` is shown as `{name}` (member paths are made relative)",
                    entry.raw_name
                ),
            ));
        }
        reader.blob(Blob {
            display,
            hint: name.clone(),
            source: bytes.source,
            limit: cap,
            cut: bytes.cut,
            origin: Origin::Member {
                outer_cut: archive.cut.clone(),
            },
            depth: archive.blob.depth.saturating_add(1),
            notes,
            uncharged: false,
        });
    }
}

/// `why; skipped`, with the count of later members skipped with it.
fn skipped_with(why: String, later: usize) -> String {
    match later {
        0 => format!("{why}; skipped"),
        1 => format!("{why}; skipped with 1 later member"),
        n => format!("{why}; skipped with {n} later members"),
    }
}
