//! Rule files: YAML in, validated [`CompiledRule`]s out, with every error named
//! by file, line and column.
//!
//! `read_dir` finds rule files; `compile` compiles each file (`rule::compile`),
//! checks what spans files (duplicate rule ids), numbers the predicates across
//! the set and builds the prefilter. This module never matches records.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::rule::compile::{self, Diag};
use crate::rule::ir::{CompiledRule, RecordPredicate, RuleSet};
use crate::rule::prefilter::Prefilter;
use crate::rule::yamlpos::Pos;

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

impl RuleError {
    /// An error at `pos` of `text`, with the line at `pos` as snippet.
    pub fn at(
        path: &str,
        text: &str,
        line: u32,
        column: u32,
        message: impl Into<String>,
    ) -> RuleError {
        let snippet = match line {
            0 => String::new(),
            n => text
                .lines()
                .nth(n as usize - 1)
                .unwrap_or("")
                .trim_end_matches('\r')
                .to_string(),
        };
        RuleError {
            path: path.to_string(),
            line,
            column,
            message: message.into(),
            snippet,
        }
    }

    fn from_diag(path: &str, text: &str, (pos, message): Diag) -> RuleError {
        RuleError::at(path, text, pos.line, pos.col, message)
    }
}

impl fmt::Display for RuleError {
    /// `path:line:col: message`, then the snippet with a caret under the column.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path, self.line, self.column, self.message
        )?;
        if self.snippet.is_empty() {
            return Ok(());
        }
        let num = self.line.to_string();
        let pad = " ".repeat(num.len());
        // Tabs keep their width under the caret; everything else becomes a space.
        let lead: String = self
            .snippet
            .chars()
            .take(self.column.saturating_sub(1) as usize)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        write!(f, "\n{pad} |\n{num} | {}\n{pad} | {lead}^", self.snippet)
    }
}

impl std::error::Error for RuleError {}

/// Reads every rule file under `dir`: recursively, sorted by path, `*.yaml` and
/// `*.yml` except `*.test.yaml` / `*.test.yml`, skipping folders named
/// `fixtures` or `*.fixtures` and hidden entries.
pub fn read_dir(dir: &Path) -> Result<Vec<RuleFile>, RuleError> {
    let mut paths = Vec::new();
    walk(dir, &mut paths)?;
    paths.sort();
    let mut out = Vec::with_capacity(paths.len());
    for p in paths {
        let display = p.display().to_string();
        let bytes = std::fs::read(&p).map_err(|e| {
            RuleError::at(&display, "", 0, 0, format!("cannot read rule file: {e}"))
        })?;
        let text = String::from_utf8(bytes)
            .map_err(|_| RuleError::at(&display, "", 0, 0, "rule file is not valid UTF-8"))?;
        let text = text
            .strip_prefix('\u{feff}')
            .map(str::to_string)
            .unwrap_or(text);
        out.push(RuleFile {
            path: display,
            text,
        });
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), RuleError> {
    let display = dir.display().to_string();
    let entries = std::fs::read_dir(dir)
        .map_err(|e| RuleError::at(&display, "", 0, 0, format!("cannot read rule folder: {e}")))?;
    for entry in entries {
        let entry = entry.map_err(|e| {
            RuleError::at(&display, "", 0, 0, format!("cannot read rule folder: {e}"))
        })?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        // Symlinked folders are not followed (no loops); symlinked files are read.
        let is_dir = entry.file_type().map(|t| t.is_dir()).unwrap_or(false);
        if is_dir {
            if name != "fixtures" && !name.ends_with(".fixtures") {
                walk(&path, out)?;
            }
        } else if is_rule_file(&name) {
            out.push(path);
        }
    }
    Ok(())
}

/// Whether a file name is a rule file (not a test sidecar).
pub fn is_rule_file(name: &str) -> bool {
    (name.ends_with(".yaml") || name.ends_with(".yml"))
        && !name.ends_with(".test.yaml")
        && !name.ends_with(".test.yml")
}

/// Parses, validates and compiles rule files into a rule set. All errors of all files are returned.
pub fn compile(files: &[RuleFile]) -> Result<RuleSet, Vec<RuleError>> {
    let mut preds: Vec<Arc<dyn RecordPredicate>> = Vec::new();
    let mut rules: Vec<CompiledRule> = Vec::new();
    let mut errors = Vec::new();
    let mut seen: HashMap<String, String> = HashMap::new();
    for file in files {
        match compile::compile_file(&file.path, &file.text, &mut preds) {
            Ok(c) => {
                if let Some(first) = seen.get(&c.rule.id) {
                    let Pos { line, col } = c.id_pos;
                    errors.push(RuleError::at(
                        &file.path,
                        &file.text,
                        line,
                        col,
                        format!(
                            "duplicate rule id `{}` (also defined in {first})",
                            c.rule.id
                        ),
                    ));
                } else {
                    seen.insert(c.rule.id.clone(), file.path.clone());
                }
                rules.push(c.rule);
            }
            Err(diags) => errors.extend(
                diags
                    .into_iter()
                    .map(|d| RuleError::from_diag(&file.path, &file.text, d)),
            ),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let refs: Vec<&dyn RecordPredicate> = preds.iter().map(|p| &**p).collect();
    let prefilter = Prefilter::build(&refs);
    Ok(RuleSet { rules, prefilter })
}
