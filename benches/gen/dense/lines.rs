//! Where generated lines go: an [`Episode`] collects the lines of one stretch
//! of the session (a start-up, a conversation, an incident) in any order, and
//! the [`Sink`] writes them sorted by time, whole, while they fit in the
//! requested size.
//!
//! Lines live in one reused arena, so writing a line allocates nothing. The
//! sink never writes part of a line and never writes past the size it was given.

use std::io::{self, Write};

/// One record: its time, its bytes in the arena, whether it is a server's own stderr.
#[derive(Debug, Clone, Copy)]
struct Entry {
    t: u64,
    start: u32,
    end: u32,
    stderr: bool,
}

/// The lines of one stretch of the session.
#[derive(Debug, Default)]
pub struct Episode {
    arena: Vec<u8>,
    entries: Vec<Entry>,
    open: bool,
    /// The latest time of any line so far.
    pub last: u64,
}

impl Episode {
    fn close(&mut self) {
        if self.open {
            if let Some(e) = self.entries.last_mut() {
                e.end = self.arena.len() as u32;
            }
            self.open = false;
        }
    }

    fn begin(&mut self, t: u64, stderr: bool) -> &mut Vec<u8> {
        self.close();
        let at = self.arena.len() as u32;
        self.entries.push(Entry {
            t,
            start: at,
            end: at,
            stderr,
        });
        self.open = true;
        self.last = self.last.max(t);
        &mut self.arena
    }

    /// Starts a record at time `t` (ms); append its bytes (no final newline) to the result.
    pub fn line(&mut self, t: u64) -> &mut Vec<u8> {
        self.begin(t, false)
    }

    /// Starts a record that is the server's own output, not the client's.
    pub fn stderr(&mut self, t: u64) -> &mut Vec<u8> {
        self.begin(t, true)
    }

    fn clear(&mut self) {
        self.arena.clear();
        self.entries.clear();
        self.open = false;
    }
}

/// Counts of what was written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub bytes: u64,
    /// Physical lines.
    pub lines: u64,
    /// Records (a multi-line entry is one).
    pub records: u64,
    /// Records that are a server's own stderr.
    pub stderr_records: u64,
}

/// Writes episodes to `w` until `limit` bytes would be exceeded.
pub struct Sink<'w, W: Write> {
    w: &'w mut W,
    limit: u64,
    pub counts: Counts,
    /// The next record did not fit: nothing more is written.
    pub full: bool,
}

impl<'w, W: Write> Sink<'w, W> {
    pub fn new(w: &'w mut W, limit: u64) -> Self {
        Sink {
            w,
            limit,
            counts: Counts::default(),
            full: false,
        }
    }

    /// Writes `ep`'s records in time order (stable: same-time records keep their order), then clears it.
    pub fn flush(&mut self, ep: &mut Episode) -> io::Result<()> {
        ep.close();
        ep.entries.sort_by_key(|e| e.t);
        for e in &ep.entries {
            if self.full {
                break;
            }
            let bytes = &ep.arena[e.start as usize..e.end as usize];
            let len = bytes.len() as u64 + 1;
            if self.counts.bytes + len > self.limit {
                self.full = true;
                break;
            }
            self.w.write_all(bytes)?;
            self.w.write_all(b"\n")?;
            self.counts.bytes += len;
            self.counts.lines += 1 + memchr_count(bytes);
            self.counts.records += 1;
            self.counts.stderr_records += u64::from(e.stderr);
        }
        ep.clear();
        Ok(())
    }
}

fn memchr_count(b: &[u8]) -> u64 {
    b.iter().filter(|c| **c == b'\n').count() as u64
}
