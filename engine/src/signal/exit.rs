//! Signal family `process_exited`: a process ended, with its exit code or the
//! signal that ended it.
//!
//! Read wherever a client, a runtime, a shell or a supervisor prints an exit:
//!
//! - `... exited with code N` (VS Code's MCP output `Connection state: Error
//!   Process exited with code 243`, the VS Code server's `Extension Host Process
//!   exited with code: 0, signal: null.`, Claude Code's `MCP server "x" exited with
//!   code 137 (signal SIGKILL)`, terminal front-ends' `[Process exited with code 1]`)
//! - `exit code N` / `exit code: N` (VS Code terminal `The terminal process ...
//!   terminated with exit code: 1.`, JetBrains `Process finished with exit code 137
//!   (interrupted by signal 9: SIGKILL)`), `exit status N` (Go's `exec.ExitError`,
//!   Python's `returned non-zero exit status 1.`)
//! - Node's exit arguments as loggers print them: `code: null, signal: 'SIGKILL'`,
//!   `{"code":null,"signal":"SIGKILL"}`; `terminated by signal SIGKILL` (the
//!   Claude Agent SDK's `Claude Code process terminated by signal SIGKILL`),
//!   `killed by signal 9`; Go's `signal: killed`; Python's `died with <Signals.SIGKILL: 9>.`
//! - systemd: `<unit>: Main process exited, code=killed, status=9/KILL`
//!   (`code=exited, status=1/FAILURE`, `code=dumped, status=11/SEGV`)
//! - shells: bash's `Killed` (also `Killed: 9` on macOS, and the job notice
//!   `line 3: 4242 Killed   python -m x`), zsh's `zsh: killed     python -m x`
//! - Claude Desktop: `Server transport closed unexpectedly, this is likely due to
//!   the process exiting early.`, VS Code: ``Server exited before responding to
//!   `initialize` request.`` (exits whose code the client did not log here: no `code`,
//!   `who: server`)
//!
//! `term_signal` is the signal's name: given, or read from a shell-style code
//! (128 + n: 137 is SIGKILL, 143 SIGTERM) or a negative one (Python's -9).

use std::ops::Range;

use crate::event::EventRef;
use crate::signal::oom::{line_end, line_start, signal_name};
use crate::signal::text::{abs, find_all_ci, find_ci, word_end, word_start};
use crate::signal::{Family, Kind, Signal};

/// `process_exited`: a process ended, with its exit code or the signal that ended it.
pub static PROCESS_EXITED: Family = Family {
    kind: Kind::ProcessExited,
    name: "process_exited",
    about: "a process ended, with its exit code or the signal that ended it",
    fields: &["code", "term_signal", "who"],
    literals: &[
        "exited with",
        "exit code",
        "exit status",
        "code=exited",
        "code=dumped",
        "killed",
        "sigkill",
        "sigterm",
        "sigsegv",
        "sigabrt",
        "signal: terminated",
        "signals.sig",
        "exiting early",
        "server exited before",
    ],
    narrow: crate::signal::broad,
    read: read_process_exited,
};

/// Go's and strsignal(3)'s signal descriptions.
const DESCRIPTIONS: &[(&str, &str)] = &[
    ("killed", "SIGKILL"),
    ("terminated", "SIGTERM"),
    ("segmentation fault", "SIGSEGV"),
    ("aborted", "SIGABRT"),
    ("bus error", "SIGBUS"),
    ("interrupt", "SIGINT"),
    ("hangup", "SIGHUP"),
    ("broken pipe", "SIGPIPE"),
];

/// A `SIGXXX` name (or a number) at `s[from..]` (after spaces, quotes): its canonical name and end.
fn signal_token(s: &str, from: usize) -> Option<(&'static str, usize)> {
    let b = s.as_bytes();
    let mut i = from;
    while matches!(b.get(i), Some(b' ' | b'\'' | b'"' | b'\\')) {
        i += 1;
    }
    let st = i;
    while b.get(i).is_some_and(|c| c.is_ascii_alphanumeric()) {
        i += 1;
    }
    let w = s.get(st..i)?;
    if let Ok(n) = w.parse::<u32>() {
        return signal_name(n).map(|n| (n, i));
    }
    let up = w.to_ascii_uppercase();
    let name = up.strip_prefix("SIG").unwrap_or(&up);
    (1..=15)
        .filter_map(signal_name)
        .find(|n| n[3..] == *name && (up.starts_with("SIG") || name.len() >= 3))
        .map(|n| (n, i))
}

/// A decimal exit code (optionally negative) or `null` at `s[from..]` after `[: =]`.
fn code_token(s: &str, from: usize) -> Option<(Option<Range<usize>>, usize)> {
    let b = s.as_bytes();
    let mut i = from;
    while matches!(b.get(i), Some(b' ' | b':' | b'=')) {
        i += 1;
    }
    if s.get(i..i + 4)
        .is_some_and(|w| w.eq_ignore_ascii_case("null"))
    {
        return Some((None, i + 4));
    }
    let st = i;
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    let ds = i;
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    (i > ds && i - ds <= 10).then_some((Some(st..i), i))
}

/// The signal a shell-style or negative exit code stands for.
fn code_signal(code: &str) -> Option<&'static str> {
    let n: i64 = code.parse().ok()?;
    match n {
        129..=159 => signal_name((n - 128) as u32),
        -31..=-1 => signal_name((-n) as u32),
        _ => None,
    }
}

/// A signal name given within the same line shortly after `from` (`(signal SIGKILL)`,
/// `, signal: 'SIGTERM'`, `interrupted by signal 9: SIGKILL`); `signal: null` is none.
fn nearby_signal(t: &str, from: usize, le: usize) -> Option<&'static str> {
    let end = le.min(from + 60);
    let seg = t.get(from..end)?;
    let p = find_ci(seg, "sig", 0).filter(|&p| word_start(seg, p))?;
    if seg
        .get(p..p + 6)
        .is_some_and(|w| w.eq_ignore_ascii_case("signal"))
    {
        let rest = &seg[p + 6..];
        let skip = rest.len() - rest.trim_start_matches([':', ' ', '=']).len();
        return signal_token(seg, p + 6 + skip).map(|(n, _)| n);
    }
    signal_token(seg, p).map(|(n, _)| n)
}

/// Who exited: a slice of the record, or a name the reader knows.
enum Who {
    Slice(Range<usize>),
    Named(&'static str),
}

struct Found {
    at: Range<usize>,
    code: Option<Range<usize>>,
    term_signal: Option<&'static str>,
    who: Option<Who>,
}

fn read_process_exited<'a>(ev: &EventRef<'a>, out: &mut Vec<Signal<'a>>) {
    let t = ev.record_text();
    let mut found: Vec<Found> = Vec::new();
    let taken = |found: &Vec<Found>, p: usize| found.iter().any(|f| f.at.contains(&p));

    // `exited with code N` / `exited with exit code N` / `exit with code N`.
    for needle in [
        "exited with exit code",
        "exited with code",
        "exit with code",
    ] {
        for p in find_all_ci(t, needle) {
            if taken(&found, p) {
                continue;
            }
            let le = line_end(t, p);
            let Some((code, ce)) = code_token(t, p + needle.len()) else {
                continue;
            };
            let sig = nearby_signal(t, ce, le);
            found.push(Found {
                at: p..ce,
                term_signal: sig.or_else(|| code.clone().and_then(|c| code_signal(&t[c]))),
                code,
                who: None,
            });
        }
    }

    // `exit code N`, `exit status N`.
    for needle in ["exit code", "exit status"] {
        for p in find_all_ci(t, needle) {
            if taken(&found, p) || !word_start(t, p) {
                continue;
            }
            let le = line_end(t, p);
            let Some((Some(code), ce)) = code_token(t, p + needle.len()) else {
                continue;
            };
            let sig = nearby_signal(t, ce, le);
            found.push(Found {
                at: p..ce,
                term_signal: sig.or_else(|| code_signal(&t[code.clone()])),
                code: Some(code),
                who: None,
            });
        }
    }

    // systemd: `Main process exited, code=killed, status=9/KILL`.
    for p in find_all_ci(t, "code=") {
        if taken(&found, p) {
            continue;
        }
        let rest = t.get(p + 5..).unwrap_or("");
        let kind = ["exited", "killed", "dumped"]
            .into_iter()
            .find(|k| rest.starts_with(k));
        let Some(kind) = kind else { continue };
        let after = p + 5 + kind.len();
        let Some(s) = t.get(after..).and_then(|r| r.strip_prefix(", status=")) else {
            continue;
        };
        let ds = t.len() - s.len();
        let de = ds + s.bytes().take_while(u8::is_ascii_digit).count();
        if de == ds {
            continue;
        }
        let n: u32 = t[ds..de].parse().unwrap_or(0);
        let end = de
            + t[de..]
                .bytes()
                .take_while(|b| *b == b'/' || b.is_ascii_alphanumeric())
                .count();
        let ls = line_start(t, p);
        let head = t.get(ls..p).unwrap_or("");
        let who = find_ci(head, ": main process exited", 0).map(|i| {
            let unit_start = head[..i].rfind([' ', ']']).map_or(0, |k| k + 1);
            Who::Slice(ls + unit_start..ls + i)
        });
        let at_start = find_ci(head, "main process exited", 0).map_or(p, |i| ls + i);
        if kind == "exited" {
            found.push(Found {
                at: at_start..end,
                code: Some(ds..de),
                term_signal: None,
                who,
            });
        } else {
            found.push(Found {
                at: at_start..end,
                code: None,
                term_signal: signal_name(n),
                who,
            });
        }
    }

    // Node's exit arguments: `code: null, signal: 'SIGKILL'` / `"signal":"SIGKILL"`.
    for p in find_all_ci(t, "signal") {
        if taken(&found, p) || !word_start(t, p) {
            continue;
        }
        let b = t.as_bytes();
        let mut i = p + "signal".len();
        while matches!(b.get(i), Some(b'"' | b'\\' | b'\'')) {
            i += 1;
        }
        if b.get(i) != Some(&b':') {
            continue;
        }
        i += 1;
        let Some((sig, se)) = signal_token(t, i) else {
            continue;
        };
        // Go's `signal: killed` carries the description, not the name.
        let ls = line_start(t, p);
        let before = t.get(ls.max(p.saturating_sub(40))..p).unwrap_or("");
        let code_at = find_ci(before, "code", 0);
        let Some(c) = code_at else { continue };
        let cabs = p - before.len() + c;
        let mut j = cabs + 4;
        while matches!(b.get(j), Some(b'"' | b'\\' | b'\'')) {
            j += 1;
        }
        let code = code_token(t, j).and_then(|(c, _)| c);
        found.push(Found {
            at: cabs..se,
            code,
            term_signal: Some(sig),
            who: None,
        });
    }
    // Go: `signal: killed` (exec.ExitError), as a message or after `: `.
    for &(desc, name) in DESCRIPTIONS {
        let needle = format!("signal: {desc}");
        for p in find_all_ci(t, &needle) {
            if taken(&found, p) || !word_start(t, p) || !word_end(t, p + needle.len()) {
                continue;
            }
            found.push(Found {
                at: p..p + needle.len(),
                code: None,
                term_signal: Some(name),
                who: None,
            });
        }
    }

    // `terminated by signal SIGKILL`, `killed by signal 9`, `died with <Signals.SIGKILL: 9>`.
    for needle in [
        "terminated by signal",
        "killed by signal",
        "died with <signals.",
    ] {
        for p in find_all_ci(t, needle) {
            if taken(&found, p) {
                continue;
            }
            let Some((sig, se)) = signal_token(t, p + needle.len()) else {
                continue;
            };
            let end = if needle.ends_with('.') {
                t[se..].find('>').map_or(se, |k| se + k + 1)
            } else {
                se
            };
            found.push(Found {
                at: p..end,
                code: None,
                term_signal: Some(sig),
                who: None,
            });
        }
    }

    // Shells: `Killed`, `Killed: 9`, bash's job notice, zsh's `zsh: killed  cmd`.
    for p in find_all_ci(t, "killed") {
        if taken(&found, p) || !word_start(t, p) || !word_end(t, p + 6) {
            continue;
        }
        let ls = line_start(t, p);
        let le = line_end(t, p);
        let before = t.get(ls..p).unwrap_or("");
        let after = t.get(p + 6..le).unwrap_or("");
        let upper = t.as_bytes()[p] == b'K';
        let bare_after = after.trim().is_empty() || after.trim() == ": 9";
        let prefix_ok = before.trim().is_empty()
            || before.ends_with("stderr: ")
            || ev.msg().trim() == t[p..le].trim();
        let mut who = None;
        let ok = if upper && bare_after && prefix_ok {
            true
        } else if upper && !after.trim().is_empty() && after.starts_with("  ") {
            // bash: `./run.sh: line 3:  4242 Killed                  python -m x`
            let pid = before.trim_end();
            let digits = pid.bytes().rev().take_while(u8::is_ascii_digit).count();
            let job = digits > 0
                && (pid.len() == digits
                    || pid[..pid.len() - digits].ends_with(' ')
                    || pid[..pid.len() - digits].ends_with(']'));
            if job {
                let cs = p + 6 + (after.len() - after.trim_start().len());
                who = Some(Who::Slice(cs..le - (after.len() - after.trim_end().len())));
            }
            job
        } else if !upper && before.trim_end().ends_with("zsh:") && after.starts_with(' ') {
            let cs = p + 6 + (after.len() - after.trim_start().len());
            if cs < le {
                who = Some(Who::Slice(cs..le - (after.len() - after.trim_end().len())));
            }
            true
        } else {
            false
        };
        if ok {
            let end = if bare_after {
                p + 6 + after.trim_end().len()
            } else {
                p + 6
            };
            found.push(Found {
                at: p..end,
                code: None,
                term_signal: Some("SIGKILL"),
                who,
            });
        }
    }

    // VS Code: `Server exited before responding to `initialize` request.`
    for p in find_all_ci(t, "server exited before") {
        if taken(&found, p) {
            continue;
        }
        found.push(Found {
            at: p..line_end(t, p),
            code: None,
            term_signal: None,
            who: Some(Who::Named("server")),
        });
    }

    // Claude Desktop: the process exited early, with no code logged.
    for p in find_all_ci(t, "due to the process exiting early") {
        if taken(&found, p) {
            continue;
        }
        let ls = line_start(t, p);
        let st = find_ci(t.get(ls..p).unwrap_or(""), "transport closed", 0).map_or(p, |i| ls + i);
        found.push(Found {
            at: st..p + "due to the process exiting early".len(),
            code: None,
            term_signal: None,
            who: Some(Who::Named("server")),
        });
    }

    found.sort_by_key(|f| f.at.start);
    let base = ev.event.text.start;
    for f in found {
        let mut s = Signal::new(Kind::ProcessExited, abs(base, f.at.clone()));
        if let Some(c) = f.code {
            if let Some(txt) = t.get(c.clone()) {
                s = s.with_slice("code", txt, base + c.start as u32);
            }
        }
        if let Some(sig) = f.term_signal {
            s = s.with("term_signal", sig);
        }
        match f.who {
            Some(Who::Named(n)) => s = s.with("who", n),
            Some(Who::Slice(w)) => {
                if let Some(txt) = t.get(w.clone()).filter(|x| !x.is_empty()) {
                    s = s.with_slice("who", txt, base + w.start as u32);
                }
            }
            None => {}
        }
        out.push(s);
    }
}

#[cfg(test)]
mod tests {
    use crate::signal::testkit::read;
    use crate::signal::Kind;

    const K: Kind = Kind::ProcessExited;

    #[test]
    fn clients_exit_lines() {
        let cc = "2025-07-23T10:16:33.871Z [ERROR] MCP server \"indexer\" exited with code 137 (signal SIGKILL)\n";
        assert_eq!(
            read("claude-debug.txt", cc, K),
            ["code=137 term_signal=SIGKILL"]
        );
        let vs =
            "2025-06-13 16:51:00.111 [info] Connection state: Error Process exited with code 243\n";
        assert_eq!(read("vscode-output.log", vs, K), ["code=243"]);
        let eh = "2025-03-24 22:06:41.871 [info] [127.0.0.1][a91c07d2][ExtensionHostConnection] <4312> Extension Host Process exited with code: 0, signal: null.\n";
        assert_eq!(read("remoteagent.log", eh, K), ["code=0"]);
        let wt = "[Process exited with code 1]\n";
        assert_eq!(read("console.txt", wt, K), ["code=1"]);
        let d = "2025-10-14T18:22:05.903Z [ledger] [info] Server transport closed unexpectedly, this is likely due to the process exiting early. If you are developing this MCP server you can add output to stderr\n";
        assert_eq!(read("mcp-server-ledger.log", d, K), ["who=server"]);
        let vi = "2025-06-13 16:51:00.112 [error] Server exited before responding to `initialize` request.\n";
        assert_eq!(read("vscode-output.log", vi, K), ["who=server"]);
        let sdk = "2026-01-22 15:21:14.706 [error] Error from Claude (on channel hm0y): Error: Claude Code process terminated by signal SIGABRT\n";
        assert_eq!(read("vscode-output.log", sdk, K), ["term_signal=SIGABRT"]);
    }

    #[test]
    fn codes_give_signals() {
        let t = "Error: MCP server exited with exit code 143\n";
        assert_eq!(read("app.log", t, K), ["code=143 term_signal=SIGTERM"]);
        let jb = "Process finished with exit code 137 (interrupted by signal 9: SIGKILL)\n";
        assert_eq!(read("console.txt", jb, K), ["code=137 term_signal=SIGKILL"]);
        let py = "subprocess.CalledProcessError: Command '['node', 'x.js']' died with <Signals.SIGKILL: 9>.\n";
        assert_eq!(read("app.log", py, K), ["term_signal=SIGKILL"]);
        let go = "2025/01/01 10:00:00 server exited: signal: killed\n2025/01/01 10:00:01 server exited: exit status 2\n";
        assert_eq!(read("app.log", go, K), ["term_signal=SIGKILL", "code=2"]);
    }

    #[test]
    fn node_and_json_exit_arguments() {
        let n = "[cline] MCP process exit { code: null, signal: 'SIGKILL' }\n";
        assert_eq!(read("app.log", n, K), ["term_signal=SIGKILL"]);
        let j =
            "{\"level\":\"error\",\"msg\":\"child exit\",\"code\":null,\"signal\":\"SIGTERM\"}\n";
        assert_eq!(read("app.jsonl", j, K), ["term_signal=SIGTERM"]);
    }

    #[test]
    fn systemd_and_shells() {
        let s = "Aug 24 13:02:19 host systemd[1]: mcp-notes.service: Main process exited, code=killed, status=9/KILL\nAug 24 13:02:20 host systemd[1]: web.service: Main process exited, code=exited, status=1/FAILURE\n";
        assert_eq!(
            read("journal.log", s, K),
            [
                "term_signal=SIGKILL who=mcp-notes.service",
                "code=1 who=web.service"
            ]
        );
        let b = "$ python -m symbols_server --index ~/src\nloading 412000 files...\nKilled\n";
        assert_eq!(read("transcript.txt", b, K), ["term_signal=SIGKILL"]);
        let job = "./run.sh: line 3:  4242 Killed                  python -m symbols_server\n";
        assert_eq!(
            read("transcript.txt", job, K),
            ["term_signal=SIGKILL who=python -m symbols_server"]
        );
        let z = "zsh: killed     node dist/index.js\n";
        assert_eq!(
            read("transcript.txt", z, K),
            ["term_signal=SIGKILL who=node dist/index.js"]
        );
        let mac = "Killed: 9\n";
        assert_eq!(read("transcript.txt", mac, K), ["term_signal=SIGKILL"]);
    }

    #[test]
    fn lookalikes_are_not_exits() {
        for t in [
            "[ 8121.4] Out of memory: Killed process 2231 (node) total-vm:1kB\n",
            "2025-01-01 worker killed the cache entry\n",
            "npm ERR! code 134\n",
            "2025-01-01 [info] signal handler installed\n",
            "2025-01-01 [info] exit code documentation: see exit codes\n",
        ] {
            assert!(read("app.log", t, K).is_empty(), "{t}");
        }
    }
}
