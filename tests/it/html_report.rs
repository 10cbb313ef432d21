//! `logscan scan --format html`: one self-contained, deterministic document
//! whose timeline marks link to the evidence they stand for. (A real browser
//! loads it in `html_browser.rs`.)

use crate::common;

use common::{logscan, stderr, stdout};

fn html(bundle: &str) -> String {
    let o = logscan(&["scan", "--format", "html", bundle]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    stdout(&o)
}

/// The values of `attr="..."` in `doc`, in order.
fn attrs(doc: &str, attr: &str) -> Vec<String> {
    let pat = format!("{attr}=\"");
    doc.match_indices(&pat)
        .filter_map(|(i, _)| {
            let rest = doc.get(i + pat.len()..)?;
            Some(rest.get(..rest.find('"')?)?.to_string())
        })
        .collect()
}

#[test]
fn sleep_then_death_across_two_sources_has_two_lanes_a_break_and_linked_marks() {
    let doc = html("corpus/16-host-sleep-resume-evtx/bundle");
    assert!(doc.starts_with("<!DOCTYPE html>"));
    assert!(doc.trim_end().ends_with("</html>"));
    // Self-contained: no script, no stylesheet or image fetched from anywhere.
    assert!(!doc.contains("<script"));
    assert!(!doc.contains("<link"));
    for fetch in ["src=", "href=\"http", "url(http", "@import"] {
        assert!(!doc.contains(fetch), "{fetch}");
    }
    // Causes, best first.
    assert_eq!(doc.matches("<section class=\"cause\"").count(), 2);
    let host = doc.find("[host-sleep-resume]").expect("host-sleep-resume");
    let oom = doc.find("[oom-kill]").expect("oom-kill");
    assert!(host < oom);
    // Two lanes, in input order: the client log, then the Windows events.
    let lanes = attrs(&doc, "data-path");
    assert_eq!(
        lanes,
        vec![
            "corpus/16-host-sleep-resume-evtx/bundle/System-power.xml",
            "corpus/16-host-sleep-resume-evtx/bundle/claude-debug.txt",
        ]
    );
    // The 11 minutes asleep between the last record and the power events are a break.
    assert!(doc.contains("<g class=\"gap\">"));
    assert!(doc.contains("11 min 15 s later"), "{doc}");
    // Every mark links to an evidence record of the document, and every
    // timed evidence record of a cause has a mark.
    let hrefs: Vec<String> = attrs(&doc, "href");
    let ids: Vec<String> = attrs(&doc, "id");
    let marks: Vec<&String> = hrefs.iter().filter(|h| h.starts_with("#ev-")).collect();
    assert_eq!(marks.len(), 7);
    for h in &marks {
        assert!(
            ids.iter().any(|i| format!("#{i}") == **h),
            "{h} has a target"
        );
    }
    assert_eq!(ids.iter().filter(|i| i.starts_with("ev-")).count(), 7);
    // The matched part of the evidence is marked, escaped.
    assert!(doc.contains("<mark>"));
}

#[test]
fn the_document_is_the_same_every_time_and_escapes_log_text() {
    let bundle = "corpus/04-stdout-not-jsonrpc-desktop-banner/bundle";
    let a = html(bundle);
    assert_eq!(a, html(bundle));
    assert!(!a.contains("elapsed"));
    // No raw angle bracket from a log inside a <pre>.
    for pre in a.split("<pre>").skip(1) {
        let body = pre.split("</pre>").next().unwrap_or("");
        let stripped = body.replace("<mark>", "").replace("</mark>", "");
        assert!(!stripped.contains('<'), "{body}");
    }
}

#[test]
fn a_clean_log_says_no_cause_and_draws_no_timeline() {
    let doc = html("corpus/12-clean-claude-desktop-session/bundle");
    assert!(doc.contains("No cause found"));
    assert!(!doc.contains("<svg"));
    assert!(doc.contains("<section class=\"inputs\">"));
}

#[test]
fn html_report_of_a_corpus_bundle() {
    let doc = html("corpus/01-windows-npx-shim-claude-code-debug/bundle");
    // One line per element boundary, so a change shows as a readable diff.
    insta::assert_snapshot!("scan_html_windows_npx_shim", doc.replace("><", ">\n<"));
}
