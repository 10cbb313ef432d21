//! `logscan scan --each DIR` (batch mode) as a user runs it, over a folder of
//! real corpus bundles copied to a temporary folder: folders, a `.zip` and a
//! `.tar.gz`, plus entries that are not bundles. Exact output, name order,
//! exit codes, and the same output for any thread count.

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use common::{root, stderr, stdout};

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// A fresh `<tmp>/<test>/batch` holding five bundles and two non-bundles;
/// returns `<tmp>/<test>` (commands run there and name `batch`).
fn batch(test: &str) -> PathBuf {
    let base = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("each")
        .join(test);
    let _ = fs::remove_dir_all(&base);
    let dir = base.join("batch");
    let corpus = root().join("corpus");
    copy_dir(
        &corpus.join("01-windows-npx-shim-claude-code-debug/bundle"),
        &dir.join("b-npx-shim"),
    );
    copy_dir(
        &corpus.join("12-clean-claude-desktop-session/bundle"),
        &dir.join("a-clean"),
    );
    copy_dir(
        &corpus.join("07-server-crash-desktop-python-traceback/bundle"),
        &dir.join("c-crash"),
    );
    fs::copy(
        corpus.join("18-wsl-nat-loopback-zip/bundle/bundle.zip"),
        dir.join("d-nat.zip"),
    )
    .unwrap();
    fs::copy(
        corpus.join("17-oom-kill-dmesg-tar/bundle/support-bundle.tar.gz"),
        dir.join("e-oom.tar.gz"),
    )
    .unwrap();
    fs::write(dir.join("readme.txt"), "not a bundle\n").unwrap();
    copy_dir(
        &corpus.join("01-windows-npx-shim-claude-code-debug/bundle"),
        &dir.join(".hidden"),
    );
    base
}

fn logscan(cwd: &Path, args: &[&str]) -> Output {
    common::logscan_in(cwd, args)
}

fn lines(o: &Output) -> Vec<serde_json::Value> {
    stdout(o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect()
}

#[test]
fn text_format_prints_only_the_summary_table() {
    let base = batch("text");
    let o = logscan(&base, &["scan", "--each", "batch", "--format", "text"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "\
cause             bundles   share
oom-kill                1   20.0%
server-crash            1   20.0%
windows-npx-shim        1   20.0%
wsl-nat-loopback        1   20.0%
no cause                1   20.0%
total                   5  100.0%
"
    );
    // What is not a bundle is named, never skipped silently.
    assert_eq!(stderr(&o), SKIPPED_WARNINGS);
}

/// The stderr lines naming the two entries of [`batch`] that are not bundles.
const SKIPPED_WARNINGS: &str = "\
logscan: warning: skipped batch/.hidden: hidden (its name starts with `.`)
logscan: warning: skipped batch/readme.txt: a file that is not an archive (.zip, .tar, .tar.gz, .tgz, .gz)
";

#[test]
fn jsonl_is_the_default_one_line_per_bundle_in_name_order_then_the_summary() {
    let base = batch("jsonl");
    let o = logscan(&base, &["scan", "--each", "batch"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let lines = lines(&o);
    assert_eq!(lines.len(), 6);
    let got: Vec<(String, String, String)> = lines[..5]
        .iter()
        .map(|l| {
            (
                l["bundle"].as_str().unwrap_or("?").to_string(),
                l["report"]["schema"].as_str().unwrap_or("?").to_string(),
                l["report"]["causes"][0]["cause"]
                    .as_str()
                    .unwrap_or("-")
                    .to_string(),
            )
        })
        .collect();
    let want = [
        ("a-clean", "-"),
        ("b-npx-shim", "windows-npx-shim"),
        ("c-crash", "server-crash"),
        ("d-nat.zip", "wsl-nat-loopback"),
        ("e-oom.tar.gz", "oom-kill"),
    ];
    let want: Vec<(String, String, String)> = want
        .iter()
        .map(|(b, c)| (b.to_string(), "logscan/report@1".into(), c.to_string()))
        .collect();
    assert_eq!(got, want);
    assert_eq!(
        lines[1]["report"]["inputs"][0]["path"],
        "batch/b-npx-shim/claude-debug.txt"
    );
    assert_eq!(
        lines[5],
        serde_json::json!({
            "summary": [
                {"cause": "oom-kill", "bundles": 1, "share": 0.2},
                {"cause": "server-crash", "bundles": 1, "share": 0.2},
                {"cause": "windows-npx-shim", "bundles": 1, "share": 0.2},
                {"cause": "wsl-nat-loopback", "bundles": 1, "share": 0.2},
                {"cause": null, "bundles": 1, "share": 0.2}
            ],
            "bundles": 5,
            "skipped": [
                {"name": ".hidden", "reason": "hidden (its name starts with `.`)"},
                {"name": "readme.txt", "reason": "a file that is not an archive (.zip, .tar, .tar.gz, .tgz, .gz)"}
            ]
        })
    );
    assert_eq!(stderr(&o), SKIPPED_WARNINGS);
}

#[test]
fn a_folder_without_skipped_entries_has_an_empty_skipped_list() {
    let base = batch("nothing-skipped");
    fs::remove_file(base.join("batch/readme.txt")).unwrap();
    fs::remove_dir_all(base.join("batch/.hidden")).unwrap();
    let o = logscan(&base, &["scan", "--each", "batch"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
    let lines = lines(&o);
    assert_eq!(lines[5]["skipped"], serde_json::json!([]));
}

#[test]
fn output_is_the_same_for_any_thread_count() {
    let base = batch("threads");
    let elapsed = regex::Regex::new(r#""elapsed_ms":\d+"#).unwrap();
    let run = |n: &str| {
        let o = logscan(&base, &["scan", "--each", "batch", "--threads", n]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        elapsed.replace_all(&stdout(&o), "").into_owned()
    };
    let one = run("1");
    assert_eq!(one.lines().count(), 6);
    assert_eq!(run("2"), one);
    assert_eq!(run("3"), one);
}

#[test]
fn fail_on_applies_to_any_bundle() {
    let base = batch("fail-on");
    let o = logscan(&base, &["scan", "--each", "batch", "--fail-on", "likely"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    // Only the clean bundle left: nothing to fail on.
    let dir = base.join("batch");
    for name in [
        "b-npx-shim",
        "c-crash",
        "d-nat.zip",
        "e-oom.tar.gz",
        ".hidden",
    ] {
        let p = dir.join(name);
        if p.is_dir() {
            fs::remove_dir_all(p).unwrap();
        } else {
            fs::remove_file(p).unwrap();
        }
    }
    let o = logscan(&base, &["scan", "--each", "batch", "--fail-on", "possible"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(lines(&o).len(), 2);
}

#[test]
fn an_unreadable_bundle_is_named_and_the_others_are_still_scanned() {
    let base = batch("unreadable");
    fs::write(
        base.join("batch/f-broken.zip"),
        b"PK\x03\x04 not really a zip",
    )
    .unwrap();
    let o = logscan(&base, &["scan", "--each", "batch"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("f-broken.zip"), "{}", stderr(&o));
    let lines = lines(&o);
    assert_eq!(lines.len(), 7);
    assert_eq!(lines[5]["bundle"], "f-broken.zip");
    assert_eq!(lines[6]["bundles"], 6);
}

#[test]
fn json_format_missing_folder_and_paths_with_each_are_errors() {
    let base = batch("errors");
    let o = logscan(&base, &["scan", "--each", "batch", "--format", "json"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "logscan: error: --each prints one JSON line per bundle: use --format jsonl (the default) or text\n"
    );
    let o = logscan(&base, &["scan", "--each", "nowhere"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with("logscan: error: nowhere: "),
        "{}",
        stderr(&o)
    );
    let o = logscan(&base, &["scan", "--each", "batch", "batch/a-clean"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot be used with"), "{}", stderr(&o));
}

#[test]
fn an_empty_folder_gives_an_empty_summary() {
    let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join("each/empty");
    let _ = fs::remove_dir_all(&base);
    fs::create_dir_all(base.join("batch")).unwrap();
    let o = logscan(&base, &["scan", "--each", "batch", "--format", "text"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "cause     bundles   share\nno cause        0    0.0%\ntotal           0    0.0%\n"
    );
}

#[test]
fn explain_reaches_every_bundle_report() {
    let base = batch("explain");
    let plain = lines(&logscan(&base, &["scan", "--each", "batch"]));
    let o = logscan(&base, &["scan", "--each", "batch", "--explain"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let explained = lines(&o);
    assert_eq!(explained.len(), 6);
    for (p, e) in plain[..5].iter().zip(&explained[..5]) {
        assert!(p["report"].get("explain").is_none(), "{}", p["bundle"]);
        assert!(e["report"]["explain"].is_array(), "{}", e["bundle"]);
        // Explaining changes nothing else.
        assert_eq!(
            p["report"]["causes"], e["report"]["causes"],
            "{}",
            e["bundle"]
        );
    }
    // A rule with a confirmed finding never came close: the crash bundle lists other rules.
    let crash = &explained[2]["report"]["explain"];
    let rules: Vec<&str> = crash
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|w| w["rule"].as_str())
        .collect();
    assert!(
        !rules.iter().any(|r| r.starts_with("server-crash.")),
        "{rules:?}"
    );
    assert!(!rules.is_empty());
}
