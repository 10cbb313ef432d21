//! Hostile inputs (issue 12), built on the fly in small versions: each test
//! asserts the bound, the note or the redaction that keeps logscan safe on
//! input written to hurt it. One module per area.

use crate::common;

#[path = "hostile/memory.rs"]
mod memory;
#[path = "hostile/redaction.rs"]
mod redaction;
#[path = "hostile/rules_cli.rs"]
mod rules_cli;
#[path = "hostile/sources.rs"]
mod sources;
