//! What was said, and every later correction to it.

use super::ids::{ParticipantId, StageId, StatementId};
use super::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::fmt;

/// First-order (quote) or second-order (paraphrase) construct, or a
/// question or action raised in the room.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum StatementKind {
    Quote,
    Paraphrase,
    Question,
    Action,
}

impl StatementKind {
    pub fn label(self) -> &'static str {
        match self {
            StatementKind::Quote => "quote",
            StatementKind::Paraphrase => "paraphrase",
            StatementKind::Question => "question",
            StatementKind::Action => "action",
        }
    }
}

impl fmt::Display for StatementKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.label())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Speaker {
    Participant(ParticipantId),
    /// Said by the whole group, or nobody in particular.
    Group,
}

impl fmt::Display for Speaker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Speaker::Participant(p) => write!(f, "{p}"),
            Speaker::Group => f.write_str("group"),
        }
    }
}

/// One version of a statement's content. The first is what was captured;
/// each amendment adds another.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementVersion {
    pub text: String,
    pub kind: StatementKind,
    pub speaker: Speaker,
    pub tags: Vec<String>,
    pub at: Timestamp,
    pub by: String,
    /// Why it was amended (none for the original).
    pub reason: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Retraction {
    pub at: Timestamp,
    pub by: String,
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    pub id: StatementId,
    pub stage: Option<StageId>,
    /// What was captured.
    pub original: StatementVersion,
    /// Each later correction, oldest first; the last is the current wording.
    pub amendments: Vec<StatementVersion>,
    pub retracted: Option<Retraction>,
}

impl Statement {
    /// The current wording: the latest version.
    pub fn current(&self) -> &StatementVersion {
        self.amendments.last().unwrap_or(&self.original)
    }

    pub fn is_amended(&self) -> bool {
        !self.amendments.is_empty()
    }

    pub fn is_retracted(&self) -> bool {
        self.retracted.is_some()
    }
}
