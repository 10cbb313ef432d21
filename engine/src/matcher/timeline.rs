//! The global order in which the matcher sees records: one timeline over all sources.
//!
//! Order, from the first record to the last:
//! - **Sources without any timestamp** come first, one after the other in source
//!   order, each in file order. They take no part in cross-source time
//!   constraints (their records have no time), so placing them first is the one
//!   choice that never lets them interrupt or witness a timed sequence: a
//!   trailing absence anchored on a timed record is never "disproved" by a record
//!   we cannot place in time, and config or status dumps (the usual untimed
//!   sources) are read before the logs they describe.
//! - **Timed sources** are k-way merged by ordering key; equal keys across sources
//!   go by source index; within a source by position (file order is the tiebreak).
//!
//! A record's ordering key is its own timestamp; a record without one inherits the
//! key of the record before it in the same source (records before the source's
//! first timestamp take that first timestamp). A per-source reorder buffer of
//! `max_disorder` ms sorts small inversions; a record more than `max_disorder`
//! older than the newest record seen before it in its source is *late*: it keeps
//! its arrival position (its key is raised to that newest time). A source whose
//! timestamps mostly decrease (newest-first exports such as `Get-WinEvent`) is
//! read in reverse.
//!
//! Each entry carries the *watermark*: the largest own timestamp of any record at
//! or before it in the timeline. For a record without its own timestamp the
//! watermark is a lower bound of its time, which is what lets the matcher prove a
//! window was exceeded (and expire partials by event time) without ever rejecting
//! a match on a guess.
//!
//! [`naive_tz_notes`] says which sources the reader should know were merged on a
//! guessed zone: their timestamps had no UTC offset and no `--tz` was given,
//! while another source's timestamps had one.
//!
//! This module only orders; it never looks at record content.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::event::SourceId;
use crate::parse::ParsedSource;
use crate::text::Note;

/// The note [`naive_tz_notes`] adds.
pub const NAIVE_TZ_NOTE: &str =
    "timestamps have no UTC offset and were read as UTC; pass --tz <zone> if they are local time";

/// Default reorder buffer: inversions up to this many ms within a source are sorted.
pub const DEFAULT_MAX_DISORDER: i64 = 2_000;

/// One record in global order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Index of the source in the slice given to [`Timeline::new`].
    pub source: u32,
    /// Index of the event in that source's `events`.
    pub event: u32,
    /// The record's own timestamp (ms), if it has one.
    pub ts: Option<i64>,
    /// Largest own timestamp at or before this entry (see the module docs).
    pub wm: Option<i64>,
    /// The record arrived more than the reorder buffer behind its source's newest record.
    pub late: bool,
}

/// Per-source order: event indices with their ordering keys.
struct SourceOrder {
    /// `(key, event index, late)` in processing order.
    items: Vec<(i64, u32, bool)>,
}

/// The k-way merge without timestamps filled in.
struct Merge {
    untimed: Vec<u32>,
    untimed_at: usize,
    untimed_event: usize,
    untimed_len: Vec<usize>,
    orders: Vec<SourceOrder>,
    heap: BinaryHeap<Reverse<(i64, u32, u32)>>,
    wm: Option<i64>,
}

impl Merge {
    fn new(sources: &[ParsedSource], max_disorder: i64) -> Merge {
        let mut untimed = Vec::new();
        let mut untimed_len = vec![0; sources.len()];
        let mut orders = Vec::with_capacity(sources.len());
        let mut heap = BinaryHeap::new();
        for (i, src) in sources.iter().enumerate() {
            let order = source_order(src, max_disorder.max(0));
            match order {
                None => {
                    untimed.push(i as u32);
                    untimed_len[i] = src.events.len();
                    orders.push(SourceOrder { items: Vec::new() });
                }
                Some(items) => {
                    if let Some(&(key, _, _)) = items.first() {
                        heap.push(Reverse((key, i as u32, 0)));
                    }
                    orders.push(SourceOrder { items });
                }
            }
        }
        Merge {
            untimed,
            untimed_at: 0,
            untimed_event: 0,
            untimed_len,
            orders,
            heap,
            wm: None,
        }
    }
}

impl Merge {
    fn next_raw(&mut self) -> Option<Entry> {
        while let Some(&src) = self.untimed.get(self.untimed_at) {
            let len = self.untimed_len.get(src as usize).copied().unwrap_or(0);
            if self.untimed_event < len {
                let event = self.untimed_event as u32;
                self.untimed_event += 1;
                return Some(Entry {
                    source: src,
                    event,
                    ts: None,
                    wm: self.wm,
                    late: false,
                });
            }
            self.untimed_at += 1;
            self.untimed_event = 0;
        }
        let Reverse((_, src, at)) = self.heap.pop()?;
        let order = self.orders.get(src as usize)?;
        let &(_, event, late) = order.items.get(at as usize)?;
        if let Some(&(key, _, _)) = order.items.get(at as usize + 1) {
            self.heap.push(Reverse((key, src, at + 1)));
        }
        Some(Entry {
            source: src,
            event,
            ts: None,
            wm: None,
            late,
        })
    }
}

/// Collects the timeline of `sources`.
pub fn collect(sources: &[ParsedSource], max_disorder: i64) -> Vec<Entry> {
    Timeline::new(sources, max_disorder).collect()
}

/// An iterator over all records of all sources in global order (see the module docs).
pub struct Timeline<'a> {
    inner: Merge,
    sources: &'a [ParsedSource],
}

impl<'a> Timeline<'a> {
    /// Orders the records of `sources`; `max_disorder` is the reorder buffer in ms.
    pub fn new(sources: &'a [ParsedSource], max_disorder: i64) -> Timeline<'a> {
        Timeline {
            inner: Merge::new(sources, max_disorder),
            sources,
        }
    }
}

impl Iterator for Timeline<'_> {
    type Item = Entry;

    fn next(&mut self) -> Option<Entry> {
        let mut e = self.inner.next_raw()?;
        e.ts = self
            .sources
            .get(e.source as usize)
            .and_then(|s| s.events.get(e.event as usize))
            .and_then(|ev| ev.ts)
            .map(|t| t.ms);
        if let Some(t) = e.ts {
            self.inner.wm = Some(self.inner.wm.map_or(t, |w| w.max(t)));
        }
        e.wm = self.inner.wm;
        Some(e)
    }
}

/// The processing order of one source, or `None` when it has no timestamp at all.
fn source_order(src: &ParsedSource, max_disorder: i64) -> Option<Vec<(i64, u32, bool)>> {
    let first = src.events.iter().find_map(|e| e.ts)?.ms;
    let reversed = mostly_decreasing(src);
    let n = src.events.len();
    let index = |k: usize| if reversed { n - 1 - k } else { k };
    let mut items = Vec::with_capacity(n);
    let mut key = first;
    let mut newest = i64::MIN;
    for k in 0..n {
        let i = index(k);
        let Some(ev) = src.events.get(i) else {
            continue;
        };
        let mut late = false;
        if let Some(t) = ev.ts {
            key = t.ms;
            if newest != i64::MIN && key < newest.saturating_sub(max_disorder) {
                late = true;
                key = newest;
            }
            newest = newest.max(t.ms);
        }
        items.push((key, i as u32, late));
    }
    // Stable: equal keys keep arrival order.
    items.sort_by_key(|&(key, _, _)| key);
    Some(items)
}

/// More than twice as many decreasing as increasing steps between timestamps.
fn mostly_decreasing(src: &ParsedSource) -> bool {
    let (mut up, mut down) = (0u32, 0u32);
    let mut prev: Option<i64> = None;
    for t in src.events.iter().filter_map(|e| e.ts) {
        if let Some(p) = prev {
            if t.ms > p {
                up += 1;
            } else if t.ms < p {
                down += 1;
            }
        }
        prev = Some(t.ms);
    }
    down >= 2 && down > 2 * up
}

/// Notes for the sources whose timestamps have no UTC offset when no `--tz`
/// was given (`tz_given` false) and another source has zone-aware
/// timestamps: merging them compares a guess with a fact. The note names the
/// line of the source's first such timestamp. Pure: the caller adds the notes
/// (e.g. to `ParsedSource::notes`, which reach the report's `inputs[].notes`).
pub fn naive_tz_notes(sources: &[ParsedSource], tz_given: bool) -> Vec<(SourceId, Note)> {
    if tz_given {
        return Vec::new();
    }
    let first_naive = |s: &ParsedSource| {
        s.events
            .iter()
            .find(|e| e.ts.is_some_and(|t| t.naive))
            .map(|e| e.span.line)
    };
    let aware = |s: &ParsedSource| s.events.iter().any(|e| e.ts.is_some_and(|t| !t.naive));
    let aware_sources: Vec<usize> = (0..sources.len())
        .filter(|&i| sources.get(i).is_some_and(aware))
        .collect();
    sources
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let line = first_naive(s)?;
            aware_sources
                .iter()
                .any(|&j| j != i)
                .then(|| (s.id, Note::new(Some(line), NAIVE_TZ_NOTE)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matcher::testkit::source;

    fn order(sources: &[ParsedSource]) -> Vec<(u32, u32)> {
        collect(sources, DEFAULT_MAX_DISORDER)
            .iter()
            .map(|e| (e.source, e.event))
            .collect()
    }

    #[test]
    fn untimed_sources_first_then_merge_by_time_then_source() {
        let a = source(0, "x", &[(Some(10), "a0", None), (Some(30), "a1", None)]);
        let b = source(1, "x", &[(None, "b0", None), (None, "b1", None)]);
        let c = source(2, "x", &[(Some(10), "c0", None), (Some(20), "c1", None)]);
        assert_eq!(
            order(&[a, b, c]),
            vec![(1, 0), (1, 1), (0, 0), (2, 0), (2, 1), (0, 1)]
        );
    }

    #[test]
    fn missing_timestamps_inherit_and_watermark_bounds_them() {
        let a = source(
            0,
            "x",
            &[
                (None, "lead", None),
                (Some(100), "a", None),
                (None, "cont", None),
            ],
        );
        let b = source(1, "x", &[(Some(50), "b", None), (Some(150), "b2", None)]);
        let tl = collect(&[a, b], DEFAULT_MAX_DISORDER);
        let got: Vec<(u32, u32, Option<i64>, Option<i64>)> =
            tl.iter().map(|e| (e.source, e.event, e.ts, e.wm)).collect();
        assert_eq!(
            got,
            vec![
                (1, 0, Some(50), Some(50)),
                (0, 0, None, Some(50)),
                (0, 1, Some(100), Some(100)),
                (0, 2, None, Some(100)),
                (1, 1, Some(150), Some(150)),
            ]
        );
    }

    #[test]
    fn reorder_buffer_sorts_small_inversions_and_flags_late_records() {
        let a = source(
            0,
            "x",
            &[
                (Some(10_000), "a", None),
                (Some(9_000), "small inversion", None),
                (Some(20_000), "b", None),
                (Some(1_000), "late", None),
                (Some(21_000), "c", None),
            ],
        );
        let tl = collect(&[a], DEFAULT_MAX_DISORDER);
        let got: Vec<(u32, bool)> = tl.iter().map(|e| (e.event, e.late)).collect();
        assert_eq!(
            got,
            vec![(1, false), (0, false), (2, false), (3, true), (4, false)]
        );
    }

    #[test]
    fn newest_first_sources_are_read_in_reverse() {
        let a = source(
            0,
            "x",
            &[
                (Some(400), "d", None),
                (Some(300), "c", None),
                (Some(200), "b", None),
                (Some(100), "a", None),
            ],
        );
        assert_eq!(order(&[a]), vec![(0, 3), (0, 2), (0, 1), (0, 0)]);
    }

    fn with_naive(mut s: ParsedSource, naive: &[usize]) -> ParsedSource {
        for &i in naive {
            if let Some(t) = s.events[i].ts.as_mut() {
                t.naive = true;
            }
        }
        s
    }

    #[test]
    fn naive_sources_merged_with_aware_ones_get_a_note() {
        let aware = source(0, "x", &[(Some(10), "a", None)]);
        let naive = with_naive(
            source(1, "x", &[(None, "lead", None), (Some(20), "b", None)]),
            &[1],
        );
        let untimed = source(2, "x", &[(None, "c", None)]);
        let sources = [aware, naive, untimed];
        assert_eq!(
            naive_tz_notes(&sources, false),
            vec![(1, Note::new(Some(2), NAIVE_TZ_NOTE))]
        );
        assert_eq!(naive_tz_notes(&sources, true), vec![]);
    }

    #[test]
    fn no_note_without_an_aware_source_to_merge_with() {
        let a = with_naive(source(0, "x", &[(Some(10), "a", None)]), &[0]);
        let b = with_naive(source(1, "x", &[(Some(20), "b", None)]), &[0]);
        assert_eq!(naive_tz_notes(&[a, b], false), vec![]);
        // A source with both kinds is not "another" source for itself.
        let mixed = with_naive(
            source(0, "x", &[(Some(10), "a", None), (Some(20), "b", None)]),
            &[1],
        );
        assert_eq!(naive_tz_notes(std::slice::from_ref(&mixed), false), vec![]);
        // The mixed source is the aware one the naive source is merged with.
        let naive = with_naive(source(1, "x", &[(Some(30), "c", None)]), &[0]);
        assert_eq!(
            naive_tz_notes(&[mixed, naive], false),
            vec![(1, Note::new(Some(1), NAIVE_TZ_NOTE))]
        );
    }
}
