//! Hostile inputs (issue 12), built on the fly in small versions: each test
//! asserts the bound, the note or the redaction that keeps logscan safe on
//! input written to hurt it. One module per area.

mod common;

use std::path::{Path, PathBuf};

/// A fresh, empty `<tmp>/hostile/<area>/<name>` for one test.
pub fn scratch(area: &str, name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("hostile")
        .join(area)
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

#[path = "hostile/memory.rs"]
mod memory;
#[path = "hostile/redaction.rs"]
mod redaction;
#[path = "hostile/rules_cli.rs"]
mod rules_cli;
#[path = "hostile/sources.rs"]
mod sources;
