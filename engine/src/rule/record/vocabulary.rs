//! The closed sets a matcher is checked against: modifiers, record fields
//! (and the names authors reach for instead), levels, formats and families;
//! with the "did you mean" of a field name.
//!
//! Vocabulary only: this module never compiles or evaluates a matcher.

use crate::rule::suggest;

/// The modifiers a matcher key may carry.
pub const MODIFIERS: &[&str] = &[
    "contains",
    "startswith",
    "endswith",
    "re",
    "all",
    "cased",
    "exists",
    "gt",
    "gte",
    "lt",
    "lte",
];

/// The record fields rules can name besides JSON keys and `data.<Name>`
/// (Windows event data): the well-known ones, the virtual `level`, `format`
/// and `text`, and those the parsers set. A field that is none of these (nor a
/// signal field) but is close to one is a typo and a load error.
pub const RECORD_FIELDS: &[&str] = &[
    "msg",
    "text",
    "level",
    "format",
    "server",
    "pid",
    "exit_code",
    "signal",
    "provider",
    "event_id",
    "channel",
    "section",
    "key",
    "value",
    "path",
    "command",
    "args",
    "method",
    "id",
    "error.code",
    "error.message",
    "direction",
    "stream",
    "process",
    "uptime",
    "platform",
    "misplaced",
    "found",
    "error_code",
    "distro",
    "default",
    "which",
    "version",
    "truncated",
    "state",
    "paste",
    "known",
    "ident",
    "comment",
    "task",
    "scope",
    "record_id",
    "metadata",
    "config_path",
    "computer",
];

/// Names authors reach for that are spelled differently here.
const FIELD_SYNONYMS: &[(&str, &str)] = &[
    ("message", "msg"),
    ("lvl", "level"),
    ("severity", "level"),
    ("line", "text"),
];

/// The values the virtual `level` field takes.
pub const LEVELS: &[&str] = &["trace", "debug", "info", "warn", "error", "fatal"];

/// Every format name and family prefix (`claude-code-debug`, `claude-code`, `claude`).
pub fn format_names() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for f in crate::parse::Format::ALL {
        let name = f.name();
        out.push(name);
        for (i, _) in name.match_indices('-') {
            if let Some(prefix) = name.get(..i) {
                out.push(prefix);
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|n| seen.insert(*n));
    out
}

/// Whether `name` is a format name or a family prefix of one.
pub fn is_format_or_family(name: &str) -> bool {
    crate::parse::Format::ALL
        .iter()
        .any(|f| crate::rule::ir::format_in_family(f.name(), name))
}

/// The "did you mean" of a field name that is not known but close to one known
/// to this block (`extra`: the block's signal fields); `None` when the name is
/// known or not close to anything (JSON logs bring fields of their own).
pub(super) fn field_typo(field: &str, extra: &[&str]) -> Option<String> {
    if field.starts_with("data.") || RECORD_FIELDS.contains(&field) || extra.contains(&field) {
        return None;
    }
    // The signal's fields are a closed set: any close name is a typo.
    if let Some(near) = suggest::closest(field, extra.iter().copied()) {
        return Some(near.to_string());
    }
    let names = RECORD_FIELDS
        .iter()
        .copied()
        .chain(FIELD_SYNONYMS.iter().map(|(s, _)| *s));
    let near = suggest::closest(field, names)?;
    // A short name one letter longer or shorter than a known one (`ppid`, `ids`)
    // is as likely a field of the log itself: only a same-length slip counts.
    if field.chars().count() <= 4 && field.chars().count() != near.chars().count() {
        return None;
    }
    let canonical = FIELD_SYNONYMS
        .iter()
        .find(|(s, _)| *s == near)
        .map_or(near, |(_, c)| c);
    Some(canonical.to_string())
}

/// The record field an unknown rule or step key most likely meant (`lvl` ->
/// `level`, `msg` -> `msg`): a known field, a synonym of one, or a close name.
pub fn field_meant(name: &str) -> Option<&'static str> {
    if let Some(f) = RECORD_FIELDS.iter().find(|f| **f == name) {
        return Some(f);
    }
    if let Some((_, c)) = FIELD_SYNONYMS.iter().find(|(s, _)| *s == name) {
        return Some(c);
    }
    let near = suggest::closest(
        name,
        RECORD_FIELDS
            .iter()
            .copied()
            .chain(FIELD_SYNONYMS.iter().map(|(s, _)| *s)),
    )?;
    Some(
        FIELD_SYNONYMS
            .iter()
            .find(|(s, _)| *s == near)
            .map_or(near, |(_, c)| c),
    )
}
