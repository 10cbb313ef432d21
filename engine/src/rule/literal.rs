//! Required literals: sets of lower-case strings such that every record a
//! matcher accepts contains at least one of them (ASCII case-insensitively).
//!
//! Used only to build the prefilter. Everything here must err towards `None`
//! ("no literal, always evaluate"): a literal that a matching record might not
//! contain would make the prefilter drop a real match.
//!
//! One exception is made on purpose: Unicode case folding makes `(?i)s` match
//! `ſ` (U+017F) and `(?i)k` the Kelvin sign (U+212A). Treating those classes as
//! not-a-literal would leave every word with an `s` or `k` without literals, so
//! they count as the ASCII letter here, and the prefilter instead makes every
//! record that contains one of [`FOLDED`] a candidate for every predicate.

use regex_syntax::hir::{Class, Hir, HirKind};

/// Shortest literal worth a prefilter entry.
pub const MIN_LEN: usize = 3;
/// Largest literal set kept for one predicate.
const MAX_SET: usize = 128;
/// Non-ASCII characters that case-fold to an ASCII letter (`ſ` to `s`, `K` to `k`):
/// records holding one are candidates for every predicate (see the module docs).
pub const FOLDED: [char; 2] = ['\u{17F}', '\u{212A}'];

/// The longest piece of `s` that is safe as a literal: ASCII, no `\`, `"`, `/`
/// or control characters (JSON escaping can make a field differ from the raw
/// record text there), at least [`MIN_LEN`] long; lower-cased.
pub fn safe_piece(s: &str) -> Option<String> {
    s.split(|c: char| !c.is_ascii() || c.is_ascii_control() || matches!(c, '\\' | '"' | '/'))
        .max_by_key(|p| p.len())
        .filter(|p| p.len() >= MIN_LEN)
        .map(str::to_ascii_lowercase)
}

/// The more selective of two literal sets: longer shortest literal, then fewer literals.
pub fn best(a: Option<Vec<String>>, b: Option<Vec<String>>) -> Option<Vec<String>> {
    match (a, b) {
        (None, x) | (x, None) => x,
        (Some(a), Some(b)) => {
            let score = |s: &Vec<String>| {
                (
                    s.iter().map(String::len).min().unwrap_or(0),
                    usize::MAX - s.len(),
                )
            };
            Some(if score(&b) > score(&a) { b } else { a })
        }
    }
}

/// The union of literal sets (OR): `None` when any branch has none.
pub fn union(sets: impl IntoIterator<Item = Option<Vec<String>>>) -> Option<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for s in sets {
        for l in s? {
            if !out.contains(&l) {
                out.push(l);
            }
        }
    }
    if out.is_empty() || out.len() > MAX_SET {
        return None;
    }
    Some(out)
}

/// Required literals of a regex as it is compiled (`case_insensitive` unless `|cased`).
pub fn of_regex(pattern: &str, case_insensitive: bool) -> Option<Vec<String>> {
    let hir = regex_syntax::ParserBuilder::new()
        .case_insensitive(case_insensitive)
        .build()
        .parse(pattern)
        .ok()?;
    required(analyze(&hir))
}

enum Lit {
    /// Matches exactly one of these texts (zero-width assertions match ""): an
    /// alternation of literals stays exact, and a concatenation multiplies out,
    /// so `wsl(?:\.exe|info)` requires `wsl.exe` or `wslinfo`, not `info`.
    Exact(Vec<String>),
    /// Every match contains one of these (or `None`: nothing known).
    Req(Option<Vec<String>>),
}

fn required(l: Lit) -> Option<Vec<String>> {
    match l {
        Lit::Exact(set) => union(set.iter().map(|s| safe_piece(s).map(|p| vec![p]))),
        Lit::Req(r) => r,
    }
}

fn analyze(h: &Hir) -> Lit {
    match h.kind() {
        HirKind::Empty | HirKind::Look(_) => Lit::Exact(vec![String::new()]),
        HirKind::Literal(lit) => match std::str::from_utf8(&lit.0) {
            Ok(s) => Lit::Exact(vec![s.to_string()]),
            Err(_) => Lit::Req(None),
        },
        HirKind::Class(c) => match single_ascii(c) {
            Some(ch) => Lit::Exact(vec![ch.to_string()]),
            None => Lit::Req(None),
        },
        HirKind::Repetition(r) => {
            if r.min == 0 {
                Lit::Req(None)
            } else if r.min == 1 && r.max == Some(1) {
                analyze(&r.sub)
            } else {
                Lit::Req(required(analyze(&r.sub)))
            }
        }
        HirKind::Capture(c) => analyze(&c.sub),
        HirKind::Concat(xs) => {
            let mut run = vec![String::new()];
            let mut all_exact = true;
            let mut pick: Option<Vec<String>> = None;
            for x in xs {
                match analyze(x) {
                    Lit::Exact(next) if run.len() * next.len() <= MAX_SET => {
                        run = run
                            .iter()
                            .flat_map(|a| next.iter().map(move |b| format!("{a}{b}")))
                            .collect();
                    }
                    Lit::Exact(next) => {
                        // Too many texts: close this run and start another.
                        all_exact = false;
                        pick = best(
                            pick,
                            required(Lit::Exact(std::mem::replace(&mut run, next))),
                        );
                    }
                    Lit::Req(r) => {
                        all_exact = false;
                        let done = std::mem::replace(&mut run, vec![String::new()]);
                        pick = best(pick, required(Lit::Exact(done)));
                        pick = best(pick, r);
                    }
                }
            }
            if all_exact {
                Lit::Exact(run)
            } else {
                Lit::Req(best(pick, required(Lit::Exact(run))))
            }
        }
        HirKind::Alternation(xs) => {
            let alts: Vec<Lit> = xs.iter().map(analyze).collect();
            let exact: Option<Vec<String>> = alts.iter().try_fold(Vec::new(), |mut acc, a| {
                let Lit::Exact(set) = a else { return None };
                acc.extend(set.iter().cloned());
                Some(acc)
            });
            match exact {
                Some(mut set) if set.len() <= MAX_SET => {
                    set.dedup();
                    Lit::Exact(set)
                }
                _ => Lit::Req(union(alts.into_iter().map(required))),
            }
        }
    }
}

/// A class that only matches case variants of one ASCII character (as `(?i)a`
/// gives `[Aa]`), also when it holds a [`FOLDED`] character (`(?i)k` matches the
/// Kelvin sign). Classes with other non-ASCII characters are not literals.
fn single_ascii(c: &Class) -> Option<char> {
    let chars: Vec<char> = match c {
        Class::Unicode(u) => {
            let mut v = Vec::new();
            for r in u.iter() {
                if (r.end() as u32) - (r.start() as u32) > 2 || v.len() > 2 {
                    return None;
                }
                v.extend(r.start()..=r.end());
            }
            v
        }
        Class::Bytes(b) => {
            let mut v = Vec::new();
            for r in b.iter() {
                if r.end() - r.start() > 2 || v.len() > 2 {
                    return None;
                }
                v.extend((r.start()..=r.end()).map(char::from));
            }
            v
        }
    };
    let first = chars.iter().find(|c| c.is_ascii())?.to_ascii_lowercase();
    chars
        .iter()
        .all(|c| (c.is_ascii() && c.to_ascii_lowercase() == first) || FOLDED.contains(c))
        .then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(xs: &[&str]) -> Option<Vec<String>> {
        Some(xs.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn regex_literals() {
        assert_eq!(
            of_regex(r"Spawning MCP server", true),
            v(&["spawning mcp server"])
        );
        assert_eq!(of_regex(r"(?:users|kill)", true), v(&["users", "kill"]));
        // Alternations multiply out with what surrounds them.
        assert_eq!(
            of_regex(r"\bwsl(?:\.exe|info)\b", true),
            v(&["wsl.exe", "wslinfo"])
        );
        assert_eq!(
            of_regex(r"(?:npx|node)\.(?:cmd|exe)", true),
            v(&["npx.cmd", "npx.exe", "node.cmd", "node.exe"])
        );
        assert_eq!(
            of_regex(r"Spawning MCP server", false),
            v(&["spawning mcp server"])
        );
        assert_eq!(
            of_regex(r"\bspawn (?P<cmd>npx|npm|pnpm)(?:\.cmd)? ENOENT", false),
            v(&["spawn npx", "spawn npm", "spawn pnpm"])
        );
        assert_eq!(
            of_regex(r"(?:ECONNREFUSED|EPIPE)", false),
            v(&["econnrefused", "epipe"])
        );
        assert_eq!(of_regex(r"(?:ECONNREFUSED|EP)", false), None);
        assert_eq!(of_regex(r".*", false), None);
        assert_eq!(of_regex(r"(abc)?def", false), v(&["def"]));
        assert_eq!(of_regex(r"(abc)?de", false), None);
        assert_eq!(of_regex(r"(abcd)+x", false), v(&["abcd"]));
        assert_eq!(
            of_regex(r#"server "(?P<server>[^"]+)" failed"#, false),
            v(&["server "])
        );
        assert_eq!(of_regex(r"[A-Za-z]:\\{1,2}Users", false), v(&["users"]));
        assert_eq!(of_regex(r"(", false), None);
    }

    #[test]
    fn pieces_and_choice() {
        assert_eq!(
            safe_piece(r#"say "hello world""#),
            Some("hello world".into())
        );
        assert_eq!(safe_piece("/mnt/c"), Some("mnt".into()));
        assert_eq!(safe_piece("a/b"), None);
        assert_eq!(safe_piece("Größe Datei"), Some("e datei".into()));
        assert_eq!(
            best(v(&["abc"]), v(&["abcd", "efgh"])),
            v(&["abcd", "efgh"])
        );
        assert_eq!(best(v(&["abcd"]), v(&["abcd", "efgh"])), v(&["abcd"]));
        assert_eq!(union([v(&["abc"]), v(&["def", "abc"])]), v(&["abc", "def"]));
        assert_eq!(union([v(&["abc"]), None]), None);
    }
}
