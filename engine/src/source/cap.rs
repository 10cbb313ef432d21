//! The caps a read is bounded by ([`Cap`]), the decompression budget of one
//! top-level input ([`Budget`]) and the capped read itself ([`read_capped`]):
//! the numbers `read.rs` and `whole.rs` decide with, and the words every cut
//! or skip is explained in.
//!
//! This module only counts and words: it never opens a source, never decides
//! which cap applies to what, and never reads more than the cap plus one byte
//! (to tell a cut).

use std::io::{self, Read};

use super::Limits;
use crate::decode::human_bytes;

/// The decompression budget of one top-level input: the compression ratio
/// cap of its own bytes (at least the ratio floor, once), shared down the
/// whole nesting tree. Every byte decompressed at any level is charged: a zip
/// member by its declared size (which its reader never exceeds), the content
/// of a gzip stream by its length. Charged in the order the tree is listed,
/// before anything is streamed, so which member it cuts never depends on the
/// thread count.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Budget {
    /// The top-level input the budget belongs to.
    pub(crate) top: String,
    /// Its compressed size, and the whole budget.
    pub(crate) compressed: u64,
    pub(crate) total: u64,
    /// What is left.
    pub(crate) left: u64,
}

impl Budget {
    /// Charges `decompressed` bytes.
    pub(crate) fn charge(&mut self, decompressed: u64) {
        self.left = self.left.saturating_sub(decompressed);
    }

    /// Why a source was cut or skipped by this budget.
    pub(crate) fn reason(&self, limits: &Limits) -> String {
        format!(
            "the decompression budget of `{}` ({}: {}:1 of its {} bytes, at least {}, \
             shared by every container nested in it) was reached (a possible decompression bomb)",
            self.top,
            human_bytes(self.total),
            limits.max_ratio,
            self.compressed,
            human_bytes(limits.ratio_floor)
        )
    }
}

/// Which cap bounded a read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cap {
    Source(u64),
    Total(u64),
    Ratio(u64),
    /// What is left of the top-level input's [`Budget`].
    Budget(u64),
}

impl Cap {
    pub(crate) fn bytes(self) -> u64 {
        match self {
            Cap::Source(bytes) | Cap::Total(bytes) | Cap::Ratio(bytes) | Cap::Budget(bytes) => {
                bytes
            }
        }
    }

    /// Why a read stopped at this cap; `budget` words [`Cap::Budget`].
    pub(crate) fn reason(self, limits: &Limits, budget: Option<&Budget>) -> String {
        match self {
            Cap::Budget(_) => match budget {
                Some(budget) => budget.reason(limits),
                None => Cap::Ratio(0).reason(limits, None),
            },
            Cap::Source(bytes) => format!(
                "the per-source size cap ({}) was reached",
                human_bytes(bytes)
            ),
            Cap::Total(_) => format!(
                "the total input cap ({}) was reached",
                human_bytes(limits.max_total_bytes)
            ),
            Cap::Ratio(_) => format!(
                "the compression ratio cap ({}:1) was reached (a possible decompression bomb)",
                limits.max_ratio
            ),
        }
    }

    /// The tighter of `self` and a ratio cap of `ratio_bytes` bytes.
    pub(crate) fn or_ratio(self, ratio_bytes: u64) -> Cap {
        if ratio_bytes < self.bytes() {
            Cap::Ratio(ratio_bytes)
        } else {
            self
        }
    }

    /// The tighter of two optional caps.
    pub(crate) fn tighter(first: Option<Cap>, second: Option<Cap>) -> Option<Cap> {
        match (first, second) {
            (Some(first), Some(second)) => Some(if second.bytes() < first.bytes() {
                second
            } else {
                first
            }),
            (first, None) => first,
            (None, second) => second,
        }
    }
}

/// The bytes of a capped read: what was read, whether the cap cut it, and the
/// error that ended it early, if any.
pub(crate) struct Capped {
    pub(crate) bytes: Vec<u8>,
    pub(crate) truncated: bool,
    pub(crate) error: Option<io::Error>,
}

/// Reads `reader` to its end, keeping at most `cap` bytes (one more is read
/// to tell a cut).
pub(crate) fn read_capped(reader: impl Read, cap: u64) -> Capped {
    let mut bytes = Vec::new();
    let result = reader.take(cap.saturating_add(1)).read_to_end(&mut bytes);
    let truncated = bytes.len() as u64 > cap;
    if truncated {
        bytes.truncate(usize::try_from(cap).unwrap_or(usize::MAX));
    }
    Capped {
        bytes,
        truncated,
        error: result.err(),
    }
}
