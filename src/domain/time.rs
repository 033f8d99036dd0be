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
