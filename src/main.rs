//! The `logscan` command line: clap arguments, printers and exit codes.
//!
//! All logic lives in `logscan-engine`; this crate parses arguments, calls the
//! engine and prints what it returns. It never reads logs by itself.

mod alloc;
mod cli;
mod cmd;
mod out;
mod print;
mod progress;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    alloc::tune();
    let args = cli::Cli::parse();
    let color = args.color;
    let code = match args.command {
        cli::Command::Scan(a) => cmd::scan::run(a, color),
        cli::Command::Rules(a) => cmd::rules::run(a, color),
        cli::Command::Events(a) => cmd::events::run(a),
        cli::Command::Eval(a) => cmd::eval::run(a, color),
        cli::Command::Completions(a) => cmd::completions::completions(a),
        cli::Command::Man => cmd::completions::man(),
    };
    ExitCode::from(code)
}
