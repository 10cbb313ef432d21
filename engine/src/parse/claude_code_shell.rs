//! Shell output users paste about the Claude Code installation: `where.exe
//! claude`, `which claude` / `type claude`, PowerShell `Get-Command claude`
//! (field `which` = the path, `platform` = the side the installation lives on,
//! `found`), and `claude config get <key>` (the command line and the value
//! line after it: `key`, `value`).
//!
//! A value line is only recognised right after its `claude config get` line
//! (the one line this module looks back at); a bare path only when its file
//! is a `claude` launcher. This module never claims any other line.

use crate::event::Value;

use super::head::{Head, ParseContext};
use super::lex::View;

/// Launcher file names `where` / `which` print for Claude Code.
const LAUNCHERS: [&str; 5] = [
    "claude",
    "claude.cmd",
    "claude.exe",
    "claude.ps1",
    "claude.bat",
];

const CONFIG_GET: &str = "claude config get ";

/// Reads `body` (the line's content, starting at absolute offset `at`).
pub fn head(context: &ParseContext<'_>, view: &View, body: &str, at: u32) -> Option<Head> {
    let range = |from: usize, len: usize| at + from as u32..at + (from + len) as u32;
    let mut h = Head::new(range(0, body.len()));
    h.score = 3;
    if let Some(i) = body.find(CONFIG_GET) {
        let (key, _) = config_key(body.get(i + CONFIG_GET.len()..)?)?;
        h.set("key", Value::Owned(key.into()));
        return Some(h);
    }
    if let Some((path, platform)) = launcher_path(body) {
        let from = body.len() - body.trim_start().len() + offset_in(body.trim_start(), path);
        h.set("which", Value::Text(range(from, path.len())));
        h.set("platform", Value::Owned(platform.into()));
        h.set("found", Value::Owned("true".into()));
        return Some(h);
    }
    if let Some(platform) = not_found(body) {
        if platform == "windows" {
            // `where.exe` prints this for any program: only when asked for claude.
            let prev = previous_line(context.text, view.line.start);
            if prev.contains("where") && !prev.contains("claude") {
                return None;
            }
        }
        h.set("platform", Value::Owned(platform.into()));
        h.set("found", Value::Owned("false".into()));
        return Some(h);
    }
    if body.len() <= 200 && !body.contains("claude") {
        let prev = previous_line(context.text, view.line.start);
        if let Some(i) = prev.find(CONFIG_GET) {
            let (key, _) = config_key(prev.get(i + CONFIG_GET.len()..)?)?;
            h.set("key", Value::Owned(key.into()));
            h.set("value", Value::Text(range(0, body.len())));
            return Some(h);
        }
    }
    None
}

/// The key of `claude config get [-g] <key>`, without a `mcp.` or `chat.mcp.`
/// prefix, and the key as written.
fn config_key(args: &str) -> Option<(&str, &str)> {
    let key = args.split_whitespace().find(|a| !a.starts_with('-'))?;
    let bare = key
        .strip_prefix("chat.mcp.")
        .or_else(|| key.strip_prefix("mcp."))
        .filter(|b| !b.is_empty())
        .unwrap_or(key);
    Some((bare, key))
}

/// A path to a Claude launcher (bare, after `claude is `, or in the last
/// column of `Get-Command`), and the platform of the installation.
fn launcher_path(body: &str) -> Option<(&str, &'static str)> {
    let s = body.trim();
    let s = s.strip_prefix("claude is ").unwrap_or(s);
    let path = if s.starts_with("Application ") || s.starts_with("ExternalScript ") {
        s.rsplit("    ").next()?.trim()
    } else {
        s
    };
    let base = path.rsplit(['\\', '/']).next()?;
    if !LAUNCHERS.iter().any(|l| l.eq_ignore_ascii_case(base)) {
        return None;
    }
    let b = path.as_bytes();
    let drive = b.len() > 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'\\';
    let lower = path.to_ascii_lowercase();
    let platform = if lower.starts_with("\\\\wsl") {
        "linux"
    } else if drive || is_mnt_drive(&lower) {
        "windows"
    } else if path.starts_with('/') || path.starts_with("~/") {
        "linux"
    } else {
        return None;
    };
    Some((path, platform))
}

/// `/mnt/c/...`: a Windows drive seen from WSL.
fn is_mnt_drive(lower: &str) -> bool {
    let b = lower.as_bytes();
    lower.starts_with("/mnt/")
        && b.get(5).is_some_and(u8::is_ascii_alphabetic)
        && b.get(6) == Some(&b'/')
}

/// The "not found" answers of `where.exe` (windows) and `which` / `type` (linux).
fn not_found(body: &str) -> Option<&'static str> {
    let s = body.trim();
    if s.starts_with("INFO: Could not find files for the given pattern") {
        return Some("windows");
    }
    let linux = s == "claude not found"
        || s.starts_with("which: no claude in ")
        || s.ends_with("type: claude: not found")
        || s == "claude: not found";
    linux.then_some("linux")
}

/// The content of the nearest non-blank line before offset `start`, quote
/// marks and prompt-free white space trimmed.
fn previous_line(text: &str, start: u32) -> &str {
    let before = text.get(..start as usize).unwrap_or("");
    let before = before.trim_end_matches(['\r', '\n', ' ', '\t', '>']);
    let from = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    before
        .get(from..)
        .unwrap_or("")
        .trim_start_matches(['>', ' ', '\t'])
}

fn offset_in(outer: &str, inner: &str) -> usize {
    (inner.as_ptr() as usize).saturating_sub(outer.as_ptr() as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn launcher_paths_and_platforms() {
        let p = |s| launcher_path(s).map(|(p, pl)| (p.to_string(), pl));
        assert_eq!(
            p(r"C:\Users\ana\AppData\Roaming\npm\claude.cmd"),
            Some((
                r"C:\Users\ana\AppData\Roaming\npm\claude.cmd".into(),
                "windows"
            ))
        );
        assert_eq!(
            p("/home/ana/.npm-global/bin/claude"),
            Some(("/home/ana/.npm-global/bin/claude".into(), "linux"))
        );
        assert_eq!(
            p("/mnt/c/Users/ana/AppData/Roaming/npm/claude").map(|x| x.1),
            Some("windows")
        );
        assert_eq!(
            p("claude is /usr/local/bin/claude").map(|x| x.1),
            Some("linux")
        );
        assert_eq!(p("/usr/bin/claude-helper"), None);
        assert_eq!(p("claude"), None);
        assert_eq!(p("C:"), None);
    }

    #[test]
    fn config_keys() {
        assert_eq!(
            config_key("mcp.autoReconnect"),
            Some(("autoReconnect", "mcp.autoReconnect"))
        );
        assert_eq!(config_key("-g theme"), Some(("theme", "theme")));
        assert_eq!(config_key("  "), None);
    }

    #[test]
    fn previous_lines() {
        assert_eq!(
            previous_line("> $ where.exe npx\r\n>\r\n> INFO", 22),
            "$ where.exe npx"
        );
        assert_eq!(previous_line("x", 0), "");
    }
}
