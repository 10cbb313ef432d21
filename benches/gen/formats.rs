//! One generated sample per benchmarked log format: background lines of the
//! format with a short incident spliced in every [`INCIDENT_EVERY`] lines.
//!
//! Templates use `{ts}` (the format's timestamp), `{n}` (line number) and
//! `{i}` (incident number, so every incident names its own server). This
//! module only makes text; it never runs the engine.

use super::clock;

/// Lines between two incidents.
pub const INCIDENT_EVERY: usize = 500;

/// A format to generate.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    /// The format name logscan detects for this sample (the bench id).
    pub format: &'static str,
    /// The file name it is scanned as (drives detection).
    pub file: &'static str,
    /// Lines written once at the top.
    pub header: &'static str,
    pub ts: fn(u64) -> String,
    pub background: &'static [&'static str],
    pub incident: &'static [&'static str],
}

fn iso(ms: u64) -> String {
    super::iso(ms)
}

fn spaced(ms: u64) -> String {
    let (d, h, m, s, f) = clock(ms);
    format!("2025-06-{d:02} {h:02}:{m:02}:{s:02}.{f:03}")
}

fn comma(ms: u64) -> String {
    let (d, h, m, s, f) = clock(ms);
    format!("2025-06-{d:02} {h:02}:{m:02}:{s:02},{f:03}")
}

fn bsd(ms: u64) -> String {
    let (d, h, m, s, _) = clock(ms);
    format!("Jun {d:2} {h:02}:{m:02}:{s:02}")
}

fn uptime(ms: u64) -> String {
    format!("[{:5}.{:06}]", ms / 1000, (ms % 1000) * 1000)
}

pub const CLAUDE_DESKTOP: Sample = Sample {
    format: "claude-desktop-main",
    file: "mcp.log",
    header: "",
    ts: iso,
    background: &[
        "{ts} [info] [github] Message from server: {\"jsonrpc\":\"2.0\",\"id\":{n},\"result\":{\"tools\":[]}}",
        "{ts} [info] [github] Message from client: {\"method\":\"tools/list\",\"params\":{},\"jsonrpc\":\"2.0\",\"id\":{n}}",
        "{ts} [info] [filesystem] Server started and connected successfully",
        "{ts} [debug] [filesystem] Processing request {n} of type ListToolsRequest",
    ],
    incident: &[
        "{ts} [info] [ctx{i}] Initializing server...",
        "{ts} [error] [ctx{i}] spawn npx ENOENT",
        "{ts} [error] [ctx{i}] Server disconnected. For troubleshooting guidance, please visit our [debugging documentation](https://modelcontextprotocol.io/docs/tools/debugging)",
    ],
};

pub const CLAUDE_CODE_DEBUG: Sample = Sample {
    format: "claude-code-debug",
    file: "claude-debug.txt",
    header: "2025-06-03T00:00:00.000Z [DEBUG] Claude Code 1.0.102 starting (win32, node v22.17.0)\n",
    ts: iso,
    background: &[
        "{ts} [DEBUG] MCP server \"github\": Calling MCP tool: search_code (request {n})",
        "{ts} [DEBUG] MCP server \"github\": Tool call succeeded: {\"content\":[{\"type\":\"text\",\"text\":\"{n} results\"}]}",
        "{ts} [DEBUG] Writing to temp file: C:\\Users\\ren\\.claude\\todos\\{n}.json.tmp",
        "{ts} [DEBUG] Stream started - received first chunk",
    ],
    incident: &[
        "{ts} [DEBUG] MCP server \"docs{i}\": Starting connection with timeout of 30000ms",
        "{ts} [ERROR] MCP server \"docs{i}\" Connection failed: spawn npx ENOENT",
        "{ts} [DEBUG] MCP server \"docs{i}\": Connection attempt completed in 38ms - status: failed",
    ],
};

pub const VSCODE: Sample = Sample {
    format: "vscode-mcp",
    file: "vscode-mcp-output.log",
    header: "",
    ts: spaced,
    background: &[
        "{ts} [info] Connection state: Running",
        "{ts} [debug] [server stderr] request {n} handled in 3ms",
        "{ts} [info] Discovered 12 tools",
        "{ts} [trace] Sending message: {\"jsonrpc\":\"2.0\",\"id\":{n},\"method\":\"tools/call\"}",
    ],
    incident: &[
        "{ts} [info] Starting server docs{i}",
        "{ts} [debug] Server command line: npx -y @acme/docs-mcp (cwd C:\\Users\\ren\\atlas)",
        "{ts} [info] Connection state: Error spawn npx ENOENT",
    ],
};

pub const SYSLOG: Sample = Sample {
    format: "linux-syslog",
    file: "syslog",
    header: "",
    ts: bsd,
    background: &[
        "{ts} devbox systemd[1]: Started Session {n} of User ren.",
        "{ts} devbox CRON[{n}]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)",
        "{ts} devbox sshd[{n}]: Accepted publickey for ren from 10.0.0.7 port 52144 ssh2",
        "{ts} devbox dbus-daemon[612]: [system] Successfully activated service 'org.freedesktop.hostname1'",
    ],
    incident: &[
        "{ts} devbox kernel: node invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0",
        "{ts} devbox kernel: Out of memory: Killed process {i} (node) total-vm:23034112kB, anon-rss:7612204kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:15880kB oom_score_adj:0",
    ],
};

pub const JOURNAL: Sample = Sample {
    format: "linux-journal",
    file: "journal.txt",
    header:
        "-- Logs begin at Tue 2025-06-03 00:00:00 UTC, end at Tue 2025-06-03 23:59:59 UTC. --\n",
    ..SYSLOG
};

pub const DMESG: Sample = Sample {
    format: "linux-dmesg",
    file: "dmesg.txt",
    header: "[    0.000000] Linux version 5.15.167.4-microsoft-standard-WSL2 (root@buildhost) (gcc (GCC) 11.2.0) #1 SMP\n",
    ts: uptime,
    background: &[
        "{ts} hv_balloon: Balloon request will be partially fulfilled. Balloon floor reached.",
        "{ts} EXT4-fs (sdc): mounted filesystem with ordered data mode. Opts: discard,errors=remount-ro",
        "{ts} hv_pci {n}: PCI VMBus probing: Using version 0x10004",
        "{ts} WSL (2) ERROR: CheckConnection: getaddrinfo() failed: -5",
    ],
    incident: &[
        "{ts} node invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0",
        "{ts} Out of memory: Killed process {i} (node) total-vm:23034112kB, anon-rss:7612204kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:15880kB oom_score_adj:0",
    ],
};

pub const GENERIC: Sample = Sample {
    format: "generic",
    file: "app.log",
    header: "",
    ts: comma,
    background: &[
        "{ts} INFO worker-3: processed job {n} in 12 ms",
        "{ts} DEBUG cache: hit ratio 0.93 after {n} lookups",
        "{ts} WARN http: slow response from upstream (1203 ms) for request {n}",
        "{ts} INFO scheduler: queued {n} tasks",
    ],
    incident: &[
        "{ts} ERROR launcher: spawn npx ENOENT while starting docs{i}",
        "{ts} ERROR launcher: server docs{i} exited with code 1",
    ],
};

/// Every sample, in bench order.
pub const ALL: [Sample; 7] = [
    CLAUDE_DESKTOP,
    CLAUDE_CODE_DEBUG,
    VSCODE,
    SYSLOG,
    JOURNAL,
    DMESG,
    GENERIC,
];

/// One line of `sample` for line `n` (time `n` ms after the start).
pub fn line(sample: &Sample, template: &str, n: usize, incident: usize) -> String {
    template
        .replace("{ts}", &(sample.ts)(n as u64))
        .replace("{n}", &n.to_string())
        .replace("{i}", &incident.to_string())
}

/// `lines` lines of `sample`: background with an incident every [`INCIDENT_EVERY`] lines.
pub fn render(sample: &Sample, lines: usize) -> String {
    let mut out = String::from(sample.header);
    for n in 0..lines {
        let k = n % INCIDENT_EVERY;
        let tpl = match sample.incident.get(k) {
            Some(t) => t,
            None => sample.background[n % sample.background.len()],
        };
        out.push_str(&line(sample, tpl, n, n / INCIDENT_EVERY));
        out.push('\n');
    }
    out
}
