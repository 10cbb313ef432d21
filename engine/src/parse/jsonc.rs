//! A span-keeping reader for JSON as users keep and paste it: JSONC comments
//! and trailing commas, markdown `> ` quotes and code fences, a shell prompt
//! line before the object, text after it, and bare `"name": {...}` fragments.
//!
//! [`prepare`] blanks what is not JSON with spaces (so every byte offset stays
//! the offset in the source), `serde_json` validates the result and locates
//! errors, and [`read`] builds a small tree whose nodes carry their byte
//! ranges. This module never copies the input's values except to unescape
//! strings, never recurses deeper than [`MAX_DEPTH`] and never panics.

use std::ops::Range;

/// Deeper nesting is not read (serde_json refuses it too).
pub const MAX_DEPTH: usize = 100;

/// Text ready for a strict JSON parser, offsets shifted by `shift`.
#[derive(Debug)]
pub struct Prepared {
    /// Strict JSON (when the input is JSON at all): the source with comments,
    /// trailing commas, quote marks and fences blanked, wrapped in `{}` when
    /// it was a bare fragment.
    pub json: String,
    /// Offset in `json` of source offset 0 (1 when wrapped).
    pub shift: usize,
}

/// Why a text is not JSON: the message and its offset in the source.
#[derive(Debug, PartialEq, Eq)]
pub struct JsonError {
    pub message: String,
    pub offset: usize,
}

/// A value with its byte range in the source.
#[derive(Debug, PartialEq, Eq)]
pub struct Node {
    pub span: Range<usize>,
    pub kind: Kind,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Kind {
    Object(Vec<Member>),
    Array(Vec<Node>),
    /// A string: `raw` is the range inside the quotes; `unescaped` is set when it had escapes.
    Str {
        raw: Range<usize>,
        unescaped: Option<String>,
    },
    /// A number, `true`, `false` or `null` (read its text from `span`).
    Scalar,
}

/// `"key": value` with the key's range (quotes included).
#[derive(Debug, PartialEq, Eq)]
pub struct Member {
    pub key: String,
    pub key_span: Range<usize>,
    pub value: Node,
}

impl Node {
    /// Members of an object (empty for other values).
    pub fn members(&self) -> &[Member] {
        match &self.kind {
            Kind::Object(m) => m,
            _ => &[],
        }
    }

    /// The member called `key`, if this is an object that has one.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.members()
            .iter()
            .find(|m| m.key == key)
            .map(|m| &m.value)
    }

    pub fn is_object(&self) -> bool {
        matches!(self.kind, Kind::Object(_))
    }

    /// The value as text: strings unescaped, scalars as written, arrays of
    /// scalars joined with `sep`; `None` for objects and nested arrays.
    pub fn text<'a>(&'a self, src: &'a str, sep: &str) -> Option<std::borrow::Cow<'a, str>> {
        use std::borrow::Cow;
        match &self.kind {
            Kind::Str { raw, unescaped } => Some(match unescaped {
                Some(s) => Cow::Borrowed(s.as_str()),
                None => Cow::Borrowed(src.get(raw.clone()).unwrap_or("")),
            }),
            Kind::Scalar => Some(Cow::Borrowed(src.get(self.span.clone()).unwrap_or(""))),
            Kind::Array(items) => {
                let mut out = String::new();
                for (i, item) in items.iter().enumerate() {
                    if matches!(item.kind, Kind::Object(_) | Kind::Array(_)) {
                        return None;
                    }
                    if i > 0 {
                        out.push_str(sep);
                    }
                    out.push_str(&item.text(src, sep)?);
                }
                Some(Cow::Owned(out))
            }
            Kind::Object(_) => None,
        }
    }
}

/// Blanks what is not JSON in `src` (see the module docs).
pub fn prepare(src: &str) -> Prepared {
    let mut b = src.as_bytes().to_vec();
    blank_lines(&mut b);
    blank_comments(&mut b);
    let first = b.iter().position(|c| !c.is_ascii_whitespace());
    let wrap = first.is_some_and(|i| b.get(i) == Some(&b'"'));
    if wrap {
        b.insert(0, b'{');
        b.push(b'}');
    }
    blank_trailing_commas(&mut b);
    let json = match String::from_utf8(b) {
        Ok(s) => s,
        // Blanking replaces whole characters with spaces, so this does not
        // happen; if it did, offsets would drift but nothing would panic.
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    Prepared {
        json,
        shift: usize::from(wrap),
    }
}

/// Validates `p` and reads its first JSON value; offsets are source offsets.
pub fn read(p: &Prepared) -> Result<Node, JsonError> {
    let mut stream =
        serde_json::Deserializer::from_str(&p.json).into_iter::<serde::de::IgnoredAny>();
    match stream.next() {
        Some(Ok(_)) => {}
        Some(Err(e)) => return Err(error(p, &e)),
        None => {
            return Err(JsonError {
                message: "no JSON value".into(),
                offset: 0,
            })
        }
    }
    let mut r = Reader {
        s: p.json.as_bytes(),
        json: &p.json,
        pos: 0,
        shift: p.shift,
    };
    r.ws();
    r.value(0).ok_or(JsonError {
        message: "unreadable JSON".into(),
        offset: r.pos.saturating_sub(p.shift),
    })
}

fn error(p: &Prepared, e: &serde_json::Error) -> JsonError {
    // serde_json counts lines by LF and columns in bytes; blanking kept both.
    let mut line_start = 0;
    for _ in 1..e.line() {
        match p.json.get(line_start..).and_then(|s| s.find('\n')) {
            Some(i) => line_start += i + 1,
            None => break,
        }
    }
    let at = (line_start + e.column().saturating_sub(1)).min(p.json.len());
    let full = e.to_string();
    let message = match full.rfind(" at line ") {
        Some(i) => full.get(..i).unwrap_or(&full).to_string(),
        None => full,
    };
    JsonError {
        message,
        offset: at.saturating_sub(p.shift),
    }
}

/// Blanks code fences, markdown quote marks and prose lines before the first line that opens JSON.
fn blank_lines(b: &mut [u8]) {
    let lines = line_ranges(b);
    let content = |b: &[u8], r: &Range<usize>| {
        let s = b.get(r.clone()).unwrap_or(&[]);
        let lead = s.iter().take_while(|c| matches!(c, b' ' | b'\t')).count();
        r.start + lead
    };
    // JSON never starts a line with `>`: such marks are markdown quotes.
    for r in &lines {
        let mut i = content(b, r);
        while i < r.end && b.get(i) == Some(&b'>') {
            fill(b, i..i + 1);
            i += 1;
            while i < r.end && b.get(i) == Some(&b' ') {
                i += 1;
            }
        }
    }
    let mut started = false;
    for r in &lines {
        let c = content(b, r);
        let line = b.get(c..r.end).unwrap_or(&[]);
        if line.starts_with(b"```") || line.starts_with(b"~~~") {
            fill(b, c..r.end);
            continue;
        }
        if !started {
            match line.first() {
                None => {}
                Some(b'{' | b'[' | b'"') => started = true,
                Some(_) => fill(b, c..r.end),
            }
        }
    }
}

fn line_ranges(b: &[u8]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, &c) in b.iter().enumerate() {
        if c == b'\n' || c == b'\r' {
            out.push(start..i);
            start = i + 1;
        }
    }
    out.push(start..b.len());
    out
}

fn fill(b: &mut [u8], r: Range<usize>) {
    if let Some(s) = b.get_mut(r) {
        s.fill(b' ');
    }
}

/// `//` and `/* */` comments outside strings become spaces (line ends kept).
fn blank_comments(b: &mut [u8]) {
    let mut i = 0;
    let mut in_str = false;
    while i < b.len() {
        let c = b[i];
        if in_str {
            match c {
                b'\\' => i += 1,
                b'"' => in_str = false,
                b'\n' | b'\r' => in_str = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        match (c, b.get(i + 1)) {
            (b'"', _) => in_str = true,
            (b'/', Some(b'/')) => {
                let end = b[i..]
                    .iter()
                    .position(|&c| c == b'\n' || c == b'\r')
                    .map_or(b.len(), |n| i + n);
                fill(b, i..end);
                i = end;
                continue;
            }
            (b'/', Some(b'*')) => {
                let end = b[i + 2..]
                    .windows(2)
                    .position(|w| w == b"*/")
                    .map_or(b.len(), |n| i + 2 + n + 2);
                for x in &mut b[i..end] {
                    if *x != b'\n' && *x != b'\r' {
                        *x = b' ';
                    }
                }
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
}

/// A `,` followed only by white space and then `}` or `]` becomes a space.
fn blank_trailing_commas(b: &mut [u8]) {
    let mut in_str = false;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if in_str {
            match c {
                b'\\' => i += 1,
                b'"' | b'\n' | b'\r' => in_str = false,
                _ => {}
            }
        } else if c == b'"' {
            in_str = true;
        } else if c == b',' {
            let next = b[i + 1..].iter().find(|c| !c.is_ascii_whitespace());
            if matches!(next, Some(b'}' | b']')) {
                b[i] = b' ';
            }
        }
        i += 1;
    }
}

/// Reads strict JSON that serde_json has already accepted.
struct Reader<'a> {
    s: &'a [u8],
    json: &'a str,
    pos: usize,
    shift: usize,
}

impl Reader<'_> {
    fn ws(&mut self) {
        while self.s.get(self.pos).is_some_and(u8::is_ascii_whitespace) {
            self.pos += 1;
        }
    }

    fn src(&self, r: Range<usize>) -> Range<usize> {
        r.start.saturating_sub(self.shift)..r.end.saturating_sub(self.shift)
    }

    fn value(&mut self, depth: usize) -> Option<Node> {
        if depth > MAX_DEPTH {
            return None;
        }
        let start = self.pos;
        let kind =
            match self.s.get(self.pos)? {
                b'{' => {
                    self.pos += 1;
                    let mut members = Vec::new();
                    loop {
                        self.ws();
                        match self.s.get(self.pos)? {
                            b'}' => {
                                self.pos += 1;
                                break;
                            }
                            b',' => {
                                self.pos += 1;
                                continue;
                            }
                            _ => {}
                        }
                        let key_start = self.pos;
                        let key = match self.string()? {
                            (raw, None) => self.json.get(raw)?.to_string(),
                            (_, Some(s)) => s,
                        };
                        let key_span = self.src(key_start..self.pos);
                        self.ws();
                        if self.s.get(self.pos) != Some(&b':') {
                            return None;
                        }
                        self.pos += 1;
                        self.ws();
                        let value = self.value(depth + 1)?;
                        members.push(Member {
                            key,
                            key_span,
                            value,
                        });
                    }
                    Kind::Object(members)
                }
                b'[' => {
                    self.pos += 1;
                    let mut items = Vec::new();
                    loop {
                        self.ws();
                        match self.s.get(self.pos)? {
                            b']' => {
                                self.pos += 1;
                                break;
                            }
                            b',' => {
                                self.pos += 1;
                                continue;
                            }
                            _ => items.push(self.value(depth + 1)?),
                        }
                    }
                    Kind::Array(items)
                }
                b'"' => {
                    let (raw, unescaped) = self.string()?;
                    Kind::Str {
                        raw: self.src(raw),
                        unescaped,
                    }
                }
                _ => {
                    while self.s.get(self.pos).is_some_and(|c| {
                        !matches!(c, b',' | b'}' | b']') && !c.is_ascii_whitespace()
                    }) {
                        self.pos += 1;
                    }
                    if self.pos == start {
                        return None;
                    }
                    Kind::Scalar
                }
            };
        Some(Node {
            span: self.src(start..self.pos),
            kind,
        })
    }

    /// A string at `pos`: the range inside its quotes (in `json`) and its
    /// unescaped text when it has escapes.
    fn string(&mut self) -> Option<(Range<usize>, Option<String>)> {
        if self.s.get(self.pos) != Some(&b'"') {
            return None;
        }
        let start = self.pos;
        let mut i = start + 1;
        let mut escaped = false;
        loop {
            match self.s.get(i)? {
                b'\\' => {
                    escaped = true;
                    i += 2;
                }
                b'"' => break,
                _ => i += 1,
            }
        }
        self.pos = i + 1;
        let unescaped = if escaped {
            Some(serde_json::from_str::<String>(self.json.get(start..i + 1)?).ok()?)
        } else {
            None
        };
        Some((start + 1..i, unescaped))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(src: &str) -> Result<Node, JsonError> {
        read(&prepare(src))
    }

    #[test]
    fn comments_and_trailing_commas_keep_offsets() {
        let src = "{ // servers\n  \"a\": [1, 2,], /* x */\n}";
        let p = prepare(src);
        assert_eq!(p.json.len(), src.len());
        assert_eq!(p.json, "{           \n  \"a\": [1, 2 ]         \n}");
        let n = tree(src).unwrap();
        let a = &n.members()[0];
        assert_eq!(a.key, "a");
        assert_eq!(&src[a.key_span.clone()], "\"a\"");
        assert_eq!(&src[a.value.span.clone()], "[1, 2,]");
        assert_eq!(a.value.text(src, " ").unwrap(), "1 2");
    }

    #[test]
    fn comment_markers_inside_strings_are_text() {
        let src = r#"{"u": "http://x/*y*/", "p": "C:\\Users\\a"}"#;
        let n = tree(src).unwrap();
        assert_eq!(n.get("u").unwrap().text(src, "").unwrap(), "http://x/*y*/");
        assert_eq!(n.get("p").unwrap().text(src, "").unwrap(), r"C:\Users\a");
    }

    #[test]
    fn fragments_fences_quotes_and_prompts() {
        let src = "\"files\": {\"command\": \"npx\"},";
        let n = tree(src).unwrap();
        let m = &n.members()[0];
        assert_eq!(&src[m.key_span.clone()], "\"files\"");
        assert_eq!(&src[m.value.span.clone()], "{\"command\": \"npx\"}");
        let src = "$ cat .mcp.json\n> ```json\n> {\"a\": 1}\n> ```\n%";
        let n = tree(src).unwrap();
        assert_eq!(&src[n.span.clone()], "{\"a\": 1}");
    }

    #[test]
    fn errors_name_the_offset() {
        let src = "{\n  \"a\": 1\n  \"b\": 2\n}";
        let e = tree(src).unwrap_err();
        assert_eq!(e.message, "expected `,` or `}`");
        assert_eq!(&src[e.offset..e.offset + 3], "\"b\"");
        assert!(tree("").is_err());
        assert!(tree("{\"a\": \"unterminated").is_err());
        assert!(tree(&"[".repeat(500)).is_err());
    }
}
