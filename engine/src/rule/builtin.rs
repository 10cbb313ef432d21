//! The built-in rule pack, embedded from `rules/` at build time by `build.rs`.

use crate::rule::load::RuleFile;

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// The built-in rule files, paths prefixed with `builtin:`.
pub fn files() -> Vec<RuleFile> {
    FILES
        .iter()
        .map(|(path, text)| RuleFile {
            path: format!("builtin:{path}"),
            text: (*text).to_string(),
        })
        .collect()
}
