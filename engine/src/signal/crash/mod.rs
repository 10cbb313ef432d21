//! Signal family `crash_trace`: a program printed a crash (a traceback, an
//! uncaught exception, a panic).
//!
//! The parser groups a multi-line trace into one record when the client logs
//! it raw (Claude Desktop's mcp-server-X.log, a terminal paste); clients that
//! log stderr line by line (Claude Code's `Server stderr:`) leave one line per
//! record, so each shape is read from the line that names the exception too:
//!
//! - Python (Lib/traceback.py): `Traceback (most recent call last):`, frames, then
//!   `<Name>: <detail>` at the header's column; chained tracebacks (`During handling
//!   of the above exception ...`) keep the last; exception groups (anyio / asyncio
//!   TaskGroup, as MCP Python servers crash: `+ Exception Group Traceback`, `| ExceptionGroup:
//!   unhandled errors in a TaskGroup (1 sub-exception)`, `+-+---- 1 ----`, `| Traceback ...`)
//!   give the leaf exception, with `group` set.
//! - Python's `-m` runner (Lib/runpy.py): `<python>: Error while finding module
//!   specification for 'x' (ModuleNotFoundError: No module named 'x')`, `<python>: No
//!   module named x`.
//! - Node (lib/internal/modules/cjs/loader.js, esm/resolve.js, process/execution.js):
//!   `Error: Cannot find module 'x'` (`code: 'MODULE_NOT_FOUND'`), `Error
//!   [ERR_MODULE_NOT_FOUND]: Cannot find package 'x' imported from /y`, `TypeError: ...`
//!   with `    at ` frames; a `node:internal/...:N` header line.
//! - Go (runtime/panic.go): `panic: <value>` with `goroutine N [running]:`, `fatal error: ...`.
//! - Rust (std/src/panicking.rs): `thread 'main' panicked at src/main.rs:10:5:` then
//!   the message (1.73+), or `thread 'main' panicked at '<msg>', src/main.rs:10:5`.
//! - Java: `Exception in thread "main" java.lang.X: <detail>`, the last `Caused by:`.
//! - An exception line on its own (`Server stderr: TypeError: Cannot read properties of
//!   undefined`, `ModuleNotFoundError: No module named 'x'` as the first line kept):
//!   `form: line`.
//! - A split line: one line of stderr a client logged as an entry of its own (VS Code's
//!   `[server stderr]`, Claude Code's `Server stderr:`), so a stack arrives as one record per
//!   line and each is read alone: `Error: <detail>` at its start is read (its frames are the
//!   next records), as is Java's `Caused by: pkg.X: ...`; a `goroutine N [running]:` entry is
//!   not read again after its `panic:` entry. This reader never looks at other records.
//!
//! `stream: stderr` says the trace was printed on the process's stderr (the record's
//! stream, or a client's `stderr:` prefix).

use crate::event::EventRef;
use crate::signal::text::{abs, find_ci};
use crate::signal::{Family, Kind, Signal};

mod lines;

use lines::{content_start, exception_at, known_name, lines, module_in, rail_width, Trace};

/// `crash_trace`: a program printed a crash: traceback, stack, panic.
pub static CRASH_TRACE: Family = Family {
    kind: Kind::CrashTrace,
    name: "crash_trace",
    about: "a program printed a crash: traceback, stack, panic",
    fields: &[
        "lang",
        "exception",
        "detail",
        "module",
        "code",
        "form",
        "group",
        "stream",
    ],
    literals: &LITERALS,
    narrow: crate::signal::broad,
    read: read_crash_trace,
};

/// Every literal of `crash_trace`: the trace and panic markers, `Error:` at the start
/// of a stderr line a client logged as an entry of its own, then the exception names
/// an exception line alone is read for ([`NAMES`]).
const LITERALS: [&str; 39] = [
    "traceback (most recent call last)",
    "error while finding module specification",
    ": no module named ",
    "cannot find module",
    "cannot find package",
    "error [err_",
    "exception: ",
    "exception in thread",
    "panicked at",
    "panic: ",
    "goroutine ",
    "stderr] error: ",
    "stderr: error: ",
    "modulenotfounderror",
    "importerror",
    "attributeerror",
    "keyerror",
    "nameerror",
    "typeerror",
    "valueerror",
    "runtimeerror",
    "filenotfounderror",
    "permissionerror",
    "oserror",
    "connectionrefusederror",
    "connectionerror",
    "timeouterror",
    "assertionerror",
    "indexerror",
    "zerodivisionerror",
    "unicodedecodeerror",
    "syntaxerror",
    "indentationerror",
    "recursionerror",
    "notimplementederror",
    "validationerror",
    "referenceerror",
    "rangeerror",
    "exceptiongroup",
];

/// Exception names an exception line alone is read for (lower-case, matched as a
/// suffix of the name), plus every `...Exception`: the tail of [`LITERALS`].
const NAMES: std::ops::Range<usize> = 13..39;

/// Names only Python raises (for `lang` on an exception line alone).
const PYTHON_ONLY: &[&str] = &[
    "ModuleNotFoundError",
    "ImportError",
    "AttributeError",
    "KeyError",
    "NameError",
    "ValueError",
    "RuntimeError",
    "FileNotFoundError",
    "PermissionError",
    "OSError",
    "ConnectionRefusedError",
    "ConnectionError",
    "IndexError",
    "ZeroDivisionError",
    "UnicodeDecodeError",
    "IndentationError",
    "RecursionError",
    "NotImplementedError",
    "ValidationError",
    "ExceptionGroup",
    "BaseExceptionGroup",
];

/// An exception line's name and detail (byte ranges of the record text).
type ExLine = ((usize, usize), Option<(usize, usize)>);

fn read_crash_trace<'a>(ev: &EventRef<'a>, out: &mut Vec<Signal<'a>>) {
    let t = ev.record_text();
    let ls = lines(t);
    let stderr_record = ev.get("stream").is_some_and(|s| s == "stderr");
    let msg = ev.msg();
    let msg_at =
        find_ci(t, msg.get(..msg.len().min(40)).unwrap_or(""), 0).filter(|_| !msg.is_empty());
    let mut traces: Vec<Trace> = Vec::new();
    let mut any_stderr = stderr_record;
    // One line of stderr that a client logged as an entry of its own (VS Code's
    // `[server stderr]`, Claude Code's `Server stderr:`): the trace it belongs to is
    // split over the records around it.
    let split_line = ls.len() == 1 && content_start(t, ls[0]).1;
    let mut i = 0;
    while i < ls.len() {
        let l = ls[i];
        let (cs, prefixed) = content_start(t, l);
        any_stderr |= prefixed;
        let content = t.get(cs..l.e).unwrap_or("");
        let rail_line = content.starts_with(['|', '+']);
        let ccs = if rail_line {
            l.s + rail_width(t, l)
        } else {
            cs
        };
        let mut cc = t.get(ccs..l.e).unwrap_or("");
        let is_header = |x: &str| {
            x.starts_with("Traceback (most recent call last):")
                || x.starts_with("Exception Group Traceback (most recent call last):")
        };
        // A header at the record's message rather than the line's start (`"message":"Traceback ...`).
        let mut col_base = l.s;
        let mut ccs = ccs;
        if let Some(m) = msg_at.filter(|&m| m > cs && m < l.e && !is_header(cc)) {
            let rails = t
                .get(m..l.e)
                .unwrap_or("")
                .bytes()
                .take_while(|b| matches!(b, b' ' | b'|' | b'+' | b'-'))
                .count();
            if t.get(m + rails..l.e).is_some_and(is_header) {
                ccs = m + rails;
                cc = t.get(ccs..l.e).unwrap_or("");
                col_base = m;
            }
        }

        // Python traceback (plain or exception group).
        if is_header(cc) {
            let width = ccs - col_base;
            let mut tr = Trace::new((ccs, l.e), Some("python"), "traceback");
            let mut leaf: Option<ExLine> = None;
            let mut group = None;
            for m in &ls[i + 1..] {
                let m = *m;
                let (mcs, _) = content_start(t, m);
                let rails = t.get(mcs..m.e).unwrap_or("").starts_with(['|', '+']);
                let ws = if rails { m.s + rail_width(t, m) } else { mcs };
                let w = ws - m.s;
                // Exception lines sit at the header's column, or right after a group's `| `.
                let at_rail = if rails {
                    t.get(ws.saturating_sub(2)..ws) == Some("| ")
                } else {
                    w == width || (prefixed && w == 0)
                };
                if !at_rail {
                    continue;
                }
                if let Some(ex) = exception_at(t, ws, m.e, true) {
                    if t[ex.0 .0..ex.0 .1].ends_with("ExceptionGroup") {
                        group.get_or_insert(ex.0);
                        leaf.get_or_insert(ex);
                    } else {
                        leaf = Some(ex);
                    }
                    tr.at.1 = m.e;
                }
            }
            // A traceback flattened onto one line (a client's panel): the last known exception on it.
            if leaf.is_none() {
                let mut k = ccs + "Traceback (most recent call last):".len();
                while let Some(sp) = t.get(k..l.e).and_then(|r| r.find(' ')) {
                    let ws = k + sp + 1;
                    if let Some(ex) = exception_at(t, ws, l.e, false) {
                        if known_name(&t[ex.0 .0..ex.0 .1]) {
                            leaf = Some(ex);
                        }
                    }
                    k = ws;
                }
            }
            if let Some((name, detail)) = leaf {
                tr.exception = Some(name);
                tr.detail = detail;
                if let Some(d) = detail {
                    tr.module = module_in(t, d.0, d.1);
                }
            }
            if group != leaf.map(|l| l.0) {
                tr.group = group;
            }
            traces.push(tr);
            break;
        }

        // Python's `-m` runner.
        if let Some(p) = find_ci(cc, ": error while finding module specification for ", 0) {
            let abs_p = ccs + p;
            let mut tr = Trace::new((ccs, l.e), Some("python"), "runpy");
            if let Some(open) = t.get(abs_p..l.e).and_then(|r| r.find(" (")) {
                let es = abs_p + open + 2;
                if let Some(ex) = exception_at(t, es, l.e, false) {
                    tr.exception = Some(ex.0);
                    if let Some(d) = ex.1 {
                        let d1 = if t[d.0..d.1].ends_with(')') {
                            d.1 - 1
                        } else {
                            d.1
                        };
                        tr.detail = Some((d.0, d1));
                    }
                }
            }
            tr.module = module_in(t, abs_p, l.e);
            traces.push(tr);
            i += 1;
            continue;
        }
        if let Some(p) = find_ci(cc, ": no module named ", 0) {
            // `/usr/bin/python3: No module named x` (the interpreter's own words).
            let head = &cc[..p];
            if head.rsplit(['/', '\\']).next().is_some_and(|x| {
                let x = x.to_ascii_lowercase();
                x.starts_with("python") || x.ends_with("python.exe") || x.ends_with("python3.exe")
            }) {
                let mut tr = Trace::new((ccs, l.e), Some("python"), "runpy");
                tr.exception_text = Some("ModuleNotFoundError");
                tr.detail = Some((ccs + p + 2, l.e));
                tr.module = module_in(t, ccs + p, l.e);
                traces.push(tr);
                i += 1;
                continue;
            }
        }

        // Rust panic.
        if cc.starts_with("thread '") {
            if let Some(p) = find_ci(cc, "' panicked at ", 0) {
                let mut tr = Trace::new((ccs, l.e), Some("rust"), "panic");
                tr.exception_text = Some("panic");
                let after = ccs + p + "' panicked at ".len();
                let rest = t.get(after..l.e).unwrap_or("");
                if let Some(q) = rest.strip_prefix('\'') {
                    // Before 1.73: `panicked at 'msg', src/main.rs:1:2`.
                    let end = q.rfind("', ").unwrap_or(q.len());
                    tr.detail = Some((after + 1, after + 1 + end));
                } else if let Some(n) = ls.get(i + 1) {
                    let d = t.get(n.s..n.e).unwrap_or("").trim_end();
                    if !d.is_empty() && !d.starts_with("note:") {
                        tr.detail = Some((n.s, n.s + d.len()));
                        tr.at.1 = n.e;
                    }
                }
                traces.push(tr);
                i += 1;
                continue;
            }
        }

        // Go panic / fatal error.
        for (head, what) in [("panic: ", "panic"), ("fatal error: ", "fatal error")] {
            let goroutine = find_ci(t, "goroutine ", 0)
                .is_some_and(|g| t.as_bytes().get(g + 10).is_some_and(u8::is_ascii_digit));
            let runtime = cc
                .get(head.len()..)
                .is_some_and(|d| d.starts_with("runtime error: "));
            if cc.starts_with(head) && (goroutine || runtime || any_stderr) {
                let mut tr = Trace::new((ccs, l.e), Some("go"), "panic");
                tr.exception_text = Some(what);
                let ds = ccs + head.len();
                let de = ds + t[ds..l.e].trim_end().len();
                if de > ds {
                    tr.detail = Some((ds, de));
                }
                traces.push(tr);
            }
        }
        if traces
            .last()
            .is_some_and(|tr| tr.lang == Some("go") && tr.at.0 == ccs)
        {
            i += 1;
            continue;
        }

        // Go's crash dump without its panic line (cut, or logged as another record). A
        // split line is not read: its `panic:` line is a record of its own, the better evidence.
        if !split_line
            && cc.starts_with("goroutine ")
            && cc.ends_with("[running]:")
            && cc.as_bytes().get(10).is_some_and(u8::is_ascii_digit)
        {
            traces.push(Trace::new((ccs, l.e), Some("go"), "stack"));
            break;
        }

        // Java.
        if let Some(rest) = cc.strip_prefix("Exception in thread \"") {
            if let Some(q) = rest.find("\" ") {
                let es = ccs + "Exception in thread \"".len() + q + 2;
                let mut tr = Trace::new((ccs, l.e), Some("java"), "stack");
                if let Some(ex) = exception_at(t, es, l.e, true) {
                    tr.exception = Some(ex.0);
                    tr.detail = ex.1;
                }
                // The root cause: the last `Caused by:`.
                for m in &ls[i + 1..] {
                    let (mcs, _) = content_start(t, *m);
                    let body = t.get(mcs..m.e).unwrap_or("");
                    if body.starts_with("Caused by: ") {
                        if let Some(ex) = exception_at(t, mcs + "Caused by: ".len(), m.e, true) {
                            tr.exception = Some(ex.0);
                            tr.detail = ex.1;
                            tr.at.1 = m.e;
                        }
                    }
                }
                traces.push(tr);
                break;
            }
        }

        // Java's root cause on a split line: `Caused by: java.io.X: detail` (the stack's
        // `Exception in thread` line is a record of its own, before it).
        if let Some(rest) = cc.strip_prefix("Caused by: ").filter(|_| split_line) {
            let es = ccs + cc.len() - rest.len();
            if let Some(ex) = exception_at(t, es, l.e, true) {
                let nm = &t[ex.0 .0..ex.0 .1];
                if nm.contains('.') && known_name(nm) {
                    let mut tr = Trace::new((ccs, l.e), Some("java"), "line");
                    tr.exception = Some(ex.0);
                    tr.detail = ex.1;
                    traces.push(tr);
                    break;
                }
            }
        }

        // An exception line: at the line's content, the record's message, or after `stderr: `.
        let starts = [Some(ccs), msg_at.filter(|&m| m > ccs && m < l.e)];
        for ccs in starts.into_iter().flatten() {
            if let Some((name, detail)) = exception_at(t, ccs, l.e, false) {
                let nm = &t[name.0..name.1];
                let node_code = t.get(name.1..name.1 + 2) == Some(" [");
                let d = detail.map_or("", |d| &t[d.0..d.1]);
                let missing = find_ci(d, "cannot find module", 0).is_some()
                    || find_ci(d, "cannot find package", 0).is_some();
                let frames = ls[i + 1..].iter().take(3).any(|m| {
                    t.get(m.s..m.e)
                        .is_some_and(|x| x.trim_start().starts_with("at ") && x.starts_with("    "))
                });
                // `Error: <detail>` at the start of a split stderr line: the frames that
                // would confirm it are the next records (a spawn failure is not a crash).
                let split_error =
                    split_line && ccs == cs && detail.is_some() && !d.starts_with("spawn ");
                let accept = if nm == "Error" {
                    missing || node_code || frames || split_error
                } else {
                    known_name(nm) || (node_code && nm.ends_with("Error"))
                };
                if accept {
                    let node =
                        missing || node_code || frames || find_ci(t, "node:internal", 0).is_some();
                    let lang = if node && !PYTHON_ONLY.contains(&nm) {
                        Some("node")
                    } else if PYTHON_ONLY.iter().any(|p| nm.ends_with(p)) {
                        Some("python")
                    } else if nm.contains('.')
                        && nm.starts_with(|c: char| c.is_ascii_lowercase())
                        && nm.ends_with("Exception")
                        && !nm.contains('_')
                    {
                        Some("java")
                    } else {
                        None
                    };
                    let mut tr =
                        Trace::new((ccs, l.e), lang, if frames { "stack" } else { "line" });
                    tr.exception = Some(name);
                    tr.detail = detail;
                    if let Some(dd) = detail {
                        tr.module = module_in(t, dd.0, dd.1);
                    }
                    if node_code {
                        if let Some(k) = t[name.1..l.e].find(']') {
                            tr.code = Some((name.1 + 2, name.1 + k));
                        }
                    } else if let Some(c) = find_ci(t, "code: 'module_not_found'", 0) {
                        tr.code = Some((c + 7, c + 7 + "MODULE_NOT_FOUND".len()));
                    }
                    traces.push(tr);
                    break;
                }
            }
        }
        if traces
            .last()
            .is_some_and(|tr| tr.at.0 >= l.s && tr.at.0 < l.e.max(l.s + 1))
        {
            break;
        }
        i += 1;
    }

    let base = ev.event.text.start;
    let sl = |r: (usize, usize)| (t.get(r.0..r.1).unwrap_or(""), base + r.0 as u32);
    for tr in traces {
        let mut s = Signal::new(Kind::CrashTrace, abs(base, tr.at.0..tr.at.1));
        if let Some(l) = tr.lang {
            s = s.with("lang", l);
        }
        if let Some(e) = tr.exception {
            let (x, a) = sl(e);
            s = s.with_slice("exception", x, a);
        } else if let Some(x) = tr.exception_text {
            s = s.with("exception", x);
        }
        if let Some(d) = tr.detail.filter(|d| d.1 > d.0) {
            let (x, a) = sl(d);
            s = s.with_slice("detail", x, a);
        }
        if let Some(m) = tr.module {
            let (x, a) = sl(m);
            s = s.with_slice("module", x, a);
        }
        if let Some(c) = tr.code.filter(|c| c.1 > c.0) {
            let (x, a) = sl(c);
            s = s.with_slice("code", x, a);
        }
        s = s.with("form", tr.form);
        if let Some(g) = tr.group {
            let (x, a) = sl(g);
            s = s.with_slice("group", x, a);
        }
        if any_stderr {
            s = s.with("stream", "stderr");
        }
        out.push(s);
    }
}

#[cfg(test)]
mod tests;
