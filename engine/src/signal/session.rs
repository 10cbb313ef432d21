//! Signal family `session_lost`: a Streamable HTTP / SSE server refused or
//! forgot the client's session (`Mcp-Session-Id`).
//!
//! Printed by the servers and relayed by the clients:
//! - TypeScript SDK server (`src/server/webStandardStreamableHttp.ts`): HTTP 404
//!   `{"code":-32001,"message":"Session not found"}`, HTTP 400 `Bad Request:
//!   Mcp-Session-Id header is required`, `Bad Request: Server not initialized`;
//!   its examples and most servers copied from them: HTTP 400 `Bad Request: No
//!   valid session ID provided`; the SSE example: 404 `Session not found`.
//! - Python SDK server (`src/mcp/server/streamable_http.py`): `Not Found:
//!   Invalid or expired session ID`, `Bad Request: Missing session ID`, `Not
//!   Found: Session has been terminated`; its manager: `Session not found`.
//! - TypeScript SDK client: `Error POSTing to endpoint (HTTP 404): <body>`
//!   (`sse.ts`), `Streamable HTTP error: Error POSTing to endpoint: <body>`
//!   (`streamableHttp.ts`); Python SDK client: `Session terminated` (a 404).
//!
//! Fields: `reason` (no_valid_session_id, session_not_found,
//! invalid_or_expired_session, session_terminated, missing_session_id,
//! server_not_initialized), `http_status` when the text says it (`HTTP 404`,
//! `(404)`, or the server's `Not Found:`/`Bad Request:` prefix).

use crate::event::EventRef;
use crate::signal::text::{abs, find_ci, word_end, words_at};
use crate::signal::transport::{ends_with_ci, leading_digits, line_at, starts_with_ci};
use crate::signal::{Family, Kind, Signal};

/// `session_lost`: an HTTP/SSE session was refused or forgotten by the server.
pub static SESSION_LOST: Family = Family {
    kind: Kind::SessionLost,
    name: "session_lost",
    about: "an HTTP/SSE session was refused or forgotten by the server",
    fields: &["http_status", "reason"],
    literals: &[
        "valid session id",
        "session not found",
        "expired session",
        "session terminated",
        "session has been terminated",
        "missing session id",
        "mcp-session-id header is required",
        "server not initialized",
        // Java SDK: HttpClientStreamableHttpTransport's warning; the servlet servers' 400s.
        "does not recognize session",
        "session id required in mcp-session-id",
        "session id missing in message endpoint",
    ],
    narrow: crate::signal::broad,
    read: read_session_lost,
};

/// Phrase, reason, whether the phrase alone is MCP-specific enough.
const REASONS: &[(&str, &str, bool)] = &[
    // Java SDK client (HttpClientStreamableHttpTransport on a 404, or a 400 to a request
    // with a session id): `McpTransportSessionNotFoundException: Session Session not found
    // for session ID: <id> not found on the server`, then `Server does not recognize session
    // <id>. Invalidating.`
    (
        "session not found for session id",
        "session_not_found",
        true,
    ),
    ("does not recognize session", "session_not_found", true),
    // Java SDK servers (HttpServletStreamableServerTransportProvider, 400; and
    // HttpServletSseServerTransportProvider, 400).
    (
        "session id required in mcp-session-id header",
        "missing_session_id",
        true,
    ),
    (
        "session id missing in message endpoint",
        "missing_session_id",
        true,
    ),
    // mcp-go client/transport/streamable_http.go ErrSessionTerminated (a 404).
    (
        "session terminated (404). need to re-initialize",
        "session_terminated",
        true,
    ),
    ("no valid session id", "no_valid_session_id", true),
    (
        "invalid or expired session",
        "invalid_or_expired_session",
        true,
    ),
    ("session has been terminated", "session_terminated", false),
    (
        "mcp-session-id header is required",
        "missing_session_id",
        true,
    ),
    ("missing session id", "missing_session_id", false),
    ("session not found", "session_not_found", false),
    ("session terminated", "session_terminated", false),
    ("server not initialized", "server_not_initialized", false),
];

/// Words that put a generic phrase in an MCP/HTTP context.
const CONTEXT: &[&str] = &[
    "mcp",
    "jsonrpc",
    "json-rpc",
    "http",
    "posting",
    "-32001",
    "-32000",
    "-32600",
    "bad request",
    "not found",
    "streamable",
    "sse error",
    "sse stream",
    // Go SDK streamable client: `sending "tools/call": failed to connect (session ID: <id>):
    // session not found` (ErrSessionMissing, on a 404).
    "(session id: ",
];

fn read_session_lost<'a>(ev: &EventRef<'a>, out: &mut Vec<Signal<'a>>) {
    let t = ev.record_text();
    let base = ev.event.text.start;
    let mut taken: Vec<std::ops::Range<usize>> = Vec::new();
    for &(phrase, reason, specific) in REASONS {
        for at in words_at(t, phrase) {
            let end = at + phrase.len();
            if taken.iter().any(|r| r.start <= at && at < r.end) {
                continue;
            }
            if !specific && !CONTEXT.iter().any(|c| find_ci(t, c, 0).is_some()) {
                continue;
            }
            // `Bad Request: Server not initialized` only: other servers say "not initialized" for other things.
            let head = t.get(..at).unwrap_or("").trim_end();
            let head = head.strip_suffix(':').map(str::trim_end);
            let prefix_status = head.and_then(|h| {
                if ends_with_ci(h, "not found") {
                    Some(("404", h.len() - "not found".len()))
                } else if ends_with_ci(h, "bad request") {
                    Some(("400", h.len() - "bad request".len()))
                } else {
                    None
                }
            });
            if reason == "server_not_initialized" && prefix_status.is_none() {
                continue;
            }
            let start = prefix_status.map_or(at, |(_, s)| s);
            taken.push(at..end);
            let mut s =
                Signal::new(Kind::SessionLost, abs(base, start..end)).with("reason", reason);
            let go_404 = go_session_missing(t, at, end);
            match http_status(t, at).or_else(|| status_in_phrase(t, at, end)) {
                Some(st) => {
                    let off = base.saturating_add(u32::try_from(st.0).unwrap_or(u32::MAX));
                    s = s.with_slice("http_status", st.1, off);
                }
                None if go_404 => s = s.with("http_status", "404"),
                None => {
                    if let Some((code, _)) = prefix_status {
                        s = s.with("http_status", code);
                    }
                }
            }
            out.push(s);
        }
    }
}

/// The status inside the phrase: mcp-go's `session terminated (404)`.
fn status_in_phrase(t: &str, at: usize, end: usize) -> Option<(usize, &str)> {
    let p = t.get(at..end)?.find("(404)")?;
    Some((at + p + 1, &t[at + p + 1..at + p + 4]))
}

/// The Go SDK's `failed to connect (session ID: <id>): session not found`, which its
/// streamable client returns only on a 404 (ErrSessionMissing).
fn go_session_missing(t: &str, at: usize, end: usize) -> bool {
    let line = line_at(t, at);
    let Some(h) = t
        .get(line.start..at)
        .and_then(|h| h.trim_end().strip_suffix("):"))
    else {
        return false;
    };
    let Some(open) = find_ci(h, "(session id: ", 0) else {
        return false;
    };
    ends_with_ci(h[..open].trim_end(), "failed to connect")
        && t.get(at..end)
            .is_some_and(|p| starts_with_ci(p, "session not found"))
}

/// The HTTP status printed with the error: `(HTTP 404)`, `HTTP 404`,
/// `status code 404`, `Non-200 status code (404)`, `"status":404`, on the
/// phrase's line or the line before it (the TS SDK prints the body on its own
/// line after `(HTTP 404): `). Returns its offset and text.
fn http_status(t: &str, at: usize) -> Option<(usize, &str)> {
    let line = line_at(t, at);
    let prev = if line.start > 0 {
        line_at(t, line.start - 1)
    } else {
        line.clone()
    };
    let from = prev.start;
    let hay = t.get(from..line.end)?;
    for key in [
        "http ",
        "status code ",
        "status code (",
        "\"status\":",
        "status: ",
        "statuscode\":",
    ] {
        let mut k = 0;
        while let Some(p) = find_ci(hay, key, k) {
            let num_at = p + key.len();
            let d = leading_digits(hay.get(num_at..).unwrap_or(""));
            if d.len() == 3
                && (d.starts_with('4') || d.starts_with('5'))
                && word_end(hay, num_at + 3)
            {
                return Some((from + num_at, &t[from + num_at..from + num_at + 3]));
            }
            k = p + 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::signal::testkit::read;
    use crate::signal::Kind::SessionLost as S;

    #[test]
    fn claude_code_tool_error_with_body_on_the_next_line() {
        let log = "⏺ clock - now (MCP)(zone: \"UTC\")\n  ⎿  Error: Error POSTing to endpoint (HTTP 404): \n     {\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32000,\"message\":\"No valid session ID provided\"},\"id\":null}\n";
        assert_eq!(
            read("console.txt", log, S),
            vec!["reason=no_valid_session_id http_status=404"]
        );
    }

    #[test]
    fn streamable_http_error_without_status() {
        let log = "[ERROR] MCP server \"wiki\" Streamable HTTP error: Error POSTing to endpoint: {\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32001,\"message\":\"Session not found\"},\"id\":null}\n";
        assert_eq!(
            read("console.txt", log, S),
            vec!["reason=session_not_found"]
        );
    }

    #[test]
    fn python_server_and_client_wordings() {
        assert_eq!(
            read(
                "server.log",
                "INFO:     127.0.0.1:50312 - \"POST /mcp HTTP/1.1\" 404 Not Found\nWARNING:mcp.server.streamable_http:Not Found: Invalid or expired session ID\n",
                S
            ),
            vec!["reason=invalid_or_expired_session http_status=404"]
        );
        assert_eq!(
            read(
                "client.log",
                "2025-01-01 12:00:00,123 - mcp.client - ERROR - McpError: Session terminated\n",
                S
            ),
            vec!["reason=session_terminated"]
        );
        assert_eq!(
            read(
                "server.log",
                "{\"jsonrpc\":\"2.0\",\"id\":\"server-error\",\"error\":{\"code\":-32600,\"message\":\"Bad Request: Missing session ID\"}}\n",
                S
            ),
            vec!["reason=missing_session_id http_status=400"]
        );
    }

    #[test]
    fn mcp_remote_and_vscode() {
        assert_eq!(
            read(
                "mcp-remote.txt",
                "[41923] Error from remote server: Error: Error POSTing to endpoint (HTTP 404): Session not found\n",
                S
            ),
            vec!["reason=session_not_found http_status=404"]
        );
        assert_eq!(
            read(
                "vscode-output.log",
                "2025-08-01 10:00:00.000 [warning] Error sending message to http://localhost:3000/mcp: Error: Bad Request: No valid session ID provided\n",
                S
            ),
            vec!["reason=no_valid_session_id http_status=400"]
        );
    }

    #[test]
    fn java_sdk_client_and_servers() {
        // HttpClientStreamableHttpTransport: the exception, then its warning (logback).
        let log = "2026-01-10 09:12:44.101 ERROR 4242 --- [HttpClient-1-Worker-0] c.e.agent.ToolRunner : tool call failed: io.modelcontextprotocol.spec.McpTransportSessionNotFoundException: Session Session not found for session ID: 6f1c2a not found on the server\n\
2026-01-10 09:12:44.102  WARN 4242 --- [HttpClient-1-Worker-0] i.m.c.t.HttpClientStreamableHttpTransport : Server does not recognize session Optional[6f1c2a]. Invalidating.\n";
        assert_eq!(
            read("agent.log", log, S),
            vec!["reason=session_not_found", "reason=session_not_found"]
        );
        // The servlet servers' 400 bodies, relayed by the SSE client.
        let sse = "ERROR i.m.c.t.HttpClientSseClientTransport - Error sending message: Sending message failed with a non-OK HTTP code: 400 - {\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32600,\"message\":\"Session ID missing in message endpoint\"}}\n";
        assert_eq!(
            read("client.log", sse, S),
            vec!["reason=missing_session_id"]
        );
        let st = "{\"code\":-32600,\"message\":\"Session ID required in mcp-session-id header\"}\n";
        assert_eq!(
            read("console.txt", st, S),
            vec!["reason=missing_session_id"]
        );
    }

    #[test]
    fn go_sdk_and_mcp_go_clients() {
        // Go SDK streamable client (ErrSessionMissing on a 404), slog text.
        let go = "time=2026-02-03T10:00:01Z level=ERROR msg=\"tool call\" err=\"sending \\\"tools/call\\\": failed to connect (session ID: 3HQ7K): session not found\"\n";
        assert_eq!(
            read("client.log", go, S),
            vec!["reason=session_not_found http_status=404"]
        );
        // mcp-go ErrSessionTerminated, wrapped by client.go.
        let mg = "2025/08/15 15:17:04 ERRO error calling tool error=\"transport error: session terminated (404). need to re-initialize\" name=wiki\n";
        assert_eq!(
            read("crush.log", mg, S),
            vec!["reason=session_terminated http_status=404"]
        );
    }

    #[test]
    fn unrelated_sessions_are_not_signals() {
        assert!(read(
            "syslog",
            "Jun  1 10:00:00 host systemd-logind[812]: Session terminated for user ana.\n",
            S
        )
        .is_empty());
        assert!(read("x.log", "db: server not initialized yet, retrying\n", S).is_empty());
    }
}
