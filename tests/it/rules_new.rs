//! `logscan rules new CAUSE.NAME`: the scaffold passes `rules check` and
//! `rules test` as written, and never overwrites a file.

use crate::common;

use common::{logscan, stderr, stdout};

#[test]
fn a_new_rule_passes_its_own_tests_and_is_never_written_twice() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("rules-new");
    let _ = std::fs::remove_dir_all(&dir);
    let d = dir.to_str().expect("utf-8 path");
    let o = logscan(&["rules", "new", "spawn-eacces.noexec-mount", "--dir", d]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let wrote: Vec<String> = stdout(&o)
        .lines()
        .filter_map(|l| l.strip_prefix("wrote "))
        .map(|p| p.replace(d, "DIR"))
        .collect();
    assert_eq!(
        wrote,
        [
            "DIR/spawn-eacces.noexec-mount.yaml",
            "DIR/spawn-eacces.noexec-mount.test.yaml",
            "DIR/fixtures/spawn-eacces/noexec-mount.log",
        ]
    );
    let check = logscan(&["rules", "check", d]);
    assert_eq!(
        (check.status.code(), stdout(&check)),
        (Some(0), "1 rules OK\n".to_string()),
        "{}",
        stderr(&check)
    );
    assert_eq!(stderr(&check), "", "no warning either");
    let test = logscan(&["rules", "test", "--color", "never", d]);
    assert_eq!(
        test.status.code(),
        Some(0),
        "{}{}",
        stdout(&test),
        stderr(&test)
    );
    assert!(
        stdout(&test).starts_with("test result: ok. 2 tests in 1 file: 2 passed"),
        "{}",
        stdout(&test)
    );
    // The rule finds what its fixture shows when scanned like any log.
    let fixture = dir.join("fixtures/spawn-eacces/noexec-mount.log");
    let scan = logscan(&[
        "scan",
        "--format",
        "json",
        "--no-builtin",
        "--rules",
        d,
        fixture.to_str().unwrap(),
    ]);
    assert!(
        stdout(&scan).contains("\"rule\": \"spawn-eacces.noexec-mount\""),
        "{}",
        stdout(&scan)
    );
    // Again: refused, nothing touched.
    let before = std::fs::read_to_string(dir.join("spawn-eacces.noexec-mount.yaml")).unwrap();
    let again = logscan(&["rules", "new", "spawn-eacces.noexec-mount", "--dir", d]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("spawn-eacces.noexec-mount.yaml: exists already; nothing written")
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("spawn-eacces.noexec-mount.yaml")).unwrap(),
        before
    );
}

#[test]
fn an_id_that_is_not_cause_dot_name_is_refused() {
    let o = logscan(&[
        "rules",
        "new",
        "NoDot",
        "--dir",
        env!("CARGO_TARGET_TMPDIR"),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("NoDot: a rule id is CAUSE.NAME"),
        "{}",
        stderr(&o)
    );
}
