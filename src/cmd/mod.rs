//! One module per subcommand: turn arguments into engine calls and exit codes.

pub mod each;
pub mod eval;
pub mod events;
pub mod rules;
pub mod rules_test;
pub mod scan;

/// Exit code: success.
pub const OK: u8 = 0;
/// Exit code: `--fail-on` threshold met, rule tests failed, or an `eval` threshold failed.
pub const FOUND: u8 = 1;
/// Exit code: an error (bad arguments, unreadable input, bad rules).
pub const ERROR: u8 = 2;

/// The result of writing the output: a closed pipe (`| head`) is not an error;
/// any other write error is printed and becomes [`ERROR`].
pub fn written(r: std::io::Result<()>) -> Result<(), u8> {
    match r {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            error(e);
            Err(ERROR)
        }
        _ => Ok(()),
    }
}

/// The exit code of a command whose last step is writing: [`OK`] when it was
/// written (or the reader went away), else [`ERROR`] (the error printed).
pub fn done(r: std::io::Result<()>) -> u8 {
    match written(r) {
        Ok(()) => OK,
        Err(code) => code,
    }
}

/// Prints a one-line error to stderr (secrets redacted, control characters
/// shown visibly: a message may quote a file or member name).
pub fn error(msg: impl std::fmt::Display) {
    eprintln!("logscan: error: {}", for_terminal(&msg.to_string()));
}

/// Prints a one-line warning to stderr, as [`error`] does.
pub fn warn(msg: impl std::fmt::Display) {
    eprintln!("logscan: warning: {}", for_terminal(&msg.to_string()));
}

fn for_terminal(msg: &str) -> String {
    crate::print::visible::text(&logscan_engine::redact::redact(msg)).into_owned()
}

/// Builds the engine with `--tz` applied; on failure prints the error and returns the exit code.
pub fn build(
    mut b: logscan_engine::EngineBuilder,
    tz: Option<&String>,
) -> Result<logscan_engine::Engine, u8> {
    if let Some(tz) = tz {
        b = b.tz(tz.clone());
    }
    b.build().map_err(|e| {
        error(e);
        ERROR
    })
}
