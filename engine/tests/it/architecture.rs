//! The architecture invariants of ARCHITECTURE.md, checked on the engine's own source:
//! no import cycle between the files of `engine/src`, no source file over 600 lines before its
//! unit tests, no function allowed more than seven parameters.
//!
//! The import graph is read from the text, not from the compiler: every `crate::`, `super::` and
//! `self::` path (in `use` trees and inline) is resolved to the deepest module file that exists.
//! Comments and the `#[cfg(test)]` module at the end of a file are not part of the graph (a test
//! may reach anywhere), nor is a module's use of its own submodules (it declares them).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module path inside the crate (`["matcher", "sequence"]`); the crate root is empty.
type ModPath = Vec<String>;

const MAX_LINES: usize = 600;

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `src`, by module path.
fn module_files() -> BTreeMap<ModPath, PathBuf> {
    let mut files = BTreeMap::new();
    let mut pending = vec![src_dir()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("engine/src is readable") {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.insert(module_path(&path), path);
            }
        }
    }
    assert!(files.len() > 50, "engine/src holds the engine's modules");
    files
}

fn module_path(file: &Path) -> ModPath {
    let relative = file.strip_prefix(src_dir()).expect("under src");
    let mut parts: ModPath = relative
        .iter()
        .map(|part| part.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

/// The text of a file without comments and without its trailing `#[cfg(test)] mod … { … }`.
fn code_of(text: &str) -> String {
    let body = match find_test_module(text) {
        Some(start) => &text[..start],
        None => text,
    };
    body.lines()
        .map(|line| match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Where an inline `#[cfg(test)]` module starts (a `mod name;` declaration does not count).
fn find_test_module(text: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = text[from..].find("#[cfg(test)]") {
        let at = from + found;
        let rest = text[at + "#[cfg(test)]".len()..].trim_start();
        let rest = rest.strip_prefix("pub ").unwrap_or(rest);
        if let Some(after_mod) = rest.strip_prefix("mod ") {
            let head: String = after_mod
                .chars()
                .take_while(|c| *c != ';' && *c != '{')
                .collect();
            if after_mod[head.len()..].starts_with('{') {
                return Some(at);
            }
        }
        from = at + 1;
    }
    None
}

/// Lines of a file before its inline test module.
fn lines_before_tests(text: &str) -> usize {
    let body = match find_test_module(text) {
        Some(start) => &text[..start],
        None => text,
    };
    body.lines().count()
}

/// Every path the code names from the crate (`crate::a::b`, `super::c`, `self::d`), with use
/// trees (`use crate::a::{b, c::d}`) expanded.
fn paths_named(code: &str) -> Vec<String> {
    let mut paths = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("use ") {
        let before_ok = rest[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric() && c != '_');
        let tail = &rest[at + 4..];
        let end = tail.find(';').unwrap_or(tail.len());
        if before_ok {
            expand_use_tree(tail[..end].trim(), "", &mut paths);
        }
        rest = &tail[end.min(tail.len())..];
    }
    for root in ["crate::", "super::", "self::"] {
        let mut from = 0;
        while let Some(found) = code[from..].find(root) {
            let at = from + found;
            let before_ok = code[..at]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric() && c != '_' && c != ':');
            let path: String = code[at..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            if before_ok {
                paths.push(path.trim_end_matches(':').to_string());
            }
            from = at + root.len();
        }
    }
    paths
}

fn expand_use_tree(tree: &str, prefix: &str, out: &mut Vec<String>) {
    let tree: String = tree.split_whitespace().collect::<Vec<_>>().join(" ");
    match tree.find('{') {
        None => {
            let path = tree.split(" as ").next().unwrap_or("").trim();
            out.push(format!("{prefix}{path}"));
        }
        Some(open) => {
            let head = &tree[..open];
            let inner = tree[open + 1..].trim_end().trim_end_matches('}');
            let mut depth = 0;
            let mut start = 0;
            for (index, c) in inner.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        push_branch(&inner[start..index], &format!("{prefix}{head}"), out);
                        start = index + 1;
                    }
                    _ => {}
                }
            }
            push_branch(&inner[start..], &format!("{prefix}{head}"), out);
        }
    }
}

fn push_branch(branch: &str, prefix: &str, out: &mut Vec<String>) {
    let branch = branch.trim();
    if !branch.is_empty() {
        expand_use_tree(branch, prefix, out);
    }
}

/// The module file a path names, if it is one of the crate's and neither `from` itself nor one
/// of `from`'s own submodules (a module owns and may use the files it declares; the invariant is
/// between siblings and across modules).
fn resolve(path: &str, from: &ModPath, files: &BTreeMap<ModPath, PathBuf>) -> Option<ModPath> {
    let mut segments = path.split("::").filter(|s| !s.is_empty()).peekable();
    let mut base: ModPath = match segments.peek().copied() {
        Some("crate") => {
            segments.next();
            Vec::new()
        }
        Some("super" | "self") => from.clone(),
        _ => return None,
    };
    let mut named: Vec<&str> = Vec::new();
    for segment in segments {
        match segment {
            "super" if named.is_empty() => {
                base.pop();
            }
            "self" if named.is_empty() => {}
            other => named.push(other),
        }
    }
    let full: ModPath = base
        .into_iter()
        .chain(named.iter().map(|s| s.to_string()))
        .collect();
    let deepest = (0..=full.len())
        .rev()
        .map(|len| full[..len].to_vec())
        .find(|prefix| files.contains_key(prefix))?;
    (!deepest.is_empty() && !deepest.starts_with(from)).then_some(deepest)
}

fn import_graph() -> BTreeMap<ModPath, BTreeSet<ModPath>> {
    let files = module_files();
    files
        .iter()
        .map(|(module, file)| {
            let text = std::fs::read_to_string(file).expect("source is UTF-8");
            let targets = paths_named(&code_of(&text))
                .iter()
                .filter_map(|path| resolve(path, module, &files))
                .collect();
            (module.clone(), targets)
        })
        .collect()
}

/// Strongly connected components with more than one file (Tarjan).
fn cycles(graph: &BTreeMap<ModPath, BTreeSet<ModPath>>) -> Vec<Vec<String>> {
    struct Search<'g> {
        graph: &'g BTreeMap<ModPath, BTreeSet<ModPath>>,
        index: BTreeMap<&'g ModPath, usize>,
        low: BTreeMap<&'g ModPath, usize>,
        stack: Vec<&'g ModPath>,
        found: Vec<Vec<String>>,
    }
    impl<'g> Search<'g> {
        fn visit(&mut self, node: &'g ModPath) {
            let order = self.index.len();
            self.index.insert(node, order);
            self.low.insert(node, order);
            self.stack.push(node);
            for next in self.graph.get(node).into_iter().flatten() {
                if !self.index.contains_key(next) {
                    self.visit(next);
                    let low = self.low[next].min(self.low[node]);
                    self.low.insert(node, low);
                } else if self.stack.contains(&next) {
                    let low = self.index[next].min(self.low[node]);
                    self.low.insert(node, low);
                }
            }
            if self.low[node] == self.index[node] {
                let mut component = Vec::new();
                while let Some(top) = self.stack.pop() {
                    component.push(top.join("/"));
                    if top == node {
                        break;
                    }
                }
                if component.len() > 1 {
                    component.sort();
                    self.found.push(component);
                }
            }
        }
    }
    let mut search = Search {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        found: Vec::new(),
    };
    for node in graph.keys() {
        if !search.index.contains_key(node) {
            search.visit(node);
        }
    }
    search.found.sort();
    search.found
}

#[test]
fn no_import_cycle_between_files() {
    let graph = import_graph();
    let edges: usize = graph.values().map(BTreeSet::len).sum();
    assert!(edges > 100, "the import graph was read ({edges} edges)");
    let found = cycles(&graph);
    assert!(
        found.is_empty(),
        "files of engine/src that import each other (break each cycle by moving the shared \
         vocabulary down):\n{}",
        found
            .iter()
            .map(|component| format!("  {}", component.join(" <-> ")))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_cycle_finder_finds_a_cycle() {
    let module = |path: &str| path.split('/').map(String::from).collect::<ModPath>();
    let mut graph = BTreeMap::new();
    graph.insert(module("a"), BTreeSet::from([module("b")]));
    graph.insert(module("b"), BTreeSet::from([module("c/d")]));
    graph.insert(module("c/d"), BTreeSet::from([module("a")]));
    graph.insert(module("e"), BTreeSet::from([module("a")]));
    assert_eq!(cycles(&graph), vec![vec!["a", "b", "c/d"]]);
}

#[test]
fn use_trees_and_relative_paths_resolve_to_files() {
    let files: BTreeMap<ModPath, PathBuf> = ["", "rule", "rule/ir", "rule/load", "matcher"]
        .iter()
        .map(|path| {
            let module: ModPath = path
                .split('/')
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect();
            (module, PathBuf::new())
        })
        .collect();
    let from: ModPath = vec!["rule".into(), "load".into()];
    let code = "use crate::rule::{ir::{Step, Fact}, self};\nuse super::ir as x;\nfn f() { crate::matcher::run(); }";
    let parent: ModPath = vec!["rule".into()];
    assert_eq!(
        resolve("self::ir::Step", &parent, &files),
        None,
        "a module's own file"
    );
    let mut resolved: Vec<String> = paths_named(code)
        .iter()
        .filter_map(|path| resolve(path, &from, &files))
        .map(|module| module.join("/"))
        .collect();
    resolved.sort();
    resolved.dedup();
    assert_eq!(resolved, ["matcher", "rule", "rule/ir"]);
}

#[test]
fn no_source_file_over_600_lines_before_its_tests() {
    let long: Vec<String> = module_files()
        .values()
        .filter_map(|file| {
            let text = std::fs::read_to_string(file).expect("source is UTF-8");
            let lines = lines_before_tests(&text);
            (lines > MAX_LINES).then(|| format!("  {} ({lines} lines)", file.display()))
        })
        .collect();
    assert!(
        long.is_empty(),
        "source files over {MAX_LINES} lines before their unit tests (split them by concern):\n{}",
        long.join("\n")
    );
}

#[test]
fn no_function_is_allowed_more_than_seven_parameters() {
    let allowed: Vec<String> = module_files()
        .values()
        .filter(|file| {
            std::fs::read_to_string(file)
                .expect("source is UTF-8")
                .contains("clippy::too_many_arguments")
        })
        .map(|file| format!("  {}", file.display()))
        .collect();
    assert!(
        allowed.is_empty(),
        "functions with more than seven parameters (group what belongs together in a struct):\n{}",
        allowed.join("\n")
    );
}
