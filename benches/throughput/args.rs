//! Command-line options of the throughput harness (`cargo bench --bench
//! throughput -- [--quick] [--only NAME]... [--runs N] [--data DIR]`).
//!
//! Parsing never panics: an unknown or malformed option is an error message.

use std::path::PathBuf;

/// Every case, in run order.
pub const CASES: [&str; 11] = [
    "mixed-1g",
    "dense",
    "dense-1g",
    "dense-server",
    "dense-code",
    "dense-vscode",
    "mixed-4g",
    "adversarial",
    "threads",
    "bundles",
    "evtx",
];

#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Small sizes (minutes, not hours): to check the harness itself.
    pub quick: bool,
    /// Cases to run (all when empty).
    pub only: Vec<String>,
    /// Runs per tool and case (alternated).
    pub runs: usize,
    /// `../shared/data` (loghub background, evtx samples) when not found beside the checkout.
    pub data: Option<PathBuf>,
    /// Set by `cargo bench`; without it (`cargo test --benches`) nothing runs.
    pub bench: bool,
}

pub const USAGE: &str =
    "usage: cargo bench --bench throughput -- [--quick] [--only CASE]... [--runs N] [--data DIR]
cases: mixed-1g dense dense-1g dense-server dense-code dense-vscode mixed-4g adversarial threads
       bundles evtx";

impl Options {
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Options, String> {
        let mut o = Options {
            quick: false,
            only: Vec::new(),
            runs: 3,
            data: None,
            bench: false,
        };
        let mut it = args.into_iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "--bench" => o.bench = true,
                "--quick" => o.quick = true,
                "--only" => {
                    let name = it.next().ok_or("--only needs a case name")?;
                    if !CASES.contains(&name.as_str()) {
                        return Err(format!("unknown case {name:?}"));
                    }
                    o.only.push(name);
                }
                "--runs" => {
                    let n = it.next().ok_or("--runs needs a number")?;
                    o.runs = match n.parse::<usize>() {
                        Ok(n) if n > 0 => n,
                        _ => return Err(format!("--runs {n}: must be a positive number")),
                    };
                }
                "--data" => o.data = Some(it.next().ok_or("--data needs a folder")?.into()),
                "-h" | "--help" => return Err(USAGE.to_string()),
                other => return Err(format!("unknown argument {other:?}")),
            }
        }
        Ok(o)
    }

    /// Whether case `name` is selected.
    pub fn wants(&self, name: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|o| o == name)
    }
}
