//! `logscan rules test rules/` as part of `cargo test`: every built-in rule's
//! test cases and derived negatives must pass.

use std::path::Path;

use logscan_engine::ruletest::{self, RunOptions};

#[test]
fn the_built_in_rule_pack_passes_its_own_tests() {
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let report = ruletest::run(&[rules.as_path()], RunOptions::default());
    let counts = report.counts();
    assert!(
        counts.cases >= 50,
        "the pack has its test cases ({counts:?})"
    );
    assert!(report.passed(), "{}", report.render_text(false));
}
