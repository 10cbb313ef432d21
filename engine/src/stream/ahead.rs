//! Read-ahead: each large streamed source (small ones are read to their end
//! when opened, see `scan`) is read on its own thread, ahead of the matcher,
//! so parsing overlaps matching and several files are parsed at once. All
//! streams share one byte budget ([`BUDGET`]); a stream may always have
//! [`MIN_AHEAD`] segments in flight, so the source the matcher waits for can
//! never be starved by sources it does not need yet.
//!
//! Memory: at most the budget plus `MIN_AHEAD` segments per stream. This
//! module only moves segments between threads; it never parses or matches.

use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::Scope;

use crate::segment::{Segment, SegmentStream};

/// Bytes of segments (text plus an estimate per event) read ahead, all streams together.
pub const BUDGET: u64 = 2 << 20;
/// Segments a stream may have in flight whatever the budget.
pub const MIN_AHEAD: u32 = 2;
/// Estimated bytes of one parsed event besides its text.
const EVENT_COST: u64 = 256;

/// The shared budget.
#[derive(Debug, Default)]
pub struct Budget {
    state: Mutex<State>,
    changed: Condvar,
}

#[derive(Debug, Default)]
struct State {
    used: u64,
    /// Segments in flight per stream.
    ahead: Vec<u32>,
    /// The matcher stopped reading: producers must not wait any more.
    closed: bool,
}

impl Budget {
    pub fn new() -> Arc<Budget> {
        Arc::new(Budget::default())
    }

    /// Waits until stream `slot` may send a segment of `cost` bytes, and takes it.
    fn acquire(&self, slot: usize, cost: u64) {
        let Ok(mut s) = self.state.lock() else {
            return;
        };
        if s.ahead.len() <= slot {
            s.ahead.resize(slot + 1, 0);
        }
        loop {
            let ahead = s.ahead.get(slot).copied().unwrap_or(0);
            if s.closed || ahead < MIN_AHEAD || s.used + cost <= BUDGET {
                break;
            }
            s = match self.changed.wait(s) {
                Ok(s) => s,
                Err(_) => return,
            };
        }
        s.used += cost;
        if let Some(a) = s.ahead.get_mut(slot) {
            *a += 1;
        }
    }

    /// Gives back what a received segment took.
    fn release(&self, slot: usize, cost: u64) {
        if let Ok(mut s) = self.state.lock() {
            s.used = s.used.saturating_sub(cost);
            if let Some(a) = s.ahead.get_mut(slot) {
                *a = a.saturating_sub(1);
            }
        }
        self.changed.notify_all();
    }

    fn close(&self) {
        if let Ok(mut s) = self.state.lock() {
            s.closed = true;
        }
        self.changed.notify_all();
    }
}

fn cost(seg: &Segment<'_>) -> u64 {
    seg.text.len() as u64 + seg.events.len() as u64 * EVENT_COST
}

/// Reads `stream` (stream number `slot`) on a thread of `scope`, ahead of the consumer.
pub fn spawn<'scope, 'env: 'scope, 'a: 'env>(
    scope: &'scope Scope<'scope, 'env>,
    stream: SegmentStream<'a>,
    budget: &Arc<Budget>,
    slot: usize,
) -> SegmentStream<'scope> {
    let (tx, rx) = mpsc::channel::<(Segment<'a>, u64)>();
    let producer = Arc::clone(budget);
    scope.spawn(move || {
        for seg in stream {
            let c = cost(&seg);
            producer.acquire(slot, c);
            if tx.send((seg, c)).is_err() {
                producer.release(slot, c);
                return; // the matcher stopped reading
            }
        }
    });
    let ahead = Ahead {
        rx,
        budget: Arc::clone(budget),
        slot,
    };
    // `Segment` is covariant, the stream's item type is not: shorten it here.
    #[allow(clippy::map_identity)]
    Box::new(ahead.map(|seg| -> Segment<'scope> { seg }))
}

/// The consumer side of one stream.
struct Ahead<'a> {
    rx: Receiver<(Segment<'a>, u64)>,
    budget: Arc<Budget>,
    slot: usize,
}

impl<'a> Iterator for Ahead<'a> {
    type Item = Segment<'a>;

    fn next(&mut self) -> Option<Segment<'a>> {
        let (seg, c) = self.rx.recv().ok()?;
        self.budget.release(self.slot, c);
        Some(seg)
    }
}

impl Drop for Ahead<'_> {
    fn drop(&mut self) {
        self.budget.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    fn seg(i: u32, bytes: usize) -> Segment<'static> {
        Segment {
            source: i,
            text: Cow::Owned("x".repeat(bytes)),
            events: Cow::Owned(Vec::new()),
        }
    }

    #[test]
    fn every_segment_arrives_in_order_across_streams_over_budget() {
        // Segments four times the budget: each stream still moves MIN_AHEAD at a time.
        let big = (BUDGET as usize) * 4;
        let budget = Budget::new();
        let got: Vec<Vec<usize>> = std::thread::scope(|scope| {
            let mut streams: Vec<SegmentStream<'_>> = (0..3)
                .map(|s| {
                    let segs: Vec<Segment<'static>> = (0..5).map(|_| seg(s, big / 1000)).collect();
                    spawn(scope, Box::new(segs.into_iter()), &budget, s as usize)
                })
                .collect();
            // Read them interleaved, last stream first, as a timeline might.
            let mut out = vec![Vec::new(); 3];
            for _ in 0..5 {
                for (i, s) in streams.iter_mut().enumerate().rev() {
                    out[i].push(s.next().map_or(0, |g| g.text.len()));
                }
            }
            for s in &mut streams {
                assert!(s.next().is_none());
            }
            out
        });
        assert_eq!(got, vec![vec![big / 1000; 5]; 3]);
    }

    #[test]
    fn a_consumer_that_stops_early_does_not_hang_the_producer() {
        let budget = Budget::new();
        std::thread::scope(|scope| {
            let segs: Vec<Segment<'static>> = (0..100).map(|_| seg(0, 1 << 20)).collect();
            let mut s = spawn(scope, Box::new(segs.into_iter()), &budget, 0);
            assert!(s.next().is_some());
            drop(s);
        });
    }
}
