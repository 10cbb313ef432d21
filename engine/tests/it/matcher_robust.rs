//! The matcher on other systems' logs: never panics, finds no MCP cause, and
//! stays within its caps on input that opens a partial on every line.

use crate::common;

use logscan_engine::matcher::testkit::{self, rule, step, Contains};
use logscan_engine::matcher::{run, run_with, MatchLimits, MatchOptions};
use logscan_engine::parse::{parse, ParseOptions, ParsedSource};
use logscan_engine::text::SourceText;

/// Every file of `../shared/data/loghub` (its README and LICENSE too), parsed;
/// `None` when the folder is absent outside CI.
fn loghub() -> Option<Vec<ParsedSource>> {
    let paths = common::shared_files("loghub", |path| path.is_file())?;
    let sources = paths
        .iter()
        .enumerate()
        .map(|(index, path)| {
            let bytes =
                std::fs::read(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let source_text = SourceText::identity(path.display().to_string(), text);
            parse(source_text, index as u32, &ParseOptions::default())
        })
        .collect();
    Some(sources)
}

#[test]
fn loghub_logs_yield_no_mcp_finding() {
    let Some(sources) = loghub() else { return };
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
    let Some(sources) = loghub() else { return };
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
    assert!(out.evicted_partials > 0);
}
