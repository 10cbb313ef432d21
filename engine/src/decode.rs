//! Decoding: the raw bytes of one source in, a [`SourceText`] out.
//!
//! The encoding is guessed (`sniff`) from a BOM, then from where NULs fall in
//! the first [`SNIFF_LEN`] bytes (NULs at odd offsets: BOM-less UTF-16LE, as
//! `wsl.exe` writes; at even offsets: UTF-16BE), else UTF-8, with bytes that
//! are not valid UTF-8 read as Windows-1252 and counted in one note per
//! source. Line terminators are kept as they are; framing handles them.
//!
//! UTF-16 is decoded by `encoding_rs` (its malformed units, reported one by
//! one, become U+FFFD here so they are counted and mapped); invalid UTF-8
//! bytes are found by `std::str::from_utf8` and read through `encoding_rs`'s
//! Windows-1252 table one byte at a time, since `encoding_rs` would turn them
//! into U+FFFD and each must keep its own raw offset.
//!
//! Every decoded offset maps back to the exact raw byte through the
//! checkpoints of [`SourceText`]. This module never drops a byte silently,
//! never panics on any input, and never returns binary data (images, archives,
//! `.evtx`, NUL-heavy blobs) as text: [`try_decode`] says so with a
//! [`DecodeError`], [`decode`] with an empty text and a note.

mod sniff;

use std::fmt;

use encoding_rs::{DecoderResult, UTF_16BE, UTF_16LE, WINDOWS_1252};

pub use self::sniff::SNIFF_LEN;
use self::sniff::{sniff, units, Detected};
use crate::frame;
use crate::text::{Checkpoint, Encoding, Note, SourceText};

/// The most raw bytes one source may have. Decoded offsets are `u32`, and one
/// raw byte decodes to at most three bytes, so longer inputs are cut (at a line
/// boundary, with a note) to keep every offset representable.
pub const MAX_INPUT: usize = 1 << 30;

/// Options for [`decode_with`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DecodeOptions {
    /// The bytes come from a decompressed stream: offsets refer to it, not to
    /// the file on disk.
    pub decompressed: bool,
    /// Why the bytes end early (a size cap, a truncated stream), when they do.
    /// The text is then cut back to its last line terminator and a note says
    /// what was kept.
    pub cut: Option<String>,
}

/// A source that is not text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    /// Display path of the source.
    pub path: String,
    pub kind: DecodeErrorKind,
}

/// What made a source undecodable.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// Binary data; `what` names the kind when a signature identifies it
    /// (`Windows event log .evtx`, `PNG image`, ...).
    Binary { what: Option<&'static str> },
}

impl fmt::Display for DecodeErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeErrorKind::Binary { what: None } => {
                f.write_str("binary file (not text); skipped")
            }
            DecodeErrorKind::Binary { what: Some(what) } => {
                write!(f, "binary file ({what}, not text); skipped")
            }
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.kind)
    }
}

impl std::error::Error for DecodeError {}

/// Decodes the bytes of a file named `path` (display path, used in notes).
/// Never fails: binary input gives an empty text with a note saying why
/// (use [`try_decode`] to get the error instead).
pub fn decode(path: String, bytes: Vec<u8>) -> SourceText {
    let raw_len = bytes.len() as u64;
    match try_decode(path, bytes) {
        Ok(text) => text,
        Err(e) => SourceText {
            raw_len,
            notes: vec![Note::new(None, e.kind.to_string())],
            ..SourceText::identity(e.path, String::new())
        },
    }
}

/// Decodes the bytes of a file named `path` (display path, used in notes and
/// errors), or says why they are not text.
pub fn try_decode(path: String, bytes: Vec<u8>) -> Result<SourceText, DecodeError> {
    try_decode_with(path, bytes, DecodeOptions::default())
}

/// [`try_decode`] with options: decompressed input, or input cut short by a cap.
pub fn try_decode_with(
    path: String,
    mut bytes: Vec<u8>,
    opts: DecodeOptions,
) -> Result<SourceText, DecodeError> {
    let detected = match sniff(&bytes) {
        Ok(d) => d,
        Err(what) => {
            return Err(DecodeError {
                path,
                kind: DecodeErrorKind::Binary { what },
            })
        }
    };
    let mut cut = opts.cut;
    if bytes.len() > MAX_INPUT {
        bytes.truncate(MAX_INPUT);
        cut.get_or_insert_with(|| {
            format!(
                "the decoder's size cap ({}) was reached",
                human_bytes(MAX_INPUT as u64)
            )
        });
    }
    if cut.is_some() {
        let keep = last_line_end(&bytes, detected);
        bytes.truncate(keep);
    }
    let raw_len = bytes.len() as u64;
    let mut notes = Vec::new();
    let (text, checkpoints, encoding) = match detected {
        Detected::Utf8 { bom } => {
            let d = decode_utf8(bytes, if bom { 3 } else { 0 });
            let encoding = match (d.bad, bom) {
                (Some(_), _) => Encoding::Utf8Lossy,
                (None, true) => Encoding::Utf8Bom,
                (None, false) => Encoding::Utf8,
            };
            if let Some((count, first)) = d.bad {
                let line = line_of(&d.text, first);
                notes.push(Note::new(
                    Some(line),
                    format!(
                        "{count} {} not valid UTF-8, read as Windows-1252 (first on line {line})",
                        if count == 1 { "byte was" } else { "bytes were" }
                    ),
                ));
            }
            (d.text, d.checkpoints, encoding)
        }
        Detected::Utf16 { le, bom } => {
            let d = decode_utf16(&bytes, if bom { 2 } else { 0 }, le);
            if let Some((count, first)) = d.bad {
                let line = line_of(&d.text, first);
                notes.push(Note::new(
                    Some(line),
                    format!(
                        "{count} invalid UTF-16 {} (lone surrogates or an odd trailing byte) \
                         became U+FFFD (first on line {line})",
                        if count == 1 { "unit" } else { "units" }
                    ),
                ));
            }
            let encoding = match (le, bom) {
                (true, true) => Encoding::Utf16LeBom,
                (true, false) => Encoding::Utf16Le,
                (false, true) => Encoding::Utf16BeBom,
                (false, false) => Encoding::Utf16Be,
            };
            (d.text, d.checkpoints, encoding)
        }
    };
    if let Some(why) = cut {
        let lines = frame::lines(&text).last().map_or(0, |l| l.number);
        notes.push(Note::new(
            Some(lines),
            format!(
                "input cut short: {why}; kept lines 1-{lines} ({raw_len} bytes), the rest is skipped"
            ),
        ));
    }
    Ok(SourceText {
        path,
        encoding,
        raw_len,
        decompressed: opts.decompressed,
        text,
        notes,
        checkpoints,
    })
}

/// `Some(kind)` when `head` (the first [`SNIFF_LEN`] bytes or more of a
/// source) is binary, not text: what [`try_decode`] would reject. `kind` names
/// it when a signature does.
pub fn binary_kind(head: &[u8]) -> Option<Option<&'static str>> {
    sniff(head).err()
}

/// Decodes a piece of a source whose encoding is known already (a record
/// re-read from its source by offset): UTF-8 as it is, invalid bytes read as
/// Windows-1252; UTF-16 in its byte order, without looking for a BOM.
pub fn decode_as(bytes: Vec<u8>, encoding: Encoding) -> String {
    match encoding {
        Encoding::Utf16Le | Encoding::Utf16LeBom => decode_utf16(&bytes, 0, true).text,
        Encoding::Utf16Be | Encoding::Utf16BeBom => decode_utf16(&bytes, 0, false).text,
        Encoding::Utf8 | Encoding::Utf8Bom | Encoding::Utf8Lossy => {
            match String::from_utf8(bytes) {
                Ok(s) => s,
                Err(e) => decode_utf8(e.into_bytes(), 0).text,
            }
        }
    }
}

/// Whether a note is the one [`decode`] adds for bytes that are not valid
/// UTF-8 (a streamed source counts those over the whole source instead).
pub fn is_lossy_note(message: &str) -> bool {
    message.contains(" not valid UTF-8, read as Windows-1252 (first on line ")
}

/// Formats a byte count for notes: `1 GiB`, `64 MiB`, `1500 bytes`.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    for (size, unit) in UNITS {
        if n >= size && n.is_multiple_of(size) {
            return format!("{} {unit}", n / size);
        }
    }
    format!("{n} bytes")
}

/// The raw length to keep when cutting `bytes` back to its last line terminator
/// (all of it when it has none).
fn last_line_end(bytes: &[u8], detected: Detected) -> usize {
    match detected {
        Detected::Utf8 { .. } => {
            memchr::memrchr2(b'\n', b'\r', bytes).map_or(bytes.len(), |i| i + 1)
        }
        Detected::Utf16 { le, bom } => {
            let start = if bom { 2 } else { 0 };
            let body = bytes.get(start..).unwrap_or_default();
            let units: Vec<u16> = units(body, le).collect();
            units
                .iter()
                .rposition(|u| *u == 0x0a || *u == 0x0d)
                .map_or(bytes.len(), |i| start + 2 * (i + 1))
        }
    }
}

/// Decoded text, its checkpoints, and `(count, first decoded offset)` of the
/// undecodable bytes or units, if any.
struct Decoded {
    text: String,
    checkpoints: Vec<Checkpoint>,
    bad: Option<(usize, usize)>,
}

/// Decodes UTF-8 from `start` (past a BOM), reading invalid bytes as Windows-1252.
fn decode_utf8(mut bytes: Vec<u8>, start: usize) -> Decoded {
    let start = start.min(bytes.len());
    if std::str::from_utf8(bytes.get(start..).unwrap_or_default()).is_ok() {
        let raw_len = bytes.len() as u64;
        bytes.drain(..start);
        let text = String::from_utf8(bytes).unwrap_or_default();
        let mut map = OffsetMap::new(start as u64);
        if !text.is_empty() {
            map.push(text.len() as u64, text.len() as u64);
        }
        return Decoded {
            checkpoints: map.finish(text.len() as u64, raw_len),
            text,
            bad: None,
        };
    }
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 8);
    let mut map = OffsetMap::new(start as u64);
    let (mut count, mut first) = (0usize, None);
    let mut rest = bytes.get(start..).unwrap_or_default();
    while !rest.is_empty() {
        let (valid, bad_len) = match std::str::from_utf8(rest) {
            Ok(s) => (s, 0),
            Err(e) => {
                let valid = std::str::from_utf8(rest.get(..e.valid_up_to()).unwrap_or_default())
                    .unwrap_or_default();
                (valid, e.error_len().unwrap_or(rest.len() - valid.len()))
            }
        };
        if !valid.is_empty() {
            text.push_str(valid);
            map.push(valid.len() as u64, valid.len() as u64);
        }
        let bad = rest
            .get(valid.len()..valid.len() + bad_len)
            .unwrap_or_default();
        // A single-byte encoding: one character per byte, each mapped to it.
        let (as_windows_1252, _) = WINDOWS_1252.decode_without_bom_handling(bad);
        for character in as_windows_1252.chars() {
            first.get_or_insert(text.len());
            count += 1;
            text.push(character);
            map.push(character.len_utf8() as u64, 1);
        }
        rest = rest.get(valid.len() + bad.len()..).unwrap_or_default();
        if valid.is_empty() && bad.is_empty() {
            break;
        }
    }
    Decoded {
        checkpoints: map.finish(text.len() as u64, bytes.len() as u64),
        text,
        bad: first.map(|f| (count, f)),
    }
}

/// Decodes UTF-16 from `start` (past a BOM). Lone surrogates and an odd
/// trailing byte become U+FFFD, each counted.
fn decode_utf16(bytes: &[u8], start: usize, le: bool) -> Decoded {
    let body = bytes.get(start..).unwrap_or_default();
    let encoding = if le { UTF_16LE } else { UTF_16BE };
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(body.len() / 2 + 8);
    let mut map = OffsetMap::new(start.min(bytes.len()) as u64);
    let (mut count, mut first) = (0usize, None);
    let mut read = 0;
    loop {
        let rest = body.get(read..).unwrap_or_default();
        let mapped = text.len();
        let (result, consumed) =
            decoder.decode_to_string_without_replacement(rest, &mut text, true);
        read += consumed;
        map_utf16_text(&mut map, text.get(mapped..).unwrap_or_default());
        let raw_of_bad: &[u64] = match result {
            DecoderResult::InputEmpty => break,
            DecoderResult::OutputFull => {
                text.reserve(body.len().saturating_sub(read) / 2 + 8);
                continue;
            }
            // A lone surrogate: one unit.
            DecoderResult::Malformed(2, _) => &[2],
            // A lone surrogate at the end, then an odd byte.
            DecoderResult::Malformed(3, _) => &[2, 1],
            // An odd trailing byte.
            DecoderResult::Malformed(_, _) => &[1],
        };
        for raw in raw_of_bad {
            first.get_or_insert(text.len());
            count += 1;
            text.push(char::REPLACEMENT_CHARACTER);
            map.push(char::REPLACEMENT_CHARACTER.len_utf8() as u64, *raw);
        }
    }
    Decoded {
        checkpoints: map.finish(text.len() as u64, bytes.len() as u64),
        text,
        bad: first.map(|first| (count, first)),
    }
}

/// Maps `decoded`, text decoded from UTF-16 units without a replacement: a
/// run of ASCII is one run of two raw bytes per decoded byte, and every other
/// character came from one unit (two raw bytes), or from a surrogate pair
/// (four) when it takes four bytes in UTF-8.
fn map_utf16_text(map: &mut OffsetMap, decoded: &str) {
    let mut rest = decoded;
    while !rest.is_empty() {
        let ascii = rest
            .bytes()
            .position(|byte| !byte.is_ascii())
            .unwrap_or(rest.len());
        if ascii > 0 {
            map.push(ascii as u64, 2 * ascii as u64);
            rest = rest.get(ascii..).unwrap_or_default();
            continue;
        }
        let until_ascii = rest.find(|character: char| character.is_ascii());
        let (wide, after) = rest.split_at(until_ascii.unwrap_or(rest.len()));
        for character in wide.chars() {
            let utf8_len = character.len_utf8() as u64;
            map.push(utf8_len, if utf8_len == 4 { 4 } else { 2 });
        }
        rest = after;
    }
}

/// The 1-based physical line holding decoded offset `at`.
fn line_of(text: &str, at: usize) -> u32 {
    let mut last = 0;
    for line in frame::lines(text) {
        if at < line.next as usize {
            return line.number;
        }
        last = line.number;
    }
    last + 1
}

/// Builds the checkpoint list: a new checkpoint starts wherever the raw/decoded
/// slope of the current run stops describing the next character.
struct OffsetMap {
    checkpoints: Vec<Checkpoint>,
    decoded: u64,
    raw: u64,
    /// Stride of the current run; `None` when the next push needs a checkpoint.
    stride: Option<u8>,
}

impl OffsetMap {
    /// A map whose first decoded byte is raw byte `raw_start`.
    fn new(raw_start: u64) -> OffsetMap {
        OffsetMap {
            checkpoints: Vec::new(),
            decoded: 0,
            raw: raw_start,
            // No checkpoints is the identity map: a stride-1 run from 0.
            stride: (raw_start == 0).then_some(1),
        }
    }

    /// Records `decoded` decoded bytes produced from `raw` raw bytes (one
    /// character, or a run of stride 1).
    fn push(&mut self, decoded: u64, raw: u64) {
        if decoded == 0 {
            self.raw += raw;
            self.stride = None;
            return;
        }
        let fits = self.stride.is_some_and(|s| raw == decoded * u64::from(s));
        if !fits {
            let stride = if raw.is_multiple_of(decoded) {
                u8::try_from(raw / decoded).unwrap_or(0)
            } else {
                0
            };
            self.checkpoints.push(Checkpoint {
                decoded: to_u32(self.decoded),
                raw: self.raw,
                stride,
            });
            self.stride = Some(stride);
        }
        self.decoded += decoded;
        self.raw += raw;
    }

    /// Ends the map so the end of the text maps to the end of the raw bytes.
    fn finish(mut self, decoded_len: u64, raw_len: u64) -> Vec<Checkpoint> {
        let extrapolated = match self.checkpoints.last() {
            None => decoded_len,
            Some(c) => c.raw + (decoded_len - u64::from(c.decoded)) * u64::from(c.stride),
        };
        if extrapolated != raw_len {
            if self
                .checkpoints
                .last()
                .is_some_and(|c| u64::from(c.decoded) == decoded_len)
            {
                self.checkpoints.pop();
            }
            self.checkpoints.push(Checkpoint {
                decoded: to_u32(decoded_len),
                raw: raw_len,
                stride: 1,
            });
        }
        self.checkpoints
    }
}

fn to_u32(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(s: &str, le: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        if bom {
            out.extend_from_slice(if le { b"\xff\xfe" } else { b"\xfe\xff" });
        }
        for u in s.encode_utf16() {
            out.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        out
    }

    fn ok(bytes: &[u8]) -> SourceText {
        match try_decode("t.log".into(), bytes.to_vec()) {
            Ok(s) => s,
            Err(e) => panic!("{e}"),
        }
    }

    /// Raw offset of each char boundary, for exact comparisons.
    fn raw_offsets(s: &SourceText) -> Vec<u64> {
        let mut v: Vec<u64> = s
            .text
            .char_indices()
            .map(|(i, _)| s.raw_offset(i))
            .collect();
        v.push(s.raw_offset(s.text.len()));
        v
    }

    #[test]
    fn plain_utf8_is_the_identity() {
        let s = ok("a\r\nb é\n".as_bytes());
        assert_eq!(s.encoding, Encoding::Utf8);
        assert_eq!(s.text, "a\r\nb é\n");
        assert!(s.checkpoints.is_empty());
        assert!(s.notes.is_empty());
        assert_eq!(s.raw_len, 8);
    }

    #[test]
    fn utf8_bom_is_skipped_and_offsets_shift() {
        let s = ok(b"\xef\xbb\xbfab\ncd");
        assert_eq!(s.encoding, Encoding::Utf8Bom);
        assert_eq!(s.text, "ab\ncd");
        assert_eq!(raw_offsets(&s), [3, 4, 5, 6, 7, 8]);
    }

    #[test]
    fn utf16le_bom() {
        let s = ok(&utf16("hi\r\nyé", true, true));
        assert_eq!(s.encoding, Encoding::Utf16LeBom);
        assert_eq!(s.text, "hi\r\nyé");
        assert_eq!(raw_offsets(&s), [2, 4, 6, 8, 10, 12, 14]);
        assert_eq!(s.raw_len, 14);
    }

    #[test]
    fn utf16be_bom() {
        let s = ok(&utf16("ok 中文\n", false, true));
        assert_eq!(s.encoding, Encoding::Utf16BeBom);
        assert_eq!(s.text, "ok 中文\n");
        assert_eq!(raw_offsets(&s), [2, 4, 6, 8, 10, 12, 14]);
    }

    #[test]
    fn bomless_utf16le_with_cr_cr_lf_as_wsl_writes_it() {
        let text = "Copyright (c) Microsoft Corporation.\r\r\nWSL version\u{a0}: 2.0.14.0\r\r\n";
        let s = ok(&utf16(text, true, false));
        assert_eq!(s.encoding, Encoding::Utf16Le);
        assert_eq!(s.text, text);
        let starts: Vec<u64> = frame::lines(&s.text)
            .map(|l| s.raw_offset(l.start as usize))
            .collect();
        assert_eq!(starts, [0, 78]);
        assert_eq!(s.raw_offset(s.text.len()), s.raw_len);
    }

    #[test]
    fn bomless_utf16be() {
        let s = ok(&utf16(
            "NAME      STATE\r\r\n* Ubuntu  Running\r\r\n",
            false,
            false,
        ));
        assert_eq!(s.encoding, Encoding::Utf16Be);
        assert_eq!(s.text, "NAME      STATE\r\r\n* Ubuntu  Running\r\r\n");
    }

    #[test]
    fn latin1_bytes_inside_utf8_are_windows_1252_with_one_note() {
        let s = ok(b"ok \xe2\x9c\x93\nn\xe9e \x93x\x94\nend\xe9");
        assert_eq!(s.encoding, Encoding::Utf8Lossy);
        assert_eq!(s.text, "ok ✓\nnée “x”\nendé");
        assert_eq!(
            s.notes,
            [Note::new(
                Some(2),
                "4 bytes were not valid UTF-8, read as Windows-1252 (first on line 2)"
            )]
        );
        assert_eq!(
            raw_offsets(&s),
            [0, 1, 2, 3, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]
        );
    }

    #[test]
    fn lone_surrogates_and_odd_byte_become_replacement() {
        let mut b = utf16("a", true, true);
        b.extend_from_slice(&0xd800u16.to_le_bytes());
        b.extend_from_slice(&utf16("b", true, false));
        b.push(b'c');
        let s = ok(&b);
        assert_eq!(s.text, "a\u{fffd}b\u{fffd}");
        assert_eq!(raw_offsets(&s), [2, 4, 6, 8, 9]);
        assert_eq!(s.notes.len(), 1);
        assert!(s.notes[0].message.starts_with("2 invalid UTF-16 units"));
    }

    #[test]
    fn empty_input() {
        let s = ok(b"");
        assert_eq!(s.text, "");
        assert_eq!(s.encoding, Encoding::Utf8);
        assert_eq!(s.raw_len, 0);
        assert_eq!(s.raw_offset(0), 0);
        let s = ok(b"\xef\xbb\xbf");
        assert_eq!(s.text, "");
        assert_eq!(s.raw_offset(0), 3);
    }

    #[test]
    fn binary_is_an_error_naming_the_file() {
        let blob: Vec<u8> = (0..4096u32)
            .map(|i| if i % 3 == 0 { 0 } else { (i % 251) as u8 })
            .collect();
        let e = try_decode("dump.bin".into(), blob).err();
        assert_eq!(
            e.map(|e| e.to_string()),
            Some("dump.bin: binary file (not text); skipped".to_string())
        );
        let e = try_decode("System.evtx".into(), b"ElfFile\0\0\0\0\0".to_vec()).err();
        assert_eq!(
            e.map(|e| e.to_string()),
            Some(
                "System.evtx: binary file (Windows event log .evtx, not text); skipped".to_string()
            )
        );
    }

    #[test]
    fn infallible_decode_turns_binary_into_an_empty_text_with_a_note() {
        let s = decode("x.png".into(), b"\x89PNG\r\n\x1a\n\0\0".to_vec());
        assert_eq!(s.text, "");
        assert_eq!(s.raw_len, 10);
        assert_eq!(
            s.notes,
            [Note::new(
                None,
                "binary file (PNG image, not text); skipped"
            )]
        );
        assert_eq!(decode("a".into(), b"ok\n".to_vec()).text, "ok\n");
    }

    #[test]
    fn a_few_stray_nuls_do_not_make_text_binary() {
        let mut b = b"2025-01-01 ok\n".repeat(20);
        b.extend_from_slice(b"\0\0\0\n");
        let s = ok(&b);
        assert_eq!(s.encoding, Encoding::Utf8);
        assert!(s.text.ends_with("\0\0\0\n"));
    }

    #[test]
    fn a_nul_hole_amid_text_leaves_it_text_and_nuls_alone_are_binary() {
        // Text, a 4 KiB hole (a crash, preallocated space), more text.
        let mut b = b"2025-01-01T10:00:00Z kernel: ok\n".repeat(40);
        b.extend(std::iter::repeat_n(0u8, 4096));
        b.extend_from_slice(&b"2025-01-01T10:05:00Z kernel: back\n".repeat(40));
        let s = ok(&b);
        assert_eq!(s.encoding, Encoding::Utf8);
        assert!(s.text.ends_with("kernel: back\n"));
        // NULs and a line: nothing around the hole to read.
        let mut z = vec![0u8; 8192];
        z.extend_from_slice(b"x\n");
        assert!(binary_kind(&z).is_some());
        assert!(binary_kind(&[0u8; 100]).is_some());
        // Binary data with zero runs is still binary: its other bytes say so.
        let blob: Vec<u8> = (0..8192u32)
            .map(|i| if i % 512 < 128 { 0 } else { (i * 7 % 32) as u8 })
            .collect();
        assert!(binary_kind(&blob).is_some());
    }

    #[test]
    fn cut_input_ends_at_a_line_boundary_with_a_note() {
        let opts = DecodeOptions {
            decompressed: true,
            cut: Some("the size cap (1 KiB) was reached".into()),
        };
        let s = try_decode_with("a.log.gz".into(), b"one\r\ntwo\nthr".to_vec(), opts);
        let s = s.ok();
        assert_eq!(s.as_ref().map(|s| s.text.as_str()), Some("one\r\ntwo\n"));
        let note = s.map(|s| s.notes);
        assert_eq!(
            note,
            Some(vec![Note::new(
                Some(2),
                "input cut short: the size cap (1 KiB) was reached; kept lines 1-2 (9 bytes), the rest is skipped"
            )])
        );
    }

    #[test]
    fn cut_utf16_input_keeps_whole_units() {
        let mut b = utf16("ab\r\r\ncd", true, false);
        b.push(b'e');
        let opts = DecodeOptions {
            decompressed: false,
            cut: Some("x".into()),
        };
        let s = try_decode_with("w.txt".into(), b, opts).ok();
        assert_eq!(s.as_ref().map(|s| s.text.as_str()), Some("ab\r\r\n"));
        assert_eq!(s.map(|s| s.raw_len), Some(10));
    }

    /// The UTF-16 decoding as it was before `encoding_rs`, one unit at a
    /// time: the reference the bulk decoder must equal, checkpoints included.
    fn utf16_one_unit_at_a_time(bytes: &[u8], start: usize, le: bool) -> Decoded {
        let body = bytes.get(start..).unwrap_or_default();
        let mut text = String::new();
        let mut map = OffsetMap::new(start.min(bytes.len()) as u64);
        let (mut count, mut first) = (0usize, None);
        for unit in char::decode_utf16(units(body, le)) {
            let (character, raw) = match unit {
                Ok(character) => (character, 2 * character.len_utf16() as u64),
                Err(_) => {
                    first.get_or_insert(text.len());
                    count += 1;
                    (char::REPLACEMENT_CHARACTER, 2)
                }
            };
            text.push(character);
            map.push(character.len_utf8() as u64, raw);
        }
        if body.len() % 2 == 1 {
            first.get_or_insert(text.len());
            count += 1;
            text.push(char::REPLACEMENT_CHARACTER);
            map.push(3, 1);
        }
        Decoded {
            checkpoints: map.finish(text.len() as u64, bytes.len() as u64),
            text,
            bad: first.map(|first| (count, first)),
        }
    }

    #[test]
    fn bulk_utf16_decoding_keeps_every_checkpoint_and_count() {
        let mut cases: Vec<Vec<u8>> = vec![
            Vec::new(),
            vec![b'a'],
            utf16("plain ascii\r\n", true, false),
            utf16("é中😀 mixed ascii é😀中\n", true, false),
            // Lone high surrogate before a BMP unit, before a high one, at the end.
            vec![
                0x00, 0xd8, b'a', 0, 0x00, 0xd8, 0x00, 0xd8, 0x00, 0xdc, 0x00, 0xd8,
            ],
            // Lone low surrogate, then a lone high surrogate and an odd byte.
            vec![0x00, 0xdc, b'b', 0, 0x00, 0xd8, b'c'],
        ];
        // Pseudo-random bytes, surrogate-heavy, of every length up to 64.
        let mut state = 0x2545_f491_u32;
        for len in 0..64 {
            let bytes = (0..len)
                .map(|_| {
                    state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    match (state >> 16) % 5 {
                        0 => 0xd8,
                        1 => 0xdc,
                        2 => 0,
                        _ => (state >> 8) as u8,
                    }
                })
                .collect();
            cases.push(bytes);
        }
        for bytes in &cases {
            for (start, le) in [(0, true), (0, false), (2, true), (1, false)] {
                let bulk = decode_utf16(bytes, start, le);
                let reference = utf16_one_unit_at_a_time(bytes, start, le);
                assert_eq!(bulk.text, reference.text, "{bytes:?} from {start}, le {le}");
                assert_eq!(bulk.checkpoints, reference.checkpoints, "{bytes:?}");
                assert_eq!(bulk.bad, reference.bad, "{bytes:?}");
            }
        }
    }

    #[test]
    fn invalid_utf8_bytes_read_with_the_whatwg_windows_1252_table() {
        const HIGH: [char; 32] = [
            '\u{20ac}', '\u{81}', '\u{201a}', '\u{192}', '\u{201e}', '\u{2026}', '\u{2020}',
            '\u{2021}', '\u{2c6}', '\u{2030}', '\u{160}', '\u{2039}', '\u{152}', '\u{8d}',
            '\u{17d}', '\u{8f}', '\u{90}', '\u{2018}', '\u{2019}', '\u{201c}', '\u{201d}',
            '\u{2022}', '\u{2013}', '\u{2014}', '\u{2dc}', '\u{2122}', '\u{161}', '\u{203a}',
            '\u{153}', '\u{9d}', '\u{17e}', '\u{178}',
        ];
        // Every byte 0x80..=0xFF alone is invalid UTF-8: one character each,
        // Latin-1 but for the printable characters of 0x80..0x9F.
        let bytes: Vec<u8> = (0x80..=0xffu8).collect();
        let decoded = decode_utf8(bytes.clone(), 0);
        let want: String = bytes
            .iter()
            .map(|byte| match byte {
                0x80..=0x9f => HIGH[usize::from(byte - 0x80)],
                _ => char::from(*byte),
            })
            .collect();
        assert_eq!(decoded.text, want);
        assert_eq!(decoded.bad, Some((128, 0)));
    }

    #[test]
    fn sizes_read_well() {
        assert_eq!(human_bytes(1 << 30), "1 GiB");
        assert_eq!(human_bytes(64 << 20), "64 MiB");
        assert_eq!(human_bytes(1500), "1500 bytes");
    }
}
