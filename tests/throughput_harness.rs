//! The pure parts of the throughput harness (`benches/throughput/`), which
//! `cargo test` cannot reach inside a `harness = false` bench: argument
//! parsing, `/usr/bin/time -v` parsing, medians and the markdown table, and
//! the seeded generators. No test here runs a benchmark or looks at a clock.

#[allow(dead_code)]
#[path = "../benches/throughput/args.rs"]
mod args;
#[allow(dead_code)]
#[path = "../benches/gen/mod.rs"]
mod gen;
#[allow(dead_code)]
#[path = "../benches/throughput/measure.rs"]
mod measure;
#[allow(dead_code)]
#[path = "../benches/throughput/table.rs"]
mod table;

use args::Options;
use measure::Measurement;

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
