//! The text report: causes in order like compiler diagnostics (verdict, score,
//! evidence lines with the matched part underlined, explanation, fix), then
//! inconclusive findings, why not (`--explain`), unexplained errors, what to
//! collect next and a summary of the inputs. Every text is escaped before it is
//! written (`visible::report`), so a log's control characters are shown, never sent.
//! Evidence lines are printed with their tabs expanded and underlined by display
//! width, so the carets stand under the match after tabs and wide characters.

use std::io::{self, Write};

use logscan_engine::rank::Verdict;
use logscan_engine::report::{Cause, Evidence, FindingReport, Report};
use unicode_width::UnicodeWidthChar;

use super::{paint, BOLD, DIM, GUTTER, HELP, LIKELY, MARK, NOTE, POSSIBLE};

/// Evidence lines shown per record at most.
const MAX_LINES: usize = 6;
/// Explanations and fixes wrap at this column.
const WRAP: usize = 100;
/// Tab stops of evidence lines, every this many columns.
const TAB: usize = 8;

/// Writes the report; every text in it is escaped first (`visible`): a log never drives the terminal.
pub fn write(out: &mut impl Write, r: &Report) -> io::Result<()> {
    let r = &super::visible::report(r);
    if r.causes.is_empty() {
        writeln!(out, "{}", paint(BOLD, "No known cause found."))?;
    }
    for (i, c) in r.causes.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        cause(out, i + 1, c)?;
    }
    if !r.inconclusive.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            paint(
                BOLD,
                "Inconclusive (the log ends before this could be decided):"
            )
        )?;
        for f in &r.inconclusive {
            let at = f
                .evidence
                .last()
                .map(|e| format!("{}:{}", e.path, e.line))
                .unwrap_or_default();
            writeln!(
                out,
                "  {} {}  {}",
                paint(DIM, &f.rule),
                f.summary,
                paint(DIM, at)
            )?;
        }
    }
    if let Some(w) = &r.explain {
        writeln!(out)?;
        super::explain::why_not(out, w)?;
    }
    if !r.unexplained.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            paint(BOLD, "Unexplained errors (no rule covers these):")
        )?;
        for u in &r.unexplained {
            let count = if u.count > 1 {
                format!(" (x{})", u.count)
            } else {
                String::new()
            };
            writeln!(out, "  {}:{}{}  {}", u.path, u.line, count, u.text.trim())?;
        }
    }
    if !r.collect.is_empty() {
        writeln!(out)?;
        super::explain::collect(out, &r.collect)?;
    }
    writeln!(out)?;
    inputs(out, r)
}

fn cause(out: &mut impl Write, n: usize, c: &Cause) -> io::Result<()> {
    let (style, word) = match c.verdict {
        Verdict::Likely => (LIKELY, "likely"),
        Verdict::Possible => (POSSIBLE, "possible"),
    };
    writeln!(
        out,
        "{} {}  {}",
        paint(style, format!("{n}. {word}[{}]:", c.cause)),
        paint(BOLD, &c.title),
        paint(DIM, format!("score {:.2}", c.score)),
    )?;
    let own: Vec<&FindingReport> = c.findings.iter().filter(|f| !f.symptom).collect();
    if let Some(best) = own.first() {
        finding(out, best)?;
    }
    // Further findings of the same cause: one line each (the JSON report has them in full).
    for f in own.iter().skip(1) {
        also(out, "= also:", f)?;
    }
    for f in c.findings.iter().filter(|f| f.symptom) {
        also(out, "= explains:", f)?;
    }
    Ok(())
}

/// One line for a further finding: its summary, where, and its tag.
fn also(out: &mut impl Write, label: &str, f: &FindingReport) -> io::Result<()> {
    let at = f
        .evidence
        .iter()
        .find(|e| !e.step.starts_with("fact:"))
        .map(|e| format!("{}:{}, ", e.path, e.line))
        .unwrap_or_default();
    writeln!(
        out,
        "   {} {} {}",
        paint(NOTE, label),
        f.summary,
        paint(DIM, format!("({at}{})", meta(f).join(", ")))
    )
}

/// Rule, key, status and occurrences of a finding.
fn meta(f: &FindingReport) -> Vec<String> {
    let key: Vec<String> = f
        .key
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let mut meta = vec![format!("rule {}", f.rule)];
    if !key.is_empty() {
        meta.push(key.join(" "));
    }
    if f.status != "confirmed" {
        meta.push(f.status.clone());
    }
    if f.occurrences > 1 {
        meta.push(format!("{} occurrences", f.occurrences));
    }
    if f.order_uncertain {
        meta.push("order relies on clock-skew tolerance".into());
    }
    if f.unchecked_time > 0 {
        meta.push(format!(
            "{} time constraint(s) unchecked: no timestamp",
            f.unchecked_time
        ));
    }
    meta
}

fn finding(out: &mut impl Write, f: &FindingReport) -> io::Result<()> {
    writeln!(
        out,
        "   {}  {}",
        f.summary,
        paint(DIM, format!("[{}]", meta(f).join(", ")))
    )?;
    let width = f
        .evidence
        .iter()
        .map(|e| e.end_line.to_string().len())
        .max()
        .unwrap_or(1);
    for e in &f.evidence {
        evidence(out, e, width)?;
    }
    note(out, width + 2, paint(NOTE, "= why:"), &f.explanation)?;
    note(out, width + 2, paint(HELP, "= fix:"), &f.fix)?;
    for c in &f.collect {
        note(out, width + 2, paint(NOTE, "= collect:"), c)?;
    }
    Ok(())
}

/// A labelled note, word-wrapped at [`WRAP`] columns with a hanging indent.
fn note(out: &mut impl Write, indent: usize, label: String, text: &str) -> io::Result<()> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(());
    }
    let hang = indent + 7;
    let mut line = String::new();
    let mut first = true;
    for word in text.split_whitespace() {
        if !line.is_empty() && hang + line.len() + 1 + word.len() > WRAP {
            emit(out, indent, hang, &label, &line, first)?;
            first = false;
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    emit(out, indent, hang, &label, &line, first)
}

fn emit(
    out: &mut impl Write,
    indent: usize,
    hang: usize,
    label: &str,
    line: &str,
    first: bool,
) -> io::Result<()> {
    if first {
        writeln!(out, "{:indent$} {label} {line}", "")
    } else {
        writeln!(out, "{:hang$} {line}", "")
    }
}

fn evidence(out: &mut impl Write, e: &Evidence, width: usize) -> io::Result<()> {
    let ts =
        e.ts.as_deref()
            .map(|t| format!("  {t}"))
            .unwrap_or_default();
    writeln!(
        out,
        "{:w$}{} {}:{}  {}{}",
        "",
        paint(GUTTER, "-->"),
        e.path,
        e.line,
        paint(DIM, &e.step),
        paint(DIM, ts),
        w = width + 1
    )?;
    let mut offset = 0usize;
    for (i, line) in e.text.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let line_end = offset + line.len();
        if i < MAX_LINES {
            let num = e.line as usize + i;
            let (shown, marks) = underline(line, offset, &e.highlights);
            writeln!(
                out,
                "{} {}",
                paint(GUTTER, format!("{num:>width$} |")),
                shown
            )?;
            if !marks.is_empty() {
                writeln!(
                    out,
                    "{} {}",
                    paint(GUTTER, format!("{:width$} |", "")),
                    paint(MARK, marks)
                )?;
            }
        } else if i == MAX_LINES {
            writeln!(
                out,
                "{} {}",
                paint(GUTTER, format!("{:width$} |", "")),
                paint(DIM, "...")
            )?;
        }
        offset = line_end + 1 + usize::from(e.text[..].get(line_end..line_end + 1) == Some("\r"));
    }
    Ok(())
}

/// One evidence line as printed, with its tabs expanded (to the next multiple
/// of [`TAB`] columns from the line's start), and the carets under its
/// highlighted parts (`offset` = the line's start in the text), placed and
/// sized by display width: a wide character (CJK, emoji) takes two columns, a
/// combining mark none.
fn underline(line: &str, offset: usize, hl: &[(u32, u32)]) -> (String, String) {
    let mut shown = String::with_capacity(line.len());
    let mut marks = String::new();
    let mut col = 0usize;
    for (pos, c) in line.char_indices() {
        let w = if c == '\t' {
            TAB - col % TAB
        } else {
            UnicodeWidthChar::width(c).unwrap_or(0)
        };
        if c == '\t' {
            shown.push_str(&" ".repeat(w));
        } else {
            shown.push(c);
        }
        let at = offset + pos;
        if w > 0
            && hl
                .iter()
                .any(|&(s, e)| (s as usize) <= at && at < e as usize)
        {
            let pad = col.saturating_sub(marks.len());
            marks.push_str(&" ".repeat(pad));
            marks.push_str(&"^".repeat(w));
        }
        col += w;
    }
    (shown, marks)
}

fn inputs(out: &mut impl Write, r: &Report) -> io::Result<()> {
    writeln!(
        out,
        "{}",
        paint(
            DIM,
            format!(
                "Scanned {} input(s), {} records, {} bytes with {} rules in {} ms.",
                r.inputs.iter().filter(|i| i.format != "error").count(),
                r.stats.records,
                r.stats.bytes,
                r.stats.rules,
                r.stats.elapsed_ms
            )
        )
    )?;
    for i in &r.inputs {
        let what = if i.format == "error" {
            "not read".to_string()
        } else {
            format!("{} ({}, {} records)", i.format, i.encoding, i.records)
        };
        writeln!(out, "  {}  {}", i.path, paint(DIM, what))?;
        for n in &i.notes {
            writeln!(out, "    {} {n}", paint(NOTE, "note:"))?;
        }
    }
    if r.stats.evicted_partials > 0 {
        writeln!(
            out,
            "  {} {} partial matches were evicted by memory caps: results may be incomplete",
            paint(NOTE, "note:"),
            r.stats.evicted_partials
        )?;
    }
    if r.stats.dropped_findings > 0 {
        writeln!(
            out,
            "  {} {} more findings not kept: a rule found more than 1000 incidents (the first 1000 are shown)",
            paint(NOTE, "note:"),
            r.stats.dropped_findings
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::underline;

    /// The printed line and its carets for `line` with `needle` highlighted.
    fn marked(line: &str, needle: &str) -> (String, String) {
        let at = line.find(needle).unwrap_or(0);
        underline(line, 0, &[(at as u32, (at + needle.len()) as u32)])
    }

    #[test]
    fn carets_follow_ascii() {
        assert_eq!(
            marked("spawn npx ENOENT", "ENOENT"),
            ("spawn npx ENOENT".into(), "          ^^^^^^".into())
        );
    }

    #[test]
    fn tabs_expand_to_the_next_stop_of_eight_and_carets_follow() {
        assert_eq!(
            marked("a\tbc\tENOENT", "ENOENT"),
            (
                "a       bc      ENOENT".into(),
                "                ^^^^^^".into()
            )
        );
        // A highlighted tab is underlined over the columns it takes.
        assert_eq!(
            marked("abc\tx", "\tx"),
            ("abc     x".into(), "   ^^^^^^".into())
        );
    }

    #[test]
    fn wide_characters_take_two_columns() {
        assert_eq!(
            marked("服务器 spawn ENOENT", "ENOENT"),
            ("服务器 spawn ENOENT".into(), "             ^^^^^^".into())
        );
        assert_eq!(marked("x 🚀 y", "🚀"), ("x 🚀 y".into(), "  ^^".into()));
        // A combining mark takes no column.
        assert_eq!(
            marked("e\u{301}rr", "rr"),
            ("e\u{301}rr".into(), " ^^".into())
        );
    }
}
