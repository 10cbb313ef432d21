//! Hand-made predicates, rules and sources for matcher tests (not a public API).
//!
//! Lets the matcher be tested without the YAML loader: [`Contains`] is "msg
//! contains X (ASCII case-insensitive), and optionally bind a variable to the
//! word after it"; [`rule`], [`step`] and [`rule_set`] build compiled rules with
//! defaults; [`source`] builds a parsed source from `(ts, msg, server)` rows;
//! [`segments`] cuts a parsed source into owned segments (as the streaming
//! scanner would), [`streams`] feeds sources to `run_streams` that way.
//! Nothing in the engine proper may depend on this module.

use std::ops::Range;
use std::sync::Arc;

use crate::event::{Event, EventRef, Level, Span, Timestamp, Value};
use crate::parse::ParsedSource;
use crate::rule::ir::{
    AfterMatch, Bindings, Branch, CompiledRule, Diagnosis, Fact, FactMode, FactRole, OnMissingKey,
    OnSourceMissing, Origin, Pred, RecordPredicate, RuleSet, Select, Severity, Step,
};
use crate::rule::prefilter::Prefilter;
use crate::segment::{Segment, SegmentStream, SourceMeta};
use crate::text::SourceText;

/// `msg` contains `needle`; binds `var` to the word after it when `bind` is set.
#[derive(Debug, Clone)]
pub struct Contains {
    pub needle: String,
    pub bind: Option<String>,
}

impl Contains {
    pub fn new(needle: &str) -> Contains {
        Contains {
            needle: needle.to_ascii_lowercase(),
            bind: None,
        }
    }

    pub fn binding(needle: &str, var: &str) -> Contains {
        Contains {
            needle: needle.to_ascii_lowercase(),
            bind: Some(var.to_string()),
        }
    }
}

impl RecordPredicate for Contains {
    fn eval(
        &self,
        ev: &EventRef<'_>,
        binds: &mut Bindings,
        highlights: &mut Vec<Range<u32>>,
    ) -> bool {
        let msg = ev.msg();
        let lower = msg.to_ascii_lowercase();
        let Some(at) = lower.find(&self.needle) else {
            return false;
        };
        let base = match ev.event.value("msg") {
            Some(Value::Text(r)) => Some(r.start),
            _ => None,
        };
        let mut hl = Vec::new();
        if let Some(b) = base {
            let s = b + at as u32;
            hl.push(s..s + self.needle.len() as u32);
        }
        if let Some(var) = &self.bind {
            let rest = msg.get(at + self.needle.len()..).unwrap_or("");
            let trimmed = rest.trim_start();
            let word: &str = trimmed
                .split(|c: char| c.is_whitespace() || c == '"' || c == ':')
                .next()
                .unwrap_or("");
            if word.is_empty() {
                return false;
            }
            let len = binds.len();
            if !binds.unify(var, word) {
                binds.truncate(len);
                return false;
            }
            if let Some(b) = base {
                let s = b + (at + self.needle.len() + (rest.len() - trimmed.len())) as u32;
                hl.push(s..s + word.len() as u32);
            }
        }
        highlights.extend(hl);
        true
    }

    fn required_literals(&self) -> Option<Vec<String>> {
        Some(vec![self.needle.clone()])
    }

    fn binds(&self) -> Vec<String> {
        self.bind.iter().cloned().collect()
    }
}

/// A branch reading every source (ids are assigned by [`rule_set`]).
pub fn branch(p: impl RecordPredicate + 'static) -> Branch {
    Branch {
        from: None,
        pred: Pred {
            id: 0,
            inner: Arc::new(p),
        },
    }
}

/// A branch reading only the given formats or families.
pub fn branch_from(p: impl RecordPredicate + 'static, from: &[&str]) -> Branch {
    let mut b = branch(p);
    b.from = Some(from.iter().map(|s| s.to_string()).collect());
    b
}

/// A positive single-branch step.
pub fn step(id: &str, p: impl RecordPredicate + 'static) -> Step {
    Step {
        id: id.to_string(),
        branches: vec![branch(p)],
        absent: false,
        after: None,
        within: None,
        count: None,
        broadcast: false,
        key_alias: Vec::new(),
        on_eof: Default::default(),
        collect: None,
    }
}

/// An absent step.
pub fn absent(id: &str, p: impl RecordPredicate + 'static) -> Step {
    Step {
        absent: true,
        ..step(id, p)
    }
}

/// A rule keyed by `by` with default options.
pub fn rule(id: &str, by: &[&str], steps: Vec<Step>) -> CompiledRule {
    CompiledRule {
        id: id.to_string(),
        cause: id.to_string(),
        title: id.to_string(),
        description: None,
        confidence: 0.5,
        severity: Severity::Medium,
        explains: Vec::new(),
        sources: Vec::new(),
        correlate_by: by.iter().map(|s| s.to_string()).collect(),
        on_missing_key: OnMissingKey::Skip,
        maxspan: None,
        max_gap: None,
        order_tolerance: 0,
        select: Select::Latest,
        after_match: AfterMatch::SkipPastLast,
        merge_window: None,
        until: Vec::new(),
        steps,
        facts: Vec::new(),
        diagnosis: Diagnosis::default(),
        references: Vec::new(),
        origin: Origin::default(),
    }
}

/// A fact with one branch.
pub fn fact(id: &str, role: FactRole, mode: FactMode, b: Branch) -> Fact {
    Fact {
        id: id.to_string(),
        role,
        weight: 1.0,
        mode,
        branches: vec![b],
        on_source_missing: OnSourceMissing::Unknown,
        collect: None,
    }
}

/// Numbers every predicate and builds the prefilter.
pub fn rule_set(mut rules: Vec<CompiledRule>) -> RuleSet {
    let mut preds: Vec<Arc<dyn RecordPredicate>> = Vec::new();
    let mut number = |b: &mut Branch| {
        b.pred.id = preds.len() as u32;
        preds.push(b.pred.inner.clone());
    };
    for r in &mut rules {
        r.steps
            .iter_mut()
            .flat_map(|s| s.branches.iter_mut())
            .for_each(&mut number);
        r.until.iter_mut().for_each(&mut number);
        r.facts
            .iter_mut()
            .flat_map(|f| f.branches.iter_mut())
            .for_each(&mut number);
    }
    let refs: Vec<&dyn RecordPredicate> = preds.iter().map(|p| &**p).collect();
    RuleSet {
        prefilter: Prefilter::build(&refs),
        rules,
    }
}

/// One row of a hand-made source: timestamp (ms), message, server field.
pub type Row<'a> = (Option<i64>, &'a str, Option<&'a str>);

/// A parsed source of `format` whose lines are `ts? [server] msg`.
pub fn source(id: u32, format: &'static str, rows: &[Row<'_>]) -> ParsedSource {
    let mut text = String::new();
    let mut events = Vec::new();
    for (i, (ts, msg, server)) in rows.iter().enumerate() {
        let start = text.len() as u32;
        if let Some(t) = ts {
            text.push_str(&format!("{t} "));
        }
        let mut server_range = None;
        if let Some(s) = server {
            text.push('[');
            let a = text.len() as u32;
            text.push_str(s);
            server_range = Some(a..text.len() as u32);
            text.push_str("] ");
        }
        let m = text.len() as u32;
        text.push_str(msg);
        let end = text.len() as u32;
        text.push('\n');
        let mut fields = vec![("msg".into(), Value::Text(m..end))];
        if let Some(r) = server_range {
            fields.push(("server".into(), Value::Text(r)));
        }
        events.push(Event {
            source: id,
            seq: i as u32,
            span: Span {
                start: u64::from(start),
                end: u64::from(end),
                line: i as u32 + 1,
                end_line: i as u32 + 1,
            },
            text: start..end,
            ts: ts.map(|ms| Timestamp { ms, naive: false }),
            level: Some(Level::Info),
            fields,
        });
    }
    ParsedSource {
        id,
        text: SourceText::identity(format!("src{id}.log"), text),
        format,
        events,
        notes: Vec::new(),
    }
}

/// `src` cut into owned segments before the event indices in `cuts` (sorted
/// or not, repeats give empty segments, indices past the end are clamped).
/// Each segment's text runs from its first event's text start (0 for the first
/// segment) to the next segment's, and its ranges are rebased onto it.
pub fn segments(src: &ParsedSource, cuts: &[usize]) -> Vec<Segment<'static>> {
    let n = src.events.len();
    let mut bounds: Vec<usize> = cuts.iter().map(|&c| c.min(n)).collect();
    bounds.sort_unstable();
    bounds.insert(0, 0);
    bounds.push(n);
    let text = src.text.text.as_str();
    let start_of = |i: usize, first: bool| -> usize {
        match src.events.get(i) {
            _ if first => 0,
            Some(e) => e.text.start as usize,
            None => text.len(),
        }
    };
    bounds
        .windows(2)
        .enumerate()
        .map(|(k, w)| {
            let (a, b) = (w[0], w[1]);
            let from = start_of(a, k == 0);
            let to = if b >= n {
                text.len()
            } else {
                start_of(b, false)
            };
            let base = from as u32;
            let events = src
                .events
                .get(a..b)
                .unwrap_or_default()
                .iter()
                .map(|e| {
                    let mut e = e.clone();
                    e.text = e.text.start - base..e.text.end - base;
                    for (_, v) in &mut e.fields {
                        if let Value::Text(r) = v {
                            *r = r.start - base..r.end - base;
                        }
                    }
                    e
                })
                .collect::<Vec<_>>();
            Segment {
                source: src.id,
                text: text.get(from..to).unwrap_or_default().to_string().into(),
                events: events.into(),
            }
        })
        .collect()
}

/// The metas of `sources` and their streams, source `i` cut at `cuts[i]` (no cut when missing).
pub fn streams(
    sources: &[ParsedSource],
    cuts: &[Vec<usize>],
) -> (Vec<SourceMeta>, Vec<SegmentStream<'static>>) {
    let metas = sources
        .iter()
        .map(crate::matcher::timeline::meta_of)
        .collect();
    let streams = sources
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let segs = segments(s, cuts.get(i).map_or(&[][..], Vec::as_slice));
            Box::new(segs.into_iter()) as SegmentStream<'static>
        })
        .collect();
    (metas, streams)
}
