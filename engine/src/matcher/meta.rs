//! What the timeline must know about a whole parsed source before reading it.
//!
//! [`meta_of`] derives a [`SourceMeta`] from a [`ParsedSource`] (its
//! [`Order`] by [`order_of`], whether its timestamps are naive or zone-aware),
//! and [`whole`] hands the source to the matcher as one borrowed segment: the
//! path by which [`crate::matcher::run_with`] feeds sources read whole to the
//! streaming matcher. This module only inspects timestamps; it never orders
//! records (that is `timeline`) nor copies event text.

use std::borrow::Cow;

use crate::event::Event;
use crate::parse::ParsedSource;
use crate::segment::{Order, Segment, SegmentStream, SourceMeta};

/// The [`SourceMeta`] of a source read whole.
pub fn meta_of(src: &ParsedSource) -> SourceMeta {
    SourceMeta {
        id: src.id,
        path: src.text.path.clone(),
        format: src.format,
        order: order_of(&src.events),
        naive_ts: src
            .events
            .iter()
            .any(|event| event.ts.is_some_and(|timestamp| timestamp.naive)),
        aware_ts: src
            .events
            .iter()
            .any(|event| event.ts.is_some_and(|timestamp| !timestamp.naive)),
    }
}

/// How the timeline orders these records (all of a source, in file order):
/// untimed without any timestamp, reversed when the timestamps mostly
/// decrease (newest-first exports), else forward from the first timestamp.
pub fn order_of(events: &[Event]) -> Order {
    let Some(first) = events.iter().find_map(|event| event.ts) else {
        return Order::Untimed;
    };
    if mostly_decreasing(events) {
        Order::Reversed
    } else {
        Order::Forward { first_ts: first.ms }
    }
}

/// More than twice as many decreasing as increasing steps between timestamps.
fn mostly_decreasing(events: &[Event]) -> bool {
    let (mut up, mut down) = (0u32, 0u32);
    let mut prev: Option<i64> = None;
    for timestamp in events.iter().filter_map(|event| event.ts) {
        if let Some(previous) = prev {
            if timestamp.ms > previous {
                up += 1;
            } else if timestamp.ms < previous {
                down += 1;
            }
        }
        prev = Some(timestamp.ms);
    }
    down >= 2 && down > 2 * up
}

/// `src` as a stream of one borrowed segment.
pub fn whole(src: &ParsedSource) -> SegmentStream<'_> {
    Box::new(std::iter::once(Segment {
        source: src.id,
        text: Cow::Borrowed(src.text.text.as_str()),
        events: Cow::Borrowed(src.events.as_slice()),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matcher::testkit::source;

    #[test]
    fn order_follows_the_timestamps() {
        let untimed = source(0, "x", &[(None, "a", None)]);
        let forward = source(1, "x", &[(None, "a", None), (Some(7), "b", None)]);
        let reversed = source(
            2,
            "x",
            &[
                (Some(9), "c", None),
                (Some(8), "b", None),
                (Some(7), "a", None),
            ],
        );
        assert_eq!(order_of(&untimed.events), Order::Untimed);
        assert_eq!(order_of(&forward.events), Order::Forward { first_ts: 7 });
        assert_eq!(order_of(&reversed.events), Order::Reversed);
        let m = meta_of(&forward);
        assert_eq!(
            (m.id, m.path.as_str(), m.format, m.naive_ts, m.aware_ts),
            (1, "src1.log", "x", false, true)
        );
    }
}
