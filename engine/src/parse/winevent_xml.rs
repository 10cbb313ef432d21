//! Windows event XML (`windows-event-xml`): `<Event xmlns=...>` records one
//! per line (`wevtutil qe /f:xml`, the `.evtx` rendering), pretty-printed
//! (Event Viewer "XML View", the `Event Xml:` part of a text copy), with
//! single or double quotes, trailing spaces and truncated ends.
//!
//! Reads `System` (provider, event id, level, task, UTC `SystemTime`, record
//! id, channel, computer), `EventData/Data[@Name]` and the leaves of
//! `UserData` as `data.<Name>`, and `RenderingInfo/Message`. Lines outside
//! `<Event>` become plain events. Malformed XML never fails a record: what was
//! read before the error is kept.

use quick_xml::events::{BytesStart, Event as X};
use quick_xml::Reader;

use super::head::{Cx, Head};
use super::lex::{Prefix, View};
use super::winevent::{self, Sink, WinEvent};

/// An unclosed `<Event>` stops after this many lines.
const MAX_LINES: usize = 400;

/// Scores a line for detection: event XML elements are unmistakable.
pub fn head(cx: &Cx, v: &View, _p: &Prefix) -> Option<Head> {
    let s = v.text(cx.text);
    if !s.starts_with('<') {
        return None;
    }
    let mut h = Head::new(v.start..v.end);
    h.score = if is_start(s)
        || [
            "<Provider ",
            "<EventID",
            "<TimeCreated ",
            "<EventRecordID",
            "<Channel>",
            "<Computer>",
            "<Data Name=",
            "</Event>",
        ]
        .iter()
        .any(|t| s.starts_with(t))
    {
        3
    } else {
        1
    };
    Some(h)
}

/// Whether `s` starts an `<Event>` element.
pub fn is_start(s: &str) -> bool {
    s.starts_with("<Event xmlns") || s.starts_with("<Event>") || s.starts_with("<Event ")
}

/// Reads every `<Event>` of the source; other lines become plain events.
pub fn records(cx: &Cx, views: &[View], sink: &mut Sink) {
    let mut i = 0;
    while let Some(v) = views.get(i) {
        let s = v.text(cx.text);
        if v.is_blank() {
            i += 1;
            continue;
        }
        if !s.contains("<Event") || s.contains("<EventData") && !s.contains("<Event ") {
            sink.plain(cx, v);
            i += 1;
            continue;
        }
        let (last, xml) = block(cx, views, i);
        let first = v.line;
        let end = views.get(last).map_or(first, |l| l.line);
        let pieces: Vec<&str> = split_events(&xml);
        for piece in pieces {
            sink.push(first, end, read(piece));
        }
        i = last + 1;
    }
}

/// Joins the lines of the `<Event>` starting at view `i`: up to `</Event>`,
/// a blank line, [`MAX_LINES`] or the end. Returns the last view's index.
pub fn block(cx: &Cx, views: &[View], i: usize) -> (usize, String) {
    let mut xml = String::new();
    let mut last = i;
    for (j, v) in views.iter().enumerate().skip(i).take(MAX_LINES) {
        if v.is_blank() {
            break;
        }
        let s = v.text(cx.text);
        if !xml.is_empty() {
            xml.push('\n');
        }
        xml.push_str(s);
        last = j;
        if s.trim_end().ends_with("</Event>") {
            break;
        }
    }
    (last, xml)
}

/// Splits a line holding several `<Event>...</Event>` records.
fn split_events(xml: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(i) = rest.find("</Event>") {
        let end = i + "</Event>".len();
        let (piece, tail) = rest.split_at(end);
        out.push(piece);
        rest = tail;
        if !rest.contains("<Event") {
            break;
        }
    }
    if out.is_empty() || rest.contains("<Event") {
        out.push(rest);
    }
    out
}

/// Where the reader is inside the event.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    System,
    EventData,
    UserData,
    Rendering,
    Other,
}

/// Reads one `<Event>` element (possibly truncated or malformed).
pub fn read(xml: &str) -> WinEvent {
    let mut ev = WinEvent::default();
    let mut r = Reader::from_str(xml);
    let cfg = r.config_mut();
    cfg.trim_text(true);
    cfg.check_end_names = false;
    let mut part = Part::Other;
    let mut leaf: Option<String> = None;
    let mut depth_in_user = 0usize;
    loop {
        let e = match r.read_event() {
            Ok(X::Eof) | Err(_) => break,
            Ok(e) => e,
        };
        match e {
            X::Start(s) => {
                let name = local(&s);
                match name.as_str() {
                    "System" => part = Part::System,
                    "EventData" => part = Part::EventData,
                    "UserData" => {
                        part = Part::UserData;
                        depth_in_user = 0;
                    }
                    "RenderingInfo" => part = Part::Rendering,
                    _ => {}
                }
                if part == Part::UserData && name != "UserData" {
                    depth_in_user += 1;
                }
                leaf = Some(match (part, name.as_str()) {
                    (Part::EventData, "Data") => attr(&s, b"Name").unwrap_or_default(),
                    _ => name.clone(),
                });
                if part == Part::System {
                    system_attrs(&mut ev, &name, &s);
                }
            }
            X::Empty(s) => {
                let name = local(&s);
                if part == Part::System {
                    system_attrs(&mut ev, &name, &s);
                }
            }
            X::End(en) => {
                let name = String::from_utf8_lossy(en.local_name().as_ref()).into_owned();
                match name.as_str() {
                    "System" | "EventData" | "UserData" | "RenderingInfo" => part = Part::Other,
                    _ => {}
                }
                if part == Part::UserData {
                    depth_in_user = depth_in_user.saturating_sub(1);
                }
                leaf = None;
            }
            X::Text(t) => {
                let text = match t.unescape() {
                    Ok(s) => s.into_owned(),
                    Err(_) => String::from_utf8_lossy(&t).into_owned(),
                };
                let Some(name) = leaf.take() else { continue };
                text_of(&mut ev, part, &name, text, depth_in_user);
            }
            X::CData(t) => {
                let text = String::from_utf8_lossy(&t).into_owned();
                let Some(name) = leaf.take() else { continue };
                text_of(&mut ev, part, &name, text, depth_in_user);
            }
            _ => {}
        }
    }
    ev
}

fn text_of(ev: &mut WinEvent, part: Part, name: &str, text: String, user_depth: usize) {
    let text = text.trim().to_string();
    match part {
        Part::System => match name {
            "EventID" => ev.event_id = text.parse().ok(),
            "Level" => ev.level = winevent::level(&text),
            "Task" => ev.task = Some(text),
            "EventRecordID" => ev.record_id = text.parse().ok(),
            "Channel" => ev.channel = Some(text),
            "Computer" => ev.computer = Some(text),
            _ => {}
        },
        Part::EventData if !name.is_empty() => ev.data.push((name.to_string(), text)),
        Part::EventData => ev.data.push((format!("{}", ev.data.len()), text)),
        Part::UserData if user_depth >= 2 => ev.data.push((name.to_string(), text)),
        Part::Rendering if name == "Message" => ev.message = Some(text),
        _ => {}
    }
}

fn system_attrs(ev: &mut WinEvent, name: &str, s: &BytesStart) {
    match name {
        "Provider" => {
            ev.provider = attr(s, b"Name").or_else(|| attr(s, b"EventSourceName"));
        }
        "TimeCreated" => {
            if let Some(t) = attr(s, b"SystemTime") {
                ev.ts = super::time::read(&t, &jiff::tz::TimeZone::UTC);
            }
        }
        _ => {}
    }
}

fn local(s: &BytesStart) -> String {
    String::from_utf8_lossy(s.local_name().as_ref()).into_owned()
}

fn attr(s: &BytesStart, key: &[u8]) -> Option<String> {
    s.attributes().flatten().find_map(|a| {
        (a.key.local_name().as_ref() == key).then(|| match a.unescape_value() {
            Ok(v) => v.into_owned(),
            Err(_) => String::from_utf8_lossy(&a.value).into_owned(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_system_and_data() {
        let x = "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Kernel-Power' Guid='{x}'/><EventID Qualifiers='0'>42</EventID><Level>4</Level><Task>64</Task><TimeCreated SystemTime='2017-07-23T10:16:19.123Z'/><EventRecordID>77</EventRecordID><Channel>System</Channel><Computer>pc</Computer></System><EventData><Data Name='TargetState'>4</Data><Data Name='Reason'>7</Data></EventData></Event>";
        let e = read(x);
        assert_eq!(
            e.provider.as_deref(),
            Some("Microsoft-Windows-Kernel-Power")
        );
        assert_eq!(e.event_id, Some(42));
        assert_eq!(e.record_id, Some(77));
        assert_eq!(e.channel.as_deref(), Some("System"));
        assert_eq!(e.ts.map(|t| t.ms), Some(1_500_804_979_123));
        assert_eq!(
            e.data,
            vec![
                ("TargetState".to_string(), "4".to_string()),
                ("Reason".to_string(), "7".to_string())
            ]
        );
        assert_eq!(
            e.msg(),
            "Microsoft-Windows-Kernel-Power 42 TargetState=4 Reason=7"
        );
    }

    #[test]
    fn truncated_xml_keeps_what_was_read() {
        let e = read("<Event><System><Provider Name=\"p\" /><EventID>7</EventID><TimeCreated SystemTime=\"20");
        assert_eq!(e.provider.as_deref(), Some("p"));
        assert_eq!(e.event_id, Some(7));
        assert_eq!(e.ts, None);
    }
}
