//! Dates and times with the precision the source gave.
//!
//! A page may say `2017-04-16`, `16 April, 2017, 00:53` or `2019-11-19T10:30:00-05:00`.
//! [`Timestamp`] keeps exactly what was said: a date, optionally a time of day (minutes,
//! optionally seconds and a fraction), optionally a UTC offset. It never invents a zone or
//! seconds, so `16 April, 2017, 00:53` prints as `2017-04-16T00:53`.

use std::fmt;

/// A calendar date with an optional time of day and an optional UTC offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Timestamp {
    year: i32,
    month: u8,
    day: u8,
    time: Option<TimeOfDay>,
    offset_minutes: Option<i16>,
}

/// Hours and minutes, with seconds and a fraction when the source gave them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct TimeOfDay {
    hour: u8,
    minute: u8,
    second: Option<u8>,
    /// Fraction of a second as `(value, digits)`: `.250` is `(250, 3)`.
    fraction: Option<(u32, u8)>,
}

/// Why a timestamp was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimestampError {
    /// A field is outside its range (month 13, 31 April, hour 25, offset +19:00).
    #[error("{0} out of range")]
    OutOfRange(&'static str),
    /// The text is not an ISO 8601 date or date-time.
    #[error("not an ISO 8601 date or date-time")]
    Syntax,
}

/// Whether `year` is a leap year of the proleptic Gregorian calendar.
fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Days in `month` of `year`.
pub(crate) fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Timestamp {
    /// A date without a time of day.
    pub fn date(year: i32, month: u8, day: u8) -> Result<Timestamp, TimestampError> {
        if !(1..=9999).contains(&year) {
            return Err(TimestampError::OutOfRange("year"));
        }
        if !(1..=12).contains(&month) {
            return Err(TimestampError::OutOfRange("month"));
        }
        if day == 0 || day > days_in_month(year, month) {
            return Err(TimestampError::OutOfRange("day"));
        }
        Ok(Timestamp { year, month, day, time: None, offset_minutes: None })
    }

    /// This date at `hour:minute`.
    pub fn with_time(mut self, hour: u8, minute: u8) -> Result<Timestamp, TimestampError> {
        if hour > 23 {
            return Err(TimestampError::OutOfRange("hour"));
        }
        if minute > 59 {
            return Err(TimestampError::OutOfRange("minute"));
        }
        self.time = Some(TimeOfDay { hour, minute, second: None, fraction: None });
        Ok(self)
    }

    /// This time with seconds (a leap second, 60, is allowed). Needs a time of day.
    pub fn with_second(mut self, second: u8) -> Result<Timestamp, TimestampError> {
        let time = self.time.as_mut().ok_or(TimestampError::Syntax)?;
        if second > 60 {
            return Err(TimestampError::OutOfRange("second"));
        }
        time.second = Some(second);
        Ok(self)
    }

    /// This time with a fraction of a second written with `digits` digits (1 to 9).
    fn with_fraction(mut self, value: u32, digits: u8) -> Result<Timestamp, TimestampError> {
        let time = self.time.as_mut().ok_or(TimestampError::Syntax)?;
        if time.second.is_none() || !(1..=9).contains(&digits) {
            return Err(TimestampError::Syntax);
        }
        time.fraction = Some((value, digits));
        Ok(self)
    }

    /// This time at a UTC offset in minutes (east positive). Needs a time of day.
    pub fn with_offset_minutes(mut self, minutes: i32) -> Result<Timestamp, TimestampError> {
        if self.time.is_none() {
            return Err(TimestampError::Syntax);
        }
        if minutes.abs() > 18 * 60 {
            return Err(TimestampError::OutOfRange("offset"));
        }
        self.offset_minutes = Some(minutes as i16);
        Ok(self)
    }

    /// This timestamp without its offset (for pages whose zone is unknown).
    pub fn without_offset(mut self) -> Timestamp {
        self.offset_minutes = None;
        self
    }

    /// The year.
    pub fn year(&self) -> i32 {
        self.year
    }

    /// The month, 1 to 12.
    pub fn month(&self) -> u8 {
        self.month
    }

    /// The day of the month, 1 to 31.
    pub fn day(&self) -> u8 {
        self.day
    }

    /// Whether a time of day is known.
    pub fn has_time(&self) -> bool {
        self.time.is_some()
    }

    /// The UTC offset in minutes, when the source gave one.
    pub fn offset_minutes(&self) -> Option<i32> {
        self.offset_minutes.map(i32::from)
    }

    /// Seconds since 1970-01-01T00:00Z, reading a missing time as midnight and a missing
    /// zone as UTC. For ordering and windows, not for display.
    pub fn unix_seconds(&self) -> i64 {
        let days = days_from_civil(self.year, self.month, self.day);
        let (h, m, s) = self
            .time
            .map(|t| (t.hour as i64, t.minute as i64, t.second.unwrap_or(0) as i64))
            .unwrap_or((0, 0, 0));
        let offset = self.offset_minutes.unwrap_or(0) as i64;
        days * 86_400 + h * 3600 + m * 60 + s - offset * 60
    }

    /// The time `seconds` after 1970-01-01T00:00Z, to the second, told at a UTC offset of
    /// `offset_minutes` (east positive), or with no offset (read as UTC) when `None`. For
    /// times computed from others (a page's "2 hours ago" against its fetch time).
    pub fn from_unix_seconds(
        seconds: i64,
        offset_minutes: Option<i32>,
    ) -> Result<Timestamp, TimestampError> {
        let local = seconds + i64::from(offset_minutes.unwrap_or(0)) * 60;
        let (year, month, day) = civil_from_days(local.div_euclid(86_400));
        let of_day = local.rem_euclid(86_400);
        let year = i32::try_from(year).map_err(|_| TimestampError::OutOfRange("year"))?;
        let at = Timestamp::date(year, month, day)?
            .with_time((of_day / 3600) as u8, (of_day / 60 % 60) as u8)?
            .with_second((of_day % 60) as u8)?;
        match offset_minutes {
            Some(m) => at.with_offset_minutes(m),
            None => Ok(at),
        }
    }

    /// Parses the ISO 8601 forms `YYYY-MM-DD`, then optionally `T` or a space, `HH:MM`,
    /// `:SS`, `.fraction`, and `Z`, `±HH:MM`, `±HHMM` or `±HH`.
    pub fn parse_iso(text: &str) -> Result<Timestamp, TimestampError> {
        let s = text.trim().as_bytes();
        let mut p = Cursor { s, i: 0 };
        let year = p.digits(4).ok_or(TimestampError::Syntax)? as i32;
        p.expect(b'-')?;
        let month = p.digits(2).ok_or(TimestampError::Syntax)? as u8;
        p.expect(b'-')?;
        let day = p.digits(2).ok_or(TimestampError::Syntax)? as u8;
        let mut ts = Timestamp::date(year, month, day)?;
        if p.done() {
            return Ok(ts);
        }
        if !matches!(p.peek(), Some(b'T' | b't' | b' ')) {
            return Err(TimestampError::Syntax);
        }
        p.i += 1;
        let hour = p.digits(2).ok_or(TimestampError::Syntax)? as u8;
        p.expect(b':')?;
        let minute = p.digits(2).ok_or(TimestampError::Syntax)? as u8;
        ts = ts.with_time(hour, minute)?;
        if p.peek() == Some(b':') {
            p.i += 1;
            ts = ts.with_second(p.digits(2).ok_or(TimestampError::Syntax)? as u8)?;
            if matches!(p.peek(), Some(b'.' | b',')) {
                p.i += 1;
                let start = p.i;
                let mut value: u64 = 0;
                while let Some(d @ b'0'..=b'9') = p.peek() {
                    if p.i - start < 9 {
                        value = value * 10 + u64::from(d - b'0');
                    }
                    p.i += 1;
                }
                let digits = (p.i - start).min(9) as u8;
                ts = ts.with_fraction(value as u32, digits)?;
            }
        }
        match p.peek() {
            None => Ok(ts),
            Some(b'Z' | b'z') if p.i + 1 == s.len() => ts.with_offset_minutes(0),
            Some(sign @ (b'+' | b'-')) => {
                p.i += 1;
                let hours = p.digits(2).ok_or(TimestampError::Syntax)? as i32;
                if p.peek() == Some(b':') {
                    p.i += 1;
                }
                let minutes =
                    if p.done() { 0 } else { p.digits(2).ok_or(TimestampError::Syntax)? as i32 };
                if !p.done() || minutes > 59 {
                    return Err(TimestampError::Syntax);
                }
                let total = hours * 60 + minutes;
                ts.with_offset_minutes(if sign == b'-' { -total } else { total })
            }
            Some(_) => Err(TimestampError::Syntax),
        }
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i32, month: u8, day: u8) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (the inverse of
/// [`days_from_civil`], also Howard Hinnant's).
fn civil_from_days(days: i64) -> (i64, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = (if mp < 10 { mp + 3 } else { mp - 9 }) as u8;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

struct Cursor<'a> {
    s: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn done(&self) -> bool {
        self.i >= self.s.len()
    }

    fn expect(&mut self, b: u8) -> Result<(), TimestampError> {
        if self.peek() == Some(b) {
            self.i += 1;
            Ok(())
        } else {
            Err(TimestampError::Syntax)
        }
    }

    fn digits(&mut self, n: usize) -> Option<u32> {
        let chunk = self.s.get(self.i..self.i + n)?;
        let mut v = 0u32;
        for &b in chunk {
            if !b.is_ascii_digit() {
                return None;
            }
            v = v * 10 + u32::from(b - b'0');
        }
        self.i += n;
        Some(v)
    }
}

impl fmt::Display for Timestamp {
    /// ISO 8601 with the precision the source gave: `2017-04-16`, `2017-04-16T00:53`,
    /// `2019-11-19T10:30:00.250-05:00`, `2019-11-19T15:30:00Z`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)?;
        let Some(t) = self.time else { return Ok(()) };
        write!(f, "T{:02}:{:02}", t.hour, t.minute)?;
        if let Some(s) = t.second {
            write!(f, ":{s:02}")?;
            if let Some((value, digits)) = t.fraction {
                write!(f, ".{value:0width$}", width = digits as usize)?;
            }
        }
        match self.offset_minutes {
            None => Ok(()),
            Some(0) => f.write_str("Z"),
            Some(m) => {
                let sign = if m < 0 { '-' } else { '+' };
                let m = m.unsigned_abs();
                write!(f, "{sign}{:02}:{:02}", m / 60, m % 60)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(s: &str) -> String {
        Timestamp::parse_iso(s).unwrap().to_string()
    }

    #[test]
    fn keeps_the_given_precision() {
        assert_eq!(roundtrip("2017-04-16"), "2017-04-16");
        assert_eq!(roundtrip("2017-04-16T00:53"), "2017-04-16T00:53");
        assert_eq!(roundtrip("2017-04-16 00:53:07"), "2017-04-16T00:53:07");
        assert_eq!(roundtrip("2019-11-19T10:30:00.250-05:00"), "2019-11-19T10:30:00.250-05:00");
        assert_eq!(roundtrip("2019-11-19T10:30:00+0530"), "2019-11-19T10:30:00+05:30");
        assert_eq!(roundtrip("2019-11-19T10:30:00+01"), "2019-11-19T10:30:00+01:00");
        assert_eq!(roundtrip("2019-11-19T15:30:00Z"), "2019-11-19T15:30:00Z");
        assert_eq!(
            roundtrip("2019-11-19T15:30:00.123456789123Z"),
            "2019-11-19T15:30:00.123456789Z"
        );
    }

    #[test]
    fn rejects_impossible_dates() {
        assert_eq!(Timestamp::parse_iso("2017-02-29"), Err(TimestampError::OutOfRange("day")));
        assert!(Timestamp::parse_iso("2016-02-29").is_ok());
        assert_eq!(Timestamp::parse_iso("2017-13-01"), Err(TimestampError::OutOfRange("month")));
        assert_eq!(
            Timestamp::parse_iso("2017-04-16T24:00"),
            Err(TimestampError::OutOfRange("hour"))
        );
        assert_eq!(
            Timestamp::parse_iso("2017-04-16T10:00+19:00"),
            Err(TimestampError::OutOfRange("offset"))
        );
        assert_eq!(Timestamp::parse_iso("April 16"), Err(TimestampError::Syntax));
        assert_eq!(Timestamp::parse_iso("2017-04-16Tnoon"), Err(TimestampError::Syntax));
        assert_eq!(Timestamp::parse_iso("2017-04-16T10:00Zjunk"), Err(TimestampError::Syntax));
    }

    #[test]
    fn unix_seconds_respects_the_offset() {
        let a = Timestamp::parse_iso("2019-11-19T10:30:00-05:00").unwrap();
        let b = Timestamp::parse_iso("2019-11-19T15:30:00Z").unwrap();
        assert_eq!(a.unix_seconds(), b.unix_seconds());
        assert_eq!(Timestamp::parse_iso("1970-01-01").unwrap().unix_seconds(), 0);
        assert_eq!(Timestamp::parse_iso("2000-03-01").unwrap().unix_seconds(), 951_868_800);
    }

    #[test]
    fn from_unix_seconds_inverts_unix_seconds() {
        for iso in ["1970-01-01T00:00:00Z", "2000-02-29T23:59:59Z", "2017-04-12T08:05:09Z"] {
            let at = Timestamp::parse_iso(iso).unwrap();
            assert_eq!(Timestamp::from_unix_seconds(at.unix_seconds(), Some(0)).unwrap(), at);
        }
        let at = Timestamp::from_unix_seconds(951_868_800 - 1, Some(120)).unwrap();
        assert_eq!(at.to_string(), "2000-03-01T01:59:59+02:00");
        assert_eq!(
            Timestamp::from_unix_seconds(0, None).unwrap().to_string(),
            "1970-01-01T00:00:00"
        );
        assert!(Timestamp::from_unix_seconds(-100_000_000_000, None).is_err());
    }
}
