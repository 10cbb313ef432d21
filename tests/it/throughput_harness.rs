//! The pure parts of the throughput harness (`benches/throughput/`), which
//! `cargo test` cannot reach inside a `harness = false` bench: argument
//! parsing, `/usr/bin/time -v` parsing, medians and the markdown table, and
//! the seeded generators, the dense client logs (`gen::dense`) checked with
//! the engine itself: same plan same bytes, the requested size, every record
//! in its format, the spliced incidents found and a clean session clean.
//! No test here runs a benchmark or looks at a clock.

use crate::common;

use crate::{args, gen, measure, table};

use std::collections::{BTreeMap, BTreeSet};

use args::Options;
use gen::dense::{self, Plan, Shape, Summary};
use logscan_engine::parse::{self, ParseOptions};
use logscan_engine::text::SourceText;
use logscan_engine::Report;
use measure::Measurement;

const KIB: u64 = 1 << 10;
const MIB: u64 = 1 << 20;

fn opts(a: &[&str]) -> Result<Options, String> {
    Options::parse(a.iter().map(|s| s.to_string()))
}

#[test]
fn options_default_and_explicit() {
    let o = opts(&["--bench"]).unwrap();
    assert_eq!(
        (o.bench, o.quick, o.runs, o.only.len()),
        (true, false, 3, 0)
    );
    assert!(o.wants("evtx"));
    let o = opts(&["--quick", "--only", "bundles", "--runs", "5", "--bench"]).unwrap();
    assert_eq!((o.bench, o.quick, o.runs), (true, true, 5));
    assert_eq!(o.only, vec!["bundles".to_string()]);
    assert!(o.wants("bundles") && !o.wants("mixed-1g"));
}

#[test]
fn bad_options_are_messages() {
    assert_eq!(
        opts(&["--only", "nope"]).unwrap_err(),
        "unknown case \"nope\""
    );
    assert_eq!(
        opts(&["--runs", "0"]).unwrap_err(),
        "--runs 0: must be a positive number"
    );
    assert_eq!(opts(&["--runs"]).unwrap_err(), "--runs needs a number");
    assert_eq!(
        opts(&["--fast"]).unwrap_err(),
        "unknown argument \"--fast\""
    );
}

#[test]
fn every_case_can_be_selected() {
    for case in args::CASES {
        let o = opts(&["--only", case]).unwrap();
        assert!(o.wants(case), "{case}");
        assert!(args::USAGE.contains(case), "{case} missing from USAGE");
    }
}

#[test]
fn max_rss_comes_from_time_v_output() {
    let out = "\tCommand being timed: \"rg -c x f\"\n\tElapsed (wall clock) time (h:mm:ss or m:ss): 0:01.20\n\tMaximum resident set size (kbytes): 269312\n\tExit status: 0\n";
    assert_eq!(measure::max_rss_kib(out), Some(269_312));
    assert_eq!(
        measure::max_rss_kib("Command terminated by signal 9\n"),
        None
    );
}

#[test]
fn median_of_odd_even_and_empty() {
    assert_eq!(table::median(&[3.0, 1.0, 2.0]), 2.0);
    assert_eq!(table::median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
    assert_eq!(table::median(&[]), 0.0);
}

#[test]
fn table_has_medians_rates_peak_rss_and_ratio_to_the_first_row() {
    let m = |secs, rss| Measurement { secs, rss_kib: rss };
    let rows = vec![
        table::Row {
            case: "bundles".into(),
            tool: "rg".into(),
            runs: vec![m(1.0, Some(10_240)), m(3.0, Some(20_480)), m(2.0, None)],
            bytes: 200 << 20,
            units: Some((1000, "bundles")),
        },
        table::Row {
            case: "bundles".into(),
            tool: "logscan".into(),
            runs: vec![m(4.0, None)],
            bytes: 200 << 20,
            units: Some((1000, "bundles")),
        },
    ];
    assert_eq!(
        table::markdown(&rows),
        format!(
            "{}\n\
             | bundles | 200 | rg | 1.00, 3.00, 2.00 | 2.00 | 100 | 500 bundles/s | 20 | 1.00 |\n\
             | bundles | 200 | logscan | 4.00 | 4.00 | 50 | 250 bundles/s | n/a | 2.00 |\n",
            table::HEADER
        )
    );
}

#[test]
fn a_pipe_in_a_tool_name_stays_inside_its_cell() {
    let rows = vec![table::Row {
        case: "dense".into(),
        tool: "cat mcp.log | logscan scan -".into(),
        runs: vec![Measurement {
            secs: 1.0,
            rss_kib: None,
        }],
        bytes: 1 << 20,
        units: None,
    }];
    assert_eq!(
        table::markdown(&rows),
        format!(
            "{}\n| dense | 1 | cat mcp.log \\| logscan scan - | 1.00 | 1.00 | 1 |  | n/a | 1.00 |\n",
            table::HEADER
        )
    );
}

#[test]
fn generators_are_seeded() {
    let a: Vec<u64> = {
        let mut r = gen::Rng::new(42);
        (0..4).map(|_| r.below(1000)).collect()
    };
    let mut r = gen::Rng::new(42);
    let b: Vec<u64> = (0..4).map(|_| r.below(1000)).collect();
    assert_eq!(a, b);
    assert_eq!(gen::iso(0), "2025-06-03T00:00:00.000Z");
    assert_eq!(gen::iso(86_400_000 + 3_723_004), "2025-06-04T01:02:03.004Z");
    let text = gen::formats::render(&gen::formats::SYSLOG, 3);
    assert_eq!(
        text,
        "Jun  3 00:00:00 devbox kernel: node invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0\n\
         Jun  3 00:00:00 devbox kernel: Out of memory: Killed process 0 (node) total-vm:23034112kB, anon-rss:7612204kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:15880kB oom_score_adj:0\n\
         Jun  3 00:00:00 devbox sshd[2]: Accepted publickey for ren from 10.0.0.7 port 52144 ssh2\n"
    );
}

fn generate(plan: &Plan) -> (Vec<u8>, Summary) {
    let mut out = Vec::new();
    let summary = dense::write(&mut out, plan).expect("writing to memory does not fail");
    (out, summary)
}

/// Every cause of `report` with the servers its findings name.
fn causes(report: &Report) -> BTreeMap<String, BTreeSet<String>> {
    let v = serde_json::to_value(report).expect("a report serializes");
    let mut out = BTreeMap::new();
    for c in v["causes"].as_array().expect("causes") {
        let servers = c["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| f["key"]["server"].as_str().unwrap_or("?").to_string())
            .collect();
        out.insert(c["cause"].as_str().expect("cause id").to_string(), servers);
    }
    out
}

#[test]
fn dense_sessions_are_reproducible() {
    for shape in Shape::ALL {
        let plan = Plan::new(shape, MIB, 7);
        let (a, sa) = generate(&plan);
        let (b, sb) = generate(&plan);
        assert!(a == b, "{shape:?}: same plan, different bytes");
        assert_eq!(sa, sb);
        let (c, _) = generate(&Plan { seed: 8, ..plan });
        assert!(a != c, "{shape:?}: the seed changes nothing");
    }
}

#[test]
fn dense_sessions_fill_the_size_with_whole_lines() {
    for shape in Shape::ALL {
        for size in [512 * KIB, 3 * MIB] {
            let (out, s) = generate(&Plan::new(shape, size, 1));
            let len = out.len() as u64;
            assert_eq!(s.counts.bytes, len, "{shape:?}");
            assert!(len <= size, "{shape:?}: {len} bytes for {size}");
            // The next record did not fit: no record is longer than a result of 64 KiB.
            assert!(size - len < 80 * KIB, "{shape:?}: {len} bytes for {size}");
            assert_eq!(out.last(), Some(&b'\n'), "{shape:?}");
            let lines = out.iter().filter(|c| **c == b'\n').count() as u64;
            assert_eq!(lines, s.counts.lines, "{shape:?}");
            assert!(std::str::from_utf8(&out).is_ok(), "{shape:?}: not UTF-8");
        }
    }
}

#[test]
fn every_dense_record_parses_as_its_format() {
    for shape in Shape::ALL {
        let (out, s) = generate(&Plan::new(shape, 2 * MIB, 3));
        let text = String::from_utf8(out).expect("UTF-8");
        let opts = ParseOptions {
            tz: None,
            format: Some(shape.format().to_string()),
        };
        let parsed = parse::parse(SourceText::identity(shape.file_name(), text), 0, &opts);
        assert_eq!(parsed.format, shape.format());
        assert!(parsed.notes.is_empty(), "{shape:?}: {:?}", parsed.notes);
        assert_eq!(parsed.events.len() as u64, s.counts.records, "{shape:?}");
        // Every record has a time (a server's stderr takes the previous entry's); only
        // the stderr lines, which have no prefix, have no level.
        let events = &parsed.events;
        assert!(
            events.iter().all(|e| e.ts.is_some()),
            "{shape:?}: a record without a time"
        );
        let stderr: Vec<_> = events.iter().filter(|e| e.level.is_none()).collect();
        assert_eq!(stderr.len() as u64, s.counts.stderr_records, "{shape:?}");
        assert!(
            stderr.iter().all(|e| e.value("stream").is_some()),
            "{shape:?}"
        );
        assert!(
            events.windows(2).all(|w| w[0].ts <= w[1].ts),
            "{shape:?}: time goes backwards"
        );
        if matches!(shape, Shape::DesktopMain | Shape::DesktopServer) {
            assert!(
                events.iter().all(|e| e.value("server").is_some()),
                "{shape:?}: a record without its server"
            );
        }
    }
}

#[test]
fn dense_client_logs_are_detected_by_name_and_content() {
    for shape in [Shape::DesktopMain, Shape::DesktopServer, Shape::CodeDebug] {
        let (out, _) = generate(&Plan::new(shape, 256 * KIB, 3));
        let text = String::from_utf8(out).expect("UTF-8");
        let (format, _) = parse::detect_format(&SourceText::identity(shape.file_name(), text));
        assert_eq!(format, shape.format(), "{shape:?}");
    }
}

/// Scans a session of `shape` with every incident kind spliced in once and
/// checks that exactly the expected causes are found, each for its server.
fn incidents_are_found(shape: Shape) {
    let plan = Plan::new(shape, 2 * MIB, 5);
    let (out, s) = generate(&plan);
    assert_eq!(
        s.spliced.len(),
        shape.kinds().len(),
        "{shape:?}: {:?}",
        s.spliced
    );
    let mut expected: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for i in &s.spliced {
        expected
            .entry(i.kind.cause(shape).to_string())
            .or_default()
            .insert(i.server.clone());
    }
    let report = common::builtin_engine().scan_bytes(shape.file_name(), &out);
    assert_eq!(causes(&report), expected, "{shape:?}");
    assert!(report.inconclusive.is_empty(), "{shape:?}");
}

#[test]
fn spliced_incidents_are_found_in_claude_desktop_main_log() {
    incidents_are_found(Shape::DesktopMain);
}

#[test]
fn spliced_incidents_are_found_in_claude_desktop_server_log() {
    incidents_are_found(Shape::DesktopServer);
}

#[test]
fn spliced_incidents_are_found_in_claude_code_debug_file() {
    incidents_are_found(Shape::CodeDebug);
}

/// A VS Code channel at debug level (the JSON-RPC traffic shown) is mostly
/// `[editor -> server] {json}` lines: it must still be read as `vscode-mcp`
/// (not `jsonrpc`, which would lose the server), and a Node stack that VS Code
/// writes one `[server stderr]` line at a time must still be a `crash_trace`,
/// so the exit that follows is `server-crash`.
#[test]
fn spliced_incidents_are_found_in_vscode_channel() {
    let (out, _) = generate(&Plan::new(Shape::Vscode, 256 * KIB, 3));
    let text = String::from_utf8(out).expect("UTF-8");
    let (format, _) = parse::detect_format(&SourceText::identity(Shape::Vscode.file_name(), text));
    assert_eq!(format, Shape::Vscode.format());
    incidents_are_found(Shape::Vscode);
}

#[test]
fn a_clean_dense_session_has_no_cause() {
    let engine = common::builtin_engine();
    for shape in Shape::ALL {
        let (out, s) = generate(&Plan::new(shape, 2 * MIB, 5).clean());
        assert!(s.spliced.is_empty());
        let report = engine.scan_bytes(shape.file_name(), &out);
        assert_eq!(causes(&report), BTreeMap::new(), "{shape:?}");
        assert!(report.inconclusive.is_empty(), "{shape:?}");
    }
}
