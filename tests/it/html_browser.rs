//! The HTML report in a real browser: headless Chromium loads the document
//! of a two-source incident (a client log and Windows power events), its DOM
//! is checked (causes, lanes, marks, the break of the sleep, evidence targets)
//! and a screenshot is taken (`target/html-report.png`).
//!
//! Ignored by a plain `cargo test` (it needs Chromium); `.ci/run` installs
//! Debian's `chromium` and runs it with `--ignored`. Without a browser the
//! test fails: it never passes on nothing. `LOGSCAN_CHROMIUM` names the
//! browser binary when it is not `chromium`, `chromium-browser` or `google-chrome`.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{logscan, root, stderr, stdout};

fn browser() -> PathBuf {
    if let Some(p) = std::env::var_os("LOGSCAN_CHROMIUM") {
        return PathBuf::from(p);
    }
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        let found = Command::new(name).arg("--version").output();
        if found.is_ok_and(|o| o.status.success()) {
            return PathBuf::from(name);
        }
    }
    panic!("no Chromium found: install it (apt-get install chromium) or set LOGSCAN_CHROMIUM");
}

fn headless(browser: &Path, args: &[&str]) -> std::process::Output {
    let profile = Path::new(env!("CARGO_TARGET_TMPDIR")).join("chromium-profile");
    let mut cmd = Command::new(browser);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
    ])
    .arg(format!("--user-data-dir={}", profile.display()))
    .args(args);
    cmd.output().expect("run the browser")
}

#[test]
#[ignore = "needs Chromium; run by .ci/run with --ignored"]
fn chromium_renders_the_causes_the_lanes_and_the_marks() {
    let browser = browser();
    let o = logscan(&[
        "scan",
        "--format",
        "html",
        "corpus/16-host-sleep-resume-evtx/bundle",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("html-browser");
    std::fs::create_dir_all(&dir).expect("scratch folder");
    let page = dir.join("report.html");
    std::fs::write(&page, stdout(&o)).expect("write the report");
    let url = format!("file://{}", page.display());

    // The DOM as the browser built it (a malformed document would be rebuilt differently).
    let dom = headless(&browser, &["--dump-dom", &url]);
    assert!(
        dom.status.success(),
        "{}",
        String::from_utf8_lossy(&dom.stderr)
    );
    let dom = String::from_utf8_lossy(&dom.stdout);
    let count = |needle: &str| dom.matches(needle).count();
    assert_eq!(count("<section class=\"cause\""), 2, "{dom}");
    assert_eq!(count("<g class=\"lane\""), 2);
    assert_eq!(count("<circle class=\"mark"), 7);
    assert_eq!(count("<g class=\"gap\">"), 1);
    assert_eq!(count("<div class=\"evidence\" id=\"ev-"), 7);
    assert!(dom.contains("11 min 15 s later"));
    // Nothing of the report moved out of <main> (what an unclosed tag would do).
    let main_end = dom.find("</main>").expect("main");
    assert!(dom
        .rfind("class=\"evidence\"")
        .is_some_and(|i| i < main_end));

    // A screenshot: a page with text and colour, not a blank one.
    let shot = root().join("target").join("html-report.png");
    let _ = std::fs::remove_file(&shot);
    let out = headless(
        &browser,
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1180,1500",
            "--hide-scrollbars",
            &url,
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let png = std::fs::read(&shot).expect("the screenshot was written");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    assert!(
        png.len() > 40_000,
        "a blank page compresses to far less: {} bytes",
        png.len()
    );
}
