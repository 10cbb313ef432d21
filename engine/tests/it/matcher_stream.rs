//! The streaming matcher: `run_streams` over sources cut into segments.
//!
//! (Cut points in general are the property test in `matcher_props.rs`.)

use logscan_engine::finding::{MatchOutput, StepEvidence};
use logscan_engine::matcher::testkit::{self, Contains};
use logscan_engine::matcher::timeline::meta_of;
use logscan_engine::matcher::{run, run_streams, MatchOptions};
use logscan_engine::parse::ParsedSource;
use logscan_engine::rule::ir::RuleSet;
use logscan_engine::segment::{Order, SourceMeta};

fn spawn_enoent() -> RuleSet {
    testkit::rule_set(vec![testkit::rule(
        "spawn-enoent",
        &["server"],
        vec![
            testkit::step("spawn", Contains::binding("spawning", "server")),
            testkit::step("enoent", Contains::binding("enoent for", "server")),
        ],
    )])
}

/// Runs over `src` cut into one-record segments, read forward.
fn one_record_segments(src: &ParsedSource, opts: &MatchOptions) -> MatchOutput {
    let sources = std::slice::from_ref(src);
    let cuts = vec![(1..src.events.len()).collect::<Vec<usize>>()];
    let (_, streams) = testkit::streams(sources, &cuts);
    let meta = SourceMeta {
        order: Order::Forward { first_ts: 100_000 },
        ..meta_of(src)
    };
    run_streams(&spawn_enoent(), &[meta], streams, opts)
}

#[test]
fn the_reorder_cap_is_counted_and_may_cost_a_match() {
    // Newest first, but read forward: only the reorder buffer puts it in time order.
    let src = testkit::source(
        0,
        "x",
        &[
            (Some(100_000), "noise", None),
            (Some(90_000), "noise", None),
            (Some(80_000), "enoent for a", None),
            (Some(70_000), "spawning a", None),
        ],
    );
    let roomy = MatchOptions {
        max_disorder: 60_000,
        ..MatchOptions::default()
    };
    let out = one_record_segments(&src, &roomy);
    assert_eq!(
        (out.findings.len(), out.reorder_overflow.clone()),
        (1, vec![0])
    );
    assert_eq!(out.matched_records, vec![vec![2, 3]]);
    // Two records of room: the enoent is forced out before the spawn arrives.
    let tight = MatchOptions {
        reorder_cap: 2,
        ..roomy
    };
    let out = one_record_segments(&src, &tight);
    assert_eq!(
        (out.findings.len(), out.reorder_overflow.clone()),
        (0, vec![2])
    );
}

#[test]
fn evidence_from_segments_names_the_record_on_disk_and_its_own_highlights() {
    let src = testkit::source(
        3,
        "x",
        &[
            (Some(100_000), "spawning a", Some("a")),
            (Some(101_000), "noise", None),
            (Some(102_000), "enoent for a", None),
        ],
    );
    let out = one_record_segments(&src, &MatchOptions::default());
    assert_eq!(out, run(&spawn_enoent(), std::slice::from_ref(&src)));
    let Some(StepEvidence::Record { first, .. }) =
        out.findings.first().and_then(|f| f.steps.get(1))
    else {
        panic!("record evidence expected");
    };
    // "102000 enoent for a": the needle at 7, the bound word at 18, relative to the record.
    assert_eq!((first.source, first.seq), (3, 2));
    assert_eq!((first.span.start, first.span.line), (35, 3));
    assert_eq!(first.highlights, vec![7..17, 18..19]);
    assert_eq!(first.ts.map(|t| t.ms), Some(102_000));
}
