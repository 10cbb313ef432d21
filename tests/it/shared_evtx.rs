//! A binary System log scanned together with the client log of corpus case 16:
//! the server dies seconds after the 2017-07-23 resume recorded in the event
//! log, so `host-sleep-resume` must rank first with evidence from both files.
//! Read from the committed fixture (`engine/tests/data/evtx`, one chunk trimmed
//! from the real log) and, as extra coverage, from the whole log in
//! `../shared/data/evtx/` (required under `CI=true`, skipped with a note
//! elsewhere; never copied into the project). Also checks the rule that reads
//! shared data (`common::shared_data`).

use crate::common;

use std::path::Path;

use logscan_engine::rank::Verdict;

/// Scans the corpus case's client log with `evtx` and checks the first cause.
fn host_sleep_resume_ranks_first_with(evtx: &Path) {
    let client = common::root().join("corpus/16-host-sleep-resume-evtx/bundle/claude-debug.txt");
    let result = common::builtin_engine().scan_paths(&[client.as_path(), evtx]);
    assert!(result.errors.is_empty(), "{:?}", result.errors);
    let first = result.report.causes.first().expect("at least one cause");
    assert_eq!(first.cause, "host-sleep-resume");
    assert_eq!(first.verdict, Verdict::Likely);
    let paths: Vec<&str> = first
        .findings
        .iter()
        .flat_map(|finding| {
            finding
                .evidence
                .iter()
                .map(|evidence| evidence.path.as_str())
        })
        .collect();
    let evtx_name = evtx.file_name().unwrap().to_str().unwrap();
    assert!(
        paths.iter().any(|path| path.ends_with(evtx_name)),
        "evidence from the event log: {paths:?}"
    );
    assert!(
        paths.iter().any(|path| path.ends_with("claude-debug.txt")),
        "evidence from the client log: {paths:?}"
    );
}

#[test]
fn client_log_and_the_evtx_fixture_rank_host_sleep_resume_first() {
    host_sleep_resume_ranks_first_with(&common::evtx_fixture("system-sleep-resume.evtx"));
}

#[test]
fn client_log_and_shared_evtx_rank_host_sleep_resume_first() {
    let Some(evtx) = common::shared_data("evtx/evtxcrate_system.evtx") else {
        return;
    };
    host_sleep_resume_ranks_first_with(&evtx);
}

#[test]
fn shared_data_is_required_only_under_ci() {
    assert!(common::required_by_ci(Some("true")));
    assert!(common::required_by_ci(Some("1")));
    assert!(!common::required_by_ci(Some("false")));
    assert!(!common::required_by_ci(None));
    let missing = common::root().join("tests/data/no-such-shared-file");
    assert_eq!(common::present_or_skipped(missing, false), None);
    let here = common::root().join("tests/data");
    assert_eq!(common::present_or_skipped(here.clone(), true), Some(here));
}

#[test]
#[should_panic(
    expected = "is missing: with CI=true the shared data beside the checkout is required"
)]
fn missing_shared_data_fails_under_ci() {
    common::present_or_skipped(common::root().join("tests/data/no-such-shared-file"), true);
}
