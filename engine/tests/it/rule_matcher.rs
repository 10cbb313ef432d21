//! The Sigma-style single-record matcher: every modifier and condition form.

use std::borrow::Cow;
use std::ops::Range;

use logscan_engine::event::{Event, EventRef, Level, Span, Value};
use logscan_engine::rule::ir::{Bindings, RecordPredicate};
use logscan_engine::rule::record::Matcher;
use logscan_engine::rule::yaml as yamlpos;

/// A source text of `prefix` + `msg`, with one event whose `msg` is a slice of it.
struct Rec {
    text: String,
    event: Event,
}

fn rec(prefix: &str, msg: &str, extra: Vec<(&'static str, Value)>) -> Rec {
    let text = format!("{prefix}{msg}");
    let start = prefix.len() as u32;
    let end = text.len() as u32;
    let mut fields: Vec<(Cow<'static, str>, Value)> =
        vec![(Cow::Borrowed("msg"), Value::Text(start..end))];
    fields.extend(extra.into_iter().map(|(k, v)| (Cow::Borrowed(k), v)));
    let event = Event {
        source: 0,
        seq: 0,
        span: Span::default(),
        text: 0..end,
        ts: None,
        level: Some(Level::Error),
        fields,
    };
    Rec { text, event }
}

fn m(yaml: &str) -> Matcher {
    let node = yamlpos::parse(yaml).unwrap().unwrap();
    Matcher::compile(&node).unwrap()
}

fn compile_err(yaml: &str) -> Vec<String> {
    let node = yamlpos::parse(yaml).unwrap().unwrap();
    Matcher::compile(&node)
        .unwrap_err()
        .into_iter()
        .map(|e| e.message)
        .collect()
}

/// Evaluates with `binds`; returns (matched, binds after, highlights).
fn run_with(m: &Matcher, r: &Rec, mut binds: Bindings) -> (bool, Bindings, Vec<Range<u32>>) {
    let ev = EventRef {
        event: &r.event,
        source_text: &r.text,
        format: "claude-code-debug",
    };
    let mut hl = Vec::new();
    let ok = m.eval(&ev, &mut binds, &mut hl);
    (ok, binds, hl)
}

fn hit(yaml: &str, r: &Rec) -> bool {
    run_with(&m(yaml), r, Bindings::default()).0
}

fn plain(msg: &str) -> Rec {
    rec("2025-06-03T07:23:52.664Z [ERROR] ", msg, vec![])
}

#[test]
fn equality_is_case_insensitive_unless_cased() {
    let r = plain("Server disconnected");
    assert!(hit("{msg: server disconnected}", &r));
    assert!(!hit("{msg: server}", &r));
    assert!(!hit("{msg|cased: server disconnected}", &r));
    assert!(hit("{msg|cased: Server disconnected}", &r));
}

#[test]
fn contains_startswith_endswith() {
    let r = plain("MCP server \"ctx7\": Connection failed: spawn npx ENOENT");
    assert!(hit("{msg|contains: SPAWN NPX}", &r));
    assert!(!hit("{msg|contains|cased: SPAWN NPX}", &r));
    assert!(hit("{msg|startswith: mcp server}", &r));
    assert!(!hit("{msg|startswith: server}", &r));
    assert!(hit("{msg|endswith: enoent}", &r));
    assert!(!hit("{msg|endswith: spawn}", &r));
}

#[test]
fn lists_are_or_and_all_makes_them_and() {
    let r = plain("connect ECONNREFUSED 127.0.0.1:3000 (SSE)");
    assert!(hit("{msg|contains: [EPIPE, ECONNREFUSED]}", &r));
    assert!(!hit("{msg|contains: [EPIPE, ETIMEDOUT]}", &r));
    assert!(hit("{msg|contains|all: [econnrefused, sse]}", &r));
    assert!(!hit("{msg|contains|all: [econnrefused, stdio]}", &r));
}

#[test]
fn keys_are_anded() {
    let r = plain("spawn npx ENOENT");
    assert!(hit("{msg|contains: enoent, level: error}", &r));
    assert!(!hit("{msg|contains: enoent, level: warn}", &r));
    assert!(hit("{format: claude-code-debug}", &r));
}

#[test]
fn regex_is_case_insensitive_unless_cased() {
    let r = plain("spawn NPX ENOENT");
    assert!(hit(r"{msg|re: 'spawn npx \w+'}", &r));
    assert!(!hit(r"{msg|re|cased: 'spawn npx \w+'}", &r));
    assert!(hit(r"{msg|re|cased: 'spawn NPX \w+'}", &r));
}

#[test]
fn exists_and_null() {
    let r = rec(
        "",
        "exited",
        vec![
            ("exit_code", Value::Int(137)),
            ("server", Value::Owned("".into())),
        ],
    );
    assert!(hit("{exit_code|exists: true}", &r));
    assert!(!hit("{exit_code|exists: false}", &r));
    assert!(hit("{pid|exists: false}", &r));
    assert!(hit("{text|exists: true}", &r));
    assert!(hit("{pid: null}", &r));
    assert!(hit("{server: null}", &r));
    assert!(!hit("{exit_code: null}", &r));
}

#[test]
fn numeric_comparisons() {
    let r = rec(
        "",
        "exited",
        vec![
            ("exit_code", Value::Int(137)),
            ("pid", Value::Owned(" 42 ".into())),
        ],
    );
    assert!(hit("{exit_code|gt: 128}", &r));
    assert!(!hit("{exit_code|gt: 137}", &r));
    assert!(hit("{exit_code|gte: 137}", &r));
    assert!(hit("{exit_code|lt: 138}", &r));
    assert!(!hit("{exit_code|lte: 136}", &r));
    assert!(hit("{pid|lte: 42.5}", &r));
    assert!(hit("{exit_code: 137}", &r));
    assert!(!hit("{msg|gt: 1}", &r));
    assert!(!hit("{missing|gt: 1}", &r));
}

#[test]
fn named_groups_bind_and_unify() {
    let r = plain("MCP server \"github\": spawn npx ENOENT");
    let mm = m(r#"{msg|re: 'server "(?P<server>[^"]+)": spawn (?P<cmd>\w+)'}"#);
    let (ok, b, _) = run_with(&mm, &r, Bindings::default());
    assert!(ok);
    assert_eq!(b.get("server"), Some("github"));
    assert_eq!(b.get("cmd"), Some("npx"));
    assert_eq!(mm.binds(), vec!["server".to_string(), "cmd".to_string()]);

    // Already bound to the same value: match; to another: no match, binds untouched.
    let mut pre = Bindings::default();
    pre.unify("server", "github");
    assert!(run_with(&mm, &r, pre.clone()).0);
    let mut other = Bindings::default();
    other.unify("server", "filesystem");
    let (ok, b, hl) = run_with(&mm, &r, other.clone());
    assert!(!ok);
    assert_eq!(b, other);
    assert!(hl.is_empty());
}

#[test]
fn unification_tries_later_occurrences() {
    let r = plain("server \"a\" then server \"b\"");
    let mm = m(r#"{msg|re: 'server "(?P<server>\w)"'}"#);
    let mut pre = Bindings::default();
    pre.unify("server", "b");
    let (ok, _, hl) = run_with(&mm, &r, pre);
    assert!(ok);
    let prefix = "2025-06-03T07:23:52.664Z [ERROR] ".len() as u32;
    assert_eq!(hl, vec![prefix + 24..prefix + 25]);
}

#[test]
fn highlights_are_absolute_offsets() {
    let prefix = "2025-06-03T07:23:52.664Z [ERROR] ";
    let p = prefix.len() as u32;
    let r = plain("spawn npx ENOENT");
    assert_eq!(
        run_with(&m("{msg|contains: NPX}"), &r, Bindings::default()).2,
        vec![p + 6..p + 9]
    );
    assert_eq!(
        run_with(
            &m("{msg|contains|all: [spawn, enoent]}"),
            &r,
            Bindings::default()
        )
        .2,
        vec![p..p + 5, p + 10..p + 16]
    );
    assert_eq!(
        run_with(&m(r"{msg|re: 'n(p)x'}"), &r, Bindings::default()).2,
        vec![p + 7..p + 8]
    );
    assert_eq!(
        run_with(&m(r"{msg|re: 'npx'}"), &r, Bindings::default()).2,
        vec![p + 6..p + 9]
    );
    assert_eq!(
        run_with(&m("{text|contains: ERROR}"), &r, Bindings::default()).2,
        vec![26..31]
    );
    // Owned values have no place in the source text: no highlights, still a match.
    let owned = rec("", "x", vec![("command", Value::Owned("npx".into()))]);
    let (ok, _, hl) = run_with(&m("{command: npx}"), &owned, Bindings::default());
    assert!(ok);
    assert!(hl.is_empty());
}

#[test]
fn failed_and_leaves_binds_and_highlights_untouched() {
    let r = plain("MCP server \"github\": spawn npx ENOENT");
    let mm = m(r#"{msg|re: 'server "(?P<server>[^"]+)"', level: warn}"#);
    let (ok, b, hl) = run_with(&mm, &r, Bindings::default());
    assert!(!ok);
    assert!(b.is_empty());
    assert!(hl.is_empty());
}

#[test]
fn list_of_maps_is_an_or() {
    let r = plain("socket hang up");
    assert!(hit(
        "[{msg|contains: econnrefused}, {msg|contains: hang up}]",
        &r
    ));
    assert!(!hit(
        "[{msg|contains: econnrefused}, {msg|contains: epipe}]",
        &r
    ));
}

#[test]
fn named_selections_and_conditions() {
    let sel = "selections:\n  sel_spawn: {msg|contains: spawn}\n  sel_init: {msg|contains: initializing}\n  filter_test: {msg|contains: inspector}\n";
    let with = |c: &str| m(&format!("{sel}condition: {c}\n"));
    let spawn = plain("spawn npx ENOENT");
    let insp = plain("spawn mcp-inspector");
    let init = plain("Initializing server...");
    let run = |mm: &Matcher, r: &Rec| run_with(mm, r, Bindings::default()).0;

    let c = with("1 of sel_* and not filter_test");
    assert_eq!(
        (run(&c, &spawn), run(&c, &insp), run(&c, &init)),
        (true, false, true)
    );
    let c = with("all of sel_*");
    assert_eq!((run(&c, &spawn), run(&c, &init)), (false, false));
    let c = with("1 of them");
    assert_eq!(
        (run(&c, &spawn), run(&c, &insp), run(&c, &init)),
        (true, true, true)
    );
    let c = with("all of them");
    assert!(!run(&c, &insp));
    let c = with("sel_spawn and (filter_test or sel_init)");
    assert_eq!((run(&c, &spawn), run(&c, &insp)), (false, true));
    let c = with("not sel_spawn");
    assert_eq!((run(&c, &spawn), run(&c, &init)), (false, true));
}

#[test]
fn negated_selections_never_bind() {
    let mm = m(
        "selections:\n  a: {msg|contains: x}\n  b: {msg|re: '(?P<v>y)'}\ncondition: a and not b\n",
    );
    assert_eq!(mm.binds(), Vec::<String>::new());
    let r = plain("x z");
    let (ok, b, _) = run_with(&mm, &r, Bindings::default());
    assert!(ok);
    assert!(b.is_empty());
}

#[test]
fn required_literals() {
    assert_eq!(
        m("{msg|contains: ENOENT}").required_literals(),
        Some(vec!["enoent".into()])
    );
    assert_eq!(
        m("{msg|contains: [EPIPE, ECONNRESET]}").required_literals(),
        Some(vec!["epipe".into(), "econnreset".into()])
    );
    // AND picks the most selective key; non-text fields do not count.
    assert_eq!(
        m("{msg|contains: abc, text|contains: longer literal, server: github}").required_literals(),
        Some(vec!["longer literal".into()])
    );
    assert_eq!(m("{server: github}").required_literals(), None);
    assert_eq!(m("{msg|contains: [abc, ab]}").required_literals(), None);
    assert_eq!(
        m(r#"{msg|contains: 'say "hi there"'}"#).required_literals(),
        Some(vec!["hi there".into()])
    );
    assert_eq!(m("{msg|contains: Größe}").required_literals(), None);
    assert_eq!(
        m("selections:\n  a: {msg|contains: alpha}\n  b: {msg|contains: beta}\ncondition: a or not b\n").required_literals(),
        None
    );
    assert_eq!(
        m("selections:\n  a: {msg|contains: alpha}\n  b: {msg|contains: beta}\ncondition: a or b\n").required_literals(),
        Some(vec!["alpha".into(), "beta".into()])
    );
}

#[test]
fn compile_errors() {
    assert_eq!(
        compile_err("{}"),
        vec!["empty matcher: it would match every record"]
    );
    assert_eq!(
        compile_err("just text"),
        vec!["a matcher is a map of `field|modifier: value` (e.g. `msg|contains: ENOENT`)"]
    );
    assert_eq!(
        compile_err("{msg|contains: ''}"),
        vec!["empty value for `msg|contains` matches everything"]
    );
    assert_eq!(
        compile_err("{msg|gt: abc}"),
        vec!["`msg|gt` compares numbers: `gt` needs a number"]
    );
    assert_eq!(
        compile_err("{msg|cased|exists: true}"),
        vec!["`cased` has no meaning with `exists` in `msg|cased|exists`"]
    );
    assert_eq!(
        compile_err("{msg|contains: []}"),
        vec!["empty list for `msg|contains` never matches"]
    );
    assert_eq!(
        compile_err("{'|re': x}"),
        vec!["missing field name in matcher key `|re`"]
    );
    assert_eq!(
        compile_err("{msg|contains: {a: b}}"),
        vec!["the value of `msg|contains` must be a string, number or list of them"]
    );
}
