//! `config_entry`: a configured MCP server, whichever file or command showed it.
//!
//! Reads the fields the parsers already set (engine/src/parse/client_config.rs for
//! `claude_desktop_config.json`, `.mcp.json`, `~/.claude.json`, VS Code `mcp.json`;
//! engine/src/parse/claude_code_cli.rs for `claude mcp list` / `claude mcp get`):
//! `server`, `command`, `args`, `transport` (`stdio`, `http`, `sse`: the entry's `type`,
//! else `http` for a URL, else `stdio`), `scope` (`user`, `local`, `project`; `claude mcp
//! get`'s `Scope: Local config (...)` reads `local`) and `file` (`claude_desktop_config.json`,
//! `.mcp.json`, `.claude.json`, `vscode mcp.json`, `claude mcp list`, `claude mcp get`).

use crate::event::EventRef;
use crate::signal::{text, Family, Kind, Signal};

/// `config_entry`: a configured MCP server entry.
pub static CONFIG_ENTRY: Family = Family {
    kind: Kind::ConfigEntry,
    name: "config_entry",
    about: "a configured MCP server entry",
    fields: &["server", "command", "args", "transport", "scope", "file"],
    literals: &[
        "\"command\"",
        "\"url\"",
        "\"serverurl\"",
        "connected",
        "failed to connect",
        "needs authentication",
        "pending approval",
        "scope:",
        "command:",
    ],
    narrow: crate::signal::broad,
    read: read_config_entry,
};

fn read_config_entry<'a>(ev: &EventRef<'a>, out: &mut Vec<Signal<'a>>) {
    // Each format that configures servers says what its file is called
    // (`FormatSpec::config_entry_file`).
    let Some(file) = crate::parse::config_entry_file(ev.format) else {
        return;
    };
    let server = ev.get("server");
    let command = ev.get("command");
    let scope_raw = ev.get("scope");
    let cli = file == "claude mcp";
    // A config file entry always names its server; a `claude mcp get` line may not
    // when the paste lost the heading's shape (indented, quoted): keep its scope.
    if server.is_none() && !(cli && scope_raw.is_some()) {
        return;
    }
    // In `claude mcp get` each line is its own record: keep the ones that say something.
    if cli && command.is_none() && scope_raw.is_none() {
        return;
    }
    if !cli && command.is_none() && ev.get("url").is_none() {
        return;
    }
    let rec = ev.record_text();
    let base = ev.event.text.start;
    let mut s = Signal::new(Kind::ConfigEntry, base..base + rec.trim_end().len() as u32);
    if let Some(server) = server {
        s = s.with("server", server);
    }
    let cli_list = cli && command.is_some() && text::contains_ci(rec, " - ");
    let file = match (cli, cli_list) {
        (true, true) => "claude mcp list",
        (true, false) => "claude mcp get",
        _ => file,
    };
    let mut transport = ev.get("type").map(|t| t.to_ascii_lowercase());
    if let Some(c) = &command {
        // `web: https://host/mcp (HTTP) - ✗ Failed to connect` (claude mcp list).
        let c = c.trim();
        let (cmd, tag) = match c.rsplit_once(" (") {
            Some((u, t)) if t.ends_with(')') && cli_list => (u, Some(t.trim_end_matches(')'))),
            _ => (c, None),
        };
        if let Some(t) = tag {
            transport.get_or_insert(t.to_ascii_lowercase());
        }
        if cmd.starts_with("http://") || cmd.starts_with("https://") {
            transport.get_or_insert("http".into());
        }
        s = s.with("command", cmd.to_string());
    } else if let Some(u) = ev.get("url") {
        s = s.with("command", u);
        transport.get_or_insert("http".into());
    }
    if let Some(a) = ev.get("args") {
        s = s.with("args", a);
    }
    if command.is_some() && transport.is_none() {
        transport = Some("stdio".into());
    }
    if let Some(t) = transport {
        s = s.with("transport", t);
    }
    if let Some(sc) = scope_raw {
        let lo = sc.trim().to_ascii_lowercase();
        let norm = ["local", "user", "project"]
            .into_iter()
            .find(|w| lo.starts_with(w))
            .unwrap_or("");
        if !norm.is_empty() {
            s = s.with("scope", norm);
        }
    } else if file == ".mcp.json" {
        s = s.with("scope", "project");
    }
    s = s.with("file", file);
    out.push(s);
}

#[cfg(test)]
mod tests {
    use crate::signal::testkit::read;
    use crate::signal::Kind;

    fn c(file: &str, text: &str) -> Vec<String> {
        read(file, text, Kind::ConfigEntry)
    }

    #[test]
    fn client_config_files() {
        assert_eq!(
            c("claude_desktop_config.json", "{\"mcpServers\":{\"fs\":{\"command\":\"npx\",\"args\":[\"-y\",\"@acme/fs\"]}}}"),
            ["server=fs command=npx args=-y @acme/fs transport=stdio file=claude_desktop_config.json"]
        );
        assert_eq!(
            c(".mcp.json", "{\n  \"mcpServers\": {\n    \"notes\": {\"command\": \"uvx\", \"args\": [\"notes-mcp\"]}\n  }\n}\n"),
            ["server=notes command=uvx args=notes-mcp transport=stdio scope=project file=.mcp.json"]
        );
        assert_eq!(
            c(".claude.json", "{\"mcpServers\": {\"web\": {\"type\": \"http\", \"url\": \"https://mcp.example.com/mcp\"}}}\n"),
            ["server=web command=https://mcp.example.com/mcp transport=http scope=user file=.claude.json"]
        );
        assert_eq!(
            c(".vscode/mcp.json", "{\"servers\":{\"gh\":{\"type\":\"stdio\",\"command\":\"npx\",\"args\":[\"-y\",\"@acme/gh\"]}}}"),
            ["server=gh command=npx args=-y @acme/gh transport=stdio scope=project file=vscode mcp.json"]
        );
    }

    #[test]
    fn an_indented_claude_mcp_get_keeps_its_scope_without_the_heading() {
        let got = c(
            "claude-mcp-get.txt",
            "    $ claude mcp get notes\n    notes:\n      Scope: Local config (private to you in this project)\n      Type: stdio\n",
        );
        assert!(got.iter().any(|g| g.contains("scope=local")), "{got:?}");
    }

    #[test]
    fn claude_mcp_list_and_get() {
        assert_eq!(
            c("mcp-list.txt", "$ claude mcp list\nChecking MCP server health...\n\ntracker: npx -y @acme/tracker-mcp - ✓ Connected\nweb: https://mcp.example.com/mcp (HTTP) - ✗ Failed to connect\n"),
            [
                "server=tracker command=npx -y @acme/tracker-mcp transport=stdio file=claude mcp list",
                "server=web command=https://mcp.example.com/mcp transport=http file=claude mcp list"
            ]
        );
        assert_eq!(
            c("mcp-get.txt", "$ claude mcp get db\ndb:\n  Scope: Local config (private to you in this project)\n  Status: ✓ Connected\n  Type: stdio\n  Command: uvx\n"),
            ["server=db scope=local file=claude mcp get", "server=db command=uvx transport=stdio file=claude mcp get"]
        );
    }
}
