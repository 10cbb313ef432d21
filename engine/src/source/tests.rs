//! Tests of `collect` on real folder trees under the system temp folder.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use flate2::write::GzEncoder;
use flate2::Compression;

use super::*;
use crate::text::{Encoding, Note};

/// A fresh folder unique to this test and process, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir =
            std::env::temp_dir().join(format!("logscan-source-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        must(fs::create_dir_all(&dir));
        TempDir(dir)
    }

    fn write(&self, rel: &str, bytes: &[u8]) -> PathBuf {
        let p = self.0.join(rel);
        if let Some(parent) = p.parent() {
            must(fs::create_dir_all(parent));
        }
        must(fs::write(&p, bytes));
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

#[track_caller]
fn must<T>(r: io::Result<T>) -> T {
    match r {
        Ok(v) => v,
        Err(e) => panic!("test setup failed: {e}"),
    }
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::default());
    must(enc.write_all(bytes));
    must(enc.finish())
}

fn utf16le_bom(s: &str) -> Vec<u8> {
    let mut out = vec![0xff, 0xfe];
    for u in s.encode_utf16() {
        out.extend_from_slice(&u.to_le_bytes());
    }
    out
}

fn paths(texts: &[SourceText]) -> Vec<String> {
    texts.iter().map(|t| t.path.clone()).collect()
}

fn errors(errs: &[InputError]) -> Vec<String> {
    errs.iter().map(|e| e.to_string()).collect()
}

#[test]
fn folder_tree_with_nested_folder_gzip_binary_and_missing_path() {
    let tmp = TempDir::new("tree");
    tmp.write("bundle/mcp.log", b"2025-01-01T00:00:00Z [info] [fs] up\n");
    tmp.write(
        "bundle/sub/b.log.gz",
        &gzip(b"[DEBUG] MCP server \"x\": start\r\n"),
    );
    tmp.write(
        "bundle/sub/deeper/wsl.txt",
        &utf16le_bom("WSL version: 2.0\r\n"),
    );
    tmp.write("bundle/a.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    let root = tmp.0.join("bundle");
    let missing = tmp.0.join("nope.log");
    let (texts, errs) = collect(&[&root, &missing]);
    let r = root.display().to_string();
    assert_eq!(
        paths(&texts),
        [
            format!("{r}/mcp.log"),
            format!("{r}/sub/b.log.gz"),
            format!("{r}/sub/deeper/wsl.txt"),
        ]
    );
    assert_eq!(
        errors(&errs),
        [
            format!("{r}/a.png: binary file (PNG image, not text); skipped"),
            format!("{}: No such file or directory", missing.display()),
        ]
    );
    let gz = &texts[1];
    assert!(gz.decompressed);
    assert_eq!(gz.text, "[DEBUG] MCP server \"x\": start\r\n");
    assert_eq!(gz.raw_len, 31);
    assert_eq!(texts[2].encoding, Encoding::Utf16LeBom);
    assert_eq!(texts[2].text, "WSL version: 2.0\r\n");
    assert!(!texts[0].decompressed);
}

#[test]
fn gzipped_bomless_utf16_is_decoded_with_decompressed_offsets() {
    let tmp = TempDir::new("gz16");
    let text = "NAME      STATE           VERSION\r\r\n* Ubuntu    Running         2\r\r\n";
    let raw: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let f = tmp.write("wsl-l-v.txt.gz", &gzip(&raw));
    let (texts, errs) = collect(&[&f]);
    assert!(errs.is_empty());
    assert_eq!(texts[0].encoding, Encoding::Utf16Le);
    assert!(texts[0].decompressed);
    assert_eq!(texts[0].text, text);
    assert_eq!(texts[0].raw_offset(36), 72);
    assert_eq!(texts[0].raw_len, raw.len() as u64);
}

#[test]
fn corrupt_and_truncated_gzip() {
    let tmp = TempDir::new("gz");
    let bad = tmp.write("bad.log.gz", b"this is not gzip at all\n");
    let lines: String = (0..2000)
        .map(|i| format!("line {i} of a rotated log\n"))
        .collect();
    let full = gzip(lines.as_bytes());
    let cut = tmp.write("cut.log.gz", full.get(..full.len() / 2).unwrap_or_default());
    let (texts, errs) = collect(&[&bad, &cut]);
    assert_eq!(
        errors(&errs),
        [format!(
            "{}: corrupt gzip: invalid gzip header",
            bad.display()
        )]
    );
    assert_eq!(texts.len(), 1);
    let t = &texts[0];
    assert!(t.text.ends_with(" of a rotated log\n"));
    assert!(lines.starts_with(&t.text));
    assert_eq!(t.raw_len, t.text.len() as u64);
    let kept = t.text.lines().count() as u32;
    assert_eq!(t.notes.len(), 1);
    assert_eq!(t.notes[0].line, Some(kept));
    assert!(t.notes[0]
        .message
        .starts_with("input cut short: the gzip stream is corrupt or truncated"));
}

#[test]
fn per_source_cap_cuts_at_a_line_boundary() {
    let tmp = TempDir::new("cap");
    let f = tmp.write("big.log", b"alpha\r\nbeta\r\ngamma\r\n");
    let limits = Limits {
        max_source_bytes: 16,
        ..Limits::default()
    };
    let (texts, errs) = collect_with(&[&f], &limits);
    assert!(errs.is_empty());
    assert_eq!(texts[0].text, "alpha\r\nbeta\r\n");
    assert_eq!(
        texts[0].notes,
        [Note::new(
            Some(2),
            "input cut short: the per-source size cap (16 bytes) was reached; \
             kept lines 1-2 (13 bytes), the rest is skipped"
        )]
    );
}

#[test]
fn compression_ratio_cap_stops_a_bomb() {
    let tmp = TempDir::new("bomb");
    let f = tmp.write("bomb.log.gz", &gzip(&b"aaaaaaaaaaaaaaa\n".repeat(10_000)));
    let limits = Limits {
        max_ratio: 10,
        ratio_floor: 0,
        ..Limits::default()
    };
    let compressed = must(fs::metadata(&f)).len();
    let (texts, errs) = collect_with(&[&f], &limits);
    assert!(errs.is_empty());
    let t = &texts[0];
    assert_eq!(t.raw_len, compressed * 10 / 16 * 16);
    assert!(t.notes[0]
        .message
        .contains("the compression ratio cap (10:1) was reached"));
}

#[test]
fn total_cap_cuts_then_skips() {
    let tmp = TempDir::new("total");
    let a = tmp.write("a.log", b"0123456789\n0123\n");
    let b = tmp.write("b.log", b"one\ntwo\n");
    let c = tmp.write("c.log", b"three\n");
    let limits = Limits {
        max_total_bytes: 20,
        ..Limits::default()
    };
    let (texts, errs) = collect_with(&[&a, &b, &c], &limits);
    assert_eq!(texts.len(), 2);
    assert_eq!(texts[0].text, "0123456789\n0123\n");
    assert_eq!(texts[1].text, "one\n");
    assert!(texts[1].notes[0]
        .message
        .contains("the total input cap (20 bytes) was reached"));
    assert_eq!(
        errors(&errs),
        [format!(
            "{}: the total input cap (20 bytes) was reached; skipped",
            c.display()
        )]
    );
}

#[test]
fn repeated_paths_are_read_once() {
    let tmp = TempDir::new("repeat");
    let f = tmp.write("x.log", b"x\n");
    let (texts, errs) = collect(&[&f, &f]);
    assert_eq!(texts.len(), 1);
    let shown = f.display().to_string();
    assert_eq!(
        errors(&errs),
        [format!("{shown}: same file as {shown}; skipped")]
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_reported_not_followed() {
    let tmp = TempDir::new("loop");
    tmp.write("d/a.log", b"a\n");
    let d = tmp.0.join("d");
    must(std::os::unix::fs::symlink(&d, d.join("self")));
    must(std::os::unix::fs::symlink(
        d.join("gone"),
        d.join("dangling"),
    ));
    let (texts, errs) = collect(&[Path::new(&d)]);
    let shown = d.display().to_string();
    assert_eq!(paths(&texts), [format!("{shown}/a.log")]);
    assert_eq!(
        errors(&errs),
        [
            format!("{shown}/dangling: broken symbolic link (No such file or directory)"),
            format!(
                "{shown}/self: folder already read (a symbolic link loop or a repeated path); skipped"
            ),
        ]
    );
}

#[cfg(unix)]
#[test]
fn a_walk_reports_sibling_links_sockets_deep_folders_and_repeats_in_sorted_order() {
    let tmp = TempDir::new("walk-order");
    let walked = tmp.0.join("w");
    tmp.write("w/a/x.log", b"x\n");
    must(std::os::unix::fs::symlink(
        walked.join("a"),
        walked.join("b"),
    ));
    let _socket = must(std::os::unix::net::UnixListener::bind(walked.join("sock")));
    // `deep` is 1 level below `w`; the folder 129 levels below is not walked.
    let deepest_read = format!("deep{}", "/d".repeat(MAX_WALKED - 1));
    tmp.write(&format!("w/{deepest_read}/f.log"), b"f\n");
    tmp.write(&format!("w/{deepest_read}/d/g.log"), b"g\n");
    let (texts, errs) = collect(&[Path::new(&walked), Path::new(&walked)]);
    let shown = walked.display().to_string();
    assert_eq!(
        paths(&texts),
        [
            format!("{shown}/a/x.log"),
            format!("{shown}/{deepest_read}/f.log")
        ]
    );
    let already = "folder already read (a symbolic link loop or a repeated path); skipped";
    assert_eq!(
        errors(&errs),
        [
            format!("{shown}/b: {already}"),
            format!("{shown}/{deepest_read}/d: folder nested deeper than 128 levels; skipped"),
            format!("{shown}/sock: not a regular file (a pipe, socket or device); skipped"),
            format!("{shown}: {already}"),
        ]
    );
}

/// Folder levels walked below a path given (`walk::MAX_DEPTH`).
const MAX_WALKED: usize = 128;

#[test]
fn bytes_in_memory_are_read_like_files() {
    let limits = Limits {
        max_source_bytes: 100,
        ..Limits::default()
    };
    let (texts, errs) = read_bytes("paste.log.gz", gzip(&b"abcdefg\n".repeat(100)), &limits);
    assert!(errs.is_empty());
    assert_eq!(texts[0].path, "paste.log.gz");
    assert_eq!(texts[0].text, "abcdefg\n".repeat(12));
    assert!(texts[0].notes[0]
        .message
        .contains("the per-source size cap (100 bytes)"));
    let (texts, errs) = read_bytes("x.bin", vec![0; 64], &Limits::default());
    assert!(texts.is_empty());
    assert_eq!(errors(&errs), ["x.bin: binary file (not text); skipped"]);
}

#[test]
fn io_messages_drop_the_os_error_number() {
    let e = io::Error::from_raw_os_error(2);
    assert_eq!(io_message(&e), "No such file or directory");
}

/// `(display, name, decompressed, limit)` of an input to stream.
type Listed = (String, String, bool, Option<u64>);

/// Every input to stream, and the paths of the sources read already.
fn listed(items: &[Collected]) -> (Vec<Listed>, Vec<String>) {
    let mut inputs = Vec::new();
    let mut texts = Vec::new();
    for c in items {
        match c {
            Collected::Input(i) => inputs.push((
                i.display.clone(),
                i.name.clone(),
                i.decompressed,
                i.limit.as_ref().map(|(n, _)| *n),
            )),
            Collected::Text(t) => texts.push(t.path.clone()),
        }
    }
    (inputs, texts)
}

#[test]
fn inputs_to_stream_are_listed_unread_with_the_names_formats_are_detected_by() {
    let tmp = TempDir::new("inputs");
    tmp.write("b/a.log", b"2025-01-01T00:00:00Z [info] [fs] up\n");
    let gz = gzip(&b"[DEBUG] MCP server \"x\": start\n".repeat(10));
    tmp.write("b/c.log.gz", &gz);
    tmp.write("b/d.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    let root = tmp.0.join("b");
    let limits = Limits {
        max_source_bytes: 4,
        max_total_bytes: 4,
        ..Limits::default()
    };
    // The size caps are for sources read whole: streamed inputs are not cut by them.
    let (items, errs) = collect_inputs(&[&root], &limits);
    let r = root.display().to_string();
    assert_eq!(
        errors(&errs),
        [format!(
            "{r}/d.png: binary file (PNG image, not text); skipped"
        )]
    );
    let ratio_cap = (gz.len() as u64 * limits.max_ratio).max(limits.ratio_floor);
    assert_eq!(
        listed(&items),
        (
            vec![
                (format!("{r}/a.log"), format!("{r}/a.log"), false, None),
                (
                    format!("{r}/c.log.gz"),
                    format!("{r}/c.log"),
                    true,
                    Some(ratio_cap)
                ),
            ],
            vec![]
        )
    );
    // Read whole, the same source is cut by the per-source cap.
    let Some(Collected::Input(first)) = items.into_iter().next() else {
        panic!("an input");
    };
    let text = read_whole(first, &limits).expect("readable");
    assert_eq!(text.text, "2025");
    assert!(text.notes[0]
        .message
        .contains("the per-source size cap (4 bytes)"));
}
