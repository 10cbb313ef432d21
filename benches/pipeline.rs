//! Criterion benches of the pipeline stages, each with `Throughput::Bytes`,
//! over generated inputs (`benches/gen/`): decode (UTF-8, UTF-16LE), frame,
//! parse per format, prefilter, matcher, and the end-to-end scan; then the
//! streaming scanner over a file (literal search over chunk bytes plus the
//! parse of candidate records) and a streamed end-to-end scan.
//!
//! Run: `cargo bench --bench pipeline` (a few minutes; filter with
//! `cargo bench --bench pipeline -- parse`). Results: benches/RESULTS.md.
//! Inputs are generated in code; no large file is ever committed.

use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion, Throughput};
use logscan_engine::rule::prefilter::Candidates;
use logscan_engine::stream::{self, StreamConfig};
use logscan_engine::text::SourceText;
use logscan_engine::{decode, frame, matcher, parse, Engine};

#[allow(dead_code)]
mod gen;

use gen::formats::{self, Sample};

/// Lines per generated input (about 2 MiB for the Claude Desktop sample).
const LINES: usize = 20_000;
/// The id of the mixed Claude Desktop input (kept from the first baseline).
const MIXED: &str = "mixed-20k";

fn engine() -> Engine {
    Engine::builder()
        .builtin_rules()
        .build()
        .expect("built-in rules compile")
}

/// Parses `text` as the file `sample.file`, the way a scan would.
fn parse_as(sample: &Sample, text: &str) -> parse::ParsedSource {
    let t = SourceText::identity(sample.file, text.to_string());
    parse::parse(t, 0, &Default::default())
}

fn utf16le(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    out.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
    out
}

fn decode_and_frame(c: &mut Criterion, text: &str) {
    let mut g = c.benchmark_group("pipeline");
    for (id, bytes) in [
        ("utf-8", text.as_bytes().to_vec()),
        ("utf-16le", utf16le(text)),
    ] {
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_function(BenchmarkId::new("decode", id), |b| {
            b.iter_batched(
                || bytes.clone(),
                |bytes| decode::decode("mcp.log".into(), bytes).text.len(),
                BatchSize::LargeInput,
            )
        });
    }
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function(BenchmarkId::new("frame", MIXED), |b| {
        b.iter(|| frame::lines(text).count())
    });
    g.finish();
}

fn parsers(c: &mut Criterion) {
    let mut g = c.benchmark_group("pipeline");
    for sample in formats::ALL {
        let text = formats::render(&sample, LINES);
        let detected = parse_as(&sample, &text).format;
        assert_eq!(detected, sample.format, "the {} sample", sample.file);
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_function(BenchmarkId::new("parse", sample.format), |b| {
            b.iter(|| parse_as(&sample, &text).events.len())
        });
    }
    g.finish();
}

fn rules_and_scan(c: &mut Criterion, text: &str) {
    let engine = engine();
    let sample = formats::CLAUDE_DESKTOP;
    let mut g = c.benchmark_group("pipeline");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function(BenchmarkId::new("parse", MIXED), |b| {
        b.iter(|| parse_as(&sample, text).events.len())
    });
    g.bench_function(BenchmarkId::new("prefilter", MIXED), |b| {
        let prefilter = &engine.rules().prefilter;
        let mut cands = Candidates::default();
        b.iter(|| {
            let mut hits = 0usize;
            for line in frame::lines(text) {
                prefilter.candidates(line.text(text), &mut cands);
                hits += usize::from(cands.may_match(0));
            }
            hits
        })
    });
    let sources = vec![parse_as(&sample, text)];
    g.bench_function(BenchmarkId::new("match", MIXED), |b| {
        b.iter(|| matcher::run(engine.rules(), &sources).findings.len())
    });
    g.bench_function(BenchmarkId::new("scan", MIXED), |b| {
        b.iter(|| engine.scan_bytes("mcp.log", text.as_bytes()).causes.len())
    });
    g.finish();
}

/// The streaming scanner over a file: a syslog background with a Claude Desktop
/// incident every 500 lines (most lines are never parsed).
fn streaming(c: &mut Criterion) {
    let mut text = formats::render(&formats::SYSLOG, LINES * 5);
    text.push_str(&formats::render(&formats::CLAUDE_DESKTOP, LINES / 10));
    let path = std::env::temp_dir().join(format!("logscan-bench-{}.log", std::process::id()));
    if std::fs::write(&path, &text).is_err() {
        return;
    }
    let engine = Engine::builder()
        .builtin_rules()
        .build()
        .expect("built-in rules compile");
    let id = "syslog-100k";
    let mut g = c.benchmark_group("pipeline");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function(BenchmarkId::new("stream-segments", id), |b| {
        b.iter(|| {
            let p = stream::prepare(
                &path,
                "bench.log",
                0,
                engine.rules(),
                engine.parse_options(),
                StreamConfig::default(),
            );
            p.map_or(0, |p| p.stream.map(|s| s.events.len()).sum::<usize>())
        })
    });
    g.bench_function(BenchmarkId::new("stream-scan", id), |b| {
        b.iter(|| engine.scan_paths(&[path.as_path()]).report.causes.len())
    });
    g.finish();
    let _ = std::fs::remove_file(&path);
}

fn benches(c: &mut Criterion) {
    let text = formats::render(&formats::CLAUDE_DESKTOP, LINES);
    decode_and_frame(c, &text);
    parsers(c);
    rules_and_scan(c, &text);
    streaming(c);
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(10)
}

criterion_group! {
    name = pipeline;
    config = config();
    targets = benches
}
criterion_main!(pipeline);
