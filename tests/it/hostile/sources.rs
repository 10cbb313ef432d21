//! Hostile inputs: sources (see tests/it/hostile.rs). Containers built on the
//! fly by hand (a stored or deflated zip, a GNU tar), `.evtx` files damaged
//! from the shared corpus (`../shared/data/evtx`: required under `CI=true`,
//! skipped with a note elsewhere), NUL tails and `/dev/zero`.

use std::io::Write;

use flate2::write::DeflateEncoder;
use flate2::Compression;
use logscan_engine::source::{self, Collected, Input, InputError, Limits};

/// A zip of `(name, bytes, deflated)` members, in that order, names as given.
fn zip(members: &[(&str, &[u8], bool)]) -> Vec<u8> {
    let (mut out, mut dir) = (Vec::new(), Vec::new());
    for (name, data, deflated) in members {
        let mut crc = flate2::Crc::new();
        crc.update(data);
        let stored = if *deflated {
            let mut e = DeflateEncoder::new(Vec::new(), Compression::best());
            e.write_all(data).unwrap();
            e.finish().unwrap()
        } else {
            data.to_vec()
        };
        let method: u16 = if *deflated { 8 } else { 0 };
        let offset = out.len() as u32;
        let fixed = |sig: u32, central: bool| {
            let mut h = sig.to_le_bytes().to_vec();
            if central {
                h.extend_from_slice(&20u16.to_le_bytes());
            }
            h.extend_from_slice(&20u16.to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes());
            h.extend_from_slice(&method.to_le_bytes());
            h.extend_from_slice(&[0, 0, 0x21, 0]);
            h.extend_from_slice(&crc.sum().to_le_bytes());
            h.extend_from_slice(&(stored.len() as u32).to_le_bytes());
            h.extend_from_slice(&(data.len() as u32).to_le_bytes());
            h.extend_from_slice(&(name.len() as u16).to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes());
            h
        };
        out.extend(fixed(0x0403_4b50, false));
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&stored);
        dir.extend(fixed(0x0201_4b50, true));
        dir.extend_from_slice(&[0; 6]);
        dir.extend_from_slice(&0u32.to_le_bytes());
        dir.extend_from_slice(&offset.to_le_bytes());
        dir.extend_from_slice(name.as_bytes());
    }
    let cd = out.len() as u32;
    out.extend_from_slice(&dir);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    let n = (members.len() as u16).to_le_bytes();
    out.extend_from_slice(&n);
    out.extend_from_slice(&n);
    out.extend_from_slice(&(dir.len() as u32).to_le_bytes());
    out.extend_from_slice(&cd.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// A ustar archive of regular files, ended by two zero blocks.
fn tar(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, data) in members {
        let mut h = [0u8; 512];
        h[..name.len()].copy_from_slice(name.as_bytes());
        h[100..107].copy_from_slice(b"0000644");
        h[108..115].copy_from_slice(b"0000000");
        h[116..123].copy_from_slice(b"0000000");
        h[124..135].copy_from_slice(format!("{:011o}", data.len()).as_bytes());
        h[136..147].copy_from_slice(b"00000000000");
        h[156] = b'0';
        h[257..263].copy_from_slice(b"ustar\0");
        h[263..265].copy_from_slice(b"00");
        h[148..156].copy_from_slice(b"        ");
        let sum: u32 = h.iter().map(|b| u32::from(*b)).sum();
        h[148..155].copy_from_slice(format!("{sum:06o}\0").as_bytes());
        out.extend_from_slice(&h);
        out.extend_from_slice(data);
        out.resize(out.len().div_ceil(512) * 512, 0);
    }
    out.resize(out.len() + 1024, 0);
    out
}

fn inputs(display: &str, bytes: Vec<u8>, limits: &Limits) -> (Vec<Input>, Vec<InputError>) {
    let (collected, errors) = source::inputs_of_bytes(display, bytes, limits);
    let inputs = collected
        .into_iter()
        .map(|c| match c {
            Collected::Input(i) => i,
            Collected::Text(t) => panic!("{} was read whole", t.path),
        })
        .collect();
    (inputs, errors)
}

fn names(inputs: &[Input]) -> Vec<&str> {
    inputs.iter().map(|i| i.display.as_str()).collect()
}

fn content(input: &Input) -> Vec<u8> {
    let mut v = Vec::new();
    std::io::Read::read_to_end(&mut input.source.open().unwrap(), &mut v).unwrap();
    v
}

#[test]
fn a_nested_zip_bomb_is_cut_by_one_budget_for_the_whole_tree() {
    // 4 nested zips of 4 members of 256 KiB of log text each: 4 MiB of
    // leaves from a few KiB, under a budget of 1 MiB for the whole tree.
    let leaf = b"2025-01-01T00:00:00Z [error] boom\n".repeat(256 * 1024 / 34);
    let inner = zip(&[
        ("a.log", &leaf, true),
        ("b.log", &leaf, true),
        ("c.log", &leaf, true),
        ("d.log", &leaf, true),
    ]);
    let outer = zip(&[
        ("n1.zip", &inner, false),
        ("n2.zip", &inner, false),
        ("n3.zip", &inner, false),
        ("n4.zip", &inner, false),
    ]);
    let limits = Limits {
        max_ratio: 10,
        ratio_floor: 1 << 20,
        ..Limits::default()
    };
    assert!(outer.len() * 10 < 1 << 20, "the floor is the budget");
    let (inputs, errors) = inputs("bomb.zip", outer, &limits);
    // Every byte decompressed below bomb.zip is charged to its one budget:
    // the nested zips (stored, by their size) and the leaves they hold.
    let inner_len = inner.len() as u64;
    let leaves: u64 = inputs
        .iter()
        .map(|i| i.limit.as_ref().unwrap().0.min(leaf.len() as u64))
        .sum();
    let nested = inner_len * 4;
    assert!(
        leaves + inner_len <= 1 << 20,
        "leaves {leaves}, nested {nested}"
    );
    assert_eq!(names(&inputs)[0], "bomb.zip!n1.zip!a.log");
    assert!(inputs.len() < 16, "{:?}", names(&inputs));
    let cut: Vec<&InputError> = errors
        .iter()
        .filter(|e| e.message.contains("the decompression budget of `bomb.zip`"))
        .collect();
    assert!(!cut.is_empty(), "{errors:?}");
    assert!(cut[0].path.starts_with("bomb.zip!n"), "{}", cut[0].path);
    assert!(cut[0].message.contains("skipped"), "{}", cut[0].message);
    // The member the budget ran out in is cut with the same reason.
    let last = inputs.last().unwrap();
    if last.limit.as_ref().unwrap().0 < leaf.len() as u64 {
        assert!(last
            .limit
            .as_ref()
            .unwrap()
            .1
            .contains("decompression budget of `bomb.zip`"));
    }
}

#[test]
fn two_zip_members_of_one_name_are_both_read() {
    let z = zip(&[
        ("logs/mcp.log", b"first\n", true),
        ("logs/other.log", b"other\n", false),
        ("logs/mcp.log", b"second\n", false),
    ]);
    let (inputs, errors) = inputs("a.zip", z, &Limits::default());
    assert_eq!(errors, Vec::new());
    assert_eq!(
        names(&inputs),
        [
            "a.zip!logs/mcp.log",
            "a.zip!logs/mcp.log (2)",
            "a.zip!logs/other.log"
        ]
    );
    assert_eq!(content(&inputs[0]), b"first\n");
    assert_eq!(content(&inputs[1]), b"second\n");
    assert_eq!(inputs[1].name, "logs/mcp.log");
    assert!(inputs[1].notes[0]
        .message
        .starts_with("the archive holds more than one member named `logs/mcp.log`"));
}

#[test]
fn a_zero_block_inside_a_tar_skips_one_member_with_a_note() {
    let mut t = tar(&[
        ("one.log", b"one\n"),
        ("two.log", b"two\n"),
        ("three.log", b"three\n"),
    ]);
    // Zero the second header (GNU tar: "A lone zero block").
    t[1024..1536].fill(0);
    let (inputs, errors) = inputs("b.tar", t, &Limits::default());
    assert_eq!(names(&inputs), ["b.tar!one.log", "b.tar!three.log"]);
    assert_eq!(content(&inputs[1]), b"three\n");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].path, "b.tar");
    assert!(errors[0]
        .message
        .starts_with("1024 bytes at offsets 1024-2048 of the tar archive are not a member"));
}

#[test]
fn text_followed_by_nuls_is_text_at_every_size_with_a_note() {
    let text = b"2025-01-01T00:00:00Z [info] up\n".repeat(70);
    for nuls in [100_000usize, 3_000_000] {
        let mut bytes = text.clone();
        bytes.resize(text.len() + nuls, 0);
        let (inputs, errors) = inputs("crash.log", bytes, &Limits::default());
        assert_eq!(errors, Vec::new(), "{nuls}");
        let (at, why) = inputs[0].limit.clone().unwrap();
        assert_eq!(at, text.len() as u64);
        assert_eq!(
            why,
            format!(
                "the last {nuls} bytes are NUL bytes (space preallocated, or a file cut short \
                 by a crash), not text"
            )
        );
    }
    let (_, errors) = inputs("zeros.log", vec![0; 100_000], &Limits::default());
    assert_eq!(errors[0].message, "binary file (not text); skipped");
}

#[cfg(target_os = "linux")]
#[test]
fn dev_zero_given_directly_is_refused_at_once() {
    let o = super::common::logscan(&["scan", "/dev/zero"]);
    assert_eq!(o.status.code(), Some(2));
    let err = super::common::stderr(&o);
    assert!(
        err.contains("/dev/zero: not a regular file and it yields only NUL bytes"),
        "{err}"
    );
}

/// A file of the shared `.evtx` corpus (`None`, to skip, as for `common::shared_data`).
fn shared_evtx(name: &str) -> Option<Vec<u8>> {
    let path = super::common::shared_data(&format!("evtx/{name}"))?;
    Some(std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

fn evtx_notes(bytes: &[u8]) -> (usize, Vec<String>) {
    let t = source::evtx::to_text("x.evtx", bytes).unwrap();
    assert!(!t.decompressed, "nothing was decompressed");
    let lines = t.text.lines().count();
    (lines, t.notes.into_iter().map(|n| n.message).collect())
}

#[test]
fn a_truncated_evtx_counts_the_records_it_lost() {
    let Some(full) = shared_evtx("evtxcrate_security.evtx") else {
        return;
    };
    let (all, notes) = evtx_notes(&full);
    assert_eq!(all, 2261);
    assert_eq!(notes.len(), 1, "{notes:?}");
    // Cut inside chunk 3: the chunk cannot be loaded, its records are counted.
    let cut = &full[..4096 + 3 * 65536 + 30_000];
    let (kept, notes) = evtx_notes(cut);
    let lost = notes
        .iter()
        .find(|m| m.starts_with("the .evtx file ends inside chunk 3 (30000 of its 65536 bytes); "));
    let lost = lost.unwrap_or_else(|| panic!("{notes:?}"));
    let n: usize = lost
        .rsplit("its ")
        .next()
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{lost}"));
    assert_eq!(n, 89);
    assert!(notes[2].starts_with("the .evtx file header declares 26 chunks but the file holds 4"));
    // Every record is read or counted.
    let (first3, _) = evtx_notes(&full[..4096 + 3 * 65536]);
    assert_eq!(kept, first3);
    assert!(kept + n <= all);
}

#[test]
fn a_zeroed_evtx_chunk_is_named() {
    let Some(mut bytes) = shared_evtx("evtxcrate_security.evtx") else {
        return;
    };
    bytes[4096 + 65536..4096 + 2 * 65536].fill(0);
    let (kept, notes) = evtx_notes(&bytes);
    assert!(kept < 2261);
    assert!(
        notes
            .iter()
            .any(|m| m
                == "chunk 1 of the .evtx file is all zeros; its records, if it had any, are lost"),
        "{notes:?}"
    );
}

#[test]
fn a_huge_substitution_count_is_refused_not_allocated() {
    let Some(mut bytes) = shared_evtx("evtxcrate_security.evtx") else {
        return;
    };
    let chunk = 4096;
    let token = chunk + 512 + 24 + 4;
    assert_eq!(&bytes[token - 4..=token], &[0x0f, 1, 1, 0, 0x0c]);
    let at = |b: &[u8], o: usize| u32::from_le_bytes(b[o..o + 4].try_into().unwrap()) as usize;
    let mut pos = token + 10 - chunk;
    if at(&bytes, token + 6) == pos {
        pos += 24 + at(&bytes, chunk + pos + 20);
    }
    bytes[chunk + pos..chunk + pos + 4].copy_from_slice(&0x4000_0000u32.to_le_bytes());
    let (kept, notes) = evtx_notes(&bytes);
    assert!(
        notes.iter().any(|m| m.contains(
            "of chunk 0 of the .evtx file was refused: it declares 1073741824 substitution values"
        )),
        "{notes:?}"
    );
    // Only that record is lost; the rest of its chunk is read.
    assert_eq!(kept, 2260);
}
