//! `platform`: what a record shows of the OS the client runs on, and
//! `versions`: versions of WSL, its components, Windows, the kernel and Node.
//!
//! `platform` evidence (field `evidence`, one signal per kind of evidence and record):
//! `drive_users` (`C:\Users\`, `C:/Users/`, JSON-escaped `C:\\Users\\`), `drive_path`
//! (`C:\Program Files`, `C:\ProgramData`, `C:\Windows\`, `C:\nvm4w`, each also with `/` or
//! `\\`), `userprofile` (`%USERPROFILE%`), `appdata`
//! (`%APPDATA%`, `AppData\Roaming`), `powershell_prompt` (`PS C:\...>`), `unc_wsl`
//! (`\\wsl$\`, `\\wsl.localhost\`: Windows reaching into WSL), `msys_drive` (`/c/Users/`),
//! `ver` (`Microsoft Windows [Version 10.0.x]`), `npm_platform` (npm's `Actual os: win32`),
//! `platform_field` (`"platform":"win32"`, `platform: 'darwin'`: Node's `process.platform`),
//! `process_platform` (`win32` or `darwin` as a word, as client banners print
//! `process.platform`: Claude Code's `starting (win32, node v22)`), `exe_name` (`npx.cmd`,
//! `node.exe`, `claude.exe` and other npm/Node/shell programs' Windows names)
//! give `os: windows` (or the OS the value names); `os_name` (`macOS` as a word) gives `macos`; `users_path` (`/Users/<u>/`),
//! `homebrew` (`/opt/homebrew`), `applications` (`/Applications/`), `library_path`
//! (`~/Library/Logs/`, `/Library/Application Support/`) give `macos`; `home_path`
//! (`/home/<u>/`) gives `linux`; `mnt_drive` (`/mnt/c/`), `wsl_kernel`
//! (`microsoft-standard-WSL2` in `uname -a` / `/proc/version`) and `vscode_remote_wsl`
//! (`Remote-WSL`, `[WSL: Ubuntu]`) give `wsl`; `vscode_server` (`.vscode-server`) gives
//! `linux` with `host: remote`; `vscode_local_ext_host` (`LocalProcess`) gives only `host: local`.
//! `windows_build` is set when the record shows the build (`ver`).

use crate::event::EventRef;
use crate::signal::{text, Family, Kind, Signal};

mod versions;

pub use versions::VERSIONS;

/// `platform`: what the log shows of the OS the client runs on.
pub static PLATFORM: Family = Family {
    kind: Kind::Platform,
    name: "platform",
    about: "what the log shows of the OS the client runs on",
    fields: &["os", "evidence", "windows_build", "host"],
    literals: &LITERALS,
    narrow: narrow_platform,
    read: read_platform,
};

/// Every literal of `platform`, grouped so the narrowed sets are ranges of it:
/// Windows-only markers, Windows program names, `/users/` (both), macOS, Linux, WSL, host.
const LITERALS: [&str; 74] = [
    // windows-only: drive paths, AppData, prompts, `ver`, `win32`, then `\\wsl$` (UNC_WSL)
    "\\program files",
    "/program files",
    "\\programdata",
    "/programdata",
    "\\windows\\",
    "/windows/",
    "\\nvm4w",
    "/nvm4w",
    "%userprofile%",
    ":\\users\\",
    ":\\\\users\\\\",
    ":/users/",
    "appdata",
    "ps c:\\",
    "ps d:\\",
    "microsoft windows [",
    "win32",
    "\\wsl$",
    "\\wsl.localhost",
    "//wsl$",
    "//wsl.localhost",
    // Windows program names (EXE_NAMES)
    "npx.cmd",
    "npm.cmd",
    "pnpm.cmd",
    "pnpx.cmd",
    "yarn.cmd",
    "node.cmd",
    "claude.cmd",
    "bunx.cmd",
    "uvx.cmd",
    "uv.cmd",
    "python.cmd",
    "py.cmd",
    "cmd.cmd",
    "powershell.cmd",
    "pwsh.cmd",
    "wsl.cmd",
    "code.cmd",
    "cursor.cmd",
    "docker.cmd",
    "npx.exe",
    "npm.exe",
    "pnpm.exe",
    "pnpx.exe",
    "yarn.exe",
    "node.exe",
    "claude.exe",
    "bunx.exe",
    "uvx.exe",
    "uv.exe",
    "python.exe",
    "py.exe",
    "cmd.exe",
    "powershell.exe",
    "pwsh.exe",
    "wsl.exe",
    "code.exe",
    "cursor.exe",
    "docker.exe",
    // `/users/`: macOS home, or `/c/Users/` under Git Bash (both WINDOWS and MACOS)
    "/users/",
    // macOS only
    "/opt/homebrew",
    "/applications/",
    "/library/",
    "macos",
    "darwin",
    // Linux
    "/home/",
    "vscode-server",
    "platform",
    "actual os:",
    // WSL, the last two VS Code's remote WSL markers (VSCODE_REMOTE_WSL)
    "/mnt/",
    "microsoft-standard",
    "remote-wsl",
    "[wsl:",
    // host only
    "localprocess",
];
const WINDOWS: std::ops::Range<usize> = 0..60;
const UNC_WSL: std::ops::Range<usize> = 17..21;
const EXE_NAMES: std::ops::Range<usize> = 21..59;
const MACOS: std::ops::Range<usize> = 59..65;
const LINUX: std::ops::Range<usize> = 65..69;
const WSL: std::ops::Range<usize> = 69..73;
const VSCODE_REMOTE_WSL: std::ops::Range<usize> = 71..73;

/// The literals of the evidence that can give `os: <value>` or `evidence: <value>`: a
/// record whose platform signal has that value holds one of them (so a rule that asks
/// for `os: macos` is not a candidate on every `/home/` line). Kept in step with the
/// readers below; tests/it/signal_literals.rs checks it on every corpus and fixture file.
fn narrow_platform(field: &str, value: &str) -> Option<&'static [&'static str]> {
    let range = match (field, value.to_ascii_lowercase().as_str()) {
        ("os", "windows") => WINDOWS,
        ("os", "macos") => MACOS,
        ("os", "linux") => LINUX,
        ("os", "wsl") => WSL,
        ("evidence", "unc_wsl") => UNC_WSL,
        ("evidence", "mnt_drive") => WSL.start..WSL.start + 1,
        ("evidence", "vscode_remote_wsl") => VSCODE_REMOTE_WSL,
        _ => return None,
    };
    LITERALS.get(range)
}

/// (literal, evidence, os) for the plain path and marker forms.
const MARKS: [(&str, &str, &str); 27] = [
    (":\\users\\", "drive_users", "windows"),
    (":\\\\users\\\\", "drive_users", "windows"),
    (":/users/", "drive_users", "windows"),
    ("appdata", "appdata", "windows"),
    (":\\program files", "drive_path", "windows"),
    (":\\\\program files", "drive_path", "windows"),
    (":/program files", "drive_path", "windows"),
    (":\\programdata", "drive_path", "windows"),
    (":\\\\programdata", "drive_path", "windows"),
    (":/programdata", "drive_path", "windows"),
    (":\\windows\\", "drive_path", "windows"),
    (":\\\\windows\\\\", "drive_path", "windows"),
    (":/windows/", "drive_path", "windows"),
    (":\\nvm4w", "drive_path", "windows"),
    (":\\\\nvm4w", "drive_path", "windows"),
    (":/nvm4w", "drive_path", "windows"),
    ("%userprofile%", "userprofile", "windows"),
    ("\\wsl$", "unc_wsl", "windows"),
    ("\\wsl.localhost", "unc_wsl", "windows"),
    ("//wsl$", "unc_wsl", "windows"),
    ("//wsl.localhost", "unc_wsl", "windows"),
    ("/opt/homebrew", "homebrew", "macos"),
    ("/applications/", "applications", "macos"),
    ("microsoft-standard", "wsl_kernel", "wsl"),
    ("remote-wsl", "vscode_remote_wsl", "wsl"),
    ("[wsl:", "vscode_remote_wsl", "wsl"),
    ("vscode-server", "vscode_server", "linux"),
];

fn read_platform<'a>(ev: &EventRef<'a>, out: &mut Vec<Signal<'a>>) {
    let rec = ev.record_text();
    let base = ev.event.text.start;
    let push = |out: &mut Vec<Signal<'a>>,
                ev_name: &'static str,
                os: &'static str,
                r: std::ops::Range<usize>| {
        if out
            .iter()
            .any(|s| s.kind == Kind::Platform && s.text("evidence") == Some(ev_name))
        {
            return;
        }
        let mut s = Signal::new(Kind::Platform, text::abs(base, r));
        if !os.is_empty() {
            s = s.with("os", os);
        }
        s = s.with("evidence", ev_name);
        match ev_name {
            "vscode_server" => s = s.with("host", "remote"),
            "vscode_remote_wsl" => s = s.with("host", "remote"),
            "vscode_local_ext_host" => s = s.with("host", "local"),
            _ => {}
        }
        out.push(s);
    };
    for (lit, name, os) in MARKS {
        if let Some(i) = text::find_ci(rec, lit, 0) {
            // `appdata` must be the Windows folder or variable, not a word in prose.
            if lit == "appdata" {
                let b = rec.as_bytes();
                let ok = (i > 0 && matches!(b[i - 1], b'%' | b'\\' | b'/'))
                    || rec
                        .get(i + 7..)
                        .is_some_and(|r| r.starts_with(['\\', '/', '%']));
                if !ok {
                    continue;
                }
            }
            push(out, name, os, i..i + lit.len());
        }
    }
    if let Some(i) = text::find_ci(rec, "localprocess", 0) {
        push(out, "vscode_local_ext_host", "", i..i + 12);
    }
    // `PS C:\...>` at a line start.
    for p in ["ps c:\\", "ps d:\\"] {
        if let Some(i) = text::find_ci(rec, p, 0) {
            if i == 0 || rec.as_bytes()[i - 1] == b'\n' {
                let end = rec[i..].find('>').map_or(i + p.len(), |g| i + g + 1);
                push(out, "powershell_prompt", "windows", i..end);
            }
        }
    }
    paths(rec, &mut |ev_name, os, r| push(out, ev_name, os, r));
    // `Microsoft Windows [Version 10.0.22631.4317]` (`ver`, any language).
    if let Some(i) = text::find_ci(rec, "microsoft windows [", 0) {
        if let Some((v0, v)) = windows_version(rec, i) {
            let build = v.split('.').nth(2).unwrap_or("");
            let end = rec[i..].find(']').map_or(v0 + v.len(), |e| i + e + 1);
            if !out.iter().any(|s| s.text("evidence") == Some("ver")) {
                let mut s = Signal::new(Kind::Platform, text::abs(base, i..end))
                    .with("os", "windows")
                    .with("evidence", "ver");
                if !build.is_empty() {
                    let b0 = text::offset_of(rec, build, base);
                    s = s.with_slice("windows_build", build, b0);
                }
                out.push(s);
            }
        }
    }
    // npm's EBADPLATFORM `Actual os: win32`, Node's `process.platform` in JSON or object dumps.
    for (lit, name) in [
        ("actual os:", "npm_platform"),
        ("platform", "platform_field"),
    ] {
        let mut from = 0;
        while let Some(i) = text::find_ci(rec, lit, from) {
            from = i + lit.len();
            let rest = &rec[from..];
            let skip = rest
                .bytes()
                .take_while(|c| matches!(c, b' ' | b'"' | b'\'' | b':' | b'=' | b'\\'))
                .count();
            if lit == "platform" && !rest[..skip].contains([':', '=']) {
                continue;
            }
            let val = &rest[skip..];
            let os = [
                ("win32", "windows"),
                ("darwin", "macos"),
                ("linux", "linux"),
            ]
            .into_iter()
            .find(|(w, _)| val.starts_with(w) && text::word_end(val, w.len()));
            if let Some((w, os)) = os {
                let v0 = from + skip;
                push(out, name, os, i..v0 + w.len());
                break;
            }
        }
    }
    // A `win32` already read as a platform value is not read again as a word.
    let valued = out
        .iter()
        .any(|s| matches!(s.text("evidence"), Some("platform_field" | "npm_platform")));
    words(rec, &mut |ev_name, os, r| {
        if !(valued && ev_name == "process_platform") {
            push(out, ev_name, os, r)
        }
    });
}

/// `win32` / `darwin` as words (Node's `process.platform` in client banners such as
/// Claude Code's `starting (win32, node v22)`, npm's `win32-x64`), `macOS` as a word, and
/// npm/Node Windows program names (`npx.cmd`, `node.exe`, `claude.exe`).
fn words(rec: &str, push: &mut dyn FnMut(&'static str, &'static str, std::ops::Range<usize>)) {
    for (w, name, os) in [
        ("win32", "process_platform", "windows"),
        ("darwin", "process_platform", "macos"),
        ("macos", "os_name", "macos"),
    ] {
        let found = text::find_all_ci(rec, w)
            .find(|&i| text::word_start(rec, i) && text::word_end(rec, i + w.len()));
        if let Some(i) = found {
            push(name, os, i..i + w.len());
        }
    }
    for name in &LITERALS[EXE_NAMES] {
        let found = text::find_all_ci(rec, name).find(|&i| {
            let stem_start = i == 0 || {
                let c = rec.as_bytes()[i - 1];
                !(c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
            };
            stem_start && text::word_end(rec, i + name.len())
        });
        if let Some(i) = found {
            push("exe_name", "windows", i..i + name.len());
            return;
        }
    }
}

/// `/Users/<u>/`, `/home/<u>/`, `/mnt/<drive>/`, `/c/Users/`, `~/Library/` as path starts.
fn paths(rec: &str, push: &mut dyn FnMut(&'static str, &'static str, std::ops::Range<usize>)) {
    let b = rec.as_bytes();
    let path_start = |i: usize| {
        i == 0
            || matches!(
                b[i - 1],
                b' ' | b'\t'
                    | b'"'
                    | b'\''
                    | b'='
                    | b'('
                    | b'['
                    | b'\n'
                    | b'`'
                    | b','
                    | b':'
                    | b'~'
            )
    };
    let seg = |from: usize| {
        rec.get(from..)
            .map(|r| {
                r.bytes()
                    .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.'))
                    .count()
            })
            .unwrap_or(0)
    };
    for (lit, name, os) in [
        ("/users/", "users_path", "macos"),
        ("/home/", "home_path", "linux"),
        ("/library/", "library_path", "macos"),
    ] {
        let mut from = 0;
        while let Some(i) = text::find_ci(rec, lit, from) {
            from = i + lit.len();
            let n = seg(from);
            if n == 0 {
                continue;
            }
            // `C:/Users/`: a Windows drive path with forward slashes (`drive_users`).
            if i >= 2
                && b[i - 1] == b':'
                && b[i - 2].is_ascii_alphabetic()
                && (i == 2 || !b[i - 3].is_ascii_alphanumeric())
            {
                continue;
            }
            // `/c/Users/`: Git Bash / MSYS on Windows.
            if lit == "/users/"
                && i >= 2
                && b[i - 2] == b'/'
                && b[i - 1].is_ascii_alphabetic()
                && (i == 2 || path_start(i - 2))
            {
                push("msys_drive", "windows", i - 2..from + n);
                break;
            }
            if lit == "/users/" && i > 0 && b[i - 1] == b':' {
                continue; // `C:/Users/`
            }
            if lit == "/library/"
                && !(i > 0 && b[i - 1] == b'~')
                && !rec[from..].starts_with(['L', 'A', 'C', 'l', 'a', 'c'])
            {
                continue;
            }
            let start = if lit == "/library/" && i > 0 && b[i - 1] == b'~' {
                i - 1
            } else {
                i
            };
            if !path_start(start) {
                continue;
            }
            push(name, os, start..from + n);
            break;
        }
    }
    let mut from = 0;
    while let Some(i) = text::find_ci(rec, "/mnt/", from) {
        from = i + 5;
        let d = b.get(from).copied();
        let end = b.get(from + 1).copied();
        if d.is_some_and(|c| c.is_ascii_alphabetic())
            && matches!(
                end,
                None | Some(b'/') | Some(b' ') | Some(b'"') | Some(b'\n') | Some(b'\r')
            )
            && path_start(i)
        {
            push("mnt_drive", "wsl", i..from + 1);
            break;
        }
    }
}

/// The dotted version after `Microsoft Windows [<word> ` (`Version`, `版本`, ...).
fn windows_version(rec: &str, i: usize) -> Option<(usize, &str)> {
    let rest = rec.get(i..)?;
    let close = rest.find(']')?;
    let inner = &rest[..close];
    let v = inner
        .split_whitespace()
        .find(|w| w.starts_with("10.") || w.starts_with("6."))?;
    Some((text::offset_of(rec, v, 0) as usize, v))
}

#[cfg(test)]
mod tests;
