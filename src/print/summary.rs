//! The batch summary of `logscan scan --each`: how many bundles have each
//! cause first, as a text table or a final JSON line.
//!
//! It counts what the caller hands it (one first cause per bundle); it never
//! looks inside reports or logs, and never reorders by anything but the
//! documented order (bundles descending, then cause name).

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

/// Bundles counted by their first cause.
#[derive(Debug, Default)]
pub struct Tally {
    by_cause: BTreeMap<String, u64>,
    no_cause: u64,
    total: u64,
}

/// One row of the summary; `cause` is `None` for bundles without a cause.
#[derive(Debug, PartialEq, Serialize)]
pub struct Row {
    pub cause: Option<String>,
    pub bundles: u64,
    /// Fraction of all bundles in [0, 1], rounded to 4 decimals.
    pub share: f64,
}

/// The final JSON line: `{"summary": [...], "bundles": N}`.
#[derive(Debug, Serialize)]
pub struct JsonSummary {
    pub summary: Vec<Row>,
    pub bundles: u64,
}

impl Tally {
    /// Counts one bundle under its first cause (`None`: no cause).
    pub fn add(&mut self, first_cause: Option<&str>) {
        self.total += 1;
        match first_cause {
            Some(c) => *self.by_cause.entry(c.to_string()).or_default() += 1,
            None => self.no_cause += 1,
        }
    }

    /// Bundles counted.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Causes by bundles descending then name, then the `no cause` row (always present).
    pub fn rows(&self) -> Vec<Row> {
        let mut causes: Vec<(&String, &u64)> = self.by_cause.iter().collect();
        causes.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
        let mut rows: Vec<Row> = causes
            .into_iter()
            .map(|(c, n)| self.row(Some(c.clone()), *n))
            .collect();
        rows.push(self.row(None, self.no_cause));
        rows
    }

    fn row(&self, cause: Option<String>, bundles: u64) -> Row {
        let share = if self.total == 0 {
            0.0
        } else {
            (bundles as f64 / self.total as f64 * 10_000.0).round() / 10_000.0
        };
        Row {
            cause,
            bundles,
            share,
        }
    }

    /// The JSON summary line's value.
    pub fn json(&self) -> JsonSummary {
        JsonSummary {
            summary: self.rows(),
            bundles: self.total,
        }
    }
}

/// Writes the summary as an aligned table: cause, bundles, share %.
pub fn write_text(out: &mut impl Write, tally: &Tally) -> io::Result<()> {
    const NO_CAUSE: &str = "no cause";
    let rows = tally.rows();
    let width = rows
        .iter()
        .filter_map(|r| r.cause.as_ref().map(|c| c.len()))
        .chain([NO_CAUSE.len(), "total".len()])
        .max()
        .unwrap_or(0);
    let header = format!("{:<width$}  {:>7}  {:>6}", "cause", "bundles", "share");
    writeln!(out, "{}", header.trim_end())?;
    for r in &rows {
        let name = r.cause.as_deref().unwrap_or(NO_CAUSE);
        writeln!(
            out,
            "{name:<width$}  {:>7}  {:>5.1}%",
            r.bundles,
            r.share * 100.0
        )?;
    }
    let all = if tally.total() == 0 { 0.0 } else { 100.0 };
    writeln!(
        out,
        "{:<width$}  {:>7}  {all:>5.1}%",
        "total",
        tally.total()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(causes: &[Option<&str>]) -> Tally {
        let mut t = Tally::default();
        for c in causes {
            t.add(*c);
        }
        t
    }

    #[test]
    fn rows_order_by_bundles_then_name_with_no_cause_last() {
        let t = tally(&[Some("b"), None, Some("a"), Some("b"), Some("c")]);
        let rows = t.rows();
        let got: Vec<(Option<&str>, u64, f64)> = rows
            .iter()
            .map(|r| (r.cause.as_deref(), r.bundles, r.share))
            .collect();
        assert_eq!(
            got,
            vec![
                (Some("b"), 2, 0.4),
                (Some("a"), 1, 0.2),
                (Some("c"), 1, 0.2),
                (None, 1, 0.2)
            ]
        );
    }

    #[test]
    fn text_table_is_aligned_and_totals() {
        let t = tally(&[Some("windows-npx-shim"), None, Some("windows-npx-shim")]);
        let mut out = Vec::new();
        write_text(&mut out, &t).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\
cause             bundles   share
windows-npx-shim        2   66.7%
no cause                1   33.3%
total                   3  100.0%
"
        );
    }

    #[test]
    fn empty_batch_has_zero_shares_and_json_shape() {
        let t = Tally::default();
        let v = serde_json::to_value(t.json()).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"summary": [{"cause": null, "bundles": 0, "share": 0.0}], "bundles": 0})
        );
    }
}
