//! The static layout of a rule's steps: which are positive, which absent
//! steps guard which positive step, which lead and which trail.
//!
//! Computed once per rule from its compiled steps and read by every part of
//! the automaton. This module must never hold run state: it is the same for
//! every record.

use crate::rule::ir::CompiledRule;

/// The static layout of a rule's steps.
#[derive(Debug)]
pub(crate) struct Shape {
    pub first: Option<usize>,
    /// Next positive step after `j`.
    pub next: Vec<Option<usize>>,
    /// Previous positive step before `j`.
    pub prev: Vec<Option<usize>>,
    /// For a positive step: the absent steps between the previous positive step and it.
    pub guards: Vec<Vec<usize>>,
    pub leading: Vec<usize>,
    pub trailing: Vec<usize>,
}

impl Shape {
    pub fn new(rule: &CompiledRule) -> Shape {
        let step_count = rule.steps.len();
        let positive: Vec<usize> = (0..step_count)
            .filter(|&step| !rule.steps[step].absent)
            .collect();
        let first = positive.first().copied();
        let last = positive.last().copied();
        let next = (0..step_count)
            .map(|step| positive.iter().copied().find(|&later| later > step))
            .collect();
        let prev = (0..step_count)
            .map(|step| {
                positive
                    .iter()
                    .rev()
                    .copied()
                    .find(|&earlier| earlier < step)
            })
            .collect::<Vec<_>>();
        let guards = (0..step_count)
            .map(|step| match (rule.steps[step].absent, prev[step]) {
                (false, Some(previous)) => (previous + 1..step).collect(),
                _ => Vec::new(),
            })
            .collect();
        let leading = (0..first.unwrap_or(step_count)).collect();
        let trailing = match last {
            Some(last) => (last + 1..step_count).collect(),
            None => Vec::new(),
        };
        Shape {
            first,
            next,
            prev,
            guards,
            leading,
            trailing,
        }
    }

    /// The positive step whose last record step `step`'s `within` is measured
    /// from: its `after:` step, else the previous positive step.
    pub fn anchor_step(&self, rule: &CompiledRule, step: usize) -> Option<usize> {
        rule.steps[step]
            .after
            .filter(|&after| after < step && !rule.steps[after].absent)
            .or(self.prev.get(step).copied().flatten())
    }
}

#[cfg(test)]
mod tests {
    use super::Shape;
    use crate::matcher::testkit::{absent, rule, step, Contains};

    #[test]
    fn layout_of_leading_guarding_and_trailing_absences() {
        let mut exit = step("exit", Contains::new("exit"));
        exit.after = Some(1);
        let compiled = rule(
            "layout",
            &[],
            vec![
                absent("before", Contains::new("before")),
                step("start", Contains::new("start")),
                absent("retry", Contains::new("retry")),
                step("middle", Contains::new("middle")),
                exit,
                absent("recovered", Contains::new("recovered")),
            ],
        );
        let shape = Shape::new(&compiled);
        assert_eq!(shape.first, Some(1));
        assert_eq!(shape.leading, vec![0]);
        assert_eq!(shape.trailing, vec![5]);
        assert_eq!(shape.guards[3], vec![2]);
        assert!(shape.guards[4].is_empty());
        assert_eq!(
            shape.next,
            vec![Some(1), Some(3), Some(3), Some(4), None, None]
        );
        assert_eq!(
            shape.prev,
            vec![None, None, Some(1), Some(1), Some(3), Some(4)]
        );
        // `after:` names the anchor; else the previous positive step.
        assert_eq!(shape.anchor_step(&compiled, 4), Some(1));
        assert_eq!(shape.anchor_step(&compiled, 3), Some(1));
        assert_eq!(shape.anchor_step(&compiled, 5), Some(4));
        assert_eq!(shape.anchor_step(&compiled, 1), None);
    }
}
