//! Fuzz target: `decode` on arbitrary bytes must never panic, and a decoded
//! source's offset map must stay inside the raw bytes and end at `raw_len`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use logscan_engine::decode::try_decode;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = try_decode("fuzz".into(), data.to_vec()) else {
        return;
    };
    assert_eq!(s.raw_len, data.len() as u64);
    assert_eq!(s.raw_offset(s.text.len()), s.raw_len);
    let mut last = None;
    for (i, _) in s.text.char_indices() {
        let raw = s.raw_offset(i);
        assert!(raw < s.raw_len);
        if let Some(last) = last {
            assert!(last < raw, "raw offsets must increase");
        }
        last = Some(raw);
    }
});
