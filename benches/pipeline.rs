//! Criterion benches of the pipeline stages over a generated mixed log
//! (background lines of other systems with MCP incidents spliced in).
//! Run: `cargo bench --bench pipeline`. Results: benches/RESULTS.md.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use logscan_engine::text::SourceText;
use logscan_engine::{frame, parse, Engine};

/// About `lines` lines: mostly background, an incident every 500 lines.
fn mixed_log(lines: usize) -> String {
    let background = [
        "2025-06-03T07:23:{s:02}.{ms:03}Z [info] [github] Message from server: {\"jsonrpc\":\"2.0\",\"id\":{i},\"result\":{\"tools\":[]}}",
        "2025-06-03T07:23:{s:02}.{ms:03}Z [info] [github] Message from client: {\"method\":\"tools/list\",\"params\":{},\"jsonrpc\":\"2.0\",\"id\":{i}}",
        "2025-06-03T07:23:{s:02}.{ms:03}Z [info] [filesystem] Server started and connected successfully",
        "2025-06-03T07:23:{s:02}.{ms:03}Z [debug] [filesystem] Processing request {i} of type ListToolsRequest",
    ];
    let incident = [
        "2025-06-03T07:23:{s:02}.{ms:03}Z [info] [ctx{i}] Initializing server...",
        "2025-06-03T07:23:{s:02}.{ms:03}Z [error] [ctx{i}] spawn npx ENOENT",
        "2025-06-03T07:23:{s:02}.{ms:03}Z [error] [ctx{i}] Server disconnected. For troubleshooting guidance, please visit our [debugging documentation](https://modelcontextprotocol.io/docs/tools/debugging)",
    ];
    let mut out = String::new();
    for i in 0..lines {
        let tpl = if i % 500 < 3 {
            incident[i % 500]
        } else {
            background[i % background.len()]
        };
        let line = tpl
            .replace("{s:02}", &format!("{:02}", (i / 1000) % 60))
            .replace("{ms:03}", &format!("{:03}", i % 1000))
            .replace("{i}", &(i / 500).to_string());
        out.push_str(&line);
        out.push('\n');
    }
    out
}

fn benches(c: &mut Criterion) {
    let text = mixed_log(20_000);
    let engine = Engine::builder()
        .builtin_rules()
        .build()
        .expect("built-in rules compile");
    let mut g = c.benchmark_group("pipeline");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function(BenchmarkId::new("frame", "mixed-20k"), |b| {
        b.iter(|| frame::lines(&text).count())
    });
    g.bench_function(BenchmarkId::new("parse", "mixed-20k"), |b| {
        b.iter(|| {
            let t = SourceText::identity("mcp.log", text.clone());
            parse::parse(t, 0, &Default::default()).events.len()
        })
    });
    g.bench_function(BenchmarkId::new("scan", "mixed-20k"), |b| {
        b.iter(|| engine.scan_bytes("mcp.log", text.as_bytes()).causes.len())
    });
    g.finish();
}

criterion_group!(pipeline, benches);
criterion_main!(pipeline);
