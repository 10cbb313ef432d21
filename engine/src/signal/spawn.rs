//! Signal family stub: `spawn_failed` (reader to be written).
use crate::event::EventRef;
use crate::signal::{Family, Kind, Signal};

/// `spawn_failed`: a program could not be started.
pub static SPAWN_FAILED: Family = Family {
    kind: Kind::SpawnFailed,
    name: "spawn_failed",
    about: "a program could not be started",
    fields: &["program", "errno", "shape", "shim", "args", "syscall", "path"],
    literals: &[],
    read: read_spawn_failed,
};

fn read_spawn_failed<'a>(_ev: &EventRef<'a>, _out: &mut Vec<Signal<'a>>) {}
