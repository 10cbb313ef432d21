//! Signal family stub: `process_exited` (reader to be written).
use crate::event::EventRef;
use crate::signal::{Family, Kind, Signal};

/// `process_exited`: a process ended, with its exit code or the signal that ended it.
pub static PROCESS_EXITED: Family = Family {
    kind: Kind::ProcessExited,
    name: "process_exited",
    about: "a process ended, with its exit code or the signal that ended it",
    fields: &["code", "term_signal", "who"],
    literals: &[],
    read: read_process_exited,
};

fn read_process_exited<'a>(_ev: &EventRef<'a>, _out: &mut Vec<Signal<'a>>) {}
