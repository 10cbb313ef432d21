//! The text summary of `logscan eval`: the `diagnosable` split (the
//! headline), the other figures, then the misses and errors, the confusion table, per-rule precision and the verdict, like a test
//! runner. It prints the summary's values only; it never recomputes a figure.

use std::io::{self, Write};

use logscan_engine::eval::summary::{Accuracy, CaseResult, Ratio, Summary};

use crate::print::{paint, BOLD, HELP, LIKELY};

/// Width of the label column of the headline lines.
const LABEL: usize = 14;

pub fn write(out: &mut impl Write, s: &Summary) -> io::Result<()> {
    let errors = match s.errors.len() {
        1 => "1 error".to_string(),
        n => format!("{n} errors"),
    };
    writeln!(
        out,
        "{} {} cases, {} scored, {errors}",
        paint(BOLD, "logscan eval:"),
        s.cases,
        s.scored
    )?;
    writeln!(out)?;
    split(out, s)?;
    headline(out, s)?;
    misses(out, s)?;
    if !s.errors.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            paint(BOLD, format!("errors ({}):", s.errors.len()))
        )?;
        let width = s.errors.iter().map(|e| e.case.len()).max().unwrap_or(0);
        for e in &s.errors {
            writeln!(out, "  {:width$}  {}", e.case, e.message)?;
        }
    }
    confusion(out, s)?;
    rules(out, s)?;
    writeln!(out)?;
    if s.failures.is_empty() {
        writeln!(out, "{}", paint(HELP, "ok"))
    } else {
        for f in &s.failures {
            writeln!(out, "{} {f}", paint(LIKELY, "FAILED:"))?;
        }
        Ok(())
    }
}

/// Which catalogued cases the headline ratios count.
fn which(s: &Summary) -> String {
    let levels: Vec<&str> = s
        .by_confidence
        .iter()
        .map(|l| l.confidence.as_str())
        .filter(|c| *c != "low")
        .collect();
    if s.by_confidence.is_empty() {
        "catalogued cases".to_string()
    } else {
        format!("catalogued cases, confidence {}", levels.join(" or "))
    }
}

/// The `diagnosable` split: what the paste holds, and how each part fared.
fn split(out: &mut impl Write, s: &Summary) -> io::Result<()> {
    let d = &s.diagnosable;
    let groups: Vec<String> = d
        .groups
        .iter()
        .map(|g| {
            let name = g.diagnosable.map_or("unlabelled", |v| v.as_str());
            format!("{name} {}", g.cases)
        })
        .collect();
    let groups = if groups.is_empty() {
        "no case".to_string()
    } else {
        groups.join(", ")
    };
    line(out, "diagnosable", groups)?;
    line(
        out,
        "  yes",
        format!("top-1 {:<16}  {}", d.yes_top1.to_string(), which(s)),
    )?;
    line(out, "  partial", format!("top-3 {}", d.partial_top3))?;
    let n = &d.no;
    line(
        out,
        "  no",
        format!(
            "{}/{} without a likely cause, {} with a wrong likely cause",
            n.no_likely, n.cases, n.wrong_likely
        ),
    )?;
    line(
        out,
        "  wrong likely",
        format!("{} of the cases with a likely cause", d.wrong_likely),
    )?;
    line(
        out,
        "  clean",
        format!("{} of none/other without a likely cause", d.clean),
    )?;
    writeln!(out)
}

fn headline(out: &mut impl Write, s: &Summary) -> io::Result<()> {
    let which = which(s);
    line(
        out,
        "top-1",
        format!("{:<16}  {which}", s.headline.top1.to_string()),
    )?;
    line(out, "top-3", s.headline.top3)?;
    if s.catalogued != s.headline {
        line(out, "all catalogued", pair(&s.catalogued))?;
    }
    for l in &s.by_confidence {
        line(out, &format!("  {}", l.confidence), pair(&l.accuracy))?;
    }
    let n = &s.none_other;
    if n.no_likely.total > 0 {
        let any = n.any_cause;
        line(
            out,
            "none/other",
            format!(
                "{} without a likely cause; {any} with any cause",
                n.no_likely
            ),
        )?;
    }
    line(out, "wrong likely", s.wrong_likely)?;
    line(out, "possible right", s.possible_right)?;
    if s.verdicts.total > 0 {
        line(out, "verdicts", format!("{} as expected", s.verdicts))?;
    }
    Ok(())
}

fn pair(a: &Accuracy) -> String {
    format!("top-1 {:<16}  top-3 {}", a.top1.to_string(), a.top3)
}

fn line(out: &mut impl Write, label: &str, value: impl std::fmt::Display) -> io::Result<()> {
    writeln!(out, "{label:LABEL$}  {value}")
}

fn misses(out: &mut impl Write, s: &Summary) -> io::Result<()> {
    let missed: Vec<&CaseResult> = s.results.iter().filter(|r| !r.ok).collect();
    if missed.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(
        out,
        "{}",
        paint(BOLD, format!("misses ({}):", missed.len()))
    )?;
    let width = missed.iter().map(|r| r.case.len()).max().unwrap_or(0);
    let dwidth = missed
        .iter()
        .map(|r| r.diagnosable.map_or(1, |d| d.as_str().len()))
        .max()
        .unwrap_or(0);
    for r in missed {
        let d = r.diagnosable.map_or("-", |d| d.as_str());
        let mut expected = r.expect.to_string();
        if let Some(v) = r.expect_verdict {
            expected.push_str(&format!(" ({})", v.as_str()));
        }
        if let Some(c) = r.confidence {
            expected.push_str(&format!(" [{}]", c.as_str()));
        }
        let got = match (&r.got, r.verdict, r.score) {
            (Some(c), Some(v), Some(score)) => format!("{c} ({} {score:.2})", v.as_str()),
            _ => "nothing".to_string(),
        };
        let rank = match r.rank {
            Some(Some(n)) if n > 1 => format!(", {} ranked {n}", r.expect),
            Some(None) if r.got.is_some() => format!(", {} not reported", r.expect),
            _ => String::new(),
        };
        writeln!(
            out,
            "  {:width$}  {d:dwidth$}  expected {expected}, got {got}{rank}",
            r.case
        )?;
    }
    Ok(())
}

fn confusion(out: &mut impl Write, s: &Summary) -> io::Result<()> {
    if s.confusion.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(
        out,
        "{}",
        paint(BOLD, "confusion (expected: ranked first, `=` the same):")
    )?;
    let width = s
        .confusion
        .iter()
        .map(|c| c.expect.len())
        .max()
        .unwrap_or(0);
    let mut rows: Vec<(&str, Vec<String>)> = Vec::new();
    for c in &s.confusion {
        if rows.last().map(|(e, _)| *e) != Some(c.expect.as_str()) {
            rows.push((&c.expect, Vec::new()));
        }
        if let Some((_, cells)) = rows.last_mut() {
            // The right answer first, then the wrong ones by name.
            if c.got == c.expect {
                cells.insert(0, format!("= {}", c.count));
            } else {
                cells.push(format!("{} {}", c.got, c.count));
            }
        }
    }
    for (expect, cells) in rows {
        writeln!(out, "  {expect:width$}  {}", cells.join(", "))?;
    }
    Ok(())
}

fn rules(out: &mut impl Write, s: &Summary) -> io::Result<()> {
    if s.rules.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(
        out,
        "{}",
        paint(BOLD, "rule precision (correct/fired, lowest first):")
    )?;
    let cells: Vec<String> = s
        .rules
        .iter()
        .map(|r| Ratio::new(r.correct, r.fired).to_string())
        .collect();
    let width = cells.iter().map(String::len).max().unwrap_or(0);
    for (r, cell) in s.rules.iter().zip(cells) {
        writeln!(out, "  {cell:width$}  {}", r.rule)?;
    }
    Ok(())
}
