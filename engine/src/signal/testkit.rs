//! Test helpers for signal families: parse a snippet with the real parser
//! (the file name picks the client format, as in a bundle) and read signals.

use crate::event::EventRef;
use crate::parse::{self, ParseOptions, ParsedSource};
use crate::signal::{self, Kind};
use crate::text::SourceText;

/// `text` parsed as a file named `file` (which drives format detection).
pub fn parsed(file: &str, text: &str) -> ParsedSource {
    parse::parse(
        SourceText::identity(file, text.to_string()),
        0,
        &ParseOptions::default(),
    )
}

/// For each event of `file` with `text`: its signals of `kind` as
/// `field=value` strings in field order (`program=npx errno=ENOENT ...`).
pub fn fields(file: &str, text: &str, kind: Kind) -> Vec<Vec<String>> {
    let p = parsed(file, text);
    let mut out = Vec::new();
    for ev in &p.events {
        let r = EventRef {
            event: ev,
            source_text: &p.text.text,
            format: p.format,
        };
        for s in signal::read(kind, &r) {
            assert!(
                s.at.start <= s.at.end && (s.at.end as usize) <= p.text.text.len(),
                "signal span out of range"
            );
            for (_, v) in &s.fields {
                if let Some(at) = v.at {
                    let got = p.text.text.get(at as usize..at as usize + v.text.len());
                    assert_eq!(got, Some(&*v.text), "field slice offset is wrong");
                }
            }
            out.push(
                s.fields
                    .iter()
                    .map(|(n, v)| format!("{n}={}", v.text))
                    .collect(),
            );
        }
    }
    out
}

/// Like [`fields`] but one string per signal, fields joined by spaces.
pub fn read(file: &str, text: &str, kind: Kind) -> Vec<String> {
    fields(file, text, kind)
        .into_iter()
        .map(|f| f.join(" "))
        .collect()
}
