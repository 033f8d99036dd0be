//! When the live screens draw. What the person at the keyboard does is
//! drawn at once; what arrives from elsewhere (ballots and phones joining,
//! note-takers' statements, the clock) is gathered and drawn at most once
//! every [`GAP`]: a room of phones voting together sends hundreds of
//! changes a second, and drawing each one took the cores the phones needed
//! (no one reads a screen faster than that).

use std::time::{Duration, Instant};

/// The shortest time between two frames drawn for what arrived from
/// elsewhere.
pub const GAP: Duration = Duration::from_millis(50);

/// Why the screen changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cause {
    /// A key, a paste or a resize: the person waits to see it.
    Input,
    /// A reply from the store, a phone, a joined terminal, or the clock.
    Elsewhere,
}

/// Whether a frame is owed, and since when the last was drawn.
#[derive(Debug)]
pub struct Frames {
    last: Option<Instant>,
    owed: Option<Cause>,
}

impl Default for Frames {
    /// Nothing drawn yet: the first frame is owed at once.
    fn default() -> Self {
        Frames {
            last: None,
            owed: Some(Cause::Input),
        }
    }
}

impl Frames {
    /// The screen changed.
    pub fn changed(&mut self, cause: Cause) {
        self.owed = match (self.owed, cause) {
            (Some(Cause::Input), _) | (_, Cause::Input) => Some(Cause::Input),
            _ => Some(Cause::Elsewhere),
        };
    }

    /// Whether to draw now.
    pub fn due(&self, now: Instant) -> bool {
        match (self.owed, self.last) {
            (None, _) => false,
            (Some(Cause::Input), _) | (_, None) => true,
            (Some(Cause::Elsewhere), Some(last)) => now.saturating_duration_since(last) >= GAP,
        }
    }

    /// A frame was drawn at `now`.
    pub fn drawn(&mut self, now: Instant) {
        self.last = Some(now);
        self.owed = None;
    }

    /// How long until an owed frame is due; `None` when none is owed.
    pub fn wait(&self, now: Instant) -> Option<Duration> {
        self.owed?;
        if self.due(now) {
            return Some(Duration::ZERO);
        }
        let last = self.last?;
        Some((last + GAP).saturating_duration_since(now))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ballots arriving every millisecond for a second, as a room of phones
    /// votes: the screen is drawn at most once every 50 ms, and the last
    /// ballot is on screen within 50 ms of arriving.
    #[test]
    fn a_burst_of_ballots_is_drawn_at_most_once_every_gap() {
        let start = Instant::now();
        let mut frames = Frames::default();
        frames.drawn(start);
        let mut drawn = Vec::new();
        let mut t = start;
        for ms in 1..=1010u64 {
            t = start + Duration::from_millis(ms);
            frames.changed(Cause::Elsewhere);
            if frames.due(t) {
                frames.drawn(t);
                drawn.push(t);
            }
        }
        assert!(drawn.len() <= 20, "{} frames in one second", drawn.len());
        assert!(drawn.len() >= 19, "{} frames in one second", drawn.len());
        for pair in drawn.windows(2) {
            assert!(pair[1] - pair[0] >= GAP);
        }
        // What arrived last is owed, and due no later than GAP after it.
        let wait = frames.wait(t).expect("a frame is owed");
        assert!(wait <= GAP);
        assert!(frames.due(t + wait));
    }

    /// A key is drawn at once, even just after a frame.
    #[test]
    fn a_key_is_drawn_at_once() {
        let start = Instant::now();
        let mut frames = Frames::default();
        assert!(frames.due(start), "the first frame is owed at once");
        frames.drawn(start);
        assert!(!frames.due(start), "nothing changed");
        assert_eq!(frames.wait(start), None);
        frames.changed(Cause::Elsewhere);
        let soon = start + Duration::from_millis(1);
        assert!(!frames.due(soon));
        frames.changed(Cause::Input);
        assert!(frames.due(soon));
        assert_eq!(frames.wait(soon), Some(Duration::ZERO));
    }
}
