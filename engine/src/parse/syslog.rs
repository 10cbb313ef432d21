//! Traditional syslog lines (`/var/log/syslog`, `messages`, `kern.log`):
//! `Mmm dd HH:MM:SS host ident[pid]: message`, and the RFC 3339 form rsyslog
//! writes (`2025-08-28T14:06:19.123456+02:00 host ident[pid]: message`).
//!
//! Fields: `msg`, `host`, `ident`, `pid`; kernel lines also get what
//! [`super::dmesg::kernel_fields`] finds (OOM kills). The BSD timestamp has no
//! year and no zone: the year comes from a full date elsewhere in the source
//! (a journal header, an embedded RFC 3339 time), else the current year; the
//! zone is `--tz` or UTC, and [`notes`] says so once per source. This module
//! never reads a line without a timestamp.

use std::cell::RefCell;
use std::ops::Range;

use jiff::civil::DateTime;

use crate::event::{field, Event, Timestamp, Value};
use crate::text::Note;

use super::dmesg;
use super::head::{Cx, Head};
use super::lex::{Prefix, View};
use super::time;

/// How far into a source the year is looked for.
const YEAR_WINDOW: usize = 64 * 1024;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

pub fn head(cx: &Cx, v: &View, _p: &Prefix) -> Option<Head> {
    line(cx, v)
}

/// Reads a syslog-shaped line (also used by the journal format).
pub fn line(cx: &Cx, v: &View) -> Option<Head> {
    let content = v.text(cx.text);
    let (ts, ts_len, iso) = match bsd_time(content) {
        Some((parts, len)) => (stamp(cx, parts), len, false),
        None => {
            let len = content.find(' ')?;
            let tok = &content[..len];
            if !tok.contains(['T', 't']) {
                return None;
            }
            (Some(time::read(tok, cx.tz)?), len, true)
        }
    };
    let at = |rel: usize| v.start + rel as u32;
    let rest = &content[ts_len..];
    let host_start = ts_len + (rest.len() - rest.trim_start().len());
    let after = &content[host_start..];
    let host_len = after.find(' ')?;
    let host = &after[..host_len];
    if host.is_empty() || host.starts_with('[') || host.ends_with(':') || is_level(host) {
        return None;
    }
    let ident_start = host_start + host_len + 1;
    let tail = content.get(ident_start..)?;
    let colon = tail.find(':')?;
    let ident = &tail[..colon];
    if ident.is_empty() || ident.contains(' ') || ident.len() > 96 {
        return None;
    }
    let msg_rel = ident_start + colon + 1;
    let msg_rel = msg_rel + (content[msg_rel..].len() - content[msg_rel..].trim_start().len());
    let mut h = Head::new(at(msg_rel)..v.end);
    h.ts = ts;
    h.score = if iso { 1 } else { 2 };
    h.set(
        "host",
        Value::Text(at(host_start)..at(host_start + host_len)),
    );
    let (name, pid) = split_pid(ident);
    h.set(
        "ident",
        Value::Text(at(ident_start)..at(ident_start + name.len())),
    );
    if let Some(pid) = pid {
        h.set(field::PID, Value::Int(pid));
        h.score += 1;
    }
    if name == "kernel" {
        let mut m0 = msg_rel;
        if let Some((secs, after)) = dmesg::uptime_prefix(&content[msg_rel..]) {
            let s0 = msg_rel + (secs.as_ptr() as usize - content[msg_rel..].as_ptr() as usize);
            h.set("uptime", Value::Text(at(s0)..at(s0 + secs.len())));
            m0 = content.len() - after.len();
            h.msg = Value::Text(at(m0)..v.end);
        }
        dmesg::kernel_fields(cx, at(m0)..v.end, &mut h);
    }
    Some(h)
}

/// `sshd(pam_unix)[19939]` to (`sshd(pam_unix)`, 19939).
fn split_pid(ident: &str) -> (&str, Option<i64>) {
    if let Some(inner) = ident.strip_suffix(']') {
        if let Some(i) = inner.rfind('[') {
            if let Ok(pid) = inner[i + 1..].parse::<i64>() {
                return (&inner[..i], Some(pid));
            }
        }
    }
    (ident, None)
}

fn is_level(s: &str) -> bool {
    s.len() >= 3 && s.bytes().all(|c| c.is_ascii_uppercase()) && super::head::level(s).is_some()
}

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
pub fn stamp(cx: &Cx, (mon, day, h, m, s, ns): Parts) -> Option<Timestamp> {
    let (year, _) = year(cx.text);
    let dt = DateTime::new(year, mon, day, h, m, s, ns).ok()?;
    let ts = cx.tz.to_timestamp(dt).ok()?;
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

/// The note a source with yearless, zoneless timestamps gets (once).
pub fn notes(text: &str, events: &[Event], tz_given: bool) -> Option<Note> {
    let first = events.iter().find(|e| e.ts.is_some_and(|t| t.naive))?;
    let (y, ctx) = year(text);
    let zone = if tz_given { "the --tz zone" } else { "UTC" };
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

/// `start..end` relative to `base`, as an absolute range.
pub fn abs(base: u32, r: Range<usize>) -> Range<u32> {
    base + r.start as u32..base + r.end as u32
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
        assert_eq!(
            split_pid("sshd(pam_unix)[19939]"),
            ("sshd(pam_unix)", Some(19939))
        );
        assert_eq!(split_pid("kernel"), ("kernel", None));
    }
}
