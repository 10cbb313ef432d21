//! Sigma-style conditions over named selections:
//! `1 of sel_* and not filter_x`, `all of them`, `(a or b) and not c`.
//!
//! Precedence, loosest first: `or`, `and`, `not`, `1 of` / `all of`,
//! parentheses. Parses text into an [`Expr`] over selection indices; it never
//! evaluates anything.

/// A boolean expression over selections (by index into the matcher's selection list).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expr {
    Sel(usize),
    Not(Box<Expr>),
    And(Vec<Expr>),
    Or(Vec<Expr>),
}

/// Parses `text` against the selection names `names`.
pub fn parse(text: &str, names: &[String]) -> Result<Expr, String> {
    let tokens = tokenize(text)?;
    if tokens.is_empty() {
        return Err("empty condition".into());
    }
    let mut p = CondParser {
        tokens,
        at: 0,
        names,
    };
    let e = p.or()?;
    match p.tokens.get(p.at) {
        None => Ok(e),
        Some(t) => Err(format!("unexpected `{}` in condition", t.show())),
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    Word(String),
    Open,
    Close,
}

impl Tok {
    fn show(&self) -> &str {
        match self {
            Tok::Word(w) => w,
            Tok::Open => "(",
            Tok::Close => ")",
        }
    }

    fn is(&self, kw: &str) -> bool {
        matches!(self, Tok::Word(w) if w.eq_ignore_ascii_case(kw))
    }
}

fn tokenize(text: &str) -> Result<Vec<Tok>, String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        let flush = |word: &mut String, out: &mut Vec<Tok>| {
            if !word.is_empty() {
                out.push(Tok::Word(std::mem::take(word)));
            }
        };
        match c {
            '(' => {
                flush(&mut word, &mut out);
                out.push(Tok::Open);
            }
            ')' => {
                flush(&mut word, &mut out);
                out.push(Tok::Close);
            }
            c if c.is_whitespace() => flush(&mut word, &mut out),
            c if c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '*' | '?') => word.push(c),
            c => return Err(format!("unexpected character `{c}` in condition")),
        }
    }
    if !word.is_empty() {
        out.push(Tok::Word(word));
    }
    Ok(out)
}

struct CondParser<'a> {
    tokens: Vec<Tok>,
    at: usize,
    names: &'a [String],
}

impl CondParser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.at)
    }

    fn eat(&mut self, kw: &str) -> bool {
        if self.peek().is_some_and(|t| t.is(kw)) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn or(&mut self) -> Result<Expr, String> {
        let mut xs = vec![self.and()?];
        while self.eat("or") {
            xs.push(self.and()?);
        }
        Ok(if xs.len() == 1 {
            xs.remove(0)
        } else {
            Expr::Or(xs)
        })
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut xs = vec![self.not()?];
        while self.eat("and") {
            xs.push(self.not()?);
        }
        Ok(if xs.len() == 1 {
            xs.remove(0)
        } else {
            Expr::And(xs)
        })
    }

    fn not(&mut self) -> Result<Expr, String> {
        if self.eat("not") {
            return Ok(Expr::Not(Box::new(self.not()?)));
        }
        self.atom()
    }

    fn atom(&mut self) -> Result<Expr, String> {
        let Some(tok) = self.peek().cloned() else {
            return Err("condition ends too early: expected a selection".into());
        };
        self.at += 1;
        match tok {
            Tok::Open => {
                let e = self.or()?;
                if self.peek() != Some(&Tok::Close) {
                    return Err("missing `)` in condition".into());
                }
                self.at += 1;
                Ok(e)
            }
            Tok::Close => Err("unexpected `)` in condition".into()),
            Tok::Word(w) if w == "1" || w.eq_ignore_ascii_case("all") => {
                if !self.eat("of") {
                    return Err(format!("expected `of` after `{w}` in condition"));
                }
                let Some(Tok::Word(pattern)) = self.peek().cloned() else {
                    return Err(format!(
                        "expected a selection name or `them` after `{w} of`"
                    ));
                };
                self.at += 1;
                let picked: Vec<Expr> = if pattern.eq_ignore_ascii_case("them") {
                    (0..self.names.len()).map(Expr::Sel).collect()
                } else {
                    self.names
                        .iter()
                        .enumerate()
                        .filter(|(_, n)| glob(&pattern, n))
                        .map(|(i, _)| Expr::Sel(i))
                        .collect()
                };
                if picked.is_empty() {
                    return Err(format!("`{w} of {pattern}` matches no selection"));
                }
                Ok(if w == "1" {
                    Expr::Or(picked)
                } else {
                    Expr::And(picked)
                })
            }
            Tok::Word(w)
                if ["and", "or", "of", "them"]
                    .iter()
                    .any(|k| w.eq_ignore_ascii_case(k)) =>
            {
                Err(format!(
                    "unexpected `{w}` in condition: expected a selection"
                ))
            }
            Tok::Word(w) => match self.names.iter().position(|n| *n == w) {
                Some(i) => Ok(Expr::Sel(i)),
                None => Err(format!(
                    "unknown selection `{w}` in condition (selections: {})",
                    self.names.join(", ")
                )),
            },
        }
    }
}

/// Shell-style wildcard match: `*` any run, `?` one character.
fn glob(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    let (mut pi, mut ni) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ni < n.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some(pi);
                mark = ni;
                pi += 1;
            }
            Some(c) if *c == '?' || Some(c) == n.get(ni) => {
                pi += 1;
                ni += 1;
            }
            _ => match star {
                Some(s) => {
                    pi = s + 1;
                    mark += 1;
                    ni = mark;
                }
                None => return false,
            },
        }
    }
    p.get(pi..)
        .is_some_and(|rest| rest.iter().all(|c| *c == '*'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Vec<String> {
        ["sel_a", "sel_b", "filter_x"].map(String::from).to_vec()
    }

    #[test]
    fn precedence_and_forms() {
        let n = names();
        assert_eq!(
            parse("1 of sel_* and not filter_x", &n),
            Ok(Expr::And(vec![
                Expr::Or(vec![Expr::Sel(0), Expr::Sel(1)]),
                Expr::Not(Box::new(Expr::Sel(2)))
            ]))
        );
        assert_eq!(
            parse("sel_a or sel_b and filter_x", &n),
            Ok(Expr::Or(vec![
                Expr::Sel(0),
                Expr::And(vec![Expr::Sel(1), Expr::Sel(2)])
            ]))
        );
        assert_eq!(
            parse("(sel_a or sel_b) and filter_x", &n),
            Ok(Expr::And(vec![
                Expr::Or(vec![Expr::Sel(0), Expr::Sel(1)]),
                Expr::Sel(2)
            ]))
        );
        assert_eq!(
            parse("all of them", &n),
            Ok(Expr::And(vec![Expr::Sel(0), Expr::Sel(1), Expr::Sel(2)]))
        );
        assert_eq!(
            parse("1 of them", &n),
            Ok(Expr::Or(vec![Expr::Sel(0), Expr::Sel(1), Expr::Sel(2)]))
        );
        assert_eq!(
            parse("not not sel_a", &n),
            Ok(Expr::Not(Box::new(Expr::Not(Box::new(Expr::Sel(0))))))
        );
    }

    #[test]
    fn errors() {
        let n = names();
        assert_eq!(
            parse("sel_c", &n),
            Err(
                "unknown selection `sel_c` in condition (selections: sel_a, sel_b, filter_x)"
                    .into()
            )
        );
        assert_eq!(parse("(sel_a", &n), Err("missing `)` in condition".into()));
        assert_eq!(
            parse("sel_a and", &n),
            Err("condition ends too early: expected a selection".into())
        );
        assert_eq!(
            parse("1 of zz*", &n),
            Err("`1 of zz*` matches no selection".into())
        );
        assert_eq!(
            parse("sel_a sel_b", &n),
            Err("unexpected `sel_b` in condition".into())
        );
        assert_eq!(
            parse("sel_a | sel_b", &n),
            Err("unexpected character `|` in condition".into())
        );
        assert_eq!(parse("  ", &n), Err("empty condition".into()));
    }

    #[test]
    fn globs() {
        assert!(glob("sel_*", "sel_a"));
        assert!(glob("*", ""));
        assert!(glob("s?l*x", "sel_abx"));
        assert!(!glob("sel_*", "filter"));
        assert!(!glob("a", "ab"));
    }
}
