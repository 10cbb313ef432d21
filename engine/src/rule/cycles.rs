//! `explains` cycles across a rule set: cause `a` explains `b` and `b`
//! explains `a` (or a rule explains its own cause) is refused at load.
//!
//! The ranker absorbs an explained cause's findings into the cause that
//! explains it (`rank`); a cycle would make the result depend on which cause
//! scores higher, not on what the rules say. The causes are the nodes, each
//! rule's `explains` entries the edges; every strongly connected group of
//! causes with an edge inside it is one cycle, reported once with the rules
//! that make it. This module only reads rules; it never ranks.

use std::collections::{HashMap, VecDeque};

use crate::rule::ir::CompiledRule;

/// One edge of a cycle: rule `rule` (its index) names `to` at its `explains[entry]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edge {
    pub rule: usize,
    pub entry: usize,
}

/// One cycle: its edges in order, the first edge's rule is where it is reported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cycle {
    pub edges: Vec<Edge>,
    pub message: String,
}

/// Every `explains` cycle of `rules` (one per strongly connected group of
/// causes), in the order of the first rule that takes part in each.
pub fn find(rules: &[CompiledRule]) -> Vec<Cycle> {
    let mut ids: HashMap<&str, usize> = HashMap::new();
    fn node<'a>(c: &'a str, ids: &mut HashMap<&'a str, usize>) -> usize {
        let next = ids.len();
        *ids.entry(c).or_insert(next)
    }
    let mut out: Vec<Vec<(usize, Edge)>> = Vec::new();
    for (ri, r) in rules.iter().enumerate() {
        let from = node(&r.cause, &mut ids);
        for (ei, e) in r.explains.iter().enumerate() {
            let to = node(e, &mut ids);
            while out.len() <= from.max(to) {
                out.push(Vec::new());
            }
            out[from].push((
                to,
                Edge {
                    rule: ri,
                    entry: ei,
                },
            ));
        }
    }
    let nodes = ids.len();
    out.resize_with(nodes, Vec::new);
    let group = components(&out);
    let mut seen_group = vec![false; nodes];
    let mut cycles = Vec::new();
    // Walk rules in order so each cycle is reported at the first rule in it.
    for (ri, r) in rules.iter().enumerate() {
        let Some(&from) = ids.get(r.cause.as_str()) else {
            continue;
        };
        for (ei, e) in r.explains.iter().enumerate() {
            let Some(&to) = ids.get(e.as_str()) else {
                continue;
            };
            if group[from] != group[to] || seen_group[group[from]] {
                continue;
            }
            seen_group[group[from]] = true;
            let first = Edge {
                rule: ri,
                entry: ei,
            };
            let mut edges = vec![first];
            edges.extend(path_back(&out, &group, to, from));
            let message = describe(rules, &edges);
            cycles.push(Cycle { edges, message });
        }
    }
    cycles
}

/// The shortest path from `from` to `to` inside their group (empty when equal).
fn path_back(out: &[Vec<(usize, Edge)>], group: &[usize], from: usize, to: usize) -> Vec<Edge> {
    if from == to {
        return Vec::new();
    }
    let mut prev: Vec<Option<(usize, Edge)>> = vec![None; out.len()];
    let mut queue = VecDeque::from([from]);
    let mut reached = vec![false; out.len()];
    reached[from] = true;
    while let Some(n) = queue.pop_front() {
        if n == to {
            break;
        }
        for (m, e) in &out[n] {
            if !reached[*m] && group[*m] == group[from] {
                reached[*m] = true;
                prev[*m] = Some((n, e.clone()));
                queue.push_back(*m);
            }
        }
    }
    let mut path = Vec::new();
    let mut at = to;
    while let Some((p, e)) = prev[at].take() {
        path.push(e);
        at = p;
    }
    path.reverse();
    path
}

/// `rule a.x (cause a) explains b, rule b.y (cause b) explains a`.
fn describe(rules: &[CompiledRule], edges: &[Edge]) -> String {
    if let [only] = edges {
        let r = &rules[only.rule];
        return format!(
            "`explains` cycle: rule `{}` explains its own cause `{}` (a cause cannot absorb itself; remove `{}` from `explains`)",
            r.id, r.cause, r.cause
        );
    }
    let steps: Vec<String> = edges
        .iter()
        .map(|e| {
            let r = &rules[e.rule];
            format!(
                "rule `{}` (cause `{}`, {}:{}) explains `{}`",
                r.id, r.cause, r.origin.path, r.origin.line, r.explains[e.entry]
            )
        })
        .collect();
    let mut causes: Vec<&str> = edges.iter().map(|e| rules[e.rule].cause.as_str()).collect();
    causes.push(&rules[edges[0].rule].cause);
    format!(
        "`explains` cycle {}: {} (a cause cannot absorb a cause that absorbs it; remove one of these `explains`)",
        causes.join(" -> "),
        steps.join(", ")
    )
}

/// Strongly connected components (Tarjan, iterative): the component of each node.
fn components(out: &[Vec<(usize, Edge)>]) -> Vec<usize> {
    const NONE: usize = usize::MAX;
    let n = out.len();
    let mut index = vec![NONE; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<usize> = Vec::new();
    let mut comp = vec![NONE; n];
    let (mut next, mut groups) = (0, 0);
    for root in 0..n {
        if index[root] != NONE {
            continue;
        }
        // (node, next edge to look at)
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut at)) = work.last_mut() {
            if let Some((w, _)) = out[v].get(*at) {
                let w = *w;
                *at += 1;
                if index[w] == NONE {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp[w] = groups;
                    if w == v {
                        break;
                    }
                }
                groups += 1;
            }
        }
    }
    comp
}

#[cfg(test)]
mod tests {
    use crate::rule::load::{compile, RuleFile};

    fn rule(id: &str, cause: &str, explains: &[&str]) -> RuleFile {
        RuleFile {
            path: format!("{id}.yaml"),
            text: format!(
                "id: {id}\ncause: {cause}\ntitle: t\nconfidence: 0.5\nexplains: [{}]\nsteps:\n  - id: s\n    match: {{msg|contains: boom}}\ndiagnosis:\n  summary: s\n  explanation: e\n  fix: f\n",
                explains.join(", ")
            ),
        }
    }

    fn messages(files: &[RuleFile]) -> Vec<String> {
        match compile(files) {
            Ok(_) => Vec::new(),
            Err(errs) => errs.iter().map(|e| e.to_string()).collect(),
        }
    }

    #[test]
    fn a_rule_explaining_its_own_cause_is_refused() {
        let m = messages(&[rule("a.one", "a", &["a"])]);
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(
            m[0].starts_with(
                "a.one.yaml:5:12: `explains` cycle: rule `a.one` explains its own cause `a`"
            ),
            "{}",
            m[0]
        );
    }

    #[test]
    fn two_causes_explaining_each_other_are_refused_once() {
        let m = messages(&[
            rule("a.one", "a", &["b"]),
            rule("b.one", "b", &["a"]),
            rule("c.one", "c", &["a"]),
        ]);
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(
            m[0].starts_with(
                "a.one.yaml:5:12: `explains` cycle a -> b -> a: rule `a.one` (cause `a`, a.one.yaml:1) explains `b`, rule `b.one` (cause `b`, b.one.yaml:1) explains `a`"
            ),
            "{}",
            m[0]
        );
    }

    #[test]
    fn a_longer_cycle_names_every_rule_in_it() {
        let m = messages(&[
            rule("a.one", "a", &["b"]),
            rule("b.one", "b", &["c"]),
            rule("c.one", "c", &["a"]),
        ]);
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(
            m[0].contains("`explains` cycle a -> b -> c -> a:"),
            "{}",
            m[0]
        );
        for id in ["a.one", "b.one", "c.one"] {
            assert!(m[0].contains(&format!("rule `{id}`")), "{}", m[0]);
        }
    }

    #[test]
    fn chains_and_shared_targets_are_not_cycles() {
        let m = messages(&[
            rule("a.one", "a", &["b", "c"]),
            rule("b.one", "b", &["c"]),
            rule("a.two", "a", &["c"]),
        ]);
        assert_eq!(m, Vec::<String>::new());
    }
}
