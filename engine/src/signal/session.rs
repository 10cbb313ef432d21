//! Signal family stub: `session_lost` (reader to be written).
use crate::event::EventRef;
use crate::signal::{Family, Kind, Signal};

/// `session_lost`: an HTTP/SSE session was refused or forgotten by the server.
pub static SESSION_LOST: Family = Family {
    kind: Kind::SessionLost,
    name: "session_lost",
    about: "an HTTP/SSE session was refused or forgotten by the server",
    fields: &["http_status", "reason"],
    literals: &[],
    read: read_session_lost,
};

fn read_session_lost<'a>(_ev: &EventRef<'a>, _out: &mut Vec<Signal<'a>>) {}
