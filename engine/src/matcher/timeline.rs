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
//! read in reverse. Each source's [`Order`](crate::segment::Order) is decided
//! up front (its [`SourceMeta`]; [`meta_of`] for a source read whole).
//!
//! Each entry carries the *watermark*: the largest own timestamp of any record at
//! or before it in the timeline. For a record without its own timestamp the
//! watermark is a lower bound of its time, which is what lets the matcher prove a
//! window was exceeded (and expire partials by event time) without ever rejecting
//! a match on a guess.
//!
//! Streaming: the [`Timeline`] pulls each source's segments lazily (`feed`
//! holds them and the reorder buffer) and hands out one record at a time,
//! borrowed; the record is released at the next call and a segment is dropped
//! once all its records were released. A forward source is not read at all
//! until the merge reaches `first_ts - max_disorder`, below which none of its
//! keys can be (a late record takes the newest time, and the first timestamp
//! counts as seen), so the order is the same as reading every head first.
//! Memory is the reorder buffers (bounded
//! by `max_disorder` of event time and by a record cap per source, see
//! [`REORDER_CAP`]) plus the segments they point into, never the whole input
//! (except a reversed source, which is read whole).
//!
//! [`naive_tz_notes`] says which sources the reader should know were merged on a
//! guessed zone: their timestamps had no UTC offset and no `--tz` was given,
//! while another source's timestamps had one.
//!
//! This module only orders; it never looks at record content.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::event::{EventRef, SourceId};
use crate::matcher::feed::{Feed, Item};
use crate::parse::ParsedSource;
use crate::segment::{Order, SegmentStream, SourceMeta};
use crate::text::Note;

pub use crate::matcher::feed::{REORDER_BYTES, REORDER_CAP};
pub use crate::matcher::meta::{meta_of, order_of, whole};

/// The note [`naive_tz_notes`] adds.
pub const NAIVE_TZ_NOTE: &str =
    "timestamps have no UTC offset and were read as UTC; pass --tz <zone> if they are local time";

/// Default reorder buffer: inversions up to this many ms within a source are sorted.
pub const DEFAULT_MAX_DISORDER: i64 = 2_000;

/// One record in global order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Index of the source in the metas given to [`Timeline::new`].
    pub source: u32,
    /// Index of the record among its source's records, in file order (the
    /// index in `ParsedSource::events` for a source read whole).
    pub event: u32,
    /// The record's own timestamp (ms), if it has one.
    pub ts: Option<i64>,
    /// Largest own timestamp at or before this entry (see the module docs).
    pub wm: Option<i64>,
    /// The record arrived more than the reorder buffer behind its source's newest record.
    pub late: bool,
}

/// A record handed out by [`Timeline::next`], valid until the next call.
#[derive(Clone, Copy, Debug)]
pub struct Record<'t> {
    pub entry: Entry,
    pub ev: EventRef<'t>,
}

/// All records of all sources in global order (see the module docs).
pub struct Timeline<'a> {
    feeds: Vec<Feed<'a>>,
    formats: Vec<&'static str>,
    /// Untimed sources, in source order, and how far they were read.
    untimed: Vec<u32>,
    untimed_at: usize,
    /// Timed sources, until their heads go into `heap` (`started`).
    timed: Vec<u32>,
    started: bool,
    /// `(key, source, arrival)` of the head of every timed source not
    /// exhausted; for a forward source not read yet, a lower bound of its keys.
    heap: BinaryHeap<Reverse<(i64, u32, u64)>>,
    /// Per source: its heap entry is the lower bound, nothing was read yet.
    unread: Vec<bool>,
    max_disorder: i64,
    wm: Option<i64>,
    /// The record handed out last: `(source, segment)`, released at the next call.
    out: Option<(u32, u64)>,
}

impl<'a> Timeline<'a> {
    /// Orders the records of `streams[i]`, described by `metas[i]` (a meta
    /// without a stream is an empty source); `max_disorder` is the reorder
    /// buffer in ms, `cap` the most records a source's buffer holds.
    pub fn new(
        metas: &[SourceMeta],
        streams: Vec<SegmentStream<'a>>,
        max_disorder: i64,
        cap: usize,
    ) -> Timeline<'a> {
        let mut streams = streams.into_iter();
        let mut timeline = Timeline {
            feeds: Vec::with_capacity(metas.len()),
            formats: Vec::with_capacity(metas.len()),
            untimed: Vec::new(),
            untimed_at: 0,
            timed: Vec::new(),
            started: false,
            heap: BinaryHeap::new(),
            unread: vec![false; metas.len()],
            max_disorder,
            wm: None,
            out: None,
        };
        for (index, meta) in metas.iter().enumerate() {
            let stream = streams
                .next()
                .unwrap_or_else(|| Box::new(std::iter::empty()));
            let source = u32::try_from(index).unwrap_or(u32::MAX);
            match meta.order {
                Order::Untimed => timeline.untimed.push(source),
                _ => timeline.timed.push(source),
            }
            timeline
                .feeds
                .push(Feed::new(meta.order, stream, max_disorder, cap));
            timeline.formats.push(meta.format);
        }
        timeline
    }

    /// The next record; the previous one is released (see the module docs).
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Option<Record<'_>> {
        if let Some((source, segment)) = self.out.take() {
            if let Some(feed) = self.feeds.get_mut(source as usize) {
                feed.done(segment);
            }
        }
        let (source, item) = self.pick()?;
        self.out = Some((source, item.seg));
        let feed = self.feeds.get(source as usize)?;
        let (event, text) = feed.event(&item)?;
        let ts = event.ts.map(|timestamp| timestamp.ms);
        if let Some(time) = ts {
            self.wm = Some(self.wm.map_or(time, |watermark| watermark.max(time)));
        }
        Some(Record {
            entry: Entry {
                source,
                event: item.event,
                ts,
                wm: self.wm,
                late: item.late,
            },
            ev: EventRef {
                event,
                source_text: text,
                format: self.formats.get(source as usize).copied().unwrap_or(""),
            },
        })
    }

    /// Per source: records released early because its reorder buffer was full.
    pub fn overflow(&self) -> Vec<u64> {
        self.feeds.iter().map(|feed| feed.overflow).collect()
    }

    /// The source and item of the next record.
    fn pick(&mut self) -> Option<(u32, Item)> {
        while let Some(&source) = self.untimed.get(self.untimed_at) {
            if let Some(item) = self.feeds.get_mut(source as usize).and_then(Feed::pop) {
                return Some((source, item));
            }
            self.untimed_at += 1;
        }
        if !self.started {
            self.started = true;
            for source in std::mem::take(&mut self.timed) {
                self.push_start(source);
            }
        }
        loop {
            let Reverse((_, source, _)) = self.heap.pop()?;
            if let Some(unread) = self
                .unread
                .get_mut(source as usize)
                .filter(|unread| **unread)
            {
                // The merge reached the source's lower bound: read its head.
                *unread = false;
                self.push_head(source);
                continue;
            }
            let item = self.feeds.get_mut(source as usize)?.pop()?;
            self.push_head(source);
            return Some((source, item));
        }
    }

    /// Puts a timed source in the merge: a forward source by the lower bound
    /// of its keys, unread until the merge reaches it (a scan of many files
    /// holds only those that overlap in time), any other by its head.
    fn push_start(&mut self, source: u32) {
        let order = self.feeds.get(source as usize).map(Feed::order);
        match (order, self.unread.get_mut(source as usize)) {
            (Some(Order::Forward { first_ts }), Some(unread)) => {
                *unread = true;
                let bound = crate::matcher::feed::lower_bound(first_ts, self.max_disorder);
                self.heap.push(Reverse((bound, source, 0)));
            }
            _ => self.push_head(source),
        }
    }

    fn push_head(&mut self, source: u32) {
        if let Some(head) = self.feeds.get_mut(source as usize).and_then(Feed::head) {
            self.heap.push(Reverse((head.key, source, head.arrival)));
        }
    }
}

/// Collects the timeline of `sources` (each read whole).
pub fn collect(sources: &[ParsedSource], max_disorder: i64) -> Vec<Entry> {
    let metas: Vec<SourceMeta> = sources.iter().map(meta_of).collect();
    let streams = sources.iter().map(whole).collect();
    let mut timeline = Timeline::new(&metas, streams, max_disorder, REORDER_CAP);
    let mut out = Vec::new();
    while let Some(record) = timeline.next() {
        out.push(record.entry);
    }
    out
}

/// Notes for the sources whose timestamps have no UTC offset when no `--tz`
/// was given (`tz_given` false) and another source has zone-aware
/// timestamps: merging them compares a guess with a fact. The note names the
/// line of the source's first such timestamp. Pure: the caller adds the notes
/// (e.g. to `ParsedSource::notes`, which reach the report's `inputs[].notes`).
pub fn naive_tz_notes(sources: &[ParsedSource], tz_given: bool) -> Vec<(SourceId, Note)> {
    let first_naive = |s: &ParsedSource| {
        s.events
            .iter()
            .find(|e| e.ts.is_some_and(|t| t.naive))
            .map(|e| e.span.line)
    };
    let facts = sources.iter().map(|s| {
        let aware = s.events.iter().any(|e| e.ts.is_some_and(|t| !t.naive));
        (s.id, first_naive(s).map(Some), aware)
    });
    naive_notes(facts.collect(), tz_given)
}

/// [`naive_tz_notes`] from what the metas know (same rule); the notes name
/// no line, since a meta does not say where the first naive timestamp is.
pub fn naive_tz_notes_for(metas: &[SourceMeta], tz_given: bool) -> Vec<(SourceId, Note)> {
    let facts = metas
        .iter()
        .map(|m| (m.id, m.naive_ts.then_some(None), m.aware_ts));
    naive_notes(facts.collect(), tz_given)
}

/// Per source `(id, Some(line of its first naive timestamp) if any, has an
/// aware timestamp)`: the notes of [`naive_tz_notes`].
fn naive_notes(
    sources: Vec<(SourceId, Option<Option<u32>>, bool)>,
    tz_given: bool,
) -> Vec<(SourceId, Note)> {
    if tz_given {
        return Vec::new();
    }
    let aware: Vec<usize> = (0..sources.len())
        .filter(|&i| sources.get(i).is_some_and(|s| s.2))
        .collect();
    sources
        .iter()
        .enumerate()
        .filter_map(|(i, &(id, naive, _))| {
            let line = naive?;
            aware
                .iter()
                .any(|&j| j != i)
                .then(|| (id, Note::new(line, NAIVE_TZ_NOTE)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matcher::testkit::{self, source};

    /// `(source, event)` of every entry when each source is cut before every
    /// record (one-record segments), and the overflow count.
    fn streamed(
        sources: &[ParsedSource],
        metas: &[SourceMeta],
        cap: usize,
    ) -> (Vec<(u32, u32)>, u64) {
        let (_, streams) = testkit::streams(sources, &one_record_cuts(sources));
        let mut tl = Timeline::new(metas, streams, DEFAULT_MAX_DISORDER, cap);
        let mut got = Vec::new();
        while let Some(r) = tl.next() {
            got.push((r.entry.source, r.entry.event));
        }
        (got, tl.overflow().iter().sum())
    }

    fn one_record_cuts(sources: &[ParsedSource]) -> Vec<Vec<usize>> {
        sources
            .iter()
            .map(|s| (1..s.events.len()).collect())
            .collect()
    }

    #[test]
    fn a_forward_stream_with_small_disorder_is_ordered_as_a_whole_source() {
        let a = source(
            0,
            "x",
            &[
                (None, "lead", None),
                (Some(10_000), "a", None),
                (Some(9_000), "inversion", None),
                (None, "cont", None),
                (Some(11_500), "b", None),
                (Some(9_600), "inversion", None),
                (Some(20_000), "c", None),
                (Some(1_000), "late", None),
                (Some(19_000), "d", None),
            ],
        );
        let b = source(
            1,
            "x",
            &[(Some(9_000), "b0", None), (Some(10_000), "b1", None)],
        );
        let sources = [a, b];
        let metas: Vec<SourceMeta> = sources.iter().map(meta_of).collect();
        let whole = collect(&sources, DEFAULT_MAX_DISORDER);
        let expected = vec![
            (0, 2),
            (0, 3),
            (1, 0),
            (0, 5),
            (0, 0),
            (0, 1),
            (1, 1),
            (0, 4),
            (0, 8),
            (0, 6),
            (0, 7),
        ];
        let order: Vec<(u32, u32)> = whole.iter().map(|e| (e.source, e.event)).collect();
        assert_eq!(order, expected);
        assert_eq!(streamed(&sources, &metas, REORDER_CAP), (expected, 0));
    }

    #[test]
    fn a_full_reorder_buffer_releases_its_oldest_record_and_counts_it() {
        let a = source(
            0,
            "x",
            &[
                (Some(100), "d", None),
                (Some(90), "c", None),
                (Some(80), "b", None),
                (Some(70), "a", None),
            ],
        );
        // Read forward (not reversed) with a buffer that sorts everything.
        let metas = [SourceMeta {
            order: Order::Forward { first_ts: 100 },
            ..meta_of(&a)
        }];
        let sources = [a];
        let (_, streams) = testkit::streams(&sources, &one_record_cuts(&sources));
        let mut tl = Timeline::new(&metas, streams, 10_000, 4);
        let mut got = Vec::new();
        while let Some(r) = tl.next() {
            got.push(r.entry.event);
        }
        assert_eq!((got, tl.overflow()), (vec![3, 2, 1, 0], vec![0]));
        // With room for two records, the third arrival forces the oldest out.
        let (_, streams) = testkit::streams(&sources, &one_record_cuts(&sources));
        let mut tl = Timeline::new(&metas, streams, 10_000, 2);
        let mut got = Vec::new();
        while let Some(r) = tl.next() {
            got.push(r.entry.event);
        }
        assert_eq!((got, tl.overflow()), (vec![2, 3, 1, 0], vec![2]));
    }

    /// A stream that counts the segments pulled from it.
    fn counted(
        segs: Vec<crate::segment::Segment<'static>>,
        pulled: &std::sync::Arc<std::sync::atomic::AtomicUsize>,
    ) -> SegmentStream<'static> {
        let pulled = std::sync::Arc::clone(pulled);
        Box::new(segs.into_iter().inspect(move |_| {
            pulled.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }))
    }

    #[test]
    fn a_forward_source_is_read_only_when_the_merge_reaches_its_first_time() {
        let early = source(0, "x", &[(Some(0), "a", None), (Some(5_000), "b", None)]);
        let late = source(1, "x", &[(Some(60_000), "c", None)]);
        // A record 3 s older than the late source's first time: inside the window.
        let close = source(
            2,
            "x",
            &[(Some(63_000), "d", None), (Some(57_000), "e", None)],
        );
        let sources = [early, late, close];
        let metas: Vec<SourceMeta> = sources.iter().map(meta_of).collect();
        let pulled: Vec<_> = (0..3).map(|_| std::sync::Arc::default()).collect();
        let streams = sources
            .iter()
            .zip(&pulled)
            .map(|(s, p)| counted(testkit::segments(s, &[]), p))
            .collect();
        let mut tl = Timeline::new(&metas, streams, 10_000, REORDER_CAP);
        let reads = || -> Vec<usize> {
            pulled
                .iter()
                .map(|p| p.load(std::sync::atomic::Ordering::Relaxed))
                .collect()
        };
        let first = tl.next().map(|r| (r.entry.source, r.entry.event));
        assert_eq!((first, reads()), (Some((0, 0)), vec![1, 0, 0]));
        let mut rest = Vec::new();
        while let Some(r) = tl.next() {
            rest.push((r.entry.source, r.entry.event));
        }
        // Source 2's older record sorts before source 1's first one, as if read first.
        assert_eq!(rest, vec![(0, 1), (2, 1), (1, 0), (2, 0)]);
        assert_eq!(reads(), vec![1, 1, 1]);
    }

    proptest::proptest! {
        /// Sources of increasing timestamps (with gaps and untimed records)
        /// come out as the stable sort of all records by (key, source, position).
        #[test]
        fn the_lazy_merge_is_the_sort_by_key(
            rows in proptest::collection::vec(
                proptest::collection::vec(proptest::option::weighted(0.8, 0i64..50), 0..12),
                1..6,
            ),
        ) {
            let sources: Vec<ParsedSource> = rows
                .iter()
                .enumerate()
                .map(|(i, steps)| {
                    let mut t = 0i64;
                    let rows: Vec<testkit::Row<'_>> = steps
                        .iter()
                        .map(|step| {
                            step.map(|d| {
                                t += d * 1_000;
                                t
                            })
                        })
                        .map(|ts| (ts, "r", None))
                        .collect();
                    source(i as u32, "x", &rows)
                })
                .collect();
            let mut want: Vec<(bool, i64, u32, u32)> = Vec::new();
            for (si, src) in sources.iter().enumerate() {
                let first = src.events.iter().find_map(|e| e.ts.map(|t| t.ms));
                let mut key = first.unwrap_or(0);
                for (ei, e) in src.events.iter().enumerate() {
                    key = e.ts.map_or(key, |t| t.ms);
                    want.push((first.is_some(), key, si as u32, ei as u32));
                }
            }
            want.sort();
            let want: Vec<(u32, u32)> = want.iter().map(|w| (w.2, w.3)).collect();
            proptest::prop_assert_eq!(order(&sources), want);
        }
    }

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
    fn metas_give_the_same_notes_without_a_line() {
        let aware = source(0, "x", &[(Some(10), "a", None)]);
        let naive = with_naive(source(1, "x", &[(Some(20), "b", None)]), &[0]);
        let untimed = source(2, "x", &[(None, "c", None)]);
        let metas: Vec<SourceMeta> = [aware, naive, untimed].iter().map(meta_of).collect();
        assert_eq!(
            naive_tz_notes_for(&metas, false),
            vec![(1, Note::new(None, NAIVE_TZ_NOTE))]
        );
        assert_eq!(naive_tz_notes_for(&metas, true), vec![]);
        assert_eq!(naive_tz_notes_for(&metas[1..], false), vec![]);
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
