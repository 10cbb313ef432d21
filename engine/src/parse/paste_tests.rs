//! The paste-damage audit: for each kind of damage people add when they paste
//! a log (quotes, indentation, elisions, redacted timestamps, mid-line starts,
//! glued records, pager output, curly quotes, CRLF and tabs, code fences), what
//! the parser makes of it, exactly. Every test also checks that no non-blank
//! line is lost.

use super::{parse, ParseOptions};
use crate::event::EventRef;
use crate::frame;
use crate::text::SourceText;

/// `(format, one line per event)`: `line ts level [server] msg {paste}`.
fn events(path: &str, text: &str) -> (&'static str, Vec<String>) {
    let p = parse(
        SourceText::identity(path, text.to_string()),
        0,
        &ParseOptions::default(),
    );
    for line in frame::lines(text) {
        let blank = matches!(line.text(text).trim(), "" | ">");
        let covered = p
            .events
            .iter()
            .any(|e| e.text.start < line.end.max(line.start + 1) && e.text.end > line.start);
        assert!(blank || covered, "line {} lost: {text}", line.number);
    }
    let rows = p
        .events
        .iter()
        .map(|e| {
            let r = EventRef {
                event: e,
                source_text: &p.text.text,
                format: p.format,
            };
            let ts = e.ts.map_or("-".to_string(), |t| {
                jiff::Timestamp::from_millisecond(t.ms)
                    .map_or("?".into(), |t| t.strftime("%H:%M:%S%.3f").to_string())
            });
            let level = e.level.map_or("-", |l| l.as_str());
            let server = r.get("server").unwrap_or_default();
            let paste = r
                .get("paste")
                .map(|m| format!(" {{{m}}}"))
                .unwrap_or_default();
            format!("{} {ts} {level} [{server}] {}{paste}", e.span.line, r.msg())
        })
        .collect();
    (p.format, rows)
}

#[test]
fn markdown_quote_prefix() {
    let (f, ev) = events(
        "comment.md",
        "> 2025-06-03T07:23:52.600Z [docs] [info] Initializing server...\n\
         > > 2025-06-03T07:23:52.700Z [docs] [error] spawn npx ENOENT\n\
         >\n\
         > Traceback (most recent call last):\n\
         >   File \"x.py\", line 1\n\
         > ModuleNotFoundError: No module named 'mcp'\n",
    );
    assert_eq!(f, "claude-desktop-server");
    assert_eq!(
        ev,
        [
            "1 07:23:52.600 info [docs] Initializing server...",
            "2 07:23:52.700 error [docs] spawn npx ENOENT",
            "4 07:23:52.700 - [docs] Traceback (most recent call last):\n>   File \"x.py\", line 1\n> ModuleNotFoundError: No module named 'mcp'",
        ]
    );
}

#[test]
fn leading_indentation_and_tabs() {
    let (f, ev) = events(
        "debug.txt",
        "\t2025-09-03T07:58:41.341Z [ERROR] MCP server \"docs\" Connection failed: spawn npx ENOENT\r\n\
         \t2025-09-03T07:58:41.342Z [DEBUG] MCP server \"docs\": Error stack: Error: spawn npx ENOENT\r\n\
         \t    at onErrorNT (node:internal/child_process:483:16)\r\n\
         \t2025-09-03T07:58:41.343Z [DEBUG] MCP server \"docs\": Connection attempt completed\r\n",
    );
    assert_eq!(f, "claude-code-debug");
    assert_eq!(
        ev,
        [
            "1 07:58:41.341 error [docs] MCP server \"docs\" Connection failed: spawn npx ENOENT",
            "2 07:58:41.342 debug [docs] MCP server \"docs\": Error stack: Error: spawn npx ENOENT\r\n\t    at onErrorNT (node:internal/child_process:483:16)",
            "4 07:58:41.343 debug [docs] MCP server \"docs\": Connection attempt completed",
        ]
    );
}

#[test]
fn elisions_are_lines_of_their_own() {
    let (f, ev) = events(
        "mcp-server-docs.log",
        "2025-06-03T07:23:52.600Z [docs] [info] Initializing server...\n\
         ...\n\
         2025-06-03T07:23:52.700Z [docs] [info] Server started\n\
         [...]\n\
         …\n\
         <snip>\n\
         (truncated)\n\
         2025-06-03T07:23:53.000Z [docs] [error] Server disconnected\n\
         some stderr\n",
    );
    assert_eq!(f, "claude-desktop-server");
    assert_eq!(
        ev,
        [
            "1 07:23:52.600 info [docs] Initializing server...",
            "2 07:23:52.600 - [docs] ... {elision}",
            "3 07:23:52.700 info [docs] Server started",
            "4 07:23:52.700 - [docs] [...] {elision}",
            "5 07:23:52.700 - [docs] … {elision}",
            "6 07:23:52.700 - [docs] <snip> {elision}",
            "7 07:23:52.700 - [docs] (truncated) {elision}",
            "8 07:23:53.000 error [docs] Server disconnected",
            "9 07:23:53.000 - [docs] some stderr",
        ]
    );
}

#[test]
fn elision_in_a_stack_stays_in_the_record() {
    let (_, ev) = events(
        "debug.txt",
        "2025-09-03T07:58:41.342Z [DEBUG] MCP server \"docs\": Error stack: Error: x\n\
         \x20   at a (node:internal/x:1:2)\n\
         \x20   ...\n\
         \x20   at b (node:internal/x:3:4)\n\
         2025-09-03T07:58:41.343Z [DEBUG] next\n",
    );
    assert_eq!(ev.len(), 2);
    assert!(ev[0].starts_with("1 07:58:41.342 debug [docs]"), "{ev:?}");
    assert!(ev[0].ends_with("at b (node:internal/x:3:4)"), "{ev:?}");
}

#[test]
fn redacted_timestamps_are_record_heads() {
    let (f, ev) = events(
        "vscode-output.log",
        "XXXX-XX-XX XX:XX:XX.XXX [info] Starting server docs\n\
         xxxx-xx-xx xx:xx:xx.xxx [error] Connection state: Error spawn npx ENOENT\n\
         <timestamp> [info] Connection state: Stopped\n",
    );
    assert_eq!(f, "vscode-mcp");
    assert_eq!(
        ev,
        [
            "1 - info [docs] Starting server docs",
            "2 - error [docs] Connection state: Error spawn npx ENOENT",
            "3 - info [docs] Connection state: Stopped",
        ]
    );
    let (f, ev) = events(
        "mcp-server-docs.log",
        "2025-06-03T07:23:52.600Z [docs] [info] Initializing server...\n\
         [xx:xx:xx] [docs] [info] Server started\n\
         2025-06-03TXX:XX:XX.XXXZ [docs] [error] spawn npx ENOENT\n\
         XXX-XX-XX...>[docs] [info] Client transport closed\n",
    );
    assert_eq!(f, "claude-desktop-server");
    // Redacted heads are entries (level, server), not stderr of the entry before;
    // they take the last real time, as any record without one.
    assert_eq!(
        ev,
        [
            "1 07:23:52.600 info [docs] Initializing server...",
            "2 07:23:52.600 info [docs] Server started",
            "3 07:23:52.600 error [docs] spawn npx ENOENT",
            "4 07:23:52.600 info [docs] Client transport closed",
        ]
    );
    let (f, ev) = events(
        "debug.txt",
        "<timestamp> [DEBUG] MCP server \"docs\": Starting connection\n\
         <timestamp> [ERROR] MCP server \"docs\" Connection failed: spawn npx ENOENT\n",
    );
    assert_eq!(f, "claude-code-debug");
    assert_eq!(
        ev,
        [
            "1 - debug [docs] MCP server \"docs\": Starting connection",
            "2 - error [docs] MCP server \"docs\" Connection failed: spawn npx ENOENT",
        ]
    );
}

#[test]
fn paste_starting_mid_line() {
    let (f, ev) = events(
        "debug.txt",
        "52.664Z [DEBUG] MCP server \"docs\": Starting connection with timeout of 30000ms\n\
         2025-09-03T07:58:41.341Z [ERROR] MCP server \"docs\" Connection failed: spawn npx ENOENT\n",
    );
    assert_eq!(f, "claude-code-debug");
    assert_eq!(
        ev,
        [
            "1 - - [docs] 52.664Z [DEBUG] MCP server \"docs\": Starting connection with timeout of 30000ms",
            "2 07:58:41.341 error [docs] MCP server \"docs\" Connection failed: spawn npx ENOENT",
        ]
    );
    let (f, ev) = events(
        "mcp.log",
        "ver \"docs\" exited with code 1\n\
         2025-06-03T07:23:52.600Z [info] [docs] Initializing server...\n",
    );
    assert_eq!(f, "claude-desktop-main");
    assert_eq!(
        ev,
        [
            "1 - - [] ver \"docs\" exited with code 1",
            "2 07:23:52.600 info [docs] Initializing server...",
        ]
    );
}

#[test]
fn glued_records_are_split() {
    let (_, ev) = events(
        "mcp-server-docs.log",
        "2025-06-03T07:23:52.664Z [docs] [info] Server started { metadata: undefined }2025-06-03T07:23:52.700Z [docs] [error] spawn npx ENOENT\n\
         2025-06-03T07:23:52.800Z [docs] [info] Message x 2025-06-03T07:23:52.900Z [docs] [error] Server disconnected\n",
    );
    assert_eq!(
        ev,
        [
            "1 07:23:52.664 info [docs] Server started",
            "1 07:23:52.700 error [docs] spawn npx ENOENT",
            "2 07:23:52.800 info [docs] Message x",
            "2 07:23:52.900 error [docs] Server disconnected",
        ]
    );
    let (_, ev) = events(
        "vscode-output.log",
        "2025-04-11 09:28:33.506 [info] Starting server docs2025-04-11 09:28:33.600 [error] Connection state: Error spawn npx ENOENT\n",
    );
    assert_eq!(
        ev,
        [
            "1 09:28:33.506 info [docs] Starting server docs",
            "1 09:28:33.600 error [docs] Connection state: Error spawn npx ENOENT",
        ]
    );
    let (_, ev) = events(
        "debug.txt",
        "XXXX-XX-XXTXX:XX:XX.XXXZ [ERROR] MCP server \"docs\" Connection failed: spawn npx ENOENT XXXX-XX-XXTXX:XX:XX.XXXZ [DEBUG] MCP server \"docs\": done\n\
         2025-09-03T07:58:41.342Z [DEBUG] MCP server \"x\": Server stderr: 2025-09-03T07:58:41.300Z [ERROR] boom\n",
    );
    assert_eq!(
        ev,
        [
            "1 - error [docs] MCP server \"docs\" Connection failed: spawn npx ENOENT",
            "1 - debug [docs] MCP server \"docs\": done",
            "2 07:58:41.342 debug [x] MCP server \"x\": Server stderr: 2025-09-03T07:58:41.300Z [ERROR] boom",
        ]
    );
}

#[test]
fn pager_output() {
    let (f, ev) = events(
        "mcp-server-docs.log",
        "2025-06-03T07:23:52.600Z [docs] [info] Initializing server...\n\
         2025-06-03T07:23:52.700Z [docs] [error] spawn npx ENOENT (the rest of this line was cu\n\
         2025-06-03T07:23:52.800Z [docs] [inf\n\
         --More--(45%)\n\
         :\n\
         lines 1-40/200 (END)\n\
         (END)\n",
    );
    assert_eq!(f, "claude-desktop-server");
    assert_eq!(
        ev,
        [
            "1 07:23:52.600 info [docs] Initializing server...",
            "2 07:23:52.700 error [docs] spawn npx ENOENT (the rest of this line was cu",
            "3 07:23:52.800 - [docs] [docs] [inf",
            "4 07:23:52.800 - [docs] --More--(45%) {pager}",
            "5 07:23:52.800 - [docs] : {pager}",
            "6 07:23:52.800 - [docs] lines 1-40/200 (END) {pager}",
            "7 07:23:52.800 - [docs] (END) {pager}",
        ]
    );
}

#[test]
fn curly_quotes() {
    let (f, ev) = events(
        "debug.txt",
        "2025-09-03T07:58:41.341Z [ERROR] MCP server “docs” Connection failed: spawn npx ENOENT\n\
         “2025-09-03T07:58:41.342Z [DEBUG] MCP server ‘docs’: it’s done”\n",
    );
    assert_eq!(f, "claude-code-debug");
    // Rules see ASCII quotes; the record's text (the evidence) is unchanged.
    assert_eq!(
        ev,
        [
            "1 07:58:41.341 error [docs] MCP server \"docs\" Connection failed: spawn npx ENOENT",
            "2 07:58:41.342 debug [docs] MCP server 'docs': it's done\"",
        ]
    );
}

#[test]
fn code_fences_and_details_do_not_break_detection() {
    let (f, ev) = events(
        "issue.md",
        "<details><summary>log</summary>\n\
         \n\
         ```text\n\
         2025-04-11 09:28:33.506 [info] Starting server docs\n\
         2025-04-11 09:28:33.600 [error] Connection state: Error spawn npx ENOENT\n\
         ```\n\
         </details>\n",
    );
    assert_eq!(f, "vscode-mcp");
    assert_eq!(
        ev,
        [
            "1 - - [] <details><summary>log</summary> {html}",
            "3 - - [] ```text {fence}",
            "4 09:28:33.506 info [docs] Starting server docs",
            "5 09:28:33.600 error [docs] Connection state: Error spawn npx ENOENT",
            "6 09:28:33.600 - [docs] ``` {fence}",
            "7 09:28:33.600 - [docs] </details> {html}",
        ]
    );
}
