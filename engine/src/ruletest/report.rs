//! Test results: what the runner found, file by file and case by case.
//!
//! These are plain values; `render` turns them into text, JSON or JUnit. This
//! module must never run anything or print.

/// One failure (or note) at a place in a test or rule file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The file the problem is about (a test file, a rule file or a fixture).
    pub path: String,
    /// 1-based; 0 when about the whole file.
    pub line: u32,
    /// 1-based; 0 when unknown.
    pub col: u32,
    /// `yaml`, `rule-load`, `input`, `missing`, `unexpected`, `key`, `status`,
    /// `occurrences`, `var`, `evidence`, `mutant`, `todo-fixed`, `unknown-rule`.
    pub kind: &'static str,
    pub message: String,
    pub expected: Option<String>,
    pub actual: Option<String>,
}

impl Problem {
    /// A problem with no expected/actual values.
    pub fn new(path: &str, line: u32, kind: &'static str, message: impl Into<String>) -> Problem {
        Problem {
            path: path.to_string(),
            line,
            col: 0,
            kind,
            message: message.into(),
            expected: None,
            actual: None,
        }
    }

    /// Adds expected and actual values.
    pub fn diff(mut self, expected: impl Into<String>, actual: impl Into<String>) -> Problem {
        self.expected = Some(expected.into());
        self.actual = Some(actual.into());
        self
    }

    /// `path:line` (or `path:line:col`, or `path`).
    pub fn location(&self) -> String {
        match (self.line, self.col) {
            (0, _) => self.path.clone(),
            (l, 0) => format!("{}:{l}", self.path),
            (l, c) => format!("{}:{l}:{c}", self.path),
        }
    }
}

/// How a case ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Pass,
    Fail,
    /// A `todo:` case that failed as expected.
    Todo(String),
    /// A `todo:` case that passed: the `todo:` must be removed (a failure).
    Fixed(String),
}

impl Outcome {
    pub fn as_str(&self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::Todo(_) => "todo",
            Outcome::Fixed(_) => "fixed",
        }
    }

    /// Whether the outcome fails the run.
    pub fn is_failure(&self) -> bool {
        matches!(self, Outcome::Fail | Outcome::Fixed(_))
    }
}

/// Which derived negative.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum MutationKind {
    Swap,
    ChangeKey,
    Shift,
}

impl MutationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MutationKind::Swap => "swap",
            MutationKind::ChangeKey => "change-key",
            MutationKind::Shift => "shift",
        }
    }

    pub const ALL: [MutationKind; 3] = [
        MutationKind::Swap,
        MutationKind::ChangeKey,
        MutationKind::Shift,
    ];
}

/// What a mutant did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MutantOutcome {
    /// The mutant yielded no confirmed finding of the rule and key.
    Killed,
    /// The mutant still matched: a failure.
    Survived(Problem),
    /// The mutation does not apply to this finding, and why.
    Skipped(String),
}

/// One derived negative of a case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MutantResult {
    pub kind: MutationKind,
    pub rule: String,
    /// `server=context7` style key text.
    pub key: String,
    pub outcome: MutantOutcome,
}

/// One case's result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseResult {
    pub name: String,
    pub line: u32,
    pub outcome: Outcome,
    /// The mismatches (for a todo case: why it still fails).
    pub problems: Vec<Problem>,
    pub mutants: Vec<MutantResult>,
}

impl CaseResult {
    /// Whether the case or one of its mutants fails the run.
    pub fn failed(&self) -> bool {
        self.outcome.is_failure()
            || self
                .mutants
                .iter()
                .any(|m| matches!(m.outcome, MutantOutcome::Survived(_)))
    }
}

/// One test file's result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileResult {
    pub path: String,
    /// File-level failures: broken YAML, schema errors, unknown rules.
    pub problems: Vec<Problem>,
    pub cases: Vec<CaseResult>,
}

/// Everything `rules test` found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TestReport {
    /// Run-level errors: rule load errors (path:line:col of the rule file),
    /// unreadable folders.
    pub errors: Vec<Problem>,
    pub files: Vec<FileResult>,
    /// Show skipped mutations and passing cases in text output.
    pub verbose: bool,
}

/// Counts for the summary line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub files: usize,
    pub cases: usize,
    pub passed: usize,
    pub failed: usize,
    pub todo: usize,
    pub mutants: usize,
    pub mutants_survived: usize,
    pub mutants_skipped: usize,
    /// File-level and rule-load problems.
    pub errors: usize,
}

impl TestReport {
    /// True if and only if nothing failed: no load or schema error, no failing
    /// case, no passing todo, no surviving mutant.
    pub fn passed(&self) -> bool {
        self.errors.is_empty()
            && self
                .files
                .iter()
                .all(|f| f.problems.is_empty() && f.cases.iter().all(|c| !c.failed()))
    }

    /// Totals over all files.
    pub fn counts(&self) -> Counts {
        let mut c = Counts {
            files: self.files.len(),
            errors: self.errors.len(),
            ..Counts::default()
        };
        for f in &self.files {
            c.errors += f.problems.len();
            for case in &f.cases {
                c.cases += 1;
                match case.outcome {
                    Outcome::Pass => c.passed += 1,
                    Outcome::Todo(_) => c.todo += 1,
                    Outcome::Fail | Outcome::Fixed(_) => c.failed += 1,
                }
                for m in &case.mutants {
                    match m.outcome {
                        MutantOutcome::Killed => c.mutants += 1,
                        MutantOutcome::Survived(_) => {
                            c.mutants += 1;
                            c.mutants_survived += 1;
                        }
                        MutantOutcome::Skipped(_) => c.mutants_skipped += 1,
                    }
                }
            }
        }
        c
    }
}
