//! The JSON Schema of the parts of a rule the serde types leave open:
//! matchers, durations, formats and families, key aliases, and the variable
//! maps of test files, described from the engine's own closed sets (modifiers,
//! record fields, levels, formats and families, signals and their fields).
//!
//! Each is a type that only implements `JsonSchema`, named by `#[schemars(with
//! = ...)]` on the fields it describes. Nothing here reads or validates a rule.

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde_json::Value;

use crate::rule::record::{format_names, LEVELS, MODIFIERS, RECORD_FIELDS};
use crate::signal::FAMILIES;

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
