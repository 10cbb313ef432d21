//! Scan progress for a front end to show: how many input bytes were read, out
//! of how many, and which input is being read.
//!
//! The engine counts bytes as its readers take them from disk (or from stdin,
//! or a compressed stream before decompression), so the count matches the sizes
//! a user sees; sizes are added as inputs are found. Counters are atomics a
//! front end may read from another thread at any time. This module only
//! counts: it never prints, never sleeps and never decides anything.

use std::io::{self, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// See the module docs. Shared as an `Arc` between the engine and a front end.
#[derive(Debug, Default)]
pub struct Progress {
    total: AtomicU64,
    done: AtomicU64,
    current: Mutex<String>,
}

/// What [`Progress::snapshot`] saw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snapshot {
    /// Bytes of every input found so far (0 when no size is known, as for stdin).
    pub total: u64,
    /// Bytes read so far.
    pub done: u64,
    /// The input read last (its display name), empty before the first.
    pub current: String,
}

impl Progress {
    pub fn new() -> Arc<Progress> {
        Arc::new(Progress::default())
    }

    /// Adds an input of `bytes` to the total.
    pub fn add_total(&self, bytes: u64) {
        self.total.fetch_add(bytes, Ordering::Relaxed);
    }

    /// Counts `bytes` more as read.
    pub fn advance(&self, bytes: u64) {
        self.done.fetch_add(bytes, Ordering::Relaxed);
    }

    /// Names the input being read.
    pub fn reading(&self, name: &str) {
        if let Ok(mut c) = self.current.lock() {
            c.clear();
            c.push_str(name);
        }
    }

    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            total: self.total.load(Ordering::Relaxed),
            done: self.done.load(Ordering::Relaxed),
            current: self.current.lock().map(|c| c.clone()).unwrap_or_default(),
        }
    }
}

/// A reader that counts what it reads into a [`Progress`].
pub struct Counting<R> {
    inner: R,
    progress: Option<Arc<Progress>>,
}

impl<R> Counting<R> {
    /// `inner`, counted into `progress` when there is one.
    pub fn new(inner: R, progress: Option<Arc<Progress>>) -> Counting<R> {
        Counting { inner, progress }
    }
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(p) = &self.progress {
            p.advance(n as u64);
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_what_is_read_and_names_the_input() {
        let p = Progress::new();
        p.add_total(10);
        p.reading("a.log");
        let mut r = Counting::new(&b"hello world"[..], Some(Arc::clone(&p)));
        let mut out = Vec::new();
        r.read_to_end(&mut out).unwrap();
        assert_eq!(
            p.snapshot(),
            Snapshot {
                total: 10,
                done: 11,
                current: "a.log".into()
            }
        );
    }

    #[test]
    fn without_a_progress_nothing_is_counted() {
        let mut r = Counting::new(&b"abc"[..], None);
        let mut out = Vec::new();
        assert_eq!(r.read_to_end(&mut out).unwrap(), 3);
    }
}
