//! Evaluating a compiled matcher against one record: field values (from the
//! record, or from a signal the block asks for), string patterns and regexes
//! (whose named groups bind variables), comparisons, highlights; and the
//! literals a record must hold for a matcher to match (for the prefilter).
//!
//! This module never looks at more than one record and never compiles.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

use super::types::{Cmp, Conj, FieldTest, Matcher, Selection, ValTest};
use crate::event::{EventRef, Value};
use crate::rule::condition::Expr;
use crate::rule::ir::{Bindings, RecordPredicate};
use crate::rule::literal;
use crate::signal::{self, Signal};

/// A field's value for one record: its text and, when it is a slice of the
/// source text, where that slice starts (for highlights).
struct FieldVal<'a> {
    text: Option<Cow<'a, str>>,
    base: Option<u32>,
    /// Read from a signal: a number is its text, never the record's field.
    from_signal: bool,
}

impl Matcher {
    fn eval_expr(
        &self,
        e: &Expr,
        event: &EventRef<'_>,
        binds: &mut Bindings,
        highlights: &mut Vec<Range<u32>>,
    ) -> bool {
        match e {
            Expr::Sel(i) => self
                .selections
                .get(*i)
                .is_some_and(|s| s.eval(event, binds, highlights)),
            Expr::Not(inner) => {
                let mut scratch_binds = binds.clone();
                let mut scratch_highlights = Vec::new();
                !self.eval_expr(inner, event, &mut scratch_binds, &mut scratch_highlights)
            }
            Expr::And(parts) => {
                let (binds_before, highlights_before) = (binds.len(), highlights.len());
                for x in parts {
                    if !self.eval_expr(x, event, binds, highlights) {
                        binds.truncate(binds_before);
                        highlights.truncate(highlights_before);
                        return false;
                    }
                }
                true
            }
            Expr::Or(parts) => parts
                .iter()
                .any(|x| self.eval_expr(x, event, binds, highlights)),
        }
    }

    fn expr_literals(&self, e: &Expr) -> Option<Vec<String>> {
        match e {
            Expr::Sel(i) => self.selections.get(*i)?.literals(),
            Expr::Not(_) => None,
            Expr::And(parts) => parts
                .iter()
                .map(|x| self.expr_literals(x))
                .fold(None, literal::best),
            Expr::Or(parts) => literal::union(parts.iter().map(|x| self.expr_literals(x))),
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
            Expr::And(parts) | Expr::Or(parts) => {
                parts.iter().for_each(|x| self.expr_binds(x, out))
            }
        }
    }
}

impl RecordPredicate for Matcher {
    fn eval(
        &self,
        event: &EventRef<'_>,
        binds: &mut Bindings,
        highlights: &mut Vec<Range<u32>>,
    ) -> bool {
        self.eval_expr(&self.expr, event, binds, highlights)
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
        event: &EventRef<'_>,
        binds: &mut Bindings,
        highlights: &mut Vec<Range<u32>>,
    ) -> bool {
        let (binds_before, highlights_before) = (binds.len(), highlights.len());
        if self.0.eval(event, binds, highlights) && self.1.eval(event, binds, highlights) {
            return true;
        }
        binds.truncate(binds_before);
        highlights.truncate(highlights_before);
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
    fn eval(
        &self,
        event: &EventRef<'_>,
        binds: &mut Bindings,
        highlights: &mut Vec<Range<u32>>,
    ) -> bool {
        self.alts
            .iter()
            .any(|conj| conj.eval(event, binds, highlights))
    }

    fn literals(&self) -> Option<Vec<String>> {
        literal::union(self.alts.iter().map(Conj::literals))
    }
}

impl Conj {
    fn eval(
        &self,
        event: &EventRef<'_>,
        binds: &mut Bindings,
        highlights: &mut Vec<Range<u32>>,
    ) -> bool {
        let Some(kinds) = &self.signal else {
            return all_hold(&self.tests, event, None, binds, highlights);
        };
        for &kind in kinds {
            for sig in signal::read(kind, event) {
                let highlights_before = highlights.len();
                highlights.push(sig.at.clone());
                if all_hold(&self.tests, event, Some(&sig), binds, highlights) {
                    return true;
                }
                highlights.truncate(highlights_before);
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
    event: &EventRef<'_>,
    sig: Option<&Signal<'_>>,
    binds: &mut Bindings,
    highlights: &mut Vec<Range<u32>>,
) -> bool {
    let (binds_before, highlights_before) = (binds.len(), highlights.len());
    for t in tests {
        if !t.eval(event, sig, binds, highlights) {
            binds.truncate(binds_before);
            highlights.truncate(highlights_before);
            return false;
        }
    }
    true
}

impl FieldTest {
    fn eval(
        &self,
        event: &EventRef<'_>,
        sig: Option<&Signal<'_>>,
        binds: &mut Bindings,
        highlights: &mut Vec<Range<u32>>,
    ) -> bool {
        let field_value = match sig.and_then(|s| s.get(&self.field)) {
            Some(v) => FieldVal {
                text: Some(v.text.clone()),
                base: v.at,
                from_signal: true,
            },
            None => field_val(event, &self.field),
        };
        if self.all {
            let (binds_before, highlights_before) = (binds.len(), highlights.len());
            for v in &self.vals {
                if !v.eval(event, &self.field, &field_value, binds, highlights) {
                    binds.truncate(binds_before);
                    highlights.truncate(highlights_before);
                    return false;
                }
            }
            true
        } else {
            self.vals
                .iter()
                .any(|v| v.eval(event, &self.field, &field_value, binds, highlights))
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

fn field_val<'a>(event: &EventRef<'a>, field: &str) -> FieldVal<'a> {
    if field == "text" {
        return FieldVal {
            text: Some(Cow::Borrowed(event.record_text())),
            base: Some(event.event.text.start),
            from_signal: false,
        };
    }
    let base = match event.event.value(field) {
        Some(Value::Text(r)) if field != "level" && field != "format" => Some(r.start),
        _ => None,
    };
    FieldVal {
        text: event.get(field),
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
        event: &EventRef<'_>,
        field: &str,
        field_value: &FieldVal<'_>,
        binds: &mut Bindings,
        highlights: &mut Vec<Range<u32>>,
    ) -> bool {
        match self {
            ValTest::Exists(want) => field_value.text.is_some() == *want,
            ValTest::Null => field_value.text.as_deref().is_none_or(str::is_empty),
            ValTest::Num(cmp, v) => {
                let from_record = (!field_value.from_signal)
                    .then(|| event.get_int(field))
                    .flatten()
                    .map(|i| i as f64);
                let Some(x) =
                    from_record.or_else(|| field_value.text.as_deref()?.trim().parse::<f64>().ok())
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
                let Some(text) = field_value.text.as_deref() else {
                    return false;
                };
                match re.find(text) {
                    Some(m) => {
                        highlights.extend(absolute(field_value.base, m.range()));
                        true
                    }
                    None => false,
                }
            }
            ValTest::Regex { re, .. } => {
                let Some(text) = field_value.text.as_deref() else {
                    return false;
                };
                let names: Vec<(usize, &str)> = re
                    .capture_names()
                    .enumerate()
                    .filter_map(|(i, n)| Some((i, n?)))
                    .collect();
                'cap: for caps in re.captures_iter(text) {
                    let binds_before = binds.len();
                    for (i, name) in &names {
                        if let Some(m) = caps.get(*i) {
                            if !binds.unify(name, m.as_str()) {
                                binds.truncate(binds_before);
                                continue 'cap;
                            }
                        }
                    }
                    let groups: Vec<Range<usize>> =
                        caps.iter().skip(1).flatten().map(|m| m.range()).collect();
                    if groups.is_empty() {
                        if let Some(m) = caps.get(0) {
                            highlights.extend(absolute(field_value.base, m.range()));
                        }
                    } else {
                        highlights.extend(
                            groups
                                .into_iter()
                                .filter_map(|r| absolute(field_value.base, r)),
                        );
                    }
                    return true;
                }
                false
            }
        }
    }
}
