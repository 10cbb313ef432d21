//! Durations as rule authors write them: `500ms`, `30s`, `5m`, `2h`, `1d`, and
//! combinations such as `1m30s` or `1h 30m`; read ([`parse`]) and written
//! back ([`human`], for messages and reports).
//!
//! Text only: this module never decides what a duration means for a rule.

use crate::rule::ir::Millis;

/// Parses a duration into milliseconds; the error says what is wrong.
///
/// A bare `0` is accepted; any other number needs a unit. Units must appear in
/// decreasing order (`1m30s`, not `30s1m`) and at most once.
pub fn parse(text: &str) -> Result<Millis, String> {
    let s = text.trim();
    if s.is_empty() {
        return Err("empty duration; write e.g. `30s`, `500ms`, `5m`, `2h`, `1d`".into());
    }
    if s == "0" {
        return Ok(0);
    }
    let bytes = s.as_bytes();
    let mut i = 0;
    let mut total: Millis = 0;
    let mut last_rank = usize::MAX;
    while i < bytes.len() {
        while bytes.get(i).is_some_and(|b| *b == b' ') {
            i += 1;
        }
        let start = i;
        while bytes.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        let digits = s.get(start..i).unwrap_or("");
        if digits.is_empty() {
            return Err(format!(
                "bad duration `{s}`: expected a number at `{}`",
                rest(s, i)
            ));
        }
        let n: Millis = digits
            .parse()
            .map_err(|_| format!("bad duration `{s}`: number too large"))?;
        while bytes.get(i).is_some_and(|b| *b == b' ') {
            i += 1;
        }
        let ustart = i;
        while bytes.get(i).is_some_and(u8::is_ascii_alphabetic) {
            i += 1;
        }
        let unit = s.get(ustart..i).unwrap_or("");
        let (rank, scale) = match unit {
            "d" => (0, 86_400_000),
            "h" => (1, 3_600_000),
            "m" => (2, 60_000),
            "s" => (3, 1_000),
            "ms" => (4, 1),
            "" => {
                return Err(format!(
                    "bad duration `{s}`: `{digits}` needs a unit (ms, s, m, h, d)"
                ))
            }
            other => {
                return Err(format!(
                    "bad duration `{s}`: unknown unit `{other}` (use ms, s, m, h, d)"
                ))
            }
        };
        if last_rank != usize::MAX && rank <= last_rank {
            return Err(format!(
                "bad duration `{s}`: units must go from largest to smallest, each once"
            ));
        }
        last_rank = rank;
        total = n
            .checked_mul(scale)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(|| format!("bad duration `{s}`: too large"))?;
        while bytes.get(i).is_some_and(|b| *b == b' ') {
            i += 1;
        }
    }
    Ok(total)
}

/// A duration as rules write it: `2h`, `30m`, `5s`, `250ms`.
pub fn human(ms: Millis) -> String {
    if ms % 1000 != 0 {
        format!("{ms}ms")
    } else if ms % 3_600_000 == 0 {
        format!("{}h", ms / 3_600_000)
    } else if ms % 60_000 == 0 {
        format!("{}m", ms / 60_000)
    } else {
        format!("{}s", ms / 1000)
    }
}

fn rest(s: &str, i: usize) -> &str {
    s.get(i..).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::{human, parse};

    #[test]
    fn written_back_in_the_largest_whole_unit() {
        assert_eq!(human(7_200_000), "2h");
        assert_eq!(human(90_000), "90s");
        assert_eq!(human(300_000), "5m");
        assert_eq!(human(1_500), "1500ms");
    }

    #[test]
    fn units_and_combinations() {
        assert_eq!(parse("500ms"), Ok(500));
        assert_eq!(parse("30s"), Ok(30_000));
        assert_eq!(parse("5m"), Ok(300_000));
        assert_eq!(parse("2h"), Ok(7_200_000));
        assert_eq!(parse("1d"), Ok(86_400_000));
        assert_eq!(parse("1m30s"), Ok(90_000));
        assert_eq!(parse("1h 30m"), Ok(5_400_000));
        assert_eq!(parse("1s500ms"), Ok(1_500));
        assert_eq!(parse("0"), Ok(0));
    }

    #[test]
    fn errors_say_what_is_wrong() {
        assert_eq!(
            parse("30"),
            Err("bad duration `30`: `30` needs a unit (ms, s, m, h, d)".into())
        );
        assert_eq!(
            parse("3 weeks"),
            Err("bad duration `3 weeks`: unknown unit `weeks` (use ms, s, m, h, d)".into())
        );
        assert_eq!(
            parse("30s1m"),
            Err("bad duration `30s1m`: units must go from largest to smallest, each once".into())
        );
        assert_eq!(
            parse("s"),
            Err("bad duration `s`: expected a number at `s`".into())
        );
        assert!(parse("99999999999999999999s").is_err());
        assert!(parse("").is_err());
    }
}
