//! Claude Code's debug file (`~/.claude/debug/<session>.txt`, `claude
//! --debug`): `<ts> [DEBUG] MCP server "name": ...` and `[ERROR] MCP server
//! "name" ...` for the MCP client, between the CLI's own lines (stream
//! starts, hook lookups around every tool call, transcript writes).
//!
//! Claude Code does not log JSON-RPC messages: a tool call is `Calling MCP
//! tool: x` and `Tool 'x' completed successfully in Nms`; payload-sized JSON
//! appears only in `Connection established with capabilities: {...}`. This
//! module writes text only.

use super::client::{Client, Msg};
use super::clock::{num, Clock};
use super::content::{pick, HOME, PROJECTS};
use super::lines::Episode;
use super::servers::Server;
use crate::gen::Rng;

/// The Claude Code debug file.
#[derive(Debug, Default)]
pub struct Code {
    clock: Clock,
    /// Transcript writes so far (names the temp files).
    writes: u64,
}

impl Code {
    pub fn new() -> Code {
        Code::default()
    }

    fn line<'e>(&mut self, ep: &'e mut Episode, t: u64, level: &str) -> &'e mut Vec<u8> {
        let out = ep.line(t);
        self.clock.iso(out, t);
        out.extend_from_slice(b" [");
        out.extend_from_slice(level.as_bytes());
        out.extend_from_slice(b"] ");
        out
    }

    /// `MCP server "name": ` (`[DEBUG]`) or `MCP server "name" ` (`[ERROR]`).
    fn mcp<'e>(&mut self, ep: &'e mut Episode, t: u64, s: &Server, error: bool) -> &'e mut Vec<u8> {
        let out = self.line(ep, t, if error { "ERROR" } else { "DEBUG" });
        out.extend_from_slice(b"MCP server \"");
        out.extend_from_slice(s.name.as_bytes());
        out.extend_from_slice(if error { b"\" " } else { b"\": " });
        out
    }

    fn say(&mut self, ep: &mut Episode, t: u64, s: &Server, msg: &str) {
        self.mcp(ep, t, s, false).extend_from_slice(msg.as_bytes());
    }

    fn hooks(&mut self, ep: &mut Episode, t: u64, event: &str, query: &str) {
        let l = self.line(ep, t, "DEBUG");
        l.extend_from_slice(b"Getting matching hook commands for ");
        l.extend_from_slice(event.as_bytes());
        l.extend_from_slice(b" with query: ");
        l.extend_from_slice(query.as_bytes());
        self.line(ep, t, "DEBUG")
            .extend_from_slice(b"Found 0 hook matchers in settings");
        let l = self.line(ep, t + 1, "DEBUG");
        l.extend_from_slice(b"Matched 0 unique hooks for query \"");
        l.extend_from_slice(query.as_bytes());
        l.extend_from_slice(b"\" (0 before deduplication)");
    }

    fn transcript(&mut self, ep: &mut Episode, t: u64, rng: &mut Rng) {
        self.writes += 1;
        let project = pick(rng, &PROJECTS);
        let file = format!("{HOME}/.claude/projects/-Users-mara-code-{project}/5f0c2a7e-91d4-4b8a-a3c6-{:012x}.jsonl", self.writes);
        let tmp = format!("{file}.tmp.{}.{}", 40_000 + rng.below(9_000), t);
        self.line(ep, t, "DEBUG")
            .extend_from_slice(format!("Writing to temp file: {tmp}").as_bytes());
        self.line(ep, t, "DEBUG")
            .extend_from_slice(b"Preserving file permissions: 100644");
        let size = 20_000 + rng.below(900_000);
        self.line(ep, t + 1, "DEBUG").extend_from_slice(
            format!("Temp file written successfully, size: {size} bytes").as_bytes(),
        );
        self.line(ep, t + 1, "DEBUG")
            .extend_from_slice(format!("Renaming {tmp} to {file}").as_bytes());
        self.line(ep, t + 2, "DEBUG")
            .extend_from_slice(format!("File {file} written atomically").as_bytes());
    }
}

impl Client for Code {
    fn init_params(&self) -> &'static [u8] {
        b"{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{\"roots\":{},\"elicitation\":{}},\"clientInfo\":{\"name\":\"claude-code\",\"version\":\"1.0.102\"}}"
    }

    fn quits_daily(&self) -> bool {
        true
    }

    fn shows_stderr(&self) -> bool {
        false
    }

    fn launch(&mut self, ep: &mut Episode, t: u64, s: &Server) {
        self.say(ep, t, s, "Starting connection with timeout of 30000ms");
    }

    fn spawned(&mut self, _: &mut Episode, _: u64, _: &Server) {}

    fn send(&mut self, ep: &mut Episode, t: u64, s: &Server, m: &Msg<'_>) {
        if let Some(tool) = m.tool {
            let out = self.mcp(ep, t, s, false);
            out.extend_from_slice(b"Calling MCP tool: ");
            out.extend_from_slice(tool.as_bytes());
        }
    }

    fn recv(&mut self, _: &mut Episode, _: u64, _: &Server, _: &[u8]) {}

    fn ready(&mut self, ep: &mut Episode, t: u64, s: &Server, _: usize, took: u64) {
        if !s.kind.python {
            // Start-up stderr is logged as an error, even a banner.
            let out = self.mcp(ep, t, s, true);
            out.extend_from_slice(b"Server stderr: ");
            out.extend_from_slice(s.kind.info.as_bytes());
            out.extend_from_slice(b" MCP server running on stdio");
        }
        let out = self.mcp(ep, t, s, false);
        out.extend_from_slice(b"Successfully connected (transport: stdio) in ");
        num(out, took);
        out.extend_from_slice(b"ms");
        let k = s.kind;
        let caps = format!(
            "Connection established with capabilities: {{\"hasTools\":true,\"hasPrompts\":false,\"hasResources\":{},\"hasResourceSubscribe\":false,\"serverVersion\":{{\"name\":\"{}\",\"version\":\"{}\"}}}}",
            k.resources, k.info, k.version
        );
        self.say(ep, t + 1, s, &caps);
    }

    fn stderr(&mut self, _: &mut Episode, _: u64, _: &Server, _: &[u8]) {}

    fn turn(&mut self, ep: &mut Episode, t: u64, rng: &mut Rng) {
        self.line(ep, t, "DEBUG")
            .extend_from_slice(b"Stream started - received first chunk");
        if rng.below(2) == 0 {
            self.transcript(ep, t + 5, rng);
        }
    }

    fn around_call(&mut self, ep: &mut Episode, t: u64, s: &Server, tool: &str, before: bool) {
        let query = format!("mcp__{}__{tool}", s.name);
        if before {
            self.line(ep, t, "DEBUG").extend_from_slice(
                format!("executePreToolHooks called for tool: {query}").as_bytes(),
            );
            self.hooks(ep, t, "PreToolUse", &query);
        } else {
            self.hooks(ep, t, "PostToolUse", &query);
            self.line(ep, t + 40, "DEBUG")
                .extend_from_slice(b"Stream started - received first chunk");
        }
    }

    fn call_done(&mut self, ep: &mut Episode, t: u64, s: &Server, tool: &str, took: u64, _: bool) {
        let out = self.mcp(ep, t, s, false);
        out.extend_from_slice(b"Tool '");
        out.extend_from_slice(tool.as_bytes());
        out.extend_from_slice(b"' completed successfully in ");
        num(out, took);
        out.extend_from_slice(b"ms");
    }

    fn stop(&mut self, ep: &mut Episode, t: u64, s: &Server) -> u64 {
        let up = t.saturating_sub(s.since) / 1000;
        self.say(ep, t, s, "Sending SIGINT to MCP server process");
        self.say(ep, t + 60, s, "MCP server process exited cleanly");
        self.say(
            ep,
            t + 61,
            s,
            &format!("STDIO connection closed after {up}s (cleanly)"),
        );
        self.say(ep, t + 61, s, "Cleared connection cache for reconnection");
        t + 61
    }

    fn spawn_enoent(&mut self, ep: &mut Episode, t: u64, s: &Server) -> u64 {
        self.launch(ep, t, s);
        self.say(
            ep,
            t + 17,
            s,
            "Connection failed after 17ms: spawn uvx ENOENT",
        );
        self.mcp(ep, t + 17, s, true)
            .extend_from_slice(b"Connection failed: spawn uvx ENOENT");
        t + 17
    }

    fn init_timeout(&mut self, ep: &mut Episode, t: u64, s: &Server) -> u64 {
        self.launch(ep, t, s);
        let at = t + 30_001;
        self.say(
            ep,
            at,
            s,
            "Connection timeout triggered after 30001ms (limit: 30000ms)",
        );
        let msg = format!(
            "MCP server \"{}\" connection timed out after 30000ms",
            s.name
        );
        self.say(
            ep,
            at + 2,
            s,
            &format!("Connection failed after 30003ms: {msg}"),
        );
        self.mcp(ep, at + 2, s, true)
            .extend_from_slice(format!("Connection failed: {msg}").as_bytes());
        at + 2
    }

    fn server_exit(&mut self, ep: &mut Episode, t: u64, s: &Server, pending: Option<&str>) -> u64 {
        let up = t.saturating_sub(s.since) / 1000;
        self.say(
            ep,
            t,
            s,
            &format!("STDIO connection dropped after {up}s uptime"),
        );
        self.say(
            ep,
            t,
            s,
            "Connection error: MCP error -32000: Connection closed",
        );
        self.say(
            ep,
            t + 1,
            s,
            &format!("STDIO connection closed after {up}s (with errors)"),
        );
        self.say(ep, t + 1, s, "Cleared connection cache for reconnection");
        if let Some(tool) = pending {
            self.say(
                ep,
                t + 2,
                s,
                &format!("Tool '{tool}' failed after 9s: MCP error -32000: Connection closed"),
            );
        }
        t + 2
    }
}
