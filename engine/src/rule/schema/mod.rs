//! The rule file schema: serde types for the fixed parts of a rule, read by
//! `rule::yaml` (their keys are the keys a rule may write: an unknown one is
//! reported with the type's own list), with their JSON Schema (`open` describes
//! the parts the types leave open).
//!
//! Matchers (`match`, `present`, `absent`, `until`), durations, `from`/`sources`
//! and key aliases stay positioned [`Node`]s here: `rule::compile` and
//! `rule::record` read them with their positions. Closed values (`select`,
//! `after_match`, `on_missing_key`, `on_source_missing`) are read straight into
//! the compiled enums of `rule::ir` (serde `remote`). This module never
//! validates meaning (durations, references, horizons): that is `rule::compile`.

pub mod open;

use schemars::JsonSchema;
use serde::Deserialize;

use crate::rule::ir::{AfterMatch, OnMissingKey, OnSourceMissing, Select};
use crate::rule::yaml::Node;

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
    #[schemars(with = "open::Formats")]
    pub sources: Option<Node>,
    /// The key that ties the steps together: `{by: [server], on_missing_key: skip | null_key}`.
    pub correlate: Option<CorrelateDoc>,
    /// First to last positive step, inclusive (a rule needs `maxspan` or a `within` on every later step).
    #[serde(default)]
    #[schemars(with = "open::Duration")]
    pub maxspan: Option<Node>,
    /// The longest time between consecutive positive steps.
    #[serde(default)]
    #[schemars(with = "open::Duration")]
    pub max_gap: Option<Node>,
    /// Allowed cross-source clock skew when ordering steps.
    #[serde(default)]
    #[schemars(with = "open::Duration")]
    pub order_tolerance: Option<Node>,
    /// `latest` (the newest partial wins) or `earliest` (keep the first).
    #[serde(default, deserialize_with = "SelectDoc::deserialize")]
    #[schemars(with = "SelectDoc")]
    pub select: Select,
    /// `skip_past_last` (a finding discards this key's older partials) or `none`.
    #[serde(default, deserialize_with = "AfterMatchDoc::deserialize")]
    #[schemars(with = "AfterMatchDoc")]
    pub after_match: AfterMatch,
    /// Findings of one key within `window` of the previous one become one incident with a count.
    pub merge: Option<MergeDoc>,
    /// A reset: a matching record kills the key's partials.
    #[serde(default)]
    #[schemars(with = "open::Matcher")]
    pub until: Option<Node>,
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

// A mirror of `Severity`, mapped by `rule::compile`, not a `remote` reading:
// `Severity` serializes, so schemars would write its default into the schema.
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

// The written form of `Select`: serde reads it straight into the compiled type.
#[derive(Deserialize, JsonSchema)]
#[schemars(rename = "SelectDoc")]
#[serde(remote = "Select", rename_all = "lowercase")]
pub enum SelectDoc {
    Latest,
    Earliest,
}

// The written form of `AfterMatch`: serde reads it straight into the compiled type.
#[derive(Deserialize, JsonSchema)]
#[schemars(rename = "AfterMatchDoc")]
#[serde(remote = "AfterMatch", rename_all = "snake_case")]
pub enum AfterMatchDoc {
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
    #[serde(default, deserialize_with = "OnMissingKeyDoc::deserialize")]
    #[schemars(with = "OnMissingKeyDoc")]
    pub on_missing_key: OnMissingKey,
}

// The written form of `OnMissingKey`: serde reads it straight into the compiled type.
#[derive(Deserialize, JsonSchema)]
#[schemars(rename = "OnMissingKeyDoc")]
#[serde(remote = "OnMissingKey", rename_all = "snake_case")]
pub enum OnMissingKeyDoc {
    Skip,
    NullKey,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeDoc {
    #[schemars(with = "open::Duration")]
    pub window: Node,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StepDoc {
    pub id: String,
    #[serde(default)]
    #[schemars(with = "open::Formats")]
    pub from: Option<Node>,
    #[serde(rename = "match", default)]
    #[schemars(with = "open::Matcher")]
    pub match_: Option<Node>,
    pub any: Option<Vec<BranchDoc>>,
    #[serde(default)]
    #[schemars(with = "open::KeyAlias")]
    pub key: Option<Node>,
    /// An earlier step this one must follow (default: the previous one).
    pub after: Option<String>,
    #[serde(default)]
    #[schemars(with = "open::Duration")]
    pub within: Option<Node>,
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
    #[schemars(with = "open::Formats")]
    pub from: Option<Node>,
    #[serde(rename = "match")]
    #[schemars(with = "open::Matcher")]
    pub match_: Node,
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
    #[schemars(with = "open::Formats")]
    pub from: Option<Node>,
    #[serde(default)]
    #[schemars(with = "open::Matcher")]
    pub present: Option<Node>,
    #[serde(default)]
    #[schemars(with = "open::Matcher")]
    pub absent: Option<Node>,
    pub any: Option<Vec<FactAltDoc>>,
    #[serde(default, deserialize_with = "OnSourceMissingDoc::deserialize")]
    #[schemars(with = "OnSourceMissingDoc")]
    pub on_source_missing: OnSourceMissing,
    pub collect: Option<String>,
}

#[derive(Clone, Copy, Debug, Default, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum RoleDoc {
    #[default]
    Support,
    Require,
}

// The written form of `OnSourceMissing`: serde reads it straight into the compiled type.
#[derive(Deserialize, JsonSchema)]
#[schemars(rename = "OnSourceMissingDoc")]
#[serde(remote = "OnSourceMissing", rename_all = "snake_case")]
pub enum OnSourceMissingDoc {
    Unknown,
    AssumeAbsent,
    AssumePresent,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FactAltDoc {
    #[serde(default)]
    #[schemars(with = "open::Formats")]
    pub from: Option<Node>,
    #[serde(default)]
    #[schemars(with = "open::Matcher")]
    pub present: Option<Node>,
    #[serde(default)]
    #[schemars(with = "open::Matcher")]
    pub absent: Option<Node>,
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

/// What a part of a rule is called in messages (`unknown key `x` in step`),
/// by the name of its type.
pub fn part_name(type_name: &str) -> &'static str {
    match type_name {
        "RuleDoc" => "rule",
        "CorrelateDoc" => "`correlate`",
        "MergeDoc" => "`merge`",
        "DiagnosisDoc" => "`diagnosis`",
        "StepDoc" => "step",
        "BranchDoc" => "`any` alternative",
        "CountDoc" => "`count`",
        "FactDoc" => "fact",
        "FactAltDoc" => "fact `any` alternative",
        _ => "map",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rule::yaml::de::shapes;

    #[test]
    fn every_part_has_a_name() {
        for (type_name, _) in shapes::<RuleDoc>() {
            assert_ne!(part_name(type_name), "map", "{type_name}");
        }
    }
}
