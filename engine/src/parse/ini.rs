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
//! misplaced or unknown key name, at its first line, counting the other lines
//! with that key and problem (a file of a million sections gives one note, not
//! a million). This module never evaluates the values.

use std::ops::Range;

use crate::event::{field, Event, EventRef, Value};
use crate::text::Note;

use super::format::{FileNameHint, FormatSpec, NameHint, SourceNotesInput};
use super::head::{Head, ParseContext};
use super::lex::{Prefix, View};

/// `wslconfig`: `%UserProfile%\.wslconfig`.
pub const WSLCONFIG_SPEC: FormatSpec = FormatSpec {
    file_name_hint: Some(FileNameHint {
        rank: 30,
        matches: |name| {
            matches!(
                name.base_lower.as_str(),
                ".wslconfig" | "wslconfig" | "wslconfig.txt" | "_wslconfig"
            )
            .then_some(NameHint::default())
        },
    }),
    source_notes: Some(misplaced_key_notes),
    ..FormatSpec::lines("wslconfig", |context, view, prefix| {
        head(context, view, prefix, File::WslConfig)
    })
};

/// `wsl-conf`: `/etc/wsl.conf`.
pub const WSL_CONF_SPEC: FormatSpec = FormatSpec {
    file_name_hint: Some(FileNameHint {
        rank: 31,
        matches: |name| {
            matches!(name.base_lower.as_str(), "wsl.conf" | "wsl.conf.txt")
                .then_some(NameHint::default())
        },
    }),
    source_notes: Some(misplaced_key_notes),
    ..FormatSpec::lines("wsl-conf", |context, view, prefix| {
        head(context, view, prefix, File::WslConf)
    })
};

/// [`notes`] as a [`FormatSpec::source_notes`] function.
fn misplaced_key_notes(input: &SourceNotesInput<'_>) -> Vec<Note> {
    notes(
        &input.source.path,
        &input.source.text,
        input.format_name,
        input.events,
    )
}

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

pub fn head(context: &ParseContext<'_>, view: &View, _p: &Prefix, file: File) -> Option<Head> {
    let content = view.text(context.text);
    let at = |r: Range<usize>| view.start + r.start as u32..view.start + r.end as u32;
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
    let section = section_above(context.text, view.line.start as usize).unwrap_or_default();
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

/// How many more lines a grouped note lists.
const LISTED_LINES: usize = 5;

/// One note per misplaced or unknown key, naming the file and its first line;
/// the same key misplaced (or unknown) again in other sections is counted in
/// that note with its first few lines, not noted again.
pub fn notes(path: &str, text: &str, format: &str, events: &[Event]) -> Vec<Note> {
    // (key, where WSL reads it or None when nowhere) -> first line, section, later lines.
    struct Group {
        key: String,
        home: Option<String>,
        line: u32,
        section: String,
        more: Vec<u32>,
        count: usize,
    }
    let mut groups: Vec<Group> = Vec::new();
    let mut index: std::collections::HashMap<(String, Option<String>), usize> =
        std::collections::HashMap::new();
    for e in events {
        let r = EventRef {
            event: e,
            source_text: text,
            format,
        };
        let Some(key) = r.get(field::KEY) else {
            continue;
        };
        let home = match r.get("belongs") {
            Some(home) => Some(home.into_owned()),
            None if r.get("known").as_deref() == Some("false") => None,
            None => continue,
        };
        let line = e.span.line;
        let id = (key.into_owned(), home);
        match index.get(&id) {
            Some(&g) => {
                let g = &mut groups[g];
                g.count += 1;
                if g.more.len() < LISTED_LINES {
                    g.more.push(line);
                }
            }
            None => {
                index.insert(id.clone(), groups.len());
                groups.push(Group {
                    key: id.0,
                    home: id.1,
                    line,
                    section: r.get(field::SECTION).unwrap_or_default().into_owned(),
                    more: Vec::new(),
                    count: 0,
                });
            }
        }
    }
    groups
        .into_iter()
        .map(|g| {
            let (key, section, line) = (&g.key, &g.section, g.line);
            let mut m = match &g.home {
                Some(home) => {
                    format!("{path}:{line}: `{key}` in [{section}] is read by WSL only in {home}")
                }
                None => format!("{path}:{line}: `{key}` in [{section}] is not a key WSL knows"),
            };
            if g.count > 0 {
                let lines: Vec<String> = g.more.iter().map(u32::to_string).collect();
                let etc = if g.count > g.more.len() { ", ..." } else { "" };
                let (noun, verb) = if g.count == 1 {
                    ("line", "has")
                } else {
                    ("lines", "have")
                };
                m += &format!(
                    "; {} more `{key}` {noun} {verb} the same problem ({noun} {}{etc})",
                    g.count,
                    lines.join(", ")
                );
            }
            Note::new(Some(line), m)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::parse::{parse, ParseOptions, MAX_NOTES};
    use crate::text::SourceText;

    fn notes_of(text: String) -> Vec<(Option<u32>, String)> {
        let p = parse(
            SourceText::identity("w/.wslconfig", text),
            0,
            &ParseOptions::default(),
        );
        assert_eq!(p.format, "wslconfig");
        p.notes.into_iter().map(|n| (n.line, n.message)).collect()
    }

    #[test]
    fn one_key_misplaced_in_many_sections_is_one_note_with_a_count() {
        let text: String = (0..1000).map(|i| format!("[s{i}]\nmemory=4GB\n")).collect();
        assert_eq!(
            notes_of(text),
            [(
                Some(2),
                "w/.wslconfig:2: `memory` in [s0] is read by WSL only in .wslconfig [wsl2]; 999 more `memory` lines have the same problem (lines 4, 6, 8, 10, 12, ...)".to_string()
            )]
        );
    }

    #[test]
    fn a_key_repeated_once_lists_its_one_other_line() {
        let text = "[wsl2]\nbogus=1\n[experimental]\nbogus=2\n".to_string();
        assert_eq!(
            notes_of(text),
            [(
                Some(2),
                "w/.wslconfig:2: `bogus` in [wsl2] is not a key WSL knows; 1 more `bogus` line has the same problem (line 4)".to_string()
            )]
        );
    }

    #[test]
    fn many_distinct_keys_are_capped_with_a_count() {
        let text: String = (0..500).map(|i| format!("[s{i}]\nkey{i}=1\n")).collect();
        let notes = notes_of(text);
        assert_eq!(notes.len(), MAX_NOTES + 1);
        assert_eq!(
            notes[0],
            (
                Some(2),
                "w/.wslconfig:2: `key0` in [s0] is not a key WSL knows".to_string()
            )
        );
        assert_eq!(
            notes[MAX_NOTES],
            (None, format!("{} more notes not shown", 500 - MAX_NOTES))
        );
    }
}
