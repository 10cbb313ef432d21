//! Every line-based source is streamed, so nothing in a report may depend on
//! where the stream cuts its chunks: every corpus bundle gives the same JSON
//! report (elapsed time aside) at the default chunk size and at tiny ones (so
//! records cross chunk and batch boundaries), with and without `--explain`;
//! every corpus file repeated past the head (several batches) too; for any
//! thread count; and `logscan scan -` and `logscan events -` read from stdin
//! what they read from the file. (engine/tests/it/source_stream.rs checks
//! gzip, zip, tar.gz, pipes and UTF-16.)

use crate::common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use logscan_engine::stream::{StreamConfig, MAX_GROUPED};
use logscan_engine::{Engine, Report};

use common::{corpus_bundles, files_under, root};

fn engine(cfg: Option<StreamConfig>, explain: bool) -> Engine {
    let mut b = Engine::builder().builtin_rules().explain(explain);
    if let Some(cfg) = cfg {
        b = b.stream_config(cfg);
    }
    b.build().expect("built-in rules")
}

/// Chunk sizes to compare with the default: tiny (every record crosses a
/// boundary), and a few KiB with every small source (up to 4 batches, 32 KiB)
/// deferred: opened, closed and read again when the timeline reaches it.
const SIZES: [StreamConfig; 2] = [
    StreamConfig {
        chunk: 61,
        chunks_per_batch: 3,
        max_grouped: MAX_GROUPED,
        eager_held: 16 << 20,
    },
    StreamConfig {
        chunk: 4093,
        chunks_per_batch: 2,
        max_grouped: MAX_GROUPED,
        eager_held: 0,
    },
];

fn json(r: &Report) -> String {
    let mut r = r.clone();
    r.stats.elapsed_ms = 0;
    serde_json::to_string_pretty(&r).expect("json")
}

fn first_difference(a: &str, b: &str) -> String {
    a.lines()
        .zip(b.lines())
        .enumerate()
        .find(|(_, (x, y))| x != y)
        .map_or_else(
            || format!("lengths {} and {}", a.len(), b.len()),
            |(i, (x, y))| format!("line {i}: {x:?} vs {y:?}"),
        )
}

#[test]
fn reports_are_the_same_at_any_chunk_size() {
    let mut differ = Vec::new();
    for explain in [false, true] {
        let default = engine(None, explain);
        let others: Vec<Engine> = SIZES.iter().map(|c| engine(Some(*c), explain)).collect();
        for b in corpus_bundles() {
            let want = json(&default.scan_paths(&[b.as_path()]).report);
            for (cfg, e) in SIZES.iter().zip(&others) {
                let got = json(&e.scan_paths(&[b.as_path()]).report);
                if got != want {
                    differ.push(format!(
                        "{} (explain {explain}, chunk {}, eager_held {}): {}",
                        b.display(),
                        cfg.chunk,
                        cfg.eager_held,
                        first_difference(&want, &got)
                    ));
                }
            }
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}

#[test]
fn a_file_repeated_past_the_head_reports_the_same_at_any_chunk_size() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("stream-repeated");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let default = engine(None, false);
    let small = engine(
        Some(StreamConfig {
            chunk: 997,
            chunks_per_batch: 3,
            ..StreamConfig::default()
        }),
        false,
    );
    let mut differ = Vec::new();
    let mut compared = 0;
    for b in corpus_bundles() {
        for f in files_under(&b) {
            let bytes = std::fs::read(&f).unwrap();
            if bytes.is_empty() || std::str::from_utf8(&bytes).is_err() {
                continue; // archives and UTF-16 files: their content is not a line-based text to repeat
            }
            let mut one = bytes.clone();
            if !one.ends_with(b"\n") {
                one.push(b'\n');
            }
            // Past the head (256 KiB) and over several default batches' chunks.
            let times = (300 << 10) / one.len() + 1;
            let rel = f.strip_prefix(root()).unwrap();
            let target = dir.join(rel);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::write(&target, one.repeat(times)).unwrap();
            let want = json(&default.scan_paths(&[target.as_path()]).report);
            let got = json(&small.scan_paths(&[target.as_path()]).report);
            if got != want {
                differ.push(format!(
                    "{}: {}",
                    rel.display(),
                    first_difference(&want, &got)
                ));
            }
            compared += 1;
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(compared >= 30, "only {compared} files repeated");
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}

#[test]
fn output_is_the_same_for_any_thread_count() {
    let engine = engine(Some(SIZES[0]), false);
    let corpus = root().join("corpus");
    let scan = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool");
        json(&pool.install(|| engine.scan_paths(&[corpus.as_path()]).report))
    };
    let one = scan(1);
    assert!(one.contains("\"causes\""));
    assert_eq!(one, scan(2));
    assert_eq!(one, scan(5));
}

/// `logscan args` with `input` on stdin.
fn with_stdin(args: &[&str], input: &[u8]) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_logscan"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("logscan runs");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = input.to_vec();
    // Written from another thread: the scan reads as it goes.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().expect("logscan ends");
    writer.join().expect("writer");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn run(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_logscan"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("logscan runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn stdin_gives_the_report_and_the_events_of_the_file() {
    // Formats detected from content (a file name would tell more than `-`).
    for file in [
        "corpus/01-windows-npx-shim-claude-code-debug/bundle/claude-debug.txt",
        "corpus/08-init-timeout-desktop-no-initialize-response/bundle/mcp.log",
        "corpus/09-command-not-found-vscode-fnm-npx/bundle/vscode-mcp-output.log",
    ] {
        let bytes = std::fs::read(root().join(file)).unwrap();
        let stable = |s: String| {
            common::stable(&s)
                .replace(&format!("\"path\": \"{file}\""), "\"path\": \"-\"")
                .replace(&format!("\"path\":\"{file}\""), "\"path\":\"-\"")
        };
        let from_file = stable(run(&["scan", "--format", "json", file]));
        let from_stdin = stable(with_stdin(&["scan", "--format", "json", "-"], &bytes));
        assert!(from_file.contains("\"cause\""), "{file}: {from_file}");
        assert_eq!(from_file, from_stdin, "{file}");
        let events = stable(run(&["events", "--format", "json", file]));
        let events_stdin = stable(with_stdin(&["events", "--format", "json", "-"], &bytes));
        assert!(events.lines().count() > 5, "{file}");
        assert_eq!(events, events_stdin, "{file}");
    }
}

/// A log of `lines` timestamped lines, most of them errors of a few kinds
/// (no rule reads them: they are all for the unexplained groups); logs of
/// different seeds share no kind of error.
fn error_heavy_log(lines: usize, seed: usize) -> String {
    let kinds = [
        "{s} worker {k} failed: connection reset by peer (attempt {i})",
        "{s} cache sync error: checksum mismatch on block {i}",
        "{s} request {i} timed out after 30000 ms",
        "{s} disk quota exceeded on volume {k}",
    ];
    let mut out = String::new();
    for i in 0..lines {
        let (h, m, s) = (i / 3_600_000 % 24, i / 60_000 % 60, i / 1000 % 60);
        let ts = format!(
            "2025-03-0{}T{h:02}:{m:02}:{s:02}.{:03}Z",
            1 + seed,
            i % 1000
        );
        let kind = kinds[(i * 7 + seed) % kinds.len()];
        let msg = kind
            .replace("{k}", &(i % 5).to_string())
            .replace("{s}", ["alpha", "beta"][seed % 2])
            .replace("{i}", &i.to_string());
        if i % 4 == 3 {
            // Holds error words, but is no error: counted only past the budget.
            out.push_str(&format!("{ts} [info] heartbeat {i}: errors=0 failures=0\n"));
        } else {
            out.push_str(&format!("{ts} [error] {msg}\n"));
        }
    }
    out
}

/// The JSON of what `report` says of source `path`: its input entry and its unexplained groups.
fn of_source(report: &Report, path: &str) -> String {
    let v = serde_json::to_value(report).expect("json");
    let pick = |key: &str| -> Vec<serde_json::Value> {
        v[key]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|e| e["path"] == path)
            .cloned()
            .collect()
    };
    serde_json::to_string_pretty(&(pick("inputs"), pick("unexplained"))).expect("json")
}

#[test]
fn the_grouping_budget_runs_out_at_the_same_place_at_any_batch_size_or_company() {
    // Past the budget error-only lines are counted, not parsed, from the next
    // block (256 KiB) on: where that is may depend only on the content.
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("stream-budget");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let a = dir.join("a.log");
    let b = dir.join("b.log");
    std::fs::write(&a, error_heavy_log(24_000, 0)).unwrap();
    std::fs::write(&b, error_heavy_log(16_000, 1)).unwrap();
    let path_a = a.display().to_string();
    let with = |chunk: usize, chunks_per_batch: usize| {
        engine(
            Some(StreamConfig {
                chunk,
                chunks_per_batch,
                max_grouped: 3_000,
                ..StreamConfig::default()
            }),
            false,
        )
    };
    let want = of_source(&with(4093, 3).scan_paths(&[a.as_path()]).report, &path_a);
    assert!(
        want.contains("error records (past the budget"),
        "the budget never ran out: {want}"
    );
    let mut differ = Vec::new();
    for (chunk, per_batch) in [(4093, 1), (4093, 16), (65_536, 2), (256 << 10, 16)] {
        let e = with(chunk, per_batch);
        for company in [vec![a.as_path()], vec![a.as_path(), b.as_path()]] {
            let got = of_source(&e.scan_paths(&company).report, &path_a);
            if got != want {
                differ.push(format!(
                    "chunk {chunk} x {per_batch}, {} sources: {}",
                    company.len(),
                    first_difference(&want, &got)
                ));
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}
