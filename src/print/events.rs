//! `logscan events` printers: one line (text) or one JSON object (json) per
//! event, each with the signals read from it (`signal::read_all`, in family
//! order, fields in the order the family sets them). The text form starts
//! each source with a `#` header line and ends it with its notes and record
//! count (known once it has been read). Events come in pieces of a source
//! ([`Events`]), printed as they are parsed.
//!
//! Every value taken from the log (fields, the message, signal fields, notes)
//! is redacted (`redact::redact`) unless `--no-redact`, in text and JSON
//! alike; the text form also escapes control characters (`visible`), so a
//! log never drives the terminal (JSON escapes them itself).

use std::io::{self, Write};

use serde::ser::{Serialize, SerializeMap, SerializeStruct, Serializer};

use logscan_engine::event::{Event, EventRef};
use logscan_engine::parse::time::format_ts;
use logscan_engine::redact::redact_if;
use logscan_engine::signal::{self, Signal};
use logscan_engine::text::Note;

/// Indent of a signal line: past the line-number column of its event.
const SIGNAL_INDENT: &str = "        ";

/// Events of one piece of a source: its text and the events whose text ranges point into it.
pub struct Events<'a> {
    pub path: &'a str,
    pub format: &'static str,
    pub text: &'a str,
    /// Where `text` starts in the source's whole decoded text (signal offsets are into that).
    pub offset: u64,
    pub events: &'a [Event],
    /// Secrets in what is printed are masked (not with `--no-redact`).
    pub redact: bool,
}

/// `# <path>  format=<format> encoding=<encoding>`.
pub fn write_header(
    out: &mut impl Write,
    path: &str,
    format: &str,
    encoding: &str,
) -> io::Result<()> {
    let path = super::visible::text(path);
    writeln!(out, "# {path}  format={format} encoding={encoding}")
}

/// The source's notes (redacted when `redact`), then `# records=<n>`.
pub fn write_footer(
    out: &mut impl Write,
    notes: &[Note],
    records: u64,
    redact: bool,
) -> io::Result<()> {
    for n in notes {
        let message = redact_if(redact, &n.message);
        let message = super::visible::text(&message);
        match n.line {
            Some(l) => writeln!(out, "# note: line {l}: {message}")?,
            None => writeln!(out, "# note: {message}")?,
        }
    }
    writeln!(out, "# records={records}")
}

/// One line per event, its signals indented under it.
pub fn write_text(out: &mut impl Write, p: &Events<'_>) -> io::Result<()> {
    for e in p.events {
        let ev = EventRef {
            event: e,
            source_text: p.text,
            format: p.format,
        };
        let lines = if e.span.line == e.span.end_line {
            e.span.line.to_string()
        } else {
            format!("{}-{}", e.span.line, e.span.end_line)
        };
        let ts =
            e.ts.map(|t| format_ts(t.ms) + if t.naive { "~" } else { "" })
                .unwrap_or_else(|| "-".into());
        let level = e.level.map(|l| l.as_str()).unwrap_or("-");
        let mut fields = String::new();
        for (name, _) in e.fields.iter().filter(|(n, _)| n != "msg") {
            if let Some(v) = ev.get(name) {
                // Debug quoting escapes control characters.
                let v = redact_if(p.redact, &v);
                fields.push_str(&format!(" {name}={v:?}"));
            }
        }
        let msg = ev.msg();
        let msg = redact_if(p.redact, &msg);
        let first = super::visible::text(msg.lines().next().unwrap_or(""));
        let more = if msg.lines().nth(1).is_some() {
            " …"
        } else {
            ""
        };
        writeln!(
            out,
            "{lines:>7} [{}..{}] {ts} {level:5}{fields} | {first}{more}",
            e.span.start, e.span.end
        )?;
        for s in signal::read_all(&ev) {
            writeln!(out, "{SIGNAL_INDENT}{}", signal_text(&s, p.redact))?;
        }
    }
    Ok(())
}

/// `signal: <name> field=value ...`, fields in order; a value that is empty or
/// holds a blank, a quote, `=` or a control character is quoted (Rust string
/// syntax, as event fields are, which escapes the controls); values are redacted when `redact`.
pub fn signal_text(s: &Signal<'_>, redact: bool) -> String {
    let mut line = format!("signal: {}", s.kind.name());
    for (name, v) in &s.fields {
        let t = redact_if(redact, &v.text);
        let t: &str = &t;
        let plain = !t.is_empty()
            && !t.chars().any(|c| c.is_whitespace() || c == '"' || c == '=')
            && matches!(super::visible::text(t), std::borrow::Cow::Borrowed(_));
        if plain {
            line.push_str(&format!(" {name}={t}"));
        } else {
            line.push_str(&format!(" {name}={t:?}"));
        }
    }
    line
}

/// A signal as JSON: `{"signal": name, "fields": {...}, "start": n, "end": n}`,
/// the fields in the family's order (redacted when the third value is true),
/// its span moved by the second.
pub struct SignalJson<'s, 'a>(pub &'s Signal<'a>, pub u64, pub bool);

struct Fields<'s, 'a>(&'s Signal<'a>, bool);

impl Serialize for Fields<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.fields.len()))?;
        for (name, v) in &self.0.fields {
            m.serialize_entry(name, &*redact_if(self.1, &v.text))?;
        }
        m.end()
    }
}

impl Serialize for SignalJson<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Signal", 4)?;
        st.serialize_field("signal", self.0.kind.name())?;
        st.serialize_field("fields", &Fields(self.0, self.2))?;
        st.serialize_field("start", &(self.0.at.start as u64 + self.1))?;
        st.serialize_field("end", &(self.0.at.end as u64 + self.1))?;
        st.end()
    }
}

/// One line of `logscan events --format json`.
#[derive(serde::Serialize)]
struct EventJson<'s, 'a> {
    path: &'s str,
    format: &'s str,
    line: u32,
    end_line: u32,
    start: u64,
    end: u64,
    ts: Option<String>,
    ts_naive: Option<bool>,
    level: Option<&'static str>,
    fields: serde_json::Map<String, serde_json::Value>,
    signals: Vec<SignalJson<'s, 'a>>,
}

/// One JSON object per event.
pub fn write_json(out: &mut impl Write, p: &Events<'_>) -> io::Result<()> {
    for e in p.events {
        let ev = EventRef {
            event: e,
            source_text: p.text,
            format: p.format,
        };
        let mut fields = serde_json::Map::new();
        for (name, _) in &e.fields {
            if let Some(v) = ev.get(name) {
                let v = redact_if(p.redact, &v).into_owned();
                fields.insert(name.to_string(), serde_json::Value::String(v));
            }
        }
        let signals = signal::read_all(&ev);
        let obj = EventJson {
            path: p.path,
            format: p.format,
            line: e.span.line,
            end_line: e.span.end_line,
            start: e.span.start,
            end: e.span.end,
            ts: e.ts.map(|t| format_ts(t.ms)),
            ts_naive: e.ts.map(|t| t.naive),
            level: e.level.map(|l| l.as_str()),
            fields,
            signals: signals
                .iter()
                .map(|s| SignalJson(s, p.offset, p.redact))
                .collect(),
        };
        serde_json::to_writer(&mut *out, &obj)?;
        writeln!(out)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use logscan_engine::signal::Kind;

    fn spawn() -> Signal<'static> {
        Signal::new(Kind::SpawnFailed, 120..143)
            .with("program", "npx")
            .with("errno", "ENOENT")
            .with("shape", "bare")
    }

    #[test]
    fn a_signal_line_names_the_signal_and_its_fields_in_order() {
        assert_eq!(
            signal_text(&spawn(), true),
            "signal: spawn_failed program=npx errno=ENOENT shape=bare"
        );
        let s = Signal::new(Kind::ProcessExited, 0..4).with("code", "1");
        assert_eq!(signal_text(&s, true), "signal: process_exited code=1");
        assert_eq!(
            signal_text(&Signal::new(Kind::Power, 3..9), true),
            "signal: power"
        );
    }

    #[test]
    fn values_with_blanks_quotes_or_nothing_are_quoted() {
        let s = Signal::new(Kind::SpawnFailed, 0..1)
            .with("program", "C:\\Program Files\\nodejs\\npx.cmd")
            .with("errno", "")
            .with("path", "a\"b")
            .with("shape", "x=y");
        assert_eq!(
            signal_text(&s, true),
            r#"signal: spawn_failed program="C:\\Program Files\\nodejs\\npx.cmd" errno="" path="a\"b" shape="x=y""#
        );
    }

    #[test]
    fn a_signal_as_json_keeps_its_field_order_and_span() {
        let s = Signal::new(Kind::SpawnFailed, 120..143)
            .with("shape", "bare")
            .with("errno", "ENOENT")
            .with("program", "npx");
        assert_eq!(
            serde_json::to_string(&SignalJson(&s, 0, true)).unwrap(),
            r#"{"signal":"spawn_failed","fields":{"shape":"bare","errno":"ENOENT","program":"npx"},"start":120,"end":143}"#
        );
        assert_eq!(
            serde_json::to_string(&SignalJson(&spawn(), 0, true)).unwrap(),
            r#"{"signal":"spawn_failed","fields":{"program":"npx","errno":"ENOENT","shape":"bare"},"start":120,"end":143}"#
        );
    }
}
