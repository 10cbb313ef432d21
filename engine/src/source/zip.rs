//! Zip archives (`support.zip`, a zip member of a tarball): lists the central
//! directory and gives stored and deflated members, through
//! [`super::archive`], as slices of the archive's bytes (inflated when read).
//!
//! The zip crate keeps one member per name; the members it drops (a second
//! member of the same name) are found in the central directory by
//! `zip_dir` and read too.
//!
//! The archive is read where it is when it can seek (a file, stdin's spool);
//! a zip inside a compressed stream is spooled first. Encrypted members and
//! other compression methods are errors naming `archive!member`; a damaged
//! archive (no central directory) is an error naming the archive. This
//! module never decompresses anything itself and never writes to disk.

use std::collections::HashSet;

use ::zip::result::ZipError;
use ::zip::{CompressionMethod, ZipArchive};

use super::archive::{self, Archive, Entry, EntryKind, MemberBytes, Members};
use super::bytes::{At, ByteSource};
use super::io_message;
use super::read::{Blob, Reader};

/// Where a member's stored bytes are and how to read them.
#[derive(Clone, Copy)]
struct Extent {
    start: u64,
    compressed: u64,
    size: u64,
    crc: u32,
    deflated: bool,
}

/// Reads every member of the zip archive in `blob`.
pub(crate) fn read(reader: &mut Reader<'_>, blob: &Blob) {
    let corrupt = |why: String, cut: &Option<String>| archive::corrupt("zip", &why, cut.as_deref());
    let (view, cut) = match reader.seekable(blob) {
        Ok(v) => v,
        Err(e) => return reader.error(blob.display.clone(), corrupt(io_message(&e), &None)),
    };
    let at = match view.random() {
        Some(Ok(at)) => at,
        Some(Err(e)) => return reader.error(blob.display.clone(), corrupt(io_message(&e), &cut)),
        None => return reader.error(blob.display.clone(), corrupt("cannot seek".into(), &cut)),
    };
    let mut zip = match ZipArchive::new(at) {
        Ok(zip) => zip,
        Err(e) => return reader.error(blob.display.clone(), corrupt(describe(&e), &cut)),
    };
    let mut extents = Vec::with_capacity(zip.len());
    let mut entries: Vec<Entry> = (0..zip.len())
        .map(|i| {
            let (entry, extent) = entry(&mut zip, i);
            extents.push(extent);
            entry
        })
        .collect();
    let listed: HashSet<u64> = entries.iter().map(|e| e.order).collect();
    let (cd, base) = (zip.central_directory_start(), zip.offset());
    for (entry, extent) in super::zip_dir::unlisted(&view, cd, base, &listed) {
        entries.push(Entry {
            index: extents.len(),
            ..entry
        });
        extents.push(extent.map(|x| Extent {
            start: x.start,
            compressed: x.compressed,
            size: x.size,
            crc: x.crc,
            deflated: x.deflated,
        }));
    }
    let archive = Archive { blob, cut };
    archive::read_all(
        reader,
        &archive,
        entries,
        &mut ZipMembers {
            bytes: view,
            extents,
        },
    );
}

fn entry(zip: &mut ZipArchive<At>, index: usize) -> (Entry, Option<Extent>) {
    let listed = zip.name_for_index(index).unwrap_or("?").to_string();
    let f = match zip.by_index_raw(index) {
        Ok(f) => f,
        Err(e) => {
            let entry = Entry {
                index,
                raw_name: listed,
                kind: EntryKind::Skip(format!("corrupt member: {}", describe(&e))),
                compressed: None,
                order: index as u64,
            };
            return (entry, None);
        }
    };
    let mut deflated = false;
    let kind = if f.is_dir() {
        EntryKind::Dir
    } else if f.is_symlink() {
        EntryKind::Symlink(None)
    } else if f.encrypted() {
        EntryKind::Skip("encrypted member (password protected)".to_string())
    } else {
        match f.compression() {
            CompressionMethod::Stored => EntryKind::File,
            CompressionMethod::Deflated => {
                deflated = true;
                EntryKind::File
            }
            other => EntryKind::Skip(format!(
                "unsupported compression method ({})",
                method_name(other)
            )),
        }
    };
    let extent = Extent {
        // `by_index_raw` found the data, so its start is known.
        start: f.data_start(),
        compressed: f.compressed_size(),
        size: f.size(),
        crc: f.crc32(),
        deflated,
    };
    let entry = Entry {
        index,
        raw_name: f.name().to_string(),
        kind,
        compressed: Some(f.compressed_size()),
        order: f.central_header_start(),
    };
    (entry, Some(extent))
}

struct ZipMembers {
    bytes: ByteSource,
    extents: Vec<Option<Extent>>,
}

impl Members for ZipMembers {
    fn source(&mut self, entry: &Entry) -> Result<MemberBytes, String> {
        let Some(Some(ext)) = self.extents.get(entry.index).copied() else {
            return Err("corrupt member: member not found; skipped".to_string());
        };
        let data = self.bytes.slice(ext.start, ext.compressed);
        Ok(MemberBytes {
            source: ByteSource::zip_member(data, ext.deflated, ext.size, ext.crc),
            size: ext.size,
            cut: None,
        })
    }
}

/// The name and number of a compression method this reader does not support.
fn method_name(m: CompressionMethod) -> String {
    #[allow(deprecated)] // the only way to the method number in zip 2
    let n = m.to_u16();
    let name = match n {
        9 => "deflate64",
        12 => "bzip2",
        14 => "lzma",
        93 => "zstd",
        95 => "xz",
        98 => "ppmd",
        99 => "aes",
        _ => "unknown",
    };
    format!("{name}, method {n}")
}

/// A zip error as one line, without the crate's own prefix where it repeats ours.
fn describe(e: &ZipError) -> String {
    match e {
        ZipError::Io(io) => super::io_message(io),
        ZipError::InvalidArchive(why) => why.to_string(),
        ZipError::UnsupportedArchive(why) => why.to_string(),
        ZipError::FileNotFound => "member not found".to_string(),
        other => other.to_string(),
    }
}
