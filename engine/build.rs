//! Embeds the built-in rule pack (`../rules/**/*.yaml`, minus tests and
//! fixtures) into the engine, so `logscan scan` needs no configuration.

use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("../rules");
    println!("cargo:rerun-if-changed={}", rules.display());
    let mut files = Vec::new();
    if rules.is_dir() {
        walk(&rules, &mut files);
    }
    files.sort();
    let mut out =
        String::from("/// `(path relative to rules/, contents)` of every built-in rule file.\n");
    out.push_str("pub static FILES: &[(&str, &str)] = &[\n");
    for f in &files {
        let rel = f
            .strip_prefix(&rules)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let abs = fs::canonicalize(f).unwrap();
        out.push_str(&format!(
            "    ({rel:?}, include_str!({:?})),\n",
            abs.display().to_string()
        ));
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("builtin_rules.rs");
    fs::write(dest, out).unwrap();
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    println!("cargo:rerun-if-changed={}", dir.display());
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if p.is_dir() {
            if name != "fixtures" && !name.ends_with(".fixtures") {
                walk(&p, out);
            }
        } else if is_rule_file(&name) {
            println!("cargo:rerun-if-changed={}", p.display());
            out.push(p);
        }
    }
}

fn is_rule_file(name: &str) -> bool {
    (name.ends_with(".yaml") || name.ends_with(".yml"))
        && !name.ends_with(".test.yaml")
        && !name.ends_with(".test.yml")
}
