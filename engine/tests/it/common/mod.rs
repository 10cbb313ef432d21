//! Helpers every kind of engine integration test shares: the workspace folders
//! (`corpus/`, `rules/`, `schema/`), the engine with the built-in rules, and
//! the data in `../shared/data` beside the checkout, which is never committed.
//!
//! A test that reads shared data gets it only through [`shared_data`] and
//! [`shared_files`]: with `CI=true` missing data fails the test with a message
//! naming the path; elsewhere the test prints that it skipped. These helpers
//! never reach a machine path outside the checkout and its sibling `shared/`.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use logscan_engine::Engine;

mod shared_data;
pub use shared_data::*;

/// The workspace root (where `corpus/`, `rules/` and `schema/` are).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
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
    let mut bundles: Vec<PathBuf> = std::fs::read_dir(workspace_root().join("corpus"))
        .expect("corpus/ exists")
        .flatten()
        .map(|entry| entry.path().join("bundle"))
        .filter(|bundle| bundle.is_dir())
        .collect();
    bundles.sort();
    assert!(!bundles.is_empty(), "corpus/ holds bundles");
    bundles
}
