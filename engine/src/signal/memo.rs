//! The last record each signal kind was read from, per thread, with its
//! signals: many predicates ask for the same kind on the same record in a row
//! (every platform fact of the rule pack), and the reader then runs once.
//!
//! The key is the record itself (its text, where it starts, its format and
//! its fields), never an address, so a reused buffer cannot return another
//! record's signals. Signals are stored owned; a hit clones them. This module
//! must never change what [`super::read`] returns, only how often readers run.

use std::borrow::Cow;
use std::cell::RefCell;

use crate::event::{EventRef, Value};
use crate::signal::{Kind, SigValue, Signal};

const KINDS: usize = 16;

#[derive(Default)]
struct Entry {
    start: u32,
    format: String,
    text: String,
    fields: Vec<(String, String)>,
    signals: Vec<Signal<'static>>,
}

thread_local! {
    static LAST: RefCell<Vec<Option<Entry>>> = RefCell::new((0..KINDS).map(|_| None).collect());
}

fn slot(kind: Kind) -> usize {
    (kind as usize) % KINDS
}

/// A field's value as text, borrowed where the event holds text.
fn value_text<'e>(ev: &EventRef<'e>, v: &'e Value) -> Cow<'e, str> {
    match v {
        Value::Text(r) => Cow::Borrowed(
            ev.source_text
                .get(r.start as usize..r.end as usize)
                .unwrap_or(""),
        ),
        Value::Owned(s) => Cow::Borrowed(s),
        Value::Int(i) => Cow::Owned(i.to_string()),
    }
}

fn fields_of(ev: &EventRef<'_>) -> Vec<(String, String)> {
    ev.event
        .fields
        .iter()
        .map(|(n, v)| (n.to_string(), value_text(ev, v).into_owned()))
        .collect()
}

fn same(e: &Entry, ev: &EventRef<'_>) -> bool {
    e.start == ev.event.text.start
        && e.format == ev.format
        && e.text == ev.record_text()
        && e.fields.len() == ev.event.fields.len()
        && e.fields
            .iter()
            .zip(&ev.event.fields)
            .all(|((n, t), (m, v))| n == m && *t == value_text(ev, v))
}

fn owned(s: Signal<'_>) -> Signal<'static> {
    Signal {
        kind: s.kind,
        at: s.at,
        fields: s
            .fields
            .into_iter()
            .map(|(n, v)| {
                (
                    n,
                    SigValue {
                        text: Cow::Owned(v.text.into_owned()),
                        at: v.at,
                    },
                )
            })
            .collect(),
    }
}

/// The signals of `kind` in `ev`: remembered ones when `ev` is the record read last for
/// `kind` on this thread, else `read(ev)` (and remembered).
pub(super) fn read<'a>(
    kind: Kind,
    ev: &EventRef<'a>,
    read: impl FnOnce(&EventRef<'a>) -> Vec<Signal<'a>>,
) -> Vec<Signal<'a>> {
    let hit = LAST.with(|last| {
        let last = last.borrow();
        match &last[slot(kind)] {
            Some(e) if same(e, ev) => Some(e.signals.clone()),
            _ => None,
        }
    });
    if let Some(signals) = hit {
        return signals;
    }
    let found = read(ev);
    let entry = Entry {
        start: ev.event.text.start,
        format: ev.format.to_string(),
        text: ev.record_text().to_string(),
        fields: fields_of(ev),
        signals: found.iter().cloned().map(owned).collect(),
    };
    LAST.with(|last| last.borrow_mut()[slot(kind)] = Some(entry));
    found
}

#[cfg(test)]
mod tests {
    use crate::event::EventRef;
    use crate::signal::{self, testkit, Kind};

    fn signals(file: &str, text: &str) -> Vec<String> {
        let p = testkit::parsed(file, text);
        let ev = &p.events[0];
        let r = EventRef {
            event: ev,
            source_text: &p.text.text,
            format: p.format,
        };
        signal::read(Kind::SpawnFailed, &r)
            .iter()
            .map(|s| format!("{:?} {:?}", s.at, s.fields))
            .collect()
    }

    #[test]
    fn a_remembered_record_gives_the_same_signals_and_another_record_its_own() {
        let a = signals("console.txt", "Error: spawn npx ENOENT\n");
        assert_eq!(a.len(), 1);
        assert_eq!(signals("console.txt", "Error: spawn npx ENOENT\n"), a);
        // Same start, same length, other text: never the remembered signals.
        let b = signals("console.txt", "Error: spawn uvx ENOENT\n");
        assert_eq!(b.len(), 1);
        assert_ne!(a, b);
        assert!(b[0].contains("uvx"));
        assert!(signals("console.txt", "Error: spawn npx ENOTDIR\n")
            .iter()
            .all(|s| !s.contains("ENOENT")));
    }
}
