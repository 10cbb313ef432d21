//! `logscan rules test`: runs the rule tests and prints the result.

use std::io::{IsTerminal, Write};
use std::path::Path;

use logscan_engine::ruletest::{self, RunOptions};

use crate::cli::{ColorWhen, RulesTestArgs, TestFormat};
use crate::cmd::{error, ERROR, FOUND, OK};

pub fn run(args: RulesTestArgs, color: ColorWhen) -> u8 {
    let dirs: Vec<&Path> = args.dirs.iter().map(|p| p.as_path()).collect();
    let opts = RunOptions {
        builtin: args.builtin,
        verbose: args.verbose,
        filter: args.filter.clone(),
    };
    let report = ruletest::run(&dirs, opts);
    let text = match args.format {
        TestFormat::Text => {
            let on = match color {
                ColorWhen::Always => true,
                ColorWhen::Never => false,
                ColorWhen::Auto => {
                    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
                }
            };
            report.render_text(on)
        }
        TestFormat::Json => match serde_json::to_string_pretty(&report.to_json()) {
            Ok(s) => s + "\n",
            Err(e) => {
                error(e);
                return ERROR;
            }
        },
        TestFormat::Junit => report.to_junit(),
    };
    let mut out = std::io::stdout().lock();
    if let Err(code) = super::written(out.write_all(text.as_bytes()).and_then(|_| out.flush())) {
        return code;
    }
    if report.passed() {
        OK
    } else {
        FOUND
    }
}
