//! `--format html`: the report as one self-contained HTML file (no network,
//! no script, one inline style sheet): the ranked causes with their
//! findings, evidence (the matched part highlighted, with its file and
//! line), explanation, fix and what to collect, a timeline of the evidence
//! across sources (`timeline`), then what is inconclusive, unexplained and
//! the inputs with their notes.
//!
//! Every text from the report is HTML-escaped here, by quick-xml's `escape`
//! (`&amp; &lt; &gt; &quot; &apos;`, all HTML5 references; the one escaper
//! of the project, JUnit's too), and was redacted by the engine already. Deterministic: the same report gives the same bytes (the
//! elapsed time is left out). This module reads report values only; it never
//! re-reads logs.

mod timeline;

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Write};

use logscan_engine::rank::Verdict;
use logscan_engine::report::{Evidence, FindingReport, Report};

/// Colours of causes on the timeline and in the headings (CSS `.c0` ...).
const PALETTE: usize = 6;

const STYLE: &str = include_str!("report.css");

/// Writes `report` as an HTML document.
pub fn write(out: &mut impl Write, report: &Report) -> io::Result<()> {
    out.write_all(render(report).as_bytes())
}

/// The HTML document of `report`.
pub fn render(report: &Report) -> String {
    let mut doc = Doc::default();
    doc.head(report);
    doc.overview(report);
    doc.timeline(report);
    for (i, c) in report.causes.iter().enumerate() {
        let _ = write!(
            doc.s,
            "<section class=\"cause\" id=\"cause-{n}\"><h2><span class=\"swatch c{k}\"></span>{n}. \
             <span class=\"verdict {v}\">{v}</span> {title} <span class=\"id\">[{id}]</span> \
             <span class=\"score\">score {score:.2}</span></h2>",
            n = i + 1,
            k = i % PALETTE,
            v = verdict(c.verdict),
            title = escape(&c.title),
            id = escape(&c.cause),
            score = c.score,
        );
        for f in &c.findings {
            doc.finding(f, Some(i));
        }
        doc.s.push_str("</section>\n");
    }
    if report.causes.is_empty() {
        doc.s.push_str(
            "<section class=\"none\"><h2>No cause found</h2><p>No rule matched a known \
             failure in these logs.</p></section>\n",
        );
    }
    doc.rest(report);
    doc.s.push_str("</main></body></html>\n");
    doc.s
}

#[derive(Default)]
struct Doc {
    s: String,
    /// Evidence records written so far (`ev-N` ids, from 1).
    evidence: usize,
}

impl Doc {
    fn head(&mut self, r: &Report) {
        let _ = write!(
            self.s,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <meta name=\"generator\" content=\"logscan {v} ({schema})\">\
             <title>logscan: {title}</title><style>{STYLE}</style></head><body><main>\n",
            v = env!("CARGO_PKG_VERSION"),
            schema = escape(&r.schema),
            title = escape(
                &r.causes
                    .first()
                    .map_or("no cause found".to_string(), |c| c.title.clone())
            ),
        );
    }

    fn overview(&mut self, r: &Report) {
        let _ = write!(
            self.s,
            "<header><h1>logscan report</h1><p class=\"stats\">{} input(s), {} records, {} bytes, \
             {} rules</p>",
            r.inputs.len(),
            r.stats.records,
            r.stats.bytes,
            r.stats.rules
        );
        if !r.causes.is_empty() {
            self.s.push_str("<ol class=\"ranking\">");
            for (i, c) in r.causes.iter().enumerate() {
                let _ = write!(
                    self.s,
                    "<li><a href=\"#cause-{n}\"><span class=\"swatch c{k}\"></span>\
                     <span class=\"verdict {v}\">{v}</span> {t}</a> <span class=\"score\">{s:.2}</span></li>",
                    n = i + 1,
                    k = i % PALETTE,
                    v = verdict(c.verdict),
                    t = escape(&c.title),
                    s = c.score,
                );
            }
            self.s.push_str("</ol>");
        }
        self.s.push_str("</header>\n");
    }

    /// The timeline of the causes' evidence; the evidence numbers match the
    /// order the sections write them in.
    fn timeline(&mut self, r: &Report) {
        let mut lanes: Vec<String> = Vec::new();
        let mut marks = Vec::new();
        let mut n = 0;
        for (ci, c) in r.causes.iter().enumerate() {
            for e in c.findings.iter().flat_map(|f| &f.evidence) {
                n += 1;
                let Some(ms) = e.ts.as_deref().and_then(timeline::parse_ts) else {
                    continue;
                };
                let lane = match lanes.iter().position(|p| *p == e.path) {
                    Some(l) => l,
                    None => {
                        lanes.push(e.path.clone());
                        lanes.len() - 1
                    }
                };
                marks.push(timeline::Mark {
                    lane,
                    ms,
                    cause: ci,
                    evidence: n,
                    label: format!(
                        "{} · {} · {}:{}",
                        e.ts.as_deref().unwrap_or(""),
                        e.step,
                        e.path,
                        e.line
                    ),
                });
            }
        }
        // Lanes in the order of the inputs.
        let rank = |p: &String| {
            r.inputs
                .iter()
                .position(|i| i.path == *p)
                .unwrap_or(usize::MAX)
        };
        let mut order: Vec<usize> = (0..lanes.len()).collect();
        order.sort_by_key(|&l| (rank(&lanes[l]), l));
        let lanes_sorted: Vec<String> = order.iter().map(|&l| lanes[l].clone()).collect();
        for m in &mut marks {
            m.lane = order.iter().position(|&l| l == m.lane).unwrap_or(0);
        }
        if let Some(svg) = timeline::svg(&lanes_sorted, &marks) {
            let _ = writeln!(
                self.s,
                "<section class=\"timeline-box\"><h2>Timeline</h2><p class=\"hint\">Each source \
                 on its own lane, times in UTC; a mark is an evidence record (follow it to its \
                 text); hatched: a quiet stretch, with its length.</p><div class=\"scroll\">{svg}</div></section>"
            );
        }
    }

    fn finding(&mut self, f: &FindingReport, cause: Option<usize>) {
        let key = f
            .key
            .iter()
            .map(|(k, v)| format!("{}={}", escape(k), escape(v)))
            .collect::<Vec<_>>()
            .join(", ");
        let _ = write!(
            self.s,
            "<article class=\"finding{sym}\"><h3>{summary}</h3><p class=\"meta\">rule <code>{rule}</code>{key}{occ} · {status}{uncertain}</p>",
            sym = if f.symptom { " symptom" } else { "" },
            summary = escape(&f.summary),
            rule = escape(&f.rule),
            key = if key.is_empty() { String::new() } else { format!(" · {key}") },
            occ = if f.occurrences > 1 { format!(" · {} occurrences", f.occurrences) } else { String::new() },
            status = escape(&f.status),
            uncertain = if f.order_uncertain { " · order relied on the clock-skew tolerance" } else { "" },
        );
        for e in &f.evidence {
            if cause.is_some() {
                self.evidence += 1;
            }
            self.evidence_block(e, cause.map(|_| self.evidence));
        }
        let _ = write!(
            self.s,
            "<dl><dt>Why</dt><dd>{}</dd><dt>Fix</dt><dd>{}</dd>",
            text_block(&f.explanation),
            text_block(&f.fix)
        );
        if !f.collect.is_empty() {
            self.s.push_str("<dt>Collect</dt><dd><ul>");
            for c in &f.collect {
                let _ = write!(self.s, "<li>{}</li>", escape(c));
            }
            self.s.push_str("</ul></dd>");
        }
        self.s.push_str("</dl></article>\n");
    }

    fn evidence_block(&mut self, e: &Evidence, id: Option<usize>) {
        let id = id.map_or(String::new(), |n| format!(" id=\"ev-{n}\""));
        let lines = if e.end_line > e.line {
            format!("{}-{}", e.line, e.end_line)
        } else {
            e.line.to_string()
        };
        let _ = write!(
            self.s,
            "<div class=\"evidence\"{id}><div class=\"where\"><span class=\"step\">{step}</span> \
             <code>{path}:{lines}</code> <span class=\"bytes\">bytes {start}-{end}</span>{ts}</div>\
             <pre>{text}</pre></div>",
            step = escape(&e.step),
            path = escape(&e.path),
            start = e.start,
            end = e.end,
            ts =
                e.ts.as_deref()
                    .map_or(String::new(), |t| format!(" <time>{}</time>", escape(t))),
            text = highlighted(&e.text, &e.highlights),
        );
    }

    fn rest(&mut self, r: &Report) {
        if !r.collect.is_empty() {
            self.s
                .push_str("<section class=\"collect\"><h2>Collect next</h2><ul>");
            for c in &r.collect {
                let _ = write!(
                    self.s,
                    "<li><strong>{}</strong>: {}</li>",
                    escape(&c.what),
                    escape(&c.why)
                );
            }
            self.s.push_str("</ul></section>\n");
        }
        if !r.inconclusive.is_empty() {
            self.s.push_str(
                "<section class=\"inconclusive\"><h2>Inconclusive</h2><p class=\"hint\">The log \
                 ends before these could be decided; never a cause.</p>",
            );
            for f in &r.inconclusive {
                self.finding(f, None);
            }
            self.s.push_str("</section>\n");
        }
        if !r.unexplained.is_empty() {
            self.s.push_str(
                "<section class=\"unexplained\"><h2>Unexplained errors</h2><table><tr><th>count</th>\
                 <th>where</th><th>first message</th></tr>",
            );
            for u in &r.unexplained {
                let _ = write!(
                    self.s,
                    "<tr><td>{}</td><td><code>{}:{}</code></td><td><code>{}</code></td></tr>",
                    u.count,
                    escape(&u.path),
                    u.line,
                    escape(&u.text)
                );
            }
            self.s.push_str("</table></section>\n");
        }
        self.s.push_str(
            "<section class=\"inputs\"><h2>Inputs</h2><table><tr><th>path</th><th>format</th>\
             <th>encoding</th><th>bytes</th><th>records</th><th>notes</th></tr>",
        );
        for i in &r.inputs {
            let notes = i
                .notes
                .iter()
                .map(|n| escape(n))
                .collect::<Vec<_>>()
                .join("<br>");
            let _ = write!(
                self.s,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&i.path),
                escape(&i.format),
                escape(&i.encoding),
                i.bytes,
                i.records,
                notes
            );
        }
        self.s.push_str("</table></section>\n");
    }
}

fn verdict(v: Verdict) -> &'static str {
    match v {
        Verdict::Likely => "likely",
        Verdict::Possible => "possible",
    }
}

/// A diagnosis text: paragraphs at blank lines, escaped.
fn text_block(text: &str) -> String {
    text.split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| format!("<p>{}</p>", escape(p.trim())))
        .collect()
}

/// `text` escaped, with its highlighted byte ranges in `<mark>` (ranges that
/// are out of order, overlapping or not on character boundaries are left out).
fn highlighted(text: &str, ranges: &[(u32, u32)]) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    let mut at = 0usize;
    for &(a, b) in ranges {
        let (a, b) = (a as usize, b as usize);
        let (Some(before), Some(mark)) = (text.get(at..a), text.get(a..b)) else {
            continue;
        };
        if a < at || b <= a {
            continue;
        }
        out.push_str(&escape(before));
        let _ = write!(out, "<mark>{}</mark>", escape(mark));
        at = b;
    }
    out.push_str(&escape(text.get(at..).unwrap_or("")));
    out
}

/// `text` escaped for HTML text and attribute values: quick-xml's `escape`
/// (`&amp; &lt; &gt; &quot; &apos;`), taking a `&str` for every call here.
fn escape(text: &str) -> Cow<'_, str> {
    quick_xml::escape::escape(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_highlights_are_marked_on_character_boundaries() {
        assert_eq!(
            escape("<a href='x'>&\"</a>"),
            "&lt;a href=&apos;x&apos;&gt;&amp;&quot;&lt;/a&gt;"
        );
        assert_eq!(
            highlighted("spawn <npx> ENOENT", &[(6, 11), (12, 18)]),
            "spawn <mark>&lt;npx&gt;</mark> <mark>ENOENT</mark>"
        );
        // "é" is two bytes: a range inside it is left out, not a panic.
        assert_eq!(highlighted("é x", &[(1, 2), (3, 4)]), "é <mark>x</mark>");
        assert_eq!(highlighted("abc", &[(2, 9), (1, 2)]), "a<mark>b</mark>c");
    }
}
