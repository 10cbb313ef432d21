//! Continue's rewording of Node's ENOENT (`command "x" not found. To use this MCP server, install ...`).

use super::*;

// Continue

/// Continue (core/context/mcp/MCPConnection.ts) replaces Node's `spawn <x> ENOENT` with
/// `Error: command "<x>" not found. To use this MCP server, install the <x> CLI.`, where `<x>`
/// is the second word of the lower-cased message (the executable, never its arguments).
pub(super) fn continue_hub<'a>(text: &'a str, base: u32, out: &mut Vec<Signal<'a>>) {
    const TAIL: &str = "to use this mcp server, install the";
    for at in find_all_ci(text, TAIL) {
        let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
        let head = &text[line_start..at];
        // `command "npx" not found. ` (the space after the period may be missing in pastes).
        let Some(c) = head.rfind("command \"") else {
            continue;
        };
        let name_at = c + "command \"".len();
        let after = &head[name_at..];
        let Some(q) = after.find('"') else {
            continue;
        };
        let name = &after[..q];
        let rest = after[q + 1..].trim_start();
        if name.is_empty() || name.contains(char::is_whitespace) || !rest.starts_with("not found") {
            continue;
        }
        let abs_name = line_start + name_at;
        let span = abs(base, line_start + c..at + TAIL.len());
        let prog = (
            Cow::Borrowed(name),
            Some(base.saturating_add(abs_name as u32)),
        );
        out.push(build(span, Some(prog), "ENOENT", "node"));
    }
}
