//! Properties of `decode`: round trips through every supported encoding with
//! exact raw offsets of line starts, and no panic / in-range offsets on any bytes.

use logscan_engine::decode::{decode, try_decode};
use logscan_engine::frame;
use logscan_engine::text::SourceText;
use proptest::prelude::*;

#[derive(Clone, Copy, Debug)]
enum Enc {
    Utf8,
    Utf8Bom,
    Utf16 { le: bool, bom: bool },
}

/// Encodes `lines` (each with its terminator) and returns the bytes and the raw
/// offset where each line starts.
fn encode(lines: &[(String, &str)], enc: Enc) -> (Vec<u8>, Vec<u64>) {
    let mut out = Vec::new();
    match enc {
        Enc::Utf8 => {}
        Enc::Utf8Bom => out.extend_from_slice(b"\xef\xbb\xbf"),
        Enc::Utf16 {
            le: true,
            bom: true,
        } => out.extend_from_slice(b"\xff\xfe"),
        Enc::Utf16 {
            le: false,
            bom: true,
        } => out.extend_from_slice(b"\xfe\xff"),
        Enc::Utf16 { bom: false, .. } => {}
    }
    let mut starts = Vec::new();
    for (line, term) in lines {
        starts.push(out.len() as u64);
        let whole = format!("{line}{term}");
        match enc {
            Enc::Utf8 | Enc::Utf8Bom => out.extend_from_slice(whole.as_bytes()),
            Enc::Utf16 { le, .. } => {
                for u in whole.encode_utf16() {
                    out.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
                }
            }
        }
    }
    (out, starts)
}

/// Mostly-ASCII characters, as in real logs, with any printable character
/// mixed in. BOM-less UTF-16 is recognised by its NUL high bytes, so code
/// points whose low byte is NUL (rare in text) are left out.
fn text_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => (0x20u8..0x7f).prop_map(char::from),
        1 => any::<char>().prop_map(|c| {
            let unfit = c.is_control() || matches!(c, '\u{feff}' | '\u{fffe}') || u32::from(c) & 0xff == 0;
            if unfit { '\u{e9}' } else { c }
        }),
    ]
}

fn lines() -> impl Strategy<Value = Vec<(String, &'static str)>> {
    let line = proptest::collection::vec(text_char(), 0..40)
        .prop_map(|v| v.into_iter().collect::<String>());
    let term = prop_oneof![Just("\n"), Just("\r\n"), Just("\r\r\n")];
    proptest::collection::vec((line, term), 1..20).prop_map(|mut v| {
        // A fixed start: a random first line could spell a binary signature.
        if let Some(first) = v.first_mut() {
            first.0.insert_str(0, "log: ");
        }
        v
    })
}

fn enc() -> impl Strategy<Value = Enc> {
    prop_oneof![
        Just(Enc::Utf8),
        Just(Enc::Utf8Bom),
        Just(Enc::Utf16 {
            le: true,
            bom: true
        }),
        Just(Enc::Utf16 {
            le: true,
            bom: false
        }),
        Just(Enc::Utf16 {
            le: false,
            bom: true
        }),
        Just(Enc::Utf16 {
            le: false,
            bom: false
        }),
    ]
}

/// Checks the offset map of any decoded source: every offset maps inside the
/// raw bytes, char boundaries map strictly increasing (no raw byte is shared or
/// dropped), and the end of the text maps to the end of the raw bytes.
fn check_offsets(s: &SourceText) -> Result<(), TestCaseError> {
    for i in 0..=s.text.len() {
        prop_assert!(
            s.raw_offset(i) <= s.raw_len,
            "offset {} maps past the end",
            i
        );
    }
    let bounds: Vec<u64> = s
        .text
        .char_indices()
        .map(|(i, _)| s.raw_offset(i))
        .chain([s.raw_offset(s.text.len())])
        .collect();
    prop_assert!(
        bounds.windows(2).all(|w| w[0] < w[1]),
        "not increasing: {:?}",
        bounds
    );
    prop_assert_eq!(s.raw_offset(s.text.len()), s.raw_len);
    prop_assert!(s
        .checkpoints
        .windows(2)
        .all(|w| w[0].decoded < w[1].decoded));
    Ok(())
}

proptest! {
    #[test]
    fn round_trip_with_exact_line_offsets(lines in lines(), enc in enc()) {
        let (bytes, starts) = encode(&lines, enc);
        let raw_len = bytes.len() as u64;
        let s = try_decode("t.log".into(), bytes);
        prop_assert!(s.is_ok(), "decode failed: {:?}", s.err());
        let Ok(s) = s else { return Ok(()) };
        let original: String = lines.iter().map(|(l, t)| format!("{l}{t}")).collect();
        prop_assert_eq!(&s.text, &original);
        prop_assert_eq!(s.raw_len, raw_len);
        let got: Vec<u64> = frame::lines(&s.text).map(|l| s.raw_offset(l.start as usize)).collect();
        prop_assert_eq!(got, starts);
        check_offsets(&s)?;
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let n = bytes.len() as u64;
        let lenient = decode("fuzz.bin".into(), bytes.clone());
        prop_assert_eq!(lenient.raw_len, n);
        prop_assert!(lenient.raw_offset(lenient.text.len()) <= n);
        if let Ok(s) = try_decode("fuzz.bin".into(), bytes) {
            prop_assert_eq!(s.raw_len, n);
            check_offsets(&s)?;
        }
    }

    #[test]
    fn utf16_like_bytes_never_panic(
        units in proptest::collection::vec((any::<u8>(), prop_oneof![Just(0u8), any::<u8>()]), 0..1024),
        bom in any::<bool>(),
        odd in any::<bool>(),
    ) {
        let mut bytes: Vec<u8> = if bom { vec![0xff, 0xfe] } else { Vec::new() };
        for (lo, hi) in units {
            bytes.extend_from_slice(&[lo, hi]);
        }
        if odd {
            bytes.push(b'x');
        }
        if let Ok(s) = try_decode("w.txt".into(), bytes) {
            check_offsets(&s)?;
        }
    }

    #[test]
    fn invalid_utf8_bytes_are_kept(
        parts in proptest::collection::vec(
            prop_oneof![
                "[a-z \n]{0,12}".prop_map(String::into_bytes),
                (0x80u8..=0xff).prop_map(|b| vec![b]),
            ],
            1..30,
        )
    ) {
        let mut bytes = b"log: ".to_vec();
        bytes.extend(parts.into_iter().flatten());
        let raw_len = bytes.len() as u64;
        let s = try_decode("l.log".into(), bytes);
        prop_assert!(s.is_ok());
        let Ok(s) = s else { return Ok(()) };
        prop_assert_eq!(s.raw_len, raw_len);
        check_offsets(&s)?;
    }
}
