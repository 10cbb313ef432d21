//! BSD syslog timestamps (`Mmm dd HH:MM:SS[.frac]`, no year, no zone) and the
//! year a source's yearless timestamps are read in: from a full date near the
//! start of the source, else the current year (and the note saying which).
//!
//! Shared by `syslog`, `journal` and `dmesg` (`dmesg -T`); this module never
//! reads a line's other fields and never guesses a zone (`--tz` or UTC).

use std::cell::RefCell;

use jiff::civil::DateTime;

use crate::event::{Event, Timestamp};
use crate::text::Note;

use super::format::SourceNotesInput;
use super::head::ParseContext;

/// How far into a source the year is looked for.
const YEAR_WINDOW: usize = 64 * 1024;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Month, day, hour, minute, second, nanosecond of a BSD timestamp.
pub type Parts = (i8, i8, i8, i8, i8, i32);

/// Reads `Mmm dd HH:MM:SS[.frac]` at the start of `s`; returns its parts and length.
pub fn bsd_time(s: &str) -> Option<(Parts, usize)> {
    let b = s.as_bytes();
    let mon = MONTHS
        .iter()
        .position(|m| b.get(..3) == Some(m.as_bytes()))? as i8
        + 1;
    let mut i = 3;
    if b.get(i) != Some(&b' ') {
        return None;
    }
    while b.get(i) == Some(&b' ') {
        i += 1;
    }
    let d0 = i;
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    if i == d0 || i - d0 > 2 || b.get(i) != Some(&b' ') {
        return None;
    }
    let day: i8 = s.get(d0..i)?.parse().ok()?;
    i += 1;
    let num = |at: usize| -> Option<i8> {
        let t = b.get(at..at + 2)?;
        t.iter()
            .all(u8::is_ascii_digit)
            .then(|| ((t[0] - b'0') * 10 + (t[1] - b'0')) as i8)
    };
    let hour = num(i)?;
    (b.get(i + 2) == Some(&b':')).then_some(())?;
    let minute = num(i + 3)?;
    (b.get(i + 5) == Some(&b':')).then_some(())?;
    let second = num(i + 6)?;
    i += 8;
    let mut nanos = 0i32;
    if b.get(i) == Some(&b'.') {
        let f0 = i + 1;
        i = f0;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            if i - f0 < 9 {
                nanos = nanos * 10 + i32::from(b[i] - b'0');
            }
            i += 1;
        }
        for _ in (i - f0).min(9)..9 {
            nanos *= 10;
        }
    }
    if !matches!(b.get(i), None | Some(b' ')) {
        return None;
    }
    Some(((mon, day, hour, minute, second.min(59), nanos), i))
}

/// A BSD timestamp in the source's year and the `--tz` zone.
pub fn stamp(context: &ParseContext<'_>, (mon, day, h, m, s, ns): Parts) -> Option<Timestamp> {
    let (year, _) = year(context.text);
    let dt = DateTime::new(year, mon, day, h, m, s, ns).ok()?;
    let ts = context.tz.to_timestamp(dt).ok()?;
    Some(Timestamp {
        ms: ts.as_millisecond(),
        naive: true,
    })
}

thread_local! {
    /// The last source's year: (text address, text length, year, from context).
    static YEAR: RefCell<Option<(usize, usize, i16, bool)>> = const { RefCell::new(None) };
}

thread_local! {
    /// The year pieces of a streamed source are parsed with (see [`with_year`]).
    static PIECE_YEAR: std::cell::Cell<Option<(i16, bool)>> = const { std::cell::Cell::new(None) };
}

/// Runs `f` with yearless timestamps read in `year` (a streamed source's pieces
/// lack the head the year was found in).
pub fn with_year<R>(year: (i16, bool), f: impl FnOnce() -> R) -> R {
    let before = PIECE_YEAR.with(|c| c.replace(Some(year)));
    let out = f();
    PIECE_YEAR.with(|c| c.set(before));
    out
}

/// The year of a source's yearless timestamps and whether the source gave it.
pub fn year(text: &str) -> (i16, bool) {
    if let Some(y) = PIECE_YEAR.with(|c| c.get()) {
        return y;
    }
    let id = (text.as_ptr() as usize, text.len());
    if let Some((_, _, y, ctx)) = YEAR.with(|c| *c.borrow()).filter(|c| (c.0, c.1) == id) {
        return (y, ctx);
    }
    let (y, ctx) = match year_in(text) {
        Some(y) => (y, true),
        None => (jiff::Zoned::now().year(), false),
    };
    YEAR.with(|c| *c.borrow_mut() = Some((id.0, id.1, y, ctx)));
    (y, ctx)
}

/// The first `YYYY-MM-DD` date (years 1990..2099) in the start of `text`.
fn year_in(text: &str) -> Option<i16> {
    let end = floor_boundary(text, YEAR_WINDOW);
    let b = &text.as_bytes()[..end];
    let mut from = 0;
    while let Some(i) = memchr::memchr(b'-', &b[from..]).map(|i| from + i) {
        from = i + 1;
        let Some(start) = i.checked_sub(4) else {
            continue;
        };
        let y = &b[start..i];
        let ok = y.iter().all(u8::is_ascii_digit)
            && b.get(i + 3) == Some(&b'-')
            && b.get(i + 1..i + 3)
                .is_some_and(|m| m.iter().all(u8::is_ascii_digit))
            && (start == 0 || !b[start - 1].is_ascii_digit());
        if ok {
            let y: i16 = text.get(start..i)?.parse().ok()?;
            if (1990..2100).contains(&y) {
                return Some(y);
            }
        }
    }
    None
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The note a source with yearless, zoneless timestamps gets (once): the
/// [`FormatSpec::source_notes`](super::format::FormatSpec::source_notes) of the
/// formats that read BSD timestamps.
pub fn yearless_notes(input: &SourceNotesInput<'_>) -> Vec<Note> {
    yearless_note(&input.source.text, input.events, input.zone_given)
        .into_iter()
        .collect()
}

fn yearless_note(text: &str, events: &[Event], zone_given: bool) -> Option<Note> {
    let first = events.iter().find(|e| e.ts.is_some_and(|t| t.naive))?;
    let (y, ctx) = year(text);
    let zone = if zone_given { "the --tz zone" } else { "UTC" };
    let year = if ctx {
        format!("the year {y} was taken from a date in the log")
    } else {
        format!("the year {y} was assumed (the log names none)")
    };
    Some(Note::new(
        Some(first.span.line),
        format!("timestamps have no year and no zone: {year}; times are read as {zone}"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bsd_times() {
        assert_eq!(
            bsd_time("Jul  1 09:00:55 host x"),
            Some(((7, 1, 9, 0, 55, 0), 15))
        );
        assert_eq!(
            bsd_time("Aug 28 14:06:19.250 h"),
            Some(((8, 28, 14, 6, 19, 250_000_000), 19))
        );
        assert_eq!(bsd_time("Aug 28 14:06"), None);
        assert_eq!(bsd_time("Foo 28 14:06:19"), None);
        assert_eq!(bsd_time("Aug 284 14:06:19"), None);
    }

    #[test]
    fn year_from_context() {
        assert_eq!(
            year_in("-- Logs begin at Tue 2023-09-19 04:20:00 CEST"),
            Some(2023)
        );
        assert_eq!(year_in("Sep 19 x[1]: id 12345-67-89 é"), None);
    }
}
