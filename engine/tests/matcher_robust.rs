//! The matcher on other systems' logs: never panics, finds no MCP cause, and
//! stays within its caps on input that opens a partial on every line.

use std::path::Path;

use logscan_engine::matcher::testkit::{self, rule, step, Contains};
use logscan_engine::matcher::{run, run_with, MatchLimits, MatchOptions};
use logscan_engine::parse::{parse, ParseOptions};
use logscan_engine::text::SourceText;

fn loghub() -> Vec<logscan_engine::parse::ParsedSource> {
    let dir = Path::new("/work/shared/data/loghub");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    paths
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let bytes = std::fs::read(p).ok()?;
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let st = SourceText::identity(p.display().to_string(), text);
            Some(parse(st, i as u32, &ParseOptions::default()))
        })
        .collect()
}

#[test]
fn loghub_logs_yield_no_mcp_finding() {
    let sources = loghub();
    let mut enoent = step("enoent", Contains::binding("enoent for", "server"));
    enoent.within = Some(5_000);
    let r = rule(
        "npx",
        &["server"],
        vec![
            step("spawn", Contains::binding("spawning mcp server", "server")),
            enoent,
        ],
    );
    let out = run(&testkit::rule_set(vec![r]), &sources);
    assert_eq!(out.findings.len(), 0);
    assert_eq!(out.matched_records.len(), sources.len());
}

#[test]
fn a_partial_on_every_line_stays_within_the_caps() {
    let sources = loghub();
    // Every record has a first word; each distinct one opens a partial keyed by it.
    let mut never = step("never", Contains::binding("no such line anywhere", "k"));
    never.within = Some(1);
    let r = rule(
        "wide",
        &["k"],
        vec![step("any", Contains::binding("", "k")), never],
    );
    let opts = MatchOptions {
        limits: MatchLimits {
            max_partials_per_rule: 50,
            max_partials: 40,
        },
        ..MatchOptions::default()
    };
    let out = run_with(&testkit::rule_set(vec![r]), &sources, &opts);
    assert_eq!(out.findings.len(), 0);
    if !sources.is_empty() {
        assert!(out.evicted_partials > 0);
    }
}
