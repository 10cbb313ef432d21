//! Claude Desktop's MCP logs: `mcp.log` (`<ts> [info] [server] msg`, every
//! server) and `mcp-server-<name>.log` (`<ts> [server] [info] msg`, one
//! server, with the server's stderr lines unprefixed between entries).
//!
//! Lines: `Initializing server...`, `Server started and connected
//! successfully`, `Message from client: {json}` / `Message from server:
//! {json}`, `Shutting down server...`, `Client transport closed`, `Server
//! transport closed`, and in incidents Node's `spawn <cmd> ENOENT`, the
//! `-32001` cancellation of `initialize`, `Server transport closed
//! unexpectedly...` and `Server disconnected...`. The per-server log is a newer
//! version's: its lines end in `{ metadata: undefined }`. This module writes
//! text only.

use super::client::{Client, Msg};
use super::clock::{num, Clock};
use super::content::HOME;
use super::lines::Episode;
use super::servers::Server;
use crate::gen::Rng;

const EARLY_EXIT: &str = "Server transport closed unexpectedly, this is likely due to the process exiting early. If you are developing this MCP server you can add output to stderr (i.e. `console.error('...')` in JavaScript, `print('...', file=sys.stderr)` in python) and it will appear in this log.";
const DISCONNECTED: &str = "Server disconnected. For troubleshooting guidance, please visit our [debugging documentation](https://modelcontextprotocol.io/docs/tools/debugging)";

/// Claude Desktop, either log.
#[derive(Debug, Default)]
pub struct Desktop {
    clock: Clock,
    /// `mcp-server-<name>.log`: server first, stderr shown.
    server_log: bool,
}

impl Desktop {
    pub fn main_log() -> Desktop {
        Desktop::default()
    }

    pub fn server_log() -> Desktop {
        Desktop {
            server_log: true,
            ..Desktop::default()
        }
    }

    fn line<'e>(
        &mut self,
        ep: &'e mut Episode,
        t: u64,
        level: &str,
        s: &Server,
    ) -> &'e mut Vec<u8> {
        let out = ep.line(t);
        self.clock.iso(out, t);
        let (a, b) = if self.server_log {
            (s.name.as_str(), level)
        } else {
            (level, s.name.as_str())
        };
        out.extend_from_slice(b" [");
        out.extend_from_slice(a.as_bytes());
        out.extend_from_slice(b"] [");
        out.extend_from_slice(b.as_bytes());
        out.extend_from_slice(b"] ");
        out
    }

    fn say(&mut self, ep: &mut Episode, t: u64, level: &str, s: &Server, msg: &str) {
        let tail = self.tail();
        let out = self.line(ep, t, level, s);
        out.extend_from_slice(msg.as_bytes());
        out.extend_from_slice(tail);
    }

    /// What newer versions end every per-server line with (Node's `util.inspect` of the
    /// entry's metadata); `mcp.log` lines end with the message.
    fn tail(&self) -> &'static [u8] {
        if self.server_log {
            b" { metadata: undefined }"
        } else {
            b""
        }
    }

    /// The program the failing command names.
    fn program(&self) -> &'static str {
        if self.server_log {
            "uvx"
        } else {
            "npx"
        }
    }
}

/// The lines a server prints when it dies: a Python traceback or a Node stack.
pub fn crash_lines(s: &Server) -> Vec<String> {
    let n = &s.name;
    if s.kind.python {
        vec![
            "Traceback (most recent call last):".into(),
            format!("  File \"{HOME}/code/{n}-mcp/server.py\", line 412, in <module>"),
            "    mcp.run()".into(),
            format!("  File \"{HOME}/code/{n}-mcp/{n}/cache.py\", line 57, in refresh"),
            "    raise RuntimeError(\"cache index is unreadable: run with --rebuild\")".into(),
            "RuntimeError: cache index is unreadable: run with --rebuild".into(),
        ]
    } else {
        vec![
            format!("file://{HOME}/code/{n}-mcp/dist/index.js:214"),
            "      throw new Error(`Target page, context or browser has been closed`);".into(),
            "      ^".into(),
            String::new(),
            "Error: Target page, context or browser has been closed".into(),
            format!("    at Page.snapshot (file://{HOME}/code/{n}-mcp/dist/page.js:88:13)"),
            format!(
                "    at async Server.<anonymous> (file://{HOME}/code/{n}-mcp/dist/index.js:214:7)"
            ),
            String::new(),
            "Node.js v22.17.0".into(),
        ]
    }
}

impl Client for Desktop {
    fn init_params(&self) -> &'static [u8] {
        b"{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"claude-ai\",\"version\":\"0.1.0\"}}"
    }

    fn quits_daily(&self) -> bool {
        true
    }

    fn shows_stderr(&self) -> bool {
        self.server_log
    }

    fn launch(&mut self, ep: &mut Episode, t: u64, s: &Server) {
        self.say(ep, t, "info", s, "Initializing server...");
    }

    fn spawned(&mut self, ep: &mut Episode, t: u64, s: &Server) {
        self.say(
            ep,
            t,
            "info",
            s,
            "Server started and connected successfully",
        );
    }

    fn send(&mut self, ep: &mut Episode, t: u64, s: &Server, m: &Msg<'_>) {
        let tail = self.tail();
        let out = self.line(ep, t, "info", s);
        out.extend_from_slice(b"Message from client: {\"method\":\"");
        out.extend_from_slice(m.method.as_bytes());
        out.push(b'"');
        if !m.params.is_empty() {
            out.extend_from_slice(b",\"params\":");
            out.extend_from_slice(m.params);
        }
        out.extend_from_slice(b",\"jsonrpc\":\"2.0\"");
        if let Some(id) = m.id {
            out.extend_from_slice(b",\"id\":");
            num(out, id);
        }
        out.push(b'}');
        out.extend_from_slice(tail);
    }

    fn recv(&mut self, ep: &mut Episode, t: u64, s: &Server, body: &[u8]) {
        let tail = self.tail();
        let out = self.line(ep, t, "info", s);
        out.extend_from_slice(b"Message from server: ");
        out.extend_from_slice(body);
        out.extend_from_slice(tail);
    }

    fn ready(&mut self, _: &mut Episode, _: u64, _: &Server, _: usize, _: u64) {}

    fn stderr(&mut self, ep: &mut Episode, t: u64, _: &Server, line: &[u8]) {
        if self.server_log {
            ep.stderr(t).extend_from_slice(line);
        }
    }

    fn turn(&mut self, _: &mut Episode, _: u64, _: &mut Rng) {}

    fn around_call(&mut self, _: &mut Episode, _: u64, _: &Server, _: &str, _: bool) {}

    fn call_done(&mut self, _: &mut Episode, _: u64, _: &Server, _: &str, _: u64, _: bool) {}

    fn stop(&mut self, ep: &mut Episode, t: u64, s: &Server) -> u64 {
        self.say(ep, t, "info", s, "Shutting down server...");
        self.say(ep, t + 2, "info", s, "Client transport closed");
        self.say(ep, t + 3, "info", s, "Server transport closed");
        t + 3
    }

    fn spawn_enoent(&mut self, ep: &mut Episode, t: u64, s: &Server) -> u64 {
        let p = self.program();
        self.launch(ep, t, s);
        let msg = format!(
            "spawn {p} ENOENT {{\"context\":\"connection\",\"stack\":\"Error: spawn {p} ENOENT\\n    at ChildProcess._handle.onexit (node:internal/child_process:285:19)\\n    at onErrorNT (node:internal/child_process:483:16)\\n    at process.processTicksAndRejections (node:internal/process/task_queues:82:21)\"}}"
        );
        self.say(ep, t + 11, "error", s, &msg);
        self.say(ep, t + 12, "info", s, "Server transport closed");
        self.say(ep, t + 12, "info", s, "Client transport closed");
        self.say(ep, t + 13, "error", s, DISCONNECTED);
        t + 13
    }

    fn init_timeout(&mut self, ep: &mut Episode, t: u64, s: &Server) -> u64 {
        self.launch(ep, t, s);
        self.spawned(ep, t + 48, s);
        let init = Msg {
            method: "initialize",
            id: Some(0),
            params: self.init_params(),
            tool: None,
        };
        self.send(ep, t + 52, s, &init);
        let at = t + 52 + 60_000 + 7;
        self.say(ep, at, "info", s, "Message from client: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":0,\"reason\":\"Error: MCP error -32001: Request timed out\"}}");
        self.say(ep, at + 2, "info", s, "Client transport closed");
        self.say(ep, at + 3, "info", s, "Server transport closed");
        self.say(ep, at + 4, "info", s, EARLY_EXIT);
        self.say(ep, at + 5, "error", s, DISCONNECTED);
        at + 5
    }

    fn server_exit(&mut self, ep: &mut Episode, t: u64, s: &Server, _: Option<&str>) -> u64 {
        let mut at = t;
        if self.server_log {
            // One block of unprefixed lines between two entries.
            ep.stderr(at)
                .extend_from_slice(crash_lines(s).join("\n").as_bytes());
            at += 40;
        }
        self.say(ep, at, "info", s, "Server transport closed");
        self.say(ep, at + 1, "info", s, "Client transport closed");
        self.say(ep, at + 1, "info", s, EARLY_EXIT);
        self.say(ep, at + 2, "error", s, DISCONNECTED);
        at + 2
    }
}
