//! The placeholders of diagnosis and `collect` templates: `{name}` (a variable,
//! step or fact) and `{step.field}`, with the fields a step may name.
//!
//! Vocabulary only, shared by the compiler (which checks them) and the report
//! (`template`, `collect`, which fill them). This module never fills a template.

/// What a `{step.field}` placeholder may name (engine/src/template.rs fills them).
pub const STEP_FIELDS: &[&str] = &[
    "ts",
    "line",
    "path",
    "count",
    "first.ts",
    "last.ts",
    "first.line",
    "last.line",
];

/// `{name}` and `{step.field}` placeholders of a template (`{{` escapes a brace;
/// braces around anything that is not an identifier path are plain text).
pub fn placeholders(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find('{') {
        let after = rest.get(i + 1..).unwrap_or("");
        if after.starts_with('{') {
            rest = after.get(1..).unwrap_or("");
            continue;
        }
        match after.find('}') {
            Some(j) => {
                let inner = after.get(..j).unwrap_or("");
                let is_path = !inner.is_empty()
                    && inner.split('.').all(is_segment)
                    && inner
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
                if is_path {
                    out.push(inner);
                }
                rest = after.get(j + 1..).unwrap_or("");
            }
            None => break,
        }
    }
    out
}

/// One segment of a placeholder path: letters, digits, `_` and `-`.
fn is_segment(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholder_scan() {
        assert_eq!(
            placeholders("MCP \"{server}\" at {spawn.ts}"),
            vec!["server", "spawn.ts"]
        );
        assert_eq!(
            placeholders(r#"{"command": "cmd"} {{literal}} {cmd}"#),
            vec!["cmd"]
        );
        assert_eq!(placeholders("{unclosed"), Vec::<&str>::new());
        assert_eq!(placeholders("{a..b} {1x} {}"), Vec::<&str>::new());
    }
}
