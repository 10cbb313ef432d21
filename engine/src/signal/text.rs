//! Small text helpers the signal families share: ASCII case-insensitive
//! search, token scanning and offsets relative to a record.
//!
//! Pure functions over `&str`; they never allocate unless they return owned text.

/// Whether `hay` contains `needle` (`needle` lower-case ASCII), ASCII case-insensitively.
pub fn contains_ci(hay: &str, needle: &str) -> bool {
    find_ci(hay, needle, 0).is_some()
}

/// Byte offset of the first ASCII case-insensitive occurrence of `needle`
/// (lower-case ASCII) in `hay` at or after `from`.
pub fn find_ci(hay: &str, needle: &str, from: usize) -> Option<usize> {
    let h = hay.as_bytes();
    let n = needle.as_bytes();
    let first = *n.first()?;
    if from > h.len() || n.len() > h.len() - from {
        return None;
    }
    let (lo, up) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    let mut at = from;
    while at + n.len() <= h.len() {
        let rel = memchr::memchr2(lo, up, &h[at..=h.len() - n.len()])?;
        let s = at + rel;
        if h[s..s + n.len()].eq_ignore_ascii_case(n) {
            return Some(s);
        }
        at = s + 1;
    }
    None
}

/// Every ASCII case-insensitive occurrence of `needle` in `hay` (non-overlapping).
pub fn find_all_ci<'n>(hay: &'n str, needle: &'n str) -> impl Iterator<Item = usize> + 'n {
    let mut from = 0;
    std::iter::from_fn(move || {
        let at = find_ci(hay, needle, from)?;
        from = at + needle.len().max(1);
        Some(at)
    })
}

/// The first occurrence of the words of `phrase` (lower-case ASCII, words
/// separated by single spaces) in `hay` at or after `from`, ASCII
/// case-insensitively, where each space matches any run of whitespace,
/// line ends included: a phrase a terminal or a paste wrapped over several
/// lines is still found. Returns the byte range of the whole occurrence.
pub fn find_words_ci(hay: &str, phrase: &str, from: usize) -> Option<std::ops::Range<usize>> {
    let mut words = phrase.split(' ').filter(|w| !w.is_empty());
    let first = words.next()?;
    let rest: Vec<&str> = words.collect();
    let h = hay.as_bytes();
    let mut at = from;
    'next: while let Some(s) = find_ci(hay, first, at) {
        at = s + 1;
        let mut end = s + first.len();
        for w in &rest {
            let ws = h[end..]
                .iter()
                .take_while(|b| b.is_ascii_whitespace())
                .count();
            if ws == 0 {
                continue 'next;
            }
            let ws_end = end + ws;
            match h.get(ws_end..ws_end + w.len()) {
                Some(got) if got.eq_ignore_ascii_case(w.as_bytes()) => end = ws_end + w.len(),
                _ => continue 'next,
            }
        }
        return Some(s..end);
    }
    None
}

/// Every ASCII case-insensitive occurrence of `needle` in `hay` that starts and
/// ends at word edges (`spawn` in `spawn npx`, not in `respawned`).
pub fn words_at<'n>(hay: &'n str, needle: &'n str) -> impl Iterator<Item = usize> + 'n {
    find_all_ci(hay, needle)
        .filter(move |&at| word_start(hay, at) && word_end(hay, at + needle.len()))
}

/// Whether the byte before `at` (if any) is not a word character (`[A-Za-z0-9_]`).
pub fn word_start(hay: &str, at: usize) -> bool {
    at == 0
        || hay
            .as_bytes()
            .get(at - 1)
            .is_none_or(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
}

/// Whether the byte at `at` (if any) is not a word character.
pub fn word_end(hay: &str, at: usize) -> bool {
    hay.as_bytes()
        .get(at)
        .is_none_or(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
}

/// The absolute decoded offset of `part`, a sub-slice of `whole` whose absolute offset is `base`.
pub fn offset_of(whole: &str, part: &str, base: u32) -> u32 {
    let d = (part.as_ptr() as usize).saturating_sub(whole.as_ptr() as usize);
    base.saturating_add(u32::try_from(d).unwrap_or(u32::MAX))
}

/// `base + r` as absolute offsets, saturating.
pub fn abs(base: u32, r: std::ops::Range<usize>) -> std::ops::Range<u32> {
    let c = |x: usize| base.saturating_add(u32::try_from(x).unwrap_or(u32::MAX));
    c(r.start)..c(r.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_case_insensitively_from_an_offset() {
        assert_eq!(find_ci("a Spawn spawn", "spawn", 0), Some(2));
        assert_eq!(find_ci("a Spawn spawn", "spawn", 3), Some(8));
        assert_eq!(find_ci("abc", "abcd", 0), None);
        assert_eq!(find_ci("abc", "", 0), None);
        assert_eq!(find_ci("abc", "c", 9), None);
        assert_eq!(find_all_ci("xAxax", "a").collect::<Vec<_>>(), vec![1, 3]);
        assert!(contains_ci("ENOENT", "enoent"));
        assert_eq!(
            words_at("respawn Spawn spawned spawn", "spawn").collect::<Vec<_>>(),
            vec![8, 22]
        );
    }

    #[test]
    fn phrases_match_across_wrapped_lines() {
        let hay = "MCP x: Unexpected\n  non-whitespace character after JSON at";
        assert_eq!(
            find_words_ci(hay, "unexpected non-whitespace character", 0),
            Some(7..44)
        );
        assert_eq!(find_words_ci("unexpectednon", "unexpected non", 0), None);
        assert_eq!(find_words_ci("a b a  B", "a b", 1), Some(4..8));
        assert_eq!(find_words_ci("a", "", 0), None);
    }

    #[test]
    fn word_edges() {
        assert!(word_start("a b", 2) && !word_start("ab", 1));
        assert!(word_end("a b", 1) && !word_end("ab", 1) && word_end("ab", 2));
    }
}
