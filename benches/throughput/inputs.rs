//! Generated inputs of the throughput harness, written under
//! `target/throughput/` and reused when present with the same parameters (a
//! `.stamp` file beside each input records them; it is written last, so an
//! interrupted generation is redone).
//!
//! Generation is seeded and deterministic. This module never deletes anything
//! outside the folder it was given and never generates without checking the
//! free space first.

use std::fs::{self, File};
use std::io::{self, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use flate2::write::GzEncoder;
use flate2::Compression;

use crate::gen::dense::{self, Plan};
use crate::gen::formats::{self, Sample};
use crate::gen::{iso, Rng};

/// Bump when generated content changes, so old inputs are regenerated.
const VERSION: u32 = 2;
/// Lines between two spliced incidents in the mixed logs.
const INCIDENT_EVERY: u64 = 20_000;

/// Background lines: loghub samples when present, else generated lines.
pub struct Background {
    pub lines: Vec<String>,
    /// `loghub` or `generated` (part of the stamp).
    pub origin: &'static str,
}

impl Background {
    /// Every line of `<data>/loghub/*.log`, or generated syslog/dmesg/generic lines.
    pub fn load(data: Option<&Path>) -> Background {
        let mut lines = Vec::new();
        if let Some(dir) = data.map(|d| d.join("loghub")) {
            let mut files: Vec<PathBuf> = fs::read_dir(&dir)
                .map(|rd| rd.flatten().map(|e| e.path()).collect())
                .unwrap_or_default();
            files.sort();
            for f in files
                .iter()
                .filter(|f| f.extension().is_some_and(|e| e == "log"))
            {
                if let Ok(text) = fs::read_to_string(f) {
                    lines.extend(text.lines().map(str::to_string));
                }
            }
        }
        if !lines.is_empty() {
            return Background {
                lines,
                origin: "loghub",
            };
        }
        let mut n = 0;
        for s in [formats::SYSLOG, formats::DMESG, formats::GENERIC] {
            for t in s.background {
                for _ in 0..50 {
                    lines.push(formats::line(&s, t, n, 0));
                    n += 1;
                }
            }
        }
        Background {
            lines,
            origin: "generated",
        }
    }
}

/// Free bytes on the file system holding `dir` (`None` when `df` cannot tell).
pub fn free_bytes(dir: &Path) -> Option<u64> {
    let out = Command::new("df").arg("-Pk").arg(dir).output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let kib: u64 = text
        .lines()
        .nth(1)?
        .split_whitespace()
        .nth(3)?
        .parse()
        .ok()?;
    Some(kib * 1024)
}

/// Whether `path` was generated with `stamp` (so it can be reused).
pub fn is_fresh(path: &Path, stamp: &str) -> bool {
    path.exists() && fs::read_to_string(stamp_path(path)).is_ok_and(|s| s == stamp)
}

fn stamp_path(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".stamp");
    PathBuf::from(s)
}

pub fn write_stamp(path: &Path, stamp: &str) -> io::Result<()> {
    fs::write(stamp_path(path), stamp)
}

/// The stamp of a generated input.
pub fn stamp(kind: &str, size: u64, seed: u64, bg: &Background) -> String {
    format!(
        "v{VERSION} {kind} size={size} seed={seed} background={}",
        bg.origin
    )
}

/// A mixed log of at most `size` bytes (whole lines; a 1 GiB input stays under
/// the reader's 1 GiB cap): runs of background lines of one system
/// at a time, a Claude Desktop `spawn npx ENOENT` incident every 20,000 lines.
pub fn mixed(path: &Path, size: u64, seed: u64, bg: &Background) -> io::Result<()> {
    let mut rng = Rng::new(seed);
    let mut incidents = 0u64;
    let total = bg.lines.len() as u64;
    let mut at = 0;
    let mut run = 0;
    write_lines(path, size, |n| {
        if n % INCIDENT_EVERY == INCIDENT_EVERY - 1 {
            incidents += 1;
            incident(&formats::CLAUDE_DESKTOP, n, incidents)
        } else {
            if run == 0 {
                at = rng.below(total);
                run = 1 + rng.below(50);
            }
            run -= 1;
            at = (at + 1) % total.max(1);
            bg.lines.get(at as usize).cloned().unwrap_or_default()
        }
    })
}

/// The stamp of a dense client log: the generator's own version and its plan.
pub fn dense_stamp(plan: &Plan) -> String {
    format!(
        "v{VERSION} dense-v{} {:?} size={} seed={} incidents={}",
        dense::VERSION,
        plan.shape,
        plan.size,
        plan.seed,
        plan.incidents
    )
}

/// A dense MCP client log (`gen::dense`): a long session of one client's shape,
/// incidents spliced in at the realistic rate.
pub fn dense(path: &Path, plan: &Plan) -> io::Result<()> {
    let mut w = BufWriter::with_capacity(1 << 20, File::create(path)?);
    dense::write(&mut w, plan)?;
    w.flush()
}

/// `src` gzip-compressed (default level, as `gzip` writes it) into `dst`.
pub fn gzip(src: &Path, dst: &Path) -> io::Result<()> {
    let mut input = BufReader::with_capacity(1 << 20, File::open(src)?);
    let out = BufWriter::with_capacity(1 << 20, File::create(dst)?);
    let mut gz = GzEncoder::new(out, Compression::default());
    io::copy(&mut input, &mut gz)?;
    gz.finish()?.flush()
}

/// Writes the lines `line(0)`, `line(1)`, ... to `path` while they fit in `size` bytes.
fn write_lines(path: &Path, size: u64, mut line: impl FnMut(u64) -> String) -> io::Result<()> {
    let mut w = BufWriter::with_capacity(1 << 20, File::create(path)?);
    let (mut written, mut n) = (0u64, 0u64);
    while written < size {
        let l = line(n);
        if written + l.len() as u64 + 1 > size {
            break;
        }
        w.write_all(l.as_bytes())?;
        w.write_all(b"\n")?;
        written += l.len() as u64 + 1;
        n += 1;
    }
    w.flush()
}

/// The incident lines of `sample` at line time `n`, joined by `\n`.
fn incident(sample: &Sample, n: u64, i: u64) -> String {
    let lines: Vec<String> = sample
        .incident
        .iter()
        .enumerate()
        .map(|(k, t)| formats::line(sample, t, (n + k as u64) as usize, i as usize))
        .collect();
    lines.join("\n")
}

/// Adversarial input: every line a distinct server's start record (spawn,
/// initialize request, command line) that never completes, so every line
/// opens a partial match that the matcher must hold or evict.
pub fn adversarial(path: &Path, size: u64) -> io::Result<()> {
    write_lines(path, size, |n| {
        let ts = iso(n);
        match n % 3 {
            0 => format!("{ts} [info] [srv{n}] Initializing server..."),
            1 => format!(
                "{ts} [info] [srv{n}] Message from client: {{\"method\":\"initialize\",\"params\":{{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{{}},\"clientInfo\":{{\"name\":\"claude-ai\",\"version\":\"0.1.0\"}}}},\"jsonrpc\":\"2.0\",\"id\":0}}"
            ),
            _ => format!("{ts} [info] [srv{n}] Using MCP server command: npx -y @acme/srv{n}-mcp"),
        }
    })
}

/// `count` bundle folders of about `size` bytes each under `dir`: a slice of
/// one generated format each (so about 2 in 5 hold an incident).
pub fn bundles(dir: &Path, count: usize, size: usize, seed: u64) -> io::Result<()> {
    if dir.exists() {
        fs::remove_dir_all(dir)?;
    }
    let mut rng = Rng::new(seed);
    let sources: Vec<(Sample, String)> = formats::ALL
        .iter()
        .map(|s| (*s, formats::render(s, 3 * formats::INCIDENT_EVERY)))
        .collect();
    for k in 0..count {
        let Some((sample, text)) = sources.get(k % sources.len()) else {
            continue;
        };
        let lines: Vec<&str> = text.lines().collect();
        let start = rng.below(lines.len().saturating_sub(1000) as u64) as usize;
        let mut body = String::from(sample.header);
        for l in lines.iter().skip(start) {
            if body.len() + l.len() + 1 > size {
                break;
            }
            body.push_str(l);
            body.push('\n');
        }
        let b = dir.join(format!("b{k:05}"));
        fs::create_dir_all(&b)?;
        fs::write(b.join(sample.file), body)?;
    }
    Ok(())
}
