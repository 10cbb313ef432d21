//! Wall-clock time of a generated session: milliseconds since the Unix epoch,
//! written as the clients write them (`2025-06-03T07:23:52.664Z`,
//! `2025-06-03 07:23:52.664`), with real calendar dates so a session may run
//! for months without a backwards step.
//!
//! Formatting appends bytes to a buffer and never allocates per line; this
//! module never reads the machine's clock.

/// Milliseconds in a day.
pub const DAY: u64 = 86_400_000;
/// Milliseconds in an hour.
pub const HOUR: u64 = 3_600_000;
/// Milliseconds in a minute.
pub const MINUTE: u64 = 60_000;
/// Milliseconds in a second.
pub const SECOND: u64 = 1_000;

/// Monday 2 June 2025, 00:00:00 UTC: the first day of every generated session.
pub const START: u64 = 20_241 * DAY;

/// The days since 1970-01-01 of `(year, month, day)` (proleptic Gregorian).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `(year, month, day)` of day `z` since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Day of the week of `ms`: 0 is Monday.
pub fn weekday(ms: u64) -> u64 {
    // 1970-01-01 was a Thursday.
    (ms / DAY + 3) % 7
}

/// Formats timestamps, remembering the last day's date.
#[derive(Debug, Default)]
pub struct Clock {
    day: Option<u64>,
    date: [u8; 10],
}

fn two(out: &mut Vec<u8>, n: u64) {
    out.push(b'0' + (n / 10 % 10) as u8);
    out.push(b'0' + (n % 10) as u8);
}

impl Clock {
    fn date(&mut self, ms: u64) -> &[u8; 10] {
        let day = ms / DAY;
        if self.day != Some(day) {
            let (y, m, d) = civil_from_days(day as i64);
            let mut v = Vec::with_capacity(10);
            v.extend_from_slice(format!("{y:04}").as_bytes());
            v.push(b'-');
            two(&mut v, u64::from(m));
            v.push(b'-');
            two(&mut v, u64::from(d));
            self.date.copy_from_slice(&v[..10]);
            self.day = Some(day);
        }
        &self.date
    }

    fn time(out: &mut Vec<u8>, ms: u64, sep: u8) {
        let t = ms % DAY;
        out.push(sep);
        two(out, t / HOUR);
        out.push(b':');
        two(out, t / MINUTE % 60);
        out.push(b':');
        two(out, t / SECOND % 60);
        out.push(b'.');
        let f = t % 1000;
        out.push(b'0' + (f / 100) as u8);
        two(out, f % 100);
    }

    /// `2025-06-03T07:23:52.664Z` (Claude Desktop, Claude Code).
    pub fn iso(&mut self, out: &mut Vec<u8>, ms: u64) {
        out.extend_from_slice(self.date(ms));
        Clock::time(out, ms, b'T');
        out.push(b'Z');
    }

    /// `2025-06-03 07:23:52.664` (VS Code's output channels).
    pub fn spaced(&mut self, out: &mut Vec<u8>, ms: u64) {
        out.extend_from_slice(self.date(ms));
        Clock::time(out, ms, b' ');
    }
}

/// `n` in decimal, appended to `out`.
pub fn num(out: &mut Vec<u8>, n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut n = n;
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}
