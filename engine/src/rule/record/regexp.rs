//! Rule regexes: compiled with the case rule of the language and a size
//! limit, the regex crate's refusals turned into messages a rule author can
//! act on (look-around and back-references named as such), with the part of
//! the pattern the parser names.
//!
//! This module never decides where a regex is used.

use regex::{Regex, RegexBuilder};

/// Compiles a rule regex, turning the regex crate's refusals into messages a
/// rule author can act on, with the part of the pattern the parser names (as
/// character offset and length) when it names one.
pub fn compile_regex(
    pat: &str,
    case_insensitive: bool,
) -> Result<Regex, (String, Option<(usize, usize)>)> {
    use regex_syntax::ast::ErrorKind;
    let chars = |span: &regex_syntax::ast::Span| {
        let start = pat
            .get(..span.start.offset)
            .map_or(0, |p| p.chars().count());
        let len = pat
            .get(span.start.offset..span.end.offset)
            .map_or(1, |p| p.chars().count().max(1));
        Some((start, len))
    };
    if let Err(e) = regex_syntax::ast::parse::Parser::new().parse(pat) {
        let msg = match e.kind() {
            ErrorKind::UnsupportedLookAround => format!(
                "regex look-around (`(?=`, `(?!`, `(?<=`, `(?<!`) is not supported by the Rust regex engine, in `{pat}`"
            ),
            ErrorKind::UnsupportedBackreference => format!(
                "regex back-references (`\\1`, `\\k<name>`) are not supported by the Rust regex engine, in `{pat}`"
            ),
            kind => format!("bad regex `{pat}`: {kind}"),
        };
        return Err((msg, chars(e.span())));
    }
    let hir = regex_syntax::ParserBuilder::new()
        .case_insensitive(case_insensitive)
        .build()
        .parse(pat);
    if let Err(regex_syntax::Error::Translate(e)) = &hir {
        return Err((format!("bad regex `{pat}`: {}", e.kind()), chars(e.span())));
    }
    RegexBuilder::new(pat)
        .case_insensitive(case_insensitive)
        .size_limit(1 << 22)
        .build()
        .map_err(|e| {
            let detail = e.to_string();
            let last = detail.lines().last().unwrap_or("").trim().to_string();
            (format!("bad regex `{pat}`: {last}"), None)
        })
}
