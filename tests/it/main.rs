//! Every integration test of this crate in one binary (one link, one run):
//! each file is a module, the shared helpers are modules of their own.

mod common;

// The pure parts of the throughput harness and its generators, for `throughput_harness`
// (they name each other from the crate root, as in the bench).
#[allow(dead_code)]
#[path = "../../benches/throughput/args.rs"]
mod args;
#[allow(dead_code)]
#[path = "../../benches/gen/mod.rs"]
mod gen;
#[allow(dead_code)]
#[path = "../../benches/throughput/measure.rs"]
mod measure;
#[allow(dead_code)]
#[path = "../../benches/throughput/table.rs"]
mod table;

mod calibration;
mod causes_doc;
mod cli;
mod cli_conventions;
mod collect;
mod corpus;
mod each;
mod eval;
mod explain;
mod hostile;
mod html_browser;
mod html_report;
mod paste_damage;
mod rule_pack;
mod rules_new;
mod shared_evtx;
mod signal_literals;
mod signals_doc;
mod stream_equivalence;
mod throughput_harness;
