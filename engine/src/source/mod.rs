//! Sources: paths (files, folders, `.gz`) and stdin in, decoded [`SourceText`]s out.
//!
//! STUB: the input helper replaces this module's internals; `collect` is the contract.

use std::path::Path;

use crate::text::SourceText;

/// An input that could not be read; the scan goes on without it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Reads every input named by `paths` (`-` is stdin), walking folders recursively
/// in a sorted, deterministic order.
pub fn collect(paths: &[&Path]) -> (Vec<SourceText>, Vec<InputError>) {
    let mut out = Vec::new();
    let mut errs = Vec::new();
    for p in paths {
        match std::fs::read(p) {
            Ok(b) => out.push(SourceText::identity(
                p.display().to_string(),
                String::from_utf8_lossy(&b).into_owned(),
            )),
            Err(e) => errs.push(InputError {
                path: p.display().to_string(),
                message: e.to_string(),
            }),
        }
    }
    (out, errs)
}
