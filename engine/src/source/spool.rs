//! A spool: bytes that can be read only once (stdin, a decompressed archive)
//! kept as they are read, so they can be read again from any offset.
//!
//! The spool pulls from its reader lazily, one block at a time, only as far as
//! a read asks: a stream reading stdin reads it once, through the spool. The
//! first [`IN_MEMORY`] bytes are kept in memory; past that, everything moves to
//! an anonymous temporary file (deleted by the system when it is closed), so
//! memory stays bounded whatever the size. A read error ends the spool: reads
//! before it succeed, reads past it return the same error every time.
//!
//! This module never interprets the bytes, never writes anywhere but its own
//! temporary file, and never reads more from its reader than a read asked for
//! (plus one block).

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::sync::{Mutex, MutexGuard};

/// Bytes kept in memory before the spool moves to a temporary file.
pub const IN_MEMORY: u64 = 4 << 20;
/// Bytes pulled from the reader at a time.
const BLOCK: usize = 64 << 10;

/// See the module docs.
pub struct Spool {
    state: Mutex<State>,
}

impl std::fmt::Debug for Spool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = self.lock();
        f.debug_struct("Spool")
            .field("len", &s.len)
            .field("complete", &s.src.is_none())
            .finish()
    }
}

struct State {
    /// Where more bytes come from; `None` once it ended or failed.
    src: Option<Box<dyn Read + Send>>,
    store: Store,
    /// Bytes kept so far.
    len: u64,
    /// The error that ended the reader, returned to every read past `len`.
    failed: Option<(io::ErrorKind, String)>,
}

enum Store {
    Memory(Vec<u8>),
    File(File),
}

impl Spool {
    /// A spool over `src`, read lazily.
    pub fn new(src: Box<dyn Read + Send>) -> Spool {
        Spool {
            state: Mutex::new(State {
                src: Some(src),
                store: Store::Memory(Vec::new()),
                len: 0,
                failed: None,
            }),
        }
    }

    /// A spool holding everything `src` yields, read now (for a reader that
    /// cannot be kept); a read error is returned.
    pub fn filled(src: &mut dyn Read) -> io::Result<Spool> {
        let mut state = State {
            src: None,
            store: Store::Memory(Vec::new()),
            len: 0,
            failed: None,
        };
        let mut block = vec![0u8; BLOCK];
        loop {
            let n = match src.read(&mut block) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            state.append(block.get(..n).unwrap_or_default())?;
        }
        Ok(Spool {
            state: Mutex::new(state),
        })
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Reads at most `buf.len()` bytes at offset `pos`, pulling from the reader as needed.
    pub fn read_at(&self, pos: u64, buf: &mut [u8]) -> io::Result<usize> {
        let mut s = self.lock();
        while pos >= s.len && s.src.is_some() {
            s.fill();
        }
        if pos >= s.len {
            return match &s.failed {
                Some((kind, message)) => Err(io::Error::new(*kind, message.clone())),
                None => Ok(0),
            };
        }
        let n = usize::try_from(s.len - pos)
            .unwrap_or(usize::MAX)
            .min(buf.len());
        let out = buf.get_mut(..n).unwrap_or_default();
        match &mut s.store {
            Store::Memory(v) => {
                let start = usize::try_from(pos).unwrap_or(usize::MAX);
                let from = v.get(start..start.saturating_add(n)).unwrap_or_default();
                out.get_mut(..from.len())
                    .unwrap_or_default()
                    .copy_from_slice(from);
                Ok(from.len())
            }
            Store::File(f) => {
                f.seek(SeekFrom::Start(pos))?;
                f.read_exact(out)?;
                Ok(n)
            }
        }
    }

    /// Reads the reader to its end; the number of bytes kept.
    pub fn complete(&self) -> u64 {
        let mut s = self.lock();
        while s.src.is_some() {
            s.fill();
        }
        s.len
    }

    /// The error that ended the reader, if it failed.
    pub fn failure(&self) -> Option<io::Error> {
        let s = self.lock();
        s.failed
            .as_ref()
            .map(|(kind, message)| io::Error::new(*kind, message.clone()))
    }

    /// The number of bytes, when the reader has ended.
    pub fn len_if_complete(&self) -> Option<u64> {
        let s = self.lock();
        s.src.is_none().then_some(s.len)
    }
}

impl State {
    /// Pulls one block from the reader.
    fn fill(&mut self) {
        let Some(src) = self.src.as_mut() else {
            return;
        };
        let mut block = vec![0u8; BLOCK];
        let n = loop {
            match src.read(&mut block) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.fail(e.kind(), super::io_message(&e));
                    return;
                }
            }
        };
        if n == 0 {
            self.src = None;
            return;
        }
        let bytes = block.get(..n).unwrap_or_default();
        if let Err(e) = self.append(bytes) {
            let message = format!(
                "could not keep the input in a temporary file ({})",
                super::io_message(&e)
            );
            self.fail(e.kind(), message);
        }
    }

    fn fail(&mut self, kind: io::ErrorKind, message: String) {
        self.failed = Some((kind, message));
        self.src = None;
    }

    fn append(&mut self, bytes: &[u8]) -> io::Result<()> {
        let len = self.len + bytes.len() as u64;
        if let Store::Memory(v) = &mut self.store {
            if len > IN_MEMORY {
                // Past the memory budget: move to a temporary file. When none can be
                // made, keep the bytes in memory (correct, only larger).
                if let Ok(mut f) = tempfile::tempfile() {
                    f.write_all(v)?;
                    self.store = Store::File(f);
                }
            }
        }
        match &mut self.store {
            Store::Memory(v) => v.extend_from_slice(bytes),
            Store::File(f) => {
                f.seek(SeekFrom::End(0))?;
                f.write_all(bytes)?;
            }
        }
        self.len = len;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that yields `total` bytes `i % 251` in reads of at most 1000 bytes,
    /// then an error when `fail` is set.
    struct Counted {
        pos: u64,
        total: u64,
        fail: bool,
        pulled: std::sync::Arc<std::sync::atomic::AtomicU64>,
    }

    impl Read for Counted {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.pos >= self.total {
                if self.fail {
                    return Err(io::Error::other("broken pipe here"));
                }
                return Ok(0);
            }
            let n = buf.len().min(1000).min((self.total - self.pos) as usize);
            for (i, b) in buf.iter_mut().take(n).enumerate() {
                *b = ((self.pos + i as u64) % 251) as u8;
            }
            self.pos += n as u64;
            self.pulled
                .fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
            Ok(n)
        }
    }

    fn spool(total: u64, fail: bool) -> (Spool, std::sync::Arc<std::sync::atomic::AtomicU64>) {
        let pulled = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let src = Counted {
            pos: 0,
            total,
            fail,
            pulled: std::sync::Arc::clone(&pulled),
        };
        (Spool::new(Box::new(src)), pulled)
    }

    #[test]
    fn reads_lazily_and_again_from_any_offset_past_the_memory_budget() {
        let total = IN_MEMORY + 300_000;
        let (s, pulled) = spool(total, false);
        let mut buf = [0u8; 10];
        assert_eq!(s.read_at(5, &mut buf).unwrap(), 10);
        assert_eq!(buf[0], 5);
        // One read pulled at most a block, not the whole reader.
        assert!(pulled.load(std::sync::atomic::Ordering::Relaxed) <= BLOCK as u64);
        assert_eq!(s.len_if_complete(), None);
        let far = IN_MEMORY + 200_000;
        assert_eq!(s.read_at(far, &mut buf).unwrap(), 10);
        assert_eq!(buf[0], (far % 251) as u8);
        // Bytes before the move to the temporary file read the same.
        assert_eq!(s.read_at(1000, &mut buf).unwrap(), 10);
        assert_eq!(buf[0], (1000 % 251) as u8);
        assert_eq!(s.complete(), total);
        assert_eq!(s.read_at(total, &mut buf).unwrap(), 0);
        assert_eq!(s.read_at(total - 3, &mut buf).unwrap(), 3);
    }

    #[test]
    fn a_read_error_ends_the_spool_and_repeats() {
        let (s, _) = spool(5000, true);
        let mut buf = [0u8; 100];
        assert_eq!(s.read_at(4950, &mut buf).unwrap(), 50);
        for _ in 0..2 {
            let e = s.read_at(5000, &mut buf).unwrap_err();
            assert_eq!(e.to_string(), "broken pipe here");
        }
        assert_eq!(s.complete(), 5000);
    }
}
