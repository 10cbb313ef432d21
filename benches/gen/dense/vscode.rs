//! The VS Code MCP output channel of one server (`<ts> [level] message`,
//! `2025-06-03 07:23:52.664` local time): `Starting server <name>`,
//! `Connection state: Starting|Running|Stopped|Error ...`, the JSON-RPC
//! traffic at debug level (`[editor -> server] {json}`, `[server -> editor]
//! {json}`), the server's stderr as `[warning] [server stderr] ...`,
//! `Discovered N tools`, `Stopping server <name>`.
//!
//! VS Code has no start-up timeout of its own, so this shape has no
//! init-timeout incident. This module writes text only.

use super::client::{Client, Msg};
use super::clock::{num, Clock};
use super::desktop::crash_lines;
use super::lines::Episode;
use super::servers::Server;
use crate::gen::Rng;

/// The VS Code output channel of one MCP server.
#[derive(Debug, Default)]
pub struct Vscode {
    clock: Clock,
}

impl Vscode {
    pub fn new() -> Vscode {
        Vscode::default()
    }

    fn line<'e>(&mut self, ep: &'e mut Episode, t: u64, level: &str) -> &'e mut Vec<u8> {
        let out = ep.line(t);
        self.clock.spaced(out, t);
        out.extend_from_slice(b" [");
        out.extend_from_slice(level.as_bytes());
        out.extend_from_slice(b"] ");
        out
    }

    fn say(&mut self, ep: &mut Episode, t: u64, level: &str, msg: &str) {
        self.line(ep, t, level).extend_from_slice(msg.as_bytes());
    }
}

impl Client for Vscode {
    fn init_params(&self) -> &'static [u8] {
        b"{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{\"roots\":{\"listChanged\":true},\"sampling\":{},\"elicitation\":{}},\"clientInfo\":{\"name\":\"Visual Studio Code\",\"version\":\"1.102.3\"}}"
    }

    fn quits_daily(&self) -> bool {
        false
    }

    fn shows_stderr(&self) -> bool {
        true
    }

    fn launch(&mut self, ep: &mut Episode, t: u64, s: &Server) {
        self.say(ep, t, "info", &format!("Starting server {}", s.name));
        self.say(ep, t, "info", "Connection state: Starting");
        self.say(
            ep,
            t + 1,
            "info",
            "Starting server from LocalProcess extension host",
        );
        self.say(ep, t + 2, "info", "Connection state: Starting");
    }

    fn spawned(&mut self, ep: &mut Episode, t: u64, _: &Server) {
        self.say(ep, t, "info", "Connection state: Running");
    }

    fn send(&mut self, ep: &mut Episode, t: u64, _: &Server, m: &Msg<'_>) {
        let out = self.line(ep, t, "debug");
        out.extend_from_slice(b"[editor -> server] {");
        match m.id {
            Some(id) => {
                out.extend_from_slice(b"\"jsonrpc\":\"2.0\",\"id\":");
                num(out, id);
                out.extend_from_slice(b",\"method\":\"");
                out.extend_from_slice(m.method.as_bytes());
                out.push(b'"');
                if !m.params.is_empty() {
                    out.extend_from_slice(b",\"params\":");
                    out.extend_from_slice(m.params);
                }
            }
            None => {
                out.extend_from_slice(b"\"method\":\"");
                out.extend_from_slice(m.method.as_bytes());
                out.push(b'"');
                if !m.params.is_empty() {
                    out.extend_from_slice(b",\"params\":");
                    out.extend_from_slice(m.params);
                }
                out.extend_from_slice(b",\"jsonrpc\":\"2.0\"");
            }
        }
        out.push(b'}');
    }

    fn recv(&mut self, ep: &mut Episode, t: u64, _: &Server, body: &[u8]) {
        let out = self.line(ep, t, "debug");
        out.extend_from_slice(b"[server -> editor] ");
        out.extend_from_slice(body);
    }

    fn ready(&mut self, ep: &mut Episode, t: u64, _: &Server, tools: usize, _: u64) {
        self.say(ep, t, "info", &format!("Discovered {tools} tools"));
    }

    fn stderr(&mut self, ep: &mut Episode, t: u64, _: &Server, line: &[u8]) {
        let out = self.line(ep, t, "warning");
        out.extend_from_slice(b"[server stderr] ");
        out.extend_from_slice(line);
    }

    fn turn(&mut self, _: &mut Episode, _: u64, _: &mut Rng) {}

    fn around_call(&mut self, _: &mut Episode, _: u64, _: &Server, _: &str, _: bool) {}

    fn call_done(&mut self, _: &mut Episode, _: u64, _: &Server, _: &str, _: u64, _: bool) {}

    fn stop(&mut self, ep: &mut Episode, t: u64, s: &Server) -> u64 {
        self.say(ep, t, "info", &format!("Stopping server {}", s.name));
        self.say(ep, t + 6, "info", "Connection state: Stopped");
        t + 6
    }

    fn spawn_enoent(&mut self, ep: &mut Episode, t: u64, s: &Server) -> u64 {
        self.launch(ep, t, s);
        self.say(
            ep,
            t + 9,
            "info",
            "Connection state: Error spawn npx ENOENT",
        );
        t + 9
    }

    fn init_timeout(&mut self, ep: &mut Episode, t: u64, s: &Server) -> u64 {
        self.launch(ep, t, s);
        self.spawned(ep, t + 40, s);
        let mut at = t + 40;
        for _ in 0..12 {
            at += 5_000;
            self.say(
                ep,
                at,
                "info",
                "Waiting for server to respond to `initialize` request...",
            );
        }
        self.stop(ep, at + 900, s)
    }

    fn server_exit(&mut self, ep: &mut Episode, t: u64, s: &Server, _: Option<&str>) -> u64 {
        for l in crash_lines(s).iter().filter(|l| !l.is_empty()) {
            self.stderr(ep, t, s, l.as_bytes());
        }
        self.say(
            ep,
            t + 30,
            "info",
            "Connection state: Error Process exited with code 1",
        );
        t + 30
    }
}
