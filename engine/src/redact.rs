//! Secret redaction for evidence text: API keys, bearer tokens, passwords in
//! URLs, `token=`/`api_key:` style assignments.
//!
//! Applied to the text a report shows, never to what the matcher sees, and it
//! never changes spans: offsets always refer to the bytes on disk.

use std::borrow::Cow;
use std::sync::OnceLock;

use regex::Regex;

/// What a secret is replaced with.
pub const MASK: &str = "[REDACTED]";

fn patterns() -> &'static [(Regex, &'static str)] {
    static P: OnceLock<Vec<(Regex, &'static str)>> = OnceLock::new();
    P.get_or_init(|| {
        let r = |s: &str| Regex::new(s).expect("redaction pattern compiles");
        vec![
            // Provider keys with a recognisable prefix.
            (r(r"\b(?:sk-ant-[A-Za-z0-9_\-]{8,}|sk-(?:proj-)?[A-Za-z0-9_\-]{16,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|xox[abprs]-[A-Za-z0-9\-]{10,}|AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_\-]{30,}|glpat-[A-Za-z0-9_\-]{16,})"), MASK),
            // Authorization headers and bearer tokens.
            (r(r"(?i)\b(bearer|basic|token)\s+[A-Za-z0-9._~+/\-]{12,}=*"), "$1 [REDACTED]"),
            // user:password@ in URLs.
            (r(r"(?i)\b([a-z][a-z0-9+.\-]*://[^\s:/@]+:)[^\s@/]+@"), "${1}[REDACTED]@"),
        ]
    })
}

/// `key = value` / `"key": "value"` for secret-looking keys; the value must look
/// like a secret (a digit in it, or long), so prose like `tokens": Connection` stays.
fn assignment() -> &'static Regex {
    static A: OnceLock<Regex> = OnceLock::new();
    A.get_or_init(|| {
        Regex::new(r#"(?i)(["']?\b[a-z0-9_\-]*(?:api[_\-]?key|apikey|secret|token|password|passwd|pwd|auth)[a-z0-9_\-]*["']?\s*[:=]\s*["']?)([^\s"',;&}]{4,})"#)
            .expect("redaction pattern compiles")
    })
}

fn looks_secret(v: &str) -> bool {
    v.len() >= 20 || v.bytes().any(|b| b.is_ascii_digit())
}

/// `text` with secrets masked (borrowed when nothing was found).
pub fn redact(text: &str) -> Cow<'_, str> {
    let mut out = Cow::Borrowed(text);
    for (re, rep) in patterns() {
        if re.is_match(&out) {
            out = Cow::Owned(re.replace_all(&out, *rep).into_owned());
        }
    }
    let a = assignment();
    if a.captures_iter(&out).any(|c| looks_secret(&c[2])) {
        let replaced = a.replace_all(&out, |c: &regex::Captures<'_>| {
            if looks_secret(&c[2]) {
                format!("{}{MASK}", &c[1])
            } else {
                c[0].to_string()
            }
        });
        out = Cow::Owned(replaced.into_owned());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn masks_known_key_shapes() {
        assert_eq!(
            redact("key sk-ant-api03-abcdefghijklmnop end"),
            "key [REDACTED] end"
        );
        assert_eq!(redact("ghp_0123456789abcdefghijABCDEFGHIJ"), "[REDACTED]");
        assert_eq!(
            redact("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig"),
            "Authorization: Bearer [REDACTED]"
        );
    }

    #[test]
    fn masks_passwords_in_urls_and_assignments() {
        assert_eq!(
            redact("connect https://bob:hunter22@db.example.com:5432/x"),
            "connect https://bob:[REDACTED]@db.example.com:5432/x"
        );
        assert_eq!(
            redact(r#"{"GITHUB_TOKEN": "abcd1234efgh"}"#),
            r#"{"GITHUB_TOKEN": "[REDACTED]"}"#
        );
        assert_eq!(redact("API_KEY=xyz98765 next"), "API_KEY=[REDACTED] next");
    }

    #[test]
    fn leaves_ordinary_log_text_alone() {
        let line = r#"2025-06-03T07:23:52.664Z [error] [vscode-mcp-server] spawn npx ENOENT"#;
        assert_eq!(redact(line), line);
        let t = "MCP server \"tokens\": Connection failed: spawn tokenizer ENOENT";
        assert_eq!(redact(t), t);
    }
}
