//! Size limits on what a rule set may hold, checked at load (docs/rules.md, "Limits").
//!
//! The literal automata (the prefilter here, one finder per format in
//! `stream::cache`) are DFAs whose size grows with the literal bytes they hold:
//! a 100 KB literal took 32 s to compile and a 50 MB one asked for 14.7 GB. The
//! limits sit far above what real rules need (the built-in pack's longest file
//! is 3.2 KB, its longest matcher value 230 bytes, all its literals 7.9 KB) and
//! keep a hostile rule file from costing more than a second or a few MiB. This
//! module only measures; `load` and `record` turn an excess into a [`RuleError`]
//! naming the file and line.
//!
//! [`RuleError`]: crate::rule::load::RuleError

use std::collections::HashSet;
use std::sync::Arc;

use crate::rule::ir::RecordPredicate;

/// Largest rule file, in bytes.
pub const MAX_RULE_FILE_BYTES: usize = 256 * 1024;

/// Largest string value or regex of one matcher (`msg|contains: ...`, `msg|re: ...`), in bytes.
pub const MAX_VALUE_BYTES: usize = 4 * 1024;

/// Largest total of the distinct literals of a rule set (what the automata hold), in bytes.
pub const MAX_LITERAL_BYTES: usize = 64 * 1024;

/// `n` bytes as people read them (`4 KiB`, `300 bytes`).
pub fn size(n: usize) -> String {
    if n >= 1024 && n.is_multiple_of(1024) {
        format!("{} KiB", n / 1024)
    } else {
        format!("{n} bytes")
    }
}

/// The distinct literals of a rule set, counted as they are added.
#[derive(Debug, Default)]
pub struct LiteralBytes {
    seen: HashSet<String>,
    total: usize,
}

impl LiteralBytes {
    /// Adds the literals of `preds` (as the prefilter takes them: lower-case,
    /// each once) and returns the running total in bytes.
    pub fn add(&mut self, preds: &[Arc<dyn RecordPredicate>]) -> usize {
        for p in preds {
            for lit in p.required_literals().into_iter().flatten() {
                let lit = lit.to_ascii_lowercase();
                if !lit.is_empty() && !self.seen.contains(&lit) {
                    self.total += lit.len();
                    self.seen.insert(lit);
                }
            }
        }
        self.total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_written_in_the_docs() {
        assert_eq!(size(MAX_RULE_FILE_BYTES), "256 KiB");
        assert_eq!(size(MAX_VALUE_BYTES), "4 KiB");
        assert_eq!(size(MAX_LITERAL_BYTES), "64 KiB");
        assert_eq!(size(300), "300 bytes");
    }

    #[test]
    fn the_built_in_pack_is_far_below_every_limit() {
        let files = crate::rule::builtin::files();
        let set = crate::rule::load::compile(&files).expect("the built-in pack loads");
        let total: usize = set.prefilter.literals().iter().map(|l| l.len()).sum();
        assert!(total * 4 < MAX_LITERAL_BYTES, "{total}");
        for f in &files {
            assert!(f.text.len() * 16 < MAX_RULE_FILE_BYTES, "{}", f.path);
        }
    }

    fn rule_file(id: &str, values: &[String]) -> crate::rule::load::RuleFile {
        let list: Vec<String> = values.iter().map(|v| format!("'{v}'")).collect();
        crate::rule::load::RuleFile {
            path: format!("{id}.yaml"),
            text: format!(
                "id: {id}\ncause: c\ntitle: t\nconfidence: 0.5\nsteps:\n  - id: s\n    match: {{msg|contains: [{}]}}\ndiagnosis:\n  summary: s\n  explanation: e\n  fix: f\n",
                list.join(", ")
            ),
        }
    }

    fn errors(files: &[crate::rule::load::RuleFile]) -> Vec<String> {
        match crate::rule::load::compile(files) {
            Ok(_) => Vec::new(),
            Err(e) => e.iter().map(|e| e.to_string()).collect(),
        }
    }

    #[test]
    fn a_value_over_the_limit_is_refused_with_its_place() {
        let long = "x".repeat(MAX_VALUE_BYTES + 1);
        let e = errors(&[rule_file("a.long", &[long])]);
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].starts_with("a.long.yaml:7:28: the value of `msg|contains` is 4097 bytes, over the limit of 4 KiB for one matcher value"),
            "{}",
            &e[0][..200]
        );
        // The snippet under the error is cut, not the whole line.
        assert!(e[0].len() < 600, "{}", e[0].len());
        let at_limit = "x".repeat(MAX_VALUE_BYTES);
        assert_eq!(
            errors(&[rule_file("a.long", &[at_limit])]),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_rule_file_over_the_limit_is_refused_unparsed() {
        let mut f = rule_file("a.big", &["boom".into()]);
        f.text.push_str(&"#".repeat(MAX_RULE_FILE_BYTES));
        let e = errors(&[f]);
        assert_eq!(
            e,
            vec!["a.big.yaml: rule file is larger than the limit of 256 KiB (docs/rules.md, \"Limits\")".to_string()]
        );
    }

    #[test]
    fn the_literals_of_a_rule_set_are_capped_at_the_file_that_crosses_the_limit() {
        // 17 files of 4 distinct 1000-byte literals: 68,000 bytes, the 17th crosses 65,536.
        let files: Vec<_> = (0..17)
            .map(|i| {
                let values: Vec<String> = (0..4)
                    .map(|j| format!("{i:03}-{j}-{}", "y".repeat(994)))
                    .collect();
                rule_file(&format!("r.n{i:02}"), &values)
            })
            .collect();
        let e = errors(&files);
        assert_eq!(
            e,
            vec!["r.n16.yaml: with this file the rule set's literals (the distinct texts the prefilter looks for) reach 68000 bytes, over the limit of 64 KiB (docs/rules.md, \"Limits\")".to_string()]
        );
        assert_eq!(errors(&files[..16]), Vec::<String>::new());
    }
}
