//! Physical lines of a decoded text, found with `memchr`.
//!
//! A [`Line`] knows where its content ends (terminator excluded) and where the
//! next line starts. LF, CRLF, CR CR LF (what `wsl.exe` writes) and lone CR all
//! end a line; CR CR LF counts as one terminator, so line numbers match what an
//! editor shows. Grouping lines into multi-line records is the parsers' job;
//! this module never looks at content beyond line terminators.

/// Lines longer than this are cut: the rest up to the terminator is skipped and
/// the cut is reported by the caller (see [`Line::cut`]).
pub const MAX_LINE: usize = 64 * 1024;

/// One physical line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Line {
    /// Decoded offset of the first byte.
    pub start: u32,
    /// Decoded offset just past the content (terminator excluded, cut applied).
    pub end: u32,
    /// Decoded offset of the next line's first byte.
    pub next: u32,
    /// 1-based line number.
    pub number: u32,
    /// The line was longer than [`MAX_LINE`] and `end` was pulled in.
    pub cut: bool,
}

impl Line {
    /// The line's content in `text`.
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start as usize..self.end as usize]
    }
}

/// Iterator over the physical lines of `text`.
pub fn lines(text: &str) -> Lines<'_> {
    Lines {
        text,
        pos: 0,
        number: 0,
    }
}

/// See [`lines`].
#[derive(Clone, Debug)]
pub struct Lines<'a> {
    text: &'a str,
    pos: usize,
    number: u32,
}

impl Iterator for Lines<'_> {
    type Item = Line;

    fn next(&mut self) -> Option<Line> {
        let bytes = self.text.as_bytes();
        if self.pos >= bytes.len() {
            return None;
        }
        let start = self.pos;
        let (content_end, next) = match memchr::memchr2(b'\n', b'\r', &bytes[start..]) {
            None => (bytes.len(), bytes.len()),
            Some(i) => {
                let at = start + i;
                if bytes[at] == b'\n' {
                    (at, at + 1)
                } else if bytes.get(at + 1) == Some(&b'\n') {
                    (at, at + 2)
                } else if bytes.get(at + 1) == Some(&b'\r') && bytes.get(at + 2) == Some(&b'\n') {
                    (at, at + 3)
                } else {
                    (at, at + 1)
                }
            }
        };
        self.pos = next;
        self.number += 1;
        let mut end = content_end;
        let cut = end - start > MAX_LINE;
        if cut {
            end = start + MAX_LINE;
            while !self.text.is_char_boundary(end) {
                end -= 1;
            }
        }
        Some(Line {
            start: start as u32,
            end: end as u32,
            next: next as u32,
            number: self.number,
            cut,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(t: &str) -> Vec<&str> {
        lines(t).map(|l| l.text(t)).collect()
    }

    #[test]
    fn all_terminators_are_one_line_end() {
        assert_eq!(split("a\nb\r\nc\r\r\nd\re"), ["a", "b", "c", "d", "e"]);
        assert_eq!(split("a\n\nb\n"), ["a", "", "b"]);
        assert_eq!(split(""), Vec::<&str>::new());
    }

    #[test]
    fn numbers_and_offsets() {
        let t = "ab\r\r\ncd";
        let v: Vec<Line> = lines(t).collect();
        assert_eq!(v[0].end, 2);
        assert_eq!(v[0].next, 5);
        assert_eq!(v[1].number, 2);
        assert_eq!(v[1].start, 5);
    }

    #[test]
    fn long_lines_are_cut_on_a_char_boundary() {
        let t = format!("{}\nx", "é".repeat(MAX_LINE));
        let v: Vec<Line> = lines(&t).collect();
        assert!(v[0].cut);
        assert!(v[0].end as usize <= v[0].start as usize + MAX_LINE);
        assert_eq!(v[1].text(&t), "x");
    }
}
