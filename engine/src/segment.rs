//! Segments: the unit in which parsed records reach the matcher.
//!
//! A source reaches the matcher as a stream of [`Segment`]s in file order.
//! A source read whole (whole-document formats, newest-first sources: its
//! content decides, never its size) is one segment borrowing its
//! [`crate::parse::ParsedSource`]. Every other source is read by the
//! streaming scanner (`stream`) as many small owned segments, each
//! holding only the records that some rule predicate may match; the matcher
//! drops a segment once its last record has been processed, so memory does not
//! grow with the input.
//!
//! What the matcher needs to know about a source before its first record
//! arrives is its [`SourceMeta`]. This module is vocabulary only: it never
//! reads, parses or matches.

use std::borrow::Cow;

use crate::event::{Event, SourceId};

/// A run of consecutive records of one source.
///
/// `events[i].text` (and every [`crate::event::Value::Text`] field) is a range
/// of `text`; `events[i].span` is absolute (bytes on disk). Events are in file
/// order and `seq` strictly increases across the segments of a source.
#[derive(Clone, Debug)]
pub struct Segment<'a> {
    pub source: SourceId,
    pub text: Cow<'a, str>,
    pub events: Cow<'a, [Event]>,
}

/// How the timeline orders a source's records (decided before any record arrives).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// No record has a timestamp: the source is read first, in file order.
    Untimed,
    /// Oldest first; records before the first timestamp take `first_ts` (ms) as their key.
    Forward { first_ts: i64 },
    /// Newest first (`Get-WinEvent` exports): read in reverse. Only a source given
    /// as one segment may be reversed.
    Reversed,
}

/// What the matcher knows about a source up front.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceMeta {
    pub id: SourceId,
    pub path: String,
    /// Detected format name (`claude-desktop-main`, `linux-syslog`, ...).
    pub format: &'static str,
    pub order: Order,
    /// Some timestamp had no UTC offset.
    pub naive_ts: bool,
    /// Some timestamp had a UTC offset.
    pub aware_ts: bool,
}

/// A source's segments, produced lazily.
pub type SegmentStream<'a> = Box<dyn Iterator<Item = Segment<'a>> + Send + 'a>;
