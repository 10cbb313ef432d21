//! The shapes of ids and the checks of a rule's own names: its id, cause,
//! `explains` entries, title and that it has steps.
//!
//! This module never looks at steps' contents or across files (duplicate rule
//! ids are `rule::load`'s).

use super::compiler::RuleCompiler;
use crate::rule::schema::RuleDoc;
use crate::rule::yaml::Seg;

/// Checks the rule's id, cause, `explains`, title and that it has steps.
pub(super) fn check_ids(compiler: &mut RuleCompiler<'_>, doc: &RuleDoc) {
    if !is_dotted_kebab(&doc.id) {
        let pos = compiler.value_pos(&[Seg::Key("id")]);
        compiler.err(
            pos,
            format!("bad rule id `{}`: use lower-case kebab-case segments joined by dots (e.g. `windows-npx-shim.spawn-enoent`)", doc.id),
        );
    }
    if !is_kebab(&doc.cause) {
        let pos = compiler.value_pos(&[Seg::Key("cause")]);
        compiler.err(
            pos,
            format!(
                "bad cause id `{}`: use lower-case kebab-case (e.g. `windows-npx-shim`)",
                doc.cause
            ),
        );
    }
    for (i, explained) in doc.explains.iter().enumerate() {
        if !is_kebab(explained) {
            let pos = compiler.value_pos(&[Seg::Key("explains"), Seg::Index(i)]);
            compiler.err(
                pos,
                format!("bad cause id `{explained}` in `explains`: use lower-case kebab-case"),
            );
        }
    }
    if doc.title.trim().is_empty() {
        let pos = compiler.value_pos(&[Seg::Key("title")]);
        compiler.err(pos, "`title` is empty");
    }
    if doc.steps.is_empty() {
        let pos = compiler.value_pos(&[Seg::Key("steps")]);
        compiler.err(pos, "`steps` is empty: a rule needs at least one step");
    }
}

/// A step, fact or variable id: letters, digits, `_` and `-`.
pub(crate) fn is_ident(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

fn is_dotted_kebab(s: &str) -> bool {
    s.split('.').all(is_kebab)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_shapes() {
        assert!(is_dotted_kebab("windows-npx-shim.spawn-enoent"));
        assert!(!is_dotted_kebab("Windows.npx"));
        assert!(!is_dotted_kebab("a..b"));
        assert!(!is_kebab("a-"));
        assert!(is_ident("spawn_1-a"));
        assert!(!is_ident("a.b"));
    }
}
