//! The life of a generated session, independent of the client's shape:
//! working days (the client started in the morning, every server's
//! handshake, conversations that call tools in bursts seconds apart with
//! minutes between them, the client quit in the evening), clean restarts,
//! and the spliced incidents at the byte offsets the plan asks for.
//!
//! The session decides what happens and when; the [`Client`] decides how it
//! is written. Every line of an episode is at or after the previous
//! episode's last line, so the log's time never goes backwards.

use std::io::{self, Write};

use super::client::{Client, Msg};
use super::clock::{self, DAY, HOUR, MINUTE, SECOND};
use super::lines::{Episode, Sink};
use super::rpc;
use super::servers::{self, Server, BROKEN_SPAWN, BROKEN_TIMEOUT};
use super::{Kind, Plan, Spliced, Summary};
use crate::gen::Rng;

/// A value in `lo..hi`.
fn range(rng: &mut Rng, lo: u64, hi: u64) -> u64 {
    lo + rng.below(hi.saturating_sub(lo).max(1))
}

/// A result size: mostly small, some kilobytes, a few up to `2^max_bits` bytes
/// (and [`MAX_RESULT`]).
fn result_size(rng: &mut Rng, max_bits: u64) -> usize {
    let bits = match rng.below(10) {
        0..=5 => range(rng, 5, 10),
        6..=8 => range(rng, 10, 13),
        _ => range(rng, 13, max_bits),
    }
    .min(max_bits - 1);
    let lo = 1u64 << bits;
    // Whole records stay under the frame stage's 64 KiB line cut.
    range(rng, lo, lo * 2).min(MAX_RESULT) as usize
}

/// The largest result text (the last unit copied may pass it by about 1 KiB).
const MAX_RESULT: u64 = 60 * 1024;

/// The time between two conversations: seconds to minutes (a busy working day).
fn pause(rng: &mut Rng) -> u64 {
    match rng.below(10) {
        0..=5 => range(rng, 5 * SECOND, MINUTE),
        6..=8 => range(rng, MINUTE, 5 * MINUTE),
        _ => range(rng, 5 * MINUTE, 20 * MINUTE),
    }
}

/// The model's time between two tool calls of one conversation.
fn think(rng: &mut Rng) -> u64 {
    match rng.below(10) {
        0..=6 => range(rng, 500, 5_000),
        7..=8 => range(rng, 5_000, 20_000),
        _ => range(rng, 20_000, 60_000),
    }
}

/// The tool-call latency in ms: mostly fast, sometimes seconds.
fn latency(rng: &mut Rng) -> u64 {
    match rng.below(10) {
        0..=5 => range(rng, 8, 400),
        6..=8 => range(rng, 400, 3_000),
        _ => range(rng, 3_000, 25_000),
    }
}

struct Run<'a, C: Client, W: Write> {
    rng: Rng,
    client: &'a mut C,
    sink: Sink<'a, W>,
    ep: Episode,
    servers: Vec<Server>,
    /// Scratch buffers for params and bodies.
    params: Vec<u8>,
    body: Vec<u8>,
    /// The time of the last line written (ms).
    now: u64,
    targets: Vec<u64>,
    kinds: &'static [Kind],
    spliced: Vec<Spliced>,
}

/// Runs the session of `plan` with `client`, writing to `w`.
pub fn run<C: Client, W: Write>(plan: &Plan, client: &mut C, w: &mut W) -> io::Result<Summary> {
    let mut rng = Rng::new(plan.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5);
    let servers = match plan.shape.server() {
        Some(name) => vec![servers::named(&mut rng, name)],
        None => {
            let n = 8 + rng.below(13) as usize;
            servers::pick(&mut rng, n)
        }
    };
    let n = plan.incidents as u64;
    let targets = (0..n).map(|k| (2 * k + 1) * plan.size / (2 * n)).collect();
    let mut run = Run {
        rng,
        client,
        sink: Sink::new(w, plan.size),
        ep: Episode::default(),
        servers,
        params: Vec::with_capacity(1 << 16),
        body: Vec::with_capacity(1 << 18),
        now: clock::START,
        targets,
        kinds: plan.shape.kinds(),
        spliced: Vec::new(),
    };
    run.days()?;
    Ok(Summary {
        counts: run.sink.counts,
        spliced: run.spliced,
    })
}

impl<C: Client, W: Write> Run<'_, C, W> {
    fn flush(&mut self) -> io::Result<()> {
        self.now = self.now.max(self.ep.last);
        self.sink.flush(&mut self.ep)
    }

    fn days(&mut self) -> io::Result<()> {
        let mut day = clock::START / DAY;
        let mut first = true;
        while !self.sink.full {
            // Weekends are quiet: no session.
            while clock::weekday(day * DAY) >= 5 {
                day += 1;
            }
            let morning = day * DAY + 8 * HOUR + range(&mut self.rng, 0, 90 * MINUTE);
            let start = morning.max(self.now + SECOND);
            if first || self.client.quits_daily() {
                self.start_all(start, &[])?;
            }
            // A client left open overnight is idle until the morning.
            self.now = self.now.max(start);
            first = false;
            let evening = day * DAY + 18 * HOUR + range(&mut self.rng, 0, 3 * HOUR);
            while self.now < evening && !self.sink.full {
                let t = self.now + pause(&mut self.rng);
                if self.incident_due() {
                    self.incident(t)?;
                } else if self.rng.below(150) == 0 {
                    self.restart(t)?;
                } else {
                    self.conversation(t)?;
                }
            }
            if self.client.quits_daily() && !self.sink.full {
                let t = self.now + range(&mut self.rng, MINUTE, 40 * MINUTE);
                self.stop_all(t);
                self.flush()?;
            }
            day += 1;
        }
        Ok(())
    }

    fn incident_due(&self) -> bool {
        self.targets
            .get(self.spliced.len())
            .is_some_and(|&at| self.sink.counts.bytes >= at)
    }

    /// Stops every running server at about `t`; returns the last line's time.
    fn stop_all(&mut self, t: u64) -> u64 {
        let mut end = t;
        for i in 0..self.servers.len() {
            if self.servers[i].up {
                let at = t + range(&mut self.rng, 0, 40);
                end = end.max(self.client.stop(&mut self.ep, at, &self.servers[i]));
                self.servers[i].up = false;
            }
        }
        end
    }

    /// Starts every server (the client's start), plus `broken` ones that fail.
    fn start_all(&mut self, t: u64, broken: &[(Kind, Server)]) -> io::Result<()> {
        for i in 0..self.servers.len() {
            let at = t + range(&mut self.rng, 0, 60) + i as u64 * 3;
            self.handshake(i, at);
        }
        for (kind, s) in broken {
            let at = t + range(&mut self.rng, 0, 60);
            fail(&mut *self.client, &mut self.ep, *kind, at, s);
        }
        self.flush()
    }

    /// The start of server `i` at `t`: launch, initialize, tools/list, optional lists.
    fn handshake(&mut self, i: usize, t: u64) {
        let rng = &mut self.rng;
        let (c, ep, s) = (&mut *self.client, &mut self.ep, &mut self.servers[i]);
        s.next_id = 0;
        c.launch(ep, t, s);
        let mut at = t + range(rng, 3, 120);
        c.spawned(ep, at, s);
        if !s.kind.python && c.shows_stderr() {
            let banner = format!("{} MCP server running on stdio", s.kind.info);
            c.stderr(ep, at + range(rng, 20, 300), s, banner.as_bytes());
        }
        at += range(rng, 2, 15);
        let id = s.id();
        c.send(
            ep,
            at,
            s,
            &Msg {
                method: "initialize",
                id: Some(id),
                params: c.init_params(),
                tool: None,
            },
        );
        at += if s.kind.python {
            range(rng, 300, 2_500)
        } else {
            range(rng, 40, 600)
        };
        self.body.clear();
        rpc::response(&mut self.body, s, id, |o| rpc::init_result(o, s));
        c.recv(ep, at, s, &self.body);
        at += range(rng, 3, 12);
        c.send(
            ep,
            at,
            s,
            &Msg {
                method: "notifications/initialized",
                id: None,
                params: b"",
                tool: None,
            },
        );
        at += range(rng, 1, 10);
        let id = s.id();
        c.send(
            ep,
            at,
            s,
            &Msg {
                method: "tools/list",
                id: Some(id),
                params: b"{}",
                tool: None,
            },
        );
        if s.kind.python && c.shows_stderr() {
            c.stderr(
                ep,
                at + 2,
                s,
                b"INFO     Processing request of type ListToolsRequest",
            );
        }
        at += range(rng, 5, 80);
        self.body.clear();
        rpc::response(&mut self.body, s, id, |o| {
            o.extend_from_slice(&s.tools_json)
        });
        c.recv(ep, at, s, &self.body);
        at += range(rng, 2, 20);
        let id = s.id();
        if s.kind.resources {
            c.send(
                ep,
                at,
                s,
                &Msg {
                    method: "resources/list",
                    id: Some(id),
                    params: b"{}",
                    tool: None,
                },
            );
            at += range(rng, 5, 60);
            self.body.clear();
            let mut list = Vec::new();
            rpc::resources(&mut list, s, rng);
            rpc::response(&mut self.body, s, id, |o| o.extend_from_slice(&list));
        } else {
            c.send(
                ep,
                at,
                s,
                &Msg {
                    method: "prompts/list",
                    id: Some(id),
                    params: b"{}",
                    tool: None,
                },
            );
            at += range(rng, 5, 60);
            self.body.clear();
            rpc::error(&mut self.body, id, -32601, "Method not found");
        }
        c.recv(ep, at, s, &self.body);
        c.ready(ep, at + 1, s, s.kind.tools.len(), at + 1 - t);
        s.up = true;
        s.since = t;
    }

    /// A clean restart: every server (or the only one) stopped and started again.
    fn restart(&mut self, t: u64) -> io::Result<()> {
        let end = self.stop_all(t);
        self.flush()?;
        let at = end + range(&mut self.rng, 2 * SECOND, 20 * SECOND);
        self.start_all(at, &[])
    }

    /// One conversation: a burst of tool calls to a few servers.
    fn conversation(&mut self, t: u64) -> io::Result<()> {
        let up: Vec<usize> = (0..self.servers.len())
            .filter(|&i| self.servers[i].up)
            .collect();
        if up.is_empty() {
            // Everything is down (after a crash in a one-server log): start again.
            self.ep.last = t;
            return self.start_all(t, &[]);
        }
        let rng = &mut self.rng;
        let pick_server = |rng: &mut Rng, servers: &[Server]| -> usize {
            let total: u64 = up.iter().map(|&i| servers[i].kind.weight).sum();
            let mut x = rng.below(total.max(1));
            for &i in &up {
                let w = servers[i].kind.weight;
                if x < w {
                    return i;
                }
                x -= w;
            }
            up[0]
        };
        let few: Vec<usize> = (0..1 + rng.below(3))
            .map(|_| pick_server(rng, &self.servers))
            .collect();
        let calls = if rng.below(3) == 0 {
            range(rng, 10, 60)
        } else {
            range(rng, 2, 12)
        };
        let mut at = t;
        self.client.turn(&mut self.ep, at, rng);
        for k in 0..calls {
            let rng = &mut self.rng;
            at += if k == 0 {
                range(rng, 500, 4_000)
            } else {
                think(rng)
            };
            let i = few[rng.below(few.len() as u64) as usize];
            at = self.call(i, at);
            if self.rng.below(25) == 0 && self.servers[i].kind.resources {
                let gap = range(&mut self.rng, 200, 5_000);
                at = self.read_resource(i, at + gap);
            }
            if self.rng.below(40) == 0 {
                let gap = range(&mut self.rng, 100, 2_000);
                at = self.ping(i, at + gap);
            }
        }
        self.ep.last = self.ep.last.max(at);
        self.flush()
    }

    /// One `tools/call` to server `i` at `t`; returns the time of its result.
    fn call(&mut self, i: usize, t: u64) -> u64 {
        let rng = &mut self.rng;
        let (c, ep, s) = (&mut *self.client, &mut self.ep, &mut self.servers[i]);
        let tool = &s.kind.tools[rng.below(s.kind.tools.len() as u64) as usize];
        let id = s.id();
        let progress = s.kind.progress && rng.below(3) == 0;
        self.params.clear();
        rpc::call_params(&mut self.params, s, tool, id, progress, rng);
        c.around_call(ep, t, s, tool.0, true);
        let sent = t + range(rng, 1, 30);
        c.send(
            ep,
            sent,
            s,
            &Msg {
                method: "tools/call",
                id: Some(id),
                params: &self.params,
                tool: Some(tool.0),
            },
        );
        if s.kind.python && c.shows_stderr() {
            c.stderr(
                ep,
                sent + 2,
                s,
                b"INFO     Processing request of type CallToolRequest",
            );
        }
        let took = latency(rng) + if progress { 4_000 } else { 0 };
        let done = sent + took;
        if progress {
            let total = 2 + rng.below(6);
            for p in 1..total {
                self.params.clear();
                rpc::progress(&mut self.params, id, p, total);
                self.body.clear();
                rpc::notification(&mut self.body, s, "notifications/progress", &self.params);
                c.recv(ep, sent + took * p / total, s, &self.body);
            }
        }
        if s.kind.logging && rng.below(3) == 0 {
            self.params.clear();
            rpc::log_message(&mut self.params, s, rng);
            self.body.clear();
            rpc::notification(&mut self.body, s, "notifications/message", &self.params);
            c.recv(ep, sent + took / 2 + 1, s, &self.body);
        }
        let ok = rng.below(50) != 0;
        let size = result_size(rng, s.kind.max_bits);
        self.params.clear();
        rpc::call_result(&mut self.params, s, size, ok, rng);
        self.body.clear();
        rpc::response(&mut self.body, s, id, |o| o.extend_from_slice(&self.params));
        c.recv(ep, done, s, &self.body);
        c.call_done(ep, done + 1, s, tool.0, took, ok);
        c.around_call(ep, done + 2, s, tool.0, false);
        done + 2
    }

    fn read_resource(&mut self, i: usize, t: u64) -> u64 {
        let rng = &mut self.rng;
        let (c, ep, s) = (&mut *self.client, &mut self.ep, &mut self.servers[i]);
        let id = s.id();
        let uri = format!(
            "{{\"uri\":\"{}://{}/notes\"}}",
            s.kind.name,
            super::content::pick(rng, &super::content::PROJECTS)
        );
        c.send(
            ep,
            t,
            s,
            &Msg {
                method: "resources/read",
                id: Some(id),
                params: uri.as_bytes(),
                tool: None,
            },
        );
        let done = t + range(rng, 5, 300);
        self.params.clear();
        rpc::read_result(&mut self.params, s, result_size(rng, 13), rng);
        self.body.clear();
        rpc::response(&mut self.body, s, id, |o| o.extend_from_slice(&self.params));
        c.recv(ep, done, s, &self.body);
        done
    }

    fn ping(&mut self, i: usize, t: u64) -> u64 {
        let rng = &mut self.rng;
        let (c, ep, s) = (&mut *self.client, &mut self.ep, &mut self.servers[i]);
        let id = s.id();
        c.send(
            ep,
            t,
            s,
            &Msg {
                method: "ping",
                id: Some(id),
                params: b"",
                tool: None,
            },
        );
        let done = t + range(rng, 1, 40);
        self.body.clear();
        rpc::response(&mut self.body, s, id, |o| o.extend_from_slice(b"{}"));
        c.recv(ep, done, s, &self.body);
        done
    }

    /// Splices the next incident in at about `t`.
    fn incident(&mut self, t: u64) -> io::Result<()> {
        let k = self.spliced.len();
        let kind = self.kinds[k % self.kinds.len()];
        let before = self.sink.counts;
        let single = self.servers.len() == 1;
        let name = match kind {
            Kind::ServerExit => {
                let up: Vec<usize> = (0..self.servers.len())
                    .filter(|&i| self.servers[i].up)
                    .collect();
                if up.is_empty() {
                    return self.start_all(t, &[]);
                }
                let i = up[self.rng.below(up.len() as u64) as usize];
                // A call is answered, the next one never is: the server dies on it.
                let mut at = self.call(i, t) + range(&mut self.rng, 5 * SECOND, 3 * MINUTE);
                let (c, ep, s) = (&mut *self.client, &mut self.ep, &mut self.servers[i]);
                let tool = s.kind.tools[0];
                let id = s.id();
                self.params.clear();
                rpc::call_params(&mut self.params, s, &tool, id, false, &mut self.rng);
                c.around_call(ep, at, s, tool.0, true);
                c.send(
                    ep,
                    at + 3,
                    s,
                    &Msg {
                        method: "tools/call",
                        id: Some(id),
                        params: &self.params,
                        tool: Some(tool.0),
                    },
                );
                at += range(&mut self.rng, 200, 9_000);
                c.server_exit(ep, at, s, Some(tool.0));
                s.up = false;
                s.name.clone()
            }
            Kind::SpawnEnoent | Kind::InitTimeout if single => {
                // The one server is restarted and does not come up.
                let end = self.stop_all(t);
                let at = end + range(&mut self.rng, 2 * SECOND, 20 * SECOND);
                fail(&mut *self.client, &mut self.ep, kind, at, &self.servers[0]);
                self.servers[0].name.clone()
            }
            Kind::SpawnEnoent | Kind::InitTimeout => {
                // A server added to the config: the client restarts, the new one fails.
                let names = if kind == Kind::SpawnEnoent {
                    BROKEN_SPAWN
                } else {
                    BROKEN_TIMEOUT
                };
                let name = names[(k / self.kinds.len()) % names.len()];
                let broken = servers::broken(&mut self.rng, name);
                let end = self.stop_all(t);
                self.flush()?;
                let at = end + range(&mut self.rng, 5 * SECOND, 40 * SECOND);
                self.start_all(at, &[(kind, broken)])?;
                name.to_string()
            }
        };
        let first_line = before.lines + 1;
        self.flush()?;
        if !self.sink.full {
            self.spliced.push(Spliced {
                kind,
                server: name,
                line: first_line,
            });
        } else {
            // Cut by the end of the file: no longer due.
            self.targets.truncate(self.spliced.len());
        }
        // Calm after an incident: the user looks into it.
        self.now += range(&mut self.rng, 2 * MINUTE, 20 * MINUTE);
        Ok(())
    }
}

/// A failed start of `s` at `t` (an incident of kind `kind`).
fn fail<C: Client>(client: &mut C, ep: &mut Episode, kind: Kind, t: u64, s: &Server) -> u64 {
    match kind {
        Kind::SpawnEnoent => client.spawn_enoent(ep, t, s),
        Kind::InitTimeout => client.init_timeout(ep, t, s),
        Kind::ServerExit => client.server_exit(ep, t, s, None),
    }
}
