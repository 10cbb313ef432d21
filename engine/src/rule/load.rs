//! Rule files: YAML in, validated [`CompiledRule`]s out, with every error named
//! by file, line and column.
//!
//! STUB: the rule-language helper replaces this module's internals; the public
//! signatures below are the contract.

use std::fmt;
use std::path::Path;

use crate::rule::ir::{CompiledRule, RuleSet};

/// One rule file's path (for messages) and contents.
#[derive(Clone, Debug)]
pub struct RuleFile {
    pub path: String,
    pub text: String,
}

/// A load error: where, what, and the offending YAML.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleError {
    pub path: String,
    /// 1-based; 0 when the error is about the whole file.
    pub line: u32,
    pub column: u32,
    pub message: String,
    /// The offending YAML lines, as written.
    pub snippet: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.path, self.line, self.column, self.message)
    }
}

/// Reads every rule file under `dir` (recursively; `*.test.yaml` and fixture folders skipped).
pub fn read_dir(dir: &Path) -> Result<Vec<RuleFile>, RuleError> {
    let _ = dir;
    Ok(Vec::new())
}

/// Parses, validates and compiles rule files into a rule set. All errors of all files are returned.
pub fn compile(files: &[RuleFile]) -> Result<RuleSet, Vec<RuleError>> {
    let _ = files;
    let rules: Vec<CompiledRule> = Vec::new();
    Ok(RuleSet {
        rules,
        prefilter: Default::default(),
    })
}
