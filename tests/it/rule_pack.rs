//! `logscan rules test rules/` as part of `cargo test`: every built-in rule's
//! test file is a valid test file, its test cases and derived negatives must
//! pass, and no built-in matcher keeps large files from streaming.

use crate::common;

use std::path::Path;

use logscan_engine::ruletest::{self, RunOptions};

#[test]
fn the_built_in_rule_pack_passes_its_own_tests() {
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let report = ruletest::run(&[rules.as_path()], RunOptions::default());
    // Every test file parses (named first, more readable than the whole report).
    let schema: Vec<String> = report
        .files
        .iter()
        .flat_map(|f| &f.problems)
        .filter(|p| p.kind == "schema")
        .map(|p| format!("{}: {}", p.location(), p.message))
        .collect();
    assert_eq!(schema, Vec::<String>::new());
    assert!(
        report.files.len() >= 10,
        "{} test files",
        report.files.len()
    );
    let counts = report.counts();
    assert!(
        counts.cases >= 50,
        "the pack has its test cases ({counts:?})"
    );
    assert!(report.passed(), "{}", report.render_text(false));
}

#[test]
fn no_built_in_matcher_without_literals_reads_every_format() {
    let open: Vec<String> = common::builtin_engine()
        .rules()
        .rules
        .iter()
        .flat_map(|r| {
            r.unfiltered_everywhere()
                .into_iter()
                .map(move |id| format!("{}: {id}", r.id))
        })
        .collect();
    assert!(open.is_empty(), "limit these with `from:`: {open:?}");
}

#[test]
fn rules_check_warns_about_a_matcher_that_keeps_files_from_streaming() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("rules-check-open");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("open.yaml"),
        "id: test.open\ncause: some-cause\ntitle: t\nconfidence: 0.5\ndiagnosis: {summary: s}\n\
         steps:\n  - id: err\n    match: {level: error}\n",
    )
    .unwrap();
    let o = common::logscan(&["rules", "check", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    assert_eq!(common::stdout(&o), "1 rules OK\n");
    // The warning names the file and the step's line.
    assert_eq!(
        common::stderr(&o),
        format!(
            "logscan: warning: {}:7: rule test.open: `err` has a matcher without literal text that reads every format: \
             it runs on every record and large files are read whole, not streamed (limit it with `from:`; docs/rules.md)\n",
            dir.join("open.yaml").display()
        )
    );
}
