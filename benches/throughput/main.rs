//! The throughput harness (issue 4, DESIGN §8): generates its inputs under
//! `target/throughput/`, runs logscan and `rg -c -i -F -f literals.txt` side
//! by side, alternately, several times, and prints a markdown table (median
//! time, MiB/s, rate, peak RSS, ratio to the case's first row).
//!
//! Run from a fresh clone: `cargo bench --bench throughput` (add `-- --quick`
//! for small sizes; `-- --only mixed-1g --runs 5` for one case). Without
//! `--bench` (as `cargo test --benches` runs it) it does nothing. It never
//! asserts on time: figures go to people (benches/RESULTS.md), not to tests.

mod args;
mod cases;
mod inputs;
mod measure;
mod table;

#[allow(dead_code)]
#[path = "../gen/mod.rs"]
mod gen;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use args::{Options, CASES};
use cases::{Ctx, Outcome};
use inputs::Background;
use measure::Tools;

fn main() -> ExitCode {
    let opts = match Options::parse(std::env::args().skip(1)) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}\n{}", args::USAGE);
            return ExitCode::from(2);
        }
    };
    if !opts.bench {
        println!("throughput harness: run it with `cargo bench --bench throughput [-- --quick]`");
        return ExitCode::SUCCESS;
    }
    match run(opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("throughput: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(opts: Options) -> Result<(), String> {
    let logscan = PathBuf::from(env!("CARGO_BIN_EXE_logscan"));
    // <target>/release/logscan -> <target>/throughput
    let dir = logscan
        .parent()
        .and_then(Path::parent)
        .map(|t| t.join("throughput"))
        .ok_or("cannot locate the target folder")?;
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let literals = dir.join("literals.txt");
    write_literals(&logscan, &literals)?;
    let data = opts.data.clone().or_else(shared_data);
    let background = Background::load(data.as_deref());
    let tools = Tools::find();
    println!(
        "# throughput ({}; {} runs; background: {}; {}; {} cores)",
        if opts.quick {
            "quick sizes"
        } else {
            "full sizes"
        },
        opts.runs,
        background.origin,
        measure::rg_version().unwrap_or_else(|| "no rg".into()),
        std::thread::available_parallelism().map_or(1, |n| n.get()),
    );
    let ctx = Ctx {
        opts,
        tools,
        logscan,
        dir: dir.clone(),
        literals,
        data,
        background,
    };
    let mut rows = Vec::new();
    let mut skipped = Vec::new();
    for name in CASES.iter().filter(|c| ctx.opts.wants(c)) {
        println!("## {name}");
        match cases::run(&ctx, name) {
            Outcome::Rows(r) => rows.extend(r),
            Outcome::Skipped(why) => {
                println!("  skipped: {why}");
                skipped.push(format!("- {name} skipped: {why}"));
            }
        }
    }
    let mut table = table::markdown(&rows);
    for s in &skipped {
        table.push_str(s);
        table.push('\n');
    }
    println!("\n{table}");
    let saved = dir.join("results.md");
    std::fs::write(&saved, &table).map_err(|e| format!("{}: {e}", saved.display()))?;
    println!("(also written to {})", saved.display());
    Ok(())
}

/// `logscan rules literals` without its `#` header line, one literal per line.
fn write_literals(logscan: &Path, to: &Path) -> Result<(), String> {
    let out = Command::new(logscan)
        .args(["rules", "literals"])
        .output()
        .map_err(|e| format!("{}: {e}", logscan.display()))?;
    if !out.status.success() {
        return Err("`logscan rules literals` failed".into());
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let lits: String = text
        .lines()
        .enumerate()
        .filter(|(i, l)| !(l.is_empty() || *i == 0 && l.starts_with('#')))
        .map(|(_, l)| l)
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(to, lits).map_err(|e| format!("{}: {e}", to.display()))
}

/// `../shared/data` beside the checkout (or beside its parent, for worktrees).
fn shared_data() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    ["../shared/data", "../../shared/data"]
        .iter()
        .map(|p| root.join(p))
        .find(|p| p.is_dir())
}
