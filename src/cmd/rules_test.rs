//! `logscan rules test`. Wired to the engine's rule-test runner.

use crate::cli::{ColorWhen, RulesTestArgs};
use crate::cmd::{error, ERROR};

pub fn run(args: RulesTestArgs, color: ColorWhen) -> u8 {
    let _ = (args, color);
    error("rules test: runner not merged yet");
    ERROR
}
