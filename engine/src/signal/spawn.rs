//! Signal family `spawn_failed`: a program could not be started.
//!
//! Read from every program that reports a failed start (docs/signals-parts/spawn.md lists each
//! phrasing with its upstream source):
//!
//! - Node `child_process` (lib/internal/child_process.js, lib/internal/errors.js). An error libuv
//!   reports asynchronously (ENOENT, EACCES, EAGAIN, EMFILE, ENFILE) is `ErrnoException(err,
//!   'spawn ' + file)` with `path = file` and `spawnargs`: its message is `spawn <file> <code>`,
//!   where `<file>` is exactly the `command` the client passed (a name, a path with spaces, a
//!   whole command line). Any other error is thrown synchronously as `ErrnoException(err,
//!   'spawn')`: `spawn EINVAL` (a `.cmd`/`.bat` without `shell`, CVE-2024-27980), `spawn
//!   UNKNOWN`, `spawn EPERM`, `spawn Unknown system error -8` (ENOEXEC on a libuv without a name
//!   for it). The same error logged as JSON (`"code":"ENOENT","syscall":"spawn npx"`, also
//!   escaped inside a JSON string) or as a Node inspect object (`code: 'ENOENT'`, `syscall:
//!   'spawn npx'`). cross-spawn (the MCP TypeScript SDK's spawner since 1.8) builds the same
//!   shape (`spawn <command> ENOENT`, `errno: 'ENOENT'`).
//! - Python `subprocess` (`FileNotFoundError: [Errno 2] No such file or directory: 'uvx'`,
//!   `PermissionError: [Errno 13] Permission denied: '/x'`, `[WinError 2]`).
//! - Go `os/exec` (`exec: "uvx": executable file not found in $PATH`, `fork/exec /x: permission
//!   denied`).
//! - cmd.exe (`'npx' is not recognized as an internal or external command`), PowerShell (`The
//!   term 'npx' is not recognized as the name of a cmdlet`), POSIX shells (`sh: 1: uvx: not
//!   found`, `bash: uvx: command not found`, `zsh: command not found: uvx`, `sh: 1: x: Permission
//!   denied`) and `env` (`env: node: No such file or directory`, `/usr/bin/env: 'node': ...`).
//!
//! Fields: `program` (what was to be started, exactly as printed, unescaped), `errno`
//! (ENOENT, EACCES, EINVAL, ENOEXEC, EPERM, UNKNOWN, ...), `shape` (`bare`, `posix_path`,
//! `windows_path`, `unc`, `has_args`, `quoted`), `exe` (the program without its arguments),
//! `args` (the arguments inside `program`, for `has_args`), `shim` (the npm/uv launcher family
//! of `exe`: npx, npm, pnpm, pnpx, yarn, bunx, uvx, ... without `.cmd`), `syscall` and `path`
//! (Node's, when logged), `via` (node, python, go, cmd, powershell, sh, bash, zsh, fish, env),
//! `detail` (the raw code text when it was not a name, `Unknown system error -8`).
//!
//! One error is one signal: the same program and code read twice in a record (a message and its
//! JSON fields, Cline's panel printing the message twice) merge.

use std::borrow::Cow;

use crate::event::EventRef;
use crate::signal::text::{abs, find_all_ci, find_ci, offset_of, word_end, word_start};
use crate::signal::{Family, Kind, SigValue, Signal};

/// `spawn_failed`: a program could not be started.
pub static SPAWN_FAILED: Family = Family {
    kind: Kind::SpawnFailed,
    name: "spawn_failed",
    about: "a program could not be started",
    fields: &[
        "program", "errno", "shape", "shim", "args", "syscall", "path", "exe", "via", "detail",
    ],
    literals: &[
        "spawn",
        "[errno ",
        "[winerror ",
        "executable file not found",
        "fork/exec ",
        "is not recognized as",
        "sh: ",
        "sh:1:",
        "env: ",
        "unknown command: ",
        "to use this mcp server, install the",
    ],
    narrow: crate::signal::broad,
    read: read_spawn_failed,
};

/// The codes Node prints after `spawn `.
const CODES: &[&str] = &[
    "ENOENT",
    "EACCES",
    "EINVAL",
    "ENOEXEC",
    "EPERM",
    "EISDIR",
    "ENOTDIR",
    "EAGAIN",
    "EMFILE",
    "ENFILE",
    "ENAMETOOLONG",
    "E2BIG",
    "ELOOP",
    "EFTYPE",
    "ENOMEM",
    "EBADF",
    "UNKNOWN",
];

/// npm / uv / bun launchers (`shim`).
const SHIMS: &[&str] = &[
    "npx", "npm", "pnpm", "pnpx", "yarn", "yarnpkg", "tsx", "bunx", "uvx", "corepack",
];

/// Programs that take a script or a subcommand: a path ending in one of them ends the program.
const LAUNCHERS: &[&str] = &[
    "node",
    "nodejs",
    "python",
    "python3",
    "py",
    "uv",
    "uvx",
    "npx",
    "npm",
    "pnpm",
    "bun",
    "bunx",
    "deno",
    "docker",
    "podman",
    "java",
    "ruby",
    "php",
    "bash",
    "sh",
    "zsh",
    "pwsh",
    "powershell",
    "cmd",
    "dotnet",
    "go",
    "cargo",
    "pipx",
    "poetry",
    "tsx",
    "yarn",
];

fn read_spawn_failed<'a>(ev: &EventRef<'a>, out: &mut Vec<Signal<'a>>) {
    let text = ev.record_text();
    let base = ev.event.text.start;
    let first = out.len();
    if text.len() > 1 << 20 {
        return;
    }
    node_messages(text, base, out);
    node_fields(text, base, out);
    python(text, base, out);
    go(text, base, out);
    windows_shells(text, base, out);
    posix_shells(text, base, out);
    env_lines(text, base, out);
    continue_hub(text, base, out);
    merge(out, first);
}

// ---------------------------------------------------------------------------------------------
// Shared: building a signal

/// A signal for `program` (raw slice `raw` at absolute `raw_at` when it is one) with `errno`.
fn build<'a>(
    span: std::ops::Range<u32>,
    program: Option<(Cow<'a, str>, Option<u32>)>,
    errno: &str,
    via: &'static str,
) -> Signal<'a> {
    let mut s = Signal::new(Kind::SpawnFailed, span);
    if let Some((p, at)) = program {
        let info = classify(&p);
        let exe: Cow<'a, str> = match (&p, at) {
            (Cow::Borrowed(b), Some(_)) => match b.get(info.exe.clone()) {
                Some(e) => Cow::Borrowed(e),
                None => Cow::Owned(String::new()),
            },
            _ => Cow::Owned(p.get(info.exe.clone()).unwrap_or("").to_string()),
        };
        let args = info.args.clone().and_then(|r| p.get(r).map(str::to_string));
        let exe_at = at.map(|a| a.saturating_add(info.exe.start as u32));
        let args_at = at
            .zip(info.args.clone())
            .map(|(a, r)| a.saturating_add(r.start as u32));
        s.set(
            "program",
            SigValue {
                text: p.clone(),
                at,
            },
        );
        s = s.with("errno", errno.to_string());
        s = s.with("shape", info.shape);
        if let Some(shim) = shim_of(&exe) {
            s = s.with("shim", shim);
        }
        if let Some(a) = args {
            match (&p, args_at, info.args.clone()) {
                (Cow::Borrowed(b), Some(at), Some(r)) => {
                    if let Some(sl) = b.get(r) {
                        s = s.with_slice("args", sl, at);
                    }
                }
                _ => s = s.with("args", a),
            }
        }
        s.set(
            "exe",
            SigValue {
                text: exe,
                at: exe_at,
            },
        );
    } else {
        s = s.with("errno", errno.to_string());
    }
    s.with("via", via)
}

/// Drops the signals after `first` that repeat an earlier one (same program and code),
/// moving the fields the repeat adds (`syscall`, `path`) onto the first.
fn merge(out: &mut Vec<Signal<'_>>, first: usize) {
    let mut k = first + 1;
    while k < out.len() {
        let dup = (first..k).find(|&j| same(&out[j], &out[k]));
        match dup {
            Some(j) => {
                let later = out.remove(k);
                for (name, v) in later.fields {
                    if out[j].get(name).is_none() {
                        out[j].set(name, v);
                    }
                }
            }
            None => k += 1,
        }
    }
}

fn same(a: &Signal<'_>, b: &Signal<'_>) -> bool {
    let p = |s: &Signal<'_>| s.text("program").map(str::trim).unwrap_or("").to_string();
    a.text("errno") == b.text("errno") && p(a) == p(b)
}

// ---------------------------------------------------------------------------------------------
// Shape of a program text

struct Shape {
    shape: &'static str,
    /// The executable part of the program text.
    exe: std::ops::Range<usize>,
    /// The arguments, when the program text holds some.
    args: Option<std::ops::Range<usize>>,
}

/// Splits `p` (a `command` as printed) into its executable and its arguments and names its shape.
fn classify(p: &str) -> Shape {
    let lead = p.len() - p.trim_start().len();
    let t = p.trim();
    let end = lead + t.len();
    let b = t.as_bytes();
    let whole = |shape| Shape {
        shape,
        exe: lead..end,
        args: None,
    };
    if t.is_empty() {
        return whole("bare");
    }
    // Quoted: `"C:\Program Files\nodejs\node.exe"` (the quotes are part of the file name).
    if b[0] == b'"' || b[0] == b'\'' {
        let q = b[0];
        let close = b[1..].iter().position(|&c| c == q).map(|i| i + 1);
        let exe = match close {
            Some(c) => lead + 1..lead + c,
            None => lead + 1..end,
        };
        let args = close.and_then(|c| {
            let rest = &t[c + 1..];
            let r = rest.trim_start();
            (!r.is_empty()).then(|| {
                let s = lead + c + 1 + (rest.len() - r.len());
                s..end
            })
        });
        return Shape {
            shape: "quoted",
            exe,
            args,
        };
    }
    if t.starts_with("\\\\") || t.starts_with("//wsl") {
        return split_path(t, lead, "unc");
    }
    let first = t.split(' ').next().unwrap_or(t);
    let windows = is_drive_path(first) || first.contains('\\');
    if windows {
        return split_path(t, lead, "windows_path");
    }
    if first.starts_with('/')
        || first.starts_with("./")
        || first.starts_with("../")
        || first.starts_with("~/")
    {
        return split_path(t, lead, "posix_path");
    }
    // A bare name: anything after it is an argument.
    match t.find(' ') {
        Some(sp) => {
            let rest = t[sp..].trim_start();
            let s = lead + t.len() - rest.len();
            Shape {
                shape: "has_args",
                exe: lead..lead + sp,
                args: Some(s..end),
            }
        }
        None => whole("bare"),
    }
}

fn is_drive_path(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && (b[2] == b'\\' || b[2] == b'/')
}

/// A path that may hold spaces, then perhaps arguments.
fn split_path(t: &str, lead: usize, shape: &'static str) -> Shape {
    let mut tokens = Vec::new();
    let mut pos = 0;
    for tok in t.split(' ') {
        if !tok.is_empty() {
            tokens.push((pos, tok));
        }
        pos += tok.len() + 1;
    }
    let mut k = 0;
    while k + 1 < tokens.len() {
        let cur = tokens[k].1;
        let next = tokens[k + 1].1;
        if ends_program(cur) || looks_like_arg(next, shape) {
            break;
        }
        k += 1;
    }
    let (last_at, last) = tokens.get(k).copied().unwrap_or((0, t));
    let exe_end = last_at + last.len();
    match tokens.get(k + 1) {
        Some(&(s, _)) => Shape {
            shape: "has_args",
            exe: lead..lead + exe_end,
            args: Some(lead + s..lead + t.len()),
        },
        None => Shape {
            shape,
            exe: lead..lead + t.len(),
            args: None,
        },
    }
}

/// Whether a path token ends the program: an executable extension or a known launcher's name.
fn ends_program(tok: &str) -> bool {
    let name = basename(tok);
    let lower = name.to_ascii_lowercase();
    [
        ".exe", ".cmd", ".bat", ".com", ".ps1", ".sh", ".js", ".mjs", ".cjs", ".py", ".ts",
    ]
    .iter()
    .any(|e| lower.ends_with(e))
        || LAUNCHERS.contains(&lower.as_str())
        || lower.starts_with("python3.")
}

/// Whether a token after a path starts an argument rather than continuing a path with a space.
fn looks_like_arg(tok: &str, shape: &str) -> bool {
    let b = tok.as_bytes();
    let Some(&c) = b.first() else { return false };
    if c == b'-'
        || c == b'@'
        || c == b'"'
        || c == b'\''
        || c == b'/'
        || c == b'~'
        || is_drive_path(tok)
    {
        return true;
    }
    if tok.starts_with("./") || tok.starts_with(".\\") {
        return true;
    }
    // `C:\Program Files\x` continues with `Files\x`; `/Users/a/My App/x` with `App/x`.
    match shape {
        "posix_path" => !tok.contains('/'),
        _ => {
            !tok.contains('\\') && !tok.contains('/') && tok.contains('.') && !tok.ends_with(".exe")
        }
    }
}

fn basename(p: &str) -> &str {
    p.rsplit(['/', '\\']).next().unwrap_or(p)
}

/// The launcher family of `exe`, lower-case, without `.cmd`/`.exe`/`.ps1`/`.bat`.
fn shim_of(exe: &str) -> Option<&'static str> {
    let name = basename(exe.trim_matches(['"', '\''])).to_ascii_lowercase();
    let stem = [".cmd", ".exe", ".ps1", ".bat"]
        .iter()
        .find_map(|s| name.strip_suffix(s))
        .unwrap_or(&name);
    SHIMS.iter().find(|s| **s == stem).copied()
}

// ---------------------------------------------------------------------------------------------
// Node: the message `spawn <file> <code>` / `spawn <code>`

/// How deep in JSON strings an offset lies on its line: 0 plain, 1 inside a JSON string,
/// 2 inside a JSON string that is itself inside one (`\"`-delimited).
fn json_level(text: &str, at: usize) -> u8 {
    let line_start = text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let pre = &text.as_bytes()[line_start..at];
    let mut level1 = false;
    let mut last_open = 0;
    let mut i = 0;
    while i < pre.len() {
        if pre[i] == b'\\' {
            let mut k = i;
            while k < pre.len() && pre[k] == b'\\' {
                k += 1;
            }
            i = k + 1;
            continue;
        }
        if pre[i] == b'"' {
            level1 = !level1;
            last_open = i + 1;
        }
        i += 1;
    }
    if !level1 {
        return 0;
    }
    // Inside a level-1 string: count `\"` (one backslash) since it opened.
    let inner = &pre[last_open..];
    let mut n = 0;
    let mut i = 0;
    while i < inner.len() {
        if inner[i] == b'\\' {
            let mut k = i;
            while k < inner.len() && inner[k] == b'\\' {
                k += 1;
            }
            if k - i == 1 && inner.get(k) == Some(&b'"') {
                n += 1;
            }
            i = k + 1;
            continue;
        }
        i += 1;
    }
    if n % 2 == 1 {
        2
    } else {
        1
    }
}

/// Decodes one JSON string level from `raw` until its closing quote (or a line end); with
/// `stop_at_newline` also until an escaped `\n`/`\r`. Returns the text and the raw bytes used.
fn json_unescape(raw: &str, stop_at_newline: bool) -> (String, usize) {
    let mut out = String::new();
    let mut it = raw.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        match c {
            '"' | '\n' | '\r' => return (out, i),
            '\\' => {
                let Some(&(_, e)) = it.peek() else {
                    return (out, i);
                };
                it.next();
                match e {
                    'n' | 'r' if stop_at_newline => return (out, i),
                    'n' => out.push('\n'),
                    'r' => out.push('\r'),
                    't' => out.push('\t'),
                    'u' => {
                        let hex: String =
                            (0..4).filter_map(|_| it.next().map(|(_, h)| h)).collect();
                        if let Some(ch) =
                            u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32)
                        {
                            out.push(ch);
                        }
                    }
                    other => out.push(other),
                }
            }
            _ => out.push(c),
        }
    }
    (out, raw.len())
}

/// The text after `spawn ` as the log meant it: up to the end of its line or JSON string.
/// Borrowed (with its absolute offset) when no unescaping was needed.
fn logical_rest<'a>(text: &'a str, from: usize, level: u8, quote: Option<u8>) -> Cow<'a, str> {
    let raw = &text[from..];
    let line_end = raw.find(['\n', '\r']).unwrap_or(raw.len());
    let raw = &raw[..line_end];
    match level {
        0 => {
            let end = match quote {
                Some(q) => raw.bytes().position(|b| b == q).unwrap_or(raw.len()),
                None => raw.len(),
            };
            Cow::Borrowed(&raw[..end])
        }
        1 => {
            let (s, used) = json_unescape(raw, true);
            if s.len() == used && raw.get(..used) == Some(s.as_str()) {
                Cow::Borrowed(&raw[..used])
            } else {
                Cow::Owned(s)
            }
        }
        _ => {
            // Decode the outer string, then the inner one.
            let (outer, _) = json_unescape(raw, false);
            let (inner, _) = json_unescape(&outer, true);
            Cow::Owned(inner)
        }
    }
}

/// A Node errno code at the start of `s`: (code as errno, raw code text, its length).
fn code_at(s: &str) -> Option<(&'static str, Option<&str>, usize)> {
    if let Some(rest) = s.strip_prefix("Unknown system error ") {
        let digits = rest
            .strip_prefix('-')
            .map(|r| r.bytes().take_while(u8::is_ascii_digit).count())
            .unwrap_or(0);
        if digits == 0 {
            return None;
        }
        let len = "Unknown system error -".len() + digits;
        let n: i64 = rest[1..1 + digits].parse().ok()?;
        return Some((errno_name(n), s.get(..len), len));
    }
    let tok_len = s
        .bytes()
        .take_while(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        .count();
    let tok = &s[..tok_len];
    let code = CODES.iter().find(|c| **c == tok)?;
    word_end(s, tok_len).then_some((code, None, tok_len))
}

/// POSIX errno numbers as names (Linux and macOS agree on these).
fn errno_name(n: i64) -> &'static str {
    match n {
        1 => "EPERM",
        2 => "ENOENT",
        8 => "ENOEXEC",
        13 => "EACCES",
        20 => "ENOTDIR",
        21 => "EISDIR",
        _ => "UNKNOWN",
    }
}

fn node_messages<'a>(text: &'a str, base: u32, out: &mut Vec<Signal<'a>>) {
    for at in find_all_ci(text, "spawn ") {
        if !word_start(text, at) || !text.is_char_boundary(at) {
            continue;
        }
        // Node prints it lower-case.
        if text.get(at..at + 5) != Some("spawn") {
            continue;
        }
        let prev = at
            .checked_sub(1)
            .and_then(|i| text.as_bytes().get(i))
            .copied();
        let quote = match prev {
            Some(q @ (b'\'' | b'`')) => Some(q),
            _ => None,
        };
        let level = json_level(text, at);
        let from = at + 6;
        let rest = logical_rest(text, from, level, quote);
        let Some((program, code, detail, code_rel)) = split_message(&rest) else {
            continue;
        };
        // Absolute span: from `spawn` to the end of the code as found in the raw text.
        let raw_code_end = find_code_raw(
            text,
            from,
            code_rel_text(&rest, code_rel, detail.clone(), code),
        )
        .unwrap_or(from + rest.len().min(text.len() - from));
        let span = abs(base, at..raw_code_end);
        let prog = program.map(|(r, p)| match &rest {
            Cow::Borrowed(b) => {
                let sl = b.get(r).unwrap_or("");
                (Cow::Borrowed(sl), Some(offset_of(text, sl, base)))
            }
            Cow::Owned(_) => (Cow::Owned(p), None),
        });
        let mut s = build(span, prog, code, "node");
        if let Some(d) = detail {
            s = s.with("detail", d);
        }
        out.push(s);
    }
}

fn code_rel_text<'s>(
    rest: &'s str,
    rel: usize,
    detail: Option<String>,
    code: &'s str,
) -> Cow<'s, str> {
    match detail {
        Some(d) => Cow::Owned(d),
        None => rest
            .get(rel..rel + code.len())
            .map_or(Cow::Borrowed(code), Cow::Borrowed),
    }
}

fn find_code_raw(text: &str, from: usize, code: Cow<'_, str>) -> Option<usize> {
    let line_end = text[from..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| from + i);
    let hay = text.get(from..line_end)?;
    let mut k = 0;
    while let Some(i) = hay.get(k..)?.find(&*code) {
        let s = k + i;
        if word_start(hay, s) && word_end(hay, s + code.len()) {
            return Some(from + s + code.len());
        }
        k = s + 1;
    }
    None
}

type Message = (
    Option<(std::ops::Range<usize>, String)>,
    &'static str,
    Option<String>,
    usize,
);

/// Splits the text after `spawn ` into the program and the code that follows it.
fn split_message(rest: &str) -> Option<Message> {
    // `spawn EINVAL`: thrown synchronously, no file.
    if let Some((code, detail, _)) = code_at(rest) {
        return Some((None, code, detail.map(str::to_string), 0));
    }
    let mut k = 0;
    let max = rest.len().min(2048);
    while k < max {
        let sp = rest.get(k..max)?.find(' ')? + k;
        let after = sp + 1;
        if let Some((code, detail, _)) = rest.get(after..).and_then(code_at) {
            let program = rest.get(..sp)?;
            let p = program.trim();
            if p.is_empty() || !plausible_program(p) {
                return None;
            }
            let lead = program.len() - program.trim_start().len();
            let r = lead..lead + p.len();
            return Some((
                Some((r, p.to_string())),
                code,
                detail.map(str::to_string),
                after,
            ));
        }
        k = after;
    }
    None
}

/// Rejects prose caught between `spawn` and a code (`spawn the server: Error: spawn npx ENOENT`).
fn plausible_program(p: &str) -> bool {
    if p.contains(": ") || p.ends_with(':') || p.contains('\t') {
        return false;
    }
    // Another `spawn ` inside: the later one is the real message.
    let mut k = 0;
    while let Some(i) = find_ci(p, "spawn ", k) {
        if word_start(p, i) {
            return false;
        }
        k = i + 1;
    }
    true
}

// ---------------------------------------------------------------------------------------------
// Node: the error's fields logged as JSON or as an inspect object

/// A `key: value` string value after `key` at `at` (`"key":"v"`, `\"key\":\"v\"`, `key: 'v'`):
/// the decoded value and the raw range it spans.
fn value_after(text: &str, key_end: usize) -> Option<(Cow<'_, str>, std::ops::Range<usize>)> {
    let b = text.as_bytes();
    let mut i = key_end;
    // Closing quote of the key, possibly escaped.
    while i < b.len() && (b[i] == b'\\' || b[i] == b'"' || b[i] == b'\'') && i < key_end + 3 {
        i += 1;
    }
    while i < b.len() && b[i] == b' ' {
        i += 1;
    }
    if i >= b.len() || (b[i] != b':' && b[i] != b'=') {
        return None;
    }
    i += 1;
    while i < b.len() && b[i] == b' ' {
        i += 1;
    }
    let start = i;
    let mut bs = 0;
    while i < b.len() && b[i] == b'\\' {
        bs += 1;
        i += 1;
    }
    let q = *b.get(i)?;
    if q != b'"' && q != b'\'' {
        return None;
    }
    let vstart = i + 1;
    if q == b'\'' {
        let len = text.get(vstart..)?.find(['\'', '\n', '\r'])?;
        let v = text.get(vstart..vstart + len)?;
        return Some((Cow::Borrowed(v), start..vstart + len + 1));
    }
    // Double-quoted: the closing quote has the same number of backslashes before it.
    let rest = text.get(vstart..)?;
    if bs == 0 {
        let (s, used) = json_unescape(rest, true);
        let v = if rest.get(..used) == Some(s.as_str()) {
            Cow::Borrowed(&rest[..used])
        } else {
            Cow::Owned(s)
        };
        return Some((v, start..vstart + used + 1));
    }
    let (outer, _) = json_unescape(rest, false);
    let end_rel = {
        // The raw end: the first `\"` with exactly `bs` backslashes.
        let rb = rest.as_bytes();
        let mut j = 0;
        let mut end = rest.len();
        while j < rb.len() {
            if rb[j] == b'\\' {
                let mut k = j;
                while k < rb.len() && rb[k] == b'\\' {
                    k += 1;
                }
                if k - j == bs && rb.get(k) == Some(&b'"') {
                    end = j;
                    break;
                }
                j = k + 1;
                continue;
            }
            if rb[j] == b'"' || rb[j] == b'\n' {
                end = j;
                break;
            }
            j += 1;
        }
        end
    };
    let (inner, _) = json_unescape(&outer, true);
    Some((Cow::Owned(inner), start..vstart + end_rel))
}

/// The value of `key` nearest to `near` in `text` (within a window), as found by [`value_after`].
fn nearby_value<'t>(text: &'t str, key: &str, near: usize) -> Option<Cow<'t, str>> {
    let lo = floor_boundary(text, near.saturating_sub(800));
    let hi = floor_boundary(text, (near + 800).min(text.len()));
    let win = text.get(lo..hi)?;
    let mut best: Option<(usize, Cow<'t, str>)> = None;
    for i in find_all_ci(win, key) {
        let abs_i = lo + i;
        let key_end = abs_i + key.len();
        if !word_start(text, abs_i) || !word_end(text, key_end) {
            continue;
        }
        if let Some((v, _)) = value_after(text, key_end) {
            let d = abs_i.abs_diff(near);
            if best.as_ref().map_or(true, |(bd, _)| d < *bd) {
                best = Some((d, v));
            }
        }
    }
    best.map(|(_, v)| v)
}

/// A numeric `errno` (`"errno":-2`, `errno: -4058`) near `near`, as a code name.
fn nearby_errno_number(text: &str, near: usize) -> Option<&'static str> {
    let lo = floor_boundary(text, near.saturating_sub(800));
    let hi = floor_boundary(text, (near + 800).min(text.len()));
    let win = text.get(lo..hi)?;
    find_all_ci(win, "errno").find_map(|i| {
        let after = win.get(i + 5..)?;
        let t = after.trim_start_matches(['"', '\\', '\'', ' ', ':']);
        let neg = t.strip_prefix('-')?;
        let n: String = neg.chars().take_while(char::is_ascii_digit).collect();
        match n.parse::<i64>().ok()? {
            2 | 4058 => Some("ENOENT"),
            13 | 4092 => Some("EACCES"),
            22 | 4071 => Some("EINVAL"),
            1 | 4048 => Some("EPERM"),
            8 => Some("ENOEXEC"),
            4094 => Some("UNKNOWN"),
            _ => None,
        }
    })
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn node_fields<'a>(text: &'a str, base: u32, out: &mut Vec<Signal<'a>>) {
    if find_ci(text, "syscall", 0).is_none() {
        return;
    }
    for i in find_all_ci(text, "syscall") {
        let key_end = i + "syscall".len();
        if !word_start(text, i) || !word_end(text, key_end) {
            continue;
        }
        let Some((value, range)) = value_after(text, key_end) else {
            continue;
        };
        let program = match value.strip_prefix("spawn") {
            Some("") => None,
            Some(rest) if rest.starts_with(' ') => Some(rest[1..].to_string()),
            _ => continue,
        };
        let code = nearby_value(text, "code", i)
            .and_then(|c| code_at(&c).map(|(code, _, _)| code))
            .or_else(|| {
                nearby_value(text, "errno", i).and_then(|c| code_at(&c).map(|(code, _, _)| code))
            })
            .or_else(|| nearby_errno_number(text, i));
        let Some(code) = code else { continue };
        let span = abs(base, i..range.end.min(text.len()));
        let prog = program.filter(|p| !p.trim().is_empty()).map(|p| {
            // Borrow from the source when the value is a plain slice of it.
            let slice_at = range.start + value.len().saturating_sub(p.len());
            match (&value, text.get(slice_at..slice_at + p.len())) {
                (Cow::Borrowed(_), Some(sl)) if sl == p && p.len() < value.len() => {
                    let sl_start = value_slice_start(text, &range, &value);
                    match sl_start.and_then(|s| text.get(s + 6..s + 6 + p.len())) {
                        Some(x) if x == p => (Cow::Borrowed(x), Some(offset_of(text, x, base))),
                        _ => (Cow::Owned(p), None),
                    }
                }
                _ => (Cow::Owned(p), None),
            }
        });
        let mut s = build(span, prog, code, "node");
        s = s.with("syscall", value.to_string());
        if let Some(path) = nearby_value(text, "path", i) {
            s = s.with("path", path.into_owned());
        }
        out.push(s);
    }
}

/// Where a borrowed value starts in `text` (its raw range starts at its opening quote).
fn value_slice_start(text: &str, range: &std::ops::Range<usize>, value: &str) -> Option<usize> {
    let r = text.get(range.clone())?;
    r.find(value).map(|i| range.start + i)
}

// ---------------------------------------------------------------------------------------------
// Python, Go

fn python<'a>(text: &'a str, base: u32, out: &mut Vec<Signal<'a>>) {
    let subprocess = [
        "_execute_child",
        "subprocess",
        "open_process",
        "create_subprocess",
        "popen",
    ]
    .iter()
    .any(|k| find_ci(text, k, 0).is_some());
    for at in find_all_ci(text, "[errno ") {
        let Some(rest) = text.get(at + 7..) else {
            continue;
        };
        let n: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let Ok(num) = n.parse::<i64>() else { continue };
        let errno = errno_name(num);
        if !matches!(num, 2 | 8 | 13 | 20 | 21) {
            continue;
        }
        // `] <strerror>: '<name>'`
        let Some(after) = rest.get(n.len()..) else {
            continue;
        };
        let Some(after) = after.strip_prefix("] ") else {
            continue;
        };
        let line = &after[..after.find(['\n', '\r']).unwrap_or(after.len())];
        let Some(colon) = line.find(": '").or_else(|| line.find(": \"")) else {
            continue;
        };
        let q = line.as_bytes()[colon + 2];
        let name_start = colon + 3;
        let Some(name_len) = line
            .get(name_start..)
            .and_then(|s| s.bytes().position(|b| b == q))
        else {
            continue;
        };
        let name = &line[name_start..name_start + name_len];
        if name.is_empty() {
            continue;
        }
        let bare = !name.contains('/') && !name.contains('\\');
        let ext_ok = match name.rsplit_once('.') {
            Some((_, e)) => {
                ["exe", "cmd", "bat", "sh", "py"].contains(&e.to_ascii_lowercase().as_str())
                    || e.chars().all(|c| c.is_ascii_digit())
            }
            None => true,
        };
        // Without the traceback's subprocess frames in the record, a path is a spawn only when
        // it was refused (EACCES, ENOEXEC): a missing path is as often a data file.
        let refused = num != 2 && num != 20;
        if !(subprocess || (ext_ok && (bare || refused))) {
            continue;
        }
        let name_abs = offset_of(text, name, 0) as usize;
        let span = abs(base, at..name_abs + name.len() + 1);
        let at_name = offset_of(text, name, base);
        out.push(build(
            span,
            Some((Cow::Borrowed(name), Some(at_name))),
            errno,
            "python",
        ));
    }
    if subprocess {
        for at in find_all_ci(text, "[winerror ") {
            let Some(rest) = text.get(at + 10..) else {
                continue;
            };
            let n: String = rest.chars().take_while(char::is_ascii_digit).collect();
            let errno = match n.as_str() {
                "2" | "3" => "ENOENT",
                "5" => "EACCES",
                "193" => "ENOEXEC",
                _ => continue,
            };
            let line_end = rest.find(['\n', '\r']).unwrap_or(rest.len());
            out.push(build(
                abs(base, at..at + 10 + line_end),
                None,
                errno,
                "python",
            ));
        }
    }
}

fn go<'a>(text: &'a str, base: u32, out: &mut Vec<Signal<'a>>) {
    // exec: "uvx": executable file not found in $PATH (%PATH% on Windows)
    for at in find_all_ci(text, "executable file not found") {
        let pre = &text[..at];
        // `exec: "uvx": ` or, quoted once more (logfmt, JSON), `exec: \"uvx\": `.
        let (q_end, open) = match pre.strip_suffix("\\\": ") {
            Some(q) => (q, "exec: \\\""),
            None => match pre.strip_suffix("\": ") {
                Some(q) => (q, "exec: \""),
                None => continue,
            },
        };
        let Some(q_start) = q_end.rfind(open) else {
            continue;
        };
        let name = &q_end[q_start + open.len()..];
        if name.is_empty() || name.contains('\n') || name.contains('"') {
            continue;
        }
        let span = abs(base, q_start..at + "executable file not found".len());
        let prog = if name.contains("\\\\") {
            (Cow::Owned(name.replace("\\\\", "\\")), None)
        } else {
            (Cow::Borrowed(name), Some(offset_of(text, name, base)))
        };
        out.push(build(span, Some(prog), "ENOENT", "go"));
    }
    // fork/exec /x: permission denied
    for at in find_all_ci(text, "fork/exec ") {
        let rest = &text[at + 10..];
        let line = &rest[..rest.find(['\n', '\r', '"']).unwrap_or(rest.len())];
        let Some((name, err)) = line.rsplit_once(": ") else {
            continue;
        };
        let errno = match err.trim_end() {
            e if e.starts_with("no such file or directory") => "ENOENT",
            e if e.starts_with("permission denied") => "EACCES",
            e if e.starts_with("exec format error") => "ENOEXEC",
            e if e.starts_with("not a directory") => "ENOTDIR",
            e if e.starts_with("operation not permitted") => "EPERM",
            _ => continue,
        };
        if name.is_empty() {
            continue;
        }
        let span = abs(base, at..at + 10 + line.len());
        let at_name = offset_of(text, name, base);
        out.push(build(
            span,
            Some((Cow::Borrowed(name), Some(at_name))),
            errno,
            "go",
        ));
    }
}

// ---------------------------------------------------------------------------------------------
// Continue

/// Continue (core/context/mcp/MCPConnection.ts) replaces Node's `spawn <x> ENOENT` with
/// `Error: command "<x>" not found. To use this MCP server, install the <x> CLI.`, where `<x>`
/// is the second word of the lower-cased message (the executable, never its arguments).
fn continue_hub<'a>(text: &'a str, base: u32, out: &mut Vec<Signal<'a>>) {
    const TAIL: &str = "to use this mcp server, install the";
    for at in find_all_ci(text, TAIL) {
        let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
        let head = &text[line_start..at];
        // `command "npx" not found. ` (the space after the period may be missing in pastes).
        let Some(c) = head.rfind("command \"") else {
            continue;
        };
        let name_at = c + "command \"".len();
        let after = &head[name_at..];
        let Some(q) = after.find('"') else {
            continue;
        };
        let name = &after[..q];
        let rest = after[q + 1..].trim_start();
        if name.is_empty() || name.contains(char::is_whitespace) || !rest.starts_with("not found") {
            continue;
        }
        let abs_name = line_start + name_at;
        let span = abs(base, line_start + c..at + TAIL.len());
        let prog = (
            Cow::Borrowed(name),
            Some(base.saturating_add(abs_name as u32)),
        );
        out.push(build(span, Some(prog), "ENOENT", "node"));
    }
}

// ---------------------------------------------------------------------------------------------
// cmd.exe, PowerShell

fn windows_shells<'a>(text: &'a str, base: u32, out: &mut Vec<Signal<'a>>) {
    for at in find_all_ci(text, "is not recognized as") {
        let rest = &text[at + "is not recognized as".len()..];
        let via = if rest.starts_with(" an internal or external command") {
            "cmd"
        } else if rest.starts_with(" the name of a cmdlet")
            || rest.starts_with(" a name of a cmdlet")
        {
            "powershell"
        } else {
            continue;
        };
        // `'npx' is not ...` (cmd) / `The term 'npx' is not ...` (PowerShell)
        let pre = &text[..at];
        let Some(pre) = pre.strip_suffix(' ') else {
            continue;
        };
        let Some(q) = pre
            .as_bytes()
            .last()
            .copied()
            .filter(|&c| c == b'\'' || c == b'"')
        else {
            continue;
        };
        let inner = &pre[..pre.len() - 1];
        let line_start = inner.rfind(['\n', '\r']).map_or(0, |i| i + 1);
        let Some(open) = inner[line_start..].rfind(q as char).map(|i| line_start + i) else {
            continue;
        };
        let name = &inner[open + 1..];
        if name.is_empty() {
            continue;
        }
        let end = at + "is not recognized as".len();
        let span_start = if via == "powershell" {
            text[..open]
                .rfind("The term ")
                .filter(|&i| i + 9 == open)
                .unwrap_or(open)
        } else {
            open
        };
        let span = abs(base, span_start..end);
        let prog = if json_level(text, open) > 0 && name.contains("\\\\") {
            (Cow::Owned(name.replace("\\\\", "\\")), None)
        } else {
            (Cow::Borrowed(name), Some(offset_of(text, name, base)))
        };
        out.push(build(span, Some(prog), "ENOENT", via));
    }
}

// ---------------------------------------------------------------------------------------------
// POSIX shells and env

const SHELLS: &[&str] = &["bash", "dash", "zsh", "ksh", "mksh", "ash", "sh", "fish"];

/// Builtins whose own errors name their argument, not a program (`bash: cd: /x: No such file`).
const BUILTINS: &[&str] = &[
    "cd", "source", ".", "pushd", "popd", "export", "read", "ulimit", "exec", "eval", "set",
    "unset", "alias", "type", "hash", "line",
];

fn posix_shells<'a>(text: &'a str, base: u32, out: &mut Vec<Signal<'a>>) {
    let b = text.as_bytes();
    let mut seen_end = 0;
    for at in find_all_ci(text, "sh:") {
        // The shell name ends at `at + 2`; find its start.
        let name_end = at + 2;
        let mut s = at;
        while s > 0 && b[s - 1].is_ascii_lowercase() {
            s -= 1;
        }
        let shell = &text[s..name_end];
        if !SHELLS.contains(&shell) || at < seen_end {
            continue;
        }
        // Preceded by start, space, `/` (a path like /bin/sh), `[`, quote.
        let start = {
            let mut p = s;
            if p > 0 && b[p - 1] == b'/' {
                while p > 0
                    && !matches!(
                        b[p - 1],
                        b' ' | b'\t' | b'"' | b'\'' | b'\n' | b'\r' | b'>' | b']'
                    )
                {
                    p -= 1;
                }
            }
            p
        };
        if start > 0
            && !matches!(
                b[start - 1],
                b' ' | b'\t' | b'"' | b'\'' | b'\n' | b'\r' | b'>' | b']' | b':'
            )
        {
            continue;
        }
        let via: &'static str = match shell {
            "bash" => "bash",
            "zsh" => "zsh",
            "fish" => "fish",
            _ => "sh",
        };
        let rest_at = name_end + 1;
        let line_end = text[rest_at..]
            .find(['\n', '\r'])
            .map_or(text.len(), |i| rest_at + i);
        let line = &text[rest_at..line_end];
        if let Some((name_rel, name_len, errno, end_rel)) = parse_shell_error(line, shell) {
            let name = &line[name_rel..name_rel + name_len];
            if BUILTINS.contains(&name) {
                continue;
            }
            let span = abs(base, start..rest_at + end_rel);
            let prog = if json_level(text, rest_at) > 0 && name.contains("\\\\") {
                (Cow::Owned(name.replace("\\\\", "\\")), None)
            } else {
                (Cow::Borrowed(name), Some(offset_of(text, name, base)))
            };
            out.push(build(span, Some(prog), errno, via));
            seen_end = rest_at + end_rel;
        }
    }
}

/// After `<shell>:`: the program's range in `line`, its code and where the message ends.
fn parse_shell_error(line: &str, shell: &str) -> Option<(usize, usize, &'static str, usize)> {
    // zsh: `zsh: command not found: uvx`, `zsh:1: command not found: uvx`,
    //      `zsh: permission denied: /x`, `zsh: no such file or directory: /x`
    // fish: `fish: Unknown command: uvx`
    let mut p = 0;
    let lb = line.as_bytes();
    // `1:` (zsh -c / dash) or ` 1:` or ` line 1:`
    let skip_lineno = |p: &mut usize| {
        let save = *p;
        let mut q = *p;
        while q < lb.len() && lb[q] == b' ' {
            q += 1;
        }
        if line.get(q..).is_some_and(|s| s.starts_with("line ")) {
            q += 5;
        }
        let d = lb[q.min(lb.len())..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if d > 0 && lb.get(q + d) == Some(&b':') {
            *p = q + d + 1;
        } else {
            *p = save;
        }
    };
    skip_lineno(&mut p);
    let rest = line.get(p..)?;
    let r = rest.trim_start();
    let p0 = p + (rest.len() - r.len());
    for (prefix, errno) in [
        ("command not found: ", "ENOENT"),
        ("Unknown command: ", "ENOENT"),
        ("permission denied: ", "EACCES"),
        ("no such file or directory: ", "ENOENT"),
        ("exec format error: ", "ENOEXEC"),
    ] {
        if let Some(name) = r.strip_prefix(prefix) {
            let fish_only = prefix == "Unknown command: ";
            if (fish_only && shell != "fish") || (!fish_only && shell != "zsh") {
                continue;
            }
            let n = name.trim_end().trim_matches(['\'', '"']);
            let lead = name.len() - name.trim_start_matches(['\'', '"']).len();
            if n.is_empty() || n.contains(' ') && !n.contains('/') && !n.contains('\\') {
                return None;
            }
            let start = p0 + prefix.len() + lead;
            return Some((start, n.len(), errno, start + n.len()));
        }
    }
    // bash/sh/dash: `<name>: command not found`, `<name>: not found`, `<name>: Permission denied`,
    // `<name>: No such file or directory`, `<name>: cannot execute binary file`
    let name_end = r.find(": ")?;
    let name = &r[..name_end];
    if name.is_empty() || name.len() > 1024 {
        return None;
    }
    let msg = &r[name_end + 2..];
    let (errno, mlen) = [
        ("command not found", "ENOENT"),
        ("not found", "ENOENT"),
        ("Permission denied", "EACCES"),
        ("No such file or directory", "ENOENT"),
        ("cannot execute binary file", "ENOEXEC"),
        ("cannot execute: required file not found", "ENOENT"),
    ]
    .iter()
    .find(|(m, _)| msg.starts_with(m) && word_end(msg, m.len()))
    .map(|(m, e)| (*e, m.len()))?;
    // A bare name must look like a command, a path may hold spaces; `No such file` needs a path.
    let is_path = name.contains('/') || name.contains('\\');
    if !is_path
        && !name
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"._+-@".contains(&c))
    {
        return None;
    }
    if errno == "ENOENT" && msg.starts_with("No such file") && !is_path {
        return None;
    }
    Some((p0, name.len(), errno, p0 + name_end + 2 + mlen))
}

fn env_lines<'a>(text: &'a str, base: u32, out: &mut Vec<Signal<'a>>) {
    for at in find_all_ci(text, "env: ") {
        if text.get(at..at + 5) != Some("env: ") {
            continue;
        }
        // `env:` or `/usr/bin/env:` at a word start.
        let b = text.as_bytes();
        let mut s = at;
        if s > 0 && b[s - 1] == b'/' {
            while s > 0 && !matches!(b[s - 1], b' ' | b'\t' | b'"' | b'\'' | b'\n' | b'\r' | b']') {
                s -= 1;
            }
        } else if !word_start(text, at) || (at > 0 && b[at - 1] == b'.') {
            continue;
        }
        let rest = &text[at + 5..];
        let line = &rest[..rest.find(['\n', '\r']).unwrap_or(rest.len())];
        let Some(colon) = line.find(": ") else {
            continue;
        };
        let raw_name = &line[..colon];
        let msg = &line[colon + 2..];
        let errno = if msg.starts_with("No such file or directory") {
            "ENOENT"
        } else if msg.starts_with("Permission denied") {
            "EACCES"
        } else {
            continue;
        };
        let name = strip_quotes(raw_name);
        if name.is_empty() || name.contains(' ') {
            continue;
        }
        let end = at + 5 + colon + 2 + if errno == "ENOENT" { 25 } else { 17 };
        let span = abs(base, s..end.min(text.len()));
        let at_name = offset_of(text, name, base);
        out.push(build(
            span,
            Some((Cow::Borrowed(name), Some(at_name))),
            errno,
            "env",
        ));
    }
}

/// `'node'`, `‘node’`, `"node"` or `node`.
fn strip_quotes(s: &str) -> &str {
    for (o, c) in [
        ("'", "'"),
        ("\u{2018}", "\u{2019}"),
        ("\"", "\""),
        ("`", "'"),
    ] {
        if let Some(inner) = s.strip_prefix(o).and_then(|x| x.strip_suffix(c)) {
            return inner;
        }
    }
    s
}

#[cfg(test)]
#[path = "spawn_tests.rs"]
mod tests;
