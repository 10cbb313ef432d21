//! The harness's cases: each prepares its input (generated once, reused),
//! then runs its tools alternately `--runs` times and returns table rows.
//!
//! Cases never compare outputs for correctness (tests do that); they only
//! print a one-line check of what logscan found, so a fast but wrong run is
//! visible. A case that cannot run (no disk space, no data) is skipped with
//! a message, never a panic.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::args::Options;
use crate::gen::dense::{Plan, Shape};
use crate::inputs::{self, Background};
use crate::measure::{self, Tools};
use crate::table::Row;

const MIB: u64 = 1 << 20;

/// What every case needs.
pub struct Ctx {
    pub opts: Options,
    pub tools: Tools,
    pub logscan: PathBuf,
    /// `target/throughput/`.
    pub dir: PathBuf,
    /// `<dir>/literals.txt`, the rule pack's prefilter literals.
    pub literals: PathBuf,
    /// `../shared/data` when found.
    pub data: Option<PathBuf>,
    pub background: Background,
}

/// A case's result.
pub enum Outcome {
    Rows(Vec<Row>),
    Skipped(String),
}

/// One command of a case.
struct Job {
    tool: String,
    program: PathBuf,
    args: Vec<OsString>,
    /// A file piped to its stdin (`cat FILE | program args`).
    stdin: Option<PathBuf>,
    /// Highest exit code that is not an error.
    max_ok: i32,
}

fn os(args: &[&str]) -> Vec<OsString> {
    args.iter().map(OsString::from).collect()
}

impl Ctx {
    fn rg(&self, target: &[&Path]) -> Option<Job> {
        if !self.tools.rg {
            return None;
        }
        let mut args = os(&["-c", "-i", "-F", "-f"]);
        args.push(self.literals.clone().into());
        args.extend(target.iter().map(|p| p.as_os_str().to_owned()));
        Some(Job {
            tool: "rg -c -i -F -f literals.txt".into(),
            program: "rg".into(),
            args,
            stdin: None,
            max_ok: 1,
        })
    }

    fn logscan(&self, tool: &str, flags: &[&str], target: &[&Path]) -> Job {
        let mut args = os(flags);
        args.extend(target.iter().map(|p| p.as_os_str().to_owned()));
        Job {
            tool: tool.into(),
            program: self.logscan.clone(),
            args,
            stdin: None,
            max_ok: 0,
        }
    }

    /// Space check, then `make` unless `path` is fresh for `stamp`.
    fn prepare(
        &self,
        path: &Path,
        stamp: &str,
        bytes: u64,
        make: impl FnOnce() -> std::io::Result<()>,
    ) -> Result<(), String> {
        if inputs::is_fresh(path, stamp) {
            return Ok(());
        }
        let need = bytes + bytes / 20 + 64 * MIB;
        if let Some(free) = inputs::free_bytes(&self.dir) {
            if free < need {
                return Err(format!(
                    "not enough disk space for {} ({} MiB needed, {} MiB free)",
                    path.display(),
                    need / MIB,
                    free / MIB
                ));
            }
        }
        println!("generating {} ({} MiB) ...", path.display(), bytes / MIB);
        let start = Instant::now();
        make()
            .and_then(|_| inputs::write_stamp(path, stamp))
            .map_err(|e| format!("{}: {e}", path.display()))?;
        println!("  done in {:.1} s", start.elapsed().as_secs_f64());
        Ok(())
    }

    /// Runs `jobs` alternately, `--runs` times each.
    fn measure(
        &self,
        case: &str,
        jobs: Vec<Job>,
        bytes: u64,
        units: Option<(u64, &'static str)>,
    ) -> Result<Vec<Row>, String> {
        let out_dir = self.dir.join("out");
        fs::create_dir_all(&out_dir).map_err(|e| e.to_string())?;
        let mut rows: Vec<Row> = jobs
            .iter()
            .map(|j| Row {
                case: case.into(),
                tool: j.tool.clone(),
                runs: Vec::new(),
                bytes,
                units,
            })
            .collect();
        for run in 0..self.opts.runs {
            for (k, (job, row)) in jobs.iter().zip(rows.iter_mut()).enumerate() {
                let out = out_dir.join(format!("{case}-{k}.out"));
                let stdin = job.stdin.as_deref();
                let m = measure::run(
                    &self.tools,
                    &job.program,
                    &job.args,
                    stdin,
                    &out,
                    job.max_ok,
                )?;
                println!("  {case} run {} {}: {:.2} s", run + 1, job.tool, m.secs);
                row.runs.push(m);
            }
        }
        for (k, job) in jobs.iter().enumerate() {
            if job.program == self.logscan {
                check(&job.tool, &out_dir.join(format!("{case}-{k}.out")));
            }
        }
        Ok(rows)
    }

    fn size(&self, full: u64, quick: u64) -> u64 {
        if self.opts.quick {
            quick
        } else {
            full
        }
    }
}

/// Runs case `name`.
pub fn run(ctx: &Ctx, name: &str) -> Outcome {
    let r = match name {
        "mixed-1g" => mixed(ctx, name, ctx.size(1024 * MIB, 64 * MIB)),
        "dense" => dense(ctx, name, Shape::DesktopMain, ctx.size(256 * MIB, 16 * MIB)),
        "dense-1g" => dense(
            ctx,
            name,
            Shape::DesktopMain,
            ctx.size(1024 * MIB, 64 * MIB),
        ),
        "dense-server" => dense(
            ctx,
            name,
            Shape::DesktopServer,
            ctx.size(256 * MIB, 16 * MIB),
        ),
        "dense-code" => dense(ctx, name, Shape::CodeDebug, ctx.size(256 * MIB, 16 * MIB)),
        "dense-vscode" => dense(ctx, name, Shape::Vscode, ctx.size(256 * MIB, 16 * MIB)),
        "mixed-4g" => mixed(ctx, name, ctx.size(4096 * MIB, 128 * MIB)),
        "adversarial" => adversarial(ctx, ctx.size(512 * MIB, 32 * MIB)),
        "threads" => threads(ctx, ctx.size(128 * MIB, 8 * MIB)),
        "bundles" => bundles(ctx, if ctx.opts.quick { 1_000 } else { 10_000 }),
        "evtx" => evtx(ctx),
        other => Err(format!("unknown case {other}")),
    };
    match r {
        Ok(rows) => Outcome::Rows(rows),
        Err(e) => Outcome::Skipped(e),
    }
}

const SCAN_JSON: [&str; 3] = ["scan", "--format", "json"];

fn mixed(ctx: &Ctx, case: &str, size: u64) -> Result<Vec<Row>, String> {
    let path = ctx.dir.join(format!("mixed-{}m.log", size / MIB));
    let stamp = inputs::stamp("mixed", size, 1, &ctx.background);
    ctx.prepare(&path, &stamp, size, || {
        inputs::mixed(&path, size, 1, &ctx.background)
    })?;
    rg_and_scan(ctx, case, &path)
}

/// A long MCP client session of `shape` (`gen::dense`): nearly every line an MCP
/// record, JSON-RPC payloads of every size, a few incidents spliced in (DESIGN §8,
/// dense client log). The `dense` case also reads it through stdin and gzipped.
fn dense(ctx: &Ctx, case: &str, shape: Shape, size: u64) -> Result<Vec<Row>, String> {
    let plan = Plan::new(shape, size, 11);
    let dir = ctx
        .dir
        .join(format!("dense-{shape:?}-{}m", size / MIB).to_lowercase());
    fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let path = dir.join(shape.file_name());
    let stamp = inputs::dense_stamp(&plan);
    ctx.prepare(&path, &stamp, size, || inputs::dense(&path, &plan))?;
    let target = [path.as_path()];
    let mut jobs: Vec<Job> = ctx
        .rg(&target)
        .into_iter()
        .chain([ctx.logscan("logscan scan --format json", &SCAN_JSON, &target)])
        .collect();
    if case == "dense" {
        let mut gz = path.clone().into_os_string();
        gz.push(".gz");
        let gz = PathBuf::from(gz);
        // Dense text compresses to an eighth of its size or less.
        ctx.prepare(&gz, &format!("{stamp} gzip"), size / 8, || {
            inputs::gzip(&path, &gz)
        })?;
        let mut stdin = ctx.logscan(
            &format!("cat {} | logscan scan --format json -", shape.file_name()),
            &["scan", "--format", "json", "-"],
            &[],
        );
        stdin.stdin = Some(path.clone());
        jobs.push(stdin);
        jobs.push(ctx.logscan(
            &format!("logscan scan --format json {}.gz", shape.file_name()),
            &SCAN_JSON,
            &[gz.as_path()],
        ));
    }
    ctx.measure(case, jobs, file_len(&path), None)
}

fn adversarial(ctx: &Ctx, size: u64) -> Result<Vec<Row>, String> {
    let path = ctx.dir.join(format!("adversarial-{}m.log", size / MIB));
    let stamp = inputs::stamp("adversarial", size, 0, &ctx.background);
    ctx.prepare(&path, &stamp, size, || inputs::adversarial(&path, size))?;
    rg_and_scan(ctx, "adversarial", &path)
}

/// `rg` then `logscan scan --format json` over one file.
fn rg_and_scan(ctx: &Ctx, case: &str, path: &Path) -> Result<Vec<Row>, String> {
    let target = [path];
    let jobs = ctx
        .rg(&target)
        .into_iter()
        .chain([ctx.logscan("logscan scan --format json", &SCAN_JSON, &target)])
        .collect();
    ctx.measure(case, jobs, file_len(path), None)
}

fn threads(ctx: &Ctx, each: u64) -> Result<Vec<Row>, String> {
    let dir = ctx.dir.join(format!("threads-8x{}m", each / MIB));
    fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    for k in 0..8u64 {
        let path = dir.join(format!("part-{k}.log"));
        let stamp = inputs::stamp("mixed", each, 100 + k, &ctx.background);
        ctx.prepare(&path, &stamp, each, || {
            inputs::mixed(&path, each, 100 + k, &ctx.background)
        })?;
    }
    let bytes = (0..8)
        .map(|k| file_len(&dir.join(format!("part-{k}.log"))))
        .sum();
    let target = [dir.as_path()];
    let jobs = ["1", "2"]
        .iter()
        .map(|n| {
            let flags = ["scan", "--format", "json", "--threads", n];
            ctx.logscan(&format!("logscan scan --threads {n}"), &flags, &target)
        })
        .collect();
    ctx.measure("threads", jobs, bytes, None)
}

fn bundles(ctx: &Ctx, count: usize) -> Result<Vec<Row>, String> {
    const SIZE: usize = 20 * 1024;
    let dir = ctx.dir.join(format!("bundles-{count}"));
    let stamp = format!("v1 bundles count={count} size={SIZE} seed=7");
    // Disk: each bundle is a folder and a file (a block each at least).
    ctx.prepare(&dir, &stamp, (count * (SIZE + 8192)) as u64, || {
        inputs::bundles(&dir, count, SIZE, 7)
    })?;
    let bytes = dir_len(&dir);
    let target = [dir.as_path()];
    let jobs = ctx
        .rg(&target)
        .into_iter()
        .chain([ctx.logscan(
            "logscan scan --each --format jsonl",
            &["scan", "--format", "jsonl", "--each"],
            &target,
        )])
        .collect();
    ctx.measure("bundles", jobs, bytes, Some((count as u64, "bundles")))
}

fn evtx(ctx: &Ctx) -> Result<Vec<Row>, String> {
    let dir = ctx
        .data
        .as_ref()
        .map(|d| d.join("evtx"))
        .ok_or("no ../shared/data folder (pass --data DIR)")?;
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "evtx"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!("no .evtx files in {}", dir.display()));
    }
    let records = files.iter().map(|f| count_events(ctx, f)).sum();
    let bytes = files.iter().map(|f| file_len(f)).sum();
    let target: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let mut job = ctx.logscan("logscan scan --format json *.evtx", &SCAN_JSON, &target);
    // One sample has a bad chunk on purpose: logscan reports it and exits 2.
    job.max_ok = 2;
    ctx.measure("evtx", vec![job], bytes, Some((records, "records")))
}

/// Records of one file: the lines of `logscan events --format json`.
fn count_events(ctx: &Ctx, file: &Path) -> u64 {
    std::process::Command::new(&ctx.logscan)
        .args(["events", "--format", "json"])
        .arg(file)
        .output()
        .map(|o| o.stdout.iter().filter(|b| **b == b'\n').count() as u64)
        .unwrap_or(0)
}

fn file_len(p: &Path) -> u64 {
    fs::metadata(p).map(|m| m.len()).unwrap_or(0)
}

/// Bytes of every file under `dir`, links followed (what cannot be read counts 0).
fn dir_len(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .follow_links(true)
        .into_iter()
        .flatten()
        .filter(|entry| !entry.file_type().is_dir())
        .map(|entry| file_len(entry.path()))
        .sum()
}

/// Prints what logscan (`tool`) found in its last output: first cause, every
/// cause, evicted partials.
fn check(tool: &str, out: &Path) {
    let Ok(text) = fs::read_to_string(out) else {
        return;
    };
    // A JSON report, or JSON lines whose last line is the batch summary.
    let last = text.lines().last().unwrap_or("");
    let value = serde_json::from_str::<serde_json::Value>(&text)
        .or_else(|_| serde_json::from_str(last))
        .unwrap_or_default();
    if let Some(s) = value.get("summary") {
        println!("  check: {tool}: batch summary {s}");
        return;
    }
    let causes = value["causes"].as_array().map_or(&[][..], Vec::as_slice);
    let cause = &value["causes"][0];
    let findings = cause["findings"].as_array().map_or(&[][..], Vec::as_slice);
    let occurrences: u64 = findings
        .iter()
        .filter_map(|f| f["occurrences"].as_u64())
        .sum();
    let all: Vec<String> = causes
        .iter()
        .map(|c| {
            format!(
                "{} {}",
                c["cause"].as_str().unwrap_or("?"),
                c["verdict"].as_str().unwrap_or("?")
            )
        })
        .collect();
    println!(
        "  check: {tool}: first cause {} ({}, {} findings, {occurrences} occurrences), causes [{}], evicted partials {}",
        cause["cause"],
        cause["verdict"],
        findings.len(),
        all.join(", "),
        value["stats"]["evicted_partials"]
    );
}
