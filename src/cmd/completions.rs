//! `logscan completions SHELL` and `logscan man`: the shell completion script
//! and the roff man page, both generated from the clap definition in `cli`,
//! printed to stdout. This module must never describe an option by hand: what
//! it prints comes from `cli::Cli` only, so it cannot drift from `--help`.

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};
use crate::out;

/// Prints the completion script for the asked shell.
pub fn completions(args: CompletionsArgs) -> u8 {
    let mut cmd = Cli::command();
    let mut text = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "logscan", &mut text);
    write(&text)
}

/// Prints the man page (roff).
pub fn man() -> u8 {
    let mut text = Vec::new();
    if let Err(e) = clap_mangen::Man::new(Cli::command()).render(&mut text) {
        super::error(e);
        return super::ERROR;
    }
    write(&text)
}

fn write(bytes: &[u8]) -> u8 {
    use std::io::Write;
    let mut o = out::stdout();
    super::done(o.write_all(bytes).and_then(|_| o.flush()))
}
