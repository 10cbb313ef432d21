//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Diagnose MCP client, WSL and Windows support logs: ranked causes with evidence, explanation and fix.
#[derive(Debug, Parser)]
#[command(name = "logscan", version, about, max_term_width = 100)]
pub struct Cli {
    /// When to use colour.
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan logs (files, folders, .gz, `-` for stdin) as one bundle and rank the likely causes.
    Scan(ScanArgs),
    /// Test, check, list and explain rules.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Print the event stream of a file as the rules see it, with the signals of each event.
    Events(EventsArgs),
    /// Measure the diagnosis on labelled cases: the `diagnosable` split, top-1/top-3 accuracy,
    /// wrong `likely` verdicts, confusion, per-rule precision.
    Eval(EvalArgs),
    /// Print a shell completion script: bash, zsh, fish, powershell or elvish.
    ///
    /// For example `logscan completions bash > ~/.local/share/bash-completion/completions/logscan`.
    Completions(CompletionsArgs),
    /// Print the man page (roff) to stdout.
    ///
    /// For example `logscan man | man -l -`, or `logscan man > /usr/local/share/man/man1/logscan.1`.
    Man,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Reads `--threads`: a whole number, 0 for one per core (as ripgrep reads it).
fn threads(s: &str) -> Result<usize, String> {
    s.trim()
        .parse::<usize>()
        .map_err(|_| "expected a whole number of threads (0 for one per core)".to_string())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
    Jsonl,
    /// One self-contained HTML file: causes, evidence and a timeline.
    Html,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Likely,
    Possible,
}

/// Rule selection shared by `scan` and `rules list/explain`.
#[derive(Debug, Args)]
pub struct RuleArgs {
    /// Add the rules in this folder (repeatable).
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Vec<PathBuf>,
    /// Do not load the built-in rule pack.
    #[arg(long)]
    pub no_builtin: bool,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files, folders (walked recursively), .gz files, or `-` for stdin.
    #[arg(value_name = "PATH", required_unless_present = "each")]
    pub paths: Vec<PathBuf>,
    /// Batch mode: scan every child folder, .zip, .tar, .tar.gz/.tgz and .gz of DIR as its own
    /// bundle; one JSON line per bundle, then a summary of causes.
    #[arg(long, value_name = "DIR", conflicts_with = "paths")]
    pub each: Option<PathBuf>,
    /// Output format [default: text; jsonl with --each].
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Run only the rules whose id matches (repeatable; globs: `wsl-*`, `*.spawn-enoent`).
    #[arg(long = "rule", value_name = "ID")]
    pub rule: Vec<String>,
    /// Skip the rules whose id matches (repeatable; globs as for --rule).
    #[arg(long = "exclude-rule", value_name = "ID")]
    pub exclude_rule: Vec<String>,
    /// Write the report to FILE instead of stdout (never coloured).
    #[arg(short = 'o', long, value_name = "FILE", conflicts_with = "quiet")]
    pub output: Option<PathBuf>,
    /// Print no report: only the exit code tells (with --fail-on); errors still go to stderr.
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// Exit with status 1 when a cause with this verdict (or better) is found.
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Match only records at or after TIME (RFC 3339, or `YYYY-MM-DD[ HH:MM[:SS]]` in --tz or UTC).
    /// Records without any timestamp are always read.
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Match only records at or before TIME (same forms as --since).
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,
    /// Time zone of timestamps written without an offset: `local`, an offset (`+02:00`, `-0530`,
    /// `Z`) or an IANA name (`Europe/Berlin`). Default: UTC.
    #[arg(long, value_name = "ZONE", allow_hyphen_values = true)]
    pub tz: Option<String>,
    /// Show secrets (in evidence, diagnosis text, notes) instead of [REDACTED].
    #[arg(long)]
    pub no_redact: bool,
    /// Worker threads; 0 (the default) is one per core. The output is the same for any value.
    #[arg(long, value_name = "N", value_parser = threads)]
    pub threads: Option<usize>,
    /// Also say why rules that came close did not match: per rule, the deepest step reached,
    /// what was missing and how many records matched each step.
    #[arg(long)]
    pub explain: bool,
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Run every <rule>.test.yaml under the folders (default: rules/).
    Test(RulesTestArgs),
    /// Validate rule files without running them (default: the built-in pack).
    Check(RulesCheckArgs),
    /// List the rules: id, cause, confidence, severity, title.
    List(RulesListArgs),
    /// Show everything about one rule.
    Explain(ExplainArgs),
    /// Print the literals the prefilter searches for, one per line (for benchmarks and rule authors).
    Literals(RuleArgs),
    /// Write a new rule CAUSE.NAME, its test file and a fixture that pass `rules test` as written.
    New(RulesNewArgs),
    /// Print the JSON Schema of rule files or of rule test files (for editors; also in schema/).
    Schema(RulesSchemaArgs),
}

#[derive(Debug, Args)]
pub struct RulesSchemaArgs {
    /// Which file kind: `rule` (rules/**/*.yaml) or `test` (*.test.yaml).
    #[arg(value_enum, default_value_t = SchemaKind::Rule)]
    pub kind: SchemaKind,
}

/// The file kinds `rules schema` describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// A rule file.
    Rule,
    /// A rule test file.
    Test,
}

#[derive(Debug, Args)]
pub struct RulesNewArgs {
    /// The rule id: CAUSE.NAME (lowercase letters, digits and hyphens).
    pub id: String,
    /// The folder to write into (created when missing).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct RulesListArgs {
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Output format: aligned columns under a header, or one JSON array.
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

/// How `rules list` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// Aligned columns under a header line.
    Text,
    /// One JSON array of `{id, cause, confidence, severity, title, sources, path, line}`.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TestFormat {
    Text,
    Json,
    Junit,
}

#[derive(Debug, Args)]
pub struct RulesTestArgs {
    /// Folders holding rules and their tests.
    #[arg(value_name = "DIR", default_value = "rules")]
    pub dirs: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TestFormat::Text)]
    pub format: TestFormat,
    /// Also load the built-in rules (for tests of rules that build on them).
    #[arg(long)]
    pub builtin: bool,
    /// List passing cases and skipped mutations too.
    #[arg(long, short)]
    pub verbose: bool,
    /// Run only the cases whose name contains this text.
    #[arg(long, value_name = "TEXT")]
    pub filter: Option<String>,
}

#[derive(Debug, Args)]
pub struct RulesCheckArgs {
    /// Folders of rule files; without one, the built-in pack is checked.
    #[arg(value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The rule id (or a cause id: every rule of that cause).
    pub id: String,
    #[command(flatten)]
    pub rules: RuleArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EventsFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct EventsArgs {
    /// The file to read (`-` for stdin).
    pub file: PathBuf,
    #[arg(long, value_enum, default_value_t = EventsFormat::Text)]
    pub format: EventsFormat,
    /// Write the events to FILE instead of stdout.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Time zone of timestamps written without an offset: `local`, an offset (`+02:00`) or an
    /// IANA name.
    #[arg(long, value_name = "ZONE", allow_hyphen_values = true)]
    pub tz: Option<String>,
    /// Show secrets in the printed events instead of [REDACTED].
    #[arg(long)]
    pub no_redact: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EvalFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Case folders (with case.yaml or expected.yaml) or folders of them.
    #[arg(value_name = "DIR", required = true)]
    pub dirs: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = EvalFormat::Text)]
    pub format: EvalFormat,
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Time zone of timestamps written without an offset: `local`, an offset (`+02:00`) or an
    /// IANA name. Default: UTC.
    #[arg(long, value_name = "ZONE", allow_hyphen_values = true)]
    pub tz: Option<String>,
    /// Exit 1 when the headline top-1 accuracy is below F (0 to 1).
    #[arg(long, value_name = "F")]
    pub min_top1: Option<f64>,
    /// Exit 1 when the rate of wrong `likely` verdicts is above F (0 to 1).
    #[arg(long, value_name = "F")]
    pub max_wrong_likely: Option<f64>,
    /// Exit 1 when top-1 on the `diagnosable: yes` cases is below F (0 to 1).
    #[arg(long, value_name = "F")]
    pub min_yes_top1: Option<f64>,
    /// Exit 1 when top-3 on the `diagnosable: partial` cases is below F (0 to 1).
    #[arg(long, value_name = "F")]
    pub min_partial_top3: Option<f64>,
    /// Exit 1 when the share of `none`/`other` cases without a `likely` cause is below F (0 to 1).
    #[arg(long, value_name = "F")]
    pub min_clean: Option<f64>,
}
