//! PowerShell `Format-List` of events (`windows-event-ps`): `Get-WinEvent`
//! (`TimeCreated`, `ProviderName`, `Id`, `LevelDisplayName`, `Message`) and
//! `Get-EventLog` (`Index`, `EntryType`, `InstanceId`, `Source`,
//! `TimeGenerated`), as `Name<pad> : value` with wrapped values indented to
//! the value column and records separated by a blank line or a user's `--`.
//!
//! A record ends where a property it already has appears again. Dumps are
//! newest first; events come out in file order (the matcher reverses
//! newest-first sources). Times are local, culture-formatted, read in `--tz`.

use super::format::FormatSpec;
use super::head::{Head, ParseContext};
use super::lex::{Prefix, View};
use super::winevent::{self, Sink, WinEvent};

/// `windows-event-ps`: PowerShell `Format-List` of events, read whole.
pub const SPEC: FormatSpec = FormatSpec {
    read_whole: Some(|whole, _notes| winevent::read_records(whole, records)),
    ..FormatSpec::lines("windows-event-ps", head)
};

/// Property names that say "event" (detection scores them 3).
const KNOWN: &[&str] = &[
    "TimeCreated",
    "ProviderName",
    "Id",
    "LevelDisplayName",
    "Message",
    "Index",
    "EntryType",
    "InstanceId",
    "Source",
    "TimeGenerated",
    "TimeWritten",
    "EventID",
    "LogName",
    "MachineName",
    "RecordId",
    "TaskDisplayName",
    "Category",
    "CategoryNumber",
    "ReplacementStrings",
    "ContainerLog",
];

/// `Name<pad> : value` on an unindented line: the known name (`"?"` for
/// others), whether it is known, and the value.
fn property(view: &View, s: &str) -> Option<(&'static str, bool, String)> {
    if view.indent > 0 {
        return None;
    }
    let (name, value) = match s.find(" : ") {
        Some(i) => (s.get(..i)?, s.get(i + 3..)?),
        None => (s.strip_suffix(" :")?, ""),
    };
    let name = name.trim_end();
    if name.is_empty() || !name.bytes().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let value = value.trim().to_string();
    Some(match KNOWN.iter().find(|k| **k == name) {
        Some(k) => (k, true, value),
        None => ("?", false, value),
    })
}

/// Scores a line for detection.
pub fn head(context: &ParseContext<'_>, view: &View, _p: &Prefix) -> Option<Head> {
    let s = view.text(context.text);
    let (_, known, _) = property(view, s)?;
    let mut h = Head::new(view.start..view.end);
    h.score = if known { 3 } else { 1 };
    Some(h)
}

struct Cur {
    first: crate::frame::Line,
    last: crate::frame::Line,
    props: Vec<(&'static str, String)>,
}

impl Cur {
    fn has(&self, name: &str) -> bool {
        name != "?" && self.props.iter().any(|(n, _)| *n == name)
    }

    fn finish(self, context: &ParseContext<'_>, sink: &mut Sink<'_>) {
        let mut ev = WinEvent::default();
        let get = |n: &str| {
            self.props
                .iter()
                .find(|(k, v)| *k == n && !v.trim().is_empty())
                .map(|(_, v)| v.trim())
        };
        ev.ts = ["TimeCreated", "TimeGenerated", "TimeWritten"]
            .iter()
            .find_map(|n| get(n).and_then(|v| winevent::local_time(v, context)));
        ev.provider = get("ProviderName").or(get("Source")).map(str::to_string);
        ev.event_id = ["Id", "EventID", "InstanceId"]
            .iter()
            .find_map(|n| get(n).and_then(|v| v.parse().ok()));
        ev.level = ["LevelDisplayName", "EntryType"]
            .iter()
            .find_map(|n| get(n).and_then(winevent::level));
        ev.channel = get("LogName").or(get("ContainerLog")).map(str::to_string);
        ev.computer = get("MachineName").map(str::to_string);
        ev.record_id = ["RecordId", "Index"]
            .iter()
            .find_map(|n| get(n).and_then(|v| v.parse().ok()));
        ev.task = get("TaskDisplayName")
            .or(get("Category"))
            .map(str::to_string);
        ev.message = get("Message").map(str::to_string);
        sink.push(self.first, self.last, ev);
    }
}

/// Reads every record of the source.
pub fn records(context: &ParseContext<'_>, views: &[View], sink: &mut Sink<'_>) {
    let mut cur: Option<Cur> = None;
    let mut blank = false;
    for v in views {
        let s = v.text(context.text);
        if v.is_blank() {
            blank = true;
            continue;
        }
        if s == "--" {
            if let Some(c) = cur.take() {
                c.finish(context, sink);
            }
            sink.plain(context, v);
            continue;
        }
        if let Some((name, _, value)) = property(v, s) {
            if cur.as_ref().is_some_and(|c| c.has(name)) {
                if let Some(c) = cur.take() {
                    c.finish(context, sink);
                }
            }
            let c = cur.get_or_insert(Cur {
                first: v.line,
                last: v.line,
                props: Vec::new(),
            });
            c.last = v.line;
            c.props.push((name, value));
            blank = false;
            continue;
        }
        // A wrapped value: indented to the value column (blank lines inside a message stay).
        match cur.as_mut() {
            Some(c) if v.indent > 0 => {
                c.last = v.line;
                if let Some((_, val)) = c.props.last_mut() {
                    val.push_str(if blank { "\n\n" } else { "\n" });
                    val.push_str(s);
                }
            }
            _ => {
                if let Some(c) = cur.take() {
                    c.finish(context, sink);
                }
                sink.plain(context, v);
            }
        }
        blank = false;
    }
    if let Some(c) = cur {
        c.finish(context, sink);
    }
}
