//! What `wsl.exe` prints: `wsl --version` and `wsl --status` (`label: value`
//! lines, localised labels, full-width `：` or NBSP before the colon),
//! `wsl -l -v` / `wsl -l` distribution tables, and errors (`wsl: message`,
//! `Error code: Wsl/Service/...`, `Invalid command line option: --version`
//! from inbox WSL).
//!
//! Fields: `key` (English snake_case whatever the display language:
//! `wsl_version`, `kernel_version`, `default_distribution`, `error_code`,
//! `invalid_option`, ...) and `value`; table rows give `distro`, `state`,
//! `version`, `default`; error codes also `error_code`. Labels are recognised
//! by their words (component names, "version", "default" in the supported
//! languages), so a label this module does not know stays a plain line: it
//! never guesses a key from the value alone, except for error codes, whose
//! `Wsl/...` path is locale-invariant.

use std::ops::Range;

use crate::event::{Level, Value};

use super::format::{FileName, FileNameHint, FormatSpec, NameHint};
use super::head::{Head, ParseContext};
use super::lex::{Prefix, View};

/// `wsl-version`: `wsl --version` output (`wsl-version.txt`, `wsl_version.txt`).
pub const VERSION_SPEC: FormatSpec = FormatSpec {
    file_name_hint: Some(FileNameHint {
        rank: 35,
        matches: |name| {
            matches!(command_stem(name).as_str(), "wsl-version" | "wsl--version")
                .then_some(NameHint::default())
        },
    }),
    ..FormatSpec::lines("wsl-version", |context, view, prefix| {
        head(context, view, prefix, Kind::Version)
    })
};

/// `wsl-status`: `wsl --status` output.
pub const STATUS_SPEC: FormatSpec = FormatSpec {
    file_name_hint: Some(FileNameHint {
        rank: 36,
        matches: |name| {
            matches!(command_stem(name).as_str(), "wsl-status" | "wsl--status")
                .then_some(NameHint::default())
        },
    }),
    ..FormatSpec::lines("wsl-status", |context, view, prefix| {
        head(context, view, prefix, Kind::Status)
    })
};

/// `wsl-list`: `wsl -l -v` output.
pub const LIST_SPEC: FormatSpec = FormatSpec {
    file_name_hint: Some(FileNameHint {
        rank: 37,
        matches: |name| {
            matches!(
                command_stem(name).as_str(),
                "wsl-l" | "wsl-l-v" | "wsl-list" | "wsl--list"
            )
            .then_some(NameHint::default())
        },
    }),
    ..FormatSpec::lines("wsl-list", |context, view, prefix| {
        head(context, view, prefix, Kind::List)
    })
};

/// `wsl-error`: a `wsl.exe` error message (detected by content only).
pub const ERROR_SPEC: FormatSpec = FormatSpec::lines("wsl-error", |context, view, prefix| {
    head(context, view, prefix, Kind::Error)
});

/// The file name without its extension, `_` and ` ` read as `-`: the command
/// a saved output is named after (`wsl_version.txt` is `wsl-version`).
fn command_stem(name: &FileName) -> String {
    let base = name.base_lower.as_str();
    let stem = base.rsplit_once('.').map_or(base, |(stem, _)| stem);
    stem.replace(['_', ' '], "-")
}

/// Which `wsl.exe` output a source mostly holds (for detection scores).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Version,
    Status,
    List,
    Error,
}

/// "version" in en, de, fr, es, pt, it, zh, ja, ko, ru (lower-case).
const VERSION_WORDS: [&str; 9] = [
    "version",
    "versión",
    "versão",
    "versione",
    "版本",
    "バージョン",
    "버전",
    "верси",
    "wersja",
];
/// "default" in the same languages.
const DEFAULT_WORDS: [&str; 13] = [
    "default",
    "standard",
    "défaut",
    "predeterminad",
    "padrão",
    "predefinid",
    "predefinit",
    "默认",
    "預設",
    "预设",
    "既定",
    "기본",
    "умолчанию",
];
/// "distribution".
const DISTRO_WORDS: [&str; 8] = [
    "distrib",
    "发行版",
    "分发",
    "發佈",
    "散發",
    "配布",
    "배포",
    "дистрибутив",
];
/// "kernel".
const KERNEL_WORDS: [&str; 8] = [
    "kernel",
    "noyau",
    "núcleo",
    "内核",
    "核心",
    "カーネル",
    "커널",
    "ядр",
];
/// "error code" labels.
const ERROR_LABELS: [&str; 14] = [
    "error code",
    "fehlercode",
    "code d'erreur",
    "code d’erreur",
    "código de error",
    "código de erro",
    "codice errore",
    "codice di errore",
    "foutcode",
    "错误代码",
    "錯誤碼",
    "エラー コード",
    "오류 코드",
    "код ошибки",
];
/// "invalid" in option errors (`Invalid command line option: --version`), in the
/// languages seen in pastes; the `wsl_error` signal reads the same words.
pub(crate) const INVALID_WORDS: [&str; 12] = [
    "invalid",
    "ungültig",
    "non valide",
    "no válid",
    "inválid",
    "non valid",
    "无效",
    "無效",
    "無効",
    "잘못된",
    "недопустим",
    "неверн",
];

/// Status sentences: (text it starts with, key, value).
const SENTENCES: [(&str, &str, &str); 6] = [
    (
        "Windows Subsystem for Linux was last updated on ",
        "last_updated",
        "",
    ),
    ("WSL automatic updates are on", "automatic_updates", "on"),
    ("WSL automatic updates are off", "automatic_updates", "off"),
    (
        "The WSL 2 kernel is in the rollback state",
        "kernel_rollback",
        "true",
    ),
    (
        "WSL1 is not supported with your current machine configuration",
        "wsl1_supported",
        "false",
    ),
    (
        "Please enable the \"Virtual Machine Platform\"",
        "virtual_machine_platform",
        "disabled",
    ),
];

pub fn head(context: &ParseContext<'_>, view: &View, _p: &Prefix, kind: Kind) -> Option<Head> {
    let content = view.text(context.text);
    let at = |r: Range<usize>| view.start + r.start as u32..view.start + r.end as u32;
    let own = |k: Kind| if k == kind { 3 } else { 2 };
    if let Some(h) = prompt(content, &at) {
        return Some(h);
    }
    for (start, key, value) in SENTENCES {
        if content.starts_with(start) {
            let mut h = Head::new(at(0..content.len()));
            h.score = own(Kind::Status);
            h.set("key", Value::Owned(key.into()));
            let val = if value.is_empty() {
                let r = start.len()..content.trim_end_matches('.').len().max(start.len());
                Value::Text(at(r))
            } else {
                Value::Owned(value.into())
            };
            h.set("value", val);
            return Some(h);
        }
    }
    if let Some(rest) = content.strip_prefix("wsl: ") {
        let m0 = content.len() - rest.len();
        let mut h = Head::new(at(m0..content.len()));
        h.score = own(Kind::Error);
        return Some(h);
    }
    if content.starts_with("Usage: wsl.exe")
        || content.starts_with("Copyright (c) Microsoft Corporation")
    {
        let mut h = Head::new(at(0..content.len()));
        h.score = own(Kind::Error);
        return Some(h);
    }
    if let Some(h) = label_line(content, &at, own) {
        return Some(h);
    }
    if let Some(h) = error_line(content, &at, own(Kind::Error)) {
        return Some(h);
    }
    table_row(content, &at, own(Kind::List))
}

/// `label: value`, the colon ASCII or full-width, with NBSP or spaces before it.
fn label_line(
    content: &str,
    at: &dyn Fn(Range<usize>) -> Range<u32>,
    own: impl Fn(Kind) -> u8,
) -> Option<Head> {
    let (c, clen) = content
        .char_indices()
        .find(|&(_, ch)| ch == ':' || ch == '：')
        .map(|(i, ch)| (i, ch.len_utf8()))?;
    let label = content[..c].trim_end_matches([' ', '\u{a0}', '\t']);
    if label.is_empty() || label.chars().count() > 48 || label.contains(['\\', '/', '[', '"']) {
        return None;
    }
    let v0 = c + clen;
    let v0 = v0 + (content[v0..].len() - content[v0..].trim_start().len());
    let value = &content[v0..];
    if value.is_empty() {
        return None;
    }
    let (key, kind) = key_of(&label.to_lowercase(), value)?;
    let mut h = Head::new(at(0..content.len()));
    h.score = own(kind);
    h.set("key", Value::Owned(key.into()));
    h.set("value", Value::Text(at(v0..content.len())));
    match key {
        "error_code" => {
            let code = value.split_whitespace().next().unwrap_or(value);
            h.set("error_code", Value::Text(at(v0..v0 + code.len())));
            h.level = Some(Level::Error);
        }
        "invalid_option" => h.level = Some(Level::Error),
        _ => {}
    }
    Some(h)
}

/// The English key of a localised label, and the output it belongs to.
fn key_of(label: &str, value: &str) -> Option<(&'static str, Kind)> {
    let has = |words: &[&str]| words.iter().any(|w| label.contains(w));
    let hex = value.split_whitespace().next().is_some_and(is_hex_code);
    if ERROR_LABELS.contains(&label)
        || is_error_code(value)
        || (hex
            && (label.contains("error") || label.contains("fehler") || label.contains("erreur")))
    {
        return Some(("error_code", Kind::Error));
    }
    if has(&INVALID_WORDS) && value.starts_with('-') {
        return Some(("invalid_option", Kind::Error));
    }
    if has(&DEFAULT_WORDS) {
        if has(&DISTRO_WORDS) {
            return Some(("default_distribution", Kind::Status));
        }
        if has(&VERSION_WORDS) {
            return Some(("default_version", Kind::Status));
        }
    }
    if label.contains("networking mode") || label == "networkingmode" {
        return Some(("networking_mode", Kind::Status));
    }
    let versioned = has(&VERSION_WORDS);
    let dotted = value.contains('.') && value.starts_with(|c: char| c.is_ascii_digit());
    let component = [
        ("wslg", "wslg_version"),
        ("msrdc", "msrdc_version"),
        ("direct3d", "direct3d_version"),
        ("dxcore", "dxcore_version"),
    ]
    .into_iter()
    .find(|(w, _)| label.contains(w))
    .map(|(_, k)| k)
    .or_else(|| has(&KERNEL_WORDS).then_some("kernel_version"))
    .or_else(|| label.contains("windows").then_some("windows_version"))
    .or_else(|| label.contains("wsl").then_some("wsl_version"))?;
    // `Windows:` (zh) has no version word; the dotted value says enough.
    (versioned || (dotted && label.split_whitespace().count() == 1))
        .then_some((component, Kind::Version))
}

/// `Wsl/Service/...`, `CreateInstance/...`, `0x80070057`.
fn is_error_code(value: &str) -> bool {
    let v = value.split_whitespace().next().unwrap_or("");
    v.starts_with("Wsl/") || v.starts_with("CreateInstance/") || v.starts_with("CreateVm/")
}

/// `0x80070057`.
fn is_hex_code(v: &str) -> bool {
    v.len() == 10 && v.starts_with("0x") && v[2..].bytes().all(|c| c.is_ascii_hexdigit())
}

/// `Error: 0xd000020c`, `WslRegisterDistribution failed with error: 0x80070057`.
fn error_line(content: &str, at: &dyn Fn(Range<usize>) -> Range<u32>, score: u8) -> Option<Head> {
    let i = content.find("0x")?;
    let hex = content[i + 2..]
        .bytes()
        .take_while(u8::is_ascii_hexdigit)
        .count();
    let before = content[..i].trim_end().to_ascii_lowercase();
    if hex != 8 || !(before.ends_with("error:") || before.ends_with("error")) {
        return None;
    }
    let mut h = Head::new(at(0..content.len()));
    h.score = score;
    h.level = Some(Level::Error);
    h.set("key", Value::Owned("error_code".into()));
    h.set("error_code", Value::Text(at(i..i + 2 + hex)));
    h.set("value", Value::Text(at(i..i + 2 + hex)));
    Some(h)
}

/// `* Ubuntu  Running  2`, `  docker-desktop  Stopped  2`, `Ubuntu (Default)`,
/// and the localised `NAME STATE VERSION` header.
fn table_row(content: &str, at: &dyn Fn(Range<usize>) -> Range<u32>, score: u8) -> Option<Head> {
    let (default, body, b0) = match content.strip_prefix('*') {
        Some(rest) => (
            true,
            rest.trim_start(),
            content.len() - rest.trim_start().len(),
        ),
        None => (false, content, 0),
    };
    let words: Vec<&str> = body.split_whitespace().collect();
    if let [name, state @ .., version] = words.as_slice() {
        let ver = matches!(*version, "1" | "2");
        let columns = body.contains("  ") || default;
        let wordy = state.iter().all(|w| w.chars().all(char::is_alphabetic));
        if ver && columns && wordy && !state.is_empty() && state.len() <= 3 && !name.ends_with(':')
        {
            let mut h = Head::new(at(0..content.len()));
            h.score = score;
            h.set("distro", Value::Text(at(b0..b0 + name.len())));
            let s0 = b0 + (state[0].as_ptr() as usize - body.as_ptr() as usize);
            let last = state[state.len() - 1];
            let s1 = b0 + (last.as_ptr() as usize - body.as_ptr() as usize) + last.len();
            h.set("state", Value::Text(at(s0..s1)));
            h.set("version", Value::Int(if *version == "1" { 1 } else { 2 }));
            h.set("default", Value::Owned(default.to_string().into()));
            return Some(h);
        }
        let header = [
            "NAME", "名称", "名前", "이름", "ИМЯ", "NOM", "NOMBRE", "NOME", "名稱",
        ];
        if words.len() == 3 && header.contains(name) && !default {
            let mut h = Head::new(at(0..content.len()));
            h.score = score;
            return Some(h);
        }
    }
    // `wsl -l`: `Ubuntu-18.04 (Default)`.
    let open = body.rfind(" (")?;
    let mark = body[open + 2..].strip_suffix(')')?;
    let marks = [
        "Default",
        "默认",
        "預設",
        "Standard",
        "par défaut",
        "predeterminado",
        "Padrão",
        "predefinita",
        "既定",
        "기본값",
        "по умолчанию",
    ];
    if !marks.iter().any(|m| mark.eq_ignore_ascii_case(m)) || body[..open].contains(' ') {
        return None;
    }
    let mut h = Head::new(at(0..content.len()));
    h.score = score;
    h.set("distro", Value::Text(at(b0..b0 + open)));
    h.set("default", Value::Owned("true".into()));
    Some(h)
}

/// A shell prompt with a `wsl` command: `PS C:\> wsl --version`, `C:\Users\x>wsl -l -v`.
fn prompt(content: &str, at: &dyn Fn(Range<usize>) -> Range<u32>) -> Option<Head> {
    let typed = content
        .strip_prefix("wsl.exe")
        .or_else(|| content.strip_prefix("wsl"))
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(" -"));
    if typed {
        let mut h = Head::new(at(0..content.len()));
        h.score = 1;
        h.set("command", Value::Text(at(0..content.len())));
        return Some(h);
    }
    let gt = content.find('>')?;
    let before = &content[..gt];
    let drive = before.strip_prefix("PS ").unwrap_or(before);
    let b = drive.as_bytes();
    if !(b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':') {
        return None;
    }
    let cmd = content[gt + 1..].trim_start();
    let lower = cmd.to_ascii_lowercase();
    if !(lower.starts_with("wsl") || lower.starts_with("wsl.exe")) {
        return None;
    }
    let c0 = content.len() - cmd.len();
    let mut h = Head::new(at(0..content.len()));
    h.score = 1;
    h.set("command", Value::Text(at(c0..content.len())));
    Some(h)
}
