//! `logscan scan`: builds the engine from the options (rules, zone, time
//! window), scans, writes the report where `-o/-q` say and decides the exit code.

use std::io::Write;
use std::path::Path;

use logscan_engine::progress::Progress;
use logscan_engine::rank::Verdict;
use logscan_engine::report::has_cause_at_least;
use logscan_engine::Engine;

use crate::cli::{ColorWhen, FailOn, ReportFormat, RuleArgs, ScanArgs};
use crate::cmd::{error, ERROR, FOUND, OK};
use crate::print;
use crate::progress::Bar;

pub fn run(args: ScanArgs, color: ColorWhen) -> u8 {
    // 0 (ripgrep's "auto") and no value both leave rayon its default: one thread per core.
    if let Some(n) = args.threads.filter(|&n| n > 0) {
        if let Err(e) = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
        {
            error(format!("--threads {n}: cannot start the threads: {e}"));
            return ERROR;
        }
    }
    let engine = match engine(&args, color) {
        Ok(e) => e,
        Err(code) => return code,
    };
    let mut out = match crate::cmd::output(args.output.as_deref(), args.quiet, color) {
        Ok(o) => o,
        Err(code) => return code,
    };
    if let Some(dir) = &args.each {
        let format = args.format.unwrap_or(ReportFormat::Jsonl);
        return crate::cmd::each::run(&engine, dir, format, threshold(args.fail_on), &mut out);
    }
    let paths: Vec<&Path> = args.paths.iter().map(|p| p.as_path()).collect();
    let format = args.format.unwrap_or(ReportFormat::Text);
    let progress = Progress::new();
    let bar = Bar::start(
        &progress,
        !args.quiet && crate::progress::wanted(format != ReportFormat::Text),
    );
    let result = engine.scan_paths_with(&paths, Some(&progress));
    bar.finish();
    for e in &result.errors {
        error(e);
    }
    let written = match format {
        ReportFormat::Text => print::report::write(&mut out, &result.report),
        ReportFormat::Json => serde_json::to_writer_pretty(&mut out, &result.report)
            .map_err(std::io::Error::from)
            .and_then(|_| writeln!(out)),
        ReportFormat::Jsonl => serde_json::to_writer(&mut out, &result.report)
            .map_err(std::io::Error::from)
            .and_then(|_| writeln!(out)),
        ReportFormat::Html => print::html::write(&mut out, &result.report),
    };
    if let Err(code) = super::written(written.and_then(|_| out.flush())) {
        return code;
    }
    if !result.errors.is_empty() {
        return ERROR;
    }
    match threshold(args.fail_on) {
        Some(v) if has_cause_at_least(&result.report, v) => FOUND,
        _ => OK,
    }
}

/// The engine `args` ask for: rules (`--rules`, `--no-builtin`, `--rule`,
/// `--exclude-rule`), `--tz`, `--since/--until`, redaction and `--explain`.
fn engine(args: &ScanArgs, color: ColorWhen) -> Result<Engine, u8> {
    let zone = match args.tz.as_deref().map(crate::cmd::zone).transpose() {
        Ok(z) => z,
        Err(e) => {
            error(e);
            return Err(ERROR);
        }
    };
    let at = |flag: &str, t: &Option<String>| {
        t.as_deref()
            .map(|t| crate::cmd::instant(flag, t, zone.as_ref()))
            .transpose()
            .map_err(|e| {
                error(e);
                ERROR
            })
    };
    let (since, until) = (at("--since", &args.since)?, at("--until", &args.until)?);
    if let (Some(s), Some(u)) = (since, until) {
        if s > u {
            error("--since is after --until: no record could be matched");
            return Err(ERROR);
        }
    }
    let b = builder(&args.rules)
        .redact(!args.no_redact)
        .explain(args.explain)
        .only_rules(args.rule.iter().cloned())
        .skip_rules(args.exclude_rule.iter().cloned())
        .time_window(since, until);
    crate::cmd::build(b, args.tz.as_ref(), color)
}

/// The verdict `--fail-on` asks for.
pub fn threshold(fail_on: Option<FailOn>) -> Option<Verdict> {
    fail_on.map(|f| match f {
        FailOn::Likely => Verdict::Likely,
        FailOn::Possible => Verdict::Possible,
    })
}

/// An engine builder with the rule selection of `args`.
pub fn builder(args: &RuleArgs) -> logscan_engine::EngineBuilder {
    let mut b = Engine::builder();
    if !args.no_builtin {
        b = b.builtin_rules();
    }
    for d in &args.rules {
        b = b.rules_dir(d.clone());
    }
    b
}
