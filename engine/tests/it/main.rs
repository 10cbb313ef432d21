//! Every integration test of this crate in one binary (one link, one run):
//! each file is a module, the shared helpers are modules of their own.

mod common;
mod parse_common;
mod source_common;

mod architecture;
mod decode_props;
mod evtx;
mod json_schema;
mod matcher_bounded;
mod matcher_fixtures;
mod matcher_props;
mod matcher_robust;
mod matcher_skew;
mod matcher_stream;
mod parse_configs;
mod parse_detect;
mod parse_formats;
mod parse_linux_wsl;
mod parse_paste;
mod parse_props;
mod parse_real;
mod parse_winevents;
mod rule_compile;
mod rule_diagnostics;
mod rule_errors;
mod rule_matcher;
mod rule_prefilter;
mod ruletest_runner;
mod source_archive;
mod source_props;
mod source_scan;
mod source_stream;
