//! Hostile inputs: redaction (see tests/it/hostile.rs). Logs and client configs
//! holding every kind of secret docs/redaction.md lists, and control
//! sequences that would drive a terminal, run through the built binary:
//! `events` (text and JSON) and `scan` (text and JSON, the diagnosis text
//! included) must never show a secret nor write a raw escape, and
//! `--no-redact` must show the secrets (so the inputs really hold them).

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{logscan_in, stderr, stdout};

fn scratch(name: &str) -> PathBuf {
    crate::common::scratch("hostile/redaction", name)
}

/// Each kind of secret, as a log writes it, with the part that must never be shown.
const SECRETS: &[(&str, &str)] = &[
    (
        "anthropic key sk-ant-api03-Abcdefghijklmnop_QRStuvwx0123",
        "Abcdefghijklmnop_QRStuvwx0123",
    ),
    (
        "openai key sk-proj-Ab3dEfGhIjKlMnOpQrStUvWxYz012345",
        "Ab3dEfGhIjKlMnOpQrStUvWxYz012345",
    ),
    (
        "openai key sk-Zy9xWv8uTs7rQp6oNm5lKj4iHg3fEd2c",
        "Zy9xWv8uTs7rQp6oNm5lKj4iHg3fEd2c",
    ),
    (
        "github ghp_0123456789abcdefghijABCDEFGHIJklmnop",
        "0123456789abcdefghijABCDEFGHIJklmnop",
    ),
    (
        "github gho_9876543210abcdefghijABCDEFGHIJklmnop",
        "9876543210abcdefghijABCDEFGHIJklmnop",
    ),
    (
        "github ghs_1111111111abcdefghijABCDEFGHIJklmnop",
        "1111111111abcdefghijABCDEFGHIJklmnop",
    ),
    (
        "github github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz",
        "11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz",
    ),
    (
        "aws id AKIAIOSFODNN7EXAMPLE secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "IOSFODNN7EXAMPLE",
    ),
    (
        "aws id AKIAIOSFODNN7EXAMPLE secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    ),
    (
        "aws_secret_access_key=je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
        "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
    ),
    (
        "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
        "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    ),
    (
        "Authorization: Bearer abc123DEF456ghi789xyz",
        "abc123DEF456ghi789xyz",
    ),
    (
        "Authorization: Basic dXNlcjpwYXNzd29yZA==",
        "dXNlcjpwYXNzd29yZA",
    ),
    (
        "db https://bob:hunter22pw@db.example.com/x",
        "hunter22pw",
    ),
    ("login password: correcthorse", "correcthorse"),
    ("config secret: batterystaple", "batterystaple"),
    ("request token=tok9876abcdef", "tok9876abcdef"),
    (
        r#"body {"api_key": "plainapikeyvalue"}"#,
        "plainapikeyvalue",
    ),
    (
        r#"launch {"command":"npx","env":{"SERVICE_NAME_VALUE":"envplainvalue"}}"#,
        "envplainvalue",
    ),
];

/// A Claude Desktop main log: one error line per secret.
fn secrets_log() -> String {
    let mut log = String::from("2025-04-22T07:00:00.100Z [info] [fetch] Initializing server...\n");
    for (i, (line, _)) in SECRETS.iter().enumerate() {
        log.push_str(&format!(
            "2025-04-22T07:00:{:02}.000Z [error] [fetch] request failed: {line}\n",
            i + 1
        ));
    }
    log
}

fn run(dir: &Path, args: &[&str]) -> String {
    let o = logscan_in(dir, args);
    assert!(
        o.status.code().is_some_and(|c| c <= 1),
        "logscan {args:?}: {:?}\n{}",
        o.status,
        stderr(&o)
    );
    stdout(&o)
}

/// No secret of [`SECRETS`] is in `out`, and the mark is.
fn assert_redacted(what: &str, out: &str) {
    for (line, secret) in SECRETS {
        assert!(
            !out.contains(secret),
            "{what} shows the secret {secret:?} of {line:?}:\n{out}"
        );
    }
    assert!(out.contains("[REDACTED]"), "{what} has no mark:\n{out}");
}

#[test]
fn events_never_show_a_secret_in_text_or_json() {
    let dir = scratch("events");
    fs::write(dir.join("mcp.log"), secrets_log()).unwrap();
    let text = run(&dir, &["events", "mcp.log"]);
    assert_redacted("events", &text);
    let json = run(&dir, &["events", "--format", "json", "mcp.log"]);
    assert_redacted("events --format json", &json);
    // Every secret line is one event, each holding the mark.
    let marked = json
        .lines()
        .filter(|l| l.contains("request failed") && l.contains("[REDACTED]"))
        .count();
    assert_eq!(marked, SECRETS.len(), "{json}");
    // The secrets are there: --no-redact shows every one.
    for args in [
        &["events", "--no-redact", "mcp.log"][..],
        &["events", "--no-redact", "--format", "json", "mcp.log"][..],
    ] {
        let raw = run(&dir, args);
        for (_, secret) in SECRETS {
            assert!(raw.contains(secret), "{args:?} hides {secret:?}:\n{raw}");
        }
        assert!(!raw.contains("[REDACTED]"), "{args:?}:\n{raw}");
    }
}

#[test]
fn scan_never_shows_a_secret_in_text_or_json() {
    let dir = scratch("scan");
    fs::write(dir.join("mcp.log"), secrets_log()).unwrap();
    let text = run(&dir, &["scan", "mcp.log"]);
    assert_redacted("scan", &text);
    let json = run(&dir, &["scan", "--format", "json", "--explain", "mcp.log"]);
    assert_redacted("scan --format json --explain", &json);
    let text = run(&dir, &["scan", "--explain", "mcp.log"]);
    assert_redacted("scan --explain", &text);
    // Every secret line is shown (as an unexplained error): --no-redact shows them all.
    let raw = run(&dir, &["scan", "--no-redact", "mcp.log"]);
    for (_, secret) in SECRETS {
        assert!(
            raw.contains(secret),
            "scan --no-redact hides {secret:?}:\n{raw}"
        );
    }
}

/// `args-in-command` fills its summary, explanation and fix with `{cmd} {args}`,
/// the command line of the failed spawn: a token and a URL password in it.
#[test]
fn diagnosis_placeholders_filled_from_a_record_are_redacted() {
    let dir = scratch("placeholders");
    let log = "2025-04-22T07:00:00.100Z [info] [fetch] Initializing server...\n\
        2025-04-22T07:00:00.121Z [error] [fetch] spawn uvx mcp-server-fetch --token ghp_0123456789abcdefghijABCDEFGHIJklmnop --db https://bob:hunter22pw@db.example.com/x ENOENT\n\
        2025-04-22T07:00:00.125Z [error] [fetch] Server disconnected.\n";
    fs::write(dir.join("mcp.log"), log).unwrap();
    let json = run(&dir, &["scan", "--format", "json", "mcp.log"]);
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    let finding = &report["causes"][0]["findings"][0];
    assert_eq!(finding["rule"], "args-in-command.spawn-with-args", "{json}");
    assert_eq!(
        finding["summary"],
        "\"command\" holds a whole command line: `uvx mcp-server-fetch --token [REDACTED] --db https://bob:[REDACTED]@db.example.com/x`"
    );
    for field in ["explanation", "fix"] {
        let t = finding[field].as_str().unwrap();
        assert!(
            t.contains("--token [REDACTED] --db https://bob:[REDACTED]@db.example.com/x"),
            "{field}: {t}"
        );
    }
    for secret in ["0123456789abcdefghijABCDEFGHIJklmnop", "hunter22pw"] {
        assert!(!json.contains(secret), "{json}");
        let text = run(&dir, &["scan", "mcp.log"]);
        assert!(!text.contains(secret), "{text}");
        assert!(text.contains("--token [REDACTED]"), "{text}");
        let raw = run(
            &dir,
            &["scan", "--no-redact", "--format", "json", "mcp.log"],
        );
        let raw: serde_json::Value = serde_json::from_str(&raw).unwrap();
        let summary = raw["causes"][0]["findings"][0]["summary"].as_str().unwrap();
        assert!(summary.contains(secret), "--no-redact: {summary}");
    }
}

/// A client config's `env` block: every value is masked, the names stay, in
/// the evidence `scan` shows (corpus case 23 with values that look like nothing).
#[test]
fn config_env_values_are_masked_and_names_kept() {
    let dir = scratch("config-env");
    let bundle = crate::common::root().join("corpus/23-config-scope/bundle");
    for f in [
        "claude-debug.txt",
        "claude-mcp-get.txt",
        "home/.claude.json",
    ] {
        let to = dir.join(f);
        fs::create_dir_all(to.parent().unwrap()).unwrap();
        fs::copy(bundle.join(f), to).unwrap();
    }
    let mcp = fs::read_to_string(bundle.join("shop/.mcp.json")).unwrap();
    let old = r#""env": {"TRACKER_TOKEN": "${TRACKER_TOKEN}"}"#;
    assert!(mcp.contains(old), "the corpus case changed: {mcp}");
    let mcp = mcp.replace(
        old,
        r#""env": {"TRACKER_TOKEN": "plaintrackervalue", "DB_URL": "postgres://app:dbpw99@localhost/x"}"#,
    );
    fs::create_dir_all(dir.join("shop")).unwrap();
    fs::write(dir.join("shop/.mcp.json"), mcp).unwrap();
    for args in [&["scan", "."][..], &["scan", "--format", "json", "."][..]] {
        let out = run(&dir, args);
        assert!(
            out.contains(r#"{\"TRACKER_TOKEN\": \"[REDACTED]\", \"DB_URL\": \"[REDACTED]\"}"#)
                || out.contains(r#"{"TRACKER_TOKEN": "[REDACTED]", "DB_URL": "[REDACTED]"}"#),
            "{args:?} does not show the masked env block:\n{out}"
        );
        for secret in ["plaintrackervalue", "dbpw99"] {
            assert!(!out.contains(secret), "{args:?} shows {secret}:\n{out}");
        }
    }
    let raw = run(&dir, &["scan", "--no-redact", "."]);
    assert!(raw.contains("plaintrackervalue"), "{raw}");
}

/// What must come out as it went in: a .NET public key token, ids, versions.
#[test]
fn ordinary_values_are_not_masked() {
    let dir = scratch("ordinary");
    let lines = [
        "Could not load file or assembly 'System.Text.Json, Version=8.0.0.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51'",
        "request 3f2b8c1e-9d4a-4b7e-8f00-1a2b3c4d5e6f failed after 30000 ms (trace 0123456789abcdef0123456789abcdef)",
        r#"Message from server: {"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":1,"progress":5}}"#,
    ];
    let log: String = lines
        .iter()
        .enumerate()
        .map(|(i, l)| format!("2025-04-22T07:00:0{i}.000Z [error] [fetch] {l}\n"))
        .collect();
    fs::write(dir.join("mcp.log"), log).unwrap();
    let text = run(&dir, &["events", "mcp.log"]);
    let json = run(&dir, &["events", "--format", "json", "mcp.log"]);
    for l in lines {
        assert!(text.contains(l), "events changed {l:?}:\n{text}");
    }
    assert!(
        !text.contains("[REDACTED]") && !json.contains("[REDACTED]"),
        "{text}\n{json}"
    );
}

/// Control sequences a log could use to drive the terminal.
const ESCAPES: &str =
    "title \u{1b}]0;pwned\u{7} clear \u{1b}[2J\u{1b}[31m red \u{9b}1m back\u{8}\u{8} end";

/// No raw control character but tab and newline in `out`.
fn assert_no_raw_controls(what: &str, out: &str) {
    let bad: Vec<char> = out
        .chars()
        .filter(|c| c.is_control() && *c != '\n' && *c != '\t')
        .collect();
    assert!(bad.is_empty(), "{what} writes raw {bad:?}:\n{out:?}");
}

#[test]
fn terminal_escapes_from_a_log_never_reach_stdout_raw() {
    let dir = scratch("escapes");
    let log = format!(
        "2025-04-22T07:00:00.100Z [info] [fetch] Initializing server...\n\
         2025-04-22T07:00:00.121Z [error] [fetch] spawn npx ENOENT {ESCAPES}\n\
         2025-04-22T07:00:00.200Z [error] [fetch] failed: {ESCAPES}\n\
         2025-04-22T07:00:00.300Z [error] [fetch] Server disconnected.\n"
    );
    // A file name too: an archive member or a path can carry them.
    fs::write(dir.join("mcp.log"), log).unwrap();
    let text = run(&dir, &["events", "mcp.log"]);
    assert_no_raw_controls("events", &text);
    assert!(
        text.contains(
            r"title \u{1b}]0;pwned\u{7} clear \u{1b}[2J\u{1b}[31m red \u{9b}1m back\u{8}\u{8} end"
        ),
        "events does not show the escapes visibly:\n{text}"
    );
    // Colour on, as on a terminal: the printer's own styles only.
    let own_styles = regex::Regex::new(r"\x1b\[[0-9;]*m").unwrap();
    for args in [
        &["scan", "mcp.log"][..],
        &["--color", "always", "scan", "--explain", "mcp.log"][..],
    ] {
        let out = run(&dir, args);
        let unstyled = own_styles.replace_all(&out, "");
        assert_no_raw_controls(&format!("{args:?}"), &unstyled);
        assert!(
            unstyled.contains(r"\u{1b}]0;pwned\u{7}"),
            "{args:?} does not show the escapes visibly:\n{unstyled}"
        );
        assert!(
            !out.contains("\u{1b}]0;") && !out.contains("\u{1b}[2J"),
            "{out:?}"
        );
    }
    // JSON escapes them itself.
    for args in [
        &["events", "--format", "json", "mcp.log"][..],
        &["scan", "--format", "json", "mcp.log"][..],
    ] {
        let out = run(&dir, args);
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{7}'),
            "{args:?}: {out:?}"
        );
        assert!(out.contains(r"\u001b]0;pwned\u0007"), "{args:?}: {out}");
    }
}

#[test]
fn error_messages_on_stderr_show_control_characters_and_hide_secrets() {
    let dir = scratch("stderr-escapes");
    // A path that does not exist, named to drive a terminal and holding a key.
    let name = "no\u{1b}]0;pwned\u{7}such-sk-ant-api03-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.log";
    let o = logscan_in(&dir, &["scan", name]);
    let err = stderr(&o);
    assert!(err.contains("logscan: error:"), "{err}");
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
    assert!(err.contains("\\u{1b}]0;pwned\\u{7}"), "{err}");
    assert!(!err.contains("AAAAAAAAAAAAAAAAAAAA"), "{err}");
}
