//! Signal families `transport_closed` and `request_timed_out`: the client lost
//! its connection to the server, or a request got no answer in time.
//!
//! Both are printed by the MCP SDKs' protocol layers and wrapped by clients:
//! - TypeScript SDK (`src/shared/protocol.ts`, `src/types.ts`): `McpError`
//!   renders as `MCP error <code>: <message>`; a closed transport rejects every
//!   pending request with `ErrorCode.ConnectionClosed` (-32000) `Connection
//!   closed`, a request whose timer fires with `ErrorCode.RequestTimeout`
//!   (-32001) `Request timed out`.
//! - Python SDK (`src/mcp/shared/session.py`): `McpError: Connection closed`;
//!   `Timed out while waiting for response to <RequestClass>. Waited <s> seconds.`
//! - chuk-mcp (IBM mcp-cli): `Timeout waiting for server initialization response (after <s>s)`.
//! - Claude Desktop: `Server transport closed unexpectedly, this is likely due
//!   to the process exiting early`, `Server disconnected.`; Claude Code:
//!   `Connection to MCP server "x" timed out after <ms>ms`, `Connection failed
//!   after <ms>ms: MCP error -32001: Request timed out`, `Failed to reconnect to
//!   x: -32000`.
//!
//! `docs/signals-parts/transport.md` lists every phrasing with its source.

use crate::event::EventRef;
use crate::signal::text::{abs, find_all_ci, find_ci, word_end, word_start};
use crate::signal::{Family, Kind, Signal};

mod timeout;

pub use timeout::REQUEST_TIMED_OUT;

/// `transport_closed`: the client lost its connection to the server.
pub static TRANSPORT_CLOSED: Family = Family {
    kind: Kind::TransportClosed,
    name: "transport_closed",
    about: "the client lost its connection to the server",
    fields: &["how", "code", "method"],
    literals: &[
        // Not `connection closed` alone: sshd prints it on every dropped login.
        "32000: connection closed",
        "mcperror: connection closed",
        // Go SDK mcp/transport.go `call`: `connection closed: calling "initialize": ...`
        // and `calling "initialize": EOF`.
        "connection closed: calling ",
        "\": eof",
        // mcp-go client/transport: `transport error: transport closed` and its SSE kin.
        "transport error: transport closed",
        "transport error: transport has been closed",
        "transport error: connection has been closed",
        // Java SDK McpTransportSessionClosedException.
        "transport has already been closed",
        "transport closed unexpectedly",
        "server disconnected",
        "\" disconnected",
        "failed to reconnect to",
        "write epipe",
    ],
    narrow: crate::signal::broad,
    read: read_transport_closed,
};

/// The line of `t` holding byte `at`, as a byte range (without its line end).
pub(super) fn line_at(t: &str, at: usize) -> std::ops::Range<usize> {
    let b = t.as_bytes();
    let at = at.min(b.len());
    let start = memchr::memrchr(b'\n', &b[..at]).map_or(0, |i| i + 1);
    let end = memchr::memchr(b'\n', &b[at..]).map_or(b.len(), |i| at + i);
    let end = if end > start && b.get(end - 1) == Some(&b'\r') {
        end - 1
    } else {
        end
    };
    start..end
}

/// `t[..at]` with trailing spaces removed, never splitting a character.
fn before_trimmed(t: &str, at: usize) -> &str {
    t.get(..at).unwrap_or("").trim_end()
}

/// Whether `s` ends with `suffix` (lower-case ASCII), ASCII case-insensitively.
pub(super) fn ends_with_ci(s: &str, suffix: &str) -> bool {
    s.len() >= suffix.len()
        && s.as_bytes()[s.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
}

/// Whether `s` starts with `prefix` (lower-case ASCII), ASCII case-insensitively.
pub(super) fn starts_with_ci(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len() && s.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// The ASCII digits at the start of `s` (possibly empty).
pub(super) fn leading_digits(s: &str) -> &str {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    &s[..n]
}

/// The number at the start of `s` (`5`, `5.0`, `60012`) and its length.
fn leading_number(s: &str) -> Option<(&str, usize)> {
    let int = leading_digits(s);
    if int.is_empty() {
        return None;
    }
    let mut n = int.len();
    if s.as_bytes().get(n) == Some(&b'.') {
        let frac = leading_digits(&s[n + 1..]);
        if !frac.is_empty() {
            n += 1 + frac.len();
        }
    }
    Some((&s[..n], n))
}

/// Seconds (`5`, `5.0`, `2.5`) as whole milliseconds.
fn seconds_to_ms(s: &str) -> Option<String> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let int: u64 = int.parse().ok()?;
    let mut ms = int.checked_mul(1000)?;
    let mut scale = 100;
    for d in frac.bytes().take(3) {
        ms += u64::from(d - b'0') * scale;
        scale /= 10;
    }
    Some(ms.to_string())
}

/// `-32000`/`-32001` right before `at` (after `MCP error `), as the start of `MCP error`.
fn mcp_error_before(t: &str, at: usize, code: &str) -> Option<usize> {
    let b = before_trimmed(t, at);
    let b = b.strip_suffix(':')?;
    let b = b.strip_suffix(code)?.trim_end();
    ends_with_ci(b, "mcp error").then(|| b.len() - "mcp error".len())
}

fn read_transport_closed<'a>(ev: &EventRef<'a>, out: &mut Vec<Signal<'a>>) {
    let t = ev.record_text();
    let base = ev.event.text.start;
    let push = |out: &mut Vec<Signal<'a>>,
                r: std::ops::Range<usize>,
                how: &'static str,
                code: Option<&'a str>| {
        let mut s = Signal::new(Kind::TransportClosed, abs(base, r.clone())).with("how", how);
        if let Some(c) = code {
            s = s.with_slice("code", c, base.saturating_add(offset(t, c)));
        }
        out.push(s);
    };
    // `MCP error -32000: Connection closed` (TS SDK McpError) and
    // `McpError: Connection closed` (TS and Python SDKs without the code).
    for at in find_all_ci(t, "connection closed") {
        let end = at + "connection closed".len();
        // The family's literals promise `32000: ` or `McpError: ` right before it.
        let head = t.get(..at).unwrap_or("");
        if !word_end(t, end) || !(ends_with_ci(head, "32000: ") || ends_with_ci(head, "mcperror: "))
        {
            continue;
        }
        if let Some(s) = mcp_error_before(t, at, "-32000") {
            let code_at = t.get(..at).and_then(|p| p.rfind("-32000")).unwrap_or(s);
            push(
                out,
                s..end,
                "connection_closed",
                t.get(code_at..code_at + 6),
            );
            continue;
        }
        let b = before_trimmed(t, at);
        if let Some(b) = b.strip_suffix(':') {
            let b = b.trim_end();
            if ends_with_ci(b, "mcperror") {
                push(
                    out,
                    b.len() - "mcperror".len()..end,
                    "connection_closed",
                    None,
                );
            }
        }
    }
    // Claude Desktop: `Server transport closed unexpectedly, this is likely due to the process exiting early`.
    for at in find_all_ci(t, "transport closed unexpectedly") {
        let end = at + "transport closed unexpectedly".len();
        let s = if ends_with_ci(before_trimmed(t, at), "server") {
            before_trimmed(t, at).len() - "server".len()
        } else {
            at
        };
        if word_start(t, s) {
            push(out, s..end, "transport_closed_unexpectedly", None);
        }
    }
    // Claude Desktop / Claude Code: `Server disconnected`.
    for at in find_all_ci(t, "server disconnected") {
        let end = at + "server disconnected".len();
        if word_start(t, at) && word_end(t, end) {
            push(out, at..end, "server_disconnected", None);
        }
    }
    // `MCP server "x" disconnected` (the quote may be JSON-escaped).
    for at in find_all_ci(t, "\" disconnected") {
        let end = at + "\" disconnected".len();
        if !word_end(t, end) {
            continue;
        }
        let line = line_at(t, at);
        let head = t.get(line.start..at).unwrap_or("");
        let Some(open) = find_ci(head, "mcp server ", 0) else {
            continue;
        };
        let after = &head[open + "mcp server ".len()..];
        if after.starts_with('"') || after.starts_with("\\\"") {
            push(out, line.start + open..end, "server_disconnected", None);
        }
    }
    // Claude Code `/mcp`: `Failed to reconnect to <name>: -32000`.
    for at in find_all_ci(t, "failed to reconnect to") {
        let line = line_at(t, at);
        let rest = t.get(at..line.end).unwrap_or("");
        if let Some(rel) = rest.find("-32000") {
            if word_end(t, at + rel + 6) {
                push(
                    out,
                    at..at + rel + 6,
                    "reconnect_failed",
                    t.get(at + rel..at + rel + 6),
                );
            }
        }
    }
    read_go_and_java_closes(t, base, out);
    // Node: `Error: write EPIPE` (the client wrote to a server whose stdin closed).
    for at in find_all_ci(t, "write epipe") {
        let end = at + "write epipe".len();
        if word_start(t, at) && word_end(t, end) {
            push(out, at..end, "epipe", None);
        }
    }
}

/// The method quoted right after `calling ` at `q` (`"initialize"`, raw or JSON-escaped):
/// the method and the offset just past its closing quote.
fn quoted_method(t: &str, q: usize) -> Option<(&str, usize)> {
    let rest = t.get(q..)?;
    let (open, close) = if rest.starts_with("\\\"") {
        (2, "\\\"")
    } else if rest.starts_with('"') {
        (1, "\"")
    } else {
        return None;
    };
    let inner = &rest[open..];
    let n = inner.find(close)?;
    let m = &inner[..n];
    let ok = !m.is_empty()
        && m.len() <= 64
        && m.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'_' | b'-' | b'.' | b'$'));
    ok.then_some((m, q + open + n + close.len()))
}

/// Go SDK (`mcp/transport.go` `call`), mcp-go (`client/transport`, wrapped by
/// `client/transport/error.go` as `transport error: %v`) and the Java SDK.
fn read_go_and_java_closes<'a>(t: &'a str, base: u32, out: &mut Vec<Signal<'a>>) {
    let push = |out: &mut Vec<Signal<'a>>, r: std::ops::Range<usize>, how, m: Option<&'a str>| {
        let mut s = Signal::new(Kind::TransportClosed, abs(base, r)).with("how", how);
        if let Some(m) = m {
            s = s.with_slice("method", m, base.saturating_add(offset(t, m)));
        }
        out.push(s);
    };
    // `connection closed: calling "initialize": client is closing: EOF`
    // (`fmt.Errorf("%w: calling %q: %v", ErrConnectionClosed, method, err)`).
    const CC: &str = "connection closed: calling ";
    for at in find_all_ci(t, CC) {
        if !word_start(t, at) {
            continue;
        }
        if let Some((m, end)) = quoted_method(t, at + CC.len()) {
            push(out, at..end, "connection_closed", Some(m));
        }
    }
    // `calling "initialize": EOF` (`fmt.Errorf("calling %q: %w", method, err)` with io.EOF:
    // the server closed its stdout).
    for at in find_all_ci(t, "\": eof") {
        let end = at + "\": eof".len();
        if !word_end(t, end) {
            continue;
        }
        let line = line_at(t, at);
        let head = t.get(line.start..at + 1).unwrap_or("");
        // The opening quote of the method: the last `calling "` / `calling \"` on the line.
        let Some(c) = head.rfind("calling ") else {
            continue;
        };
        let q = line.start + c + "calling ".len();
        match quoted_method(t, q) {
            Some((m, mend)) if mend == at + 1 && word_start(t, line.start + c) => {
                let how = "eof";
                push(out, line.start + c..end, how, Some(m));
            }
            _ => {}
        }
    }
    for (phrase, how) in [
        ("transport error: transport closed", "transport_closed"),
        (
            "transport error: transport has been closed",
            "transport_closed",
        ),
        (
            "transport error: connection has been closed",
            "transport_closed",
        ),
        ("transport has already been closed", "transport_closed"),
    ] {
        for at in find_all_ci(t, phrase) {
            let end = at + phrase.len();
            if word_start(t, at) && word_end(t, end) {
                push(out, at..end, how, None);
            }
        }
    }
}

/// Byte offset of `part` (a sub-slice of `whole`) in `whole`.
fn offset(whole: &str, part: &str) -> u32 {
    let d = (part.as_ptr() as usize).saturating_sub(whole.as_ptr() as usize);
    u32::try_from(d).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use crate::signal::testkit::read;
    use crate::signal::Kind::{RequestTimedOut as T, TransportClosed as C};

    #[test]
    fn connection_closed_in_claude_code_debug_and_json() {
        assert_eq!(
            read(
                "claude-debug.txt",
                "2025-07-14T10:20:09.148Z [ERROR] MCP server \"tasks\" Connection failed: McpError: MCP error -32000: Connection closed\n",
                C
            ),
            vec!["how=connection_closed code=-32000"]
        );
        let json = "[\n  {\n    \"debug\": \"Connection failed: McpError: MCP error -32000: Connection closed\",\n    \"timestamp\": \"2025-07-14T10:20:09.148Z\"\n  }\n]\n";
        assert_eq!(
            read("mcp-logs.json", json, C),
            vec!["how=connection_closed code=-32000"]
        );
    }

    #[test]
    fn connection_closed_in_gemini_cli_cline_and_python() {
        assert_eq!(
            read(
                "gemini.txt",
                "Error during discovery for MCP server 'notes': MCP error -32000: Connection closed\n",
                C
            ),
            vec!["how=connection_closed code=-32000"]
        );
        assert_eq!(
            read(
                "cline.txt",
                "Transport error for \"notes\": McpError: MCP error -32000: Connection closed\n",
                C
            ),
            vec!["how=connection_closed code=-32000"]
        );
        assert_eq!(
            read(
                "client.log",
                "ERROR:root:mcp.shared.exceptions.McpError: Connection closed\n",
                C
            ),
            vec!["how=connection_closed"]
        );
    }

    #[test]
    fn claude_desktop_unexpected_close_and_disconnect() {
        let log = "2025-06-05T18:45:41.813Z [info] [docx] Server transport closed unexpectedly, this is likely due to the process exiting early.\n\
                   2025-06-05T18:45:41.814Z [error] [docx] Server disconnected. For troubleshooting guidance, please visit our [debugging documentation](https://modelcontextprotocol.io/docs/tools/debugging)\n";
        assert_eq!(
            read("mcp.log", log, C),
            vec![
                "how=transport_closed_unexpectedly",
                "how=server_disconnected"
            ]
        );
    }

    #[test]
    fn orderly_close_is_not_a_signal() {
        let log = "2025-06-01T18:00:00.000Z [info] [notes] Client transport closed\n\
                   2025-06-01T18:00:00.001Z [info] [notes] Server transport closed\n";
        assert!(read("mcp.log", log, C).is_empty());
        // A -32000 error answered by the server is not a closed transport.
        assert!(read(
            "console.txt",
            "[DEBUG] MCP server \"x\": Error: MCP error -32000: Bad Request: No valid session ID provided\n",
            C
        )
        .is_empty());
    }

    #[test]
    fn reconnect_failure_and_named_disconnect() {
        assert_eq!(
            read(
                "mcp-panel.txt",
                "Failed to reconnect to plugin:tasks:board: -32000\n",
                C
            ),
            vec!["how=reconnect_failed code=-32000"]
        );
        assert_eq!(
            read(
                "console.txt",
                "[DEBUG] MCP server \"board\" disconnected\n",
                C
            ),
            vec!["how=server_disconnected"]
        );
    }

    #[test]
    fn request_timeouts_at_connect() {
        assert_eq!(
            read(
                "console.txt",
                "[DEBUG] MCP server \"slow\": Connection failed after 60031ms: MCP error -32001: Request timed out\n",
                T
            ),
            vec!["code=-32001 after_ms=60031 phase=connect"]
        );
        assert_eq!(
            read(
                "claude-debug.txt",
                "2025-07-03T10:00:30.004Z [DEBUG] MCP server \"graph\": Connection failed: Error: Connection to MCP server \"graph\" timed out after 30000ms\n",
                T
            ),
            vec!["after_ms=30000 phase=connect"]
        );
        let json = "[{\"error\": \"Connection failed: Connection to MCP server \\\"nix\\\" timed out after 30000ms\", \"timestamp\": \"2025-06-13T10:00:00.000Z\"}]\n";
        assert_eq!(
            read("mcp-logs.json", json, T),
            vec!["after_ms=30000 phase=connect"]
        );
    }

    #[test]
    fn request_timeouts_of_zed_windsurf_and_continue() {
        // Zed's log (`Zed.log`): the request timer, then the error connect() returns.
        let zed = "2026-01-04T16:16:05+03:00 ERROR [context_server::client] cancelled csp request task for \"initialize\" id 0 which took over 60s\n\
                   2026-01-04T16:16:05+03:00 ERROR [project::context_server_store] notes-mcp context server failed to start: Context server request timeout\n";
        assert_eq!(
            read("Zed.log", zed, T),
            vec![
                "method=initialize after_ms=60000 phase=connect",
                "phase=connect"
            ]
        );
        let zed_call = "2026-01-04T16:20:00+03:00 ERROR [context_server::client] cancelled csp request task for \"tools/call\" id 7 which took over 1.5s\n";
        assert_eq!(
            read("Zed.log", zed_call, T),
            vec!["method=tools/call after_ms=1500"]
        );
        // Windsurf's language server (mcp-go) in its output channel, glog-prefixed.
        let windsurf = "2025-12-15 19:49:47.388 [info] E1215 19:49:47.388608 24960 mcp_server_client_instance.go:317] [MCP] Failed to initialize client connection: transport error: context deadline exceeded\n";
        assert_eq!(read("windsurf.log", windsurf, T), vec!["phase=connect"]);
        // A Go program that is no MCP client: not read.
        let other = "2025/08/15 15:17:04 ERRO upload failed error=\"transport error: context deadline exceeded\"\n";
        assert!(read("app.log", other, T).is_empty());
        // LibreChat (winston, under docker compose).
        let lc = "LibreChat  | 2025-02-12 02:38:01 error: [MCP][notes-mcp] Connection failed: Connection timeout after 120000ms\n";
        assert_eq!(
            read("librechat.log", lc, T),
            vec!["after_ms=120000 phase=connect"]
        );
        let ws = "2025-02-12 02:38:01 error: [socket] Connection timeout after 5000ms\n";
        assert!(read("app.log", ws, T).is_empty());
        // ssh's `Connection timed out` is no MCP timeout.
        let ssh = "ssh: connect to host build01 port 22: Connection timed out\n";
        assert!(read("console.txt", ssh, T).is_empty());
    }

    #[test]
    fn connection_closed_in_kiro_windsurf_and_zed_shapes() {
        let kiro = "2026-03-09 23:43:10.487 [error] [notes-mcp] Error connecting to MCP server: MCP error -32000: Connection closed\n";
        assert_eq!(
            read("kiro-mcp.log", kiro, C),
            vec!["how=connection_closed code=-32000"]
        );
        let lc = "LibreChat  | 2025-02-12 02:40:12 error: [MCP][notes-mcp] Connection failed: MCP error -32000: Connection closed\n";
        assert_eq!(
            read("librechat.log", lc, C),
            vec!["how=connection_closed code=-32000"]
        );
        let kiro_toast =
            "Failed to connect to MCP server \"notes-mcp\": MCP error -32000: Connection closed\n";
        assert_eq!(
            read("kiro.txt", kiro_toast, C),
            vec!["how=connection_closed code=-32000"]
        );
    }

    #[test]
    fn request_timeouts_of_python_clients() {
        assert_eq!(
            read(
                "mcp-cli.log",
                "2025-04-29 19:18:58,372 - ERROR - Timeout waiting for server initialization response (after 5.0s)\n",
                T
            ),
            vec!["method=initialize phase=connect after_ms=5000"]
        );
        assert_eq!(
            read(
                "client.log",
                "ERROR:mcp.client:mcp.shared.exceptions.McpError: Timed out while waiting for response to ClientRequest. Waited 5.0 seconds.\n",
                T
            ),
            vec!["after_ms=5000"]
        );
        assert_eq!(
            read(
                "client.log",
                "2025-01-01 12:00:00,123 - mcp - ERROR - Timed out while waiting for response to InitializeRequest. Waited 2.5 seconds.\n",
                T
            ),
            vec!["method=initialize after_ms=2500 phase=connect"]
        );
    }

    #[test]
    fn tool_call_timeout_is_a_call() {
        assert_eq!(
            read(
                "console.txt",
                "[DEBUG] MCP server \"graph\": Tool 'query' failed: MCP error -32001: Request timed out\n",
                T
            ),
            vec!["code=-32001 phase=call"]
        );
        let desktop = "2025-03-30T20:15:02.130Z [atlas] [info] Message from client: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":0,\"reason\":\"Error: MCP error -32001: Request timed out\"}}\n";
        assert_eq!(
            read("mcp-server-atlas.log", desktop, T),
            vec!["code=-32001"]
        );
    }

    #[test]
    fn go_sdk_connection_closed_and_eof() {
        // Go SDK mcp/transport.go `call`, logged by a Go client (slog text and JSON).
        let slog = "time=2026-02-03T10:00:01.002Z level=ERROR msg=\"connect failed\" server=notes err=\"connection closed: calling \\\"initialize\\\": client is closing: EOF\"\n";
        assert_eq!(
            read("client.log", slog, C),
            vec!["how=connection_closed method=initialize"]
        );
        let json = "{\"time\":\"2026-02-03T10:00:01Z\",\"level\":\"ERROR\",\"msg\":\"mcp connect\",\"error\":\"connection closed: calling \\\"tools/list\\\": server is closing: EOF\"}\n";
        assert_eq!(
            read("client.jsonl", json, C),
            vec!["how=connection_closed method=tools/list"]
        );
        // `calling "initialize": EOF` (the server closed its stdout).
        assert_eq!(
            read(
                "gateway.log",
                "Can't start notes: failed to connect: calling \"initialize\": EOF\n",
                C
            ),
            vec!["how=eof method=initialize"]
        );
        assert!(read("app.log", "read \"config.json\": EOF\n", C).is_empty());
    }

    #[test]
    fn mcp_go_and_java_closed_transports() {
        // mcp-go client.go wraps transport errors as `transport error: %v`.
        let crush = "2025/08/15 15:17:04 ERRO error calling tool error=\"transport error: transport closed\" name=notes\n";
        assert_eq!(read("crush.log", crush, C), vec!["how=transport_closed"]);
        let sse = "E1215 19:49:47.388608 24960 mcp_server_client_instance.go:317] [MCP] list tools: transport error: connection has been closed\n";
        assert_eq!(read("windsurf.log", sse, C), vec!["how=transport_closed"]);
        // Java SDK McpTransportSessionClosedException (logback line).
        let java = "2026-01-10 09:12:44.101 ERROR 4242 --- [boundedElastic-3] c.e.agent.ToolRunner : call failed: io.modelcontextprotocol.spec.McpTransportSessionClosedException: Transport has already been closed.\n";
        assert_eq!(read("agent.log", java, C), vec!["how=transport_closed"]);
    }

    #[test]
    fn java_sdk_reactor_timeouts() {
        // McpSyncClient.initialize() -> LifecycleInitializer: the timeout is the cause; a
        // client logging the cause chain on one line.
        let log = "2026-01-10 09:12:44.101 ERROR 4242 --- [main] c.e.agent.McpSetup : MCP init failed: Client failed to initialize by explicit API call: java.util.concurrent.TimeoutException: Did not observe any item or terminal signal within 20000ms in 'source(MonoCreate)' (and no fallback has been configured)\n";
        assert_eq!(
            read("agent.log", log, T),
            vec!["after_ms=20000 phase=connect"]
        );
        // With a Reactor checkpoint, the operator names the SDK's request.
        let cp = "java.util.concurrent.TimeoutException: Did not observe any item or terminal signal within 20000ms in 'Mono.create ⇢ at io.modelcontextprotocol.spec.McpClientSession.sendRequest(McpClientSession.java:262)' (and no fallback has been configured)\n";
        assert_eq!(read("console.txt", cp, T), vec!["after_ms=20000"]);
        // Spring AI's auto-configuration, one line.
        let spring = "Factory method 'mcpSyncClients' threw exception with message: java.util.concurrent.TimeoutException: Did not observe any item or terminal signal within 10000ms in 'Mono.create' (and no fallback has been configured)\n";
        assert_eq!(read("console.txt", spring, T), vec!["after_ms=10000"]);
        // Any other Reactor program: not read.
        let other = "{\"status\":500,\"message\":\"Did not observe any item or terminal signal within 2000ms in 'onErrorResume' (and no fallback has been configured)\"}\n";
        assert!(read("gateway.log", other, T).is_empty());
    }

    #[test]
    fn mcp_go_sse_timeouts() {
        let ep = "2025/08/15 15:16:51 ERRO error initializing mcp client error=\"transport error: timeout waiting for endpoint after 30s\" name=wiki\n";
        assert_eq!(
            read("crush.log", ep, T),
            vec!["after_ms=30000 phase=connect"]
        );
        let resp = "{\"level\":\"error\",\"msg\":\"failed to call tool\",\"error\":\"transport error: timeout waiting for SSE response after 1m0s\"}\n";
        assert_eq!(
            read("client.jsonl", resp, T),
            vec!["after_ms=60000 phase=call"]
        );
        assert_eq!(super::timeout::go_duration_ms("1.5s"), Some((1500, 4)));
        assert_eq!(super::timeout::go_duration_ms("500ms)"), Some((500, 5)));
        assert_eq!(
            super::timeout::go_duration_ms("2h0m0s"),
            Some((7_200_000, 6))
        );
        assert_eq!(super::timeout::go_duration_ms("s"), None);
    }

    #[test]
    fn odd_input_never_panics() {
        for s in [
            "timed out after",
            "Connection timed out after ms",
            "Request timed out",
            "é connection closed:",
            "Waited 9",
            "calling \": EOF",
            "\": EOF",
            "connection closed: calling \"",
            "connection closed: calling \\\"x",
            "timeout waiting for endpoint after 9",
            "Did not observe any item or terminal signal within mcp",
        ] {
            let _ = read("x.txt", s, T);
            let _ = read("x.txt", s, C);
        }
    }
}
