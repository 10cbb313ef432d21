//! Tar archives (`bundle.tar`, the content of `bundle.tar.gz` / `.tgz`):
//! lists the headers (GNU long names and PAX paths included) and gives each
//! member as a slice of the archive's bytes, as an [`archive::Listing`] that
//! `read.rs` reads the members of.
//!
//! A tar file is listed where it is; `read.rs` spools the tar inside a gzip
//! stream once (in memory while small, else in a temporary file) so its
//! members can be read at any offset. An archive cut short keeps the members
//! before the cut (the last one cut with a note) and reports the rest as
//! skipped. A zero block or a damaged header inside the archive (where the
//! tar crate stops, as GNU tar warns "A lone zero block") is skipped to the
//! next valid header, the members after it are listed, and an error naming
//! the archive says which bytes were skipped. This module never copies a
//! member's bytes, never decides what becomes of a member (caps, nesting),
//! never calls back into the reader and never writes to disk.

use std::io::Read;

use super::archive::{self, Entry, EntryKind, Listing, MemberBytes, Members};
use super::bytes::ByteSource;
use super::io_message;

/// Where a member's bytes are in the archive.
#[derive(Clone, Copy)]
struct Extent {
    start: u64,
    len: u64,
}

/// Lists the tar archive in `view` (whose bytes were cut for `cut`, if they
/// were), or says why it cannot be read (an error naming the archive: it
/// lists no member).
pub(crate) fn list(view: ByteSource, cut: Option<&str>) -> Result<Listing, String> {
    let len = view.seek_len().unwrap_or(0);
    let Headers {
        entries,
        extents,
        failure,
        skipped,
    } = headers(&view, len);
    if entries.is_empty() {
        if let Some(why) = failure {
            return Err(archive::corrupt("tar", &why, cut));
        }
    }
    let count = entries.len();
    let errors_before = skipped
        .into_iter()
        .map(|(from, to)| {
            format!(
                "{} bytes at offsets {from}-{to} of the tar archive are not a member (a zero \
                 block or a damaged header inside the archive: GNU tar says \"A lone zero \
                 block\"; the member whose header it was is lost); skipped, the members after \
                 them were read",
                to - from
            )
        })
        .collect();
    let error_after = failure.map(|why| match cut {
        Some(cut) => {
            format!("archive cut short ({cut}); members after the first {count} are skipped")
        }
        None => format!(
            "the tar archive is truncated or corrupt after {count} members ({why}); the rest \
             is skipped"
        ),
    });
    Ok(Listing {
        entries,
        members: Box::new(TarMembers {
            bytes: view,
            len,
            cut: cut.map(str::to_string),
            extents,
        }),
        errors_before,
        error_after,
    })
}

/// What the headers of an archive list.
#[derive(Default)]
struct Headers {
    entries: Vec<Entry>,
    extents: Vec<Extent>,
    /// The error that ended the listing early, if any.
    failure: Option<String>,
    /// Byte ranges between members that hold no member (a zero block or a
    /// damaged header inside the archive), skipped to the next valid header.
    skipped: Vec<(u64, u64)>,
}

/// Most damaged stretches skipped in one archive before the rest is given up.
const MAX_SKIPS: usize = 1000;

/// Lists the archive in `view` (`len` bytes): where the tar crate stops
/// before the end (a zero block, a damaged header), the next valid header
/// is looked for and listing goes on from there.
fn headers(view: &ByteSource, len: u64) -> Headers {
    let mut out = Headers::default();
    let mut start = 0u64;
    loop {
        let part = match view.slice(start, len.saturating_sub(start)).random() {
            Some(Ok(at)) => list_part(at, start, &mut out),
            Some(Err(e)) => Some(io_message(&e)),
            None => Some("cannot seek".to_string()),
        };
        let end = out
            .extents
            .last()
            .map_or(start, |x| x.start + x.len.div_ceil(512) * 512)
            .max(start);
        match next_header(view, end, len) {
            Some(found) if out.skipped.len() < MAX_SKIPS => {
                out.skipped.push((end, found));
                start = found;
            }
            _ => {
                out.failure = part;
                return out;
            }
        }
    }
}

/// The offset of the first block at or after `from` that is a valid tar
/// header (its checksum matches), if any.
fn next_header(view: &ByteSource, from: u64, len: u64) -> Option<u64> {
    let Some(Ok(mut at)) = view.slice(from, len.saturating_sub(from)).random() else {
        return None;
    };
    let mut buf = vec![0u8; 64 << 10];
    let mut pos = from;
    loop {
        let n = read_full(&mut at, &mut buf);
        for (i, block) in buf
            .get(..n)
            .unwrap_or_default()
            .chunks_exact(512)
            .enumerate()
        {
            if is_header(block) {
                return Some(pos + (i as u64) * 512);
            }
        }
        if n < buf.len() {
            return None;
        }
        pos += n as u64;
    }
}

/// Reads until `buf` is full or the reader ends; the bytes read.
fn read_full(r: &mut impl Read, buf: &mut [u8]) -> usize {
    let mut n = 0;
    while n < buf.len() {
        match r.read(buf.get_mut(n..).unwrap_or_default()) {
            Ok(0) | Err(_) => break,
            Ok(k) => n += k,
        }
    }
    n
}

/// A 512-byte block that is a tar header: not all zeros, and its checksum
/// (the octal field at 148, summed with that field read as spaces) matches.
fn is_header(block: &[u8]) -> bool {
    let Some(field) = block.get(148..156) else {
        return false;
    };
    if block.iter().all(|b| *b == 0) {
        return false;
    }
    let digits: String = field
        .iter()
        .map(|b| *b as char)
        .filter(|c| c.is_digit(8))
        .collect();
    let Ok(want) = u64::from_str_radix(&digits, 8) else {
        return false;
    };
    let sum: u64 = block
        .iter()
        .enumerate()
        .map(|(i, b)| {
            if (148..156).contains(&i) {
                32
            } else {
                u64::from(*b)
            }
        })
        .sum();
    sum == want
}

/// Lists the entries of the archive part read by `bytes` (which starts at
/// offset `base` of the archive) into `out`; the error that ended it early, if any.
fn list_part(bytes: impl Read, base: u64, out: &mut Headers) -> Option<String> {
    let Headers {
        entries, extents, ..
    } = out;
    let mut tar_archive = ::tar::Archive::new(bytes);
    let iter = match tar_archive.entries() {
        Ok(iter) => iter,
        Err(error) => return Some(io_message(&error)),
    };
    for item in iter {
        let member = match item {
            Ok(member) => member,
            Err(error) => return Some(io_message(&error)),
        };
        let entry_type = member.header().entry_type();
        let kind = if entry_type.is_file() || entry_type.is_contiguous() {
            EntryKind::File
        } else if entry_type.is_dir() || entry_type.is_pax_global_extensions() {
            EntryKind::Dir
        } else if entry_type.is_symlink() {
            let target = member
                .link_name_bytes()
                .map(|target| String::from_utf8_lossy(&target).into_owned());
            EntryKind::Symlink(target)
        } else if entry_type.is_hard_link() {
            EntryKind::Skip("hard link member".to_string())
        } else if entry_type.is_gnu_sparse() {
            EntryKind::Skip("sparse file member (not supported)".to_string())
        } else if entry_type.is_character_special()
            || entry_type.is_block_special()
            || entry_type.is_fifo()
        {
            EntryKind::Skip("device or pipe member".to_string())
        } else {
            EntryKind::Skip(format!(
                "unknown member type `{}`",
                entry_type.as_byte() as char
            ))
        };
        entries.push(Entry {
            index: extents.len(),
            raw_name: String::from_utf8_lossy(&member.path_bytes()).into_owned(),
            kind,
            compressed: None,
            order: extents.len() as u64,
        });
        extents.push(Extent {
            start: base + member.raw_file_position(),
            len: member.size(),
        });
    }
    None
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
        let Some(extent) = self.extents.get(entry.index).copied() else {
            return Err("member not found; skipped".to_string());
        };
        let avail = self.len.saturating_sub(extent.start).min(extent.len);
        let cut = (avail < extent.len).then(|| {
            self.cut.clone().unwrap_or_else(|| {
                format!(
                    "the member is corrupt or truncated after {avail} bytes \
                     (the archive ends inside this member)"
                )
            })
        });
        if avail == 0 && extent.len > 0 {
            return Err("corrupt member: the archive ends inside this member; skipped".to_string());
        }
        Ok(MemberBytes {
            source: self.bytes.slice(extent.start, avail),
            size: extent.len,
            cut,
        })
    }
}
