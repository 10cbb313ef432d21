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
use crate::signal::text::{abs, find_all_ci, find_ci, word_end, word_start};
use crate::signal::transport::{ends_with_ci, leading_digits, line_at};
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
    ],
    narrow: crate::signal::broad,
    read: read_session_lost,
};

/// Phrase, reason, whether the phrase alone is MCP-specific enough.
const REASONS: &[(&str, &str, bool)] = &[
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
];

fn read_session_lost<'a>(ev: &EventRef<'a>, out: &mut Vec<Signal<'a>>) {
    let t = ev.record_text();
    let base = ev.event.text.start;
    let mut taken: Vec<std::ops::Range<usize>> = Vec::new();
    for &(phrase, reason, specific) in REASONS {
        for at in find_all_ci(t, phrase) {
            let end = at + phrase.len();
            if !word_start(t, at)
                || !word_end(t, end)
                || taken.iter().any(|r| r.start <= at && at < r.end)
            {
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
            match http_status(t, at) {
                Some(st) => {
                    let off = base.saturating_add(u32::try_from(st.0).unwrap_or(u32::MAX));
                    s = s.with_slice("http_status", st.1, off);
                }
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
