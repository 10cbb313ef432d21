//! The shared binary .evtx sample (never committed: read from
//! `../shared/data/evtx/` beside the repository) scanned together with the
//! client log of corpus case 16: the server dies seconds after the 2017-07-23
//! resume recorded in the event log, so `host-sleep-resume` must rank first
//! with evidence from both files. Skips (with a message) when the sample is
//! absent; it never copies the sample into the project.

use std::path::Path;

use logscan_engine::rank::Verdict;
use logscan_engine::Engine;

#[test]
fn client_log_and_shared_evtx_rank_host_sleep_resume_first() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // `../shared` from the main checkout, `../../shared` from a worktree in `wt/`.
    let candidates = [
        root.join("../shared/data/evtx/evtxcrate_system.evtx"),
        root.join("../../shared/data/evtx/evtxcrate_system.evtx"),
    ];
    let Some(evtx) = candidates.iter().find(|p| p.is_file()) else {
        println!("skipped: ../shared/data/evtx/evtxcrate_system.evtx is absent");
        return;
    };
    let client = root.join("corpus/16-host-sleep-resume-evtx/bundle/claude-debug.txt");
    let engine = Engine::builder()
        .builtin_rules()
        .build()
        .expect("built-in rules compile");
    let result = engine.scan_paths(&[client.as_path(), evtx.as_path()]);
    assert!(result.errors.is_empty(), "{:?}", result.errors);
    let first = result.report.causes.first().expect("at least one cause");
    assert_eq!(first.cause, "host-sleep-resume");
    assert_eq!(first.verdict, Verdict::Likely);
    let paths: Vec<&str> = first
        .findings
        .iter()
        .flat_map(|f| f.evidence.iter().map(|e| e.path.as_str()))
        .collect();
    assert!(
        paths.iter().any(|p| p.ends_with("evtxcrate_system.evtx")),
        "evidence from the event log: {paths:?}"
    );
    assert!(
        paths.iter().any(|p| p.ends_with("claude-debug.txt")),
        "evidence from the client log: {paths:?}"
    );
}
