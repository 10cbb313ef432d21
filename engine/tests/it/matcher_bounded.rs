//! The matcher's findings stay bounded however often a rule matches
//! (`matcher::kept`): repeats merge into one incident per key as they
//! arrive, and past the incident cap the rest are counted, never lost.

use logscan_engine::finding::{Finding, MatchOutput, StepEvidence};
use logscan_engine::matcher::run;
use logscan_engine::matcher::testkit::{self, Contains};
use logscan_engine::rule::ir::RuleSet;

fn enoent() -> RuleSet {
    testkit::rule_set(vec![testkit::rule(
        "enoent",
        &["server"],
        vec![testkit::step(
            "enoent",
            Contains::binding("enoent for", "server"),
        )],
    )])
}

/// Runs the rule over one record per server name `name(i)`, `n` records.
fn scan(n: usize, name: impl Fn(usize) -> String) -> MatchOutput {
    let texts: Vec<String> = (0..n).map(|i| format!("enoent for {}", name(i))).collect();
    let rows: Vec<testkit::Row<'_>> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| (Some(1_000 + i as i64), t.as_str(), None))
        .collect();
    run(&enoent(), &[testkit::source(0, "x", &rows)])
}

fn last_seq(f: &Finding) -> u32 {
    match f.steps.first() {
        Some(StepEvidence::Record { last, .. }) => last.seq,
        other => panic!("a record step: {other:?}"),
    }
}

#[test]
fn a_rule_matching_every_record_keeps_one_incident_per_key() {
    // 12,000 findings: compacted three times on the way; the same as merging at the end.
    let out = scan(12_000, |i| format!("s{}", i % 50));
    assert_eq!(out.findings.len(), 50);
    assert_eq!(out.dropped_findings, 0);
    for f in &out.findings {
        let key = &f.key[0].1;
        let k: usize = key[1..].parse().unwrap();
        assert_eq!(f.occurrences, 240, "{key}");
        // The evidence of the latest occurrence of the key.
        assert_eq!(last_seq(f) as usize, 11_950 + k, "{key}");
    }
    assert_eq!(out.matched_records, vec![(0..12_000).collect::<Vec<u32>>()]);
}

#[test]
fn past_the_incident_cap_findings_are_counted_and_their_records_matched() {
    let out = scan(3_000, |i| format!("s{i}"));
    assert_eq!(out.findings.len(), 1_000);
    assert_eq!(out.dropped_findings, 2_000);
    // The earliest incidents are the ones kept.
    let mut kept: Vec<u32> = out.findings.iter().map(last_seq).collect();
    kept.sort_unstable();
    assert_eq!(kept, (0..1_000).collect::<Vec<u32>>());
    assert_eq!(out.matched_records, vec![(0..3_000).collect::<Vec<u32>>()]);
}
