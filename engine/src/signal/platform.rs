//! Signal family stub: `platform`, `versions` (reader to be written).
use crate::event::EventRef;
use crate::signal::{Family, Kind, Signal};

/// `platform`: what the log shows of the OS the client runs on.
pub static PLATFORM: Family = Family {
    kind: Kind::Platform,
    name: "platform",
    about: "what the log shows of the OS the client runs on",
    fields: &["os", "evidence", "windows_build"],
    literals: &[],
    read: read_platform,
};

fn read_platform<'a>(_ev: &EventRef<'a>, _out: &mut Vec<Signal<'a>>) {}

/// `versions`: a version of WSL, Windows, the kernel or the client.
pub static VERSIONS: Family = Family {
    kind: Kind::Versions,
    name: "versions",
    about: "a version of WSL, Windows, the kernel or the client",
    fields: &["component", "version"],
    literals: &[],
    read: read_versions,
};

fn read_versions<'a>(_ev: &EventRef<'a>, _out: &mut Vec<Signal<'a>>) {}
