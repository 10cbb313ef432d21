//! docs/causes.md stays true to the built-in rules: one section per cause the rules diagnose (and
//! no section for a cause no rule names), the contents line lists every section, and each
//! section's **Rules.** paragraph names exactly the rules whose `cause:` is that section's id.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use logscan_engine::Engine;

fn doc() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/causes.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Cause id to the ids of the built-in rules that diagnose it.
fn rules_by_cause() -> BTreeMap<String, BTreeSet<String>> {
    let engine = Engine::builder()
        .builtin_rules()
        .build()
        .expect("built-in rules compile");
    let mut by_cause: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for rule in &engine.rules().rules {
        by_cause
            .entry(rule.cause.clone())
            .or_default()
            .insert(rule.id.clone());
    }
    assert!(by_cause.len() >= 19, "the catalogue of DESIGN §4");
    by_cause
}

/// Each `## <cause-id>` section's text (sections whose heading is prose are not causes).
fn cause_sections(doc: &str) -> BTreeMap<String, String> {
    let mut sections = BTreeMap::new();
    let starts: Vec<usize> = doc.match_indices("\n## ").map(|(at, _)| at + 1).collect();
    for (index, start) in starts.iter().enumerate() {
        let end = starts.get(index + 1).copied().unwrap_or(doc.len());
        let section = &doc[*start..end];
        let heading = section
            .lines()
            .next()
            .unwrap_or("")
            .trim_start_matches("## ");
        let is_id = !heading.is_empty()
            && heading
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if is_id {
            sections.insert(heading.to_string(), section.to_string());
        }
    }
    sections
}

/// The backticked rule ids (`cause.name`, of a known cause) of a section's **Rules.** paragraph.
fn rules_named(section: &str, causes: &BTreeSet<&str>) -> BTreeSet<String> {
    let Some(at) = section.find("**Rules.**") else {
        return BTreeSet::new();
    };
    let paragraph = &section[at..];
    let paragraph = &paragraph[..paragraph.find("\n\n").unwrap_or(paragraph.len())];
    paragraph
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|name| {
            name.split_once('.')
                .is_some_and(|(cause, rest)| causes.contains(cause) && !rest.is_empty())
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn every_cause_has_a_section_and_every_section_a_rule() {
    let doc = doc();
    let sections = cause_sections(&doc);
    let documented: BTreeSet<&String> = sections.keys().collect();
    let by_cause = rules_by_cause();
    let diagnosed: BTreeSet<&String> = by_cause.keys().collect();
    assert_eq!(
        documented, diagnosed,
        "docs/causes.md sections (left) and the causes of rules/ (right) differ"
    );
}

#[test]
fn each_section_names_exactly_the_rules_of_its_cause() {
    let doc = doc();
    let by_cause = rules_by_cause();
    let mut wrong = Vec::new();
    let causes: BTreeSet<&str> = by_cause.keys().map(String::as_str).collect();
    for (cause, section) in cause_sections(&doc) {
        let named = rules_named(&section, &causes);
        let actual = by_cause.get(&cause).cloned().unwrap_or_default();
        if named != actual {
            let missing: Vec<_> = actual.difference(&named).collect();
            let stale: Vec<_> = named.difference(&actual).collect();
            wrong.push(format!(
                "{cause}: not named {missing:?}, named but absent {stale:?}"
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "docs/causes.md **Rules.** paragraphs: {wrong:#?}"
    );
}

#[test]
fn the_contents_line_lists_every_section() {
    let doc = doc();
    let contents = doc
        .lines()
        .skip_while(|line| !line.starts_with("Contents:"))
        .take_while(|line| !line.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(!contents.is_empty(), "docs/causes.md has a Contents: line");
    let listed: BTreeSet<String> = contents
        .split("](#")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .map(str::to_string)
        .collect();
    let sections: BTreeSet<String> = cause_sections(&doc).into_keys().collect();
    assert_eq!(
        listed, sections,
        "Contents: (left) and the cause sections (right) differ"
    );
}

#[test]
fn the_section_reader_reads_rule_names() {
    let section =
        "## x\n\n**Rules.** `oom-kill.dmesg` (with `dmesg`, `x.json`), `a.b-c`.\n\nOther `a.e`.";
    let causes = BTreeSet::from(["a", "oom-kill"]);
    let names: Vec<String> = rules_named(section, &causes).into_iter().collect();
    assert_eq!(names, ["a.b-c", "oom-kill.dmesg"]);
}
