//! Node's message `spawn <file> <code>` / `spawn <code>`, plain or inside JSON strings.

use super::*;

// Node: the message `spawn <file> <code>` / `spawn <code>`

/// How deep in JSON strings an offset lies on its line: 0 plain, 1 inside a JSON string,
/// 2 inside a JSON string that is itself inside one (`\"`-delimited).
pub(super) fn json_level(text: &str, at: usize) -> u8 {
    let line_start = text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let pre = &text.as_bytes()[line_start..at];
    let mut level1 = false;
    let mut last_open = 0;
    let mut i = 0;
    while i < pre.len() {
        if pre[i] == b'\\' {
            let mut k = i;
            while k < pre.len() && pre[k] == b'\\' {
                k += 1;
            }
            i = k + 1;
            continue;
        }
        if pre[i] == b'"' {
            level1 = !level1;
            last_open = i + 1;
        }
        i += 1;
    }
    if !level1 {
        return 0;
    }
    // Inside a level-1 string: count `\"` (one backslash) since it opened.
    let inner = &pre[last_open..];
    let mut n = 0;
    let mut i = 0;
    while i < inner.len() {
        if inner[i] == b'\\' {
            let mut k = i;
            while k < inner.len() && inner[k] == b'\\' {
                k += 1;
            }
            if k - i == 1 && inner.get(k) == Some(&b'"') {
                n += 1;
            }
            i = k + 1;
            continue;
        }
        i += 1;
    }
    if n % 2 == 1 {
        2
    } else {
        1
    }
}

/// Decodes one JSON string level from `raw` until its closing quote (or a line end); with
/// `stop_at_newline` also until an escaped `\n`/`\r`. Returns the text and the raw bytes used.
pub(super) fn json_unescape(raw: &str, stop_at_newline: bool) -> (String, usize) {
    let mut out = String::new();
    let mut it = raw.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        match c {
            '"' | '\n' | '\r' => return (out, i),
            '\\' => {
                let Some(&(_, e)) = it.peek() else {
                    return (out, i);
                };
                it.next();
                match e {
                    'n' | 'r' if stop_at_newline => return (out, i),
                    'n' => out.push('\n'),
                    'r' => out.push('\r'),
                    't' => out.push('\t'),
                    'u' => {
                        let hex: String =
                            (0..4).filter_map(|_| it.next().map(|(_, h)| h)).collect();
                        if let Some(ch) =
                            u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32)
                        {
                            out.push(ch);
                        }
                    }
                    other => out.push(other),
                }
            }
            _ => out.push(c),
        }
    }
    (out, raw.len())
}

/// The text after `spawn ` as the log meant it: up to the end of its line or JSON string.
/// Borrowed (with its absolute offset) when no unescaping was needed.
pub(super) fn logical_rest<'a>(
    text: &'a str,
    from: usize,
    level: u8,
    quote: Option<u8>,
) -> Cow<'a, str> {
    let raw = &text[from..];
    let line_end = raw.find(['\n', '\r']).unwrap_or(raw.len());
    let raw = &raw[..line_end];
    match level {
        0 => {
            let end = match quote {
                Some(q) => raw.bytes().position(|b| b == q).unwrap_or(raw.len()),
                None => raw.len(),
            };
            Cow::Borrowed(&raw[..end])
        }
        1 => {
            let (s, used) = json_unescape(raw, true);
            if s.len() == used && raw.get(..used) == Some(s.as_str()) {
                Cow::Borrowed(&raw[..used])
            } else {
                Cow::Owned(s)
            }
        }
        _ => {
            // Decode the outer string, then the inner one.
            let (outer, _) = json_unescape(raw, false);
            let (inner, _) = json_unescape(&outer, true);
            Cow::Owned(inner)
        }
    }
}

/// A Node errno code at the start of `s`: (code as errno, raw code text, its length).
pub(super) fn code_at(s: &str) -> Option<(&'static str, Option<&str>, usize)> {
    if let Some(rest) = s.strip_prefix("Unknown system error ") {
        let digits = rest
            .strip_prefix('-')
            .map(|r| r.bytes().take_while(u8::is_ascii_digit).count())
            .unwrap_or(0);
        if digits == 0 {
            return None;
        }
        let len = "Unknown system error -".len() + digits;
        let n: i64 = rest[1..1 + digits].parse().ok()?;
        return Some((errno_name(n), s.get(..len), len));
    }
    let tok_len = s
        .bytes()
        .take_while(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        .count();
    let tok = &s[..tok_len];
    let code = CODES.iter().find(|c| **c == tok)?;
    word_end(s, tok_len).then_some((code, None, tok_len))
}

/// POSIX errno numbers as names (Linux and macOS agree on these).
pub(super) fn errno_name(n: i64) -> &'static str {
    match n {
        1 => "EPERM",
        2 => "ENOENT",
        8 => "ENOEXEC",
        13 => "EACCES",
        20 => "ENOTDIR",
        21 => "EISDIR",
        _ => "UNKNOWN",
    }
}

pub(super) fn node_messages<'a>(text: &'a str, base: u32, out: &mut Vec<Signal<'a>>) {
    for at in find_all_ci(text, "spawn ") {
        if !word_start(text, at) || !text.is_char_boundary(at) {
            continue;
        }
        // Node prints it lower-case.
        if text.get(at..at + 5) != Some("spawn") {
            continue;
        }
        let prev = at
            .checked_sub(1)
            .and_then(|i| text.as_bytes().get(i))
            .copied();
        let quote = match prev {
            Some(q @ (b'\'' | b'`')) => Some(q),
            _ => None,
        };
        let level = json_level(text, at);
        let from = at + 6;
        let rest = logical_rest(text, from, level, quote);
        let Some((program, code, detail, code_rel)) = split_message(&rest) else {
            continue;
        };
        // Absolute span: from `spawn` to the end of the code as found in the raw text.
        let raw_code_end = find_code_raw(
            text,
            from,
            code_rel_text(&rest, code_rel, detail.clone(), code),
        )
        .unwrap_or(from + rest.len().min(text.len() - from));
        let span = abs(base, at..raw_code_end);
        let prog = program.map(|(r, p)| match &rest {
            Cow::Borrowed(b) => {
                let sl = b.get(r).unwrap_or("");
                (Cow::Borrowed(sl), Some(offset_of(text, sl, base)))
            }
            Cow::Owned(_) => (Cow::Owned(p), None),
        });
        let mut s = build(span, prog, code, "node");
        if let Some(d) = detail {
            s = s.with("detail", d);
        }
        out.push(s);
    }
}

pub(super) fn code_rel_text<'s>(
    rest: &'s str,
    rel: usize,
    detail: Option<String>,
    code: &'s str,
) -> Cow<'s, str> {
    match detail {
        Some(d) => Cow::Owned(d),
        None => rest
            .get(rel..rel + code.len())
            .map_or(Cow::Borrowed(code), Cow::Borrowed),
    }
}

pub(super) fn find_code_raw(text: &str, from: usize, code: Cow<'_, str>) -> Option<usize> {
    let line_end = text[from..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| from + i);
    let hay = text.get(from..line_end)?;
    let mut k = 0;
    while let Some(i) = hay.get(k..)?.find(&*code) {
        let s = k + i;
        if word_start(hay, s) && word_end(hay, s + code.len()) {
            return Some(from + s + code.len());
        }
        k = s + 1;
    }
    None
}

pub(super) type Message = (
    Option<(std::ops::Range<usize>, String)>,
    &'static str,
    Option<String>,
    usize,
);

/// Splits the text after `spawn ` into the program and the code that follows it.
pub(super) fn split_message(rest: &str) -> Option<Message> {
    // `spawn EINVAL`: thrown synchronously, no file.
    if let Some((code, detail, _)) = code_at(rest) {
        return Some((None, code, detail.map(str::to_string), 0));
    }
    let mut k = 0;
    let max = rest.len().min(2048);
    while k < max {
        let sp = rest.get(k..max)?.find(' ')? + k;
        let after = sp + 1;
        if let Some((code, detail, _)) = rest.get(after..).and_then(code_at) {
            let program = rest.get(..sp)?;
            let p = program.trim();
            if p.is_empty() || !plausible_program(p) {
                return None;
            }
            let lead = program.len() - program.trim_start().len();
            let r = lead..lead + p.len();
            return Some((
                Some((r, p.to_string())),
                code,
                detail.map(str::to_string),
                after,
            ));
        }
        k = after;
    }
    None
}

/// Rejects prose caught between `spawn` and a code (`spawn the server: Error: spawn npx ENOENT`).
pub(super) fn plausible_program(p: &str) -> bool {
    if p.contains(": ") || p.ends_with(':') || p.contains('\t') {
        return false;
    }
    // Another `spawn ` inside: the later one is the real message.
    let mut k = 0;
    while let Some(i) = find_ci(p, "spawn ", k) {
        if word_start(p, i) {
            return false;
        }
        k = i + 1;
    }
    true
}
