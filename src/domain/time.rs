//! Time as the record carries it. The domain never reads a clock: every
//! moment arrives inside an event.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// A moment in UTC with millisecond precision, written as RFC 3339.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Timestamp(i64);

impl Timestamp {
    pub const fn from_unix_millis(ms: i64) -> Self {
        Self(ms)
    }

    pub const fn unix_millis(self) -> i64 {
        self.0
    }

    /// Parses RFC 3339 (any offset; stored as UTC).
    pub fn parse(s: &str) -> Result<Self, String> {
        // The form roundtable writes, read by the million when a journal is
        // replayed; anything else takes the general parser.
        if let Some(ms) = utc_millis(s.as_bytes()) {
            return Ok(Self(ms));
        }
        let t = OffsetDateTime::parse(s, &Rfc3339)
            .map_err(|e| format!("`{s}` is not an RFC 3339 time: {e}"))?;
        let ms = t.unix_timestamp_nanos() / 1_000_000;
        i64::try_from(ms)
            .map(Self)
            .map_err(|_| format!("`{s}` is out of range"))
    }

    /// Whole milliseconds from `earlier` to `self` (negative if `self` is earlier).
    pub fn millis_since(self, earlier: Timestamp) -> i64 {
        self.0.saturating_sub(earlier.0)
    }

    pub fn plus_millis(self, ms: i64) -> Self {
        Self(self.0.saturating_add(ms))
    }

    pub fn plus_secs(self, s: i64) -> Self {
        self.plus_millis(s.saturating_mul(1000))
    }

    fn to_datetime(self) -> Option<OffsetDateTime> {
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(self.0) * 1_000_000).ok()
    }

    /// The calendar date in the computer's zone, `YYYY-MM-DD`.
    pub fn date(self) -> String {
        self.plus_secs(i64::from(local_offset_secs(self)))
            .utc_date()
    }

    /// The calendar date in UTC, `YYYY-MM-DD`.
    pub fn utc_date(self) -> String {
        match self.to_datetime() {
            Some(t) => format!("{:04}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day()),
            None => "????-??-??".to_owned(),
        }
    }

    /// Hours and minutes in UTC, `HH:MM`.
    pub fn utc_clock_time(self) -> String {
        match self.to_datetime() {
            Some(t) => format!("{:02}:{:02}", t.hour(), t.minute()),
            None => "--:--".to_owned(),
        }
    }

    /// Hours and minutes as the room's clocks show them, `HH:MM`: in the
    /// computer's zone (`TZ`, or the system's), which [`Timestamp::zone`]
    /// names.
    pub fn clock_time(self) -> String {
        self.plus_secs(i64::from(local_offset_secs(self)))
            .utc_clock_time()
    }

    /// [`Timestamp::clock_time`] to the second, `HH:MM:SS`, for times that
    /// fall in one minute.
    pub fn clock_time_seconds(self) -> String {
        match self
            .plus_secs(i64::from(local_offset_secs(self)))
            .to_datetime()
        {
            Some(t) => format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second()),
            None => "--:--:--".to_owned(),
        }
    }

    /// The local zone at this moment, as an offset from UTC: `UTC`,
    /// `UTC+1`, `UTC-3:30`.
    pub fn zone(self) -> String {
        offset_label(local_offset_secs(self))
    }
}

/// Seconds the computer's zone is ahead of UTC at `t`. Reads the zone
/// (`TZ` or `/etc/localtime`), never the clock; chrono does this safely with
/// several threads running, where the `time` crate refuses.
fn local_offset_secs(t: Timestamp) -> i32 {
    use chrono::{Offset, TimeZone};
    match chrono::Local.timestamp_millis_opt(t.0) {
        chrono::LocalResult::Single(d) | chrono::LocalResult::Ambiguous(d, _) => {
            d.offset().fix().local_minus_utc()
        }
        chrono::LocalResult::None => 0,
    }
}

/// `UTC`, `UTC+1`, `UTC-3:30`.
pub fn offset_label(secs: i32) -> String {
    if secs == 0 {
        return "UTC".to_owned();
    }
    let sign = if secs < 0 { '-' } else { '+' };
    let m = secs.unsigned_abs() / 60;
    match m % 60 {
        0 => format!("UTC{sign}{}", m / 60),
        mins => format!("UTC{sign}{}:{mins:02}", m / 60),
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.to_datetime().and_then(|t| t.format(&Rfc3339).ok()) {
            Some(s) => f.write_str(&s),
            None => write!(f, "@{}ms", self.0),
        }
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(TimestampVisitor)
    }
}

/// Reads the text in place where the format allows, without copying it.
struct TimestampVisitor;

impl serde::de::Visitor<'_> for TimestampVisitor {
    type Value = Timestamp;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an RFC 3339 time")
    }

    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Timestamp, E> {
        Timestamp::parse(s).map_err(E::custom)
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.f…]Z` from 1970 to 9999, as roundtable writes it,
/// in milliseconds since 1970 (a fraction beyond milliseconds is dropped, as
/// the general parser's result is); `None` for anything else, leap seconds
/// included, which the general parser then reads or refuses.
fn utc_millis(b: &[u8]) -> Option<i64> {
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        b.get(r)?.iter().try_fold(0i64, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0'))
        })
    };
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' {
        return None;
    }
    if b[16] != b':' || b.last() != Some(&b'Z') {
        return None;
    }
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if year < 1970 || day < 1 || day > month_days || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let millis = match &b[19..b.len() - 1] {
        [] => 0,
        [b'.', digits @ ..] if (1..=9).contains(&digits.len()) => {
            let first = num(20..20 + digits.len().min(3))?;
            num(20..20 + digits.len())?;
            first * 10i64.pow(3 - digits.len().min(3) as u32)
        }
        _ => return None,
    };
    // Days from 1970-01-01 to the date (the proleptic Gregorian calendar).
    let (y, m) = if month <= 2 {
        (year - 1, month + 9)
    } else {
        (year, month - 3)
    };
    let era = y / 400;
    let yoe = y - era * 400;
    let doy = (153 * m + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + millis)
}

/// `MM:SS` for a number of seconds (minutes may exceed 59).
pub fn mmss(secs: i64) -> String {
    let s = secs.unsigned_abs();
    format!("{:02}:{:02}", s / 60, s % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_rfc3339() {
        let t = Timestamp::parse("2026-03-14T10:00:00Z").unwrap();
        assert_eq!(t.to_string(), "2026-03-14T10:00:00Z");
        assert_eq!(t.utc_date(), "2026-03-14");
        assert_eq!(t.utc_clock_time(), "10:00");
        let later = t.plus_millis(1500);
        assert_eq!(later.to_string(), "2026-03-14T10:00:01.5Z");
        assert_eq!(Timestamp::parse(&later.to_string()).unwrap(), later);
    }

    /// The fast reading of the form roundtable writes gives what the
    /// general parser gives, across leap years, month ends and fractions;
    /// what it does not read (offsets, leap seconds, bad dates) is left to
    /// the general parser.
    #[test]
    fn the_fast_reading_agrees_with_the_general_parser() {
        let general = |s: &str| {
            OffsetDateTime::parse(s, &Rfc3339)
                .ok()
                .map(|t| (t.unix_timestamp_nanos() / 1_000_000) as i64)
        };
        // Every day from 1970 to 2100 at a changing time of day, and a
        // sample of millisecond instants written as roundtable writes them.
        let mut ms: i64 = 0;
        while ms < 4_102_444_800_000 {
            let t = Timestamp(ms);
            let s = t.to_string();
            assert_eq!(utc_millis(s.as_bytes()), general(&s), "{s}");
            assert_eq!(utc_millis(s.as_bytes()), Some(ms), "{s}");
            ms += 86_400_000 + 3_661_001 + (ms % 997);
        }
        for s in [
            "2024-02-29T23:59:59.999Z",
            "2000-02-29T00:00:00Z",
            "2026-12-31T12:00:00.1Z",
            "2026-03-14T10:00:00.123456789Z",
            "9999-12-31T23:59:59.9Z",
            "1970-01-01T00:00:00Z",
        ] {
            assert_eq!(utc_millis(s.as_bytes()), general(s), "{s}");
        }
        for s in [
            "2023-02-29T00:00:00Z",
            "1900-02-29T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-04-31T00:00:00Z",
            "2026-03-14T24:00:00Z",
            "2026-03-14T10:00:60Z",
            "2026-03-14T10:00:00+01:00",
            "2026-03-14T10:00:00.Z",
            "2026-03-14T10:00:00.1234567890Z",
            "1969-12-31T23:59:59Z",
            "2026-03-14t10:00:00Z",
            "2026-03-14T10:00:0xZ",
            "+026-03-14T10:00:00Z",
        ] {
            assert_eq!(utc_millis(s.as_bytes()), None, "{s}");
        }
    }

    #[test]
    fn other_offsets_become_utc() {
        let t = Timestamp::parse("2026-03-14T11:00:00+01:00").unwrap();
        assert_eq!(t.to_string(), "2026-03-14T10:00:00Z");
    }

    #[test]
    fn zones_are_named_by_their_offset() {
        assert_eq!(offset_label(0), "UTC");
        assert_eq!(offset_label(3600), "UTC+1");
        assert_eq!(offset_label(-(3 * 3600 + 1800)), "UTC-3:30");
    }

    #[test]
    fn rejects_non_times() {
        assert!(Timestamp::parse("yesterday").is_err());
    }
}
