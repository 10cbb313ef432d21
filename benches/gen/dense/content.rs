//! The text inside generated JSON-RPC payloads: tool arguments and results
//! in the shapes real servers return (markdown notes, issue records as JSON
//! inside a JSON string, rows, file listings, page snapshots, forecasts),
//! already escaped for a JSON string, so results carry `\"`, `\n` and `\\n`.
//!
//! Each server builds one [`Pool`] of escaped units up front; a result of any
//! size is then a run of whole units copied out of it (no unit is ever cut,
//! so no escape sequence is split). The vocabulary is invented for this
//! project; nothing here names a real person, path or service, and no text
//! holds a failure word a rule reads (`ENOENT`, `timed out`, `killed`, ...).

use crate::gen::Rng;

pub const WORDS: [&str; 48] = [
    "planning",
    "roadmap",
    "budget",
    "release",
    "migration",
    "onboarding",
    "invoice",
    "review",
    "design",
    "launch",
    "pricing",
    "retro",
    "hiring",
    "vendor",
    "audit",
    "sync",
    "draft",
    "notes",
    "follow-up",
    "summary",
    "customer",
    "latency",
    "dashboard",
    "cache",
    "index",
    "report",
    "quarterly",
    "weekly",
    "sprint",
    "backlog",
    "feedback",
    "workshop",
    "travel",
    "offsite",
    "contract",
    "renewal",
    "support",
    "billing",
    "search",
    "export",
    "import",
    "schema",
    "deploy",
    "staging",
    "mobile",
    "checkout",
    "analytics",
    "kickoff",
];
pub const PEOPLE: [&str; 12] = [
    "Dana", "Ravi", "Mei", "Tomas", "Ines", "Kofi", "Lena", "Arjun", "Sofia", "Yuki", "Omar",
    "Nadia",
];
pub const PROJECTS: [&str; 8] = [
    "atlas", "harbor", "juniper", "meridian", "orchid", "quill", "summit", "tundra",
];
pub const CITIES: [&str; 8] = [
    "Lisbon", "Porto", "Oslo", "Denver", "Austin", "Kyoto", "Nairobi", "Montreal",
];
/// The session's user: every path is under this home (a macOS client).
pub const HOME: &str = "/Users/mara";

/// How a server's results look.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// Markdown lines (notes, docs, fetched pages).
    Markdown,
    /// Pretty-printed JSON objects inside the text (issues, events, messages).
    Records,
    /// One JSON object per line (database rows).
    Rows,
    /// Source code and directory listings (files, git).
    Listing,
    /// An accessibility snapshot of a web page (browser automation).
    Snapshot,
    /// Forecast periods (weather).
    Forecast,
}

pub fn pick<'a>(rng: &mut Rng, xs: &[&'a str]) -> &'a str {
    xs[rng.below(xs.len() as u64) as usize]
}

/// Appends `s` escaped for a JSON string.
pub fn escape(out: &mut Vec<u8>, s: &[u8]) {
    let mut from = 0;
    for (i, &c) in s.iter().enumerate() {
        let rep: &[u8] = match c {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\t' => b"\\t",
            _ => continue,
        };
        out.extend_from_slice(&s[from..i]);
        out.extend_from_slice(rep);
        from = i + 1;
    }
    out.extend_from_slice(&s[from..]);
}

/// `n` words of the vocabulary, separated by spaces.
pub fn phrase(rng: &mut Rng, out: &mut Vec<u8>, n: u64) {
    for k in 0..n {
        if k > 0 {
            out.push(b' ');
        }
        out.extend_from_slice(pick(rng, &WORDS).as_bytes());
    }
}

/// `base` to `base + extra - 1` words.
pub fn words(rng: &mut Rng, out: &mut Vec<u8>, base: u64, extra: u64) {
    let n = base + rng.below(extra);
    phrase(rng, out, n);
}

fn sentence(rng: &mut Rng, out: &mut Vec<u8>) {
    let n = 4 + rng.below(12);
    let start = out.len();
    phrase(rng, out, n);
    if let Some(c) = out.get_mut(start) {
        c.make_ascii_uppercase();
    }
    match rng.below(6) {
        0 => {
            out.extend_from_slice(b" with ");
            out.extend_from_slice(pick(rng, &PEOPLE).as_bytes());
        }
        1 => {
            out.extend_from_slice(b" for \"");
            out.extend_from_slice(pick(rng, &PROJECTS).as_bytes());
            out.push(b'"');
        }
        _ => {}
    }
    out.push(b'.');
}

fn issue_key(rng: &mut Rng, out: &mut Vec<u8>) {
    let p = pick(rng, &PROJECTS).as_bytes();
    out.extend(p.iter().take(3).map(u8::to_ascii_uppercase));
    out.push(b'-');
    out.extend_from_slice((100 + rng.below(4900)).to_string().as_bytes());
}

fn date(rng: &mut Rng, out: &mut Vec<u8>) {
    let s = format!(
        "2025-0{}-{:02}T{:02}:{:02}:{:02}Z",
        4 + rng.below(3),
        1 + rng.below(28),
        rng.below(24),
        rng.below(60),
        rng.below(60)
    );
    out.extend_from_slice(s.as_bytes());
}

/// One unit of raw (unescaped) text in `style`.
fn unit(style: Style, rng: &mut Rng, out: &mut Vec<u8>) {
    match style {
        Style::Markdown => match rng.below(9) {
            0 => {
                out.extend_from_slice(b"## ");
                words(rng, out, 1, 4);
            }
            1 | 2 => {
                out.extend_from_slice(if rng.below(2) == 0 { b"- [ ] " } else { b"- " });
                sentence(rng, out);
            }
            3 => {
                out.extend_from_slice(b"```rust\nlet total = rows.iter().map(|r| r.amount).sum::<u64>();\nprintln!(\"total: {}\\n\", total);\n```");
            }
            _ => {
                for _ in 0..1 + rng.below(4) {
                    sentence(rng, out);
                    out.push(b' ');
                }
                out.pop();
            }
        },
        Style::Records => {
            out.extend_from_slice(b"{\n  \"key\": \"");
            issue_key(rng, out);
            out.extend_from_slice(b"\",\n  \"title\": \"");
            words(rng, out, 3, 6);
            out.extend_from_slice(b"\",\n  \"status\": \"");
            out.extend_from_slice(
                pick(rng, &["Open", "In Progress", "In Review", "Done"]).as_bytes(),
            );
            out.extend_from_slice(b"\",\n  \"assignee\": \"");
            out.extend_from_slice(pick(rng, &PEOPLE).as_bytes());
            out.extend_from_slice(b"\",\n  \"labels\": [\"");
            out.extend_from_slice(pick(rng, &WORDS).as_bytes());
            out.extend_from_slice(b"\", \"");
            out.extend_from_slice(pick(rng, &WORDS).as_bytes());
            out.extend_from_slice(b"\"],\n  \"updated\": \"");
            date(rng, out);
            out.extend_from_slice(b"\",\n  \"body\": \"");
            // The body is a string inside this JSON text: escaped once here, once more by the pool.
            let mut body = Vec::with_capacity(256);
            for k in 0..1 + rng.below(5) {
                if k > 0 {
                    body.push(b'\n');
                }
                sentence(rng, &mut body);
            }
            escape(out, &body);
            out.extend_from_slice(b"\"\n}");
        }
        Style::Rows => {
            out.extend_from_slice(b"{\"id\": ");
            out.extend_from_slice((1000 + rng.below(90_000)).to_string().as_bytes());
            out.extend_from_slice(b", \"email\": \"");
            out.extend(pick(rng, &PEOPLE).bytes().map(|c| c.to_ascii_lowercase()));
            out.extend_from_slice(b"@example.com\", \"plan\": \"");
            out.extend_from_slice(pick(rng, &["free", "team", "business"]).as_bytes());
            out.extend_from_slice(b"\", \"seats\": ");
            out.extend_from_slice((1 + rng.below(200)).to_string().as_bytes());
            out.extend_from_slice(b", \"created_at\": \"");
            date(rng, out);
            out.extend_from_slice(b"\"}");
        }
        Style::Listing => {
            match rng.below(4) {
                0 => {
                    out.extend_from_slice(if rng.below(3) == 0 {
                        b"[DIR] "
                    } else {
                        b"[FILE] "
                    });
                    out.extend_from_slice(pick(rng, &PROJECTS).as_bytes());
                    out.push(b'/');
                    out.extend_from_slice(pick(rng, &WORDS).as_bytes());
                    out.extend_from_slice(
                        pick(rng, &[".md", ".ts", ".rs", ".json", ".py", ""]).as_bytes(),
                    );
                }
                1 => {
                    out.extend_from_slice(b"export function ");
                    out.extend_from_slice(
                        pick(rng, &WORDS)
                            .as_bytes()
                            .split(|c| *c == b'-')
                            .next()
                            .unwrap_or(b"f"),
                    );
                    out.extend_from_slice(b"(input: string): string {\n  return input.replace(/\\s+/g, \" \").trim();\n}");
                }
                2 => {
                    out.extend_from_slice(b"    log.info(\"");
                    words(rng, out, 2, 4);
                    out.extend_from_slice(b" in {}\\n\", path)");
                }
                _ => {
                    out.extend_from_slice(b"+ ");
                    sentence(rng, out);
                }
            }
        }
        Style::Snapshot => {
            for _ in 0..rng.below(4) {
                out.extend_from_slice(b"  ");
            }
            let role = pick(
                rng,
                &[
                    "link", "button", "heading", "text", "listitem", "img", "textbox",
                ],
            );
            out.extend_from_slice(b"- ");
            out.extend_from_slice(role.as_bytes());
            out.extend_from_slice(b" \"");
            words(rng, out, 1, 5);
            out.extend_from_slice(b"\" [ref=e");
            out.extend_from_slice(rng.below(900).to_string().as_bytes());
            out.push(b']');
            if role == "link" {
                out.extend_from_slice(b":\n    - /url: /");
                out.extend_from_slice(pick(rng, &WORDS).as_bytes());
            }
        }
        Style::Forecast => {
            out.extend_from_slice(
                pick(
                    rng,
                    &[
                        "Tonight",
                        "Tomorrow",
                        "Wednesday",
                        "Thursday night",
                        "Saturday",
                    ],
                )
                .as_bytes(),
            );
            out.extend_from_slice(b":\nTemperature: ");
            out.extend_from_slice((4 + rng.below(28)).to_string().as_bytes());
            out.extend_from_slice("°C\nWind: ".as_bytes());
            out.extend_from_slice((2 + rng.below(40)).to_string().as_bytes());
            out.extend_from_slice(b" km/h ");
            out.extend_from_slice(
                pick(rng, &["N", "NE", "E", "SE", "S", "SW", "W", "NW"]).as_bytes(),
            );
            out.extend_from_slice(b"\nForecast: ");
            out.extend_from_slice(
                pick(
                    rng,
                    &[
                        "Partly cloudy",
                        "Sunny",
                        "Light rain",
                        "Showers likely",
                        "Clear",
                        "Fog early",
                    ],
                )
                .as_bytes(),
            );
            out.extend_from_slice(b", then ");
            out.extend_from_slice(
                pick(rng, &["clearing", "breezy", "mostly sunny", "cloudy"]).as_bytes(),
            );
            out.push(b'.');
        }
    }
}

/// Escaped units of one style, copied out whole to make results of any size.
#[derive(Debug, Clone)]
pub struct Pool {
    text: Vec<u8>,
    /// End of each unit in `text` (unit `i` is `cuts[i-1]..cuts[i]`).
    cuts: Vec<u32>,
    open: &'static [u8],
    sep: &'static [u8],
    close: &'static [u8],
}

/// Bytes of escaped text per pool.
const POOL_BYTES: usize = 96 * 1024;

impl Pool {
    pub fn build(style: Style, rng: &mut Rng) -> Pool {
        let (open, sep, close): (&[u8], &[u8], &[u8]) = match style {
            Style::Records => (b"[\\n", b",\\n", b"\\n]"),
            Style::Rows => (b"[\\n", b",\\n", b"\\n]"),
            Style::Forecast => (b"", b"\\n---\\n", b""),
            _ => (b"", b"\\n", b""),
        };
        let mut text = Vec::with_capacity(POOL_BYTES + 4096);
        let mut cuts = Vec::new();
        let mut raw = Vec::with_capacity(1024);
        while text.len() < POOL_BYTES {
            raw.clear();
            unit(style, rng, &mut raw);
            escape(&mut text, &raw);
            cuts.push(text.len() as u32);
        }
        Pool {
            text,
            cuts,
            open,
            sep,
            close,
        }
    }

    /// Appends about `target` bytes of escaped text: whole units from a random start.
    pub fn fill(&self, rng: &mut Rng, target: usize, out: &mut Vec<u8>) {
        let n = self.cuts.len();
        let mut i = rng.below(n as u64) as usize;
        let start = out.len();
        out.extend_from_slice(self.open);
        let mut first = true;
        loop {
            let from = if i == 0 { 0 } else { self.cuts[i - 1] as usize };
            let to = self.cuts[i] as usize;
            if !first {
                out.extend_from_slice(self.sep);
            }
            out.extend_from_slice(&self.text[from..to]);
            first = false;
            if out.len() - start >= target {
                break;
            }
            i = (i + 1) % n;
        }
        out.extend_from_slice(self.close);
    }
}
