//! Ranking: findings in, ordered causes with scores and verdicts out (DESIGN §5).
//!
//! Each finding is scored in log-odds from its rule's `confidence`, plus the
//! weights of its true support facts, minus penalties for what lowers
//! certainty (unknown facts or absences, unchecked time constraints, clock-skew
//! tolerance, evictions), plus a small bonus for repeated incidents. Findings
//! group by cause; a cause that `explains` another absorbs the other's findings
//! when their keys agree. Verdicts: `likely` for the top cause when it is
//! strong and clearly ahead, `possible` down to a floor, nothing below. This
//! module never reads log text and never formats anything.

use std::cmp::Ordering;

use crate::finding::{Finding, Status, StepEvidence, Truth};
use crate::rule::ir::{CompiledRule, RuleSet, Severity};

/// Probability a cause must reach to be `likely`.
pub const LIKELY_MIN: f64 = 0.70;
/// Log-odds lead over the runner-up a `likely` cause needs.
pub const LIKELY_LEAD: f64 = 1.0;
/// Causes below this probability are not reported.
pub const FLOOR: f64 = 0.20;

const PENALTY_PARTIAL: f64 = 1.0;
const PENALTY_UNCHECKED_TIME: f64 = 0.25;
const PENALTY_UNCHECKED_TIME_MAX: f64 = 0.5;
const PENALTY_ORDER_UNCERTAIN: f64 = 0.5;
const PENALTY_EVICTED: f64 = 0.5;
// Repetition and an absorbed symptom do not tell rival causes apart (a
// misconfiguration fails the same way on every restart, and every cause ends in
// the same disconnect), so together they stay under the gap between a lone
// ambiguous signal (confidence 0.55) and `LIKELY_MIN` (docs/causes.md).
const BONUS_RECURRENCE: f64 = 0.2;
const BONUS_RECURRENCE_MAX: f64 = 0.2;
const BONUS_EXPLAINED_SYMPTOM: f64 = 0.25;
const BONUS_EXTRA_RULE: f64 = 0.3;
const BONUS_EXTRA_RULE_MAX: f64 = 0.6;

/// `likely` or `possible`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Likely,
    Possible,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Likely => "likely",
            Verdict::Possible => "possible",
        }
    }
}

/// One ranked cause: indices into the findings it was built from.
#[derive(Clone, Debug, PartialEq)]
pub struct RankedCause {
    pub cause: String,
    pub verdict: Verdict,
    /// Probability in [0, 1] (the logistic of `logodds`).
    pub score: f64,
    pub logodds: f64,
    /// The cause's own findings, best first, then the symptom findings it absorbed.
    pub findings: Vec<usize>,
    /// Of `findings`, those absorbed from explained symptoms.
    pub absorbed: Vec<usize>,
}

/// The ranking of one scan.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Ranking {
    pub causes: Vec<RankedCause>,
    /// Findings left out of the ranking because they are `inconclusive`.
    pub inconclusive: Vec<usize>,
    /// Score (log-odds) of every finding, by index.
    pub finding_logodds: Vec<f64>,
}

/// The log-odds score of one finding.
pub fn finding_logodds(rule: &CompiledRule, f: &Finding) -> f64 {
    let mut s = logit(rule.confidence);
    for fact in &f.facts {
        if fact.value == Truth::True {
            if let Some(def) = rule.facts.iter().find(|d| d.id == fact.id) {
                if def.role == crate::rule::ir::FactRole::Support {
                    s += def.weight;
                }
            }
        }
    }
    if f.status == Status::Partial {
        s -= PENALTY_PARTIAL;
    }
    s -= (f.unchecked_time as f64 * PENALTY_UNCHECKED_TIME).min(PENALTY_UNCHECKED_TIME_MAX);
    if f.order_uncertain {
        s -= PENALTY_ORDER_UNCERTAIN;
    }
    if f.evicted > 0 {
        s -= PENALTY_EVICTED;
    }
    s += (BONUS_RECURRENCE * (f.occurrences.max(1) as f64).ln()).min(BONUS_RECURRENCE_MAX);
    s
}

/// Ranks the findings of one scan.
pub fn rank(rules: &RuleSet, findings: &[Finding]) -> Ranking {
    let scores: Vec<f64> = findings
        .iter()
        .map(|f| finding_logodds(&rules.rules[f.rule], f))
        .collect();
    let inconclusive: Vec<usize> = (0..findings.len())
        .filter(|&i| findings[i].status == Status::Inconclusive)
        .collect();

    // Group the rankable findings by cause.
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, f) in findings.iter().enumerate() {
        if f.status == Status::Inconclusive {
            continue;
        }
        let cause = &rules.rules[f.rule].cause;
        match groups.iter_mut().find(|(c, _)| c == cause) {
            Some((_, v)) => v.push(i),
            None => groups.push((cause.clone(), vec![i])),
        }
    }
    for (_, v) in &mut groups {
        v.sort_by(|&a, &b| cmp_findings(rules, findings, &scores, a, b));
    }
    // Group order must not depend on the order findings came in: by cause id.
    groups.sort_by(|a, b| a.0.cmp(&b.0));
    // When several causes explain one symptom, the strongest takes it (its best
    // finding's score, then cause id).
    let mut absorbers: Vec<usize> = (0..groups.len()).collect();
    absorbers.sort_by(|&a, &b| {
        scores[groups[b].1[0]]
            .total_cmp(&scores[groups[a].1[0]])
            .then_with(|| groups[a].0.cmp(&groups[b].0))
    });

    // Absorb explained symptoms: a finding of cause S goes under cause C when a
    // rule of C explains S and some finding of C has an agreeing key.
    // A cause whose findings were all absorbed by another cannot absorb in turn.
    let mut gone: Vec<bool> = vec![false; groups.len()];
    let mut absorbed: Vec<Vec<usize>> = vec![Vec::new(); groups.len()];
    let mut remaining: Vec<Vec<usize>> = groups.iter().map(|(_, v)| v.clone()).collect();
    for s in 0..groups.len() {
        for &c in &absorbers {
            if s == c || gone[c] {
                continue;
            }
            let explains = groups[c].1.iter().any(|&i| {
                rules.rules[findings[i].rule]
                    .explains
                    .iter()
                    .any(|e| *e == groups[s].0)
            });
            if !explains {
                continue;
            }
            let (take, keep): (Vec<usize>, Vec<usize>) = remaining[s].iter().partition(|&&si| {
                groups[c]
                    .1
                    .iter()
                    .any(|&ci| keys_agree(&findings[ci], &findings[si]))
            });
            absorbed[c].extend(take);
            remaining[s] = keep;
        }
        if remaining[s].is_empty() {
            gone[s] = true;
        }
    }

    let mut causes: Vec<RankedCause> = Vec::new();
    for (g, (cause, members)) in groups.iter().enumerate() {
        let own: Vec<usize> = members
            .iter()
            .copied()
            .filter(|i| remaining[g].contains(i))
            .collect();
        if own.is_empty() {
            continue;
        }
        let best = scores[own[0]];
        // Another rule of the same cause is more evidence only when it read
        // other records: two rules reading the same line are one observation.
        let seen = evidence_records(&findings[own[0]]);
        let mut distinct_rules: Vec<usize> = own
            .iter()
            .filter(|&&i| {
                i == own[0]
                    || !evidence_records(&findings[i])
                        .iter()
                        .any(|r| seen.contains(r))
            })
            .map(|&i| findings[i].rule)
            .collect();
        distinct_rules.sort_unstable();
        distinct_rules.dedup();
        let extra =
            ((distinct_rules.len() - 1) as f64 * BONUS_EXTRA_RULE).min(BONUS_EXTRA_RULE_MAX);
        let symptom = if absorbed[g].is_empty() {
            0.0
        } else {
            BONUS_EXPLAINED_SYMPTOM
        };
        let logodds = best + extra + symptom;
        let mut all = own.clone();
        let mut abs = absorbed[g].clone();
        abs.sort_by(|&a, &b| cmp_findings(rules, findings, &scores, a, b));
        all.extend(abs.iter().copied());
        causes.push(RankedCause {
            cause: cause.clone(),
            verdict: Verdict::Possible,
            score: sigmoid(logodds),
            logodds,
            findings: all,
            absorbed: abs,
        });
    }
    causes.sort_by(|a, b| cmp_causes(rules, findings, a, b));
    causes.retain(|c| c.score >= FLOOR);
    if let Some(top) = causes.first() {
        let lead = match causes.get(1) {
            Some(second) => top.logodds - second.logodds,
            None => f64::INFINITY,
        };
        if top.score >= LIKELY_MIN && lead >= LIKELY_LEAD {
            causes[0].verdict = Verdict::Likely;
        }
    }
    Ranking {
        causes,
        inconclusive,
        finding_logodds: scores,
    }
}

/// Keys agree when every variable both findings bind is equal, an empty value
/// (a record that named no server) agreeing with anything.
fn keys_agree(a: &Finding, b: &Finding) -> bool {
    a.key
        .iter()
        .all(|(name, va)| match b.key.iter().find(|(n, _)| n == name) {
            Some((_, vb)) => va.is_empty() || vb.is_empty() || va == vb,
            None => true,
        })
}

fn cmp_findings(
    rules: &RuleSet,
    findings: &[Finding],
    scores: &[f64],
    a: usize,
    b: usize,
) -> Ordering {
    scores[b]
        .total_cmp(&scores[a])
        .then_with(|| {
            rules.rules[findings[b].rule]
                .severity
                .cmp(&rules.rules[findings[a].rule].severity)
        })
        .then_with(|| latest_evidence(&findings[b]).cmp(&latest_evidence(&findings[a])))
        .then_with(|| {
            rules.rules[findings[a].rule]
                .id
                .cmp(&rules.rules[findings[b].rule].id)
        })
        .then_with(|| findings[a].key.cmp(&findings[b].key))
}

fn cmp_causes(rules: &RuleSet, findings: &[Finding], a: &RankedCause, b: &RankedCause) -> Ordering {
    let sev = |c: &RankedCause| -> Severity { rules.rules[findings[c.findings[0]].rule].severity };
    b.logodds
        .total_cmp(&a.logodds)
        .then_with(|| sev(b).cmp(&sev(a)))
        .then_with(|| {
            latest_evidence(&findings[b.findings[0]])
                .cmp(&latest_evidence(&findings[a.findings[0]]))
        })
        .then_with(|| {
            rules.rules[findings[a.findings[0]].rule]
                .id
                .cmp(&rules.rules[findings[b.findings[0]].rule].id)
        })
        .then_with(|| a.cause.cmp(&b.cause))
}

/// The records a finding's positive steps bound: (source, byte offset).
fn evidence_records(f: &Finding) -> Vec<(u32, u64)> {
    f.steps
        .iter()
        .filter_map(|s| match s {
            StepEvidence::Record { first, last, .. } => Some([
                (first.source, first.span.start),
                (last.source, last.span.start),
            ]),
            StepEvidence::Absence { .. } => None,
        })
        .flatten()
        .collect()
}

/// The latest evidence position of a finding: (timestamp, source, byte offset).
fn latest_evidence(f: &Finding) -> (Option<i64>, u32, u64) {
    f.steps
        .iter()
        .filter_map(|s| match s {
            StepEvidence::Record { last, .. } => {
                Some((last.ts.map(|t| t.ms), last.source, last.span.start))
            }
            StepEvidence::Absence { .. } => None,
        })
        .max()
        .unwrap_or((None, 0, 0))
}

pub fn logit(p: f64) -> f64 {
    let p = p.clamp(1e-6, 1.0 - 1e-6);
    (p / (1.0 - p)).ln()
}

pub fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

#[cfg(test)]
mod tests;
