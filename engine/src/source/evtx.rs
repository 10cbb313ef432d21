//! Binary Windows event logs (`.evtx`, magic `ElfFile\0`) to text: every
//! record becomes ONE line, its event XML with no line breaks (breaks inside
//! values written as `&#10;`), which the `windows-event-evtx` format reads
//! back with the event XML reader.
//!
//! Offsets of events from such a source refer to the rendered text, not the
//! file, and a note says so. A corrupt chunk or record is skipped with a note
//! and the rest is read; only a file whose header cannot be read at all is an
//! [`InputError`]. This module never panics on any input and never writes.

use evtx::{EvtxParser, ParserSettings};

use super::InputError;
use crate::text::{Encoding, Note, SourceText};

/// The first bytes of every `.evtx` file.
pub const MAGIC: &[u8] = b"ElfFile\0";

/// At most this many notes about skipped records; the rest are counted.
const MAX_NOTES: usize = 20;

/// Renders the records of an `.evtx` file as one line of event XML each.
pub fn to_text(display: &str, bytes: &[u8]) -> Result<SourceText, InputError> {
    let parser = EvtxParser::from_buffer(bytes.to_vec())
        .map_err(|e| InputError::new(display, format!("unreadable .evtx file: {e}")))?;
    let settings = ParserSettings::new().num_threads(1).indent(false);
    let mut parser = parser.with_configuration(settings);
    let mut text = String::new();
    let mut notes = vec![Note::new(
        None,
        "rendered from binary .evtx: offsets refer to the rendered text; each line is one record (record id in the event)",
    )];
    let mut skipped = 0usize;
    for record in parser.records() {
        match record {
            Ok(r) => {
                one_line(&r.data, &mut text);
                text.push('\n');
            }
            Err(e) => {
                skipped += 1;
                if skipped <= MAX_NOTES {
                    notes.push(Note::new(
                        None,
                        format!(
                            "skipped a corrupt part of the .evtx file ({}); the rest was read",
                            chain(&e)
                        ),
                    ));
                }
            }
        }
    }
    if skipped > MAX_NOTES {
        notes.push(Note::new(
            None,
            format!(
                "{} more corrupt parts of the .evtx file were skipped",
                skipped - MAX_NOTES
            ),
        ));
    }
    Ok(SourceText {
        path: display.to_string(),
        encoding: Encoding::Utf8,
        raw_len: text.len() as u64,
        decompressed: true,
        text,
        notes,
        checkpoints: Vec::new(),
    })
}

/// An error and its causes, on one line.
fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s.replace(['\n', '\r'], " ")
}

/// Appends `xml` without its declaration and without line breaks: breaks
/// between elements go, breaks inside values become `&#10;` / `&#13;`.
fn one_line(xml: &str, out: &mut String) {
    let mut body = xml.trim_start();
    if body.starts_with("<?xml") {
        body = body
            .find("?>")
            .and_then(|i| body.get(i + 2..))
            .unwrap_or("");
    }
    for line in body.lines() {
        let t = line.trim_start();
        let between = out.ends_with('>') && t.starts_with('<');
        if !between && !out.is_empty() && !out.ends_with('\n') && !t.is_empty() {
            out.push_str("&#10;");
        }
        let t = if between { t } else { line };
        out.push_str(&t.replace('\r', "&#13;"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_an_input_error() {
        let e = to_text("x.evtx", b"ElfFile\0garbage").err();
        assert!(e.is_some_and(|e| e.path == "x.evtx" && e.message.starts_with("unreadable .evtx")));
    }

    #[test]
    fn xml_is_flattened_to_one_line() {
        let mut out = String::new();
        one_line(
            "<?xml version=\"1.0\"?>\n<Event>\n  <System>\n    <Data>a\nb</Data>\n  </System>\n</Event>",
            &mut out,
        );
        assert_eq!(out, "<Event><System><Data>a&#10;b</Data></System></Event>");
    }
}
