//! Node's spawn error logged as fields: JSON (`"code":"ENOENT","syscall":"spawn npx"`) or an inspect object.

use super::*;

// Node: the error's fields logged as JSON or as an inspect object

/// A `key: value` string value after `key` at `at` (`"key":"v"`, `\"key\":\"v\"`, `key: 'v'`):
/// the decoded value and the raw range it spans.
pub(super) fn value_after(
    text: &str,
    key_end: usize,
) -> Option<(Cow<'_, str>, std::ops::Range<usize>)> {
    let b = text.as_bytes();
    let mut i = key_end;
    // Closing quote of the key, possibly escaped.
    while i < b.len() && (b[i] == b'\\' || b[i] == b'"' || b[i] == b'\'') && i < key_end + 3 {
        i += 1;
    }
    while i < b.len() && b[i] == b' ' {
        i += 1;
    }
    if i >= b.len() || (b[i] != b':' && b[i] != b'=') {
        return None;
    }
    i += 1;
    while i < b.len() && b[i] == b' ' {
        i += 1;
    }
    let start = i;
    let mut bs = 0;
    while i < b.len() && b[i] == b'\\' {
        bs += 1;
        i += 1;
    }
    let q = *b.get(i)?;
    if q != b'"' && q != b'\'' {
        return None;
    }
    let vstart = i + 1;
    if q == b'\'' {
        let len = text.get(vstart..)?.find(['\'', '\n', '\r'])?;
        let v = text.get(vstart..vstart + len)?;
        return Some((Cow::Borrowed(v), start..vstart + len + 1));
    }
    // Double-quoted: the closing quote has the same number of backslashes before it.
    let rest = text.get(vstart..)?;
    if bs == 0 {
        let (s, used) = json_unescape(rest, true);
        let v = if rest.get(..used) == Some(s.as_str()) {
            Cow::Borrowed(&rest[..used])
        } else {
            Cow::Owned(s)
        };
        return Some((v, start..vstart + used + 1));
    }
    let (outer, _) = json_unescape(rest, false);
    let end_rel = {
        // The raw end: the first `\"` with exactly `bs` backslashes.
        let rb = rest.as_bytes();
        let mut j = 0;
        let mut end = rest.len();
        while j < rb.len() {
            if rb[j] == b'\\' {
                let mut k = j;
                while k < rb.len() && rb[k] == b'\\' {
                    k += 1;
                }
                if k - j == bs && rb.get(k) == Some(&b'"') {
                    end = j;
                    break;
                }
                j = k + 1;
                continue;
            }
            if rb[j] == b'"' || rb[j] == b'\n' {
                end = j;
                break;
            }
            j += 1;
        }
        end
    };
    let (inner, _) = json_unescape(&outer, true);
    Some((Cow::Owned(inner), start..vstart + end_rel))
}

/// The value of `key` nearest to `near` in `text` (within a window), as found by [`value_after`].
pub(super) fn nearby_value<'t>(text: &'t str, key: &str, near: usize) -> Option<Cow<'t, str>> {
    let lo = floor_boundary(text, near.saturating_sub(800));
    let hi = floor_boundary(text, (near + 800).min(text.len()));
    let win = text.get(lo..hi)?;
    let mut best: Option<(usize, Cow<'t, str>)> = None;
    for i in find_all_ci(win, key) {
        let abs_i = lo + i;
        let key_end = abs_i + key.len();
        if !word_start(text, abs_i) || !word_end(text, key_end) {
            continue;
        }
        if let Some((v, _)) = value_after(text, key_end) {
            let d = abs_i.abs_diff(near);
            if best.as_ref().is_none_or(|(bd, _)| d < *bd) {
                best = Some((d, v));
            }
        }
    }
    best.map(|(_, v)| v)
}

/// A numeric `errno` (`"errno":-2`, `errno: -4058`) near `near`, as a code name.
pub(super) fn nearby_errno_number(text: &str, near: usize) -> Option<&'static str> {
    let lo = floor_boundary(text, near.saturating_sub(800));
    let hi = floor_boundary(text, (near + 800).min(text.len()));
    let win = text.get(lo..hi)?;
    find_all_ci(win, "errno").find_map(|i| {
        let after = win.get(i + 5..)?;
        let t = after.trim_start_matches(['"', '\\', '\'', ' ', ':']);
        let neg = t.strip_prefix('-')?;
        let n: String = neg.chars().take_while(char::is_ascii_digit).collect();
        match n.parse::<i64>().ok()? {
            2 | 4058 => Some("ENOENT"),
            13 | 4092 => Some("EACCES"),
            22 | 4071 => Some("EINVAL"),
            1 | 4048 => Some("EPERM"),
            8 => Some("ENOEXEC"),
            4094 => Some("UNKNOWN"),
            _ => None,
        }
    })
}

pub(super) fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

pub(super) fn node_fields<'a>(text: &'a str, base: u32, out: &mut Vec<Signal<'a>>) {
    if find_ci(text, "syscall", 0).is_none() {
        return;
    }
    for i in find_all_ci(text, "syscall") {
        let key_end = i + "syscall".len();
        if !word_start(text, i) || !word_end(text, key_end) {
            continue;
        }
        let Some((value, range)) = value_after(text, key_end) else {
            continue;
        };
        let program = match value.strip_prefix("spawn") {
            Some("") => None,
            Some(rest) if rest.starts_with(' ') => Some(rest[1..].to_string()),
            _ => continue,
        };
        let code = nearby_value(text, "code", i)
            .and_then(|c| code_at(&c).map(|(code, _, _)| code))
            .or_else(|| {
                nearby_value(text, "errno", i).and_then(|c| code_at(&c).map(|(code, _, _)| code))
            })
            .or_else(|| nearby_errno_number(text, i));
        let Some(code) = code else { continue };
        let span = abs(base, i..range.end.min(text.len()));
        let prog = program.filter(|p| !p.trim().is_empty()).map(|p| {
            // Borrow from the source when the value is a plain slice of it.
            let slice_at = range.start + value.len().saturating_sub(p.len());
            match (&value, text.get(slice_at..slice_at + p.len())) {
                (Cow::Borrowed(_), Some(sl)) if sl == p && p.len() < value.len() => {
                    let sl_start = value_slice_start(text, &range, &value);
                    match sl_start.and_then(|s| text.get(s + 6..s + 6 + p.len())) {
                        Some(x) if x == p => (Cow::Borrowed(x), Some(offset_of(text, x, base))),
                        _ => (Cow::Owned(p), None),
                    }
                }
                _ => (Cow::Owned(p), None),
            }
        });
        let mut s = build(span, prog, code, "node");
        s = s.with("syscall", value.to_string());
        if let Some(path) = nearby_value(text, "path", i) {
            s = s.with("path", path.into_owned());
        }
        out.push(s);
    }
}

/// Where a borrowed value starts in `text` (its raw range starts at its opening quote).
pub(super) fn value_slice_start(
    text: &str,
    range: &std::ops::Range<usize>,
    value: &str,
) -> Option<usize> {
    let r = text.get(range.clone())?;
    r.find(value).map(|i| range.start + i)
}
