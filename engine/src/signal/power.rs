//! Signal families `power` and `clock_jump`: the host slept, hibernated,
//! resumed, booted or shut down; the clock was stepped or found far off.
//!
//! `power` reads Windows events by provider and id in every event format the
//! parser produces (wevtutil text, XML, `Get-WinEvent | Format-List`, CSV,
//! rendered .evtx: they all carry `provider` and `event_id`), whatever the
//! message's language, and their English messages where a paste kept only the
//! message (a `Format-Table` row, a quoted line):
//!
//! | provider | id | message | kind |
//! |---|---|---|---|
//! | Kernel-Power | 42 | `The system is entering sleep.` (`TargetState` 5: hibernate) | sleep / hibernate |
//! | Kernel-Power | 107 | `The system has resumed from sleep.` | resume |
//! | Kernel-Power | 506 / 507 | `The system is entering` / `exiting Modern Standby` (`connected standby` before Windows 10) | standby_enter / standby_exit |
//! | Kernel-Power | 41 | `The system has rebooted without cleanly shutting down first.` | unexpected_shutdown |
//! | Kernel-Power | 109 | `The kernel power manager has initiated a shutdown transition.` | shutdown |
//! | Power-Troubleshooter | 1 | `The system has returned from a low power state.` (Windows 7: `... resumed from sleep.`) | resume (`slept_seconds` from Sleep Time / Wake Time) |
//! | Kernel-General | 12 / 13 | `The operating system started` / `is shutting down at system time ...` | boot / shutdown |
//! | EventLog | 6008 | `The previous system shutdown at ... was unexpected.` | unexpected_shutdown |
//!
//! and Linux: kernel/power/suspend.c `PM: suspend entry (deep)` / `PM: suspend
//! exit`, kernel/power/hibernate.c `PM: hibernation: hibernation entry` / `exit`
//! (`PM: hibernation entry` before 5.x), drivers/acpi/sleep.c `ACPI: PM: Preparing
//! to enter system sleep state S3` / `Waking up from system sleep state S3`,
//! systemd-sleep `Entering sleep state 'suspend'...` / `System returned from sleep
//! state.`, systemd-logind `The system will suspend now!`.
//!
//! `clock_jump` (`seconds` is the size, `direction` forward/backward):
//! Kernel-General 1 `The system time has changed to <new> from <old>.` (or its
//! NewTime/OldTime data), chrony `System clock wrong by <s> seconds, adjustment
//! started`, `System clock was stepped by <s> seconds`, `Forward time jump
//! detected!` / `Backward time jump detected!`, ntpd `time reset +<s> s`, ntpdate
//! `step time server <ip> offset <s> sec` / `adjust time server ...`,
//! systemd-timesyncd `System clock time unset or jumped backwards, restoring from
//! recorded timestamp: ...`, systemd `Time has been changed`, journald `Time
//! jumped backwards, rotating.`, and a pasted `hwclock -s` / `hwclock --hctosys`
//! (the user resynchronised the clock from the RTC).

use crate::event::EventRef;
use crate::signal::oom::{line_end, line_start};
use crate::signal::text::{abs, find_all_ci, find_ci};
use crate::signal::{Family, Kind, Signal};

/// `power`: the host slept, hibernated or resumed.
pub static POWER: Family = Family {
    kind: Kind::Power,
    name: "power",
    about: "the host slept, hibernated or resumed",
    fields: &["kind", "event_id", "provider", "slept_seconds"],
    literals: &[
        "kernel-power",
        "power-troubleshooter",
        "kernel-general",
        "eventlog",
        "entering sleep",
        "resumed from sleep",
        "low power state",
        "modern standby",
        "connected standby",
        "without cleanly shutting down",
        "was unexpected",
        "shutdown transition",
        "operating system started",
        "operating system is shutting down",
        "suspend entry",
        "suspend exit",
        "hibernation entry",
        "hibernation exit",
        "system sleep state",
        "returned from sleep state",
        "will suspend now",
    ],
    narrow: crate::signal::broad,
    read: read_power,
};

/// `clock_jump`: the clock was stepped or found far off.
pub static CLOCK_JUMP: Family = Family {
    kind: Kind::ClockJump,
    name: "clock_jump",
    about: "the clock was stepped or found far off",
    fields: &["seconds", "direction", "by", "how"],
    literals: &[
        "kernel-general",
        "system time has changed",
        "system clock wrong by",
        "system clock was stepped by",
        "time jump detected",
        "time reset",
        "step time server",
        "adjust time server",
        "jumped backwards",
        "time has been changed",
        "hwclock -s",
        "hwclock --hctosys",
    ],
    narrow: crate::signal::broad,
    read: read_clock_jump,
};

const KP: &str = "Microsoft-Windows-Kernel-Power";
const PT: &str = "Microsoft-Windows-Power-Troubleshooter";
const KG: &str = "Microsoft-Windows-Kernel-General";

/// English message phrases: (needle, kind, provider, Windows event id).
const PHRASES: &[(&str, &str, &str, &str)] = &[
    ("the system is entering sleep", "sleep", KP, "42"),
    ("the system has resumed from sleep", "resume", KP, "107"),
    (
        "the system has returned from a low power state",
        "resume",
        PT,
        "1",
    ),
    (
        "the system is entering modern standby",
        "standby_enter",
        KP,
        "506",
    ),
    (
        "the system is entering connected standby",
        "standby_enter",
        KP,
        "506",
    ),
    (
        "the system is exiting modern standby",
        "standby_exit",
        KP,
        "507",
    ),
    (
        "the system is exiting connected standby",
        "standby_exit",
        KP,
        "507",
    ),
    (
        "the system has rebooted without cleanly shutting down first",
        "unexpected_shutdown",
        KP,
        "41",
    ),
    (
        "the kernel power manager has initiated a shutdown transition",
        "shutdown",
        KP,
        "109",
    ),
    (
        "the operating system started at system time",
        "boot",
        KG,
        "12",
    ),
    (
        "the operating system is shutting down at system time",
        "shutdown",
        KG,
        "13",
    ),
    ("pm: suspend entry", "sleep", "kernel", ""),
    ("pm: suspend exit", "resume", "kernel", ""),
    ("hibernation entry", "hibernate", "kernel", ""),
    ("hibernation exit", "resume", "kernel", ""),
    ("waking up from system sleep state", "resume", "kernel", ""),
    (
        "preparing to enter system sleep state",
        "sleep",
        "kernel",
        "",
    ),
    ("entering sleep state '", "sleep", "systemd-sleep", ""),
    (
        "system returned from sleep state",
        "resume",
        "systemd-sleep",
        "",
    ),
    ("the system will suspend now", "sleep", "systemd-logind", ""),
];

/// The kind of a Windows event, by provider (suffix after `Microsoft-Windows-`) and id.
fn windows_kind(provider: &str, id: i64, ev: &EventRef<'_>) -> Option<&'static str> {
    let p = provider.to_ascii_lowercase();
    let p = p.strip_prefix("microsoft-windows-").unwrap_or(&p);
    Some(match (p, id) {
        ("kernel-power", 42) => {
            // SYSTEM_POWER_STATE: 4 = S3 (sleep), 5 = S4 (hibernate).
            let target = ev
                .get("data.TargetState")
                .and_then(|v| v.trim().parse::<u32>().ok());
            if target == Some(5) {
                "hibernate"
            } else {
                "sleep"
            }
        }
        ("kernel-power", 107) => "resume",
        ("kernel-power", 506) => "standby_enter",
        ("kernel-power", 507) => "standby_exit",
        ("kernel-power", 41) => "unexpected_shutdown",
        ("kernel-power", 109) => "shutdown",
        ("power-troubleshooter", 1) => "resume",
        ("kernel-general", 12) => "boot",
        ("kernel-general", 13) => "shutdown",
        ("eventlog", 6008) => "unexpected_shutdown",
        _ => return None,
    })
}

/// An RFC 3339 UTC instant (`2025-10-01T22:14:51.310225400Z`) at the start of `s`, in milliseconds.
fn instant_ms(s: &str) -> Option<i64> {
    let s = s.trim_start();
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | ':' | '.' | '+')))
        .unwrap_or(s.len());
    let ts: jiff::Timestamp = s[..end].trim_end_matches('.').parse().ok()?;
    Some(ts.as_millisecond())
}

/// Seconds as text: whole seconds plainly, else up to three decimals.
fn secs_text(ms: i64) -> String {
    let ms = ms.unsigned_abs();
    if ms.is_multiple_of(1000) {
        (ms / 1000).to_string()
    } else {
        let s = format!("{}.{:03}", ms / 1000, ms % 1000);
        s.trim_end_matches('0').to_string()
    }
}

/// The Power-Troubleshooter's `Sleep Time:` to `Wake Time:` span, in milliseconds.
fn slept_ms(t: &str) -> Option<i64> {
    let s = find_ci(t, "sleep time:", 0)?;
    let w = find_ci(t, "wake time:", s)?;
    let a = instant_ms(
        t.get(s + "sleep time:".len()..)?
            .trim_start_matches('\u{200e}'),
    )?;
    let b = instant_ms(
        t.get(w + "wake time:".len()..)?
            .trim_start_matches('\u{200e}'),
    )?;
    (b >= a).then_some(b - a)
}

fn read_power<'a>(ev: &EventRef<'a>, out: &mut Vec<Signal<'a>>) {
    let t = ev.record_text();
    let base = ev.event.text.start;
    // Windows events: by provider and id, whatever the language.
    if let (Some(provider), Some(id)) = (ev.get("provider"), ev.get_int("event_id")) {
        if let Some(kind) = windows_kind(&provider, id, ev) {
            let at = PHRASES
                .iter()
                .filter(|p| !p.3.is_empty())
                .find_map(|p| find_ci(t, p.0, 0).map(|i| i..line_end(t, i)))
                .unwrap_or(0..t.len());
            let mut s = Signal::new(Kind::Power, abs(base, at))
                .with("kind", kind)
                .with("event_id", id.to_string())
                .with("provider", provider.into_owned());
            if kind == "resume" {
                let data = ev
                    .get("data.SleepTime")
                    .and_then(|a| instant_ms(&a))
                    .zip(ev.get("data.WakeTime").and_then(|b| instant_ms(&b)))
                    .filter(|(a, b)| b >= a)
                    .map(|(a, b)| b - a);
                if let Some(ms) = data.or_else(|| slept_ms(t)) {
                    s = s.with("slept_seconds", secs_text(ms));
                }
            }
            out.push(s);
        }
        return;
    }
    for &(needle, kind, provider, id) in PHRASES {
        for p in find_all_ci(t, needle) {
            let ls = line_start(t, p);
            let le = line_end(t, p);
            let line = t.get(ls..le).unwrap_or("");
            let mut kind = kind;
            match needle {
                // `PM: hibernation: hibernation entry` or `PM: hibernation entry`.
                "hibernation entry" | "hibernation exit" if find_ci(line, "pm: ", 0).is_none() => {
                    continue
                }
                "preparing to enter system sleep state" | "waking up from system sleep state"
                    if find_ci(line, "acpi", 0).is_none() =>
                {
                    continue
                }
                "preparing to enter system sleep state" => {
                    let st = t.get(p + needle.len()..le).unwrap_or("").trim_start();
                    if st.starts_with(['S', 's']) && st.get(1..2) == Some("4") {
                        kind = "hibernate";
                    }
                }
                "entering sleep state '" => {
                    let st = t.get(p + needle.len()..le).unwrap_or("");
                    if st.starts_with("hibernate") || st.starts_with("hybrid-sleep") {
                        kind = "hibernate";
                    }
                }
                _ => {}
            }
            let mut s = Signal::new(Kind::Power, abs(base, p..le))
                .with("kind", kind)
                .with("provider", provider);
            if !id.is_empty() {
                s = s.with("event_id", id);
            }
            if kind == "resume" && provider == PT {
                if let Some(ms) = slept_ms(t) {
                    s = s.with("slept_seconds", secs_text(ms));
                }
            }
            out.push(s);
        }
    }
}

/// A signed decimal number at the start of `s` (after spaces): (sign, digits range in `s`).
fn number_at(s: &str, from: usize) -> Option<(i8, usize, usize)> {
    let b = s.as_bytes();
    let mut i = from;
    while b.get(i) == Some(&b' ') {
        i += 1;
    }
    let sign = match b.get(i) {
        Some(b'-') => {
            i += 1;
            -1
        }
        Some(b'+') => {
            i += 1;
            1
        }
        _ => 0,
    };
    let st = i;
    while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'.') {
        i += 1;
    }
    let e = s[st..i].trim_end_matches('.').len() + st;
    (e > st && b[st].is_ascii_digit()).then_some((sign, st, e))
}

fn read_clock_jump<'a>(ev: &EventRef<'a>, out: &mut Vec<Signal<'a>>) {
    let t = ev.record_text();
    let base = ev.event.text.start;
    let signal = |r: std::ops::Range<usize>, by: &'static str, how: &'static str| {
        Signal::new(Kind::ClockJump, abs(base, r))
            .with("by", by)
            .with("how", how)
    };

    // Windows Kernel-General 1: the system time changed.
    let provider = ev.get("provider");
    let id = ev.get_int("event_id");
    if let (Some(p), Some(id)) = (&provider, id) {
        if !(id == 1 && find_ci(p, "kernel-general", 0).is_some()) {
            return;
        }
        let new = ev.get("data.NewTime").and_then(|v| instant_ms(&v));
        let old = ev.get("data.OldTime").and_then(|v| instant_ms(&v));
        let msg = find_ci(t, "the system time has changed to ", 0);
        let (new, old) = match (new, old, msg) {
            (Some(n), Some(o), _) => (Some(n), Some(o)),
            (_, _, Some(m)) => message_times(t, m),
            _ => (None, None),
        };
        let at = msg.map_or(0..t.len(), |m| m..line_end(t, m));
        let mut s = signal(at, "windows", "step");
        if let (Some(n), Some(o)) = (new, old) {
            s = s
                .with("seconds", secs_text(n - o))
                .with("direction", if n >= o { "forward" } else { "backward" });
        }
        out.push(s);
        return;
    }
    if let Some(m) = find_ci(t, "the system time has changed to ", 0) {
        let (n, o) = message_times(t, m);
        let mut s = signal(m..line_end(t, m), "windows", "step");
        if let (Some(n), Some(o)) = (n, o) {
            s = s
                .with("seconds", secs_text(n - o))
                .with("direction", if n >= o { "forward" } else { "backward" });
        }
        out.push(s);
    }

    // Numeric forms: (needle, by, how, what follows the number).
    for (needle, by, how) in [
        ("system clock wrong by ", "chrony", "wrong"),
        ("system clock was stepped by ", "chrony", "step"),
        ("time reset ", "ntpd", "step"),
        ("offset ", "ntpdate", "step"),
    ] {
        for p in find_all_ci(t, needle) {
            let le = line_end(t, p);
            let ls = line_start(t, p);
            let mut how = how;
            let mut st = p;
            if needle == "offset " {
                let line = t.get(ls..p).unwrap_or("");
                if let Some(i) = find_ci(line, "step time server ", 0) {
                    how = "step";
                    st = ls + i;
                } else if let Some(i) = find_ci(line, "adjust time server ", 0) {
                    how = "slew";
                    st = ls + i;
                } else {
                    continue;
                }
            }
            let Some((sign, ds, de)) = number_at(t, p + needle.len()) else {
                continue;
            };
            let unit = t.get(de..le).unwrap_or("").trim_start();
            let unit_ok = match needle {
                "time reset " => unit.starts_with('s'),
                "offset " => unit.starts_with("sec"),
                _ => unit.starts_with("second"),
            };
            if !unit_ok {
                continue;
            }
            let digits = t.get(ds..de).unwrap_or("");
            let mut s = signal(st..le, by, how).with_slice("seconds", digits, base + ds as u32);
            let dir = match sign {
                -1 => "backward",
                _ if digits.trim_start_matches(['0', '.']).is_empty() => "none",
                _ => "forward",
            };
            s = s.with("direction", dir);
            out.push(s);
        }
    }

    // Forms without a size.
    for (needle, by, how, dir) in [
        (
            "forward time jump detected",
            "chrony",
            "detected",
            "forward",
        ),
        (
            "backward time jump detected",
            "chrony",
            "detected",
            "backward",
        ),
        (
            "system clock time unset or jumped backwards",
            "systemd-timesyncd",
            "restore",
            "forward",
        ),
        (
            "time jumped backwards, rotating",
            "systemd-journald",
            "detected",
            "backward",
        ),
        ("time has been changed", "systemd", "changed", ""),
        ("hwclock -s", "hwclock", "resync", ""),
        ("hwclock --hctosys", "hwclock", "resync", ""),
    ] {
        for p in find_all_ci(t, needle) {
            if needle.starts_with("hwclock") {
                let after = t.as_bytes().get(p + needle.len());
                if after.is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'-') {
                    continue;
                }
            }
            let mut s = signal(p..p + needle.len(), by, how);
            if !dir.is_empty() {
                s = s.with("direction", dir);
            }
            out.push(s);
        }
    }
}

/// New and old instants of `The system time has changed to <new> from <old>.` at `m`.
fn message_times(t: &str, m: usize) -> (Option<i64>, Option<i64>) {
    let rest = t
        .get(m + "the system time has changed to ".len()..)
        .unwrap_or("");
    let rest = rest.trim_start_matches('\u{200e}');
    let new = instant_ms(rest);
    let old = find_ci(rest, " from ", 0)
        .and_then(|f| rest.get(f + 6..))
        .and_then(|r| instant_ms(r.trim_start_matches('\u{200e}')));
    (new, old)
}

#[cfg(test)]
mod tests {
    use crate::signal::testkit::read;
    use crate::signal::Kind;

    const P: Kind = Kind::Power;
    const C: Kind = Kind::ClockJump;

    const XML: &str = "<Events>\n<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'>\n  <System>\n    <Provider Name='Microsoft-Windows-Kernel-Power' Guid='{331c3b3a-2005-44c2-ac5e-77220c37d6b4}'/>\n    <EventID>42</EventID>\n    <Level>4</Level>\n    <TimeCreated SystemTime='2025-07-23T10:16:19.0410000Z'/>\n    <EventRecordID>2611</EventRecordID>\n    <Channel>System</Channel>\n    <Computer>WS-1</Computer>\n  </System>\n  <EventData>\n      <Data Name='TargetState'>5</Data>\n  </EventData>\n  <RenderingInfo Culture='de-DE'>\n    <Message>Das System wechselt in den Energiesparmodus.</Message>\n  </RenderingInfo>\n</Event>\n<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'>\n  <System>\n    <Provider Name='Microsoft-Windows-Kernel-General' Guid='{a68ca8b7-004f-d7b6-a698-07e2de0f1f5d}'/>\n    <EventID>1</EventID>\n    <Level>4</Level>\n    <TimeCreated SystemTime='2025-07-23T18:16:28.5350000Z'/>\n    <EventRecordID>2614</EventRecordID>\n    <Channel>System</Channel>\n    <Computer>WS-1</Computer>\n  </System>\n  <EventData>\n    <Data Name='NewTime'>2025-07-23T18:16:28.5000000Z</Data>\n    <Data Name='OldTime'>2025-07-23T10:16:20.0000000Z</Data>\n  </EventData>\n</Event>\n</Events>\n";

    #[test]
    fn windows_xml_by_id_in_any_language() {
        assert_eq!(
            read("system.xml", XML, P),
            ["kind=hibernate event_id=42 provider=Microsoft-Windows-Kernel-Power"]
        );
        assert_eq!(
            read("system.xml", XML, C),
            ["by=windows how=step seconds=28808.5 direction=forward"]
        );
    }

    #[test]
    fn windows_format_list_and_text() {
        let fl = "Index              : 7342\nEntryType          : Information\nInstanceId         : 1\nMessage            : The system has returned from a low power state.\n\n                     Sleep Time: 2025-10-01T22:14:51.310225400Z\n                     Wake Time: 2025-10-02T06:35:58.009137700Z\n\n                     Wake Source: Power Button\nCategory           : (0)\nSource             : Microsoft-Windows-Power-Troubleshooter\n";
        assert_eq!(
            read("events.txt", fl, P),
            ["kind=resume event_id=1 provider=Microsoft-Windows-Power-Troubleshooter slept_seconds=30066.699"]
        );
        let wev = "Event[0]:\n  Log Name: System\n  Source: Microsoft-Windows-Kernel-Power\n  Date: 2025-03-04T06:10:02.1230000Z\n  Event ID: 107\n  Task: N/A\n  Level: Information\n  Opcode: Info\n  Keyword: N/A\n  User: N/A\n  User Name: N/A\n  Computer: DESKTOP-1\n  Description: \nThe system has resumed from sleep.\n";
        assert_eq!(
            read("system-events.txt", wev, P),
            ["kind=resume event_id=107 provider=Microsoft-Windows-Kernel-Power"]
        );
    }

    #[test]
    fn english_messages_alone() {
        let t = "11/2/2025 6:39:30 PM 506 Information     The system is entering Modern Standby\n11/2/2025 8:01:02 PM 507 Information     The system is exiting Modern Standby\n";
        assert_eq!(
            read("notes.txt", t, P),
            [
                "kind=standby_enter provider=Microsoft-Windows-Kernel-Power event_id=506",
                "kind=standby_exit provider=Microsoft-Windows-Kernel-Power event_id=507"
            ]
        );
        let u = "> The previous system shutdown at 9:03:23 AM on 6/28/2025 was unexpected.\n";
        assert!(read("notes.txt", u, P).is_empty(), "needs the whole phrase");
        let r = "The system has rebooted without cleanly shutting down first. This error could be caused if the system stopped responding.\n";
        assert_eq!(
            read("notes.txt", r, P),
            ["kind=unexpected_shutdown provider=Microsoft-Windows-Kernel-Power event_id=41"]
        );
    }

    #[test]
    fn linux_pm_lines() {
        let d = "[ 5120.1] PM: suspend entry (deep)\n[ 5121.9] ACPI: PM: Waking up from system sleep state S3\n[ 5122.0] PM: suspend exit\n[ 6000.0] PM: hibernation: hibernation entry\n";
        assert_eq!(
            read("dmesg.txt", d, P),
            [
                "kind=sleep provider=kernel",
                "kind=resume provider=kernel",
                "kind=resume provider=kernel",
                "kind=hibernate provider=kernel"
            ]
        );
        let j = "Sep 01 19:07:42 nb systemd-sleep[35405]: Entering sleep state 'suspend'...\nSep 02 09:04:38 nb systemd-sleep[35405]: System returned from sleep state.\n";
        assert_eq!(
            read("journal.log", j, P),
            [
                "kind=sleep provider=systemd-sleep",
                "kind=resume provider=systemd-sleep"
            ]
        );
        let not = "[ 1.0] usb 1-1: entering sleep state\n[ 2.0] hibernation entry point\n";
        assert!(read("dmesg.txt", not, P).is_empty());
    }

    #[test]
    fn clock_daemons() {
        let c = "Nov 22 11:34:43 h chronyd[737]: System clock wrong by 84151949.073647 seconds, adjustment started\nMar 23 12:00:04 h chronyd[737]: Backward time jump detected!\nMar 23 12:00:05 h chronyd[737]: System clock was stepped by -3600.000123 seconds\n";
        assert_eq!(
            read("syslog", c, C),
            [
                "by=chrony how=wrong seconds=84151949.073647 direction=forward",
                "by=chrony how=detected direction=backward",
                "by=chrony how=step seconds=3600.000123 direction=backward"
            ]
        );
        let n = "Jan 05 08:00:01 h ntpd[811]: time reset +18011.204351 s\nJan 05 08:00:02 h ntpdate[90]: step time server 192.0.2.1 offset -2.5 sec\nJan 05 08:00:03 h ntpdate[91]: adjust time server 192.0.2.1 offset 0.004 sec\n";
        assert_eq!(
            read("syslog", n, C),
            [
                "by=ntpd how=step seconds=18011.204351 direction=forward",
                "by=ntpdate how=step seconds=2.5 direction=backward",
                "by=ntpdate how=slew seconds=0.004 direction=forward"
            ]
        );
        let s = "Feb 11 17:28:02 u systemd-timesyncd[472]: System clock time unset or jumped backwards, restoring from recorded timestamp: Sat 2025-03-13 15:23:01 UTC\nFeb 11 17:28:03 u systemd-journald[300]: Time jumped backwards, rotating.\nFeb 11 17:28:04 u systemd[1]: Time has been changed\n";
        assert_eq!(
            read("journal.log", s, C),
            [
                "by=systemd-timesyncd how=restore direction=forward",
                "by=systemd-journald how=detected direction=backward",
                "by=systemd how=changed"
            ]
        );
        let h = "box (~) 10:02PM 311=>\n% sudo hwclock -s\n% man hwclock --hctosystem\n";
        assert_eq!(read("transcript.txt", h, C), ["by=hwclock how=resync"]);
        let text = "The system time has changed to 2025-05-29T23:38:45.932901400Z from 2025-05-29T23:38:15.931845200Z.\n";
        assert_eq!(
            read("notes.txt", text, C),
            ["by=windows how=step seconds=30.001 direction=forward"]
        );
    }
}
