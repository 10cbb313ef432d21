//! Paste damage must not change the diagnosis: every corpus bundle's plain-text
//! logs are damaged the way people paste them (markdown quote, indentation,
//! CRLF and tabs, a code fence, curly quotes, elided and glued lines, a first
//! line cut mid-way, pager output, redacted timestamps), and the ranked causes
//! of the damaged bundle must be those of the original (cause and verdict, in
//! order). Where a damage legitimately changes the result (it removes what a
//! rule reads), `WEAKER` names the case and states the exact outcome and why.
//!
//! Archives, UTF-16 files and client/WSL config files are copied unchanged:
//! they are not pasted text.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use logscan_engine::rank::Verdict;
use logscan_engine::report::Report;

/// One damage: a name and what it does to a file's text (with the 1-based
/// lines evidence is on, which a damage that removes text leaves alone).
struct Damage {
    name: &'static str,
    apply: fn(&str, &BTreeSet<u32>) -> String,
}

const DAMAGES: [Damage; 11] = [
    Damage {
        name: "quote",
        apply: quote,
    },
    Damage {
        name: "indent",
        apply: indent,
    },
    Damage {
        name: "crlf-tab",
        apply: crlf_tab,
    },
    Damage {
        name: "fence",
        apply: fence,
    },
    Damage {
        name: "curly",
        apply: curly,
    },
    Damage {
        name: "elide",
        apply: elide,
    },
    Damage {
        name: "mid-line",
        apply: mid_line,
    },
    Damage {
        name: "glue",
        apply: glue,
    },
    Damage {
        name: "pager",
        apply: pager,
    },
    Damage {
        name: "redact",
        apply: redact,
    },
    Damage {
        name: "everything",
        apply: everything,
    },
];

/// `(case prefix, damage)`: the exact causes the damaged bundle gets, and why.
type Weaker = (
    &'static str,
    &'static str,
    &'static [(&'static str, Verdict)],
);

/// Damages that legitimately change a result.
const WEAKER: &[Weaker] = &[
    // host-sleep-resume is a sequence across two sources with time windows: the
    // resume (Windows event XML) and then the failure (Claude Code log). With every
    // timestamp redacted the windows cannot be checked; an unchecked window never
    // rejects a match but lowers the score (DESIGN §3), so the cause stays on top
    // and drops from likely to possible. oom-kill (exit code 137) is unchanged.
    (
        "16-host-sleep-resume-evtx",
        "redact",
        &[
            ("host-sleep-resume", Verdict::Possible),
            ("oom-kill", Verdict::Possible),
        ],
    ),
];

// ---- the damages -------------------------------------------------------

/// Lines with their terminators.
fn lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

/// A line without its terminator, and the terminator.
fn body(line: &str) -> (&str, &str) {
    let b = line.trim_end_matches(['\r', '\n']);
    (b, &line[b.len()..])
}

fn per_line(text: &str, f: impl Fn(&str) -> String) -> String {
    lines(text)
        .into_iter()
        .map(|l| {
            let (b, end) = body(l);
            format!("{}{end}", f(b))
        })
        .collect()
}

fn quote(text: &str, _: &BTreeSet<u32>) -> String {
    per_line(text, |b| {
        if b.is_empty() {
            ">".into()
        } else {
            format!("> {b}")
        }
    })
}

fn indent(text: &str, _: &BTreeSet<u32>) -> String {
    per_line(text, |b| format!("    {b}"))
}

fn crlf_tab(text: &str, _: &BTreeSet<u32>) -> String {
    lines(text)
        .into_iter()
        .map(|l| format!("\t{}\r\n", body(l).0))
        .collect()
}

fn fence(text: &str, _: &BTreeSet<u32>) -> String {
    let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut s = format!("<details>{nl}<summary>logs</summary>{nl}{nl}```log{nl}{text}");
    if !text.ends_with('\n') {
        s.push_str(nl);
    }
    s.push_str(&format!("```{nl}</details>{nl}"));
    s
}

/// Smart quotes as a word processor makes them, on message quotes: outside JSON
/// objects, and not on lines of a JSON or XML document (there they are syntax).
fn curly(text: &str, _: &BTreeSet<u32>) -> String {
    per_line(text, |b| {
        if b.trim_start().starts_with(['{', '[', '"', '}', ']', '<']) {
            return b.to_string();
        }
        let mut out = String::with_capacity(b.len() + 8);
        let mut depth = 0i32;
        let mut open = false;
        for c in b.chars() {
            match c {
                '{' | '[' => depth += 1,
                '}' | ']' => depth -= 1,
                _ => {}
            }
            match c {
                '"' if depth <= 0 => {
                    out.push(if open { '”' } else { '“' });
                    open = !open;
                }
                '\'' if depth <= 0 => out.push('’'),
                c => out.push(c),
            }
        }
        out
    })
}

/// Whether a line is a one-line timestamped record (ISO or space form at column 0).
fn stamped(b: &str) -> bool {
    let x = b.as_bytes();
    x.len() > 20 && x[..4].iter().all(u8::is_ascii_digit) && x[4] == b'-' && x[7] == b'-'
}

/// One timestamped record in the middle of the file, not evidence and between two
/// other timestamped records, becomes `[...]`; `...` lines go between records.
fn elide(text: &str, ev: &BTreeSet<u32>) -> String {
    let ls = lines(text);
    let candidates: Vec<usize> = (1..ls.len().saturating_sub(1))
        .filter(|&i| {
            !ev.contains(&(i as u32 + 1))
                && stamped(body(ls[i - 1]).0)
                && stamped(body(ls[i]).0)
                && stamped(body(ls[i + 1]).0)
        })
        .collect();
    let gone = candidates.get(candidates.len() / 2).copied();
    let mut out = String::new();
    for (i, l) in ls.iter().enumerate() {
        let (b, end) = body(l);
        if Some(i) == gone {
            out.push_str(&format!("[...]{end}"));
            continue;
        }
        if i > 0 && i % 5 == 0 && stamped(b) && stamped(body(ls[i - 1]).0) {
            out.push_str(&format!("...{end}"));
        }
        out.push_str(l);
    }
    out
}

/// The paste starts mid-line: the first line loses its first half, or, when the
/// first line is evidence, a fragment of an unseen line comes before it.
fn mid_line(text: &str, ev: &BTreeSet<u32>) -> String {
    if ev.contains(&1) || !text.contains('\n') {
        return format!("ing connection with timeout of 30000ms\n{text}");
    }
    let (first, rest) = text.split_at(text.find('\n').unwrap_or(0));
    let mut cut = first.len() / 2;
    while !first.is_char_boundary(cut) {
        cut += 1;
    }
    format!("{}{rest}", &first[cut..])
}

/// Every third pair of one-line timestamped records is glued (the newline lost).
fn glue(text: &str, _: &BTreeSet<u32>) -> String {
    let ls = lines(text);
    let mut out = String::new();
    for (i, l) in ls.iter().enumerate() {
        let (b, end) = body(l);
        let next = ls.get(i + 1).map(|n| body(n).0).unwrap_or("");
        if i % 3 == 1 && stamped(b) && stamped(next) {
            out.push_str(b);
        } else {
            out.push_str(b);
            out.push_str(end);
        }
    }
    out
}

/// `less -S` output: lines that are not evidence cut at 100 columns, a `:` prompt
/// and `lines a-b/n` status every 20 lines, `(END)` at the end.
fn pager(text: &str, ev: &BTreeSet<u32>) -> String {
    let ls = lines(text);
    let n = ls.len();
    let mut out = String::new();
    for (i, l) in ls.iter().enumerate() {
        let (b, end) = body(l);
        let end = if end.is_empty() { "\n" } else { end };
        let mut cut = b.len().min(100);
        while !b.is_char_boundary(cut) {
            cut -= 1;
        }
        let b = if ev.contains(&(i as u32 + 1)) {
            b
        } else {
            &b[..cut]
        };
        out.push_str(b);
        out.push_str(end);
        if i % 20 == 19 {
            out.push_str(&format!("lines {}-{}/{n}{end}:{end}", i - 18, i + 1));
        }
    }
    out.push_str("(END)\n");
    out
}

/// Digits of every ISO or space timestamp become `X` (as a redaction tool does),
/// the rest of the line stays.
fn redact(text: &str, _: &BTreeSet<u32>) -> String {
    static TS: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let ts = TS.get_or_init(|| {
        regex::Regex::new(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:[.,]\d+)?)?Z?").unwrap()
    });
    ts.replace_all(text, |c: &regex::Captures<'_>| {
        c[0].chars()
            .map(|ch| if ch.is_ascii_digit() { 'X' } else { ch })
            .collect::<String>()
    })
    .into_owned()
}

/// Quote, indent, fence, curly quotes and an elision at once.
fn everything(text: &str, ev: &BTreeSet<u32>) -> String {
    fence(&quote(&curly(&elide(text, ev), ev), ev), ev)
}

// ---- the harness -------------------------------------------------------

/// Plain UTF-8 log text that people paste (not an archive, a config, or UTF-16).
fn pasted_text(path: &Path, bytes: &[u8]) -> Option<String> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    let skip = [
        ".zip",
        ".gz",
        ".tar",
        ".evtx",
        ".json",
        "wslconfig",
        "wsl.conf",
    ];
    if skip.iter().any(|s| name.ends_with(s)) {
        return None;
    }
    String::from_utf8(bytes.to_vec()).ok()
}

fn causes(r: &Report) -> Vec<(String, Verdict)> {
    r.causes
        .iter()
        .map(|c| (c.cause.clone(), c.verdict))
        .collect()
}

/// Evidence lines of the report, per file path relative to the bundle.
fn evidence(r: &Report, files: &[String]) -> BTreeMap<String, BTreeSet<u32>> {
    let mut m: BTreeMap<String, BTreeSet<u32>> = BTreeMap::new();
    for c in &r.causes {
        for f in &c.findings {
            for e in &f.evidence {
                let path = e.path.replace('\\', "/");
                if let Some(rel) = files.iter().find(|rel| path.ends_with(rel.as_str())) {
                    m.entry(rel.clone())
                        .or_default()
                        .extend(e.line..=e.end_line.max(e.line));
                }
            }
        }
    }
    m
}

#[test]
fn paste_damage_keeps_the_diagnosis() {
    let engine = common::builtin_engine();
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("paste-damage");
    let _ = fs::remove_dir_all(&scratch);
    let mut failures = Vec::new();
    let mut damaged_files = 0;
    for case in common::corpus_cases() {
        let case_name = case.file_name().unwrap().to_string_lossy().to_string();
        let bundle = case.join("bundle");
        let original = engine.scan_paths(&[bundle.as_path()]).report;
        let want = causes(&original);
        let all = common::files_under(&bundle);
        let rels: Vec<String> = all
            .iter()
            .map(|p| {
                p.strip_prefix(&bundle)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        let ev = evidence(&original, &rels);
        for d in &DAMAGES {
            let out = scratch.join(&case_name).join(d.name);
            let mut touched = false;
            for (p, rel) in all.iter().zip(&rels) {
                let bytes = fs::read(p).unwrap();
                let target = out.join(rel);
                fs::create_dir_all(target.parent().unwrap()).unwrap();
                match pasted_text(p, &bytes) {
                    Some(text) => {
                        let lines = ev.get(rel).cloned().unwrap_or_default();
                        fs::write(&target, (d.apply)(&text, &lines)).unwrap();
                        touched = true;
                        damaged_files += 1;
                    }
                    None => fs::write(&target, &bytes).unwrap(),
                }
            }
            if !touched {
                continue;
            }
            let got = causes(&engine.scan_paths(&[out.as_path()]).report);
            let expected: Vec<(String, Verdict)> = match WEAKER
                .iter()
                .find(|(c, dn, _)| case_name.starts_with(c) && *dn == d.name)
            {
                Some((_, _, exact)) => exact.iter().map(|(c, v)| (c.to_string(), *v)).collect(),
                None => want.clone(),
            };
            if got != expected {
                failures.push(format!(
                    "{case_name} [{}]\n  expected: {expected:?}\n  got:      {got:?}",
                    d.name
                ));
            }
        }
    }
    assert!(damaged_files > 100, "{damaged_files} files damaged");
    assert!(
        failures.is_empty(),
        "{} damaged bundle(s) differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_damages_do_what_they_say() {
    let none = BTreeSet::new();
    let log = "2025-06-03T07:23:52.664Z [docs] [info] Server started\n\
               2025-06-03T07:23:52.700Z [docs] [error] spawn \"npx\" ENOENT\n";
    assert_eq!(
        redact(log, &none),
        "XXXX-XX-XXTXX:XX:XX.XXXZ [docs] [info] Server started\n\
         XXXX-XX-XXTXX:XX:XX.XXXZ [docs] [error] spawn \"npx\" ENOENT\n"
    );
    assert_eq!(
        curly(log, &none).lines().nth(1),
        Some("2025-06-03T07:23:52.700Z [docs] [error] spawn “npx” ENOENT")
    );
    assert_eq!(
        curly("Message: {\"id\":1} it's \"x\"", &none),
        "Message: {\"id\":1} it’s “x”"
    );
    assert_eq!(
        glue(&format!("{log}{log}"), &none).lines().count(),
        3,
        "the second and third lines are glued"
    );
    assert_eq!(
        mid_line(log, &none),
        "docs] [info] Server started\n\
         2025-06-03T07:23:52.700Z [docs] [error] spawn \"npx\" ENOENT\n"
    );
    assert_eq!(
        crlf_tab("a\nb", &none),
        "\ta\r\n\tb\r\n",
        "CRLF and a tab on every line"
    );
}
