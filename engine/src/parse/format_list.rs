//! The list of every format: [`Format::ALL`], in detection tie-break order,
//! and the lookups over it (by name, the fallback readers in rank order).
//!
//! This is the one place a new format is added (ARCHITECTURE.md, "Adding a
//! format"): its module declares its `FormatSpec`, this list names it. This
//! module sits above the format modules and must never be imported by one; it
//! holds no knowledge of a format beyond its place in the list.

use std::sync::OnceLock;

use super::format::Format;
use super::{
    claude_code, claude_code_cli, claude_code_json, claude_desktop, client_config, cursor, dmesg,
    generic, ini, inspector, journal, jsonrpc, plain, syslog, vscode, winevent_csv, winevent_ps,
    winevent_text, winevent_xml, wsl_cli,
};

impl Format {
    /// Every format, in detection tie-break order (most specific first): when
    /// two formats score a sample the same, the earlier one wins.
    pub const ALL: &'static [Format] = &[
        Format::of(&claude_desktop::SERVER_SPEC),
        Format::of(&claude_desktop::MAIN_SPEC),
        Format::of(&claude_code::DEBUG_SPEC),
        Format::of(&claude_code::CONSOLE_SPEC),
        Format::of(&claude_code_json::SPEC),
        Format::of(&claude_code_cli::SPEC),
        Format::of(&vscode::SPEC),
        Format::of(&cursor::SPEC),
        Format::of(&inspector::SPEC),
        Format::of(&winevent_xml::XML_SPEC),
        Format::of(&winevent_xml::EVTX_SPEC),
        Format::of(&winevent_text::SPEC),
        Format::of(&winevent_ps::SPEC),
        Format::of(&winevent_csv::SPEC),
        Format::of(&jsonrpc::SPEC),
        Format::of(&dmesg::SPEC),
        Format::of(&syslog::SPEC),
        Format::of(&journal::SPEC),
        Format::of(&wsl_cli::VERSION_SPEC),
        Format::of(&wsl_cli::STATUS_SPEC),
        Format::of(&wsl_cli::LIST_SPEC),
        Format::of(&wsl_cli::ERROR_SPEC),
        Format::of(&ini::WSLCONFIG_SPEC),
        Format::of(&ini::WSL_CONF_SPEC),
        Format::of(&client_config::MCP_JSON_SPEC),
        Format::of(&client_config::CLAUDE_DESKTOP_SPEC),
        Format::of(&client_config::CLAUDE_JSON_SPEC),
        Format::of(&client_config::VSCODE_SPEC),
        Format::of(&generic::SPEC),
        Format::of(&plain::SPEC),
    ];

    /// What a source no format reads is: plain lines.
    pub const PLAIN: Format = Format::of(&plain::SPEC);

    /// The format called `name`.
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL
            .iter()
            .copied()
            .find(|format| format.name() == name)
    }
}

/// The formats that read lines a source's own format does not claim, in rank order.
pub fn fallback_formats() -> &'static [Format] {
    static FALLBACKS: OnceLock<Vec<Format>> = OnceLock::new();
    FALLBACKS.get_or_init(|| {
        let mut fallbacks: Vec<Format> = Format::ALL
            .iter()
            .copied()
            .filter(|format| format.spec().fallback.is_some())
            .collect();
        fallbacks.sort_by_key(|format| format.spec().fallback.map(|fallback| fallback.rank));
        fallbacks
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_lower_case() {
        let mut names: Vec<&str> = Format::ALL.iter().map(|format| format.name()).collect();
        for name in &names {
            assert!(
                name.bytes()
                    .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-'),
                "{name}"
            );
        }
        names.sort_unstable();
        let count = names.len();
        names.dedup();
        assert_eq!(names.len(), count, "a format name is declared twice");
    }

    #[test]
    fn hint_and_fallback_ranks_are_unique() {
        let mut hint_ranks: Vec<u8> = Format::ALL
            .iter()
            .filter_map(|format| format.spec().file_name_hint.map(|hint| hint.rank))
            .collect();
        let hints = hint_ranks.len();
        hint_ranks.sort_unstable();
        hint_ranks.dedup();
        assert_eq!(hint_ranks.len(), hints, "two file-name hints share a rank");
        let mut fallback_ranks: Vec<u8> = Format::ALL
            .iter()
            .filter_map(|format| format.spec().fallback.map(|fallback| fallback.rank))
            .collect();
        let fallbacks = fallback_ranks.len();
        fallback_ranks.sort_unstable();
        fallback_ranks.dedup();
        assert_eq!(
            fallback_ranks.len(),
            fallbacks,
            "two fallbacks share a rank"
        );
    }

    #[test]
    fn fallbacks_in_rank_order() {
        let names: Vec<&str> = fallback_formats()
            .iter()
            .map(|format| format.name())
            .collect();
        assert_eq!(names, ["jsonrpc", "claude-code-cli", "generic"]);
    }

    #[test]
    fn client_logs_and_config_files() {
        let client_logs: Vec<&str> = Format::ALL
            .iter()
            .filter(|format| format.spec().client_log)
            .map(|format| format.name())
            .collect();
        assert_eq!(
            client_logs,
            [
                "claude-desktop-server",
                "claude-desktop-main",
                "claude-code-debug",
                "claude-code-console",
                "claude-code-json",
                "vscode-mcp",
                "cursor-mcp",
                "mcp-inspector"
            ]
        );
        let config_files: Vec<(&str, &str)> = Format::ALL
            .iter()
            .filter_map(|format| Some((format.name(), format.spec().config_entry_file?)))
            .collect();
        assert_eq!(
            config_files,
            [
                ("claude-code-cli", "claude mcp"),
                ("client-config-mcp-json", ".mcp.json"),
                ("client-config-claude-desktop", "claude_desktop_config.json"),
                ("client-config-claude-json", ".claude.json"),
                ("client-config-vscode", "vscode mcp.json"),
            ]
        );
    }

    /// docs/rules.md ("Formats and families") lists every format, once, and no other.
    #[test]
    fn rules_doc_lists_every_format() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/rules.md");
        let doc = std::fs::read_to_string(path).expect("docs/rules.md");
        let section = doc
            .split("### Formats and families")
            .nth(1)
            .expect("docs/rules.md has a \"Formats and families\" section");
        let section = section.split("\n#").next().unwrap_or(section);
        let mut listed: Vec<&str> = section
            .lines()
            .filter_map(|line| line.strip_prefix("| `"))
            .filter_map(|row| row.split('`').next())
            .collect();
        let mut all: Vec<&str> = Format::ALL.iter().map(|format| format.name()).collect();
        listed.sort_unstable();
        all.sort_unstable();
        assert_eq!(
            listed, all,
            "docs/rules.md's format table and Format::ALL differ"
        );
    }
}
