//! What the Windows event log formats share: turning a block of lines into
//! an [`Event`], level names (numeric and localised), local date-times as
//! Event Viewer, PowerShell and CSV exports print them, and reading a whole
//! source with a format's record reader ([`read_records`]).
//!
//! These formats are read record by record (a record spans many lines whose
//! fields come from different lines), not by the line driver in `record`.
//! This module never names one of the formats (each declares its own spec),
//! never guesses a zone: local times are read in `--tz` (or UTC) and marked
//! naive; it never drops a line of its input.

use std::borrow::Cow;

use jiff::civil::DateTime;

use crate::event::{field, Event, Level, SourceId, Span, Timestamp, Value};
use crate::frame::Line;
use crate::text::SourceText;

use super::format::WholeSource;
use super::head::ParseContext;
use super::lex::View;
use super::{plain, time};

/// The fields of one Windows event, as any of the formats read them.
#[derive(Clone, Debug, Default)]
pub struct WinEvent {
    pub ts: Option<Timestamp>,
    pub level: Option<Level>,
    pub provider: Option<String>,
    pub event_id: Option<i64>,
    pub channel: Option<String>,
    pub computer: Option<String>,
    pub record_id: Option<i64>,
    pub task: Option<String>,
    /// `data.<Name>` fields, in document order.
    pub data: Vec<(String, String)>,
    /// The rendered message, when the dump has one.
    pub message: Option<String>,
}

impl WinEvent {
    /// The `msg`: the rendered message, else `<provider> <event_id>` and the data.
    pub fn msg(&self) -> String {
        if let Some(m) = self.message.as_deref().map(str::trim) {
            if !m.is_empty() {
                return m.to_string();
            }
        }
        let mut s = String::new();
        if let Some(p) = &self.provider {
            s.push_str(p);
        }
        if let Some(id) = self.event_id {
            if !s.is_empty() {
                s.push(' ');
            }
            s.push_str(&id.to_string());
        }
        for (k, v) in &self.data {
            if !s.is_empty() {
                s.push(' ');
            }
            s.push_str(k);
            s.push('=');
            s.push_str(v);
        }
        s
    }

    /// Fills what `self` lacks from `other` (the XML inside a text copy).
    pub fn merge(&mut self, other: WinEvent) {
        // The XML's UTC time beats the header's local time.
        if other.ts.is_some() {
            self.ts = other.ts;
        }
        self.level = self.level.or(other.level);
        self.provider = self.provider.take().or(other.provider);
        self.event_id = self.event_id.or(other.event_id);
        self.channel = self.channel.take().or(other.channel);
        self.computer = self.computer.take().or(other.computer);
        self.record_id = self.record_id.or(other.record_id);
        self.task = self.task.take().or(other.task);
        if self.data.is_empty() {
            self.data = other.data;
        }
        self.message = self.message.take().or(other.message);
    }

    /// The event's fields, `msg` first.
    pub fn fields(self) -> Vec<(Cow<'static, str>, Value)> {
        let mut f: Vec<(Cow<'static, str>, Value)> = Vec::with_capacity(8 + self.data.len());
        let own = |s: String| Value::Owned(s.into_boxed_str());
        f.push((Cow::Borrowed(field::MSG), own(self.msg())));
        if let Some(p) = self.provider {
            f.push((Cow::Borrowed(field::PROVIDER), own(p)));
        }
        if let Some(id) = self.event_id {
            f.push((Cow::Borrowed(field::EVENT_ID), Value::Int(id)));
        }
        if let Some(c) = self.channel {
            f.push((Cow::Borrowed(field::CHANNEL), own(c)));
        }
        if let Some(c) = self.computer {
            f.push((Cow::Borrowed("computer"), own(c)));
        }
        if let Some(r) = self.record_id {
            f.push((Cow::Borrowed("record_id"), Value::Int(r)));
        }
        if let Some(t) = self.task {
            f.push((Cow::Borrowed("task"), own(t)));
        }
        for (k, v) in self.data {
            let name = format!("data.{k}");
            if f.iter().all(|(n, _)| *n != name) {
                f.push((Cow::Owned(name), own(v)));
            }
        }
        f
    }
}

/// Collects events of one source.
pub struct Sink<'a> {
    pub src: &'a SourceText,
    pub id: SourceId,
    pub events: Vec<Event>,
}

impl Sink<'_> {
    /// Adds the event spanning lines `first..=last`.
    pub fn push(&mut self, first: Line, last: Line, ev: WinEvent) {
        let ts = ev.ts;
        let level = ev.level;
        let fields = ev.fields();
        self.push_fields(first, last, ts, level, fields);
    }

    /// Adds a line no reader understood as a plain event.
    pub fn plain(&mut self, context: &ParseContext<'_>, v: &View) {
        let h = plain::head(context, v);
        let fields = vec![(Cow::Borrowed(field::MSG), h.msg)];
        self.push_fields(v.line, v.line, None, None, fields);
    }

    fn push_fields(
        &mut self,
        first: Line,
        last: Line,
        ts: Option<Timestamp>,
        level: Option<Level>,
        fields: Vec<(Cow<'static, str>, Value)>,
    ) {
        let seq = self.events.len() as u32;
        self.events.push(Event {
            source: self.id,
            seq,
            span: Span {
                start: self.src.raw_offset(first.start as usize),
                end: self.src.raw_offset(last.end as usize),
                line: first.number,
                end_line: last.number,
            },
            text: first.start..last.end,
            ts,
            level,
            fields,
        });
    }
}

/// Reads a whole source with a format's record reader (`read` gets every
/// line's view and the sink its events go to): what each Windows event
/// format's `read_whole` does.
pub fn read_records(
    whole: &WholeSource<'_>,
    read: impl FnOnce(&ParseContext<'_>, &[View], &mut Sink<'_>),
) -> Option<Vec<Event>> {
    let context = whole.context;
    let mut sink = Sink {
        src: whole.source,
        id: whole.id,
        events: Vec::new(),
    };
    let views: Vec<View> = crate::frame::lines(context.text)
        .map(|line| View::new(context.text, line, whole.quoted))
        .collect();
    read(context, &views, &mut sink);
    Some(sink.events)
}

/// An event level: Windows numbers (`4`) and names in several languages.
pub fn level(s: &str) -> Option<Level> {
    let t = s.trim();
    Some(match t {
        "0" | "4" => Level::Info,
        "1" => Level::Fatal,
        "2" => Level::Error,
        "3" => Level::Warn,
        "5" => Level::Trace,
        _ => {
            let l = t.to_lowercase();
            match l.as_str() {
                "critical" | "kritisch" | "critique" | "crítico" | "关键" | "严重" => {
                    Level::Fatal
                }
                "error" | "fehler" | "erreur" | "错误" | "エラー" => Level::Error,
                "warning" | "warnung" | "avertissement" | "advertencia" | "警告" => Level::Warn,
                "information" | "informationen" | "informação" | "información" | "信息"
                | "情報" | "successaudit" | "audit success" => Level::Info,
                "failureaudit" | "audit failure" => Level::Warn,
                "verbose" | "ausführlich" | "détaillé" | "详细" => Level::Trace,
                _ => return Level::parse(&l),
            }
        }
    })
}

/// A date-time as Windows prints it in the user's locale, read in `context.tz`:
/// ISO 8601 (with `Z`: exact), `M/D/YYYY h:mm:ss PM`, `D.M.YYYY H:MM:SS`,
/// `YYYY/M/D H:MM:SS`, `MM-DD-YYYY hh:mm:ss PM`, `DD-MM-YY HH:MM:SS`.
pub fn local_time(s: &str, context: &ParseContext<'_>) -> Option<Timestamp> {
    let s = s.trim().trim_start_matches('\u{200e}');
    if let Some(t) = time::read(s, context.tz) {
        return Some(t);
    }
    let mut parts = s.split_whitespace();
    let date = parts.next()?;
    let clock = parts.next()?;
    let ampm = parts.next().map(|p| p.to_ascii_uppercase());
    let sep = date.chars().find(|c| matches!(c, '/' | '.' | '-'))?;
    let nums: Vec<&str> = date.trim_end_matches('.').split(sep).collect();
    let [a, b, c] = nums.as_slice() else {
        return None;
    };
    let n = |x: &str| x.parse::<i32>().ok();
    let (na, nb, nc) = (n(a)?, n(b)?, n(c)?);
    let (y, m, d) = if a.len() == 4 {
        (na, nb, nc)
    } else {
        let us = match sep {
            '.' => false,
            '/' => na <= 12,
            _ => ampm.is_some() && na <= 12,
        };
        let y = if c.len() == 2 { 2000 + nc } else { nc };
        if us {
            (y, na, nb)
        } else {
            (y, nb, na)
        }
    };
    let mut hms = clock.split(':');
    let mut h = n(hms.next()?)?;
    let mi = n(hms.next()?)?;
    let sec = hms
        .next()
        .and_then(|x| x.split(['.', ',']).next())
        .and_then(n)
        .unwrap_or(0);
    match ampm.as_deref() {
        Some("PM") if h < 12 => h += 12,
        Some("AM") if h == 12 => h = 0,
        _ => {}
    }
    let dt = DateTime::new(
        i16::try_from(y).ok()?,
        i8::try_from(m).ok()?,
        i8::try_from(d).ok()?,
        i8::try_from(h).ok()?,
        i8::try_from(mi).ok()?,
        i8::try_from(sec.min(59)).ok()?,
        0,
    )
    .ok()?;
    let ts = context.tz.to_timestamp(dt).ok()?;
    Some(Timestamp {
        ms: ts.as_millisecond(),
        naive: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(s: &str) -> Option<i64> {
        let tz = jiff::tz::TimeZone::UTC;
        let context = ParseContext { text: "", tz: &tz };
        local_time(s, &context).map(|t| t.ms)
    }

    #[test]
    fn local_times_in_several_locales() {
        let want = Some(1_500_846_127_000); // 2017-07-23T21:42:07
        assert_eq!(ms("7/23/2017 9:42:07 PM"), want);
        assert_eq!(ms("23.07.2017 21:42:07"), want);
        assert_eq!(ms("2017/7/23 21:42:07"), want);
        assert_eq!(ms("07-23-2017 09:42:07 PM"), want);
        assert_eq!(ms("23/07/2017 21:42:07"), want);
        assert_eq!(ms("2017-07-23T21:42:07.0000000Z"), want);
        assert_eq!(ms("not a date"), None);
        assert_eq!(ms("99/99/2017 9:42:07"), None);
    }

    #[test]
    fn levels_in_several_languages() {
        assert_eq!(level("4"), Some(Level::Info));
        assert_eq!(level("Fehler"), Some(Level::Error));
        assert_eq!(level("错误"), Some(Level::Error));
        assert_eq!(level("Avertissement"), Some(Level::Warn));
        assert_eq!(level("Kritisch"), Some(Level::Fatal));
        assert_eq!(level("banana"), None);
    }
}
