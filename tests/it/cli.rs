//! The `logscan` command as a user runs it: printed output (snapshots),
//! exit codes, error messages, determinism across thread counts.

use crate::common;

use std::path::Path;
use std::process::Command;

use common::{logscan, root, stable, stderr, stdout};

#[test]
fn text_report_of_a_corpus_bundle() {
    let o = logscan(&[
        "scan",
        "--color",
        "never",
        "corpus/01-windows-npx-shim-claude-code-debug/bundle",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    insta::assert_snapshot!("scan_text_windows_npx_shim", stable(&stdout(&o)));
}

#[test]
fn text_report_with_absorbed_symptom_and_multi_line_record() {
    let o = logscan(&[
        "scan",
        "--color",
        "never",
        "corpus/07-server-crash-desktop-python-traceback/bundle",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    insta::assert_snapshot!("scan_text_server_crash", stable(&stdout(&o)));
}

#[test]
fn json_report_follows_the_contract() {
    let o = logscan(&[
        "scan",
        "--format",
        "json",
        "corpus/04-stdout-not-jsonrpc-desktop-banner/bundle",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    assert_eq!(v["schema"], "logscan/report@1");
    for key in ["inputs", "causes", "unexplained", "stats"] {
        assert!(v.get(key).is_some(), "missing top-level {key}");
    }
    let cause = &v["causes"][0];
    assert_eq!(cause["cause"], "stdout-not-jsonrpc");
    assert_eq!(cause["verdict"], "likely");
    let ev = &cause["findings"][0]["evidence"][0];
    for key in ["step", "path", "line", "end_line", "start", "end", "text"] {
        assert!(ev.get(key).is_some(), "evidence lacks {key}");
    }
    insta::assert_snapshot!("scan_json_stdout_not_jsonrpc", stable(&stdout(&o)));
}

#[test]
fn jsonl_is_one_line() {
    let o = logscan(&[
        "scan",
        "--format",
        "jsonl",
        "corpus/12-clean-claude-desktop-session/bundle",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert_eq!(out.lines().count(), 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["causes"].as_array().unwrap().len(), 0);
}

#[test]
fn output_is_identical_for_any_thread_count() {
    let run = |t: &str| {
        let o = logscan(&["scan", "--format", "json", "--threads", t, "corpus"]);
        stable(&stdout(&o))
    };
    assert_eq!(run("1"), run("2"));
}

#[test]
fn a_missing_path_is_named_the_rest_is_scanned_and_the_exit_code_is_2() {
    let o = logscan(&[
        "scan",
        "no/such/file.log",
        "corpus/11-args-in-command-claude-code-debug/bundle",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o).trim(),
        "logscan: error: no/such/file.log: No such file or directory"
    );
    assert!(
        stdout(&o).contains("likely[args-in-command]"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn fail_on_sets_exit_code_1() {
    let bundle = "corpus/11-args-in-command-claude-code-debug/bundle";
    assert_eq!(
        logscan(&["scan", "--fail-on", "likely", bundle])
            .status
            .code(),
        Some(1)
    );
    let clean = "corpus/12-clean-claude-desktop-session/bundle";
    assert_eq!(
        logscan(&["scan", "--fail-on", "possible", clean])
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn empty_and_garbage_inputs_do_not_crash() {
    let dir = common::scratch("cli", "empty-and-garbage");
    let empty = dir.join("empty.log");
    std::fs::write(&empty, b"").unwrap();
    let garbage = dir.join("garbage.log");
    let bytes: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    std::fs::write(&garbage, bytes).unwrap();
    let o = logscan(&["scan", empty.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("No known cause found."));
    let o = logscan(&["scan", garbage.to_str().unwrap()]);
    assert!(
        matches!(o.status.code(), Some(0) | Some(2)),
        "{}",
        stderr(&o)
    );
    if o.status.code() == Some(2) {
        assert!(
            stderr(&o).contains("garbage.log"),
            "the error names the file: {}",
            stderr(&o)
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn stdin_is_read_with_dash() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_logscan"))
        .args(["scan", "--format", "json", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(
            b"[ERROR] MCP server \"ctx\" Connection failed: spawn npx -y @acme/ctx-mcp ENOENT\n",
        )
        .unwrap();
    let o = child.wait_with_output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["inputs"][0]["path"], "-");
    assert_eq!(v["causes"][0]["cause"], "args-in-command");
}

#[test]
fn bad_rules_are_named_with_line_and_column_and_exit_2() {
    let o = logscan(&["rules", "check", "tests/data/cli"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("tests/data/cli/bad-rule.yaml:"), "{err}");
    assert!(
        err.contains(" --> tests/data/cli/unknown-key.yaml:5:1\n"),
        "{err}"
    );
    let o = logscan(&["scan", "--rules", "tests/data/cli", "corpus"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stdout(&o).is_empty(),
        "no report when the rules do not load"
    );
}

#[test]
fn rules_list_explain_and_test() {
    let o = logscan(&["rules", "list"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o)
        .lines()
        .any(|l| l.starts_with("windows-npx-shim.spawn-enoent ")));
    let o = logscan(&["rules", "explain", "windows-npx-shim.spawn-enoent"]);
    assert_eq!(o.status.code(), Some(0));
    insta::assert_snapshot!("rules_explain_windows_npx_shim", stdout(&o));
    let o = logscan(&["rules", "explain", "no-such-rule"]);
    assert_eq!(o.status.code(), Some(2));
    let o = logscan(&["rules", "test", "--format", "junit", "rules"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).starts_with("<?xml"));
}

#[test]
fn events_show_the_stream_as_rules_see_it() {
    let f = Path::new("corpus/10-command-not-found-desktop-mac-env-node/bundle");
    let file = std::fs::read_dir(root().join(f))
        .unwrap()
        .flatten()
        .next()
        .unwrap()
        .path();
    let o = logscan(&["events", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o).replace(&root().display().to_string(), "<root>");
    insta::assert_snapshot!("events_text_desktop_server", text);
    let o = logscan(&["events", "--format", "json", file.to_str().unwrap()]);
    for line in stdout(&o).lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(v["fields"]["msg"].is_string());
        assert!(v["signals"].is_array());
    }
}

/// A made-up dmesg excerpt: an OOM report (the invoker line, then the victim)
/// and an unrelated line.
const OOM_DMESG: &str = "[12345.678901] node invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0\n\
[12345.679000] Out of memory: Killed process 4242 (node) total-vm:9000000kB, anon-rss:7000000kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:20000kB oom_score_adj:0\n\
[12346.000000] usb 1-1: new high-speed USB device number 2 using xhci_hcd\n";

#[test]
fn events_show_each_events_signals_in_text_and_json() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("events-signals");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("dmesg.log");
    std::fs::write(&file, OOM_DMESG).unwrap();
    let o = logscan(&["events", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    let lines: Vec<&str> = text.lines().collect();
    // A header, then each event with its signals indented under it, then the record count.
    assert_eq!(lines.len(), 7, "{text}");
    assert_eq!(lines[6], "# records=3", "{text}");
    assert!(lines[1].starts_with("      1 [0..116] "), "{text}");
    assert!(
        lines[2].starts_with("        signal: oom_kill ") && lines[2].contains(" form=invoked"),
        "{text}"
    );
    assert!(lines[3].starts_with("      2 [117..284] "), "{text}");
    assert!(
        lines[4].starts_with("        signal: oom_kill ")
            && lines[4].contains(" victim=node")
            && lines[4].contains(" pid=4242")
            && lines[4].contains(" form=killed"),
        "{text}"
    );
    assert!(lines[5].starts_with("      3 [285..358] "), "{text}");

    let o = logscan(&["events", "--format", "json", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let events: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(events.len(), 3);
    let s = &events[1]["signals"];
    assert_eq!(s.as_array().map(Vec::len), Some(1), "{s}");
    assert_eq!(s[0]["signal"], "oom_kill");
    assert_eq!(s[0]["fields"]["victim"], "node");
    assert_eq!(s[0]["fields"]["pid"], "4242");
    assert_eq!(s[0]["fields"]["form"], "killed");
    // `start`/`end` are offsets into the file's text, inside the event's span.
    let (start, end) = (
        s[0]["start"].as_u64().unwrap(),
        s[0]["end"].as_u64().unwrap(),
    );
    assert!(
        events[1]["start"].as_u64().unwrap() <= start && end <= events[1]["end"].as_u64().unwrap()
    );
    let read = &OOM_DMESG[start as usize..end as usize];
    assert!(read.contains("Killed process 4242 (node)"), "{read}");
    assert_eq!(events[2]["signals"], serde_json::json!([]));
}
