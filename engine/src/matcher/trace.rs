//! Why-not instrumentation: how far one rule got, for "what to collect next"
//! and `scan --explain`.
//!
//! Always kept (plain fields, touched only when a partial moves deeper than
//! before or dies): the deepest positive step any partial bound, with the
//! record that first bound it, and the first record that ended a partial
//! through an absent step (mid-sequence or trailing). Only when counting
//! (`MatchOptions::explain`): per step, how many records matched its predicate
//! with a key, ignoring correlation and time, and the first of them.
//!
//! It only observes: it must never change what the automaton matches. Records
//! the automaton skipped (steps no partial waits for) are evaluated again for
//! counting only, and their hits go nowhere else. On a streamed source only
//! candidate records are parsed, so the counts cover candidate records only.

use crate::finding::{FactResult, RuleTrace};
use crate::matcher::hits::Hit;
use crate::matcher::partial::{Mark, StepMarks};
use crate::matcher::record::Rec;

/// The why-not state of one rule's run.
#[derive(Debug, Default)]
pub(crate) struct Trace {
    /// Count matches per step (explain mode).
    counting: bool,
    matched: Vec<u64>,
    first: Vec<Option<Mark>>,
    reached: Option<(usize, Mark)>,
    killed: Option<(usize, Mark)>,
}

impl Trace {
    pub fn new(steps: usize, counting: bool) -> Trace {
        let counted_steps = if counting { steps } else { 0 };
        Trace {
            counting,
            matched: vec![0; counted_steps],
            first: vec![None; counted_steps],
            reached: None,
            killed: None,
        }
    }

    /// Whether matches are counted per step (explain mode).
    pub fn counting(&self) -> bool {
        self.counting
    }

    /// A partial now holds `marks`: remembers its deepest bound step if deeper than any before.
    pub fn bound(&mut self, marks: &[Option<StepMarks>]) {
        let Some(depth) = marks.iter().rposition(Option::is_some) else {
            return;
        };
        if self
            .reached
            .as_ref()
            .is_some_and(|(deepest, _)| *deepest >= depth)
        {
            return;
        }
        if let Some(Some(step_marks)) = marks.get(depth) {
            self.reached = Some((depth, step_marks.first.clone()));
        }
    }

    /// The record matched `step` (its hits are not empty).
    pub fn matched(&mut self, step: usize, rec: &Rec<'_>, hits: &[Hit]) {
        let Some(hit) = hits.first() else {
            return;
        };
        if let Some(count) = self.matched.get_mut(step) {
            *count += 1;
        }
        if let Some(slot @ None) = self.first.get_mut(step) {
            *slot = Some(rec.mark(&hit.highlights));
        }
    }

    /// The record ended a partial through absent step `step` (the first such record is kept).
    pub fn killed(&mut self, step: usize, rec: &Rec<'_>) {
        if self.killed.is_none() {
            self.killed = Some((step, rec.mark(&[])));
        }
    }

    /// The public form, with the rule's fact results.
    pub fn finish(&self, facts: Vec<FactResult>) -> RuleTrace {
        RuleTrace {
            counted: self.counting,
            matched: self.matched.clone(),
            first: self
                .first
                .iter()
                .map(|mark| mark.as_ref().map(Mark::loc))
                .collect(),
            reached: self
                .reached
                .as_ref()
                .map(|(depth, mark)| (*depth, mark.loc())),
            killed: self.killed.as_ref().map(|(step, mark)| (*step, mark.loc())),
            facts,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::finding::{MatchOutput, RuleTrace};
    use crate::matcher::testkit::{self, absent, rule, rule_set, step, Contains, Row};
    use crate::matcher::{run_with, MatchOptions};
    use crate::rule::ir::CompiledRule;

    const T0: i64 = 1_750_000_000_000;

    fn spawn_enoent() -> CompiledRule {
        let mut enoent = step("enoent", Contains::binding("enoent for", "server"));
        enoent.within = Some(5_000);
        rule(
            "npx",
            &["server"],
            vec![
                step("spawn", Contains::binding("spawning", "server")),
                enoent,
            ],
        )
    }

    fn run(rules: Vec<CompiledRule>, rows: &[Row<'_>], explain: bool) -> MatchOutput {
        let src = testkit::source(0, "claude-code-debug", rows);
        let opts = MatchOptions {
            explain,
            ..MatchOptions::default()
        };
        run_with(&rule_set(rules), &[src], &opts)
    }

    /// `(counted, matched, first seqs, reached (step, seq), killed (step, seq))`.
    type Summary = (
        bool,
        Vec<u64>,
        Vec<Option<u32>>,
        Option<(usize, u32)>,
        Option<(usize, u32)>,
    );

    fn summary(t: &RuleTrace) -> Summary {
        (
            t.counted,
            t.matched.clone(),
            t.first.iter().map(|l| l.as_ref().map(|l| l.seq)).collect(),
            t.reached.as_ref().map(|(d, l)| (*d, l.seq)),
            t.killed.as_ref().map(|(d, l)| (*d, l.seq)),
        )
    }

    const OUT_OF_ORDER: &[Row<'static>] = &[
        (Some(T0), "enoent for a", None),
        (Some(T0 + 1_000), "spawning b", None),
        (Some(T0 + 2_000), "enoent for c", None),
        (Some(T0 + 9_000), "spawning c", None),
        (Some(T0 + 20_000), "enoent for c", None),
    ];

    #[test]
    fn counts_every_step_even_when_no_partial_waits_for_it() {
        let out = run(vec![spawn_enoent()], OUT_OF_ORDER, true);
        assert!(out.findings.is_empty());
        assert_eq!(out.traces.len(), 1);
        assert_eq!(
            summary(&out.traces[0]),
            (true, vec![2, 3], vec![Some(1), Some(0)], Some((0, 1)), None)
        );
    }

    #[test]
    fn without_explain_only_depth_is_kept_and_findings_are_the_same() {
        let off = run(vec![spawn_enoent()], OUT_OF_ORDER, false);
        assert_eq!(
            summary(&off.traces[0]),
            (false, vec![], vec![], Some((0, 1)), None)
        );
        let rows: &[Row<'_>] = &[
            (Some(T0), "spawning a", None),
            (Some(T0 + 1_000), "enoent for b", None),
            (Some(T0 + 2_000), "enoent for a", None),
        ];
        let on = run(vec![spawn_enoent()], rows, true);
        let off = run(vec![spawn_enoent()], rows, false);
        assert_eq!(on.findings, off.findings);
        assert_eq!(on.findings.len(), 1);
        assert_eq!(
            summary(&on.traces[0]),
            (true, vec![1, 2], vec![Some(0), Some(1)], Some((1, 2)), None)
        );
    }

    #[test]
    fn a_mid_sequence_absence_is_named_with_its_record() {
        let mut enoent = step("enoent", Contains::binding("enoent for", "server"));
        enoent.within = Some(5_000);
        let r = rule(
            "guarded",
            &["server"],
            vec![
                step("spawn", Contains::binding("spawning", "server")),
                absent("retry", Contains::binding("retrying", "server")),
                enoent,
            ],
        );
        let rows: &[Row<'_>] = &[
            (Some(T0), "spawning a", None),
            (Some(T0 + 1_000), "retrying a", None),
            (Some(T0 + 2_000), "enoent for a", None),
        ];
        let out = run(vec![r], rows, true);
        assert!(out.findings.is_empty());
        assert_eq!(
            summary(&out.traces[0]),
            (
                true,
                vec![1, 1, 1],
                vec![Some(0), Some(1), Some(2)],
                Some((0, 0)),
                Some((1, 1))
            )
        );
    }

    #[test]
    fn a_trailing_absence_that_happened_is_named() {
        let mut recovered = absent("recovered", Contains::binding("connected", "server"));
        recovered.within = Some(30_000);
        let mut r = spawn_enoent();
        r.steps.push(recovered);
        let rows: &[Row<'_>] = &[
            (Some(T0), "spawning a", None),
            (Some(T0 + 1_000), "enoent for a", None),
            (Some(T0 + 3_000), "connected a", None),
            (Some(T0 + 60_000), "spawning z", None),
        ];
        let out = run(vec![r], rows, true);
        assert!(out.findings.is_empty());
        assert_eq!(
            summary(&out.traces[0]),
            (
                true,
                vec![2, 1, 1],
                vec![Some(0), Some(1), Some(2)],
                Some((1, 1)),
                Some((2, 2))
            )
        );
    }
}
