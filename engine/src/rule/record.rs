//! Sigma-style single-record matchers: compiled from the positioned YAML tree,
//! evaluated against one [`EventRef`].
//!
//! A matcher is a map of `field|modifier|...: value(s)` (keys ANDed, a list
//! value ORed, `|all` makes it an AND), a list of such maps (ORed), or named
//! `selections` combined by a `condition`. Strings compare case-insensitively
//! unless `|cased`; `|re` uses the `regex` crate and its named groups bind
//! variables. This module never looks at more than one record and never
//! touches sequence state.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

use regex::{Regex, RegexBuilder};

use crate::event::{EventRef, Value};
use crate::rule::condition::{self, Expr};
use crate::rule::ir::{Bindings, RecordPredicate};
use crate::rule::limits::{self, MAX_VALUE_BYTES};
use crate::rule::literal;
use crate::rule::yamlpos::{Kind, Node, Pos, Scalar};
use crate::signal::{self, Signal};

/// The modifiers a matcher key may carry.
pub const MODIFIERS: &[&str] = &[
    "contains",
    "startswith",
    "endswith",
    "re",
    "all",
    "cased",
    "exists",
    "gt",
    "gte",
    "lt",
    "lte",
];

/// The record fields rules can name besides JSON keys and `data.<Name>`
/// (Windows event data): the well-known ones, the virtual `level`, `format`
/// and `text`, and those the parsers set. A field that is none of these (nor a
/// signal field) but is close to one is a typo and a load error.
pub const RECORD_FIELDS: &[&str] = &[
    "msg",
    "text",
    "level",
    "format",
    "server",
    "pid",
    "exit_code",
    "signal",
    "provider",
    "event_id",
    "channel",
    "section",
    "key",
    "value",
    "path",
    "command",
    "args",
    "method",
    "id",
    "error.code",
    "error.message",
    "direction",
    "stream",
    "process",
    "uptime",
    "platform",
    "misplaced",
    "found",
    "error_code",
    "distro",
    "default",
    "which",
    "version",
    "truncated",
    "state",
    "paste",
    "known",
    "ident",
    "comment",
    "task",
    "scope",
    "record_id",
    "metadata",
    "config_path",
    "computer",
];

/// Names authors reach for that are spelled differently here.
const FIELD_SYNONYMS: &[(&str, &str)] = &[
    ("message", "msg"),
    ("lvl", "level"),
    ("severity", "level"),
    ("line", "text"),
];

/// The values the virtual `level` field takes.
pub const LEVELS: &[&str] = &["trace", "debug", "info", "warn", "error", "fatal"];

/// Every format name and family prefix (`claude-code-debug`, `claude-code`, `claude`).
pub fn format_names() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for f in crate::parse::Format::ALL {
        let name = f.name();
        out.push(name);
        for (i, _) in name.match_indices('-') {
            if let Some(prefix) = name.get(..i) {
                out.push(prefix);
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|n| seen.insert(*n));
    out
}

/// Whether `name` is a format name or a family prefix of one.
pub fn is_format_or_family(name: &str) -> bool {
    crate::parse::Format::ALL
        .iter()
        .any(|f| crate::rule::ir::format_in_family(f.name(), name))
}

/// A compile error inside a matcher.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatchError {
    pub pos: Pos,
    pub message: String,
    /// The faulty part of the scalar written at `pos`: its offset and length in
    /// characters of the scalar's text (a modifier in a key, the character a
    /// regex parser names); `None`: the whole token.
    pub sub: Option<(u32, u32)>,
}

/// A compiled single-record matcher.
#[derive(Debug)]
pub struct Matcher {
    selections: Vec<Selection>,
    expr: Expr,
}

/// OR of conjunctions of field tests.
#[derive(Debug)]
struct Selection {
    alts: Vec<Conj>,
}

/// Field tests that must all hold. With `signal:` set, they hold for a record
/// when one of its signals of those kinds satisfies them all, each field read
/// from the signal first and from the record when the signal has no such field.
#[derive(Debug)]
struct Conj {
    signal: Option<Vec<signal::Kind>>,
    tests: Vec<FieldTest>,
}

#[derive(Debug)]
struct FieldTest {
    field: String,
    all: bool,
    vals: Vec<ValTest>,
    /// The values of a plain equality test (`os: [macos, linux]`), for signal literal narrowing.
    equals: Option<Vec<String>>,
}

#[derive(Debug)]
enum ValTest {
    /// Equality, contains, startswith or endswith, as an escaped regex; with its prefilter literal.
    Pattern {
        re: Regex,
        literal: Option<String>,
    },
    /// `|re`: captures bind variables.
    Regex {
        re: Regex,
        literals: Option<Vec<String>>,
    },
    /// `field: null`: the field is missing or empty.
    Null,
    Exists(bool),
    Num(Cmp, f64),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cmp {
    Gt,
    Gte,
    Lt,
    Lte,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Eq,
    Contains,
    StartsWith,
    EndsWith,
    Re,
    Exists,
    Num(Cmp),
}

/// A field's value for one record: its text and, when it is a slice of the
/// source text, where that slice starts (for highlights).
struct FieldVal<'a> {
    text: Option<Cow<'a, str>>,
    base: Option<u32>,
    /// Read from a signal: a number is its text, never the record's field.
    from_signal: bool,
}

impl Matcher {
    /// Compiles the matcher written at `node`.
    pub fn compile(node: &Node) -> Result<Matcher, Vec<MatchError>> {
        let mut errs = Vec::new();
        let m = compile_matcher(node, &mut errs);
        match m {
            Some(m) if errs.is_empty() => Ok(m),
            _ => Err(errs),
        }
    }

    fn eval_expr(
        &self,
        e: &Expr,
        ev: &EventRef<'_>,
        binds: &mut Bindings,
        hl: &mut Vec<Range<u32>>,
    ) -> bool {
        match e {
            Expr::Sel(i) => self
                .selections
                .get(*i)
                .is_some_and(|s| s.eval(ev, binds, hl)),
            Expr::Not(inner) => {
                let mut scratch_b = binds.clone();
                let mut scratch_h = Vec::new();
                !self.eval_expr(inner, ev, &mut scratch_b, &mut scratch_h)
            }
            Expr::And(xs) => {
                let (bl, hll) = (binds.len(), hl.len());
                for x in xs {
                    if !self.eval_expr(x, ev, binds, hl) {
                        binds.truncate(bl);
                        hl.truncate(hll);
                        return false;
                    }
                }
                true
            }
            Expr::Or(xs) => xs.iter().any(|x| self.eval_expr(x, ev, binds, hl)),
        }
    }

    fn expr_literals(&self, e: &Expr) -> Option<Vec<String>> {
        match e {
            Expr::Sel(i) => self.selections.get(*i)?.literals(),
            Expr::Not(_) => None,
            Expr::And(xs) => xs
                .iter()
                .map(|x| self.expr_literals(x))
                .fold(None, literal::best),
            Expr::Or(xs) => literal::union(xs.iter().map(|x| self.expr_literals(x))),
        }
    }

    fn expr_binds(&self, e: &Expr, out: &mut Vec<String>) {
        match e {
            Expr::Sel(i) => {
                for t in self
                    .selections
                    .get(*i)
                    .into_iter()
                    .flat_map(|s| s.alts.iter().flat_map(|c| &c.tests))
                {
                    for v in &t.vals {
                        if let ValTest::Regex { re, .. } = v {
                            for n in re.capture_names().flatten() {
                                if !out.iter().any(|o| o == n) {
                                    out.push(n.to_string());
                                }
                            }
                        }
                    }
                }
            }
            Expr::Not(_) => {}
            Expr::And(xs) | Expr::Or(xs) => xs.iter().for_each(|x| self.expr_binds(x, out)),
        }
    }
}

impl RecordPredicate for Matcher {
    fn eval(
        &self,
        ev: &EventRef<'_>,
        binds: &mut Bindings,
        highlights: &mut Vec<Range<u32>>,
    ) -> bool {
        self.eval_expr(&self.expr, ev, binds, highlights)
    }

    fn required_literals(&self) -> Option<Vec<String>> {
        self.expr_literals(&self.expr)
    }

    fn binds(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.expr_binds(&self.expr, &mut out);
        out
    }
}

/// Two predicates that must both match (a step's `match:` with one `any:` alternative).
#[derive(Debug)]
pub struct Both(pub Arc<dyn RecordPredicate>, pub Arc<dyn RecordPredicate>);

impl RecordPredicate for Both {
    fn eval(
        &self,
        ev: &EventRef<'_>,
        binds: &mut Bindings,
        highlights: &mut Vec<Range<u32>>,
    ) -> bool {
        let (bl, hl) = (binds.len(), highlights.len());
        if self.0.eval(ev, binds, highlights) && self.1.eval(ev, binds, highlights) {
            return true;
        }
        binds.truncate(bl);
        highlights.truncate(hl);
        false
    }

    fn required_literals(&self) -> Option<Vec<String>> {
        literal::best(self.0.required_literals(), self.1.required_literals())
    }

    fn binds(&self) -> Vec<String> {
        let mut out = self.0.binds();
        for b in self.1.binds() {
            if !out.contains(&b) {
                out.push(b);
            }
        }
        out
    }
}

impl Selection {
    fn eval(&self, ev: &EventRef<'_>, binds: &mut Bindings, hl: &mut Vec<Range<u32>>) -> bool {
        self.alts.iter().any(|conj| conj.eval(ev, binds, hl))
    }

    fn literals(&self) -> Option<Vec<String>> {
        literal::union(self.alts.iter().map(Conj::literals))
    }
}

impl Conj {
    fn eval(&self, ev: &EventRef<'_>, binds: &mut Bindings, hl: &mut Vec<Range<u32>>) -> bool {
        let Some(kinds) = &self.signal else {
            return all_hold(&self.tests, ev, None, binds, hl);
        };
        for &kind in kinds {
            for sig in signal::read(kind, ev) {
                let hll = hl.len();
                hl.push(sig.at.clone());
                if all_hold(&self.tests, ev, Some(&sig), binds, hl) {
                    return true;
                }
                hl.truncate(hll);
            }
        }
        false
    }

    /// The record literals: the signal families' (a record holds one of them
    /// whenever a family reads a signal in it), or the best of its `msg`/`text` tests.
    fn literals(&self) -> Option<Vec<String>> {
        let from_tests = self
            .tests
            .iter()
            .filter(|t| t.field == "msg" || t.field == "text")
            .map(FieldTest::literals)
            .fold(None, literal::best);
        let from_signal = self.signal.as_ref().and_then(|kinds| {
            literal::union(
                kinds
                    .iter()
                    .map(|k| self.signal_literals(signal::family(*k))),
            )
        });
        literal::best(from_signal, from_tests)
    }
}

impl Conj {
    /// The literals a record must hold for `fam` to read a signal this block
    /// accepts: the family's, or fewer when an equality test names values the
    /// family can narrow to (`os: macos` needs a macOS marker, not any path).
    fn signal_literals(&self, fam: &signal::Family) -> Option<Vec<String>> {
        let owned = |lits: &[&str]| -> Vec<String> { lits.iter().map(|l| l.to_string()).collect() };
        let narrowed = self
            .tests
            .iter()
            .filter_map(|t| {
                let values = t.equals.as_ref()?;
                literal::union(values.iter().map(|v| (fam.narrow)(&t.field, v).map(owned)))
            })
            .fold(None, |acc, n| literal::best(acc, Some(n)));
        narrowed.or_else(|| (!fam.literals.is_empty()).then(|| owned(fam.literals)))
    }
}

/// Whether every test holds (binding and highlighting as it goes); on failure nothing is left bound.
fn all_hold(
    tests: &[FieldTest],
    ev: &EventRef<'_>,
    sig: Option<&Signal<'_>>,
    binds: &mut Bindings,
    hl: &mut Vec<Range<u32>>,
) -> bool {
    let (bl, hll) = (binds.len(), hl.len());
    for t in tests {
        if !t.eval(ev, sig, binds, hl) {
            binds.truncate(bl);
            hl.truncate(hll);
            return false;
        }
    }
    true
}

impl FieldTest {
    fn eval(
        &self,
        ev: &EventRef<'_>,
        sig: Option<&Signal<'_>>,
        binds: &mut Bindings,
        hl: &mut Vec<Range<u32>>,
    ) -> bool {
        let fv = match sig.and_then(|s| s.get(&self.field)) {
            Some(v) => FieldVal {
                text: Some(v.text.clone()),
                base: v.at,
                from_signal: true,
            },
            None => field_val(ev, &self.field),
        };
        if self.all {
            let (bl, hll) = (binds.len(), hl.len());
            for v in &self.vals {
                if !v.eval(ev, &self.field, &fv, binds, hl) {
                    binds.truncate(bl);
                    hl.truncate(hll);
                    return false;
                }
            }
            true
        } else {
            self.vals
                .iter()
                .any(|v| v.eval(ev, &self.field, &fv, binds, hl))
        }
    }

    fn literals(&self) -> Option<Vec<String>> {
        let per = self.vals.iter().map(|v| match v {
            ValTest::Pattern { literal, .. } => literal.clone().map(|l| vec![l]),
            ValTest::Regex { literals, .. } => literals.clone(),
            _ => None,
        });
        if self.all {
            per.fold(None, literal::best)
        } else {
            literal::union(per)
        }
    }
}

fn field_val<'a>(ev: &EventRef<'a>, field: &str) -> FieldVal<'a> {
    if field == "text" {
        return FieldVal {
            text: Some(Cow::Borrowed(ev.record_text())),
            base: Some(ev.event.text.start),
            from_signal: false,
        };
    }
    let base = match ev.event.value(field) {
        Some(Value::Text(r)) if field != "level" && field != "format" => Some(r.start),
        _ => None,
    };
    FieldVal {
        text: ev.get(field),
        base,
        from_signal: false,
    }
}

fn absolute(base: Option<u32>, r: Range<usize>) -> Option<Range<u32>> {
    let b = base?;
    let s = b.checked_add(u32::try_from(r.start).ok()?)?;
    let e = b.checked_add(u32::try_from(r.end).ok()?)?;
    Some(s..e)
}

impl ValTest {
    fn eval(
        &self,
        ev: &EventRef<'_>,
        field: &str,
        fv: &FieldVal<'_>,
        binds: &mut Bindings,
        hl: &mut Vec<Range<u32>>,
    ) -> bool {
        match self {
            ValTest::Exists(want) => fv.text.is_some() == *want,
            ValTest::Null => fv.text.as_deref().is_none_or(str::is_empty),
            ValTest::Num(cmp, v) => {
                let from_record = (!fv.from_signal)
                    .then(|| ev.get_int(field))
                    .flatten()
                    .map(|i| i as f64);
                let Some(x) =
                    from_record.or_else(|| fv.text.as_deref()?.trim().parse::<f64>().ok())
                else {
                    return false;
                };
                match cmp {
                    Cmp::Gt => x > *v,
                    Cmp::Gte => x >= *v,
                    Cmp::Lt => x < *v,
                    Cmp::Lte => x <= *v,
                }
            }
            ValTest::Pattern { re, .. } => {
                let Some(text) = fv.text.as_deref() else {
                    return false;
                };
                match re.find(text) {
                    Some(m) => {
                        hl.extend(absolute(fv.base, m.range()));
                        true
                    }
                    None => false,
                }
            }
            ValTest::Regex { re, .. } => {
                let Some(text) = fv.text.as_deref() else {
                    return false;
                };
                let names: Vec<(usize, &str)> = re
                    .capture_names()
                    .enumerate()
                    .filter_map(|(i, n)| Some((i, n?)))
                    .collect();
                'cap: for caps in re.captures_iter(text) {
                    let bl = binds.len();
                    for (i, name) in &names {
                        if let Some(m) = caps.get(*i) {
                            if !binds.unify(name, m.as_str()) {
                                binds.truncate(bl);
                                continue 'cap;
                            }
                        }
                    }
                    let groups: Vec<Range<usize>> =
                        caps.iter().skip(1).flatten().map(|m| m.range()).collect();
                    if groups.is_empty() {
                        if let Some(m) = caps.get(0) {
                            hl.extend(absolute(fv.base, m.range()));
                        }
                    } else {
                        hl.extend(groups.into_iter().filter_map(|r| absolute(fv.base, r)));
                    }
                    return true;
                }
                false
            }
        }
    }
}

// ---- compilation -------------------------------------------------------------

fn err(errs: &mut Vec<MatchError>, pos: Pos, message: impl Into<String>) {
    errs.push(MatchError {
        pos,
        message: message.into(),
        sub: None,
    });
}

/// An error about a part (`offset`, `len` in characters) of the scalar at `pos`.
fn err_at(errs: &mut Vec<MatchError>, pos: Pos, sub: (usize, usize), message: impl Into<String>) {
    let c = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    errs.push(MatchError {
        pos,
        message: message.into(),
        sub: Some((c(sub.0), c(sub.1.max(1)))),
    });
}

/// The "did you mean" of a field name that is not known but close to one known
/// to this block (`extra`: the block's signal fields); `None` when the name is
/// known or not close to anything (JSON logs bring fields of their own).
fn field_typo(field: &str, extra: &[&str]) -> Option<String> {
    if field.starts_with("data.") || RECORD_FIELDS.contains(&field) || extra.contains(&field) {
        return None;
    }
    // The signal's fields are a closed set: any close name is a typo.
    if let Some(near) = crate::rule::suggest::closest(field, extra.iter().copied()) {
        return Some(near.to_string());
    }
    let names = RECORD_FIELDS
        .iter()
        .copied()
        .chain(FIELD_SYNONYMS.iter().map(|(s, _)| *s));
    let near = crate::rule::suggest::closest(field, names)?;
    // A short name one letter longer or shorter than a known one (`ppid`, `ids`)
    // is as likely a field of the log itself: only a same-length slip counts.
    if field.chars().count() <= 4 && field.chars().count() != near.chars().count() {
        return None;
    }
    let canonical = FIELD_SYNONYMS
        .iter()
        .find(|(s, _)| *s == near)
        .map_or(near, |(_, c)| c);
    Some(canonical.to_string())
}

/// The record field an unknown rule or step key most likely meant (`lvl` ->
/// `level`, `msg` -> `msg`): a known field, a synonym of one, or a close name.
pub fn field_meant(name: &str) -> Option<&'static str> {
    if let Some(f) = RECORD_FIELDS.iter().find(|f| **f == name) {
        return Some(f);
    }
    if let Some((_, c)) = FIELD_SYNONYMS.iter().find(|(s, _)| *s == name) {
        return Some(c);
    }
    let near = crate::rule::suggest::closest(
        name,
        RECORD_FIELDS
            .iter()
            .copied()
            .chain(FIELD_SYNONYMS.iter().map(|(s, _)| *s)),
    )?;
    Some(
        FIELD_SYNONYMS
            .iter()
            .find(|(s, _)| *s == near)
            .map_or(near, |(_, c)| c),
    )
}

/// Checks the values of a plain `level:` or `format:` equality against their closed sets.
fn check_closed_value(field: &str, values: &[&Node], errs: &mut Vec<MatchError>) {
    for v in values {
        let Some(text) = v.as_str() else { continue };
        let lower = text.to_ascii_lowercase();
        match field {
            "level" if !LEVELS.contains(&lower.as_str()) => {
                let hint = match crate::event::Level::parse(&lower) {
                    Some(l) => format!(
                        "; did you mean `{}`? (records' `level` reads `{}`)",
                        l.as_str(),
                        l.as_str()
                    ),
                    None => crate::rule::suggest::hint(&lower, LEVELS.iter().copied()),
                };
                err(
                    errs,
                    v.pos,
                    format!(
                        "unknown level `{text}`{hint} (levels: {})",
                        LEVELS.join(", ")
                    ),
                );
            }
            "format" if !crate::parse::Format::ALL.iter().any(|f| f.name() == lower) => {
                let names: Vec<&str> = crate::parse::Format::ALL.iter().map(|f| f.name()).collect();
                let hint = crate::rule::suggest::hint(&lower, names.iter().copied());
                err(
                    errs,
                    v.pos,
                    format!("unknown format `{text}`{hint} (`format` is the full name of the detected format; docs/rules.md, \"Formats and families\")"),
                );
            }
            _ => {}
        }
    }
}

fn compile_matcher(node: &Node, errs: &mut Vec<MatchError>) -> Option<Matcher> {
    if let Kind::Map(entries) = &node.kind {
        let has = |k: &str| {
            entries
                .iter()
                .any(|(kn, _)| kn.text().as_deref() == Some(k))
        };
        if has("selections") || has("condition") {
            return compile_named(node, entries, errs);
        }
    }
    let sel = compile_selection(node, errs)?;
    Some(Matcher {
        selections: vec![sel],
        expr: Expr::Sel(0),
    })
}

fn compile_named(
    node: &Node,
    entries: &[(Node, Node)],
    errs: &mut Vec<MatchError>,
) -> Option<Matcher> {
    for (k, _) in entries {
        let key = k.text().unwrap_or_default();
        if key != "selections" && key != "condition" {
            err(
                errs,
                k.pos,
                format!("unknown key `{key}` beside `selections`: a matcher with named selections has only `selections` and `condition`"),
            );
        }
    }
    let Some(sels) = node.get("selections") else {
        err(errs, node.pos, "`condition` needs `selections`");
        return None;
    };
    let Some(cond) = node.get("condition") else {
        err(
            errs,
            node.pos,
            "`selections` needs a `condition` (e.g. `1 of sel_*`)",
        );
        return None;
    };
    let Kind::Map(sel_entries) = &sels.kind else {
        err(
            errs,
            sels.pos,
            "`selections` must be a map of selection name to matcher",
        );
        return None;
    };
    let mut names = Vec::new();
    let mut selections = Vec::new();
    for (k, v) in sel_entries {
        let name = k.text().unwrap_or_default();
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
        {
            err(
                errs,
                k.pos,
                format!("bad selection name `{name}`: use letters, digits, `_`, `-` and `.`"),
            );
        }
        if names.contains(&name) {
            err(errs, k.pos, format!("duplicate selection `{name}`"));
        }
        if let Some(s) = compile_selection(v, errs) {
            selections.push(s);
        } else {
            selections.push(Selection { alts: Vec::new() });
        }
        names.push(name);
    }
    if names.is_empty() {
        err(errs, sels.pos, "`selections` is empty");
        return None;
    }
    let Some(text) = cond.text() else {
        err(
            errs,
            cond.pos,
            "`condition` must be a string such as `1 of sel_* and not filter`",
        );
        return None;
    };
    match condition::parse(&text, &names) {
        Ok(expr) => Some(Matcher { selections, expr }),
        Err(m) => {
            err(errs, cond.pos, m);
            None
        }
    }
}

fn compile_selection(node: &Node, errs: &mut Vec<MatchError>) -> Option<Selection> {
    match &node.kind {
        Kind::Map(entries) => Some(Selection {
            alts: vec![compile_conj(node.pos, entries, errs)?],
        }),
        Kind::Seq(items) => {
            if items.is_empty() {
                err(errs, node.pos, "empty matcher list never matches");
                return None;
            }
            let mut alts = Vec::new();
            for item in items {
                match &item.kind {
                    Kind::Map(entries) => alts.extend(compile_conj(item.pos, entries, errs)),
                    _ => err(
                        errs,
                        item.pos,
                        "a matcher list holds maps of `field|modifier: value`; to search the whole record use `text|contains: ...`",
                    ),
                }
            }
            Some(Selection { alts })
        }
        _ => {
            err(
                errs,
                node.pos,
                "a matcher is a map of `field|modifier: value` (e.g. `msg|contains: ENOENT`)",
            );
            None
        }
    }
}

fn compile_conj(pos: Pos, entries: &[(Node, Node)], errs: &mut Vec<MatchError>) -> Option<Conj> {
    if entries.is_empty() {
        err(errs, pos, "empty matcher: it would match every record");
        return None;
    }
    let before = errs.len();
    let mut signal = None;
    let mut tests = Vec::new();
    // The fields of the block's signal families, known before its other keys are read.
    let sig_fields: Vec<&str> = entries
        .iter()
        .filter(|(k, _)| k.text().as_deref() == Some("signal"))
        .flat_map(|(_, v)| match &v.kind {
            Kind::Seq(items) => items.iter().filter_map(Node::text).collect::<Vec<_>>(),
            _ => v.text().into_iter().collect(),
        })
        .filter_map(|n| signal::by_name(&n))
        .flat_map(|f| f.fields.iter().copied())
        .collect();
    for (k, v) in entries {
        let key = k.text().unwrap_or_default();
        if key == "signal" {
            signal = compile_signal(v, errs);
        } else if key.split('|').next().map(str::trim) == Some("signal") {
            err(
                errs,
                k.pos,
                format!(
                    "`{key}`: `signal` takes a signal name or a list of them, without modifiers"
                ),
            );
        } else {
            tests.extend(compile_field(k, v, &sig_fields, errs));
        }
    }
    (errs.len() == before).then_some(Conj { signal, tests })
}

/// The value of a `signal:` key: one signal name or a list of them.
fn compile_signal(value: &Node, errs: &mut Vec<MatchError>) -> Option<Vec<signal::Kind>> {
    let items: Vec<&Node> = match &value.kind {
        Kind::Seq(items) => items.iter().collect(),
        _ => vec![value],
    };
    let mut kinds = Vec::new();
    for item in &items {
        match item.text().as_deref().and_then(signal::by_name) {
            Some(f) => kinds.push(f.kind),
            None => {
                let known: Vec<&str> = signal::FAMILIES.iter().map(|f| f.name).collect();
                let name = item.text().unwrap_or_default();
                let hint = crate::rule::suggest::hint(&name, known.iter().copied());
                err(
                    errs,
                    item.pos,
                    format!(
                        "unknown signal `{name}`{hint} (known: {})",
                        known.join(", ")
                    ),
                );
            }
        }
    }
    if items.is_empty() {
        err(errs, value.pos, "`signal: []` never matches");
    }
    (kinds.len() == items.len() && !kinds.is_empty()).then_some(kinds)
}

fn compile_field(
    key: &Node,
    value: &Node,
    sig_fields: &[&str],
    errs: &mut Vec<MatchError>,
) -> Option<FieldTest> {
    let Some(raw) = key.text() else {
        err(
            errs,
            key.pos,
            "a matcher key must be `field` or `field|modifier`",
        );
        return None;
    };
    let mut parts = raw.split('|');
    let field = parts.next().unwrap_or("").trim().to_string();
    if field.is_empty() {
        err(
            errs,
            key.pos,
            format!("missing field name in matcher key `{raw}`"),
        );
        return None;
    }
    let (mut op, mut op_name, mut all, mut cased) = (Op::Eq, "", false, false);
    let mut ok = true;
    if let Some(near) = field_typo(&field, sig_fields) {
        let lead = raw.len() - raw.trim_start().len();
        let what = if sig_fields.is_empty() {
            "field"
        } else {
            "field (of the signal or the record)"
        };
        err_at(
            errs,
            key.pos,
            (lead, field.chars().count()),
            format!("unknown {what} `{field}`; did you mean `{near}`? (a field no record has never matches; `logscan events FILE` lists a record's fields)"),
        );
        ok = false;
    }
    // Where each modifier starts in the key, in characters.
    let mut offset = raw.split('|').next().unwrap_or("").chars().count() + 1;
    for m in parts {
        let at = offset;
        offset += m.chars().count() + 1;
        let new_op = match m {
            "all" => {
                all = true;
                continue;
            }
            "cased" => {
                cased = true;
                continue;
            }
            "contains" => Op::Contains,
            "startswith" => Op::StartsWith,
            "endswith" => Op::EndsWith,
            "re" => Op::Re,
            "exists" => Op::Exists,
            "gt" => Op::Num(Cmp::Gt),
            "gte" => Op::Num(Cmp::Gte),
            "lt" => Op::Num(Cmp::Lt),
            "lte" => Op::Num(Cmp::Lte),
            other => {
                let hint = crate::rule::suggest::hint(other, MODIFIERS.iter().copied());
                err_at(
                    errs,
                    key.pos,
                    (at, other.chars().count()),
                    format!(
                        "unknown modifier `{other}` in `{raw}`{hint} (known: {})",
                        MODIFIERS.join(", ")
                    ),
                );
                ok = false;
                continue;
            }
        };
        if op != Op::Eq {
            err(
                errs,
                key.pos,
                format!("modifiers `{op_name}` and `{m}` cannot be combined in `{raw}`"),
            );
            ok = false;
        }
        op = new_op;
        op_name = m;
    }
    if cased && matches!(op, Op::Exists | Op::Num(_)) {
        err(
            errs,
            key.pos,
            format!("`cased` has no meaning with `{op_name}` in `{raw}`"),
        );
        ok = false;
    }
    if all && op == Op::Exists {
        err(
            errs,
            key.pos,
            format!("`all` has no meaning with `exists` in `{raw}`"),
        );
        ok = false;
    }
    if !ok {
        return None;
    }
    let values: Vec<&Node> = match &value.kind {
        Kind::Seq(items) => items.iter().collect(),
        _ => vec![value],
    };
    if values.is_empty() {
        err(
            errs,
            value.pos,
            format!("empty list for `{raw}` never matches"),
        );
        return None;
    }
    if op == Op::Eq && !sig_fields.contains(&field.as_str()) {
        let before = errs.len();
        check_closed_value(&field, &values, errs);
        if errs.len() > before {
            return None;
        }
    }
    let mut vals = Vec::new();
    for v in &values {
        let Kind::Scalar(s) = &v.kind else {
            err(
                errs,
                v.pos,
                format!("the value of `{raw}` must be a string, number or list of them"),
            );
            continue;
        };
        if let Some(t) = compile_value(op, op_name, cased, s, v.pos, &raw, errs) {
            vals.push(t);
        }
    }
    let equals = (op == Op::Eq && !all)
        .then(|| {
            values
                .iter()
                .map(|v| match &v.kind {
                    Kind::Scalar(sc) if *sc != Scalar::Null => Some(sc.as_text().to_string()),
                    _ => None,
                })
                .collect::<Option<Vec<String>>>()
        })
        .flatten();
    (vals.len() == values_len(value)).then_some(FieldTest {
        field,
        all,
        vals,
        equals,
    })
}

fn values_len(value: &Node) -> usize {
    match &value.kind {
        Kind::Seq(items) => items.len(),
        _ => 1,
    }
}

fn compile_value(
    op: Op,
    op_name: &str,
    cased: bool,
    s: &Scalar,
    pos: Pos,
    raw: &str,
    errs: &mut Vec<MatchError>,
) -> Option<ValTest> {
    if let Scalar::Str(text) = s {
        if text.len() > MAX_VALUE_BYTES {
            err(
                errs,
                pos,
                format!(
                    "the value of `{raw}` is {} bytes, over the limit of {} for one matcher value (docs/rules.md, \"Limits\")",
                    text.len(),
                    limits::size(MAX_VALUE_BYTES)
                ),
            );
            return None;
        }
    }
    match op {
        Op::Exists => match s {
            Scalar::Bool(b) => Some(ValTest::Exists(*b)),
            _ => {
                err(errs, pos, format!("`{raw}` takes `true` or `false`"));
                None
            }
        },
        Op::Num(cmp) => match s {
            Scalar::Int(i) => Some(ValTest::Num(cmp, *i as f64)),
            Scalar::Float(f) => Some(ValTest::Num(cmp, *f)),
            _ => {
                err(
                    errs,
                    pos,
                    format!("`{raw}` compares numbers: `{op_name}` needs a number"),
                );
                None
            }
        },
        Op::Re => {
            let Scalar::Str(pat) = s else {
                err(errs, pos, format!("`{raw}` needs a regex string"));
                return None;
            };
            match compile_regex(pat, !cased) {
                Ok(re) => Some(ValTest::Regex {
                    re,
                    literals: literal::of_regex(pat, !cased),
                }),
                Err((m, Some(sub))) => {
                    err_at(errs, pos, sub, m);
                    None
                }
                Err((m, None)) => {
                    err(errs, pos, m);
                    None
                }
            }
        }
        Op::Eq if *s == Scalar::Null => Some(ValTest::Null),
        Op::Eq | Op::Contains | Op::StartsWith | Op::EndsWith => {
            let needle = s.as_text();
            if needle.is_empty() && op != Op::Eq {
                err(
                    errs,
                    pos,
                    format!("empty value for `{raw}` matches everything"),
                );
                return None;
            }
            let escaped = regex::escape(&needle);
            let body = match op {
                Op::Contains => escaped,
                Op::StartsWith => format!(r"\A(?:{escaped})"),
                Op::EndsWith => format!(r"(?:{escaped})\z"),
                _ => format!(r"\A(?:{escaped})\z"),
            };
            // ASCII needles fold ASCII only, so the ASCII prefilter sees every match.
            let (flags, literal) = if cased {
                ("", literal::safe_piece(&needle))
            } else if needle.is_ascii() {
                ("(?i-u)", literal::safe_piece(&needle))
            } else {
                ("(?i)", None)
            };
            match Regex::new(&format!("{flags}{body}")) {
                Ok(re) => Some(ValTest::Pattern { re, literal }),
                Err(e) => {
                    err(errs, pos, format!("cannot compile `{raw}`: {e}"));
                    None
                }
            }
        }
    }
}

/// Compiles a rule regex, turning the regex crate's refusals into messages a
/// rule author can act on, with the part of the pattern the parser names (as
/// character offset and length) when it names one.
pub fn compile_regex(
    pat: &str,
    case_insensitive: bool,
) -> Result<Regex, (String, Option<(usize, usize)>)> {
    use regex_syntax::ast::ErrorKind;
    let chars = |span: &regex_syntax::ast::Span| {
        let start = pat
            .get(..span.start.offset)
            .map_or(0, |p| p.chars().count());
        let len = pat
            .get(span.start.offset..span.end.offset)
            .map_or(1, |p| p.chars().count().max(1));
        Some((start, len))
    };
    if let Err(e) = regex_syntax::ast::parse::Parser::new().parse(pat) {
        let msg = match e.kind() {
            ErrorKind::UnsupportedLookAround => format!(
                "regex look-around (`(?=`, `(?!`, `(?<=`, `(?<!`) is not supported by the Rust regex engine, in `{pat}`"
            ),
            ErrorKind::UnsupportedBackreference => format!(
                "regex back-references (`\\1`, `\\k<name>`) are not supported by the Rust regex engine, in `{pat}`"
            ),
            kind => format!("bad regex `{pat}`: {kind}"),
        };
        return Err((msg, chars(e.span())));
    }
    let hir = regex_syntax::ParserBuilder::new()
        .case_insensitive(case_insensitive)
        .build()
        .parse(pat);
    if let Err(regex_syntax::Error::Translate(e)) = &hir {
        return Err((format!("bad regex `{pat}`: {}", e.kind()), chars(e.span())));
    }
    RegexBuilder::new(pat)
        .case_insensitive(case_insensitive)
        .size_limit(1 << 22)
        .build()
        .map_err(|e| {
            let detail = e.to_string();
            let last = detail.lines().last().unwrap_or("").trim().to_string();
            (format!("bad regex `{pat}`: {last}"), None)
        })
}
