//! The literals signal families declare are promises the prefilter relies on:
//! a record a family reads a signal in holds one of the family's literals, and
//! a record whose signal has `field: value` holds one of the literals the
//! family narrows that value to. Checked on every text file of the corpus and
//! the rule fixtures (a broken promise would make a rule miss a real match).

use crate::common;

use std::path::Path;

use logscan_engine::event::EventRef;
use logscan_engine::parse::{self, ParseOptions};
use logscan_engine::signal::{self, FAMILIES};
use logscan_engine::text::SourceText;

fn contains_ci(hay: &str, needle: &str) -> bool {
    hay.to_ascii_lowercase().contains(needle)
}

#[test]
fn declared_and_narrowed_literals_hold_on_every_signal() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut all = common::files_under(&root.join("corpus"));
    all.extend(common::files_under(&root.join("rules")));
    let (mut read, mut signals) = (0, 0);
    let mut broken = Vec::new();
    for path in &all {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue; // UTF-16 and binary fixtures; their text is checked by the unit tests
        };
        read += 1;
        let name = path.display().to_string();
        let p = parse::parse(
            SourceText::identity(&name, text),
            0,
            &ParseOptions::default(),
        );
        for ev in &p.events {
            let r = EventRef {
                event: ev,
                source_text: &p.text.text,
                format: p.format,
            };
            let rec = r.record_text();
            for s in signal::read_all(&r) {
                signals += 1;
                let fam = signal::family(s.kind);
                if !fam.literals.iter().any(|l| contains_ci(rec, l))
                    && !rec.contains(['“', '”', '‘', '’', '„'])
                {
                    broken.push(format!(
                        "{name}:{}: {} without a literal",
                        ev.span.line, fam.name
                    ));
                }
                for (field, v) in &s.fields {
                    if let Some(lits) = (fam.narrow)(field, &v.text) {
                        if !lits.iter().any(|l| contains_ci(rec, l)) {
                            broken.push(format!(
                                "{name}:{}: {} {field}={} holds none of its narrowed literals",
                                ev.span.line, fam.name, v.text
                            ));
                        }
                    }
                }
            }
        }
    }
    assert!(
        read > 100 && signals > 200,
        "{read} files, {signals} signals"
    );
    assert!(FAMILIES.iter().all(|f| !f.literals.is_empty()));
    assert!(broken.is_empty(), "{broken:#?}");
}
