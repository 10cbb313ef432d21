//! Tar archives (`bundle.tar`, the content of `bundle.tar.gz` / `.tgz`):
//! lists the headers (GNU long names and PAX paths included) and hands each
//! member's bytes, sliced from the archive in memory, to [`super::archive`].
//!
//! An archive cut short keeps the members before the cut (the last one cut
//! with a note) and reports the rest as skipped; a damaged header ends the
//! listing with an error naming the archive. This module never copies more
//! than the cap it is given and never writes to disk.

use std::io;

use super::archive::{self, Entry, EntryKind, Members};
use super::io_message;
use super::read::{Blob, Capped, Reader};

/// Where a member's bytes are in the archive.
#[derive(Clone, Copy)]
struct Extent {
    start: u64,
    len: u64,
}

/// Reads every member of the tar archive in `blob`.
pub(crate) fn read(reader: &mut Reader<'_>, blob: &Blob) {
    let (entries, extents, failure) = list(&blob.bytes);
    if entries.is_empty() {
        if let Some(e) = failure {
            let mut message = format!("corrupt tar archive: {e}");
            if let Some(cut) = &blob.cut {
                message.push_str(&format!(" (the archive was cut short: {cut})"));
            }
            return reader.error(blob.display.clone(), message);
        }
    }
    let count = entries.len();
    archive::read_all(
        reader,
        blob,
        entries,
        &mut TarMembers {
            bytes: &blob.bytes,
            extents,
        },
    );
    if let Some(e) = failure {
        let message = match &blob.cut {
            Some(cut) => format!("archive cut short ({cut}); members after the first {count} are skipped"),
            None => format!("the tar archive is truncated or corrupt after {count} members ({e}); the rest is skipped"),
        };
        reader.error(blob.display.clone(), message);
    }
}

/// The entries of the archive with their extents, and the error that ended
/// the listing early, if any.
fn list(bytes: &[u8]) -> (Vec<Entry>, Vec<Extent>, Option<String>) {
    let mut entries = Vec::new();
    let mut extents = Vec::new();
    let mut ar = ::tar::Archive::new(bytes);
    let iter = match ar.entries() {
        Ok(iter) => iter,
        Err(e) => return (entries, extents, Some(io_message(&e))),
    };
    for item in iter {
        let e = match item {
            Ok(e) => e,
            Err(e) => return (entries, extents, Some(io_message(&e))),
        };
        let ty = e.header().entry_type();
        let kind = if ty.is_file() || ty.is_contiguous() {
            EntryKind::File
        } else if ty.is_dir() || ty.is_pax_global_extensions() {
            EntryKind::Dir
        } else if ty.is_symlink() {
            let target = e
                .link_name_bytes()
                .map(|t| String::from_utf8_lossy(&t).into_owned());
            EntryKind::Symlink(target)
        } else if ty.is_hard_link() {
            EntryKind::Skip("hard link member".to_string())
        } else if ty.is_gnu_sparse() {
            EntryKind::Skip("sparse file member (not supported)".to_string())
        } else if ty.is_character_special() || ty.is_block_special() || ty.is_fifo() {
            EntryKind::Skip("device or pipe member".to_string())
        } else {
            EntryKind::Skip(format!("unknown member type `{}`", ty.as_byte() as char))
        };
        entries.push(Entry {
            index: extents.len(),
            raw_name: String::from_utf8_lossy(&e.path_bytes()).into_owned(),
            kind,
            compressed: None,
        });
        extents.push(Extent {
            start: e.raw_file_position(),
            len: e.size(),
        });
    }
    (entries, extents, None)
}

struct TarMembers<'a> {
    bytes: &'a [u8],
    extents: Vec<Extent>,
}

impl Members for TarMembers<'_> {
    fn read(&mut self, entry: &Entry, cap: u64) -> Result<Capped, String> {
        let Some(ext) = self.extents.get(entry.index).copied() else {
            return Err("member not found; skipped".to_string());
        };
        let start = usize::try_from(ext.start).unwrap_or(usize::MAX);
        let data = self.bytes.get(start..).unwrap_or_default();
        let len = usize::try_from(ext.len).unwrap_or(usize::MAX);
        let keep = usize::try_from(cap).unwrap_or(usize::MAX).min(len);
        let bytes = data.get(..keep).unwrap_or(data).to_vec();
        let truncated = ext.len > cap;
        let short = bytes.len() < keep;
        Ok(Capped {
            truncated: truncated && !short,
            error: short.then(|| {
                io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the archive ends inside this member",
                )
            }),
            bytes,
        })
    }
}
