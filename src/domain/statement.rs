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

/// Most levels a code path has (`theme/subtheme/…`).
pub const MAX_TAG_LEVELS: usize = 4;

/// Whether `tag` is a usable code: 1 to [`MAX_TAG_LEVELS`] levels split by
/// `/` (`capability/knowledge`), each 1-32 letters, digits, `-` or `_`.
pub fn tag_ok(tag: &str) -> bool {
    let levels: Vec<&str> = tag.split('/').collect();
    levels.len() <= MAX_TAG_LEVELS
        && levels.iter().all(|l| {
            !l.is_empty()
                && l.chars().count() <= 32
                && l.chars()
                    .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        })
}

/// What was typed after `#` as a code, if it is one: lower case, trailing
/// punctuation left out, and `:` or `.` between levels read as `/` (as
/// `#tdf:knowledge` and `#tdf.knowledge` are written in other tools).
pub fn typed_tag(typed: &str) -> Option<String> {
    let tag: String = typed
        .trim_end_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
        .chars()
        .map(|c| if c == ':' || c == '.' { '/' } else { c })
        .collect();
    tag_ok(&tag).then_some(tag)
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
    /// A re-coding: only the tags or the kind changed, never the words.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub recoded: bool,
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

    /// Whether its words (or who said them) were changed: a re-coding
    /// alone is not an amendment.
    pub fn is_amended(&self) -> bool {
        self.amendments.iter().any(|v| !v.recoded)
    }

    /// The versions whose words were changed, oldest first.
    pub fn word_changes(&self) -> impl Iterator<Item = &StatementVersion> {
        self.amendments.iter().filter(|v| !v.recoded)
    }

    /// How it has been coded: the first version, then each later one whose
    /// tags or kind differ from the one before, oldest first.
    pub fn codings(&self) -> impl Iterator<Item = &StatementVersion> {
        let versions = std::iter::once(&self.original).chain(&self.amendments);
        let mut before: Option<&StatementVersion> = None;
        versions.filter(move |v| {
            let new = before.is_none_or(|b| (b.kind, &b.tags) != (v.kind, &v.tags));
            before = Some(v);
            new
        })
    }

    pub fn is_retracted(&self) -> bool {
        self.retracted.is_some()
    }
}
