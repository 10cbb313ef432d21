//! Picks a source's format from its file name and its first records.
//!
//! The name gives a hint (`mcp.log`, `mcp-server-<name>.log`,
//! `mcp-logs-<server>/`, `.claude/debug/`, ...: each format's
//! `FileNameHint`, the lowest rank winning), and may imply the server of
//! every record; then each format scores the first [`SAMPLE`] non-blank lines
//! and the best score wins (ties go to the earlier format of `Format::ALL`),
//! the hint winning whenever its format reads the sample at all. Paste markup
//! lines (code fences, pager prompts, elisions) are left out of the sample.
//! Detection never reads past the sample and never names a format but plain.

use super::format::{FileName, Format, NameHint};
use super::head::ParseContext;
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

/// What the file name says: a format and an implied server. Every format's
/// [`FileNameHint`](super::format::FileNameHint) is asked; the lowest rank
/// among those that accept the name wins.
pub fn from_name(path: &str) -> (Option<Format>, Option<String>) {
    let name = FileName::of(path);
    let mut best: Option<(u8, Format, NameHint)> = None;
    for &format in Format::ALL {
        let Some(hint) = format.spec().file_name_hint else {
            continue;
        };
        if best.as_ref().is_some_and(|(rank, _, _)| *rank < hint.rank) {
            continue;
        }
        if let Some(said) = (hint.matches)(&name) {
            best = Some((hint.rank, format, said));
        }
    }
    match best {
        Some((_, format, said)) => (Some(format), said.implied_server),
        None => (None, None),
    }
}

/// Detects the format of `context.text` named `path`.
pub fn detect(context: &ParseContext<'_>, path: &str) -> Detected {
    let (hint, server) = from_name(path);
    let text = context.text;
    let mut sample = Vec::with_capacity(SAMPLE);
    let mut quotes = 0;
    for line in frame::lines(text) {
        let view = View::new(text, line, false);
        if view.is_blank() {
            continue;
        }
        quotes += usize::from(lex::is_quote(view.text(text)));
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
        .map(|line| View::new(text, line, quoted))
        .filter(|view| paste::markup(view.text(text)).is_none())
        .map(|view| {
            let prefix = lex::prefix(text, &view);
            (view, prefix)
        })
        .collect();
    let score = |format: Format| -> u32 {
        views
            .iter()
            .map(|(view, prefix)| {
                format
                    .head(context, view, prefix)
                    .map_or(0, |head| u32::from(head.score))
            })
            .sum()
    };
    let mut best = (Format::PLAIN, 0);
    for &format in Format::ALL {
        let format_score = score(format);
        if format_score > best.1 {
            best = (format, format_score);
        }
    }
    let format = match hint {
        Some(hinted) if score(hinted) > 0 || best.1 == 0 => hinted,
        _ if best.1 < MIN_SCORE => Format::PLAIN,
        _ => best.0,
    };
    Detected {
        format,
        server,
        quoted,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hinted(path: &str) -> (Option<&'static str>, Option<String>) {
        let (format, server) = from_name(path);
        (format.map(Format::name), server)
    }

    /// Names several hints accept go to the lowest rank, as before hints were specs.
    #[test]
    fn file_name_hints_by_rank() {
        let cases: [(&str, Option<&str>, Option<&str>); 16] = [
            (
                "logs/mcp-server-docs.log",
                Some("claude-desktop-server"),
                Some("docs"),
            ),
            ("logs/mcp-server-.log", Some("claude-desktop-server"), None),
            ("logs/mcp1.log", Some("claude-desktop-main"), None),
            ("x/.claude/debug/mcp.log", Some("claude-desktop-main"), None),
            ("x/.claude/debug/abc.txt", Some("claude-code-debug"), None),
            (
                "mcp-logs-ctx/2025.txt",
                Some("claude-code-json"),
                Some("ctx"),
            ),
            ("mcp-logs-x.txt", Some("claude-code-json"), None),
            (
                "mcp-logs-ctx/claude_desktop_config.json",
                Some("client-config-claude-desktop"),
                None,
            ),
            ("p/.cursor/mcp.json", Some("client-config-mcp-json"), None),
            ("p/Cursor/mcp.log", Some("claude-desktop-main"), None),
            ("p/Cursor/logs/MCP.txt", Some("cursor-mcp"), None),
            (
                "C:\\Users\\me\\.claude\\settings.json",
                Some("client-config-claude-json"),
                None,
            ),
            (
                "Code/User/settings.json",
                Some("client-config-vscode"),
                None,
            ),
            ("b.zip!System.EVTX", Some("windows-event-evtx"), None),
            ("wsl_version.txt", Some("wsl-version"), None),
            ("notes.txt", None, None),
        ];
        for (path, format, server) in cases {
            assert_eq!(hinted(path), (format, server.map(str::to_string)), "{path}");
        }
    }
}
