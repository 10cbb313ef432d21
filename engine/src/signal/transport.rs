//! Signal family stub: `transport_closed`, `request_timed_out` (reader to be written).
use crate::event::EventRef;
use crate::signal::{Family, Kind, Signal};

/// `transport_closed`: the client lost its connection to the server.
pub static TRANSPORT_CLOSED: Family = Family {
    kind: Kind::TransportClosed,
    name: "transport_closed",
    about: "the client lost its connection to the server",
    fields: &["how", "code"],
    literals: &[],
    read: read_transport_closed,
};

fn read_transport_closed<'a>(_ev: &EventRef<'a>, _out: &mut Vec<Signal<'a>>) {}

/// `request_timed_out`: a request (often initialize) got no answer in time.
pub static REQUEST_TIMED_OUT: Family = Family {
    kind: Kind::RequestTimedOut,
    name: "request_timed_out",
    about: "a request (often initialize) got no answer in time",
    fields: &["method", "after_ms", "code"],
    literals: &[],
    read: read_request_timed_out,
};

fn read_request_timed_out<'a>(_ev: &EventRef<'a>, _out: &mut Vec<Signal<'a>>) {}
