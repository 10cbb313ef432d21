//! Signal family stub: `connect_failed` (reader to be written).
use crate::event::EventRef;
use crate::signal::{Family, Kind, Signal};

/// `connect_failed`: a network connection could not be made.
pub static CONNECT_FAILED: Family = Family {
    kind: Kind::ConnectFailed,
    name: "connect_failed",
    about: "a network connection could not be made",
    fields: &["host", "port", "loopback", "errno", "curl_code", "http_status"],
    literals: &[],
    read: read_connect_failed,
};

fn read_connect_failed<'a>(_ev: &EventRef<'a>, _out: &mut Vec<Signal<'a>>) {}
