//! The agenda: planned stages and what actually happened to each.

use super::ids::StageId;
use super::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum StageKind {
    Welcome,
    Present,
    Discuss,
    Vote,
    Translate,
    Synthesise,
    Close,
    Break,
}

impl StageKind {
    pub fn label(self) -> &'static str {
        match self {
            StageKind::Welcome => "welcome",
            StageKind::Present => "present",
            StageKind::Discuss => "discuss",
            StageKind::Vote => "vote",
            StageKind::Translate => "translate",
            StageKind::Synthesise => "synthesise",
            StageKind::Close => "close",
            StageKind::Break => "break",
        }
    }
}

impl fmt::Display for StageKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.label())
    }
}

/// A span during which a stage's clock stood still.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pause {
    pub from: Timestamp,
    pub until: Option<Timestamp>,
}

/// The facilitator giving a stage more (positive) or less (negative) time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Adjustment {
    pub at: Timestamp,
    pub by_secs: i64,
}

/// What happened to a stage in the room, as opposed to what was planned.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageRuntime {
    pub started: Option<Timestamp>,
    pub pauses: Vec<Pause>,
    pub adjustments: Vec<Adjustment>,
    pub ended: Option<Timestamp>,
    /// Left out of the session, and when.
    #[serde(default)]
    pub skipped: Option<Timestamp>,
    /// Added once the session was under way, so not part of its plan.
    #[serde(default)]
    pub added_late: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StageState {
    NotStarted,
    Running,
    Paused,
    Ended,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stage {
    pub id: StageId,
    pub kind: StageKind,
    pub title: String,
    pub prompt: String,
    pub planned_secs: u32,
    pub runtime: StageRuntime,
}

impl Stage {
    pub fn state(&self) -> StageState {
        let r = &self.runtime;
        match (r.started, r.ended) {
            (None, _) => StageState::NotStarted,
            (Some(_), Some(_)) => StageState::Ended,
            (Some(_), None) if r.pauses.last().is_some_and(|p| p.until.is_none()) => {
                StageState::Paused
            }
            (Some(_), None) => StageState::Running,
        }
    }

    /// Left out: it will not run unless put back.
    pub fn is_skipped(&self) -> bool {
        self.runtime.skipped.is_some()
    }

    /// Planned time plus every extension and shortening, in seconds.
    pub fn allowed_secs(&self) -> i64 {
        i64::from(self.planned_secs)
            + self
                .runtime
                .adjustments
                .iter()
                .map(|a| a.by_secs)
                .sum::<i64>()
    }

    /// Milliseconds the stage's clock has run by `now`, pauses excluded.
    pub fn elapsed_millis(&self, now: Timestamp) -> i64 {
        let Some(started) = self.runtime.started else {
            return 0;
        };
        let end = self.runtime.ended.unwrap_or(now);
        let paused: i64 = self
            .runtime
            .pauses
            .iter()
            .map(|p| p.until.unwrap_or(end).millis_since(p.from).max(0))
            .sum();
        (end.millis_since(started) - paused).max(0)
    }

    /// Milliseconds left at `now`; negative once over time.
    pub fn remaining_millis(&self, now: Timestamp) -> i64 {
        self.allowed_secs() * 1000 - self.elapsed_millis(now)
    }
}
