//! The timeline of an HTML report: one SVG, every source with evidence on its
//! own lane, time on the axis, each evidence record a mark linked to its text
//! (`#ev-N`). Stretches with no evidence longer than a minute and than a fifth
//! of the whole span are drawn as a hatched break with their length (a host
//! asleep shows as a break between the last record before it and the resume),
//! so the seconds around an incident stay readable next to hours of quiet.
//!
//! Reads report values only (evidence paths and times); never re-reads logs.

use std::fmt::Write as _;

use super::escape;

/// One evidence record on the timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    /// Index of its source among the lanes.
    pub lane: usize,
    /// Its time (ms since the Unix epoch, UTC).
    pub ms: i64,
    /// Index of its cause in the report (picks its colour).
    pub cause: usize,
    /// Its number in the document (`ev-N`).
    pub evidence: usize,
    /// What a pointer over it shows.
    pub label: String,
}

/// A stretch of the axis: records close in time, drawn to scale.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cluster {
    pub start: i64,
    pub end: i64,
    /// Left edge and width in the drawing (px).
    pub x: f64,
    pub w: f64,
}

const LABEL_W: f64 = 230.0;
const PLOT_W: f64 = 860.0;
const GAP_W: f64 = 84.0;
const LANE_H: f64 = 34.0;
const AXIS_H: f64 = 40.0;
/// A quiet stretch is a break when longer than this (ms) and than a fifth of the span.
const GAP_MIN_MS: i64 = 60_000;

/// Splits the marks' times into clusters laid out over the plot width, with a
/// fixed-width break between two clusters.
pub fn clusters(times: &[i64]) -> Vec<Cluster> {
    let mut t: Vec<i64> = times.to_vec();
    t.sort_unstable();
    t.dedup();
    let (Some(&first), Some(&last)) = (t.first(), t.last()) else {
        return Vec::new();
    };
    let span = last - first;
    let mut spans: Vec<(i64, i64)> = vec![(first, first)];
    for w in t.windows(2) {
        let (a, b) = (w[0], w[1]);
        if b - a > GAP_MIN_MS && (b - a) * 5 > span {
            spans.push((b, b));
        } else if let Some(s) = spans.last_mut() {
            s.1 = b;
        }
    }
    let gaps = spans.len().saturating_sub(1) as f64;
    let room = PLOT_W - GAP_W * gaps;
    let total: i64 = spans.iter().map(|(a, b)| b - a).sum();
    let min_w = 60.0_f64.min(room / spans.len() as f64);
    let free = room - min_w * spans.len() as f64;
    let mut x = LABEL_W;
    spans
        .iter()
        .map(|&(start, end)| {
            let share = if total > 0 {
                (end - start) as f64 / total as f64
            } else {
                1.0 / spans.len() as f64
            };
            let w = min_w + free * share;
            let c = Cluster { start, end, x, w };
            x += w + GAP_W;
            c
        })
        .collect()
}

/// Where `ms` is drawn (px), in the cluster that holds it.
pub fn x_of(clusters: &[Cluster], ms: i64) -> f64 {
    let c = clusters
        .iter()
        .find(|c| ms <= c.end)
        .or(clusters.last())
        .copied()
        .unwrap_or(Cluster {
            start: ms,
            end: ms,
            x: LABEL_W,
            w: PLOT_W,
        });
    if c.end == c.start {
        c.x + c.w / 2.0
    } else {
        c.x + (ms.clamp(c.start, c.end) - c.start) as f64 / (c.end - c.start) as f64 * c.w
    }
}

/// The SVG of `marks` over `lanes` (source paths), or `None` without marks.
pub fn svg(lanes: &[String], marks: &[Mark]) -> Option<String> {
    if marks.is_empty() {
        return None;
    }
    let times: Vec<i64> = marks.iter().map(|m| m.ms).collect();
    let cl = clusters(&times);
    let height = AXIS_H + LANE_H * lanes.len() as f64 + 8.0;
    let width = LABEL_W + PLOT_W + 20.0;
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" \
         width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"Timeline of the evidence\">\
         <defs><pattern id=\"hatch\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\" \
         patternTransform=\"rotate(45)\"><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"8\" class=\"hatch\"/></pattern></defs>"
    );
    for (i, path) in lanes.iter().enumerate() {
        let y = AXIS_H + LANE_H * i as f64;
        let name = path.rsplit(['/', '\\', '!']).next().unwrap_or(path);
        let _ = write!(
            s,
            "<g class=\"lane\" data-path=\"{p}\"><rect class=\"lane-bg\" x=\"0\" y=\"{y}\" width=\"{width}\" height=\"{LANE_H}\"/>\
             <text class=\"lane-name\" x=\"8\" y=\"{ty}\"><title>{p}</title>{n}</text></g>",
            p = escape(path),
            n = escape(&shorten(name, 30)),
            ty = y + LANE_H / 2.0 + 4.0,
        );
    }
    for pair in cl.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let x = a.x + a.w;
        let _ = write!(
            s,
            "<g class=\"gap\"><rect x=\"{x}\" y=\"{AXIS_H}\" width=\"{GAP_W}\" height=\"{h}\" fill=\"url(#hatch)\"/>\
             <text class=\"gap-label\" x=\"{cx}\" y=\"{ly}\" text-anchor=\"middle\">{d} later</text></g>",
            h = LANE_H * lanes.len() as f64,
            cx = x + GAP_W / 2.0,
            ly = AXIS_H - 24.0,
            d = escape(&duration(b.start - a.end)),
        );
    }
    for c in &cl {
        // A single moment is labelled under its marks; a stretch at both ends.
        let (x, anchor) = if c.end > c.start {
            (c.x, "start")
        } else {
            (c.x + c.w / 2.0, "middle")
        };
        let _ = write!(
            s,
            "<text class=\"tick\" x=\"{x}\" y=\"{y}\" text-anchor=\"{anchor}\">{t}</text>",
            y = AXIS_H - 8.0,
            t = clock(c.start)
        );
        if c.end > c.start {
            let _ = write!(
                s,
                "<text class=\"tick\" x=\"{x}\" y=\"{y}\" text-anchor=\"end\">{t}</text>",
                x = c.x + c.w,
                y = AXIS_H - 8.0,
                t = clock(c.end)
            );
        }
    }
    // Marks at the same place are stacked a little apart.
    let mut seen: Vec<(usize, i64, usize)> = Vec::new();
    for m in marks {
        let x = x_of(&cl, m.ms);
        let px = x.round() as i64;
        let n = match seen
            .iter_mut()
            .find(|(l, p, _)| *l == m.lane && (*p - px).abs() < 6)
        {
            Some(e) => {
                e.2 += 1;
                e.2
            }
            None => {
                seen.push((m.lane, px, 0));
                0
            }
        };
        let y = AXIS_H + LANE_H * m.lane as f64 + LANE_H / 2.0 + offset(n);
        let _ = write!(
            s,
            "<a href=\"#ev-{e}\"><circle class=\"mark c{c}\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"6\">\
             <title>{l}</title></circle></a>",
            e = m.evidence,
            c = m.cause % super::PALETTE,
            l = escape(&m.label),
        );
    }
    s.push_str("</svg>");
    Some(s)
}

/// Vertical offset of the `n`th mark at one place: 0, -7, +7, -14, ...
fn offset(n: usize) -> f64 {
    let step = n.div_ceil(2) as f64 * 7.0;
    if n % 2 == 1 {
        -step.min(14.0)
    } else {
        step.min(14.0)
    }
}

fn shorten(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        return s.to_string();
    }
    let tail: String = s
        .chars()
        .rev()
        .take(n - 1)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("…{tail}")
}

/// `HH:MM:SS` of `ms` (UTC).
pub fn clock(ms: i64) -> String {
    let secs = ms.div_euclid(1000).rem_euclid(86_400);
    format!("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
}

/// A length of time in words: `11 min 15 s`, `7 h 12 min`, `3 d 2 h`.
pub fn duration(ms: i64) -> String {
    let s = ms / 1000;
    match s {
        s if s < 60 => format!("{s} s"),
        s if s < 3600 => format!("{} min {} s", s / 60, s % 60),
        s if s < 86_400 => format!("{} h {} min", s / 3600, s / 60 % 60),
        s => format!("{} d {} h", s / 86_400, s / 3600 % 24),
    }
}

/// Milliseconds since the epoch of an evidence time (`2025-06-03T07:23:52.664Z`,
/// the form the report writes), or `None` for anything else.
pub fn parse_ts(ts: &str) -> Option<i64> {
    let b = ts.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let s = ts.get(r)?;
        s.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| s.parse().ok())?
    };
    if b.len() < 20 || b.get(4) != Some(&b'-') || b.get(10) != Some(&b'T') || !ts.ends_with('Z') {
        return None;
    }
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, s) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let ms = match b.get(19) {
        Some(b'.') => {
            let frac = ts.get(20..ts.len() - 1)?;
            let digits: String = frac.chars().chain("000".chars()).take(3).collect();
            digits.parse::<i64>().ok()?
        }
        _ => 0,
    };
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    Some(((days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60_000 + s * 1000 + ms)
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_times_parse_to_epoch_milliseconds() {
        assert_eq!(parse_ts("1970-01-01T00:00:00.000Z"), Some(0));
        assert_eq!(
            parse_ts("2025-06-03T07:23:52.664Z"),
            Some(1_748_935_432_664)
        );
        assert_eq!(parse_ts("2024-02-29T23:59:59Z"), Some(1_709_251_199_000));
        assert_eq!(parse_ts("2025-13-03T07:23:52.664Z"), None);
        assert_eq!(parse_ts("yesterday"), None);
        assert_eq!(parse_ts("2025-06-03T07:23:52.664+02:00"), None);
    }

    #[test]
    fn a_long_quiet_stretch_is_a_break_and_close_records_share_a_cluster() {
        // Records at 0 s and 4 s, then 11 minutes of quiet (asleep), then 3 records.
        let t = [0, 4_000, 675_000, 680_000, 690_000];
        let c = clusters(&t);
        assert_eq!(c.len(), 2);
        assert_eq!(
            (c[0].start, c[0].end, c[1].start, c[1].end),
            (0, 4_000, 675_000, 690_000)
        );
        assert!(x_of(&c, 4_000) < x_of(&c, 675_000));
        assert!((c[1].x - (c[0].x + c[0].w) - GAP_W).abs() < 1e-9);
        assert!(c[1].x + c[1].w <= LABEL_W + PLOT_W + 1e-9);
        // Evenly spread records: no break, whatever the span.
        let even: Vec<i64> = (0..10).map(|i| i * 3_600_000).collect();
        assert_eq!(clusters(&even).len(), 1);
        // A short pause is no break.
        assert_eq!(clusters(&[0, 1_000, 50_000]).len(), 1);
    }

    #[test]
    fn durations_read_as_words() {
        assert_eq!(duration(675_000), "11 min 15 s");
        assert_eq!(duration(7 * 3_600_000 + 12 * 60_000), "7 h 12 min");
        assert_eq!(duration(3 * 86_400_000 + 2 * 3_600_000), "3 d 2 h");
        assert_eq!(clock(1_748_935_432_664), "07:23:52");
    }
}
