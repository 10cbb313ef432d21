//! The command-line conventions people expect from ripgrep-like tools, run as
//! a user runs them: `--threads 0`, the forms of `--tz`, carets by display
//! width, `-o/--output`, `-q`, `--since/--until`, `--rule/--exclude-rule`,
//! `completions` and `man`. Exact output, exit codes and error messages.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{logscan, logscan_in, root, stable, stderr, stdout};

const NPX: &str = "corpus/01-windows-npx-shim-claude-code-debug/bundle";
const VSCODE: &str = "corpus/09-command-not-found-vscode-fnm-npx/bundle/vscode-mcp-output.log";

/// A fresh empty folder for one test (removed first if a previous run left it).
fn scratch(name: &str) -> PathBuf {
    common::scratch("cli-conventions", name)
}

/// A Claude Code debug log whose ENOENT line has `before` ahead of the match.
fn npx_log(dir: &Path, before: &str) {
    let text = format!(
        "2025-09-03T07:58:41.002Z [DEBUG] Claude Code 1.0.102 starting (win32, node v22.17.0)\n\
         2025-09-03T07:58:41.305Z [DEBUG] MCP server \"docs\": Starting connection with timeout of 30000ms\n\
         2025-09-03T07:58:41.341Z [ERROR] MCP server \"docs\" Connection failed:{before}spawn npx ENOENT\n"
    );
    std::fs::write(dir.join("claude-debug.txt"), text).expect("write log");
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).expect("valid JSON")
}

/// The cause ids of a JSON report.
fn causes(o: &Output) -> Vec<String> {
    json(o)["causes"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|c| c["cause"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

// --- --threads ------------------------------------------------------------

#[test]
fn threads_zero_means_one_per_core_and_gives_the_same_report() {
    let run = |t: &str| logscan(&["scan", "--format", "json", "--threads", t, NPX]);
    let (zero, one) = (run("0"), run("1"));
    assert_eq!(zero.status.code(), Some(0), "{}", stderr(&zero));
    assert_eq!(stable(&stdout(&zero)), stable(&stdout(&one)));
}

#[test]
fn threads_that_are_not_a_number_are_refused_clearly() {
    let o = logscan(&["scan", "--threads", "many", NPX]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with(
            "error: invalid value 'many' for '--threads <N>': expected a whole number of threads (0 for one per core)"
        ),
        "{}",
        stderr(&o)
    );
}

// --- --tz -------------------------------------------------------------------

/// The first event's UTC timestamp of the VS Code log (written `2025-12-02 19:07:12.330`, no offset).
fn first_ts(envs: &[(&str, &str)], tz: &str) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_logscan"))
        .args(["events", "--format", "json", "--tz", tz, VSCODE])
        .current_dir(root())
        .envs(envs.iter().copied())
        .output()
        .expect("logscan runs");
    assert_eq!(o.status.code(), Some(0), "--tz {tz}: {}", stderr(&o));
    let first = stdout(&o).lines().next().unwrap_or_default().to_string();
    let v: serde_json::Value = serde_json::from_str(&first).expect("a JSON line");
    v["ts"].as_str().unwrap_or_default().to_string()
}

#[test]
fn tz_reads_offsets_names_and_the_system_zone() {
    assert_eq!(first_ts(&[], "+02:00"), "2025-12-02T17:07:12.330Z");
    assert_eq!(first_ts(&[], "-0530"), "2025-12-03T00:37:12.330Z");
    assert_eq!(first_ts(&[], "+05"), "2025-12-02T14:07:12.330Z");
    assert_eq!(first_ts(&[], "Z"), "2025-12-02T19:07:12.330Z");
    assert_eq!(first_ts(&[], "Asia/Tokyo"), "2025-12-02T10:07:12.330Z");
    assert_eq!(
        first_ts(&[("TZ", "Asia/Tokyo")], "local"),
        "2025-12-02T10:07:12.330Z"
    );
    // The same for scan: the report's evidence times move with the zone.
    let o = logscan(&["scan", "--format", "json", "--tz=-05:00", VSCODE]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let ev = &json(&o)["causes"][0]["findings"][0]["evidence"][0];
    assert!(
        ev["ts"]
            .as_str()
            .is_some_and(|t| t.starts_with("2025-12-03T00:")),
        "{ev}"
    );
}

#[test]
fn tz_names_the_accepted_forms_when_it_cannot_read_the_zone() {
    let o = logscan(&["scan", "--tz", "Mars/Olympus", NPX]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "logscan: error: --tz Mars/Olympus: unknown time zone; use `local` (the system zone), a UTC offset such as `+02:00`, `-0530` or `Z`, or an IANA name such as `Europe/Berlin`\n"
    );
    let o = logscan(&["events", "--tz", "+2:0", VSCODE]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with(
            "logscan: error: --tz +2:0: an offset is written +HH, +HH:MM or +HHMM; use `local`"
        ),
        "{}",
        stderr(&o)
    );
}

// --- carets by display width --------------------------------------------------

/// The text report of the ENOENT log with `before` ahead of the match, up to the `= why:` line.
fn carets(name: &str, before: &str) -> String {
    let dir = scratch(name);
    npx_log(&dir, before);
    let o = logscan_in(&dir, &["scan", "--color", "never", "claude-debug.txt"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let _ = std::fs::remove_dir_all(&dir);
    stdout(&o)
        .lines()
        .take_while(|l| !l.contains("= why:"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn carets_stand_under_the_match_after_a_tab() {
    insta::assert_snapshot!("carets_after_tab", carets("tab", "\t"));
}

#[test]
fn carets_stand_under_the_match_after_wide_characters() {
    insta::assert_snapshot!("carets_after_cjk", carets("cjk", " 服务器启动失败: "));
}

// --- -o / --output --------------------------------------------------------------

#[test]
fn output_goes_to_the_file_in_every_format_and_never_in_colour() {
    let dir = scratch("output");
    for (format, check) in [
        ("text", "1. likely[windows-npx-shim]"),
        ("json", "\"schema\": \"logscan/report@1\""),
        ("jsonl", "{\"schema\":\"logscan/report@1\""),
        ("html", "<!DOCTYPE html>"),
    ] {
        let file = dir.join(format!("report.{format}"));
        let file_arg = file.to_string_lossy().into_owned();
        let o = logscan(&[
            "scan", "--color", "always", "--format", format, "-o", &file_arg, NPX,
        ]);
        assert_eq!(o.status.code(), Some(0), "{format}: {}", stderr(&o));
        assert_eq!(stdout(&o), "", "{format}: nothing on stdout");
        let written = std::fs::read_to_string(&file).expect("the report file");
        assert!(written.contains(check), "{format}: {written}");
        assert!(!written.contains('\u{1b}'), "{format}: no colour in a file");
    }
    // The text in the file is the text printed to stdout without colour.
    let printed = logscan(&["scan", "--color", "never", NPX]);
    let text = std::fs::read_to_string(dir.join("report.text")).expect("text report");
    assert_eq!(stable(&text), stable(&stdout(&printed)));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn output_of_events_goes_to_the_file() {
    let dir = scratch("events-output");
    let file = dir.join("events.txt");
    let file_arg = file.to_string_lossy().into_owned();
    let o = logscan(&["events", "--output", &file_arg, VSCODE]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "");
    let printed = logscan(&["events", VSCODE]);
    let written = std::fs::read_to_string(&file).expect("events file");
    assert_eq!(written, stdout(&printed));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_output_file_that_cannot_be_created_is_named() {
    let o = logscan(&["scan", "-o", "/nonexistent-logscan-dir/report.txt", NPX]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "logscan: error: /nonexistent-logscan-dir/report.txt: cannot create the output file: its folder does not exist\n"
    );
    let o = logscan(&["events", "-o", "/nonexistent-logscan-dir/e.txt", VSCODE]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "logscan: error: /nonexistent-logscan-dir/e.txt: cannot create the output file: its folder does not exist\n"
    );
}

// --- -q / --quiet ----------------------------------------------------------------

#[test]
fn quiet_prints_nothing_and_the_exit_code_tells() {
    let o = logscan(&["scan", "-q", "--fail-on", "likely", NPX]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!((stdout(&o), stderr(&o)), (String::new(), String::new()));
    let o = logscan(&["scan", "--quiet", "--fail-on", "possible", VSCODE]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let o = logscan(&[
        "scan",
        "-q",
        "corpus/12-clean-claude-desktop-session/bundle",
    ]);
    assert_eq!((o.status.code(), stdout(&o)), (Some(0), String::new()));
    // Errors still reach stderr.
    let o = logscan(&["scan", "-q", "no-such-file.log"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stdout(&o), "");
    assert!(stderr(&o).contains("no-such-file.log"), "{}", stderr(&o));
}

// --- --since / --until -------------------------------------------------------------

#[test]
fn since_and_until_skip_records_outside_the_window() {
    let run = |extra: &[&str]| {
        let mut args = vec!["scan", "--format", "json"];
        args.extend_from_slice(extra);
        args.push(NPX);
        let o = logscan(&args);
        assert_eq!(o.status.code(), Some(0), "{extra:?}: {}", stderr(&o));
        causes(&o)
    };
    let all = run(&[]);
    assert_eq!(all.first().map(String::as_str), Some("windows-npx-shim"));
    // The log runs from 07:58:41Z.
    assert_eq!(run(&["--since", "2025-09-03 07:58"]), all);
    assert_eq!(run(&["--until", "2025-09-03T08:00:00Z"]), all);
    assert!(run(&["--since", "2025-09-03T07:59:00Z"]).is_empty());
    assert!(run(&["--until", "2025-09-02"]).is_empty());
    // A time without an offset is read in --tz: 09:59 at +02:00 is 07:59Z.
    assert!(run(&["--tz", "+02:00", "--since", "2025-09-03 09:59"]).is_empty());
    assert_eq!(run(&["--tz", "+02:00", "--since", "2025-09-03 09:58"]), all);
}

#[test]
fn untimed_records_are_read_whatever_the_window() {
    // A client config has no timestamps: its findings stay inside any window.
    let case = "corpus/23-config-scope/bundle/shop";
    let plain = logscan(&["scan", "--format", "json", case]);
    let windowed = logscan(&["scan", "--format", "json", "--since", "2099-01-01", case]);
    assert_eq!(windowed.status.code(), Some(0), "{}", stderr(&windowed));
    assert_eq!(causes(&windowed), causes(&plain));
    let inputs = |o: &Output| json(o)["stats"]["records"].clone();
    assert_eq!(inputs(&windowed), inputs(&plain));
}

#[test]
fn a_bad_window_is_refused_in_plain_words() {
    let o = logscan(&["scan", "--since", "last tuesday", NPX]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "logscan: error: --since last tuesday: not a time; write RFC 3339 (2025-06-03T07:23:52Z) or YYYY-MM-DD[ HH:MM[:SS]] (read in --tz, else UTC)\n"
    );
    let o = logscan(&[
        "scan",
        "--since",
        "2025-09-04",
        "--until",
        "2025-09-03",
        NPX,
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "logscan: error: --since is after --until: no record could be matched\n"
    );
}

// --- --rule / --exclude-rule ------------------------------------------------------

#[test]
fn rule_runs_only_the_matching_rules() {
    let o = logscan(&["scan", "--format", "json", "--rule", "wsl-*", NPX]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(causes(&o).is_empty());
    let o = logscan(&[
        "scan",
        "--format",
        "json",
        "--rule",
        "windows-npx-shim.*",
        "--rule",
        "wsl-*",
        NPX,
    ]);
    assert_eq!(causes(&o), vec!["windows-npx-shim".to_string()]);
    let rules = json(&o)["stats"]["rules"].as_u64().unwrap_or(0);
    let listed = stdout(&logscan(&["rules", "list"]));
    let expected = listed
        .lines()
        .filter(|l| l.starts_with("windows-npx-shim.") || l.starts_with("wsl-"))
        .count();
    assert_eq!(rules as usize, expected);
}

#[test]
fn exclude_rule_skips_the_matching_rules() {
    let o = logscan(&[
        "scan",
        "--format",
        "json",
        "--exclude-rule",
        "windows-npx-shim.*",
        NPX,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        !causes(&o).iter().any(|c| c == "windows-npx-shim"),
        "{:?}",
        causes(&o)
    );
    // Only the exact id is skipped without a glob.
    let o = logscan(&[
        "scan",
        "--format",
        "json",
        "--exclude-rule",
        "*.spawn-enoent",
        "--exclude-rule",
        "windows-npx-shim.enoent",
        NPX,
    ]);
    let found = json(&o)["causes"].to_string();
    assert!(
        !found.contains("\"rule\":\"windows-npx-shim.spawn-enoent\""),
        "{found}"
    );
    assert!(
        !found.contains("\"rule\":\"windows-npx-shim.enoent\""),
        "{found}"
    );
}

#[test]
fn a_rule_that_matches_nothing_is_an_error_with_a_suggestion() {
    let o = logscan(&["scan", "--rule", "windows-npx-shim.spawn-enoet", NPX]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "logscan: error: --rule windows-npx-shim.spawn-enoet: no rule has this id (did you mean `windows-npx-shim.spawn-enoent`?)\n"
    );
    let o = logscan(&["scan", "--rule", "nothing-like-this-*", NPX]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "logscan: error: --rule nothing-like-this-*: no rule has this id (`logscan rules list` shows the ids)\n"
    );
}

// --- completions and man -----------------------------------------------------------

#[test]
fn completions_for_every_shell_name_the_subcommands() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let o = logscan(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}: {}", stderr(&o));
        let text = stdout(&o);
        for word in [
            "logscan",
            "scan",
            "events",
            "rules",
            "eval",
            "since",
            "exclude-rule",
        ] {
            assert!(text.contains(word), "{shell} completion lacks {word}");
        }
    }
    let o = logscan(&["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("[possible values: bash, elvish, fish, powershell, zsh]"));
}

#[test]
fn man_prints_a_roff_page_naming_the_subcommands() {
    let o = logscan(&["man"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.starts_with(".ie \\n(.g .ds Aq \\(aq"),
        "{}",
        &text[..80.min(text.len())]
    );
    assert!(text.contains(".TH logscan 1"), "no title line");
    for word in [
        "logscan\\-scan",
        "logscan\\-events",
        "logscan\\-completions",
        "logscan\\-man",
    ] {
        assert!(text.contains(word), "man page lacks {word}");
    }
}

#[test]
fn output_takes_the_batch_lines_of_each_too() {
    let dir = scratch("each-output");
    for b in ["alice", "bob"] {
        std::fs::create_dir_all(dir.join("bundles").join(b)).expect("bundle folder");
        npx_log(&dir.join("bundles").join(b), " ");
    }
    let o = logscan_in(&dir, &["scan", "--each", "bundles", "-o", "batch.jsonl"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "");
    let written = std::fs::read_to_string(dir.join("batch.jsonl")).expect("batch file");
    let lines: Vec<&str> = written.lines().collect();
    assert_eq!(lines.len(), 3, "{written}");
    assert!(
        lines[0].starts_with("{\"bundle\":\"alice\""),
        "{}",
        lines[0]
    );
    assert!(lines[1].starts_with("{\"bundle\":\"bob\""), "{}", lines[1]);
    assert!(lines[2].starts_with("{\"summary\""), "{}", lines[2]);
    let _ = std::fs::remove_dir_all(&dir);
}
