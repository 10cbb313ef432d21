//! Byte sources: where the bytes of one input come from, opened as often as
//! needed (sniffed, streamed, then re-read for evidence), never held whole.
//!
//! A [`ByteSource`] is a plain file, bytes in memory, a [`Spool`] (stdin, or a
//! container that must be read in one pass and then seeked), a slice of
//! another source (a tar member, a stored zip member), a gzip stream over
//! another source (decompressed again at every open; all members of a
//! multi-member file), or a zip member (inflated, length and CRC checked).
//! Sources nest: `bundle.tar.gz!logs/mcp.log.gz` is a gzip over a slice of a
//! spool over a gzip over a file.
//!
//! Every source can be opened for a sequential read from its start
//! ([`ByteSource::open`]); files, memory, spools and their slices can also be
//! read at any offset ([`ByteSource::random`]). Evidence is re-read with
//! [`ByteSource::read_ranges`]: by offset when the source can seek, else in
//! one sequential pass in increasing order.
//!
//! This module never interprets bytes (containers are recognised by
//! `container`, text by `decode`) and never writes to disk except through
//! [`Spool`].

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use flate2::read::{DeflateDecoder, MultiGzDecoder};

use super::spool::Spool;
use crate::progress::{Counting, Progress};

/// See the module docs. Cloning shares the source.
#[derive(Clone, Debug)]
pub struct ByteSource(Arc<Kind>);

#[derive(Debug)]
enum Kind {
    File(PathBuf),
    Memory(Vec<u8>),
    Spool(Spool),
    Slice {
        inner: ByteSource,
        start: u64,
        len: u64,
    },
    /// At most `len` bytes of a source that cannot seek.
    Take {
        inner: ByteSource,
        len: u64,
    },
    Gzip(ByteSource),
    ZipMember {
        /// The member's stored bytes (a slice of the archive).
        data: ByteSource,
        deflated: bool,
        /// Declared uncompressed size and CRC-32.
        size: u64,
        crc: u32,
    },
}

impl ByteSource {
    /// The file at `path` (opened at each read).
    pub fn file(path: impl Into<PathBuf>) -> ByteSource {
        ByteSource(Arc::new(Kind::File(path.into())))
    }

    /// Bytes in memory.
    pub fn memory(bytes: Vec<u8>) -> ByteSource {
        ByteSource(Arc::new(Kind::Memory(bytes)))
    }

    /// Bytes read once from `src` (stdin), kept as they are read (see [`Spool`]).
    pub fn spool(src: Box<dyn Read + Send>) -> ByteSource {
        ByteSource(Arc::new(Kind::Spool(Spool::new(src))))
    }

    /// Everything `src` yields, read now into a spool.
    pub fn spool_from(src: &mut dyn Read) -> io::Result<ByteSource> {
        Ok(ByteSource(Arc::new(Kind::Spool(Spool::filled(src)?))))
    }

    /// This source's bytes read once through a spool (to seek in a source that cannot).
    pub(crate) fn spooled(&self) -> io::Result<ByteSource> {
        if self.can_seek() {
            return Ok(self.clone());
        }
        Ok(ByteSource::spool(self.open()?))
    }

    /// `len` bytes from `start` of this source (which must be able to seek).
    pub(crate) fn slice(&self, start: u64, len: u64) -> ByteSource {
        match &*self.0 {
            Kind::Slice {
                inner,
                start: s,
                len: l,
            } => {
                let start = s.saturating_add(start.min(*l));
                let len = len.min(l.saturating_sub(start - s));
                inner.slice_raw(start, len)
            }
            _ => self.slice_raw(start, len),
        }
    }

    fn slice_raw(&self, start: u64, len: u64) -> ByteSource {
        ByteSource(Arc::new(Kind::Slice {
            inner: self.clone(),
            start,
            len,
        }))
    }

    /// At most the first `len` bytes of this source.
    pub(crate) fn limited(&self, len: u64) -> ByteSource {
        if self.can_seek() {
            return self.slice(0, len);
        }
        ByteSource(Arc::new(Kind::Take {
            inner: self.clone(),
            len,
        }))
    }

    /// The error that ended a spool's reader, if it failed (after [`ByteSource::seek_len`]).
    pub(crate) fn failure(&self) -> Option<io::Error> {
        match &*self.0 {
            Kind::Spool(s) => s.failure(),
            Kind::Slice { inner, .. } => inner.failure(),
            _ => None,
        }
    }

    /// The decompressed content of this gzip source.
    pub(crate) fn gunzip(&self) -> ByteSource {
        ByteSource(Arc::new(Kind::Gzip(self.clone())))
    }

    /// A zip member whose stored bytes are `data`.
    pub(crate) fn zip_member(data: ByteSource, deflated: bool, size: u64, crc: u32) -> ByteSource {
        ByteSource(Arc::new(Kind::ZipMember {
            data,
            deflated,
            size,
            crc,
        }))
    }

    /// The path of a plain file source.
    pub fn path(&self) -> Option<&Path> {
        match &*self.0 {
            Kind::File(p) => Some(p),
            _ => None,
        }
    }

    /// The number of bytes, when known without reading them all (a gzip's is not;
    /// a spool's once it has been read to its end).
    #[allow(clippy::len_without_is_empty)] // an unknown length has no emptiness either
    pub fn len(&self) -> Option<u64> {
        match &*self.0 {
            Kind::File(p) => std::fs::metadata(p).ok().map(|m| m.len()),
            Kind::Memory(v) => Some(v.len() as u64),
            Kind::Spool(s) => s.len_if_complete(),
            Kind::Slice { inner, start, len } => {
                inner.len().map(|l| l.saturating_sub(*start).min(*len))
            }
            Kind::Take { inner, len } => inner.len().map(|l| l.min(*len)),
            Kind::Gzip(_) => None,
            Kind::ZipMember { size, .. } => Some(*size),
        }
    }

    /// The number of bytes of a source that can seek, reading a spool to its end.
    pub(crate) fn seek_len(&self) -> Option<u64> {
        match &*self.0 {
            Kind::Spool(s) => Some(s.complete()),
            Kind::Slice { inner, start, len } => {
                inner.seek_len().map(|l| l.saturating_sub(*start).min(*len))
            }
            _ => self.len(),
        }
    }

    /// Whether [`ByteSource::random`] reads it at any offset.
    pub fn can_seek(&self) -> bool {
        matches!(
            &*self.0,
            Kind::File(_) | Kind::Memory(_) | Kind::Spool(_) | Kind::Slice { .. }
        )
    }

    /// The number of bytes stored, when known: a compressed source's
    /// compressed size (what a progress display counts, see [`ByteSource::open_counted`]).
    pub fn stored_len(&self) -> Option<u64> {
        match &*self.0 {
            Kind::Gzip(inner) => inner.len(),
            Kind::ZipMember { data, .. } => data.len(),
            _ => self.len(),
        }
    }

    /// A sequential read from the start.
    pub fn open(&self) -> io::Result<Box<dyn Read + Send>> {
        self.open_counted(None)
    }

    /// [`ByteSource::open`], counting into `progress` the bytes read as they are
    /// stored (before decompression: [`ByteSource::stored_len`] of them in all).
    pub fn open_counted(
        &self,
        progress: Option<Arc<Progress>>,
    ) -> io::Result<Box<dyn Read + Send>> {
        match &*self.0 {
            Kind::File(_) | Kind::Memory(_) | Kind::Spool(_) | Kind::Slice { .. } => {
                Ok(Box::new(Counting::new(self.at()?, progress)))
            }
            Kind::Take { inner, len } => Ok(Box::new(inner.open_counted(progress)?.take(*len))),
            Kind::Gzip(inner) => Ok(Box::new(MultiGzDecoder::new(inner.open_counted(progress)?))),
            Kind::ZipMember {
                data,
                deflated,
                size,
                crc,
            } => {
                let raw = data.open_counted(progress)?;
                let inner: Box<dyn Read + Send> = if *deflated {
                    Box::new(DeflateDecoder::new(raw))
                } else {
                    raw
                };
                Ok(Box::new(Checked {
                    inner,
                    left: *size,
                    crc: flate2::Crc::new(),
                    want: *crc,
                }))
            }
        }
    }

    /// A reader that can seek, for sources that can (else `None`).
    pub(crate) fn random(&self) -> Option<io::Result<At>> {
        self.can_seek().then(|| self.at())
    }

    fn at(&self) -> io::Result<At> {
        match &*self.0 {
            Kind::File(p) => Ok(At::new(Base::File(File::open(p)?), 0, None)),
            Kind::Memory(_) | Kind::Spool(_) => Ok(At::new(Base::Shared(self.clone()), 0, None)),
            Kind::Slice { inner, start, len } => {
                let mut at = inner.at()?;
                let len = self.seek_len().unwrap_or(*len);
                at.start = *start;
                at.end = Some(start.saturating_add(len));
                at.seek_to(*start)?;
                Ok(at)
            }
            Kind::Take { .. } | Kind::Gzip(_) | Kind::ZipMember { .. } => Err(io::Error::new(
                io::ErrorKind::Unsupported,
                "a compressed stream cannot be read at an offset",
            )),
        }
    }

    /// Reads at `pos` of a memory or spool source.
    fn read_shared(&self, pos: u64, buf: &mut [u8]) -> io::Result<usize> {
        match &*self.0 {
            Kind::Memory(v) => {
                let start = usize::try_from(pos).unwrap_or(usize::MAX).min(v.len());
                let from = v.get(start..).unwrap_or_default();
                let n = from.len().min(buf.len());
                buf.get_mut(..n)
                    .unwrap_or_default()
                    .copy_from_slice(from.get(..n).unwrap_or_default());
                Ok(n)
            }
            Kind::Spool(s) => s.read_at(pos, buf),
            _ => Ok(0),
        }
    }

    /// The bytes of each `start..end` range (at most `max` bytes of each): by
    /// offset when the source can seek, else in one pass over the stream in
    /// increasing order. A range that cannot be read gives what was read of it.
    pub fn read_ranges(&self, ranges: &[(u64, u64)], max: u64) -> Vec<Vec<u8>> {
        let want = |&(s, e): &(u64, u64)| (s, e.min(s.saturating_add(max)).max(s));
        if let Some(Ok(mut at)) = self.random() {
            return ranges
                .iter()
                .map(|r| {
                    let (s, e) = want(r);
                    let mut buf = Vec::new();
                    if at.seek(SeekFrom::Start(s)).is_ok() {
                        let _ = (&mut at).take(e - s).read_to_end(&mut buf);
                    }
                    buf
                })
                .collect();
        }
        let mut order: Vec<usize> = (0..ranges.len()).collect();
        order.sort_by_key(|&i| ranges.get(i).map(want));
        let mut out = vec![Vec::new(); ranges.len()];
        let Ok(mut r) = self.open() else {
            return out;
        };
        let mut pos = 0u64;
        // The bytes from `window.0` to `pos`: what ranges read since the last gap.
        let mut window: (u64, Vec<u8>) = (0, Vec::new());
        for i in order {
            let Some((s, e)) = ranges.get(i).map(want) else {
                continue;
            };
            if s >= pos {
                if io::copy(&mut (&mut r).take(s - pos), &mut io::sink()).ok() != Some(s - pos) {
                    break;
                }
                pos = s;
                window = (s, Vec::new());
            }
            if e > pos {
                let before = window.1.len();
                let _ = (&mut r).take(e - pos).read_to_end(&mut window.1);
                pos += (window.1.len() - before) as u64;
            }
            let from = usize::try_from(s.saturating_sub(window.0)).unwrap_or(usize::MAX);
            let to = usize::try_from(e.min(pos).saturating_sub(window.0)).unwrap_or(usize::MAX);
            if let (Some(slot), Some(bytes)) = (out.get_mut(i), window.1.get(from..to.max(from))) {
                *slot = bytes.to_vec();
            }
        }
        out
    }
}

/// Where an [`At`] reads from.
#[derive(Debug)]
enum Base {
    File(File),
    /// A memory or spool source.
    Shared(ByteSource),
}

/// A reader over a seekable source, within `start..end` of its base.
#[derive(Debug)]
pub(crate) struct At {
    base: Base,
    start: u64,
    /// `None`: up to the base's end.
    end: Option<u64>,
    /// Absolute offset in the base.
    pos: u64,
}

impl At {
    fn new(base: Base, start: u64, end: Option<u64>) -> At {
        At {
            base,
            start,
            end,
            pos: start,
        }
    }

    fn seek_to(&mut self, pos: u64) -> io::Result<()> {
        if let Base::File(f) = &mut self.base {
            f.seek(SeekFrom::Start(pos))?;
        }
        self.pos = pos;
        Ok(())
    }

    /// The absolute end of the readable range.
    fn end_offset(&mut self) -> io::Result<u64> {
        if let Some(e) = self.end {
            return Ok(e);
        }
        match &self.base {
            Base::File(f) => Ok(f.metadata()?.len()),
            Base::Shared(s) => Ok(s.seek_len().unwrap_or(0)),
        }
    }
}

impl Read for At {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let room = match self.end {
            Some(e) => usize::try_from(e.saturating_sub(self.pos)).unwrap_or(usize::MAX),
            None => usize::MAX,
        };
        let buf_len = buf.len().min(room);
        let buf = buf.get_mut(..buf_len).unwrap_or_default();
        if buf.is_empty() {
            return Ok(0);
        }
        let n = match &mut self.base {
            Base::File(f) => f.read(buf)?,
            Base::Shared(s) => s.read_shared(self.pos, buf)?,
        };
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for At {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let target = match to {
            SeekFrom::Start(n) => Some(self.start.saturating_add(n)),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
            SeekFrom::End(d) => self.end_offset()?.checked_add_signed(d),
        };
        match target {
            Some(t) if t >= self.start => {
                self.seek_to(t)?;
                Ok(t - self.start)
            }
            _ => Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "seek before the start",
            )),
        }
    }
}

/// A zip member's decompressed bytes, cut at its declared size, with its CRC checked at the end.
struct Checked {
    inner: Box<dyn Read + Send>,
    left: u64,
    crc: flate2::Crc,
    want: u32,
}

impl Read for Checked {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 || buf.is_empty() {
            if buf.is_empty() || self.crc.sum() == self.want {
                return Ok(0);
            }
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "the member's checksum does not match (it is damaged)",
            ));
        }
        let room = usize::try_from(self.left)
            .unwrap_or(usize::MAX)
            .min(buf.len());
        let buf = buf.get_mut(..room).unwrap_or_default();
        let n = self.inner.read(buf)?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the member ends before its declared size",
            ));
        }
        self.crc.update(buf.get(..n).unwrap_or_default());
        self.left -= n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gz(bytes: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    }

    fn all(s: &ByteSource) -> Vec<u8> {
        let mut v = Vec::new();
        s.open().unwrap().read_to_end(&mut v).unwrap();
        v
    }

    #[test]
    fn slices_of_slices_and_memory_read_their_window() {
        let m = ByteSource::memory(b"0123456789abcdef".to_vec());
        let s = m.slice(2, 10).slice(3, 100);
        assert_eq!(all(&s), b"56789ab");
        assert_eq!(s.len(), Some(7));
        let mut at = s.random().unwrap().unwrap();
        at.seek(SeekFrom::Start(4)).unwrap();
        let mut b = [0u8; 2];
        at.read_exact(&mut b).unwrap();
        assert_eq!(&b, b"9a");
        assert_eq!(at.seek(SeekFrom::End(-1)).unwrap(), 6);
    }

    #[test]
    fn ranges_of_a_gzip_are_read_in_one_pass_in_any_order() {
        let text: Vec<u8> = (0..5000u32)
            .flat_map(|i| format!("{i}\n").into_bytes())
            .collect();
        let g = ByteSource::memory(gz(&text)).gunzip();
        assert!(!g.can_seek());
        let ranges = [(100, 110), (5, 9), (100, 104), (102, 120), (20_000, 20_010)];
        let got = g.read_ranges(&ranges, 1000);
        for (r, b) in ranges.iter().zip(&got) {
            let want = text
                .get(r.0 as usize..(r.1 as usize).min(text.len()))
                .unwrap_or_default();
            assert_eq!(b.as_slice(), want, "{r:?}");
        }
        // The same through a seekable source, with `max` cutting each range.
        let m = ByteSource::memory(text.clone());
        assert_eq!(m.read_ranges(&[(5, 9)], 2), vec![text[5..7].to_vec()]);
    }

    #[test]
    fn a_spool_reads_like_the_bytes_it_was_fed() {
        let s = ByteSource::spool(Box::new(io::Cursor::new(b"hello\nworld\n".to_vec())));
        assert_eq!(s.len(), None);
        assert_eq!(all(&s), b"hello\nworld\n");
        assert_eq!(s.len(), Some(12));
        assert_eq!(s.read_ranges(&[(6, 11)], 100), vec![b"world".to_vec()]);
    }

    #[test]
    fn a_zip_member_checks_its_size_and_crc() {
        let data = b"stored member\n".to_vec();
        let mut crc = flate2::Crc::new();
        crc.update(&data);
        let ok = ByteSource::zip_member(ByteSource::memory(data.clone()), false, 14, crc.sum());
        assert_eq!(all(&ok), data);
        let bad = ByteSource::zip_member(ByteSource::memory(data.clone()), false, 14, 7);
        let mut v = Vec::new();
        let e = bad.open().unwrap().read_to_end(&mut v).unwrap_err();
        assert!(e.to_string().contains("checksum"), "{e}");
        let short = ByteSource::zip_member(ByteSource::memory(data), false, 20, crc.sum());
        let e = short.open().unwrap().read_to_end(&mut v).unwrap_err();
        assert!(e.to_string().contains("declared size"), "{e}");
    }
}
