//! The members of a zip archive's central directory that the zip crate does
//! not list: it keeps one member per name, so a second member of the same
//! name would vanish. This module walks the central directory itself and
//! gives every record the crate did not list, read like the crate reads a
//! member (stored or deflated, sizes and CRC from the central directory,
//! zip64 sizes included).
//!
//! It reads only the central directory and the local headers of the members
//! it returns, stops at the first damaged record (the crate read the
//! directory already, so that only ends the extra list), never allocates per
//! byte of the archive and never panics.

use std::collections::HashSet;
use std::io::{Read, Seek, SeekFrom};

use super::archive::{Entry, EntryKind};
use super::bytes::ByteSource;

/// Where a member's stored bytes are and how to read them (a member the
/// crate lists, or one found here).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Extent {
    pub(crate) start: u64,
    pub(crate) compressed: u64,
    pub(crate) size: u64,
    pub(crate) crc: u32,
    pub(crate) deflated: bool,
}

/// Most central directory records walked (a zip64 archive may hold more;
/// the crate lists those, only same-name members past this are not found).
const MAX_RECORDS: usize = 1 << 20;

/// The records of the central directory at `cd` (of an archive whose
/// offsets are shifted by `base`) whose central header offset is not in
/// `listed` (the crate's).
pub(crate) fn unlisted(
    bytes: &ByteSource,
    cd: u64,
    base: u64,
    listed: &HashSet<u64>,
) -> Vec<(Entry, Option<Extent>)> {
    let Some(Ok(mut at)) = bytes.random() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut names = std::collections::HashMap::<Vec<u8>, usize>::new();
    let mut pos = cd;
    for _ in 0..MAX_RECORDS {
        let mut head = [0u8; 46];
        if at.seek(SeekFrom::Start(pos)).is_err() || at.read_exact(&mut head).is_err() {
            break;
        }
        if head[..4] != [0x50, 0x4b, 0x01, 0x02] {
            break;
        }
        let u16_at = |o: usize| u64::from(u16::from_le_bytes([head[o], head[o + 1]]));
        let u32_at = |o: usize| {
            u64::from(u32::from_le_bytes([
                head[o],
                head[o + 1],
                head[o + 2],
                head[o + 3],
            ]))
        };
        let (name_len, extra_len, comment_len) = (u16_at(28), u16_at(30), u16_at(32));
        let mut var = vec![0u8; (name_len + extra_len) as usize];
        if at.read_exact(&mut var).is_err() {
            break;
        }
        let record = pos;
        pos += 46 + name_len + extra_len + comment_len;
        let (name, extra) = var.split_at(name_len as usize);
        *names.entry(name.to_vec()).or_insert(0) += 1;
        if listed.contains(&record) {
            continue;
        }
        let raw_name = String::from_utf8_lossy(name).into_owned();
        let mut sizes = [u32_at(24), u32_at(20), u32_at(42)];
        zip64(extra, &mut sizes);
        let [size, compressed, local] = sizes;
        let flags = u16_at(8);
        let method = u16_at(10);
        let unix_mode = (u32_at(38) >> 16) & 0o170000;
        let host_unix = head[5] == 3;
        let kind = if raw_name.ends_with('/') {
            EntryKind::Dir
        } else if host_unix && unix_mode == 0o120000 {
            EntryKind::Symlink(None)
        } else if flags & 1 != 0 {
            EntryKind::Skip("encrypted member (password protected)".to_string())
        } else if method != 0 && method != 8 {
            EntryKind::Skip(format!("unsupported compression method (method {method})"))
        } else {
            EntryKind::File
        };
        let extent = data_start(&mut at, base + local).map(|start| Extent {
            start,
            compressed,
            size,
            crc: u32_at(16) as u32,
            deflated: method == 8,
        });
        let kind = match (kind, extent) {
            (EntryKind::File, None) => {
                EntryKind::Skip("corrupt member: its local header is damaged".to_string())
            }
            (k, _) => k,
        };
        out.push((
            Entry {
                index: 0,
                raw_name,
                kind,
                compressed: Some(compressed),
                order: record,
            },
            extent,
        ));
    }
    // Only members whose name the directory repeats (the crate listed every
    // other record, even one it could not open).
    out.retain(|(e, _)| names.get(e.raw_name.as_bytes()).is_some_and(|n| *n > 1));
    out
}

/// Replaces the 32-bit sizes and offset set to `0xFFFFFFFF` by their zip64
/// values (extra field 1), in the order the format gives them.
fn zip64(mut extra: &[u8], sizes: &mut [u64; 3]) {
    while extra.len() >= 4 {
        let id = u16::from_le_bytes([extra[0], extra[1]]);
        let len = usize::from(u16::from_le_bytes([extra[2], extra[3]]));
        let Some(body) = extra.get(4..4 + len) else {
            return;
        };
        if id == 1 {
            let mut values = body.chunks_exact(8).map(|c| {
                let mut a = [0u8; 8];
                a.copy_from_slice(c);
                u64::from_le_bytes(a)
            });
            for s in sizes.iter_mut() {
                if *s == 0xFFFF_FFFF {
                    match values.next() {
                        Some(v) => *s = v,
                        None => return,
                    }
                }
            }
            return;
        }
        extra = extra.get(4 + len..).unwrap_or_default();
    }
}

/// Where the data of the member whose local header is at `local` starts.
fn data_start(at: &mut (impl Read + Seek), local: u64) -> Option<u64> {
    let mut head = [0u8; 30];
    at.seek(SeekFrom::Start(local)).ok()?;
    at.read_exact(&mut head).ok()?;
    if head[..4] != [0x50, 0x4b, 0x03, 0x04] {
        return None;
    }
    let name = u64::from(u16::from_le_bytes([head[26], head[27]]));
    let extra = u64::from(u16::from_le_bytes([head[28], head[29]]));
    Some(local + 30 + name + extra)
}
