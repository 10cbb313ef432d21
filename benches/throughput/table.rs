//! The harness's results: one row per case and tool (median of the runs,
//! peak RSS over the runs, ratio to the case's first row), printed as a
//! markdown table for benches/RESULTS.md (a `|` in a tool name is escaped).
//!
//! This module only formats numbers it is given; it never measures.

use crate::measure::Measurement;

/// The measured runs of one tool in one case.
#[derive(Debug, Clone)]
pub struct Row {
    pub case: String,
    pub tool: String,
    pub runs: Vec<Measurement>,
    /// Input bytes (for MiB/s).
    pub bytes: u64,
    /// Units processed and their name, e.g. `(10_000, "bundles")`, for the rate column.
    pub units: Option<(u64, &'static str)>,
}

/// The median of `xs` (the mean of the middle two for an even count; 0 when empty).
pub fn median(xs: &[f64]) -> f64 {
    let mut v: Vec<f64> = xs.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    match (v.get(n / 2), n % 2) {
        (None, _) => 0.0,
        (Some(m), 1) => *m,
        (Some(hi), _) => (v.get(n / 2 - 1).copied().unwrap_or(*hi) + hi) / 2.0,
    }
}

impl Row {
    pub fn median_secs(&self) -> f64 {
        let xs: Vec<f64> = self.runs.iter().map(|m| m.secs).collect();
        median(&xs)
    }

    fn peak_rss_mib(&self) -> Option<f64> {
        self.runs
            .iter()
            .filter_map(|m| m.rss_kib)
            .max()
            .map(|k| k as f64 / 1024.0)
    }
}

pub const HEADER: &str = "| case | input MiB | tool | runs (s) | median s | MiB/s | rate | peak RSS MiB | ratio |\n|---|---|---|---|---|---|---|---|---|";

/// The table: ratio is each row's median over the median of the first row of its case.
pub fn markdown(rows: &[Row]) -> String {
    let mut out = String::from(HEADER);
    out.push('\n');
    for r in rows {
        let med = r.median_secs();
        let base = rows
            .iter()
            .find(|b| b.case == r.case)
            .map(Row::median_secs)
            .unwrap_or(med);
        let per_sec = |x: f64| if med > 0.0 { x / med } else { 0.0 };
        let mibs = per_sec(r.bytes as f64 / (1024.0 * 1024.0));
        let rate = r
            .units
            .map(|(n, unit)| format!("{:.0} {unit}/s", per_sec(n as f64)))
            .unwrap_or_default();
        let rss = r
            .peak_rss_mib()
            .map(|m| format!("{m:.0}"))
            .unwrap_or_else(|| "n/a".into());
        let ratio = if base > 0.0 { med / base } else { 0.0 };
        let runs: Vec<String> = r.runs.iter().map(|m| format!("{:.2}", m.secs)).collect();
        out.push_str(&format!(
            "| {} | {:.0} | {} | {} | {med:.2} | {mibs:.0} | {rate} | {rss} | {ratio:.2} |\n",
            r.case,
            r.bytes as f64 / (1024.0 * 1024.0),
            r.tool.replace('|', "\\|"),
            runs.join(", ")
        ));
    }
    out
}
