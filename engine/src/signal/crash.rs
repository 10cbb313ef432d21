//! Signal family stub: `crash_trace` (reader to be written).
use crate::event::EventRef;
use crate::signal::{Family, Kind, Signal};

/// `crash_trace`: a program printed a crash: traceback, stack, panic.
pub static CRASH_TRACE: Family = Family {
    kind: Kind::CrashTrace,
    name: "crash_trace",
    about: "a program printed a crash: traceback, stack, panic",
    fields: &["lang", "exception", "detail"],
    literals: &[],
    read: read_crash_trace,
};

fn read_crash_trace<'a>(_ev: &EventRef<'a>, _out: &mut Vec<Signal<'a>>) {}
