//! Printers: turn engine values into text for people. They never re-read or
//! re-parse logs; evidence text comes from the report.

pub mod eval;
pub mod events;
pub mod explain;
pub mod html;
pub mod report;
pub mod summary;
pub mod visible;

use anstream::{AutoStream, ColorChoice};
use anstyle::{AnsiColor, Style};

use crate::cli::ColorWhen;

/// Standard output with colour per `--color` (auto: only on a terminal, honouring NO_COLOR).
pub fn stdout(color: ColorWhen) -> AutoStream<std::io::StdoutLock<'static>> {
    let choice = match color {
        ColorWhen::Auto => ColorChoice::Auto,
        ColorWhen::Always => ColorChoice::Always,
        ColorWhen::Never => ColorChoice::Never,
    };
    AutoStream::new(std::io::stdout().lock(), choice)
}

pub const BOLD: Style = Style::new().bold();
pub const DIM: Style = Style::new().dimmed();
pub const LIKELY: Style = AnsiColor::Red.on_default().bold();
pub const POSSIBLE: Style = AnsiColor::Yellow.on_default().bold();
pub const GUTTER: Style = AnsiColor::Blue.on_default().bold();
pub const MARK: Style = AnsiColor::Red.on_default().bold();
pub const HELP: Style = AnsiColor::Green.on_default().bold();
pub const NOTE: Style = AnsiColor::Cyan.on_default().bold();

/// `text` in `style` (the stream strips it when colour is off).
pub fn paint(style: Style, text: impl std::fmt::Display) -> String {
    format!("{style}{text}{style:#}")
}
