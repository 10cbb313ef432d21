//! MCP client configuration files read as facts: `claude_desktop_config.json`,
//! `.mcp.json`, `~/.claude.json` (user and per-project local scopes) and VS
//! Code's `mcp.json` / `settings.json`, as files or as pasted fragments.
//!
//! The whole file is read at once (JSONC tolerated, see [`super::jsonc`]): one
//! event per configured server (`server`, `command`, `args`, `type`, `url`,
//! `env`, `scope`, `config_path`; its span is the server's entry) and one per
//! relevant setting (`key`, `value`); lines outside those are plain events.
//! A file that is not JSON gets a note with the error's line and column and
//! is read line by line instead. This module never stores an environment
//! variable's value or an HTTP header (they hold secrets): only names.

use std::borrow::Cow;
use std::ops::Range;

use crate::event::{field, Event, SourceId, Span, Value};
use crate::frame::{self, Line};
use crate::text::{Note, SourceText};

use super::format::{FileName, FileNameHint, FormatSpec, NameHint, WholeReader, WholeSource};
use super::head::{Head, ParseContext};
use super::jsonc::{self, Kind, Member, Node};
use super::lex::{Prefix, View};

/// Which client's configuration file a source is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfigFile {
    /// `.mcp.json` (Claude Code's project scope, Cursor's and Kiro's `mcp.json`).
    McpJson,
    /// Claude Desktop's `claude_desktop_config.json`.
    ClaudeDesktop,
    /// `~/.claude.json` and Claude Code's `settings.json`.
    ClaudeJson,
    /// VS Code's `mcp.json` and `settings.json`.
    Vscode,
}

/// `client-config-mcp-json`: `.mcp.json`, and `mcp.json` under `.cursor/` or `.kiro/`.
pub const MCP_JSON_SPEC: FormatSpec = FormatSpec {
    config_entry_file: Some(".mcp.json"),
    ..config_file_spec(
        "client-config-mcp-json",
        10,
        |name| is_config_file(name, ConfigFile::McpJson),
        |context, view, prefix| head(context, view, prefix, ConfigFile::McpJson),
        |whole, notes| parse(whole, ConfigFile::McpJson, notes),
    )
};

/// `client-config-claude-desktop`: `claude_desktop_config.json`.
pub const CLAUDE_DESKTOP_SPEC: FormatSpec = FormatSpec {
    config_entry_file: Some("claude_desktop_config.json"),
    ..config_file_spec(
        "client-config-claude-desktop",
        11,
        |name| is_config_file(name, ConfigFile::ClaudeDesktop),
        |context, view, prefix| head(context, view, prefix, ConfigFile::ClaudeDesktop),
        |whole, notes| parse(whole, ConfigFile::ClaudeDesktop, notes),
    )
};

/// `client-config-claude-json`: `.claude.json` (and its backup), `settings.json`
/// and `settings.local.json` under `.claude/`.
pub const CLAUDE_JSON_SPEC: FormatSpec = FormatSpec {
    config_entry_file: Some(".claude.json"),
    ..config_file_spec(
        "client-config-claude-json",
        12,
        |name| is_config_file(name, ConfigFile::ClaudeJson),
        |context, view, prefix| head(context, view, prefix, ConfigFile::ClaudeJson),
        |whole, notes| parse(whole, ConfigFile::ClaudeJson, notes),
    )
};

/// `client-config-vscode`: any other `mcp.json`, `settings.json` under `.vscode/`
/// or a `User/` folder. Its hint ranks after the others, which claim some of
/// the same names by their folder.
pub const VSCODE_SPEC: FormatSpec = FormatSpec {
    config_entry_file: Some("vscode mcp.json"),
    ..config_file_spec(
        "client-config-vscode",
        13,
        |name| is_config_file(name, ConfigFile::Vscode),
        |context, view, prefix| head(context, view, prefix, ConfigFile::Vscode),
        |whole, notes| parse(whole, ConfigFile::Vscode, notes),
    )
};

/// What every client config shares: named by its file, read whole.
const fn config_file_spec(
    name: &'static str,
    hint_rank: u8,
    matches: fn(&FileName) -> Option<NameHint>,
    read_head: fn(&ParseContext<'_>, &View, &Prefix) -> Option<Head>,
    read_whole: WholeReader,
) -> FormatSpec {
    FormatSpec {
        file_name_hint: Some(FileNameHint {
            rank: hint_rank,
            matches,
        }),
        read_whole: Some(read_whole),
        ..FormatSpec::lines(name, read_head)
    }
}

/// Whether a file name is `file`'s; the Vscode names that another client's
/// folder claims are left to that client (the lower hint rank).
fn is_config_file(name: &FileName, file: ConfigFile) -> Option<NameHint> {
    let under = |folder: &str| name.path_lower.contains(folder);
    let base = name.base_lower.as_str();
    let matched = match file {
        ConfigFile::ClaudeDesktop => base == "claude_desktop_config.json",
        ConfigFile::McpJson => {
            base == ".mcp.json" || (base == "mcp.json" && (under(".cursor/") || under(".kiro/")))
        }
        ConfigFile::ClaudeJson => {
            matches!(base, ".claude.json" | ".claude.json.backup")
                || (matches!(base, "settings.json" | "settings.local.json") && under(".claude/"))
        }
        ConfigFile::Vscode => {
            base == "mcp.json"
                || (base == "settings.json" && (under(".vscode/") || under("/user/")))
        }
    };
    matched.then_some(NameHint::default())
}

/// Settings worth a fact event wherever they appear (compared without case,
/// after a `chat.mcp.` or `mcp.` prefix is removed).
const SETTINGS: [&str; 8] = [
    "autoReconnect",
    "enableAllProjectMcpServers",
    "enabledMcpjsonServers",
    "disabledMcpjsonServers",
    "disabledMcpServers",
    "installMethod",
    "autoUpdates",
    "autoUpdaterStatus",
];

/// Keys only `~/.claude.json` has (detection).
const CLAUDE_JSON_KEYS: [&str; 8] = [
    "numStartups",
    "installMethod",
    "autoUpdates",
    "projects",
    "userID",
    "firstStartTime",
    "hasCompletedOnboarding",
    "tipsHistory",
];

/// Nested objects deeper than this are not searched for settings.
const MAX_WALK: usize = 8;

/// Reads a `"key": value` line for detection (and, when the file is not
/// valid JSON, as a record of its own). Only keys of MCP configs score.
pub fn head(
    context: &ParseContext<'_>,
    view: &View,
    prefix: &Prefix,
    f: ConfigFile,
) -> Option<Head> {
    if prefix.ts.is_some() {
        return None;
    }
    let content = view.text(context.text);
    let rest = content.strip_prefix('"')?;
    let end = rest.find('"')?;
    let key = rest.get(..end)?;
    let after = rest
        .get(end + 1..)?
        .trim_start()
        .strip_prefix(':')?
        .trim_start();
    let object = after.starts_with('{');
    let score = match (key, f) {
        ("mcpServers", ConfigFile::Vscode) => 1,
        ("mcpServers", _) if object => 3,
        ("servers", ConfigFile::Vscode) if object => 3,
        ("mcp", ConfigFile::Vscode) if object => 2,
        (k, ConfigFile::Vscode) if k.starts_with("mcp.") || k.starts_with("chat.mcp.") => 2,
        ("command" | "args" | "env" | "url", _) => 1,
        (k, ConfigFile::ClaudeJson) if CLAUDE_JSON_KEYS.contains(&k) => 2,
        _ => 0,
    };
    let mut h = Head::new(view.start..view.end);
    h.score = score;
    Some(h)
}

/// Parses a whole config file into events; `None` (with a note) when it is
/// not JSON, so the caller reads it line by line.
pub fn parse(
    whole: &WholeSource<'_>,
    file: ConfigFile,
    notes: &mut Vec<Note>,
) -> Option<Vec<Event>> {
    let (context, src, id) = (whole.context, whole.source, whole.id);
    let text = context.text;
    let lines: Vec<Line> = frame::lines(text).collect();
    let prepared = jsonc::prepare(text);
    let root = match jsonc::read(&prepared) {
        Ok(root) => root,
        Err(e) => {
            let (line, col) = line_col(text, &lines, e.offset);
            notes.push(Note::new(
                Some(line),
                format!(
                    "{}:{line}:{col}: not valid JSON ({}); read as plain lines",
                    src.path, e.message
                ),
            ));
            return None;
        }
    };
    let mut out = Facts {
        src: text,
        facts: Vec::new(),
    };
    let cx0 = Scope {
        scope: file_scope(&src.path, file),
        config_path: None,
        top: true,
        in_mcp: false,
    };
    if root.get("command").is_some() || root.get("url").is_some() {
        // A lone server object pasted without its name.
        out.server(None, &root, root.span.clone(), &cx0);
    } else {
        out.walk(&root, &cx0, 0);
    }
    let mut facts = out.facts;
    facts.sort_by_key(|f| f.range.start);
    facts.dedup_by(|later, kept| later.range.start < kept.range.end);
    Some(events(src, id, &lines, facts))
}

/// Where a config's servers live: user, project or local scope.
#[derive(Clone, Debug)]
struct Scope<'a> {
    scope: Option<&'static str>,
    /// The project path key of `~/.claude.json` local-scope entries.
    config_path: Option<&'a str>,
    top: bool,
    /// Inside VS Code's `"mcp": {...}` settings object.
    in_mcp: bool,
}

fn file_scope(path: &str, file: ConfigFile) -> Option<&'static str> {
    let lower = path.replace('\\', "/").to_ascii_lowercase();
    let base = lower.rsplit(['/', '!']).next().unwrap_or("");
    match file {
        ConfigFile::McpJson if base == ".mcp.json" => Some("project"),
        ConfigFile::ClaudeJson if base.starts_with(".claude.json") => Some("user"),
        ConfigFile::Vscode if lower.contains(".vscode/") => Some("project"),
        ConfigFile::Vscode if lower.contains("/user/") => Some("user"),
        _ => None,
    }
}

/// One fact found in the tree: its source range, message and fields.
struct Fact {
    range: Range<usize>,
    msg: Value,
    fields: Vec<(Cow<'static, str>, Value)>,
}

struct Facts<'a> {
    src: &'a str,
    facts: Vec<Fact>,
}

impl<'a> Facts<'a> {
    fn walk(&mut self, node: &'a Node, sc: &Scope<'a>, depth: usize) {
        if depth > MAX_WALK {
            return;
        }
        for m in node.members() {
            let key = m.key.as_str();
            let object = m.value.is_object();
            let entry = m.value.get("command").is_some() || m.value.get("url").is_some();
            if object && sc.top && entry {
                // A pasted `"name": {...}` fragment: the entry without its container.
                let range = m.key_span.start..m.value.span.end;
                self.server(Some(key), &m.value, range, sc);
            } else if object && (key == "mcpServers" || (key == "servers" && (sc.top || sc.in_mcp)))
            {
                for s in m.value.members() {
                    if s.value.is_object() {
                        let range = s.key_span.start..s.value.span.end;
                        self.server(Some(&s.key), &s.value, range, sc);
                    }
                }
            } else if object && key == "projects" && sc.top {
                for p in m.value.members() {
                    let local = Scope {
                        scope: Some("local"),
                        config_path: Some(&p.key),
                        top: false,
                        in_mcp: false,
                    };
                    self.walk(&p.value, &local, depth + 1);
                }
            } else if object && key == "mcp" {
                let inner = Scope {
                    in_mcp: true,
                    top: false,
                    ..sc.clone()
                };
                self.walk(&m.value, &inner, depth + 1);
            } else if object {
                let inner = Scope {
                    top: false,
                    in_mcp: false,
                    ..sc.clone()
                };
                self.walk(&m.value, &inner, depth + 1);
            } else if let Some(name) = setting_name(key, sc.in_mcp) {
                self.setting(m, name, sc);
            }
        }
    }

    fn server(&mut self, name: Option<&str>, obj: &Node, range: Range<usize>, sc: &Scope<'_>) {
        let mut fields: Vec<(Cow<'static, str>, Value)> = Vec::new();
        let mut push = |n: &'static str, v: Value| fields.push((Cow::Borrowed(n), v));
        if let Some(n) = name {
            push(field::SERVER, Value::Owned(n.into()));
        }
        let command = obj.get("command").and_then(|c| self.value(c, " "));
        let args = obj
            .get("args")
            .and_then(|a| a.text(self.src, " "))
            .map(|a| Value::Owned(a.into()));
        let url = obj.get("url").and_then(|u| self.value(u, ""));
        let ty = obj
            .get("type")
            .and_then(|t| self.value(t, ""))
            .or_else(|| command.is_some().then(|| Value::Owned("stdio".into())));
        let env = obj.get("env").and_then(|e| {
            let names: Vec<&str> = e.members().iter().map(|m| m.key.as_str()).collect();
            (!names.is_empty()).then(|| Value::Owned(names.join(",").into()))
        });
        let disabled = obj.get("disabled").and_then(|d| self.value(d, ""));
        let mut msg = name.map_or(String::new(), |n| format!("{n}:"));
        for v in [&command, &args, &url].into_iter().flatten() {
            msg.push(' ');
            msg.push_str(&self.show(v));
        }
        if let (Some(_), Some(t)) = (&url, &ty) {
            msg.push_str(&format!(" ({})", self.show(t)));
        }
        for (n, v) in [
            (field::COMMAND, command),
            (field::ARGS, args),
            ("type", ty),
            ("url", url),
            ("env", env),
            ("disabled", disabled),
        ] {
            if let Some(v) = v {
                push(n, v);
            }
        }
        self.scope_fields(sc, &mut fields);
        self.facts.push(Fact {
            range,
            msg: Value::Owned(msg.trim_start().into()),
            fields,
        });
    }

    fn setting(&mut self, m: &Member, name: &str, sc: &Scope<'_>) {
        let Some(value) = self.value(&m.value, ",") else {
            return;
        };
        let mut fields: Vec<(Cow<'static, str>, Value)> = vec![
            (Cow::Borrowed(field::KEY), Value::Owned(name.into())),
            (Cow::Borrowed(field::VALUE), value.clone()),
        ];
        self.scope_fields(sc, &mut fields);
        self.facts.push(Fact {
            range: m.key_span.start..m.value.span.end,
            msg: Value::Owned(format!("{}: {}", m.key, self.show(&value)).into()),
            fields,
        });
    }

    fn scope_fields(&self, sc: &Scope<'_>, fields: &mut Vec<(Cow<'static, str>, Value)>) {
        if let Some(s) = sc.scope {
            fields.push((Cow::Borrowed("scope"), Value::Owned(s.into())));
        }
        if let Some(p) = sc.config_path {
            fields.push((Cow::Borrowed("config_path"), Value::Owned(p.into())));
        }
    }

    /// A string without escapes as a range of the source; anything else owned.
    fn value(&self, n: &Node, sep: &str) -> Option<Value> {
        match &n.kind {
            Kind::Str {
                raw,
                unescaped: None,
            } => Some(Value::Text(raw.start as u32..raw.end as u32)),
            Kind::Scalar => Some(Value::Text(n.span.start as u32..n.span.end as u32)),
            _ => n.text(self.src, sep).map(|t| Value::Owned(t.into())),
        }
    }

    fn show(&self, v: &Value) -> String {
        match v {
            Value::Text(r) => self
                .src
                .get(r.start as usize..r.end as usize)
                .unwrap_or("")
                .to_string(),
            Value::Owned(s) => s.to_string(),
            Value::Int(i) => i.to_string(),
        }
    }
}

/// The normalised name of a setting worth an event (`mcp.autoReconnect` ->
/// `autoReconnect`), or `None`.
fn setting_name(key: &str, in_mcp: bool) -> Option<&str> {
    let bare = key
        .strip_prefix("chat.mcp.")
        .or_else(|| key.strip_prefix("mcp."));
    match bare {
        Some(b) if !b.is_empty() => Some(b),
        _ if in_mcp && key != "inputs" => Some(key),
        _ => SETTINGS
            .iter()
            .any(|s| s.eq_ignore_ascii_case(key))
            .then_some(key),
    }
}

/// Facts and the plain lines they do not cover, as events in file order.
fn events(src: &SourceText, id: SourceId, lines: &[Line], facts: Vec<Fact>) -> Vec<Event> {
    let text = src.text.as_str();
    let mut all = facts;
    let mut at = 0;
    let covered: Vec<Range<usize>> = all.iter().map(|f| f.range.clone()).collect();
    for l in lines {
        let (start, end) = (l.start as usize, l.end as usize);
        while covered.get(at).is_some_and(|r| r.end <= start) {
            at += 1;
        }
        if covered.get(at).is_some_and(|r| r.start < l.next as usize) {
            continue;
        }
        let s = text.get(start..end).unwrap_or("");
        let lead = s.len() - s.trim_start_matches([' ', '\t', '>']).len();
        let body = s.get(lead..).unwrap_or("").trim_end();
        if body.is_empty() {
            continue;
        }
        let r = start + lead..start + lead + body.len();
        all.push(Fact {
            msg: Value::Text(r.start as u32..r.end as u32),
            range: r,
            fields: Vec::new(),
        });
    }
    all.sort_by_key(|f| f.range.start);
    all.into_iter()
        .enumerate()
        .map(
            |(
                seq,
                Fact {
                    range: r,
                    msg,
                    fields,
                },
            )| {
                let first = line_of(lines, r.start);
                let last = line_of(lines, r.end.saturating_sub(1).max(r.start));
                let mut all_fields = vec![(Cow::Borrowed(field::MSG), msg)];
                all_fields.extend(fields);
                Event {
                    source: id,
                    seq: seq as u32,
                    span: Span {
                        start: src.raw_offset(r.start),
                        end: src.raw_offset(r.end),
                        line: first.map_or(1, |l| l.number),
                        end_line: last.map_or(1, |l| l.number),
                    },
                    text: r.start as u32..r.end as u32,
                    ts: None,
                    level: None,
                    fields: all_fields,
                }
            },
        )
        .collect()
}

/// The line holding decoded offset `at`.
fn line_of(lines: &[Line], at: usize) -> Option<&Line> {
    let i = lines.partition_point(|l| (l.next as usize) <= at);
    lines.get(i).or(lines.last())
}

/// 1-based line and column (in characters) of decoded offset `at`.
fn line_col(text: &str, lines: &[Line], at: usize) -> (u32, usize) {
    match line_of(lines, at) {
        Some(l) => {
            let from = l.start as usize;
            let col = text
                .get(from..at.clamp(from, l.end as usize))
                .map_or(1, |s| s.chars().count() + 1);
            (l.number, col)
        }
        None => (1, 1),
    }
}
