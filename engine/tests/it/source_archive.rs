//! Archive inputs read without extracting: zip, tar, tar.gz, nested
//! containers, normalised member paths, caps, damaged members and archives.

use crate::source_common;

use logscan_engine::source::{collect, read_bytes, Limits};
use logscan_engine::text::Encoding;
use source_common::*;
use zip::CompressionMethod;

const MCP_LOG: &str = "2025-04-19T01:35:57.319Z [info] [fetch] Initializing server...\r\n\
                       2025-04-19T01:35:57.342Z [error] [fetch] spawn uvx ENOENT\r\n";
const WSL_STATUS: &str = "Default Distribution: Ubuntu\r\nDefault Version: 2\r\n";

fn read(name: &str, bytes: Vec<u8>) -> (Vec<logscan_engine::text::SourceText>, Vec<String>) {
    let (texts, errs) = read_bytes(name, bytes, &Limits::default());
    (texts, errors(&errs))
}

/// The members every bundle test puts in: nested folders, CRLF, UTF-16LE.
fn bundle_members(utf16: &[u8]) -> Vec<M<'_>> {
    vec![
        M::File("wsl/status.txt", utf16),
        M::Dir("logs/"),
        M::File("logs/mcp.log", MCP_LOG.as_bytes()),
        M::Dir("logs/deep/er/"),
        M::File("logs/deep/er/note.txt", b"plain\n"),
    ]
}

#[track_caller]
fn check_bundle(archive: &str, texts: &[logscan_engine::text::SourceText]) {
    assert_eq!(
        paths(texts),
        [
            format!("{archive}!logs/deep/er/note.txt"),
            format!("{archive}!logs/mcp.log"),
            format!("{archive}!wsl/status.txt"),
        ]
    );
    let log = &texts[1];
    assert_eq!(log.text, MCP_LOG);
    assert_eq!(log.encoding, Encoding::Utf8);
    assert!(log.decompressed);
    assert_eq!(log.raw_len, MCP_LOG.len() as u64);
    let wsl = &texts[2];
    assert_eq!(wsl.encoding, Encoding::Utf16LeBom);
    assert_eq!(wsl.text, WSL_STATUS);
    // Spans are on the member's bytes: BOM (2) + 2 bytes per ASCII char.
    let second_line = WSL_STATUS.find("Default Version").expect("line 2");
    assert_eq!(wsl.raw_offset(second_line), 2 + 2 * second_line as u64);
    assert_eq!(wsl.raw_len, 2 + 2 * WSL_STATUS.len() as u64);
    assert!(texts.iter().all(|t| t.notes.is_empty()));
}

#[test]
fn zip_with_nested_folders_utf16_and_crlf_members() {
    let utf16 = utf16le_bom(WSL_STATUS);
    let (texts, errs) = read("support.zip", zip(&bundle_members(&utf16)));
    assert_eq!(errs, Vec::<String>::new());
    check_bundle("support.zip", &texts);
}

#[test]
fn stored_zip_members_read_the_same() {
    let utf16 = utf16le_bom(WSL_STATUS);
    let bytes = zip_with(&bundle_members(&utf16), CompressionMethod::Stored);
    let (texts, errs) = read("support.zip", bytes);
    assert_eq!(errs, Vec::<String>::new());
    check_bundle("support.zip", &texts);
}

#[test]
fn tar_and_tar_gz_and_tgz() {
    let utf16 = utf16le_bom(WSL_STATUS);
    let tarball = tar(&bundle_members(&utf16));
    let (texts, errs) = read("bundle.tar", tarball.clone());
    assert_eq!(errs, Vec::<String>::new());
    check_bundle("bundle.tar", &texts);
    let (texts, errs) = read("bundle.tar.gz", gzip(&tarball));
    assert_eq!(errs, Vec::<String>::new());
    check_bundle("bundle.tar.gz", &texts);
    // By content alone: a gzip stream holding a tar, under any name.
    let (texts, errs) = read("upload", gzip(&tarball));
    assert_eq!(errs, Vec::<String>::new());
    check_bundle("upload", &texts);
}

#[test]
fn member_paths_are_normalised_with_a_note() {
    let members = [
        M::File("../../etc/passwd", b"root:x:0:0\n"),
        M::File("/abs/path.log", b"abs\n"),
        M::File("C:\\Users\\me\\mcp.log", b"win\n"),
    ];
    for (name, bytes) in [("z.zip", zip(&members)), ("t.tar", tar(&members))] {
        let (texts, errs) = read(name, bytes);
        assert_eq!(errs, Vec::<String>::new());
        assert_eq!(
            paths(&texts),
            [
                format!("{name}!Users/me/mcp.log"),
                format!("{name}!abs/path.log"),
                format!("{name}!etc/passwd"),
            ]
        );
        assert_eq!(
            notes(&texts[2]),
            [
                "archive member `../../etc/passwd` is shown as `etc/passwd` \
              (member paths are made relative)"
            ]
        );
        assert_eq!(texts[1].text, "abs\n");
    }
}

#[test]
fn members_come_in_sorted_order_whatever_the_archive_order() {
    let a = [
        M::File("c.log", b"c\n"),
        M::File("a/z.log", b"az\n"),
        M::File("b.log", b"b\n"),
        M::File("a.log", b"a\n"),
    ];
    let b = [
        M::File("a.log", b"a\n"),
        M::File("b.log", b"b\n"),
        M::File("c.log", b"c\n"),
        M::File("a/z.log", b"az\n"),
    ];
    let expected = ["x.zip!a.log", "x.zip!a/z.log", "x.zip!b.log", "x.zip!c.log"];
    for members in [&a[..], &b[..]] {
        let (texts, errs) = read("x.zip", zip(members));
        assert!(errs.is_empty());
        assert_eq!(paths(&texts), expected);
        let (again, _) = read("x.zip", zip(members));
        let texts_of = |ts: &[logscan_engine::text::SourceText]| {
            ts.iter().map(|t| t.text.clone()).collect::<Vec<_>>()
        };
        assert_eq!(texts_of(&texts), texts_of(&again));
    }
}

#[test]
fn nested_containers_one_level_deep_and_more() {
    let inner_zip = zip(&[
        M::File("logs/old.log.gz", &gzip(b"rotated\n")),
        M::File("logs/new.log", b"new\n"),
    ]);
    let outer = gzip(&tar(&[
        M::File("inner.zip", &inner_zip),
        M::File("top.log", b"top\n"),
    ]));
    let (texts, errs) = read("b.tar.gz", outer);
    assert_eq!(errs, Vec::<String>::new());
    assert_eq!(
        paths(&texts),
        [
            "b.tar.gz!inner.zip!logs/new.log",
            "b.tar.gz!inner.zip!logs/old.log.gz",
            "b.tar.gz!top.log",
        ]
    );
    assert_eq!(texts[1].text, "rotated\n");
    // gzip in zip in tar in gzip in zip: the fifth container is not opened.
    let deeper = zip(&[M::File(
        "b.tar.gz",
        &gzip(&tar(&[M::File("inner.zip", &inner_zip)])),
    )]);
    let (texts, errs) = read("d.zip", deeper);
    assert_eq!(paths(&texts), ["d.zip!b.tar.gz!inner.zip!logs/new.log"]);
    assert_eq!(
        errs,
        ["d.zip!b.tar.gz!inner.zip!logs/old.log.gz: \
          a container nested more than 4 levels deep; skipped"]
    );
}

#[test]
fn directories_are_skipped_and_symlinks_reported() {
    let members = [
        M::Dir("logs/"),
        M::Link("logs/latest.log", "/var/log/syslog"),
        M::File("logs/a.log", b"a\n"),
    ];
    let (texts, errs) = read("t.tar", tar(&members));
    assert_eq!(paths(&texts), ["t.tar!logs/a.log"]);
    assert_eq!(
        errs,
        ["t.tar!logs/latest.log: symbolic link member (to `/var/log/syslog`); skipped"]
    );
    let (texts, errs) = read("z.zip", zip(&members));
    assert_eq!(paths(&texts), ["z.zip!logs/a.log"]);
    assert_eq!(
        errs,
        ["z.zip!logs/latest.log: symbolic link member; skipped"]
    );
}

#[test]
fn a_bomb_member_is_cut_by_the_ratio_cap_with_a_note() {
    let bomb = b"aaaaaaaaaaaaaaa\n".repeat(100_000);
    let bytes = zip(&[M::File("bomb.log", &bomb), M::File("ok.log", b"ok\n")]);
    let limits = Limits {
        max_ratio: 10,
        ratio_floor: 0,
        ..Limits::default()
    };
    let compressed = zip::ZipArchive::new(std::io::Cursor::new(&bytes))
        .and_then(|mut z| z.by_index_raw(0).map(|f| f.compressed_size()))
        .expect("read back the test zip");
    let (texts, errs) = read_bytes("b.zip", bytes, &limits);
    assert!(errs.is_empty());
    assert_eq!(paths(&texts), ["b.zip!bomb.log", "b.zip!ok.log"]);
    let t = &texts[0];
    // Cut at the last whole line under 10 x the compressed size.
    assert_eq!(t.raw_len, compressed * 10 / 16 * 16);
    assert_eq!(t.notes.len(), 1);
    assert!(t.notes[0]
        .message
        .starts_with("input cut short: the compression ratio cap (10:1) was reached"));
    assert_eq!(texts[1].text, "ok\n");
}

#[test]
fn the_archive_wide_ratio_budget_stops_many_small_bombs() {
    // Each member is under the ratio floor; together they are not.
    let bomb = b"bbbbbbbbbbbbbbb\n".repeat(4_000);
    let names: Vec<String> = (0..20).map(|i| format!("m{i:02}.log")).collect();
    let members: Vec<M<'_>> = names.iter().map(|n| M::File(n, &bomb)).collect();
    let limits = Limits {
        max_ratio: 2,
        ratio_floor: 100_000,
        ..Limits::default()
    };
    let (texts, errs) = read_bytes("many.zip", zip(&members), &limits);
    assert_eq!(paths(&texts), ["many.zip!m00.log", "many.zip!m01.log"]);
    assert_eq!(texts[0].raw_len, 64_000);
    assert_eq!(texts[1].raw_len, 36_000);
    // One budget for the whole tree of the top-level input (issue 12).
    assert!(notes(&texts[1])[0]
        .starts_with("input cut short: the decompression budget of `many.zip` (100000 bytes: 2:1"));
    let errs = errors(&errs);
    assert_eq!(errs.len(), 1);
    assert!(errs[0].starts_with("many.zip!m02.log: the decompression budget of `many.zip`"));
    assert!(errs[0]
        .ends_with("was reached (a possible decompression bomb); skipped with 17 later members"));
}

#[test]
fn the_total_cap_skips_the_rest_of_an_archive_in_one_error() {
    let members = [
        M::File("a.log", b"0123456789\n"),
        M::File("b.log", b"0123456789\n"),
        M::File("c.log", b"0123456789\n"),
        M::File("d.log", b"0123456789\n"),
    ];
    let limits = Limits {
        max_total_bytes: 22,
        ..Limits::default()
    };
    let (texts, errs) = read_bytes("t.tar", tar(&members), &limits);
    assert_eq!(paths(&texts), ["t.tar!a.log", "t.tar!b.log"]);
    assert_eq!(
        errors(&errs),
        ["t.tar!c.log: the total input cap (22 bytes) was reached; skipped with 1 later member"]
    );
}

#[test]
fn damaged_members_are_errors_and_the_rest_is_read() {
    let mut bytes = zip(&[
        M::File("a.log", b"a\n"),
        M::File("b.log", b"b\n"),
        M::File("c.log", b"c\n"),
        M::File("d.log", b"d\n"),
    ]);
    // b.log: a broken local header.
    let local = positions(&bytes, b"PK\x03\x04");
    bytes[local[1]] = b'X';
    // c.log: encrypted; d.log: bzip2, not supported.
    patch_zip(&mut bytes, "c.log", 8, Some(6));
    patch_zip(&mut bytes, "d.log", 10, Some(8));
    let (texts, errs) = read("s.zip", bytes);
    assert_eq!(paths(&texts), ["s.zip!a.log"]);
    assert_eq!(errs.len(), 3, "{errs:?}");
    assert_eq!(
        errs[0],
        "s.zip!b.log: corrupt member: Invalid local file header; skipped"
    );
    assert_eq!(
        errs[1],
        "s.zip!c.log: encrypted member (password protected); skipped"
    );
    assert_eq!(
        errs[2],
        "s.zip!d.log: unsupported compression method (bzip2, method 12); skipped"
    );
}

#[test]
fn corrupt_and_truncated_archives_name_the_archive() {
    let (texts, errs) = read("bad.zip", b"this is not a zip\n".to_vec());
    assert!(texts.is_empty());
    assert_eq!(errs.len(), 1);
    assert!(
        errs[0].starts_with("bad.zip: corrupt zip archive: "),
        "{errs:?}"
    );

    let whole = zip(&[M::File("a.log", b"a\n"), M::File("b.log", b"b\n")]);
    let (texts, errs) = read("cut.zip", whole[..whole.len() - 30].to_vec());
    assert!(texts.is_empty());
    assert!(
        errs[0].starts_with("cut.zip: corrupt zip archive: "),
        "{errs:?}"
    );

    let (texts, errs) = read("bad.tar", vec![7u8; 1024]);
    assert!(texts.is_empty());
    assert!(
        errs[0].starts_with("bad.tar: corrupt tar archive: "),
        "{errs:?}"
    );

    // A tarball cut inside its second member: the first is whole, the second cut.
    let lines = "line of text\n".repeat(100);
    let tarball = tar(&[M::File("a.log", b"a\n"), M::File("b.log", lines.as_bytes())]);
    let (texts, errs) = read("cut.tar", tarball[..512 * 3 + 650].to_vec());
    assert_eq!(paths(&texts), ["cut.tar!a.log", "cut.tar!b.log"]);
    assert_eq!(texts[1].text, "line of text\n".repeat(50));
    assert_eq!(
        notes(&texts[1])[0],
        "input cut short: the member is corrupt or truncated after 650 bytes \
         (the archive ends inside this member); kept lines 1-50 (650 bytes), the rest is skipped"
    );
    assert_eq!(
        errs,
        [
            "cut.tar: the tar archive is truncated or corrupt after 2 members \
          (unexpected EOF during skip); the rest is skipped"
        ]
    );
}

#[test]
fn archives_inside_a_walked_folder_are_opened() {
    let tmp = TempDir::new("walk");
    tmp.write("b.zip", &zip(&[M::File("x.log", b"x\n")]));
    tmp.write("a.log", b"a\n");
    tmp.write(
        "report.docx",
        &zip(&[M::File("word/document.xml", b"<w/>\n")]),
    );
    let (texts, errs) = collect(&[&tmp.0]);
    let root = tmp.0.display().to_string();
    assert_eq!(
        paths(&texts),
        [format!("{root}/a.log"), format!("{root}/b.zip!x.log")]
    );
    assert_eq!(
        errors(&errs),
        [format!(
            "{root}/report.docx: binary file (zip archive, not text); skipped"
        )]
    );
}
