//! `logscan eval` as a user runs it: a temporary folder of small labelled
//! cases (logs copied from corpus bundles, labels written here), exact text
//! output, JSON fields, the `diagnosable` split, threshold exit codes, a
//! broken case, and the corpus.

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{logscan_in, root, stderr, stdout};
use serde_json::Value;

/// Writes `<base>/cases/<name>/case.yaml` and copies a corpus bundle beside it.
fn case(base: &Path, name: &str, label: &str, corpus_bundle: &str) {
    let dir = base.join("cases").join(name);
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("case.yaml"), label).unwrap();
    copy_tree(
        &root().join("corpus").join(corpus_bundle).join("bundle"),
        &dir,
    );
}

/// Copies the entries of folder `from` into `to`, sub-folders included.
fn copy_tree(from: &Path, to: &Path) {
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            fs::create_dir_all(&target).unwrap();
            copy_tree(&e.path(), &target);
        } else {
            fs::copy(e.path(), target).unwrap();
        }
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
        "id: a\nexpect: windows-npx-shim\ncause_confidence: high\nevidence_lines: [3]\ndiagnosable: \"yes\"\n",
        "01-windows-npx-shim-claude-code-debug",
    );
    case(
        &base,
        "b-wrong",
        "expect: oom-kill\ncause_confidence: medium\ndiagnosable: partial\n",
        "07-server-crash-desktop-python-traceback",
    );
    case(
        &base,
        "c-clean",
        "expect: none\ncause_confidence: high\ndiagnosable: 'no'\n",
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

/// `<tmp>/eval/<test>/cases`: corpus bundles whose ranking the corpus test
/// pins (01: windows-npx-shim likely; 07: server-crash likely; 08: init-timeout
/// likely; 11: args-in-command likely; 12, 13: nothing; 16: host-sleep-resume
/// likely then oom-kill possible; 17: oom-kill likely; 23: config-scope then
/// server-crash, both possible), relabelled so that every part of the split
/// has a known outcome.
fn split_cases(test: &str) -> PathBuf {
    let base = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("eval")
        .join(test);
    let _ = fs::remove_dir_all(&base);
    for (name, label, bundle) in [
        // yes: top-1 hit, a right likely.
        (
            "y1-right",
            "expect: windows-npx-shim\ncause_confidence: high\ndiagnosable: \"yes\"\n",
            "01-windows-npx-shim-claude-code-debug",
        ),
        // yes: top-1 and top-3 miss, a wrong likely.
        (
            "y2-wrong",
            "expect: oom-kill\ncause_confidence: medium\ndiagnosable: yes\n",
            "07-server-crash-desktop-python-traceback",
        ),
        // yes, low confidence: not in top-1; a right likely.
        (
            "y3-low",
            "expect: oom-kill\ncause_confidence: low\ndiagnosable: 'yes'\n",
            "17-oom-kill-dmesg-tar",
        ),
        // yes, none: a wrong likely, not clean.
        (
            "y4-none-likely",
            "expect: none\ncause_confidence: high\ndiagnosable: yes\n",
            "01-windows-npx-shim-claude-code-debug",
        ),
        // partial: ranked second (top-3 hit), under a wrong likely.
        (
            "p1-second",
            "expect: oom-kill\ncause_confidence: high\ndiagnosable: partial\n",
            "16-host-sleep-resume-evtx",
        ),
        // partial: not reported (top-3 miss), no likely.
        (
            "p2-absent",
            "expect: wsl-too-old\ncause_confidence: medium\ndiagnosable: \"partial\"\n",
            "23-config-scope",
        ),
        // partial, other: clean.
        (
            "p3-other",
            "expect: other\ncause_confidence: medium\ndiagnosable: partial\n",
            "12-clean-claude-desktop-session",
        ),
        // no: nothing said.
        (
            "n1-quiet",
            "expect: init-timeout\ncause_confidence: medium\ndiagnosable: \"no\"\n",
            "13-clean-vscode-session",
        ),
        // no: a wrong likely.
        (
            "n2-wrong",
            "expect: command-not-found\ncause_confidence: high\ndiagnosable: no\n",
            "11-args-in-command-claude-code-debug",
        ),
        // no, none, possible causes only: clean, no likely.
        (
            "n3-none-possible",
            "expect: none\ncause_confidence: high\ndiagnosable: 'no'\n",
            "23-config-scope",
        ),
        // no diagnosable: its own group; a right likely.
        (
            "u1-unlabelled",
            "expect: init-timeout\ncause_confidence: high\n",
            "08-init-timeout-desktop-no-initialize-response",
        ),
    ] {
        case(&base, name, label, bundle);
    }
    base
}

#[test]
fn the_diagnosable_split_has_exact_counts() {
    let base = split_cases("split-json");
    let v = json(&base, &[]);
    let r = |hits: u32, total: u32| serde_json::json!({"hits": hits, "total": total, "rate": f64::from(hits) / f64::from(total)});
    let d = &v["diagnosable"];
    assert_eq!(d["yes_top1"], r(1, 2));
    assert_eq!(d["partial_top3"], r(1, 2));
    // With a likely: y1 y2 y3 y4 p1 n2 u1; wrong: y2 y4 p1 n2.
    assert_eq!(
        d["wrong_likely"],
        serde_json::json!({"hits": 4, "total": 7, "rate": 0.5714})
    );
    // none/other: y4 (a likely), p3, n3.
    assert_eq!(
        d["clean"],
        serde_json::json!({"hits": 2, "total": 3, "rate": 0.6667})
    );
    assert_eq!(
        d["no"],
        serde_json::json!({"cases": 3, "no_likely": 2, "wrong_likely": 1})
    );
    let group =
        |d: Value, cases: u32, top1: Value, top3: Value, likely: u32, wrong: u32, none: u32| {
            serde_json::json!({"diagnosable": d, "cases": cases, "top1": top1, "top3": top3,
            "likely": likely, "wrong_likely": wrong, "no_likely": none})
        };
    assert_eq!(
        d["groups"],
        serde_json::json!([
            group("yes".into(), 4, r(1, 2), r(1, 2), 4, 2, 0),
            group("partial".into(), 3, r(0, 2), r(1, 2), 1, 1, 2),
            group("no".into(), 3, r(0, 2), r(0, 2), 1, 1, 2),
            group(Value::Null, 1, r(1, 1), r(1, 1), 1, 0, 0),
        ])
    );
    // Results in name order: n1 n2 n3 p1 p2 p3 u1 y1 y2 y3 y4.
    let results = v["results"].as_array().unwrap();
    let tag = |i: usize| {
        let r = &results[i];
        (
            r["case"].as_str().unwrap(),
            r["diagnosable"].clone(),
            r.get("rank").cloned(),
        )
    };
    assert_eq!(tag(0), ("n1-quiet", "no".into(), Some(Value::Null)));
    assert_eq!(tag(2), ("n3-none-possible", "no".into(), None));
    assert_eq!(tag(3), ("p1-second", "partial".into(), Some(2.into())));
    assert_eq!(tag(4), ("p2-absent", "partial".into(), Some(Value::Null)));
    assert_eq!(tag(6), ("u1-unlabelled", Value::Null, Some(1.into())));
    assert_eq!(tag(7), ("y1-right", "yes".into(), Some(1.into())));
    // The existing figures stay.
    assert_eq!(v["wrong_likely"]["hits"], 4);
    assert_eq!(v["none_other"]["no_likely"], d["clean"]);
}

#[test]
fn the_split_leads_the_text_and_misses_carry_diagnosable() {
    let base = split_cases("split-text");
    let o = logscan_in(&base, &["eval", "cases"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    let head: Vec<&str> = text.lines().take(9).collect();
    assert_eq!(
        head,
        [
            "logscan eval: 11 cases, 11 scored, 0 errors",
            "",
            "diagnosable     yes 4, partial 3, no 3, unlabelled 1",
            "  yes           top-1 1/2 (50.0%)       catalogued cases, confidence high or medium",
            "  partial       top-3 1/2 (50.0%)",
            "  no            2/3 without a likely cause, 1 with a wrong likely cause",
            "  wrong likely  4/7 (57.1%) of the cases with a likely cause",
            "  clean         2/3 (66.7%) of none/other without a likely cause",
            "",
        ],
        "{text}"
    );
    // Scores change with rule confidences; they are not what this test is about.
    let score = regex::Regex::new(r" \d\.\d\d\)").unwrap();
    let text = score.replace_all(&text, " _)");
    let misses: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("misses ("))
        .take_while(|l| !l.is_empty())
        .collect();
    assert_eq!(
        misses,
        [
            "misses (6):",
            "  n1-quiet        no       expected init-timeout [medium], got nothing",
            "  n2-wrong        no       expected command-not-found [high], got args-in-command (likely _), command-not-found not reported",
            "  p1-second       partial  expected oom-kill [high], got host-sleep-resume (likely _), oom-kill ranked 2",
            "  p2-absent       partial  expected wsl-too-old [medium], got config-scope (possible _), wsl-too-old not reported",
            "  y2-wrong        yes      expected oom-kill [medium], got server-crash (likely _), oom-kill not reported",
            "  y4-none-likely  yes      expected none [high], got windows-npx-shim (likely _)",
        ],
        "{text}"
    );
}

#[test]
fn split_thresholds_decide_the_exit_code() {
    let base = split_cases("split-thresholds");
    let run = |args: &[&str]| {
        let mut all = vec!["eval", "cases"];
        all.extend(args);
        logscan_in(&base, &all)
    };
    for ok in [
        ["--min-yes-top1", "0.5"],
        ["--min-partial-top3", "0.5"],
        ["--min-clean", "0.66"],
    ] {
        assert_eq!(run(&ok).status.code(), Some(0), "{ok:?}");
    }
    let o = run(&[
        "--min-yes-top1",
        "0.85",
        "--min-partial-top3",
        "0.7",
        "--min-clean",
        "0.95",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).ends_with(
            "FAILED: yes top-1 1/2 (50.0%) is below the minimum 0.85\n\
             FAILED: partial top-3 1/2 (50.0%) is below the minimum 0.7\n\
             FAILED: clean 2/3 (66.7%) is below the minimum 0.95\n"
        ),
        "{}",
        stdout(&o)
    );
    let o = run(&["--min-clean", "2"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "logscan: error: --min-clean 2: must be between 0 and 1\n"
    );
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
    // A corpus case is `yes` unless its expected.yaml says otherwise.
    let d = &v["diagnosable"];
    assert_eq!(d["groups"][0]["diagnosable"], "yes");
    assert_eq!(d["groups"][0]["cases"].as_u64(), Some(cases));
    assert_eq!(d["yes_top1"], top1.clone());
    assert_eq!(d["wrong_likely"]["hits"], 0);
    assert_eq!(d["clean"]["hits"], d["clean"]["total"]);
}
