//! The bytes a stream reads: an [`Input`]'s source, opened once and read in
//! order, under its limit, with the reason it ended early if it did.
//!
//! The head is read ahead (to decide how the source is read) and handed out
//! again first, so a source that can be read only once (stdin, a gzip stream)
//! is still read once. A read error or the limit ends the feed: what was read
//! stays, and [`Feed::cut`] says why the rest is missing, worded like a
//! source read whole says it. A UTF-16 source is read through a
//! [`Transcoder`]; [`Feed::raw_of`] maps the UTF-8 offsets it hands out back to
//! raw offsets. This module never parses and never holds more than the head
//! and one read.

use std::io::{self, Read};
use std::sync::{Arc, Mutex};

use crate::source::Input;
use crate::text::Encoding;

use super::transcode::{Bad, Map, Transcoder};

/// Why the raw bytes ended, and how many were read.
#[derive(Debug, Default)]
struct Status {
    read: u64,
    cut: Option<String>,
}

/// The raw bytes of an input, ending quietly at its limit or at a read error.
struct Raw {
    src: Box<dyn Read + Send>,
    input: Input,
    status: Arc<Mutex<Status>>,
    ended: bool,
}

impl Raw {
    fn end(&mut self, cut: Option<String>) {
        self.ended = true;
        let mut s = self.status.lock().unwrap_or_else(|e| e.into_inner());
        if s.cut.is_none() {
            s.cut = cut.or_else(|| self.input.cut.clone());
        }
    }
}

impl Read for Raw {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.ended || buf.is_empty() {
            return Ok(0);
        }
        let read = self.status.lock().map_or(0, |s| s.read);
        let room = match &self.input.limit {
            Some((n, why)) if read >= *n => {
                // At the limit: the source is cut if it has more.
                let mut probe = [0u8; 1];
                let more = matches!(self.src.read(&mut probe), Ok(1));
                let why = why.clone();
                self.end(more.then_some(why));
                return Ok(0);
            }
            Some((n, _)) => usize::try_from(n - read).unwrap_or(usize::MAX),
            None => usize::MAX,
        };
        let len = buf.len().min(room);
        let got = loop {
            match self.src.read(buf.get_mut(..len).unwrap_or_default()) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    let why = self.input.read_error(read, &e);
                    self.end(Some(why));
                    return Ok(0);
                }
            }
        };
        if got == 0 {
            self.end(None);
        } else if let Ok(mut s) = self.status.lock() {
            s.read += got as u64;
        }
        Ok(got)
    }
}

/// See the module docs.
pub struct Feed {
    reader: Box<dyn Read + Send>,
    /// Bytes read ahead by [`Feed::head`], handed out first.
    ahead: Vec<u8>,
    ahead_pos: usize,
    status: Arc<Mutex<Status>>,
    /// Set for a transcoded feed.
    map: Option<Arc<Mutex<Map>>>,
    bad: Option<Arc<Mutex<Bad>>>,
    /// The size the source said it has when opened (not for a transcoded feed).
    expected: Option<u64>,
    /// [`Feed::head`] reached the end: what is left is `ahead`.
    head_ended: bool,
}

/// Bytes read past what a source said its size was, per read (it may have grown).
const PAST_EXPECTED: usize = 4 << 10;

impl Feed {
    /// Opens `input` for one read from its start.
    pub fn open(input: &Input) -> io::Result<Feed> {
        if let Some(p) = &input.progress {
            p.reading(&input.display);
        }
        let status = Arc::new(Mutex::new(Status::default()));
        let raw = Raw {
            src: input.source.open_counted(input.progress.clone())?,
            input: input.clone(),
            status: Arc::clone(&status),
            ended: false,
        };
        Ok(Feed {
            reader: Box::new(raw),
            ahead: Vec::new(),
            ahead_pos: 0,
            status,
            map: None,
            bad: None,
            expected: input.source.len(),
            head_ended: false,
        })
    }

    /// The first `n` bytes (fewer when the source is shorter), read ahead.
    pub fn head(&mut self, n: usize) -> &[u8] {
        while self.ahead.len() < n && !self.head_ended {
            let old = self.ahead.len();
            // Grow as the source proves long (most sources are small), and no
            // further than its size says (a scan of many small files would
            // zero 64 KiB for each).
            let mut want = n.min(old.max(16 << 10) * 2);
            if let Some(size) = self.expected {
                let left = usize::try_from(size)
                    .unwrap_or(usize::MAX)
                    .saturating_sub(old);
                want = want.min(old + left.saturating_add(PAST_EXPECTED));
            }
            self.ahead.resize(want, 0);
            let got = self
                .reader
                .read(self.ahead.get_mut(old..).unwrap_or_default())
                .unwrap_or(0);
            self.ahead.truncate(old + got);
            if got == 0 {
                self.head_ended = true;
            }
        }
        self.ahead.get(self.ahead_pos..).unwrap_or_default()
    }

    /// The bytes left to read, when the head reached the end of the source.
    pub fn known_rest(&self) -> Option<usize> {
        self.head_ended
            .then(|| self.ahead.len().saturating_sub(self.ahead_pos))
    }

    /// This feed read through a UTF-16 transcoder (`None` for other encodings).
    pub fn transcoded(self, encoding: Encoding) -> Option<Feed> {
        let ahead = self
            .ahead
            .get(self.ahead_pos..)
            .unwrap_or_default()
            .to_vec();
        let raw = io::Cursor::new(ahead).chain(self.reader);
        let t = Transcoder::new(Box::new(raw), encoding)?;
        let (map, bad) = (t.map(), t.bad());
        Some(Feed {
            reader: Box::new(t),
            ahead: Vec::new(),
            ahead_pos: 0,
            status: self.status,
            map: Some(map),
            bad: Some(bad),
            expected: None,
            head_ended: false,
        })
    }

    /// Reads into `buf`; 0 at the end (the end of the source, its limit, or a read error).
    pub fn read(&mut self, buf: &mut [u8]) -> usize {
        if self.ahead_pos < self.ahead.len() {
            let rest = self.ahead.get(self.ahead_pos..).unwrap_or_default();
            let n = rest.len().min(buf.len());
            buf.get_mut(..n)
                .unwrap_or_default()
                .copy_from_slice(rest.get(..n).unwrap_or_default());
            self.ahead_pos += n;
            if self.ahead_pos >= self.ahead.len() {
                self.ahead = Vec::new();
                self.ahead_pos = 0;
            }
            return n;
        }
        loop {
            match self.reader.read(buf) {
                Ok(n) => return n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(_) => return 0,
            }
        }
    }

    /// Why the source ended early, once it has ended (a limit, a read error, a known cut).
    pub fn cut(&self) -> Option<String> {
        self.status.lock().ok().and_then(|s| s.cut.clone())
    }

    /// The raw offset of offset `at` of what this feed handed out.
    pub fn raw_of(&self, at: u64) -> u64 {
        match &self.map {
            Some(m) => m.lock().map_or(at, |m| m.raw_of(at)),
            None => at,
        }
    }

    /// Forgets the offset map below `at` (nothing before it will be asked again).
    pub fn forget_below(&self, at: u64) {
        if let Some(m) = &self.map {
            if let Ok(mut m) = m.lock() {
                m.prune(at);
            }
        }
    }

    /// Whether the feed is read through a transcoder (its offsets are not raw offsets).
    pub fn is_transcoded(&self) -> bool {
        self.map.is_some()
    }

    /// Undecodable UTF-16 units seen so far (a transcoded feed).
    pub fn bad_units(&self) -> Option<Bad> {
        self.bad.as_ref().and_then(|b| b.lock().ok().map(|b| *b))
    }
}
