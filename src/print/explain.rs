//! The text of "why not" (`scan --explain`: rules that came close and what
//! they missed) and of "To settle it, collect:" (what to collect next). Reads
//! report values only.

use std::io::{self, Write};

use logscan_engine::report::{Collect, WhyNot};

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

#[cfg(test)]
mod tests {
    use logscan_engine::report::{Missing, MissingKind, StepCounts, WhyNot};

    fn why(i: usize) -> WhyNot {
        WhyNot {
            rule: format!("r{i:02}"),
            cause: "c".into(),
            reached: i.is_multiple_of(2).then(|| "a".to_string()),
            missing: Missing {
                kind: MissingKind::Step,
                id: "b".into(),
                detail: "no input of kind wsl-status".into(),
                collect: (i == 0).then(|| "`wsl --status`".to_string()),
                at: None,
            },
            matched: StepCounts(vec![("a".into(), 1), ("b".into(), 0)]),
            first: None,
        }
    }

    #[test]
    fn at_most_ten_blocks_then_a_count() {
        let rules: Vec<WhyNot> = (0..12).map(why).collect();
        let mut out = Vec::new();
        super::why_not(&mut out, &rules).unwrap();
        let text = anstream::adapter::strip_str(&String::from_utf8(out).unwrap()).to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 1 + 10 * 2 + 1 + 1);
        assert_eq!(
            lines[..5],
            [
                "Why not (rules that came close, deepest first):",
                "  r00 reached `a`  matched a=1 b=0",
                "    missing step `b`: no input of kind wsl-status",
                "    collect: `wsl --status`",
                "  r01 reached no step  matched a=1 b=0",
            ]
        );
        assert_eq!(lines[22], "  2 more (--format json lists them all)");
    }

    #[test]
    fn an_empty_list_says_so() {
        let mut out = Vec::new();
        super::why_not(&mut out, &[]).unwrap();
        let text = anstream::adapter::strip_str(&String::from_utf8(out).unwrap()).to_string();
        assert_eq!(
            text,
            "Why not (rules that came close, deepest first):\n  no rule came close\n"
        );
    }
}
