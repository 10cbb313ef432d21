//! The evictions of one rule: partials and remembered records dropped to
//! stay under the memory caps, counted in all and per key.
//!
//! Per key only for the first [`MAX_EVICTED_KEYS`] keys: a map over every key
//! ever evicted would grow with the input on a log that opens a partial for
//! every line. This module only counts: it must never choose what to evict.

use std::collections::HashMap;

use crate::matcher::hits::Key;

/// Keys whose evictions are counted one by one.
const MAX_EVICTED_KEYS: usize = 10_000;

/// See the module docs.
#[derive(Debug, Default)]
pub(crate) struct Evictions {
    per_key: HashMap<Option<Key>, u32>,
    total: u64,
}

impl Evictions {
    /// Counts `evicted` evictions of `key`.
    pub fn count(&mut self, key: Option<Key>, evicted: u32) {
        self.total += u64::from(evicted);
        if let Some(counted) = self.per_key.get_mut(&key) {
            *counted += evicted;
        } else if self.per_key.len() < MAX_EVICTED_KEYS {
            self.per_key.insert(key, evicted);
        }
    }

    /// Evictions counted for `key` (0 past the counted keys).
    pub fn of(&self, key: &Option<Key>) -> u32 {
        self.per_key.get(key).copied().unwrap_or(0)
    }

    /// Evictions of every key.
    pub fn total(&self) -> u64 {
        self.total
    }
}

#[cfg(test)]
mod tests {
    use super::{Evictions, MAX_EVICTED_KEYS};
    use crate::matcher::hits::Key;

    fn key(name: &str) -> Option<Key> {
        Some(vec![name.into()].into())
    }

    #[test]
    fn counts_per_key_until_the_key_cap_and_always_in_all() {
        let mut evictions = Evictions::default();
        for index in 0..MAX_EVICTED_KEYS {
            evictions.count(key(&index.to_string()), 1);
        }
        evictions.count(key("0"), 2);
        evictions.count(key("one too many"), 5);
        assert_eq!(evictions.of(&key("0")), 3);
        assert_eq!(evictions.of(&key("one too many")), 0);
        assert_eq!(evictions.total(), MAX_EVICTED_KEYS as u64 + 7);
    }
}
