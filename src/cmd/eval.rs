//! `logscan eval DIR...`: scans labelled cases and prints how well the
//! diagnosis did (text or `logscan/eval@1` JSON). Exit 0 when every threshold
//! holds, 1 when one fails or a case could not be scored, 2 on usage errors.
//! All figures come from `logscan_engine::eval`; this module never computes one.

use std::io::Write;

use logscan_engine::eval::{self, threshold::is_rate, Thresholds};

use crate::cli::{ColorWhen, EvalArgs, EvalFormat};
use crate::cmd::scan::builder;
use crate::cmd::{error, ERROR, FOUND, OK};
use crate::print;

pub fn run(args: EvalArgs, color: ColorWhen) -> u8 {
    let limits = [
        ("--min-top1", args.min_top1),
        ("--max-wrong-likely", args.max_wrong_likely),
        ("--min-yes-top1", args.min_yes_top1),
        ("--min-partial-top3", args.min_partial_top3),
        ("--min-clean", args.min_clean),
    ];
    for (flag, value) in limits {
        if let Some(x) = value.filter(|x| !is_rate(*x)) {
            error(format!("{flag} {x}: must be between 0 and 1"));
            return ERROR;
        }
    }
    let engine = match crate::cmd::build(builder(&args.rules), args.tz.as_ref(), color) {
        Ok(e) => e,
        Err(code) => return code,
    };
    let mut cases = Vec::new();
    for dir in &args.dirs {
        match eval::discover(dir) {
            Ok(c) => cases.extend(c),
            Err(e) => {
                error(e);
                return ERROR;
            }
        }
    }
    let outcomes = eval::run(&engine, &cases);
    let mut summary = eval::summarize(&outcomes);
    summary.failures = Thresholds {
        min_top1: args.min_top1,
        max_wrong_likely: args.max_wrong_likely,
        min_yes_top1: args.min_yes_top1,
        min_partial_top3: args.min_partial_top3,
        min_clean: args.min_clean,
    }
    .check(&summary);
    let mut out = print::stdout(color);
    let written = match args.format {
        EvalFormat::Text => print::eval::write(&mut out, &summary),
        EvalFormat::Json => serde_json::to_writer_pretty(&mut out, &summary)
            .map_err(std::io::Error::from)
            .and_then(|_| writeln!(out)),
    };
    if let Err(code) = super::written(written.and_then(|_| out.flush())) {
        return code;
    }
    if args.format == EvalFormat::Json {
        for f in &summary.failures {
            error(format!("eval: {f}"));
        }
    }
    if summary.failures.is_empty() {
        OK
    } else {
        FOUND
    }
}
