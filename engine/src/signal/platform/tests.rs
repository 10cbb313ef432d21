//! Tests of the `platform` signal family, one per phrasing and client format.
use crate::signal::testkit::read;
use crate::signal::Kind;

fn p(file: &str, text: &str) -> Vec<String> {
    read(file, text, Kind::Platform)
}
fn v(file: &str, text: &str) -> Vec<String> {
    read(file, text, Kind::Versions)
}

#[test]
fn windows_system_folders_in_any_slash_form() {
    for (file, text) in [
        (
            "console.txt",
            "[DEBUG] Using bash path: \"C:\\Program Files\\Git\\bin\\sh\"\n",
        ),
        (
            "mcp.log",
            "2025-06-01T10:00:00.000Z [info] [x] {\"cwd\":\"C:\\\\ProgramData\\\\srv\"}\n",
        ),
        (
            "cursor-mcp.log",
            "2025-06-01 10:00:00.000 [info] cwd D:/nvm4w/nodejs\n",
        ),
        ("paste.txt", "C:\\Windows\\System32\\cmd\n"),
        ("paste.txt", "set HOME=%USERPROFILE%\n"),
    ] {
        let got = p(file, text);
        assert!(
            got.iter().any(|g| g.starts_with("os=windows")),
            "{text}: {got:?}"
        );
    }
}

#[test]
fn banners_program_names_and_forward_slash_drives() {
    assert_eq!(
        p(
            "claude-debug.txt",
            "2025-06-03T00:00:00.000Z [DEBUG] Claude Code 1.0.102 starting (win32, node v22.17.0)\n"
        ),
        ["os=windows evidence=process_platform"]
    );
    assert_eq!(
        p("mcp.log", "2025-06-03T00:00:00.000Z [info] [x] Using MCP server command: C:\\nvm4w\\nodejs\\npx.cmd -y pkg\n"),
        ["os=windows evidence=drive_path", "os=windows evidence=exe_name"]
    );
    assert_eq!(
        p("console.txt", "[DEBUG] cwd C:/Users/ana/src\n"),
        ["os=windows evidence=drive_users"]
    );
    assert_eq!(
        p(
            "vscode-output.log",
            "2025-06-01 10:00:00.000 [info] node-pty prebuilt for darwin-arm64\n"
        ),
        ["os=macos evidence=process_platform"]
    );
    assert_eq!(
        p("paste.txt", "Claude Desktop on macOS 15.1\n"),
        ["os=macos evidence=os_name"]
    );
    // Inside words they are not evidence.
    assert!(p("paste.txt", "windarwin32 mynpx.cmdx notanode.exe\n").is_empty());
}

#[test]
fn windows_paths_in_client_logs() {
    // Claude Code debug log.
    assert_eq!(
        p("claude-debug.txt", "2025-06-01T10:00:00.000Z [DEBUG] MCP server \"fs\": Starting in C:\\Users\\dev\\proj\n"),
        ["os=windows evidence=drive_users"]
    );
    // Claude Desktop mcp.log with a JSON-escaped path.
    assert_eq!(
        p("mcp.log", "2025-06-01T10:00:00.000Z [info] [fs] Message from client: {\"cwd\":\"C:\\\\Users\\\\dev\\\\AppData\\\\Roaming\\\\Claude\"}\n"),
        ["os=windows evidence=drive_users", "os=windows evidence=appdata"]
    );
    // Cursor / Kiro through the generic format: forward-slash drive paths and %APPDATA%.
    assert_eq!(
        p("cursor-mcp.log", "2025-06-01 10:00:00.000 [error] spawn C:/Users/dev/AppData/Roaming/npm/npx.cmd ENOENT\n"),
        ["os=windows evidence=drive_users", "os=windows evidence=appdata", "os=windows evidence=exe_name"]
    );
    assert_eq!(
        p("kiro.log", "[mcp] cwd is %APPDATA%\\kiro\n"),
        ["os=windows evidence=appdata"]
    );
}

#[test]
fn powershell_and_ver() {
    assert_eq!(
        p("ps-transcript.txt", "PS C:\\> wsl --version\n"),
        ["os=windows evidence=powershell_prompt"]
    );
    assert_eq!(
        p("cmd.txt", "Microsoft Windows [Version 10.0.22631.4317]\n"),
        ["os=windows evidence=ver windows_build=22631"]
    );
    assert_eq!(
        p("cmd.txt", "Microsoft Windows [版本 10.0.19045.4046]\n"),
        ["os=windows evidence=ver windows_build=19045"]
    );
}

#[test]
fn wsl_and_linux_and_macos() {
    assert_eq!(
        p("terminal.txt", "dev@box:/mnt/c/work$ claude\n"),
        ["os=wsl evidence=mnt_drive"]
    );
    assert_eq!(
        p("vscode-output.log", "2025-06-01 10:00:00.000 [info] Extension host agent started. /home/dev/.vscode-server/bin/abc/node\n"),
        ["os=linux evidence=vscode_server host=remote", "os=linux evidence=home_path"]
    );
    assert_eq!(
        p(
            "kiro.log",
            "cwd: \\\\wsl.localhost\\Ubuntu\\home\\dev\\proj\n"
        ),
        ["os=windows evidence=unc_wsl"]
    );
    assert_eq!(
        p(
            "mcp.log",
            "2025-06-01T10:00:00.000Z [info] [fs] spawn /opt/homebrew/bin/npx in /Users/ann/code\n"
        ),
        ["os=macos evidence=homebrew", "os=macos evidence=users_path"]
    );
    assert_eq!(
        p("terminal.txt", "tail -f ~/Library/Logs/Claude/mcp.log\n"),
        ["os=macos evidence=library_path"]
    );
    assert_eq!(
        p("bash.txt", "$ ls /c/Users/dev\n"),
        ["os=windows evidence=msys_drive"]
    );
    assert_eq!(
        p("uname.txt", "Linux box 5.15.167.4-microsoft-standard-WSL2 #1 SMP Tue Nov 5 00:21:55 UTC 2024 x86_64 GNU/Linux\n"),
        ["os=wsl evidence=wsl_kernel"]
    );
}

#[test]
fn node_platform_values() {
    assert_eq!(
        p("npm.txt", "npm error notsup Actual os: win32\n"),
        ["os=windows evidence=npm_platform"]
    );
    assert_eq!(
        p(
            "app.json",
            "{\"level\":\"info\",\"platform\":\"darwin\",\"msg\":\"start\"}\n"
        ),
        ["os=macos evidence=platform_field"]
    );
    assert!(p("notes.txt", "the platform team said linux is fine\n").is_empty());
    assert!(p(
        "notes.txt",
        "see C:/Users or the users/ folder, /home/ alone\n"
    )
    .is_empty());
}

#[test]
fn wsl_version_in_several_languages() {
    assert_eq!(
        v("wsl-version.txt", "WSL version: 2.4.13.0\nKernel version: 5.15.167.4-1\nWindows version: 10.0.26100.4061\n"),
        [
            "component=wsl version=2.4.13.0",
            "component=kernel version=5.15.167.4-1",
            "component=windows version=10.0.26100.4061 build=26100 channel=release"
        ]
    );
    assert_eq!(
        v(
            "wsl-version.txt",
            "WSL 版本： 2.3.26.0\nWindows 版本： 10.0.22631.3880\n"
        ),
        [
            "component=wsl version=2.3.26.0",
            "component=windows version=10.0.22631.3880 build=22631 channel=release"
        ]
    );
    assert_eq!(
        v(
            "wsl-version.txt",
            "Versión de WSL: 2.0.14.0\nVersión de Windows: 10.0.25931.1000\n"
        ),
        [
            "component=wsl version=2.0.14.0",
            "component=windows version=10.0.25931.1000 build=25931 channel=insider"
        ]
    );
    assert_eq!(
        v("x.txt", "WSL-Version: 1.2.5.0\n"),
        ["component=wsl version=1.2.5.0"]
    );
    assert_eq!(
        v("x.txt", "WSLg バージョン: 1.0.65\n"),
        ["component=wslg version=1.0.65"]
    );
}

#[test]
fn windows_and_kernel_and_node_strings() {
    assert_eq!(
        v(
            "about.txt",
            "Microsoft Windows Version 22H2 (OS Build 22621.2428)\n"
        ),
        ["component=windows version=22621.2428 build=22621 channel=release"]
    );
    assert_eq!(
        v(
            "proc-version.txt",
            "Linux version 5.15.167.4-microsoft-standard-WSL2 (root@x) (gcc (GCC) 11.2.0) #1 SMP\n"
        ),
        ["component=kernel version=5.15.167.4-microsoft-standard-WSL2"]
    );
    assert_eq!(
        v("crash.txt", "\nNode.js v20.11.1\n"),
        ["component=node version=20.11.1"]
    );
    assert!(v(
        "x.txt",
        "Windows Subsystem for Linux was last updated on 8/30/2022\n"
    )
    .is_empty());
}
