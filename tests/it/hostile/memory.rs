//! Hostile inputs: memory that grows with what is found (issue 12). Findings
//! are merged and capped as they arrive (`matcher::kept`), and a source's
//! reorder buffer is capped in bytes as well as records (`matcher::feed`);
//! what either leaves out is counted in the report.

use logscan_engine::{Engine, Report};

fn scan(name: &str, text: &str) -> Report {
    crate::common::builtin_engine().scan_bytes(name, text.as_bytes())
}

/// A Claude Code debug line: server `server` failed to spawn `npx`.
fn enoent(second: usize, server: &str, pad: &str) -> String {
    format!(
        "2025-09-03T10:{:02}:{:02}.000Z [ERROR] MCP server \"{server}\" Connection failed: spawn npx ENOENT{pad}\n",
        second / 60 % 60,
        second % 60
    )
}

#[test]
fn a_rule_matching_thousands_of_servers_keeps_a_thousand_incidents_and_counts_the_rest() {
    let text: String = (0..1_500)
        .map(|i| enoent(i, &format!("srv{i}"), ""))
        .collect();
    let r = scan("claude-debug.txt", &text);
    assert!(!r.causes.is_empty(), "no cause found");
    for c in &r.causes {
        assert!(
            c.findings.len() <= 1_000,
            "{}: {} findings",
            c.cause,
            c.findings.len()
        );
    }
    // Each rule that fires on every line kept 1,000 of its 1,500 incidents.
    assert!(r.stats.dropped_findings >= 500, "{:?}", r.stats);
    assert_eq!(r.stats.dropped_findings % 500, 0, "{:?}", r.stats);
    // Their records are explained: none is listed as an unexplained error.
    assert!(
        r.unexplained.iter().all(|u| !u.text.contains("ENOENT")),
        "{:?}",
        r.unexplained
    );
}

#[test]
fn long_records_sharing_one_timestamp_are_capped_in_bytes_with_a_note() {
    // 300 records of 40 KiB at one instant: 12 MiB, past the 8 MiB reorder cap.
    let pad = format!(" {}", "x".repeat(40 << 10));
    let text: String = (0..300)
        .map(|i| enoent(0, &format!("s{}", i % 3), &pad))
        .collect();
    let r = scan("claude-debug.txt", &text);
    let notes = &r.inputs[0].notes;
    assert!(
        notes
            .iter()
            .any(|n| n.contains("matched in file order, not sorted by time")),
        "{notes:?}"
    );
    assert!(!r.causes.is_empty(), "the incident is still found");
}

#[test]
fn the_text_report_says_how_many_findings_were_not_kept() {
    let dir = crate::common::scratch("hostile/memory", "dropped");
    let file = dir.join("claude-debug.txt");
    let text: String = (0..1_200)
        .map(|i| enoent(i, &format!("srv{i}"), ""))
        .collect();
    std::fs::write(&file, text).unwrap();
    let out = crate::common::logscan_in(&dir, &["scan", "claude-debug.txt"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("more findings not kept: a rule found more than 1000 incidents"),
        "{stdout}"
    );
}

/// Thousands of small files, each a server that starts and fails at its own
/// time: read at once or deferred (opened for their head, read again when
/// the timeline reaches them), the report is the same.
#[test]
fn many_small_files_deferred_report_what_files_read_at_once_do() {
    let dir = crate::common::scratch("hostile/memory", "many-small-files");
    for i in 0..2_000 {
        // Out of time order by name: the merge, not the listing, orders them.
        let t = (i * 7_919) % 2_000;
        let text = enoent(t, &format!("srv{i}"), "");
        std::fs::write(dir.join(format!("claude-debug-{i:04}.txt")), text).expect("write");
    }
    let scan = |eager_held: u64| {
        let engine = Engine::builder()
            .builtin_rules()
            .stream_config(logscan_engine::stream::StreamConfig {
                eager_held,
                ..Default::default()
            })
            .build()
            .expect("built-in rules");
        let mut r = engine.scan_paths(&[dir.as_path()]).report;
        r.stats.elapsed_ms = 0;
        serde_json::to_string(&r).expect("json")
    };
    let deferred = scan(0);
    assert!(deferred.contains("srv1999"), "the last server is found");
    assert_eq!(deferred, scan(u64::MAX));
}
