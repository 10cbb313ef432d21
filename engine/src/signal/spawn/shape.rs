//! The shape of a spawned program's text: its executable, its arguments, its launcher family.

use super::*;

// Shape of a program text

pub(super) struct Shape {
    pub(super) shape: &'static str,
    /// The executable part of the program text.
    pub(super) exe: std::ops::Range<usize>,
    /// The arguments, when the program text holds some.
    pub(super) args: Option<std::ops::Range<usize>>,
}

/// Splits `p` (a `command` as printed) into its executable and its arguments and names its shape.
pub(super) fn classify(p: &str) -> Shape {
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

pub(super) fn is_drive_path(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && (b[2] == b'\\' || b[2] == b'/')
}

/// A path that may hold spaces, then perhaps arguments.
pub(super) fn split_path(t: &str, lead: usize, shape: &'static str) -> Shape {
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
pub(super) fn ends_program(tok: &str) -> bool {
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
pub(super) fn looks_like_arg(tok: &str, shape: &str) -> bool {
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

pub(super) fn basename(p: &str) -> &str {
    p.rsplit(['/', '\\']).next().unwrap_or(p)
}

/// The launcher family of `exe`, lower-case, without `.cmd`/`.exe`/`.ps1`/`.bat`.
pub(super) fn shim_of(exe: &str) -> Option<&'static str> {
    let name = basename(exe.trim_matches(['"', '\''])).to_ascii_lowercase();
    let stem = [".cmd", ".exe", ".ps1", ".bat"]
        .iter()
        .find_map(|s| name.strip_suffix(s))
        .unwrap_or(&name);
    SHIMS.iter().find(|s| **s == stem).copied()
}
