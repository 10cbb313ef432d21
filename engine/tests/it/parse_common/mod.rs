//! Helpers shared by the `parse_*` integration tests: the parse invariants and
//! a one-line description of an event for exact comparisons.

#![allow(dead_code)]

use logscan_engine::event::{Event, EventRef};
use logscan_engine::frame;
use logscan_engine::parse::{parse, ParseOptions, ParsedSource};
use logscan_engine::text::SourceText;

/// Parses `text` as a file named `name`.
pub fn parse_str(name: &str, text: &str) -> ParsedSource {
    parse(
        SourceText::identity(name, text.to_string()),
        0,
        &ParseOptions::default(),
    )
}

/// Every non-blank line is in exactly one event (or, glued, in disjoint ones); events are ordered, in
/// bounds and `seq` is their index.
pub fn check_invariants(p: &ParsedSource) {
    let text = &p.text.text;
    let mut covered = vec![0u32; frame::lines(text).count() + 2];
    let mut prev_end = 0u64;
    for (i, e) in p.events.iter().enumerate() {
        assert_eq!(e.seq as usize, i, "{}: seq", p.text.path);
        assert!(
            e.span.line >= 1 && e.span.line <= e.span.end_line,
            "{}: lines {:?}",
            p.text.path,
            e.span
        );
        assert!(
            e.span.start <= e.span.end && e.span.end <= p.text.raw_len,
            "{}: span {:?}",
            p.text.path,
            e.span
        );
        assert!(
            e.span.start >= prev_end,
            "{}: overlapping spans at {:?}",
            p.text.path,
            e.span
        );
        prev_end = e.span.end;
        assert!(
            text.get(e.text.start as usize..e.text.end as usize)
                .is_some(),
            "{}: text range",
            p.text.path
        );
        assert_eq!(
            e.fields.first().map(|(n, _)| n.as_ref()),
            Some("msg"),
            "{}: msg first",
            p.text.path
        );
        for l in e.span.line..=e.span.end_line {
            covered[l as usize] += 1;
        }
        let r = EventRef {
            event: e,
            source_text: text,
            format: p.format,
        };
        for (name, _) in &e.fields {
            assert!(r.get(name).is_some(), "{}: field {name}", p.text.path);
        }
    }
    for line in frame::lines(text) {
        let blank = line.text(text).trim().is_empty() || line.text(text).trim() == ">";
        let n = covered[line.number as usize];
        if blank {
            assert!(
                n <= 1,
                "{}: blank line {} in {n} events",
                p.text.path,
                line.number
            );
        } else {
            // Two entries glued on one line are two events with disjoint spans
            // (checked above); otherwise a line is in exactly one event.
            let glued = n > 1
                && p.events
                    .iter()
                    .filter(|e| e.span.line == line.number && e.span.end_line == line.number)
                    .count()
                    >= n as usize - 1;
            assert!(
                n == 1 || glued,
                "{}: line {} in {n} events",
                p.text.path,
                line.number
            );
        }
    }
}

/// Field `name` of event `index`, as text.
pub fn field(parsed: &ParsedSource, index: usize, name: &str) -> Option<String> {
    let record = EventRef {
        event: &parsed.events[index],
        source_text: &parsed.text.text,
        format: parsed.format,
    };
    record.get(name).map(|value| value.into_owned())
}

/// `L1-2 ts=... level server=... msg=...` plus other fields, for exact comparisons.
pub fn describe(p: &ParsedSource, e: &Event) -> String {
    let r = EventRef {
        event: e,
        source_text: &p.text.text,
        format: p.format,
    };
    let mut s = if e.span.line == e.span.end_line {
        format!("L{}", e.span.line)
    } else {
        format!("L{}-{}", e.span.line, e.span.end_line)
    };
    if let Some(ts) = e.ts {
        let t = jiff::Timestamp::from_millisecond(ts.ms).unwrap();
        s.push_str(&format!(
            " {}{}",
            t.strftime("%Y-%m-%dT%H:%M:%S%.3fZ"),
            if ts.naive { "~" } else { "" }
        ));
    }
    if let Some(l) = e.level {
        s.push_str(&format!(" {}", l.as_str()));
    }
    for (name, _) in &e.fields {
        let v = r.get(name).unwrap_or_default();
        if name == "metadata" {
            s.push_str(&format!(" metadata=<{} bytes>", v.len()));
        } else {
            s.push_str(&format!(" {name}={v:?}"));
        }
    }
    s
}

/// Parses fixture `rel` of `tests/data/parse/<dir>` (named `bundle/<rel>` so
/// name hints see the file name) and checks the parse invariants.
#[allow(dead_code)]
pub fn fixture(dir: &str, rel: &str) -> ParsedSource {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/parse")
        .join(dir)
        .join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    let p = parse_str(&format!("bundle/{rel}"), &text);
    check_invariants(&p);
    p
}

/// Every event of `p`, described by [`describe`].
#[allow(dead_code)]
pub fn events(p: &ParsedSource) -> Vec<String> {
    p.events.iter().map(|e| describe(p, e)).collect()
}

/// Every event of `p`, one [`describe`] line each, for a snapshot (insta):
/// `describe` escapes line breaks in values, so each line is one event.
pub fn events_text(parsed: &ParsedSource) -> String {
    let lines = events(parsed);
    assert!(
        lines.iter().all(|line| !line.contains('\n')),
        "one line per event"
    );
    lines.join("\n")
}
