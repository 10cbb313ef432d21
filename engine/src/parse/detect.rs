//! Picks a source's format from its file name and its first records.
//!
//! The name gives a hint (`mcp.log`, `mcp-server-<name>.log`,
//! `mcp-logs-<server>/`, `.claude/debug/`, ...), and may imply the server of
//! every record; then each format scores the first [`SAMPLE`] non-blank lines
//! and the best score wins, the hint winning whenever its format reads the
//! sample at all. Paste markup lines (code fences, pager prompts, elisions)
//! are left out of the sample. Detection never reads past the sample.

use super::client_config;
use super::format::Format;
use super::head::Cx;
use super::lex::{self, View};
use super::paste;
use crate::frame;

/// Number of non-blank lines scored.
pub const SAMPLE: usize = 64;

/// A sample that scores less than this for every format is plain text.
const MIN_SCORE: u32 = 2;

/// The outcome of detection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Detected {
    pub format: Format,
    /// The server every record implies (per-server log files).
    pub server: Option<String>,
    /// The source is a markdown block quote (`> ` before every line).
    pub quoted: bool,
}

/// What the file name says: a format and an implied server.
pub fn from_name(path: &str) -> (Option<Format>, Option<String>) {
    let norm = path.replace('\\', "/");
    let base = norm.rsplit(['/', '!']).next().unwrap_or("");
    let lower = norm.to_ascii_lowercase();
    if let Some(f) = client_config::from_name(&lower, base) {
        return (Some(f), None);
    }
    if let Some(name) = base
        .strip_prefix("mcp-server-")
        .and_then(|b| b.strip_suffix(".log"))
    {
        return (
            Some(Format::ClaudeDesktopServer),
            (!name.is_empty()).then(|| name.to_string()),
        );
    }
    if base == "mcp.log"
        || (base.starts_with("mcp")
            && base.ends_with(".log")
            && base[3..base.len() - 4]
                .bytes()
                .all(|c| c.is_ascii_digit() || c == b'.'))
    {
        return (Some(Format::ClaudeDesktopMain), None);
    }
    if let Some(i) = norm.find("mcp-logs-") {
        // `mcp-logs-<server>/<time>.txt`: the server is the folder's name suffix; a
        // file merely named `mcp-logs-x.txt` names no server.
        let rest = &norm[i + "mcp-logs-".len()..];
        let server = match rest.split_once('/') {
            Some((dir, _)) => dir,
            None => "",
        };
        return (
            Some(Format::ClaudeCodeJson),
            (!server.is_empty()).then(|| server.to_string()),
        );
    }
    if lower.ends_with(".evtx") {
        return (Some(Format::WinEventEvtx), None);
    }
    if lower.contains(".claude/debug/") {
        return (Some(Format::ClaudeCodeDebug), None);
    }
    if lower.contains("cursor") && lower.contains("mcp") {
        return (Some(Format::CursorMcp), None);
    }
    if lower.contains("kiro")
        || lower.contains("output_logging")
        || base.to_ascii_lowercase().contains("mcp server")
    {
        return (Some(Format::VscodeMcp), None);
    }
    if let Some(f) = linux_wsl_hint(&base.to_ascii_lowercase()) {
        return (Some(f), None);
    }
    (None, None)
}

/// File-name hints for Linux logs, `wsl.exe` output and WSL config files.
fn linux_wsl_hint(base: &str) -> Option<Format> {
    let stem = base.rsplit_once('.').map_or(base, |(s, _)| s);
    Some(match base {
        ".wslconfig" | "wslconfig" | "wslconfig.txt" | "_wslconfig" => Format::WslConfig,
        "wsl.conf" | "wsl.conf.txt" => Format::WslConf,
        _ if base.starts_with("dmesg") => Format::LinuxDmesg,
        _ if base.starts_with("journal") => Format::LinuxJournal,
        _ if ["syslog", "messages", "kern.log", "auth.log", "daemon.log"]
            .iter()
            .any(|n| base.starts_with(n)) =>
        {
            Format::LinuxSyslog
        }
        _ => match stem.replace(['_', ' '], "-").as_str() {
            "wsl-version" | "wsl--version" => Format::WslVersion,
            "wsl-status" | "wsl--status" => Format::WslStatus,
            "wsl-l" | "wsl-l-v" | "wsl-list" | "wsl--list" => Format::WslList,
            _ => return None,
        },
    })
}

/// Detects the format of `text` named `path`.
pub fn detect(cx: &Cx, path: &str) -> Detected {
    let (hint, server) = from_name(path);
    let mut sample = Vec::with_capacity(SAMPLE);
    let mut quotes = 0;
    for line in frame::lines(cx.text) {
        let v = View::new(cx.text, line, false);
        if v.is_blank() {
            continue;
        }
        quotes += usize::from(lex::is_quote(v.text(cx.text)));
        sample.push(line);
        if sample.len() == SAMPLE {
            break;
        }
    }
    let quoted = !sample.is_empty() && quotes * 2 > sample.len();
    // Paste markup (code fences, `<details>`, pager prompts, elisions) says nothing
    // about the format.
    let views: Vec<(View, lex::Prefix)> = sample
        .into_iter()
        .map(|l| View::new(cx.text, l, quoted))
        .filter(|v| paste::markup(v.text(cx.text)).is_none())
        .map(|v| {
            let p = lex::prefix(cx.text, &v);
            (v, p)
        })
        .collect();
    let score = |f: Format| -> u32 {
        views
            .iter()
            .map(|(v, p)| f.head(cx, v, p).map_or(0, |h| u32::from(h.score)))
            .sum()
    };
    let mut best = (Format::Plain, 0);
    for f in Format::ALL {
        let s = score(f);
        if s > best.1 {
            best = (f, s);
        }
    }
    let format = match hint {
        Some(h) if score(h) > 0 || best.1 == 0 => h,
        _ if best.1 < MIN_SCORE => Format::Plain,
        _ => best.0,
    };
    Detected {
        format,
        server,
        quoted,
    }
}
