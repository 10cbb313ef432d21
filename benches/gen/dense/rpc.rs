//! JSON-RPC texts of a generated session: the servers' responses and
//! notifications in their SDK's key order, and the `params` of the client's
//! requests (tool arguments made from each parameter's name).
//!
//! Builders append to a reused buffer; they never parse JSON and never emit
//! a failure the session did not ask for.

use super::clock::num;
use super::content::{escape, phrase, pick, words, Style, CITIES, HOME, PROJECTS, WORDS};
use super::servers::{Server, Tool};
use crate::gen::Rng;

/// The envelope of a response from `s` with id `id` around `result` (written by `body`).
pub fn response(out: &mut Vec<u8>, s: &Server, id: u64, body: impl FnOnce(&mut Vec<u8>)) {
    if s.kind.python {
        out.extend_from_slice(b"{\"jsonrpc\":\"2.0\",\"id\":");
        num(out, id);
        out.extend_from_slice(b",\"result\":");
        body(out);
        out.push(b'}');
    } else {
        out.extend_from_slice(b"{\"result\":");
        body(out);
        out.extend_from_slice(b",\"jsonrpc\":\"2.0\",\"id\":");
        num(out, id);
        out.push(b'}');
    }
}

/// An error response (`-32601 Method not found` for an optional method); both SDKs
/// put `id` before `error`.
pub fn error(out: &mut Vec<u8>, id: u64, code: i64, message: &str) {
    out.extend_from_slice(b"{\"jsonrpc\":\"2.0\",\"id\":");
    num(out, id);
    out.extend_from_slice(
        format!(",\"error\":{{\"code\":{code},\"message\":\"{message}\"}}}}").as_bytes(),
    );
}

/// A notification from `s`.
pub fn notification(out: &mut Vec<u8>, s: &Server, method: &str, params: &[u8]) {
    if s.kind.python {
        out.extend_from_slice(b"{\"jsonrpc\":\"2.0\",\"method\":\"");
        out.extend_from_slice(method.as_bytes());
        out.extend_from_slice(b"\",\"params\":");
        out.extend_from_slice(params);
        out.push(b'}');
    } else {
        out.extend_from_slice(b"{\"method\":\"");
        out.extend_from_slice(method.as_bytes());
        out.extend_from_slice(b"\",\"params\":");
        out.extend_from_slice(params);
        out.extend_from_slice(b",\"jsonrpc\":\"2.0\"}");
    }
}

/// The `initialize` result of `s`.
pub fn init_result(out: &mut Vec<u8>, s: &Server) {
    let k = s.kind;
    out.extend_from_slice(b"{\"protocolVersion\":\"");
    out.extend_from_slice(s.proto.as_bytes());
    out.extend_from_slice(b"\",\"capabilities\":{");
    if k.logging {
        out.extend_from_slice(b"\"logging\":{},");
    }
    if k.resources {
        out.extend_from_slice(b"\"resources\":{\"subscribe\":false,\"listChanged\":false},");
    }
    out.extend_from_slice(b"\"tools\":{\"listChanged\":false}},\"serverInfo\":{\"name\":\"");
    out.extend_from_slice(k.info.as_bytes());
    out.extend_from_slice(b"\",\"version\":\"");
    out.extend_from_slice(k.version.as_bytes());
    out.extend_from_slice(b"\"}");
    if k.python {
        out.extend_from_slice(b",\"instructions\":null");
    }
    out.push(b'}');
}

/// The `resources/list` result of `s`: a handful of resources.
pub fn resources(out: &mut Vec<u8>, s: &Server, rng: &mut Rng) {
    out.extend_from_slice(b"{\"resources\":[");
    for i in 0..2 + rng.below(8) {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"uri\":\"");
        out.extend_from_slice(s.kind.name.as_bytes());
        out.extend_from_slice(b"://");
        out.extend_from_slice(pick(rng, &PROJECTS).as_bytes());
        out.push(b'/');
        out.extend_from_slice(pick(rng, &WORDS).as_bytes());
        out.extend_from_slice(b"\",\"name\":\"");
        phrase(rng, out, 2);
        out.extend_from_slice(b"\",\"mimeType\":\"text/markdown\"}");
    }
    out.extend_from_slice(b"]}");
}

/// One argument value for parameter `name` of a tool of `s`.
fn argument(out: &mut Vec<u8>, s: &Server, name: &str, rng: &mut Rng) {
    let str_of = |out: &mut Vec<u8>, f: &mut dyn FnMut(&mut Vec<u8>)| {
        out.push(b'"');
        f(out);
        out.push(b'"');
    };
    match name {
        "limit" | "days" => num(
            out,
            if name == "days" {
                1 + rng.below(7)
            } else {
                5 + rng.below(46)
            },
        ),
        "query" => str_of(out, &mut |o| words(rng, o, 1, 4)),
        "path" => str_of(out, &mut |o| {
            o.extend_from_slice(HOME.as_bytes());
            o.extend_from_slice(
                pick(rng, &["/Documents/", "/code/", "/Desktop/", "/notes/"]).as_bytes(),
            );
            o.extend_from_slice(pick(rng, &PROJECTS).as_bytes());
            if rng.below(2) == 0 {
                o.push(b'/');
                o.extend_from_slice(pick(rng, &WORDS).as_bytes());
                o.extend_from_slice(pick(rng, &[".md", ".ts", ".json", ".py"]).as_bytes());
            }
        }),
        "id" => str_of(out, &mut |o| {
            o.extend(
                pick(rng, &PROJECTS)
                    .bytes()
                    .take(3)
                    .map(|c| c.to_ascii_uppercase()),
            );
            o.push(b'-');
            num(o, 100 + rng.below(4900));
        }),
        "url" => str_of(out, &mut |o| {
            o.extend_from_slice(b"https://");
            o.extend_from_slice(pick(rng, &PROJECTS).as_bytes());
            o.extend_from_slice(b".example.com/");
            o.extend_from_slice(pick(rng, &WORDS).as_bytes());
        }),
        "city" => str_of(out, &mut |o| {
            o.extend_from_slice(pick(rng, &CITIES).as_bytes())
        }),
        "sql" => str_of(out, &mut |o| {
            o.extend_from_slice(b"SELECT id, email, plan, seats FROM accounts WHERE plan = '");
            o.extend_from_slice(pick(rng, &["team", "business", "free"]).as_bytes());
            o.extend_from_slice(b"' ORDER BY created_at DESC LIMIT ");
            num(o, 10 + rng.below(190));
        }),
        "table" => str_of(out, &mut |o| {
            o.extend_from_slice(
                pick(rng, &["accounts", "invoices", "events", "public.seats"]).as_bytes(),
            )
        }),
        "ref" => str_of(out, &mut |o| {
            o.push(b'e');
            num(o, rng.below(900));
        }),
        "start" => str_of(out, &mut |o| {
            o.extend_from_slice(b"2025-06-");
            num(o, 10 + rng.below(18));
            o.extend_from_slice(b"T09:00:00Z");
        }),
        _ => str_of(out, &mut |o| {
            if matches!(s.kind.style, Style::Listing | Style::Markdown) && rng.below(4) == 0 {
                // Writing a file or a note: a body of some size.
                let n = 64 << rng.below(7);
                s.pool.fill(rng, n as usize, o);
            } else {
                let mut raw = Vec::with_capacity(128);
                words(rng, &mut raw, 2, 20);
                escape(o, &raw);
            }
        }),
    }
}

/// The `params` of a `tools/call` of `tool` (with a progress token when `progress`).
pub fn call_params(
    out: &mut Vec<u8>,
    s: &Server,
    tool: &Tool,
    id: u64,
    progress: bool,
    rng: &mut Rng,
) {
    let (name, _, params) = tool;
    out.extend_from_slice(b"{\"name\":\"");
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b"\",\"arguments\":{");
    let n = if params.is_empty() {
        0
    } else {
        1 + rng.below(params.len() as u64) as usize
    };
    for (i, (p, _, _)) in params.iter().take(n).enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.push(b'"');
        out.extend_from_slice(p.as_bytes());
        out.extend_from_slice(b"\":");
        argument(out, s, p, rng);
    }
    out.push(b'}');
    if progress {
        out.extend_from_slice(b",\"_meta\":{\"progressToken\":");
        num(out, id);
        out.push(b'}');
    }
    out.push(b'}');
}

/// The result of a `tools/call`: about `size` bytes of text (an error result when `!ok`).
pub fn call_result(out: &mut Vec<u8>, s: &Server, size: usize, ok: bool, rng: &mut Rng) {
    out.extend_from_slice(b"{\"content\":[{\"type\":\"text\",\"text\":\"");
    if ok {
        s.pool.fill(rng, size, out);
    } else {
        out.extend_from_slice(b"No item matches ");
        out.extend(
            pick(rng, &PROJECTS)
                .bytes()
                .take(3)
                .map(|c| c.to_ascii_uppercase()),
        );
        out.push(b'-');
        num(out, 100 + rng.below(4900));
        out.extend_from_slice(b"; check the key and try again.");
    }
    out.extend_from_slice(b"\"}]");
    if !ok || s.kind.python {
        out.extend_from_slice(if ok {
            b",\"isError\":false"
        } else {
            b",\"isError\":true"
        });
    }
    out.push(b'}');
}

/// The result of `resources/read` of a markdown resource.
pub fn read_result(out: &mut Vec<u8>, s: &Server, size: usize, rng: &mut Rng) {
    out.extend_from_slice(b"{\"contents\":[{\"uri\":\"");
    out.extend_from_slice(s.kind.name.as_bytes());
    out.extend_from_slice(b"://");
    out.extend_from_slice(pick(rng, &PROJECTS).as_bytes());
    out.extend_from_slice(b"/");
    out.extend_from_slice(pick(rng, &WORDS).as_bytes());
    out.extend_from_slice(b"\",\"mimeType\":\"text/markdown\",\"text\":\"");
    s.pool.fill(rng, size, out);
    out.extend_from_slice(b"\"}]}");
}

/// `notifications/progress` params.
pub fn progress(out: &mut Vec<u8>, token: u64, done: u64, total: u64) {
    out.extend_from_slice(b"{\"progressToken\":");
    num(out, token);
    out.extend_from_slice(b",\"progress\":");
    num(out, done);
    out.extend_from_slice(b",\"total\":");
    num(out, total);
    out.push(b'}');
}

/// `notifications/message` params: an info line of the server's own logger.
pub fn log_message(out: &mut Vec<u8>, s: &Server, rng: &mut Rng) {
    out.extend_from_slice(b"{\"level\":\"");
    out.extend_from_slice(pick(rng, &["info", "info", "info", "debug", "notice"]).as_bytes());
    out.extend_from_slice(b"\",\"logger\":\"");
    out.extend_from_slice(s.kind.name.as_bytes());
    out.extend_from_slice(b"\",\"data\":\"");
    out.extend_from_slice(pick(rng, &["Fetched ", "Indexed ", "Synced ", "Cached "]).as_bytes());
    num(out, 1 + rng.below(400));
    out.extend_from_slice(b" items from ");
    out.extend_from_slice(pick(rng, &PROJECTS).as_bytes());
    out.extend_from_slice(b" in ");
    num(out, 5 + rng.below(900));
    out.extend_from_slice(b" ms\"}");
}
