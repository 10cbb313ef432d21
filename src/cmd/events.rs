//! `logscan events FILE`: the event stream as the rules see it, every record,
//! printed as it is parsed: a source is read in pieces (stdin, `.gz` and
//! archive members too), never whole, unless its content must be (a whole
//! document, a rendered `.evtx`). What it prints is redacted unless
//! `--no-redact` (see `print::events`). `-o FILE` writes them to FILE.

use std::io::Write;
use std::path::Path;

use logscan_engine::engine::EventSource;
use logscan_engine::Engine;

use crate::cli::{ColorWhen, EventsArgs, EventsFormat};
use crate::cmd::{error, ERROR, OK};
use crate::print;
use crate::print::events::Events;

pub fn run(args: EventsArgs) -> u8 {
    let engine = match crate::cmd::build(Engine::builder(), args.tz.as_ref(), ColorWhen::Auto) {
        Ok(e) => e,
        Err(code) => return code,
    };
    let (inputs, mut errors) = engine.inputs(&[Path::new(&args.file)]);
    // Events are printed without colour: to a file (`-o`) as to stdout.
    let mut out: Box<dyn Write> = match &args.output {
        None => Box::new(std::io::stdout().lock()),
        Some(path) => match crate::cmd::output(Some(path), false, ColorWhen::Never) {
            Ok(o) => o,
            Err(code) => return code,
        },
    };
    for input in inputs {
        let source = match engine.events(input) {
            Ok(s) => s,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let r = write(&mut out, source, args.format, !args.no_redact);
        if let Err(e) = r.and_then(|_| out.flush()) {
            if e.kind() != std::io::ErrorKind::BrokenPipe {
                error(e);
                return ERROR;
            }
            return OK;
        }
    }
    for e in &errors {
        error(e);
    }
    if errors.is_empty() {
        OK
    } else {
        ERROR
    }
}

/// Prints one source's events, piece by piece.
fn write(
    out: &mut impl Write,
    source: EventSource,
    format: EventsFormat,
    redact: bool,
) -> std::io::Result<()> {
    let text = format == EventsFormat::Text;
    let piece = |out: &mut dyn Write, p: &Events<'_>| -> std::io::Result<()> {
        let mut out = out;
        if text {
            print::events::write_text(&mut out, p)
        } else {
            print::events::write_json(&mut out, p)
        }
    };
    match source {
        EventSource::Whole(p) => {
            if text {
                print::events::write_header(out, &p.text.path, p.format, p.text.encoding.as_str())?;
            }
            let events = Events {
                path: &p.text.path,
                format: p.format,
                text: &p.text.text,
                offset: 0,
                events: &p.events,
                redact,
            };
            piece(out, &events)?;
            if text {
                let notes: Vec<_> = p.text.notes.iter().chain(&p.notes).cloned().collect();
                print::events::write_footer(out, &notes, p.events.len() as u64, redact)?;
            }
        }
        EventSource::Stream(mut every) => {
            let path = every.path().to_string();
            let format = every.format();
            if text {
                print::events::write_header(out, &path, format, every.encoding.as_str())?;
            }
            for p in every.by_ref() {
                let events = Events {
                    path: &path,
                    format,
                    text: &p.text,
                    offset: p.offset,
                    events: &p.events,
                    redact,
                };
                piece(out, &events)?;
            }
            if text {
                print::events::write_footer(out, &every.notes(), every.records(), redact)?;
            }
        }
    }
    Ok(())
}
