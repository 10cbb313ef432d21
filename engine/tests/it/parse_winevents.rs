//! Windows event dumps (fixtures written for this project in the shapes users
//! paste): Event Viewer text in four languages, `wevtutil /f:text`, event XML
//! one per line and pretty-printed, PowerShell `Format-List` newest first, and
//! Event Viewer CSV with quoted multi-line messages. Exact events expected,
//! one line per event in an insta snapshot (`tests/it/snapshots/`).

use crate::parse_common;

use std::path::Path;

use logscan_engine::parse::ParsedSource;

fn fixture(rel: &str) -> ParsedSource {
    parse_common::fixture("winevents", rel)
}

use parse_common::events;

#[test]
fn viewer_en_txt() {
    let p = fixture("viewer-en.txt");
    assert_eq!(p.format, "windows-event-text");
    insta::assert_snapshot!(parse_common::events_text(&p));
}

#[test]
fn viewer_de_txt() {
    let p = fixture("viewer-de.txt");
    assert_eq!(p.format, "windows-event-text");
    insta::assert_snapshot!(parse_common::events_text(&p));
}

#[test]
fn viewer_fr_txt() {
    let p = fixture("viewer-fr.txt");
    assert_eq!(p.format, "windows-event-text");
    insta::assert_snapshot!(parse_common::events_text(&p));
}

#[test]
fn viewer_zh_txt() {
    let p = fixture("viewer-zh.txt");
    assert_eq!(p.format, "windows-event-text");
    insta::assert_snapshot!(parse_common::events_text(&p));
}

#[test]
fn wevtutil_txt() {
    let p = fixture("wevtutil.txt");
    assert_eq!(p.format, "windows-event-text");
    insta::assert_snapshot!(parse_common::events_text(&p));
}

#[test]
fn single_xml() {
    let p = fixture("single.xml");
    assert_eq!(p.format, "windows-event-xml");
    insta::assert_snapshot!(parse_common::events_text(&p));
}

#[test]
fn pretty_xml() {
    let p = fixture("pretty.xml");
    assert_eq!(p.format, "windows-event-xml");
    insta::assert_snapshot!(parse_common::events_text(&p));
}

#[test]
fn getwinevent_txt() {
    let p = fixture("getwinevent.txt");
    assert_eq!(p.format, "windows-event-ps");
    insta::assert_snapshot!(parse_common::events_text(&p));
}

#[test]
fn geteventlog_txt() {
    let p = fixture("geteventlog.txt");
    assert_eq!(p.format, "windows-event-ps");
    insta::assert_snapshot!(parse_common::events_text(&p));
}

#[test]
fn export_csv() {
    let p = fixture("export.csv");
    assert_eq!(p.format, "windows-event-csv");
    insta::assert_snapshot!(parse_common::events_text(&p));
}

#[test]
fn crlf_and_markdown_quotes_read_the_same() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/parse/winevents/viewer-de.txt");
    let text = std::fs::read_to_string(path).unwrap();
    let quoted: String = text.lines().map(|l| format!("> {l}\r\n")).collect();
    let p = parse_common::parse_str("paste.txt", &quoted);
    parse_common::check_invariants(&p);
    assert_eq!(p.format, "windows-event-text");
    assert_eq!(
        events(&p),
        [
            r#"L1-11 2026-03-15T07:12:03.000Z~ info msg="Das System wurde aus dem Energiesparmodus fortgesetzt." provider="Microsoft-Windows-Kernel-Power" event_id="107" channel="System" computer="ARBEITS-PC" task="(102)""#
        ]
    );
}

#[test]
fn utf16_powershell_output_is_read() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/parse/winevents/getwinevent.txt");
    let text = std::fs::read_to_string(path).unwrap().replace('\n', "\r\n");
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let src = logscan_engine::decode::decode("events.txt".into(), bytes);
    let p = logscan_engine::parse::parse(src, 0, &Default::default());
    assert_eq!(p.format, "windows-event-ps");
    let ids: Vec<i64> = p
        .events
        .iter()
        .filter_map(|e| match e.value("event_id") {
            Some(logscan_engine::event::Value::Int(i)) => Some(*i),
            _ => None,
        })
        .collect();
    assert_eq!(ids, [107, 42]);
}

#[test]
fn garbage_never_panics() {
    for s in [
        "<Event><System><EventID>x</EventID>",
        "Log Name:\nDescription:\nEvent Xml:\n",
        "Event[0]\n  Date: 99/99/9999 99:99:99 PM\n",
        "Id : \nId : 5\n   continued",
        "Level,Date and Time,Source,Event ID,Task Category\nError,\"unclosed\n",
        "日志名称：\u{a0}",
    ] {
        let p = parse_common::parse_str("x.txt", s);
        parse_common::check_invariants(&p);
    }
}
