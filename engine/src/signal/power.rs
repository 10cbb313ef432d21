//! Signal family stub: `power`, `clock_jump` (reader to be written).
use crate::event::EventRef;
use crate::signal::{Family, Kind, Signal};

/// `power`: the host slept, hibernated or resumed.
pub static POWER: Family = Family {
    kind: Kind::Power,
    name: "power",
    about: "the host slept, hibernated or resumed",
    fields: &["kind", "event_id", "provider"],
    literals: &[],
    read: read_power,
};

fn read_power<'a>(_ev: &EventRef<'a>, _out: &mut Vec<Signal<'a>>) {}

/// `clock_jump`: the clock was stepped or found far off.
pub static CLOCK_JUMP: Family = Family {
    kind: Kind::ClockJump,
    name: "clock_jump",
    about: "the clock was stepped or found far off",
    fields: &["seconds", "by"],
    literals: &[],
    read: read_clock_jump,
};

fn read_clock_jump<'a>(_ev: &EventRef<'a>, _out: &mut Vec<Signal<'a>>) {}
