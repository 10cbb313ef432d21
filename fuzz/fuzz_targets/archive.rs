//! Fuzz target: the archive and container reader (zip, tar, gzip, evtx) over
//! arbitrary bytes, with small limits. The first byte picks the file name;
//! every input the reader yields is then read whole. Nothing may panic, and no
//! source read whole may exceed the per-source cap.

#![no_main]

use libfuzzer_sys::fuzz_target;
use logscan_engine::source::{inputs_of_bytes, read_whole, Collected, Limits};

const NAMES: [&str; 8] = [
    "bundle.zip",
    "logs.tar",
    "logs.tar.gz",
    "x.log.gz",
    "System.evtx",
    "mcp.log",
    "bundle.tgz",
    "dmesg.txt",
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let name = NAMES[usize::from(pick) % NAMES.len()];
    let limits = Limits {
        max_source_bytes: 256 << 10,
        max_total_bytes: 1 << 20,
        max_ratio: 50,
        ratio_floor: 64 << 10,
    };
    let (inputs, errors) = inputs_of_bytes(name, rest.to_vec(), &limits);
    for e in &errors {
        let _ = e.to_string();
    }
    for input in inputs {
        let text = match input {
            Collected::Text(t) => t,
            Collected::Input(input) => match read_whole(input, &limits) {
                Ok(t) => t,
                Err(e) => {
                    let _ = e.to_string();
                    continue;
                }
            },
        };
        assert!(
            text.raw_len <= limits.max_source_bytes,
            "{}: {} raw bytes over the {} cap",
            text.path,
            text.raw_len,
            limits.max_source_bytes
        );
    }
});
