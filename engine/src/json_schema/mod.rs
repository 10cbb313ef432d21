//! JSON Schemas of rule files and rule test files, for editors (completion and
//! validation through `# yaml-language-server: $schema=...`).
//!
//! Both are generated from the Rust types (`schemars`): the rule file from the
//! serde types of `rule::schema`, the test file from the types of
//! [`test_file`], which mirror what `ruletest::schema` reads. The parts the
//! types leave open (matchers, durations, key aliases) are described by
//! `rule::schema::open` from the engine's own closed sets: modifiers, record
//! fields, levels, formats and families, signals and their fields. The
//! checked-in copies under `schema/` are kept equal to these by a test. This
//! module never validates a rule: the schema helps an editor; `rule::compile`
//! is the judge.

pub mod test_file;

use schemars::Schema;
use serde_json::Value;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rule::record::MODIFIERS;
    use crate::signal::FAMILIES;

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
        let shapes = crate::rule::yaml::de::shapes::<crate::rule::schema::RuleDoc>();
        assert!(shapes.len() >= 9, "{shapes:?}");
        for (type_name, fields) in shapes {
            let name = if type_name == "RuleDoc" {
                ""
            } else {
                type_name
            };
            assert_eq!(keys(&s, name), sorted(fields), "{name:?}");
            assert_eq!(def(&s, name)["additionalProperties"], false, "{name:?}");
        }
    }

    #[test]
    fn every_part_of_a_test_file_lists_the_keys_the_parser_allows() {
        let s = rule_test();
        let shapes = crate::ruletest::schema::shapes();
        assert_eq!(shapes.len(), 5, "{shapes:?}");
        for (type_name, fields) in shapes {
            let name = match type_name {
                "TestFileDoc" => "",
                "GuardedAnchorDoc" => "AnchorDoc",
                other => other,
            };
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
            assert_eq!(got, sorted(fields), "{name:?}");
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
