//! Tests of the `crash` signal family, one per phrasing and client format.
use crate::signal::testkit::read;
use crate::signal::Kind;

const K: Kind = Kind::CrashTrace;

#[test]
fn python_traceback_in_claude_desktop_server_log() {
    let t = "2025-10-14T18:22:05.331Z [notes] [info] Server started and connected successfully { metadata: undefined }\nTraceback (most recent call last):\n  File \"<frozen runpy>\", line 198, in _run_module_as_main\n  File \"/home/u/notes/server.py\", line 7, in <module>\n    import httpx\nModuleNotFoundError: No module named 'httpx'\n";
    assert_eq!(
        read("mcp-server-notes.log", t, K),
        ["lang=python exception=ModuleNotFoundError detail=No module named 'httpx' module=httpx form=traceback stream=stderr"]
    );
}

#[test]
fn chained_traceback_one_signal_per_record() {
    let t = "Traceback (most recent call last):\n  File \"a.py\", line 1, in <module>\n    import tomllib\nModuleNotFoundError: No module named 'tomllib'\n\nDuring handling of the above exception, another exception occurred:\n\nTraceback (most recent call last):\n  File \"a.py\", line 3, in <module>\n    import tomli\nImportError: cannot import name 'loads' from 'tomli'\n";
    assert_eq!(
        read("mcp-server-cfg.log", t, K),
        [
            "lang=python exception=ModuleNotFoundError detail=No module named 'tomllib' module=tomllib form=traceback",
            "lang=python exception=ImportError detail=cannot import name 'loads' from 'tomli' form=traceback"
        ]
    );
    // One record holding the whole chain (a JSON log's escaped string): the last wins.
    let j = "{\"level\":\"error\",\"message\":\"Traceback (most recent call last):\\n  File \\\"a.py\\\", line 1, in <module>\\nModuleNotFoundError: No module named 'tomllib'\\n\\nDuring handling of the above exception, another exception occurred:\\n\\nTraceback (most recent call last):\\n  File \\\"a.py\\\", line 3, in <module>\\nImportError: cannot import name 'loads' from 'tomli'\"}\n";
    assert_eq!(
        read("app.jsonl", j, K),
        ["lang=python exception=ImportError detail=cannot import name 'loads' from 'tomli' form=traceback"]
    );
    // A plain paste splits at the unindented exception line: two records.
    let p = "Traceback (most recent call last):\n  File \"a.py\", line 1, in <module>\n    import tomllib\nModuleNotFoundError: No module named 'tomllib'\n";
    assert_eq!(
        read("console.txt", p, K),
        [
            "lang=python form=traceback",
            "lang=python exception=ModuleNotFoundError detail=No module named 'tomllib' module=tomllib form=line"
        ]
    );
}

#[test]
fn exception_group_gives_the_leaf() {
    let j = "{\"level\":\"error\",\"message\":\"  + Exception Group Traceback (most recent call last):\\n  |   File \\\"/srv/app/server.py\\\", line 40, in main\\n  |     async with anyio.create_task_group() as tg:\\n  | ExceptionGroup: unhandled errors in a TaskGroup (1 sub-exception)\\n  +-+---------------- 1 ----------------\\n    | Traceback (most recent call last):\\n    |   File \\\"/srv/app/server.py\\\", line 12, in run\\n    |     raise RuntimeError(\\\"DB_URL is not set\\\")\\n    | RuntimeError: DB_URL is not set\\n    +------------------------------------\"}\n";
    assert_eq!(
        read("app.jsonl", j, K),
        ["lang=python exception=RuntimeError detail=DB_URL is not set form=traceback group=ExceptionGroup"]
    );
    // Claude Desktop's server log keeps the group's lines as records of their own.
    let d = "  + Exception Group Traceback (most recent call last):\n  | ExceptionGroup: unhandled errors in a TaskGroup (1 sub-exception)\n  +-+---------------- 1 ----------------\n    | Traceback (most recent call last):\n    | RuntimeError: DB_URL is not set\n    +------------------------------------\n";
    assert_eq!(
        read("mcp-server-cfg.log", d, K),
        [
            "lang=python form=traceback",
            "lang=python exception=ExceptionGroup detail=unhandled errors in a TaskGroup (1 sub-exception) form=line",
            "lang=python exception=RuntimeError detail=DB_URL is not set form=traceback"
        ]
    );
}

#[test]
fn python_m_runner() {
    let t = "2025-04-11T10:22:14.318Z [docs] [info] Message from client: {\"method\":\"initialize\",\"jsonrpc\":\"2.0\",\"id\":0}\n/usr/bin/python3: Error while finding module specification for 'docs_srv.main' (ModuleNotFoundError: No module named 'docs_srv')\n";
    assert_eq!(
        read("mcp-server-docs.log", t, K),
        ["lang=python exception=ModuleNotFoundError detail=No module named 'docs_srv' module=docs_srv form=runpy stream=stderr"]
    );
    let n = "/opt/venv/bin/python3: No module named notes_mcp\n";
    assert_eq!(
        read("console.txt", n, K),
        ["lang=python exception=ModuleNotFoundError detail=No module named notes_mcp module=notes_mcp form=runpy"]
    );
}

#[test]
fn node_errors() {
    let cc = "2025-11-02T10:00:00.950Z [ERROR] MCP server \"mailer\" Server stderr: TypeError: Cannot read properties of undefined (reading 'apiKey')\n";
    assert_eq!(
        read("claude-debug.txt", cc, K),
        ["exception=TypeError detail=Cannot read properties of undefined (reading 'apiKey') form=line stream=stderr"]
    );
    let m = "2025-08-08T09:00:00.200Z [error] [wiki] Error: Cannot find module '/Users/rho/wiki-mcp/dist/index.js'\n";
    assert_eq!(
        read("mcp.log", m, K),
        ["lang=node exception=Error detail=Cannot find module '/Users/rho/wiki-mcp/dist/index.js' module=/Users/rho/wiki-mcp/dist/index.js form=line"]
    );
    let esm = "node:internal/modules/esm/resolve:873\n  throw new ERR_MODULE_NOT_FOUND(packageName, fileURLToPath(base), null);\n        ^\n\nError [ERR_MODULE_NOT_FOUND]: Cannot find package 'zod' imported from /srv/mcp/dist/index.js\n    at packageResolve (node:internal/modules/esm/resolve:873:9)\n";
    assert_eq!(
        read("console.txt", esm, K),
        ["lang=node exception=Error detail=Cannot find package 'zod' imported from /srv/mcp/dist/index.js module=zod code=ERR_MODULE_NOT_FOUND form=stack"]
    );
}

#[test]
fn go_rust_java() {
    let go = "panic: runtime error: invalid memory address or nil pointer dereference\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a1b2c]\n\ngoroutine 1 [running]:\nmain.main()\n";
    assert_eq!(
        read("console.txt", go, K),
        [
            "lang=go exception=panic detail=runtime error: invalid memory address or nil pointer dereference form=panic",
            "lang=go form=stack"
        ]
    );
    let rs = "thread 'main' panicked at src/main.rs:10:5:\nMCP_TOKEN must be set\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n";
    // A plain paste keeps the message line as a record of its own.
    assert_eq!(
        read("console.txt", rs, K),
        ["lang=rust exception=panic form=panic"]
    );
    let js = "{\"timestamp\":\"2025-06-01T10:00:00.000Z\",\"message\":\"thread 'main' panicked at src/main.rs:10:5:\\nMCP_TOKEN must be set\"}\n";
    assert_eq!(
        read("app.jsonl", js, K),
        ["lang=rust exception=panic detail=MCP_TOKEN must be set form=panic"]
    );
    let old = "thread 'main' panicked at 'called `Option::unwrap()` on a `None` value', src/main.rs:4:5\n";
    assert_eq!(
        read("console.txt", old, K),
        ["lang=rust exception=panic detail=called `Option::unwrap()` on a `None` value form=panic"]
    );
    let java = "Exception in thread \"main\" java.lang.IllegalStateException: port in use\n\tat com.acme.Main.main(Main.java:12)\n";
    assert_eq!(
        read("console.txt", java, K),
        ["lang=java exception=java.lang.IllegalStateException detail=port in use form=stack"]
    );
}

#[test]
fn vscode_server_stderr_and_flattened_panels() {
    let v = "2025-05-30 11:09:03.411 [warning] [server stderr] C:\\Python313\\python.exe: No module named mcp_clock\n";
    assert_eq!(
        read("vscode-output.log", v, K),
        ["lang=python exception=ModuleNotFoundError detail=No module named mcp_clock module=mcp_clock form=runpy stream=stderr"]
    );
    let c = "Traceback (most recent call last): File \"D:\\srv\\server.py\", line 12, in <module> from mcp.server.fastmcp import FastMCP ModuleNotFoundError: No module named 'mcp' MCP error -32000: Connection closed\n";
    assert_eq!(
        read("cline-panel.txt", c, K),
        ["lang=python exception=ModuleNotFoundError detail=No module named 'mcp' MCP error -32000: Connection closed module=mcp form=traceback"]
    );
}

#[test]
fn not_crashes() {
    for t in [
        "2025-11-02T10:00:00.950Z [ERROR] MCP server \"mailer\" Server stderr: DeprecationWarning: Buffer() is deprecated\n",
        "2025-06-03 [error] Error: spawn npx ENOENT\n",
        "2025-06-03 [info] Connection failed: McpError: MCP error -32000: Connection closed\n",
        "panic: the disk is full\n",
        "optional module 'ujson' not available; ImportError handled\n",
    ] {
        assert!(read("vscode-output.log", t, K).is_empty(), "{t}");
    }
}

/// `lines` as VS Code writes a server's stderr: one `[warning] [server stderr]` entry per line
/// (extHostMcpNode.ts: `StreamSplitter('\n')`, `` `[server stderr] ${line.trimEnd()}` ``).
fn vscode_stderr(lines: &[&str]) -> String {
    let mut t = String::from("2025-06-03 07:23:50.100 [info] Starting server browser\n");
    for l in lines {
        t.push_str(&format!(
            "2025-06-03 07:23:53.001 [warning] [server stderr] {l}\n"
        ));
    }
    t
}

/// `lines` as Claude Code's debug file writes a server's stderr: one entry per line.
fn claude_code_stderr(lines: &[&str]) -> String {
    lines
        .iter()
        .map(|l| {
            format!("2025-11-02T10:00:00.950Z [DEBUG] MCP server \"browser\": Server stderr: {l}\n")
        })
        .collect()
}

const NODE_STACK: [&str; 9] = [
    "/home/u/code/browser-mcp/dist/index.js:214",
    "      throw new Error(`Target page, context or browser has been closed`);",
    "      ^",
    "",
    "Error: Target page, context or browser has been closed",
    "    at Page.snapshot (file:///home/u/code/browser-mcp/dist/page.js:88:13)",
    "    at async Server.<anonymous> (file:///home/u/code/browser-mcp/dist/index.js:214:7)",
    "",
    "Node.js v22.17.0",
];

#[test]
fn node_stack_split_over_stderr_entries() {
    // One signal, at the exception line; the frames and `Node.js vX` are records of their own.
    let want = ["exception=Error detail=Target page, context or browser has been closed form=line stream=stderr"];
    assert_eq!(
        read("vscode-output.log", &vscode_stderr(&NODE_STACK), K),
        want
    );
    assert_eq!(
        read("claude-debug.txt", &claude_code_stderr(&NODE_STACK), K),
        want
    );
    // A missing module split the same way keeps its module.
    let missing = [
        "node:internal/modules/cjs/loader:1148",
        "  throw err;",
        "  ^",
        "",
        "Error: Cannot find module 'zod'",
        "Require stack:",
        "- /srv/mcp/dist/index.js",
        "    at Module._resolveFilename (node:internal/modules/cjs/loader:1145:15)",
        "  code: 'MODULE_NOT_FOUND',",
        "}",
        "",
        "Node.js v20.11.0",
    ];
    assert_eq!(
        read("vscode-output.log", &vscode_stderr(&missing), K),
        ["lang=node exception=Error detail=Cannot find module 'zod' module=zod form=line stream=stderr"]
    );
}

#[test]
fn python_go_java_split_over_stderr_entries() {
    let py = [
        "Traceback (most recent call last):",
        "  File \"/srv/ledger/server.py\", line 412, in <module>",
        "    mcp.run()",
        "RuntimeError: cache index is unreadable",
    ];
    assert_eq!(
        read("vscode-output.log", &vscode_stderr(&py), K),
        [
            "lang=python form=traceback stream=stderr",
            "lang=python exception=RuntimeError detail=cache index is unreadable form=line stream=stderr"
        ]
    );
    // Go: the `panic:` line; the `goroutine N [running]:` entry after it is not read again.
    let go = [
        "panic: runtime error: invalid memory address or nil pointer dereference",
        "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a1b2c]",
        "",
        "goroutine 1 [running]:",
        "main.main()",
        "\t/src/main.go:12 +0x1d",
        "exit status 2",
    ];
    assert_eq!(
        read("vscode-output.log", &vscode_stderr(&go), K),
        ["lang=go exception=panic detail=runtime error: invalid memory address or nil pointer dereference form=panic stream=stderr"]
    );
    // Java: the thread's exception, then the root cause (the last `Caused by:`).
    let java = [
        "Exception in thread \"main\" java.lang.IllegalStateException: cannot start server",
        "\tat com.acme.Main.main(Main.java:12)",
        "Caused by: java.io.FileNotFoundException: /etc/acme.conf (No such file or directory)",
        "\tat java.base/java.io.FileInputStream.open0(Native Method)",
        "\t... 1 more",
    ];
    assert_eq!(
        read("vscode-output.log", &vscode_stderr(&java), K),
        [
            "lang=java exception=java.lang.IllegalStateException detail=cannot start server form=stack stream=stderr",
            "lang=java exception=java.io.FileNotFoundException detail=/etc/acme.conf (No such file or directory) form=line stream=stderr"
        ]
    );
}

#[test]
fn split_lines_that_are_not_crashes() {
    for l in [
        "Error: spawn uvx ENOENT",
        "Warning: Error: is not an exception line",
        "Caused by: a flaky network",
        "Node.js v22.17.0",
        "goroutine 1 [running]:",
    ] {
        assert!(
            read("vscode-output.log", &vscode_stderr(&[l]), K).is_empty(),
            "{l}"
        );
    }
    // `Error: x` mid-message, or off stderr, is not read.
    assert!(read(
        "vscode-output.log",
        "2025-06-03 07:23:53.001 [error] Error: Target page has been closed\n",
        K
    )
    .is_empty());
}
