//! The library front door: an [`Engine`] holds compiled rules and options and
//! scans paths, readers, byte slices or fed records into a [`Report`].
//!
//! ```
//! use logscan_engine::Engine;
//!
//! let engine = Engine::builder().builtin_rules().build().expect("built-in rules compile");
//! let report = engine.scan_bytes("mcp.log", b"2025-06-03T07:23:52.664Z [error] [ctx] spawn npx ENOENT\n");
//! assert_eq!(report.schema, "logscan/report@1");
//! ```
//!
//! This module only wires the stages together; it never parses, matches or
//! formats by itself.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use crate::matcher::MatchOptions;
use crate::parse::{ParseOptions, ParsedSource};
use crate::progress::Progress;
use crate::rank::{self, Ranking};
use crate::report::{self, Report, ReportOptions};
use crate::rule::builtin;
use crate::rule::ir::RuleSet;
use crate::rule::load::{self, RuleError, RuleFile};
use crate::scan::{self, Analysis};
use crate::source::{self, InputError};
use crate::stream::{Cache, StreamConfig};
use crate::text::SourceText;

/// Why an engine could not be built.
#[derive(Debug)]
pub enum Error {
    /// Rule files failed to load; every error of every file.
    Rules(Vec<RuleError>),
    /// A rules folder could not be read.
    RulesDir { path: PathBuf, message: String },
    /// An unknown `--tz` zone.
    TimeZone { name: String, message: String },
    /// A pattern of [`EngineBuilder::only_rules`] matched no loaded rule.
    NoSuchRule {
        pattern: String,
        /// The closest rule id, when one is close.
        suggestion: Option<String>,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Rules(errs) => {
                for (i, e) in errs.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "{e}")?;
                }
                Ok(())
            }
            Error::RulesDir { path, message } => write!(f, "{}: {message}", path.display()),
            Error::TimeZone { name, message } => write!(f, "unknown time zone {name:?}: {message}"),
            Error::NoSuchRule {
                pattern,
                suggestion,
            } => {
                write!(f, "--rule {pattern}: no rule has this id")?;
                match suggestion {
                    Some(s) => write!(f, " (did you mean `{s}`?)"),
                    None => write!(f, " (`logscan rules list` shows the ids)"),
                }
            }
        }
    }
}

impl std::error::Error for Error {}

/// Builds an [`Engine`].
#[derive(Debug, Default)]
pub struct EngineBuilder {
    builtin: bool,
    dirs: Vec<PathBuf>,
    files: Vec<RuleFile>,
    tz: Option<String>,
    redact: Option<bool>,
    stream: Option<StreamConfig>,
    explain: bool,
    zone: Option<jiff::tz::TimeZone>,
    only: Vec<String>,
    skip: Vec<String>,
    window: crate::matcher::Window,
}

impl EngineBuilder {
    /// Counts, per rule and step, the records that match, so the report says
    /// why rules that came close did not match (`Report::explain`).
    pub fn explain(mut self, on: bool) -> Self {
        self.explain = on;
        self
    }

    /// Adds the built-in rule pack.
    pub fn builtin_rules(mut self) -> Self {
        self.builtin = true;
        self
    }

    /// Adds every rule file under `dir`.
    pub fn rules_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.dirs.push(dir.into());
        self
    }

    /// Adds one rule from text (`path` names it in messages).
    pub fn rule_text(mut self, path: impl Into<String>, text: impl Into<String>) -> Self {
        self.files.push(RuleFile {
            path: path.into(),
            text: text.into(),
        });
        self
    }

    /// The zone of timestamps written without a UTC offset (IANA name, e.g. `Europe/Berlin`).
    pub fn tz(mut self, zone: impl Into<String>) -> Self {
        self.tz = Some(zone.into());
        self
    }

    /// The zone of timestamps written without a UTC offset, as a zone value
    /// (a fixed offset, the system zone, a zone from the database); it wins over [`EngineBuilder::tz`].
    pub fn time_zone(mut self, zone: jiff::tz::TimeZone) -> Self {
        self.zone = Some(zone);
        self
    }

    /// Keeps only the rules whose id matches one of `patterns` (`*` any run of
    /// characters, `?` one character); building fails when a pattern matches no rule.
    /// Without a call (or with no pattern) every rule is kept.
    pub fn only_rules(mut self, patterns: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.only.extend(patterns.into_iter().map(Into::into));
        self
    }

    /// Drops the rules whose id matches one of `patterns` (globs as in
    /// [`EngineBuilder::only_rules`]; a pattern matching nothing is not an error).
    pub fn skip_rules(mut self, patterns: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.skip.extend(patterns.into_iter().map(Into::into));
        self
    }

    /// Matches only records inside `[since, until]` (ms since the Unix epoch,
    /// inclusive; `None` leaves an end open). Records without a timestamp are
    /// judged as [`crate::matcher::Window`] says (a config dump is always read).
    pub fn time_window(mut self, since: Option<i64>, until: Option<i64>) -> Self {
        self.window = crate::matcher::Window { since, until };
        self
    }

    /// Whether evidence text is redacted (default: yes).
    pub fn redact(mut self, on: bool) -> Self {
        self.redact = Some(on);
        self
    }

    /// Sets every size of the streaming scanner (tests use tiny chunks).
    pub fn stream_config(mut self, cfg: StreamConfig) -> Self {
        self.stream = Some(cfg);
        self
    }

    /// Loads and compiles the rules.
    pub fn build(self) -> Result<Engine, Error> {
        let mut files = Vec::new();
        if self.builtin {
            files.extend(builtin::files());
        }
        for d in &self.dirs {
            if !d.is_dir() {
                return Err(Error::RulesDir {
                    path: d.clone(),
                    message: "not a folder".into(),
                });
            }
            files.extend(load::read_dir(d).map_err(|e| Error::Rules(vec![e]))?);
        }
        files.extend(self.files);
        let mut rules = load::compile(&files).map_err(Error::Rules)?;
        select_rules(&mut rules, &self.only, &self.skip)?;
        let tz = match (self.zone, &self.tz) {
            (Some(zone), _) => Some(zone),
            (None, None) => None,
            (None, Some(name)) => {
                Some(jiff::tz::TimeZone::get(name).map_err(|e| Error::TimeZone {
                    name: name.clone(),
                    message: e.to_string(),
                })?)
            }
        };
        Ok(Engine {
            rules,
            parse: ParseOptions { tz, format: None },
            report: ReportOptions {
                redact: self.redact.unwrap_or(true),
            },
            stream: self.stream.unwrap_or_default(),
            cache: Cache::new(),
            limits: source::Limits::default(),
            matching: MatchOptions {
                explain: self.explain,
                window: self.window,
                ..MatchOptions::default()
            },
        })
    }
}

/// Keeps the rules `only` names (all when empty) less those `skip` names; a
/// pattern of `only` that names no rule is an error.
fn select_rules(rules: &mut RuleSet, only: &[String], skip: &[String]) -> Result<(), Error> {
    for p in only {
        if !rules.rules.iter().any(|r| glob(p, &r.id)) {
            let suggestion = rules
                .rules
                .iter()
                .map(|r| (crate::rule::suggest::distance(p, &r.id), &r.id))
                .filter(|(d, id)| *d <= (p.len().max(id.len()) / 3).max(1))
                .min()
                .map(|(_, id)| id.clone());
            return Err(Error::NoSuchRule {
                pattern: p.clone(),
                suggestion,
            });
        }
    }
    // The prefilter is indexed by predicate, not by rule: it stays valid.
    rules.rules.retain(|r| {
        (only.is_empty() || only.iter().any(|p| glob(p, &r.id)))
            && !skip.iter().any(|p| glob(p, &r.id))
    });
    Ok(())
}

/// Whether `text` matches `pattern` (`*` any run, `?` one character, the rest literal).
fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    // Iterative matching with one backtrack point (the last `*`).
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(&c) if c == '?' || Some(&c) == t.get(ti) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p[pi.min(p.len())..].iter().all(|&c| c == '*')
}

/// Compiled rules plus options; scans inputs into reports.
#[derive(Debug)]
pub struct Engine {
    rules: RuleSet,
    parse: ParseOptions,
    report: ReportOptions,
    stream: StreamConfig,
    /// Literal sets and finders of `rules`, shared by every scan.
    cache: Cache,
    limits: source::Limits,
    matching: MatchOptions,
}

/// A scan's report together with the inputs that could not be read.
#[derive(Debug)]
pub struct ScanResult {
    pub report: Report,
    pub errors: Vec<InputError>,
}

impl Engine {
    pub fn builder() -> EngineBuilder {
        EngineBuilder::default()
    }

    /// The compiled rules.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// Parse options in force (time zone).
    pub fn parse_options(&self) -> &ParseOptions {
        &self.parse
    }

    /// Scans files and folders (`-` is stdin) as one bundle.
    pub fn scan_paths(&self, paths: &[&Path]) -> ScanResult {
        self.scan_paths_with(paths, None)
    }

    /// [`Engine::scan_paths`], counting the bytes read into `progress` (for a
    /// front end to show; the sizes of the inputs whose size is known make its
    /// total).
    pub fn scan_paths_with(&self, paths: &[&Path], progress: Option<&Arc<Progress>>) -> ScanResult {
        let start = Instant::now();
        let (mut inputs, errors) = source::collect_inputs(paths, &self.limits);
        if let Some(p) = progress {
            for input in &mut inputs {
                if let source::Collected::Input(i) = input {
                    if let Some(n) = i.source.stored_len() {
                        p.add_total(n);
                    }
                    i.progress = Some(Arc::clone(p));
                }
            }
        }
        self.scan_collected(start, inputs, errors)
    }

    /// Scans one in-memory input as a file named `name` would be scanned (the name
    /// drives format detection; gzip and archives are unpacked; binary data is an
    /// `error` input).
    pub fn scan_bytes(&self, name: &str, bytes: &[u8]) -> Report {
        let start = Instant::now();
        let (inputs, errors) = source::inputs_of_bytes(name, bytes.to_vec(), &self.limits);
        self.scan_collected(start, inputs, errors).report
    }

    /// Scans everything `reader` yields as one input named `name`, as a file of
    /// those bytes would be scanned. The bytes are kept in a spool (a temporary
    /// file past a few MiB), never whole in memory.
    pub fn scan_reader(&self, name: &str, mut reader: impl Read) -> std::io::Result<Report> {
        let start = Instant::now();
        let source = source::ByteSource::spool_from(&mut reader)?;
        let (inputs, errors) = source::inputs_of_source(name, source, &self.limits);
        Ok(self.scan_collected(start, inputs, errors).report)
    }

    /// Scans a reader that can be read only once (a pipe, a socket) as one
    /// input named `name`: it is read lazily as the scan goes, once, and kept
    /// in a spool (a temporary file past a few MiB) for evidence, as stdin is.
    pub fn scan_pipe(&self, name: &str, reader: Box<dyn Read + Send>) -> Report {
        let start = Instant::now();
        let source = source::ByteSource::spool(reader);
        let (inputs, errors) = source::inputs_of_source(name, source, &self.limits);
        self.scan_collected(start, inputs, errors).report
    }

    /// Scans decoded sources as one bundle: a text that is its own bytes (valid
    /// UTF-8 from no file) is scanned as those bytes would be; others are parsed whole.
    pub fn scan_texts(&self, texts: Vec<SourceText>) -> Report {
        let start = Instant::now();
        let inputs = texts
            .into_iter()
            .map(|t| {
                if t.checkpoints.is_empty() && !t.decompressed && t.notes.is_empty() {
                    source::Collected::Input(source::Input::memory(t.path, t.text.into_bytes()))
                } else {
                    source::Collected::Text(t)
                }
            })
            .collect();
        self.scan_collected(start, inputs, Vec::new()).report
    }

    fn scan_collected(
        &self,
        start: Instant,
        inputs: Vec<source::Collected>,
        mut errors: Vec<InputError>,
    ) -> ScanResult {
        let run = scan::Run {
            rules: &self.rules,
            opts: &self.parse,
            cfg: self.stream,
            match_opts: &self.matching,
            cache: &self.cache,
            limits: &self.limits,
        };
        let (analysis, more) = run.analyze(inputs);
        errors.extend(more);
        let mut report = self.report_of(&analysis, &errors);
        report.stats.elapsed_ms = start.elapsed().as_millis() as u64;
        ScanResult { report, errors }
    }

    /// Parses and matches without ranking: for tools that want findings.
    pub fn analyze(&self, texts: Vec<SourceText>) -> Analysis {
        scan::analyze_with(&self.rules, texts, &self.parse, &self.matching)
    }

    /// Parses one source as the rules see it (for `logscan events`).
    pub fn parse(&self, text: SourceText) -> ParsedSource {
        crate::parse::parse(text, 0, &self.parse)
    }

    /// The inputs named by `paths` (`-` is stdin), unread, for [`Engine::events`].
    pub fn inputs(&self, paths: &[&Path]) -> (Vec<source::Collected>, Vec<InputError>) {
        source::collect_inputs(paths, &self.limits)
    }

    /// One input's records as the rules see them (for `logscan events`): every
    /// record, streamed in pieces unless its content must be read whole.
    pub fn events(&self, input: source::Collected) -> Result<EventSource, InputError> {
        let input = match input {
            source::Collected::Text(t) => return Ok(EventSource::Whole(self.parse(t))),
            source::Collected::Input(input) => input,
        };
        match crate::stream::every::Every::open(&input, 0, &self.parse) {
            Ok(every) => Ok(EventSource::Stream(every)),
            Err(crate::stream::Whole::Io(e)) => {
                Err(InputError::new(input.display, source::io_message(&e)))
            }
            Err(_) => {
                let name = input.name.clone();
                let text = source::read_whole(input, &self.limits)?;
                Ok(EventSource::Whole(scan::parse_named(
                    text,
                    &name,
                    0,
                    &self.parse,
                )))
            }
        }
    }

    /// Starts a stream: feed records (lines) of one named input, then [`RecordStream::finish`].
    pub fn stream(&self, name: &str) -> RecordStream<'_> {
        RecordStream {
            engine: self,
            name: name.to_string(),
            text: String::new(),
        }
    }

    fn report_of(&self, analysis: &Analysis, errors: &[InputError]) -> Report {
        let ranking: Ranking = rank::rank(&self.rules, &analysis.output.findings);
        report::build(&self.rules, analysis, errors, &ranking, self.report)
    }
}

/// One input's records, for [`Engine::events`].
pub enum EventSource {
    /// Read whole (a whole document, a rendered `.evtx`).
    Whole(ParsedSource),
    /// Streamed in pieces, each dropped before the next is read.
    Stream(crate::stream::every::Every),
}

/// Records fed one at a time by a caller (see [`Engine::stream`]).
///
/// Records are buffered and matched when the stream finishes: offsets in the
/// report are offsets into the concatenation of the fed records, each ended by `\n`.
pub struct RecordStream<'e> {
    engine: &'e Engine,
    name: String,
    text: String,
}

impl RecordStream<'_> {
    /// Adds one record (a line or a multi-line entry).
    pub fn push(&mut self, record: &str) {
        self.text.push_str(record);
        if !record.ends_with('\n') {
            self.text.push('\n');
        }
    }

    /// Matches everything fed and returns the report.
    pub fn finish(self) -> Report {
        let text = SourceText::identity(self.name, self.text);
        self.engine.scan_texts(vec![text])
    }
}

#[cfg(test)]
mod tests {
    use super::{glob, Engine, Error};

    #[test]
    fn globs_match_whole_ids() {
        assert!(glob("wsl-*", "wsl-nat-loopback.refused"));
        assert!(glob("*.spawn-enoent", "windows-npx-shim.spawn-enoent"));
        assert!(glob("a?c", "abc"));
        assert!(glob("*", ""));
        assert!(glob("a*b*c", "aXbYbZc"));
        assert!(!glob("wsl-*", "oom-kill.wsl"));
        assert!(!glob("abc", "abcd"));
        assert!(!glob("a?c", "ac"));
    }

    fn ids(b: super::EngineBuilder) -> Vec<String> {
        let e = b.build().expect("builds");
        e.rules().rules.iter().map(|r| r.id.clone()).collect()
    }

    #[test]
    fn only_and_skip_select_rules_by_glob() {
        let all = ids(Engine::builder().builtin_rules());
        let wsl: Vec<String> = all
            .iter()
            .filter(|i| i.starts_with("wsl-"))
            .cloned()
            .collect();
        assert!(!wsl.is_empty());
        assert_eq!(
            ids(Engine::builder().builtin_rules().only_rules(["wsl-*"])),
            wsl
        );
        let rest = ids(Engine::builder().builtin_rules().skip_rules(["wsl-*"]));
        assert_eq!(rest.len() + wsl.len(), all.len());
        assert!(rest.iter().all(|i| !i.starts_with("wsl-")));
        let first = wsl[0].clone();
        let one = ids(Engine::builder()
            .builtin_rules()
            .only_rules(["wsl-*"])
            .skip_rules(wsl[1..].to_vec()));
        assert_eq!(one, vec![first]);
    }

    #[test]
    fn an_unknown_rule_is_an_error_with_a_suggestion() {
        let all = ids(Engine::builder().builtin_rules());
        let id = all[0].clone();
        let typo = format!("{}x", id);
        let err = Engine::builder()
            .builtin_rules()
            .only_rules([typo.clone()])
            .build();
        match err {
            Err(Error::NoSuchRule {
                pattern,
                suggestion,
            }) => {
                assert_eq!(pattern, typo);
                assert_eq!(suggestion, Some(id));
            }
            other => panic!("expected NoSuchRule, got {other:?}"),
        }
        let far = Engine::builder()
            .builtin_rules()
            .only_rules(["zzzzzzzzzzzzzzzzzzzzzzzz"])
            .build();
        assert!(matches!(
            far,
            Err(Error::NoSuchRule {
                suggestion: None,
                ..
            })
        ));
    }
}
