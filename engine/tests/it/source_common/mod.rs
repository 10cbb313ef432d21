//! Builders for the archives the `source_*` tests read: zip, tar and gzip made
//! in memory with the `zip`, `tar` and `flate2` crates (no committed binaries),
//! and a temporary folder removed on drop. Never used by the engine itself.

#![allow(dead_code)]

use std::fs;
use std::io::{Cursor, Write};
use std::path::PathBuf;

use flate2::write::GzEncoder;
use flate2::Compression;
use logscan_engine::source::InputError;
use logscan_engine::text::SourceText;
use zip::write::SimpleFileOptions;
use zip::CompressionMethod;

/// A fresh folder unique to this test and process, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let dir =
            std::env::temp_dir().join(format!("logscan-source-it-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("create temp dir");
        TempDir(dir)
    }

    pub fn write(&self, rel: &str, bytes: &[u8]) -> PathBuf {
        let p = self.0.join(rel);
        fs::write(&p, bytes).expect("write temp file");
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// One member to put in an archive.
pub enum M<'a> {
    File(&'a str, &'a [u8]),
    Dir(&'a str),
    Link(&'a str, &'a str),
}

/// A zip archive with `members` in the given order, deflated.
pub fn zip(members: &[M<'_>]) -> Vec<u8> {
    zip_with(members, CompressionMethod::Deflated)
}

pub fn zip_with(members: &[M<'_>], method: CompressionMethod) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(method);
    for m in members {
        match m {
            M::File(name, bytes) => {
                w.start_file(*name, opts).expect("zip start_file");
                w.write_all(bytes).expect("zip write");
            }
            M::Dir(name) => w.add_directory(*name, opts).expect("zip add_directory"),
            M::Link(name, target) => w.add_symlink(*name, *target, opts).expect("zip symlink"),
        }
    }
    w.finish().expect("zip finish").into_inner()
}

/// A GNU tar archive with `members` in the given order. Names are written
/// into the header as they are (`../x`, `/abs` included).
pub fn tar(members: &[M<'_>]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for m in members {
        let mut h = tar::Header::new_gnu();
        let (name, data, ty): (&str, &[u8], _) = match m {
            M::File(name, data) => (name, data, tar::EntryType::Regular),
            M::Dir(name) => (name, b"", tar::EntryType::Directory),
            M::Link(name, target) => {
                h.set_link_name(target).expect("tar link name");
                (name, b"", tar::EntryType::Symlink)
            }
        };
        let field = &mut h.as_old_mut().name;
        field.fill(0);
        field[..name.len()].copy_from_slice(name.as_bytes());
        h.set_entry_type(ty);
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        b.append(&h, data).expect("tar append");
    }
    b.into_inner().expect("tar finish")
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::default());
    enc.write_all(bytes).expect("gzip write");
    enc.finish().expect("gzip finish")
}

pub fn utf16le_bom(s: &str) -> Vec<u8> {
    let mut out = vec![0xff, 0xfe];
    out.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
    out
}

/// Overwrites the little-endian u16 at `offset` in the central directory
/// record (and, with `local`, at `local` in the local header) of `name`.
pub fn patch_zip(bytes: &mut [u8], name: &str, central: usize, local: Option<usize>) {
    let value: u16 = match (central, local) {
        (8, _) => 1,   // general purpose flags: bit 0 = encrypted
        (10, _) => 12, // compression method: bzip2
        _ => panic!("unexpected offset"),
    };
    let mut found = false;
    for at in positions(bytes, b"PK\x01\x02") {
        let name_at = at + 46;
        if bytes.get(name_at..name_at + name.len()) == Some(name.as_bytes()) {
            bytes[at + central..at + central + 2].copy_from_slice(&value.to_le_bytes());
            found = true;
        }
    }
    if let Some(local) = local {
        for at in positions(bytes, b"PK\x03\x04") {
            let name_at = at + 30;
            if bytes.get(name_at..name_at + name.len()) == Some(name.as_bytes()) {
                bytes[at + local..at + local + 2].copy_from_slice(&value.to_le_bytes());
            }
        }
    }
    assert!(found, "member {name} not in the central directory");
}

/// Start offsets of `needle` in `hay`.
pub fn positions(hay: &[u8], needle: &[u8]) -> Vec<usize> {
    hay.windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .map(|(i, _)| i)
        .collect()
}

pub fn paths(texts: &[SourceText]) -> Vec<String> {
    texts.iter().map(|t| t.path.clone()).collect()
}

pub fn errors(errs: &[InputError]) -> Vec<String> {
    errs.iter().map(|e| e.to_string()).collect()
}

pub fn notes(t: &SourceText) -> Vec<String> {
    t.notes.iter().map(|n| n.message.clone()).collect()
}
