//! Deterministic log generators shared by the bench targets (`pipeline`,
//! `throughput`): `formats`, one sample per log format with MCP incidents
//! spliced in, and `dense`, long MCP client sessions in the real shapes of
//! four clients' logs.
//!
//! Everything here is seeded and reproducible; nothing reads the network or
//! the clock, and nothing here is ever committed as a large file.

pub mod dense;
pub mod formats;

/// A small seeded generator (xorshift64*): enough to vary background lines
/// without the `rand` crate.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A value in `0..n` (`0` when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
}

/// A time `ms` milliseconds after 2025-06-03 00:00:00 as (day of June, h, m, s, ms).
/// Days wrap within June, so any count of lines gives valid dates.
pub fn clock(ms: u64) -> (u64, u64, u64, u64, u64) {
    let s = ms / 1000;
    let day = 3 + (s / 86_400) % 27;
    (day, (s / 3600) % 24, (s / 60) % 60, s % 60, ms % 1000)
}

/// `2025-06-03T07:23:52.664Z` for line time `ms`.
pub fn iso(ms: u64) -> String {
    let (d, h, m, s, f) = clock(ms);
    format!("2025-06-{d:02}T{h:02}:{m:02}:{s:02}.{f:03}Z")
}
