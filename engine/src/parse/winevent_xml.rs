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

use crate::frame::Line;
use crate::text::Note;

use super::format::{FileNameHint, FormatSpec, NameHint};
use super::head::{Head, ParseContext};
use super::lex::{Prefix, View};
use super::winevent::{self, Sink, WinEvent};

/// `windows-event-xml`: `<Event>` records, one per line or pretty-printed.
pub const XML_SPEC: FormatSpec = FormatSpec {
    read_whole: Some(|whole, notes| {
        winevent::read_records(whole, |context, views, sink| {
            records(context, views, sink, notes)
        })
    }),
    ..FormatSpec::lines("windows-event-xml", head)
};

/// `windows-event-evtx`: a binary `.evtx` log, which `source::evtx` renders
/// as event XML lines.
pub const EVTX_SPEC: FormatSpec = FormatSpec {
    file_name_hint: Some(FileNameHint {
        rank: 23,
        matches: |name| {
            name.path_lower
                .ends_with(".evtx")
                .then_some(NameHint::default())
        },
    }),
    name: "windows-event-evtx",
    ..XML_SPEC
};

/// An unclosed `<Event>` stops after this many lines.
const MAX_LINES: usize = 400;

/// Scores a line for detection: event XML elements are unmistakable.
pub fn head(context: &ParseContext<'_>, view: &View, _p: &Prefix) -> Option<Head> {
    let s = view.text(context.text);
    if !s.starts_with('<') {
        return None;
    }
    let mut h = Head::new(view.start..view.end);
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

/// Whether `s` holds the start of an `<Event>` element anywhere.
fn has_start(s: &str) -> bool {
    s.match_indices("<Event").any(|(i, _)| is_start(&s[i..]))
}

/// Reads every `<Event>` of the source; other lines become plain events.
/// Records never overlap: several on one line (`</Event><Event ...>`) get
/// their own parts of it, and one without `</Event>` ends where the next
/// `<Event` starts (with a note).
pub fn records(
    context: &ParseContext<'_>,
    views: &[View],
    sink: &mut Sink<'_>,
    notes: &mut Vec<Note>,
) {
    let mut i = 0;
    while let Some(v) = views.get(i) {
        let s = v.text(context.text);
        if v.is_blank() {
            i += 1;
            continue;
        }
        if !s.contains("<Event") || s.contains("<EventData") && !s.contains("<Event ") {
            sink.plain(context, v);
            i += 1;
            continue;
        }
        let joined = join(context, views, i);
        let pieces = pieces(&joined.xml);
        for (k, piece) in pieces.iter().enumerate() {
            let (first, last) = joined.lines(views, piece.range.clone());
            let xml = &joined.xml[piece.range.clone()];
            // Where the next record starts, when this one has no `</Event>` before it.
            let next = match pieces.get(k + 1) {
                Some(p) => Some(joined.lines(views, p.range.clone()).0.number),
                None => joined.next_record.map(|j| views[j].line.number),
            };
            if let (false, Some(next)) = (xml.contains("</Event>"), next) {
                notes.push(Note::new(
                    Some(first.number),
                    format!(
                        "line {}: an <Event> without </Event>: read up to the next <Event> (line {next})",
                        first.number
                    ),
                ));
            }
            sink.push(first, last, read(xml));
        }
        i = joined.last + 1;
    }
}

/// Joins the lines of the `<Event>` starting at view `i`: up to `</Event>`,
/// a blank line, the next line that starts another `<Event` (once one has
/// started), [`MAX_LINES`] or the end. Returns the last view's index.
pub fn block(context: &ParseContext<'_>, views: &[View], i: usize) -> (usize, String) {
    let j = join(context, views, i);
    (j.last, j.xml)
}

/// The lines of one block joined by `\n`, with where each line's content starts in it.
struct Joined {
    xml: String,
    /// (offset in `xml`, view index), one per line, in order.
    segs: Vec<(usize, usize)>,
    first: usize,
    last: usize,
    /// The view after `last` when it starts another `<Event`.
    next_record: Option<usize>,
}

fn join(context: &ParseContext<'_>, views: &[View], i: usize) -> Joined {
    let mut xml = String::new();
    let mut segs = Vec::new();
    let mut last = i;
    let mut next_record = None;
    // Lines before the first `<Event` (a `<Events>` wrapper) belong to the first record.
    let mut started = false;
    for (j, v) in views.iter().enumerate().skip(i).take(MAX_LINES) {
        if v.is_blank() {
            break;
        }
        let s = v.text(context.text);
        if started && is_start(s.trim_start()) {
            next_record = Some(j);
            break;
        }
        started |= has_start(s);
        if !xml.is_empty() {
            xml.push('\n');
        }
        segs.push((xml.len(), j));
        xml.push_str(s);
        last = j;
        if s.trim_end().ends_with("</Event>") {
            break;
        }
    }
    Joined {
        xml,
        segs,
        first: i,
        last,
        next_record,
    }
}

impl Joined {
    /// The view holding `xml[at]` (a `\n` between lines belongs to the line before it).
    fn seg(&self, at: usize) -> (usize, usize) {
        let k = self.segs.partition_point(|&(off, _)| off <= at);
        self.segs[k.saturating_sub(1)]
    }

    /// The first and last lines of `xml[range]`, cut to that range: the
    /// block's first piece starts at its line's start, its last ends at its
    /// line's end, and a piece ends after its last non-blank character.
    fn lines(&self, views: &[View], range: std::ops::Range<usize>) -> (Line, Line) {
        let at = |off: usize| -> (Line, u32) {
            let (start, vi) = self.seg(off);
            let v = &views[vi];
            let delta = u32::try_from(off - start).unwrap_or(u32::MAX);
            (v.line, v.start.saturating_add(delta).min(v.end))
        };
        let mut first = views[self.first].line;
        if range.start > 0 {
            let (line, start) = at(range.start);
            first = line;
            first.start = start;
        }
        let mut last = views[self.last].line;
        if range.end < self.xml.len() {
            // Just past the last non-blank character: inside a line, or at the
            // `\n` after one, which maps to that line's content end.
            let end = range.start + self.xml[range].trim_end().len();
            let (line, end) = at(end);
            last = line;
            last.end = end;
        }
        (first, last)
    }
}

/// One record's part of a block.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Piece {
    range: std::ops::Range<usize>,
}

/// Cuts a block into records that never overlap and together cover it: each
/// ends after its `</Event>` (and what follows up to the next `<Event`), or,
/// without one, where the next `<Event` starts; the last one runs to the end.
fn pieces(xml: &str) -> Vec<Piece> {
    let starts: Vec<usize> = xml
        .match_indices("<Event")
        .map(|(i, _)| i)
        .filter(|&i| is_start(&xml[i..]))
        .collect();
    let next_start = |after: usize| starts.iter().copied().find(|&s| s > after);
    let mut out = Vec::new();
    let mut begin = 0;
    let mut cur = starts.first().copied().unwrap_or(0);
    loop {
        let close = xml[cur..].find("</Event>").map(|i| cur + i);
        let next = next_start(cur);
        match (close, next) {
            (close, Some(n)) if close.is_none_or(|c| n < c) => {
                out.push(Piece { range: begin..n });
                begin = n;
                cur = n;
            }
            (Some(c), _) => {
                let after = c + "</Event>".len();
                match starts.iter().copied().find(|&s| s >= after) {
                    Some(n) => {
                        out.push(Piece { range: begin..n });
                        begin = n;
                        cur = n;
                    }
                    None => break,
                }
            }
            (None, _) => break,
        }
    }
    out.push(Piece {
        range: begin..xml.len(),
    });
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

fn system_attrs(ev: &mut WinEvent, name: &str, s: &BytesStart<'_>) {
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

fn local(s: &BytesStart<'_>) -> String {
    String::from_utf8_lossy(s.local_name().as_ref()).into_owned()
}

fn attr(s: &BytesStart<'_>, key: &[u8]) -> Option<String> {
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

    fn ev(id: u32) -> String {
        format!("<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='P'/><EventID>{id}</EventID><EventRecordID>{id}</EventRecordID></System>")
    }

    /// One event as the tests compare it: (record id, text, first line, last line).
    type Row = (Option<String>, String, u32, u32);

    /// Every event, and the notes.
    fn parsed(text: &str) -> (Vec<Row>, Vec<String>) {
        let p = crate::parse::parse(
            crate::text::SourceText::identity("events.xml", text.to_string()),
            0,
            &crate::parse::ParseOptions::default(),
        );
        assert_eq!(p.format, "windows-event-xml");
        let mut spans: Vec<(u64, u64)> = p
            .events
            .iter()
            .map(|e| (e.span.start, e.span.end))
            .collect();
        spans.sort();
        for w in spans.windows(2) {
            assert!(w[0].1 <= w[1].0, "overlapping spans {spans:?}");
        }
        let events = p
            .events
            .iter()
            .map(|e| {
                let r = crate::event::EventRef {
                    event: e,
                    source_text: &p.text.text,
                    format: p.format,
                };
                (
                    r.get("record_id").map(|s| s.into_owned()),
                    text[e.text.start as usize..e.text.end as usize].to_string(),
                    e.span.line,
                    e.span.end_line,
                )
            })
            .collect();
        (events, p.notes.into_iter().map(|n| n.message).collect())
    }

    #[test]
    fn two_records_on_one_line_get_their_own_spans() {
        let (a, b) = (format!("{}</Event>", ev(1)), format!("{}</Event>", ev(2)));
        let (events, notes) = parsed(&format!("{a}{b}\n"));
        assert_eq!(
            events,
            vec![
                (Some("1".into()), a.clone(), 1, 1),
                (Some("2".into()), b.clone(), 1, 1)
            ]
        );
        assert_eq!(notes, Vec::<String>::new());
        // With a space between them, the space stays with the first record.
        let (events, _) = parsed(&format!("{a} {b}\n"));
        assert_eq!(events[0].1, a);
        assert_eq!(events[1].1, b);
    }

    #[test]
    fn an_unterminated_record_ends_where_the_next_starts() {
        let b = format!("{}</Event>", ev(2));
        let text = format!("{}\n{b}\n{}\n", ev(1), ev(3));
        let (events, notes) = parsed(&text);
        assert_eq!(
            events,
            vec![
                (Some("1".into()), ev(1), 1, 1),
                (Some("2".into()), b, 2, 2),
                (Some("3".into()), ev(3), 3, 3),
            ]
        );
        // The last one is truncated by the end of the input, not by another record.
        assert_eq!(
            notes,
            ["line 1: an <Event> without </Event>: read up to the next <Event> (line 2)"]
        );
    }

    #[test]
    fn an_unterminated_record_on_a_shared_line_is_cut_there() {
        let b = format!("{}</Event>", ev(2));
        let (events, notes) = parsed(&format!("{}{b}\n", ev(1)));
        assert_eq!(
            events,
            vec![(Some("1".into()), ev(1), 1, 1), (Some("2".into()), b, 1, 1)]
        );
        assert_eq!(
            notes,
            ["line 1: an <Event> without </Event>: read up to the next <Event> (line 1)"]
        );
    }

    #[test]
    fn a_wrapper_line_before_the_first_record_belongs_to_it() {
        let b = format!("{}</Event>", ev(2));
        let (events, notes) = parsed(&format!("<Events>\n{b}\n{b}\n</Events>\n"));
        let got: Vec<(u32, u32)> = events.iter().map(|e| (e.2, e.3)).collect();
        assert_eq!(got, [(1, 2), (3, 3), (4, 4)], "{events:?}");
        assert_eq!(notes, Vec::<String>::new());
    }

    #[test]
    fn a_pretty_printed_record_is_still_one_event() {
        let text = "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'>\n  <System>\n    <EventRecordID>9</EventRecordID>\n  </System>\n</Event>\n<Event xmlns='x'><System><EventRecordID>10</EventRecordID></System></Event>\n";
        let (events, notes) = parsed(text);
        assert_eq!(events.len(), 2, "{events:?}");
        assert_eq!(
            (events[0].0.as_deref(), events[0].2, events[0].3),
            (Some("9"), 1, 5)
        );
        assert_eq!(
            (events[1].0.as_deref(), events[1].2, events[1].3),
            (Some("10"), 6, 6)
        );
        assert_eq!(notes, Vec::<String>::new());
    }
}
