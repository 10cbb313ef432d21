//! The literal prefilter: one Aho-Corasick pass over a record tells which
//! predicates can possibly match it, so most records skip most rule work.
//!
//! Built from [`RecordPredicate::required_literals`] of every predicate of a
//! rule set. A predicate without required literals is always a candidate. This
//! module must never decide a match: it only rules candidates out.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use crate::rule::predicate::RecordPredicate;

/// Which predicates may match one record (by [`crate::rule::ir::Pred::id`]).
#[derive(Clone, Debug, Default)]
pub struct Candidates {
    bits: Vec<u64>,
    /// Patterns already seen in the current record (scratch, reused).
    seen: Vec<bool>,
}

impl Candidates {
    /// Whether predicate `id` may match.
    pub fn may_match(&self, id: u32) -> bool {
        let (w, b) = (id as usize / 64, id % 64);
        self.bits.get(w).is_some_and(|x| x & (1 << b) != 0)
    }

    /// The set of predicates `ids`.
    pub fn from_ids(ids: &[u32]) -> Candidates {
        let mut c = Candidates::default();
        for &id in ids {
            c.set(id);
        }
        c
    }

    /// Whether some predicate is in both sets.
    pub fn intersects(&self, other: &Candidates) -> bool {
        self.bits.iter().zip(&other.bits).any(|(a, b)| a & b != 0)
    }

    fn set(&mut self, id: u32) {
        let w = id as usize / 64;
        if self.bits.len() <= w {
            self.bits.resize(w + 1, 0);
        }
        if let Some(x) = self.bits.get_mut(w) {
            *x |= 1 << (id % 64);
        }
    }
}

/// Whether `bytes` hold a character of [`crate::rule::literal::FOLDED`] (UTF-8
/// `C5 BF` or `E2 84 AA`); such records are candidates for every predicate.
pub fn has_folded(bytes: &[u8]) -> bool {
    memchr::memmem::find(bytes, "\u{17F}".as_bytes()).is_some()
        || memchr::memmem::find(bytes, "\u{212A}".as_bytes()).is_some()
}

/// See the module docs.
#[derive(Debug, Default)]
pub struct Prefilter {
    count: u32,
    /// Bits of the predicates without literals: candidates for every record.
    always: Vec<u64>,
    /// One automaton over every distinct literal (ASCII case-insensitive).
    ac: Option<AhoCorasick>,
    /// Predicates that pattern `i` makes candidates.
    owners: Vec<Vec<u32>>,
    /// The distinct literals, lower-case, pattern `i` at index `i`.
    patterns: Vec<String>,
}

impl Prefilter {
    /// Builds the prefilter for predicates `preds[i]` with id `i`.
    pub fn build(preds: &[&dyn RecordPredicate]) -> Prefilter {
        let count = u32::try_from(preds.len()).unwrap_or(u32::MAX);
        let mut always = Candidates::default();
        let mut patterns: Vec<String> = Vec::new();
        let mut owners: Vec<Vec<u32>> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        for (id, p) in (0..count).zip(preds) {
            match p
                .required_literals()
                .filter(|l| !l.is_empty() && l.iter().all(|s| !s.is_empty()))
            {
                None => always.set(id),
                Some(lits) => {
                    for lit in lits {
                        let lit = lit.to_ascii_lowercase();
                        match index.get(&lit) {
                            Some(&i) => owners.get_mut(i).into_iter().for_each(|o| o.push(id)),
                            None => {
                                index.insert(lit.clone(), patterns.len());
                                patterns.push(lit);
                                owners.push(vec![id]);
                            }
                        }
                    }
                }
            }
        }
        let ac = if patterns.is_empty() {
            None
        } else {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .kind(Some(AhoCorasickKind::DFA))
                .match_kind(MatchKind::Standard)
                .build(&patterns)
                .ok()
        };
        if ac.is_none() {
            // Could not build the automaton: every predicate is a candidate.
            for id in 0..count {
                always.set(id);
            }
            owners.clear();
        }
        Prefilter {
            count,
            always: always.bits,
            ac,
            owners,
            patterns,
        }
    }

    /// The literals the automaton searches for (lower-case, distinct).
    pub fn literals(&self) -> &[String] {
        &self.patterns
    }

    /// Number of predicates without required literals (evaluated on every record).
    pub fn always_evaluated(&self) -> u32 {
        self.always.iter().map(|w| w.count_ones()).sum()
    }

    /// Number of predicates this prefilter was built for.
    pub fn len(&self) -> u32 {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Fills `out` with the candidates for a record whose text is `text`.
    pub fn candidates(&self, text: &str, out: &mut Candidates) {
        out.bits.clear();
        out.bits.extend_from_slice(&self.always);
        let Some(ac) = &self.ac else { return };
        if has_folded(text.as_bytes()) || crate::parse::has_curly_quotes(text.as_bytes()) {
            // `ſ` / `K` fold to `s` / `k` in the record matcher but not here; curly
            // quotes are ASCII in the `msg` rules see (docs/paste.md).
            for id in 0..self.count {
                out.set(id);
            }
            return;
        }
        out.seen.clear();
        out.seen.resize(self.owners.len(), false);
        let mut left = self.owners.len();
        for m in ac.find_overlapping_iter(text) {
            let i = m.pattern().as_usize();
            match out.seen.get_mut(i) {
                Some(s) if !*s => *s = true,
                _ => continue,
            }
            if let Some(ids) = self.owners.get(i) {
                for id in ids {
                    out.set(*id);
                }
            }
            left -= 1;
            if left == 0 {
                break;
            }
        }
    }
}
