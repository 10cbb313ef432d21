//! Tests of the `spawn` signal family, one per phrasing and client format.
use crate::signal::testkit::read;
use crate::signal::Kind;

fn r(file: &str, text: &str) -> Vec<String> {
    read(file, text, Kind::SpawnFailed)
}

#[test]
fn claude_code_console_bare_and_args() {
    let got = r(
        "console.txt",
        "[ERROR] MCP server \"a\" Connection failed: spawn npx ENOENT\n\
         [ERROR] MCP server \"b\" Connection failed: spawn npx -y @acme/b-mcp@latest ENOENT\n",
    );
    assert_eq!(
        got,
        vec![
            "program=npx errno=ENOENT shape=bare shim=npx exe=npx via=node",
            "program=npx -y @acme/b-mcp@latest errno=ENOENT shape=has_args shim=npx args=-y @acme/b-mcp@latest exe=npx via=node",
        ]
    );
}

#[test]
fn cline_panel_double_message_is_one_signal() {
    let got = r(
        "cline.txt",
        "spawn npx ENOENT spawn npx ENOENT\n\nRetry ConnectionDelete Server\n",
    );
    assert_eq!(
        got,
        vec!["program=npx errno=ENOENT shape=bare shim=npx exe=npx via=node"]
    );
}

#[test]
fn json_logger_line_is_one_signal_with_syscall_and_path() {
    let got = r(
        "server.log",
        "{\"level\":\"info\",\"message\":\"Failed to start single MCP server: notes {\\\"error\\\":\\\"spawn npx ENOENT\\\",\\\"code\\\":\\\"ENOENT\\\",\\\"syscall\\\":\\\"spawn npx\\\",\\\"path\\\":\\\"npx\\\",\\\"stack\\\":\\\"Error: spawn npx ENOENT\\\\n    at ChildProcess._handle.onexit (node:internal/child_process:283:19)\\\"}\",\"service\":\"backend\"}\n",
    );
    assert_eq!(
        got,
        vec!["program=npx errno=ENOENT shape=bare shim=npx exe=npx via=node syscall=spawn npx path=npx"]
    );
    let got = r(
        "app.log",
        "{\"error\":\"spawn npx ENOENT\",\"code\":\"ENOENT\",\"syscall\":\"spawn npx\"}\n",
    );
    assert_eq!(
        got,
        vec!["program=npx errno=ENOENT shape=bare shim=npx exe=npx via=node syscall=spawn npx"]
    );
}

#[test]
fn node_inspect_object() {
    let got = r(
        "paste.txt",
        "Error: spawn uvx ENOENT\n    at ChildProcess._handle.onexit (node:internal/child_process:286:19)\n    at onErrorNT (node:internal/child_process:484:16) {\n  errno: -2,\n  code: 'ENOENT',\n  syscall: 'spawn uvx',\n  path: 'uvx',\n  spawnargs: [ 'mcp-server-time' ]\n}\n",
    );
    assert_eq!(
        got,
        vec!["program=uvx errno=ENOENT shape=bare shim=uvx exe=uvx via=node syscall=spawn uvx path=uvx"]
    );
}

#[test]
fn inspect_object_alone_without_message() {
    let got = r("paste.txt", "{\n  errno: -4058,\n  code: 'ENOENT',\n  syscall: 'spawn npx',\n  path: 'npx',\n  spawnargs: [ '-y', '@acme/x' ]\n}\n");
    assert_eq!(
        got,
        vec!["program=npx errno=ENOENT shape=bare shim=npx exe=npx via=node syscall=spawn npx path=npx"]
    );
}

#[test]
fn claude_desktop_mcp_log_with_json_stack() {
    let got = r(
        "mcp.log",
        "2025-03-18T08:40:01.027Z [error] [tasks] spawn npm.cmd ENOENT {\"context\":\"connection\",\"stack\":\"Error: spawn npm.cmd ENOENT\\n    at ChildProcess._handle.onexit (node:internal/child_process:285:19)\"}\n",
    );
    assert_eq!(
        got,
        vec!["program=npm.cmd errno=ENOENT shape=bare shim=npm exe=npm.cmd via=node"]
    );
}

#[test]
fn program_path_then_script_is_has_args() {
    let got = r(
        "mcp-logs.txt",
        "  {\n    \"error\": \"Connection failed: spawn /home/ana/.nvm/versions/node/v20.11.0/bin/node /home/ana/tools/notes-mcp/dist/index.js ENOENT\",\n    \"timestamp\": \"2025-03-05T05:18:36.917Z\"\n  }\n",
    );
    assert_eq!(
        got,
        vec!["program=/home/ana/.nvm/versions/node/v20.11.0/bin/node /home/ana/tools/notes-mcp/dist/index.js errno=ENOENT shape=has_args args=/home/ana/tools/notes-mcp/dist/index.js exe=/home/ana/.nvm/versions/node/v20.11.0/bin/node via=node"]
    );
    let got = r(
        "console.txt",
        "[ERROR] MCP server \"py\" Connection failed: spawn uv run server.py ENOENT\n",
    );
    assert_eq!(
        got,
        vec!["program=uv run server.py errno=ENOENT shape=has_args args=run server.py exe=uv via=node"]
    );
}

#[test]
fn windows_path_with_spaces_is_one_program() {
    let got = r(
        "claude-debug.txt",
        "2025-12-01T09:30:40.433Z [ERROR] MCP server \"fs\" Connection failed: spawn C:\\Program Files\\nodejs\\node.exe ENOENT\n",
    );
    assert_eq!(
        got,
        vec!["program=C:\\Program Files\\nodejs\\node.exe errno=ENOENT shape=windows_path exe=C:\\Program Files\\nodejs\\node.exe via=node"]
    );
    // The same in a JSON log, escaped.
    let got = r(
        "mcp-logs-fs.txt",
        "[\n  {\n    \"error\": \"Connection failed: spawn C:\\\\Program Files\\\\nodejs\\\\node.exe C:\\\\srv\\\\index.js ENOENT\",\n    \"timestamp\": \"2025-12-01T09:30:40.433Z\"\n  }\n]\n",
    );
    assert_eq!(
        got,
        vec!["program=C:\\Program Files\\nodejs\\node.exe C:\\srv\\index.js errno=ENOENT shape=has_args args=C:\\srv\\index.js exe=C:\\Program Files\\nodejs\\node.exe via=node"]
    );
}

#[test]
fn quoted_and_unc_programs() {
    let got = r(
        "console.txt",
        "[ERROR] MCP server \"a\" Connection failed: spawn \"C:\\Program Files\\nodejs\\npx.cmd\" ENOENT\n\
         [ERROR] MCP server \"b\" Connection failed: spawn \\\\wsl.localhost\\Ubuntu\\home\\u\\.local\\bin\\uvx ENOENT\n",
    );
    assert_eq!(
        got,
        vec![
            "program=\"C:\\Program Files\\nodejs\\npx.cmd\" errno=ENOENT shape=quoted shim=npx exe=C:\\Program Files\\nodejs\\npx.cmd via=node",
            "program=\\\\wsl.localhost\\Ubuntu\\home\\u\\.local\\bin\\uvx errno=ENOENT shape=unc shim=uvx exe=\\\\wsl.localhost\\Ubuntu\\home\\u\\.local\\bin\\uvx via=node",
        ]
    );
}

#[test]
fn synchronous_errors_have_no_program() {
    let got = r(
        "paste.txt",
        "node:internal/child_process:421\n    throw new ErrnoException(err, 'spawn');\n    ^\n\nError: spawn EINVAL\n    at ChildProcess.spawn (node:internal/child_process:421:11) {\n  errno: -4071,\n  code: 'EINVAL',\n  syscall: 'spawn'\n}\n",
    );
    assert_eq!(got, vec!["errno=EINVAL via=node syscall=spawn"]);
    let got = r(
        "mcp-logs-vec.txt",
        "[\n  {\n    \"error\": \"Connection failed: spawn Unknown system error -8\",\n    \"timestamp\": \"2025-06-21T15:02:00.188Z\"\n  }\n]\n",
    );
    assert_eq!(
        got,
        vec!["errno=ENOEXEC via=node detail=Unknown system error -8"]
    );
    let got = r(
        "console.txt",
        "[ERROR] MCP server \"x\" Connection failed: spawn UNKNOWN\n",
    );
    assert_eq!(got, vec!["errno=UNKNOWN via=node"]);
}

#[test]
fn eacces_forms() {
    let got = r(
        "mcp-server-t.log",
        "2025-05-06T11:30:12.468Z [t] [error] spawn . EACCES {\"context\":\"connection\",\"stack\":\"Error: spawn . EACCES\\n    at ChildProcess._handle.onexit (node:internal/child_process:285:19)\"}\n",
    );
    assert_eq!(
        got,
        vec!["program=. errno=EACCES shape=bare exe=. via=node"]
    );
    let got = r(
        "vscode-output.log",
        "2025-06-05 10:02:41.131 [info] Connection state: Error spawn /home/li/tools/deploy-mcp.sh EACCES\n",
    );
    assert_eq!(
        got,
        vec!["program=/home/li/tools/deploy-mcp.sh errno=EACCES shape=posix_path exe=/home/li/tools/deploy-mcp.sh via=node"]
    );
}

#[test]
fn prose_around_spawn_is_not_a_program() {
    assert!(r(
        "x.txt",
        "Failed to spawn the server process: Error: spawn npx ENOENT\n"
    )
    .iter()
    .all(|s| s.starts_with("program=npx ")));
    assert!(r(
        "x.txt",
        "Spawning MCP server npx ENOENT later\nrespawn x ENOENT\n"
    )
    .is_empty());
    assert!(r(
        "x.txt",
        "Error: listen EACCES: permission denied 0.0.0.0:80\n"
    )
    .is_empty());
}

#[test]
fn python_and_go() {
    let got = r(
        "client.log",
        "ERROR:mcp.client.stdio:Failed to start server\nFileNotFoundError: [Errno 2] No such file or directory: 'uvx'\n",
    );
    assert_eq!(
        got,
        vec!["program=uvx errno=ENOENT shape=bare shim=uvx exe=uvx via=python"]
    );
    let got = r(
        "client.log",
        "Traceback (most recent call last):\n  File \"/usr/lib/python3.12/subprocess.py\", line 1955, in _execute_child\n    raise child_exception_type(errno_num, err_msg, err_filename)\nPermissionError: [Errno 13] Permission denied: '/home/u/srv/run.sh'\n",
    );
    assert_eq!(
        got,
        vec!["program=/home/u/srv/run.sh errno=EACCES shape=posix_path exe=/home/u/srv/run.sh via=python"]
    );
    // An ordinary missing data file is not a spawn.
    assert!(r(
        "client.log",
        "FileNotFoundError: [Errno 2] No such file or directory: 'config.json'\n"
    )
    .is_empty());
    let got = r(
        "mcphost.log",
        "2025/06/01 10:00:00 failed to start server: exec: \"uvx\": executable file not found in $PATH\n\
         2025/06/01 10:00:01 failed to start server: fork/exec /opt/mcp/bin/notes: permission denied\n",
    );
    assert_eq!(
        got,
        vec![
            "program=uvx errno=ENOENT shape=bare shim=uvx exe=uvx via=go",
            "program=/opt/mcp/bin/notes errno=EACCES shape=posix_path exe=/opt/mcp/bin/notes via=go",
        ]
    );
}

#[test]
fn go_error_quoted_again_by_logfmt() {
    let got = r(
        "host.log",
        "2025/06/01 10:00:00 ERROR failed to start name=t error=\"exec: \\\"uvx\\\": executable file not found in $PATH\"\n",
    );
    assert_eq!(
        got,
        vec!["program=uvx errno=ENOENT shape=bare shim=uvx exe=uvx via=go"]
    );
}

#[test]
fn cmd_and_powershell() {
    let got = r(
        "kiro-mcp.log",
        "2026-03-10 11:02:07.902 [warning] [time] Log from MCP Server: 'uvx' is not recognized as an internal or external command,\noperable program or batch file.\n",
    );
    assert_eq!(
        got,
        vec!["program=uvx errno=ENOENT shape=bare shim=uvx exe=uvx via=cmd"]
    );
    let got = r(
        "paste.txt",
        "npx : The term 'npx' is not recognized as the name of a cmdlet, function, script file, or operable program.\n\
         pnpm: The term 'pnpm' is not recognized as a name of a cmdlet, function, script file, or executable program.\n",
    );
    assert_eq!(
        got,
        vec![
            "program=npx errno=ENOENT shape=bare shim=npx exe=npx via=powershell",
            "program=pnpm errno=ENOENT shape=bare shim=pnpm exe=pnpm via=powershell",
        ]
    );
}

#[test]
fn posix_shells() {
    let got = r(
        "paste.txt",
        "sh: 1: uvx: not found\nbash: uvx: command not found\nzsh: command not found: uvx\nzsh:1: command not found: uv\n/bin/sh: 1: /opt/x/run: Permission denied\nfish: Unknown command: deno\n",
    );
    assert_eq!(
        got,
        vec![
            "program=uvx errno=ENOENT shape=bare shim=uvx exe=uvx via=sh",
            "program=uvx errno=ENOENT shape=bare shim=uvx exe=uvx via=bash",
            "program=uvx errno=ENOENT shape=bare shim=uvx exe=uvx via=zsh",
            "program=uv errno=ENOENT shape=bare exe=uv via=zsh",
            "program=/opt/x/run errno=EACCES shape=posix_path exe=/opt/x/run via=sh",
            "program=deno errno=ENOENT shape=bare exe=deno via=fish",
        ]
    );
    let got = r(
        "claude-debug.txt",
        "2025-09-30T06:10:00.150Z [ERROR] MCP server \"py\" Server stderr: bash: line 1: uv: command not found\n",
    );
    assert_eq!(
        got,
        vec!["program=uv errno=ENOENT shape=bare exe=uv via=bash"]
    );
    let got = r(
        "paste.txt",
        "sh: /Users/kim/.npm/_npx/1a2b/node_modules/.bin/notes-mcp: Permission denied\n",
    );
    assert_eq!(
        got,
        vec!["program=/Users/kim/.npm/_npx/1a2b/node_modules/.bin/notes-mcp errno=EACCES shape=posix_path exe=/Users/kim/.npm/_npx/1a2b/node_modules/.bin/notes-mcp via=sh"]
    );
}

#[test]
fn shell_builtins_and_data_files_are_not_programs() {
    assert!(r(
        "paste.txt",
        "bash: line 1: cd: C:\\Users\\eli\\src: No such file or directory\n"
    )
    .is_empty());
    assert!(r(
        "paste.txt",
        "bash: cd: /home/eli/src: No such file or directory\n"
    )
    .is_empty());
    assert!(r(
        "paste.txt",
        "ssh: connect to host x port 22: Connection refused\nrefresh: done\n"
    )
    .is_empty());
}

#[test]
fn env_forms() {
    let got = r(
        "mcp-server-tasks.log",
        "2026-01-12T19:03:44.102Z [tasks] [info] Server started and connected successfully { metadata: undefined }\nenv: node: No such file or directory\n",
    );
    assert_eq!(
        got,
        vec!["program=node errno=ENOENT shape=bare exe=node via=env"]
    );
    let got = r(
        "paste.txt",
        "/usr/bin/env: 'node': No such file or directory\nenv: \u{2018}python3\u{2019}: No such file or directory\n",
    );
    assert_eq!(
        got,
        vec![
            "program=node errno=ENOENT shape=bare exe=node via=env",
            "program=python3 errno=ENOENT shape=bare exe=python3 via=env",
        ]
    );
}

#[test]
fn never_panics_on_odd_input() {
    for t in [
        "spawn ",
        "spawn \u{e9}\u{e9} ENOENT",
        "\"spawn \\",
        "syscall: '",
        "syscall\":\"spawn",
        "[Errno 2] x: '",
        "exec: \"",
        "fork/exec ",
        "' is not recognized as an internal or external command",
        "sh:",
        "env: ",
        "\u{2018}env: \u{2019}: No such file or directory",
        "zsh: command not found: ",
        "{\"a\":\"\\\"syscall\\\":\\\"spawn x\\\",\\\"code\\\":\\\"ENOENT\\\"\"}",
    ] {
        let _ = r("paste.txt", t);
    }
}

#[test]
fn continue_rewrites_the_node_error() {
    // Continue (MCPConnection.ts) replaces `spawn npx ENOENT` with its own sentence.
    let got = r(
        "continue.txt",
        "Failed to connect to \"wiki-search\"\n\
         Error: command \"npx\" not found. To use this MCP server, install the npx CLI.\n",
    );
    assert_eq!(
        got,
        vec!["program=npx errno=ENOENT shape=bare shim=npx exe=npx via=node"]
    );
    let got = r(
        "continue.txt",
        "Error: command \"uvx\" not found. To use this MCP server, install the uvx CLI.\n",
    );
    assert_eq!(
        got,
        vec!["program=uvx errno=ENOENT shape=bare shim=uvx exe=uvx via=node"]
    );
}

#[test]
fn windsurf_go_exec_error() {
    // Windsurf's MCP panel (its language server is Go, mcp-go's stdio client).
    let got = r(
        "windsurf.txt",
        "Error: failed to create mcp stdio client: failed to start command: exec: \"npx\": executable file not found in $PATH. Check your configuration.\n",
    );
    assert_eq!(
        got,
        vec!["program=npx errno=ENOENT shape=bare shim=npx exe=npx via=go"]
    );
    // The same in its output channel, glog-prefixed.
    let got = r(
        "windsurf.log",
        "2025-05-20 13:46:29.975 [info] E0520 13:46:29.975004 78921 mcp_server_client_instance.go:317] failed to create mcp stdio client: failed to start command: exec: \"uvx\": executable file not found in $PATH\n",
    );
    assert_eq!(
        got,
        vec!["program=uvx errno=ENOENT shape=bare shim=uvx exe=uvx via=go"]
    );
}

#[test]
fn kiro_and_librechat_node_errors() {
    let got = r(
        "kiro-mcp.log",
        "2026-02-03 08:58:21.102 [error] [notes-mcp] Error connecting to MCP server: spawn uvx ENOENT\n",
    );
    assert_eq!(
        got,
        vec!["program=uvx errno=ENOENT shape=bare shim=uvx exe=uvx via=node"]
    );
    // LibreChat (winston under docker compose): `[MCP][<name>] Connection failed: <message>`.
    let got = r(
        "librechat.log",
        "LibreChat  | 2025-02-12 02:36:01 error: [MCP][clock-mcp] Connection failed: spawn python3 ENOENT\n",
    );
    assert_eq!(
        got,
        vec!["program=python3 errno=ENOENT shape=bare exe=python3 via=node"]
    );
}

#[test]
fn inspector_proxy_route_error_with_inspect_object() {
    let got = r(
        "inspector.txt",
        "Error in /stdio route: Error: spawn notes-mcp-server ENOENT\n    at ChildProcess._handle.onexit (node:internal/child_process:285:19) {\n  errno: -2,\n  code: 'ENOENT',\n  syscall: 'spawn notes-mcp-server',\n  path: 'notes-mcp-server',\n  spawnargs: []\n}\n",
    );
    assert_eq!(
        got,
        vec!["program=notes-mcp-server errno=ENOENT shape=bare exe=notes-mcp-server via=node syscall=spawn notes-mcp-server path=notes-mcp-server"]
    );
}
