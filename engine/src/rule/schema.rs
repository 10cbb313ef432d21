//! The rule file schema: serde types for the fixed parts of a rule, and the
//! list of keys each part allows (checked on the positioned tree so that every
//! unknown key of a file is reported, not just the first).
//!
//! Matchers (`match`, `present`, `absent`, `until`) stay [`serde_yaml::Value`]
//! here: they are compiled from the positioned tree by `rule::record`. This
//! module never validates meaning (durations, references, horizons): that is
//! `rule::compile`.

use schemars::JsonSchema;
use serde::Deserialize;
use serde_yaml::Value;

use crate::rule::suggest;
use crate::rule::yamlpos::{Kind, Node, Pos};

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleDoc {
    /// Free-form version tag, e.g. `logscan/rule@1`.
    pub schema: Option<String>,
    /// Stable rule id: lower-case kebab-case segments joined by dots (`windows-npx-shim.spawn-enoent`), unique across the rule set.
    pub id: String,
    /// The catalogue cause this rule supports, kebab-case (`windows-npx-shim`).
    pub cause: String,
    /// One line, non-empty.
    pub title: String,
    /// Prior P(cause | rule fully matched), strictly between 0 and 1.
    pub confidence: f64,
    #[serde(default)]
    pub severity: SeverityDoc,
    /// Causes this cause absorbs when both match with overlapping evidence; never its own cause, never a cycle.
    #[serde(default)]
    pub explains: Vec<String>,
    #[serde(default)]
    #[schemars(with = "crate::json_schema::Formats")]
    pub sources: Option<OneOrMany>,
    /// The key that ties the steps together: `{by: [server], on_missing_key: skip | null_key}`.
    pub correlate: Option<CorrelateDoc>,
    /// First to last positive step, inclusive (a rule needs `maxspan` or a `within` on every later step).
    #[serde(default)]
    #[schemars(with = "crate::json_schema::Duration")]
    pub maxspan: Option<Value>,
    /// The longest time between consecutive positive steps.
    #[serde(default)]
    #[schemars(with = "crate::json_schema::Duration")]
    pub max_gap: Option<Value>,
    /// Allowed cross-source clock skew when ordering steps.
    #[serde(default)]
    #[schemars(with = "crate::json_schema::Duration")]
    pub order_tolerance: Option<Value>,
    /// `latest` (the newest partial wins) or `earliest` (keep the first).
    #[serde(default)]
    pub select: SelectDoc,
    /// `skip_past_last` (a finding discards this key's older partials) or `none`.
    #[serde(default)]
    pub after_match: AfterMatchDoc,
    /// Findings of one key within `window` of the previous one become one incident with a count.
    pub merge: Option<MergeDoc>,
    /// A reset: a matching record kills the key's partials.
    #[serde(default)]
    #[schemars(with = "crate::json_schema::Matcher")]
    pub until: Option<Value>,
    /// The ordered steps, at least one positive.
    pub steps: Vec<StepDoc>,
    /// Timeless predicates that support (raise) or are required by the finding.
    #[serde(default)]
    pub facts: Vec<FactDoc>,
    /// What the report says: templates with `{var}` and `{step.field}` placeholders.
    pub diagnosis: DiagnosisDoc,
    /// URLs.
    #[serde(default)]
    pub references: Vec<String>,
    /// Free-form.
    #[serde(default)]
    pub tags: Vec<String>,
    pub status: Option<StatusDoc>,
    /// Free text.
    pub description: Option<String>,
}

/// `from: claude-code` or `from: [claude-code, vscode-mcp]`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }
}

#[derive(Clone, Copy, Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SeverityDoc {
    Info,
    Low,
    #[default]
    Medium,
    High,
    Critical,
}

#[derive(Clone, Copy, Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SelectDoc {
    #[default]
    Latest,
    Earliest,
}

#[derive(Clone, Copy, Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AfterMatchDoc {
    #[default]
    SkipPastLast,
    None,
}

#[derive(Clone, Copy, Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum StatusDoc {
    Experimental,
    Test,
    Stable,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrelateDoc {
    #[serde(default)]
    pub by: Vec<String>,
    #[serde(default)]
    pub on_missing_key: OnMissingKeyDoc,
}

#[derive(Clone, Copy, Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OnMissingKeyDoc {
    #[default]
    Skip,
    NullKey,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeDoc {
    #[schemars(with = "crate::json_schema::Duration")]
    pub window: Value,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StepDoc {
    pub id: String,
    #[serde(default)]
    #[schemars(with = "crate::json_schema::Formats")]
    pub from: Option<OneOrMany>,
    #[serde(rename = "match", default)]
    #[schemars(with = "crate::json_schema::Matcher")]
    pub match_: Option<Value>,
    pub any: Option<Vec<BranchDoc>>,
    #[serde(default)]
    #[schemars(with = "crate::json_schema::KeyAlias")]
    pub key: Option<Value>,
    /// An earlier step this one must follow (default: the previous one).
    pub after: Option<String>,
    #[serde(default)]
    #[schemars(with = "crate::json_schema::Duration")]
    pub within: Option<Value>,
    /// How many matching records the step needs (`{min, max}`).
    pub count: Option<CountDoc>,
    /// The step holds when no matching record comes within `within`.
    #[serde(default)]
    pub absent: bool,
    /// Reuse the matcher and sources of that earlier step (not with `match` or `any`).
    pub same_as: Option<String>,
    /// A trailing absent step at the end of the input: `inconclusive` (reported as such) or `drop`.
    pub on_eof: Option<OnEofDoc>,
    /// What to collect when the bundle has no source this step reads.
    pub collect: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BranchDoc {
    #[serde(default)]
    #[schemars(with = "crate::json_schema::Formats")]
    pub from: Option<OneOrMany>,
    #[serde(rename = "match")]
    #[schemars(with = "crate::json_schema::Matcher")]
    pub match_: Value,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CountDoc {
    #[serde(default = "one")]
    pub min: u32,
    pub max: Option<u32>,
}

fn one() -> u32 {
    1
}

#[derive(Clone, Copy, Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum OnEofDoc {
    Inconclusive,
    Drop,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FactDoc {
    pub id: String,
    #[serde(default)]
    pub role: RoleDoc,
    pub weight: Option<f64>,
    #[serde(default)]
    #[schemars(with = "crate::json_schema::Formats")]
    pub from: Option<OneOrMany>,
    #[serde(default)]
    #[schemars(with = "crate::json_schema::Matcher")]
    pub present: Option<Value>,
    #[serde(default)]
    #[schemars(with = "crate::json_schema::Matcher")]
    pub absent: Option<Value>,
    pub any: Option<Vec<FactAltDoc>>,
    #[serde(default)]
    pub on_source_missing: OnSourceMissingDoc,
    pub collect: Option<String>,
}

#[derive(Clone, Copy, Debug, Default, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum RoleDoc {
    #[default]
    Support,
    Require,
}

#[derive(Clone, Copy, Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OnSourceMissingDoc {
    #[default]
    Unknown,
    AssumeAbsent,
    AssumePresent,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FactAltDoc {
    #[serde(default)]
    #[schemars(with = "crate::json_schema::Formats")]
    pub from: Option<OneOrMany>,
    #[serde(default)]
    #[schemars(with = "crate::json_schema::Matcher")]
    pub present: Option<Value>,
    #[serde(default)]
    #[schemars(with = "crate::json_schema::Matcher")]
    pub absent: Option<Value>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DiagnosisDoc {
    pub summary: String,
    #[serde(default)]
    pub explanation: String,
    #[serde(default)]
    pub fix: String,
}

// ---- allowed keys, checked on the positioned tree ---------------------------------

const RULE_KEYS: &[&str] = &[
    "schema",
    "id",
    "cause",
    "title",
    "confidence",
    "severity",
    "explains",
    "sources",
    "correlate",
    "maxspan",
    "max_gap",
    "order_tolerance",
    "select",
    "after_match",
    "merge",
    "until",
    "steps",
    "facts",
    "diagnosis",
    "references",
    "tags",
    "status",
    "description",
];
const CORRELATE_KEYS: &[&str] = &["by", "on_missing_key"];
const MERGE_KEYS: &[&str] = &["window"];
const STEP_KEYS: &[&str] = &[
    "id", "from", "match", "any", "key", "after", "within", "count", "absent", "same_as", "on_eof",
    "collect",
];
const BRANCH_KEYS: &[&str] = &["from", "match"];
const COUNT_KEYS: &[&str] = &["min", "max"];
const FACT_KEYS: &[&str] = &[
    "id",
    "role",
    "weight",
    "from",
    "present",
    "absent",
    "any",
    "on_source_missing",
    "collect",
];
const FACT_ALT_KEYS: &[&str] = &["from", "present", "absent"];
const DIAGNOSIS_KEYS: &[&str] = &["summary", "explanation", "fix"];

/// Each part of a rule (by the name of its type in the JSON Schema; `""` is
/// the rule itself) and the keys the loader allows in it, so that a test can
/// keep the two equal.
pub const ALLOWED_KEYS: &[(&str, &[&str])] = &[
    ("", RULE_KEYS),
    ("CorrelateDoc", CORRELATE_KEYS),
    ("MergeDoc", MERGE_KEYS),
    ("StepDoc", STEP_KEYS),
    ("BranchDoc", BRANCH_KEYS),
    ("CountDoc", COUNT_KEYS),
    ("FactDoc", FACT_KEYS),
    ("FactAltDoc", FACT_ALT_KEYS),
    ("DiagnosisDoc", DIAGNOSIS_KEYS),
];

/// Every unknown key of a rule document, with its position.
pub fn unknown_keys(root: &Node) -> Vec<(Pos, String)> {
    let mut out = Vec::new();
    check(root, RULE_KEYS, "rule", &mut out);
    if let Some(n) = root.get("correlate") {
        check(n, CORRELATE_KEYS, "`correlate`", &mut out);
    }
    if let Some(n) = root.get("merge") {
        check(n, MERGE_KEYS, "`merge`", &mut out);
    }
    if let Some(n) = root.get("diagnosis") {
        check(n, DIAGNOSIS_KEYS, "`diagnosis`", &mut out);
    }
    for step in items(root.get("steps")) {
        check(step, STEP_KEYS, "step", &mut out);
        for b in items(step.get("any")) {
            check(b, BRANCH_KEYS, "`any` alternative", &mut out);
        }
        if let Some(c) = step.get("count") {
            check(c, COUNT_KEYS, "`count`", &mut out);
        }
    }
    for fact in items(root.get("facts")) {
        check(fact, FACT_KEYS, "fact", &mut out);
        for b in items(fact.get("any")) {
            check(b, FACT_ALT_KEYS, "fact `any` alternative", &mut out);
        }
    }
    out
}

/// Every key written twice in one map, anywhere in the tree, at its second
/// place (serde reports a duplicate without a position).
pub fn duplicate_keys(root: &Node) -> Vec<(Pos, String)> {
    let mut out = Vec::new();
    dups(root, &mut out);
    out
}

fn dups(n: &Node, out: &mut Vec<(Pos, String)>) {
    match &n.kind {
        Kind::Map(entries) => {
            for (i, (k, v)) in entries.iter().enumerate() {
                if let Some(name) = k.text() {
                    let first = entries[..i]
                        .iter()
                        .find(|(e, _)| e.text().as_deref() == Some(name.as_str()));
                    if let Some((e, _)) = first {
                        out.push((
                            k.pos,
                            format!(
                                "duplicate key `{name}` (first written at line {}); a map holds each key once",
                                e.pos.line
                            ),
                        ));
                    }
                }
                dups(v, out);
            }
        }
        Kind::Seq(items) => items.iter().for_each(|i| dups(i, out)),
        _ => {}
    }
}

/// Removes from a rule document the keys [`unknown_keys`] reports, so that the
/// rest can still be read and checked.
pub fn drop_unknown_keys(doc: &mut Value) {
    fn keep(v: &mut Value, allowed: &[&str]) {
        if let Value::Mapping(m) = v {
            m.retain(|k, _| k.as_str().is_some_and(|k| allowed.contains(&k)));
        }
    }
    fn each(v: Option<&mut Value>, f: impl Fn(&mut Value)) {
        if let Some(Value::Sequence(items)) = v {
            items.iter_mut().for_each(f);
        }
    }
    keep(doc, RULE_KEYS);
    let Value::Mapping(m) = doc else { return };
    if let Some(v) = m.get_mut("correlate") {
        keep(v, CORRELATE_KEYS);
    }
    if let Some(v) = m.get_mut("merge") {
        keep(v, MERGE_KEYS);
    }
    if let Some(v) = m.get_mut("diagnosis") {
        keep(v, DIAGNOSIS_KEYS);
    }
    each(m.get_mut("steps"), |step| {
        keep(step, STEP_KEYS);
        if let Value::Mapping(sm) = step {
            each(sm.get_mut("any"), |b| keep(b, BRANCH_KEYS));
            if let Some(c) = sm.get_mut("count") {
                keep(c, COUNT_KEYS);
            }
        }
    });
    each(m.get_mut("facts"), |fact| {
        keep(fact, FACT_KEYS);
        if let Value::Mapping(fm) = fact {
            each(fm.get_mut("any"), |b| keep(b, FACT_ALT_KEYS));
        }
    });
}

fn items(n: Option<&Node>) -> impl Iterator<Item = &Node> {
    n.into_iter().flat_map(|n| match &n.kind {
        Kind::Seq(items) => items.iter(),
        _ => [].iter(),
    })
}

fn check(n: &Node, allowed: &[&str], what: &str, out: &mut Vec<(Pos, String)>) {
    let Kind::Map(entries) = &n.kind else { return };
    for (k, _) in entries {
        let name = k.text().unwrap_or_default();
        if !allowed.contains(&name.as_str()) {
            let field = match what {
                "rule" | "step" => crate::rule::record::field_meant(&name),
                _ => None,
            };
            let hint = match (suggest(&name, allowed), field) {
                (Some(s), _) => format!("; did you mean `{s}`?"),
                (None, Some(f)) => format!(
                    "; `{f}` is a record field: test it in a matcher, e.g. `match: {{{f}: ...}}`"
                ),
                (None, None) => format!("; expected one of: {}", allowed.join(", ")),
            };
            out.push((k.pos, format!("unknown key `{name}` in {what}{hint}")));
        }
    }
}

/// A known key close to `name` (see [`suggest::closest`]).
fn suggest<'a>(name: &str, allowed: &[&'a str]) -> Option<&'a str> {
    suggest::closest(name, allowed.iter().copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        assert_eq!(suggest("witin", STEP_KEYS), Some("within"));
        assert_eq!(suggest("zzzzzz", STEP_KEYS), None);
    }
}
