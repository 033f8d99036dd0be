//! The room as it runs: who is here, who wants to speak, what was parked
//! for later and what the group agreed to do.

use super::ids::{ActionId, ParticipantId, StatementId};
use super::time::Timestamp;
use serde::{Deserialize, Serialize};

/// When someone came and went. Everyone listed when the session started is
/// present from its start; a latecomer from when they arrived.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendance {
    /// Arrivals after the session began, and returns.
    pub arrived: Vec<Timestamp>,
    pub left: Vec<Timestamp>,
}

impl Attendance {
    /// Here now: not left, or back since.
    pub fn present(&self) -> bool {
        match (self.arrived.last(), self.left.last()) {
            (_, None) => true,
            (None, Some(_)) => false,
            (Some(a), Some(l)) => a > l,
        }
    }
}

/// Something the group will do: what, who, by when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    pub id: ActionId,
    pub what: String,
    pub who: String,
    pub by_when: String,
    /// The statement it came from, if any.
    pub from: Option<StatementId>,
    pub at: Timestamp,
    pub status: ActionStatus,
    /// What was done, or why not: "you said, we did".
    pub note: String,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActionStatus {
    #[default]
    Open,
    Done,
    Dropped,
}

impl ActionStatus {
    pub fn label(self) -> &'static str {
        match self {
            ActionStatus::Open => "open",
            ActionStatus::Done => "done",
            ActionStatus::Dropped => "dropped",
        }
    }
}

/// The room's running state, kept by `Session::apply`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Floor {
    /// Hands up, in the order raised.
    pub hands: Vec<ParticipantId>,
    /// Statements and questions parked for later, in order.
    pub parked: Vec<StatementId>,
    pub attendance: indexmap::IndexMap<ParticipantId, Attendance>,
    /// Hands raised, and how many were reached, by role group.
    #[serde(default, skip_serializing_if = "Queue::is_empty")]
    pub queue: Queue,
}

/// The speaking queue's history, by role group (service users, carers,
/// staff, others): hands raised, and those reached — the person spoke while
/// their hand was up. A hand lowered, or still up, was not reached.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queue {
    pub raised: [u32; 4],
    pub reached: [u32; 4],
}

impl Queue {
    pub fn is_empty(&self) -> bool {
        self.raised == [0; 4]
    }
}
