//! `logscan eval` as a user runs it: a temporary folder of small labelled
//! cases (logs copied from corpus bundles, labels written here), exact text
//! output, JSON fields, threshold exit codes, a broken case, and the corpus.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{logscan_in, root, stderr, stdout};
use serde_json::Value;

/// Writes `<base>/cases/<name>/case.yaml` and copies the files of a corpus bundle beside it.
fn case(base: &Path, name: &str, label: &str, corpus_bundle: &str) {
    let dir = base.join("cases").join(name);
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("case.yaml"), label).unwrap();
    let from = root().join("corpus").join(corpus_bundle).join("bundle");
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        fs::copy(e.path(), dir.join(e.file_name())).unwrap();
    }
}

/// `<tmp>/eval/<test>` holding `cases/`: one right case, one wrong, one `none`,
/// and a README that is skipped.
fn cases(test: &str) -> PathBuf {
    let base = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("eval")
        .join(test);
    let _ = fs::remove_dir_all(&base);
    case(
        &base,
        "a-right",
        "id: a\nexpect: windows-npx-shim\ncause_confidence: high\nevidence_lines: [3]\n",
        "01-windows-npx-shim-claude-code-debug",
    );
    case(
        &base,
        "b-wrong",
        "expect: oom-kill\ncause_confidence: medium\n",
        "07-server-crash-desktop-python-traceback",
    );
    case(
        &base,
        "c-clean",
        "expect: none\ncause_confidence: high\n",
        "12-clean-claude-desktop-session",
    );
    fs::write(base.join("cases/README.md"), "not a case\n").unwrap();
    base
}

fn json(base: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["eval", "cases", "--format", "json"];
    args.extend(extra);
    let o = logscan_in(base, &args);
    serde_json::from_str(&stdout(&o)).expect("eval prints JSON")
}

#[test]
fn text_summary_of_a_right_a_wrong_and_a_clean_case() {
    let base = cases("text");
    let o = logscan_in(&base, &["eval", "cases"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    insta::assert_snapshot!("eval_text_three_cases", stdout(&o));
}

#[test]
fn json_holds_every_figure() {
    let base = cases("json");
    let v = json(&base, &[]);
    assert_eq!(v["schema"], "logscan/eval@1");
    assert_eq!(
        (v["cases"].as_u64(), v["scored"].as_u64()),
        (Some(3), Some(3))
    );
    assert_eq!(v["headline"]["top1"]["hits"], 1);
    assert_eq!(v["headline"]["top1"]["total"], 2);
    assert_eq!(v["headline"]["top1"]["rate"], 0.5);
    assert_eq!(v["wrong_likely"]["hits"], 1);
    assert_eq!(v["wrong_likely"]["total"], 2);
    assert_eq!(v["none_other"]["no_likely"]["hits"], 1);
    let results: Vec<(String, bool)> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["case"].as_str().unwrap().to_string(),
                r["ok"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        results,
        [
            ("a-right".to_string(), true),
            ("b-wrong".to_string(), false),
            ("c-clean".to_string(), true)
        ]
    );
    assert_eq!(v["results"][1]["path"], "cases/b-wrong");
    assert_eq!(v["results"][1]["got"], "server-crash");
    assert_eq!(v["results"][1]["confidence"], "medium");
    assert_eq!(
        v["confusion"][1],
        serde_json::json!({"expect": "oom-kill", "got": "server-crash", "count": 1})
    );
    assert_eq!(v["errors"], serde_json::json!([]));
    assert_eq!(v["failures"], serde_json::json!([]));
}

#[test]
fn thresholds_decide_the_exit_code() {
    let base = cases("thresholds");
    let run = |args: &[&str]| {
        let mut all = vec!["eval", "cases"];
        all.extend(args);
        logscan_in(&base, &all)
    };
    assert_eq!(run(&["--min-top1", "0.5"]).status.code(), Some(0));
    let o = run(&["--min-top1", "0.6"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).ends_with("FAILED: top-1 accuracy 1/2 (50.0%) is below the minimum 0.6\n"),
        "{}",
        stdout(&o)
    );
    assert_eq!(run(&["--max-wrong-likely", "0.5"]).status.code(), Some(0));
    let o = run(&["--max-wrong-likely", "0", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "logscan: error: eval: wrong likely verdicts 1/2 (50.0%) exceed the maximum 0\n"
    );
    let o = run(&["--min-top1", "1.5"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "logscan: error: --min-top1 1.5: must be between 0 and 1\n"
    );
}

#[test]
fn a_broken_case_is_listed_and_the_rest_is_scored() {
    let base = cases("broken");
    fs::create_dir_all(base.join("cases/d-broken")).unwrap();
    fs::write(base.join("cases/d-broken/case.yaml"), "expect: [oops\n").unwrap();
    fs::write(base.join("cases/d-broken/log.txt"), "hello\n").unwrap();
    let o = logscan_in(&base, &["eval", "cases"]);
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    assert!(
        text.starts_with("logscan eval: 4 cases, 3 scored, 1 error\n"),
        "{text}"
    );
    assert!(
        text.contains("\nerrors (1):\n  d-broken  case.yaml: "),
        "{text}"
    );
    assert!(
        text.ends_with("\nFAILED: 1 of 4 cases could not be scored\n"),
        "{text}"
    );
    let v = json(&base, &[]);
    assert_eq!(v["errors"][0]["case"], "d-broken");
    assert_eq!(v["headline"]["top1"]["total"], 2);
}

#[test]
fn a_folder_without_cases_is_a_usage_error() {
    let base = cases("usage");
    let o = logscan_in(&base, &["eval", "cases/README.md"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "logscan: error: cases/README.md: not a folder\n"
    );
    fs::create_dir_all(base.join("logs-only")).unwrap();
    fs::write(base.join("logs-only/mcp.log"), "x\n").unwrap();
    let o = logscan_in(&base, &["eval", "logs-only"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "logscan: error: logs-only: neither a case folder (case.yaml or expected.yaml) nor a folder of cases\n"
    );
}

#[test]
fn one_case_folder_is_one_case() {
    let base = cases("one");
    let v = json(&base, &[]);
    let o = logscan_in(&base, &["eval", "cases/a-right", "--format", "json"]);
    let one: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(one["cases"], 1);
    assert_eq!(one["results"][0], v["results"][0]);
}

#[test]
fn every_corpus_case_is_right() {
    let o = logscan_in(
        &root(),
        &[
            "eval",
            "corpus",
            "--format",
            "json",
            "--min-top1",
            "1",
            "--max-wrong-likely",
            "0",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let cases = v["cases"].as_u64().unwrap();
    assert!(cases >= 25, "{cases}");
    let top1 = &v["headline"]["top1"];
    assert_eq!(top1["hits"], top1["total"]);
    assert_eq!(v["verdicts"]["hits"], v["verdicts"]["total"]);
    assert_eq!(v["wrong_likely"]["hits"], 0);
    assert_eq!(
        v["none_other"]["no_likely"]["hits"],
        v["none_other"]["no_likely"]["total"]
    );
    assert_eq!(v["errors"], serde_json::json!([]));
}
