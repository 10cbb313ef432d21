//! Damaged archives never panic: valid zip, tar and tar.gz bundles with
//! random bytes overwritten or cut off are read into sources and errors, and
//! every source keeps its display path inside the archive.

use crate::source_common;

use logscan_engine::source::{read_bytes, Limits};
use proptest::prelude::*;
use source_common::*;

fn bundle() -> Vec<M<'static>> {
    vec![
        M::Dir("logs/"),
        M::File("logs/mcp.log", b"2025-01-01T00:00:00Z [info] [fs] up\r\n"),
        M::File("../evil.log", b"x\n"),
        M::Link("logs/latest", "mcp.log"),
        M::File("logs/b.log", b"b\nb\nb\nb\n"),
    ]
}

fn damage(mut bytes: Vec<u8>, edits: &[(usize, u8)], keep: usize) -> Vec<u8> {
    let len = bytes.len();
    for (at, b) in edits {
        if let Some(slot) = bytes.get_mut(at % len) {
            *slot = *b;
        }
    }
    bytes.truncate(keep % (len + 1));
    bytes
}

fn limits() -> Limits {
    Limits {
        max_source_bytes: 4096,
        max_total_bytes: 16384,
        max_ratio: 50,
        ratio_floor: 1024,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn damaged_archives_never_panic(
        kind in 0usize..3,
        edits in prop::collection::vec((any::<usize>(), any::<u8>()), 0..8),
        keep in any::<usize>(),
    ) {
        let (name, bytes) = match kind {
            0 => ("b.zip", zip(&bundle())),
            1 => ("b.tar", tar(&bundle())),
            _ => ("b.tar.gz", gzip(&tar(&bundle()))),
        };
        let bytes = damage(bytes, &edits, keep);
        let (texts, errs) = read_bytes(name, bytes, &limits());
        for t in &texts {
            prop_assert!(t.path.starts_with(name), "{}", t.path);
            prop_assert!(!t.path.contains("/../") && !t.path.contains("!../"), "{}", t.path);
            prop_assert!(t.raw_len <= 4096);
        }
        for e in &errs {
            prop_assert!(e.path.starts_with(name), "{}", e.path);
        }
    }
}
