//! docs/signals.md stays true to the signal vocabulary: every family, every
//! field it may set and every literal it declares is documented, and every
//! family has a phrasing table.

use std::path::Path;

use logscan_engine::signal::FAMILIES;

fn doc() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/signals.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_family_and_field_is_documented() {
    let doc = doc();
    assert!(FAMILIES.len() >= 16, "the vocabulary of DESIGN §2a");
    let mut missing = Vec::new();
    for f in FAMILIES {
        let heading = format!("## `{}`", f.name);
        let Some(at) = doc.find(&heading) else {
            missing.push(format!("no section `{heading}`"));
            continue;
        };
        let section = &doc[at..];
        let section = &section[..section[3..].find("\n## ").map_or(section.len(), |e| e + 3)];
        for field in f.fields {
            if !section.contains(&format!("`{field}`")) {
                missing.push(format!("{}: field `{field}`", f.name));
            }
        }
        if !section.contains("| phrasing") {
            missing.push(format!("{}: no phrasing table", f.name));
        }
        if f.literals.is_empty() {
            missing.push(format!("{}: declares no literals", f.name));
        }
    }
    assert!(missing.is_empty(), "docs/signals.md: {missing:#?}");
}
