//! Reading the timestamps that MCP client logs write, into UTC [`Timestamp`]s.
//!
//! Two shapes matter: ISO 8601 with `T` and a `Z` or numeric offset (exact,
//! converted to UTC) and `YYYY-MM-DD HH:MM:SS.mmm` without an offset (VS Code,
//! Cursor), read in the `--tz` zone or UTC and marked `naive`. This module
//! never guesses a year or a zone and never panics on malformed digits: a text
//! it cannot read exactly is no timestamp. [`format_ts`] writes one back
//! (RFC 3339 UTC with milliseconds), the one form every report shows.

use jiff::civil::DateTime;
use jiff::tz::{Offset, TimeZone};

use crate::event::Timestamp;

/// Reads `s` (the whole string must be the timestamp) as a date-time.
///
/// Accepts `YYYY-MM-DD[T ]HH:MM[:SS[.frac|,frac]][Z|±HH[:]MM]`.
pub fn read(s: &str, tz: &TimeZone) -> Option<Timestamp> {
    let b = s.as_bytes();
    let year = digits(b, 0, 4)?;
    expect(b, 4, b'-')?;
    let month = digits(b, 5, 2)?;
    expect(b, 7, b'-')?;
    let day = digits(b, 8, 2)?;
    if !matches!(b.get(10), Some(b'T' | b't' | b' ')) {
        return None;
    }
    let hour = digits(b, 11, 2)?;
    expect(b, 13, b':')?;
    let minute = digits(b, 14, 2)?;
    let mut i = 16;
    let mut second = 0;
    if b.get(i) == Some(&b':') {
        second = digits(b, i + 1, 2)?;
        i += 3;
    }
    let mut nanos: i64 = 0;
    if matches!(b.get(i), Some(b'.' | b',')) {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            if i - start < 9 {
                nanos = nanos * 10 + i64::from(b[i] - b'0');
            }
            i += 1;
        }
        if i == start {
            return None;
        }
        for _ in (i - start)..9 {
            nanos *= 10;
        }
    }
    let dt = DateTime::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
        i8::try_from(hour).ok()?,
        i8::try_from(minute).ok()?,
        i8::try_from(second.min(59)).ok()?,
        i32::try_from(nanos).ok()?,
    )
    .ok()?;
    let rest = &b[i..];
    let (ts, naive) = match rest {
        [] => (tz.to_timestamp(dt).ok()?, true),
        [b'Z' | b'z'] => (Offset::UTC.to_timestamp(dt).ok()?, false),
        [sign @ (b'+' | b'-'), tail @ ..] => {
            let (h, m) = match tail {
                [h1, h2] => (num2(*h1, *h2)?, 0),
                [h1, h2, b':', m1, m2] | [h1, h2, m1, m2] => (num2(*h1, *h2)?, num2(*m1, *m2)?),
                _ => return None,
            };
            let secs = (h * 3600 + m * 60) * if *sign == b'-' { -1 } else { 1 };
            let off = Offset::from_seconds(secs).ok()?;
            (off.to_timestamp(dt).ok()?, false)
        }
        _ => return None,
    };
    Some(Timestamp {
        ms: ts.as_millisecond(),
        naive,
    })
}

fn digits(b: &[u8], at: usize, n: usize) -> Option<i32> {
    let s = b.get(at..at + n)?;
    let mut v = 0i32;
    for &c in s {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + i32::from(c - b'0');
    }
    Some(v)
}

fn num2(a: u8, b: u8) -> Option<i32> {
    if a.is_ascii_digit() && b.is_ascii_digit() {
        Some(i32::from(a - b'0') * 10 + i32::from(b - b'0'))
    } else {
        None
    }
}

fn expect(b: &[u8], at: usize, c: u8) -> Option<()> {
    (b.get(at) == Some(&c)).then_some(())
}

/// RFC 3339 UTC with milliseconds (`2025-06-03T07:23:52.664Z`); the
/// milliseconds themselves when out of range.
pub fn format_ts(ms: i64) -> String {
    match jiff::Timestamp::from_millisecond(ms) {
        Ok(t) => t.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        Err(_) => ms.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> Option<Timestamp> {
        read(s, &TimeZone::UTC)
    }

    #[test]
    fn iso_with_zone_is_exact() {
        let t = utc("2025-06-03T07:23:52.664Z").unwrap();
        assert_eq!(
            t,
            Timestamp {
                ms: 1_748_935_432_664,
                naive: false
            }
        );
        let t = utc("2025-06-03T09:23:52.664+02:00").unwrap();
        assert_eq!(t.ms, 1_748_935_432_664);
        assert_eq!(
            utc("2025-06-03T09:23:52.664+0200").unwrap().ms,
            1_748_935_432_664
        );
    }

    #[test]
    fn space_form_is_naive() {
        let t = utc("2025-06-03 07:23:52.664").unwrap();
        assert_eq!(
            t,
            Timestamp {
                ms: 1_748_935_432_664,
                naive: true
            }
        );
        let tz = TimeZone::fixed(jiff::tz::offset(2));
        assert_eq!(
            read("2025-06-03 09:23:52.664", &tz).unwrap().ms,
            1_748_935_432_664
        );
        assert_eq!(utc("2015-10-18 18:01:47,978").unwrap().ms % 1000, 978);
    }

    #[test]
    fn malformed_is_none() {
        for s in [
            "2025-13-03T07:23:52Z",
            "2025-06-03T07:23:52.Z",
            "2025-06-03",
            "XXXX-06-03 07:23",
            "2025-06-03T07:23:52Q",
            "é",
        ] {
            assert_eq!(utc(s), None, "{s}");
        }
    }

    #[test]
    fn format_ts_writes_utc_with_milliseconds() {
        assert_eq!(format_ts(1_748_935_432_664), "2025-06-03T07:23:52.664Z");
        assert_eq!(format_ts(i64::MAX), i64::MAX.to_string());
    }
}
