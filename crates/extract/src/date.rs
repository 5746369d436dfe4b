//! Reading publication dates written the ways pages write them.
//!
//! ## What it detects
//! A calendar date, optionally with a time of day and a zone, inside a line of text or a
//! metadata value: `2019-11-19T10:30:00-05:00`, `16 April, 2017, 00:53`,
//! `Nov. 19, 2019 at 3:45 p.m. ET`, `Tue, 19 Nov 2019 10:30:00 GMT`, `19.11.2019`,
//! `19 de noviembre de 2019`, `2019/11/19`.
//!
//! ## Signals
//! ISO 8601 forms; day-month-year and month-day-year with month names in English, German,
//! French, Spanish, Italian, Portuguese and Dutch (full or abbreviated, optional weekday
//! and ordinal suffix); numeric dates; a following time (`00:53`, `3:45 p.m.`, `15h30`)
//! with an optional zone (`Z`, `GMT`, `+05:30`, `EST`, and `ET`/`PT`/`CT`/`MT`, which take
//! their daylight-saving offset from the date under US rules).
//!
//! ## Known failures
//! A numeric date whose day and month are both 12 or less, with slashes (`04/05/2019`), is
//! ambiguous between US and European order and is not read at all; with dots
//! (`04.05.2019`) it is read day first. Two-digit years are not read. A time given before
//! the date (`3:45 PM, Nov 19, 2019`) loses its time.
//!
//! ## Example
//! `16 April, 2017, 00:53 | Author: Cecelia Webb` gives `2017-04-16T00:53`, raw text
//! `16 April, 2017, 00:53`, and no zone.

use lede_core::{Span, Timestamp};
use regex::{Captures, Regex};
use std::sync::LazyLock;

/// A date found in a text: what it says and where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FoundDate {
    pub(crate) at: Timestamp,
    pub(crate) span: Span,
}

const MONTHS: &[(&str, u8)] = &[
    // English, then German, French, Spanish, Italian, Portuguese, Dutch (only names that
    // differ from those before them).
    ("january", 1),
    ("jan", 1),
    ("february", 2),
    ("feb", 2),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("june", 6),
    ("jun", 6),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
    ("januar", 1),
    ("jänner", 1),
    ("februar", 2),
    ("märz", 3),
    ("mai", 5),
    ("juni", 6),
    ("juli", 7),
    ("oktober", 10),
    ("okt", 10),
    ("dezember", 12),
    ("dez", 12),
    ("janvier", 1),
    ("janv", 1),
    ("février", 2),
    ("fevrier", 2),
    ("févr", 2),
    ("mars", 3),
    ("avril", 4),
    ("avr", 4),
    ("juin", 6),
    ("juillet", 7),
    ("juil", 7),
    ("août", 8),
    ("aout", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("novembre", 11),
    ("décembre", 12),
    ("decembre", 12),
    ("déc", 12),
    ("enero", 1),
    ("ene", 1),
    ("febrero", 2),
    ("marzo", 3),
    ("abril", 4),
    ("abr", 4),
    ("mayo", 5),
    ("junio", 6),
    ("julio", 7),
    ("agosto", 8),
    ("ago", 8),
    ("septiembre", 9),
    ("setiembre", 9),
    ("octubre", 10),
    ("noviembre", 11),
    ("diciembre", 12),
    ("dic", 12),
    ("gennaio", 1),
    ("febbraio", 2),
    ("aprile", 4),
    ("maggio", 5),
    ("giugno", 6),
    ("luglio", 7),
    ("settembre", 9),
    ("ottobre", 10),
    ("dicembre", 12),
    ("janeiro", 1),
    ("fevereiro", 2),
    ("março", 3),
    ("marco", 3),
    ("maio", 5),
    ("junho", 6),
    ("julho", 7),
    ("setembro", 9),
    ("outubro", 10),
    ("out", 10),
    ("dezembro", 12),
    ("januari", 1),
    ("februari", 2),
    ("maart", 3),
    ("mei", 5),
    ("augustus", 8),
];

fn month_number(name: &str) -> Option<u8> {
    let lower = name.to_lowercase();
    MONTHS.iter().find(|(n, _)| *n == lower).map(|&(_, m)| m)
}

// Digits are written `[0-9]`, not `\d`: Unicode's `\d` (the digits of every script) made
// these patterns the biggest start-up cost of `lede analyze` (about 6% of a 181-page run
// compiling them), and the numbers they capture are parsed as ASCII digits anyway.

/// A month name's shape; whether it is one is checked against [`MONTHS`] afterwards,
/// which keeps the patterns small (an alternation of every name is slow to compile).
const MONTH: &str = r"[a-zà-öø-ÿ]{3,10}";

const WEEKDAY: &str = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lunes|martes|miércoles|jueves|viernes|sábado|domingo)\.?,?\s+";
const TIME: &str = r"(?:\s*(?:,|\||-|–|—|·|/|\bat\b|\bà\b|\bum\b|\ba las\b|T)?\s*(?P<h>[0-9]{1,2})[:.h](?P<mi>[0-9]{2})(?::(?P<s>[0-9]{2}))?(?:\s*(?P<ampm>[ap]\.?\s?m\.?)(?:[^A-Za-z0-9_]|$))?(?:\s*(?P<zone>Z\b|UTC|GMT|[+-][0-9]{2}:?[0-9]{2}\b|(?:UTC|GMT)?\s?[+-][0-9]{1,2}(?::?[0-9]{2})?\b|[ECMP][SD]?T\b|BST\b|CES?T\b|JST\b|AES?DT\b|AEST\b))?)?";

static ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?P<y>[0-9]{4})-(?P<mo>[0-9]{2})-(?P<d>[0-9]{2})(?:[T ](?P<h>[0-9]{2}):(?P<mi>[0-9]{2})(?::(?P<s>[0-9]{2})(?:[.,](?P<f>[0-9]{1,9})[0-9]*)?)?\s?(?P<zone>Z|[+-][0-9]{2}:?[0-9]{2}|[+-][0-9]{2}\b)?)?")
        .expect("valid ISO regex")
});
static DAY_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    let pattern = format!(
        r"(?i)\b(?:{WEEKDAY})?(?P<d>[0-9]{{1,2}})(?:st|nd|rd|th|er|º|\.)?\s*(?:de\s+|of\s+)?(?P<mo>{MONTH})\b\.?,?\s*(?:de\s+)?(?P<y>[0-9]{{4}})\b{TIME}"
    );
    Regex::new(&pattern).expect("valid day-month regex")
});
static MONTH_DAY: LazyLock<Regex> = LazyLock::new(|| {
    let pattern = format!(
        r"(?i)\b(?:{WEEKDAY})?(?P<mo>{MONTH})\b\.?\s+(?P<d>[0-9]{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>[0-9]{{4}})\b{TIME}"
    );
    Regex::new(&pattern).expect("valid month-day regex")
});
static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    let pattern = format!(
        r"\b(?P<a>[0-9]{{1,2}})(?P<sep>[./])(?P<b>[0-9]{{1,2}})[./](?P<y>[0-9]{{4}})\b{TIME}"
    );
    Regex::new(&pattern).expect("valid numeric regex")
});
static YEAR_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    let pattern =
        format!(r"\b(?P<y>[0-9]{{4}})[/.](?P<mo>[0-9]{{1,2}})[/.](?P<d>[0-9]{{1,2}})\b{TIME}");
    Regex::new(&pattern).expect("valid year-first regex")
});

/// The first date written in `text`, with where it is.
pub(crate) fn find_date(text: &str) -> Option<FoundDate> {
    // Patterns are tried on a bounded prefix: a date is never far into a dateline, and a
    // hostile page must not make this slow.
    let text = crate::normalize::prefix(text, 2000);
    let mut best: Option<FoundDate> = None;
    let mut consider = |found: Option<FoundDate>| {
        if let Some(f) = found {
            let better = match &best {
                None => true,
                Some(b) => {
                    f.span.start < b.span.start
                        || (f.span.start == b.span.start && f.span.end > b.span.end)
                }
            };
            if better {
                best = Some(f);
            }
        }
    };
    consider(ISO.captures_iter(text).find_map(|c| from_iso(&c)));
    consider(DAY_MONTH.captures_iter(text).find_map(|c| from_named(&c)));
    consider(MONTH_DAY.captures_iter(text).find_map(|c| from_named(&c)));
    consider(NUMERIC.captures_iter(text).find_map(|c| from_numeric(&c)));
    consider(YEAR_FIRST.captures_iter(text).find_map(|c| from_year_first(&c)));
    best
}

fn num(c: &Captures<'_>, name: &str) -> Option<u32> {
    c.name(name)?.as_str().parse().ok()
}

fn span_of(c: &Captures<'_>) -> Span {
    let m = c.get(0).expect("group 0 always matches");
    // Trailing separators (a comma before a time that did not come) are not the date's.
    let trimmed = m.as_str().trim_end_matches([' ', ',', '|', '-', '–', '—', '·', '/']);
    Span::new(m.start(), m.start() + trimmed.len())
}

fn from_iso(c: &Captures<'_>) -> Option<FoundDate> {
    let date =
        Timestamp::date(num(c, "y")? as i32, num(c, "mo")? as u8, num(c, "d")? as u8).ok()?;
    let mut at = date;
    if let (Some(h), Some(mi)) = (num(c, "h"), num(c, "mi")) {
        at = at.with_time(h as u8, mi as u8).ok()?;
        if let Some(s) = num(c, "s") {
            at = at.with_second(s as u8).ok()?;
        }
        if let Some(f) = c.name("f") {
            let digits = f.as_str();
            let iso = format!("{at}.{digits}");
            at = Timestamp::parse_iso(&iso).ok()?;
        }
        if let Some(zone) = c.name("zone") {
            at = with_zone(at, zone.as_str())?;
        }
    }
    Some(FoundDate { at, span: span_of(c) })
}

fn from_named(c: &Captures<'_>) -> Option<FoundDate> {
    let month = month_number(c.name("mo")?.as_str())?;
    let date = Timestamp::date(num(c, "y")? as i32, month, num(c, "d")? as u8).ok()?;
    with_time(c, date)
}

fn from_numeric(c: &Captures<'_>) -> Option<FoundDate> {
    let (a, b) = (num(c, "a")? as u8, num(c, "b")? as u8);
    let dotted = c.name("sep").is_some_and(|s| s.as_str() == ".");
    let (day, month) = if a > 12 || dotted {
        (a, b)
    } else if b > 12 {
        (b, a)
    } else {
        return None; // 04/05/2019: US or European order? Not guessed.
    };
    let date = Timestamp::date(num(c, "y")? as i32, month, day).ok()?;
    with_time(c, date)
}

fn from_year_first(c: &Captures<'_>) -> Option<FoundDate> {
    let date =
        Timestamp::date(num(c, "y")? as i32, num(c, "mo")? as u8, num(c, "d")? as u8).ok()?;
    with_time(c, date)
}

/// Adds the time and zone captured after a date, when they make sense.
fn with_time(c: &Captures<'_>, date: Timestamp) -> Option<FoundDate> {
    let span = span_of(c);
    let (Some(mut h), Some(mi)) = (num(c, "h"), num(c, "mi")) else {
        return Some(FoundDate { at: date, span: date_only_span(c, span) });
    };
    if let Some(ampm) = c.name("ampm") {
        if h == 0 || h > 12 {
            return Some(FoundDate { at: date, span: date_only_span(c, span) });
        }
        let pm = ampm.as_str().to_ascii_lowercase().starts_with('p');
        h = match (h, pm) {
            (12, false) => 0,
            (12, true) => 12,
            (h, true) => h + 12,
            (h, false) => h,
        };
    }
    let Ok(mut at) = date.with_time(h as u8, mi as u8) else {
        return Some(FoundDate { at: date, span: date_only_span(c, span) });
    };
    if let Some(s) = num(c, "s") {
        at = at.with_second(s as u8).ok()?;
    }
    if let Some(zone) = c.name("zone") {
        at = with_zone(at, zone.as_str()).unwrap_or(at);
    }
    Some(FoundDate { at, span })
}

/// The span of the date part alone, when the time after it was not usable.
fn date_only_span(c: &Captures<'_>, full: Span) -> Span {
    let end = c.name("y").map_or(full.end, |y| y.end());
    Span::new(full.start, end.min(full.end).max(full.start))
}

/// `at` with the offset that `zone` names.
fn with_zone(at: Timestamp, zone: &str) -> Option<Timestamp> {
    let z = zone.trim().trim_start_matches("UTC").trim_start_matches("GMT").trim();
    if z.is_empty() || z.eq_ignore_ascii_case("z") {
        return at.with_offset_minutes(0).ok();
    }
    if let Some(rest) = z.strip_prefix(['+', '-']) {
        let sign = if z.starts_with('-') { -1 } else { 1 };
        let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
        let (h, m) = match digits.len() {
            1 | 2 => (digits.parse::<i32>().ok()?, 0),
            3 => (digits[..1].parse::<i32>().ok()?, digits[1..].parse::<i32>().ok()?),
            4 => (digits[..2].parse::<i32>().ok()?, digits[2..].parse::<i32>().ok()?),
            _ => return None,
        };
        return at.with_offset_minutes(sign * (h * 60 + m)).ok();
    }
    let hours = match z.to_ascii_uppercase().as_str() {
        "EST" => -5,
        "EDT" => -4,
        "CST" => -6,
        "CDT" => -5,
        "MST" => -7,
        "MDT" => -6,
        "PST" => -8,
        "PDT" => -7,
        "BST" | "CET" => 1,
        "CEST" => 2,
        "JST" => 9,
        "AEST" => 10,
        "AEDT" => 11,
        "ET" => us_zone(at, -5),
        "CT" => us_zone(at, -6),
        "MT" => us_zone(at, -7),
        "PT" => us_zone(at, -8),
        _ => return None,
    };
    at.with_offset_minutes(hours * 60).ok()
}

/// A US zone's offset on `at`'s date: standard time plus one hour from the second Sunday
/// of March to the first Sunday of November (the rules since 2007).
fn us_zone(at: Timestamp, standard: i32) -> i32 {
    let (y, m, d) = (at.year(), at.month(), at.day());
    let dst = match m {
        4..=10 => true,
        3 => d >= nth_sunday(y, 3, 2),
        11 => d < nth_sunday(y, 11, 1),
        _ => false,
    };
    standard + i32::from(dst)
}

/// Day of the month of the `n`th Sunday.
fn nth_sunday(year: i32, month: u8, n: u8) -> u8 {
    let first = Timestamp::date(year, month, 1).expect("the first of a month exists");
    // 1970-01-01 was a Thursday: day 0 -> weekday 4 (Sunday = 0).
    let weekday = ((first.unix_seconds().div_euclid(86_400) + 4).rem_euclid(7)) as u8;
    let first_sunday = 1 + (7 - weekday) % 7;
    first_sunday + 7 * (n - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Option<(String, &str)> {
        let f = find_date(text)?;
        Some((f.at.to_string(), &text[f.span.range()]))
    }

    #[test]
    fn the_seed_dateline() {
        assert_eq!(
            read("16 April, 2017, 00:53 | Author: Cecelia Webb"),
            Some(("2017-04-16T00:53".into(), "16 April, 2017, 00:53"))
        );
    }

    #[test]
    fn iso_forms() {
        assert_eq!(read("2019-11-19T10:30:00-05:00").unwrap().0, "2019-11-19T10:30:00-05:00");
        assert_eq!(read("2019-11-19T10:30:00.000+0000").unwrap().0, "2019-11-19T10:30:00.000Z");
        assert_eq!(read("on 2019-11-19 10:30 +01:00.").unwrap().0, "2019-11-19T10:30+01:00");
        assert_eq!(read("2019-11-19").unwrap().0, "2019-11-19");
        assert_eq!(read("2019-02-30"), None);
    }

    #[test]
    fn named_months() {
        assert_eq!(read("Nov. 19, 2019 at 3:45 p.m. ET").unwrap().0, "2019-11-19T15:45-05:00");
        assert_eq!(read("July 4, 2019 at 3:45 p.m. ET").unwrap().0, "2019-07-04T15:45-04:00");
        assert_eq!(read("Tue, 19 Nov 2019 10:30:00 GMT").unwrap().0, "2019-11-19T10:30:00Z");
        assert_eq!(
            read("Tuesday, November 19, 2019").unwrap(),
            ("2019-11-19".into(), "Tuesday, November 19, 2019")
        );
        assert_eq!(read("Published 19th November 2019").unwrap().0, "2019-11-19");
        assert_eq!(read("19. November 2019, 15:30 Uhr").unwrap().0, "2019-11-19T15:30");
        assert_eq!(read("19 de noviembre de 2019").unwrap().0, "2019-11-19");
        assert_eq!(read("le 5 août 2019 à 12h30").unwrap().0, "2019-08-05T12:30");
        assert_eq!(read("12:30 am, January 2, 2019").unwrap().0, "2019-01-02");
        assert_eq!(read("Jan 2, 2019 12:30 am").unwrap().0, "2019-01-02T00:30");
        assert_eq!(read("May 2019 budget"), None);
    }

    #[test]
    fn numeric_forms() {
        assert_eq!(read("19/11/2019").unwrap().0, "2019-11-19");
        assert_eq!(read("11/19/2019 08:00").unwrap().0, "2019-11-19T08:00");
        assert_eq!(read("04/05/2019"), None);
        assert_eq!(read("04.05.2019").unwrap().0, "2019-05-04");
        assert_eq!(read("2019/11/19").unwrap().0, "2019-11-19");
    }

    #[test]
    fn us_daylight_saving() {
        assert_eq!(nth_sunday(2019, 3, 2), 10);
        assert_eq!(nth_sunday(2019, 11, 1), 3);
        let at = Timestamp::date(2019, 3, 10).unwrap();
        assert_eq!(us_zone(at, -5), -4);
        let at = Timestamp::date(2019, 3, 9).unwrap();
        assert_eq!(us_zone(at, -5), -5);
    }
}
