//! Pass/fail limits of an evaluation (`--min-top1`, `--min-yes-top1`,
//! `--min-partial-top3`, `--max-wrong-likely`, `--min-clean`).
//! Cases that could not be scored always fail. This module only compares
//! counts; it never rounds a rate before comparing it.

use crate::eval::summary::{Ratio, Summary};

/// Tolerance for comparing a rate with a limit given as a decimal.
const EPS: f64 = 1e-9;

/// Limits; `None` checks nothing.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Thresholds {
    /// Minimum headline top-1 accuracy, in [0, 1].
    pub min_top1: Option<f64>,
    /// Maximum wrong-likely rate, in [0, 1].
    pub max_wrong_likely: Option<f64>,
    /// Minimum top-1 accuracy on the `diagnosable: yes` cases, in [0, 1].
    pub min_yes_top1: Option<f64>,
    /// Minimum top-3 accuracy on the `diagnosable: partial` cases, in [0, 1].
    pub min_partial_top3: Option<f64>,
    /// Minimum share of `none`/`other` cases without a `likely` cause, in [0, 1].
    pub min_clean: Option<f64>,
}

/// A minimum on `ratio`, or a message saying why it fails. A limit with
/// nothing to measure fails too: the limit asked for a figure that is not there.
fn minimum(out: &mut Vec<String>, what: &str, ratio: Ratio, min: Option<f64>) {
    let Some(min) = min else { return };
    match ratio.rate() {
        None => out.push(format!("{what}: no case to measure (minimum {min})")),
        Some(r) if r + EPS < min => out.push(format!("{what} {ratio} is below the minimum {min}")),
        Some(_) => {}
    }
}

impl Thresholds {
    /// The failed limits, one message each (empty when everything holds).
    pub fn check(&self, s: &Summary) -> Vec<String> {
        let mut out = Vec::new();
        if !s.errors.is_empty() {
            out.push(format!(
                "{} of {} cases could not be scored",
                s.errors.len(),
                s.cases
            ));
        }
        if let Some(min) = self.min_top1 {
            match s.headline.top1.rate() {
                None => out.push(format!(
                    "top-1 accuracy: no catalogued case to measure (minimum {min})"
                )),
                Some(r) if r + EPS < min => out.push(format!(
                    "top-1 accuracy {} is below the minimum {min}",
                    s.headline.top1
                )),
                Some(_) => {}
            }
        }
        let d = &s.diagnosable;
        minimum(&mut out, "yes top-1", d.yes_top1, self.min_yes_top1);
        minimum(
            &mut out,
            "partial top-3",
            d.partial_top3,
            self.min_partial_top3,
        );
        if let Some(max) = self.max_wrong_likely {
            let r = s.wrong_likely.rate().unwrap_or(0.0);
            if r > max + EPS {
                out.push(format!(
                    "wrong likely verdicts {} exceed the maximum {max}",
                    s.wrong_likely
                ));
            }
        }
        minimum(&mut out, "clean", d.clean, self.min_clean);
        out
    }
}

/// Whether a limit is a rate (in [0, 1]).
pub fn is_rate(x: f64) -> bool {
    (0.0..=1.0).contains(&x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::metrics::summarize;

    fn with(top1: Ratio, wrong: Ratio, errors: usize) -> Summary {
        let mut s = summarize(&[]);
        s.headline.top1 = top1;
        s.wrong_likely = wrong;
        s.cases = 10;
        for i in 0..errors {
            s.errors.push(crate::eval::summary::CaseError {
                case: format!("c{i}"),
                path: String::new(),
                message: "bad".into(),
            });
        }
        s
    }

    #[test]
    fn limits_are_inclusive_and_errors_always_fail() {
        let t = Thresholds {
            min_top1: Some(0.8),
            max_wrong_likely: Some(0.25),
            ..Thresholds::default()
        };
        assert!(t
            .check(&with(Ratio::new(4, 5), Ratio::new(1, 4), 0))
            .is_empty());
        assert_eq!(
            t.check(&with(Ratio::new(3, 5), Ratio::new(2, 4), 1)),
            [
                "1 of 10 cases could not be scored",
                "top-1 accuracy 3/5 (60.0%) is below the minimum 0.8",
                "wrong likely verdicts 2/4 (50.0%) exceed the maximum 0.25",
            ]
        );
        assert_eq!(
            t.check(&with(Ratio::new(0, 0), Ratio::new(0, 0), 0)),
            ["top-1 accuracy: no catalogued case to measure (minimum 0.8)"]
        );
        assert!(Thresholds::default()
            .check(&with(Ratio::new(0, 5), Ratio::new(5, 5), 0))
            .is_empty());
    }

    #[test]
    fn split_limits_read_the_split_and_fail_when_nothing_is_measured() {
        let t = Thresholds {
            min_yes_top1: Some(0.85),
            min_partial_top3: Some(0.7),
            min_clean: Some(0.95),
            ..Thresholds::default()
        };
        let mut s = with(Ratio::new(0, 0), Ratio::new(0, 0), 0);
        s.diagnosable.yes_top1 = Ratio::new(17, 20);
        s.diagnosable.partial_top3 = Ratio::new(7, 10);
        s.diagnosable.clean = Ratio::new(19, 20);
        assert!(t.check(&s).is_empty());
        s.diagnosable.yes_top1 = Ratio::new(16, 20);
        s.diagnosable.partial_top3 = Ratio::new(0, 0);
        s.diagnosable.clean = Ratio::new(18, 20);
        assert_eq!(
            t.check(&s),
            [
                "yes top-1 16/20 (80.0%) is below the minimum 0.85",
                "partial top-3: no case to measure (minimum 0.7)",
                "clean 18/20 (90.0%) is below the minimum 0.95",
            ]
        );
    }
}
