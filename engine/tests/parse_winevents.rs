//! Windows event dumps (fixtures written for this project in the shapes users
//! paste): Event Viewer text in four languages, `wevtutil /f:text`, event XML
//! one per line and pretty-printed, PowerShell `Format-List` newest first, and
//! Event Viewer CSV with quoted multi-line messages. Exact events expected.

mod parse_common;

use std::path::Path;

use logscan_engine::parse::ParsedSource;

fn fixture(rel: &str) -> ParsedSource {
    parse_common::fixture("winevents", rel)
}

use parse_common::events;

#[test]
#[ignore]
fn dump_fixtures() {
    parse_common::dump("winevents");
}

#[test]
fn viewer_en_txt() {
    let p = fixture("viewer-en.txt");
    assert_eq!(p.format, "windows-event-text");
    let expected = [
        "L1-30 2026-03-14T22:05:42.123Z info msg=\"The system is entering sleep.\\n\\nSleep Reason: Application API\" provider=\"Microsoft-Windows-Kernel-Power\" event_id=\"42\" channel=\"System\" computer=\"LAPTOP-QX12\" record_id=\"9001\" task=\"(64)\" data.TargetState=\"4\" data.Reason=\"2\"",
    ];
    assert_eq!(events(&p), expected);
}

#[test]
fn viewer_de_txt() {
    let p = fixture("viewer-de.txt");
    assert_eq!(p.format, "windows-event-text");
    let expected = [
        "L1-11 2026-03-15T07:12:03.000Z~ info msg=\"Das System wurde aus dem Energiesparmodus fortgesetzt.\" provider=\"Microsoft-Windows-Kernel-Power\" event_id=\"107\" channel=\"System\" computer=\"ARBEITS-PC\" task=\"(102)\"",
    ];
    assert_eq!(events(&p), expected);
}

#[test]
fn viewer_fr_txt() {
    let p = fixture("viewer-fr.txt");
    assert_eq!(p.format, "windows-event-text");
    let expected = [
        "L1-9 2026-03-16T09:30:00.000Z~ error msg=\"Le démarrage de la machine virtuelle « WSL » a échoué : 0x80370102.\" provider=\"Microsoft-Windows-Hyper-V-Compute\" event_id=\"12010\" channel=\"Microsoft-Windows-Hyper-V-Compute-Admin\" computer=\"POSTE-01\" task=\"Aucun\"",
    ];
    assert_eq!(events(&p), expected);
}

#[test]
fn viewer_zh_txt() {
    let p = fixture("viewer-zh.txt");
    assert_eq!(p.format, "windows-event-text");
    let expected = [
        "L1-16 2026-03-17T08:01:02.000Z~ error msg=\"DCOM 在尝试启动服务 LxssManager 时遇到错误“2”\" provider=\"Microsoft-Windows-DistributedCOM\" event_id=\"10005\" channel=\"System\" computer=\"DESKTOP-ABC12\" task=\"无\"",
    ];
    assert_eq!(events(&p), expected);
}

#[test]
fn wevtutil_txt() {
    let p = fixture("wevtutil.txt");
    assert_eq!(p.format, "windows-event-text");
    let expected = [
        "L1-11 2026-03-18T05:10:54.500Z info msg=\"The system time has changed to 2026-03-18T05:10:54.500000Z from 2026-03-18T05:00:27.470000Z.\\n\\nChange Reason:\\tSystem time synchronized with the hardware clock.\" provider=\"Microsoft-Windows-Kernel-General\" event_id=\"1\" channel=\"System\" computer=\"box\"",
        "L13-22 2026-03-18T05:00:27.000Z msg=\"Microsoft-Windows-Kernel-Power 107\" provider=\"Microsoft-Windows-Kernel-Power\" event_id=\"107\" channel=\"System\" computer=\"box\"",
    ];
    assert_eq!(events(&p), expected);
}

#[test]
fn single_xml() {
    let p = fixture("single.xml");
    assert_eq!(p.format, "windows-event-xml");
    let expected = [
        "L1 2026-03-19T01:00:00.000Z info msg=\"The system is entering sleep.\" provider=\"Microsoft-Windows-Kernel-Power\" event_id=\"42\" channel=\"System\" computer=\"pc1\" record_id=\"11\" task=\"64\" data.Reason=\"7\"",
        "L2 2026-03-19T03:30:00.000Z info msg=\"Microsoft-Windows-Kernel-Power 107\" provider=\"Microsoft-Windows-Kernel-Power\" event_id=\"107\" channel=\"System\" computer=\"pc1\" record_id=\"12\"",
    ];
    assert_eq!(events(&p), expected);
}

#[test]
fn pretty_xml() {
    let p = fixture("pretty.xml");
    assert_eq!(p.format, "windows-event-xml");
    let expected = [
        "L1-17 2026-03-20T12:00:01.500Z info msg=\"Microsoft-Windows-Hyper-V-Compute 2000 Id=wsl Result=0xC0370103\" provider=\"Microsoft-Windows-Hyper-V-Compute\" event_id=\"2000\" channel=\"Microsoft-Windows-Hyper-V-Compute-Operational\" computer=\"HOST7\" record_id=\"321\" data.Id=\"wsl\" data.Result=\"0xC0370103\"",
    ];
    assert_eq!(events(&p), expected);
}

#[test]
fn getwinevent_txt() {
    let p = fixture("getwinevent.txt");
    assert_eq!(p.format, "windows-event-ps");
    let expected = [
        "L1-4 2026-03-21T14:18:07.000Z~ msg=\"The system has resumed from sleep.\" provider=\"Microsoft-Windows-Kernel-Power\" event_id=\"107\"",
        "L6-11 2026-03-21T09:42:00.000Z~ msg=\"The system is entering sleep.\\n\\nSleep Reason: Application API\" provider=\"Microsoft-Windows-Kernel-Power\" event_id=\"42\"",
    ];
    assert_eq!(events(&p), expected);
}

#[test]
fn geteventlog_txt() {
    let p = fixture("geteventlog.txt");
    assert_eq!(p.format, "windows-event-ps");
    let expected = [
        "L1-9 2026-03-22T07:30:05.000Z~ info msg=\"The system has returned from a low power state.\\n\\nSleep Time: 2026-03-22T01:00:00.000000000Z\\nWake Time: 2026-03-22T06:30:00.000000000Z\" provider=\"Microsoft-Windows-Power-Troubleshooter\" event_id=\"1\" record_id=\"5120\"",
        "L11 msg=\"--\"",
        "L13-18 2026-03-22T01:02:03.000Z~ error msg=\"DCOM got error \\\"2\\\" attempting to start the service LxssManager\" provider=\"DCOM\" event_id=\"10005\" record_id=\"5101\"",
    ];
    assert_eq!(events(&p), expected);
}

#[test]
fn export_csv() {
    let p = fixture("export.csv");
    assert_eq!(p.format, "windows-event-csv");
    let expected = [
        "L1 msg=\"Level,Date and Time,Source,Event ID,Task Category\"",
        "L2-4 2026-03-23T10:16:19.000Z~ info msg=\"The system is entering sleep.\\n\\nSleep Reason: Application API\" provider=\"Microsoft-Windows-Kernel-Power\" event_id=\"42\" task=\"(64)\"",
        "L5-6 2026-03-23T10:20:00.000Z~ error msg=\"The LxssManager service failed to start due to the following error:\\nThe system cannot find the file specified.\" provider=\"Service Control Manager\" event_id=\"7000\" task=\"None\"",
    ];
    assert_eq!(events(&p), expected);
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
