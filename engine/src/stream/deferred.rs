//! A source opened once for what its head says, then closed, and read again
//! only when the timeline reaches it: a scan of many small files holds their
//! metas, not their records (`scan` decides which sources wait).
//!
//! The first opening gave the source's [`SourceMeta`](crate::segment::SourceMeta)
//! (format, time order, first timestamp) and its [`Summary`]; [`Deferred`]
//! opens it again on its first `next` and streams it into that summary. A
//! source that cannot be read the same way again (it changed or vanished in
//! between) ends there, with a note on the source. This module never parses
//! beyond what `stream` does, and never matches.

use std::sync::{Arc, Mutex};

use crate::event::SourceId;
use crate::parse::ParseOptions;
use crate::rule::ir::RuleSet;
use crate::segment::{Segment, SegmentStream};
use crate::source::Input;
use crate::stream::{Cache, StreamConfig, Summary, Whole};
use crate::text::Note;

/// What a deferred source is read again with.
#[derive(Clone, Copy)]
pub struct Reopen<'a> {
    pub rules: &'a RuleSet,
    pub opts: &'a ParseOptions,
    pub cfg: StreamConfig,
    pub cache: &'a Cache,
}

/// The segment stream of a deferred source (see the module docs).
pub struct Deferred<'a> {
    with: Reopen<'a>,
    input: &'a Input,
    id: SourceId,
    /// Until the source is opened again.
    summary: Option<Arc<Mutex<Summary>>>,
    stream: Option<SegmentStream<'a>>,
}

impl<'a> Deferred<'a> {
    pub fn new(
        with: Reopen<'a>,
        input: &'a Input,
        id: SourceId,
        summary: Arc<Mutex<Summary>>,
    ) -> Deferred<'a> {
        Deferred {
            with,
            input,
            id,
            summary: Some(summary),
            stream: None,
        }
    }

    fn open(&mut self, summary: Arc<Mutex<Summary>>) {
        let w = self.with;
        let why = match super::prepare_into(
            self.input,
            self.id,
            w.rules,
            w.opts,
            w.cfg,
            w.cache,
            Some(Arc::clone(&summary)),
        ) {
            Ok(p) => {
                self.stream = Some(p.stream);
                return;
            }
            Err(Whole::Io(e)) => crate::source::io_message(&e),
            Err(Whole::Format(what)) => format!("its content changed ({what})"),
            Err(Whole::Unfiltered) => "its format changed".to_string(),
        };
        if let Ok(mut s) = summary.lock() {
            s.note(Note::new(
                None,
                format!("not matched: the file could not be read again after it was opened: {why}"),
            ));
        }
    }
}

impl<'a> Iterator for Deferred<'a> {
    type Item = Segment<'a>;

    fn next(&mut self) -> Option<Segment<'a>> {
        if let Some(summary) = self.summary.take() {
            self.open(summary);
        }
        self.stream.as_mut()?.next()
    }
}
