//! Windows event text (`windows-event-text`): Event Viewer "Copy details as
//! text" with localised labels (English, German, French, Spanish, Chinese),
//! its `Event Xml:` part, and `wevtutil qe <log> /f:text` (`Event[N]` headers,
//! indented labels, the Server 2022 ` ?  ` collapsed line, `N/A`).
//!
//! A record starts at `Event[N]` or at a `Log Name:` label; `Description:`
//! takes every following line up to the XML label or the next record. The
//! header date is local time (read in `--tz`, naive); the XML's UTC
//! `SystemTime` wins when present. Lines outside records become plain events;
//! nothing is dropped.

use super::format::FormatSpec;
use super::head::{Head, ParseContext};
use super::lex::{Prefix, View};
use super::winevent::{self, Sink, WinEvent};

/// `windows-event-text`: Event Viewer text copies and `wevtutil /f:text`, read whole.
pub const SPEC: FormatSpec = FormatSpec {
    read_whole: Some(|whole, _notes| winevent::read_records(whole, records)),
    ..FormatSpec::lines("windows-event-text", head)
};
use super::winevent_xml;

/// What a label names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Key {
    Channel,
    Provider,
    Date,
    EventId,
    Task,
    Level,
    Computer,
    RecordId,
    Ignored,
    Description,
    Xml,
}

/// Localised labels, lower-case, without the colon.
const LABELS: &[(&str, Key)] = &[
    ("log name", Key::Channel),
    ("protokollname", Key::Channel),
    ("nom du journal", Key::Channel),
    ("nombre de registro", Key::Channel),
    ("日志名称", Key::Channel),
    ("source", Key::Provider),
    ("quelle", Key::Provider),
    ("origen", Key::Provider),
    ("来源", Key::Provider),
    ("date", Key::Date),
    ("datum", Key::Date),
    ("fecha", Key::Date),
    ("日期", Key::Date),
    ("event id", Key::EventId),
    ("ereignis-id", Key::EventId),
    ("id de l'événement", Key::EventId),
    ("id de l’événement", Key::EventId),
    ("id. del evento", Key::EventId),
    ("事件 id", Key::EventId),
    ("事件id", Key::EventId),
    ("task category", Key::Task),
    ("task", Key::Task),
    ("aufgabenkategorie", Key::Task),
    ("catégorie de la tâche", Key::Task),
    ("categoría de la tarea", Key::Task),
    ("任务类别", Key::Task),
    ("level", Key::Level),
    ("ebene", Key::Level),
    ("niveau", Key::Level),
    ("nivel", Key::Level),
    ("级别", Key::Level),
    ("computer", Key::Computer),
    ("ordinateur", Key::Computer),
    ("equipo", Key::Computer),
    ("计算机", Key::Computer),
    ("record id", Key::RecordId),
    ("keywords", Key::Ignored),
    ("keyword", Key::Ignored),
    ("schlüsselwörter", Key::Ignored),
    ("mots-clés", Key::Ignored),
    ("palabras clave", Key::Ignored),
    ("关键字", Key::Ignored),
    ("user", Key::Ignored),
    ("user name", Key::Ignored),
    ("benutzer", Key::Ignored),
    ("utilisateur", Key::Ignored),
    ("usuario", Key::Ignored),
    ("用户", Key::Ignored),
    ("opcode", Key::Ignored),
    ("logged", Key::Date),
    ("description", Key::Description),
    ("beschreibung", Key::Description),
    ("descripción", Key::Description),
    ("描述", Key::Description),
    ("event xml", Key::Xml),
    ("ereignis-xml", Key::Xml),
    ("xml de l'événement", Key::Xml),
    ("xml de l’événement", Key::Xml),
    ("xml de evento", Key::Xml),
    ("事件 xml", Key::Xml),
];

/// Splits `Label:<pad>value` (ASCII or full-width colon) when the label is known.
fn label(s: &str) -> Option<(Key, &str)> {
    let i = s.find([':', '：'])?;
    let name = s.get(..i)?.trim().to_lowercase();
    let colon = s.get(i..)?.chars().next()?.len_utf8();
    let value = s.get(i + colon..)?.trim();
    let key = LABELS.iter().find(|(l, _)| *l == name)?.1;
    Some((key, value))
}

/// `Event[3]` / `Event[3]:`.
fn is_event_header(s: &str) -> bool {
    s.strip_prefix("Event[")
        .and_then(|r| r.trim_end_matches(':').strip_suffix(']'))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|c| c.is_ascii_digit()))
}

/// `####`, `****`, `----` lines users put between copies.
fn is_separator(s: &str) -> bool {
    s.len() >= 3 && s.chars().all(|c| matches!(c, '#' | '*' | '-' | '=' | '_'))
}

/// Scores a line for detection: labels and `Event[N]` are specific, and the
/// embedded XML scores as for `windows-event-xml` so a text copy outscores it.
pub fn head(context: &ParseContext<'_>, view: &View, prefix: &Prefix) -> Option<Head> {
    let s = view.text(context.text);
    let key = label(s).map(|(k, _)| k);
    if is_event_header(s) || key.is_some_and(|k| k != Key::Ignored) {
        let mut h = Head::new(view.start..view.end);
        // `Log Name:`, `Event ID:` and `Event[N]` are specific to event dumps;
        // `Date:`, `Level:`, `Source:` also start lines of YAML and e-mail headers.
        let specific = matches!(
            key,
            Some(Key::Channel | Key::EventId | Key::RecordId | Key::Xml)
        );
        h.score = if specific || is_event_header(s) { 3 } else { 1 };
        return Some(h);
    }
    winevent_xml::head(context, view, prefix)
}

struct Cur {
    first: crate::frame::Line,
    last: crate::frame::Line,
    ev: WinEvent,
    desc: Option<String>,
}

impl Cur {
    fn finish(mut self, sink: &mut Sink<'_>) {
        if let Some(d) = self.desc.take() {
            let d = d.trim();
            if !d.is_empty() && d != "N/A" {
                self.ev.message = Some(d.to_string());
            }
        }
        sink.push(self.first, self.last, self.ev);
    }
}

/// Reads every record of the source.
pub fn records(context: &ParseContext<'_>, views: &[View], sink: &mut Sink<'_>) {
    let mut cur: Option<Cur> = None;
    let mut i = 0;
    while let Some(v) = views.get(i) {
        i += 1;
        let s = v.text(context.text);
        if v.is_blank() {
            if let Some(d) = cur.as_mut().and_then(|c| c.desc.as_mut()) {
                d.push('\n');
            }
            continue;
        }
        let lab = label(s);
        let starts = is_event_header(s)
            || matches!(lab, Some((Key::Channel, _)))
                && cur
                    .as_ref()
                    .is_none_or(|c| c.desc.is_some() || c.ev.channel.is_some());
        if starts || is_separator(s) {
            if let Some(c) = cur.take() {
                c.finish(sink);
            }
            if is_separator(s) {
                sink.plain(context, v);
                continue;
            }
            cur = Some(Cur {
                first: v.line,
                last: v.line,
                ev: WinEvent::default(),
                desc: None,
            });
            if is_event_header(s) {
                continue;
            }
        }
        let Some(c) = cur.as_mut() else {
            sink.plain(context, v);
            continue;
        };
        c.last = v.line;
        if let Some((Key::Xml, rest)) = lab {
            // The XML starts on the next non-blank line (or after the label).
            let mut j = i;
            if rest.is_empty() {
                while views.get(j).is_some_and(View::is_blank) {
                    j += 1;
                }
            } else {
                j = i - 1;
            }
            if views
                .get(j)
                .is_some_and(|x| x.text(context.text).contains("<Event"))
            {
                let (last, xml) = winevent_xml::block(context, views, j);
                let xml = if rest.is_empty() {
                    xml
                } else {
                    xml.get(xml.find('<').unwrap_or(0)..)
                        .unwrap_or("")
                        .to_string()
                };
                c.ev.merge(winevent_xml::read(&xml));
                if let Some(l) = views.get(last) {
                    c.last = l.line;
                }
                i = last + 1;
            }
            let desc = c.desc.take();
            if let Some(d) = desc {
                let d = d.trim();
                if !d.is_empty() && d != "N/A" {
                    c.ev.message = Some(d.to_string());
                }
            }
            continue;
        }
        if let Some(d) = c.desc.as_mut() {
            if !d.is_empty() {
                d.push('\n');
            }
            d.push_str(s);
            continue;
        }
        // The Server 2022 rendering collapses several labels onto one line.
        for part in s.split(" ?  ") {
            let Some((key, value)) = label(part.trim()) else {
                continue;
            };
            set(context, &mut c.ev, key, value);
            if key == Key::Description {
                c.desc = Some(value.to_string());
            }
        }
    }
    if let Some(c) = cur {
        c.finish(sink);
    }
}

fn set(context: &ParseContext<'_>, ev: &mut WinEvent, key: Key, value: &str) {
    if value.is_empty() || value == "N/A" {
        return;
    }
    let own = || Some(value.to_string());
    match key {
        Key::Channel => ev.channel = own(),
        Key::Provider => ev.provider = own(),
        Key::Date => ev.ts = winevent::local_time(value, context),
        Key::EventId => ev.event_id = value.parse().ok(),
        Key::Task => ev.task = own(),
        Key::Level => ev.level = winevent::level(value),
        Key::Computer => ev.computer = own(),
        Key::RecordId => ev.record_id = value.parse().ok(),
        Key::Ignored | Key::Description | Key::Xml => {}
    }
}
