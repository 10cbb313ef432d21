use super::*;
use crate::event::Span;
use crate::finding::{FactResult, RecordLoc};
use crate::rule::ir::{Bindings, Fact, FactMode, FactRole, OnMissingKey, OnSourceMissing};

fn rule(id: &str, cause: &str, confidence: f64, explains: &[&str]) -> CompiledRule {
    let mut r = crate::matcher::testkit::rule(id, &["server"], vec![]);
    r.cause = cause.into();
    r.confidence = confidence;
    r.explains = explains.iter().map(|s| s.to_string()).collect();
    r.on_missing_key = OnMissingKey::NullKey;
    r.facts = vec![Fact {
        id: "win".into(),
        role: FactRole::Support,
        weight: 1.0,
        mode: FactMode::Present,
        branches: vec![],
        on_source_missing: OnSourceMissing::Unknown,
        collect: None,
    }];
    r
}

fn finding(rule: usize, server: &str, status: Status, line: u32) -> Finding {
    let loc = RecordLoc {
        source: 0,
        seq: line,
        span: Span {
            start: line as u64 * 10,
            end: line as u64 * 10 + 5,
            line,
            end_line: line,
        },
        ts: None,
        highlights: vec![],
    };
    Finding {
        rule,
        status,
        key: vec![("server".into(), server.into())],
        vars: Bindings::default(),
        occurrences: 1,
        steps: vec![StepEvidence::Record {
            step: "s".into(),
            first: loc.clone(),
            last: loc,
            count: 1,
        }],
        facts: vec![],
        unchecked_time: 0,
        order_uncertain: false,
        evicted: 0,
    }
}

fn set(rules: Vec<CompiledRule>) -> RuleSet {
    RuleSet {
        rules,
        prefilter: Default::default(),
    }
}

#[test]
fn cause_absorbs_the_symptom_it_explains_for_the_same_server() {
    let rules = set(vec![
        rule(
            "shim.enoent",
            "windows-npx-shim",
            0.85,
            &["server-disconnected"],
        ),
        rule("disc", "server-disconnected", 0.3, &[]),
    ]);
    let fs = vec![
        finding(0, "ctx", Status::Confirmed, 2),
        finding(1, "ctx", Status::Confirmed, 3),
        finding(1, "other", Status::Confirmed, 4),
    ];
    let r = rank(&rules, &fs);
    assert_eq!(r.causes.len(), 2);
    assert_eq!(r.causes[0].cause, "windows-npx-shim");
    assert_eq!(r.causes[0].findings, vec![0, 1]);
    assert_eq!(r.causes[0].absorbed, vec![1]);
    assert_eq!(r.causes[1].cause, "server-disconnected");
    assert_eq!(r.causes[1].findings, vec![2]);
    // logit(0.85) + 0.25 explained-symptom bonus
    assert!((r.causes[0].logodds - (logit(0.85) + 0.25)).abs() < 1e-9);
    assert_eq!(r.causes[0].verdict, Verdict::Likely);
    assert_eq!(r.causes[1].verdict, Verdict::Possible);
}

#[test]
fn a_null_key_agrees_with_any_server() {
    let rules = set(vec![
        rule(
            "shim.enoent",
            "windows-npx-shim",
            0.85,
            &["server-disconnected"],
        ),
        rule("disc", "server-disconnected", 0.3, &[]),
    ]);
    let fs = vec![
        finding(0, "", Status::Confirmed, 2),
        finding(1, "ctx", Status::Confirmed, 3),
    ];
    let r = rank(&rules, &fs);
    assert_eq!(r.causes.len(), 1);
    assert_eq!(r.causes[0].absorbed, vec![1]);
}

#[test]
fn close_calls_are_two_possible_causes() {
    let rules = set(vec![
        rule("a", "cause-a", 0.8, &[]),
        rule("b", "cause-b", 0.75, &[]),
    ]);
    let fs = vec![
        finding(0, "x", Status::Confirmed, 1),
        finding(1, "x", Status::Confirmed, 2),
    ];
    let r = rank(&rules, &fs);
    assert_eq!(r.causes.len(), 2);
    assert!(r.causes.iter().all(|c| c.verdict == Verdict::Possible));
    assert_eq!(r.causes[0].cause, "cause-a");
}

#[test]
fn partial_and_inconclusive_lower_or_remove() {
    let rules = set(vec![
        rule("a", "cause-a", 0.8, &[]),
        rule("b", "cause-b", 0.8, &[]),
    ]);
    let fs = vec![
        finding(0, "x", Status::Partial, 1),
        finding(1, "x", Status::Inconclusive, 2),
    ];
    let r = rank(&rules, &fs);
    assert_eq!(r.inconclusive, vec![1]);
    assert_eq!(r.causes.len(), 1);
    assert!((r.causes[0].logodds - (logit(0.8) - 1.0)).abs() < 1e-9);
    assert_eq!(
        r.causes[0].verdict,
        Verdict::Possible,
        "0.59 is below the likely threshold"
    );
}

#[test]
fn support_facts_add_their_weight_and_weak_causes_fall_below_the_floor() {
    let rules = set(vec![
        rule("a", "cause-a", 0.6, &[]),
        rule("weak", "weak", 0.1, &[]),
    ]);
    let mut f = finding(0, "x", Status::Confirmed, 1);
    f.facts.push(FactResult {
        id: "win".into(),
        value: Truth::True,
        evidence: None,
    });
    let r = rank(&rules, &[f, finding(1, "x", Status::Confirmed, 2)]);
    assert_eq!(r.causes.len(), 1, "the 0.1 cause is under the floor");
    assert!((r.causes[0].logodds - (logit(0.6) + 1.0)).abs() < 1e-9);
    assert_eq!(r.causes[0].verdict, Verdict::Likely);
}

#[test]
fn order_is_deterministic_on_ties() {
    let rules = set(vec![
        rule("b.rule", "cause-b", 0.5, &[]),
        rule("a.rule", "cause-a", 0.5, &[]),
    ]);
    let fs = vec![
        finding(0, "x", Status::Confirmed, 5),
        finding(1, "x", Status::Confirmed, 5),
    ];
    let r1 = rank(&rules, &fs);
    let r2 = rank(&rules, &fs);
    assert_eq!(r1, r2);
    assert_eq!(
        r1.causes[0].cause, "cause-a",
        "equal score, severity and evidence: rule id decides"
    );
}

mod props {
    //! Invariants of the verdicts on random finding sets: what `likely` promises
    //! (docs/causes.md) holds for any input, not only the hand-made cases above.
    use super::*;
    use proptest::prelude::*;

    const CAUSES: [&str; 4] = ["cause-a", "cause-b", "cause-c", "server-disconnected"];

    /// Six rules over four causes (two per cause for a and b), the last a symptom.
    fn rules(confidences: &[f64]) -> RuleSet {
        let causes = [0, 0, 1, 1, 2, 3];
        set(confidences
            .iter()
            .zip(causes)
            .enumerate()
            .map(|(i, (&c, cause))| {
                let explains: &[&str] = if cause < 3 {
                    &["server-disconnected"]
                } else {
                    &[]
                };
                rule(&format!("r{i}"), CAUSES[cause], c, explains)
            })
            .collect())
    }

    fn findings() -> impl Strategy<Value = Vec<Finding>> {
        let one = (
            0usize..6,
            0usize..3,
            0u8..3,
            1u32..6,
            any::<bool>(),
            0u32..3,
        )
            .prop_map(|(rule, server, status, occ, fact, unchecked)| {
                let mut f = finding(rule, ["x", "y", ""][server], Status::Confirmed, occ);
                f.status =
                    [Status::Confirmed, Status::Partial, Status::Inconclusive][status as usize];
                f.occurrences = occ;
                f.unchecked_time = unchecked;
                if fact {
                    f.facts = vec![FactResult {
                        id: "win".into(),
                        value: Truth::True,
                        evidence: None,
                    }];
                }
                f
            });
        prop::collection::vec(one, 0..8)
    }

    proptest! {
        #[test]
        fn verdicts_keep_their_promise(
            confidences in prop::collection::vec(0.3f64..0.95, 6),
            fs in findings(),
        ) {
            let rules = rules(&confidences);
            let r = rank(&rules, &fs);
            for (i, c) in r.causes.iter().enumerate() {
                // Every reported cause clears the floor, in descending order.
                prop_assert!(c.score >= FLOOR);
                if i > 0 {
                    prop_assert!(r.causes[i - 1].logodds >= c.logodds);
                    // Only the first cause can be likely.
                    prop_assert_eq!(c.verdict, Verdict::Possible);
                }
                // Each finding sits under exactly one cause; inconclusive ones under none.
                for &f in &c.findings {
                    prop_assert!(fs[f].status != Status::Inconclusive);
                }
            }
            let listed: usize = r.causes.iter().map(|c| c.findings.len()).sum();
            let mut all: Vec<usize> = r.causes.iter().flat_map(|c| c.findings.clone()).collect();
            all.sort_unstable();
            all.dedup();
            prop_assert_eq!(all.len(), listed);
            if let Some(top) = r.causes.first() {
                let lead = r.causes.get(1).map_or(f64::INFINITY, |s| top.logodds - s.logodds);
                // Likely exactly when strong and clearly ahead: close calls stay two possibles.
                prop_assert_eq!(
                    top.verdict == Verdict::Likely,
                    top.score >= LIKELY_MIN && lead >= LIKELY_LEAD
                );
            }
            // The ranking does not depend on the order the matcher found things in.
            let mut rev = fs.clone();
            rev.reverse();
            let r2 = rank(&rules, &rev);
            let names = |r: &Ranking| -> Vec<(String, Verdict, u64)> {
                r.causes.iter().map(|c| (c.cause.clone(), c.verdict, (c.score * 1e9) as u64)).collect()
            };
            prop_assert_eq!(names(&r), names(&r2));
        }

        #[test]
        fn a_lone_ambiguous_signal_cannot_become_likely_by_repeating(
            occurrences in 1u32..10_000,
        ) {
            // A rule at confidence 0.55 (an ambiguous single signal, e.g. a bare
            // `spawn X ENOENT`) stays `possible` however often it repeats.
            let rules = rules(&[0.55, 0.3, 0.3, 0.3, 0.3, 0.3]);
            // Neither repetition nor the disconnect it explains lifts it.
            let mut f = finding(0, "x", Status::Confirmed, 1);
            f.occurrences = occurrences;
            let mut symptom = finding(5, "x", Status::Confirmed, 2);
            symptom.occurrences = occurrences;
            let r = rank(&rules, &[f, symptom]);
            prop_assert_eq!(&r.causes[0].absorbed, &vec![1]);
            prop_assert_eq!(r.causes.len(), 1);
            prop_assert_eq!(r.causes[0].verdict, Verdict::Possible);
        }
    }
}
