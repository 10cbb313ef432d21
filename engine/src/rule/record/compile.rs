//! Compiling a matcher from the positioned tree: keys `field|modifier|...`,
//! values, `signal:` blocks, named `selections` with a `condition`, and rule
//! regexes; every error at the token (or the part of it) that is wrong.
//!
//! This module never evaluates a matcher.

use regex::Regex;

use super::regexp::compile_regex;
use super::types::{Cmp, Conj, FieldTest, MatchError, Matcher, Op, Selection, ValTest};
use super::vocabulary::{field_typo, LEVELS, MODIFIERS};
use crate::rule::condition::{self, Expr};
use crate::rule::limits::{self, MAX_VALUE_BYTES};
use crate::rule::literal;
use crate::rule::suggest;
use crate::rule::yaml::{Kind, Node, Pos, Scalar};
use crate::signal;

impl Matcher {
    /// Compiles the matcher written at `node`.
    pub fn compile(node: &Node) -> Result<Matcher, Vec<MatchError>> {
        let mut errors = Vec::new();
        let m = compile_matcher(node, &mut errors);
        match m {
            Some(m) if errors.is_empty() => Ok(m),
            _ => Err(errors),
        }
    }
}

fn err(errors: &mut Vec<MatchError>, pos: Pos, message: impl Into<String>) {
    errors.push(MatchError {
        pos,
        message: message.into(),
        sub: None,
    });
}

/// An error about a part (`offset`, `len` in characters) of the scalar at `pos`.
fn err_at(errors: &mut Vec<MatchError>, pos: Pos, sub: (usize, usize), message: impl Into<String>) {
    let c = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    errors.push(MatchError {
        pos,
        message: message.into(),
        sub: Some((c(sub.0), c(sub.1.max(1)))),
    });
}

/// Checks the values of a plain `level:` or `format:` equality against their closed sets.
fn check_closed_value(field: &str, values: &[&Node], errors: &mut Vec<MatchError>) {
    for v in values {
        let Some(text) = v.as_str() else { continue };
        let lower = text.to_ascii_lowercase();
        match field {
            "level" if !LEVELS.contains(&lower.as_str()) => {
                let hint = match crate::event::Level::parse(&lower) {
                    Some(l) => format!(
                        "; did you mean `{}`? (records' `level` reads `{}`)",
                        l.as_str(),
                        l.as_str()
                    ),
                    None => suggest::hint(&lower, LEVELS.iter().copied()),
                };
                err(
                    errors,
                    v.pos,
                    format!(
                        "unknown level `{text}`{hint} (levels: {})",
                        LEVELS.join(", ")
                    ),
                );
            }
            "format" if !crate::parse::Format::ALL.iter().any(|f| f.name() == lower) => {
                let names: Vec<&str> = crate::parse::Format::ALL.iter().map(|f| f.name()).collect();
                let hint = suggest::hint(&lower, names.iter().copied());
                err(
                    errors,
                    v.pos,
                    format!("unknown format `{text}`{hint} (`format` is the full name of the detected format; docs/rules.md, \"Formats and families\")"),
                );
            }
            _ => {}
        }
    }
}

fn compile_matcher(node: &Node, errors: &mut Vec<MatchError>) -> Option<Matcher> {
    if let Kind::Map(entries) = &node.kind {
        let has = |k: &str| {
            entries
                .iter()
                .any(|(kn, _)| kn.text().as_deref() == Some(k))
        };
        if has("selections") || has("condition") {
            return compile_named(node, entries, errors);
        }
    }
    let sel = compile_selection(node, errors)?;
    Some(Matcher {
        selections: vec![sel],
        expr: Expr::Sel(0),
    })
}

fn compile_named(
    node: &Node,
    entries: &[(Node, Node)],
    errors: &mut Vec<MatchError>,
) -> Option<Matcher> {
    for (k, _) in entries {
        let key = k.text().unwrap_or_default();
        if key != "selections" && key != "condition" {
            err(
                errors,
                k.pos,
                format!("unknown key `{key}` beside `selections`: a matcher with named selections has only `selections` and `condition`"),
            );
        }
    }
    let Some(selection_map) = node.get("selections") else {
        err(errors, node.pos, "`condition` needs `selections`");
        return None;
    };
    let Some(condition_node) = node.get("condition") else {
        err(
            errors,
            node.pos,
            "`selections` needs a `condition` (e.g. `1 of sel_*`)",
        );
        return None;
    };
    let Kind::Map(selection_entries) = &selection_map.kind else {
        err(
            errors,
            selection_map.pos,
            "`selections` must be a map of selection name to matcher",
        );
        return None;
    };
    let mut names = Vec::new();
    let mut selections = Vec::new();
    for (k, v) in selection_entries {
        let name = k.text().unwrap_or_default();
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
        {
            err(
                errors,
                k.pos,
                format!("bad selection name `{name}`: use letters, digits, `_`, `-` and `.`"),
            );
        }
        if names.contains(&name) {
            err(errors, k.pos, format!("duplicate selection `{name}`"));
        }
        if let Some(s) = compile_selection(v, errors) {
            selections.push(s);
        } else {
            selections.push(Selection { alts: Vec::new() });
        }
        names.push(name);
    }
    if names.is_empty() {
        err(errors, selection_map.pos, "`selections` is empty");
        return None;
    }
    let Some(text) = condition_node.text() else {
        err(
            errors,
            condition_node.pos,
            "`condition` must be a string such as `1 of sel_* and not filter`",
        );
        return None;
    };
    match condition::parse(&text, &names) {
        Ok(expr) => Some(Matcher { selections, expr }),
        Err(m) => {
            err(errors, condition_node.pos, m);
            None
        }
    }
}

fn compile_selection(node: &Node, errors: &mut Vec<MatchError>) -> Option<Selection> {
    match &node.kind {
        Kind::Map(entries) => Some(Selection {
            alts: vec![compile_conj(node.pos, entries, errors)?],
        }),
        Kind::Seq(items) => {
            if items.is_empty() {
                err(errors, node.pos, "empty matcher list never matches");
                return None;
            }
            let mut alts = Vec::new();
            for item in items {
                match &item.kind {
                    Kind::Map(entries) => alts.extend(compile_conj(item.pos, entries, errors)),
                    _ => err(
                        errors,
                        item.pos,
                        "a matcher list holds maps of `field|modifier: value`; to search the whole record use `text|contains: ...`",
                    ),
                }
            }
            Some(Selection { alts })
        }
        _ => {
            err(
                errors,
                node.pos,
                "a matcher is a map of `field|modifier: value` (e.g. `msg|contains: ENOENT`)",
            );
            None
        }
    }
}

fn compile_conj(pos: Pos, entries: &[(Node, Node)], errors: &mut Vec<MatchError>) -> Option<Conj> {
    if entries.is_empty() {
        err(errors, pos, "empty matcher: it would match every record");
        return None;
    }
    let before = errors.len();
    let mut signal = None;
    let mut tests = Vec::new();
    // The fields of the block's signal families, known before its other keys are read.
    let signal_fields: Vec<&str> = entries
        .iter()
        .filter(|(k, _)| k.text().as_deref() == Some("signal"))
        .flat_map(|(_, v)| match &v.kind {
            Kind::Seq(items) => items.iter().filter_map(Node::text).collect::<Vec<_>>(),
            _ => v.text().into_iter().collect(),
        })
        .filter_map(|n| signal::by_name(&n))
        .flat_map(|f| f.fields.iter().copied())
        .collect();
    for (k, v) in entries {
        let key = k.text().unwrap_or_default();
        if key == "signal" {
            signal = compile_signal(v, errors);
        } else if key.split('|').next().map(str::trim) == Some("signal") {
            err(
                errors,
                k.pos,
                format!(
                    "`{key}`: `signal` takes a signal name or a list of them, without modifiers"
                ),
            );
        } else {
            tests.extend(compile_field(k, v, &signal_fields, errors));
        }
    }
    (errors.len() == before).then_some(Conj { signal, tests })
}

/// The value of a `signal:` key: one signal name or a list of them.
fn compile_signal(value: &Node, errors: &mut Vec<MatchError>) -> Option<Vec<signal::Kind>> {
    let items: Vec<&Node> = match &value.kind {
        Kind::Seq(items) => items.iter().collect(),
        _ => vec![value],
    };
    let mut kinds = Vec::new();
    for item in &items {
        match item.text().as_deref().and_then(signal::by_name) {
            Some(f) => kinds.push(f.kind),
            None => {
                let known: Vec<&str> = signal::FAMILIES.iter().map(|f| f.name).collect();
                let name = item.text().unwrap_or_default();
                let hint = suggest::hint(&name, known.iter().copied());
                err(
                    errors,
                    item.pos,
                    format!(
                        "unknown signal `{name}`{hint} (known: {})",
                        known.join(", ")
                    ),
                );
            }
        }
    }
    if items.is_empty() {
        err(errors, value.pos, "`signal: []` never matches");
    }
    (kinds.len() == items.len() && !kinds.is_empty()).then_some(kinds)
}

fn compile_field(
    key: &Node,
    value: &Node,
    signal_fields: &[&str],
    errors: &mut Vec<MatchError>,
) -> Option<FieldTest> {
    let Some(raw) = key.text() else {
        err(
            errors,
            key.pos,
            "a matcher key must be `field` or `field|modifier`",
        );
        return None;
    };
    let mut parts = raw.split('|');
    let field = parts.next().unwrap_or("").trim().to_string();
    if field.is_empty() {
        err(
            errors,
            key.pos,
            format!("missing field name in matcher key `{raw}`"),
        );
        return None;
    }
    let (mut op, mut op_name, mut all, mut cased) = (Op::Eq, "", false, false);
    let mut ok = true;
    if let Some(near) = field_typo(&field, signal_fields) {
        let lead = raw.len() - raw.trim_start().len();
        let what = if signal_fields.is_empty() {
            "field"
        } else {
            "field (of the signal or the record)"
        };
        err_at(
            errors,
            key.pos,
            (lead, field.chars().count()),
            format!("unknown {what} `{field}`; did you mean `{near}`? (a field no record has never matches; `logscan events FILE` lists a record's fields)"),
        );
        ok = false;
    }
    // Where each modifier starts in the key, in characters.
    let mut offset = raw.split('|').next().unwrap_or("").chars().count() + 1;
    for m in parts {
        let at = offset;
        offset += m.chars().count() + 1;
        let new_op = match m {
            "all" => {
                all = true;
                continue;
            }
            "cased" => {
                cased = true;
                continue;
            }
            "contains" => Op::Contains,
            "startswith" => Op::StartsWith,
            "endswith" => Op::EndsWith,
            "re" => Op::Re,
            "exists" => Op::Exists,
            "gt" => Op::Num(Cmp::Gt),
            "gte" => Op::Num(Cmp::Gte),
            "lt" => Op::Num(Cmp::Lt),
            "lte" => Op::Num(Cmp::Lte),
            other => {
                let hint = suggest::hint(other, MODIFIERS.iter().copied());
                err_at(
                    errors,
                    key.pos,
                    (at, other.chars().count()),
                    format!(
                        "unknown modifier `{other}` in `{raw}`{hint} (known: {})",
                        MODIFIERS.join(", ")
                    ),
                );
                ok = false;
                continue;
            }
        };
        if op != Op::Eq {
            err(
                errors,
                key.pos,
                format!("modifiers `{op_name}` and `{m}` cannot be combined in `{raw}`"),
            );
            ok = false;
        }
        op = new_op;
        op_name = m;
    }
    if cased && matches!(op, Op::Exists | Op::Num(_)) {
        err(
            errors,
            key.pos,
            format!("`cased` has no meaning with `{op_name}` in `{raw}`"),
        );
        ok = false;
    }
    if all && op == Op::Exists {
        err(
            errors,
            key.pos,
            format!("`all` has no meaning with `exists` in `{raw}`"),
        );
        ok = false;
    }
    if !ok {
        return None;
    }
    let values: Vec<&Node> = match &value.kind {
        Kind::Seq(items) => items.iter().collect(),
        _ => vec![value],
    };
    if values.is_empty() {
        err(
            errors,
            value.pos,
            format!("empty list for `{raw}` never matches"),
        );
        return None;
    }
    if op == Op::Eq && !signal_fields.contains(&field.as_str()) {
        let before = errors.len();
        check_closed_value(&field, &values, errors);
        if errors.len() > before {
            return None;
        }
    }
    let mut vals = Vec::new();
    for v in &values {
        let Kind::Scalar(s) = &v.kind else {
            err(
                errors,
                v.pos,
                format!("the value of `{raw}` must be a string, number or list of them"),
            );
            continue;
        };
        if let Some(t) = compile_value(op, op_name, cased, s, v.pos, &raw, errors) {
            vals.push(t);
        }
    }
    let equals = (op == Op::Eq && !all)
        .then(|| {
            values
                .iter()
                .map(|v| match &v.kind {
                    Kind::Scalar(sc) if *sc != Scalar::Null => Some(sc.as_text().to_string()),
                    _ => None,
                })
                .collect::<Option<Vec<String>>>()
        })
        .flatten();
    (vals.len() == values_len(value)).then_some(FieldTest {
        field,
        all,
        vals,
        equals,
    })
}

fn values_len(value: &Node) -> usize {
    match &value.kind {
        Kind::Seq(items) => items.len(),
        _ => 1,
    }
}

fn compile_value(
    op: Op,
    op_name: &str,
    cased: bool,
    s: &Scalar,
    pos: Pos,
    raw: &str,
    errors: &mut Vec<MatchError>,
) -> Option<ValTest> {
    if let Scalar::Str(text) = s {
        if text.len() > MAX_VALUE_BYTES {
            err(
                errors,
                pos,
                format!(
                    "the value of `{raw}` is {} bytes, over the limit of {} for one matcher value (docs/rules.md, \"Limits\")",
                    text.len(),
                    limits::size(MAX_VALUE_BYTES)
                ),
            );
            return None;
        }
    }
    match op {
        Op::Exists => match s {
            Scalar::Bool(b) => Some(ValTest::Exists(*b)),
            _ => {
                err(errors, pos, format!("`{raw}` takes `true` or `false`"));
                None
            }
        },
        Op::Num(cmp) => match s {
            Scalar::Int(i) => Some(ValTest::Num(cmp, *i as f64)),
            Scalar::Float(f) => Some(ValTest::Num(cmp, *f)),
            _ => {
                err(
                    errors,
                    pos,
                    format!("`{raw}` compares numbers: `{op_name}` needs a number"),
                );
                None
            }
        },
        Op::Re => {
            let Scalar::Str(pat) = s else {
                err(errors, pos, format!("`{raw}` needs a regex string"));
                return None;
            };
            match compile_regex(pat, !cased) {
                Ok(re) => Some(ValTest::Regex {
                    re,
                    literals: literal::of_regex(pat, !cased),
                }),
                Err((m, Some(sub))) => {
                    err_at(errors, pos, sub, m);
                    None
                }
                Err((m, None)) => {
                    err(errors, pos, m);
                    None
                }
            }
        }
        Op::Eq if *s == Scalar::Null => Some(ValTest::Null),
        Op::Eq | Op::Contains | Op::StartsWith | Op::EndsWith => {
            let needle = s.as_text();
            if needle.is_empty() && op != Op::Eq {
                err(
                    errors,
                    pos,
                    format!("empty value for `{raw}` matches everything"),
                );
                return None;
            }
            let escaped = regex::escape(&needle);
            let body = match op {
                Op::Contains => escaped,
                Op::StartsWith => format!(r"\A(?:{escaped})"),
                Op::EndsWith => format!(r"(?:{escaped})\z"),
                _ => format!(r"\A(?:{escaped})\z"),
            };
            // ASCII needles fold ASCII only, so the ASCII prefilter sees every match.
            let (flags, literal) = if cased {
                ("", literal::safe_piece(&needle))
            } else if needle.is_ascii() {
                ("(?i-u)", literal::safe_piece(&needle))
            } else {
                ("(?i)", None)
            };
            match Regex::new(&format!("{flags}{body}")) {
                Ok(re) => Some(ValTest::Pattern { re, literal }),
                Err(e) => {
                    err(errors, pos, format!("cannot compile `{raw}`: {e}"));
                    None
                }
            }
        }
    }
}
