//! Signals: typed, client-independent observations read off one event
//! (DESIGN §2a).
//!
//! The same failure is printed a dozen ways (`Connection failed: spawn npx
//! ENOENT`, `{"code":"ENOENT","syscall":"spawn npx"}`, `spawn npx ENOENT spawn
//! npx ENOENT`); rules that read wording miss the others. This stage reads a
//! record once per family and says what happened in one vocabulary: a
//! [`Signal`] of a [`Kind`] with named fields (`errno: ENOENT`, `shape:
//! bare`). Rules match signals like fields (`{signal: spawn_failed, errno:
//! ENOENT}`, see `rule::record`); `logscan events` prints them.
//!
//! One module per signal family. Each declares the literals a record must
//! hold for the family to find anything in it ([`Family::literals`]), so the
//! prefilter runs extraction only on candidate records, never a reader on
//! every line. `docs/signals.md` lists every phrasing a family reads, with the
//! program that prints it.
//!
//! This module must never know about rules, formats' parsers or ranking: it
//! reads an [`EventRef`] and nothing else, and never fails (any input yields
//! zero or more signals).

use std::borrow::Cow;
use std::ops::Range;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use crate::event::EventRef;

pub mod config;
pub mod connect;
pub mod crash;
pub mod exit;
pub mod jsonrpc;
mod memo;
pub mod oom;
pub mod platform;
pub mod power;
mod quotes;
pub mod session;
pub mod spawn;
pub mod text;
pub mod transport;
pub mod wsl;

#[cfg(test)]
pub(crate) mod testkit;

/// What a signal says happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    SpawnFailed,
    ProcessExited,
    TransportClosed,
    RequestTimedOut,
    SessionLost,
    StdoutNotJsonrpc,
    CrashTrace,
    ConnectFailed,
    OomKill,
    KernelPanic,
    Power,
    ClockJump,
    WslError,
    Platform,
    Versions,
    ConfigEntry,
}

/// A field's value: text, and where that text lies in the source's decoded
/// text when it is a slice of it (for highlights).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SigValue<'a> {
    pub text: Cow<'a, str>,
    /// Absolute decoded offset of `text`'s first byte, when `text` is a slice of the source.
    pub at: Option<u32>,
}

/// One observation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signal<'a> {
    pub kind: Kind,
    /// Where it was read: absolute offsets into the source's decoded text.
    pub at: Range<u32>,
    /// Named values, in the order the family documents them; names unique.
    pub fields: Vec<(&'static str, SigValue<'a>)>,
}

impl<'a> Signal<'a> {
    /// A signal of `kind` read at `at` (absolute decoded offsets), with no fields yet.
    pub fn new(kind: Kind, at: Range<u32>) -> Signal<'a> {
        Signal {
            kind,
            at,
            fields: Vec::new(),
        }
    }

    /// Adds (or replaces) field `name` with a value that is not a slice of the source.
    pub fn with(mut self, name: &'static str, text: impl Into<Cow<'a, str>>) -> Signal<'a> {
        self.set(
            name,
            SigValue {
                text: text.into(),
                at: None,
            },
        );
        self
    }

    /// Adds (or replaces) field `name` with `text`, a slice of the source starting at absolute offset `at`.
    pub fn with_slice(mut self, name: &'static str, text: &'a str, at: u32) -> Signal<'a> {
        self.set(
            name,
            SigValue {
                text: Cow::Borrowed(text),
                at: Some(at),
            },
        );
        self
    }

    /// Sets field `name`, replacing an earlier value.
    pub fn set(&mut self, name: &'static str, value: SigValue<'a>) {
        match self.fields.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => self.fields.push((name, value)),
        }
    }

    /// The value of field `name`.
    pub fn get(&self, name: &str) -> Option<&SigValue<'a>> {
        self.fields.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// The text of field `name`.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.get(name).map(|v| &*v.text)
    }
}

/// A signal family: one kind, the fields it may set, the literals it needs, its reader.
pub struct Family {
    pub kind: Kind,
    /// The name rules use (`spawn_failed`).
    pub name: &'static str,
    /// One line on what it observes (for `rules`/docs).
    pub about: &'static str,
    /// Every field the reader may set.
    pub fields: &'static [&'static str],
    /// Lower-case ASCII literals, at least 3 bytes: a record the reader finds a
    /// signal in contains at least one of them (ASCII case-insensitively).
    /// Empty means none can be promised (the family reads every record).
    pub literals: &'static [&'static str],
    /// Narrower literals for the records whose signal has `field` equal to a value
    /// (`os`, `macos`): a subset of what [`Family::literals`] promises, for rules
    /// that ask for one value. [`broad`] when the family has none.
    pub narrow: fn(&str, &str) -> Option<&'static [&'static str]>,
    /// Appends the signals found in one record; never panics, never fails.
    pub read: for<'a> fn(&EventRef<'a>, &mut Vec<Signal<'a>>),
}

impl std::fmt::Debug for Family {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Family").field("name", &self.name).finish()
    }
}

/// [`Family::narrow`] for a family whose literals do not depend on field values.
pub fn broad(_field: &str, _value: &str) -> Option<&'static [&'static str]> {
    None
}

/// Every family, in the order `logscan events` prints their signals.
pub static FAMILIES: &[&Family] = &[
    &spawn::SPAWN_FAILED,
    &exit::PROCESS_EXITED,
    &transport::TRANSPORT_CLOSED,
    &transport::REQUEST_TIMED_OUT,
    &session::SESSION_LOST,
    &jsonrpc::STDOUT_NOT_JSONRPC,
    &crash::CRASH_TRACE,
    &connect::CONNECT_FAILED,
    &oom::OOM_KILL,
    &oom::KERNEL_PANIC,
    &power::POWER,
    &power::CLOCK_JUMP,
    &wsl::WSL_ERROR,
    &platform::PLATFORM,
    &platform::VERSIONS,
    &config::CONFIG_ENTRY,
];

/// The family of `kind`.
pub fn family(kind: Kind) -> &'static Family {
    FAMILIES
        .iter()
        .find(|f| f.kind == kind)
        .copied()
        .unwrap_or(&spawn::SPAWN_FAILED)
}

/// The family rules call `name`.
pub fn by_name(name: &str) -> Option<&'static Family> {
    FAMILIES.iter().find(|f| f.name == name).copied()
}

impl Kind {
    /// The name rules use.
    pub fn name(self) -> &'static str {
        family(self).name
    }
}

/// The signals of `kind` in `ev`. Cheap when the record holds none of the family's literals.
///
/// Several rules often ask for the same kind on the same record (a dozen facts
/// read `platform`); the last record read for each kind is remembered per
/// thread, so its reader runs once (see [`memo`]).
pub fn read<'a>(kind: Kind, ev: &EventRef<'a>) -> Vec<Signal<'a>> {
    let fam = family(kind);
    memo::read(kind, ev, |ev| {
        let mut out = read_families(ev, std::slice::from_ref(&fam));
        out.retain(|s| s.kind == kind);
        out
    })
}

/// Every signal in `ev`, family by family (for `logscan events`).
pub fn read_all<'a>(ev: &EventRef<'a>) -> Vec<Signal<'a>> {
    read_families(ev, FAMILIES)
}

/// The signals `fams` read in `ev`, each family keeping only its own kind.
///
/// A record pasted through a word processor or chat client may hold curly
/// quotes where the program printed ASCII ones; the readers then see a copy
/// with ASCII quotes (as rules see `msg`, docs/paste.md), and the offsets they
/// report are mapped back to the record.
fn read_families<'a>(ev: &EventRef<'a>, fams: &[&'static Family]) -> Vec<Signal<'a>> {
    let text = ev.record_text();
    if crate::parse::paste::has_curly_quotes(text.as_bytes()) {
        return quotes::read_ascii(ev, fams, run_families);
    }
    let mut out = Vec::new();
    run_families(ev, fams, &mut out);
    out
}

fn run_families<'a>(ev: &EventRef<'a>, fams: &[&'static Family], out: &mut Vec<Signal<'a>>) {
    let text = ev.record_text();
    for fam in fams {
        if !may_hold(fam, text) {
            continue;
        }
        let before = out.len();
        (fam.read)(ev, out);
        let mut k = before;
        while k < out.len() {
            if out[k].kind == fam.kind {
                k += 1;
            } else {
                out.remove(k);
            }
        }
    }
}

/// Whether `text` holds one of the family's literals (always true for a family without literals).
///
/// One automaton per family, built on first use: a family has up to a hundred
/// literals and a dense client log's records can be tens of KiB, so searching
/// for each literal in turn would read the record a hundred times.
fn may_hold(fam: &Family, text: &str) -> bool {
    static FINDERS: LazyLock<Vec<Option<AhoCorasick>>> = LazyLock::new(|| {
        FAMILIES
            .iter()
            .map(|f| {
                AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .build(f.literals)
                    .ok()
            })
            .collect()
    });
    if fam.literals.is_empty() {
        return true;
    }
    let at = FAMILIES.iter().position(|f| std::ptr::eq(*f, fam));
    match at.and_then(|i| FINDERS.get(i)).and_then(Option::as_ref) {
        Some(ac) => ac.is_match(text),
        None => fam.literals.iter().any(|l| text::contains_ci(text, l)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_literals_are_lower_case_and_long_enough() {
        let mut names: Vec<&str> = FAMILIES.iter().map(|f| f.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), FAMILIES.len());
        for f in FAMILIES {
            for l in f.literals {
                assert!(
                    l.len() >= crate::rule::literal::MIN_LEN && l.is_ascii(),
                    "{}: literal {l:?} is shorter than the prefilter's minimum or not ASCII",
                    f.name
                );
                assert_eq!(*l, l.to_ascii_lowercase(), "{}: literal {l:?}", f.name);
            }
        }
    }

    #[test]
    fn every_kind_has_exactly_one_family() {
        for f in FAMILIES {
            assert_eq!(FAMILIES.iter().filter(|g| g.kind == f.kind).count(), 1);
            assert_eq!(family(f.kind).name, f.name);
            assert_eq!(by_name(f.name).map(|g| g.kind), Some(f.kind));
        }
    }
}
