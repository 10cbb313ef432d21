//! Binary `.evtx` files read through `source::collect`: the shared samples in
//! `../shared/data/evtx` when present (skipped quietly when absent).

use std::path::{Path, PathBuf};

use logscan_engine::event::{EventRef, Value};
use logscan_engine::parse::{self, ParsedSource};
use logscan_engine::source;

fn shared(name: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/evtx")
        .join(name);
    let alt = Path::new("/work/shared/data/evtx").join(name);
    [p, alt].into_iter().find(|p| p.is_file())
}

fn read(path: &Path) -> (ParsedSource, Vec<source::InputError>) {
    let (mut texts, errors) = source::collect(&[path]);
    assert_eq!(texts.len(), 1, "{errors:?}");
    let text = texts.remove(0);
    (parse::parse(text, 0, &Default::default()), errors)
}

fn row(p: &ParsedSource, e: &logscan_engine::event::Event) -> String {
    let r = EventRef {
        event: e,
        source_text: &p.text.text,
        format: p.format,
    };
    let ts =
        e.ts.and_then(|t| jiff::Timestamp::from_millisecond(t.ms).ok())
            .map(|t| t.to_string())
            .unwrap_or_default();
    format!(
        "{ts} {} {} {}",
        r.get("provider").unwrap_or_default(),
        r.get("event_id").unwrap_or_default(),
        r.get("record_id").unwrap_or_default()
    )
}

#[test]
fn system_log_has_the_sleep_and_resume_records() {
    let Some(path) = shared("evtxcrate_system.evtx") else {
        return;
    };
    let (p, errors) = read(&path);
    assert!(errors.is_empty());
    assert_eq!(p.format, "windows-event-evtx");
    assert_eq!(p.events.len(), 1881);
    assert!(p.text.notes[0]
        .message
        .starts_with("rendered from binary .evtx"));
    let power: Vec<String> = p
        .events
        .iter()
        .filter(|e| {
            matches!(e.value("event_id"), Some(Value::Int(42 | 107)))
                && matches!(e.value("provider"), Some(Value::Owned(s)) if &**s == "Microsoft-Windows-Kernel-Power")
        })
        .map(|e| row(&p, e))
        .collect();
    assert_eq!(
        power,
        [
            "2017-07-20T16:22:16.516Z Microsoft-Windows-Kernel-Power 42 537",
            "2017-07-20T16:42:30.072Z Microsoft-Windows-Kernel-Power 107 540",
            "2017-07-23T10:16:19.255Z Microsoft-Windows-Kernel-Power 42 756",
            "2017-07-23T10:16:28.496Z Microsoft-Windows-Kernel-Power 107 757",
        ]
    );
    let trouble = p
        .events
        .iter()
        .filter(|e| matches!(e.value("provider"), Some(Value::Owned(s)) if &**s == "Microsoft-Windows-Power-Troubleshooter"))
        .count();
    assert!(trouble >= 1);
}

#[test]
fn a_bad_chunk_is_skipped_with_a_note() {
    let Some(path) = shared("evtxcrate_sample_with_a_bad_chunk_magic.evtx") else {
        return;
    };
    let (p, errors) = read(&path);
    assert!(errors.is_empty());
    assert_eq!(p.events.len(), 270);
    let notes: Vec<&str> = p.text.notes.iter().map(|n| n.message.as_str()).collect();
    // Every chunk or record lost is counted (issue 12).
    assert!(notes
        .iter()
        .any(|m| m.starts_with("116 records (of 130) of chunk 0 ")));
    assert!(notes
        .iter()
        .any(|m| m.starts_with("chunks 1-5 of the .evtx file are all zeros")));
    assert!(notes
        .iter()
        .any(|m| m.starts_with("chunk 6 of the .evtx file could not be read")));
    assert!(notes
        .iter()
        .any(|m| m.starts_with("65 records (of 78) of chunk 7 ")));
}

#[test]
fn every_shared_evtx_file_parses() {
    let Some(dir) = shared("README.md").and_then(|p| p.parent().map(Path::to_path_buf)) else {
        return;
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "evtx"))
        .collect();
    files.sort();
    for f in files {
        let (p, _) = read(&f);
        assert_eq!(p.format, "windows-event-evtx", "{}", f.display());
        assert!(!p.events.is_empty(), "{}", f.display());
        assert!(
            p.events.iter().all(|e| e.value("event_id").is_some()),
            "{}",
            f.display()
        );
    }
}
