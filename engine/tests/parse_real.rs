//! Runs the parser over the shared real cases and loghub logs (when present
//! beside the repository) and checks only the invariants: no panic, every
//! non-blank line in exactly one event, spans inside the file and ordered.
//! The logs themselves are never copied into the project.

mod parse_common;

use std::path::{Path, PathBuf};

use logscan_engine::parse::{parse, ParseOptions};
use logscan_engine::text::SourceText;

/// `../shared/data` beside the repository root (or beside the worktree folder).
fn shared_data() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    [root.join("../shared/data"), root.join("../../shared/data")]
        .into_iter()
        .find(|c| c.is_dir())
}

fn logs() -> Vec<PathBuf> {
    let Some(data) = shared_data() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for sub in ["real-cases", "loghub"] {
        let Ok(rd) = std::fs::read_dir(data.join(sub)) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                let l = p.join("log.txt");
                if l.is_file() {
                    out.push(l);
                }
            } else if p.extension().is_some_and(|x| x == "log") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn real_logs_keep_the_invariants() {
    for path in logs() {
        let bytes = std::fs::read(&path).unwrap();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let src = SourceText::identity(path.display().to_string(), text);
        let parsed = parse(src, 0, &ParseOptions::default());
        parse_common::check_invariants(&parsed);
    }
}

/// `LOGSCAN_DUMP=1 cargo test --test parse_real dump -- --nocapture --ignored`
#[test]
#[ignore]
fn dump() {
    let filter = std::env::var("LOGSCAN_DUMP").unwrap_or_default();
    for path in logs() {
        if !path.display().to_string().contains(&filter) {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let src = SourceText::identity(path.display().to_string(), text);
        let parsed = parse(src, 0, &ParseOptions::default());
        println!("=== {} [{}]", path.display(), parsed.format);
        for e in parsed.events.iter().take(40) {
            println!("{}", parse_common::describe(&parsed, e));
        }
    }
}
