//! Streaming must not change a diagnosis: every corpus bundle and rule fixture
//! scanned with every plain file streamed in tiny chunks (so records cross
//! chunk and batch boundaries) gives the same causes, verdicts, scores,
//! findings and evidence as reading every file whole.

use std::path::{Path, PathBuf};

use logscan_engine::stream::StreamConfig;
use logscan_engine::{Engine, Report};

fn engine(stream_all: bool) -> Engine {
    let mut b = Engine::builder().builtin_rules();
    if stream_all {
        b = b.stream_config(StreamConfig {
            threshold: 0,
            chunk: 61,
            chunks_per_batch: 3,
        });
    }
    b.build().expect("built-in rules")
}

/// What must not change: causes with their findings and evidence places and text.
fn diagnosis(r: &Report) -> Vec<String> {
    let mut out = Vec::new();
    for c in &r.causes {
        out.push(format!("{} {:?} {}", c.cause, c.verdict, c.score));
        for f in &c.findings {
            out.push(format!(
                "  {} {} {:?} x{}",
                f.rule, f.status, f.key, f.occurrences
            ));
            for e in &f.evidence {
                out.push(format!(
                    "    {} {}:{}-{} [{}..{}] {:?} {:?} {:?}",
                    e.step, e.path, e.line, e.end_line, e.start, e.end, e.ts, e.text, e.highlights
                ));
            }
        }
    }
    for f in &r.inconclusive {
        out.push(format!("inconclusive {} {:?}", f.rule, f.key));
    }
    out
}

fn bundles() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("corpus/ exists")
        .flatten()
        .map(|e| e.path().join("bundle"))
        .filter(|p| p.exists())
        .collect();
    v.sort();
    v
}

#[test]
fn streamed_scans_diagnose_like_whole_scans() {
    let (whole, streamed) = (engine(false), engine(true));
    let mut differ = Vec::new();
    let mut streamed_inputs = 0;
    for b in bundles() {
        let w = whole.scan_paths(&[b.as_path()]).report;
        let s = streamed.scan_paths(&[b.as_path()]).report;
        streamed_inputs += s
            .inputs
            .iter()
            .filter(|i| i.notes.iter().any(|n| n.starts_with("read as a stream")))
            .count();
        if diagnosis(&w) != diagnosis(&s) {
            differ.push(format!(
                "{}\n whole:\n{}\n streamed:\n{}",
                b.display(),
                diagnosis(&w).join("\n"),
                diagnosis(&s).join("\n")
            ));
        }
    }
    assert!(
        streamed_inputs >= 15,
        "only {streamed_inputs} inputs were streamed: a predicate without literals that reads \
         every format makes every file be read whole (see the \"none\" count of \
         `logscan rules literals`; limit it with `from:`, docs/rules.md)"
    );
    assert!(differ.is_empty(), "{}", differ.join("\n\n"));
}

#[test]
fn streamed_output_is_the_same_for_any_thread_count() {
    let engine = engine(true);
    let bundle = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let scan = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool");
        let mut r = pool.install(|| engine.scan_paths(&[bundle.as_path()]).report);
        r.stats.elapsed_ms = 0;
        serde_json::to_string(&r).expect("json")
    };
    let one = scan(1);
    assert!(one.contains("read as a stream"));
    assert_eq!(one, scan(2));
    assert_eq!(one, scan(5));
}

#[test]
fn explain_on_streamed_files_names_the_same_close_rules() {
    // A streamed file counts candidate lines only, so counts may be lower than
    // a whole read's; which rules came close and how far they got must not change.
    let bundle = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus/23-config-scope/bundle/claude-debug.txt");
    let whole = Engine::builder()
        .builtin_rules()
        .explain(true)
        .build()
        .expect("built-in rules");
    let mut streamed = Engine::builder().builtin_rules().explain(true);
    streamed = streamed.stream_config(StreamConfig {
        threshold: 0,
        chunk: 61,
        chunks_per_batch: 3,
    });
    let streamed = streamed.build().expect("built-in rules");
    let close = |e: &Engine| -> (bool, Vec<(String, Option<String>, String)>) {
        let r = e.scan_paths(&[bundle.as_path()]).report;
        let as_stream = r.inputs[0]
            .notes
            .iter()
            .any(|n| n.contains("read as a stream"));
        let close = r
            .explain
            .expect("explain is on")
            .into_iter()
            .map(|w| (w.rule, w.reached, w.missing.id))
            .collect();
        (as_stream, close)
    };
    let (whole_streamed, w) = close(&whole);
    let (streamed_streamed, s) = close(&streamed);
    assert!(!whole_streamed && streamed_streamed);
    assert!(!w.is_empty());
    assert_eq!(w, s);
}
