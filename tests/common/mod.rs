//! Helpers the command-line tests share: run the built `logscan` and read its output.
//! Each test crate uses some of them.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace root (where `corpus/` and `rules/` are).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `logscan args` in `cwd`, without colour.
pub fn logscan_in(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_logscan"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("logscan runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs `logscan args` in the workspace root, without colour.
pub fn logscan(args: &[&str]) -> Output {
    logscan_in(&root(), args)
}

/// Removes what changes from run to run (elapsed time) or with every new
/// built-in rule (the rule count).
pub fn stable(text: &str) -> String {
    let ms = regex::Regex::new(r#"in \d+ ms|"elapsed_ms": \d+"#).unwrap();
    let rules = regex::Regex::new(r#"with \d+ rules|"rules": \d+"#).unwrap();
    let text = ms.replace_all(text, "<elapsed>");
    rules.replace_all(&text, "<rules>").into_owned()
}

/// The corpus cases (`corpus/<case>/` with `expected.yaml` and `bundle/`), sorted.
pub fn corpus_cases() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("corpus"))
        .expect("corpus/ exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("expected.yaml").is_file() && p.join("bundle").is_dir())
        .collect();
    v.sort();
    v
}

/// Every file below `dir`, recursively, in sorted path order (panics if `dir` cannot be read).
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    let mut out = Vec::new();
    for p in entries {
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}
