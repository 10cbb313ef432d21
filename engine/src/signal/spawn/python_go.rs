//! Python `subprocess` (`[Errno 2] No such file or directory: 'uvx'`) and Go `os/exec` failures.

use super::*;

// Python, Go

pub(super) fn python<'a>(text: &'a str, base: u32, out: &mut Vec<Signal<'a>>) {
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

pub(super) fn go<'a>(text: &'a str, base: u32, out: &mut Vec<Signal<'a>>) {
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
