//! Log text made safe to print: a log must never drive the terminal. Every
//! control character but tab and line ends (ESC and so every CSI / OSC
//! sequence, BEL, BS, a CR that is not part of a line end, DEL, the C1
//! controls such as the 8-bit CSI U+009B) and the bidirectional overrides
//! that reorder what is shown are written in Rust's escaped form (`\u{1b}`,
//! `\r`), so they are seen, not obeyed.
//!
//! Used by every text printer on the log text it shows (events, the report's
//! evidence, summaries filled from records, unexplained groups, notes,
//! paths). It never changes the JSON output, where serde escapes controls.
//! The escaping itself is `logscan_engine::visible` (the rule test report
//! uses it too); this module applies it to a whole report.

use std::borrow::Cow;

use logscan_engine::report::{Evidence, FindingReport, Report};
pub use logscan_engine::visible::text;
use logscan_engine::visible::{hidden, push_escaped};

/// An evidence text escaped, its highlight byte ranges moved with it.
fn evidence(e: &Evidence) -> Evidence {
    let mut out = String::with_capacity(e.text.len());
    // (original offset, escaped offset) at every escaped character.
    let mut moved: Vec<(usize, usize)> = Vec::new();
    for (i, c) in e.text.char_indices() {
        if hidden(&e.text, i, c) {
            push_escaped(&mut out, c);
            moved.push((i + c.len_utf8(), out.len()));
        } else {
            out.push(c);
        }
    }
    let at = |o: u32| -> u32 {
        let o = o as usize;
        let shift = moved
            .iter()
            .take_while(|(from, _)| *from <= o)
            .last()
            .map_or(0, |(from, to)| to - from);
        u32::try_from(o + shift).unwrap_or(u32::MAX)
    };
    Evidence {
        path: text(&e.path).into_owned(),
        step: text(&e.step).into_owned(),
        highlights: e.highlights.iter().map(|&(s, t)| (at(s), at(t))).collect(),
        text: out,
        ..e.clone()
    }
}

fn own(s: &mut String) {
    if let Cow::Owned(v) = text(s) {
        *s = v;
    }
}

fn finding(f: &FindingReport) -> FindingReport {
    let mut f = f.clone();
    for s in [&mut f.rule, &mut f.summary, &mut f.explanation, &mut f.fix] {
        own(s);
    }
    f.key.values_mut().for_each(own);
    f.collect.iter_mut().for_each(own);
    f.evidence = f.evidence.iter().map(evidence).collect();
    f
}

/// The report with every text it holds escaped, for the text printer.
pub fn report(r: &Report) -> Report {
    let mut r = r.clone();
    for i in &mut r.inputs {
        own(&mut i.path);
        i.notes.iter_mut().for_each(own);
    }
    for c in &mut r.causes {
        own(&mut c.title);
        c.findings = c.findings.iter().map(finding).collect();
    }
    r.inconclusive = r.inconclusive.iter().map(finding).collect();
    for u in &mut r.unexplained {
        own(&mut u.path);
        own(&mut u.text);
    }
    for c in &mut r.collect {
        own(&mut c.what);
        own(&mut c.why);
    }
    for w in r.explain.iter_mut().flatten() {
        own(&mut w.missing.detail);
        w.missing.collect.iter_mut().for_each(own);
        w.missing.at = w.missing.at.as_ref().map(evidence);
        w.first = w.first.as_ref().map(evidence);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_terminal_controls_and_keeps_tabs_and_line_ends() {
        assert_eq!(
            text("a\u{1b}[31mred\u{1b}]0;title\u{7}b"),
            "a\\u{1b}[31mred\\u{1b}]0;title\\u{7}b"
        );
        assert_eq!(
            text("x\ry\u{8}\u{7f}\u{9b}2J"),
            "x\\ry\\u{8}\\u{7f}\\u{9b}2J"
        );
        assert_eq!(text("a\u{202e}b"), "a\\u{202e}b");
        assert!(matches!(text("tab\there\r\nnext\n"), Cow::Borrowed(_)));
        assert!(matches!(text("plain ünïcode ✓"), Cow::Borrowed(_)));
    }

    #[test]
    fn highlights_move_with_the_escapes() {
        let e = Evidence {
            step: "s".into(),
            path: "p".into(),
            line: 1,
            end_line: 1,
            start: 0,
            end: 9,
            ts: None,
            text: "\u{1b}[1mspawn ENOENT".into(),
            highlights: vec![(10, 16)],
        };
        let v = evidence(&e);
        assert_eq!(v.text, "\\u{1b}[1mspawn ENOENT");
        let (s, t) = v.highlights[0];
        assert_eq!(&v.text[s as usize..t as usize], "ENOENT");
    }
}
