//! `logscan events` printers: one line (text) or one JSON object (json) per event.

use std::io::{self, Write};

use logscan_engine::event::EventRef;
use logscan_engine::parse::ParsedSource;
use logscan_engine::report::format_ts;

pub fn write_text(out: &mut impl Write, p: &ParsedSource) -> io::Result<()> {
    writeln!(
        out,
        "# {}  format={} encoding={} records={}",
        p.text.path,
        p.format,
        p.text.encoding.as_str(),
        p.events.len()
    )?;
    for n in p.text.notes.iter().chain(&p.notes) {
        match n.line {
            Some(l) => writeln!(out, "# note: line {l}: {}", n.message)?,
            None => writeln!(out, "# note: {}", n.message)?,
        }
    }
    for e in &p.events {
        let ev = EventRef {
            event: e,
            source_text: &p.text.text,
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
                fields.push_str(&format!(" {name}={v:?}"));
            }
        }
        let msg = ev.msg();
        let first = msg.lines().next().unwrap_or("");
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
    }
    Ok(())
}

pub fn write_json(out: &mut impl Write, p: &ParsedSource) -> io::Result<()> {
    for e in &p.events {
        let ev = EventRef {
            event: e,
            source_text: &p.text.text,
            format: p.format,
        };
        let mut fields = serde_json::Map::new();
        for (name, _) in &e.fields {
            if let Some(v) = ev.get(name) {
                fields.insert(name.to_string(), serde_json::Value::String(v.into_owned()));
            }
        }
        let obj = serde_json::json!({
            "path": p.text.path,
            "format": p.format,
            "line": e.span.line,
            "end_line": e.span.end_line,
            "start": e.span.start,
            "end": e.span.end,
            "ts": e.ts.map(|t| format_ts(t.ms)),
            "ts_naive": e.ts.map(|t| t.naive),
            "level": e.level.map(|l| l.as_str()),
            "fields": fields,
        });
        serde_json::to_writer(&mut *out, &obj)?;
        writeln!(out)?;
    }
    Ok(())
}
