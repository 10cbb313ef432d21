//! Exact figures on hand-made outcomes.

use super::*;
use crate::eval::summary::{Cell, Group, NoCases};

fn ranked(cause: &str, verdict: Verdict, score: f64, rules: &[&str]) -> Ranked {
    Ranked {
        cause: cause.into(),
        verdict,
        score,
        rules: rules.iter().map(|r| r.to_string()).collect(),
    }
}

fn case(
    name: &str,
    expect: &str,
    confidence: Option<Confidence>,
    result: Result<Vec<Ranked>, String>,
) -> Outcome {
    Outcome {
        name: name.into(),
        path: format!("cases/{name}"),
        expect: Label::parse(expect),
        confidence,
        expect_verdict: None,
        diagnosable: None,
        result,
    }
}

use Confidence::{High, Low, Medium};
use Verdict::{Likely, Possible};

fn outcomes() -> Vec<Outcome> {
    let mut h = case(
        "h",
        "init-timeout",
        None,
        Ok(vec![ranked(
            "init-timeout",
            Possible,
            0.6,
            &["init-timeout.z"],
        )]),
    );
    h.expect_verdict = Some(Likely);
    vec![
        // Right, with an absorbed symptom rule under the expected cause.
        case(
            "a",
            "wrong-host",
            Some(High),
            Ok(vec![ranked(
                "wrong-host",
                Likely,
                0.9,
                &["server-disconnected.b", "wrong-host.a"],
            )]),
        ),
        // Wrong first, right second (top-3 only); server-crash.x sits under both.
        case(
            "b",
            "oom-kill",
            Some(Medium),
            Ok(vec![
                ranked("server-crash", Likely, 0.8, &["server-crash.x"]),
                ranked("oom-kill", Possible, 0.4, &["oom-kill.y", "server-crash.x"]),
            ]),
        ),
        // Low confidence, missed entirely: not in the headline.
        case(
            "c",
            "init-timeout",
            Some(Low),
            Ok(vec![ranked(
                "server-crash",
                Possible,
                0.5,
                &["server-crash.x"],
            )]),
        ),
        case("d", "none", Some(High), Ok(vec![])),
        // `other` with a likely catalogued cause: flagged.
        case(
            "e",
            "other",
            Some(Medium),
            Ok(vec![ranked("wrong-host", Likely, 0.85, &["wrong-host.a"])]),
        ),
        // `other` with only a possible cause: right.
        case(
            "f",
            "other",
            None,
            Ok(vec![ranked("oom-kill", Possible, 0.3, &["oom-kill.y"])]),
        ),
        case("g", "wrong-host", Some(High), Err("case.yaml: bad".into())),
        // Corpus-style: right cause, wrong verdict.
        h,
    ]
}

#[test]
fn accuracy_counts_catalogued_cases_and_the_headline_leaves_out_low() {
    let s = summarize(&outcomes());
    assert_eq!((s.schema, s.cases, s.scored), ("logscan/eval@1", 8, 7));
    assert_eq!(s.catalogued.top1, Ratio::new(2, 4));
    assert_eq!(s.catalogued.top3, Ratio::new(3, 4));
    assert_eq!(s.headline.top1, Ratio::new(2, 3));
    assert_eq!(s.headline.top3, Ratio::new(3, 3));
    let levels: Vec<(&str, Ratio, Ratio)> = s
        .by_confidence
        .iter()
        .map(|l| (l.confidence.as_str(), l.accuracy.top1, l.accuracy.top3))
        .collect();
    assert_eq!(
        levels,
        [
            ("high", Ratio::new(1, 1), Ratio::new(1, 1)),
            ("medium", Ratio::new(0, 1), Ratio::new(1, 1)),
            ("low", Ratio::new(0, 1), Ratio::new(0, 1)),
            ("unlabelled", Ratio::new(1, 1), Ratio::new(1, 1)),
        ]
    );
    assert_eq!(s.verdicts, Ratio::new(0, 1));
}

#[test]
fn none_and_other_are_right_without_a_likely_cause() {
    let s = summarize(&outcomes());
    assert_eq!(s.none_other.no_likely, Ratio::new(2, 3));
    assert_eq!(s.none_other.any_cause, 2);
    assert_eq!(
        s.none_other.likely,
        [Flagged {
            case: "e".into(),
            expect: Label::Other,
            cause: "wrong-host".into(),
            score: 0.85,
        }]
    );
    // a is a right likely; b and e are wrong ones.
    assert_eq!(s.wrong_likely, Ratio::new(2, 3));
    // c and f are wrong possibles (f expects no catalogued cause); h is a right one.
    assert_eq!(s.possible_right, Ratio::new(1, 3));
    let ok: Vec<(&str, bool)> = s.results.iter().map(|r| (r.case.as_str(), r.ok)).collect();
    assert_eq!(
        ok,
        [
            ("a", true),
            ("b", false),
            ("c", false),
            ("d", true),
            ("e", false),
            ("f", true),
            ("h", false),
        ]
    );
    assert_eq!(s.errors.len(), 1);
    assert_eq!(
        (s.errors[0].case.as_str(), s.errors[0].message.as_str()),
        ("g", "case.yaml: bad")
    );
}

#[test]
fn confusion_rows_are_expected_and_columns_ranked_first() {
    let s = summarize(&outcomes());
    let cell = |e: &str, g: &str| Cell {
        expect: e.into(),
        got: g.into(),
        count: 1,
    };
    assert_eq!(
        s.confusion,
        [
            cell("init-timeout", "init-timeout"),
            cell("init-timeout", "server-crash"),
            cell("none", "none"),
            cell("oom-kill", "server-crash"),
            cell("other", "oom-kill"),
            cell("other", "wrong-host"),
            cell("wrong-host", "wrong-host"),
        ]
    );
    let mut twice = outcomes();
    twice.extend(outcomes());
    let s = summarize(&twice);
    assert_eq!(s.confusion.first().map(|c| c.count), Some(2));
}

#[test]
fn rule_precision_counts_cases_under_the_cause_a_finding_sits_in() {
    let s = summarize(&outcomes());
    let rules: Vec<(&str, u32, u32, f64)> = s
        .rules
        .iter()
        .map(|r| (r.rule.as_str(), r.correct, r.fired, r.precision))
        .collect();
    assert_eq!(
        rules,
        [
            ("oom-kill.y", 1, 2, 0.5),
            // Under the wrong first cause and the right second one in b: once, correct.
            ("server-crash.x", 1, 2, 0.5),
            ("wrong-host.a", 1, 2, 0.5),
            ("init-timeout.z", 1, 1, 1.0),
            // An absorbed symptom under the expected cause is correct.
            ("server-disconnected.b", 1, 1, 1.0),
        ]
    );
}

#[test]
fn nothing_to_score_gives_empty_figures() {
    let s = summarize(&[]);
    assert_eq!((s.cases, s.scored), (0, 0));
    assert_eq!(s.headline.top1.rate(), None);
    assert!(s.by_confidence.is_empty() && s.rules.is_empty() && s.confusion.is_empty());
}

/// A case labelled `diagnosable: d` (`None`: no label).
fn dcase(
    name: &str,
    d: Option<Diagnosable>,
    expect: &str,
    confidence: Option<Confidence>,
    result: Result<Vec<Ranked>, String>,
) -> Outcome {
    let mut o = case(name, expect, confidence, result);
    o.diagnosable = d;
    o
}

fn split_outcomes() -> Vec<Outcome> {
    use Diagnosable::{No, Partial, Yes};
    let r = |c: &str, v: Verdict| ranked(c, v, if v == Likely { 0.8 } else { 0.5 }, &[]);
    vec![
        // yes: right and likely.
        dcase("y1", Some(Yes), "a", Some(High), Ok(vec![r("a", Likely)])),
        // yes: second, nothing likely (a top-1 miss, a top-3 hit).
        dcase(
            "y2",
            Some(Yes),
            "a",
            Some(Medium),
            Ok(vec![r("b", Possible), r("a", Possible)]),
        ),
        // yes, low confidence: out of top-1, in wrong-likely (right).
        dcase("y3", Some(Yes), "a", Some(Low), Ok(vec![r("a", Likely)])),
        // yes but `none`: a wrong likely, not clean.
        dcase("y4", Some(Yes), "none", None, Ok(vec![r("b", Likely)])),
        // partial: third (a top-3 hit).
        dcase(
            "p1",
            Some(Partial),
            "a",
            Some(High),
            Ok(vec![r("b", Possible), r("c", Possible), r("a", Possible)]),
        ),
        // partial: fourth (a top-3 miss), under a wrong likely.
        dcase(
            "p2",
            Some(Partial),
            "a",
            Some(Medium),
            Ok(vec![
                r("b", Likely),
                r("c", Possible),
                r("d", Possible),
                r("a", Possible),
            ]),
        ),
        // partial `other` with nothing: clean.
        dcase("p3", Some(Partial), "other", Some(High), Ok(vec![])),
        // no: nothing said.
        dcase("n1", Some(No), "a", Some(High), Ok(vec![])),
        // no: a wrong likely.
        dcase("n2", Some(No), "a", Some(Medium), Ok(vec![r("b", Likely)])),
        // no: a right likely (neither kind).
        dcase("n3", Some(No), "a", Some(Low), Ok(vec![r("a", Likely)])),
        // no, `none`, a possible only: no likely, clean.
        dcase("n4", Some(No), "none", None, Ok(vec![r("b", Possible)])),
        // no label at all.
        dcase("u1", None, "a", None, Ok(vec![r("a", Possible)])),
        // errored: counted nowhere.
        dcase("x1", Some(Yes), "a", Some(High), Err("bad".into())),
    ]
}

#[test]
fn the_diagnosable_split_counts_each_case_once_where_it_belongs() {
    use Diagnosable::{No, Partial, Yes};
    let s = summarize(&split_outcomes());
    let d = &s.diagnosable;
    assert_eq!(d.yes_top1, Ratio::new(1, 2));
    assert_eq!(d.partial_top3, Ratio::new(1, 2));
    // Cases with a likely: y1 y3 y4 p2 n2 n3; wrong: y4 p2 n2.
    assert_eq!(d.wrong_likely, Ratio::new(3, 6));
    // none/other: y4 (a likely), p3, n4.
    assert_eq!(d.clean, Ratio::new(2, 3));
    assert_eq!(
        d.no,
        NoCases {
            cases: 4,
            no_likely: 2,
            wrong_likely: 1,
        }
    );
    let g = |diagnosable, cases, top1, top3, likely, wrong_likely, no_likely| Group {
        diagnosable,
        cases,
        top1,
        top3,
        likely,
        wrong_likely,
        no_likely,
    };
    assert_eq!(
        d.groups,
        [
            g(Some(Yes), 4, Ratio::new(1, 2), Ratio::new(2, 2), 3, 1, 1),
            g(
                Some(Partial),
                3,
                Ratio::new(0, 2),
                Ratio::new(1, 2),
                1,
                1,
                2
            ),
            g(Some(No), 4, Ratio::new(0, 2), Ratio::new(0, 2), 2, 1, 2),
            g(None, 1, Ratio::new(1, 1), Ratio::new(1, 1), 0, 0, 1),
        ]
    );
    let tags: Vec<(&str, Option<Diagnosable>)> = s
        .results
        .iter()
        .map(|r| (r.case.as_str(), r.diagnosable))
        .collect();
    assert_eq!(tags[0], ("y1", Some(Yes)));
    assert_eq!(tags[11], ("u1", None));
    let rank = |i: usize| s.results[i].rank;
    // y1 first, p1 third, p2 fourth, n1 not reported, y4 expects none.
    assert_eq!(
        [rank(0), rank(4), rank(5), rank(7), rank(3)],
        [
            Some(Some(1)),
            Some(Some(3)),
            Some(Some(4)),
            Some(None),
            None
        ]
    );
    assert_eq!(s.results.len(), 12);
    // The existing figures are unchanged by the labels.
    assert_eq!(s.wrong_likely, Ratio::new(3, 6));
    assert_eq!(s.none_other.no_likely, Ratio::new(2, 3));
}

#[test]
fn a_split_without_labels_has_empty_ratios_and_no_groups_but_unlabelled() {
    let s = summarize(&outcomes());
    let d = &s.diagnosable;
    assert_eq!(
        (d.yes_top1, d.partial_top3),
        (Ratio::new(0, 0), Ratio::new(0, 0))
    );
    assert_eq!(d.no, NoCases::default());
    assert_eq!(d.groups.len(), 1);
    assert_eq!((d.groups[0].diagnosable, d.groups[0].cases), (None, 7));
    // a, b, e have a likely; b and e are wrong.
    assert_eq!(d.wrong_likely, Ratio::new(2, 3));
    assert_eq!(d.clean, Ratio::new(2, 3));
    let s = summarize(&[]);
    assert!(s.diagnosable.groups.is_empty());
}
