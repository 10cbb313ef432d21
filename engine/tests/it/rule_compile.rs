//! A rule that uses every feature compiles into the expected IR; `read_dir` finds the right files.

use std::fs;

use logscan_engine::rule::ir::{
    AfterMatch, Count, FactMode, FactRole, OnEof, OnMissingKey, OnSourceMissing, Select, Severity,
};
use logscan_engine::rule::load::{compile, read_dir, RuleFile};

const FULL: &str = r#"schema: logscan/rule@1
id: windows-npx-shim.spawn-enoent
cause: windows-npx-shim
title: npx is a .cmd shim that spawn() cannot start on Windows
confidence: 0.85
severity: high
explains: [server-disconnected]
sources: [claude-code, claude-desktop]
correlate: {by: [server], on_missing_key: null_key}
maxspan: 1m30s
max_gap: 10s
order_tolerance: 2s
select: earliest
after_match: none
merge: {window: 10m}
until:
  any:
    - from: claude-code
      match: {msg|contains: 'shutting down'}
    - match: {msg|contains: 'client restarted'}
steps:
  - id: spawn
    from: claude-code
    match: {msg|re: 'Spawning MCP server "?(?P<server>[^":]+)'}
  - id: sleep
    key: none
    match: {msg|contains: 'resumed from sleep'}
    count: {min: 1, max: 3}
  - id: enoent
    match: {msg|re: '\bspawn (?P<cmd>npx|npm)(?:\.cmd)? ENOENT'}
    any:
      - from: claude-code-debug
        match: {msg|re: 'MCP server "(?P<server>[^"]+)"'}
      - from: [claude-desktop]
        match: {level: error}
    after: spawn
    within: 5s
  - id: reinit
    absent: true
    same_as: spawn
  - id: retry
    key: {server: mcp_name}
    match:
      selections:
        sel_retry: {msg|contains: retrying}
        filter_ok: {msg|contains: ok}
      condition: sel_retry and not filter_ok
    within: 10s
  - id: recovered
    absent: true
    match: {msg|contains: 'Successfully connected'}
    within: 30s
    on_eof: drop
facts:
  - id: windows-host
    role: support
    weight: 1.5
    present: {msg|re: '[A-Za-z]:\\{1,2}Users'}
    collect: 'claude mcp list'
  - id: no-mirrored
    role: require
    from: wslconfig
    absent:
      match: {key: networkingMode, value: mirrored}
    on_source_missing: assume_absent
  - id: runtime
    any:
      - from: wsl-status
        present: {msg|contains: 'NAT'}
      - present: {msg|contains: 'networking mode: nat'}
    on_source_missing: assume_present
diagnosis:
  summary: 'MCP server "{server}" could not start: `{cmd}` is a .cmd shim ({spawn.ts})'
  explanation: 'See {windows-host}.'
  fix: 'Use "command": "cmd", "args": ["/c", "{cmd}"] or {{braces}}'
references: [https://example.invalid/npx]
tags: [windows, spawn]
status: stable
description: Everything at once.
"#;

#[test]
fn every_feature_compiles_into_the_expected_ir() {
    let set = compile(&[RuleFile {
        path: "rules/full.yaml".into(),
        text: FULL.into(),
    }])
    .unwrap_or_else(|e| {
        panic!(
            "{}",
            e.iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        )
    });
    let r = &set.rules[0];
    assert_eq!(r.id, "windows-npx-shim.spawn-enoent");
    assert_eq!(r.cause, "windows-npx-shim");
    assert_eq!(r.confidence, 0.85);
    assert_eq!(r.severity, Severity::High);
    assert_eq!(r.explains, vec!["server-disconnected"]);
    assert_eq!(r.sources, vec!["claude-code", "claude-desktop"]);
    assert_eq!(r.correlate_by, vec!["server"]);
    assert_eq!(r.on_missing_key, OnMissingKey::NullKey);
    assert_eq!(r.maxspan, Some(90_000));
    assert_eq!(r.max_gap, Some(10_000));
    assert_eq!(r.order_tolerance, 2_000);
    assert_eq!(r.select, Select::Earliest);
    assert_eq!(r.after_match, AfterMatch::None);
    assert_eq!(r.merge_window, Some(600_000));
    assert_eq!(r.origin.path, "rules/full.yaml");
    assert_eq!(r.origin.line, 2);
    assert_eq!(r.references, vec!["https://example.invalid/npx"]);
    assert_eq!(
        r.diagnosis.summary,
        "MCP server \"{server}\" could not start: `{cmd}` is a .cmd shim ({spawn.ts})"
    );
    assert_eq!(r.horizon(), 120_000);

    // until: two branches, the first restricted to claude-code.
    assert_eq!(r.until.len(), 2);
    assert_eq!(r.until[0].from, Some(vec!["claude-code".to_string()]));
    assert_eq!(r.until[1].from, None);

    let ids: Vec<&str> = r.steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        ["spawn", "sleep", "enoent", "reinit", "retry", "recovered"]
    );
    let [spawn, sleep, enoent, reinit, retry, recovered] = &r.steps[..] else {
        panic!("six steps")
    };
    assert_eq!(spawn.branches.len(), 1);
    assert_eq!(
        spawn.branches[0].from,
        Some(vec!["claude-code".to_string()])
    );
    assert_eq!(spawn.branches[0].pred.inner.binds(), vec!["server"]);
    assert!(!spawn.broadcast && spawn.within.is_none() && spawn.after.is_none());

    assert!(sleep.broadcast);
    assert_eq!(
        sleep.count,
        Some(Count {
            min: 1,
            max: Some(3)
        })
    );

    // `match` AND each `any` alternative: two branches that both bind cmd.
    assert_eq!(enoent.branches.len(), 2);
    assert_eq!(
        enoent.branches[0].from,
        Some(vec!["claude-code-debug".to_string()])
    );
    assert_eq!(
        enoent.branches[1].from,
        Some(vec!["claude-desktop".to_string()])
    );
    assert_eq!(enoent.branches[0].pred.inner.binds(), vec!["cmd", "server"]);
    assert_eq!(enoent.branches[1].pred.inner.binds(), vec!["cmd"]);
    assert_eq!(enoent.after, Some(0));
    assert_eq!(enoent.within, Some(5_000));
    assert!(enoent.branches[0].reads("claude-code-debug"));
    assert!(!enoent.branches[0].reads("claude-desktop-main"));
    assert!(enoent.branches[1].reads("claude-desktop-main"));

    assert_eq!(
        retry.key_alias,
        vec![("server".to_string(), "mcp_name".to_string())]
    );
    assert_eq!(retry.within, Some(10_000));

    // same_as shares the predicate (same id).
    assert!(reinit.absent);
    assert_eq!(reinit.branches[0].pred.id, spawn.branches[0].pred.id);
    assert!(recovered.absent);
    assert_eq!(recovered.within, Some(30_000));
    assert_eq!(recovered.on_eof, OnEof::Drop);
    assert_eq!(reinit.on_eof, OnEof::Inconclusive);

    let [host, mirrored, runtime] = &r.facts[..] else {
        panic!("three facts")
    };
    assert_eq!(
        (host.role, host.weight, host.mode),
        (FactRole::Support, 1.5, FactMode::Present)
    );
    assert_eq!(host.collect.as_deref(), Some("claude mcp list"));
    assert_eq!(host.on_source_missing, OnSourceMissing::Unknown);
    assert_eq!(
        (mirrored.role, mirrored.mode),
        (FactRole::Require, FactMode::Absent)
    );
    assert_eq!(
        mirrored.branches[0].from,
        Some(vec!["wslconfig".to_string()])
    );
    assert_eq!(mirrored.on_source_missing, OnSourceMissing::AssumeAbsent);
    assert_eq!((runtime.role, runtime.weight), (FactRole::Support, 1.0));
    assert_eq!(runtime.branches.len(), 2);
    assert_eq!(
        runtime.branches[0].from,
        Some(vec!["wsl-status".to_string()])
    );
    assert_eq!(runtime.on_source_missing, OnSourceMissing::AssumePresent);

    // Predicate ids: numbered 0.. in order, every branch has one, the prefilter knows them all.
    let mut ids: Vec<u32> = r
        .until
        .iter()
        .chain(r.steps.iter().flat_map(|s| &s.branches))
        .chain(r.facts.iter().flat_map(|f| &f.branches))
        .map(|b| b.pred.id)
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids, (0..12).collect::<Vec<u32>>());
    assert_eq!(set.prefilter.len(), 12);
}

#[test]
fn predicate_ids_run_across_files() {
    let rule = |id: &str| {
        RuleFile {
        path: format!("{id}.yaml"),
        text: format!(
            "id: {id}\ncause: c\ntitle: t\nconfidence: 0.5\ndiagnosis: {{summary: s}}\nsteps:\n  - id: a\n    match: {{msg|contains: abc}}\n"
        ),
    }
    };
    let set = compile(&[rule("one"), rule("two")]).unwrap();
    assert_eq!(set.rules[0].steps[0].branches[0].pred.id, 0);
    assert_eq!(set.rules[1].steps[0].branches[0].pred.id, 1);
}

#[test]
fn read_dir_is_recursive_sorted_and_skips_tests_and_fixtures() {
    let root = std::env::temp_dir().join(format!("logscan-rule-read-dir-{}", std::process::id()));
    let _ = fs::remove_dir_all(&root);
    for d in ["b", "a/fixtures", "a/x.fixtures", "a/.hidden"] {
        fs::create_dir_all(root.join(d)).unwrap();
    }
    for f in [
        "b/z.yaml",
        "a/y.yml",
        "a/y.test.yaml",
        "a/w.test.yml",
        "a/notes.md",
        "a/fixtures/f.yaml",
        "a/x.fixtures/g.yaml",
        "a/.hidden/h.yaml",
        "top.yaml",
    ] {
        fs::write(root.join(f), "id: x\n").unwrap();
    }
    let files = read_dir(&root).unwrap();
    let rel: Vec<String> = files
        .iter()
        .map(|f| {
            f.path
                .strip_prefix(&root.display().to_string())
                .unwrap()
                .replace('\\', "/")
        })
        .collect();
    assert_eq!(rel, ["/a/y.yml", "/b/z.yaml", "/top.yaml"]);
    assert_eq!(files[0].text, "id: x\n");
    fs::remove_dir_all(&root).unwrap();

    let err = read_dir(&root).unwrap_err();
    assert_eq!((err.line, err.column), (0, 0));
    assert!(
        err.message.starts_with("cannot read rule folder: "),
        "{}",
        err.message
    );
}
