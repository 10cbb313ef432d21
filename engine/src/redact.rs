//! Secret redaction: the one function every text that leaves the engine goes
//! through (evidence, unexplained groups, every filled template placeholder,
//! input notes, `logscan events`), unless the user asks for `--no-redact`.
//!
//! What counts as a secret (docs/redaction.md lists them with examples):
//! provider keys with a known prefix (Anthropic `sk-ant-`, OpenAI `sk-` /
//! `sk-proj-`, GitHub `ghp_` `gho_` `ghu_` `ghs_` `ghr_` `github_pat_`, AWS
//! `AKIA`/`ASIA` key ids, Slack, Google, GitLab), JWTs, the credential after
//! `Bearer` / `Basic` / `token`, the password of a URL (`https://user:pw@host`),
//! the value of a secret-named pair (`password=`, `"password": "..."`,
//! `secret:`, `token=`, `api_key`, `--password <word>`, an AWS secret access
//! key), a bare 40-character AWS secret in a text that holds an access key id,
//! and every value of a client config's `env` block (names are kept; a
//! variable reference such as `${TRACKER_TOKEN}` is no value and stays).
//!
//! Only the secret itself is replaced, by [`MASK`]: the key, the scheme, the
//! user name and the quotes stay, so the reader still sees what was there.
//! It is applied to the text a report or a printer shows, never to what the
//! matcher sees, and it never changes spans: offsets always refer to the
//! bytes on disk. It must never mask ordinary log text: ids, hashes, UUIDs,
//! paths, versions, timestamps and a .NET `PublicKeyToken` stay as they are.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

/// What a secret is replaced with.
pub const MASK: &str = "[REDACTED]";

/// `text` with every secret replaced by [`MASK`] (borrowed when there was none).
pub fn redact(text: &str) -> Cow<'_, str> {
    mask(text, secrets(text))
}

/// `text` with the secrets that touch one of `parts` replaced (the rest of
/// the text is not the log's: a diagnosis template around filled
/// placeholders, whose examples must stay). A secret is found in the whole
/// text, so a key written in the template and its value in a placeholder
/// (`token={tok}`) is found too.
pub fn redact_within<'a>(text: &'a str, parts: &[Range<usize>]) -> Cow<'a, str> {
    let found = secrets(text)
        .into_iter()
        .filter(|s| parts.iter().any(|p| s.start < p.end && p.start < s.end))
        .collect();
    mask(text, found)
}

/// [`redact`] when `on`, else `text` as it is (`--no-redact`).
pub fn redact_if(on: bool, text: &str) -> Cow<'_, str> {
    if on {
        redact(text)
    } else {
        Cow::Borrowed(text)
    }
}

/// Replaces each range (sorted, disjoint) by [`MASK`].
fn mask(text: &str, ranges: Vec<Range<usize>>) -> Cow<'_, str> {
    if ranges.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for r in ranges {
        out.push_str(&text[at..r.start]);
        out.push_str(MASK);
        at = r.end;
    }
    out.push_str(&text[at..]);
    Cow::Owned(out)
}

/// The byte ranges of every secret in `text`: sorted, overlapping ones merged.
fn secrets(text: &str) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    prefixed(text, &mut found);
    auth_schemes(text, &mut found);
    url_passwords(text, &mut found);
    pairs(text, &mut found);
    aws_secrets(text, &mut found);
    env_blocks(text, &mut found);
    found.retain(|r| r.start < r.end);
    found.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(found.len());
    for r in found {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("redaction pattern compiles")
}

/// Tokens whose prefix names them a secret: the whole token is masked.
fn prefixed(text: &str, found: &mut Vec<Range<usize>>) {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = R.get_or_init(|| {
        re(concat!(
            r"(?-u:\b)(?:",
            r"sk-ant-[A-Za-z0-9_\-]{8,}",
            r"|(?P<openai>sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{20,})",
            r"|gh[pousr]_[A-Za-z0-9]{20,}",
            r"|github_pat_[A-Za-z0-9_]{20,}",
            r"|(?:AKIA|ASIA)[0-9A-Z]{16}(?-u:\b)",
            r"|eyJ[A-Za-z0-9_\-]{4,}\.eyJ[A-Za-z0-9_\-]{4,}\.[A-Za-z0-9_\-]*",
            r"|xox[abprs]-[A-Za-z0-9\-]{10,}",
            r"|AIza[0-9A-Za-z_\-]{30,}",
            r"|glpat-[A-Za-z0-9_\-]{16,}",
            r")"
        ))
    });
    for c in r.captures_iter(text) {
        // An OpenAI key mixes cases or digits; `sk-some-long-package-name` is a name.
        if let Some(k) = c.name("openai") {
            let body = &k.as_str()[3..];
            if !body
                .bytes()
                .any(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
            {
                continue;
            }
        }
        let m = c.get(0).expect("group 0");
        found.push(m.range());
    }
}

/// The credential after `Bearer`, `Basic` or `token` (an `Authorization`
/// header). An auth parameter (`Bearer realm="x"`, `resource_metadata="..."`)
/// and prose (`Basic authentication`, `token expired`) are not credentials.
fn auth_schemes(text: &str, found: &mut Vec<Range<usize>>) {
    static R: OnceLock<Regex> = OnceLock::new();
    let r =
        R.get_or_init(|| re(r"(?i)(?-u:\b)(?:bearer|basic|token)[ \t]+([A-Za-z0-9._~+/\-]+=*)"));
    for c in r.captures_iter(text) {
        let v = c.get(1).expect("group 1");
        let after = text[v.end()..].chars().next();
        if v.as_str().ends_with('=') && matches!(after, Some('"') | Some('\'')) {
            continue;
        }
        if looks_token(v.as_str()) {
            found.push(v.range());
        }
    }
}

/// A word that reads as a credential, not prose: 8 characters or more, with a
/// digit, a `+`, `/` or `=`, or a capital past its first letter.
fn looks_token(v: &str) -> bool {
    v.len() >= 8
        && v.bytes().enumerate().any(|(i, b)| {
            b.is_ascii_digit()
                || matches!(b, b'+' | b'/' | b'=')
                || (i > 0 && b.is_ascii_uppercase())
        })
}

/// `scheme://user:password@host`: the password.
fn url_passwords(text: &str, found: &mut Vec<Range<usize>>) {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = R.get_or_init(|| re(r"(?i)(?-u:\b)[a-z][a-z0-9+.\-]*://[^\s:/@]+:([^\s@/]+)@"));
    for c in r.captures_iter(text) {
        found.push(c.get(1).expect("group 1").range());
    }
}

/// `key = value`, `key: value`, `"key": "value"`, `--key value` for keys that
/// name a secret: the value. A key must end with the secret word
/// (`GITHUB_TOKEN`, `client_secret`, `x-api-key`; not `max_tokens`).
fn pairs(text: &str, found: &mut Vec<Range<usize>>) {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = R.get_or_init(|| {
        re(concat!(
            r#"(?i)(?P<flag>--?)?(?-u:\b)(?P<key>[A-Za-z0-9_.\-]*?"#,
            r"(?P<word>password|passwd|passphrase|secret|token|api[_\-]?key|apikey|access[_\-]?key|secret[_\-]?key|private[_\-]?key|credentials?))",
            r#"(?:\\?["'])?(?P<sep>[ \t]*[:=][ \t]*|[ \t]+)"#
        ))
    });
    for c in r.captures_iter(text) {
        let sep = c.name("sep").expect("sep");
        // `--password hunter2`: a blank separates a value only after a flag.
        if !sep.as_str().contains([':', '=']) {
            let flag_alone = c.name("flag").is_some_and(|f| {
                text[..f.start()]
                    .chars()
                    .next_back()
                    .is_none_or(|b| b.is_whitespace() || b == '"' || b == '\'')
            });
            if !flag_alone {
                continue;
            }
        }
        let key = c.name("key").expect("key").as_str();
        if is_public_key(key) {
            continue;
        }
        let Some(v) = value_at(text, sep.end()) else {
            continue;
        };
        let value = &text[v.clone()];
        if is_placeholder(value) {
            continue;
        }
        let token = c
            .name("word")
            .expect("word")
            .as_str()
            .eq_ignore_ascii_case("token");
        // `token: expired` is prose; a password is a secret whatever it looks like.
        if token && !(looks_token(value) || value.len() >= 20) {
            continue;
        }
        found.push(v);
    }
}

/// Names that end like a secret but are not one: a .NET assembly's
/// `PublicKeyToken`, MCP's `progressToken`, a paging token.
fn is_public_key(key: &str) -> bool {
    let k: String = key
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    ["publickeytoken", "progresstoken", "pagetoken", "publickey"]
        .iter()
        .any(|n| k.ends_with(n))
}

/// A value that holds no secret: nothing, a literal, a reference to one.
fn is_placeholder(v: &str) -> bool {
    let l = v.to_ascii_lowercase();
    matches!(
        l.as_str(),
        "null" | "none" | "nil" | "undefined" | "true" | "false" | "required" | "missing"
    ) || v.starts_with(['$', '<', '%', '{', '['])
        || v.bytes().all(|b| b == b'*')
        || v == MASK
}

/// The value that starts at `at`: quoted (`"..."`, `'...'`, `\"...\"`, the
/// quotes kept outside), or bare up to a blank or a delimiter.
fn value_at(text: &str, at: usize) -> Option<Range<usize>> {
    let rest = &text[at..];
    let line_end = rest.find(['\n', '\r']).unwrap_or(rest.len());
    let rest = &rest[..line_end];
    let (start, end) = if let Some(body) = rest.strip_prefix("\\\"") {
        (2, 2 + body.find("\\\"").unwrap_or(body.len()))
    } else if let Some(q) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let body = &rest[1..];
        let mut end = body.len();
        let mut escaped = false;
        for (i, ch) in body.char_indices() {
            if escaped {
                escaped = false;
            } else if ch == '\\' {
                escaped = true;
            } else if ch == q {
                end = i;
                break;
            }
        }
        (1, 1 + end)
    } else {
        let end = rest
            .find(|c: char| {
                c.is_whitespace()
                    || matches!(
                        c,
                        '"' | '\'' | ',' | ';' | '&' | '}' | ']' | ')' | '<' | '>' | '`' | '\\'
                    )
            })
            .unwrap_or(rest.len());
        (0, end)
    };
    (end > start).then(|| at + start..at + end)
}

/// An AWS secret access key: 40 characters after its name, or bare in a text
/// that holds an access key id (`AKIA...`/`ASIA...`) too.
fn aws_secrets(text: &str, found: &mut Vec<Range<usize>>) {
    static NAMED: OnceLock<Regex> = OnceLock::new();
    static ID: OnceLock<Regex> = OnceLock::new();
    static BARE: OnceLock<Regex> = OnceLock::new();
    let named = NAMED.get_or_init(|| {
        re(r"(?i)(?:aws)?[_\-]?secret[_\-]?(?:access)?[_\-]?key[^A-Za-z0-9/+]{1,6}([A-Za-z0-9/+]{40})")
    });
    let is_base64 = |b: u8| b.is_ascii_alphanumeric() || b == b'/' || b == b'+' || b == b'=';
    let alone = |r: &Range<usize>| {
        let before = text[..r.start].bytes().next_back();
        let after = text[r.end..].bytes().next();
        !before.is_some_and(is_base64) && !after.is_some_and(is_base64)
    };
    for c in named.captures_iter(text) {
        let v = c.get(1).expect("group 1").range();
        if alone(&v) {
            found.push(v);
        }
    }
    let id = ID.get_or_init(|| re(r"(?-u:\b)(?:AKIA|ASIA)[0-9A-Z]{16}(?-u:\b)"));
    if !id.is_match(text) {
        return;
    }
    let bare = BARE.get_or_init(|| re(r"[A-Za-z0-9/+]{40}"));
    for m in bare.find_iter(text) {
        let s = m.as_str();
        // Both cases: not a SHA-1 (hex) nor a word in capitals.
        let mixed =
            s.bytes().any(|b| b.is_ascii_lowercase()) && s.bytes().any(|b| b.is_ascii_uppercase());
        if mixed && alone(&m.range()) {
            found.push(m.range());
        }
    }
}

/// Every value of an `env` block (`"env": { "NAME": "value", ... }`, in JSON
/// or as a JavaScript object in a log), up to its closing brace or the end of
/// the text; the names stay.
fn env_blocks(text: &str, found: &mut Vec<Range<usize>>) {
    static OPEN: OnceLock<Regex> = OnceLock::new();
    static ENTRY: OnceLock<Regex> = OnceLock::new();
    let open = OPEN.get_or_init(|| re(r#"(?i)(?-u:\b)env(?:\\?["'])?[ \t]*[:=][ \t]*\{"#));
    let entry = ENTRY.get_or_init(|| {
        re(r#"(?:\\?["'])?[A-Za-z_][A-Za-z0-9_.\-]*(?:\\?["'])?[ \t\r\n]*:[ \t\r\n]*"#)
    });
    for m in open.find_iter(text) {
        let body_start = m.end();
        let body_end = block_end(text, body_start);
        let body = &text[body_start..body_end];
        let mut at = 0;
        while let Some(e) = entry.find_at(body, at) {
            match value_at(text, body_start + e.end()) {
                Some(v) => {
                    at = v.end - body_start;
                    let value = &text[v.clone()];
                    if !value.starts_with(['{', '[']) && !is_reference(value) {
                        found.push(v);
                    }
                }
                None => at = e.end(),
            }
            if at >= body.len() {
                break;
            }
        }
    }
}

/// A reference to a variable the client expands (`${TRACKER_TOKEN}`,
/// `${input:api-key}`, `$HOME`): no secret, and worth seeing (an unexpanded
/// variable is a cause of its own).
fn is_reference(v: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| re(r"^\$(?:\{[A-Za-z_][A-Za-z0-9_:.\-]*\}|[A-Za-z_][A-Za-z0-9_]*)$"))
        .is_match(v)
}

/// Where the block opened just before `start` ends: its closing brace (quoted
/// braces skipped), else the end of the text.
fn block_end(text: &str, start: usize) -> usize {
    let mut quote: Option<u8> = None;
    let mut escaped = false;
    for (i, b) in text.bytes().enumerate().skip(start) {
        match quote {
            Some(_) if escaped => escaped = false,
            Some(_) if b == b'\\' => escaped = true,
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'}' => return i,
            None => {}
        }
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::{redact, redact_within};

    /// `text` must come out as `want`.
    fn masks(text: &str, want: &str) {
        assert_eq!(redact(text), want, "redacting {text:?}");
    }

    /// `text` must come out unchanged.
    fn keeps(text: &str) {
        assert_eq!(redact(text), text, "{text:?} must stay as it is");
    }

    #[test]
    fn anthropic_keys() {
        masks(
            "key sk-ant-api03-abcdefghijklmnop_QRS-tu end",
            "key [REDACTED] end",
        );
        keeps("sk-ant-short");
    }

    #[test]
    fn openai_keys() {
        masks(
            "OPENAI sk-abcdefghij0123456789KLMNOPqrst",
            "OPENAI [REDACTED]",
        );
        masks(
            "using sk-proj-Ab3dEfGhIjKlMnOpQrStUvWxYz012345 now",
            "using [REDACTED] now",
        );
        // Too short, or a lower-case name that happens to start with `sk-`.
        keeps("sk-abc123 and sk-some-long-package-name-here");
        keeps("task-0123456789abcdefghijKLMN");
    }

    #[test]
    fn github_tokens() {
        for p in ["ghp", "gho", "ghu", "ghs", "ghr"] {
            masks(
                &format!("tok {p}_0123456789abcdefghijABCDEFGHIJklmnop."),
                "tok [REDACTED].",
            );
        }
        masks(
            "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz",
            "[REDACTED]",
        );
        keeps("ghp_short gha_0123456789abcdefghijABCDEFGHIJ github_pat_x");
    }

    #[test]
    fn aws_access_key_ids_and_secrets() {
        masks("id AKIAIOSFODNN7EXAMPLE ok", "id [REDACTED] ok");
        masks("id ASIAIOSFODNN7EXAMPLE ok", "id [REDACTED] ok");
        keeps("AKIAIOSFODNN7EXAMPL and AKIAiosfodnn7example and XAKIAIOSFODNN7EXAMPLE");
        masks(
            "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "aws_secret_access_key = [REDACTED]",
        );
        masks(
            r#"{"SecretAccessKey":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}"#,
            r#"{"SecretAccessKey":"[REDACTED]"}"#,
        );
        // Bare beside a key id; a 40-char hex id or one without a key id stays.
        masks(
            "creds AKIAIOSFODNN7EXAMPLE wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "creds [REDACTED] [REDACTED]",
        );
        keeps("commit 3f786850e387550fdab836ed7e6dc881de23001b wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        masks(
            "AKIAIOSFODNN7EXAMPLE 3f786850e387550fdab836ed7e6dc881de23001b",
            "[REDACTED] 3f786850e387550fdab836ed7e6dc881de23001b",
        );
    }

    #[test]
    fn jwts() {
        masks(
            "id_token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U end",
            "id_token [REDACTED] end",
        );
        // A header alone, or base64 that is not JSON, is no token.
        keeps("eyJhbGciOiJIUzI1NiJ9 and abc.def.ghi");
    }

    #[test]
    fn bearer_basic_and_token_credentials() {
        masks(
            "Authorization: Bearer abc123DEF456ghi789",
            "Authorization: Bearer [REDACTED]",
        );
        masks(
            "Authorization: Basic dXNlcjpwYXNzd29yZA==",
            "Authorization: Basic [REDACTED]",
        );
        masks(
            "Authorization: token 0123abcd4567ef",
            "Authorization: token [REDACTED]",
        );
        keeps(r#"WWW-Authenticate: Bearer resource_metadata="https://example.com/.well-known/x""#);
        keeps("Basic authentication failed; Bearer token expired");
    }

    #[test]
    fn url_credentials() {
        masks(
            "connect https://bob:hunter22@db.example.com:5432/x",
            "connect https://bob:[REDACTED]@db.example.com:5432/x",
        );
        masks(
            "postgres://app:s3cr3t@localhost/db",
            "postgres://app:[REDACTED]@localhost/db",
        );
        keeps("GET https://example.com:8443/path?q=1 and git@github.com:org/repo.git");
    }

    #[test]
    fn secret_named_pairs() {
        masks("password=hunter next", "password=[REDACTED] next");
        masks("login password: hunter", "login password: [REDACTED]");
        masks(
            r#"{"password": "correct horse battery"}"#,
            r#"{"password": "[REDACTED]"}"#,
        );
        masks("db_secret: letmein", "db_secret: [REDACTED]");
        masks("token=abcd1234efgh", "token=[REDACTED]");
        masks(
            r#"{"GITHUB_TOKEN": "abcd1234efgh"}"#,
            r#"{"GITHUB_TOKEN": "[REDACTED]"}"#,
        );
        masks("API_KEY=xyz98765 next", "API_KEY=[REDACTED] next");
        masks("x-api-key: plainword", "x-api-key: [REDACTED]");
        masks(
            "server --password hunter --port 3",
            "server --password [REDACTED] --port 3",
        );
        masks(
            r#"{\"password\":\"hunter\"}"#,
            r#"{\"password\":\"[REDACTED]\"}"#,
        );
        // Prose, counts and empty or literal values are not secrets.
        keeps(r#"{"max_tokens": 1000, "input_tokens": 523, "token_type": "bearer"}"#);
        keeps("token: expired; password: null; secret=${SECRET}; password: \"\"");
        keeps("MCP server \"tokens\": Connection failed: spawn tokenizer ENOENT");
        keeps("the password was wrong");
    }

    #[test]
    fn a_public_key_token_is_no_secret() {
        keeps(
            "System.Text.Json, Version=8.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089",
        );
        keeps(r#"{"_meta":{"progressToken":1},"params":{"nextPageToken":"abc123def"}}"#);
    }

    #[test]
    fn every_env_value_of_a_client_config() {
        masks(
            r#""env": { "GITHUB_PERSONAL_ACCESS_TOKEN": "plain", "DEBUG": "1" }"#,
            r#""env": { "GITHUB_PERSONAL_ACCESS_TOKEN": "[REDACTED]", "DEBUG": "[REDACTED]" }"#,
        );
        masks(
            "\"env\": {\n  \"API_HOST\": \"internal\",\n  \"N\": 3\n},\n\"args\": [\"x\"]",
            "\"env\": {\n  \"API_HOST\": \"[REDACTED]\",\n  \"N\": [REDACTED]\n},\n\"args\": [\"x\"]",
        );
        // A JavaScript object in a log line, and an env block cut short.
        masks(
            "spawn { command: 'node', env: { SECRET_THING: 'value one' } }",
            "spawn { command: 'node', env: { SECRET_THING: '[REDACTED]' } }",
        );
        masks(r#"cfg {"env":{"A":"x""#, r#"cfg {"env":{"A":"[REDACTED]""#);
        keeps(r#""env": {}, "environment": "prod", "command": "npx""#);
        // A variable the client expands is kept; a value merely starting with `$` is not.
        keeps(r#""env": {"TRACKER_TOKEN": "${TRACKER_TOKEN}", "KEY": "${input:api-key}"}"#);
        masks(
            r#""env": {"PW": "$ecret pass"}"#,
            r#""env": {"PW": "[REDACTED]"}"#,
        );
    }

    #[test]
    fn only_secrets_touching_the_parts_are_masked() {
        let text = "set API_KEY=example1 then run ghp_0123456789abcdefghijABCDEFGHIJ";
        let value = text.find("ghp_").unwrap()..text.len();
        assert_eq!(
            redact_within(text, &[value]),
            "set API_KEY=example1 then run [REDACTED]"
        );
        // A key in the template, its value in a part.
        let text = "token=abcd1234efgh";
        let value = 6..text.len();
        assert_eq!(redact_within(text, &[value]), "token=[REDACTED]");
        assert_eq!(redact_within(text, &[]), text);
    }

    #[test]
    fn every_line_of_the_corpus_comes_out_unchanged() {
        // The corpus logs hold ids, hashes, UUIDs, paths, versions, timestamps,
        // `"env": {}` and `${TRACKER_TOKEN}`, but no secret.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus");
        let mut lines = 0;
        let entries = walkdir::WalkDir::new(root).follow_links(true).into_iter();
        for entry in entries.flatten() {
            if entry.file_type().is_dir() {
                continue;
            }
            if let Ok(text) = std::fs::read_to_string(entry.path()) {
                for line in text.lines() {
                    assert_eq!(redact(line), line, "{}", entry.path().display());
                    lines += 1;
                }
            }
        }
        assert!(lines > 500, "only {lines} corpus lines read");
    }

    #[test]
    fn a_flag_must_stand_alone() {
        keeps("server-password hunter");
    }

    #[test]
    fn leaves_ordinary_log_text_alone() {
        // Lines of corpus/ logs: ids, UUIDs, paths, versions, timestamps.
        for line in [
            r#"2025-06-03T07:23:52.664Z [error] [vscode-mcp-server] spawn npx ENOENT"#,
            r#"2025-05-13T09:14:02.117Z [filesystem] [info] Message from client: {"method":"initialize","params":{"protocolVersion":"2024-11-05","capabilities":{},"clientInfo":{"name":"claude-ai","version":"0.1.0"}},"jsonrpc":"2.0","id":0}"#,
            r#"[  123.456789] Out of memory: Killed process 4242 (node) total-vm:1234567kB, anon-rss:1048576kB"#,
            r#"request 3f2b8c1e-9d4a-4b7e-8f00-1a2b3c4d5e6f failed after 30000 ms (trace 0123456789abcdef0123456789abcdef)"#,
            r#"C:\Users\dev\AppData\Roaming\Claude\logs\mcp-server-github.log"#,
            r#"/home/dev/.config/Code/User/globalStorage/mcp.json: sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"#,
            r#"WSL (2) ERROR: CreateProcessCommon:559: execvpe(/bin/bash) failed: No such file or directory"#,
            r#"MCP server "tokens": Connection failed: spawn tokenizer ENOENT"#,
        ] {
            keeps(line);
        }
    }
}
