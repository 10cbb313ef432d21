//! Pass/fail limits of an evaluation (`--min-top1`, `--max-wrong-likely`).
//! Cases that could not be scored always fail. This module only compares
//! counts; it never rounds a rate before comparing it.

use crate::eval::summary::Summary;

/// Tolerance for comparing a rate with a limit given as a decimal.
const EPS: f64 = 1e-9;

/// Limits; `None` checks nothing.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Thresholds {
    /// Minimum headline top-1 accuracy, in [0, 1].
    pub min_top1: Option<f64>,
    /// Maximum wrong-likely rate, in [0, 1].
    pub max_wrong_likely: Option<f64>,
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
        if let Some(max) = self.max_wrong_likely {
            let r = s.wrong_likely.rate().unwrap_or(0.0);
            if r > max + EPS {
                out.push(format!(
                    "wrong likely verdicts {} exceed the maximum {max}",
                    s.wrong_likely
                ));
            }
        }
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
    use crate::eval::summary::Ratio;

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
}
