//! Per-format fixtures (written for this project in the shapes real users
//! paste) with the exact events expected: format, lines, timestamp, level and
//! fields.

mod parse_common;

use logscan_engine::parse::ParsedSource;

fn fixture(rel: &str) -> ParsedSource {
    parse_common::fixture("", rel)
}

use parse_common::events;

#[test]
#[ignore]
fn dump_fixtures() {
    parse_common::dump("");
}
#[test]
fn claude_desktop_main() {
    let p = fixture("claude-desktop/mcp.log");
    assert_eq!(p.format, "claude-desktop-main");
    let expected = [
        r#"L1 2025-05-02T09:14:01.100Z info msg="Initializing server..." server="weather""#,
        r#"L2 2025-05-02T09:14:01.130Z info msg="Using MCP server command: npx with args and path:" server="weather" metadata=<96 bytes> command="npx" args="[ '-y', '@acme/weather-mcp', [length]: 2 ]""#,
        r#"L3 2025-05-02T09:14:01.160Z error msg="spawn npx ENOENT" server="weather" metadata=<131 bytes>"#,
        r#"L4 2025-05-02T09:14:01.170Z error msg="Server disconnected. For troubleshooting guidance, please visit our [debugging documentation](https://modelcontextprotocol.io/docs/tools/debugging)" server="weather""#,
        r#"L5 2025-05-02T09:14:02.000Z info msg="Server started and connected successfully" server="Notes Helper""#,
        r#"L6 2025-05-02T09:14:02.010Z info msg="Message from client: {\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2024-11-05\",\"capabilities\":{},\"clientInfo\":{\"name\":\"claude-ai\",\"version\":\"0.1.0\"}},\"jsonrpc\":\"2.0\",\"id\":0}" server="Notes Helper" method="initialize" id="0" direction="client""#,
    ];
    assert_eq!(events(&p), expected);
}

#[test]
fn claude_desktop_server() {
    let p = fixture("claude-desktop/mcp-server-weather.log");
    assert_eq!(p.format, "claude-desktop-server");
    let expected = [
        r#"L1-6 2026-01-10T08:00:00.000Z info msg="Using MCP server command: /usr/local/bin/uvx with args and path:" server="weather" command="/usr/local/bin/uvx" args="[ 'weather-mcp', [length]: 1 ]" metadata=<113 bytes>"#,
        r#"L7 2026-01-10T08:00:00.050Z info msg="Server started and connected successfully" server="weather" metadata=<23 bytes>"#,
        r#"L8 2026-01-10T08:00:00.060Z info msg="Message from client: {\"method\":\"initialize\",\"params\":{},\"jsonrpc\":\"2.0\",\"id\":0}" server="weather" metadata=<23 bytes> method="initialize" id="0" direction="client""#,
        r#"L9-12 2026-01-10T08:00:00.060Z msg="Traceback (most recent call last):\n  File \"/opt/weather/server.py\", line 3, in <module>\n    import httpx\nModuleNotFoundError: No module named 'httpx'" stream="stderr" server="weather""#,
        r#"L13 2026-01-10T08:00:00.060Z msg="npx: installed 12 in 3.2s" stream="stderr" server="weather""#,
        r#"L14-20 2026-01-10T08:00:01.500Z error msg="Unexpected token 'W', \"Weather se\"... is not valid JSON" server="weather" metadata=<174 bytes>"#,
        r#"L21 2026-01-10T08:00:01.600Z info msg="Message from server: {\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32601,\"message\":\"Method not found\"}}" server="weather" metadata=<23 bytes> id="1" error.code="-32601" error.message="Method not found" direction="server""#,
    ];
    assert_eq!(events(&p), expected);
}

#[test]
fn claude_code_console() {
    let p = fixture("claude-code-console.txt");
    assert_eq!(p.format, "claude-code-console");
    let expected = [
        r#"L1 debug msg="MCP server \"files\": Starting connection with timeout of 30000ms" server="files""#,
        r#"L2-4 debug msg="MCP server \"files\": Connection failed: Error: spawn files-mcp ENOENT\n    at ChildProcess._handle.onexit (node:internal/child_process:285:19)\n    at onErrorNT (node:internal/child_process:483:16)" server="files""#,
        r#"L5 error msg="MCP server \"shell\" Server stderr: /usr/bin/bash: Files\\Git\\bin\\bash.exe: No such file or directory" server="shell""#,
        r#"L6 debug msg="Using bash path: \"C:\\Program Files\\Git\\bin\\bash.exe\"""#,
        r#"L7 error msg="files: files-mcp --root . - ✗ Failed to connect" server="files" command="files-mcp --root .""#,
    ];
    assert_eq!(events(&p), expected);
}

#[test]
fn claude_code_debug() {
    let p = fixture("home/.claude/debug/latest");
    assert_eq!(p.format, "claude-code-debug");
    let expected = [
        r#"L1 2026-03-01T10:00:00.000Z debug msg="MCP server \"scanner\": Starting connection with timeout of 30000ms" server="scanner""#,
        r#"L2-3 2026-03-01T10:00:00.250Z error msg="MCP server \"scanner\" Server stderr: [scanner] booting...\n  [scanner] ready on stdio" server="scanner""#,
        r#"L5 2026-03-01T10:00:30.000Z debug msg="MCP server \"scanner\": Connection failed after 30000ms: MCP error -32001: Request timed out" server="scanner""#,
    ];
    assert_eq!(events(&p), expected);
}

#[test]
fn claude_code_json_array() {
    let p = fixture("cache/mcp-logs-github/2025-05-01T10-00-00.txt");
    assert_eq!(p.format, "claude-code-json");
    let expected = [
        r#"L1 msg="[" server="github""#,
        r#"L2-7 2025-05-01T10:00:00.000Z debug msg="Starting connection with timeout of 30000ms" session="0f0e0d0c-0000-4000-8000-000000000001" cwd="/home/dev/project" server="github""#,
        r#"L8-14 2025-05-01T10:00:00.120Z error msg="Connection failed: spawn docker ENOENT\n    at ChildProcess._handle.onexit (node:internal/child_process:285:19)" session="0f0e0d0c-0000-4000-8000-000000000001" cwd="/home/dev/project" server="github""#,
    ];
    assert_eq!(events(&p), expected);
}

#[test]
fn claude_code_json_fragments() {
    let p = fixture("json-fragment.txt");
    assert_eq!(p.format, "claude-code-json");
    let expected = [
        r#"L1 error msg="Server stderr: /usr/bin/bash: Files\\Git\\bin\\bash.exe: No such file or directory""#,
        r#"L2-3 debug msg="Connection failed: McpError: MCP error -32000: Connection closed""#,
        r#"L4 2025-06-01T12:00:00.000Z error msg="Connection failed: spawn Unknown system error -8""#,
    ];
    assert_eq!(events(&p), expected);
}

#[test]
fn vscode_mcp() {
    let p = fixture("vscode-mcp.log");
    assert_eq!(p.format, "vscode-mcp");
    let expected = [
        r#"L1 2025-07-01T09:00:00.100Z~ info msg="Starting server context7" server="context7""#,
        r#"L2 2025-07-01T09:00:00.101Z~ info msg="Connection state: Starting" server="context7""#,
        r#"L3 2025-07-01T09:00:00.105Z~ debug msg="Server command line: npx -y @upstash/context7-mcp@latest" command="npx -y @upstash/context7-mcp@latest" server="context7""#,
        r#"L4 2025-07-01T09:00:00.110Z~ info msg="Starting server from LocalProcess extension host" server="context7""#,
        r#"L5 2025-07-01T09:00:00.140Z~ info msg="Connection state: Error spawn npx ENOENT" server="context7""#,
        r#"L6-7 2025-07-01T09:00:00.141Z~ error msg="Error: spawn npx ENOENT\n    at ChildProcess._handle.onexit (node:internal/child_process:285:19)" server="context7""#,
        r#"L8 2025-07-01T09:00:05.000Z~ warn msg="npm warn exec The following package was not found and will be installed: context7-mcp" stream="stderr" server="context7""#,
        r#"L9-13 2025-07-01T09:00:05.000Z~ msg="{\n  \"jsonrpc\": \"2.0\",\n  \"id\": 7,\n  \"error\": {\"code\": -32000, \"message\": \"Connection closed\"}\n}" stream="stderr" server="context7" id="7" error.code="-32000" error.message="Connection closed" direction="server""#,
    ];
    assert_eq!(events(&p), expected);
}

#[test]
fn cursor_mcp() {
    let p = fixture("cursor-mcp.log");
    assert_eq!(p.format, "cursor-mcp");
    let expected = [
        r#"L1 2025-04-30T10:00:00.000Z~ info msg="tracker: Handling CreateClient action" server="tracker""#,
        r#"L2 2025-04-30T10:00:00.500Z~ error msg="tracker: Client error for command SSE error: TypeError: fetch failed: connect ECONNREFUSED 127.0.0.1:3000" server="tracker""#,
        r#"L3 2025-04-30T10:00:00.600Z~ error msg="cker: Error in MCP: SSE error: TypeError: fetch failed" server="cker""#,
        r#"L4 2025-04-30T10:00:01.000Z~ info msg="[V2 FSM] connection:connect_start: conn=idle -> conn=connecting""#,
        r#"L5 2025-04-30T10:00:01.100Z~ warn msg="Connection failed: MCP error -32000: Connection closed""#,
    ];
    assert_eq!(events(&p), expected);
}

#[test]
fn kiro_falls_into_vscode_mcp() {
    let p = fixture("kiro.log");
    assert_eq!(p.format, "vscode-mcp");
    let expected = [
        r#"L1 2026-02-01T12:00:00.000Z~ info msg="Connecting to MCP server" server="fetch""#,
        r#"L2-3 2026-02-01T12:00:00.100Z~ warn msg="Log from MCP Server: 'uvx' is not recognized as an internal or external command,\noperable program or batch file." server="fetch""#,
        r#"L5 2026-02-01T12:00:00.200Z~ error msg="Connection closed" server="fetch""#,
    ];
    assert_eq!(events(&p), expected);
}

#[test]
fn mcp_inspector() {
    let p = fixture("inspector.txt");
    assert_eq!(p.format, "mcp-inspector");
    let expected = [
        r#"L1 msg="New STDIO connection request""#,
        r#"L2 msg="Query parameters: {\"command\":\"npx\",\"args\":\"-y server\"}""#,
        r#"L3 msg="STDIO transport: command=C:\\Windows\\System32\\cmd.exe, args=/C,npx,-y,@acme/server" command="C:\\Windows\\System32\\cmd.exe" args="/C,npx,-y,@acme/server""#,
        r#"L4 msg="Spawned stdio transport""#,
        r#"L5-6 error msg="Error from MCP server: SyntaxError: Unexpected token '>', \"> @acme/se\"... is not valid JSON\n    at JSON.parse (<anonymous>)""#,
    ];
    assert_eq!(events(&p), expected);
}

#[test]
fn raw_jsonrpc() {
    let p = fixture("traffic.jsonl");
    assert_eq!(p.format, "jsonrpc");
    let expected = [
        r#"L1 msg="{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\"}}" method="initialize" id="1" direction="client""#,
        r#"L2 msg="{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"serverInfo\":{\"name\":\"demo\"}}}" id="1" direction="server""#,
        r#"L3 msg="{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}" method="notifications/initialized""#,
        r#"L4 msg="{\"jsonrpc\":\"2.0\",\"id\":\"t-2\",\"error\":{\"code\":-32001,\"message\":\"Request timed out\"}}" id="t-2" error.code="-32001" error.message="Request timed out" direction="server""#,
    ];
    assert_eq!(events(&p), expected);
}

#[test]
fn claude_code_cli() {
    let p = fixture("cli.txt");
    assert_eq!(p.format, "claude-code-cli");
    let expected = [
        r#"L1 msg="Checking MCP server health...""#,
        r#"L3 msg="context7: https://mcp.context7.com/mcp (HTTP) - ✓ Connected" server="context7" command="https://mcp.context7.com/mcp (HTTP)""#,
        r#"L4 error msg="files: cmd /c npx -y files-mcp - ✗ Failed to connect" server="files" command="cmd /c npx -y files-mcp""#,
        r#"L5 error msg="plugin:notes:search · ✗ failed" server="plugin:notes:search""#,
        r#"L7 msg="files:" server="files""#,
        r#"L8 msg="Scope: Local config (private to you in this project)" scope="Local config (private to you in this project)" server="files""#,
        r#"L9 error msg="Status: ✗ Failed to connect" status="✗ Failed to connect" server="files""#,
        r#"L10 msg="Command: cmd" command="cmd" server="files""#,
        r#"L11 msg="Args: /c npx -y files-mcp" args="/c npx -y files-mcp" server="files""#,
        r#"L13 warn msg="mcpServers.files: Windows requires 'cmd /c' wrapper to execute npx" server="files""#,
        r#"L14 msg="● unity - select_object (MCP)(path: \"Main Camera\")" server="unity""#,
        r#"L15 error msg="Error: Connection failed: connect ECONNREFUSED 127.0.0.1:8090" server="unity""#,
    ];
    assert_eq!(events(&p), expected);
}

#[test]
fn generic() {
    let p = fixture("generic.txt");
    assert_eq!(p.format, "generic");
    let expected = [
        r#"L1 2025-03-01T10:00:00.123Z~ info msg="[main] service started""#,
        r#"L2 2025-03-01T09:00:01.000Z error msg="lost connection" server="broker""#,
        r#"L3 2025-03-01T10:00:02.500Z~ msg="worker restarted""#,
        r#"L4 2025-03-01T10:00:02.500Z~ warn msg="disk almost full""#,
        r#"L5 2025-03-01T10:00:02.500Z~ msg="just a line""#,
        r#"L6 2016-09-28T04:30:30.000Z~ error msg="CBS failed to load""#,
    ];
    assert_eq!(events(&p), expected);
}
