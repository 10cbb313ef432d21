//! Tar archives (`bundle.tar`, the content of `bundle.tar.gz` / `.tgz`):
//! lists the headers (GNU long names and PAX paths included) and gives each
//! member, through [`super::archive`], as a slice of the archive's bytes.
//!
//! A tar file is read where it is; the tar inside a gzip stream is spooled
//! once (in memory while small, else in a temporary file) so its members can
//! be read at any offset. An archive cut short keeps the members before the
//! cut (the last one cut with a note) and reports the rest as skipped; a
//! damaged header ends the listing with an error naming the archive. This
//! module never copies a member's bytes and never writes to disk.

use std::io::Read;

use super::archive::{self, Archive, Entry, EntryKind, MemberBytes, Members};
use super::bytes::ByteSource;
use super::io_message;
use super::read::{Blob, Reader};

/// Where a member's bytes are in the archive.
#[derive(Clone, Copy)]
struct Extent {
    start: u64,
    len: u64,
}

/// Reads every member of the tar archive in `blob`.
pub(crate) fn read(reader: &mut Reader<'_>, blob: &Blob) {
    let corrupt = |why: String, cut: &Option<String>| archive::corrupt("tar", &why, cut.as_deref());
    let (view, cut) = match reader.seekable(blob) {
        Ok(v) => v,
        Err(e) => return reader.error(blob.display.clone(), corrupt(io_message(&e), &None)),
    };
    let (entries, extents, failure) = match view.random() {
        Some(Ok(at)) => list(at),
        Some(Err(e)) => (Vec::new(), Vec::new(), Some(io_message(&e))),
        None => (Vec::new(), Vec::new(), Some("cannot seek".to_string())),
    };
    if entries.is_empty() {
        if let Some(e) = failure {
            return reader.error(blob.display.clone(), corrupt(e, &cut));
        }
    }
    let count = entries.len();
    let len = view.seek_len().unwrap_or(0);
    let archive = Archive { blob, len, cut };
    archive::read_all(
        reader,
        &archive,
        entries,
        &mut TarMembers {
            bytes: view,
            len,
            cut: archive.cut.clone(),
            extents,
        },
    );
    if let Some(e) = failure {
        let message = match &archive.cut {
            Some(cut) => format!("archive cut short ({cut}); members after the first {count} are skipped"),
            None => format!("the tar archive is truncated or corrupt after {count} members ({e}); the rest is skipped"),
        };
        reader.error(blob.display.clone(), message);
    }
}

/// The entries of the archive with their extents, and the error that ended
/// the listing early, if any.
fn list(bytes: impl Read) -> (Vec<Entry>, Vec<Extent>, Option<String>) {
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

struct TarMembers {
    bytes: ByteSource,
    /// Length of the archive's bytes.
    len: u64,
    /// Why the archive was cut, if it was.
    cut: Option<String>,
    extents: Vec<Extent>,
}

impl Members for TarMembers {
    fn source(&mut self, entry: &Entry) -> Result<MemberBytes, String> {
        let Some(ext) = self.extents.get(entry.index).copied() else {
            return Err("member not found; skipped".to_string());
        };
        let avail = self.len.saturating_sub(ext.start).min(ext.len);
        let cut = (avail < ext.len).then(|| {
            self.cut.clone().unwrap_or_else(|| {
                format!(
                    "the member is corrupt or truncated after {avail} bytes \
                     (the archive ends inside this member)"
                )
            })
        });
        if avail == 0 && ext.len > 0 {
            return Err("corrupt member: the archive ends inside this member; skipped".to_string());
        }
        Ok(MemberBytes {
            source: self.bytes.slice(ext.start, avail),
            size: ext.len,
            cut,
        })
    }
}
