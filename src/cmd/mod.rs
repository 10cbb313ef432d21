//! One module per subcommand: turn arguments into engine calls and exit codes.
//! The conventions they share live here: exit codes, error lines, `--tz`,
//! `--since/--until` and `-o/-q` (where the output goes).

use std::io::Write;
use std::path::Path;

use jiff::tz::{Offset, TimeZone};

use crate::cli::ColorWhen;

pub mod completions;
pub mod each;
pub mod eval;
pub mod events;
pub mod rules;
pub mod rules_new;
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
    color: ColorWhen,
) -> Result<logscan_engine::Engine, u8> {
    if let Some(tz) = tz {
        b = b.time_zone(zone(tz).map_err(|e| {
            error(e);
            ERROR
        })?);
    }
    b.build().map_err(|e| build_failed(e, color))
}

/// Prints why the engine did not build (every rule error with its snippet,
/// then a count; or the one error) and returns the exit code.
pub fn build_failed(e: logscan_engine::engine::Error, color: ColorWhen) -> u8 {
    match e {
        logscan_engine::engine::Error::Rules(errs) => {
            eprint!("{}", rules::render_errors(&errs, rules::use_color(color)));
        }
        e => error(e),
    }
    ERROR
}

/// The forms `--tz` accepts, for error messages.
const ZONE_FORMS: &str =
    "`local` (the system zone), a UTC offset such as `+02:00`, `-0530` or `Z`, or an IANA name such as `Europe/Berlin`";

/// Reads a `--tz` value: `local`, a fixed offset (`Z`, `+02`, `+02:00`,
/// `-0530`) or an IANA name (`Area/City`, `UTC`).
pub fn zone(name: &str) -> Result<TimeZone, String> {
    let name = name.trim();
    if name.eq_ignore_ascii_case("local") {
        return TimeZone::try_system().map_err(|e| {
            format!("--tz local: the system time zone could not be found ({e}); pass its name, e.g. --tz Europe/Berlin")
        });
    }
    if let Some(offset) = fixed_offset(name) {
        return offset
            .map(TimeZone::fixed)
            .map_err(|why| format!("--tz {name}: {why}; use {ZONE_FORMS}"));
    }
    TimeZone::get(name).map_err(|_| format!("--tz {name}: unknown time zone; use {ZONE_FORMS}"))
}

/// `Some` when `s` is written as an offset (`Z`, or a sign then digits):
/// the offset, or why it is not one.
fn fixed_offset(s: &str) -> Option<Result<Offset, String>> {
    if s == "Z" || s == "z" {
        return Some(Ok(Offset::UTC));
    }
    let (sign, rest) = match s.as_bytes().first() {
        Some(b'+') => (1, &s[1..]),
        Some(b'-') => (-1, &s[1..]),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    let well_formed = digits.chars().all(|c| c.is_ascii_digit())
        && matches!(digits.len(), 2 | 4)
        && (rest.len() == digits.len()
            || (rest.len() == 5 && rest.as_bytes().get(2) == Some(&b':')));
    if !well_formed {
        return Some(Err("an offset is written +HH, +HH:MM or +HHMM".into()));
    }
    let hours: i32 = digits[..2].parse().unwrap_or(99);
    let minutes: i32 = digits
        .get(2..)
        .filter(|m| !m.is_empty())
        .map_or(Ok(0), str::parse)
        .unwrap_or(99);
    if hours > 25 || minutes > 59 {
        return Some(Err("the offset is out of range (at most 25:59)".into()));
    }
    Some(
        Offset::from_seconds(sign * (hours * 3600 + minutes * 60))
            .map_err(|_| "the offset is out of range".to_string()),
    )
}

/// Reads a `--since`/`--until` value as ms since the Unix epoch: RFC 3339
/// (`2025-06-03T07:23:52Z`, with an offset) or `YYYY-MM-DD[ HH:MM[:SS]]`
/// (also with `T`), read in `tz` (UTC when none).
pub fn instant(flag: &str, text: &str, tz: Option<&TimeZone>) -> Result<i64, String> {
    let text = text.trim();
    let bad = || {
        format!(
            "{flag} {text}: not a time; write RFC 3339 (2025-06-03T07:23:52Z) or YYYY-MM-DD[ HH:MM[:SS]] (read in --tz, else UTC)"
        )
    };
    if let Ok(ts) = text.parse::<jiff::Timestamp>() {
        return Ok(ts.as_millisecond());
    }
    let civil = if text.len() == 10 {
        text.parse::<jiff::civil::Date>()
            .map(|d| d.to_datetime(jiff::civil::Time::midnight()))
    } else {
        text.parse::<jiff::civil::DateTime>()
    }
    .map_err(|_| bad())?;
    let zone = tz.cloned().unwrap_or(TimeZone::UTC);
    zone.to_timestamp(civil)
        .map(|t| t.as_millisecond())
        .map_err(|_| bad())
}

/// Opens where a command's output goes: standard output (coloured per
/// `--color`), the file `path` (never coloured), or nowhere (`quiet`). A file
/// that cannot be created is reported by name.
pub fn output(path: Option<&Path>, quiet: bool, color: ColorWhen) -> Result<Box<dyn Write>, u8> {
    if quiet {
        return Ok(Box::new(std::io::sink()));
    }
    let Some(path) = path else {
        return Ok(Box::new(crate::print::stdout(color)));
    };
    match std::fs::File::create(path) {
        Ok(f) => Ok(Box::new(std::io::BufWriter::new(
            anstream::StripStream::new(f),
        ))),
        Err(e) => {
            error(format!(
                "{}: cannot create the output file: {}",
                path.display(),
                io_words(&e)
            ));
            Err(ERROR)
        }
    }
}

/// An I/O error in plain words, without the OS error number.
fn io_words(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "its folder does not exist".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::IsADirectory => "it is a folder".into(),
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_string(),
                None => s,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{instant, zone};
    use jiff::tz::{Offset, TimeZone};

    #[test]
    fn zones_in_every_accepted_form() {
        let at = |tz: &TimeZone| tz.to_offset(jiff::Timestamp::UNIX_EPOCH).seconds();
        assert_eq!(zone("+02:00").map(|z| at(&z)), Ok(7200));
        assert_eq!(zone("-0530").map(|z| at(&z)), Ok(-19800));
        assert_eq!(zone("+05").map(|z| at(&z)), Ok(18000));
        assert_eq!(zone("Z").map(|z| at(&z)), Ok(0));
        assert_eq!(zone("Asia/Kolkata").map(|z| at(&z)), Ok(19800));
        assert!(zone("local").is_ok() || zone("local").is_err_and(|e| e.contains("--tz local")));
        assert_eq!(zone("+2:00").map(|_| ()), Err("--tz +2:00: an offset is written +HH, +HH:MM or +HHMM; use `local` (the system zone), a UTC offset such as `+02:00`, `-0530` or `Z`, or an IANA name such as `Europe/Berlin`".to_string()));
        assert_eq!(
            zone("+26:00")
                .map(|_| ())
                .map_err(|e| e.contains("out of range")),
            Err(true)
        );
        assert_eq!(
            zone("Mars/Olympus")
                .map(|_| ())
                .map_err(|e| e.starts_with("--tz Mars/Olympus: unknown time zone; use `local`")),
            Err(true)
        );
        let _ = Offset::UTC;
    }

    #[test]
    fn instants_in_every_accepted_form() {
        let berlin = TimeZone::get("Europe/Berlin").ok();
        assert_eq!(
            instant("--since", "2025-06-03T07:23:52Z", None),
            Ok(1_748_935_432_000)
        );
        assert_eq!(
            instant("--since", "2025-06-03T09:23:52+02:00", None),
            Ok(1_748_935_432_000)
        );
        assert_eq!(
            instant("--since", "2025-06-03 07:23:52", None),
            Ok(1_748_935_432_000)
        );
        assert_eq!(
            instant("--since", "2025-06-03 07:23", None),
            Ok(1_748_935_380_000)
        );
        assert_eq!(
            instant("--since", "2025-06-03", None),
            Ok(1_748_908_800_000)
        );
        assert_eq!(
            instant("--since", "2025-06-03 09:23:52", berlin.as_ref()),
            Ok(1_748_935_432_000)
        );
        assert_eq!(
            instant("--until", "yesterday", None),
            Err("--until yesterday: not a time; write RFC 3339 (2025-06-03T07:23:52Z) or YYYY-MM-DD[ HH:MM[:SS]] (read in --tz, else UTC)".to_string())
        );
    }
}
