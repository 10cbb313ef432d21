//! Client configuration files (Claude Desktop, `.mcp.json`, `~/.claude.json`,
//! VS Code) and client CLI output (`where.exe claude`, `which claude`,
//! `claude config get`, `claude mcp get` scopes): the exact events expected,
//! one line per event in an insta snapshot (`tests/it/snapshots/`).
//! Fixtures are written for this project in the shapes users keep and paste.

use crate::parse_common;

use logscan_engine::parse::ParsedSource;

fn fixture(rel: &str) -> ParsedSource {
    parse_common::fixture("configs", rel)
}

use parse_common::events;

#[test]
fn claude_desktop_config_env_names_only() {
    let p = fixture("claude_desktop_config.json");
    assert_eq!(p.format, "client-config-claude-desktop");
    insta::assert_snapshot!(parse_common::events_text(&p));
    // The span of a server is its entry, from the name to the closing brace.
    let weather = &p.events[2];
    let text = &p.text.text[weather.span.start as usize..weather.span.end as usize];
    assert!(text.starts_with("\"weather\": {"), "{text}");
    assert!(text.ends_with("\"metric\"\n      }\n    }"), "{text}");
    // Env values are secrets: no field holds them.
    for e in &p.events {
        let r = logscan_engine::event::EventRef {
            event: e,
            source_text: &p.text.text,
            format: p.format,
        };
        for (name, _) in e
            .fields
            .iter()
            .filter(|(n, _)| n != "msg" || e.span.line > 2)
        {
            assert!(!r.get(name).unwrap().contains("sk-live"), "{name}");
        }
    }
}

#[test]
fn mcp_json_project_scope_stdio_http_sse() {
    let p = fixture("proj/.mcp.json");
    assert_eq!(p.format, "client-config-mcp-json");
    insta::assert_snapshot!(parse_common::events_text(&p));
}

#[test]
fn claude_json_user_and_local_scopes_and_settings() {
    let p = fixture("home/.claude.json");
    assert_eq!(p.format, "client-config-claude-json");
    insta::assert_snapshot!(parse_common::events_text(&p));
}

#[test]
fn vscode_mcp_json_with_comments_and_trailing_commas() {
    let p = fixture("proj/.vscode/mcp.json");
    assert_eq!(p.format, "client-config-vscode");
    insta::assert_snapshot!(parse_common::events_text(&p));
}

#[test]
fn vscode_user_settings_mcp_keys() {
    let p = fixture("Code/User/settings.json");
    assert_eq!(p.format, "client-config-vscode");
    insta::assert_snapshot!(parse_common::events_text(&p));
}

#[test]
fn broken_json_gets_a_note_and_is_read_as_lines() {
    let p = fixture("paste/broken.mcp.json");
    assert_eq!(p.format, "client-config-mcp-json");
    assert_eq!(
        p.notes,
        [logscan_engine::text::Note::new(
            Some(5),
            "bundle/paste/broken.mcp.json:5:7: not valid JSON (expected `,` or `}`); read as plain lines"
        )]
    );
    insta::assert_snapshot!(parse_common::events_text(&p));
}

#[test]
fn quoted_fenced_fragment() {
    let p = fixture("paste/fragment.md");
    assert_eq!(p.format, "client-config-mcp-json");
    insta::assert_snapshot!(parse_common::events_text(&p));
}

#[test]
fn detected_by_content_and_not_for_other_json() {
    let text = "$ cat ~/.cursor/mcp.json\n{\n  \"mcpServers\": {\n    \"x\": {\"command\": \"uvx\", \"args\": [\"x-mcp\"]}\n  }\n}\n%\n";
    let p = parse_common::parse_str("paste.txt", text);
    parse_common::check_invariants(&p);
    assert_eq!(p.format, "client-config-mcp-json");
    insta::assert_snapshot!(parse_common::events_text(&p));
    let package = "{\n  \"name\": \"app\",\n  \"type\": \"module\",\n  \"scripts\": {\"start\": \"node .\"}\n}\n";
    assert_ne!(
        parse_common::parse_str("package.json", package).format,
        "client-config-mcp-json"
    );
}

#[test]
fn utf16_crlf_config_spans_are_raw_offsets() {
    let text = "{\r\n  \"mcpServers\": {\r\n    \"a\": {\"command\": \"node\"}\r\n  }\r\n}\r\n";
    let mut raw = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        raw.extend_from_slice(&u.to_le_bytes());
    }
    let src = logscan_engine::decode::decode("claude_desktop_config.json".into(), raw);
    let p = logscan_engine::parse::parse(src, 0, &Default::default());
    assert_eq!(p.format, "client-config-claude-desktop");
    let a = &p.events[2];
    assert_eq!(
        parse_common::describe(&p, a),
        r#"L3 msg="a: node" server="a" command="node" type="stdio""#
    );
    // `"a"` starts at decoded offset 26 and its entry ends at 50: two bytes
    // per character after the BOM.
    assert_eq!((a.span.start, a.span.end), (2 + 2 * 26, 2 + 2 * 50));
}

#[test]
fn where_exe_on_windows() {
    let p = fixture("shell/where-windows.txt");
    assert_eq!(p.format, "claude-code-cli");
    insta::assert_snapshot!(parse_common::events_text(&p));
}

#[test]
fn which_on_linux_and_wsl() {
    let p = fixture("shell/which-linux.txt");
    assert_eq!(p.format, "claude-code-cli");
    insta::assert_snapshot!(parse_common::events_text(&p));
}

#[test]
fn not_found_answers_and_config_get_in_a_quoted_paste() {
    let p = fixture("shell/zsh-paste.md");
    insta::assert_snapshot!(parse_common::events_text(&p));
}

#[test]
fn claude_mcp_get_scope_lines_name_their_server() {
    let p = fixture("shell/mcp-get.txt");
    assert_eq!(p.format, "claude-code-cli");
    let got = events(&p);
    assert_eq!(
        got[1],
        r#"L2 msg="Scope: Project config (shared via .mcp.json)" scope="Project config (shared via .mcp.json)" server="files""#
    );
    assert_eq!(
        got[7],
        r#"L9 msg="Scope: User config (available in all your projects)" scope="User config (available in all your projects)" server="context7""#
    );
}

#[test]
fn odd_inputs_forced_to_config_formats_never_panic() {
    let inputs = [
        "",
        "\"",
        "//",
        "/*",
        "{ /* é — ✓ */ }",
        "\"a\": ",
        "{\"a\": \"\\u12\"}",
        "{\"mcpServers\": {\"a\": {\"command\": 1, \"args\": [{}, 2], \"env\": [\"X\"]}}}",
        "{\"mcpServers\": {\"a\": \"npx\", \"b\": {\"url\": \"é\"}}}",
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
        "{\"projects\": {\"p\": {\"projects\": {\"q\": {\"mcpServers\": {}}}}}}",
        "> {\n> \"mcpServers\": {\"a\": {\"command\": \"x\",},},\n> }\r\r\n",
    ];
    for format in [
        "client-config-mcp-json",
        "client-config-claude-desktop",
        "client-config-claude-json",
        "client-config-vscode",
    ] {
        for input in inputs {
            let opts = logscan_engine::parse::ParseOptions {
                format: Some(format.into()),
                ..Default::default()
            };
            let src = logscan_engine::text::SourceText::identity("x", input.to_string());
            let p = logscan_engine::parse::parse(src, 0, &opts);
            assert_eq!(p.format, format);
            parse_common::check_invariants(&p);
        }
    }
    let opts = logscan_engine::parse::ParseOptions {
        format: Some("client-config-mcp-json".into()),
        ..Default::default()
    };
    let text = "{\"mcpServers\": {\"a\": \"npx\", \"b\": {\"url\": \"é\"}}}";
    let p = logscan_engine::parse::parse(
        logscan_engine::text::SourceText::identity("x", text.into()),
        0,
        &opts,
    );
    assert_eq!(events(&p), [r#"L1 msg="b: é" server="b" url="é""#]);
}
