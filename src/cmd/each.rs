//! `logscan scan --each DIR`: batch mode. Every child folder, `.zip`, `.tar`,
//! `.tar.gz`/`.tgz` and `.gz` file of DIR is one bundle, scanned on its own
//! with [`Engine::scan_paths`]; bundles run in parallel (rayon) and are
//! printed in name order, so the output is the same for any `--threads`.
//! Every other entry is skipped and named: a warning on stderr and, in JSONL,
//! the summary line's `skipped` list.
//!
//! This module must never mix bundles (one bundle's inputs never reach another
//! bundle's report), never skip an entry without naming it, and never write a
//! progress bar to a non-terminal.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressStyle};
use logscan_engine::rank::Verdict;
use logscan_engine::report::has_cause_at_least;
use logscan_engine::{Engine, Report, ScanResult};
use rayon::prelude::*;
use serde::Serialize;

use crate::cli::ReportFormat;
use crate::cmd::{error, ERROR, FOUND, OK};
use crate::print::summary::{self, Tally};

/// One child of DIR scanned as a bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bundle {
    /// The child's file name (what `"bundle"` holds in the output).
    pub name: String,
    pub path: PathBuf,
}

/// A child of DIR that is not a bundle, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub name: String,
    pub reason: &'static str,
}

/// The children of DIR: bundles and skipped entries, each sorted by name.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Listing {
    pub bundles: Vec<Bundle>,
    pub skipped: Vec<Skipped>,
}

/// Why an entry is not a bundle.
const HIDDEN: &str = "hidden (its name starts with `.`)";
const NOT_AN_ARCHIVE: &str = "a file that is not an archive (.zip, .tar, .tar.gz, .tgz, .gz)";
const NEITHER: &str = "neither a folder nor a file (a broken link or a special file)";

/// The final JSONL line: the summary plus what was skipped.
#[derive(Serialize)]
struct Last<'a> {
    #[serde(flatten)]
    summary: summary::JsonSummary,
    skipped: &'a [Skipped],
}

/// One output line: `{"bundle": "<name>", "report": {...}}`.
#[derive(Serialize)]
struct Line<'a> {
    bundle: &'a str,
    report: &'a Report,
}

/// Bundles scanned per batch: enough to keep every thread busy, few enough
/// that reports are printed (and freed) as the scan goes.
fn batch_len() -> usize {
    rayon::current_num_threads().max(1) * 16
}

pub fn run(
    engine: &Engine,
    dir: &Path,
    format: ReportFormat,
    threshold: Option<Verdict>,
    mut out: &mut dyn Write,
) -> u8 {
    if matches!(format, ReportFormat::Json | ReportFormat::Html) {
        error("--each prints one JSON line per bundle: use --format jsonl (the default) or text");
        return ERROR;
    }
    let Listing { bundles, skipped } = match list(dir) {
        Ok(b) => b,
        Err(e) => {
            error(format!("{}: {e}", dir.display()));
            return ERROR;
        }
    };
    for s in &skipped {
        crate::cmd::warn(format!(
            "skipped {}: {}",
            dir.join(&s.name).display(),
            s.reason
        ));
    }
    let progress = progress_bar(bundles.len());
    let mut tally = Tally::default();
    let (mut failed, mut found) = (false, false);
    for batch in bundles.chunks(batch_len()) {
        let results: Vec<ScanResult> = batch
            .par_iter()
            .map(|b| {
                let r = engine.scan_paths(&[b.path.as_path()]);
                progress.inc(1);
                r
            })
            .collect();
        let written = progress.suspend(|| -> std::io::Result<()> {
            for (b, r) in batch.iter().zip(&results) {
                for e in &r.errors {
                    error(e);
                }
                failed |= !r.errors.is_empty();
                found |= threshold.is_some_and(|v| has_cause_at_least(&r.report, v));
                tally.add(r.report.causes.first().map(|c| c.cause.as_str()));
                if format == ReportFormat::Jsonl {
                    let line = Line {
                        bundle: &b.name,
                        report: &r.report,
                    };
                    serde_json::to_writer(&mut out, &line)?;
                    writeln!(out)?;
                }
            }
            out.flush()
        });
        if let Err(e) = written {
            progress.finish_and_clear();
            return write_failed(e);
        }
    }
    progress.finish_and_clear();
    let written = match format {
        ReportFormat::Text => summary::write_text(&mut out, &tally),
        _ => serde_json::to_writer(
            &mut out,
            &Last {
                summary: tally.json(),
                skipped: &skipped,
            },
        )
        .map_err(std::io::Error::from)
        .and_then(|_| writeln!(out)),
    };
    if let Err(e) = written.and_then(|_| out.flush()) {
        return write_failed(e);
    }
    if failed {
        ERROR
    } else if found {
        FOUND
    } else {
        OK
    }
}

/// A closed pipe (`| head`) ends the output quietly; any other write error is an error.
fn write_failed(e: std::io::Error) -> u8 {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        OK
    } else {
        error(e);
        ERROR
    }
}

/// The children of `dir`, sorted by name: child folders and archive files are
/// bundles; hidden entries (`.name`), other files and anything else are skipped, with why.
pub fn list(dir: &Path) -> std::io::Result<Listing> {
    let mut out = Listing::default();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        let skip = if name.starts_with('.') {
            Some(HIDDEN)
        } else if path.is_dir() || (path.is_file() && is_archive(&name)) {
            None
        } else if path.is_file() {
            Some(NOT_AN_ARCHIVE)
        } else {
            Some(NEITHER)
        };
        match skip {
            None => out.bundles.push(Bundle { name, path }),
            Some(reason) => out.skipped.push(Skipped { name, reason }),
        }
    }
    out.bundles.sort_by(|a, b| a.name.cmp(&b.name));
    out.skipped.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// Whether a file name is one of the archive kinds a bundle may come as.
fn is_archive(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".zip", ".tar", ".tgz", ".gz"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

/// A bar on stderr when stderr is a terminal; hidden otherwise.
fn progress_bar(len: usize) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len as u64);
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {pos}/{len} bundles  {elapsed} (eta {eta})")
    {
        bar.set_style(style);
    }
    bar
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_is_a_bundle_or_skipped_with_a_reason() {
        let dir = std::env::temp_dir().join(format!("logscan-each-list-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("b-folder")).unwrap();
        std::fs::create_dir_all(dir.join(".git")).unwrap();
        for f in ["a.zip", "notes.txt", "mcp.log"] {
            std::fs::write(dir.join(f), "x").unwrap();
        }
        let got = list(&dir).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        let names: Vec<&str> = got.bundles.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(names, ["a.zip", "b-folder"]);
        let skipped: Vec<(&str, &str)> = got
            .skipped
            .iter()
            .map(|s| (s.name.as_str(), s.reason))
            .collect();
        assert_eq!(
            skipped,
            [
                (".git", HIDDEN),
                ("mcp.log", NOT_AN_ARCHIVE),
                ("notes.txt", NOT_AN_ARCHIVE)
            ]
        );
    }

    #[test]
    fn archives_are_recognised_by_extension_in_any_case() {
        for name in ["a.zip", "b.TAR", "c.tar.gz", "d.tgz", "e.log.gz"] {
            assert!(is_archive(name), "{name}");
        }
        for name in ["mcp.log", "notes.txt", "zip", "gz"] {
            assert!(!is_archive(name), "{name}");
        }
    }
}
