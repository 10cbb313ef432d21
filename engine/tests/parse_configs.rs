//! Client configuration files (Claude Desktop, `.mcp.json`, `~/.claude.json`,
//! VS Code) and client CLI output (`where.exe claude`, `which claude`,
//! `claude config get`, `claude mcp get` scopes): the exact events expected.
//! Fixtures are written for this project in the shapes users keep and paste.

mod parse_common;

use logscan_engine::parse::ParsedSource;

fn fixture(rel: &str) -> ParsedSource {
    parse_common::fixture("configs", rel)
}

use parse_common::events;

#[test]
#[ignore]
fn dump_fixtures() {
    parse_common::dump("configs");
}

#[test]
fn claude_desktop_config_env_names_only() {
    let p = fixture("claude_desktop_config.json");
    assert_eq!(p.format, "client-config-claude-desktop");
    let expected = [
        r#"L1 msg="{""#,
        r#"L2 msg="\"mcpServers\": {""#,
        r#"L3-10 msg="weather: npx -y @acme/weather-mcp" server="weather" command="npx" args="-y @acme/weather-mcp" type="stdio" env="WEATHER_API_KEY,UNITS""#,
        r#"L11-14 msg="notes: C:\\Program Files\\nodejs\\node.exe C:\\Users\\ana\\notes-mcp\\index.js" server="notes" command="C:\\Program Files\\nodejs\\node.exe" args="C:\\Users\\ana\\notes-mcp\\index.js" type="stdio""#,
        r#"L15 msg="},""#,
        r#"L16 msg="\"globalShortcut\": \"\"""#,
        r#"L17 msg="}""#,
    ];
    assert_eq!(events(&p), expected);
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
    let expected = [
        r#"L1 msg="{""#,
        r#"L2 msg="\"mcpServers\": {""#,
        r#"L3-8 msg="files: cmd /c npx -y files-mcp" server="files" command="cmd" args="/c npx -y files-mcp" type="stdio" scope="project""#,
        r#"L9-13 msg="docs: http://127.0.0.1:8090/mcp (http)" server="docs" type="http" url="http://127.0.0.1:8090/mcp" scope="project""#,
        r#"L14 msg="events: https://mcp.example.com/sse (sse)" server="events" type="sse" url="https://mcp.example.com/sse" scope="project""#,
        r#"L15 msg="}""#,
        r#"L16 msg="}""#,
    ];
    assert_eq!(events(&p), expected);
}

#[test]
fn claude_json_user_and_local_scopes_and_settings() {
    let p = fixture("home/.claude.json");
    assert_eq!(p.format, "client-config-claude-json");
    let expected = [
        r#"L1 msg="{""#,
        r#"L2 msg="\"numStartups\": 42,""#,
        r#"L3 msg="installMethod: npm-global" key="installMethod" value="npm-global" scope="user""#,
        r#"L4 msg="autoUpdates: true" key="autoUpdates" value="true" scope="user""#,
        r#"L5 msg="autoReconnect: false" key="autoReconnect" value="false" scope="user""#,
        r#"L6 msg="\"mcpServers\": {""#,
        r#"L7-12 msg="context7: npx -y @upstash/context7-mcp" server="context7" command="npx" args="-y @upstash/context7-mcp" type="stdio" env="CONTEXT7_TOKEN" scope="user""#,
        r#"L13 msg="},""#,
        r#"L14 msg="\"projects\": {""#,
        r#"L15 msg="\"/home/ana/app\": {""#,
        r#"L16 msg="\"allowedTools\": [],""#,
        r#"L17 msg="\"mcpServers\": {""#,
        r#"L18-23 msg="db: uvx db-mcp --dsn sqlite:///app.db" server="db" command="uvx" args="db-mcp --dsn sqlite:///app.db" type="stdio" scope="local" config_path="/home/ana/app""#,
        r#"L24 msg="},""#,
        r#"L25 msg="enabledMcpjsonServers: files" key="enabledMcpjsonServers" value="files" scope="local" config_path="/home/ana/app""#,
        r#"L26 msg="disabledMcpjsonServers: " key="disabledMcpjsonServers" value="" scope="local" config_path="/home/ana/app""#,
        r#"L27 msg="enableAllProjectMcpServers: false" key="enableAllProjectMcpServers" value="false" scope="local" config_path="/home/ana/app""#,
        r#"L28 msg="}""#,
        r#"L29 msg="}""#,
        r#"L30 msg="}""#,
    ];
    assert_eq!(events(&p), expected);
}

#[test]
fn vscode_mcp_json_with_comments_and_trailing_commas() {
    let p = fixture("proj/.vscode/mcp.json");
    assert_eq!(p.format, "client-config-vscode");
    let expected = [
        r#"L1 msg="{""#,
        r#"L2 msg="// Servers for this workspace""#,
        r#"L3 msg="\"inputs\": [""#,
        r#"L4 msg="{\"type\": \"promptString\", \"id\": \"token\", \"description\": \"API token\", \"password\": true}""#,
        r#"L5 msg="],""#,
        r#"L6 msg="\"servers\": {""#,
        r#"L7-10 msg="github: https://api.githubcopilot.com/mcp/ (http)" server="github" type="http" url="https://api.githubcopilot.com/mcp/" scope="project""#,
        r#"L11 msg="/* local tools */""#,
        r#"L12-17 msg="shell: wsl.exe -- /home/ana/bin/shell-mcp" server="shell" command="wsl.exe" args="-- /home/ana/bin/shell-mcp" type="stdio" env="TOKEN" scope="project""#,
        r#"L18 msg="},""#,
        r#"L19 msg="}""#,
    ];
    assert_eq!(events(&p), expected);
}

#[test]
fn vscode_user_settings_mcp_keys() {
    let p = fixture("Code/User/settings.json");
    assert_eq!(p.format, "client-config-vscode");
    let expected = [
        r#"L1 msg="{""#,
        r#"L2 msg="\"editor.fontSize\": 14,""#,
        r#"L3 msg="mcp.autoReconnect: false" key="autoReconnect" value="false" scope="user""#,
        r#"L4 msg="chat.mcp.discovery.enabled: true" key="discovery.enabled" value="true" scope="user""#,
        r#"L5 msg="\"mcp\": {""#,
        r#"L6 msg="\"servers\": {""#,
        r#"L7-10 msg="time: uvx mcp-server-time" server="time" command="uvx" args="mcp-server-time" type="stdio" scope="user""#,
        r#"L11 msg="}""#,
        r#"L12 msg="}""#,
        r#"L13 msg="}""#,
    ];
    assert_eq!(events(&p), expected);
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
    let expected = [
        r#"L1 msg="{""#,
        r#"L2-3 msg="\"mcpServers\": {\r\n    \"files\": {""#,
        r#"L4 msg="\"command\": \"npx\"""#,
        r#"L5-8 msg="\"args\": [\"-y\", \"files-mcp\"]\r\n    }\r\n  }\r\n}""#,
    ];
    assert_eq!(events(&p), expected);
}

#[test]
fn quoted_fenced_fragment() {
    let p = fixture("paste/fragment.md");
    assert_eq!(p.format, "client-config-mcp-json");
    let expected = [
        r#"L1 msg="```json""#,
        r#"L2-5 msg="memory: npx -y @modelcontextprotocol/server-memory" server="memory" command="npx" args="-y @modelcontextprotocol/server-memory" type="stdio""#,
        r#"L6 msg="```""#,
    ];
    assert_eq!(events(&p), expected);
}

#[test]
fn detected_by_content_and_not_for_other_json() {
    let text = "$ cat ~/.cursor/mcp.json\n{\n  \"mcpServers\": {\n    \"x\": {\"command\": \"uvx\", \"args\": [\"x-mcp\"]}\n  }\n}\n%\n";
    let p = parse_common::parse_str("paste.txt", text);
    parse_common::check_invariants(&p);
    assert_eq!(p.format, "client-config-mcp-json");
    let expected = [
        r#"L1 msg="$ cat ~/.cursor/mcp.json""#,
        r#"L2 msg="{""#,
        r#"L3 msg="\"mcpServers\": {""#,
        r#"L4 msg="x: uvx x-mcp" server="x" command="uvx" args="x-mcp" type="stdio""#,
        r#"L5 msg="}""#,
        r#"L6 msg="}""#,
        r#"L7 msg="%""#,
    ];
    assert_eq!(events(&p), expected);
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
    let expected = [
        r#"L1 msg="PS C:\\Users\\ana> where.exe claude""#,
        r#"L2 msg="C:\\Users\\ana\\AppData\\Roaming\\npm\\claude" which="C:\\Users\\ana\\AppData\\Roaming\\npm\\claude" platform="windows" found="true""#,
        r#"L3 msg="C:\\Users\\ana\\AppData\\Roaming\\npm\\claude.cmd" which="C:\\Users\\ana\\AppData\\Roaming\\npm\\claude.cmd" platform="windows" found="true""#,
        r#"L4 msg="PS C:\\Users\\ana> where.exe uvx""#,
        r#"L5 info msg="Could not find files for the given pattern(s).""#,
        r#"L6 msg="PS C:\\Users\\ana> claude config get mcp.autoReconnect" key="autoReconnect""#,
        r#"L7 msg="false" key="autoReconnect" value="false""#,
    ];
    assert_eq!(events(&p), expected);
}

#[test]
fn which_on_linux_and_wsl() {
    let p = fixture("shell/which-linux.txt");
    assert_eq!(p.format, "claude-code-cli");
    let expected = [
        r#"L1 msg="ana@box:~$ which claude""#,
        r#"L2 msg="/mnt/c/Users/ana/AppData/Roaming/npm/claude" which="/mnt/c/Users/ana/AppData/Roaming/npm/claude" platform="windows" found="true""#,
        r#"L3 msg="ana@box:~$ type claude""#,
        r#"L4 msg="claude is /home/ana/.npm-global/bin/claude" which="/home/ana/.npm-global/bin/claude" platform="linux" found="true""#,
        r#"L5 msg="ana@box:~$ which -a claude""#,
        r#"L6 msg="which: no claude in (/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin)" platform="linux" found="false""#,
    ];
    assert_eq!(events(&p), expected);
}

#[test]
fn not_found_answers_and_config_get_in_a_quoted_paste() {
    let p = fixture("shell/zsh-paste.md");
    let expected = [
        r#"L1 msg="% which claude""#,
        r#"L2 msg="claude not found" platform="linux" found="false""#,
        r#"L3 msg="% where.exe claude""#,
        r#"L4 msg="INFO: Could not find files for the given pattern(s)." platform="windows" found="false""#,
        r#"L5 msg="% claude config get -g autoReconnect" key="autoReconnect""#,
        r#"L6 msg="true" key="autoReconnect" value="true""#,
    ];
    assert_eq!(events(&p), expected);
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
