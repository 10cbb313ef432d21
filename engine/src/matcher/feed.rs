//! One source on its way into the timeline: the segments it holds and its reorder buffer.
//!
//! A [`Feed`] pulls the source's segments lazily and yields its records in
//! the source's processing order (see `timeline` for the ordering keys):
//! - **untimed**: file order, one segment at a time;
//! - **forward**: a min-heap by `(key, arrival)`; the smallest record is
//!   released once its key is strictly below the newest timestamp seen in the
//!   source minus `max_disorder` (no later record can sort before it: an
//!   on-time record is at least that, a late one takes the newest time, an
//!   untimed one inherits one of those), or at the end of the stream. This is
//!   exactly the stable sort of the whole source by key. Over `cap` buffered
//!   records, the smallest is released anyway and counted in
//!   [`Feed::overflow`] (a later record may then sort before it);
//! - **reversed**: the whole source is collected first (only sources read
//!   whole are reversed), then processed newest-first like today.
//!
//! Memory: the buffered records (at most `cap` plus one segment, and at
//! most [`REORDER_BYTES`] of segments unless one segment is more) and the
//! segments they point into. A segment is dropped as soon as every one of its
//! records was [`Feed::done`]. This module reads only timestamps; it never
//! looks at record content.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use crate::event::{Event, Timestamp};
use crate::segment::{Order, Segment, SegmentStream};

/// Default cap on a source's reorder buffer, in records.
pub const REORDER_CAP: usize = 4_096;
/// Cap on the bytes of segments a source's reorder buffer holds (their text,
/// plus [`EVENT_BYTES`] per event): long records that share one timestamp
/// are released early past it, as past [`REORDER_CAP`].
pub const REORDER_BYTES: usize = 8 << 20;
/// What one held event is counted for besides its text.
const EVENT_BYTES: usize = 256;

/// A buffered record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Item {
    /// Ordering key (ms).
    pub key: i64,
    /// Position in the source's processing order (ties between equal keys).
    pub arrival: u64,
    /// Index of the record among the source's records in file order.
    pub event: u32,
    /// Number of its segment within the source.
    pub seg: u64,
    /// Index of the event within its segment.
    pub idx: u32,
    /// Arrived more than `max_disorder` behind the source's newest record.
    pub late: bool,
}

struct Held<'a> {
    seg: Segment<'a>,
    /// Records of the segment not yet [`Feed::done`].
    left: usize,
}

/// See the module docs.
pub(crate) struct Feed<'a> {
    stream: Option<SegmentStream<'a>>,
    order: Order,
    /// Held segments; `None` once all its records were processed.
    segs: VecDeque<Option<Held<'a>>>,
    /// Number of the segment at the front of `segs`.
    seg_base: u64,
    /// Records pulled so far.
    pulled: u64,
    key: i64,
    /// Newest own timestamp seen (forward sources).
    newest: Option<i64>,
    buf: BinaryHeap<Reverse<Item>>,
    max_disorder: i64,
    cap: usize,
    /// Records released early because the buffer was over `cap` or [`REORDER_BYTES`].
    pub overflow: u64,
    /// Bytes and number of the held segments (see [`REORDER_BYTES`]).
    held_bytes: usize,
    held_segs: usize,
}

impl<'a> Feed<'a> {
    pub fn new(order: Order, stream: SegmentStream<'a>, max_disorder: i64, cap: usize) -> Feed<'a> {
        // The source's first timestamp counts as seen: a record more than
        // `max_disorder` older is late even when the first record was not kept,
        // so no key is below `first_ts - max_disorder` (see [`lower_bound`]).
        let (key, newest) = match order {
            Order::Forward { first_ts } => (first_ts, Some(first_ts)),
            _ => (0, None),
        };
        Feed {
            stream: Some(stream),
            order,
            segs: VecDeque::new(),
            seg_base: 0,
            pulled: 0,
            key,
            newest,
            buf: BinaryHeap::new(),
            max_disorder: max_disorder.max(0),
            cap: cap.max(1),
            overflow: 0,
            held_bytes: 0,
            held_segs: 0,
        }
    }

    pub fn order(&self) -> Order {
        self.order
    }

    /// The next record in processing order, pulling segments as needed; `None`
    /// when the source is exhausted. Stays the same until [`Feed::pop`].
    pub fn head(&mut self) -> Option<Item> {
        loop {
            if let Some(&Reverse(top)) = self.buf.peek() {
                if self.ready(&top) != Ready::No {
                    return Some(top);
                }
            }
            if !self.pull() && self.buf.is_empty() {
                // Exhausted: a scan of many small files keeps a feed per file.
                self.buf = BinaryHeap::new();
                self.trim();
                self.segs.shrink_to_fit();
                return None;
            }
        }
    }

    /// Takes the head (see [`Feed::head`]).
    pub fn pop(&mut self) -> Option<Item> {
        let top = self.head()?;
        if self.ready(&top) == Ready::OverCap {
            self.overflow += 1;
        }
        self.buf.pop();
        Some(top)
    }

    /// The event of `item` and the text of its segment.
    pub fn event(&self, item: &Item) -> Option<(&Event, &str)> {
        self.event_at(item.seg, item.idx)
    }

    fn event_at(&self, seg: u64, idx: u32) -> Option<(&Event, &str)> {
        let at = usize::try_from(seg.checked_sub(self.seg_base)?).ok()?;
        let held = self.segs.get(at)?.as_ref()?;
        Some((held.seg.events.get(idx as usize)?, &held.seg.text))
    }

    /// Marks one record of segment `seg` processed; drops finished segments.
    pub fn done(&mut self, seg: u64) {
        let at = seg
            .checked_sub(self.seg_base)
            .and_then(|offset| usize::try_from(offset).ok());
        if let Some(slot) = at.and_then(|offset| self.segs.get_mut(offset)) {
            if let Some(held) = slot {
                held.left = held.left.saturating_sub(1);
                if held.left == 0 {
                    self.held_bytes = self.held_bytes.saturating_sub(cost(&held.seg));
                    self.held_segs = self.held_segs.saturating_sub(1);
                    *slot = None;
                }
            }
        }
        self.trim();
    }

    /// Forgets finished (or empty) segments at the front.
    fn trim(&mut self) {
        while matches!(self.segs.front(), Some(None)) {
            self.segs.pop_front();
            self.seg_base += 1;
        }
    }

    /// Over [`REORDER_BYTES`] in more than one segment (a source read whole is one).
    fn over_bytes(&self) -> bool {
        self.held_bytes > REORDER_BYTES && self.held_segs > 1
    }

    fn ready(&self, top: &Item) -> Ready {
        let Order::Forward { .. } = self.order else {
            return Ready::Yes;
        };
        let released = self
            .newest
            .is_some_and(|newest| top.key < newest.saturating_sub(self.max_disorder));
        if self.stream.is_none() || released {
            Ready::Yes
        } else if self.buf.len() > self.cap || self.over_bytes() {
            Ready::OverCap
        } else {
            Ready::No
        }
    }

    /// Pulls the next segment (all of them for a reversed source); false at the end.
    fn pull(&mut self) -> bool {
        if self.order == Order::Reversed {
            return self.pull_reversed();
        }
        let Some(seg) = self.stream.as_mut().and_then(Iterator::next) else {
            self.stream = None;
            return false;
        };
        let number = self.seg_base + self.segs.len() as u64;
        if self.buf.capacity() == 0 {
            // A small source is often one segment: hold just that (a scan of
            // many small files holds one feed per file); later ones grow as usual.
            self.buf.reserve_exact(seg.events.len());
            self.segs.reserve_exact(1);
        }
        for (idx, event) in seg.events.iter().enumerate() {
            let (key, late) = self.key_of(event.ts);
            self.buf.push(Reverse(Item {
                key,
                arrival: self.pulled,
                event: u32::try_from(self.pulled).unwrap_or(u32::MAX),
                seg: number,
                idx: u32::try_from(idx).unwrap_or(u32::MAX),
                late,
            }));
            self.pulled += 1;
        }
        self.hold(seg);
        true
    }

    /// The ordering key of the next record in processing order, and whether it is late.
    fn key_of(&mut self, ts: Option<Timestamp>) -> (i64, bool) {
        if self.order == Order::Untimed {
            return (0, false);
        }
        let mut late = false;
        if let Some(timestamp) = ts {
            self.key = timestamp.ms;
            if let Some(newest) = self.newest {
                if self.key < newest.saturating_sub(self.max_disorder) {
                    late = true;
                    self.key = newest;
                }
            }
            self.newest = Some(
                self.newest
                    .map_or(timestamp.ms, |newest| newest.max(timestamp.ms)),
            );
        }
        (self.key, late)
    }

    fn hold(&mut self, seg: Segment<'a>) {
        let left = seg.events.len();
        if left > 0 {
            self.held_bytes += cost(&seg);
            self.held_segs += 1;
        }
        self.segs
            .push_back((left > 0).then_some(Held { seg, left }));
        self.trim();
    }

    /// Collects the whole source, then queues it newest-first.
    fn pull_reversed(&mut self) -> bool {
        let Some(stream) = self.stream.take() else {
            return false;
        };
        let mut at: Vec<(u64, u32)> = Vec::new();
        let mut first = None;
        for seg in stream {
            let number = self.seg_base + self.segs.len() as u64;
            for (idx, event) in seg.events.iter().enumerate() {
                first = first.or(event.ts.map(|timestamp| timestamp.ms));
                at.push((number, u32::try_from(idx).unwrap_or(u32::MAX)));
            }
            self.hold(seg);
        }
        self.key = first.unwrap_or(0);
        for (arrival, &(seg, idx)) in at.iter().enumerate().rev() {
            let ts = self.event_at(seg, idx).and_then(|(event, _)| event.ts);
            let (key, late) = self.key_of(ts);
            self.buf.push(Reverse(Item {
                key,
                arrival: self.pulled,
                event: u32::try_from(arrival).unwrap_or(u32::MAX),
                seg,
                idx,
                late,
            }));
            self.pulled += 1;
        }
        true
    }
}

/// No record of a forward source starting at `first_ts` has a key below this
/// (every key is a timestamp at most `max_disorder` older than the newest seen,
/// or the newest itself, and `first_ts` counts as seen): the timeline may
/// leave such a source unread until the merge reaches it.
pub(crate) fn lower_bound(first_ts: i64, max_disorder: i64) -> i64 {
    first_ts.saturating_sub(max_disorder.max(0))
}

/// Whether a forward source may release its smallest record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ready {
    Yes,
    /// Only because the buffer is over its cap.
    OverCap,
    No,
}

/// What a held segment is counted for (see [`REORDER_BYTES`]).
fn cost(seg: &Segment<'_>) -> usize {
    seg.text.len() + seg.events.len() * EVENT_BYTES
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matcher::testkit::{segments, source, Row};

    #[test]
    fn finished_segments_are_dropped_while_reading() {
        let rows: Vec<Row<'_>> = (0..1_000).map(|i| (Some(i * 1_000), "r", None)).collect();
        let src = source(0, "x", &rows);
        let cuts: Vec<usize> = (1..rows.len()).collect();
        let stream = Box::new(segments(&src, &cuts).into_iter());
        let mut feed = Feed::new(Order::Forward { first_ts: 0 }, stream, 2_000, REORDER_CAP);
        let (mut most, mut events) = (0, Vec::new());
        while let Some(item) = feed.pop() {
            most = most.max(feed.segs.iter().flatten().count());
            events.push(item.event);
            feed.done(item.seg);
        }
        // A record is released once a record 3 s newer arrived: 4 segments at most.
        assert_eq!(most, 4);
        assert_eq!(events, (0..1_000).collect::<Vec<u32>>());
        assert_eq!((feed.segs.len(), feed.overflow), (0, 0));
    }

    #[test]
    fn empty_segments_are_not_held() {
        let src = source(0, "x", &[(None, "a", None), (None, "b", None)]);
        // Cuts at 0 and 2 give empty segments before and after the records.
        let stream = Box::new(segments(&src, &[0, 0, 1, 2, 2]).into_iter());
        let mut feed = Feed::new(Order::Untimed, stream, 2_000, REORDER_CAP);
        let first = feed.pop().map(|i| (i.event, i.seg));
        assert_eq!((first, feed.segs.len()), (Some((0, 2)), 1));
        feed.done(2);
        let second = feed.pop().map(|i| (i.event, i.seg));
        assert_eq!((second, feed.segs.len()), (Some((1, 3)), 1));
        feed.done(3);
        assert_eq!((feed.pop(), feed.segs.len(), feed.seg_base), (None, 0, 6));
    }
}
