//! Text followed by NUL bytes (a log whose file was preallocated, or cut by a
//! crash and zero-filled): the verdict "text or binary" is taken from the
//! head without its trailing NUL run, the same for every size, and a source
//! that ends in NUL bytes is read up to them, with a note counting them.
//!
//! Only a source that can seek and knows its length has its end looked at
//! (the NUL run is read once, backwards); a compressed stream's NUL bytes are
//! read as text. This module never reads a byte before the head's NUL run
//! and never holds more than one block.

use std::io::{Read, Seek, SeekFrom};

use super::bytes::ByteSource;

/// Fewer trailing NUL bytes than this in the head are left to the decoder.
const MIN_RUN: usize = 16;
/// Bytes read at a time from the end.
const BLOCK: u64 = 64 << 10;

/// Where the trailing NUL run of `head` starts, when there is text before it.
pub(crate) fn head_text_end(head: &[u8]) -> Option<usize> {
    let text = head.iter().rposition(|b| *b != 0)? + 1;
    (head.len() - text >= MIN_RUN).then_some(text)
}

/// Where the final run of NUL bytes of `source` starts (at or after `from`)
/// and how long it is, when the source can seek, knows its length and ends
/// in NUL bytes.
pub(crate) fn final_run(source: &ByteSource, from: u64) -> Option<(u64, u64)> {
    let len = source.len()?;
    let mut at = source.random()?.ok()?;
    let mut end = len;
    let mut buf = vec![0u8; BLOCK as usize];
    while end > from {
        let start = end.saturating_sub(BLOCK).max(from);
        let n = usize::try_from(end - start).ok()?;
        let block = buf.get_mut(..n)?;
        at.seek(SeekFrom::Start(start)).ok()?;
        at.read_exact(block).ok()?;
        if let Some(i) = block.iter().rposition(|b| *b != 0) {
            let run = start + i as u64 + 1;
            return (run < len).then_some((run, len - run));
        }
        end = start;
    }
    (from < len).then_some((from, len - from))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nul_run_after_text_is_found_at_every_size() {
        let mut bytes = b"2025-01-01 ok\n".to_vec();
        assert_eq!(head_text_end(&bytes), None);
        bytes.resize(14 + 200_000, 0);
        assert_eq!(head_text_end(&bytes[..8192]), Some(14));
        let s = ByteSource::memory(bytes);
        assert_eq!(final_run(&s, 14), Some((14, 200_000)));
        assert_eq!(head_text_end(&[0u8; 100]), None);
    }

    #[test]
    fn a_nul_hole_followed_by_text_is_not_a_tail() {
        let mut bytes = b"a\n".to_vec();
        bytes.resize(100_000, 0);
        bytes.extend_from_slice(b"b\n");
        assert_eq!(final_run(&ByteSource::memory(bytes), 2), None);
    }
}
