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

mod continue_hub;
mod node_fields;
mod node_message;
mod posix_shell;
mod python_go;
mod shape;
mod windows_shell;

use continue_hub::continue_hub;
use node_fields::node_fields;
use node_message::{code_at, errno_name, json_level, json_unescape, node_messages};
use posix_shell::{env_lines, posix_shells};
use python_go::{go, python};
use shape::{classify, shim_of};
use windows_shell::windows_shells;

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

#[cfg(test)]
mod tests;
