//! Signal family stub: `stdout_not_jsonrpc` (reader to be written).
use crate::event::EventRef;
use crate::signal::{Family, Kind, Signal};

/// `stdout_not_jsonrpc`: the client read text that is not JSON-RPC on the server's stdout.
pub static STDOUT_NOT_JSONRPC: Family = Family {
    kind: Kind::StdoutNotJsonrpc,
    name: "stdout_not_jsonrpc",
    about: "the client read text that is not JSON-RPC on the server's stdout",
    fields: &["text", "how"],
    literals: &[],
    read: read_stdout_not_jsonrpc,
};

fn read_stdout_not_jsonrpc<'a>(_ev: &EventRef<'a>, _out: &mut Vec<Signal<'a>>) {}
