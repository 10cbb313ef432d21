//! Hostile inputs: the command line and the rule loader (issue 12). Every
//! printing command ends quietly when its reader goes away (`| head`); rule
//! sets with `explains` cycles or literals past the load limits are refused
//! with an error naming the file; a source's notes are capped; `--each` names
//! what it skips. Inputs are generated under the test's temporary folder.

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};

use crate::common::{logscan_in, root, stderr, stdout};

fn scratch(name: &str) -> PathBuf {
    crate::common::scratch("hostile/rules-cli", name)
}

/// A rule file: `id`, `cause`, `explains`, one step matching any of `values`,
/// `title` and a diagnosis padded with `pad` (to make `list`/`explain` output long).
fn rule_yaml(id: &str, cause: &str, explains: &[&str], values: &[String], pad: &str) -> String {
    let values: Vec<String> = values.iter().map(|v| format!("'{v}'")).collect();
    format!(
        "id: {id}\ncause: {cause}\ntitle: t {pad}\nconfidence: 0.5\nexplains: [{}]\nsteps:\n  - id: s\n    match: {{msg|contains: [{}]}}\ndiagnosis:\n  summary: s {pad}\n  explanation: e {pad}\n  fix: f {pad}\n",
        explains.join(", "),
        values.join(", ")
    )
}

fn write_rule(dir: &Path, file: &str, text: &str) {
    fs::write(dir.join(file), text).expect("rule file written");
}

// ---- a closed pipe -----------------------------------------------------------

/// How a command ended when its stdout was closed early.
struct Closed {
    status: ExitStatus,
    stderr: String,
    /// Whether it printed a first line before the pipe closed.
    first_line: bool,
}

/// Runs `logscan args` in `cwd` with stdout piped; reads its first line
/// (unless `read_first` is false), closes the pipe and waits.
fn close_early(cwd: &Path, args: &[&str], read_first: bool) -> Closed {
    let mut child = Command::new(env!("CARGO_BIN_EXE_logscan"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("logscan starts");
    let out = child.stdout.take().expect("stdout piped");
    let mut first_line = false;
    if read_first {
        // A small buffer: the pipe keeps (almost) everything the child wrote.
        let mut line = String::new();
        let mut r = BufReader::with_capacity(64, out);
        first_line = r.read_line(&mut line).is_ok_and(|n| n > 0);
        drop(r);
    } else {
        drop(out);
    }
    let o = child.wait_with_output().expect("logscan ends");
    Closed {
        status: o.status,
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        first_line,
    }
}

fn assert_quiet(what: &str, c: &Closed) {
    assert!(
        !c.stderr.contains("panicked"),
        "{what}: panicked on a closed pipe:\n{}",
        c.stderr
    );
    assert!(c.status.success(), "{what}: {:?}\n{}", c.status, c.stderr);
}

/// Output longer than a pipe holds (64 KiB), so the command is still writing
/// when the pipe closes: 200 rules of one cause with long titles and diagnoses.
fn long_rule_set(dir: &Path) {
    let pad = "x".repeat(400);
    for i in 0..200 {
        let id = format!("many.r{i:03}");
        write_rule(
            dir,
            &format!("r{i:03}.yaml"),
            &rule_yaml(&id, "many", &[], &["boom".to_string()], &pad),
        );
    }
}

/// 20,000 distinct 3-character literals (60,000 bytes, under the 64 KiB limit;
/// 80,000 bytes printed by `rules literals`), 125 per rule.
fn many_literals(dir: &Path) {
    let digits: Vec<char> = "abcdefghijklmnopqrstuvwxyz0123456789".chars().collect();
    let lit = |n: usize| -> String {
        [n / 1296 % 36, n / 36 % 36, n % 36]
            .iter()
            .map(|&d| digits[d])
            .collect()
    };
    for r in 0..160 {
        let values: Vec<String> = (0..125).map(|k| lit(r * 125 + k)).collect();
        write_rule(
            dir,
            &format!("l{r:03}.yaml"),
            &rule_yaml(&format!("lits.r{r:03}"), "lits", &[], &values, ""),
        );
    }
}

#[test]
fn every_printing_command_ends_quietly_when_the_pipe_closes() {
    let base = scratch("pipe");
    let long = base.join("long");
    let lits = base.join("lits");
    fs::create_dir_all(&long).unwrap();
    fs::create_dir_all(&lits).unwrap();
    long_rule_set(&long);
    many_literals(&lits);
    // A log long enough that `events` and `scan --explain` outrun the pipe.
    let log: String = (0..5_000)
        .map(|i| {
            format!(
                "2025-09-03T10:00:{:02}.{:03}Z [ERROR] MCP server \"s{i}\" Connection failed: spawn npx ENOENT\n",
                i / 1000 % 60,
                i % 1000
            )
        })
        .collect();
    fs::write(base.join("claude-debug.txt"), log).unwrap();
    let each = base.join("each");
    fs::create_dir_all(each.join("a")).unwrap();
    fs::copy(
        base.join("claude-debug.txt"),
        each.join("a/claude-debug.txt"),
    )
    .unwrap();
    let case = root().join("corpus/01-windows-npx-shim-claude-code-debug");
    let case = case.to_str().unwrap();
    let long = long.to_str().unwrap();
    let lits = lits.to_str().unwrap();

    // Read one line, then close: the command is still writing.
    let after_first_line: Vec<(&str, Vec<&str>)> = vec![
        (
            "rules explain",
            vec!["rules", "explain", "many", "--no-builtin", "--rules", long],
        ),
        (
            "rules list",
            vec!["rules", "list", "--no-builtin", "--rules", long],
        ),
        (
            "rules literals",
            vec!["rules", "literals", "--no-builtin", "--rules", lits],
        ),
        ("events", vec!["events", "claude-debug.txt"]),
        (
            "events json",
            vec!["events", "claude-debug.txt", "--format", "json"],
        ),
        (
            "scan json",
            vec!["scan", "claude-debug.txt", "--format", "json", "--explain"],
        ),
    ];
    for (what, args) in &after_first_line {
        let c = close_early(&base, args, true);
        assert!(c.first_line, "{what}: printed nothing\n{}", c.stderr);
        assert_quiet(what, &c);
    }
    // Short outputs: close before the command writes anything (it loads rules first).
    let before_writing: Vec<(&str, Vec<&str>)> = vec![
        ("rules check", vec!["rules", "check", long]),
        (
            "rules explain (builtin)",
            vec!["rules", "explain", "server-disconnected"],
        ),
        ("rules literals (builtin)", vec!["rules", "literals"]),
        ("rules list (builtin)", vec!["rules", "list"]),
        ("scan text", vec!["scan", "claude-debug.txt"]),
        ("scan --each", vec!["scan", "--each", "each"]),
        (
            "scan --each text",
            vec!["scan", "--each", "each", "--format", "text"],
        ),
        ("eval", vec!["eval", case]),
        ("eval json", vec!["eval", case, "--format", "json"]),
    ];
    for (what, args) in &before_writing {
        assert_quiet(what, &close_early(&base, args, false));
    }
}

// ---- explains cycles ---------------------------------------------------------

#[test]
fn explains_cycles_are_refused_at_load_naming_the_rules() {
    let dir = scratch("cycles");
    let boom = ["boom".to_string()];
    write_rule(&dir, "a.yaml", &rule_yaml("a.one", "a", &["b"], &boom, ""));
    write_rule(&dir, "b.yaml", &rule_yaml("b.one", "b", &["a"], &boom, ""));
    write_rule(&dir, "c.yaml", &rule_yaml("c.one", "c", &["c"], &boom, ""));
    write_rule(&dir, "d.yaml", &rule_yaml("d.one", "d", &["a"], &boom, ""));
    let o = logscan_in(&dir, &["rules", "check", "."]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(stdout(&o), "");
    let err = stderr(&o);
    let located: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("error:") || l.starts_with(" --> ") || l.starts_with("logscan:"))
        .collect();
    assert_eq!(
        located,
        [
            "error: `explains` cycle a -> b -> a: rule `a.one` (cause `a`, ./a.yaml:1) explains `b`, rule `b.one` (cause `b`, ./b.yaml:1) explains `a` (a cause cannot absorb a cause that absorbs it; remove one of these `explains`)",
            " --> ./a.yaml:5:12",
            "error: `explains` cycle: rule `c.one` explains its own cause `c` (a cause cannot absorb itself; remove `c` from `explains`)",
            " --> ./c.yaml:5:12",
            "logscan: error: rules failed to load: 2 errors in 2 files",
        ],
        "{err}"
    );
    // Without the back edge the same rules load.
    write_rule(&dir, "b.yaml", &rule_yaml("b.one", "b", &[], &boom, ""));
    write_rule(&dir, "c.yaml", &rule_yaml("c.one", "c", &[], &boom, ""));
    let o = logscan_in(&dir, &["rules", "check", "."]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "4 rules OK\n");
}

// ---- literal and file limits ---------------------------------------------------

#[test]
fn a_200_kb_literal_is_refused_at_load_with_its_place_and_the_limit() {
    let dir = scratch("long-literal");
    let rules = dir.join("rules");
    fs::create_dir_all(&rules).unwrap();
    // Not one repeated letter, so nothing could shortcut the automaton.
    let literal: String = (0..200 * 1024)
        .map(|i| char::from(b'a' + (i * 7919 % 26) as u8))
        .collect();
    write_rule(
        &rules,
        "big.yaml",
        &rule_yaml("big.one", "big", &[], &[literal], ""),
    );
    fs::write(dir.join("a.log"), "boom\n").unwrap();
    for args in [
        vec!["rules", "check", "rules"],
        vec!["scan", "--rules", "rules", "a.log"],
    ] {
        let o = logscan_in(&dir, &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(
            err.contains("error: the value of `msg|contains` is 204800 bytes, over the limit of 4 KiB for one matcher value (docs/rules.md, \"Limits\")\n --> rules/big.yaml:8:28\n"),
            "{args:?}: {}",
            &err[..err.len().min(600)]
        );
        // The snippet is cut: the error is not 200 KB long.
        assert!(err.len() < 2_000, "{args:?}: {} bytes of stderr", err.len());
    }
}

#[test]
fn a_rule_file_past_the_size_limit_is_refused_unread() {
    let dir = scratch("big-file");
    let mut text = rule_yaml("big.one", "big", &[], &["boom".to_string()], "");
    text.push_str(&"# padding\n".repeat(30_000));
    write_rule(&dir, "big.yaml", &text);
    let o = logscan_in(&dir, &["rules", "check", "."]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "error: ./big.yaml: rule file is larger than the limit of 256 KiB (docs/rules.md, \"Limits\")\n\n\
         logscan: error: rules failed to load: 1 error in 1 file\n"
    );
}

#[test]
fn a_rule_set_past_the_literal_limit_is_refused_at_the_file_that_crosses_it() {
    let dir = scratch("literal-total");
    // 17 rules of four distinct 1,000-byte literals: 68,000 bytes, over 64 KiB at the 17th.
    for r in 0..17 {
        let values: Vec<String> = (0..4)
            .map(|k| format!("{r:02}{k}{}", "q".repeat(997)))
            .collect();
        write_rule(
            &dir,
            &format!("r{r:02}.yaml"),
            &rule_yaml(&format!("many.r{r:02}"), "many", &[], &values, ""),
        );
    }
    let o = logscan_in(&dir, &["rules", "check", "."]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "error: ./r16.yaml: with this file the rule set's literals (the distinct texts the prefilter looks for) reach 68000 bytes, over the limit of 64 KiB (docs/rules.md, \"Limits\")\n\n\
         logscan: error: rules failed to load: 1 error in 1 file\n"
    );
    fs::remove_file(dir.join("r16.yaml")).unwrap();
    let o = logscan_in(&dir, &["rules", "check", "."]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

// ---- notes per source -----------------------------------------------------------

/// The notes the JSON report gives the one input of a scan of `file` in `dir`.
fn notes_of(dir: &Path, file: &str) -> Vec<String> {
    let o = logscan_in(dir, &["scan", file, "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let r: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("a JSON report");
    let input = &r["inputs"][0];
    assert_eq!(input["path"], file);
    input["notes"]
        .as_array()
        .expect("notes listed")
        .iter()
        .map(|n| n.as_str().expect("a note is a string").to_string())
        .collect()
}

/// The most notes kept per source (`parse::MAX_NOTES`).
const MAX_NOTES: usize = 50;

#[test]
fn a_wslconfig_of_100000_sections_gives_capped_notes() {
    let dir = scratch("wslconfig");
    // A different unknown key in each section: 100,000 distinct notes.
    let distinct: String = (0..100_000)
        .map(|i| format!("[s{i}]\nkey{i}=1\n"))
        .collect();
    fs::create_dir_all(dir.join("a")).unwrap();
    fs::write(dir.join("a/.wslconfig"), distinct).unwrap();
    let notes = notes_of(&dir, "a/.wslconfig");
    assert_eq!(notes.len(), MAX_NOTES + 1, "{:?}", &notes[..3]);
    assert_eq!(
        notes[0],
        "line 2: a/.wslconfig:2: `key0` in [s0] is not a key WSL knows"
    );
    assert_eq!(notes[MAX_NOTES], "99950 more notes not shown");

    // The same misplaced key in every section: one note that counts the rest.
    let same: String = (0..100_000)
        .map(|i| format!("[s{i}]\nmemory=4GB\n"))
        .collect();
    fs::create_dir_all(dir.join("b")).unwrap();
    fs::write(dir.join("b/.wslconfig"), same).unwrap();
    assert_eq!(
        notes_of(&dir, "b/.wslconfig"),
        ["line 2: b/.wslconfig:2: `memory` in [s0] is read by WSL only in .wslconfig [wsl2]; 99999 more `memory` lines have the same problem (lines 4, 6, 8, 10, 12, ...)"]
    );
}

// ---- --each names what it skips ---------------------------------------------------

#[test]
fn each_names_every_entry_it_skips() {
    let dir = scratch("each");
    let batch = dir.join("batch");
    fs::create_dir_all(batch.join("bundle")).unwrap();
    fs::write(batch.join("bundle/mcp.log"), "hello\n").unwrap();
    fs::write(
        batch.join("loose.log"),
        "2025-09-03 ERROR spawn npx ENOENT\n",
    )
    .unwrap();
    let o = logscan_in(&dir, &["scan", "--each", "batch"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        "logscan: warning: skipped batch/loose.log: a file that is not an archive (.zip, .tar, .tar.gz, .tgz, .gz)\n"
    );
    let last: serde_json::Value =
        serde_json::from_str(stdout(&o).lines().last().expect("a summary line")).unwrap();
    assert_eq!(last["bundles"], 1);
    assert_eq!(
        last["skipped"],
        serde_json::json!([{"name": "loose.log", "reason": "a file that is not an archive (.zip, .tar, .tar.gz, .tgz, .gz)"}])
    );
}
