//! Reads one [`Input`] whole and decodes it: what `read.rs` does with every
//! source in a whole read (rule tests, tools), and what a scan does with a
//! source whose content must be read whole (a whole document, a newest-first
//! export, a `.evtx` log).
//!
//! The read stops at the cap it is given (and the input's own ratio limit);
//! a cut or a read error becomes the note the decoder adds, worded for what
//! the bytes are. Binary formats that hold log records are converted to text
//! here ([`convert_binary`]), everything else goes to [`crate::decode`]. This
//! module never reads past the cap plus one byte, never unpacks a container
//! and never writes to disk.

use super::cap::{read_capped, Cap};
use super::{io_message, Input, InputError, Limits};
use crate::decode::{self, DecodeOptions};
use crate::text::SourceText;

/// Turns a binary input that holds log records (a Windows `.evtx` event log)
/// into text, before it would be rejected as binary. `None` means "not a
/// format converted here": the bytes are decoded as text (or rejected as
/// binary) as usual.
///
/// This is the single hook for binary converters: a binary Windows event log
/// (`ElfFile` magic) is rendered by [`super::evtx::to_text`] as one line of
/// XML per record; everything else goes to [`crate::decode`].
fn convert_binary(display: &str, bytes: &[u8]) -> Option<Result<SourceText, InputError>> {
    bytes
        .starts_with(super::evtx::MAGIC)
        .then(|| super::evtx::to_text(display, bytes))
}

/// Reads `input` whole, at most `cap` bytes (and its own limit), and decodes it.
pub(crate) fn read_whole(
    input: Input,
    cap: Cap,
    limits: &Limits,
) -> Result<SourceText, InputError> {
    let own_limit = input.limit.as_ref().map(|(bytes, _)| Cap::Ratio(*bytes));
    let cap = Cap::tighter(Some(cap), own_limit).unwrap_or(cap);
    let reason = |reached: Cap| match (reached, &input.limit) {
        (Cap::Ratio(_), Some((_, why))) => why.clone(),
        _ => reached.reason(limits, None),
    };
    let read = match input.source.open() {
        Ok(reader) => read_capped(reader, cap.bytes()),
        Err(error) => return Err(InputError::new(input.display, io_message(&error))),
    };
    let cut = match (&read.error, read.truncated) {
        (Some(error), _) if read.bytes.is_empty() => {
            return Err(InputError::new(
                input.display,
                input.origin.unreadable(error),
            ))
        }
        (Some(_), _) if input.cut.is_some() => input.cut,
        (Some(error), _) => Some(input.origin.cut_by_error(read.bytes.len() as u64, error)),
        (None, true) => Some(reason(cap)),
        (None, false) => input.cut,
    };
    let decoded = match convert_binary(&input.display, &read.bytes) {
        Some(converted) => converted,
        None => {
            let options = DecodeOptions {
                decompressed: input.decompressed,
                cut,
            };
            decode::try_decode_with(input.display, read.bytes, options)
                .map_err(|error| InputError::new(error.path, error.kind.to_string()))
        }
    };
    decoded.map(|mut text| {
        if !input.notes.is_empty() {
            let mut notes = input.notes;
            notes.append(&mut text.notes);
            text.notes = notes;
        }
        text
    })
}
