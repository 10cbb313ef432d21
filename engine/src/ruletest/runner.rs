//! The runner: finds test files and rules, runs every case and its mutants.
//!
//! For each `*.test.yaml` under the given folders (sorted), every case's
//! inputs are read (`source::collect` for files, so encodings and `.gz` work;
//! inline text as is), parsed, matched against the rule set loaded from the
//! same folders, and compared with the expectations. All failures of all
//! files are collected; nothing stops at the first. This module must never
//! print and never panic on a test file, fixture or rule.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::finding::{Finding, Status};
use crate::matcher;
use crate::parse::{self, ParseOptions, ParsedSource};
use crate::rule::builtin;
use crate::rule::ir::RuleSet;
use crate::rule::load::{self, RuleError, RuleFile};
use crate::ruletest::compare::{self, key_text, Actual};
use crate::ruletest::mutate;
use crate::ruletest::report::{
    CaseResult, FileResult, MutantOutcome, MutantResult, MutationKind, Outcome, Problem, TestReport,
};
use crate::ruletest::schema::{self, Case, InputSource, TestFile};
use crate::source;
use crate::text::SourceText;

/// Options of a `rules test` run.
#[derive(Clone, Debug, Default)]
pub struct RunOptions {
    /// Load the built-in rule pack besides the rules under the folders.
    pub builtin: bool,
    /// Keep notes on skipped mutations and list passing cases in text output.
    pub verbose: bool,
    /// Run only cases whose name contains this text.
    pub filter: Option<String>,
}

/// Runs every test file under `dirs` (a test file path may be given directly).
pub fn run(dirs: &[&Path], extra: RunOptions) -> TestReport {
    let mut report = TestReport {
        verbose: extra.verbose,
        ..TestReport::default()
    };
    let mut tests = BTreeSet::new();
    let mut rule_dirs = BTreeSet::new();
    for d in dirs {
        if d.is_dir() {
            walk(d, &mut tests);
            rule_dirs.insert(d.to_path_buf());
        } else if d.is_file() {
            tests.insert(d.to_path_buf());
            rule_dirs.insert(d.parent().unwrap_or(Path::new(".")).to_path_buf());
        } else {
            report.errors.push(Problem::new(
                &d.display().to_string(),
                0,
                "input",
                "no such file or folder",
            ));
        }
    }
    let rules = load_rules(&rule_dirs, extra.builtin, &mut report.errors);
    for path in tests {
        report.files.push(run_file(&path, &rules, &extra));
    }
    report
}

/// Collects `*.test.yaml` files under `dir`, skipping hidden entries and
/// symlinked folders (a linked test file is read); what cannot be read is
/// left out.
fn walk(dir: &Path, out: &mut BTreeSet<PathBuf>) {
    let hidden = |entry: &walkdir::DirEntry| {
        entry.depth() > 0 && entry.file_name().to_string_lossy().starts_with('.')
    };
    // Links below `dir` are not followed, so a link loop cannot recurse forever.
    let entries = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .filter_entry(|entry| !hidden(entry));
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy();
        let test_file = name.ends_with(".test.yaml") || name.ends_with(".test.yml");
        if test_file && !entry.file_type().is_dir() {
            out.insert(entry.into_path());
        }
    }
}

fn rule_problem(e: &RuleError) -> Problem {
    let mut message = e.message.clone();
    if !e.snippet.trim().is_empty() {
        message.push('\n');
        message.push_str(e.snippet.trim_end());
    }
    Problem {
        col: e.column,
        ..Problem::new(&e.path, e.line, "rule-load", message)
    }
}

/// Loads the rule files under `dirs` (and the built-in pack); a file with errors
/// is reported and left out, the others still load.
fn load_rules(dirs: &BTreeSet<PathBuf>, builtin: bool, errors: &mut Vec<Problem>) -> RuleSet {
    let mut files: Vec<RuleFile> = Vec::new();
    for d in dirs {
        match load::read_dir(d) {
            Ok(fs) => files.extend(fs),
            Err(e) => errors.push(rule_problem(&e)),
        }
    }
    if builtin {
        files.extend(builtin::files());
    }
    let mut seen = BTreeSet::new();
    files.retain(|f| seen.insert(f.path.clone()));
    match load::compile(&files) {
        Ok(set) => set,
        Err(errs) => {
            errors.extend(errs.iter().map(rule_problem));
            let bad: BTreeSet<&str> = errs.iter().map(|e| e.path.as_str()).collect();
            let good: Vec<RuleFile> = files
                .iter()
                .filter(|f| !bad.contains(f.path.as_str()))
                .cloned()
                .collect();
            match load::compile(&good) {
                Ok(set) => set,
                Err(more) => {
                    errors.extend(more.iter().map(rule_problem));
                    load::compile(&[]).unwrap_or_else(|_| RuleSet {
                        rules: Vec::new(),
                        prefilter: Default::default(),
                    })
                }
            }
        }
    }
}

fn run_file(path: &Path, rules: &RuleSet, opts: &RunOptions) -> FileResult {
    let shown = path.display().to_string();
    let mut result = FileResult {
        path: shown.clone(),
        problems: Vec::new(),
        cases: Vec::new(),
    };
    let text = match std::fs::read(path) {
        Ok(b) => String::from_utf8_lossy(&b).into_owned(),
        Err(e) => {
            result.problems.push(Problem::new(
                &shown,
                0,
                "input",
                format!("cannot read: {e}"),
            ));
            return result;
        }
    };
    let file = match schema::parse(&text) {
        Ok(f) => f,
        Err(errs) => {
            result.problems.extend(errs.into_iter().map(|e| Problem {
                col: e.col,
                ..Problem::new(&shown, e.line, "schema", e.message)
            }));
            return result;
        }
    };
    for id in &file.rules {
        if !rules.rules.iter().any(|r| &r.id == id) {
            result.problems.push(Problem::new(
                &shown,
                file.rules_line,
                "unknown-rule",
                format!("rule `{id}` is not loaded (not found, or it failed to load)"),
            ));
        }
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    for case in &file.cases {
        if let Some(f) = &opts.filter {
            if !case.name.contains(f.as_str()) {
                continue;
            }
        }
        result.cases.push(run_case(&shown, dir, &file, case, rules));
    }
    result
}

/// Reads and parses a case's inputs; problems are reported at the input's line.
fn read_inputs(
    test: &str,
    dir: &Path,
    case: &Case,
    tz: Option<&jiff::tz::TimeZone>,
    problems: &mut Vec<Problem>,
) -> Vec<ParsedSource> {
    let mut sources = Vec::new();
    for input in &case.inputs {
        let texts: Vec<SourceText> = match &input.source {
            InputSource::Inline { name, text } => {
                vec![SourceText::identity(name.clone(), text.clone())]
            }
            InputSource::Path(p) => {
                let full = dir.join(p);
                let (texts, errs) = source::collect(&[full.as_path()]);
                let failed = !errs.is_empty();
                for e in errs {
                    problems.push(Problem::new(
                        test,
                        input.line,
                        "input",
                        format!("fixture {p}: {}", e.message),
                    ));
                }
                if texts.is_empty() && !failed {
                    problems.push(Problem::new(
                        test,
                        input.line,
                        "input",
                        format!("fixture {p}: nothing to read"),
                    ));
                }
                texts
            }
        };
        let popts = ParseOptions {
            tz: tz.cloned(),
            format: input.format.clone(),
        };
        for t in texts {
            let id = u32::try_from(sources.len()).unwrap_or(u32::MAX);
            sources.push(parse::parse(t, id, &popts));
        }
    }
    sources
}

fn time_zone(name: &str) -> Result<jiff::tz::TimeZone, String> {
    if name.eq_ignore_ascii_case("utc") || name.eq_ignore_ascii_case("z") {
        return Ok(jiff::tz::TimeZone::UTC);
    }
    jiff::tz::TimeZone::get(name).map_err(|e| format!("unknown time zone `{name}`: {e}"))
}

fn run_case(test: &str, dir: &Path, file: &TestFile, case: &Case, rules: &RuleSet) -> CaseResult {
    let mut problems = Vec::new();
    let tz = match case.tz.as_deref().map(time_zone) {
        None => None,
        Some(Ok(tz)) => Some(tz),
        Some(Err(e)) => {
            problems.push(Problem::new(test, case.line, "input", e));
            None
        }
    };
    let sources = read_inputs(test, dir, case, tz.as_ref(), &mut problems);
    let mut mutants = Vec::new();
    if problems.is_empty() {
        let under_test = |f: &Finding| {
            rules
                .rules
                .get(f.rule)
                .is_some_and(|r| file.rules.contains(&r.id))
        };
        let output = matcher::run(rules, &sources);
        let findings: Vec<&Finding> = output.findings.iter().filter(|f| under_test(f)).collect();
        let actual: Vec<Actual> = findings
            .iter()
            .map(|f| compare::resolve(f, rules, &sources))
            .collect();
        let (mismatches, pairs) = compare::compare(test, case.line, &case.expect, &actual);
        problems.extend(mismatches);
        if case.mutate && case.todo.is_none() {
            for (ei, ai) in pairs {
                let (Some(exp), Some(f)) = (case.expect.get(ei), findings.get(ai)) else {
                    continue;
                };
                if exp.status == Status::Confirmed && f.status == Status::Confirmed {
                    mutants.extend(run_mutants(test, case, rules, f, &sources, tz.as_ref()));
                }
            }
        }
    }
    let outcome = match (&case.todo, problems.is_empty()) {
        (None, true) => Outcome::Pass,
        (None, false) => Outcome::Fail,
        (Some(why), false) => Outcome::Todo(why.clone()),
        (Some(why), true) => {
            problems.push(Problem::new(
                test,
                case.line,
                "todo-fixed",
                "the case passes now: remove its `todo:`",
            ));
            Outcome::Fixed(why.clone())
        }
    };
    CaseResult {
        name: case.name.clone(),
        line: case.line,
        outcome,
        problems,
        mutants,
    }
}

fn run_mutants(
    test: &str,
    case: &Case,
    rules: &RuleSet,
    finding: &Finding,
    sources: &[ParsedSource],
    tz: Option<&jiff::tz::TimeZone>,
) -> Vec<MutantResult> {
    let Some(rule) = rules.rules.get(finding.rule) else {
        return Vec::new();
    };
    if rule.steps.iter().filter(|s| !s.absent).count() < 2 {
        return Vec::new();
    }
    let key: std::collections::BTreeMap<String, String> = finding.key.iter().cloned().collect();
    let key_shown = key_text(&key);
    let result = |kind, outcome| MutantResult {
        kind,
        rule: rule.id.clone(),
        key: key_shown.clone(),
        outcome,
    };
    let plan = match mutate::plan(rule, finding) {
        Ok(p) => p,
        Err(why) => {
            return MutationKind::ALL
                .iter()
                .map(|&k| result(k, MutantOutcome::Skipped(why.clone())))
                .collect()
        }
    };
    MutationKind::ALL
        .iter()
        .map(|&kind| {
            let mutant = match mutate::apply(kind, &plan, sources, tz) {
                Ok(m) => m,
                Err(why) => return result(kind, MutantOutcome::Skipped(why)),
            };
            let out = matcher::run(rules, &mutant);
            let survivor = out.findings.iter().find(|f| {
                f.rule == finding.rule && f.status == Status::Confirmed && f.key == finding.key
            });
            match survivor {
                None => result(kind, MutantOutcome::Killed),
                Some(f) => {
                    let shown = compare::resolve(f, rules, &mutant).describe();
                    result(
                        kind,
                        MutantOutcome::Survived(
                            Problem::new(
                                test,
                                case.line,
                                "mutant",
                                format!(
                                    "derived negative `{}` of case {:?} still matches {} {key_shown}",
                                    kind.as_str(),
                                    case.name,
                                    rule.id
                                ),
                            )
                            .diff("no confirmed finding", shown),
                        ),
                    )
                }
            }
        })
        .collect()
}
