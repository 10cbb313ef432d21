//! Property test: the sequence automaton against the brute-force reference.
//!
//! Small random logs (2-3 sources, up to 12 records each, three servers, equal
//! and missing timestamps, untimed sources) and random rule shapes (2-4 steps,
//! maxspan, max_gap, within, after, count, broadcast step, mid and trailing
//! absence, until, null keys, per-step source restriction, `order_tolerance`
//! letting a step from another source precede the previous one). For every case the
//! set of (rule, key) with a confirmed finding must be the same.
//!
//! Streaming: the same logs cut into segments at random points must give
//! exactly the same output as each source in one segment.

use std::collections::BTreeSet;

use logscan_engine::finding::Status;
use logscan_engine::matcher::testkit::{self, branch_from, Contains};
use logscan_engine::matcher::{reference, run, run_streams, MatchOptions};
use logscan_engine::rule::ir::{CompiledRule, Count, OnMissingKey, Step};
use proptest::prelude::*;

const LETTERS: [&str; 6] = ["eva", "evb", "evc", "evx", "evu", "evs"];
const KEYS: [&str; 3] = ["s1", "s2", "s3"];
const FORMATS: [&str; 3] = ["fmt-a", "fmt-b", "fmt-c"];

/// (source, letter, key (3 = none), ts step in 500 ms units, ts missing, key in a field)
type RecSpec = (usize, usize, usize, i64, bool, bool);

#[derive(Clone, Debug)]
struct StepSpec {
    letter: usize,
    within: Option<i64>,
    count: Option<(u32, Option<u32>)>,
    broadcast: bool,
    only_a: bool,
    after_first: bool,
    /// The step's predicate binds nothing: the key comes from the `server` field.
    field_key: bool,
}

#[derive(Clone, Debug)]
struct RuleSpec {
    steps: Vec<StepSpec>,
    mid_absent: Option<usize>,
    trailing: Option<i64>,
    until: bool,
    /// The mid absence and the until are keyless (broadcast / global).
    keyless_guards: bool,
    maxspan: Option<i64>,
    max_gap: Option<i64>,
    null_key: bool,
    order_tolerance: i64,
}

fn step_spec() -> impl Strategy<Value = StepSpec> {
    (
        0..3usize,
        prop::option::weighted(0.4, 0..6i64),
        prop::option::weighted(0.25, (1..3u32, prop::option::of(0..2u32))),
        prop::bool::weighted(0.15),
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.25),
    )
        .prop_map(
            |(letter, within, count, broadcast, only_a, after_first, field_key)| StepSpec {
                letter,
                within: within.map(|w| w * 500),
                count: count.map(|(min, extra)| (min, extra.map(|e| min + e))),
                broadcast,
                only_a,
                after_first,
                field_key,
            },
        )
}

fn rule_spec() -> impl Strategy<Value = RuleSpec> {
    (
        prop::collection::vec(step_spec(), 2..=4),
        prop::option::weighted(0.3, 1..4usize),
        prop::option::weighted(0.3, 0..6i64),
        prop::bool::weighted(0.3),
        prop::option::weighted(0.4, 0..10i64),
        prop::option::weighted(0.2, 0..6i64),
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.25),
        prop_oneof![3 => Just(0i64), 2 => 1..5i64],
    )
        .prop_map(
            |(
                steps,
                mid_absent,
                trailing,
                until,
                maxspan,
                max_gap,
                null_key,
                keyless_guards,
                tolerance,
            )| {
                RuleSpec {
                    steps,
                    mid_absent,
                    trailing: trailing.map(|t| t * 500),
                    until,
                    keyless_guards,
                    maxspan: maxspan.map(|m| m * 500),
                    max_gap: max_gap.map(|m| m * 500),
                    null_key,
                    order_tolerance: tolerance * 500,
                }
            },
        )
}

fn rec_spec() -> impl Strategy<Value = RecSpec> {
    (
        0..3usize,
        prop_oneof![8 => 0..3usize, 5 => 3..6usize],
        prop_oneof![6 => 0..2usize, 1 => Just(2usize), 1 => Just(3usize)],
        prop_oneof![3 => Just(0i64), 5 => 1..4i64],
        prop::bool::weighted(0.15),
        prop::bool::weighted(0.3),
    )
}

fn pred(letter: usize, keyed: bool) -> Contains {
    if keyed {
        Contains::binding(LETTERS[letter], "server")
    } else {
        Contains::new(LETTERS[letter])
    }
}

fn build_step(i: usize, s: &StepSpec, first: bool) -> Step {
    let broadcast = s.broadcast && !first;
    let letter = if broadcast { 5 } else { s.letter };
    let binding = !broadcast && !s.field_key;
    let mut st = testkit::step(&format!("s{i}"), pred(letter, binding));
    st.broadcast = broadcast;
    if s.only_a {
        st.branches = vec![branch_from(pred(letter, binding), &["fmt-a"])];
    }
    if !first {
        st.within = s.within;
    }
    st.count = s.count.map(|(min, max)| Count { min, max });
    st
}

fn build_rule(n: usize, spec: &RuleSpec) -> CompiledRule {
    let mut steps: Vec<Step> = spec
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| build_step(i, s, i == 0))
        .collect();
    // `after:` the first step (only on later positive steps).
    for (i, s) in spec.steps.iter().enumerate().skip(2) {
        if s.after_first {
            steps[i].after = Some(0);
        }
    }
    if let Some(at) = spec.mid_absent {
        let at = at.min(steps.len() - 1).max(1);
        let mut mid = testkit::absent("mid", pred(3, !spec.keyless_guards));
        mid.broadcast = spec.keyless_guards;
        steps.insert(at, mid);
        // Keep `after: 0` pointing at step 0 (inserting after index 0 keeps it valid).
    }
    if let Some(w) = spec.trailing {
        let mut t = testkit::absent("trail", pred(3, true));
        t.within = Some(w);
        steps.push(t);
    }
    let mut r = testkit::rule(&format!("r{n}"), &["server"], steps);
    r.maxspan = spec.maxspan;
    r.max_gap = spec.max_gap;
    r.order_tolerance = spec.order_tolerance;
    if spec.null_key {
        r.on_missing_key = OnMissingKey::NullKey;
    }
    if spec.until {
        r.until = vec![testkit::branch(pred(4, !spec.keyless_guards))];
    }
    r
}

fn build_sources(recs: &[RecSpec], untimed: &[bool]) -> Vec<logscan_engine::parse::ParsedSource> {
    let nsrc = 1 + recs.iter().map(|r| r.0).max().unwrap_or(0);
    let nsrc = nsrc.max(2);
    let mut out = Vec::new();
    for (s, format) in FORMATS.iter().enumerate().take(nsrc) {
        let mut ts = 1_000_000i64;
        let msgs: Vec<(Option<i64>, String, Option<&str>)> = recs
            .iter()
            .filter(|r| r.0 == s)
            .take(12)
            .map(|&(_, letter, key, step, missing, in_field)| {
                ts += step * 500;
                let (msg, field) = match KEYS.get(key) {
                    Some(k) if in_field => (LETTERS[letter].to_string(), Some(*k)),
                    Some(k) => (format!("{} {k}", LETTERS[letter]), None),
                    None => (LETTERS[letter].to_string(), None),
                };
                let t = if missing || untimed.get(s).copied().unwrap_or(false) {
                    None
                } else {
                    Some(ts)
                };
                (t, msg, field)
            })
            .collect();
        let rows: Vec<testkit::Row<'_>> =
            msgs.iter().map(|(t, m, f)| (*t, m.as_str(), *f)).collect();
        out.push(testkit::source(s as u32, format, &rows));
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, .. ProptestConfig::default() })]

    #[test]
    fn automaton_agrees_with_reference(
        recs in prop::collection::vec(rec_spec(), 0..36),
        untimed in prop::collection::vec(prop::bool::weighted(0.15), 3),
        specs in prop::collection::vec(rule_spec(), 1..3),
    ) {
        let sources = build_sources(&recs, &untimed);
        let rules = testkit::rule_set(specs.iter().enumerate().map(|(i, s)| build_rule(i, s)).collect());
        let out = run(&rules, &sources);
        let engine: BTreeSet<(usize, Vec<(String, String)>)> = out
            .findings
            .iter()
            .filter(|f| f.status == Status::Confirmed)
            .map(|f| (f.rule, f.key.clone()))
            .collect();
        let reference = reference::confirmed(&rules, &sources, logscan_engine::matcher::timeline::DEFAULT_MAX_DISORDER);
        prop_assert_eq!(engine, reference, "rules: {:#?}", specs);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, .. ProptestConfig::default() })]

    #[test]
    fn segment_cuts_do_not_change_the_output(
        recs in prop::collection::vec(rec_spec(), 0..36),
        untimed in prop::collection::vec(prop::bool::weighted(0.15), 3),
        specs in prop::collection::vec(rule_spec(), 1..3),
        cuts in prop::collection::vec(prop::collection::vec(0..14usize, 0..8), 3),
    ) {
        let sources = build_sources(&recs, &untimed);
        let rules = testkit::rule_set(specs.iter().enumerate().map(|(i, s)| build_rule(i, s)).collect());
        let whole = run(&rules, &sources);
        let (metas, streams) = testkit::streams(&sources, &cuts);
        let cut = run_streams(&rules, &metas, streams, &MatchOptions::default());
        prop_assert_eq!(cut, whole, "cuts: {:?}", cuts);
    }
}
