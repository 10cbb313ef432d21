//! Correlation: every positive, keyed step must be able to bind each
//! `correlate.by` variable (a named regex group in every branch, a key alias,
//! or a field the parsers fill under that name).
//!
//! This module only checks; the matcher binds.

use super::compiler::RuleCompiler;
use super::steps::StepInfo;
use crate::rule::ir::Step;
use crate::rule::yaml::Seg;

/// Fields the parsers fill that can bind a correlation variable of the same name.
pub const WELL_KNOWN_FIELDS: &[&str] = &[
    "server", "pid", "path", "command", "method", "id", "provider", "event_id", "channel",
    "section", "key", "value",
];

/// Checks that every keyed positive step binds every `by` variable.
pub(super) fn check_correlation(
    compiler: &mut RuleCompiler<'_>,
    by: &[String],
    steps: &[Step],
    infos: &[StepInfo],
) {
    for (i, (step, info)) in steps.iter().zip(infos).enumerate() {
        if step.absent || step.broadcast {
            continue;
        }
        for var in by {
            if WELL_KNOWN_FIELDS.contains(&var.as_str()) {
                continue;
            }
            if info.binds.is_empty() || info.binds.iter().any(|binds| !binds.contains(var)) {
                let pos = compiler.key_pos(&[Seg::Key("steps"), Seg::Index(i)]);
                compiler.err(
                    pos,
                    format!("step `{}` cannot bind correlation variable `{var}`: add a named group `(?P<{var}>...)` to every alternative, a key alias `key: {{{var}: field}}`, or `key: none`", step.id),
                );
            }
        }
    }
}
