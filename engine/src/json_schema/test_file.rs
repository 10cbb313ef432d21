//! The shape of a rule test file (`*.test.yaml`) as types, for its JSON Schema.
//!
//! `ruletest::schema` reads test files into serde types shaped for checking
//! (one input type with every key, anchors read in file order); these types
//! say what a file may hold in the form an editor wants (an input is a path
//! or inline text), and a test keeps their keys equal to the keys of those
//! serde types. Nothing deserialises into them.

use std::collections::BTreeMap;

use schemars::JsonSchema;

/// A rule test file: the rules under test and cases of inputs with the exact
/// findings they must give (docs/rules.md, "Testing rules").
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct TestFileDoc {
    /// `logscan/test@1` (optional).
    #[schemars(schema_with = "test_schema_tag")]
    #[serde(default)]
    schema: Option<String>,
    /// The rule ids under test; findings of other rules are ignored.
    #[schemars(schema_with = "rule_ids")]
    rules: Vec<String>,
    cases: Vec<CaseDoc>,
}

/// One case: inputs, options and the exact expected findings.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct CaseDoc {
    /// Unique within the file.
    name: String,
    #[schemars(length(min = 1))]
    inputs: Vec<InputDoc>,
    /// The time zone of the inputs' local timestamps (an IANA name or `UTC`), as `--tz`.
    #[serde(default)]
    tz: Option<String>,
    /// Every finding the rules under test must give, and no other (`[]` when nothing may match).
    expect: Vec<ExpectDoc>,
    /// Derive mutated negatives from this case (default true).
    #[serde(default)]
    mutate: Option<bool>,
    /// The case is known to fail, for this reason; it reports as `todo`.
    #[serde(default)]
    todo: Option<String>,
}

/// An input: a fixture path, or inline text with the name that drives format detection.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
pub enum InputDoc {
    Path(PathInputDoc),
    Inline(InlineInputDoc),
}

/// A fixture read from a file.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct PathInputDoc {
    /// A fixture, relative to the test file.
    path: String,
    /// Force this format instead of detecting it.
    #[serde(default)]
    format: Option<String>,
}

/// A fixture written in the test file.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct InlineInputDoc {
    /// The file name the text is read as (it drives format detection).
    name: String,
    text: String,
    /// Force this format instead of detecting it.
    #[serde(default)]
    format: Option<String>,
}

/// One expected finding.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct ExpectDoc {
    /// A rule under test.
    rule: String,
    /// The `correlate.by` variables of the finding (`~` for a null key).
    #[serde(default)]
    #[schemars(with = "crate::rule::schema::open::Bindings")]
    key: Option<BTreeMap<String, String>>,
    #[serde(default)]
    status: Option<StatusDoc>,
    /// How many times the finding occurred.
    #[serde(default)]
    #[schemars(range(min = 1))]
    occurrences: Option<u32>,
    /// Variables that must be bound to these values.
    #[serde(default)]
    #[schemars(with = "crate::rule::schema::open::Bindings")]
    vars: Option<BTreeMap<String, String>>,
    /// Step id -> the record it must have bound.
    #[serde(default)]
    evidence: Option<BTreeMap<String, AnchorDoc>>,
}

#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
pub enum StatusDoc {
    Confirmed,
    Partial,
    Inconclusive,
}

/// Where a step's record lies: `file:line` or `file:first-last`, with an
/// optional text the record must contain.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
pub enum AnchorDoc {
    At(#[schemars(schema_with = "anchor")] String),
    Guarded(GuardedAnchorDoc),
}

/// An anchor with a text guard.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct GuardedAnchorDoc {
    #[schemars(schema_with = "anchor")]
    at: String,
    /// Text the record must contain (case-sensitive).
    #[serde(default)]
    text: Option<String>,
}

fn anchor(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "description": "`file:line` or `file:first-last` (the file name or a path suffix of a fixture).",
        "type": "string",
        "pattern": "^.+:\\s*\\d+\\s*(-\\s*\\d+\\s*)?$"
    })
}

fn test_schema_tag(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({"const": crate::ruletest::schema::SCHEMA})
}

fn rule_ids(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "description": "The rule ids under test; findings of other rules are ignored.",
        "anyOf": [
            {"type": "string"},
            {"type": "array", "minItems": 1, "items": {"type": "string"}}
        ]
    })
}
