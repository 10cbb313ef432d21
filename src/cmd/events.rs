//! `logscan events FILE`: the event stream as the rules see it.

use std::io::Write;
use std::path::Path;

use logscan_engine::{source, Engine};

use crate::cli::{EventsArgs, EventsFormat};
use crate::cmd::{error, ERROR, OK};
use crate::print;

pub fn run(args: EventsArgs) -> u8 {
    let engine = match crate::cmd::build(Engine::builder(), args.tz.as_ref()) {
        Ok(e) => e,
        Err(code) => return code,
    };
    let (texts, errors) = source::collect(&[Path::new(&args.file)]);
    for e in &errors {
        error(e);
    }
    let mut out = std::io::stdout().lock();
    for t in texts {
        let parsed = engine.parse(t);
        let r = match args.format {
            EventsFormat::Text => print::events::write_text(&mut out, &parsed),
            EventsFormat::Json => print::events::write_json(&mut out, &parsed),
        };
        if let Err(e) = r.and_then(|_| out.flush()) {
            if e.kind() != std::io::ErrorKind::BrokenPipe {
                error(e);
                return ERROR;
            }
            return OK;
        }
    }
    if errors.is_empty() {
        OK
    } else {
        ERROR
    }
}
