//! Signal family `connect_failed`: a network connection (HTTP/SSE transport,
//! proxy, health check) could not be made or was dropped before an answer.
//!
//! Printed by:
//! - Node `net`/undici: `connect ECONNREFUSED 127.0.0.1:3000`, `connect
//!   ETIMEDOUT ...`, `read ECONNRESET`, `socket hang up` (code ECONNRESET),
//!   `getaddrinfo ENOTFOUND host`, `TypeError: fetch failed` with its cause; a
//!   logged error object's `code: 'ECONNREFUSED', address: '127.0.0.1', port: 3000`.
//! - curl (`docs/libcurl/libcurl-errors.md`, `lib/cf-socket.c`, `lib/connect.c`):
//!   `curl: (7) Failed to connect to localhost port 8080 after 0 ms: Connection
//!   refused` (and `Couldn't connect to server`; older `couldn't connect to
//!   host`), `curl: (52) Empty reply from server`, `curl: (56) Recv failure:
//!   Connection reset by peer`.
//! - Python: `[Errno 111] Connection refused` (61 on macOS), httpx `ConnectError`,
//!   aiohttp `Cannot connect to host localhost:8080`, urllib3 `host='localhost', port=8000`.
//! - Go: `dial tcp 127.0.0.1:8080: connect: connection refused`.
//! - Windows (WSAECONNREFUSED 10061): `No connection could be made because the
//!   target machine actively refused it`.
//!
//! Fields: `errno` (ECONNREFUSED, ECONNRESET, ETIMEDOUT, EHOSTUNREACH,
//! ENETUNREACH, ENOTFOUND), `host`, `port`, `loopback` (`true` for 127.x,
//! ::1, localhost, 0.0.0.0; `false` for other hosts; absent when no host is
//! printed), `curl_code`, `how` (refused, reset, hang_up, empty_reply, timeout,
//! not_found, unreachable).

use std::sync::LazyLock;

use regex::Regex;

use crate::event::EventRef;
use crate::signal::text::{abs, words_at};
use crate::signal::transport::{leading_digits, line_at};
use crate::signal::{Family, Kind, Signal};

/// `connect_failed`: a network connection could not be made.
pub static CONNECT_FAILED: Family = Family {
    kind: Kind::ConnectFailed,
    name: "connect_failed",
    about: "a network connection could not be made",
    fields: &[
        "host",
        "port",
        "loopback",
        "errno",
        "curl_code",
        "http_status",
        "how",
    ],
    literals: &[
        "econnrefused",
        "econnreset",
        "etimedout",
        "ehostunreach",
        "enetunreach",
        "enotfound",
        "socket hang up",
        "connection refused",
        "actively refused",
        "connection reset by peer",
        "empty reply from server",
        "couldn't connect to",
    ],
    narrow: crate::signal::broad,
    read: read_connect_failed,
};

/// Anchor phrase, errno, how.
const ANCHORS: &[(&str, &str, &str)] = &[
    ("econnrefused", "ECONNREFUSED", "refused"),
    ("econnreset", "ECONNRESET", "reset"),
    ("etimedout", "ETIMEDOUT", "timeout"),
    ("ehostunreach", "EHOSTUNREACH", "unreachable"),
    ("enetunreach", "ENETUNREACH", "unreachable"),
    ("enotfound", "ENOTFOUND", "not_found"),
    ("socket hang up", "ECONNRESET", "hang_up"),
    ("connection refused", "ECONNREFUSED", "refused"),
    ("actively refused", "ECONNREFUSED", "refused"),
    ("connection reset by peer", "ECONNRESET", "reset"),
    ("empty reply from server", "", "empty_reply"),
    ("couldn't connect to", "ECONNREFUSED", "refused"),
];

/// An endpoint: `[::1]:3000`, `127.0.0.1:3000`, `localhost:8080`, `host.example.com:443`,
/// curl's `localhost port 8080`, urllib3's `host='localhost', port=8000`,
/// asyncio's `('127.0.0.1', 8080)`.
static ENDPOINT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?x)
        host='(?P<uh>[^']+)',\s*port=(?P<up>\d{1,5})
        | \('(?P<ah>[0-9a-fA-F.:]+)',\s*(?P<ap>\d{1,5})
        | (?P<ch>\[[0-9a-fA-F:.]+\]|[A-Za-z0-9][A-Za-z0-9.-]*)\ port\ (?P<cp>\d{1,5})\b
        | \[(?P<v6>[0-9a-fA-F:.]+)\](?::(?P<v6p>\d{1,5}))?
        | (?P<v4>\b\d{1,3}(?:\.\d{1,3}){3})(?::(?P<v4p>\d{1,5}))?\b
        | (?P<bare6>(?:::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})):(?P<bare6p>\d{1,5})\b
        | (?P<name>\blocalhost|\b[A-Za-z0-9][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})(?::(?P<np>\d{1,5}))?\b
        "#,
    )
    .expect("endpoint regex")
});

fn is_loopback(host: &str) -> bool {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    h.eq_ignore_ascii_case("localhost")
        || h.starts_with("127.")
        || h == "::1"
        || h.starts_with("::ffff:127.")
        || h == "0.0.0.0"
        || h.to_ascii_lowercase().ends_with(".localhost")
}

fn read_connect_failed<'a>(ev: &EventRef<'a>, out: &mut Vec<Signal<'a>>) {
    let t = ev.record_text();
    let base = ev.event.text.start;
    let at_abs = |i: usize| base.saturating_add(u32::try_from(i).unwrap_or(u32::MAX));
    let mut taken: Vec<std::ops::Range<usize>> = Vec::new();
    for &(phrase, errno, how) in ANCHORS {
        for at in words_at(t, phrase) {
            let end = at + phrase.len();
            if taken.iter().any(|r| r.start <= at && at < r.end) {
                continue;
            }
            let line = line_at(t, at);
            // `connect: connection refused` in Go and `Connection refused` after
            // an errno on the same line are one failure: skip the second anchor.
            if phrase == "connection refused"
                && t.get(line.start..line.end)
                    .is_some_and(|l| crate::signal::text::contains_ci(l, "econnrefused"))
            {
                continue;
            }
            let mut start = at;
            let mut span_end = end;
            let mut s = Signal::new(Kind::ConnectFailed, 0..0);
            if !errno.is_empty() {
                s = s.with("errno", errno);
            }
            s = s.with("how", how);
            // curl: `curl: (7) ...` at the start of the message.
            if let Some(c) = curl_code(t, line.start, at) {
                start = start.min(c.0);
                s = s.with_slice("curl_code", c.1, at_abs(c.0 + 1));
            }
            // The endpoint: after the anchor on its line (Node, Go), or before it (curl, Python).
            let after = t.get(end..line.end).unwrap_or("");
            let before = t.get(line.start..at).unwrap_or("");
            let ep = endpoint(after, end, true)
                .or_else(|| endpoint(before, line.start, false))
                .or_else(|| object_endpoint(t));
            if let Some((h, hat, p)) = ep {
                s = s.with_slice("host", h, at_abs(hat));
                if let Some((p, pat)) = p {
                    s = s.with_slice("port", p, at_abs(pat));
                    if pat + p.len() > span_end && pat <= end + 64 {
                        span_end = pat + p.len();
                    }
                } else if hat + h.len() > span_end && hat <= end + 64 {
                    span_end = hat + h.len();
                }
                s = s.with("loopback", if is_loopback(h) { "true" } else { "false" });
            }
            s.at = abs(base, start..span_end);
            taken.push(at..end);
            out.push(s);
        }
    }
}

/// `curl: (N)` before `at` on the line starting at `ls`: its offset (of `(`) and digits.
fn curl_code(t: &str, ls: usize, at: usize) -> Option<(usize, &str)> {
    let head = t.get(ls..at)?;
    let p = head.find("curl: (")?;
    let d = leading_digits(&head[p + 7..]);
    (!d.is_empty() && head[p + 7 + d.len()..].starts_with(')'))
        .then(|| (ls + p + 6, &t[ls + p + 7..ls + p + 7 + d.len()]))
}

type Endpoint<'a> = (&'a str, usize, Option<(&'a str, usize)>);

/// The first endpoint in `hay` (at `off` in the record) when `first`, else the last.
fn endpoint(hay: &str, off: usize, first: bool) -> Option<Endpoint<'_>> {
    let mut best = None;
    for c in ENDPOINT.captures_iter(hay) {
        let pairs = [
            ("uh", "up"),
            ("ah", "ap"),
            ("ch", "cp"),
            ("v6", "v6p"),
            ("v4", "v4p"),
            ("bare6", "bare6p"),
            ("name", "np"),
        ];
        for (h, p) in pairs {
            if let Some(hm) = c.name(h) {
                // A bare name is an endpoint only with a port, or when it is localhost.
                if h == "name"
                    && c.name(p).is_none()
                    && !hm.as_str().eq_ignore_ascii_case("localhost")
                {
                    break;
                }
                // `[5120]` (a pid prefix) is not an IPv6 address.
                if (h == "v6" || h == "ch")
                    && hm.as_str().starts_with('[') != hm.as_str().contains(':')
                {
                    break;
                }
                if h == "v6" && !hm.as_str().contains(':') {
                    break;
                }
                let port = c.name(p).map(|m| (m.as_str(), off + m.start()));
                let hs = hm.as_str().trim_start_matches('[').trim_end_matches(']');
                let hat = off
                    + hm.start()
                    + (hm.as_str().len() - hm.as_str().trim_start_matches('[').len());
                best = Some((hs, hat, port));
                break;
            }
        }
        if first && best.is_some() {
            return best;
        }
    }
    best
}

/// A logged Node error object's `address: '127.0.0.1', port: 3000` (or JSON `"address":"...","port":3000`).
fn object_endpoint(t: &str) -> Option<Endpoint<'_>> {
    static OBJ: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"["']?address["']?\s*:\s*["'](?P<h>[0-9A-Za-z.:\-]+)["']\s*,\s*["']?port["']?\s*:\s*(?P<p>\d{1,5})"#)
            .expect("object endpoint regex")
    });
    let c = OBJ.captures(t)?;
    let h = c.name("h")?;
    let p = c.name("p")?;
    Some((h.as_str(), h.start(), Some((p.as_str(), p.start()))))
}

#[cfg(test)]
mod tests {
    use crate::signal::testkit::read;
    use crate::signal::Kind::ConnectFailed as F;

    #[test]
    fn node_refused_in_claude_code_and_cursor() {
        assert_eq!(
            read(
                "claude-debug.txt",
                "2025-06-11T12:00:01.200Z [ERROR] MCP server \"tracker\": Connection failed: SSE error: TypeError: fetch failed: connect ECONNREFUSED 127.0.0.1:8931\n",
                F
            ),
            vec!["errno=ECONNREFUSED how=refused host=127.0.0.1 port=8931 loopback=true"]
        );
        assert_eq!(
            read(
                "cursor-mcp.log",
                "2025-04-30 14:15:38.517 [error] wave: Client error for command SSE error: TypeError: fetch failed: connect ECONNREFUSED 100.64.1.2:443\n",
                F
            ),
            vec!["errno=ECONNREFUSED how=refused host=100.64.1.2 port=443 loopback=false"]
        );
        assert_eq!(
            read("console.txt", "Error: connect ECONNREFUSED ::1:3000\n", F),
            vec!["errno=ECONNREFUSED how=refused host=::1 port=3000 loopback=true"]
        );
    }

    #[test]
    fn node_error_object_and_hang_up() {
        let log = "[ERROR] Error: connect ECONNREFUSED\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16) {\n  errno: -111,\n  code: 'ECONNREFUSED',\n  syscall: 'connect',\n  address: '127.0.0.1',\n  port: 6277\n}\n";
        let got = read("console.txt", log, F);
        assert_eq!(
            got.first().map(String::as_str),
            Some("errno=ECONNREFUSED how=refused host=127.0.0.1 port=6277 loopback=true")
        );
        assert_eq!(
            read(
                "mcp-remote.txt",
                "[5120] Connection error: Error: socket hang up\n",
                F
            ),
            vec!["errno=ECONNRESET how=hang_up"]
        );
    }

    #[test]
    fn curl_exit_codes() {
        assert_eq!(
            read(
                "console.txt",
                "curl: (7) Failed to connect to localhost port 8888 after 0 ms: Connection refused\n",
                F
            ),
            vec!["errno=ECONNREFUSED how=refused curl_code=7 host=localhost port=8888 loopback=true"]
        );
        assert_eq!(
            read("console.txt", "curl: (7) Failed to connect to 127.0.0.1 port 8931 after 2 ms: Couldn't connect to server\n", F),
            vec!["errno=ECONNREFUSED how=refused curl_code=7 host=127.0.0.1 port=8931 loopback=true"]
        );
        assert_eq!(
            read("console.txt", "curl: (52) Empty reply from server\n", F),
            vec!["how=empty_reply curl_code=52"]
        );
        assert_eq!(
            read(
                "console.txt",
                "curl: (56) Recv failure: Connection reset by peer\n",
                F
            ),
            vec!["errno=ECONNRESET how=reset curl_code=56"]
        );
    }

    #[test]
    fn python_go_and_windows() {
        assert_eq!(
            read(
                "client.log",
                "2025-01-01 12:00:00,123 - mcp.client.sse - ERROR - httpx.ConnectError: [Errno 111] Connection refused\n",
                F
            ),
            vec!["errno=ECONNREFUSED how=refused"]
        );
        assert_eq!(
            read(
                "client.log",
                "ERROR:root:HTTPConnectionPool(host='localhost', port=8000): Max retries exceeded with url: /mcp (Caused by NewConnectionError('<urllib3.connection.HTTPConnection object at 0x7f>: Failed to establish a new connection: [Errno 111] Connection refused'))\n",
                F
            ),
            vec!["errno=ECONNREFUSED how=refused host=localhost port=8000 loopback=true"]
        );
        assert_eq!(
            read("gemini.txt", "Error connecting to MCP server 'db': dial tcp 127.0.0.1:8080: connect: connection refused\n", F),
            vec!["errno=ECONNREFUSED how=refused host=127.0.0.1 port=8080 loopback=true"]
        );
        assert_eq!(
            read(
                "client.log",
                "ConnectionRefusedError: [WinError 10061] No connection could be made because the target machine actively refused it\n",
                F
            ),
            vec!["errno=ECONNREFUSED how=refused"]
        );
    }

    #[test]
    fn odd_input_never_panics() {
        for s in [
            "ECONNREFUSED",
            "curl: (",
            "curl: (7",
            "econnrefused [::",
            "host='",
            "('1.2.3.4', 9",
            "é connection refused é",
        ] {
            let _ = read("x.txt", s, F);
        }
    }
}
