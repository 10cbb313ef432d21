//! What every client shape must render: the [`Client`] trait the session
//! drives (start, messages, stderr, stops, incidents), and the JSON-RPC
//! message a client sends ([`Msg`]).
//!
//! A client only renders; it never decides what happens next (the session
//! does) and never writes a line that its real counterpart does not print.

use super::lines::Episode;
use super::servers::Server;
use crate::gen::Rng;

/// A client-to-server JSON-RPC message.
#[derive(Debug, Clone, Copy)]
pub struct Msg<'a> {
    pub method: &'a str,
    /// `None` for a notification.
    pub id: Option<u64>,
    /// The `params` object, or empty for none.
    pub params: &'a [u8],
    /// The tool of a `tools/call`.
    pub tool: Option<&'a str>,
}

/// A client's log shape. Times are ms since the Unix epoch.
pub trait Client {
    /// `params` of the client's `initialize` request.
    fn init_params(&self) -> &'static [u8];
    /// Whether the client is quit every evening (else it stays open for days).
    fn quits_daily(&self) -> bool;
    /// Whether the client writes the server's stderr lines.
    fn shows_stderr(&self) -> bool;
    /// The client starts `s`.
    fn launch(&mut self, ep: &mut Episode, t: u64, s: &Server);
    /// The process of `s` runs and its transport is open.
    fn spawned(&mut self, ep: &mut Episode, t: u64, s: &Server);
    /// A message to `s`.
    fn send(&mut self, ep: &mut Episode, t: u64, s: &Server, m: &Msg<'_>);
    /// A message from `s` (its whole JSON text).
    fn recv(&mut self, ep: &mut Episode, t: u64, s: &Server, body: &[u8]);
    /// The handshake with `s` is done: `tools` tools, `took` ms after [`Client::launch`].
    fn ready(&mut self, ep: &mut Episode, t: u64, s: &Server, tools: usize, took: u64);
    /// One line `s` wrote on its stderr.
    fn stderr(&mut self, ep: &mut Episode, t: u64, s: &Server, line: &[u8]);
    /// A model turn starts (the client's own lines, if it writes any).
    fn turn(&mut self, ep: &mut Episode, t: u64, rng: &mut Rng);
    /// The client's own lines before (`before`) or after a tool call.
    fn around_call(&mut self, ep: &mut Episode, t: u64, s: &Server, tool: &str, before: bool);
    /// A `tools/call` to `s` finished after `took` ms (`ok`: not an error result).
    fn call_done(&mut self, ep: &mut Episode, t: u64, s: &Server, tool: &str, took: u64, ok: bool);
    /// The client stops `s` on purpose (quit, restart); returns the time of its last line.
    fn stop(&mut self, ep: &mut Episode, t: u64, s: &Server) -> u64;
    /// Incident: the command of `s` does not exist. Returns the time of the last line.
    fn spawn_enoent(&mut self, ep: &mut Episode, t: u64, s: &Server) -> u64;
    /// Incident: `s` starts but never answers `initialize`; the client gives up.
    fn init_timeout(&mut self, ep: &mut Episode, t: u64, s: &Server) -> u64;
    /// Incident: the running `s` exits on its own (`pending`: a tool call it never answered).
    fn server_exit(&mut self, ep: &mut Episode, t: u64, s: &Server, pending: Option<&str>) -> u64;
}
