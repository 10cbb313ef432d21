//! Runs one command and measures it: wall time (std `Instant` around the
//! process) and peak RSS (`/usr/bin/time -v`, "Maximum resident set size").
//! A command may read a file through a pipe (`cat FILE | command`), so its
//! stdin is a pipe, not a file it could seek or map; the time is the
//! command's, the RSS the command's alone.
//! Also finds the tools (`rg`, `/usr/bin/time`) and installs ripgrep from
//! Debian's packages when running as root.
//!
//! This module never retries a failed measurement and never hides a failure:
//! a command that exits with an error is reported with its stderr.

use std::ffi::OsString;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const TIME: &str = "/usr/bin/time";

/// One run of one command.
#[derive(Debug, Clone, Copy)]
pub struct Measurement {
    pub secs: f64,
    /// Peak resident set size in KiB (`None` without `/usr/bin/time`).
    pub rss_kib: Option<u64>,
}

/// What is available on this machine.
#[derive(Debug)]
pub struct Tools {
    pub rg: bool,
    pub time: bool,
}

impl Tools {
    pub fn find() -> Tools {
        let time = Path::new(TIME).is_file();
        if !time {
            println!("note: {TIME} is missing: peak RSS is n/a (apt-get install time)");
        }
        Tools {
            rg: find_or_install_rg(),
            time,
        }
    }
}

fn runs(cmd: &str, args: &[&str]) -> bool {
    Command::new(cmd)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn find_or_install_rg() -> bool {
    if runs("rg", &["--version"]) {
        return true;
    }
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0");
    if root {
        println!("rg is missing: installing ripgrep with apt-get ...");
        let ok = runs("apt-get", &["install", "-y", "ripgrep"])
            || (runs("apt-get", &["update"]) && runs("apt-get", &["install", "-y", "ripgrep"]));
        if ok && runs("rg", &["--version"]) {
            return true;
        }
    }
    println!(
        "note: rg (ripgrep) is missing; install it (`sudo apt-get install ripgrep`, or \
         `cargo install ripgrep`) for the rg columns. Skipping them."
    );
    false
}

/// The ripgrep version line, for the report header.
pub fn rg_version() -> Option<String> {
    let out = Command::new("rg").arg("--version").output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines().next().map(str::to_string)
}

/// Runs `program args` with stdout to `out` (and `cat stdin |` before it when
/// `stdin` is given), measuring time and RSS.
/// An exit code above `max_ok` is an error (rg exits 1 when nothing matched;
/// logscan 1 when `--fail-on` is met, which the harness never asks for).
pub fn run(
    tools: &Tools,
    program: &Path,
    args: &[OsString],
    stdin: Option<&Path>,
    out: &Path,
    max_ok: i32,
) -> Result<Measurement, String> {
    let rss_file: PathBuf = out.with_extension("time");
    let mut cmd = if tools.time {
        let mut c = Command::new(TIME);
        c.arg("-v").arg("-o").arg(&rss_file).arg(program);
        c
    } else {
        Command::new(program)
    };
    cmd.args(args);
    let stdout = File::create(out).map_err(|e| format!("{}: {e}", out.display()))?;
    cmd.stdout(stdout).stderr(Stdio::piped());
    let start = Instant::now();
    let mut cat = match stdin {
        Some(file) => {
            let mut c = Command::new("cat")
                .arg(file)
                .stdout(Stdio::piped())
                .spawn()
                .map_err(|e| format!("cat {}: {e}", file.display()))?;
            let pipe = c.stdout.take().ok_or("cat: no stdout pipe")?;
            cmd.stdin(Stdio::from(pipe));
            Some(c)
        }
        None => None,
    };
    let result = cmd
        .output()
        .map_err(|e| format!("{}: {e}", program.display()));
    let secs = start.elapsed().as_secs_f64();
    // `cmd` holds the pipe's read end: drop it, so a command that stopped reading
    // early (an error) leaves cat on a broken pipe instead of blocked.
    drop(cmd);
    if let Some(c) = cat.as_mut() {
        let _ = c.wait();
    }
    let result = result?;
    let code = result.status.code().unwrap_or(-1);
    if !(0..=max_ok).contains(&code) {
        let err = String::from_utf8_lossy(&result.stderr);
        let tail: Vec<&str> = err.lines().rev().take(5).collect();
        return Err(format!(
            "{} exited with {code}: {}",
            program.display(),
            tail.into_iter().rev().collect::<Vec<_>>().join(" / ")
        ));
    }
    let rss_kib = if tools.time {
        fs::read_to_string(&rss_file)
            .ok()
            .and_then(|t| max_rss_kib(&t))
    } else {
        None
    };
    Ok(Measurement { secs, rss_kib })
}

/// "Maximum resident set size (kbytes): N" from `/usr/bin/time -v` output.
pub fn max_rss_kib(time_output: &str) -> Option<u64> {
    time_output.lines().find_map(|l| {
        let rest = l
            .trim()
            .strip_prefix("Maximum resident set size (kbytes):")?;
        rest.trim().parse().ok()
    })
}
