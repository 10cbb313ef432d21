//! A brute-force reference matcher for tiny inputs, to check the automaton against.
//!
//! It enumerates every assignment of timeline records to the positive steps
//! (increasing positions, except the earlier records an `order_tolerance`
//! admits, see `admissible`; `count` steps take any `min..=max` records),
//! with key and variable unification, and keeps the assignments that meet every
//! time bound, `until`, mid-sequence absence and trailing absence, exactly as
//! rule-language-study §4 states them (see `sequence` and `absence` for the
//! engine's reading of each rule; both share only the timeline order). It
//! answers one question: for which (rule, key) does a **confirmed** finding
//! exist? Required facts, leading absences and `select: earliest` are outside
//! its scope (rules with leading absences are never confirmed).
//!
//! Exponential: never call it on more than a few dozen records.

use std::collections::BTreeSet;

use crate::event::EventRef;
use crate::matcher::timeline::{self, Entry};
use crate::parse::ParsedSource;
use crate::rule::ir::{Bindings, Branch, CompiledRule, OnMissingKey, RuleSet};

/// `(rule index, key)` pairs with a confirmed finding.
pub type Confirmed = BTreeSet<(usize, Vec<(String, String)>)>;

/// See the module docs.
pub fn confirmed(rules: &RuleSet, sources: &[ParsedSource], max_disorder: i64) -> Confirmed {
    let tl = timeline::collect(sources, max_disorder);
    let mut out = Confirmed::new();
    for (ri, rule) in rules.rules.iter().enumerate() {
        let ctx = Ctx {
            rule,
            sources,
            tl: &tl,
        };
        let positive: Vec<usize> = (0..rule.steps.len())
            .filter(|&j| !rule.steps[j].absent)
            .collect();
        if positive.is_empty() || rule.steps.first().is_some_and(|s| s.absent) {
            continue;
        }
        let mut found = BTreeSet::new();
        let mut assign = Vec::new();
        ctx.enumerate(
            &positive,
            0,
            Bindings::default(),
            None,
            &mut assign,
            &mut found,
        );
        for key in found {
            let pairs = match key {
                Some(k) => rule.correlate_by.iter().cloned().zip(k).collect(),
                None => Vec::new(),
            };
            out.insert((ri, pairs));
        }
    }
    out
}

/// One assigned record: step, timeline position, bindings after it.
#[derive(Clone, Debug)]
struct Assigned {
    step: usize,
    pos: usize,
    binds: Bindings,
}

struct Ctx<'a> {
    rule: &'a CompiledRule,
    sources: &'a [ParsedSource],
    tl: &'a [Entry],
}

type KeyVals = Option<Vec<String>>;

enum Keying {
    Keyed(usize),
    Broadcast,
    Until,
}

impl<'a> Ctx<'a> {
    fn event(&self, pos: usize) -> Option<(EventRef<'a>, &'a Entry)> {
        let e = self.tl.get(pos)?;
        let src = self.sources.get(e.source as usize)?;
        let event = src.events.get(e.event as usize)?;
        let reads = self.rule.sources.is_empty()
            || self
                .rule
                .sources
                .iter()
                .any(|f| crate::rule::ir::format_in_family(src.format, f));
        if !reads {
            return None;
        }
        Some((
            EventRef {
                event,
                source_text: &src.text.text,
                format: src.format,
            },
            e,
        ))
    }

    /// The first branch matching with `binds` bound: new bindings and the record's key.
    fn eval(
        &self,
        branches: &[Branch],
        keying: Keying,
        pos: usize,
        binds: &Bindings,
    ) -> Option<(Bindings, KeyVals)> {
        let (ev, _) = self.event(pos)?;
        'branch: for b in branches {
            if !b.reads(ev.format) {
                continue;
            }
            let mut out = binds.clone();
            let before = out.clone();
            let mut hl = Vec::new();
            if !b.pred.inner.eval(&ev, &mut out, &mut hl) {
                continue;
            }
            let (aliases, missing) = match keying {
                Keying::Broadcast => return Some((out, None)),
                Keying::Keyed(j) => (&self.rule.steps[j].key_alias[..], self.rule.on_missing_key),
                Keying::Until => (&[][..], OnMissingKey::Skip),
            };
            let can_bind = b.pred.inner.binds();
            let mut key = Vec::new();
            for var in &self.rule.correlate_by {
                let own = if before.get(var).is_none() || can_bind.contains(var) {
                    out.get(var).map(str::to_string)
                } else {
                    None
                };
                let value = match own {
                    Some(v) => v,
                    None => {
                        let field = aliases
                            .iter()
                            .find(|(v, _)| v == var)
                            .map_or(var.as_str(), |(_, f)| f.as_str());
                        match (ev.get(field), missing) {
                            (Some(v), _) => v.into_owned(),
                            (None, OnMissingKey::NullKey) => String::new(),
                            (None, OnMissingKey::Skip) => {
                                if matches!(keying, Keying::Until) {
                                    return Some((out, None));
                                }
                                continue 'branch;
                            }
                        }
                    }
                };
                if !out.unify(var, &value) {
                    continue 'branch;
                }
                key.push(value);
            }
            return Some((out, Some(key)));
        }
        None
    }

    fn enumerate(
        &self,
        positive: &[usize],
        pi: usize,
        binds: Bindings,
        key: KeyVals,
        assign: &mut Vec<Assigned>,
        found: &mut BTreeSet<KeyVals>,
    ) {
        let Some(&j) = positive.get(pi) else {
            if self.valid(assign, &key) {
                found.insert(key);
            }
            return;
        };
        let step = &self.rule.steps[j];
        let taken = assign.iter().filter(|a| a.step == j).count() as u32;
        let (min, max) = match step.count {
            Some(c) => (c.min.max(1), c.max.unwrap_or(u32::MAX).max(c.min.max(1))),
            None => (1, 1),
        };
        if taken >= min {
            self.enumerate(positive, pi + 1, binds.clone(), key.clone(), assign, found);
        }
        if taken >= max {
            return;
        }
        let keying = if step.broadcast {
            Keying::Broadcast
        } else {
            Keying::Keyed(j)
        };
        for pos in 0..self.tl.len() {
            if !self.admissible(j, pos, assign) {
                continue;
            }
            let k = match &keying {
                Keying::Keyed(_) => Keying::Keyed(j),
                _ => Keying::Broadcast,
            };
            let Some((nb, rk)) = self.eval(&step.branches, k, pos, &binds) else {
                continue;
            };
            let nkey = match (&key, rk) {
                (Some(a), Some(b)) if *a != b => continue,
                (Some(a), _) => Some(a.clone()),
                (None, b) => b,
            };
            assign.push(Assigned {
                step: j,
                pos,
                binds: nb.clone(),
            });
            // Stay on this step (count) or move on: handled by the recursion's head.
            self.enumerate(positive, pi, nb, nkey, assign, found);
            assign.pop();
        }
    }

    /// Whether record `pos` may be the next record (for step `j`) of the chain
    /// `assign`: after every record of the chain in the timeline, or, with an
    /// `order_tolerance`, remembered (see `skew`): the step's first record,
    /// earlier than the chain's latest record, timestamped, not older than that
    /// record's watermark minus the tolerance, on a step that is not the first,
    /// and after the chain's tail or from another source than the tail and not
    /// more than the tolerance before it. Behind a mid-sequence absence only
    /// the latter, strictly before the tail (the absence is then vacuous).
    fn admissible(&self, j: usize, pos: usize, assign: &[Assigned]) -> bool {
        let Some(now) = assign.iter().map(|a| a.pos).max() else {
            return true;
        };
        if pos > now {
            return true;
        }
        let d = self.rule.order_tolerance;
        let steps = &self.rule.steps;
        let guarded = (0..j)
            .rev()
            .take_while(|&k| steps[k].absent)
            .next()
            .is_some();
        let first = steps.iter().take(j).all(|s| s.absent);
        let again = assign.iter().any(|a| a.pos == pos || a.step == j);
        if d <= 0 || first || again {
            return false;
        }
        let Some(t) = self.ts(pos).0 else {
            return false;
        };
        if self.ts(now).1.is_some_and(|w| t < w.saturating_sub(d)) {
            return false;
        }
        let Some(tail) = assign.last() else {
            return false;
        };
        let same_source =
            self.tl.get(pos).map(|e| e.source) == self.tl.get(tail.pos).map(|e| e.source);
        let tail_ts = self.ts(tail.pos).0;
        if guarded {
            // Strictly before the tail in event time: the absence is vacuous.
            return tail_ts.is_some_and(|tt| !same_source && t >= tt.saturating_sub(d) && t < tt);
        }
        if pos > tail.pos {
            return true;
        }
        match tail_ts {
            Some(tt) => !same_source && t >= tt.saturating_sub(d),
            None => false,
        }
    }

    /// When the chain had taken `assign[..=i]`: its latest timeline position.
    fn taken_at(assign: &[Assigned], i: usize) -> usize {
        assign.iter().take(i + 1).map(|a| a.pos).max().unwrap_or(0)
    }

    fn ts(&self, pos: usize) -> (Option<i64>, Option<i64>) {
        self.tl.get(pos).map_or((None, None), |e| (e.ts, e.wm))
    }

    /// `pos` at or before `base + add` (unknown never rejects; the watermark can).
    fn within(&self, base: usize, add: i64, pos: usize) -> bool {
        let Some(b) = self.ts(base).0 else {
            return true;
        };
        let bound = b.saturating_add(add);
        match self.ts(pos) {
            (Some(t), _) => t <= bound,
            (None, Some(w)) => w <= bound,
            (None, None) => true,
        }
    }

    fn last_of(&self, assign: &[Assigned], step: usize) -> Option<usize> {
        assign.iter().rev().find(|a| a.step == step).map(|a| a.pos)
    }

    fn anchor_step(&self, j: usize) -> Option<usize> {
        let steps = &self.rule.steps;
        steps[j]
            .after
            .filter(|&k| k < j && !steps[k].absent)
            .or_else(|| (0..j).rev().find(|&k| !steps[k].absent))
    }

    fn valid(&self, assign: &[Assigned], key: &KeyVals) -> bool {
        let rule = self.rule;
        let Some(first) = assign.first() else {
            return false;
        };
        let Some(last) = assign.last() else {
            return false;
        };
        // Time bounds.
        for (i, a) in assign.iter().enumerate().skip(1) {
            if let Some(ms) = rule.maxspan {
                if !self.within(first.pos, ms, a.pos) {
                    return false;
                }
            }
            if let Some(g) = rule.max_gap {
                if !self.within(assign[i - 1].pos, g, a.pos) {
                    return false;
                }
            }
        }
        for a in assign {
            let (Some(w), Some(k)) = (rule.steps[a.step].within, self.anchor_step(a.step)) else {
                continue;
            };
            let Some(anchor) = self.last_of(assign, k) else {
                continue;
            };
            if !self.within(anchor, w, a.pos) {
                return false;
            }
            if let (Some(ta), Some(t)) = (self.ts(anchor).0, self.ts(a.pos).0) {
                if t < ta.saturating_sub(rule.order_tolerance) {
                    return false;
                }
            }
        }
        // Until, between the first positive record and the completion.
        let done = Self::taken_at(assign, assign.len() - 1);
        for p in first.pos + 1..=done {
            let before = (0..assign.len())
                .rev()
                .find(|&i| Self::taken_at(assign, i) < p)
                .and_then(|i| assign.get(i))
                .map(|a| a.binds.clone())
                .unwrap_or_default();
            if let Some((ub, _)) = self.eval(&rule.until, Keying::Until, p, &Bindings::default()) {
                if compatible(&before, &ub) {
                    return false;
                }
            }
        }
        // Mid-sequence absences.
        let positive: Vec<usize> = (0..rule.steps.len())
            .filter(|&j| !rule.steps[j].absent)
            .collect();
        for w in positive.windows(2) {
            let (i, k) = (w[0], w[1]);
            // The gap starts when the chain took step `i`'s last record.
            let (Some(last_i), Some(gap_end)) = (
                assign.iter().rposition(|a| a.step == i),
                assign.iter().filter(|a| a.step == k).map(|a| a.pos).min(),
            ) else {
                continue;
            };
            let gap_start = Self::taken_at(assign, last_i);
            let binds = assign
                .get(last_i)
                .map(|a| a.binds.clone())
                .unwrap_or_default();
            for a in i + 1..k {
                for m in gap_start + 1..gap_end {
                    if self.absence_hit(a, m, key, &binds) {
                        return false;
                    }
                }
            }
        }
        // Trailing absences.
        let Some(&last_positive) = positive.last() else {
            return false;
        };
        for a in last_positive + 1..rule.steps.len() {
            let step = &rule.steps[a];
            let anchor = self.anchor_step(a).and_then(|k| self.last_of(assign, k));
            let deadline = match (anchor.and_then(|p| self.ts(p).0), step.within) {
                (Some(t), Some(w)) => Some(t.saturating_add(w)),
                _ => None,
            };
            let Some(d) = deadline else {
                return false;
            };
            let mut witnessed = false;
            for m in done + 1..self.tl.len() {
                let (ts, wm) = self.ts(m);
                let inside = match (ts, wm) {
                    (Some(t), _) => t <= d,
                    (None, Some(w)) => w <= d,
                    (None, None) => true,
                };
                if inside && self.absence_hit(a, m, key, &last.binds) {
                    return false;
                }
                if ts.is_some_and(|t| t > d) && self.covers(a, m) {
                    witnessed = true;
                }
            }
            if !witnessed {
                return false;
            }
        }
        true
    }

    /// Record `m` matches absent step `a` for this key and these bindings.
    fn absence_hit(&self, a: usize, m: usize, key: &KeyVals, binds: &Bindings) -> bool {
        let step = &self.rule.steps[a];
        let keying = if step.broadcast {
            Keying::Broadcast
        } else {
            Keying::Keyed(a)
        };
        match self.eval(&step.branches, keying, m, &Bindings::default()) {
            Some((hb, hk)) => {
                let key_ok = match (key, &hk) {
                    (Some(x), Some(y)) => x == y,
                    _ => true,
                };
                key_ok && compatible(binds, &hb)
            }
            None => false,
        }
    }

    /// Record `m`'s source is one absent step `a` reads.
    fn covers(&self, a: usize, m: usize) -> bool {
        let Some((ev, _)) = self.event(m) else {
            return false;
        };
        self.rule.steps[a]
            .branches
            .iter()
            .any(|b| b.reads(ev.format))
    }
}

fn compatible(a: &Bindings, b: &Bindings) -> bool {
    b.0.iter().all(|(n, v)| a.get(n).is_none_or(|x| x == &**v))
}
