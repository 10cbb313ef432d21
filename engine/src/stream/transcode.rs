//! UTF-16 to UTF-8 as the bytes are read, with the map from decoded offsets
//! back to raw offsets kept in bounded memory.
//!
//! The stream reads the UTF-8 this reader produces as if it were the source;
//! every event offset is mapped back through [`Map::raw_of`] before it leaves
//! the stream, so reports point at the bytes on disk. The map holds one
//! checkpoint wherever the raw/decoded slope changes (an ASCII run is one
//! checkpoint of stride 2) and is pruned below the stream's buffer as it
//! moves on, so it never holds more than the checkpoints of one batch. Lone
//! surrogates and an odd trailing byte become U+FFFD and are counted, like
//! [`crate::decode`] does for a source read whole.
//!
//! This module never parses, and never reads further than one block ahead of
//! what is asked.

use std::collections::VecDeque;
use std::io::{self, Read};
use std::sync::{Arc, Mutex};

use crate::text::Encoding;

/// Raw bytes decoded at a time.
const BLOCK: usize = 64 << 10;

/// Decoded-to-raw offsets of a transcoded stream.
#[derive(Debug, Default)]
pub struct Map {
    /// `(decoded, raw, stride)`: from `decoded` on, raw offsets advance `stride`
    /// raw bytes per decoded byte (0: a character whose bytes do not map one to one).
    checkpoints: VecDeque<(u64, u64, u8)>,
    /// Decoded and raw offsets of the end so far.
    decoded: u64,
    raw: u64,
    stride: Option<u8>,
}

impl Map {
    fn new(raw_start: u64) -> Map {
        Map {
            raw: raw_start,
            ..Map::default()
        }
    }

    /// Records one character: `decoded` bytes of UTF-8 from `raw` raw bytes.
    fn push(&mut self, decoded: u64, raw: u64) {
        let fits = self.stride.is_some_and(|s| raw == decoded * u64::from(s));
        if !fits {
            let stride = if raw.is_multiple_of(decoded) {
                u8::try_from(raw / decoded).unwrap_or(0)
            } else {
                0
            };
            self.checkpoints.push_back((self.decoded, self.raw, stride));
            self.stride = Some(stride);
        }
        self.decoded += decoded;
        self.raw += raw;
    }

    /// The raw offset of decoded offset `at` (a character boundary, or the end).
    pub fn raw_of(&self, at: u64) -> u64 {
        if at >= self.decoded {
            return self.raw + (at - self.decoded);
        }
        let i = self.checkpoints.partition_point(|c| c.0 <= at);
        match i.checked_sub(1).and_then(|i| self.checkpoints.get(i)) {
            Some(&(d, r, s)) => r + (at - d) * u64::from(s),
            None => at,
        }
    }

    /// Forgets what no offset at or past `at` needs.
    pub fn prune(&mut self, at: u64) {
        while self.checkpoints.get(1).is_some_and(|c| c.0 <= at) {
            self.checkpoints.pop_front();
        }
    }

    /// Checkpoints held (for tests of the memory bound).
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.checkpoints.len()
    }
}

/// Undecodable units seen: how many, and the line of the first.
#[derive(Debug, Default, Clone, Copy)]
pub struct Bad {
    pub count: u64,
    pub first_line: Option<u64>,
}

impl Bad {
    /// The note a source with bad units gets (`None` when it has none).
    pub fn note(&self) -> Option<crate::text::Note> {
        if self.count == 0 {
            return None;
        }
        let line = self.first_line.unwrap_or(0);
        Some(crate::text::Note::new(
            u32::try_from(line).ok(),
            format!(
                "{} invalid UTF-16 {} (lone surrogates or an odd trailing byte) \
                 became U+FFFD (first on line {line})",
                self.count,
                if self.count == 1 { "unit" } else { "units" }
            ),
        ))
    }
}

/// A UTF-16 reader producing UTF-8 (see the module docs).
pub struct Transcoder {
    src: Box<dyn Read + Send>,
    le: bool,
    /// A byte of a unit split across reads.
    odd: Option<u8>,
    /// A high surrogate waiting for its low half.
    high: Option<u16>,
    /// Bytes to skip first (a BOM).
    skip: usize,
    out: Vec<u8>,
    out_pos: usize,
    eof: bool,
    /// Lines ended so far in the output (for the line of the first bad unit).
    lines: u64,
    map: Arc<Mutex<Map>>,
    bad: Arc<Mutex<Bad>>,
}

impl Transcoder {
    /// A transcoder for `encoding` (a UTF-16 one) over the raw bytes `src`,
    /// with the map and counts it fills.
    pub fn new(src: Box<dyn Read + Send>, encoding: Encoding) -> Option<Transcoder> {
        let (le, bom) = match encoding {
            Encoding::Utf16Le => (true, false),
            Encoding::Utf16LeBom => (true, true),
            Encoding::Utf16Be => (false, false),
            Encoding::Utf16BeBom => (false, true),
            _ => return None,
        };
        let skip = if bom { 2 } else { 0 };
        Some(Transcoder {
            src,
            le,
            odd: None,
            high: None,
            skip,
            out: Vec::new(),
            out_pos: 0,
            eof: false,
            lines: 0,
            map: Arc::new(Mutex::new(Map::new(skip as u64))),
            bad: Arc::new(Mutex::new(Bad::default())),
        })
    }

    pub fn map(&self) -> Arc<Mutex<Map>> {
        Arc::clone(&self.map)
    }

    pub fn bad(&self) -> Arc<Mutex<Bad>> {
        Arc::clone(&self.bad)
    }

    /// Decodes the next block of raw bytes into `out`.
    fn decode_block(&mut self) -> io::Result<()> {
        let mut raw = vec![0u8; BLOCK];
        let n = loop {
            match self.src.read(&mut raw) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        };
        raw.truncate(n);
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        let mut bad = self.bad.lock().unwrap_or_else(|e| e.into_inner());
        let mut units: Vec<u16> = Vec::with_capacity(n / 2 + 1);
        let mut bytes = raw.as_slice();
        let skip = self.skip.min(bytes.len());
        bytes = bytes.get(skip..).unwrap_or_default();
        self.skip -= skip;
        if let (Some(a), Some(&b)) = (self.odd, bytes.first()) {
            units.push(self.unit(a, b));
            self.odd = None;
            bytes = bytes.get(1..).unwrap_or_default();
        }
        let mut pairs = bytes.chunks_exact(2);
        for p in &mut pairs {
            if let [a, b] = *p {
                units.push(self.unit(a, b));
            }
        }
        if let [a] = *pairs.remainder() {
            self.odd = Some(a);
        }
        if n == 0 {
            self.eof = true;
        }
        let mut emit = |out: &mut Vec<u8>, lines: &mut u64, c: char, raw: u64, ok: bool| {
            if !ok {
                bad.count += 1;
                bad.first_line.get_or_insert(*lines + 1);
            }
            let mut tmp = [0u8; 4];
            let s = c.encode_utf8(&mut tmp);
            out.extend_from_slice(s.as_bytes());
            if c == '\n' {
                *lines += 1;
            }
            map.push(s.len() as u64, raw);
        };
        for u in units {
            match (self.high.take(), u) {
                (Some(h), 0xDC00..=0xDFFF) => {
                    let c = char::decode_utf16([h, u]).next().and_then(|r| r.ok());
                    emit(
                        &mut self.out,
                        &mut self.lines,
                        c.unwrap_or('\u{fffd}'),
                        4,
                        c.is_some(),
                    );
                }
                (prev, _) => {
                    if prev.is_some() {
                        emit(&mut self.out, &mut self.lines, '\u{fffd}', 2, false);
                    }
                    match u {
                        0xD800..=0xDBFF => self.high = Some(u),
                        0xDC00..=0xDFFF => {
                            emit(&mut self.out, &mut self.lines, '\u{fffd}', 2, false)
                        }
                        _ => {
                            let c = char::from_u32(u32::from(u)).unwrap_or('\u{fffd}');
                            emit(&mut self.out, &mut self.lines, c, 2, true);
                        }
                    }
                }
            }
        }
        if self.eof {
            if self.high.take().is_some() {
                emit(&mut self.out, &mut self.lines, '\u{fffd}', 2, false);
            }
            if self.odd.take().is_some() {
                emit(&mut self.out, &mut self.lines, '\u{fffd}', 1, false);
            }
        }
        Ok(())
    }

    fn unit(&self, a: u8, b: u8) -> u16 {
        if self.le {
            u16::from_le_bytes([a, b])
        } else {
            u16::from_be_bytes([a, b])
        }
    }
}

impl Read for Transcoder {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.out_pos >= self.out.len() {
            if self.eof {
                return Ok(0);
            }
            self.out.clear();
            self.out_pos = 0;
            self.decode_block()?;
        }
        let rest = self.out.get(self.out_pos..).unwrap_or_default();
        let n = rest.len().min(buf.len());
        buf.get_mut(..n)
            .unwrap_or_default()
            .copy_from_slice(rest.get(..n).unwrap_or_default());
        self.out_pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(s: &str, le: bool) -> Vec<u8> {
        s.encode_utf16()
            .flat_map(|u| if le { u.to_le_bytes() } else { u.to_be_bytes() })
            .collect()
    }

    /// A reader that returns at most 3 bytes per read (units split across reads).
    struct Trickle(io::Cursor<Vec<u8>>);

    impl Read for Trickle {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = buf.len().min(3);
            self.0.read(&mut buf[..n])
        }
    }

    #[test]
    fn decodes_and_maps_offsets_back_like_decode_does() {
        let text = "a\u{e9}b\u{4e2d}\u{1F600}z\r\nline two\n";
        for (le, enc) in [(true, Encoding::Utf16LeBom), (false, Encoding::Utf16BeBom)] {
            let mut raw = if le {
                vec![0xff, 0xfe]
            } else {
                vec![0xfe, 0xff]
            };
            raw.extend(utf16(text, le));
            let whole = crate::decode::decode("t".into(), raw.clone());
            let mut t =
                Transcoder::new(Box::new(Trickle(io::Cursor::new(raw))), enc).expect("utf-16");
            let map = t.map();
            let mut out = String::new();
            t.read_to_string(&mut out).unwrap();
            assert_eq!(out, text);
            let map = map.lock().unwrap();
            for (i, _) in text.char_indices().chain([(text.len(), ' ')]) {
                assert_eq!(map.raw_of(i as u64), whole.raw_offset(i), "at {i}");
            }
        }
    }

    #[test]
    fn lone_surrogates_and_an_odd_byte_are_counted() {
        let mut raw = utf16("ok\n", true);
        raw.extend([0x00, 0xd8]); // a lone high surrogate
        raw.extend(utf16("x\n", true));
        raw.push(b'y'); // an odd trailing byte
        let mut t =
            Transcoder::new(Box::new(io::Cursor::new(raw)), Encoding::Utf16Le).expect("utf-16");
        let bad = t.bad();
        let mut out = String::new();
        t.read_to_string(&mut out).unwrap();
        assert_eq!(out, "ok\n\u{fffd}x\n\u{fffd}");
        let bad = *bad.lock().unwrap();
        assert_eq!((bad.count, bad.first_line), (2, Some(2)));
    }

    #[test]
    fn the_map_stays_small_once_pruned() {
        let line = "\u{e9}t\u{e9} ascii\n".repeat(50_000);
        let raw = utf16(&line, true);
        let mut t =
            Transcoder::new(Box::new(io::Cursor::new(raw)), Encoding::Utf16Le).expect("utf-16");
        let map = t.map();
        let mut buf = vec![0u8; 1 << 16];
        let mut read = 0u64;
        let mut most = 0;
        loop {
            let n = t.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            read += n as u64;
            let mut m = map.lock().unwrap();
            m.prune(read.saturating_sub(1000));
            most = most.max(m.len());
        }
        // Four checkpoints per line, a block's worth at most: never the whole file's.
        assert!(most < 40_000, "{most} checkpoints held");
        assert_eq!(read, line.len() as u64);
    }
}
