//! `Engine::scan_paths` on a support bundle zip, end to end: members are
//! parsed, matched and shown as `bundle.zip!logs/mcp.log` in the evidence,
//! with offsets into the member's bytes.

use crate::common;
use crate::source_common;

use source_common::*;

const MCP_LOG: &str = "\
2025-04-19T01:35:57.319Z [info] [fetch] Initializing server...\r
2025-04-19T01:35:57.342Z [error] [fetch] spawn uvx ENOENT {\"context\":\"connection\"}\r
2025-04-19T01:35:57.346Z [info] [fetch] Server transport closed\r
2025-04-19T01:35:57.347Z [error] [fetch] Server disconnected.\r
";

#[test]
fn scan_paths_reads_a_bundle_zip_and_names_members_in_evidence() {
    let tmp = TempDir::new("scan");
    let bundle = zip(&[
        M::Dir("logs/"),
        M::File("logs/mcp.log", MCP_LOG.as_bytes()),
        M::File("logs/notes.txt", b"nothing to see\n"),
    ]);
    let path = tmp.write("bundle.zip", &bundle);
    let result = common::builtin_engine().scan_paths(&[&path]);
    assert!(result.errors.is_empty(), "{:?}", result.errors);
    let shown = path.display().to_string();
    let inputs: Vec<(String, String)> = result
        .report
        .inputs
        .iter()
        .map(|i| (i.path.clone(), i.format.clone()))
        .collect();
    let log_path = format!("{shown}!logs/mcp.log");
    assert_eq!(
        inputs[0],
        (log_path.clone(), "claude-desktop-main".to_string())
    );
    assert_eq!(inputs[1].0, format!("{shown}!logs/notes.txt"));

    let cause = result
        .report
        .causes
        .iter()
        .find(|c| c.cause == "command-not-found")
        .expect("command-not-found is found");
    let finding = cause
        .findings
        .iter()
        .find(|f| f.rule == "command-not-found.spawn-enoent")
        .expect("the spawn-enoent rule fired");
    let ev = finding
        .evidence
        .iter()
        .find(|e| e.step == "enoent")
        .expect("enoent evidence");
    assert_eq!(ev.path, log_path);
    assert_eq!(ev.line, 2);
    // Offsets are into the member's (decompressed) bytes.
    let line2 = MCP_LOG.find("2025-04-19T01:35:57.342Z").expect("line 2") as u64;
    assert_eq!(ev.start, line2);
    let text = MCP_LOG
        .get(ev.start as usize..ev.end as usize)
        .expect("evidence range inside the member");
    assert!(text.contains("spawn uvx ENOENT"), "{text:?}");
}
