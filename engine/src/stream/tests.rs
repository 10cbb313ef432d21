use crate::rule::prefilter::Candidates;
use std::path::{Path, PathBuf};

use super::*;
use crate::event::EventRef;
use crate::Engine;

fn engine() -> Engine {
    Engine::builder()
        .builtin_rules()
        .build()
        .expect("built-in rules")
}

fn tiny() -> StreamConfig {
    StreamConfig {
        chunk: 97,
        chunks_per_batch: 3,
        ..StreamConfig::default()
    }
}

/// (start, end, line, end_line, ts, record text) of every event.
type Row = (u64, u64, u32, u32, Option<i64>, String);

fn rows_of_stream(p: Prepared<'_>) -> Vec<Row> {
    let mut out = Vec::new();
    for seg in p.stream {
        for e in seg.events.iter() {
            let text = seg
                .text
                .get(e.text.start as usize..e.text.end as usize)
                .unwrap_or("?");
            out.push((
                e.span.start,
                e.span.end,
                e.span.line,
                e.span.end_line,
                e.ts.map(|t| t.ms),
                text.to_string(),
            ));
        }
    }
    out
}

/// The whole-file parse, kept as the stream keeps (rule candidates), without the chunk samples.
fn rows_of_whole(engine: &Engine, path: &Path) -> Vec<Row> {
    let bytes = std::fs::read(path).expect("read");
    let text = crate::decode::decode(path.display().to_string(), bytes);
    let parsed = engine.parse(text);
    let rules = engine.rules();
    let active = Candidates::from_ids(&cache::active_predicates(rules, parsed.format));
    let mut cands = Candidates::default();
    parsed
        .events
        .iter()
        .filter_map(|e| {
            let er = EventRef {
                event: e,
                source_text: &parsed.text.text,
                format: parsed.format,
            };
            rules.prefilter.candidates(er.record_text(), &mut cands);
            cands.intersects(&active).then(|| {
                (
                    e.span.start,
                    e.span.end,
                    e.span.line,
                    e.span.end_line,
                    e.ts.map(|t| t.ms),
                    er.record_text().to_string(),
                )
            })
        })
        .collect()
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[test]
fn streamed_records_equal_whole_parse_on_corpus_and_fixtures() {
    let engine = engine();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    files_under(&root.join("corpus"), &mut files);
    files_under(&root.join("rules"), &mut files);
    // More folders to compare (e.g. real logs outside the repository), colon-separated.
    for dir in std::env::var("LOGSCAN_STREAM_EQ_DIRS")
        .unwrap_or_default()
        .split(':')
        .filter(|d| !d.is_empty())
    {
        files_under(Path::new(dir), &mut files);
    }
    let mut streamed = 0;
    let mut report = Vec::new();
    let cache = Cache::new();
    for f in files
        .iter()
        .filter(|f| !f.to_string_lossy().ends_with(".yaml"))
    {
        let input = Input::of_source(f.display().to_string(), crate::source::ByteSource::file(f));
        let p = match prepare_input(
            &input,
            0,
            engine.rules(),
            engine.parse_options(),
            tiny(),
            &cache,
        ) {
            Ok(p) => p,
            Err(_) => continue,
        };
        streamed += 1;
        let whole = rows_of_whole(&engine, f);
        let got: Vec<Row> = rows_of_stream(p);
        // The stream also keeps each chunk's last record (a time sample): compare candidates only.
        let got: Vec<Row> = got
            .into_iter()
            .filter(|r| whole.iter().any(|w| w.0 == r.0))
            .collect();
        if got != whole {
            let only = |a: &[Row], b: &[Row]| -> Vec<String> {
                a.iter()
                    .filter(|r| !b.contains(r))
                    .take(2)
                    .map(|r| format!("{r:?}"))
                    .collect()
            };
            report.push(format!(
                "{}: {} whole, {} streamed\n  only whole: {:?}\n  only streamed: {:?}",
                f.display(),
                whole.len(),
                got.len(),
                only(&whole, &got),
                only(&got, &whole)
            ));
        }
    }
    assert!(streamed > 20, "only {streamed} files streamed");
    assert!(
        report.is_empty(),
        "{} of {streamed} differ:\n{}",
        report.len(),
        report.join("\n")
    );
}

#[test]
fn a_deferred_source_is_read_again_and_one_that_vanished_gets_a_note() {
    let engine = engine();
    let dir = std::env::temp_dir().join(format!("logscan-deferred-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("mcp-server-x.log");
    let log = "2025-01-01T10:00:00.000Z [x] [info] Server started and connected successfully\n\
               2025-01-01T10:00:01.000Z [x] [error] Server disconnected.\n";
    std::fs::write(&path, log).unwrap();
    let input = Input::of_source(
        path.display().to_string(),
        crate::source::ByteSource::file(&path),
    );
    let cache = Cache::new();
    let with = deferred::Reopen {
        rules: engine.rules(),
        opts: engine.parse_options(),
        cfg: StreamConfig::default(),
        cache: &cache,
    };
    let open = || {
        let p = prepare_input(&input, 0, with.rules, with.opts, with.cfg, &cache);
        p.unwrap_or_else(|_| panic!("streamed"))
    };
    // Read again: the same records as the first opening streams.
    let first = open();
    let want: Vec<u32> = first
        .stream
        .flat_map(|s| s.events.iter().map(|e| e.seq).collect::<Vec<_>>())
        .collect();
    let p = open();
    let summary = Arc::clone(&p.summary);
    drop(p.stream);
    let got: Vec<u32> = deferred::Deferred::new(with, &input, 0, Arc::clone(&summary))
        .flat_map(|s| s.events.iter().map(|e| e.seq).collect::<Vec<_>>())
        .collect();
    assert!(!want.is_empty());
    assert_eq!(got, want);
    assert_eq!(summary.lock().unwrap().lines, 2);
    // Gone before it was read again: no records, and a note says why.
    let p = open();
    let summary = Arc::clone(&p.summary);
    drop(p.stream);
    std::fs::remove_file(&path).unwrap();
    let got = deferred::Deferred::new(with, &input, 0, Arc::clone(&summary)).count();
    let notes: Vec<String> = summary
        .lock()
        .unwrap()
        .notes
        .iter()
        .map(|n| n.message.clone())
        .collect();
    assert_eq!(got, 0);
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with("not matched: the file could not be read again")),
        "{notes:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
