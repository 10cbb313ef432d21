//! A bounded pre-check of one `.evtx` chunk before the evtx crate parses it:
//! every record whose template instance declares more substitution values
//! than its chunk could hold is found and poisoned, so the crate rejects it
//! at once instead of allocating for the declared count.
//!
//! The evtx crate (0.11) reads a template instance's `number_of_substitutions`
//! (a `u32` from the file) and calls `Vec::with_capacity` with it twice
//! (`read_template_values_cursor`) before it reads a single descriptor: a
//! 69 KB crafted file made it ask for 6.8 GB. A descriptor takes 4 bytes and a
//! chunk is 64 KiB, so a count that does not fit in the bytes left in the
//! chunk can never be read; this module refuses it. It walks the records of
//! the chunk the way the crate does (from the chunk header to the free-space
//! offset, by each record's size) and, in each record, the layout every
//! Windows writer uses (fragment headers, one template instance, its
//! descriptors, recursing into BinXml-typed values); a record laid out
//! otherwise is left to the crate. It allocates nothing per record, never
//! reads outside the chunk and never panics (docs/evtx-upstream.md: the fix
//! that belongs in the crate).

/// Bytes of a chunk header; the first record starts here.
const CHUNK_HEADER: usize = 512;
/// Bytes of a record header before its BinXml.
const RECORD_HEADER: usize = 24;
/// The BinXml token of a template instance.
const TEMPLATE_INSTANCE: u8 = 0x0c;
/// The BinXml token of a fragment header.
const FRAGMENT_HEADER: u8 = 0x0f;
/// The value type of a nested BinXml value.
const BINXML_VALUE: u8 = 0x21;
/// A token the crate rejects at once ("invalid token"), written over the
/// template instance of a refused record.
pub(crate) const POISON: u8 = 0xff;
/// Nested BinXml values followed at most this deep.
const MAX_DEPTH: u8 = 8;

/// A record the crate must not parse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Refused {
    /// The record's id, as its header says.
    pub(crate) record_id: u64,
    /// The declared number of substitution values.
    pub(crate) count: u32,
    /// Offset in the chunk of the template instance token that declares it.
    pub(crate) at: usize,
}

/// The records of `chunk` (its 64 KiB) that declare impossible substitution
/// counts, each with the offset of the token to poison.
pub(crate) fn refused(chunk: &[u8]) -> Vec<Refused> {
    let mut out = Vec::new();
    let free = u32_at(chunk, 48).map_or(chunk.len(), |f| (f as usize).min(chunk.len()));
    let mut at = CHUNK_HEADER;
    while at.saturating_add(RECORD_HEADER) <= free {
        if chunk.get(at..at + 4) != Some(b"\x2a\x2a\x00\x00".as_slice()) {
            break;
        }
        let Some(size) = u32_at(chunk, at + 4).map(|s| s as usize) else {
            break;
        };
        let end = at.saturating_add(size);
        if size < RECORD_HEADER + 4 || end > chunk.len() {
            break;
        }
        let record_id = u64_at(chunk, at + 8).unwrap_or(0);
        if let Some((at, count)) = stream(chunk, at + RECORD_HEADER, end - 4, 0) {
            out.push(Refused {
                record_id,
                count,
                at,
            });
        }
        at = end;
    }
    out
}

/// Poisons every refused record of `chunk` so the crate rejects it cheaply.
pub(crate) fn poison(chunk: &mut [u8], refused: &[Refused]) {
    for r in refused {
        if let Some(b) = chunk.get_mut(r.at) {
            *b = POISON;
        }
    }
}

/// The first impossible template instance in the BinXml stream at
/// `start..end` of `chunk`: its token's offset and declared count.
fn stream(chunk: &[u8], start: usize, end: usize, depth: u8) -> Option<(usize, u32)> {
    if depth > MAX_DEPTH {
        return None;
    }
    let mut at = start;
    while at < end && chunk.get(at) == Some(&FRAGMENT_HEADER) {
        at += 4;
    }
    if at >= end || chunk.get(at) != Some(&TEMPLATE_INSTANCE) {
        return None;
    }
    template(chunk, at, depth)
}

/// Checks the template instance whose token is at `token`, as the crate reads it.
fn template(chunk: &[u8], token: usize, depth: u8) -> Option<(usize, u32)> {
    let definition = u32_at(chunk, token + 6)? as usize;
    let mut at = token + 10;
    if definition == at {
        // An inline definition: next offset, GUID, data size, then its data.
        let data_size = u32_at(chunk, at + 20)? as usize;
        at = at.checked_add(24)?.checked_add(data_size)?;
    }
    let count = u32_at(chunk, at)?;
    at += 4;
    let room = chunk.len().saturating_sub(at);
    if (count as usize).saturating_mul(4) > room {
        return Some((token, count));
    }
    let mut value = at + count as usize * 4;
    for i in 0..count as usize {
        let d = at + i * 4;
        let size = u16_at(chunk, d)? as usize;
        let ty = *chunk.get(d + 2)?;
        if ty == BINXML_VALUE {
            let end = value.saturating_add(size).min(chunk.len());
            if let Some(found) = stream(chunk, value, end, depth + 1) {
                return Some(found);
            }
        }
        value = value.saturating_add(size);
    }
    None
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes([s[0], s[1]]))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    let s = b.get(at..at.checked_add(8)?)?;
    let mut a = [0u8; 8];
    a.copy_from_slice(s);
    Some(u64::from_le_bytes(a))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A chunk holding one record whose template instance declares `count`
    /// substitutions of `descriptors` (size, type) followed by `values`.
    pub(crate) fn chunk_with(count: u32, descriptors: &[(u16, u8)], values: &[u8]) -> Vec<u8> {
        let mut c = vec![0u8; 65536];
        c[..8].copy_from_slice(b"ElfChnk\0");
        let mut rec = Vec::new();
        rec.extend_from_slice(&[0x0f, 1, 1, 0]);
        rec.push(TEMPLATE_INSTANCE);
        rec.push(1);
        rec.extend_from_slice(&7u32.to_le_bytes());
        rec.extend_from_slice(&0x10u32.to_le_bytes()); // a definition elsewhere
        rec.extend_from_slice(&count.to_le_bytes());
        for (size, ty) in descriptors {
            rec.extend_from_slice(&size.to_le_bytes());
            rec.push(*ty);
            rec.push(0);
        }
        rec.extend_from_slice(values);
        rec.push(0x00);
        let size = (RECORD_HEADER + rec.len() + 4) as u32;
        let at = CHUNK_HEADER;
        c[at..at + 4].copy_from_slice(b"\x2a\x2a\x00\x00");
        c[at + 4..at + 8].copy_from_slice(&size.to_le_bytes());
        c[at + 8..at + 16].copy_from_slice(&42u64.to_le_bytes());
        c[at + RECORD_HEADER..at + RECORD_HEADER + rec.len()].copy_from_slice(&rec);
        let end = at + size as usize;
        c[end - 4..end].copy_from_slice(&size.to_le_bytes());
        c[48..52].copy_from_slice(&(end as u32).to_le_bytes());
        c
    }

    #[test]
    fn a_huge_substitution_count_is_refused_and_poisoned() {
        let mut c = chunk_with(0x4000_0000, &[], &[]);
        let r = refused(&c);
        let token = CHUNK_HEADER + RECORD_HEADER + 4;
        assert_eq!(
            r,
            vec![Refused {
                record_id: 42,
                count: 0x4000_0000,
                at: token
            }]
        );
        poison(&mut c, &r);
        assert_eq!(c[token], POISON);
    }

    #[test]
    fn a_count_that_fits_is_kept() {
        let c = chunk_with(2, &[(2, 0x04), (4, 0x08)], &[1, 0, 1, 2, 3, 4]);
        assert_eq!(refused(&c), Vec::new());
    }

    #[test]
    fn a_nested_binxml_value_is_checked_too() {
        // The nested value: a fragment header and a template instance declaring 2^31.
        let mut nested = vec![0x0f, 1, 1, 0, TEMPLATE_INSTANCE, 1];
        nested.extend_from_slice(&9u32.to_le_bytes());
        nested.extend_from_slice(&0x10u32.to_le_bytes());
        nested.extend_from_slice(&0x8000_0000u32.to_le_bytes());
        let c = chunk_with(1, &[(nested.len() as u16, BINXML_VALUE)], &nested);
        let r = refused(&c);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].count, 0x8000_0000);
        // The nested token: after the record's own instance and its one descriptor.
        assert_eq!(r[0].at, CHUNK_HEADER + RECORD_HEADER + 4 + 14 + 4 + 4);
    }

    #[test]
    fn garbage_never_panics() {
        for len in [0usize, 10, 511, 512, 600] {
            let mut c = vec![0x2au8; len];
            let _ = refused(&c);
            c.iter_mut().for_each(|b| *b = 0xff);
            let _ = refused(&c);
        }
    }
}
