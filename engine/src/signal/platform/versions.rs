//! Signal family `versions`: a version of WSL, Windows, the kernel or the client, as `wsl --version`, `ver`, `uname` and the clients print it (localised labels included).

use super::*;

/// `versions`: a version of WSL, Windows, the kernel or the client.
pub static VERSIONS: Family = Family {
    kind: Kind::Versions,
    name: "versions",
    about: "a version of WSL, Windows, the kernel or the client",
    fields: &["component", "version", "build", "channel"],
    literals: &[
        "wsl",
        "msrdc",
        "direct3d",
        "dxcore",
        "windows",
        "kernel version",
        "kernelvers",
        "kernelverz",
        "versione kernel",
        "de kernel",
        "do kernel",
        "du noyau",
        "linux version",
        "microsoft-standard",
        "os build",
        "node.js v",
    ],
    narrow: crate::signal::broad,
    read: read_versions,
};

/// Kernel labels of `wsl --version` in the languages whose label holds ASCII (Resources.resw `MessagePackageVersions`).
pub(super) const KERNEL_LABELS: [&str; 5] = ["kernel", "noyau", "内核", "カーネル", "커널"];

pub(super) fn read_versions<'a>(ev: &EventRef<'a>, out: &mut Vec<Signal<'a>>) {
    let rec = ev.record_text();
    let base = ev.event.text.start;
    let mut off = 0;
    for line in rec.split('\n') {
        let l0 = off;
        off += line.len() + 1;
        let line = line.trim_end_matches('\r');
        if line.len() > 300 {
            continue;
        }
        let at = base.saturating_add(l0 as u32);
        label_line(line, at, out);
        os_build(line, at, out);
        ver_line(line, at, out);
        kernel_string(line, at, out);
        if let Some(i) = text::find_ci(line, "node.js v", 0) {
            let v0 = i + 9;
            let n = line[v0..]
                .bytes()
                .take_while(|c| c.is_ascii_digit() || *c == b'.')
                .count();
            if n >= 3 && (i == 0 || line[..i].trim().is_empty()) {
                let v = &line[v0..v0 + n];
                out.push(
                    Signal::new(Kind::Versions, text::abs(at, i..v0 + n))
                        .with("component", "node")
                        .with_slice("version", v, at + v0 as u32),
                );
            }
        }
    }
}

/// `WSL version: 2.4.13.0`, `WSL 版本： 2.3.26.0`, `Versión de WSL: 2.0.14.0`, `Windows version: 10.0.26100.4061`, ...
pub(super) fn label_line<'a>(line: &'a str, at: u32, out: &mut Vec<Signal<'a>>) {
    let Some((c, clen)) = line
        .char_indices()
        .find(|&(_, ch)| ch == ':' || ch == '：')
        .map(|(i, ch)| (i, ch.len_utf8()))
    else {
        return;
    };
    let label = line[..c]
        .trim_end_matches([' ', '\u{a0}', '\t'])
        .trim_start();
    if label.is_empty() || label.chars().count() > 40 || label.contains(['\\', '/', '[', '"', '{'])
    {
        return;
    }
    let v = line[c + clen..].trim();
    let n = v
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
        .count();
    let v = &v[..n];
    if !(v.starts_with(|ch: char| ch.is_ascii_digit()) && v.contains('.')) {
        return;
    }
    let lo = label.to_lowercase();
    let words = lo
        .split(|ch: char| !ch.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .count();
    let component = [
        ("wslg", "wslg"),
        ("msrdc", "msrdc"),
        ("direct3d", "direct3d"),
        ("dxcore", "dxcore"),
    ]
    .into_iter()
    .find(|(w, _)| lo.contains(w))
    .map(|(_, k)| k)
    .or_else(|| {
        KERNEL_LABELS
            .iter()
            .any(|w| lo.contains(w))
            .then_some("kernel")
    })
    .or_else(|| lo.contains("windows").then_some("windows"))
    .or_else(|| lo.contains("wsl").then_some("wsl"));
    let Some(component) = component else { return };
    // A label of a few words: `WSL version`, `Versión de WSL`, `Wersja podsystemu WSL`, `Windows`.
    if words > 4 {
        return;
    }
    let v0 = text::offset_of(line, v, at);
    let mut s = Signal::new(Kind::Versions, text::abs(at, 0..line.trim_end().len()))
        .with("component", component)
        .with_slice("version", v, v0);
    if component == "windows" {
        s = windows_fields(s, v, v0);
    }
    out.push(s);
}

/// `build` and `channel` of a Windows version `10.0.22631.4317` (or `22621.2428`).
pub(super) fn windows_fields<'a>(mut s: Signal<'a>, v: &'a str, v0: u32) -> Signal<'a> {
    let parts: Vec<&str> = v.split('.').collect();
    let b = if parts.first() == Some(&"10") || parts.first() == Some(&"6") {
        parts.get(2)
    } else {
        parts.first()
    };
    if let Some(b) = b.filter(|b| b.len() == 5 && b.bytes().all(|c| c.is_ascii_digit())) {
        let off = text::offset_of(v, b, v0);
        s = s.with_slice("build", b, off);
        let n: u32 = b.parse().unwrap_or(0);
        s = s.with("channel", channel(n));
    }
    s
}

/// Whether Windows build `n` is a released build or an Insider (Dev/Canary) one.
/// Released: 10240-19045 (Windows 10), 20348 (Server 2022), 22000, 22621-22635 (11 22H2/23H2
/// and their Beta enablement builds), 25398 (Server 23H2), 26100 and 26200 (24H2/25H2).
pub fn channel(n: u32) -> &'static str {
    match n {
        0..=19045 | 20348 | 22000 | 22621..=22635 | 25398 | 26100 | 26200 => "release",
        20000..=21999 | 22400..=22599 | 23000..=23999 | 25000..=26099 | 27000..=29999 => "insider",
        _ => "unknown",
    }
}

/// `Microsoft Windows [Version 10.0.22631.4317]` (`ver`, `cmd.exe`'s banner, any language).
pub(super) fn ver_line<'a>(line: &'a str, at: u32, out: &mut Vec<Signal<'a>>) {
    let Some(i) = text::find_ci(line, "microsoft windows [", 0) else {
        return;
    };
    let Some((v0, v)) = windows_version(line, i) else {
        return;
    };
    let v0 = at + v0 as u32;
    let s = Signal::new(Kind::Versions, v0..v0 + v.len() as u32)
        .with("component", "windows")
        .with_slice("version", v, v0);
    out.push(windows_fields(s, v, v0));
}

/// `Version 22H2 (OS Build 22621.2428)` (winver, Settings > About).
pub(super) fn os_build<'a>(line: &'a str, at: u32, out: &mut Vec<Signal<'a>>) {
    let Some(i) = text::find_ci(line, "os build ", 0) else {
        return;
    };
    let v0 = i + 9;
    let n = line[v0..]
        .bytes()
        .take_while(|c| c.is_ascii_digit() || *c == b'.')
        .count();
    let v = line[v0..v0 + n].trim_end_matches('.');
    if v.len() < 5 {
        return;
    }
    let s = Signal::new(Kind::Versions, text::abs(at, i..v0 + v.len()))
        .with("component", "windows")
        .with_slice("version", v, at + v0 as u32);
    out.push(windows_fields(s, v, at + v0 as u32));
}

/// `Linux version 5.15.167.4-microsoft-standard-WSL2 (...)` (/proc/version) and
/// `Linux host 5.15.167.4-microsoft-standard-WSL2 #1 SMP ...` (`uname -a`).
pub(super) fn kernel_string<'a>(line: &'a str, at: u32, out: &mut Vec<Signal<'a>>) {
    let tok = if let Some(i) = text::find_ci(line, "linux version ", 0) {
        line[i + 14..].split_whitespace().next()
    } else if text::contains_ci(line, "microsoft-standard") {
        line.split_whitespace().find(|w| {
            text::contains_ci(w, "microsoft-standard")
                && w.starts_with(|c: char| c.is_ascii_digit())
        })
    } else {
        None
    };
    let Some(v) = tok.filter(|v| v.starts_with(|c: char| c.is_ascii_digit()) && v.contains('.'))
    else {
        return;
    };
    let v0 = text::offset_of(line, v, at);
    out.push(
        Signal::new(Kind::Versions, v0..v0 + v.len() as u32)
            .with("component", "kernel")
            .with_slice("version", v, v0),
    );
}
