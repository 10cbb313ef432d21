//! The prefilter never rules out a predicate that matches.

use std::borrow::Cow;
use std::sync::OnceLock;

use logscan_engine::event::{Event, EventRef, Span, Value};
use logscan_engine::rule::ir::{Bindings, RecordPredicate};
use logscan_engine::rule::prefilter::{Candidates, Prefilter};
use logscan_engine::rule::record::Matcher;
use logscan_engine::rule::yaml as yamlpos;
use proptest::prelude::*;

const MATCHERS: &[&str] = &[
    "{msg|contains: spawn npx}",
    "{msg|contains|cased: ENOENT}",
    "{msg|startswith: mcp server}",
    "{msg|endswith: enoent}",
    "{msg: kill}",
    "{msg|contains: [kill, server]}",
    "{msg|contains|all: [spawn, enoent]}",
    r#"{msg|re: 'spawn (?P<cmd>npx|npm) ENOENT'}"#,
    r#"{msg|re: 'kill(ed)? server'}"#,
    r#"{msg|re|cased: 'Server "(?P<server>[^"]+)"'}"#,
    r#"{msg|re: '(?i)größe \w+'}"#,
    "{text|contains: '[error]'}",
    "{msg|contains: 'say \"hi'}",
    "{msg|contains: Größe}",
    "{msg|contains: /mnt/c}",
    "selections:\n  a: {msg|contains: retrying}\n  b: {msg|contains: ok}\ncondition: a and not b\n",
    "selections:\n  a: {msg|contains: econnrefused}\n  b: {msg|re: 'hang ?up'}\ncondition: 1 of them\n",
    "{level: error}",
];

const FRAGMENTS: &[&str] = &[
    "spawn",
    "SPAWN",
    "npx",
    "npm",
    " ",
    "ENOENT",
    "enoent",
    "EnoEnt",
    "\"",
    "\\",
    "\u{212A}ill",
    "kill",
    "KILL",
    "killed",
    "server",
    "\u{17F}erver",
    "Server",
    "MCP",
    "mcp",
    "Größe",
    "GRÖSSE",
    "datei",
    "/mnt/c",
    "\\/mnt\\/c",
    "econnrefused",
    "hang up",
    "hangup",
    "retrying",
    "ok",
    "é",
    "\n",
    "[error]",
    "[ERROR]",
    "say",
    "hi",
    "x",
];

fn record() -> impl Strategy<Value = (String, String)> {
    let part = prop::sample::select(FRAGMENTS);
    (
        prop::collection::vec(part.clone(), 0..4),
        prop::collection::vec(part, 0..10),
    )
        .prop_map(|(p, m)| (p.concat(), m.concat()))
}

fn compiled() -> &'static (Vec<Matcher>, Prefilter) {
    static SET: OnceLock<(Vec<Matcher>, Prefilter)> = OnceLock::new();
    SET.get_or_init(|| {
        let matchers: Vec<Matcher> = MATCHERS
            .iter()
            .map(|y| Matcher::compile(&yamlpos::parse(y).unwrap().unwrap()).unwrap())
            .collect();
        let refs: Vec<&dyn RecordPredicate> =
            matchers.iter().map(|m| m as &dyn RecordPredicate).collect();
        let pf = Prefilter::build(&refs);
        (matchers, pf)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn a_match_is_always_a_candidate((prefix, msg) in record()) {
        let (matchers, pf) = compiled();

        let text = format!("{prefix}{msg}");
        let event = Event {
            source: 0,
            seq: 0,
            span: Span::default(),
            text: 0..text.len() as u32,
            ts: None,
            level: None,
            fields: vec![(Cow::Borrowed("msg"), Value::Text(prefix.len() as u32..text.len() as u32))],
        };
        let ev = EventRef { event: &event, source_text: &text, format: "plain" };
        let mut cands = Candidates::default();
        pf.candidates(&text, &mut cands);
        for (id, m) in matchers.iter().enumerate() {
            let mut b = Bindings::default();
            let mut hl = Vec::new();
            if m.eval(&ev, &mut b, &mut hl) {
                prop_assert!(cands.may_match(id as u32), "matcher {} matched {:?} but was ruled out", MATCHERS[id], text);
            }
        }
    }
}

#[test]
fn candidates_are_exact_for_a_known_record() {
    let matchers: Vec<Matcher> = [
        "{msg|contains: spawn npx}",
        "{msg|contains: econnrefused}",
        "{level: error}",
    ]
    .iter()
    .map(|y| Matcher::compile(&yamlpos::parse(y).unwrap().unwrap()).unwrap())
    .collect();
    let refs: Vec<&dyn RecordPredicate> =
        matchers.iter().map(|m| m as &dyn RecordPredicate).collect();
    let pf = Prefilter::build(&refs);
    let mut c = Candidates::default();
    pf.candidates("Error: SPAWN NPX ENOENT", &mut c);
    assert_eq!(
        (c.may_match(0), c.may_match(1), c.may_match(2)),
        (true, false, true)
    );
    pf.candidates("connect ECONNREFUSED", &mut c);
    assert_eq!(
        (c.may_match(0), c.may_match(1), c.may_match(2)),
        (false, true, true)
    );
    assert!(!c.may_match(99));
}
