//! Binary Windows event logs (`.evtx`, magic `ElfFile\0`) to text: every
//! record becomes ONE line, its event XML with no line breaks (breaks inside
//! values written as `&#10;`), which the `windows-event-evtx` format reads
//! back with the event XML reader.
//!
//! Offsets of events from such a source refer to the rendered text, not the
//! file, and a note says so (the source is not marked decompressed: nothing
//! was). A corrupt chunk or record is skipped and the rest is read; every
//! chunk or record lost is counted in a note ("3 records (of 40) of chunk 2
//! could not be read"); a record the evtx crate would allocate without bound
//! for is refused first (`evtx_guard`). Only a file whose header cannot be
//! read at all is an [`InputError`]. This module never panics on any input
//! and never writes.

use std::sync::Arc;

use evtx::{EvtxChunkData, EvtxParser, ParserSettings};

use super::evtx_guard;
use super::InputError;
use crate::text::{Encoding, Note, SourceText};

/// The first bytes of every `.evtx` file.
pub const MAGIC: &[u8] = b"ElfFile\0";

/// At most this many notes about unreadable chunks and records; the rest are counted.
const MAX_NOTES: usize = 20;
/// Bytes of the file header, and of each chunk after it.
const FILE_HEADER: usize = 4096;
const CHUNK: usize = 65536;
/// Most records a 64 KiB chunk can hold (a record takes at least 28 bytes):
/// a header claiming more is not believed.
const MAX_RECORDS: u64 = (CHUNK as u64 - 512) / 28;

/// Renders the records of an `.evtx` file as one line of event XML each.
///
/// Every chunk the crate cannot read, and every record of a chunk it cannot
/// render, is counted in a note (by the record numbers the chunk header
/// declares); a chunk of zeros inside the file, which the crate skips,
/// too. Records that would make the crate allocate for an impossible
/// substitution count are refused before it sees them (`evtx_guard`).
pub fn to_text(display: &str, bytes: &[u8]) -> Result<SourceText, InputError> {
    let parser = EvtxParser::from_buffer(bytes.to_vec())
        .map_err(|e| InputError::new(display, format!("unreadable .evtx file: {e}")))?;
    let settings = ParserSettings::new().num_threads(1).indent(false);
    let mut parser = parser.with_configuration(settings.clone());
    let settings = Arc::new(settings);
    let mut text = String::new();
    let mut notes = Notes::default();
    let mut next = 0u64;
    while let Some((chunk, number)) = parser.find_next_chunk(next) {
        match number.saturating_sub(next) {
            0 => {}
            1 => notes.push(format!(
                "chunk {next} of the .evtx file is all zeros; its records, if it had any, are lost"
            )),
            _ => notes.push(format!(
                "chunks {next}-{} of the .evtx file are all zeros; their records, if they had \
                 any, are lost",
                number - 1
            )),
        }
        next = number.saturating_add(1);
        match chunk {
            Ok(data) => render_chunk(data, number, &settings, &mut text, &mut notes),
            Err(e) => {
                let lost = declared_at(bytes, number).map_or_else(
                    || "its records are lost".to_string(),
                    |n| format!("its {n} records are lost"),
                );
                notes.push(format!(
                    "chunk {number} of the .evtx file could not be read ({}); {lost}",
                    chain(&e)
                ));
            }
        }
    }
    truncated(bytes, &mut notes);
    let mut all = vec![Note::new(
        None,
        "rendered from binary .evtx: offsets refer to the rendered text; each line is one record (record id in the event)",
    )];
    all.extend(notes.finish());
    Ok(SourceText {
        path: display.to_string(),
        encoding: Encoding::Utf8,
        raw_len: text.len() as u64,
        // Nothing was decompressed: the first note says what offsets refer to.
        decompressed: false,
        text,
        notes: all,
        checkpoints: Vec::new(),
    })
}

/// Notes a file cut short: a partial chunk at its end (which the crate
/// skips without a word) and chunks the file header declares but the file
/// does not hold.
fn truncated(bytes: &[u8], notes: &mut Notes) {
    let body = bytes.len().saturating_sub(FILE_HEADER);
    let whole = body / CHUNK;
    if !body.is_multiple_of(CHUNK) {
        let lost = declared_at(bytes, whole as u64).map_or_else(
            || "its records are lost".to_string(),
            |n| format!("its {n} records are lost"),
        );
        notes.push(format!(
            "the .evtx file ends inside chunk {whole} ({} of its {CHUNK} bytes); {lost}",
            body % CHUNK
        ));
    }
    let header = bytes
        .get(42..44)
        .map_or(0, |b| usize::from(u16::from_le_bytes([b[0], b[1]])));
    let present = body.div_ceil(CHUNK);
    if header > present {
        notes.push(format!(
            "the .evtx file header declares {header} chunks but the file holds {present}: \
             it was cut short, and the records of the missing chunks are lost"
        ));
    }
}

/// Renders the records of one chunk, noting those that could not be read.
fn render_chunk(
    mut data: EvtxChunkData,
    number: u64,
    settings: &Arc<ParserSettings>,
    text: &mut String,
    notes: &mut Notes,
) {
    let declared = declared(&data.header);
    let refused = evtx_guard::refused(&data.data);
    for r in refused.iter().take(3) {
        notes.push(format!(
            "record {} of chunk {number} of the .evtx file was refused: it declares {} \
             substitution values, more than its 64 KiB chunk can hold",
            r.record_id, r.count
        ));
    }
    evtx_guard::poison(&mut data.data, &refused);
    let mut chunk = match data.parse(Arc::clone(settings)) {
        Ok(c) => c,
        Err(e) => {
            let lost = declared.map_or_else(
                || "its records are lost".to_string(),
                |n| format!("its {n} records are lost"),
            );
            return notes.push(format!(
                "chunk {number} of the .evtx file could not be read ({}); {lost}",
                chain(&e)
            ));
        }
    };
    let (mut read, mut failed, mut first_error) = (0u64, 0u64, None);
    for record in chunk.iter() {
        match record.and_then(|r| r.into_xml()) {
            Ok(r) => {
                read += 1;
                one_line(&r.data, text);
                text.push('\n');
            }
            Err(e) => {
                failed += 1;
                first_error.get_or_insert_with(|| chain(&e));
            }
        }
    }
    let lost = declared.map_or(failed, |n| n.saturating_sub(read).max(failed));
    if lost > 0 {
        let why = first_error.map_or_else(
            || "the chunk ends before them".to_string(),
            |e| format!("first: {e}"),
        );
        let of = declared.map_or_else(String::new, |n| format!(" (of {n})"));
        notes.push(format!(
            "{lost} records{of} of chunk {number} of the .evtx file could not be read ({why}); \
             the rest was read"
        ));
    }
}

/// The number of records a chunk header declares, when it is believable.
fn declared(h: &evtx::EvtxChunkHeader) -> Option<u64> {
    let n = h
        .last_event_record_number
        .checked_sub(h.first_event_record_number)?
        .checked_add(1)?;
    (n <= MAX_RECORDS).then_some(n)
}

/// [`declared`] read from the raw bytes of chunk `number` (a chunk the crate
/// could not load: cut short, or damaged past its header).
fn declared_at(bytes: &[u8], number: u64) -> Option<u64> {
    let at = FILE_HEADER.checked_add(usize::try_from(number).ok()?.checked_mul(CHUNK)?)?;
    let head = bytes.get(at..at.checked_add(24)?)?;
    if head.get(..8) != Some(b"ElfChnk\0".as_slice()) {
        return None;
    }
    let num = |o: usize| {
        let mut a = [0u8; 8];
        a.copy_from_slice(head.get(o..o + 8)?);
        Some(u64::from_le_bytes(a))
    };
    let n = num(16)?.checked_sub(num(8)?)?.checked_add(1)?;
    (n <= MAX_RECORDS).then_some(n)
}

/// Notes about what could not be read, at most [`MAX_NOTES`], the rest counted.
#[derive(Default)]
struct Notes {
    kept: Vec<Note>,
    more: usize,
}

impl Notes {
    fn push(&mut self, message: String) {
        if self.kept.len() < MAX_NOTES {
            self.kept.push(Note::new(None, message));
        } else {
            self.more += 1;
        }
    }

    fn finish(mut self) -> Vec<Note> {
        if self.more > 0 {
            self.kept.push(Note::new(
                None,
                format!(
                    "{} more notes about unreadable parts of the .evtx file were left out",
                    self.more
                ),
            ));
        }
        self.kept
    }
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
