//! The Linux kernel ring buffer as `dmesg` prints it: `[ 1382.074073] msg`
//! (seconds since boot: the field `uptime`, never a timestamp, so these
//! records keep file order), `dmesg -T` (`[Thu Aug 28 14:06:19 2025] msg`,
//! wall time in the `--tz` zone), `dmesg -x` (`kern  :err   : [...] msg`), and
//! kernel lines copied without a prefix (`kernel: Out of memory: ...`).
//!
//! Every record gets `ident: kernel`; OOM records get `pid` and `process`
//! (the killed task; for `invoked oom-killer`, the invoking task). A
//! `Call Trace:` line opens a record that folds the frames below it. This
//! module never turns seconds since boot into a time.

use std::ops::Range;

use jiff::civil::DateTime;

use crate::event::{field, Level, Timestamp, Value};

use super::bsd_time;
use super::format::{FileNameHint, FormatSpec, NameHint};
use super::head::{Head, Open, ParseContext};
use super::lex::{Prefix, View};

/// `linux-dmesg`: `dmesg*` files.
pub const SPEC: FormatSpec = FormatSpec {
    file_name_hint: Some(FileNameHint {
        rank: 32,
        matches: |name| {
            name.base_lower
                .starts_with("dmesg")
                .then_some(NameHint::default())
        },
    }),
    source_notes: Some(bsd_time::yearless_notes),
    ..FormatSpec::lines("linux-dmesg", head)
};

/// Phrases that make an unprefixed line a kernel line.
const KERNEL_PHRASES: [&str; 8] = [
    "Out of memory: Killed process",
    "Memory cgroup out of memory:",
    "oom-kill:constraint=",
    "Kernel panic - not syncing",
    "Call Trace:",
    "Mem-Info:",
    "oom_reaper: reaped process",
    "Tasks state (memory values in pages):",
];

pub fn head(context: &ParseContext<'_>, view: &View, _p: &Prefix) -> Option<Head> {
    let content = view.text(context.text);
    let mut rel = 0;
    let mut level = None;
    // `dmesg -x`: `kern  :err   : ...`
    if let Some((fac, rest)) = content.split_once(':') {
        if matches!(fac.trim_end(), "kern" | "user" | "daemon" | "syslog") {
            if let Some((lvl, _)) = rest.split_once(':') {
                if let Some(l) = super::head::level(lvl.trim()) {
                    level = Some(l);
                    rel = content.len() - rest.len() + lvl.len() + 1;
                    rel += content[rel..].len() - content[rel..].trim_start().len();
                }
            }
        }
    }
    let body = &content[rel..];
    let at = |r: usize| view.start + r as u32;
    let mut h;
    if let Some((inner, close)) = bracket(body) {
        let msg_rel = rel + close + 1;
        let after = &content[msg_rel..];
        // `[Sun Dec 04 04:47:44 2005] [notice] ...` is Apache's error log.
        if after.trim_start().starts_with('[') && !is_uptime(inner.trim()) {
            return None;
        }
        let frame = after.starts_with("  ");
        let msg_rel = msg_rel + (after.len() - after.trim_start().len());
        h = Head::new(at(msg_rel)..view.end);
        h.score = 3;
        let inner_rel = rel + 1 + (inner.as_ptr() as usize - body[1..].as_ptr() as usize);
        let secs = inner.trim();
        if is_uptime(secs) {
            let s0 = inner_rel + (inner.len() - inner.trim_start().len());
            h.set("uptime", Value::Text(at(s0)..at(s0 + secs.len())));
        } else if let Some(ts) = wall_time(context, secs) {
            h.ts = Some(ts);
        } else {
            return None;
        }
        if frame {
            h.score = 0;
        }
    } else if let Some(msg) = body.strip_prefix("kernel: ") {
        let msg_rel = rel + (body.len() - msg.len());
        let msg_rel = msg_rel + (msg.len() - msg.trim_start().len());
        h = Head::new(at(msg_rel)..view.end);
        h.score = 2;
    } else if KERNEL_PHRASES.iter().any(|k| body.starts_with(k)) {
        h = Head::new(at(rel)..view.end);
        h.score = 2;
    } else {
        return None;
    }
    h.level = level;
    h.set("ident", Value::Owned("kernel".into()));
    let msg = h.msg_range().unwrap_or(view.end..view.end);
    kernel_fields(context, msg.clone(), &mut h);
    let text = context.get(&msg);
    if text.starts_with("Call Trace:") {
        h.open = Open::Stderr;
        h.extend = false;
    } else if is_frame(text) {
        h.score = 0;
    }
    Some(h)
}

/// `[...]` at the start of `s`: its inner text and the index of `]`.
fn bracket(s: &str) -> Option<(&str, usize)> {
    let rest = s.strip_prefix('[')?;
    let close = rest.find(']')?;
    Some((&rest[..close], close + 1))
}

/// `[ 5120.004411] rest`: the seconds and the rest after its white space.
pub fn uptime_prefix(s: &str) -> Option<(&str, &str)> {
    let (inner, close) = bracket(s)?;
    let secs = inner.trim();
    if !is_uptime(secs) {
        return None;
    }
    Some((secs, s.get(close + 1..)?.trim_start()))
}

/// `1382.074073`: digits, a dot, digits.
fn is_uptime(s: &str) -> bool {
    let Some((a, b)) = s.split_once('.') else {
        return false;
    };
    !a.is_empty()
        && !b.is_empty()
        && a.bytes().all(|c| c.is_ascii_digit())
        && b.bytes().all(|c| c.is_ascii_digit())
}

/// `Thu Aug 28 14:06:19 2025` (`dmesg -T`).
fn wall_time(context: &ParseContext<'_>, s: &str) -> Option<Timestamp> {
    let (dow, rest) = s.split_once(' ')?;
    if dow.len() != 3 || !dow.bytes().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let ((mon, day, h, m, sec, ns), len) = bsd_time::bsd_time(rest)?;
    let year: i16 = rest.get(len..)?.trim().parse().ok()?;
    let dt = DateTime::new(year, mon, day, h, m, sec, ns).ok()?;
    let ts = context.tz.to_timestamp(dt).ok()?;
    Some(Timestamp {
        ms: ts.as_millisecond(),
        naive: true,
    })
}

/// A call-trace frame: `dump_stack+0x50/0x70`, `? foo+0x1/0x2`, `<TASK>`.
fn is_frame(s: &str) -> bool {
    let s = s.strip_prefix("? ").unwrap_or(s);
    matches!(s, "<TASK>" | "</TASK>" | "<IRQ>" | "</IRQ>")
        || s.split_whitespace()
            .next()
            .is_some_and(|w| w.contains("+0x") && w.contains("/0x") && !w.contains(':'))
}

/// Fields a kernel message carries: OOM victims (`pid`, `process`), panics.
/// `msg` is the message's absolute range.
pub fn kernel_fields(context: &ParseContext<'_>, msg: Range<u32>, h: &mut Head) {
    let text = context.get(&msg);
    let at = |r: Range<usize>| absolute(msg.start, r);
    if let Some(i) = text.find("Killed process ") {
        let p0 = i + "Killed process ".len();
        let digits = text[p0..].bytes().take_while(u8::is_ascii_digit).count();
        if let Ok(pid) = text[p0..p0 + digits].parse::<i64>() {
            h.set(field::PID, Value::Int(pid));
        }
        let after = &text[p0 + digits..];
        if let Some(name) = after.strip_prefix(" (") {
            if let Some(close) = name.find(')') {
                let n0 = p0 + digits + 2;
                h.set("process", Value::Text(at(n0..n0 + close)));
            }
        }
        h.level = Some(Level::Error);
    } else if let Some(i) = text.find("oom-kill:") {
        let list = &text[i + "oom-kill:".len()..];
        let base = i + "oom-kill:".len();
        let mut off = 0;
        for item in list.split(',') {
            let start = base + off;
            off += item.len() + 1;
            if let Some(name) = item.strip_prefix("task=") {
                h.set(
                    "process",
                    Value::Text(at(start + 5..start + 5 + name.len())),
                );
            } else if let Some(pid) = item.strip_prefix("pid=") {
                if let Ok(pid) = pid.trim().parse::<i64>() {
                    h.set(field::PID, Value::Int(pid));
                }
            }
        }
        h.level = Some(Level::Error);
    } else if let Some(i) = text.find(" invoked oom-killer") {
        let name_start = text[..i].rfind(' ').map_or(0, |j| j + 1);
        if name_start < i {
            h.set("process", Value::Text(at(name_start..i)));
        }
        h.level = Some(Level::Warn);
    } else if let Some(rest) = text.strip_prefix("CPU: ") {
        if let Some(p) = rest.find(" PID: ") {
            let p0 = "CPU: ".len() + p + " PID: ".len();
            let digits = text[p0..].bytes().take_while(u8::is_ascii_digit).count();
            if let Ok(pid) = text[p0..p0 + digits].parse::<i64>() {
                h.set(field::PID, Value::Int(pid));
            }
            if let Some(c) = text[p0..].find(" Comm: ") {
                let c0 = p0 + c + " Comm: ".len();
                let len = text[c0..].find(' ').unwrap_or(text.len() - c0);
                h.set("process", Value::Text(at(c0..c0 + len)));
            }
        }
    } else if text.starts_with("Kernel panic") {
        h.level = Some(Level::Fatal);
    }
}

/// `start..end` relative to `base`, as an absolute range.
fn absolute(base: u32, r: Range<usize>) -> Range<u32> {
    base + r.start as u32..base + r.end as u32
}
