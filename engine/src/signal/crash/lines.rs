//! The logical lines of a record and the shapes a crash trace is read from: exception lines, module names, traceback rails.

use super::*;

/// One logical line: its range in the record text.
#[derive(Clone, Copy)]
pub(super) struct Line {
    pub(super) s: usize,
    pub(super) e: usize,
}

/// The record's logical lines: split at newlines, CRs and JSON `\n` / `\r` escapes; in a
/// JSON record also at unescaped quotes, so a string value's lines stand alone.
pub(super) fn lines(t: &str) -> Vec<Line> {
    let b = t.as_bytes();
    let json = t.trim_start().starts_with('{');
    let mut out = Vec::new();
    let mut s = 0;
    let mut i = 0;
    while i < b.len() {
        let stop = match b[i] {
            b'\n' | b'\r' => Some(1),
            b'\\' if matches!(b.get(i + 1), Some(b'n' | b'r')) => Some(2),
            b'\\' => {
                i += 2;
                continue;
            }
            b'"' if json => Some(1),
            _ => None,
        };
        match stop {
            Some(n) => {
                out.push(Line { s, e: i });
                i += n;
                s = i;
            }
            None => i += 1,
        }
    }
    out.push(Line { s, e: b.len() });
    out.retain(|l| l.e > l.s);
    out
}

/// An exception line `Name: detail` (or `Name` alone when `bare_ok`) at `l[from..]`:
/// the name's and the detail's ranges.
pub(super) fn exception_at(t: &str, from: usize, e: usize, bare_ok: bool) -> Option<ExLine> {
    let b = t.as_bytes();
    let mut i = from;
    // A dotted name: `pkg.mod.ValidationError`, `java.lang.IllegalStateException`.
    let ns = i;
    while i < e && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'.' || b[i] == b'$') {
        i += 1;
    }
    let name = t.get(ns..i)?;
    let last = name.rsplit('.').next().unwrap_or("");
    if last.is_empty() || !last.as_bytes()[0].is_ascii_uppercase() {
        return None;
    }
    let ne = i;
    // Node: `Error [ERR_MODULE_NOT_FOUND]: ...`.
    if t.get(i..i + 2) == Some(" [") {
        if let Some(k) = t.get(i..e).and_then(|r| r.find("]:")) {
            i += k + 1;
        }
    }
    if t.get(i..i + 2) == Some(": ") {
        let ds = i + 2;
        let de = ds + t.get(ds..e)?.trim_end().len();
        return Some(((ns, ne), (de > ds).then_some((ds, de))));
    }
    (bare_ok && t.get(i..e)?.trim().is_empty()).then_some(((ns, ne), None))
}

/// Whether `name` is one an exception line alone is read for (see [`NAMES`]).
pub(super) fn known_name(name: &str) -> bool {
    let l = name.to_ascii_lowercase();
    l.ends_with("exception") || LITERALS[NAMES].iter().any(|n| l.ends_with(n))
}

/// Prefix width of a traceback line: leading spaces and exception-group rails (`|`, `+`, `-`).
pub(super) fn rail_width(t: &str, l: Line) -> usize {
    t.get(l.s..l.e)
        .unwrap_or("")
        .bytes()
        .take_while(|b| matches!(b, b' ' | b'|' | b'+' | b'-'))
        .count()
}

/// `'x'` or `x` after `No module named ` / `Cannot find module ` in `t[from..e]`.
pub(super) fn module_in(t: &str, from: usize, e: usize) -> Option<(usize, usize)> {
    let seg = t.get(from..e)?;
    for n in [
        "no module named ",
        "cannot find module ",
        "cannot find package ",
    ] {
        if let Some(p) = find_ci(seg, n, 0) {
            let vs = p + n.len();
            let b = seg.as_bytes();
            let (s, stop): (usize, &[u8]) = match b.get(vs) {
                Some(b'\'') => (vs + 1, b"'"),
                Some(b'"') => (vs + 1, b"\""),
                Some(b'\\') if b.get(vs + 1) == Some(&b'"') => (vs + 2, b"\\"),
                _ => (vs, b" ,)\\"),
            };
            let len = b[s..].iter().take_while(|c| !stop.contains(c)).count();
            let len = if stop == b" ,)\\" {
                seg[s..s + len].trim_end_matches(['.', ';']).len()
            } else {
                len
            };
            if len > 0 {
                return Some((from + s, from + s + len));
            }
        }
    }
    None
}

pub(super) struct Trace {
    pub(super) at: (usize, usize),
    pub(super) lang: Option<&'static str>,
    pub(super) exception: Option<(usize, usize)>,
    pub(super) exception_text: Option<&'static str>,
    pub(super) detail: Option<(usize, usize)>,
    pub(super) module: Option<(usize, usize)>,
    pub(super) code: Option<(usize, usize)>,
    pub(super) form: &'static str,
    pub(super) group: Option<(usize, usize)>,
}

impl Trace {
    pub(super) fn new(at: (usize, usize), lang: Option<&'static str>, form: &'static str) -> Trace {
        Trace {
            at,
            lang,
            exception: None,
            exception_text: None,
            detail: None,
            module: None,
            code: None,
            form,
            group: None,
        }
    }
}

/// Where a line's content starts: after a client's `stderr:` prefix, else at its first non-space.
pub(super) fn content_start(t: &str, l: Line) -> (usize, bool) {
    let line = t.get(l.s..l.e).unwrap_or("");
    // Claude Code `Server stderr: `, VS Code `[server stderr] `.
    for prefix in ["stderr: ", "stderr] "] {
        if let Some(p) = find_ci(line, prefix, 0) {
            let s = l.s + p + prefix.len();
            let lead = t.get(s..l.e).unwrap_or("");
            return (s + lead.len() - lead.trim_start().len(), true);
        }
    }
    (l.s + line.len() - line.trim_start().len(), false)
}
