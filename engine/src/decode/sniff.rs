//! Guesses what a source's bytes are from its first [`SNIFF_LEN`] bytes: a
//! BOM (UTF-8, UTF-16LE/BE), where NULs fall (NULs at odd offsets: BOM-less
//! UTF-16LE, as `wsl.exe` writes; at even offsets: UTF-16BE), else UTF-8; or
//! binary data, named when a signature identifies it (images, archives,
//! `.evtx`, NUL-heavy blobs), while a long NUL run amid text (a hole) leaves
//! the text around it text.
//!
//! This module only looks: it never decodes, never allocates per byte of the
//! source and never reads past the bytes it is given.

/// How many leading bytes are inspected to guess the encoding.
pub const SNIFF_LEN: usize = 8 * 1024;

/// The guessed encoding of a source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Detected {
    Utf8 { bom: bool },
    Utf16 { le: bool, bom: bool },
}

/// Signatures of binary formats found in support bundles, with their names.
const MAGIC: &[(&[u8], &str)] = &[
    (b"ElfFile\0", "Windows event log .evtx"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"PK\x03\x04", "zip archive"),
    (b"PK\x05\x06", "zip archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"\xfd7zXZ\0", "xz data"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"\x7fELF", "ELF executable"),
    (b"MDMP", "Windows minidump"),
    (b"SQLite format 3\0", "SQLite database"),
    (b"%PDF-", "PDF document"),
];

/// Guesses the encoding, or returns `Err` with the binary kind (if known).
pub(super) fn sniff(bytes: &[u8]) -> Result<Detected, Option<&'static str>> {
    if bytes.starts_with(b"\xef\xbb\xbf") {
        return Ok(Detected::Utf8 { bom: true });
    }
    let sample = bytes.get(..SNIFF_LEN).unwrap_or(bytes);
    for le in [true, false] {
        let bom: &[u8] = if le { b"\xff\xfe" } else { b"\xfe\xff" };
        // A BOM is trusted: PowerShell's `Out-File` writes one before any text.
        if bytes.starts_with(bom) {
            return Ok(Detected::Utf16 { le, bom: true });
        }
    }
    if let Some((_, what)) = MAGIC.iter().find(|(m, _)| bytes.starts_with(m)) {
        return Err(Some(*what));
    }
    if bytes.get(257..262) == Some(b"ustar") {
        return Err(Some("tar archive"));
    }
    // A hole (a long NUL run amid text: space preallocated, a crash) says
    // nothing of the text around it; with nothing around it, it is no text.
    let holes = nul_runs(sample, HOLE);
    let in_hole = |index: usize| holes.iter().any(|hole| hole.contains(&index));
    let hole_bytes: usize = holes.iter().map(|hole| hole.len()).sum();
    if hole_bytes > 0 && sample.len() - hole_bytes < HOLE {
        return Err(None);
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for (index, byte) in sample.iter().enumerate() {
        if *byte == 0 && !in_hole(index) {
            if index % 2 == 0 {
                even += 1;
            } else {
                odd += 1;
            }
        }
    }
    let units = (sample.len() - hole_bytes) / 2;
    // Mostly-ASCII UTF-16 has a NUL in most high bytes and almost none in low bytes.
    for (le, high, low) in [(true, odd, even), (false, even, odd)] {
        if high > 0 && high * 4 >= units && low * 8 <= high {
            return if utf16_looks_like_text(sample, le) {
                Ok(Detected::Utf16 { le, bom: false })
            } else {
                Err(None)
            };
        }
    }
    let controls = sample
        .iter()
        .enumerate()
        .filter(|(index, byte)| is_binary_control(**byte) && !in_hole(*index))
        .count();
    if controls * 20 > sample.len() - hole_bytes {
        return Err(None);
    }
    Ok(Detected::Utf8 { bom: false })
}

/// NUL runs of at least this many bytes are holes (see [`sniff`]).
const HOLE: usize = 64;

/// The runs of at least `min` NUL bytes in `bytes`.
fn nul_runs(bytes: &[u8], min: usize) -> Vec<std::ops::Range<usize>> {
    let mut runs = Vec::new();
    let mut i = 0;
    while let Some(at) = bytes.get(i..).and_then(|b| memchr::memchr(0, b)) {
        let start = i + at;
        let len = bytes
            .get(start..)
            .map_or(0, |b| b.iter().take_while(|&&b| b == 0).count());
        if len >= min {
            runs.push(start..start + len);
        }
        i = start + len.max(1);
    }
    runs
}

/// True for bytes text never contains: C0 controls other than tab, line and
/// page breaks and ESC (ANSI colours), and DEL.
fn is_binary_control(byte: u8) -> bool {
    matches!(byte, 0x00..=0x08 | 0x0e..=0x1a | 0x1c..=0x1f | 0x7f)
}

/// Whether `body` read as UTF-16 has few lone surrogates and control characters.
fn utf16_looks_like_text(body: &[u8], le: bool) -> bool {
    let (mut chars, mut bad) = (0usize, 0usize);
    for c in char::decode_utf16(units(body, le)) {
        chars += 1;
        match c {
            Ok(c) if u32::from(c) < 0x80 && is_binary_control(c as u8) => bad += 1,
            Ok(_) => {}
            Err(_) => bad += 1,
        }
    }
    bad * 20 <= chars
}

/// The 16-bit units of `body` in the byte order `le` says (an odd trailing
/// byte left out).
pub(super) fn units(body: &[u8], le: bool) -> impl Iterator<Item = u16> + '_ {
    body.chunks_exact(2).map(move |unit| {
        let pair = [unit[0], unit[1]];
        if le {
            u16::from_le_bytes(pair)
        } else {
            u16::from_be_bytes(pair)
        }
    })
}
