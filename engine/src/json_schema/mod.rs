//! JSON Schemas of rule files and rule test files, for editors (completion and
//! validation through `# yaml-language-server: $schema=...`).
//!
//! Both are generated from the Rust types (`schemars`): the rule file from the
//! serde types of `rule::schema`, the test file from the types of
//! [`test_file`], which mirror what `ruletest::schema` reads. The parts the
//! types leave open (matchers, durations, key aliases) are described here from
//! the engine's own closed sets: modifiers, record fields, levels, formats and
//! families, signals and their fields. The checked-in copies under `schema/`
//! are kept equal to these by a test. This module never validates a rule: the
//! schema helps an editor; `rule::compile` is the judge.

pub mod test_file;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde_json::Value;

use crate::rule::record::{format_names, LEVELS, MODIFIERS, RECORD_FIELDS};
use crate::signal::FAMILIES;

/// The `$id`-less schema of a rule file (`rules/**/*.yaml`).
pub fn rule() -> Value {
    finish(
        schemars::schema_for!(crate::rule::schema::RuleDoc),
        "logscan rule file",
    )
}

/// The schema of a rule test file (`*.test.yaml`).
pub fn rule_test() -> Value {
    finish(
        schemars::schema_for!(test_file::TestFileDoc),
        "logscan rule test file",
    )
}

/// The schema as it is checked in: pretty JSON with a final newline.
pub fn pretty(schema: &Value) -> String {
    let mut s = serde_json::to_string_pretty(schema).unwrap_or_default();
    s.push('\n');
    s
}

fn finish(schema: Schema, title: &str) -> Value {
    let mut v = schema.to_value();
    not_null(&mut v);
    if let Value::Object(m) = &mut v {
        m.insert("title".into(), Value::String(title.into()));
    }
    v
}

/// An optional key is left out, never written as `~`: schemars describes an
/// `Option` as "this or null" with a null default; this says "this".
fn not_null(v: &mut Value) {
    match v {
        Value::Object(m) => {
            if m.get("default") == Some(&Value::Null) {
                m.remove("default");
            }
            if let Some(Value::Array(types)) = m.get("type") {
                if let [t, null] = types.as_slice() {
                    if null == "null" {
                        let t = t.clone();
                        m.insert("type".into(), t);
                    }
                }
            }
            if let Some(Value::Array(any)) = m.get_mut("anyOf") {
                any.retain(|s| s != &serde_json::json!({"type": "null"}));
                if any.len() == 1 {
                    let only = any.remove(0);
                    m.remove("anyOf");
                    if let Value::Object(o) = only {
                        for (k, x) in o {
                            m.entry(k).or_insert(x);
                        }
                    }
                }
            }
            m.values_mut().for_each(not_null);
        }
        Value::Array(items) => items.iter_mut().for_each(not_null),
        _ => {}
    }
}

fn one_or_many(item: Value, what: &str) -> Schema {
    json_schema!({
        "description": what,
        "anyOf": [item, {"type": "array", "items": item}]
    })
}

fn names(list: impl IntoIterator<Item = impl Into<String>>) -> Value {
    let mut v: Vec<String> = list.into_iter().map(Into::into).collect();
    v.sort();
    v.dedup();
    Value::from(v)
}

/// A part of the schema that the Rust types leave open, written once under
/// `$defs/{name}` and referred to wherever it is used.
macro_rules! definition {
    ($(#[$doc:meta])* $ty:ident, $name:literal, |$g:ident| $body:expr) => {
        $(#[$doc])*
        pub(crate) struct $ty;

        impl JsonSchema for $ty {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                $name.into()
            }

            fn json_schema($g: &mut SchemaGenerator) -> Schema {
                $body
            }
        }
    };
}

definition!(
    /// `from:` and `sources:`: a format name or family prefix, or a list of them.
    Formats, "Formats", |_g| one_or_many(
        serde_json::json!({"enum": names(format_names())}),
        "A format name or family (`claude-code` reads every `claude-code-*` format), or a list of them; docs/rules.md, \"Formats and families\".",
    )
);

definition!(
    /// A duration: `500ms`, `30s`, `5m`, `2h`, `1d`, `1m30s`, or `0`.
    Duration, "Duration", |_g| json_schema!({
        "description": "A duration: `500ms`, `30s`, `5m`, `2h`, `1d`, combinations in decreasing order (`1m30s`, `1h 30m`), or `0`.",
        "anyOf": [
            {"type": "string", "pattern": "^\\s*(0|(\\d+\\s*(ms|s|m|h|d)\\s*)+)$"},
            {"const": 0}
        ]
    })
);

definition!(
    /// A step's `key:`: `none` (a host-level step) or aliases `{variable: field}`.
    KeyAlias, "KeyAlias", |_g| json_schema!({
        "description": "`none` marks a host-level step that advances every key; a map `{variable: field}` binds a `correlate.by` variable from a record field.",
        "anyOf": [
            {"const": "none"},
            {"type": "object", "additionalProperties": {"type": "string"}}
        ]
    })
);

definition!(
    /// A map of variable to value, where `~` is the null key (`on_missing_key: null_key`).
    Bindings, "Bindings", |_g| json_schema!({
        "type": "object",
        "additionalProperties": {"type": ["string", "number", "boolean", "null"]}
    })
);

definition!(
    /// What a matcher key tests against: a scalar, or a list of them (any of them;
    /// all of them with `|all`).
    MatchValue, "MatchValue", |_g| {
        let scalar = serde_json::json!({"type": ["string", "number", "boolean", "null"]});
        json_schema!({"anyOf": [scalar, {"type": "array", "items": scalar}]})
    }
);

definition!(
    /// One map of `field|modifier: value`, every key of which must hold; or a
    /// list of such maps, any of which must.
    Selection, "Selection", |g| {
        let value = g.subschema_for::<MatchValue>().to_value();
        let mut properties = serde_json::Map::new();
        let mut fields: Vec<&str> = RECORD_FIELDS.to_vec();
        for f in FAMILIES {
            fields.extend(f.fields.iter().copied());
        }
        for field in fields {
            properties.insert(field.to_string(), value.clone());
        }
        properties.insert(
            "signal".into(),
            one_or_many(
                serde_json::json!({"enum": names(FAMILIES.iter().map(|f| f.name))}),
                "A signal family (docs/signals.md): the record must hold a signal of it; the block's other keys test the signal's fields first.",
            )
            .to_value(),
        );
        properties.insert(
            "level".into(),
            one_or_many(serde_json::json!({"enum": LEVELS}), "The record's level, normalised.").to_value(),
        );
        properties.insert(
            "format".into(),
            one_or_many(
                serde_json::json!({"enum": names(crate::parse::Format::ALL.iter().map(|f| f.name()))}),
                "The full name of the format the record was parsed as.",
            )
            .to_value(),
        );
        let conjunction = serde_json::json!({
            "type": "object",
            "minProperties": 1,
            "properties": properties,
            "propertyNames": {
                "description": "`field` or `field|modifier|...`",
                "pattern": format!("^[^|\\s]+(\\|({}))*$", MODIFIERS.join("|"))
            },
            "additionalProperties": value
        });
        json_schema!({
            "anyOf": [conjunction, {"type": "array", "minItems": 1, "items": conjunction}]
        })
    }
);

definition!(
    /// A matcher (`match`, `present`, `absent`, `until`): a selection, or named
    /// `selections` with a `condition`.
    Matcher, "Matcher", |g| {
        let selection = g.subschema_for::<Selection>().to_value();
        json_schema!({
            "description": "A matcher: `{field|modifier: value, ...}` (every key must hold), a list of such maps (any of them), or `selections` with a `condition`; docs/rules.md, \"Matchers\".",
            "anyOf": [
                selection,
                {
                    "type": "object",
                    "properties": {
                        "selections": {
                            "description": "Named matchers, combined by `condition`.",
                            "type": "object",
                            "propertyNames": {"pattern": "^[\\w.-]+$"},
                            "additionalProperties": selection
                        },
                        "condition": {
                            "description": "How the selections combine: `a and not b`, `1 of sel_*`, `all of them`.",
                            "type": "string"
                        }
                    },
                    "required": ["selections", "condition"],
                    "additionalProperties": false
                }
            ]
        })
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    /// The object schema behind `#/$defs/{name}` of a generated schema.
    fn def<'a>(schema: &'a Value, name: &str) -> &'a Value {
        match name {
            "" => schema,
            _ => &schema["$defs"][name],
        }
    }

    fn keys(schema: &Value, name: &str) -> Vec<String> {
        let mut out: Vec<String> = def(schema, name)["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("no properties in {name}"))
            .keys()
            .cloned()
            .collect();
        out.sort();
        out
    }

    fn sorted(list: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = list.iter().map(|s| s.to_string()).collect();
        v.sort();
        v
    }

    #[test]
    fn every_part_of_a_rule_lists_the_keys_the_loader_allows() {
        let s = rule();
        for (name, allowed) in crate::rule::schema::ALLOWED_KEYS {
            assert_eq!(keys(&s, name), sorted(allowed), "{name:?}");
            assert_eq!(def(&s, name)["additionalProperties"], false, "{name:?}");
        }
    }

    #[test]
    fn every_part_of_a_test_file_lists_the_keys_the_parser_allows() {
        let s = rule_test();
        for (name, allowed) in crate::ruletest::schema::ALLOWED_KEYS {
            let mut got = match def(&s, name).get("anyOf").and_then(Value::as_array) {
                // An input or an anchor: the union of its forms' keys.
                Some(forms) => forms
                    .iter()
                    .map(|f| match f["$ref"].as_str() {
                        Some(r) => def(&s, r.trim_start_matches("#/$defs/")),
                        None => f,
                    })
                    .filter_map(|f| f["properties"].as_object())
                    .flat_map(|p| p.keys().cloned())
                    .collect(),
                None => keys(&s, name),
            };
            got.sort();
            got.dedup();
            assert_eq!(got, sorted(allowed), "{name:?}");
        }
    }

    #[test]
    fn matchers_complete_the_engine_s_closed_sets() {
        let s = rule().to_string();
        for name in FAMILIES.iter().map(|f| f.name) {
            assert!(s.contains(&format!("\"{name}\"")), "signal {name}");
        }
        for m in MODIFIERS {
            assert!(s.contains(m), "modifier {m}");
        }
        assert!(s.contains("\"claude-code\""), "a family");
        assert!(s.contains("\"errno\""), "a signal field");
    }
}
