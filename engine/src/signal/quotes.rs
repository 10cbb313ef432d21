//! Signals of a record pasted with curly quotes: the readers see a copy of the
//! record with ASCII quotes, and every offset they report is mapped back.
//!
//! Only records that hold a curly quote come here (one `memchr` decides), so
//! the copy costs nothing on ordinary logs. Never changes what a reader sees
//! except the quotes themselves.

use std::borrow::Cow;

use crate::event::{Event, EventRef, Value};
use crate::parse::paste::curly_quote_at;
use crate::signal::{Family, SigValue, Signal};

/// The record text with ASCII quotes, and for each replaced quote the
/// offset in the copy and how many bytes shorter the copy is from there on.
struct Ascii {
    text: String,
    /// (offset in the copy just after the quote, bytes removed so far)
    shifts: Vec<(u32, u32)>,
}

fn ascii(original: &str) -> Ascii {
    let b = original.as_bytes();
    let mut text = String::with_capacity(original.len());
    let mut shifts = Vec::new();
    let mut removed = 0u32;
    let mut last = 0;
    let mut i = 0;
    while i < b.len() {
        if curly_quote_at(b, i) {
            text.push_str(&original[last..i]);
            text.push(if matches!(b[i + 2], 0x98 | 0x99) {
                '\''
            } else {
                '"'
            });
            removed += 2;
            shifts.push((text.len() as u32, removed));
            i += 3;
            last = i;
        } else {
            i += 1;
        }
    }
    text.push_str(&original[last..]);
    Ascii { text, shifts }
}

impl Ascii {
    /// The offset in the original record of offset `at` in the copy.
    fn back(&self, at: u32) -> u32 {
        let removed = match self.shifts.partition_point(|(o, _)| *o <= at) {
            0 => 0,
            k => self.shifts[k - 1].1,
        };
        at + removed
    }
}

/// Runs `run` over an ASCII-quoted copy of `ev` and maps its signals back.
pub(super) fn read_ascii<'a>(
    ev: &EventRef<'a>,
    fams: &[&'static Family],
    run: for<'b> fn(&EventRef<'b>, &[&'static Family], &mut Vec<Signal<'b>>),
) -> Vec<Signal<'a>> {
    let conv = ascii(ev.record_text());
    let mut copy = Event {
        text: 0..conv.text.len() as u32,
        fields: Vec::with_capacity(ev.event.fields.len()),
        ..ev.event.clone()
    };
    copy.fields.clear();
    for (name, _) in &ev.event.fields {
        let v = ev.get(name).unwrap_or_default();
        copy.fields
            .push((name.clone(), Value::Owned(ascii(&v).text.into())));
    }
    let view = EventRef {
        event: &copy,
        source_text: &conv.text,
        format: ev.format,
    };
    let mut found = Vec::new();
    run(&view, fams, &mut found);
    let base = ev.event.text.start;
    found
        .into_iter()
        .map(|s| Signal {
            kind: s.kind,
            at: base + conv.back(s.at.start)..base + conv.back(s.at.end),
            fields: s
                .fields
                .into_iter()
                .map(|(n, v)| {
                    let at = v.at.map(|a| base + conv.back(a));
                    // A slice of the copy is original text only where it held no quote.
                    let same = at.is_some_and(|a| {
                        let start = (a - base) as usize;
                        ev.record_text().get(start..start + v.text.len()) == Some(&*v.text)
                    });
                    (
                        n,
                        SigValue {
                            text: Cow::Owned(v.text.into_owned()),
                            at: if same { at } else { None },
                        },
                    )
                })
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_back_across_replaced_quotes() {
        let a = ascii("a “b” c ‘d’");
        assert_eq!(a.text, "a \"b\" c 'd'");
        // `c` is at 6 in the copy and at 10 in the original.
        assert_eq!(a.back(6), 10);
        assert_eq!(a.back(0), 0);
        assert_eq!(a.back(2), 2);
        assert_eq!(a.back(3), 5);
        assert_eq!(&"a “b” c ‘d’"[a.back(6) as usize..a.back(7) as usize], "c");
    }
}

#[cfg(test)]
mod paste_tests {
    use crate::signal::testkit::read;
    use crate::signal::Kind;

    #[test]
    fn a_curly_quoted_paste_gives_the_same_signals() {
        for (plain, curly) in [
            (
                "'npx' is not recognized as an internal or external command,\n",
                "‘npx’ is not recognized as an internal or external command,\n",
            ),
            (
                "{\"error\":\"spawn uvx ENOENT\",\"code\":\"ENOENT\",\"syscall\":\"spawn uvx\"}\n",
                "{“error”:“spawn uvx ENOENT”,“code”:“ENOENT”,“syscall”:“spawn uvx”}\n",
            ),
        ] {
            let want = read("terminal.txt", plain, Kind::SpawnFailed);
            assert!(!want.is_empty(), "{plain}");
            assert_eq!(
                read("terminal.txt", curly, Kind::SpawnFailed),
                want,
                "{curly}"
            );
        }
    }
}
