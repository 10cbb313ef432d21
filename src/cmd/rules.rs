//! `logscan rules test|check|list|explain`.

use std::io::Write;

use logscan_engine::rule::ir::{CompiledRule, FactMode, FactRole, OnMissingKey};
use logscan_engine::rule::load::RuleError;
use logscan_engine::Engine;

use crate::cli::{ColorWhen, ListFormat, RulesCommand, SchemaKind};
use crate::cmd::scan::builder;
use crate::cmd::{done, error, written, ERROR};
use crate::out;

pub fn run(cmd: RulesCommand, color: ColorWhen) -> u8 {
    match cmd {
        RulesCommand::Test(a) => crate::cmd::rules_test::run(a, color),
        RulesCommand::New(a) => crate::cmd::rules_new::run(a),
        RulesCommand::Schema(a) => {
            let schema = match a.kind {
                SchemaKind::Rule => logscan_engine::json_schema::rule(),
                SchemaKind::Test => logscan_engine::json_schema::rule_test(),
            };
            let mut out = out::stdout();
            let r = out.write_all(logscan_engine::json_schema::pretty(&schema).as_bytes());
            if let Err(code) = written(r) {
                return code;
            }
            done(out.flush())
        }
        RulesCommand::Check(a) => {
            let mut b = Engine::builder();
            if a.dirs.is_empty() {
                b = b.builtin_rules();
            }
            for d in &a.dirs {
                b = b.rules_dir(d.clone());
            }
            match b.build() {
                Ok(e) => {
                    let rules = &e.rules().rules;
                    for r in rules {
                        for id in r.unfiltered_everywhere() {
                            eprintln!("logscan: warning: {}", open_matcher_warning(r, id));
                        }
                    }
                    let mut out = out::stdout();
                    let r = writeln!(out, "{} rules OK", rules.len()).and_then(|_| out.flush());
                    done(r)
                }
                Err(e) => crate::cmd::build_failed(e, color),
            }
        }
        RulesCommand::List(a) => match builder(&a.rules).build() {
            Ok(e) => {
                let mut out = out::stdout();
                let r = write_list(&mut out, &e.rules().rules, a.format);
                if let Err(code) = written(r) {
                    return code;
                }
                done(out.flush())
            }
            Err(e) => crate::cmd::build_failed(e, color),
        },
        RulesCommand::Literals(a) => match builder(&a).build() {
            Ok(e) => {
                let pf = &e.rules().prefilter;
                let mut out = out::stdout();
                let head = writeln!(
                    out,
                    "# {} literals; {} of {} predicates have none and run on every record",
                    pf.literals().len(),
                    pf.always_evaluated(),
                    pf.len()
                );
                if let Err(code) = written(head) {
                    return code;
                }
                for l in pf.literals() {
                    if let Err(code) = written(writeln!(out, "{l}")) {
                        return code;
                    }
                    if out.closed() {
                        break;
                    }
                }
                done(out.flush())
            }
            Err(e) => crate::cmd::build_failed(e, color),
        },
        RulesCommand::Explain(a) => match builder(&a.rules).build() {
            Ok(e) => {
                let found: Vec<&CompiledRule> = e
                    .rules()
                    .rules
                    .iter()
                    .filter(|r| r.id == a.id || r.cause == a.id)
                    .collect();
                if found.is_empty() {
                    error(format!(
                        "no rule or cause named {:?} (see `logscan rules list`)",
                        a.id
                    ));
                    return ERROR;
                }
                let mut out = out::stdout();
                for (i, r) in found.iter().enumerate() {
                    let sep = if i > 0 { "\n" } else { "" };
                    if let Err(code) = written(write!(out, "{sep}{}", explain(r))) {
                        return code;
                    }
                    if out.closed() {
                        break;
                    }
                }
                done(out.flush())
            }
            Err(e) => crate::cmd::build_failed(e, color),
        },
    }
}

/// Writes the rule list in `format`; stops early (without error) when the reader went away.
pub fn write_list(
    out: &mut impl Write,
    rules: &[CompiledRule],
    format: ListFormat,
) -> std::io::Result<()> {
    let sev = |r: &CompiledRule| format!("{:?}", r.severity).to_lowercase();
    match format {
        ListFormat::Json => {
            let list: Vec<serde_json::Value> = rules
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.id,
                        "cause": r.cause,
                        "confidence": r.confidence,
                        "severity": sev(r),
                        "title": r.title,
                        "sources": r.sources,
                        "path": r.origin.path,
                        "line": r.origin.line,
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &list)?;
            writeln!(out)
        }
        ListFormat::Text => {
            let w = rules.iter().map(|r| r.id.len()).max().unwrap_or(0).max(2);
            let cw = rules
                .iter()
                .map(|r| r.cause.len())
                .max()
                .unwrap_or(0)
                .max(5);
            let head = format!(
                "{:w$}  {:cw$}  {:4}  {:8}  {}",
                "ID", "CAUSE", "CONF", "SEVERITY", "TITLE"
            );
            writeln!(out, "{}", head.trim_end())?;
            for r in rules {
                let line = format!(
                    "{:w$}  {:cw$}  {:.2}  {:8}  {}",
                    r.id,
                    r.cause,
                    r.confidence,
                    sev(r),
                    r.title
                );
                writeln!(out, "{}", line.trim_end())?;
            }
            Ok(())
        }
    }
}

/// The warning for step, fact or `until` `id` of `r`, whose matcher runs on every record.
fn open_matcher_warning(r: &CompiledRule, id: &str) -> String {
    format!(
        "{}:{}: rule {}: `{id}` has a matcher without literal text that reads every format: \
         it runs on every record and large files are read whole, not streamed (limit it with `from:`; docs/rules.md)",
        r.origin.path,
        r.origin.line_of(id),
        r.id
    )
}

/// Whether rule errors on stderr are coloured: `--color always`, or `auto` on a terminal without `NO_COLOR`.
pub fn use_color(color: ColorWhen) -> bool {
    use std::io::IsTerminal;
    match color {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    }
}

/// Every rule error, each with its snippet, then a count: what `rules check` prints on stderr.
pub fn render_errors(errs: &[RuleError], color: bool) -> String {
    let mut s = String::new();
    for e in errs {
        s += &e.render(color);
        s += "\n\n";
    }
    let files: std::collections::BTreeSet<&str> = errs.iter().map(|e| e.path.as_str()).collect();
    let plural = |n: usize, w: &str| {
        if n == 1 {
            format!("{n} {w}")
        } else {
            format!("{n} {w}s")
        }
    };
    s += &format!(
        "logscan: error: rules failed to load: {} in {}\n",
        plural(errs.len(), "error"),
        plural(files.len(), "file")
    );
    s
}

fn dur(ms: i64) -> String {
    if ms % 3_600_000 == 0 {
        format!("{}h", ms / 3_600_000)
    } else if ms % 60_000 == 0 {
        format!("{}m", ms / 60_000)
    } else if ms % 1000 == 0 {
        format!("{}s", ms / 1000)
    } else {
        format!("{ms}ms")
    }
}

/// A readable description of one rule.
pub fn explain(r: &CompiledRule) -> String {
    let mut s = String::new();
    let sev = format!("{:?}", r.severity).to_lowercase();
    s += &format!("{}  ({}:{})\n", r.id, r.origin.path, r.origin.line);
    s += &format!("  cause:      {}\n", r.cause);
    s += &format!("  title:      {}\n", r.title);
    s += &format!("  confidence: {:.2}   severity: {sev}\n", r.confidence);
    if !r.explains.is_empty() {
        s += &format!("  explains:   {}\n", r.explains.join(", "));
    }
    if !r.sources.is_empty() {
        s += &format!("  sources:    {}\n", r.sources.join(", "));
    }
    if !r.correlate_by.is_empty() {
        let missing = match r.on_missing_key {
            OnMissingKey::NullKey => " (records that name none match with \"\")",
            OnMissingKey::Skip => " (records that name none are skipped)",
        };
        s += &format!("  key:        {}{missing}\n", r.correlate_by.join(", "));
    }
    if let Some(m) = r.maxspan {
        s += &format!("  maxspan:    {}\n", dur(m));
    }
    if let Some(m) = r.max_gap {
        s += &format!("  max_gap:    {}\n", dur(m));
    }
    s += "  steps:\n";
    for (i, st) in r.steps.iter().enumerate() {
        let mut attrs = Vec::new();
        if st.absent {
            attrs.push("absent".to_string());
        }
        if st.broadcast {
            attrs.push("key: none".to_string());
        }
        if let Some(w) = st.within {
            let anchor = st
                .after
                .map(|a| r.steps[a].id.clone())
                .unwrap_or_else(|| "previous".into());
            attrs.push(format!("within {} of {anchor}", dur(w)));
        }
        if let Some(c) = st.count {
            attrs.push(match c.max {
                Some(m) => format!("count {}..{m}", c.min),
                None => format!("count >= {}", c.min),
            });
        }
        let from: Vec<String> = st
            .branches
            .iter()
            .filter_map(|b| b.from.as_ref().map(|f| f.join("|")))
            .collect();
        if !from.is_empty() {
            attrs.push(format!("from {}", from.join(" / ")));
        }
        s += &format!("    {}. {}  {}\n", i + 1, st.id, attrs.join(", "));
    }
    if !r.facts.is_empty() {
        s += "  facts:\n";
        for f in &r.facts {
            let role = match f.role {
                FactRole::Require => "require".to_string(),
                FactRole::Support => format!("support {:+.1}", f.weight),
            };
            let mode = match f.mode {
                FactMode::Present => "present",
                FactMode::Absent => "absent",
            };
            s += &format!("    {} ({role}, {mode})\n", f.id);
        }
    }
    s += &format!("  summary:    {}\n", r.diagnosis.summary.trim());
    s += &format!("  why:        {}\n", r.diagnosis.explanation.trim());
    s += &format!("  fix:        {}\n", r.diagnosis.fix.trim());
    for refn in &r.references {
        s += &format!("  see:        {refn}\n");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use logscan_engine::rule::load::{compile, RuleFile};

    fn files(texts: &[(&str, &str)]) -> Vec<RuleFile> {
        texts
            .iter()
            .map(|(p, t)| RuleFile {
                path: p.to_string(),
                text: t.to_string(),
            })
            .collect()
    }

    const HEAD: &str =
        "id: test.open\ncause: some-cause\ntitle: t\nconfidence: 0.5\ndiagnosis: {summary: s}\n";

    #[test]
    fn the_open_matcher_warning_names_file_and_line() {
        let text = format!("{HEAD}steps:\n  - id: first\n    match: {{msg: spawned}}\n  - id: err\n    within: 1m\n    match: {{level: error}}\n");
        let set = compile(&files(&[("r/open.yaml", &text)])).unwrap();
        let r = &set.rules[0];
        assert_eq!(r.unfiltered_everywhere(), vec!["err"]);
        assert_eq!(
            open_matcher_warning(r, "err"),
            "r/open.yaml:9: rule test.open: `err` has a matcher without literal text that reads every format: \
             it runs on every record and large files are read whole, not streamed (limit it with `from:`; docs/rules.md)"
        );
    }

    #[test]
    fn the_list_has_a_header_and_a_json_form() {
        let a = format!("{HEAD}steps:\n  - id: s\n    match: {{msg: spawned}}\n");
        let set = compile(&files(&[("r/a.yaml", &a)])).unwrap();
        let mut text = Vec::new();
        write_list(&mut text, &set.rules, ListFormat::Text).unwrap();
        assert_eq!(
            String::from_utf8(text).unwrap(),
            "ID         CAUSE       CONF  SEVERITY  TITLE\n\
             test.open  some-cause  0.50  medium    t\n"
        );
        let mut json = Vec::new();
        write_list(&mut json, &set.rules, ListFormat::Json).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(
            v,
            serde_json::json!([{
                "id": "test.open", "cause": "some-cause", "confidence": 0.5,
                "severity": "medium", "title": "t", "sources": [],
                "path": "r/a.yaml", "line": 1
            }])
        );
    }

    #[test]
    fn every_error_is_rendered_then_counted() {
        let one = format!("{HEAD}steps:\n  - id: s\n    match: {{msg|contians: x}}\n");
        let two = "id: [\n";
        let errs = compile(&files(&[("a.yaml", &one), ("b.yaml", two)])).unwrap_err();
        let plain = render_errors(&errs, false);
        assert!(
            plain.starts_with("error: unknown modifier `contians`")
                && plain.contains(" --> a.yaml:8:17\n"),
            "{plain}"
        );
        assert!(
            plain.contains("\nerror: b.yaml:2:1: YAML syntax error"),
            "{plain}"
        );
        assert!(
            plain.ends_with("\n\nlogscan: error: rules failed to load: 2 errors in 2 files\n"),
            "{plain}"
        );
        assert!(!plain.contains('\x1b'));
        assert!(render_errors(&errs, true).contains("\x1b[91m^^^^^^^^\x1b[0m"));
        assert!(use_color(ColorWhen::Always));
        assert!(!use_color(ColorWhen::Never));
    }
}
