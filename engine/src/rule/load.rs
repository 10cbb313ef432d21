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

use annotate_snippets::{Level, Renderer, Snippet};

use crate::rule::compile::{self, Diag};
use crate::rule::cycles;
use crate::rule::ir::{CompiledRule, RecordPredicate, RuleSet};
use crate::rule::limits::{self, LiteralBytes, MAX_LITERAL_BYTES, MAX_RULE_FILE_BYTES};
use crate::rule::prefilter::Prefilter;
use crate::rule::yaml::Pos;

/// One rule file's path (for messages) and contents.
#[derive(Clone, Debug)]
pub struct RuleFile {
    pub path: String,
    pub text: String,
}

/// The longest snippet shown under an error (a hostile rule line can be megabytes).
pub const SNIPPET_CHARS: usize = 200;

/// How a tab of a snippet is shown (as annotate-snippets shows it).
const TAB: &str = "    ";

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
    /// How many characters of the snippet, from `column`, the underline spans (at least 1 with a snippet).
    pub len: u32,
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
        let len = token_len(&snippet, column);
        RuleError {
            path: path.to_string(),
            line,
            column,
            message: message.into(),
            snippet,
            len,
        }
    }

    fn from_diag(path: &str, text: &str, d: Diag) -> RuleError {
        let mut e = RuleError::at(path, text, d.pos.line, d.pos.col, d.message);
        if d.len > 0 && !e.snippet.is_empty() {
            let room = e.snippet.chars().count() as u32 + 1;
            e.len = d.len.min(room.saturating_sub(d.pos.col).max(1));
        }
        e
    }

    /// The error as a compiler prints it (`annotate-snippets`): `error:` and
    /// the message, the place (`--> path:line:col`), the line with the faulty
    /// token underlined by display width, and any "did you mean" as `help:`;
    /// with ANSI colours when `color` is set.
    pub fn render(&self, color: bool) -> String {
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let (what, help) = match self.message.split_once("; did you mean") {
            Some((what, rest)) => (what.to_string(), Some(format!("did you mean{rest}"))),
            None => (self.message.clone(), None),
        };
        // With no line to show (an error about the whole file, or at its
        // end), the title carries the place.
        let title = match self.snippet.is_empty() {
            false => what,
            true => format!("{} {what}", self.place()),
        };
        let mut message = Level::Error.title(&title);
        // annotate-snippets shows a tab as four spaces but places the
        // underline by bytes: expand the tabs here, and move the span with them.
        let source = self.snippet.replace('\t', TAB);
        if !self.snippet.is_empty() {
            let mut snippet = Snippet::source(&source)
                .line_start(self.line as usize)
                .origin(&self.path);
            if let Some(span) = self.byte_span() {
                let shift =
                    |at: usize| at + self.snippet[..at].matches('\t').count() * (TAB.len() - 1);
                snippet = snippet.annotation(Level::Error.span(shift(span.start)..shift(span.end)));
            }
            message = message.snippet(snippet);
        }
        if let Some(help) = &help {
            message = message.footer(Level::Help.title(help));
        }
        let rendered = renderer.render(message).to_string();
        rendered
    }

    /// `path:line:col:`, `path:line:` or `path:` (an error about the whole file).
    fn place(&self) -> String {
        match (self.line, self.column) {
            (0, _) => format!("{}:", self.path),
            (l, 0) => format!("{}:{l}:", self.path),
            (l, c) => format!("{}:{l}:{c}:", self.path),
        }
    }

    /// The underlined bytes of the snippet: `len` characters from `column`
    /// (the whole line when the error names no column).
    fn byte_span(&self) -> Option<std::ops::Range<usize>> {
        if self.snippet.is_empty() {
            return None;
        }
        if self.column == 0 {
            return Some(0..self.snippet.len());
        }
        let byte_at = |chars: usize| {
            self.snippet
                .char_indices()
                .nth(chars)
                .map_or(self.snippet.len(), |(i, _)| i)
        };
        let from = byte_at(self.column as usize - 1);
        let to = byte_at((self.column - 1 + self.len.max(1)) as usize);
        Some(from..to.max(from))
    }
}

/// The length in characters of the YAML token that starts at 1-based `column`
/// of `line`: a quoted scalar with its quotes, a flow collection with its
/// brackets, a `{placeholder}`, or a plain scalar up to the first `:`, `,`,
/// `|`, bracket or comment. At least 1.
pub fn token_len(line: &str, column: u32) -> u32 {
    let chars: Vec<char> = line
        .chars()
        .skip(column.saturating_sub(1) as usize)
        .collect();
    let n = match chars.first() {
        None => 1,
        Some(&q @ ('\'' | '"')) => {
            let mut i = 1;
            loop {
                match chars.get(i) {
                    None => break i,
                    Some('\\') if q == '"' => i += 2,
                    Some(&c) if c == q => {
                        if q == '\'' && chars.get(i + 1) == Some(&'\'') {
                            i += 2;
                        } else {
                            break i + 1;
                        }
                    }
                    Some(_) => i += 1,
                }
            }
        }
        Some(&open @ ('[' | '{')) => {
            let close = if open == '[' { ']' } else { '}' };
            let mut depth = 0usize;
            let mut end = chars.len();
            for (i, &c) in chars.iter().enumerate() {
                if c == open {
                    depth += 1;
                } else if c == close {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        end = i + 1;
                        break;
                    }
                }
            }
            end
        }
        Some(_) => {
            let mut end = chars.len();
            for (i, &c) in chars.iter().enumerate() {
                let next = chars.get(i + 1).copied();
                let stop = matches!(c, ',' | ']' | '}' | '|')
                    || (c == ':' && next.is_none_or(char::is_whitespace))
                    || (c == '#' && i > 0 && chars[i - 1].is_whitespace());
                if stop {
                    end = i;
                    break;
                }
            }
            chars[..end]
                .iter()
                .rposition(|c| !c.is_whitespace())
                .map_or(1, |p| p + 1)
        }
    };
    u32::try_from(n.max(1)).unwrap_or(u32::MAX)
}

impl fmt::Display for RuleError {
    /// One line, `path:line:col: message` (`path:` alone for an error about
    /// the whole file), for logs and for tools that read `file:line:col`;
    /// [`RuleError::render`] is the form with the snippet.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.place(), self.message)
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
