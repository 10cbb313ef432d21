//! "What to collect next" and `logscan scan --explain`, as a user sees them:
//! exact text and JSON on partial corpus bundles and on fixtures written here.

use crate::common;

use std::path::PathBuf;
use std::process::Output;

use common::{logscan, stable, stderr, stdout};

/// The config-scope bundle without `claude mcp get` and `~/.claude.json`.
const NO_SCOPE: &[&str] = &[
    "corpus/23-config-scope/bundle/claude-debug.txt",
    "corpus/23-config-scope/bundle/shop",
];

/// The canary bundle without `wsl --version`.
const NO_VERSION: &[&str] = &[
    "corpus/21-wsl-canary-regression/bundle/claude",
    "corpus/21-wsl-canary-regression/bundle/wsl-install.txt",
];

fn scan(flags: &[&str], paths: &[&str]) -> Output {
    let mut args = vec!["scan", "--color", "never"];
    args.extend_from_slice(flags);
    args.extend_from_slice(paths);
    let o = logscan(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    o
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).expect("valid JSON")
}

/// A fresh folder for fixtures written by a test.
fn fixture_dir(name: &str) -> PathBuf {
    common::scratch("explain", name)
}

#[test]
fn explain_text_names_what_each_close_rule_missed() {
    let o = scan(&["--explain"], NO_SCOPE);
    insta::assert_snapshot!("explain_text_config_scope_partial", stable(&stdout(&o)));
}

#[test]
fn explain_json_lists_every_close_rule() {
    let v = json(&scan(&["--explain", "--format", "json"], NO_SCOPE));
    let explain = serde_json::to_string_pretty(&v["explain"]).unwrap();
    insta::assert_snapshot!("explain_json_config_scope_partial", explain);
    let collect = serde_json::to_string(&v["collect"]).unwrap();
    assert_eq!(
        collect,
        r#"[{"what":"`claude mcp list` and `claude mcp get <name>` (their scope lines), or `~/.claude.json`","why":"config-scope.shadowed-entry: reached `project`, but step `scoped` needs an input of kind client-config-claude-json, claude-code-cli","rule":"config-scope.shadowed-entry"}]"#
    );
}

#[test]
fn a_finding_with_an_unknown_fact_prints_its_collect_line() {
    let text = stdout(&scan(&[], NO_VERSION));
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("= collect:"))
        .expect("a collect line");
    assert_eq!(
        lines[at],
        "    = collect: `wsl --version` (its \"Windows version:\" line), `ver` or `winver`"
    );
    let end = lines
        .iter()
        .position(|l| *l == "To settle it, collect:")
        .expect("the collect section");
    assert_eq!(
        lines[end + 1..end + 3],
        [
            "  - `wsl --version` (its \"Windows version:\" line), `ver` or `winver`",
            "    wsl-canary-regression.insider-build: fact `insider-build` is unknown: no input of kind wsl-version, wsl-status",
        ]
    );
    let v = json(&scan(&["--format", "json"], NO_VERSION));
    assert_eq!(
        v["causes"][0]["findings"][0]["collect"],
        serde_json::json!(["`wsl --version` (its \"Windows version:\" line), `ver` or `winver`"])
    );
}

#[test]
fn the_default_json_report_has_no_explain_key_and_is_otherwise_the_same() {
    let bundle = ["corpus/01-windows-npx-shim-claude-code-debug/bundle"];
    let plain = json(&scan(&["--format", "json"], &bundle));
    assert!(plain.get("explain").is_none());
    assert!(plain.get("collect").is_none());
    let mut explained = json(&scan(&["--format", "json", "--explain"], &bundle));
    let why = explained
        .as_object_mut()
        .and_then(|o| o.remove("explain"))
        .expect("explain with --explain");
    assert!(why.as_array().is_some_and(|a| !a.is_empty()));
    let mut plain = plain;
    for v in [&mut plain, &mut explained] {
        v["stats"]["elapsed_ms"] = serde_json::json!(0);
    }
    assert_eq!(plain, explained);
}

#[test]
fn no_cause_and_no_client_log_asks_for_the_client_log() {
    let dir = fixture_dir("no-client");
    std::fs::write(
        dir.join("wsl-version.txt"),
        "WSL version: 2.3.26.0\nKernel version: 5.15.167.4-1\nWSLg version: 1.0.65\n\
         Windows version: 10.0.22631.4460\n",
    )
    .unwrap();
    let path = dir.to_string_lossy().into_owned();
    let v = json(&scan(&["--format", "json"], &[&path]));
    assert_eq!(v["causes"], serde_json::json!([]));
    assert_eq!(
        v["collect"],
        serde_json::json!([{
            "what": "the MCP client's debug log: `claude --debug` (Claude Code), the `mcp*.log` files of Claude Desktop's logs folder, or Output > MCP (VS Code, Cursor)",
            "why": "no cause found and no MCP client log among the inputs"
        }])
    );
    // A clean client log: nothing to ask for.
    let clean = json(&scan(
        &["--format", "json"],
        &["corpus/12-clean-claude-desktop-session/bundle"],
    ));
    assert!(clean.get("collect").is_none());
    let _ = std::fs::remove_dir_all(&dir);
}
