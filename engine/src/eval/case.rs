//! Finding and loading labelled cases.
//!
//! A case folder holds either `case.yaml` (a real-case label: `expect:`,
//! `cause_confidence:` and `diagnosable:`, other fields ignored; every other
//! entry of the folder is the bundle) or `expected.yaml` (a corpus case:
//! `expect: {causes: [...]}`, an optional `diagnosable:` that defaults to
//! `yes`, the bundle in `bundle/`). A folder that is neither is a folder of cases: its
//! child folders, in name order. This module must never panic on a bad case
//! file: every problem is an error message for that one case.

use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::eval::outcome::{Confidence, Diagnosable, Label};
use crate::rank::Verdict;

/// The label file of a real case.
pub const CASE_FILE: &str = "case.yaml";
/// The label file of a corpus case.
pub const EXPECTED_FILE: &str = "expected.yaml";

/// A folder to evaluate as one case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseDir {
    /// The folder's own name.
    pub name: String,
    pub path: PathBuf,
}

/// A loaded case: its label and the paths to scan as one bundle.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    pub expect: Label,
    pub confidence: Option<Confidence>,
    pub expect_verdict: Option<Verdict>,
    /// A real case's `diagnosable` (`None` when absent); a corpus case's,
    /// `yes` unless its expected.yaml says otherwise.
    pub diagnosable: Option<Diagnosable>,
    pub inputs: Vec<PathBuf>,
}

#[derive(Deserialize)]
struct RealLabel {
    expect: String,
    #[serde(default)]
    cause_confidence: Option<Confidence>,
    #[serde(default)]
    diagnosable: Option<Diagnosable>,
}

#[derive(Deserialize)]
struct CorpusLabel {
    expect: CorpusExpect,
    #[serde(default)]
    diagnosable: Option<Diagnosable>,
}

#[derive(Deserialize)]
struct CorpusExpect {
    causes: Vec<CorpusCause>,
}

#[derive(Deserialize)]
struct CorpusCause {
    cause: String,
    verdict: Verdict,
}

/// Whether `dir` holds a label file.
fn is_case(dir: &Path) -> bool {
    dir.join(CASE_FILE).is_file() || dir.join(EXPECTED_FILE).is_file()
}

fn name_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// The cases of one command-line folder: the folder itself when it is a case,
/// else its child folders in name order. Hidden entries, files and empty
/// folders among the children are skipped; a child folder with content but no
/// label file is kept (loading it reports the missing label). A folder with no
/// case at all is an error.
pub fn discover(dir: &Path) -> Result<Vec<CaseDir>, String> {
    if !dir.is_dir() {
        return Err(format!("{}: not a folder", dir.display()));
    }
    if is_case(dir) {
        return Ok(vec![CaseDir {
            name: name_of(dir),
            path: dir.to_path_buf(),
        }]);
    }
    let entries = fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut out = Vec::new();
    let mut any_case = false;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if name.starts_with('.') || !path.is_dir() {
            continue;
        }
        let labelled = is_case(&path);
        let has_content = fs::read_dir(&path).is_ok_and(|mut it| it.next().is_some());
        if labelled || has_content {
            any_case |= labelled;
            out.push(CaseDir { name, path });
        }
    }
    if !any_case {
        return Err(format!(
            "{}: neither a case folder ({CASE_FILE} or {EXPECTED_FILE}) nor a folder of cases",
            dir.display()
        ));
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// Reads a case's label and lists its bundle.
pub fn load(dir: &CaseDir) -> Result<Case, String> {
    let real = dir.path.join(CASE_FILE);
    if real.is_file() {
        return load_real(&dir.path, &real);
    }
    let corpus = dir.path.join(EXPECTED_FILE);
    if corpus.is_file() {
        return load_corpus(&dir.path, &corpus);
    }
    Err(format!("no {CASE_FILE} or {EXPECTED_FILE}"))
}

fn read(file: &Path, name: &str) -> Result<String, String> {
    fs::read_to_string(file).map_err(|e| format!("{name}: {e}"))
}

fn load_real(dir: &Path, file: &Path) -> Result<Case, String> {
    let label: RealLabel = crate::rule::yaml::from_str(&read(file, CASE_FILE)?)
        .map_err(|e| format!("{CASE_FILE}: {e}"))?;
    if label.expect.trim().is_empty() {
        return Err(format!("{CASE_FILE}: `expect` is empty"));
    }
    let mut inputs: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .flatten()
        .filter(|e| e.file_name() != CASE_FILE)
        .map(|e| e.path())
        .collect();
    inputs.sort();
    if inputs.is_empty() {
        return Err(format!("no logs beside {CASE_FILE}"));
    }
    Ok(Case {
        expect: Label::parse(&label.expect),
        confidence: label.cause_confidence,
        expect_verdict: None,
        diagnosable: label.diagnosable,
        inputs,
    })
}

fn load_corpus(dir: &Path, file: &Path) -> Result<Case, String> {
    let label: CorpusLabel = crate::rule::yaml::from_str(&read(file, EXPECTED_FILE)?)
        .map_err(|e| format!("{EXPECTED_FILE}: {e}"))?;
    let bundle = dir.join("bundle");
    if !bundle.exists() {
        return Err(format!("no bundle/ beside {EXPECTED_FILE}"));
    }
    let first = label.expect.causes.first();
    Ok(Case {
        expect: first.map_or(Label::None, |c| Label::parse(&c.cause)),
        confidence: None,
        expect_verdict: first.map(|c| c.verdict),
        diagnosable: Some(label.diagnosable.unwrap_or(Diagnosable::Yes)),
        inputs: vec![bundle],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp(test: &str) -> PathBuf {
        let d = std::env::temp_dir()
            .join(format!("logscan-eval-case-{}", std::process::id()))
            .join(test);
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    fn case_dir(path: &Path) -> CaseDir {
        CaseDir {
            name: name_of(path),
            path: path.to_path_buf(),
        }
    }

    #[test]
    fn a_real_case_reads_expect_and_confidence_and_ignores_other_fields() {
        let d = tmp("real");
        fs::write(
            d.join(CASE_FILE),
            "id: x\nexpect: oom-kill\ncause_confidence: medium\nevidence_lines: [1, 2]\ndiagnosable: \"partial\"\ndiagnosable_why: x\n",
        )
        .unwrap();
        fs::write(d.join("log.txt"), "hello\n").unwrap();
        fs::write(d.join("more.log"), "hello\n").unwrap();
        let c = load(&case_dir(&d)).unwrap();
        assert_eq!(c.expect, Label::Cause("oom-kill".into()));
        assert_eq!(c.confidence, Some(Confidence::Medium));
        assert_eq!(c.expect_verdict, None);
        assert_eq!(c.diagnosable, Some(Diagnosable::Partial));
        assert_eq!(c.inputs, vec![d.join("log.txt"), d.join("more.log")]);
    }

    #[test]
    fn diagnosable_is_read_quoted_or_not_and_absent_is_none() {
        let d = tmp("diagnosable");
        fs::write(d.join("log.txt"), "hello\n").unwrap();
        for (yaml, want) in [
            ("diagnosable: yes", Some(Diagnosable::Yes)),
            ("diagnosable: 'yes'", Some(Diagnosable::Yes)),
            ("diagnosable: \"no\"", Some(Diagnosable::No)),
            ("diagnosable: no", Some(Diagnosable::No)),
            ("diagnosable: partial", Some(Diagnosable::Partial)),
            ("diagnosable: Partial", Some(Diagnosable::Partial)),
            ("diagnosable: true", Some(Diagnosable::Yes)),
            ("diagnosable: false", Some(Diagnosable::No)),
            ("other: 1", None),
        ] {
            fs::write(d.join(CASE_FILE), format!("expect: none\n{yaml}\n")).unwrap();
            assert_eq!(load(&case_dir(&d)).unwrap().diagnosable, want, "{yaml}");
        }
        fs::write(d.join(CASE_FILE), "expect: none\ndiagnosable: maybe\n").unwrap();
        let e = load(&case_dir(&d)).unwrap_err();
        assert!(e.contains("`maybe` is not one of yes, partial, no"), "{e}");
    }

    #[test]
    fn none_and_other_are_labels_not_causes() {
        assert_eq!(Label::parse("none"), Label::None);
        assert_eq!(Label::parse(" other "), Label::Other);
        assert_eq!(Label::parse("wrong-host").cause(), Some("wrong-host"));
    }

    #[test]
    fn a_corpus_case_expects_its_first_cause_and_verdict() {
        let d = tmp("corpus");
        fs::create_dir_all(d.join("bundle")).unwrap();
        fs::write(
            d.join(EXPECTED_FILE),
            "description: d\nexpect:\n  causes:\n    - {cause: init-timeout, verdict: possible}\n    - {cause: oom-kill, verdict: possible}\n",
        )
        .unwrap();
        let c = load(&case_dir(&d)).unwrap();
        assert_eq!(c.expect, Label::Cause("init-timeout".into()));
        assert_eq!(c.expect_verdict, Some(Verdict::Possible));
        assert_eq!(c.diagnosable, Some(Diagnosable::Yes));
        assert_eq!(c.inputs, vec![d.join("bundle")]);
        fs::write(d.join(EXPECTED_FILE), "expect:\n  causes: []\n").unwrap();
        let c = load(&case_dir(&d)).unwrap();
        assert_eq!((c.expect, c.expect_verdict), (Label::None, None));
        fs::write(
            d.join(EXPECTED_FILE),
            "diagnosable: partial\nexpect:\n  causes: []\n",
        )
        .unwrap();
        let c = load(&case_dir(&d)).unwrap();
        assert_eq!(c.diagnosable, Some(Diagnosable::Partial));
    }

    #[test]
    fn bad_case_files_are_messages() {
        let d = tmp("bad");
        fs::write(d.join(CASE_FILE), "expect: [unclosed\n").unwrap();
        fs::write(d.join("log.txt"), "x\n").unwrap();
        let e = load(&case_dir(&d)).unwrap_err();
        assert!(e.starts_with("case.yaml: "), "{e}");
        fs::write(d.join(CASE_FILE), "expect: x\ncause_confidence: sure\n").unwrap();
        let e = load(&case_dir(&d)).unwrap_err();
        assert!(e.contains("cause_confidence"), "{e}");
        fs::remove_file(d.join("log.txt")).unwrap();
        fs::write(d.join(CASE_FILE), "expect: x\n").unwrap();
        assert_eq!(load(&case_dir(&d)).unwrap_err(), "no logs beside case.yaml");
        fs::remove_file(d.join(CASE_FILE)).unwrap();
        assert_eq!(
            load(&case_dir(&d)).unwrap_err(),
            "no case.yaml or expected.yaml"
        );
    }

    #[test]
    fn a_folder_of_cases_lists_children_in_name_order() {
        let d = tmp("folder");
        for c in ["b", "a"] {
            fs::create_dir_all(d.join(c)).unwrap();
            fs::write(d.join(c).join(CASE_FILE), "expect: none\n").unwrap();
        }
        fs::create_dir_all(d.join("c-logs-only")).unwrap();
        fs::write(d.join("c-logs-only/log.txt"), "x\n").unwrap();
        fs::create_dir_all(d.join("empty")).unwrap();
        fs::create_dir_all(d.join(".hidden")).unwrap();
        fs::write(d.join(".hidden").join(CASE_FILE), "expect: none\n").unwrap();
        fs::write(d.join("README.md"), "x\n").unwrap();
        let names: Vec<String> = discover(&d).unwrap().into_iter().map(|c| c.name).collect();
        assert_eq!(names, ["a", "b", "c-logs-only"]);
        let one = discover(&d.join("a")).unwrap();
        assert_eq!(one, vec![case_dir(&d.join("a"))]);
        let e = discover(&d.join("c-logs-only")).unwrap_err();
        assert!(
            e.ends_with("neither a case folder (case.yaml or expected.yaml) nor a folder of cases"),
            "{e}"
        );
        assert!(discover(&d.join("missing"))
            .unwrap_err()
            .ends_with(": not a folder"));
    }
}
