//! What to collect next, with the built-in rules: the report names the file or
//! command that would settle what the bundle could not, and stays quiet when
//! nothing is left to settle.

use crate::common;

use logscan_engine::Report;

fn scan(name: &str, log: &str) -> Report {
    common::builtin_engine().scan_bytes(name, log.as_bytes())
}

/// The rules that asked for something, in report order (`-` for the client-log advice).
fn asked_by(r: &Report) -> Vec<String> {
    r.collect
        .iter()
        .map(|c| c.rule.clone().unwrap_or_else(|| "-".into()))
        .collect()
}

const CONNECTED: &str = "\
2025-07-21T14:02:09.100Z [DEBUG] MCP server \"notes\": Starting connection with timeout of 30000ms
2025-07-21T14:02:09.500Z [DEBUG] MCP server \"notes\": Successfully connected to stdio server in 400ms
";

#[test]
fn a_disconnect_nothing_explains_asks_for_the_sleep_events() {
    let log = format!(
        "{CONNECTED}2025-07-21T16:40:12.000Z [ERROR] MCP server \"notes\" Server disconnected. Transport closed unexpectedly\n"
    );
    let r = scan("claude-debug.txt", &log);
    assert_eq!(r.causes.len(), 1);
    assert_eq!(r.causes[0].cause, "server-disconnected");
    assert_eq!(asked_by(&r), ["host-sleep-resume.power-then-death"]);
    assert!(
        r.collect[0].what.contains("Get-WinEvent -LogName System"),
        "{}",
        r.collect[0].what
    );
    assert_eq!(
        r.collect[0].why,
        "host-sleep-resume.power-then-death: reached `ready`; nothing explains the disconnect, and step `power` would"
    );
}

#[test]
fn a_clean_session_asks_for_nothing() {
    let r = scan("claude-debug.txt", CONNECTED);
    assert!(r.causes.is_empty());
    assert!(r.collect.is_empty(), "{:?}", r.collect);
}

#[test]
fn a_log_that_is_no_client_log_asks_for_the_client_log() {
    let r = scan("notes.txt", "the build finished\nnothing else happened\n");
    assert!(r.causes.is_empty());
    assert_eq!(asked_by(&r), ["-"]);
    assert!(r.collect[0].what.contains("claude --debug"));
}

#[test]
fn a_possible_cause_names_the_evidence_that_would_make_it_likely() {
    // SIGKILL alone is `possible` oom-kill; a kernel OOM record would settle it.
    let log = format!(
        "{CONNECTED}2025-07-21T16:40:12.000Z [ERROR] MCP server \"notes\" Server exited with code 137\n"
    );
    let r = scan("claude-debug.txt", &log);
    assert_eq!(r.causes[0].cause, "oom-kill");
    let finding = &r.causes[0].findings[0];
    assert_eq!(finding.rule, "oom-kill.exit-137");
    assert_eq!(
        finding.collect,
        ["`dmesg` or `journalctl -k` from the distro (look for \"Out of memory: Killed process\")"]
    );
    assert_eq!(asked_by(&r)[0], "oom-kill.exit-137");
}

#[test]
fn a_likely_cause_asks_for_nothing_more() {
    let log = format!(
        "{CONNECTED}2025-07-21T16:40:11.000Z [DEBUG] MCP server \"notes\": Out of memory: Killed process 4242 (node) total-vm:9000kB\n\
         2025-07-21T16:40:12.000Z [ERROR] MCP server \"notes\" Server exited with code 137\n"
    );
    let r = scan("claude-debug.txt", &log);
    assert_eq!(r.causes[0].cause, "oom-kill");
    assert_eq!(r.causes[0].verdict, logscan_engine::rank::Verdict::Likely);
    assert!(r.causes[0].findings.iter().all(|f| f.collect.is_empty()));
}
