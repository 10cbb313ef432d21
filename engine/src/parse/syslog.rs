//! Traditional syslog lines (`/var/log/syslog`, `messages`, `kern.log`):
//! `Mmm dd HH:MM:SS host ident[pid]: message`, and the RFC 3339 form rsyslog
//! writes (`2025-08-28T14:06:19.123456+02:00 host ident[pid]: message`).
//!
//! Fields: `msg`, `host`, `ident`, `pid`; kernel lines also get what
//! [`super::dmesg::kernel_fields`] finds (OOM kills). The BSD timestamp has no
//! year and no zone: the year comes from a full date elsewhere in the source
//! (a journal header, an embedded RFC 3339 time), else the current year; the
//! zone is `--tz` or UTC, and [`bsd_time::yearless_notes`] says so once per
//! source. This module never reads a line without a timestamp.

use crate::event::{field, Value};

use super::bsd_time::{bsd_time, stamp};
use super::dmesg;
use super::format::{FileNameHint, FormatSpec, NameHint};
use super::head::{Head, ParseContext};
use super::lex::{Prefix, View};
use super::time;

/// `linux-syslog`: `syslog*`, `messages*`, `kern.log*`, `auth.log*`, `daemon.log*`.
pub const SPEC: FormatSpec = FormatSpec {
    file_name_hint: Some(FileNameHint {
        rank: 34,
        matches: |name| {
            ["syslog", "messages", "kern.log", "auth.log", "daemon.log"]
                .iter()
                .any(|prefix| name.base_lower.starts_with(prefix))
                .then_some(NameHint::default())
        },
    }),
    source_notes: Some(super::bsd_time::yearless_notes),
    ..FormatSpec::lines("linux-syslog", head)
};

pub fn head(context: &ParseContext<'_>, view: &View, _p: &Prefix) -> Option<Head> {
    line(context, view)
}

/// Reads a syslog-shaped line (also used by the journal format).
pub fn line(context: &ParseContext<'_>, view: &View) -> Option<Head> {
    let content = view.text(context.text);
    let (ts, ts_len, iso) = match bsd_time(content) {
        Some((parts, len)) => (stamp(context, parts), len, false),
        None => {
            let len = content.find(' ')?;
            let tok = &content[..len];
            if !tok.contains(['T', 't']) {
                return None;
            }
            (Some(time::read(tok, context.tz)?), len, true)
        }
    };
    let at = |rel: usize| view.start + rel as u32;
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
    let mut h = Head::new(at(msg_rel)..view.end);
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
            h.msg = Value::Text(at(m0)..view.end);
        }
        dmesg::kernel_fields(context, at(m0)..view.end, &mut h);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn process_ids() {
        assert_eq!(
            split_pid("sshd(pam_unix)[19939]"),
            ("sshd(pam_unix)", Some(19939))
        );
        assert_eq!(split_pid("kernel"), ("kernel", None));
    }
}
