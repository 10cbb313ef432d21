//! `logscan rules test|check|list|explain`.

use std::io::Write;

use logscan_engine::rule::ir::{CompiledRule, FactMode, FactRole, OnMissingKey};
use logscan_engine::Engine;

use crate::cli::{ColorWhen, RulesCommand};
use crate::cmd::scan::builder;
use crate::cmd::{done, error, written, ERROR};
use crate::out;

pub fn run(cmd: RulesCommand, color: ColorWhen) -> u8 {
    match cmd {
        RulesCommand::Test(a) => crate::cmd::rules_test::run(a, color),
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
                            eprintln!(
                                "logscan: warning: rule {}: `{id}` has a matcher without literal text that reads every format: \
                                 it runs on every record and large files are read whole, not streamed (limit it with `from:`; docs/rules.md)",
                                r.id
                            );
                        }
                    }
                    let mut out = out::stdout();
                    let r = writeln!(out, "{} rules OK", rules.len()).and_then(|_| out.flush());
                    done(r)
                }
                Err(e) => {
                    error(format!("rules failed to load:\n{e}"));
                    ERROR
                }
            }
        }
        RulesCommand::List(a) => match builder(&a).build() {
            Ok(e) => {
                let mut out = out::stdout();
                let rules = &e.rules().rules;
                let w = rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
                let cw = rules.iter().map(|r| r.cause.len()).max().unwrap_or(0);
                for r in rules {
                    let sev = format!("{:?}", r.severity).to_lowercase();
                    let line = format!(
                        "{:w$}  {:cw$}  {:.2}  {:8}  {}",
                        r.id, r.cause, r.confidence, sev, r.title
                    );
                    if let Err(code) = written(writeln!(out, "{}", line.trim_end())) {
                        return code;
                    }
                    if out.closed() {
                        break;
                    }
                }
                done(out.flush())
            }
            Err(e) => {
                error(e);
                ERROR
            }
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
            Err(e) => {
                error(e);
                ERROR
            }
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
            Err(e) => {
                error(e);
                ERROR
            }
        },
    }
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
