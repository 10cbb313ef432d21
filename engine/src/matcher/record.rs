//! One record as the automata see it: its timeline position and entry, its
//! source's id and the event, borrowed only while it is fed.
//!
//! Everything a partial, a finding or a trace keeps of it is taken from here
//! at bind time as numbers and offsets ([`At`], [`Mark`]). This module must
//! never evaluate predicates nor hold a record past the call that feeds it.

use crate::event::{EventRef, SourceId};
use crate::matcher::partial::{Mark, Place};
use crate::matcher::skew::At;
use crate::matcher::timeline::Entry;

/// One record as the automata see it (borrowed only while it is fed).
pub(crate) struct Rec<'a> {
    pub pos: u64,
    pub entry: Entry,
    /// The source's id (`SourceMeta::id`).
    pub id: SourceId,
    pub ev: EventRef<'a>,
}

impl Rec<'_> {
    /// The record without its text: where it lies and when.
    pub fn at(&self) -> At {
        let event = self.ev.event;
        At {
            pos: self.pos,
            entry: self.entry,
            place: Place {
                id: self.id,
                seq: event.seq,
                span: event.span,
                naive: event.ts.is_some_and(|timestamp| timestamp.naive),
            },
        }
    }

    /// The record as evidence, with `highlights` relative to its text start.
    pub fn mark(&self, highlights: &[std::ops::Range<u32>]) -> Mark {
        self.at().mark(highlights)
    }
}
