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
    // logit(0.85) + 0.5 explained-symptom bonus
    assert!((r.causes[0].logodds - (logit(0.85) + 0.5)).abs() < 1e-9);
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
