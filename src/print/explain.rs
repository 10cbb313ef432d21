//! The text of "why not" (`scan --explain`: rules that came close and what
//! they missed) and of "To settle it, collect:" (what to collect next). Reads
//! report values only.

use std::io::{self, Write};

use logscan_engine::collect::Collect;
use logscan_engine::explain::WhyNot;

use super::{paint, BOLD, DIM, NOTE};

/// Rules shown in the text at most (the JSON report has them all).
const MAX_RULES: usize = 10;

/// The "Why not" section: one compact block per rule, deepest first.
pub fn why_not(out: &mut impl Write, rules: &[WhyNot]) -> io::Result<()> {
    writeln!(
        out,
        "{}",
        paint(BOLD, "Why not (rules that came close, deepest first):")
    )?;
    if rules.is_empty() {
        writeln!(out, "  no rule came close")?;
    }
    for w in rules.iter().take(MAX_RULES) {
        block(out, w)?;
    }
    if rules.len() > MAX_RULES {
        writeln!(
            out,
            "  {}",
            paint(
                DIM,
                format!(
                    "{} more (--format json lists them all)",
                    rules.len() - MAX_RULES
                )
            )
        )?;
    }
    Ok(())
}

fn block(out: &mut impl Write, w: &WhyNot) -> io::Result<()> {
    let reached = match (&w.reached, &w.first) {
        (Some(step), Some(e)) => format!("reached `{step}` at {}:{}", e.path, e.line),
        (Some(step), None) => format!("reached `{step}`"),
        (None, _) => "reached no step".to_string(),
    };
    let counts: Vec<String> = w
        .matched
        .0
        .iter()
        .map(|(s, n)| format!("{s}={n}"))
        .collect();
    writeln!(
        out,
        "  {} {}  {}",
        paint(BOLD, &w.rule),
        reached,
        paint(DIM, format!("matched {}", counts.join(" ")))
    )?;
    let at = w
        .missing
        .at
        .as_ref()
        .map(|e| format!(" ({}:{})", e.path, e.line))
        .unwrap_or_default();
    writeln!(
        out,
        "    {} {} `{}`: {}{at}",
        paint(NOTE, "missing"),
        w.missing.kind.as_str(),
        w.missing.id,
        w.missing.detail
    )?;
    if let Some(c) = &w.missing.collect {
        writeln!(out, "    {} {c}", paint(NOTE, "collect:"))?;
    }
    Ok(())
}

/// The "To settle it, collect:" section.
pub fn collect(out: &mut impl Write, items: &[Collect]) -> io::Result<()> {
    writeln!(out, "{}", paint(BOLD, "To settle it, collect:"))?;
    for c in items {
        writeln!(out, "  - {}", c.what)?;
        writeln!(out, "    {}", paint(DIM, &c.why))?;
    }
    Ok(())
}
