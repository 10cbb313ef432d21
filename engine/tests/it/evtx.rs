//! Binary `.evtx` files read through `source::collect`: the committed fixtures
//! in `tests/data/evtx` (trimmed from real logs by `trim.py`, see its README),
//! and, as extra coverage, the shared samples in `../shared/data/evtx`
//! (required under `CI=true`, skipped with a note elsewhere).

use crate::common;

use std::path::{Path, PathBuf};

use logscan_engine::event::{Event, EventRef, Value};
use logscan_engine::parse::{self, ParsedSource};
use logscan_engine::source;

/// Bytes of the `.evtx` file header and of each chunk.
const FILE_HEADER: usize = 4096;
const CHUNK: usize = 65536;

/// A committed fixture of `tests/data/evtx`.
fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/evtx")
        .join(name)
}

fn read(path: &Path) -> (ParsedSource, Vec<source::InputError>) {
    let (mut texts, errors) = source::collect(&[path]);
    assert_eq!(texts.len(), 1, "{errors:?}");
    let text = texts.remove(0);
    (parse::parse(text, 0, &Default::default()), errors)
}

/// `timestamp provider event_id record_id` of one event.
fn row(parsed: &ParsedSource, event: &Event) -> String {
    let record = EventRef {
        event,
        source_text: &parsed.text.text,
        format: parsed.format,
    };
    let timestamp = event
        .ts
        .and_then(|timestamp| jiff::Timestamp::from_millisecond(timestamp.ms).ok())
        .map(|timestamp| timestamp.to_string())
        .unwrap_or_default();
    format!(
        "{timestamp} {} {} {}",
        record.get("provider").unwrap_or_default(),
        record.get("event_id").unwrap_or_default(),
        record.get("record_id").unwrap_or_default()
    )
}

fn provider_is(event: &Event, provider: &str) -> bool {
    matches!(event.value("provider"), Some(Value::Owned(value)) if &**value == provider)
}

/// The rows of the Kernel-Power sleep (42) and resume (107) records.
fn sleep_and_resume_rows(parsed: &ParsedSource) -> Vec<String> {
    parsed
        .events
        .iter()
        .filter(|event| {
            matches!(event.value("event_id"), Some(Value::Int(42 | 107)))
                && provider_is(event, "Microsoft-Windows-Kernel-Power")
        })
        .map(|event| row(parsed, event))
        .collect()
}

fn record_ids(parsed: &ParsedSource) -> Vec<i64> {
    parsed
        .events
        .iter()
        .filter_map(|event| match event.value("record_id") {
            Some(Value::Int(id)) => Some(*id),
            _ => None,
        })
        .collect()
}

fn notes(parsed: &ParsedSource) -> Vec<&str> {
    parsed
        .text
        .notes
        .iter()
        .map(|note| note.message.as_str())
        .collect()
}

const RENDERED_NOTE: &str = "rendered from binary .evtx: offsets refer to the rendered text; \
     each line is one record (record id in the event)";

#[test]
fn the_sleep_resume_fixture_holds_the_power_records() {
    let (parsed, errors) = read(&fixture("system-sleep-resume.evtx"));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(parsed.format, "windows-event-evtx");
    // Chunk 6 of the System log: records 702 to 837, all read, in order.
    assert_eq!(record_ids(&parsed), (702..=837).collect::<Vec<i64>>());
    assert_eq!(notes(&parsed), [RENDERED_NOTE]);
    assert!(parsed
        .events
        .iter()
        .all(|event| event.value("event_id").is_some()));
    assert_eq!(
        sleep_and_resume_rows(&parsed),
        [
            "2017-07-23T10:16:19.255Z Microsoft-Windows-Kernel-Power 42 756",
            "2017-07-23T10:16:28.496Z Microsoft-Windows-Kernel-Power 107 757",
        ]
    );
    let troubleshooter: Vec<String> = parsed
        .events
        .iter()
        .filter(|event| provider_is(event, "Microsoft-Windows-Power-Troubleshooter"))
        .map(|event| row(&parsed, event))
        .collect();
    assert_eq!(
        troubleshooter,
        ["2017-07-23T10:19:14.862Z Microsoft-Windows-Power-Troubleshooter 1 760"]
    );
}

#[test]
fn the_bad_chunk_fixture_keeps_the_readable_records_and_says_what_it_lost() {
    let (parsed, errors) = read(&fixture("bad-chunk.evtx"));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(parsed.format, "windows-event-evtx");
    assert_eq!(parsed.events.len(), 14);
    // Chunk 0 is damaged after its 13th record (the 14th read has no ids).
    assert_eq!(record_ids(&parsed), (46728..=46740).collect::<Vec<i64>>());
    let notes = notes(&parsed);
    assert_eq!(notes.len(), 3, "{notes:?}");
    assert_eq!(notes[0], RENDERED_NOTE);
    // Every chunk or record lost is counted (issue 12).
    assert_eq!(
        notes[1],
        "116 records (of 130) of chunk 0 of the .evtx file could not be read \
         (the chunk ends before them); the rest was read"
    );
    // Chunk 1 has no chunk signature: skipped whole, its cause named.
    assert!(
        notes[2].starts_with("chunk 1 of the .evtx file could not be read (")
            && notes[2].contains("chunk header magic")
            && notes[2].ends_with("); its records are lost"),
        "{}",
        notes[2]
    );
}

#[test]
fn the_fixtures_are_small_and_their_headers_describe_them() {
    for (name, chunks) in [("system-sleep-resume.evtx", 1), ("bad-chunk.evtx", 2)] {
        let bytes = std::fs::read(fixture(name)).unwrap();
        assert_eq!(
            bytes.len(),
            FILE_HEADER + chunks * CHUNK,
            "{name}: whole chunks"
        );
        assert_eq!(&bytes[..8], b"ElfFile\0", "{name}");
        let u16_at = |at: usize| u16::from_le_bytes([bytes[at], bytes[at + 1]]);
        let u32_at = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap());
        let u64_at = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap());
        assert_eq!(u64_at(8), 0, "{name}: first chunk number");
        assert_eq!(u64_at(16), chunks as u64 - 1, "{name}: last chunk number");
        assert_eq!(usize::from(u16_at(42)), chunks, "{name}: chunk count");
        let mut crc = flate2::Crc::new();
        crc.update(&bytes[..120]);
        assert_eq!(u32_at(124), crc.sum(), "{name}: header CRC32");
    }
}

#[test]
fn shared_system_log_has_the_sleep_and_resume_records() {
    let Some(path) = common::shared_data("evtx/evtxcrate_system.evtx") else {
        return;
    };
    let (parsed, errors) = read(&path);
    assert!(errors.is_empty());
    assert_eq!(parsed.format, "windows-event-evtx");
    assert_eq!(parsed.events.len(), 1881);
    assert_eq!(notes(&parsed)[0], RENDERED_NOTE);
    assert_eq!(
        sleep_and_resume_rows(&parsed),
        [
            "2017-07-20T16:22:16.516Z Microsoft-Windows-Kernel-Power 42 537",
            "2017-07-20T16:42:30.072Z Microsoft-Windows-Kernel-Power 107 540",
            "2017-07-23T10:16:19.255Z Microsoft-Windows-Kernel-Power 42 756",
            "2017-07-23T10:16:28.496Z Microsoft-Windows-Kernel-Power 107 757",
        ]
    );
    let troubleshooter = parsed
        .events
        .iter()
        .filter(|event| provider_is(event, "Microsoft-Windows-Power-Troubleshooter"))
        .count();
    assert!(troubleshooter >= 1);
}

#[test]
fn shared_bad_chunk_sample_is_skipped_with_a_note() {
    let Some(path) = common::shared_data("evtx/evtxcrate_sample_with_a_bad_chunk_magic.evtx")
    else {
        return;
    };
    let (parsed, errors) = read(&path);
    assert!(errors.is_empty());
    assert_eq!(parsed.events.len(), 270);
    let notes = notes(&parsed);
    // Every chunk or record lost is counted (issue 12).
    assert!(notes
        .iter()
        .any(|message| message.starts_with("116 records (of 130) of chunk 0 ")));
    assert!(notes
        .iter()
        .any(|message| message.starts_with("chunks 1-5 of the .evtx file are all zeros")));
    assert!(notes
        .iter()
        .any(|message| message.starts_with("chunk 6 of the .evtx file could not be read")));
    assert!(notes
        .iter()
        .any(|message| message.starts_with("65 records (of 78) of chunk 7 ")));
}

#[test]
fn every_shared_evtx_file_parses() {
    let Some(files) = common::shared_files("evtx", |path| {
        path.extension()
            .is_some_and(|extension| extension == "evtx")
    }) else {
        return;
    };
    for file in files {
        let (parsed, _) = read(&file);
        assert_eq!(parsed.format, "windows-event-evtx", "{}", file.display());
        assert!(!parsed.events.is_empty(), "{}", file.display());
        assert!(
            parsed
                .events
                .iter()
                .all(|event| event.value("event_id").is_some()),
            "{}",
            file.display()
        );
    }
}
