//! Zip archives (`support.zip`, a zip member of a tarball): lists the central
//! directory and reads stored and deflated members through [`super::archive`].
//!
//! Encrypted members and other compression methods are errors naming
//! `archive!member`; a damaged archive (no central directory) is an error
//! naming the archive. This module never decompresses more than the cap it is
//! given and never writes to disk.

use std::io::Cursor;

use ::zip::result::ZipError;
use ::zip::{CompressionMethod, ZipArchive};

use super::archive::{self, Entry, EntryKind, Members};
use super::read::{read_capped, Blob, Capped, Reader};

/// Reads every member of the zip archive in `blob`.
pub(crate) fn read(reader: &mut Reader<'_>, blob: &Blob) {
    let mut zip = match ZipArchive::new(Cursor::new(blob.bytes.as_slice())) {
        Ok(zip) => zip,
        Err(e) => {
            let mut message = format!("corrupt zip archive: {}", describe(&e));
            if let Some(cut) = &blob.cut {
                message.push_str(&format!(" (the archive was cut short: {cut})"));
            }
            return reader.error(blob.display.clone(), message);
        }
    };
    let entries = (0..zip.len()).map(|i| entry(&mut zip, i)).collect();
    archive::read_all(reader, blob, entries, &mut ZipMembers(zip));
}

fn entry(zip: &mut ZipArchive<Cursor<&[u8]>>, index: usize) -> Entry {
    let listed = zip.name_for_index(index).unwrap_or("?").to_string();
    let f = match zip.by_index_raw(index) {
        Ok(f) => f,
        Err(e) => {
            return Entry {
                index,
                raw_name: listed,
                kind: EntryKind::Skip(format!("corrupt member: {}", describe(&e))),
                compressed: None,
            }
        }
    };
    let kind = if f.is_dir() {
        EntryKind::Dir
    } else if f.is_symlink() {
        EntryKind::Symlink(None)
    } else if f.encrypted() {
        EntryKind::Skip("encrypted member (password protected)".to_string())
    } else {
        match f.compression() {
            CompressionMethod::Stored | CompressionMethod::Deflated => EntryKind::File,
            other => EntryKind::Skip(format!(
                "unsupported compression method ({})",
                method_name(other)
            )),
        }
    };
    Entry {
        index,
        raw_name: f.name().to_string(),
        kind,
        compressed: Some(f.compressed_size()),
    }
}

struct ZipMembers<'a>(ZipArchive<Cursor<&'a [u8]>>);

impl Members for ZipMembers<'_> {
    fn read(&mut self, entry: &Entry, cap: u64) -> Result<Capped, String> {
        match self.0.by_index(entry.index) {
            Ok(f) => Ok(read_capped(f, cap)),
            Err(e) => Err(format!("corrupt member: {}; skipped", describe(&e))),
        }
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
