//! Rule files: YAML in, validated [`CompiledRule`]s out, with every error named
//! by file, line and column.
//!
//! `read_dir` finds rule files; `compile` compiles each file (`rule::compile`),
//! checks what spans files (duplicate rule ids, `explains` cycles, the size
//! limits of `rule::limits`), numbers the predicates across the set and builds
//! the prefilter. This module never matches records.

use std::collections::HashMap;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::rule::compile::{self, Diag};
use crate::rule::cycles;
use crate::rule::ir::{CompiledRule, RecordPredicate, RuleSet};
use crate::rule::limits::{self, LiteralBytes, MAX_LITERAL_BYTES, MAX_RULE_FILE_BYTES};
use crate::rule::prefilter::Prefilter;
use crate::rule::yamlpos::Pos;

/// One rule file's path (for messages) and contents.
#[derive(Clone, Debug)]
pub struct RuleFile {
    pub path: String,
    pub text: String,
}

/// The longest snippet shown under an error (a hostile rule line can be megabytes).
pub const SNIPPET_CHARS: usize = 200;

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
    /// An error at `pos` of `text`, with the line at `pos` as snippet (its
    /// first [`SNIPPET_CHARS`] characters).
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
                .chars()
                .take(SNIPPET_CHARS)
                .collect(),
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
        let cannot = |e: std::io::Error| {
            RuleError::at(&display, "", 0, 0, format!("cannot read rule file: {e}"))
        };
        // Never more than one byte past the limit: a huge file is refused unread.
        let mut bytes = Vec::new();
        std::fs::File::open(&p)
            .and_then(|f| {
                f.take(MAX_RULE_FILE_BYTES as u64 + 1)
                    .read_to_end(&mut bytes)
            })
            .map_err(cannot)?;
        if bytes.len() > MAX_RULE_FILE_BYTES {
            return Err(too_large(&display));
        }
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

/// The error for a rule file over [`MAX_RULE_FILE_BYTES`].
fn too_large(path: &str) -> RuleError {
    RuleError::at(
        path,
        "",
        0,
        0,
        format!(
            "rule file is larger than the limit of {} (docs/rules.md, \"Limits\")",
            limits::size(MAX_RULE_FILE_BYTES)
        ),
    )
}

/// Parses, validates and compiles rule files into a rule set. All errors of all files are returned.
pub fn compile(files: &[RuleFile]) -> Result<RuleSet, Vec<RuleError>> {
    let mut preds: Vec<Arc<dyn RecordPredicate>> = Vec::new();
    let mut rules: Vec<CompiledRule> = Vec::new();
    // Per rule: its file (index into `files`) and where its `explains` entries are.
    let mut placed: Vec<(usize, Vec<Pos>)> = Vec::new();
    let mut errors = Vec::new();
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut literals = LiteralBytes::default();
    let mut literals_over = false;
    for (fi, file) in files.iter().enumerate() {
        if file.text.len() > MAX_RULE_FILE_BYTES {
            errors.push(too_large(&file.path));
            continue;
        }
        let first_pred = preds.len();
        match compile::compile_file(&file.path, &file.text, &mut preds) {
            Ok(c) => {
                let total = literals.add(&preds[first_pred..]);
                if total > MAX_LITERAL_BYTES && !literals_over {
                    literals_over = true;
                    errors.push(RuleError::at(
                        &file.path,
                        &file.text,
                        0,
                        0,
                        format!(
                            "with this file the rule set's literals (the distinct texts the prefilter looks for) reach {total} bytes, over the limit of {} (docs/rules.md, \"Limits\")",
                            limits::size(MAX_LITERAL_BYTES)
                        ),
                    ));
                }
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
                placed.push((fi, c.explains_pos));
            }
            Err(diags) => errors.extend(
                diags
                    .into_iter()
                    .map(|d| RuleError::from_diag(&file.path, &file.text, d)),
            ),
        }
    }
    for cycle in cycles::find(&rules) {
        let first = &cycle.edges[0];
        let (fi, positions) = &placed[first.rule];
        let file = &files[*fi];
        let Pos { line, col } = positions.get(first.entry).copied().unwrap_or_default();
        errors.push(RuleError::at(
            &file.path,
            &file.text,
            line,
            col,
            cycle.message,
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let refs: Vec<&dyn RecordPredicate> = preds.iter().map(|p| &**p).collect();
    let prefilter = Prefilter::build(&refs);
    Ok(RuleSet { rules, prefilter })
}
