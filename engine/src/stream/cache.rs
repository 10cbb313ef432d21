//! What every stream of one rule set shares: per format, the literals of the
//! predicates that read it, and a finder (their Aho-Corasick automaton).
//!
//! Building a finder costs far more than scanning a small file, so each is
//! built once per format and handed out as clones, which share the automaton.
//! The cache belongs to one rule set (an [`crate::Engine`] keeps one); used
//! with another, it starts over. This module never reads a source.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::rule::ir::{format_in_family, Branch, CompiledRule, RuleSet};

use super::hits::Finder;
use super::summary;

/// See the module docs.
#[derive(Debug, Default)]
pub struct Cache {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// Address of the rule set the entries were made for.
    rules: usize,
    /// Per format: the lower-case rule literals, or `None` when a predicate
    /// reading the format has none.
    literals: HashMap<&'static str, Option<Arc<Vec<String>>>>,
    /// Per format: its finder, once built.
    finders: HashMap<&'static str, Finder>,
}

impl Cache {
    pub fn new() -> Cache {
        Cache::default()
    }

    fn lock(&self, rules: &RuleSet) -> MutexGuard<'_, Inner> {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let id = rules as *const RuleSet as usize;
        if inner.rules != id {
            *inner = Inner {
                rules: id,
                ..Inner::default()
            };
        }
        inner
    }

    /// The literals of the predicates that read `format`; `None` when one of
    /// them has no literal (the source is read whole).
    pub fn literals(&self, rules: &RuleSet, format: &'static str) -> Option<Arc<Vec<String>>> {
        let mut inner = self.lock(rules);
        inner
            .literals
            .entry(format)
            .or_insert_with(|| literals_of(rules, &active_predicates(rules, format)).map(Arc::new))
            .clone()
    }

    /// The finder for `format` (built on first use), or `None` when the
    /// format's predicates are not all filtered by literals.
    pub(crate) fn finder(&self, rules: &RuleSet, format: &'static str) -> Option<Finder> {
        let literals = self.literals(rules, format)?;
        if let Some(f) = self.lock(rules).finders.get(format) {
            return Some(f.clone());
        }
        // Built outside the lock: two threads may both build it, one is kept.
        let f = Finder::new(&literals, summary::ERROR_WORDS)?;
        self.lock(rules).finders.insert(format, f.clone());
        Some(f)
    }
}

/// Ids of the predicates of every rule branch that reads `format`.
pub(crate) fn active_predicates(rules: &RuleSet, format: &str) -> Vec<u32> {
    let reads_rule = |r: &CompiledRule| {
        r.sources.is_empty() || r.sources.iter().any(|f| format_in_family(format, f))
    };
    let mut ids = Vec::new();
    for rule in rules.rules.iter().filter(|r| reads_rule(r)) {
        let branches = rule
            .steps
            .iter()
            .flat_map(|s| &s.branches)
            .chain(rule.facts.iter().flat_map(|f| &f.branches))
            .chain(&rule.until);
        ids.extend(
            branches
                .filter(|b: &&Branch| b.reads(format))
                .map(|b| b.pred.id),
        );
    }
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// The rule literals of `ids`; `None` when a predicate has none. (The finder
/// adds the error words apart, so a line holding only those is told from one
/// a rule may read: the matcher never sees it.)
fn literals_of(rules: &RuleSet, ids: &[u32]) -> Option<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for pred in rules
        .predicates()
        .filter(|p| ids.binary_search(&p.id).is_ok())
    {
        out.extend(pred.inner.required_literals()?);
    }
    out.iter_mut().for_each(|l| l.make_ascii_lowercase());
    out.sort();
    out.dedup();
    Some(out)
}
