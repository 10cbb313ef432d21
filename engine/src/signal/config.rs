//! Signal family stub: `config_entry` (reader to be written).
use crate::event::EventRef;
use crate::signal::{Family, Kind, Signal};

/// `config_entry`: a configured MCP server entry.
pub static CONFIG_ENTRY: Family = Family {
    kind: Kind::ConfigEntry,
    name: "config_entry",
    about: "a configured MCP server entry",
    fields: &["server", "command", "args", "transport", "scope", "file"],
    literals: &[],
    read: read_config_entry,
};

fn read_config_entry<'a>(_ev: &EventRef<'a>, _out: &mut Vec<Signal<'a>>) {}
