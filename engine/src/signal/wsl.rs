//! Signal family stub: `wsl_error` (reader to be written).
use crate::event::EventRef;
use crate::signal::{Family, Kind, Signal};

/// `wsl_error`: wsl.exe reported an error code or a known message.
pub static WSL_ERROR: Family = Family {
    kind: Kind::WslError,
    name: "wsl_error",
    about: "wsl.exe reported an error code or a known message",
    fields: &["code", "message_key"],
    literals: &[],
    read: read_wsl_error,
};

fn read_wsl_error<'a>(_ev: &EventRef<'a>, _out: &mut Vec<Signal<'a>>) {}
