//! Linux kernel and system logs, `wsl.exe` output and WSL's INI files: exact
//! events for fixtures written for this project in the shapes users paste
//! (localised labels, full-width colons, UTF-16LE with CR CR LF), and no
//! panic or stray cause on other systems' logs.

use crate::common;
use crate::parse_common;

use std::path::Path;

use logscan_engine::decode::decode;
use logscan_engine::event::{EventRef, Level};
use logscan_engine::parse::{parse, ParseOptions, ParsedSource};

use parse_common::{check_invariants, parse_str};

fn fixture(rel: &str) -> ParsedSource {
    parse_common::fixture("linuxwsl", rel)
}

/// `line: name=value ...` of the named fields that the event has.
fn facts(p: &ParsedSource, i: usize, names: &[&str]) -> String {
    let e = &p.events[i];
    let r = EventRef {
        event: e,
        source_text: &p.text.text,
        format: p.format,
    };
    let mut out = format!("{}:", e.span.line);
    for n in names {
        if let Some(v) = r.get(n) {
            out.push_str(&format!(" {n}={v}"));
        }
    }
    out
}

fn all(p: &ParsedSource, names: &[&str]) -> Vec<String> {
    (0..p.events.len()).map(|i| facts(p, i, names)).collect()
}

#[test]
fn dmesg_uptime_is_a_field_and_oom_names_the_victim() {
    let p = fixture("dmesg.txt");
    assert_eq!(p.format, "linux-dmesg");
    assert!(p.events.iter().all(|e| e.ts.is_none()));
    assert_eq!(
        all(&p, &["uptime", "ident", "pid", "process", "level"]),
        [
            "1: uptime=0.000000 ident=kernel",
            "2: uptime=12.418200 ident=kernel",
            "3: uptime=2417.551230 ident=kernel process=python3 level=warn",
            "4: uptime=2417.551236 ident=kernel pid=8812 process=python3",
            "5: uptime=2417.551240 ident=kernel",
            "10: uptime=2417.551260 ident=kernel",
            "11: uptime=2417.551301 ident=kernel pid=9021 process=mcp-files level=error",
            "12: uptime=2417.551330 ident=kernel pid=9021 process=mcp-files level=error",
        ]
    );
    // The call trace folds into the `Call Trace:` record.
    assert_eq!((p.events[4].span.line, p.events[4].span.end_line), (5, 9));
    assert_eq!(facts(&p, 4, &["msg"]), "5: msg=Call Trace:");
    assert!(facts(&p, 7, &["msg"]).starts_with("12: msg=Out of memory: Killed process 9021"));
}

#[test]
fn dmesg_wall_time_and_unprefixed_kernel_lines() {
    let p = parse_str(
        "dmesg-T.txt",
        "[Thu Aug 28 14:06:19 2025] Out of memory: Killed process 77 (uvx) total-vm:1kB\nkernel: oom-kill:constraint=CONSTRAINT_NONE,task=srv,pid=78\n",
    );
    check_invariants(&p);
    assert_eq!(p.format, "linux-dmesg");
    let ts = p.events[0].ts.unwrap();
    assert_eq!((ts.ms, ts.naive), (1_756_389_979_000, true));
    assert_eq!(
        all(&p, &["msg", "pid", "process"]),
        [
            "1: msg=Out of memory: Killed process 77 (uvx) total-vm:1kB pid=77 process=uvx",
            "2: msg=oom-kill:constraint=CONSTRAINT_NONE,task=srv,pid=78 pid=78 process=srv",
        ]
    );
    // Apache's `[date] [level]` lines are not dmesg -T.
    let a = parse_str(
        "error_log",
        "[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok\n[Sun Dec 04 04:47:45 2005] [error] mod_jk child in error state 6\n",
    );
    assert_ne!(a.format, "linux-dmesg");
}

#[test]
fn syslog_fields_and_the_assumed_year_note() {
    let p = fixture("syslog.txt");
    assert_eq!(p.format, "linux-syslog");
    assert_eq!(
        all(&p, &["host", "ident", "pid", "uptime", "process", "msg"]),
        [
            "1: host=devbox ident=systemd pid=1 msg=Started Session 4 of user dana.",
            "2: host=devbox ident=kernel pid=4410 uptime=5120.004411 process=node msg=Out of memory: Killed process 4410 (node) total-vm:3211000kB, anon-rss:2900100kB",
            "3: host=devbox ident=CRON pid=5531 msg=(root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)",
            "4: host=devbox ident=sshd(pam_unix) pid=77 msg=session opened for user dana by (uid=0)",
        ]
    );
    assert!(p.events.iter().all(|e| e.ts.is_some_and(|t| t.naive)));
    let year = jiff::Zoned::now().year();
    let want = jiff::civil::date(year, 8, 28)
        .at(14, 6, 17, 0)
        .to_zoned(jiff::tz::TimeZone::UTC)
        .unwrap()
        .timestamp()
        .as_millisecond();
    assert_eq!(p.events[0].ts.unwrap().ms, want);
    assert_eq!(p.events[1].level, Some(Level::Error));
    let notes: Vec<&str> = p.notes.iter().map(|n| n.message.as_str()).collect();
    assert_eq!(
        notes,
        [format!(
            "timestamps have no year and no zone: the year {year} was assumed (the log names none); times are read as UTC"
        )]
    );
}

#[test]
fn journal_takes_the_year_from_its_header_and_marks_pager_cuts() {
    let p = fixture("journal.txt");
    assert_eq!(p.format, "linux-journal");
    // 2025-08-28T14:06:20Z
    assert_eq!(p.events[1].ts.unwrap().ms, 1_756_389_980_000);
    assert_eq!(
        all(&p, &["ident", "pid", "truncated", "process"]),
        [
            "1:",
            "2: ident=systemd pid=1",
            "3: ident=dockerd pid=902 truncated=true",
            "4:",
            "5: ident=kernel pid=1234 process=mcp-server",
        ]
    );
    assert!(facts(&p, 2, &["msg"]).ends_with("following graceful shu"));
    assert_eq!(p.notes.len(), 1);
    assert!(p.notes[0]
        .message
        .contains("the year 2025 was taken from a date in the log"));
}

#[test]
fn inbox_wsl_invalid_option_and_status() {
    let p = fixture("wsl-status-inbox.txt");
    assert_eq!(p.format, "wsl-status");
    assert_eq!(
        all(&p, &["command", "key", "value"]),
        [
            "1: command=wsl --version",
            "2: key=invalid_option value=--version",
            "3:",
            "5:",
            "7: command=wsl --status",
            "8: key=default_distribution value=Debian",
            "9: key=default_version value=2",
            "11: key=last_updated value=3/14/2023",
            "12: key=automatic_updates value=on",
            "14: key=kernel_version value=5.10.102.1",
        ]
    );
    assert_eq!(p.events[1].level, Some(Level::Error));
}

#[test]
fn wsl_list_rows() {
    let p = fixture("wsl-list.txt");
    assert_eq!(p.format, "wsl-list");
    assert_eq!(
        all(&p, &["distro", "state", "version", "default"]),
        [
            "1:",
            "2: distro=Ubuntu-24.04 state=Running version=2 default=true",
            "3: distro=docker-desktop state=Stopped version=2 default=false",
            "4: distro=Legacy state=Stopped version=1 default=false",
        ]
    );
    let de = parse_str(
        "wsl-l.txt",
        "  NAME      STATUS            VERSION\n* Debian    Wird ausgeführt   2\nUbuntu (Standard)\n",
    );
    assert_eq!(
        all(&de, &["distro", "state", "version", "default"]),
        [
            "1:",
            "2: distro=Debian state=Wird ausgeführt version=2 default=true",
            "3: distro=Ubuntu default=true",
        ]
    );
}

#[test]
fn wsl_errors() {
    let p = fixture("wsl-error.txt");
    assert_eq!(p.format, "wsl-error");
    assert_eq!(
        all(&p, &["msg", "error_code"]),
        [
            "1: msg=Failed to configure network (networkingMode Mirrored), falling back to networkingMode None.",
            "2: msg=Catastrophic failure",
            "3: msg=Error code: Wsl/Service/CreateInstance/CreateVm/ConfigureNetworking/0x8007054f error_code=Wsl/Service/CreateInstance/CreateVm/ConfigureNetworking/0x8007054f",
        ]
    );
    let p = parse_str(
        "out.txt",
        "Foutcode: Wsl/Service/CreateInstance/CreateVm/HCS/ERROR_FILE_NOT_FOUND\n错误代码: CreateInstance/CreateVm/ConfigureNetworking/0x803b0015\nError: 0x80070057 ?????\nUngültige Befehlszeilenoption: --version\n命令行选项无效: -v\nStatus: 0xC000006D\n",
    );
    assert_eq!(
        all(&p, &["key", "error_code"]),
        [
            "1: key=error_code error_code=Wsl/Service/CreateInstance/CreateVm/HCS/ERROR_FILE_NOT_FOUND",
            "2: key=error_code error_code=CreateInstance/CreateVm/ConfigureNetworking/0x803b0015",
            "3: key=error_code error_code=0x80070057",
            "4: key=invalid_option",
            "5: key=invalid_option",
            "6:",
        ]
    );
}

/// `wsl --version` labels in each supported language map to the English keys.
#[test]
fn localised_version_and_status_labels() {
    let keys = [
        "wsl_version",
        "kernel_version",
        "wslg_version",
        "windows_version",
        "default_distribution",
        "default_version",
    ];
    let locales: [(&str, [&str; 6]); 11] = [
        (
            "en",
            [
                "WSL version: ",
                "Kernel version: ",
                "WSLg version: ",
                "Windows version: ",
                "Default Distribution: ",
                "Default Version: ",
            ],
        ),
        (
            "de",
            [
                "WSL-Version: ",
                "Kernelversion: ",
                "WSLg-Version: ",
                "Windows-Version: ",
                "Standarddistribution: ",
                "Standardversion: ",
            ],
        ),
        (
            "fr",
            [
                "Version de WSL\u{a0}: ",
                "Version du noyau\u{a0}: ",
                "Version de WSLg\u{a0}: ",
                "Version de Windows\u{a0}: ",
                "Distribution par défaut\u{a0}: ",
                "Version par défaut\u{a0}: ",
            ],
        ),
        (
            "es",
            [
                "Versión de WSL: ",
                "Versión del kernel: ",
                "Versión de WSLg: ",
                "Versión de Windows: ",
                "Distribución predeterminada: ",
                "Versión predeterminada: ",
            ],
        ),
        (
            "pt",
            [
                "Versão do WSL: ",
                "Versão do kernel: ",
                "Versão do WSLg: ",
                "Versão do Windows: ",
                "Distribuição padrão: ",
                "Versão padrão: ",
            ],
        ),
        (
            "it",
            [
                "Versione WSL: ",
                "Versione kernel: ",
                "Versione WSLg: ",
                "Versione Windows: ",
                "Distribuzione predefinita: ",
                "Versione predefinita: ",
            ],
        ),
        (
            "zh-CN",
            [
                "WSL 版本： ",
                "内核版本： ",
                "WSLg 版本： ",
                "Windows 版本： ",
                "默认分发： ",
                "默认版本： ",
            ],
        ),
        (
            "zh-TW",
            [
                "WSL 版本: ",
                "核心版本: ",
                "WSLg 版本: ",
                "Windows 版本: ",
                "預設發佈: ",
                "預設版本: ",
            ],
        ),
        (
            "ja",
            [
                "WSL バージョン: ",
                "カーネル バージョン: ",
                "WSLg バージョン: ",
                "Windowsバージョン: ",
                "既定の配布: ",
                "既定のバージョン: ",
            ],
        ),
        (
            "ko",
            [
                "WSL 버전: ",
                "커널 버전: ",
                "WSLg 버전: ",
                "Windows 버전: ",
                "기본 배포: ",
                "기본 버전: ",
            ],
        ),
        (
            "ru",
            [
                "Версия WSL: ",
                "Версия ядра: ",
                "Версия WSLg: ",
                "Версия Windows: ",
                "Дистрибутив по умолчанию: ",
                "Версия по умолчанию: ",
            ],
        ),
    ];
    let values = [
        "2.3.26.0",
        "5.15.167.4-1",
        "1.0.65",
        "10.0.22631.4602",
        "Ubuntu",
        "2",
    ];
    for (lang, labels) in locales {
        let text: String = labels
            .iter()
            .zip(values)
            .map(|(l, v)| format!("{l}{v}\r\n"))
            .collect();
        let p = parse_str("out.txt", &text);
        check_invariants(&p);
        let want: Vec<String> = keys
            .iter()
            .zip(values)
            .enumerate()
            .map(|(i, (k, v))| format!("{}: key={k} value={v}", i + 1))
            .collect();
        assert_eq!(all(&p, &["key", "value"]), want, "{lang}");
        assert!(p.format.starts_with("wsl-"), "{lang}: {}", p.format);
    }
}

/// wsl.exe writes UTF-16LE without a BOM and ends lines with CR CR LF.
#[test]
fn utf16le_without_bom_and_cr_cr_lf() {
    let text = "WSL-Version: 2.6.1.0\r\r\nKernelversion: 6.6.87.2-1\r\r\nWSLg-Version: 1.0.66\r\r\nMSRDC-Version: 1.2.6353\r\r\nDirect3D-Version: 1.611.1-81528511\r\r\nDXCore-Version: 10.0.26100.1-240331-1435.ge-release\r\r\nWindows-Version: 10.0.26100.6899\r\r\n";
    let bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    assert_eq!(&bytes[..4], b"W\0S\0");
    let src = decode("wsl-version.txt".into(), bytes.clone());
    let p = parse(src, 0, &ParseOptions::default());
    check_invariants(&p);
    assert_eq!(p.format, "wsl-version");
    assert_eq!(p.text.encoding.as_str(), "utf-16le");
    assert_eq!(
        all(&p, &["key", "value"]),
        [
            "1: key=wsl_version value=2.6.1.0",
            "2: key=kernel_version value=6.6.87.2-1",
            "3: key=wslg_version value=1.0.66",
            "4: key=msrdc_version value=1.2.6353",
            "5: key=direct3d_version value=1.611.1-81528511",
            "6: key=dxcore_version value=10.0.26100.1-240331-1435.ge-release",
            "7: key=windows_version value=10.0.26100.6899",
        ]
    );
    // Spans are offsets into the UTF-16 bytes: line 2 starts after 20 chars + CR CR LF.
    let second = p.events[1].span;
    assert_eq!((second.start, second.end), (46, 46 + 2 * 25));
    assert_eq!(p.events[6].span.end, bytes.len() as u64 - 6);
}

#[test]
fn wslconfig_flags_misplaced_and_unknown_keys() {
    let p = fixture(".wslconfig");
    assert_eq!(p.format, "wslconfig");
    assert_eq!(
        all(
            &p,
            &["section", "key", "value", "misplaced", "known", "comment"]
        ),
        [
            "1: section=wsl2",
            "2: section=wsl2 key=memory value=12GB",
            "3: section=wsl2 key=networkmode value=mirrored known=false",
            "4: section=wsl2 key=automemoryreclaim value=gradual misplaced=true",
            "6: section=experimental",
            "7: section=experimental key=sparsevhd value=true",
            "8: comment=true",
            "9: section=experimental key=hostaddressloopback value=true",
            "10: section=boot",
            "11: section=boot key=systemd value=true misplaced=true",
        ]
    );
    let notes: Vec<(Option<u32>, &str)> = p
        .notes
        .iter()
        .map(|n| (n.line, n.message.as_str()))
        .collect();
    assert_eq!(
        notes,
        [
            (Some(3), "bundle/.wslconfig:3: `networkmode` in [wsl2] is not a key WSL knows"),
            (Some(4), "bundle/.wslconfig:4: `automemoryreclaim` in [wsl2] is read by WSL only in .wslconfig [experimental]"),
            (Some(11), "bundle/.wslconfig:11: `systemd` in [boot] is read by WSL only in /etc/wsl.conf [boot]"),
        ]
    );
}

#[test]
fn wsl_conf_with_a_wslconfig_key() {
    let p = fixture("wsl.conf");
    assert_eq!(p.format, "wsl-conf");
    assert_eq!(
        all(&p, &["section", "key", "value", "misplaced", "belongs"]),
        [
            "1: section=boot",
            "2: section=boot key=systemd value=true",
            "4: section=network",
            "5: section=network key=generateresolvconf value=false",
            "6: section=network key=networkingmode value=mirrored misplaced=true belongs=.wslconfig [wsl2]",
        ]
    );
    // Detected by content when the name says nothing.
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/parse/linuxwsl/wsl.conf"),
    )
    .unwrap();
    assert_eq!(parse_str("log.txt", &text).format, "wsl-conf");
    let q = parse_str(
        "config.txt",
        "> [wsl2]\n> networkingMode=mirrored\n> memory=8GB\n",
    );
    assert_eq!(q.format, "wslconfig");
    assert_eq!(
        facts(&q, 1, &["section", "key"]),
        "2: section=wsl2 key=networkingmode"
    );
}

#[test]
fn other_systems_logs_never_panic_and_syslog_is_syslog() {
    let Some(logs) = common::shared_files("loghub", |path| {
        path.extension().and_then(|e| e.to_str()) == Some("log")
    }) else {
        return;
    };
    let mut seen = 0;
    for path in logs {
        let bytes = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let p = parse(decode(name.clone(), bytes), 0, &ParseOptions::default());
        check_invariants(&p);
        seen += 1;
        let want_syslog = matches!(
            name.as_str(),
            "Linux_2k.log" | "OpenSSH_2k.log" | "Mac_2k.log"
        );
        assert_eq!(
            p.format == "linux-syslog",
            want_syslog,
            "{name}: {}",
            p.format
        );
        assert!(
            !p.format.starts_with("wsl") && p.format != "linux-dmesg",
            "{name}: {}",
            p.format
        );
    }
    assert!(seen >= 10);
}
