//! POSIX shells (`sh: 1: uvx: not found`, `bash: uvx: command not found`) and `env`.

use super::*;

// POSIX shells and env

pub(super) const SHELLS: &[&str] = &["bash", "dash", "zsh", "ksh", "mksh", "ash", "sh", "fish"];

/// Builtins whose own errors name their argument, not a program (`bash: cd: /x: No such file`).
pub(super) const BUILTINS: &[&str] = &[
    "cd", "source", ".", "pushd", "popd", "export", "read", "ulimit", "exec", "eval", "set",
    "unset", "alias", "type", "hash", "line",
];

pub(super) fn posix_shells<'a>(text: &'a str, base: u32, out: &mut Vec<Signal<'a>>) {
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
pub(super) fn parse_shell_error(
    line: &str,
    shell: &str,
) -> Option<(usize, usize, &'static str, usize)> {
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

pub(super) fn env_lines<'a>(text: &'a str, base: u32, out: &mut Vec<Signal<'a>>) {
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
pub(super) fn strip_quotes(s: &str) -> &str {
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
