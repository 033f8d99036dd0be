//! How much a phone, a joined terminal and the whole room may send into
//! the record: token buckets, pure bookkeeping with the time passed in.
//! A record is permanent in the hash chain, so a flood (a hand raised and
//! lowered thousands of times, statements pasted as fast as a script can)
//! would grow the journal for ever; a bucket lets a burst through and then
//! a steady pace, which no person in a room reaches.

use std::time::{Duration, Instant};

/// A bucket of `capacity` that refills at `per_sec`.
#[derive(Clone, Debug)]
pub struct Budget {
    capacity: f64,
    per_sec: f64,
    tokens: f64,
    at: Instant,
}

impl Budget {
    pub fn new(capacity: f64, per_sec: f64, now: Instant) -> Budget {
        Budget {
            capacity,
            per_sec,
            tokens: capacity,
            at: now,
        }
    }

    fn refill(&mut self, now: Instant) {
        let secs = now.saturating_duration_since(self.at).as_secs_f64();
        self.tokens = (self.tokens + secs * self.per_sec).min(self.capacity);
        self.at = now;
    }

    /// Whether `cost` could be taken now, or how long until it could; takes
    /// nothing.
    pub fn ready(&mut self, cost: f64, now: Instant) -> Result<(), Duration> {
        self.refill(now);
        let cost = cost.min(self.capacity);
        match self.tokens + 1e-9 >= cost {
            true => Ok(()),
            false => Err(Duration::from_secs_f64(
                (cost - self.tokens) / self.per_sec.max(f64::MIN_POSITIVE),
            )),
        }
    }

    /// Takes `cost` now, or says how long until it could be taken (a cost
    /// beyond the capacity is taken once the bucket is full).
    pub fn take(&mut self, cost: f64, now: Instant) -> Result<(), Duration> {
        self.refill(now);
        let cost = cost.min(self.capacity);
        // Within rounding: a third of a token a second for three seconds is one.
        if self.tokens + 1e-9 >= cost {
            self.tokens = (self.tokens - cost).max(0.0);
            return Ok(());
        }
        let short = cost - self.tokens;
        Err(Duration::from_secs_f64(
            short / self.per_sec.max(f64::MIN_POSITIVE),
        ))
    }
}

/// What one phone may record: a dozen at once, then one every 3 s (twenty
/// a minute: votes changed, a hand raised and lowered, things said).
pub fn phone(now: Instant) -> Budget {
    Budget::new(12.0, 1.0 / 3.0, now)
}

/// What one joined terminal may propose: 2,000 at once (a long outage's
/// backlog, sent again on reconnecting), then two a second…
pub fn terminal_records(now: Instant) -> Budget {
    Budget::new(2000.0, 2.0, now)
}

/// …and 256 KiB at once, then 16 KiB a second (a 10,000-character
/// statement every second or two).
pub fn terminal_bytes(now: Instant) -> Budget {
    Budget::new(256.0 * 1024.0, 16.0 * 1024.0, now)
}

/// What every phone and joined terminal together may record: a room of
/// 3,000 voting at once, then 25 records and 64 KiB a second (in five hours
/// at most 1.1 GiB, well inside the journal's 3.75 GiB).
#[derive(Clone, Debug)]
pub struct Room {
    pub records: Budget,
    pub bytes: Budget,
}

impl Room {
    pub fn new(now: Instant) -> Room {
        Room {
            records: Budget::new(3000.0, 25.0, now),
            bytes: Budget::new(4.0 * 1024.0 * 1024.0, 64.0 * 1024.0, now),
        }
    }

    /// Whether one record of `bytes` could be taken now; takes nothing.
    pub fn ready(&mut self, bytes: usize, now: Instant) -> Result<(), Duration> {
        self.records.ready(1.0, now)?;
        self.bytes.ready(bytes as f64, now)
    }

    /// Takes one record of `bytes`, or says how long until it could.
    pub fn take(&mut self, bytes: usize, now: Instant) -> Result<(), Duration> {
        self.records.take(1.0, now)?;
        if let Err(wait) = self.bytes.take(bytes as f64, now) {
            // Given back: nothing was recorded.
            self.records.tokens += 1.0;
            return Err(wait);
        }
        Ok(())
    }
}

/// The size a proposal counts for: its words (what grows the journal).
pub fn size_of(event: &crate::domain::Event) -> usize {
    ron::to_string(event).map_or(0, |s| s.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_goes_through_then_a_steady_pace() {
        let t0 = Instant::now();
        let mut b = phone(t0);
        for _ in 0..12 {
            assert!(b.take(1.0, t0).is_ok());
        }
        let wait = b.take(1.0, t0).unwrap_err();
        assert_eq!(wait.as_secs(), 3);
        assert!(b.take(1.0, t0 + Duration::from_millis(2900)).is_err());
        assert!(b.take(1.0, t0 + Duration::from_secs(3)).is_ok());
        // Over a minute of asking without pause, about twenty more.
        let mut got = 0;
        for ms in (3_000..63_000).step_by(100) {
            if b.take(1.0, t0 + Duration::from_millis(ms)).is_ok() {
                got += 1;
            }
        }
        assert!((19..=21).contains(&got), "{got}");
    }

    #[test]
    fn a_terminal_pasting_as_fast_as_it_can_is_held_to_16_kib_a_second() {
        let t0 = Instant::now();
        let mut bytes = terminal_bytes(t0);
        let statement = 40_000.0;
        let mut sent = 0.0;
        let mut now = t0;
        for _ in 0..1000 {
            match bytes.take(statement, now) {
                Ok(()) => sent += statement,
                Err(wait) => now += wait,
            }
        }
        let secs = now.duration_since(t0).as_secs_f64();
        let rate = (sent - 256.0 * 1024.0) / secs;
        assert!(rate <= 16.0 * 1024.0 + 1.0, "{rate} bytes a second");
    }

    #[test]
    fn the_room_gives_a_record_back_when_its_bytes_run_out() {
        let t0 = Instant::now();
        let mut room = Room::new(t0);
        assert!(room.take(4 * 1024 * 1024, t0).is_ok());
        assert!(room.take(1024, t0).is_err());
        // The record refused was given back: a second later (the records
        // refilled to the brim, the bytes by 64 KiB) every small one goes.
        let later = t0 + Duration::from_secs(1);
        let mut ok = 0;
        while room.take(10, later).is_ok() {
            ok += 1;
        }
        assert_eq!(ok, 3000);
    }
}
