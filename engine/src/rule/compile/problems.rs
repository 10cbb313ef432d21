//! What reading a rule file found before its meaning is checked, in the words
//! of a rule author: YAML syntax errors (with a hint for the usual cause, at
//! the faulty line's first token for an indentation fault), unknown keys (with
//! "did you mean", or the record field the author meant), and values of the
//! wrong type, each at its place.
//!
//! This module never reads the file again: positions come from the tree and
//! from `rule::yaml`'s problems.

use super::diag::Diag;
use crate::rule::record::field_meant;
use crate::rule::schema::part_name;
use crate::rule::suggest;
use crate::rule::yaml::{Kind, Node, Pos, Problem, YamlError};

/// A YAML syntax error of `text` as a diagnostic.
pub(super) fn syntax_error(text: &str, error: &YamlError) -> Diag {
    let message = syntax_message(&error.message);
    // An indentation fault is the line's first token, not where the parser gave up.
    let pos = if message.contains("check the indentation") {
        let line = text
            .lines()
            .nth(error.pos.line.saturating_sub(1) as usize)
            .unwrap_or("");
        let lead = line.chars().take_while(|c| *c == ' ').count();
        match line.trim().is_empty() {
            true => error.pos,
            false => Pos {
                line: error.pos.line,
                col: u32::try_from(lead + 1).unwrap_or(u32::MAX),
            },
        }
    } else {
        error.pos
    };
    Diag::new(pos, message)
}

/// A YAML parser message in plain words, with a hint for the usual cause.
fn syntax_message(message: &str) -> String {
    let hint = if message.contains("mapping values are not allowed")
        || message.contains("did not find expected key")
        || message.contains("block mapping")
        || message.contains("indentation")
        || message.contains("expected '-' indicator")
        || message.contains("while parsing a block")
    {
        " (check the indentation: keys of one map start in the same column, and a nested map is indented further than its key)"
    } else if message.contains("found character that cannot start any token") {
        " (a tab? YAML indents with spaces only)"
    } else {
        ""
    };
    format!("YAML syntax error: {message}{hint}")
}

/// A problem of reading the rule as a diagnostic.
pub(super) fn diag_of(problem: &Problem) -> Diag {
    match problem {
        Problem::UnknownKey {
            pos,
            key,
            part,
            expected,
        } => Diag::new(*pos, unknown_key(key, part_name(part), expected)),
        Problem::Invalid { pos, .. } => Diag::new(*pos, problem.to_string()),
    }
}

/// `unknown key `witin` in step; did you mean `within`?`
fn unknown_key(key: &str, part: &str, expected: &[&str]) -> String {
    let field = match part {
        "rule" | "step" => field_meant(key),
        _ => None,
    };
    let hint = match (suggest::closest(key, expected.iter().copied()), field) {
        (Some(near), _) => format!("; did you mean `{near}`?"),
        (None, Some(field)) => format!(
            "; `{field}` is a record field: test it in a matcher, e.g. `match: {{{field}: ...}}`"
        ),
        (None, None) => format!("; expected one of: {}", expected.join(", ")),
    };
    format!("unknown key `{key}` in {part}{hint}")
}

/// The positions of the maps that hold an unknown key: such a map was read
/// without it, so what it then lacks (`mtch` for `match`) is the same typo
/// again, not news.
pub(super) fn maps_holding_unknown_keys(root: &Node, problems: &[Problem]) -> Vec<Pos> {
    let keys: Vec<Pos> = problems
        .iter()
        .filter(|p| matches!(p, Problem::UnknownKey { .. }))
        .map(Problem::pos)
        .collect();
    let mut out = Vec::new();
    if !keys.is_empty() {
        maps_holding(root, &keys, &mut out);
    }
    out
}

fn maps_holding(node: &Node, keys: &[Pos], out: &mut Vec<Pos>) {
    match &node.kind {
        Kind::Map(entries) => {
            if entries.iter().any(|(key, _)| keys.contains(&key.pos)) {
                out.push(node.pos);
            }
            for (_, value) in entries {
                maps_holding(value, keys, out);
            }
        }
        Kind::Seq(items) => items.iter().for_each(|item| maps_holding(item, keys, out)),
        Kind::Scalar(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_suggest_a_key_or_a_record_field() {
        assert_eq!(
            unknown_key("witin", "step", &["id", "within"]),
            "unknown key `witin` in step; did you mean `within`?"
        );
        assert_eq!(
            unknown_key("lvl", "rule", &["id", "steps"]),
            "unknown key `lvl` in rule; `level` is a record field: test it in a matcher, e.g. `match: {level: ...}`"
        );
        assert_eq!(
            unknown_key("zzzzzz", "`merge`", &["window"]),
            "unknown key `zzzzzz` in `merge`; expected one of: window"
        );
    }
}
