//! Event Viewer "Save as CSV" exports (`windows-event-csv`): a header
//! `Level,Date and Time,Source,Event ID,Task Category` (localised), then one
//! row per event whose last, unnamed column is the message, quoted and often
//! spanning several lines.
//!
//! Columns are found by header name (English, German, French, Chinese); a file
//! without a header uses Event Viewer's column order. Times are local (read in
//! `--tz`, naive). A quote left open at the end is noted, never fatal, and
//! every line ends up in an event.

use crate::text::Note;

use super::format::FormatSpec;
use super::head::{Head, ParseContext};
use super::lex::{Prefix, View};
use super::winevent::{self, Sink, WinEvent};

/// `windows-event-csv`: Event Viewer CSV exports, read whole.
pub const SPEC: FormatSpec = FormatSpec {
    read_whole: Some(|whole, notes| {
        winevent::read_records(whole, |context, views, sink| {
            records(context, views, sink, notes)
        })
    }),
    ..FormatSpec::lines("windows-event-csv", head)
};

/// A quoted field stops spanning lines after this many.
const MAX_LINES: usize = 200;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Col {
    Level,
    Date,
    Provider,
    EventId,
    Task,
    Message,
}

/// Event Viewer's order when there is no header.
const DEFAULT: [Col; 6] = [
    Col::Level,
    Col::Date,
    Col::Provider,
    Col::EventId,
    Col::Task,
    Col::Message,
];

fn column(name: &str) -> Option<Col> {
    Some(match name.trim().to_lowercase().as_str() {
        "level" | "ebene" | "niveau" | "nivel" | "级别" => Col::Level,
        "date and time" | "datum und uhrzeit" | "date et heure" | "fecha y hora" | "日期和时间" => {
            Col::Date
        }
        "source" | "quelle" | "origen" | "来源" => Col::Provider,
        "event id" | "ereignis-id" | "id de l'événement" | "id. del evento" | "事件 id" => {
            Col::EventId
        }
        "task category"
        | "aufgabenkategorie"
        | "catégorie de la tâche"
        | "categoría de la tarea"
        | "任务类别" => Col::Task,
        "message" | "meldung" | "description" | "beschreibung" | "描述" => Col::Message,
        _ => return None,
    })
}

/// The header's columns, when `s` is a header.
fn header(s: &str) -> Option<Vec<Option<Col>>> {
    let cols: Vec<Option<Col>> = split(s).0.iter().map(|f| column(f)).collect();
    (cols.iter().flatten().count() >= 3).then_some(cols)
}

/// Splits one CSV record; `true` when a quote is still open at the end.
fn split(s: &str) -> (Vec<String>, bool) {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut field)),
            _ => field.push(c),
        }
    }
    out.push(field);
    (out, quoted)
}

/// Scores a line for detection: the header is unmistakable, a row with a
/// level, a date and an id is likely.
pub fn head(context: &ParseContext<'_>, view: &View, _p: &Prefix) -> Option<Head> {
    let s = view.text(context.text);
    if !s.contains(',') {
        return None;
    }
    let score = if header(s).is_some() {
        3
    } else {
        let (f, _) = split(s);
        let row = f.len() >= 5
            && winevent::level(&f[0]).is_some()
            && winevent::local_time(&f[1], context).is_some()
            && f[3].trim().parse::<i64>().is_ok();
        if !row {
            return None;
        }
        2
    };
    let mut h = Head::new(view.start..view.end);
    h.score = score;
    Some(h)
}

/// Reads every row of the source.
pub fn records(
    context: &ParseContext<'_>,
    views: &[View],
    sink: &mut Sink<'_>,
    notes: &mut Vec<Note>,
) {
    let mut cols: Vec<Option<Col>> = DEFAULT.iter().copied().map(Some).collect();
    let mut i = 0;
    while let Some(v) = views.get(i) {
        if v.is_blank() {
            i += 1;
            continue;
        }
        let s = v.text(context.text);
        if let Some(h) = header(s) {
            cols = h;
            sink.plain(context, v);
            i += 1;
            continue;
        }
        // Gather the lines of one record: a quoted field may span lines.
        let mut rec = s.to_string();
        let mut last = i;
        let (mut fields, mut open) = split(&rec);
        while open && last + 1 < views.len() && last - i < MAX_LINES {
            last += 1;
            rec.push('\n');
            if let Some(n) = views.get(last) {
                rec.push_str(n.text(context.text));
            }
            (fields, open) = split(&rec);
        }
        if open {
            notes.push(Note::new(
                Some(v.line.number),
                "CSV: a quoted field is not closed; the record was read up to here",
            ));
        }
        let end = views.get(last).map_or(v.line, |l| l.line);
        match row(context, &cols, &fields) {
            Some(ev) => sink.push(v.line, end, ev),
            None => {
                for x in views.get(i..=last).unwrap_or(&[]) {
                    if !x.is_blank() {
                        sink.plain(context, x);
                    }
                }
            }
        }
        i = last + 1;
    }
}

fn row(context: &ParseContext<'_>, cols: &[Option<Col>], fields: &[String]) -> Option<WinEvent> {
    let mut ev = WinEvent::default();
    let mut message = Vec::new();
    for (j, f) in fields.iter().enumerate() {
        let f = f.trim();
        let col = match cols.get(j).copied() {
            Some(c) => c,
            // Columns past the header (the unnamed message) are the message.
            None => Some(Col::Message),
        };
        match col {
            Some(Col::Level) => ev.level = winevent::level(f),
            Some(Col::Date) => ev.ts = winevent::local_time(f, context),
            Some(Col::Provider) if !f.is_empty() => ev.provider = Some(f.to_string()),
            Some(Col::EventId) => ev.event_id = f.parse().ok(),
            Some(Col::Task) if !f.is_empty() => ev.task = Some(f.to_string()),
            Some(Col::Message) | None if !f.is_empty() => message.push(f),
            _ => {}
        }
    }
    if !message.is_empty() {
        ev.message = Some(message.join(","));
    }
    (ev.event_id.is_some() && (ev.provider.is_some() || ev.ts.is_some())).then_some(ev)
}
