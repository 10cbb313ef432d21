//! Signal families `oom_kill` and `kernel_panic`: the kernel (or a
//! userspace OOM daemon) killed a process for memory; the kernel panicked.
//!
//! Every form the killers print, each read where it stands in a record
//! (dmesg with or without `[seconds]`, `journalctl -k`, syslog, a paste):
//!
//! - mm/oom_kill.c `dump_header`: `<comm> invoked oom-killer: gfp_mask=...`
//!   (`form: invoked`; the invoker is not the victim, which is unknown until
//!   the `Killed process` line, often cut from pastes)
//! - mm/oom_kill.c `dump_oom_victim` / `dump_oom_summary`:
//!   `oom-kill:constraint=CONSTRAINT_NONE,...,task_memcg=/x,task=<comm>,pid=<pid>,uid=<uid>`
//!   (`form: summary`; `pid=%5d` in 4.19-era kernels pads with spaces)
//! - mm/oom_kill.c `__oom_kill_process`: `<message>: Killed process <pid> (<comm>) total-vm:...`
//!   where message is `Out of memory`, `Out of memory (oom_kill_allocating_task)` or
//!   `Memory cgroup out of memory` (mm/memcontrol.c's OOM) (`form: killed`); before 4.19
//!   the line had no prefix (`Killed process <pid> (<comm>) total-vm:...`)
//! - mm/oom_kill.c `oom_kill_process` (before 5.0): `Out of memory: Kill process <pid> (<comm>) score <n> or sacrifice child`
//!   (`form: kill`)
//! - mm/oom_kill.c `oom_reap_task_mm`: `oom_reaper: reaped process <pid> (<comm>), now anon-rss:...` (`form: reaped`)
//! - systemd-oomd (src/oom/oomd-manager.c): `Killed <cgroup> due to memory pressure for <cgroup> being ...`
//!   (`form: pressure`), `Killed <cgroup> due to swap used (...) / total (...) being more than ...` (`form: swap`)
//! - systemd (src/core/unit.c, service.c): `<unit>: A process of this unit has been killed by the OOM killer.`
//!   (`form: unit`), `<unit>: Failed with result 'oom-kill'.` (`form: unit_result`)
//! - earlyoom (kill.c): `sending SIGTERM to process <pid> uid <uid> "<comm>": ...` (`form: earlyoom`)
//!
//! `kernel_panic`: kernel/panic.c `Kernel panic - not syncing: <reason>`, with
//! kernel/exit.c's `Attempted to kill init! exitcode=0x%08x` read into
//! `exitcode`, `term_signal` (the signal that took init, when the code is one)
//! and `status` (init's exit status, when it exited), and mm/oom_kill.c's own
//! panics (`Out of memory and no killable processes...`, `System is deadlocked on
//! memory`, `Out of memory: system-wide panic_on_oom is enabled`) as `kind: oom`.

use crate::event::EventRef;
use crate::signal::text::{abs, find_all_ci, find_ci, word_start};
use crate::signal::{Family, Kind, Signal};

/// `oom_kill`: the kernel (or systemd-oomd, earlyoom) killed a process for memory.
pub static OOM_KILL: Family = Family {
    kind: Kind::OomKill,
    name: "oom_kill",
    about: "the kernel (or systemd-oomd) killed a process for memory",
    fields: &[
        "victim",
        "pid",
        "cgroup",
        "by",
        "form",
        "invoker",
        "constraint",
    ],
    literals: &[
        "oom-kill",
        "killed process",
        "kill process",
        "oom_reaper",
        "due to memory pressure",
        "due to swap used",
        "by the oom killer",
        "sending sigterm to process",
        "sending sigkill to process",
    ],
    narrow: crate::signal::broad,
    read: read_oom_kill,
};

/// `kernel_panic`: the kernel panicked.
pub static KERNEL_PANIC: Family = Family {
    kind: Kind::KernelPanic,
    name: "kernel_panic",
    about: "the kernel panicked",
    fields: &["reason", "kind", "exitcode", "term_signal", "status"],
    literals: &["kernel panic - not syncing"],
    narrow: crate::signal::broad,
    read: read_kernel_panic,
};

/// The end of the logical line holding `from`: a newline, a CR, or a JSON
/// `\n` / `\r` escape inside a JSON-encoded record.
pub(crate) fn line_end(text: &str, from: usize) -> usize {
    let b = text.as_bytes();
    let mut i = from;
    while i < b.len() {
        match b[i] {
            b'\n' | b'\r' => return i,
            b'\\' if matches!(b.get(i + 1), Some(b'n' | b'r')) => return i,
            _ => i += 1,
        }
    }
    b.len()
}

/// The start of the logical line holding `at` (see [`line_end`]).
pub(crate) fn line_start(text: &str, at: usize) -> usize {
    let b = text.as_bytes();
    let mut i = at.min(b.len());
    while i > 0 {
        match b[i - 1] {
            b'\n' | b'\r' => return i,
            b'n' | b'r' if i >= 2 && b[i - 2] == b'\\' => return i,
            _ => i -= 1,
        }
    }
    0
}

/// Leading ASCII digits of `s` (after optional spaces), as a slice and its offset in `s`.
fn digits_at(s: &str, from: usize) -> Option<(usize, usize)> {
    let b = s.as_bytes();
    let mut i = from;
    while b.get(i) == Some(&b' ') {
        i += 1;
    }
    let st = i;
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    (i > st).then_some((st, i))
}

/// `(<comm>)` at `from` in `t`: the command name's range. Kernel comms are at most
/// 15 bytes and may hold `)` or spaces, so the closing bracket is the one followed by
/// what the kernel prints next (` total-vm`, ` score`, `, now`, `).`, end of line).
fn comm_at(t: &str, from: usize, end: usize) -> Option<(usize, usize)> {
    let b = t.as_bytes();
    if b.get(from) != Some(&b'(') {
        return None;
    }
    let st = from + 1;
    let limit = end.min(st + 64);
    let mut first = None;
    let mut i = st;
    while i < limit {
        if b[i] == b')' {
            first.get_or_insert(i);
            let next = b.get(i + 1).copied();
            if matches!(
                next,
                None | Some(b' ' | b',' | b'.' | b'\n' | b'\r' | b'\\' | b'"')
            ) {
                return (i > st).then_some((st, i));
            }
        }
        i += 1;
    }
    first.filter(|&e| e > st).map(|e| (st, e))
}

/// The value of `key=` (up to `,` or whitespace) in `t[from..end]`.
fn kv(t: &str, from: usize, end: usize, key: &str) -> Option<(usize, usize)> {
    let seg = t.get(from..end)?;
    let mut at = 0;
    while let Some(p) = find_ci(seg, key, at) {
        at = p + key.len();
        let ok = p == 0 || matches!(seg.as_bytes()[p - 1], b',' | b' ' | b':');
        if !ok {
            continue;
        }
        let vs = p + key.len();
        let mut ve = vs;
        let vb = seg.as_bytes();
        // `pid=%5d` pads with spaces.
        while vb.get(ve) == Some(&b' ') && key == "pid=" {
            ve += 1;
        }
        let vs2 = ve;
        while ve < vb.len() && !matches!(vb[ve], b',' | b' ' | b'\t' | b'\\' | b'"') {
            ve += 1;
        }
        return (ve > vs2).then_some((from + vs2, from + ve));
    }
    None
}

fn read_oom_kill<'a>(ev: &EventRef<'a>, out: &mut Vec<Signal<'a>>) {
    let t = ev.record_text();
    let base = ev.event.text.start;
    let sl = |r: (usize, usize)| (t.get(r.0..r.1).unwrap_or(""), r.0);

    // `<comm> invoked oom-killer:`
    for p in find_all_ci(t, " invoked oom-killer") {
        let ls = line_start(t, p);
        let le = line_end(t, p);
        // The invoker is the last word before ` invoked` (comm may follow a prefix).
        let head = t.get(ls..p).unwrap_or("");
        let ws = head.rfind([' ', '\t', ']']).map_or(0, |i| i + 1);
        let mut s = Signal::new(Kind::OomKill, abs(base, ls + ws..le))
            .with("by", "kernel")
            .with("form", "invoked");
        if ls + ws < p {
            let (txt, at) = sl((ls + ws, p));
            s = s.with_slice("invoker", txt, base + at as u32);
        }
        out.push(s);
    }

    // `oom-kill:constraint=...,task=<comm>,pid=<pid>`
    for p in find_all_ci(t, "oom-kill:constraint=") {
        let le = line_end(t, p);
        let mut s = Signal::new(Kind::OomKill, abs(base, p..le))
            .with("by", "kernel")
            .with("form", "summary");
        if let Some(r) = kv(t, p, le, "task=") {
            let (txt, at) = sl(r);
            s = s.with_slice("victim", txt, base + at as u32);
        }
        if let Some(r) = kv(t, p, le, "pid=") {
            let (txt, at) = sl(r);
            s = s.with_slice("pid", txt, base + at as u32);
        }
        if let Some(r) = kv(t, p, le, "task_memcg=") {
            let (txt, at) = sl(r);
            s = s.with_slice("cgroup", txt, base + at as u32);
        }
        if let Some(r) = kv(t, p, le, "constraint=") {
            let (txt, at) = sl(r);
            s = s.with_slice("constraint", txt, base + at as u32);
        }
        out.push(s);
    }

    // `Killed process <pid> (<comm>)` / `Kill process <pid> (<comm>) score`
    for (needle, form) in [("killed process ", "killed"), ("kill process ", "kill")] {
        for p in find_all_ci(t, needle) {
            if !word_start(t, p) {
                continue;
            }
            let le = line_end(t, p);
            let Some((ds, de)) = digits_at(t, p + needle.len()) else {
                continue;
            };
            let Some(c) = comm_at(t, de + 1, le).filter(|_| t.as_bytes().get(de) == Some(&b' '))
            else {
                continue;
            };
            let ls = line_start(t, p);
            let before = t.get(ls..p).unwrap_or("");
            let after = t.get(c.1..le).unwrap_or("");
            let memcg = find_ci(before, "memory cgroup out of memory", 0).is_some();
            let kernel = memcg
                || find_ci(before, "out of memory", 0).is_some()
                || find_ci(after, "total-vm:", 0).is_some()
                || (form == "kill" && find_ci(after, "sacrifice child", 0).is_some());
            if !kernel {
                continue;
            }
            let st = if memcg {
                find_ci(before, "memory cgroup out of memory", 0).map(|i| ls + i)
            } else {
                find_ci(before, "out of memory", 0).map(|i| ls + i)
            }
            .unwrap_or(p);
            let (vt, va) = sl(c);
            let (pt, pa) = sl((ds, de));
            let mut s = Signal::new(Kind::OomKill, abs(base, st..c.1 + 1))
                .with_slice("victim", vt, base + va as u32)
                .with_slice("pid", pt, base + pa as u32)
                .with("by", "kernel")
                .with("form", form);
            if memcg {
                s = s.with("constraint", "CONSTRAINT_MEMCG");
            }
            out.push(s);
        }
    }

    // `oom_reaper: reaped process <pid> (<comm>)`
    for p in find_all_ci(t, "oom_reaper: reaped process ") {
        let le = line_end(t, p);
        let Some((ds, de)) = digits_at(t, p + "oom_reaper: reaped process ".len()) else {
            continue;
        };
        let Some(c) = comm_at(t, de + 1, le) else {
            continue;
        };
        let (vt, va) = sl(c);
        let (pt, pa) = sl((ds, de));
        out.push(
            Signal::new(Kind::OomKill, abs(base, p..c.1 + 1))
                .with_slice("victim", vt, base + va as u32)
                .with_slice("pid", pt, base + pa as u32)
                .with("by", "kernel")
                .with("form", "reaped"),
        );
    }

    // systemd-oomd: `Killed <cgroup> due to memory pressure for ...` / `due to swap used`
    for (needle, form) in [
        (" due to memory pressure for ", "pressure"),
        (" due to swap used", "swap"),
    ] {
        for p in find_all_ci(t, needle) {
            let ls = line_start(t, p);
            let head = t.get(ls..p).unwrap_or("");
            let Some(k) = head.rfind("Killed ") else {
                continue;
            };
            let cs = ls + k + "Killed ".len();
            let cg = t.get(cs..p).unwrap_or("");
            if cg.is_empty() || cg.contains(' ') {
                continue;
            }
            let le = line_end(t, p);
            let victim = cg.rsplit('/').find(|x| !x.is_empty()).unwrap_or(cg);
            let vo = cs + (victim.as_ptr() as usize - cg.as_ptr() as usize);
            out.push(
                Signal::new(Kind::OomKill, abs(base, ls + k..le))
                    .with_slice("victim", victim, base + vo as u32)
                    .with_slice("cgroup", cg, base + cs as u32)
                    .with("by", "systemd-oomd")
                    .with("form", form),
            );
        }
    }

    // systemd: `<unit>: A process of this unit has been killed by the OOM killer.` /
    // `<unit>: Failed with result 'oom-kill'.`
    for (needle, form) in [
        (
            ": a process of this unit has been killed by the oom killer",
            "unit",
        ),
        (": failed with result 'oom-kill'", "unit_result"),
    ] {
        for p in find_all_ci(t, needle) {
            let ls = line_start(t, p);
            let head = t.get(ls..p).unwrap_or("");
            let us = head.rfind([' ', '\t', ']']).map_or(0, |i| i + 1);
            let unit = head.get(us..).unwrap_or("");
            let mut s = Signal::new(Kind::OomKill, abs(base, ls + us..p + needle.len()))
                .with("by", "systemd")
                .with("form", form);
            if !unit.is_empty() {
                s = s
                    .with_slice("victim", unit, base + (ls + us) as u32)
                    .with_slice("cgroup", unit, base + (ls + us) as u32);
            }
            out.push(s);
        }
    }

    // earlyoom: `sending SIGTERM to process <pid> uid <uid> "<comm>": ...`
    for sig in ["sending sigterm to process ", "sending sigkill to process "] {
        for p in find_all_ci(t, sig) {
            let le = line_end(t, p);
            let Some((ds, de)) = digits_at(t, p + sig.len()) else {
                continue;
            };
            let rest = t.get(de..le).unwrap_or("");
            let Some(q) = rest.find('"') else {
                continue;
            };
            // `uid <n> "` (or an older `"<comm>"` right after the pid).
            let between = &rest[..q];
            let between = between.trim_end_matches('\\').trim();
            if !(between.is_empty() || between.starts_with("uid ")) {
                continue;
            }
            let cs = de + q + 1;
            let Some(ce) = t.get(cs..le).and_then(|r| r.find(['"', '\\'])) else {
                continue;
            };
            let (vt, va) = sl((cs, cs + ce));
            let (pt, pa) = sl((ds, de));
            out.push(
                Signal::new(Kind::OomKill, abs(base, p..cs + ce + 1))
                    .with_slice("victim", vt, base + va as u32)
                    .with_slice("pid", pt, base + pa as u32)
                    .with("by", "earlyoom")
                    .with("form", "earlyoom"),
            );
        }
    }
}

/// Name of signal `n` (Linux numbering) for the signals init or a server dies of.
pub(crate) fn signal_name(n: u32) -> Option<&'static str> {
    Some(match n {
        1 => "SIGHUP",
        2 => "SIGINT",
        3 => "SIGQUIT",
        4 => "SIGILL",
        5 => "SIGTRAP",
        6 => "SIGABRT",
        7 => "SIGBUS",
        8 => "SIGFPE",
        9 => "SIGKILL",
        10 => "SIGUSR1",
        11 => "SIGSEGV",
        12 => "SIGUSR2",
        13 => "SIGPIPE",
        14 => "SIGALRM",
        15 => "SIGTERM",
        _ => return None,
    })
}

fn read_kernel_panic<'a>(ev: &EventRef<'a>, out: &mut Vec<Signal<'a>>) {
    let t = ev.record_text();
    let base = ev.event.text.start;
    const NEEDLE: &str = "kernel panic - not syncing";
    for p in find_all_ci(t, NEEDLE) {
        let le = line_end(t, p);
        let mut rs = p + NEEDLE.len();
        let b = t.as_bytes();
        while rs < le && matches!(b[rs], b':' | b' ') {
            rs += 1;
        }
        let reason = t.get(rs..le).unwrap_or("").trim_end();
        let mut s = Signal::new(Kind::KernelPanic, abs(base, p..rs + reason.len()));
        if !reason.is_empty() {
            s = s.with_slice("reason", reason, base + rs as u32);
        }
        let lower_oom = ["out of memory", "deadlocked on memory"]
            .iter()
            .any(|n| find_ci(reason, n, 0).is_some());
        if find_ci(reason, "attempted to kill init", 0).is_some() {
            s = s.with("kind", "init_killed");
            if let Some(e) = find_ci(reason, "exitcode=0x", 0) {
                let hs = e + "exitcode=".len();
                let he = reason[hs + 2..]
                    .find(|c: char| !c.is_ascii_hexdigit())
                    .map_or(reason.len(), |i| hs + 2 + i);
                let hex = &reason[hs..he];
                s = s.with_slice("exitcode", hex, base + (rs + hs) as u32);
                if let Ok(code) = u32::from_str_radix(&hex[2..], 16) {
                    // wait(2) status: low 7 bits a signal (0x80: core dumped), else exit status << 8.
                    let sig = code & 0x7f;
                    if sig != 0 {
                        if let Some(name) = signal_name(sig) {
                            s = s.with("term_signal", name);
                        }
                    } else {
                        s = s.with("status", ((code >> 8) & 0xff).to_string());
                    }
                }
            }
        } else if lower_oom {
            s = s.with("kind", "oom");
        } else {
            s = s.with("kind", "other");
        }
        out.push(s);
    }
}

#[cfg(test)]
mod tests {
    use crate::signal::testkit::read;
    use crate::signal::Kind;

    const K: Kind = Kind::OomKill;

    #[test]
    fn invoked_oom_killer_cut_before_the_killed_line() {
        let dmesg = "[20511.806357] node invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0\n";
        assert_eq!(
            read("dmesg.txt", dmesg, K),
            ["by=kernel form=invoked invoker=node"]
        );
        let journal = "Mar 02 10:11:12 devbox kernel: python3 invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0\n";
        assert_eq!(
            read("kernel.log", journal, K),
            ["by=kernel form=invoked invoker=python3"]
        );
    }

    #[test]
    fn summary_line_with_and_without_padding() {
        let new = "[ 8121.402390] oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/user.slice/u.scope,task=node,pid=2231,uid=1000\n";
        assert_eq!(
            read("dmesg.txt", new, K),
            ["by=kernel form=summary victim=node pid=2231 cgroup=/user.slice/u.scope constraint=CONSTRAINT_NONE"]
        );
        let old = "kernel: oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),task=java,pid=  812,uid=    0\n";
        assert_eq!(
            read("syslog", old, K),
            ["by=kernel form=summary victim=java pid=812 constraint=CONSTRAINT_MEMCG"]
        );
    }

    #[test]
    fn killed_process_every_prefix() {
        let d = "[ 8121.402451] Out of memory: Killed process 2231 (node) total-vm:21034112kB, anon-rss:7765432kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:16184kB oom_score_adj:0\n";
        assert_eq!(
            read("dmesg.txt", d, K),
            ["victim=node pid=2231 by=kernel form=killed"]
        );
        let m = "Jan 12 09:14:02 box kernel: Memory cgroup out of memory: Killed process 483880 (python3) total-vm:293428kB, anon-rss:1kB\n";
        assert_eq!(
            read("kernel.log", m, K),
            ["victim=python3 pid=483880 by=kernel form=killed constraint=CONSTRAINT_MEMCG"]
        );
        let a = "[  99.1] Out of memory (oom_kill_allocating_task): Killed process 77 (tsserver worker) total-vm:1kB, anon-rss:1kB\n";
        assert_eq!(
            read("dmesg.txt", a, K),
            ["victim=tsserver worker pid=77 by=kernel form=killed"]
        );
        // Before 4.19: a separate unprefixed line.
        let old = "[ 310.2] Killed process 4411 (uvicorn) total-vm:3034112kB, anon-rss:2765432kB, file-rss:0kB\n";
        assert_eq!(
            read("dmesg.txt", old, K),
            ["victim=uvicorn pid=4411 by=kernel form=killed"]
        );
        let kp =
            "[ 310.1] Out of memory: Kill process 4411 (uvicorn) score 912 or sacrifice child\n";
        assert_eq!(
            read("dmesg.txt", kp, K),
            ["victim=uvicorn pid=4411 by=kernel form=kill"]
        );
    }

    #[test]
    fn reaper_oomd_systemd_earlyoom() {
        let r = "[ 8121.5] oom_reaper: reaped process 2231 (node), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB\n";
        assert_eq!(
            read("dmesg.txt", r, K),
            ["victim=node pid=2231 by=kernel form=reaped"]
        );
        let o = "Sep 21 09:15:58 nas systemd-oomd[581]: Killed /user.slice/user-1000.slice/user@1000.service/app.slice/app-term-1.scope due to memory pressure for /user.slice/user-1000.slice/user@1000.service being 86.80% > 50.00% for > 20s with reclaim activity\n";
        assert_eq!(
            read("journal.log", o, K),
            ["victim=app-term-1.scope cgroup=/user.slice/user-1000.slice/user@1000.service/app.slice/app-term-1.scope by=systemd-oomd form=pressure"]
        );
        let sw = "Sep 21 09:15:58 nas systemd-oomd[581]: Killed /user.slice/app.slice/leaky.service due to swap used (2000000) / total (2097148) being more than 90.00%\n";
        assert_eq!(
            read("journal.log", sw, K),
            ["victim=leaky.service cgroup=/user.slice/app.slice/leaky.service by=systemd-oomd form=swap"]
        );
        let u = "Aug 24 13:02:19 host systemd[1]: mcp-notes.service: A process of this unit has been killed by the OOM killer.\nAug 24 13:02:19 host systemd[1]: mcp-notes.service: Failed with result 'oom-kill'.\n";
        assert_eq!(
            read("journal.log", u, K),
            [
                "by=systemd form=unit victim=mcp-notes.service cgroup=mcp-notes.service",
                "by=systemd form=unit_result victim=mcp-notes.service cgroup=mcp-notes.service"
            ]
        );
        let e = "Mar 03 10:00:00 box earlyoom[402]: sending SIGTERM to process 7731 uid 1000 \"node\": oom_score 812, oom_score_adj 0, VmRSS 9120 MiB, cmdline \"node /srv/index.js\"\n";
        assert_eq!(
            read("syslog", e, K),
            ["victim=node pid=7731 by=earlyoom form=earlyoom"]
        );
    }

    #[test]
    fn lookalikes_are_not_oom_kills() {
        for t in [
            "[ 2838.7] rcu: Unless rcu_sched kthread gets sufficient CPU time, OOM is now expected behavior.\n",
            "FATAL ERROR: Ineffective mark-compacts near heap limit Allocation failed - JavaScript heap out of memory\n",
            "2025-01-01 supervisor: killed process 12 (worker) after timeout\n",
            "pkill: killed process group\n",
        ] {
            assert!(read("app.log", t, K).is_empty(), "{t}");
        }
    }

    #[test]
    fn json_escaped_record() {
        let j = "{\"ts\":\"2025-01-01T00:00:00Z\",\"msg\":\"kernel: Out of memory: Killed process 12 (node) total-vm:1kB\\nnext\"}\n";
        assert_eq!(
            read("app.jsonl", j, K),
            ["victim=node pid=12 by=kernel form=killed"]
        );
    }

    #[test]
    fn kernel_panics() {
        let k = Kind::KernelPanic;
        let d = "[   33.912406] Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000007\n";
        assert_eq!(
            read("dmesg.txt", d, k),
            ["reason=Attempted to kill init! exitcode=0x00000007 kind=init_killed exitcode=0x00000007 term_signal=SIGBUS"]
        );
        let j = "Jan 12 09:14:02 DESKTOP-X kernel: Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000100\n";
        assert_eq!(
            read("kernel.log", j, k),
            ["reason=Attempted to kill init! exitcode=0x00000100 kind=init_killed exitcode=0x00000100 status=1"]
        );
        let o = "[  12.0] Kernel panic - not syncing: Out of memory and no killable processes...\n";
        assert_eq!(
            read("dmesg.txt", o, k),
            ["reason=Out of memory and no killable processes... kind=oom"]
        );
        let v = "[  12.0] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)\n";
        assert_eq!(
            read("dmesg.txt", v, k),
            ["reason=VFS: Unable to mount root fs on unknown-block(0,0) kind=other"]
        );
    }
}
