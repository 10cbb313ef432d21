//! `logscan rules new CAUSE.NAME`: writes a rule, its test file and a fixture
//! that pass `logscan rules check` and `logscan rules test` as written, to be
//! edited from there (every `TODO` says what to put in).
//!
//! It never overwrites a file: when one of the three exists, nothing is
//! written and the error names it.

use std::path::{Path, PathBuf};

use crate::cli::RulesNewArgs;
use crate::cmd::{error, ERROR, OK};

pub fn run(args: RulesNewArgs) -> u8 {
    let Some((cause, name)) = split_id(&args.id) else {
        error(format!(
            "{}: a rule id is CAUSE.NAME, lowercase letters, digits and hyphens \
             (e.g. `spawn-eacces.noexec-mount`)",
            args.id
        ));
        return ERROR;
    };
    let files = files(&args.dir, &args.id, cause, name);
    if let Some((path, _)) = files.iter().find(|(p, _)| p.exists()) {
        error(format!(
            "{}: exists already; nothing written",
            path.display()
        ));
        return ERROR;
    }
    for (path, text) in &files {
        let made = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|_| std::fs::write(path, text));
        if let Err(e) = made {
            error(format!("{}: {e}", path.display()));
            return ERROR;
        }
        println!("wrote {}", path.display());
    }
    println!(
        "next: edit the TODOs, then `logscan rules test {0}` and `logscan scan --rules {0} LOGS`",
        args.dir.display()
    );
    OK
}

/// `(cause, name)` of a well-formed `cause.name` id.
fn split_id(id: &str) -> Option<(&str, &str)> {
    let (cause, name) = id.split_once('.')?;
    let ok = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !s.starts_with('-')
            && !s.ends_with('-')
    };
    (ok(cause) && ok(name)).then_some((cause, name))
}

/// The rule, its test file and its fixture, with their paths under `dir`.
fn files(dir: &Path, id: &str, cause: &str, name: &str) -> [(PathBuf, String); 3] {
    let fixture = format!("fixtures/{cause}/{name}.log");
    [
        (dir.join(format!("{id}.yaml")), rule(id, cause)),
        (
            dir.join(format!("{id}.test.yaml")),
            test(id, name, &fixture),
        ),
        (dir.join(&fixture), FIXTURE.to_string()),
    ]
}

fn rule(id: &str, cause: &str) -> String {
    format!(
        r#"# TODO: which failure this rule recognises, which program prints the message it reads
# (read that program's source: every client, SDK version and tool that prints it), and
# what would be mistaken for it. The language is in docs/rules.md.
id: {id}
cause: {cause}
title: 'TODO: what went wrong, in one line a support engineer reads first'
confidence: 0.5
severity: medium
correlate: {{by: [server], on_missing_key: null_key}}
steps:
  # TODO: the records of the failure, in order. Prefer signals (docs/signals.md) to wording.
  - id: start
    match: {{msg|contains: 'Initializing server'}}
  - id: failure
    match: {{msg|contains: 'TODO the failure message'}}
    within: 60s
diagnosis:
  summary: 'TODO: what happened to {{server}}'
  explanation: >-
    TODO: why it happens, from what the evidence shows.
  fix: >-
    TODO: what to change, step by step.
"#
    )
}

fn test(id: &str, name: &str, fixture: &str) -> String {
    format!(
        r#"# The tests of {id} (docs/rule-tests.md): `logscan rules test DIR` runs them.
rules: [{id}]
cases:
  - name: the failure after the server started (positive)
    inputs:
      - path: {fixture}
        format: claude-desktop-main
    expect:
      - rule: {id}
        key: {{server: demo}}
        status: confirmed
        evidence:
          start: {{at: '{name}.log:1', text: 'Initializing server'}}
          failure: {{at: '{name}.log:2', text: 'TODO the failure message'}}

  - name: a server that starts and answers is not this cause (negative)
    inputs:
      - name: mcp.log
        format: claude-desktop-main
        text: |
          2025-01-01T10:00:00.000Z [info] [demo] Initializing server...
          2025-01-01T10:00:00.500Z [info] [demo] Server started and connected successfully
    expect: []
"#
    )
}

/// TODO for the author: replace with a real log of the failure (redacted).
const FIXTURE: &str = "2025-01-01T10:00:00.000Z [info] [demo] Initializing server...\n\
2025-01-01T10:00:01.000Z [error] [demo] TODO the failure message\n";

#[cfg(test)]
mod tests {
    use super::split_id;

    #[test]
    fn ids_are_cause_dot_name() {
        assert_eq!(
            split_id("spawn-eacces.noexec"),
            Some(("spawn-eacces", "noexec"))
        );
        for bad in [
            "nodot", "a.", ".b", "A.b", "a.b c", "a.-b", "a/b.c", "a.b.c",
        ] {
            assert_eq!(split_id(bad), None, "{bad}");
        }
    }
}
