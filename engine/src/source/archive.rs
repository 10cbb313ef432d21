//! What zip and tar readers share: the list of members, read in sorted
//! order under the caps, each handed back to [`Reader::blob`] as
//! `archive!member`.
//!
//! A format reader lists its [`Entry`]s and reads one member's bytes on
//! request ([`Members`]); this module sorts, skips directories, reports
//! links and unsupported members, applies the per-source, total and
//! compression-ratio caps (per member, and over the whole archive so that
//! overlapping members cannot multiply a bomb) and names every error
//! `archive!member`. It never holds more than one member's capped bytes and
//! never writes to disk.

use super::read::{Blob, Capped, Reader};
use super::{io_message, member_path};
use crate::decode::human_bytes;
use crate::text::Note;

/// One member as listed by the archive.
pub(crate) struct Entry {
    /// Position in the archive, for [`Members::read`].
    pub(crate) index: usize,
    /// The name as stored (lossily decoded).
    pub(crate) raw_name: String,
    pub(crate) kind: EntryKind,
    /// Compressed size, for the ratio cap; `None` when stored as is (tar).
    pub(crate) compressed: Option<u64>,
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

/// Reads one member's bytes.
pub(crate) trait Members {
    /// At most `cap` bytes (plus one, to tell a cut) of `entry`, or why the
    /// member cannot be opened.
    fn read(&mut self, entry: &Entry, cap: u64) -> Result<Capped, String>;
}

/// Reads every entry of `archive` (whose format reader is `members`) in
/// sorted order of normalised name.
pub(crate) fn read_all(
    reader: &mut Reader<'_>,
    archive: &Blob,
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
    sorted.sort_by(|a, b| a.0.cmp(&b.0).then(a.2.index.cmp(&b.2.index)));
    let compressed = sorted.iter().any(|(_, _, e)| e.compressed.is_some());
    // The whole archive may not expand by more than the ratio either.
    let mut budget = compressed.then(|| reader.ratio_cap(archive.bytes.len() as u64));
    let files = sorted
        .iter()
        .filter(|(_, _, e)| matches!(e.kind, EntryKind::File))
        .count();
    let mut seen = 0usize;
    for (name, changed, entry) in &sorted {
        let display = format!("{}!{name}", archive.display);
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
        if reader.cap().bytes() == 0 {
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
            cap = cap.or_ratio(reader.ratio_cap(n));
        }
        if let Some(left) = budget {
            cap = cap.or_ratio(left);
        }
        if cap.bytes() == 0 {
            let why = format!(
                "the archive's compression ratio cap ({}:1) was reached \
                 (a possible decompression bomb)",
                reader.limits.max_ratio
            );
            return reader.error(display, skipped_with(why, files - seen));
        }
        let read = match members.read(entry, cap.bytes()) {
            Ok(read) => read,
            Err(why) => {
                reader.error(display, why);
                continue;
            }
        };
        if let Some(left) = &mut budget {
            *left = left.saturating_sub(read.bytes.len() as u64);
        }
        let cut = match (&read.error, read.truncated) {
            (Some(e), _) if read.bytes.is_empty() => {
                reader.error(
                    display,
                    format!("corrupt member: {}; skipped", io_message(e)),
                );
                continue;
            }
            (Some(_), _) if archive.cut.is_some() => archive.cut.clone(),
            (Some(e), _) => Some(format!(
                "the member is corrupt or truncated after {} bytes ({})",
                read.bytes.len(),
                io_message(e)
            )),
            (None, true) => Some(cap.reason(reader.limits)),
            (None, false) => None,
        };
        let mut notes = Vec::new();
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
            bytes: read.bytes,
            cut,
            decompressed: true,
            depth: archive.depth.saturating_add(1),
            notes,
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
