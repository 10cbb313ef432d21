//! One path for every input, whatever its size or how it arrived: every corpus
//! file gives the same report (paths aside) as a file, through a pipe (read
//! lazily, as stdin is), gzip-compressed, inside a `.zip` and inside a
//! `.tar.gz`, and every bundle the same as a folder, a `.zip` and a
//! `.tar.gz`; a UTF-16 file the same as its UTF-8 twin; and a pipe or a
//! gzip stream is read lazily, once, never whole.

use crate::common;
use crate::source_common;

use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use logscan_engine::report::Report;
use logscan_engine::source::{ByteSource, Input};
use logscan_engine::stream::every::Every;
use logscan_engine::stream::{self, Cache, StreamConfig, HEAD};
use logscan_engine::Engine;
use source_common::{gzip, tar, zip, M};

/// Every file below `dir`, as paths relative to it, sorted.
fn files(dir: &Path) -> Vec<String> {
    fn walk(dir: &Path, rel: &str, out: &mut Vec<String>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("read dir")
            .flatten()
            .collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let name = e.file_name().to_string_lossy().into_owned();
            let rel = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            if e.path().is_dir() {
                walk(&e.path(), &rel, out);
            } else {
                out.push(rel);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, "", &mut out);
    out
}

/// The report as JSON with elapsed time zeroed, display paths `from` renamed
/// to `to`, and the note every decompressed input carries removed.
fn normalised(r: &Report, renames: &[(&str, &str)]) -> String {
    let mut r = r.clone();
    r.stats.elapsed_ms = 0;
    for i in &mut r.inputs {
        i.notes
            .retain(|n| n != "offsets refer to the decompressed stream");
    }
    let mut json = serde_json::to_string_pretty(&r).expect("json");
    for (from, to) in renames {
        json = json.replace(from, to);
    }
    json
}

/// The first lines where two reports differ, for a readable failure.
fn first_difference(a: &str, b: &str) -> String {
    a.lines()
        .zip(b.lines())
        .enumerate()
        .find(|(_, (x, y))| x != y)
        .map_or_else(
            || format!("lengths {} and {}", a.len(), b.len()),
            |(i, (x, y))| format!("line {i}: {x:?} vs {y:?}"),
        )
}

#[test]
fn every_corpus_file_reports_the_same_however_it_arrives() {
    let engine = common::builtin_engine();
    let mut differ = Vec::new();
    let mut compared = 0;
    for bundle in common::corpus_bundles() {
        for rel in files(&bundle) {
            let path = bundle.join(&rel);
            let shown = path.display().to_string();
            let bytes = std::fs::read(&path).expect("read corpus file");
            let want = normalised(&engine.scan_paths(&[path.as_path()]).report, &[]);
            // A member path as it would be stored: relative, the same file name and
            // folders up to the bundle (a tar header holds 100 bytes of name).
            let member = format!("bundle/{rel}");
            let gz = format!("{shown}.gz");
            let pipe = engine.scan_pipe(&shown, Box::new(std::fs::File::open(&path).unwrap()));
            let gzipped = engine.scan_bytes(&gz, &gzip(&bytes));
            let zipped = engine.scan_bytes("t.zip", &zip(&[M::File(&member, &bytes)]));
            let tarball = engine.scan_bytes("t.tar.gz", &gzip(&tar(&[M::File(&member, &bytes)])));
            let zip_name = format!("t.zip!{member}");
            let tar_name = format!("t.tar.gz!{member}");
            let got = [
                ("pipe", normalised(&pipe, &[])),
                ("gzip", normalised(&gzipped, &[(&gz, &shown)])),
                ("zip", normalised(&zipped, &[(&zip_name, &shown)])),
                ("tar.gz", normalised(&tarball, &[(&tar_name, &shown)])),
            ];
            for (how, g) in got {
                if g != want {
                    differ.push(format!(
                        "{shown} via {how}: {}",
                        first_difference(&want, &g)
                    ));
                }
            }
            compared += 1;
        }
    }
    assert!(compared >= 40, "only {compared} corpus files");
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}

#[test]
fn every_bundle_reports_the_same_as_a_folder_a_zip_and_a_tar_gz() {
    let engine = common::builtin_engine();
    let mut differ = Vec::new();
    for bundle in common::corpus_bundles() {
        let rels = files(&bundle);
        let contents: Vec<Vec<u8>> = rels
            .iter()
            .map(|r| std::fs::read(bundle.join(r)).expect("read"))
            .collect();
        let members: Vec<M<'_>> = rels
            .iter()
            .zip(&contents)
            .map(|(r, b)| M::File(r, b))
            .collect();
        let shown = format!("{}/", bundle.display());
        let want = normalised(&engine.scan_paths(&[bundle.as_path()]).report, &[]);
        let zipped = engine.scan_bytes("b.zip", &zip(&members));
        let tarball = engine.scan_bytes("b.tar.gz", &gzip(&tar(&members)));
        for (how, r, prefix) in [("zip", zipped, "b.zip!"), ("tar.gz", tarball, "b.tar.gz!")] {
            let got = normalised(&r, &[(prefix, &shown)]);
            if got != want {
                differ.push(format!(
                    "{} as a {how}: {}",
                    bundle.display(),
                    first_difference(&want, &got)
                ));
            }
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}

fn utf16(text: &str, le: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if bom {
        out.extend_from_slice(if le { b"\xff\xfe" } else { b"\xfe\xff" });
    }
    for u in text.encode_utf16() {
        out.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
    }
    out
}

/// The report with what an encoding changes taken out: the encoding, the byte
/// counts and the evidence offsets (checked apart).
fn without_offsets(r: &Report) -> String {
    let mut r = r.clone();
    r.stats.elapsed_ms = 0;
    r.stats.bytes = 0;
    for i in &mut r.inputs {
        i.encoding.clear();
        i.bytes = 0;
    }
    for f in r
        .causes
        .iter_mut()
        .flat_map(|c| c.findings.iter_mut())
        .chain(r.inconclusive.iter_mut())
    {
        for e in &mut f.evidence {
            e.start = 0;
            e.end = 0;
        }
    }
    serde_json::to_string_pretty(&r).expect("json")
}

/// Evidence `(text at its offsets in the file, report text)` of every finding.
fn evidence_bytes(r: &Report, file: &[u8], le: Option<bool>) -> Vec<String> {
    let mut out = Vec::new();
    for f in r
        .causes
        .iter()
        .flat_map(|c| &c.findings)
        .chain(&r.inconclusive)
    {
        for e in &f.evidence {
            let raw = file
                .get(e.start as usize..e.end as usize)
                .unwrap_or_default();
            let text = match le {
                None => String::from_utf8_lossy(raw).into_owned(),
                Some(le) => {
                    let units: Vec<u16> = raw
                        .chunks_exact(2)
                        .map(|c| {
                            if le {
                                u16::from_le_bytes([c[0], c[1]])
                            } else {
                                u16::from_be_bytes([c[0], c[1]])
                            }
                        })
                        .collect();
                    String::from_utf16_lossy(&units)
                }
            };
            out.push(text);
        }
    }
    out
}

#[test]
fn a_utf16_file_reports_like_its_utf8_twin() {
    let engine = common::builtin_engine();
    let tmp = source_common::TempDir::new("utf16-twins");
    let mut compared = 0;
    let mut differ = Vec::new();
    for bundle in common::corpus_bundles() {
        for rel in files(&bundle) {
            let path = bundle.join(&rel);
            let bytes = std::fs::read(&path).expect("read");
            let Ok(text) = String::from_utf8(bytes.clone()) else {
                continue; // already not UTF-8 (a UTF-16 file, an archive)
            };
            let name = rel.clone();
            if let Some(dir) = Path::new(&name).parent() {
                std::fs::create_dir_all(tmp.0.join(dir)).expect("create dir");
            }
            let plain = tmp.write(&name, text.as_bytes());
            let want = engine.scan_paths(&[plain.as_path()]).report;
            if want.causes.is_empty() {
                continue;
            }
            for (le, bom) in [(true, true), (false, true), (true, false)] {
                let raw = utf16(&text, le, bom);
                let twin = tmp.write(&name, &raw);
                let got = engine.scan_paths(&[twin.as_path()]).report;
                let encoding = &got.inputs[0].encoding;
                if !encoding.starts_with("utf-16") {
                    differ.push(format!("{rel}: read as {encoding}"));
                    continue;
                }
                if without_offsets(&got) != without_offsets(&want) {
                    let (a, b) = (without_offsets(&want), without_offsets(&got));
                    differ.push(format!("{rel} ({encoding}): {}", first_difference(&a, &b)));
                }
                // The offsets point at the same text in each file.
                if evidence_bytes(&got, &raw, Some(le))
                    != evidence_bytes(&want, text.as_bytes(), None)
                {
                    differ.push(format!("{rel} ({encoding}): evidence offsets"));
                }
            }
            compared += 1;
        }
    }
    assert!(compared >= 15, "only {compared} files with a cause");
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}

/// A generated log of `lines` lines that counts the bytes read from it.
struct Counted {
    text: Vec<u8>,
    pos: usize,
    read: Arc<AtomicU64>,
}

impl Counted {
    fn new(lines: usize) -> (Counted, Arc<AtomicU64>, u64) {
        let mut text = String::new();
        for i in 0..lines {
            let s = i % 60;
            text.push_str(&format!(
                "2025-06-03T07:{:02}:{s:02}.000Z [info] [fs] tool call {i} returned a result of some length\n",
                (i / 60) % 60
            ));
            if i % 5000 == 0 {
                text.push_str("2025-06-03T07:00:00.000Z [error] [fs] spawn npx ENOENT\n");
            }
        }
        let read = Arc::new(AtomicU64::new(0));
        let len = text.len() as u64;
        (
            Counted {
                text: text.into_bytes(),
                pos: 0,
                read: Arc::clone(&read),
            },
            read,
            len,
        )
    }
}

impl Read for Counted {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let rest = self.text.get(self.pos..).unwrap_or_default();
        let n = rest.len().min(buf.len());
        buf[..n].copy_from_slice(&rest[..n]);
        self.pos += n;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// How far a stream may read ahead of what it has handed out: the head, a
/// batch (16 chunks of 256 KiB by default) and its margins, a spool block.
fn ahead() -> u64 {
    let cfg = StreamConfig::default();
    (HEAD + cfg.chunk * cfg.chunks_per_batch) as u64 + (1 << 20)
}

/// `input` opened as a stream at the default sizes (the test fails if it is read whole).
fn streamed<'a>(engine: &'a Engine, input: &Input, cache: &'a Cache) -> stream::Prepared<'a> {
    stream::prepare_input(
        input,
        0,
        engine.rules(),
        engine.parse_options(),
        StreamConfig::default(),
        cache,
    )
    .unwrap_or_else(|e| panic!("not streamed: {e:?}"))
}

#[test]
fn a_pipe_is_streamed_lazily_and_read_once() {
    let engine = common::builtin_engine();
    let (src, read, total) = Counted::new(400_000);
    assert!(
        total > 30 << 20,
        "the test log must be much larger than what is read ahead"
    );
    let input = Input::of_source("-", ByteSource::spool(Box::new(src)));
    let cache = Cache::new();
    let p = streamed(&engine, &input, &cache);
    let mut segments = p.stream;
    let first = segments.next().expect("a first segment");
    assert!(!first.events.is_empty());
    let after_first = read.load(Ordering::Relaxed);
    assert!(
        after_first <= ahead(),
        "{after_first} bytes read before the first segment: read whole?"
    );
    let rest = segments.count();
    assert!(rest > 10, "{rest} more segments");
    // Read to its end, once: the spool keeps what evidence needs, nothing is read again.
    assert_eq!(read.load(Ordering::Relaxed), total);
}

#[test]
fn events_stream_every_record_of_a_pipe_lazily() {
    let engine = common::builtin_engine();
    let (src, read, total) = Counted::new(400_000);
    let input = Input::of_source("-", ByteSource::spool(Box::new(src)));
    let mut every = Every::open(&input, 0, engine.parse_options())
        .unwrap_or_else(|e| panic!("not streamed: {e:?}"));
    let first = every.next().expect("a first piece");
    assert!(!first.events.is_empty());
    let after_first = read.load(Ordering::Relaxed);
    assert!(
        after_first <= ahead(),
        "{after_first} bytes read before the first piece: read whole?"
    );
    let mut records = first.events.len() as u64;
    let mut last_line = first.events.last().map_or(0, |e| e.span.line);
    for piece in every.by_ref() {
        for e in &piece.events {
            assert!(e.span.line > last_line, "records in file order, none twice");
            last_line = e.span.line;
        }
        records += piece.events.len() as u64;
    }
    // Every record (400,000 lines plus 80 incident lines), each once.
    assert_eq!(records, 400_080);
    assert_eq!(every.records(), 400_080);
    assert_eq!(read.load(Ordering::Relaxed), total);
}

#[test]
fn a_gzip_file_is_streamed_not_read_whole() {
    let engine = common::builtin_engine();
    let (mut src, _, total) = Counted::new(300_000);
    let mut plain = Vec::new();
    src.read_to_end(&mut plain).unwrap();
    let packed = gzip(&plain);
    let (inputs, errors) = logscan_engine::source::inputs_of_bytes(
        "big.log.gz",
        packed,
        &logscan_engine::source::Limits::default(),
    );
    assert!(errors.is_empty(), "{errors:?}");
    let Some(logscan_engine::source::Collected::Input(input)) = inputs.into_iter().next() else {
        panic!("a gzip input to stream");
    };
    assert!(input.decompressed);
    let cache = Cache::new();
    let p = streamed(&engine, &input, &cache);
    let summary = Arc::clone(&p.summary);
    let segs: usize = p.stream.map(|s| s.events.len()).sum();
    assert!(segs > 0);
    assert_eq!(summary.lock().unwrap().bytes, total);
}

#[test]
fn a_truncated_gzip_streams_its_whole_lines_with_the_note_a_whole_read_gives() {
    let lines: String = (0..20_000)
        .map(|i| format!("2025-06-03T07:00:00.000Z [info] [fs] line {i} of a rotated log\n"))
        .collect();
    let full = gzip(lines.as_bytes());
    let cut = full[..full.len() / 2].to_vec();
    let report = common::builtin_engine().scan_bytes("rotated.log.gz", &cut);
    let input = &report.inputs[0];
    let note = input
        .notes
        .iter()
        .find(|n| n.starts_with("line "))
        .expect("a cut note");
    assert!(
        note.contains("input cut short: the gzip stream is corrupt or truncated after "),
        "{note}"
    );
    // Whole lines only, as many as the note says, and the same as reading it whole says.
    let kept = input.records;
    assert!(kept > 1000 && kept < 20_000, "{kept}");
    assert_eq!(
        input.bytes,
        lines
            .lines()
            .take(kept as usize)
            .map(|l| l.len() as u64 + 1)
            .sum::<u64>()
    );
    let (texts, _) = logscan_engine::source::read_bytes(
        "rotated.log.gz",
        cut,
        &logscan_engine::source::Limits::default(),
    );
    let whole = &texts[0];
    assert_eq!(whole.raw_len, input.bytes);
    let whole_note = format!(
        "line {}: {}",
        whole.notes[0].line.unwrap_or(0),
        whole.notes[0].message
    );
    assert_eq!(&whole_note, note);
}

#[test]
fn progress_counts_every_input_as_stored_plain_gzip_and_zip_alike() {
    // A compressed input counts its compressed bytes, so its share of the
    // total is known before it is read and the bar can show a percentage.
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("progress-stored");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let (mut src, _, _) = Counted::new(400_000);
    let mut plain = Vec::new();
    src.read_to_end(&mut plain).unwrap();
    std::fs::write(dir.join("a.log"), &plain).unwrap();
    std::fs::write(dir.join("b.log.gz"), gzip(&plain)).unwrap();
    std::fs::write(dir.join("c.zip"), zip(&[M::File("c.log", &plain)])).unwrap();
    let stored: u64 = ["a.log", "b.log.gz", "c.zip"]
        .iter()
        .map(|f| std::fs::metadata(dir.join(f)).unwrap().len())
        .sum();
    let progress = logscan_engine::progress::Progress::new();
    let result = common::builtin_engine().scan_paths_with(&[dir.as_path()], Some(&progress));
    assert!(result.errors.is_empty(), "{:?}", result.errors);
    let seen = progress.snapshot();
    // The zip's headers and directory are not member bytes: the total is a little less.
    assert!(
        seen.total <= stored && seen.total > stored - 1024,
        "total {} of {stored} stored bytes",
        seen.total
    );
    assert!(
        seen.total < 2 * plain.len() as u64,
        "decompressed bytes counted"
    );
    assert_eq!(seen.done, seen.total);
    let _ = std::fs::remove_dir_all(&dir);
}
