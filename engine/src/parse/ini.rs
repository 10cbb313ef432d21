//! WSL's INI files as facts: `%UserProfile%\.wslconfig` (format `wslconfig`)
//! and `/etc/wsl.conf` (format `wsl-conf`).
//!
//! One event per line: a `[section]` line gets `section`; a `key = value`
//! line gets `section` (the nearest header above it, lower-case), `key`
//! (lower-case), `value` (trimmed, `#` comment and quotes removed), plus
//! `misplaced: true` when WSL reads that key only in another section or the
//! other file (`belongs` names where), and `known: false` when WSL knows the
//! key nowhere. Comment lines get `comment: true` and no `key`, so a
//! commented-out setting is never read as set. [`notes`] adds one note per
//! misplaced or unknown key. This module never evaluates the values.

use std::ops::Range;

use crate::event::{field, Event, EventRef, Value};
use crate::text::Note;

use super::head::{Cx, Head};
use super::lex::{Prefix, View};

/// Which file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum File {
    /// `%UserProfile%\.wslconfig`: the VM, for every distribution.
    WslConfig,
    /// `/etc/wsl.conf`: one distribution.
    WslConf,
}

impl File {
    fn name(self) -> &'static str {
        match self {
            File::WslConfig => ".wslconfig",
            File::WslConf => "/etc/wsl.conf",
        }
    }

    fn other(self) -> File {
        match self {
            File::WslConfig => File::WslConf,
            File::WslConf => File::WslConfig,
        }
    }

    /// Known keys by section (lower-case), from the Microsoft WSL config docs.
    fn sections(self) -> &'static [(&'static str, &'static [&'static str])] {
        match self {
            File::WslConfig => &[
                (
                    "wsl2",
                    &[
                        "kernel",
                        "kernelmodules",
                        "memory",
                        "processors",
                        "localhostforwarding",
                        "kernelcommandline",
                        "safemode",
                        "swap",
                        "swapfile",
                        "pagereporting",
                        "guiapplications",
                        "debugconsole",
                        "nestedvirtualization",
                        "vmidletimeout",
                        "dnsproxy",
                        "networkingmode",
                        "firewall",
                        "dnstunneling",
                        "autoproxy",
                        "defaultvhdsize",
                        "maxcrashdumpcount",
                    ],
                ),
                (
                    "experimental",
                    &[
                        "automemoryreclaim",
                        "sparsevhd",
                        "besteffortdnsparsing",
                        "dnstunnelingipaddress",
                        "initialautoproxytimeout",
                        "ignoredports",
                        "hostaddressloopback",
                        // WSL 2.0.0 read these here before they moved to [wsl2].
                        "networkingmode",
                        "firewall",
                        "dnstunneling",
                        "autoproxy",
                    ],
                ),
            ],
            File::WslConf => &[
                ("automount", &["enabled", "mountfstab", "root", "options"]),
                (
                    "network",
                    &["generatehosts", "generateresolvconf", "hostname"],
                ),
                ("interop", &["enabled", "appendwindowspath"]),
                ("user", &["default"]),
                ("boot", &["systemd", "command", "protectbinfmt"]),
                ("gpu", &["enabled"]),
                ("time", &["usewindowstimezone"]),
            ],
        }
    }

    fn knows_section(self, s: &str) -> bool {
        self.sections().iter().any(|(n, _)| *n == s)
    }

    fn knows(self, section: &str, key: &str) -> bool {
        self.sections()
            .iter()
            .any(|(n, keys)| *n == section && keys.contains(&key))
    }

    /// The first section of this file that knows `key`.
    fn home(self, key: &str) -> Option<&'static str> {
        self.sections()
            .iter()
            .find(|(_, keys)| keys.contains(&key))
            .map(|(n, _)| *n)
    }
}

/// How far back a key line looks for its section header.
const LOOKBACK: usize = 64 * 1024;

pub fn head(cx: &Cx, v: &View, _p: &Prefix, file: File) -> Option<Head> {
    let content = v.text(cx.text);
    let at = |r: Range<usize>| v.start + r.start as u32..v.start + r.end as u32;
    if content.starts_with(['#', ';']) {
        let mut h = Head::new(at(0..content.len()));
        h.score = 0;
        h.set("comment", Value::Owned("true".into()));
        return Some(h);
    }
    if let Some(name) = section_name(content) {
        let lower = name.to_ascii_lowercase();
        let mut h = Head::new(at(0..content.len()));
        h.score = if file.knows_section(&lower) {
            3
        } else if file.other().knows_section(&lower) {
            1
        } else {
            0
        };
        h.set(field::SECTION, Value::Owned(lower.into()));
        return Some(h);
    }
    let eq = content.find('=')?;
    let key = content[..eq].trim();
    if key.is_empty()
        || !key
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
    {
        return None;
    }
    let key = key.to_ascii_lowercase();
    let (v0, v1) = value_range(content, eq + 1);
    let section = section_above(cx.text, v.line.start as usize).unwrap_or_default();
    let mut h = Head::new(at(0..content.len()));
    h.set(field::SECTION, Value::Owned(section.as_str().into()));
    h.set(field::KEY, Value::Owned(key.as_str().into()));
    h.set(field::VALUE, Value::Text(at(v0..v1)));
    h.score = 1;
    if file.knows(&section, &key) {
        h.score = 2;
    } else if let Some(home) = file.home(&key) {
        h.set("misplaced", Value::Owned("true".into()));
        h.set(
            "belongs",
            Value::Owned(format!("{} [{home}]", file.name()).into()),
        );
    } else if let Some(home) = file.other().home(&key) {
        h.score = 1;
        h.set("misplaced", Value::Owned("true".into()));
        h.set(
            "belongs",
            Value::Owned(format!("{} [{home}]", file.other().name()).into()),
        );
    } else {
        h.score = 0;
        h.set("known", Value::Owned("false".into()));
    }
    Some(h)
}

/// `[name]` (a whole line, a trailing comment allowed).
fn section_name(content: &str) -> Option<&str> {
    let rest = content.strip_prefix('[')?;
    let close = rest.find(']')?;
    let tail = rest[close + 1..].trim_start();
    let name = rest[..close].trim();
    let ok = !name.is_empty()
        && name
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.'));
    (ok && (tail.is_empty() || tail.starts_with('#'))).then_some(name)
}

/// The value after `=`: trimmed, without a `#` comment outside quotes and without its quotes.
fn value_range(content: &str, from: usize) -> (usize, usize) {
    let b = content.as_bytes();
    let mut quote = None;
    let mut end = b.len();
    for (i, &c) in b.iter().enumerate().skip(from) {
        match (quote, c) {
            (None, b'"' | b'\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, b'#') => {
                end = i;
                break;
            }
            _ => {}
        }
    }
    let raw = &content[from..end];
    let mut s = from + (raw.len() - raw.trim_start().len());
    let mut e = from + raw.trim_end().len();
    if e >= s + 2 {
        let (first, last) = (b[s], b[e - 1]);
        if first == last && matches!(first, b'"' | b'\'') {
            s += 1;
            e -= 1;
        }
    }
    (s, e.max(s))
}

/// The nearest `[section]` header above `line_start` (lower-case), within [`LOOKBACK`].
fn section_above(text: &str, line_start: usize) -> Option<String> {
    let mut end = line_start.min(text.len());
    let floor = end.saturating_sub(LOOKBACK);
    let b = text.as_bytes();
    while end > floor {
        let start = memchr::memrchr(b'\n', &b[floor..end.saturating_sub(1)])
            .map_or(floor, |i| floor + i + 1);
        if let Some(line) = text.get(start..end) {
            let t = line
                .trim_matches(|c: char| c.is_whitespace())
                .trim_start_matches(['>', ' ']);
            if let Some(name) = section_name(t) {
                return Some(name.to_ascii_lowercase());
            }
        }
        if start == floor {
            break;
        }
        end = start;
    }
    None
}

/// One note per misplaced or unknown key, naming the file and line.
pub fn notes(path: &str, text: &str, format: &str, events: &[Event]) -> Vec<Note> {
    let mut out = Vec::new();
    for e in events {
        let r = EventRef {
            event: e,
            source_text: text,
            format,
        };
        let Some(key) = r.get(field::KEY) else {
            continue;
        };
        let section = r.get(field::SECTION).unwrap_or_default();
        let line = e.span.line;
        if let Some(home) = r.get("belongs") {
            out.push(Note::new(
                Some(line),
                format!("{path}:{line}: `{key}` in [{section}] is read by WSL only in {home}"),
            ));
        } else if r.get("known").as_deref() == Some("false") {
            out.push(Note::new(
                Some(line),
                format!("{path}:{line}: `{key}` in [{section}] is not a key WSL knows"),
            ));
        }
    }
    out
}
