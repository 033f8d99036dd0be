//! Time for a running session. Durations come from a monotonic clock, so a
//! wall clock that jumps (a laptop resyncing, a wrong time zone fixed
//! mid-session) cannot stall or leap a countdown, and record times never
//! run backwards. The wall clock is only read to notice such jumps, which
//! are then noted in the journal.

use crate::domain::Timestamp;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How far the wall clock may wander before a jump is noted.
pub const JUMP_MS: i64 = 2_000;

type Source<T> = Box<dyn Fn() -> T + Send + Sync>;

pub struct SessionClock {
    start_wall: Timestamp,
    floor: Timestamp,
    wall: Source<Timestamp>,
    mono: Source<Duration>,
    /// The wall-minus-session offset last noted, so each jump is noted once.
    noted: Mutex<i64>,
}

pub fn wall_now() -> Timestamp {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    Timestamp::from_unix_millis(ms)
}

impl SessionClock {
    /// The system's clocks; times never earlier than `floor` (the journal's
    /// last record).
    pub fn system(floor: Timestamp) -> Self {
        let start = Instant::now();
        Self::new(floor, Box::new(wall_now), Box::new(move || start.elapsed()))
    }

    /// Any clocks (tests use this to make the wall clock jump).
    pub fn new(floor: Timestamp, wall: Source<Timestamp>, mono: Source<Duration>) -> Self {
        let start_wall = wall().max(floor);
        let base = mono();
        let mono: Source<Duration> = Box::new(move || mono().saturating_sub(base));
        SessionClock {
            start_wall,
            floor,
            wall,
            mono,
            noted: Mutex::new(0),
        }
    }

    /// The session's time: where the wall clock stood at start, plus the
    /// monotonic time since.
    pub fn now(&self) -> Timestamp {
        let elapsed = (self.mono)().as_millis().min(i64::MAX as u128) as i64;
        self.start_wall.plus_millis(elapsed).max(self.floor)
    }

    /// A jump of the wall clock not yet noted: (wall time, session time).
    pub fn jump(&self) -> Option<(Timestamp, Timestamp)> {
        let (wall, ours) = ((self.wall)(), self.now());
        let offset = wall.millis_since(ours);
        let mut noted = self.noted.lock().unwrap_or_else(|e| e.into_inner());
        if (offset - *noted).abs() > JUMP_MS {
            *noted = offset;
            return Some((wall, ours));
        }
        None
    }
}
