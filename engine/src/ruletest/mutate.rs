//! Derived negatives: mutants of a positive case that must not match.
//!
//! From a confirmed finding of a rule with two or more positive steps, a
//! [`Plan`] picks the first and last positive steps' records; [`apply`] then
//! builds a mutated copy of the parsed sources: `swap` exchanges those two
//! records' places (positions and timestamps), `change-key` rewrites the key
//! value in the last record's text and re-parses that source, `shift` moves the
//! last record and everything after it in its source past the rule's window.
//! A mutation that does not apply says why. This module must never run the
//! matcher or touch the caller's sources (it works on copies).

use crate::finding::{Finding, RecordLoc, StepEvidence};
use crate::parse::{self, ParseOptions, ParsedSource};
use crate::rule::ir::{CompiledRule, Millis};
use crate::ruletest::report::MutationKind;

/// What the mutations of one finding work on.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    /// The first positive step's (earliest) record.
    pub first: RecordLoc,
    /// The last positive step's (latest) record.
    pub last: RecordLoc,
    /// The finding's key; values that are empty cannot be changed.
    pub key: Vec<(String, String)>,
    /// The widest time window of the rule (`maxspan` or a positive step's `within`).
    pub window: Option<Millis>,
}

/// Plans the mutations of `finding`; `Err` when the rule has fewer than two
/// positive steps or the finding lacks their evidence.
pub fn plan(rule: &CompiledRule, finding: &Finding) -> Result<Plan, String> {
    let positive: Vec<&str> = rule
        .steps
        .iter()
        .filter(|s| !s.absent)
        .map(|s| s.id.as_str())
        .collect();
    let (Some(first_id), Some(last_id)) = (positive.first(), positive.last()) else {
        return Err("the rule has no positive step".into());
    };
    if positive.len() < 2 {
        return Err("the rule has a single positive step".into());
    }
    let record = |id: &str, latest: bool| {
        finding.steps.iter().find_map(|s| match s {
            StepEvidence::Record {
                step, first, last, ..
            } if step == id => Some(if latest { last.clone() } else { first.clone() }),
            _ => None,
        })
    };
    let first =
        record(first_id, false).ok_or_else(|| format!("no evidence for step `{first_id}`"))?;
    let last = record(last_id, true).ok_or_else(|| format!("no evidence for step `{last_id}`"))?;
    let window = rule
        .steps
        .iter()
        .filter(|s| !s.absent)
        .filter_map(|s| s.within)
        .chain(rule.maxspan)
        .max();
    Ok(Plan {
        first,
        last,
        key: finding.key.clone(),
        window,
    })
}

/// Builds the mutant of `sources` for `kind`; `Err` says why it does not apply.
/// `tz` is the case's zone, used when a source is re-parsed.
pub fn apply(
    kind: MutationKind,
    plan: &Plan,
    sources: &[ParsedSource],
    tz: Option<&jiff::tz::TimeZone>,
) -> Result<Vec<ParsedSource>, String> {
    let mut out = sources.to_vec();
    match kind {
        MutationKind::Swap => swap(&mut out, &plan.first, &plan.last)?,
        MutationKind::ChangeKey => change_key(&mut out, plan, tz)?,
        MutationKind::Shift => shift(&mut out, plan)?,
    }
    Ok(out)
}

/// Index of a source by id, and of an event by seq within it.
fn find(sources: &[ParsedSource], loc: &RecordLoc) -> Option<(usize, usize)> {
    let si = sources.iter().position(|s| s.id == loc.source)?;
    let events = &sources[si].events;
    let ei = match events.get(loc.seq as usize) {
        Some(e) if e.seq == loc.seq => loc.seq as usize,
        _ => events.iter().position(|e| e.seq == loc.seq)?,
    };
    Some((si, ei))
}

fn swap(sources: &mut [ParsedSource], a: &RecordLoc, b: &RecordLoc) -> Result<(), String> {
    let (Some((sa, ia)), Some((sb, ib))) = (find(sources, a), find(sources, b)) else {
        return Err("the evidence records are not in the parsed sources".into());
    };
    if (sa, ia) == (sb, ib) {
        return Err("the first and last steps bound the same record".into());
    }
    if sa == sb {
        // Same source: the records change places in the stream (and take each
        // other's timestamps, so time order follows).
        let events = &mut sources[sa].events;
        let (ts_a, ts_b) = (events[ia].ts, events[ib].ts);
        let (seq_a, seq_b) = (events[ia].seq, events[ib].seq);
        events.swap(ia, ib);
        events[ia].seq = seq_a;
        events[ia].ts = ts_a;
        events[ib].seq = seq_b;
        events[ib].ts = ts_b;
        return Ok(());
    }
    // Different sources: only time orders them.
    let ts_a = sources[sa].events[ia].ts;
    let ts_b = sources[sb].events[ib].ts;
    if ts_a.is_none() || ts_b.is_none() {
        return Err("the records are in different sources and not both timestamped".into());
    }
    sources[sa].events[ia].ts = ts_b;
    sources[sb].events[ib].ts = ts_a;
    Ok(())
}

fn change_key(
    sources: &mut [ParsedSource],
    plan: &Plan,
    tz: Option<&jiff::tz::TimeZone>,
) -> Result<(), String> {
    if plan.key.is_empty() {
        return Err("the rule has no key".into());
    }
    if plan.key.iter().all(|(_, v)| v.is_empty()) {
        return Err("the key is empty (on_missing_key: null_key)".into());
    }
    let Some((si, ei)) = find(sources, &plan.last) else {
        return Err("the last step's record is not in the parsed sources".into());
    };
    let src = &sources[si];
    let range = src.events[ei].text.clone();
    let (start, end) = (range.start as usize, range.end as usize);
    let Some(record) = src.text.text.get(start..end) else {
        return Err("the last step's record text is out of range".into());
    };
    let mut changed = record.to_string();
    let mut any = false;
    for (name, value) in &plan.key {
        if value.is_empty() {
            continue;
        }
        let (next, n) = replace_rotated(&changed, value);
        if n == 0 {
            return Err(format!(
                "the key value {name}={value:?} is not written in the last step's record (line {})",
                plan.last.span.line
            ));
        }
        changed = next;
        any = true;
    }
    if !any || changed == record {
        return Err("the key value has no letters or digits to change".into());
    }
    let mut text = src.text.clone();
    text.text.replace_range(start..end, &changed);
    let opts = ParseOptions {
        tz: tz.cloned(),
        format: Some(src.format.to_string()),
    };
    sources[si] = parse::parse(text, src.id, &opts);
    Ok(())
}

/// Replaces every ASCII-case-insensitive occurrence of `value` in `text` by its
/// rotation (see [`rotate`]); returns the text and the number of replacements.
/// Byte lengths are preserved, so offsets stay valid.
pub fn replace_rotated(text: &str, value: &str) -> (String, usize) {
    let hay = text.to_ascii_lowercase();
    let needle = value.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut n = 0;
    for (at, _) in hay.match_indices(needle.as_str()) {
        let (Some(before), Some(found)) = (text.get(last..at), text.get(at..at + needle.len()))
        else {
            continue;
        };
        out.push_str(before);
        out.push_str(&rotate(found));
        last = at + needle.len();
        n += 1;
    }
    out.push_str(text.get(last..).unwrap_or(""));
    (out, n)
}

/// Another value of the same shape: ASCII letters and digits move one step
/// (`z` wraps to `a`, `9` to `0`), everything else stays.
pub fn rotate(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'z' => 'a',
            'Z' => 'A',
            '9' => '0',
            'a'..='y' | 'A'..='Y' | '0'..='8' => char::from(c as u8 + 1),
            _ => c,
        })
        .collect()
}

fn shift(sources: &mut [ParsedSource], plan: &Plan) -> Result<(), String> {
    let Some(window) = plan.window else {
        return Err("the rule has no maxspan or within".into());
    };
    let Some((si, ei)) = find(sources, &plan.last) else {
        return Err("the last step's record is not in the parsed sources".into());
    };
    if find(sources, &plan.first) == Some((si, ei)) {
        return Err("the first and last steps bound the same record".into());
    }
    if sources[si].events[ei].ts.is_none() {
        return Err("the last step's record has no timestamp".into());
    }
    let delta = window.saturating_add(1000);
    for ev in sources[si].events.iter_mut().skip(ei) {
        if let Some(ts) = &mut ev.ts {
            ts.ms = ts.ms.saturating_add(delta);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Timestamp;
    use crate::text::SourceText;

    fn source(id: u32, name: &str, text: &str, ts: &[Option<i64>]) -> ParsedSource {
        let mut ps = parse::parse(
            SourceText::identity(name, text.to_string()),
            id,
            &ParseOptions::default(),
        );
        for (ev, t) in ps.events.iter_mut().zip(ts) {
            ev.ts = t.map(|ms| Timestamp { ms, naive: false });
        }
        ps
    }

    fn loc(ps: &ParsedSource, seq: usize) -> RecordLoc {
        let ev = &ps.events[seq];
        RecordLoc {
            source: ps.id,
            seq: ev.seq,
            span: ev.span,
            ts: ev.ts,
            highlights: Vec::new(),
        }
    }

    fn texts(ps: &ParsedSource) -> Vec<(u32, &str, Option<i64>)> {
        ps.events
            .iter()
            .map(|e| {
                (
                    e.seq,
                    &ps.text.text[e.text.start as usize..e.text.end as usize],
                    e.ts.map(|t| t.ms),
                )
            })
            .collect()
    }

    fn plan_for(
        a: &ParsedSource,
        first: usize,
        b: &ParsedSource,
        last: usize,
        window: Option<i64>,
    ) -> Plan {
        Plan {
            first: loc(a, first),
            last: loc(b, last),
            key: vec![("server".into(), "ctx7".into())],
            window,
        }
    }

    const LOG: &str = "spawn ctx7\nnoise\nctx7: ENOENT\nafter\n";

    #[test]
    fn swap_exchanges_places_and_times_within_a_source() {
        let s = source(0, "a.log", LOG, &[Some(1000), Some(2000), Some(3000), None]);
        let p = plan_for(&s, 0, &s, 2, None);
        let m = apply(MutationKind::Swap, &p, std::slice::from_ref(&s), None).unwrap();
        assert_eq!(
            texts(&m[0]),
            [
                (0, "ctx7: ENOENT", Some(1000)),
                (1, "noise", Some(2000)),
                (2, "spawn ctx7", Some(3000)),
                (3, "after", None)
            ]
        );
        assert_eq!(
            texts(&s)[0],
            (0, "spawn ctx7", Some(1000)),
            "the input is untouched"
        );
    }

    #[test]
    fn swap_across_sources_needs_timestamps() {
        let a = source(0, "a.log", "spawn ctx7\n", &[Some(1000)]);
        let b = source(1, "b.log", "ctx7: ENOENT\n", &[Some(5000)]);
        let p = plan_for(&a, 0, &b, 0, None);
        let m = apply(MutationKind::Swap, &p, &[a.clone(), b.clone()], None).unwrap();
        assert_eq!(texts(&m[0]), [(0, "spawn ctx7", Some(5000))]);
        assert_eq!(texts(&m[1]), [(0, "ctx7: ENOENT", Some(1000))]);
        let b = source(1, "b.log", "ctx7: ENOENT\n", &[None]);
        assert_eq!(
            apply(MutationKind::Swap, &p, &[a, b], None).unwrap_err(),
            "the records are in different sources and not both timestamped"
        );
    }

    #[test]
    fn change_key_rewrites_only_the_last_record_and_reparses() {
        let s = source(0, "a.log", LOG, &[]);
        let p = plan_for(&s, 0, &s, 2, None);
        let m = apply(MutationKind::ChangeKey, &p, std::slice::from_ref(&s), None).unwrap();
        assert_eq!(m[0].text.text, "spawn ctx7\nnoise\nduy8: ENOENT\nafter\n");
        assert_eq!(texts(&m[0])[2], (2, "duy8: ENOENT", None));
        let mut p2 = p.clone();
        p2.key = vec![("server".into(), "other".into())];
        assert_eq!(
            apply(MutationKind::ChangeKey, &p2, std::slice::from_ref(&s), None).unwrap_err(),
            "the key value server=\"other\" is not written in the last step's record (line 3)"
        );
        p2.key = vec![("server".into(), String::new())];
        assert_eq!(
            apply(MutationKind::ChangeKey, &p2, std::slice::from_ref(&s), None).unwrap_err(),
            "the key is empty (on_missing_key: null_key)"
        );
    }

    #[test]
    fn rotation_keeps_shape_and_length() {
        assert_eq!(rotate("Context-7z/é"), "Dpoufyu-8a/é");
        assert_eq!(
            replace_rotated("MCP \"CTX7\" and ctx7x", "ctx7"),
            ("MCP \"DUY8\" and duy8x".to_string(), 2)
        );
        assert_eq!(replace_rotated("ééctx7", "CTX7"), ("ééduy8".to_string(), 1));
    }

    #[test]
    fn shift_moves_the_last_record_and_later_ones_past_the_window() {
        let s = source(
            0,
            "a.log",
            LOG,
            &[Some(1000), Some(2000), Some(3000), Some(4000)],
        );
        let p = plan_for(&s, 0, &s, 2, Some(5000));
        let m = apply(MutationKind::Shift, &p, std::slice::from_ref(&s), None).unwrap();
        let ts: Vec<Option<i64>> = m[0].events.iter().map(|e| e.ts.map(|t| t.ms)).collect();
        assert_eq!(ts, [Some(1000), Some(2000), Some(9000), Some(10000)]);
        let no_window = plan_for(&s, 0, &s, 2, None);
        assert_eq!(
            apply(
                MutationKind::Shift,
                &no_window,
                std::slice::from_ref(&s),
                None
            )
            .unwrap_err(),
            "the rule has no maxspan or within"
        );
        let plain = source(0, "a.log", LOG, &[]);
        let p = plan_for(&plain, 0, &plain, 2, Some(5000));
        assert_eq!(
            apply(MutationKind::Shift, &p, &[plain], None).unwrap_err(),
            "the last step's record has no timestamp"
        );
    }
}
