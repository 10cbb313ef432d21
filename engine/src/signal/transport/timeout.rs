//! Signal family `request_timed_out`: a request (often `initialize`) got no answer in time.
//! Read from the clients and SDKs that report it (TypeScript, Python, Go, Java); the phrasings are listed in docs/signals.md.

use super::*;

/// `request_timed_out`: a request (often initialize) got no answer in time.
pub static REQUEST_TIMED_OUT: Family = Family {
    kind: Kind::RequestTimedOut,
    name: "request_timed_out",
    about: "a request (often initialize) got no answer in time",
    fields: &["method", "after_ms", "code", "phase"],
    literals: &[
        "request timed out",
        "timed out after",
        "timed out while waiting for response",
        "timeout waiting for server initialization",
        "cancelled csp request task for ",
        "context server request timeout",
        "transport error: context deadline exceeded",
        "connection timeout after ",
        // Reactor `Mono.timeout` (Java SDK McpClientSession / LifecycleInitializer).
        "did not observe any item or terminal signal within",
        // mcp-go client/transport/sse.go.
        "timeout waiting for sse response after ",
        "timeout waiting for endpoint after ",
    ],
    narrow: crate::signal::broad,
    read: read_request_timed_out,
};

/// What the text before a timeout on its line says about when it happened:
/// `connect` (start-up: the client's connect() wraps initialize) or `call`.
pub(super) fn phase_of(head: &str) -> Option<&'static str> {
    const CONNECT: &[&str] = &[
        "connection failed",
        "error connecting to mcp server",
        "failed to connect",
        "during discovery for mcp server",
        "initializ",
        "starting connection",
        "failed to start",
    ];
    const CALL: &[&str] = &[
        "tool '",
        "tool \"",
        "tools/call",
        "calling tool",
        "error calling",
        "failed to call",
    ];
    if CALL.iter().any(|k| find_ci(head, k, 0).is_some()) {
        return Some("call");
    }
    CONNECT
        .iter()
        .any(|k| find_ci(head, k, 0).is_some())
        .then_some("connect")
}

pub(super) fn read_request_timed_out<'a>(ev: &EventRef<'a>, out: &mut Vec<Signal<'a>>) {
    let t = ev.record_text();
    let base = ev.event.text.start;
    let sl = |s: Signal<'a>, name: &'static str, v: &'a str| {
        let at = base.saturating_add(offset(t, v));
        s.with_slice(name, v, at)
    };
    // TS SDK: `MCP error -32001: Request timed out`; Claude Code wraps it in
    // `Connection failed after <ms>ms: ...`.
    for at in find_all_ci(t, "request timed out") {
        let end = at + "request timed out".len();
        if !word_start(t, at) || !word_end(t, end) {
            continue;
        }
        let start = mcp_error_before(t, at, "-32001");
        let line = line_at(t, at);
        let head = t.get(line.start..at).unwrap_or("");
        let mut s = Signal::new(Kind::RequestTimedOut, abs(base, start.unwrap_or(at)..end));
        if let Some(st) = start {
            if let Some(c) = t.get(st..at).and_then(|p| p.find("-32001")) {
                s = sl(s, "code", &t[st + c..st + c + 6]);
            }
        }
        if let Some(p) = find_ci(head, "connection failed after ", 0) {
            let rest = &head[p + "connection failed after ".len()..];
            let ms = leading_digits(rest);
            if !ms.is_empty() {
                s = sl(s, "after_ms", ms);
            }
        }
        if let Some(p) = phase_of(head) {
            s = s.with("phase", p);
        }
        out.push(s);
    }
    // Claude Code: `Connection to MCP server "x" timed out after 30000ms`;
    // Cursor and others: `Connection timed out after <ms>ms`.
    for at in find_all_ci(t, "timed out after") {
        let line = line_at(t, at);
        let head = t.get(line.start..at).unwrap_or("").trim_end();
        let start = if let Some(p) = find_ci(head, "connection to mcp server", 0) {
            line.start + p
        } else if ends_with_ci(head, "connection") {
            line.start + head.len() - "connection".len()
        } else {
            continue;
        };
        let rest = t.get(at + "timed out after".len()..line.end).unwrap_or("");
        let lead = rest.len() - rest.trim_start().len();
        let rest = rest.trim_start();
        let ms = leading_digits(rest);
        if ms.is_empty() {
            continue;
        }
        let after = rest[ms.len()..].trim_start();
        if !(starts_with_ci(after, "ms") || starts_with_ci(after, "milliseconds")) {
            continue;
        }
        let unit = if starts_with_ci(after, "milliseconds") {
            12
        } else {
            2
        };
        let gap = rest[ms.len()..].len() - after.len();
        let end = at + "timed out after".len() + lead + ms.len() + gap + unit;
        let s = Signal::new(Kind::RequestTimedOut, abs(base, start..end));
        let s = sl(s, "after_ms", ms).with("phase", "connect");
        out.push(s);
    }
    // Python SDK: `Timed out while waiting for response to ClientRequest. Waited 5.0 seconds.`
    for at in find_all_ci(t, "timed out while waiting for response to ") {
        let line = line_at(t, at);
        let rest = t
            .get(at + "timed out while waiting for response to ".len()..line.end)
            .unwrap_or("");
        let class_len = rest
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .count();
        let class = &rest[..class_len];
        let mut end = at + "timed out while waiting for response to ".len() + class_len;
        let mut s_ms = None;
        if let Some(w) = find_ci(rest, "waited ", class_len) {
            if let Some((num, n)) = leading_number(&rest[w + 7..]) {
                s_ms = seconds_to_ms(num);
                let tail = &rest[w + 7 + n..];
                let unit = if starts_with_ci(tail.trim_start(), "seconds") {
                    tail.len() - tail.trim_start().len() + 7
                } else {
                    0
                };
                end = at + "timed out while waiting for response to ".len() + w + 7 + n + unit;
            }
        }
        let mut s = Signal::new(Kind::RequestTimedOut, abs(base, at..end));
        if let Some(m) = method_of_class(class) {
            s = s.with("method", m);
        }
        if let Some(ms) = s_ms {
            s = s.with("after_ms", ms);
        }
        if class == "InitializeRequest" {
            s = s.with("phase", "connect");
        } else if let Some(p) = phase_of(t.get(line.start..at).unwrap_or("")) {
            s = s.with("phase", p);
        }
        out.push(s);
    }
    // chuk-mcp (IBM mcp-cli): `Timeout waiting for server initialization response (after 5.0s)`.
    for at in find_all_ci(t, "timeout waiting for server initialization") {
        let line = line_at(t, at);
        let mut end = at + "timeout waiting for server initialization".len();
        let rest = t.get(end..line.end).unwrap_or("");
        let mut ms = None;
        if let Some(p) = find_ci(rest, "(after ", 0) {
            if let Some((num, n)) = leading_number(&rest[p + 7..]) {
                ms = seconds_to_ms(num);
                let close = rest[p + 7 + n..].find(')').map_or(0, |c| c + 1);
                end += p + 7 + n + close;
            }
        }
        let mut s = Signal::new(Kind::RequestTimedOut, abs(base, at..end))
            .with("method", "initialize")
            .with("phase", "connect");
        if let Some(ms) = ms {
            s = s.with("after_ms", ms);
        }
        out.push(s);
    }
    read_client_timeouts(t, base, out);
    read_java_and_mcp_go_timeouts(t, base, out);
}

/// A Go `time.Duration` as `String()` prints it (`30s`, `1m0s`, `1.5s`, `500ms`, `2h0m0s`)
/// at the start of `s`: whole milliseconds and its length.
pub(super) fn go_duration_ms(s: &str) -> Option<(u64, usize)> {
    let mut i = 0;
    let mut total = 0f64;
    while let Some((num, n)) = leading_number(s.get(i..)?) {
        let v: f64 = num.parse().ok()?;
        let rest = &s[i + n..];
        let (mul, ulen) = if rest.starts_with("ms") {
            (1.0, 2)
        } else if rest.starts_with("h") {
            (3_600_000.0, 1)
        } else if rest.starts_with("m") {
            (60_000.0, 1)
        } else if rest.starts_with("s") {
            (1000.0, 1)
        } else {
            return None;
        };
        total += v * mul;
        i += n + ulen;
        if !s[i..].starts_with(|c: char| c.is_ascii_digit()) {
            break;
        }
    }
    // A whole number of milliseconds, at most a year (never overflows).
    (i > 0 && total < 3.2e10).then(|| (total.round() as u64, i))
}

/// Java SDK (Reactor's timeout) and mcp-go's SSE transport.
pub(super) fn read_java_and_mcp_go_timeouts<'a>(t: &'a str, base: u32, out: &mut Vec<Signal<'a>>) {
    // reactor-core FluxTimeout: `TimeoutException: Did not observe any item or terminal signal
    // within 20000ms in 'source(MonoCreate)' (and no fallback has been configured)`; the Java
    // SDK's requests (McpClientSession.sendRequest) and initialization (LifecycleInitializer,
    // `Client failed to initialize by explicit API call`) time out this way. Any Reactor
    // program does, so the record must name MCP (`io.modelcontextprotocol`, `McpClientSession`,
    // `Mcp...`).
    const RX: &str = "did not observe any item or terminal signal within ";
    for at in find_all_ci(t, RX) {
        if find_ci(t, "mcp", 0).is_none() && find_ci(t, "modelcontextprotocol", 0).is_none() {
            break;
        }
        let rest = t.get(at + RX.len()..).unwrap_or("");
        let ms = leading_digits(rest);
        if ms.is_empty() || !rest[ms.len()..].starts_with("ms") {
            continue;
        }
        let end = at + RX.len() + ms.len() + 2;
        let ms_at = base.saturating_add((at + RX.len()) as u32);
        let mut s = Signal::new(Kind::RequestTimedOut, abs(base, at..end))
            .with_slice("after_ms", ms, ms_at);
        // The initializer wraps the timeout: `Client failed to initialize <action>`, on the
        // same line or the stack trace's line before the `Caused by:`.
        if find_ci(t, "client failed to initialize", 0).is_some() {
            s = s.with("phase", "connect");
        } else if let Some(p) = phase_of(t.get(line_at(t, at).start..at).unwrap_or("")) {
            s = s.with("phase", p);
        }
        out.push(s);
    }
    // mcp-go client/transport/sse.go: `timeout waiting for endpoint after 30s` (start-up: the
    // server never sent its `endpoint` event), `timeout waiting for SSE response after 30s`.
    for (lit, connect) in [
        ("timeout waiting for endpoint after ", true),
        ("timeout waiting for sse response after ", false),
    ] {
        for at in find_all_ci(t, lit) {
            if !word_start(t, at) {
                continue;
            }
            let Some((ms, n)) = t.get(at + lit.len()..).and_then(go_duration_ms) else {
                continue;
            };
            let end = at + lit.len() + n;
            let mut s = Signal::new(Kind::RequestTimedOut, abs(base, at..end))
                .with("after_ms", ms.to_string());
            if connect {
                s = s.with("phase", "connect");
            } else if let Some(p) = phase_of(t.get(line_at(t, at).start..at).unwrap_or("")) {
                s = s.with("phase", p);
            }
            out.push(s);
        }
    }
}

/// Zed, mcp-go (Windsurf, Crush) and LibreChat: see `read_request_timed_out`.
pub(super) fn read_client_timeouts<'a>(t: &'a str, base: u32, out: &mut Vec<Signal<'a>>) {
    // Zed crates/context_server/src/client.rs: `cancelled csp request task for "initialize"
    // id 0 which took over 60s` (the timeout is a Rust `Duration` in Debug form).
    const ZED: &str = "cancelled csp request task for \"";
    for at in find_all_ci(t, ZED) {
        let line = line_at(t, at);
        let rest = t.get(at + ZED.len()..line.end).unwrap_or("");
        let Some(q) = rest.find('"') else {
            continue;
        };
        let method = &rest[..q];
        if method.is_empty() || method.contains(char::is_whitespace) {
            continue;
        }
        let mut end = at + ZED.len() + q + 1;
        let mut s = Signal::new(Kind::RequestTimedOut, 0..0);
        let m_at = base.saturating_add((at + ZED.len()) as u32);
        s = s.with_slice("method", method, m_at);
        if let Some(p) = find_ci(rest, "which took over ", q) {
            let num_at = p + "which took over ".len();
            if let Some((num, n)) = leading_number(&rest[num_at..]) {
                let unit = &rest[num_at + n..];
                let ms = if starts_with_ci(unit, "ms") {
                    end = at + ZED.len() + num_at + n + 2;
                    Some(leading_digits(num).to_string())
                } else if starts_with_ci(unit, "s") {
                    end = at + ZED.len() + num_at + n + 1;
                    seconds_to_ms(num)
                } else {
                    None
                };
                if let Some(ms) = ms.filter(|m| !m.is_empty()) {
                    s = s.with("after_ms", ms);
                }
            }
        }
        if method == "initialize" {
            s = s.with("phase", "connect");
        }
        s.at = abs(base, at..end);
        out.push(s);
    }
    // Zed: the error the request returns, logged as `<id> context server failed to start:
    // Context server request timeout`.
    for at in find_all_ci(t, "context server request timeout") {
        let line = line_at(t, at);
        let head = t.get(line.start..at).unwrap_or("");
        let mut s = Signal::new(
            Kind::RequestTimedOut,
            abs(base, at..at + "context server request timeout".len()),
        );
        if let Some(p) = phase_of(head) {
            s = s.with("phase", p);
        }
        out.push(s);
    }
    // mcp-go (Windsurf, Crush): `[MCP] Failed to initialize client connection: transport
    // error: context deadline exceeded`; `error initializing mcp client error="transport
    // error: context deadline exceeded"`. `transport error: %w` is a common Go wrapping, so
    // the line must name MCP.
    const GO: &str = "transport error: context deadline exceeded";
    for at in find_all_ci(t, GO) {
        let line = line_at(t, at);
        let whole = t.get(line.clone()).unwrap_or("");
        if find_ci(whole, "mcp", 0).is_none() {
            continue;
        }
        let head = t.get(line.start..at).unwrap_or("");
        let mut s = Signal::new(Kind::RequestTimedOut, abs(base, at..at + GO.len()));
        if let Some(p) = phase_of(head) {
            s = s.with("phase", p);
        }
        out.push(s);
    }
    // LibreChat packages/api/src/mcp/connection.ts: `withTimeout(client.connect(...),
    // initTimeout, "Connection timeout after <ms>ms")`, logged as `error: [MCP][<name>]
    // Connection failed: Connection timeout after 120000ms`. Other programs word their own
    // timeouts the same way, so the line must name MCP.
    const LC: &str = "connection timeout after ";
    for at in find_all_ci(t, LC) {
        if !word_start(t, at) {
            continue;
        }
        let line = line_at(t, at);
        let whole = t.get(line.clone()).unwrap_or("");
        if find_ci(whole, "mcp", 0).is_none() {
            continue;
        }
        let rest = t.get(at + LC.len()..line.end).unwrap_or("");
        let ms = leading_digits(rest);
        if ms.is_empty() || !starts_with_ci(&rest[ms.len()..], "ms") {
            continue;
        }
        let end = at + LC.len() + ms.len() + 2;
        let s = Signal::new(Kind::RequestTimedOut, abs(base, at..end));
        let ms_at = base.saturating_add((at + LC.len()) as u32);
        out.push(s.with_slice("after_ms", ms, ms_at).with("phase", "connect"));
    }
}

/// The JSON-RPC method of a Python SDK request class name, when it names one.
pub(super) fn method_of_class(class: &str) -> Option<&'static str> {
    Some(match class {
        "InitializeRequest" => "initialize",
        "PingRequest" => "ping",
        "ListToolsRequest" => "tools/list",
        "CallToolRequest" => "tools/call",
        "ListResourcesRequest" => "resources/list",
        "ReadResourceRequest" => "resources/read",
        "ListPromptsRequest" => "prompts/list",
        "GetPromptRequest" => "prompts/get",
        _ => return None,
    })
}
