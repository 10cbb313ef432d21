//! Helpers the command-line tests share: run the built `logscan` and read its
//! output, the engine with the built-in rules, the corpus, scratch folders, and
//! the data in `../shared/data` beside the checkout (never committed). Each test
//! crate uses some of them.
//!
//! A test reads shared data only through [`shared_data`] and [`shared_files`]:
//! with `CI=true` missing data fails the test with a message naming the path;
//! elsewhere the test prints that it skipped. These helpers never reach a
//! machine path outside the checkout, its sibling `shared/` and cargo's
//! temporary folders.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use logscan_engine::Engine;

#[path = "../../../engine/tests/it/common/shared_data.rs"]
mod shared_data;
pub use shared_data::*;

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
    let mut cases: Vec<PathBuf> = std::fs::read_dir(root().join("corpus"))
        .expect("corpus/ exists")
        .flatten()
        .map(|entry| entry.path())
        .filter(|case| case.join("expected.yaml").is_file() && case.join("bundle").is_dir())
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "corpus/ holds cases");
    cases
}

/// Every file below `dir`, recursively, in sorted path order (panics if `dir` cannot be read).
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("{}: {error}", dir.display()))
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

/// The engine with the built-in rules.
pub fn builtin_engine() -> Engine {
    Engine::builder()
        .builtin_rules()
        .build()
        .expect("built-in rules compile")
}

/// Every corpus bundle folder (`corpus/<case>/bundle`), sorted.
pub fn corpus_bundles() -> Vec<PathBuf> {
    let mut bundles: Vec<PathBuf> = std::fs::read_dir(root().join("corpus"))
        .expect("corpus/ exists")
        .flatten()
        .map(|entry| entry.path().join("bundle"))
        .filter(|bundle| bundle.exists())
        .collect();
    bundles.sort();
    assert!(!bundles.is_empty(), "corpus/ holds bundles");
    bundles
}

/// A fresh, empty `<cargo's tmp>/<area>/<name>` for one test (removed first
/// if a previous run left it).
pub fn scratch(area: &str, name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(area).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

/// A committed `.evtx` fixture (`engine/tests/data/evtx/<name>`, made by the
/// `trim.py` beside it).
pub fn evtx_fixture(name: &str) -> PathBuf {
    root().join("engine/tests/data/evtx").join(name)
}
