//! Calibration of the built-in rule pack: what a `likely` verdict promises
//! (docs/causes.md, "How scores and verdicts are computed") on small logs
//! written for these tests. An ambiguous lone signal stays `possible`; the
//! same signal with corroborating evidence becomes `likely`; two causes that
//! fit equally well are two `possible` causes; other systems' logs get no
//! cause at all.

use crate::common;

use logscan_engine::rank::Verdict;

/// The ranked (cause, verdict) pairs of one log.
fn causes(name: &str, log: &str) -> Vec<(String, Verdict)> {
    common::builtin_engine()
        .scan_bytes(name, log.as_bytes())
        .causes
        .iter()
        .map(|c| (c.cause.clone(), c.verdict))
        .collect()
}

fn one(cause: &str, verdict: Verdict) -> Vec<(String, Verdict)> {
    vec![(cause.to_string(), verdict)]
}

/// Candidates the log cannot tell apart: every one `possible`, in this order.
fn candidates(causes: &[&str]) -> Vec<(String, Verdict)> {
    causes
        .iter()
        .map(|c| (c.to_string(), Verdict::Possible))
        .collect()
}

/// VS Code's MCP output channel: `tries` failed starts of `cmd`.
fn vscode_enoent(cmd: &str, tries: u32) -> String {
    let mut s = String::new();
    for i in 0..tries {
        let m = 10 + i;
        s += &format!(
            "2025-06-05 08:{m}:17.003 [info] Starting server tools\n\
             2025-06-05 08:{m}:17.007 [info] Connection state: Starting\n\
             2025-06-05 08:{m}:17.010 [info] Starting server from LocalProcess extension host\n\
             2025-06-05 08:{m}:17.019 [info] Connection state: Error spawn {cmd} ENOENT\n"
        );
    }
    s
}

#[test]
fn a_bare_enoent_is_possible_however_often_it_repeats() {
    // On Windows the program may live only inside WSL (wrong-host): the line
    // alone does not tell, so both are candidates and neither is `likely`.
    for tries in [1, 3, 8] {
        assert_eq!(
            causes("output.log", &vscode_enoent("docker", tries)),
            candidates(&["command-not-found", "wrong-host"]),
            "docker, {tries} tries"
        );
        assert_eq!(
            causes("output.log", &vscode_enoent("npx", tries)),
            one("command-not-found", Verdict::Possible),
            "npx, {tries} tries"
        );
    }
}

#[test]
fn a_version_manager_folder_makes_the_enoent_likely() {
    let mut log = vscode_enoent("npx", 2);
    log += "2025-06-05 08:20:01.000 [info] PATH: C:\\Users\\ana\\AppData\\Roaming\\fnm\\node-versions\\v22.1.0\\installation\n";
    assert_eq!(
        causes("output.log", &log),
        one("command-not-found", Verdict::Likely)
    );
}

#[test]
fn a_macos_client_makes_the_enoent_likely() {
    let log = "\
2025-04-19T01:35:57.301Z [info] [fetch] Reading config from /Users/ana/Library/Application Support/Claude/claude_desktop_config.json
2025-04-19T01:35:57.319Z [info] [fetch] Initializing server...
2025-04-19T01:35:57.342Z [error] [fetch] spawn uvx ENOENT
2025-04-19T01:35:57.346Z [info] [fetch] Server transport closed
2025-04-19T01:35:57.347Z [error] [fetch] Server disconnected.
";
    assert_eq!(
        causes("mcp-server-fetch.log", log),
        one("command-not-found", Verdict::Likely)
    );
}

#[test]
fn two_causes_that_fit_equally_are_two_possible_causes() {
    // Two servers fail for two different, equally well-evidenced reasons: no
    // single cause is clearly ahead, so neither is `likely`.
    let log = "\
[DEBUG] MCP server \"a\": Starting connection with timeout of 30000ms
[DEBUG] MCP server \"a\": Connection failed: Error: spawn npx -y @acme/a-mcp ENOENT
[DEBUG] MCP server \"b\": Starting connection with timeout of 30000ms
[ERROR] MCP server \"b\": Unexpected token 'W', \"Welcome to b\" is not valid JSON
";
    let got = causes("claude-debug.txt", log);
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(got.iter().all(|(_, v)| *v == Verdict::Possible), "{got:?}");
    let mut names: Vec<&str> = got.iter().map(|(c, _)| c.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["args-in-command", "stdout-not-jsonrpc"]);
}

#[test]
fn the_same_causes_alone_are_likely() {
    let log = "\
[DEBUG] MCP server \"a\": Starting connection with timeout of 30000ms
[DEBUG] MCP server \"a\": Connection failed: Error: spawn npx -y @acme/a-mcp ENOENT
";
    assert_eq!(
        causes("claude-debug.txt", log),
        one("args-in-command", Verdict::Likely)
    );
}

#[test]
fn other_systems_logs_get_no_cause() {
    // The loghub samples (real logs of Hadoop, HDFS, Linux, Mac, OpenSSH, ...)
    // are full of errors, timeouts and kills, none of them an MCP or WSL cause.
    let Some(files) = common::shared_files("loghub", |path| path.is_file()) else {
        return;
    };
    let engine = common::builtin_engine();
    let mut checked = 0;
    for path in files {
        let result = engine.scan_paths(&[path.as_path()]);
        let got: Vec<(&str, Verdict)> = result
            .report
            .causes
            .iter()
            .map(|c| (c.cause.as_str(), c.verdict))
            .collect();
        assert!(got.is_empty(), "{}: {got:?}", path.display());
        checked += 1;
    }
    assert!(checked > 0, "loghub holds logs");
}

#[test]
fn a_short_npx_enoent_paste_is_possible_until_the_platform_shows() {
    // Two pasted lines: nothing says Windows, but nothing says it is not:
    // the Windows shim and a PATH problem are both candidates.
    let bare = "spawn npx ENOENT\nServer disconnected. Transport closed unexpectedly.\n";
    assert_eq!(
        causes("paste.txt", bare),
        candidates(&["command-not-found", "windows-npx-shim"])
    );
    let mac = format!("{bare}Node is at /Users/ana/.local/share/mise/installs/node/22/bin/node\n");
    assert_eq!(
        causes("paste.txt", &mac),
        one("command-not-found", Verdict::Likely)
    );
    let win = format!(
        "{bare}Config: C:\\Users\\ana\\AppData\\Roaming\\Claude\\claude_desktop_config.json\n"
    );
    assert_eq!(
        causes("paste.txt", &win),
        one("windows-npx-shim", Verdict::Likely)
    );
}

#[test]
fn a_refused_localhost_proxy_is_wsl_nat_loopback_only_likely_with_wsl_in_sight() {
    // Outside WSL the proxy may just not be running: possible.
    let bare = "\
$ curl -fsSL https://example.org/install.sh | sh
curl: (7) Failed to connect to localhost port 7890 after 0 ms: Connection refused
";
    assert_eq!(
        causes("terminal.txt", bare),
        one("wsl-nat-loopback", Verdict::Possible)
    );
    let wsl = format!("dev@pc:/mnt/c/src$ uname -r\n5.15.167.4-microsoft-standard-WSL2\n{bare}");
    assert_eq!(
        causes("terminal.txt", &wsl),
        one("wsl-nat-loopback", Verdict::Likely)
    );
}

#[test]
fn one_clock_line_is_possible_a_pasted_mismatch_is_likely() {
    let get_date = "PS C:\\Users\\ana> Get-Date\n\nTuesday, June 18, 2024 9:59:33 AM\n";
    assert_eq!(
        causes("clock.txt", get_date),
        one("host-sleep-resume", Verdict::Possible)
    );
    let both = format!("ana@pc:~$ date\nMon Jun 17 19:06:58 CEST 2024\n\n{get_date}");
    assert_eq!(
        causes("clock.txt", &both),
        one("host-sleep-resume", Verdict::Likely)
    );
}

#[test]
fn the_wsl_proxy_warning_is_likely_alone_and_possible_beside_a_wsl_error() {
    let warning = "wsl: A localhost proxy configuration was detected but not mirrored into WSL. WSL in NAT mode does not support localhost proxies.\n";
    assert_eq!(
        causes("wsl.txt", warning),
        one("wsl-nat-loopback", Verdict::Likely)
    );
    // WSL prints it at every start: beside another failure it may be incidental,
    // and the error code is a second (weak) lead of its own.
    let failed = format!(
        "{warning}The parameter is incorrect.\nError code: Wsl/Service/CreateInstance/CreateVm/E_INVALIDARG\n"
    );
    assert_eq!(
        causes("wsl.txt", &failed),
        [
            ("wsl-nat-loopback".to_string(), Verdict::Possible),
            ("wsl-canary-regression".to_string(), Verdict::Possible)
        ]
    );
}

#[test]
fn a_platform_fact_against_a_cause_weighs_it_down_without_hiding_it() {
    // The macOS copy of the shim fixture: command-not-found, and the shim
    // falls below the floor.
    let mac = std::fs::read_to_string(
        common::root().join("rules/mcp/fixtures/windows-npx-shim/mcp-server-notes-mac.log"),
    )
    .expect("fixture");
    assert_eq!(
        causes("mcp-server-notes.log", &mac),
        one("command-not-found", Verdict::Likely)
    );
    // A bundle that shows both platforms (a Windows client beside WSL or
    // macOS paths) keeps both candidates, neither likely.
    let both = "\
2025-04-19T01:35:57.300Z [info] [notes] config C:\\Users\\ana\\AppData\\Roaming\\Claude\\claude_desktop_config.json
2025-04-19T01:35:57.301Z [info] [notes] cwd /Users/ana/projects/notes
2025-04-19T01:35:57.319Z [info] [notes] Initializing server...
2025-04-19T01:35:57.342Z [error] [notes] spawn npx ENOENT
";
    let got = causes("mcp.log", both);
    assert!(
        got.iter().all(|(_, v)| *v == Verdict::Possible)
            && got.iter().any(|(c, _)| c == "windows-npx-shim")
            && got.iter().any(|(c, _)| c == "command-not-found"),
        "{got:?}"
    );
}
