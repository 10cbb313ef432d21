//! Zip archives (`support.zip`, a zip member of a tarball): lists the central
//! directory and gives stored and deflated members as slices of the
//! archive's bytes (inflated when read), as an [`archive::Listing`] that
//! `read.rs` reads the members of.
//!
//! The zip crate keeps one member per name; the members it drops (a second
//! member of the same name) are found in the central directory by
//! `zip_dir` and listed too.
//!
//! The archive is listed where it is when it can seek (a file, stdin's
//! spool); `read.rs` spools a zip inside a compressed stream first.
//! Encrypted members and other compression methods are listed as members to
//! skip, with why; a damaged archive (no central directory) is an error
//! naming the archive. This module never decompresses anything itself, never
//! decides what becomes of a member (caps, nesting), never calls back into
//! the reader and never writes to disk.

use std::collections::HashSet;

use ::zip::result::ZipError;
use ::zip::{CompressionMethod, ZipArchive};

use super::archive::{self, Entry, EntryKind, Listing, MemberBytes, Members};
use super::bytes::{At, ByteSource};
use super::io_message;
use super::zip_dir::{self, Extent};

/// Lists the zip archive in `view` (whose bytes were cut for `cut`, if they
/// were), or says why it cannot be read (an error naming the archive).
pub(crate) fn list(view: ByteSource, cut: Option<&str>) -> Result<Listing, String> {
    let corrupt = |why: String| archive::corrupt("zip", &why, cut);
    let at = match view.random() {
        Some(Ok(at)) => at,
        Some(Err(error)) => return Err(corrupt(io_message(&error))),
        None => return Err(corrupt("cannot seek".into())),
    };
    let mut zip = ZipArchive::new(at).map_err(|error| corrupt(describe(&error)))?;
    let mut extents = Vec::with_capacity(zip.len());
    let mut entries: Vec<Entry> = (0..zip.len())
        .map(|index| {
            let (entry, extent) = entry(&mut zip, index);
            extents.push(extent);
            entry
        })
        .collect();
    let listed: HashSet<u64> = entries.iter().map(|entry| entry.order).collect();
    let (central_directory, base) = (zip.central_directory_start(), zip.offset());
    for (entry, extent) in zip_dir::unlisted(&view, central_directory, base, &listed) {
        entries.push(Entry {
            index: extents.len(),
            ..entry
        });
        extents.push(extent);
    }
    Ok(Listing {
        entries,
        members: Box::new(ZipMembers {
            bytes: view,
            extents,
        }),
        errors_before: Vec::new(),
        error_after: None,
    })
}

/// The entry at `index` of the crate's listing, and where its bytes are
/// (`None` when its header cannot be read).
fn entry(zip: &mut ZipArchive<At>, index: usize) -> (Entry, Option<Extent>) {
    let listed = zip.name_for_index(index).unwrap_or("?").to_string();
    let file = match zip.by_index_raw(index) {
        Ok(file) => file,
        Err(error) => {
            let entry = Entry {
                index,
                raw_name: listed,
                kind: EntryKind::Skip(format!("corrupt member: {}", describe(&error))),
                compressed: None,
                order: index as u64,
            };
            return (entry, None);
        }
    };
    let mut deflated = false;
    let kind = if file.is_dir() {
        EntryKind::Dir
    } else if file.is_symlink() {
        EntryKind::Symlink(None)
    } else if file.encrypted() {
        EntryKind::Skip("encrypted member (password protected)".to_string())
    } else {
        match file.compression() {
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
        start: file.data_start(),
        compressed: file.compressed_size(),
        size: file.size(),
        crc: file.crc32(),
        deflated,
    };
    let entry = Entry {
        index,
        raw_name: file.name().to_string(),
        kind,
        compressed: Some(file.compressed_size()),
        order: file.central_header_start(),
    };
    (entry, Some(extent))
}

/// The bytes of each listed member, by [`Entry::index`].
struct ZipMembers {
    bytes: ByteSource,
    extents: Vec<Option<Extent>>,
}

impl Members for ZipMembers {
    fn source(&mut self, entry: &Entry) -> Result<MemberBytes, String> {
        let Some(Some(extent)) = self.extents.get(entry.index).copied() else {
            return Err("corrupt member: member not found; skipped".to_string());
        };
        let data = self.bytes.slice(extent.start, extent.compressed);
        Ok(MemberBytes {
            source: ByteSource::zip_member(data, extent.deflated, extent.size, extent.crc),
            size: extent.size,
            cut: None,
        })
    }
}

/// The name and number of a compression method this reader does not support.
fn method_name(method: CompressionMethod) -> String {
    #[allow(deprecated)] // the only way to the method number in zip 2
    let number = method.to_u16();
    let name = match number {
        9 => "deflate64",
        12 => "bzip2",
        14 => "lzma",
        93 => "zstd",
        95 => "xz",
        98 => "ppmd",
        99 => "aes",
        _ => "unknown",
    };
    format!("{name}, method {number}")
}

/// A zip error as one line, without the crate's own prefix where it repeats ours.
fn describe(error: &ZipError) -> String {
    match error {
        ZipError::Io(io) => io_message(io),
        ZipError::InvalidArchive(why) => why.to_string(),
        ZipError::UnsupportedArchive(why) => why.to_string(),
        ZipError::FileNotFound => "member not found".to_string(),
        other => other.to_string(),
    }
}
