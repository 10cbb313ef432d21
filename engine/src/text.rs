//! A source's decoded text and the map from decoded offsets back to bytes on disk.
//!
//! `decode` produces a [`SourceText`]; `frame` and `parse` read its `text`;
//! reports turn decoded offsets back into on-disk offsets with
//! [`SourceText::raw_offset`]. This module never reads files or guesses encodings.

/// How the bytes of a source were decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16LeBom,
    Utf16Be,
    Utf16BeBom,
    /// Mostly UTF-8 with invalid bytes read as Windows-1252 (each such byte noted once per source).
    Utf8Lossy,
}

impl Encoding {
    /// Name used in reports (`utf-8`, `utf-16le`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf8Bom => "utf-8-bom",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16LeBom => "utf-16le-bom",
            Encoding::Utf16Be => "utf-16be",
            Encoding::Utf16BeBom => "utf-16be-bom",
            Encoding::Utf8Lossy => "utf-8-lossy",
        }
    }
}

/// Something the reader of a report should know about an input: a cut line,
/// undecodable bytes, a skipped region, a guessed time zone.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Note {
    /// 1-based physical line the note is about, when it is about one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    pub message: String,
}

impl Note {
    pub fn new(line: Option<u32>, message: impl Into<String>) -> Note {
        Note {
            line,
            message: message.into(),
        }
    }
}

/// A point where the decoded-to-raw offset map changes slope or shifts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    pub decoded: u32,
    pub raw: u64,
    pub stride: u8,
}

/// One input, decoded.
#[derive(Clone, Debug)]
pub struct SourceText {
    /// Display path: the file path as given, `archive.zip!member/path` for archive
    /// members, `-` for stdin.
    pub path: String,
    pub encoding: Encoding,
    /// Number of raw bytes (after decompression, when `decompressed`).
    pub raw_len: u64,
    /// Offsets refer to the decompressed stream, not the file on disk.
    pub decompressed: bool,
    /// The decoded text. Line terminators are kept as they were (CRLF, CR CR LF, LF, CR).
    pub text: String,
    pub notes: Vec<Note>,
    /// Checkpoints sorted by `decoded`: from each checkpoint on, raw offsets advance
    /// `stride` raw bytes per decoded byte until the next checkpoint (stride 1 for
    /// UTF-8 runs, 2 for ASCII runs of UTF-16). Empty means the identity map.
    pub checkpoints: Vec<Checkpoint>,
}

impl SourceText {
    /// A source whose text is its raw bytes (valid UTF-8, no BOM).
    pub fn identity(path: impl Into<String>, text: String) -> SourceText {
        SourceText {
            path: path.into(),
            encoding: Encoding::Utf8,
            raw_len: text.len() as u64,
            decompressed: false,
            text,
            notes: Vec::new(),
            checkpoints: Vec::new(),
        }
    }

    /// The raw (on-disk) byte offset of decoded offset `decoded`.
    pub fn raw_offset(&self, decoded: usize) -> u64 {
        let decoded = decoded.min(self.text.len()) as u32;
        match self.checkpoints.partition_point(|c| c.decoded <= decoded) {
            0 => decoded as u64,
            i => {
                let c = self.checkpoints[i - 1];
                c.raw + u64::from(decoded - c.decoded) * u64::from(c.stride)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_map_without_checkpoints() {
        let s = SourceText::identity("a", "hello".into());
        assert_eq!(s.raw_offset(3), 3);
        assert_eq!(s.raw_offset(99), 5);
    }

    #[test]
    fn checkpoints_shift_offsets() {
        let mut s = SourceText::identity("a", "abcdef".into());
        let cp = |decoded, raw, stride| Checkpoint {
            decoded,
            raw,
            stride,
        };
        s.checkpoints = vec![cp(0, 3, 1), (cp(2, 10, 2))];
        assert_eq!(s.raw_offset(0), 3);
        assert_eq!(s.raw_offset(1), 4);
        assert_eq!(s.raw_offset(2), 10);
        assert_eq!(s.raw_offset(5), 16);
    }
}
