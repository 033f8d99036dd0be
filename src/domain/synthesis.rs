//! Concepts, translations between them, interpretation statements, memos.

use super::ids::{ConceptId, InterpretationId, RoundId, StageId, StatementId, TranslationId};
use super::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A second-order theme, resting on the statements linked to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Concept {
    pub id: ConceptId,
    pub name: String,
    pub description: String,
    pub statements: Vec<StatementId>,
    /// Set when the concept was merged into another; it then takes no links.
    pub merged_into: Option<ConceptId>,
}

impl Concept {
    pub fn is_active(&self) -> bool {
        self.merged_into.is_none()
    }
}

/// The three kinds of translation (Noblit & Hare).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TranslationKind {
    /// The concepts say the same thing in different words; `wording` is the
    /// translated concept's wording.
    Reciprocal { wording: String },
    /// The concepts contradict each other.
    Refutational,
    /// The concepts, in order, build a larger whole: `argument`; and, when
    /// the whole is a process, its ordered stages, each with its concepts.
    LineOfArgument {
        argument: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        stages: Vec<ArgumentStage>,
    },
}

/// A stage of a line of argument: its title and the concepts it holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArgumentStage {
    pub title: String,
    pub concepts: Vec<ConceptId>,
}

/// Most stages a line of argument holds.
pub const MAX_ARGUMENT_STAGES: usize = 20;

impl TranslationKind {
    pub fn label(&self) -> &'static str {
        match self {
            TranslationKind::Reciprocal { .. } => "reciprocal",
            TranslationKind::Refutational => "refutational",
            TranslationKind::LineOfArgument { .. } => "line of argument",
        }
    }

    /// The kind with the group's own words for it: `reciprocal: “…”`,
    /// `refutational`, `line of argument: “…”`.
    pub fn described(&self) -> String {
        match self {
            TranslationKind::Reciprocal { wording: w }
            | TranslationKind::LineOfArgument { argument: w, .. }
                if !w.trim().is_empty() =>
            {
                format!("{}: “{w}”", self.label())
            }
            _ => self.label().to_owned(),
        }
    }

    /// A line of argument's stages on one line, `in 3 stages: 1. Noticing
    /// (c1, c5); 2. Asking (c2); 3. Joining up (c4)`; none without stages.
    pub fn stages_line(&self) -> Option<String> {
        let stages = self.stages();
        if stages.is_empty() {
            return None;
        }
        let each: Vec<String> = stages
            .iter()
            .enumerate()
            .map(|(i, st)| {
                let ids: Vec<&str> = st.concepts.iter().map(|c| c.as_str()).collect();
                format!("{}. {} ({})", i + 1, st.title, ids.join(", "))
            })
            .collect();
        Some(format!(
            "in {} stage{}: {}",
            stages.len(),
            if stages.len() == 1 { "" } else { "s" },
            each.join("; ")
        ))
    }

    /// A line of argument's stages, in order (none for other kinds).
    pub fn stages(&self) -> &[ArgumentStage] {
        match self {
            TranslationKind::LineOfArgument { stages, .. } => stages,
            _ => &[],
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Translation {
    pub id: TranslationId,
    pub kind: TranslationKind,
    /// Ordered for a line of argument.
    pub concepts: Vec<ConceptId>,
    pub rationale: String,
    pub at: Timestamp,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum InterpretationStatus {
    Draft,
    Proposed,
    Agreed,
    SetAside,
}

impl InterpretationStatus {
    pub fn label(self) -> &'static str {
        match self {
            InterpretationStatus::Draft => "draft",
            InterpretationStatus::Proposed => "proposed",
            InterpretationStatus::Agreed => "agreed",
            InterpretationStatus::SetAside => "set aside",
        }
    }
}

impl fmt::Display for InterpretationStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.label())
    }
}

/// A recorded decision about an interpretation's status.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    pub status: InterpretationStatus,
    pub reason: String,
    /// The closed vote round that settled it, if any.
    pub round: Option<RoundId>,
    pub at: Timestamp,
}

/// A third-order construct: the group's new reading.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interpretation {
    pub id: InterpretationId,
    /// Every wording, first draft first.
    pub texts: Vec<String>,
    pub translations: Vec<TranslationId>,
    pub concepts: Vec<ConceptId>,
    pub statements: Vec<StatementId>,
    pub status: InterpretationStatus,
    pub history: Vec<StatusChange>,
    pub drafted: Timestamp,
}

impl Interpretation {
    pub fn text(&self) -> &str {
        self.texts.last().map(String::as_str).unwrap_or("")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MemoKind {
    /// How the session is going.
    Process,
    /// The facilitator's or researcher's own position and influence.
    Reflexive,
}

impl MemoKind {
    pub fn label(self) -> &'static str {
        match self {
            MemoKind::Process => "process",
            MemoKind::Reflexive => "reflexive",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
/// A memo; its id is its key in `Session::memos` (kept once: a million
/// memos each holding a second copy of it cost a million allocations).
pub struct Memo {
    pub kind: MemoKind,
    pub text: String,
    pub stage: Option<StageId>,
    pub by: String,
    pub at: Timestamp,
}

/// What the grid's columns are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Accounts {
    RoleGroups,
    Stages,
    /// Whole source sessions (cross-session workspaces).
    Sessions,
    /// A staff study's sampling grid: by sector, by level.
    Sectors,
    Levels,
}

impl Accounts {
    /// What one column is, as in "concepts × role group".
    pub fn label(self) -> &'static str {
        match self {
            Accounts::RoleGroups => "role group",
            Accounts::Stages => "stage",
            Accounts::Sessions => "session",
            Accounts::Sectors => "sector",
            Accounts::Levels => "level",
        }
    }

    /// The breakdown a column is a group of, if it is one.
    pub fn breakdown(self) -> Option<super::participant::Breakdown> {
        use super::participant::Breakdown;
        match self {
            Accounts::RoleGroups => Some(Breakdown::RoleGroup),
            Accounts::Sectors => Some(Breakdown::Sector),
            Accounts::Levels => Some(Breakdown::Level),
            Accounts::Stages | Accounts::Sessions => None,
        }
    }

    /// The columns worth offering in turn for `session`: role groups,
    /// sector and level where anyone has one, stages, and sources in a
    /// workspace.
    pub fn offered(session: &super::Session) -> Vec<Accounts> {
        use super::participant::Breakdown;
        let in_use = Breakdown::in_use(session.participants.values());
        let mut out = vec![Accounts::RoleGroups];
        if in_use.contains(&Breakdown::Sector) {
            out.push(Accounts::Sectors);
        }
        if in_use.contains(&Breakdown::Level) {
            out.push(Accounts::Levels);
        }
        out.push(Accounts::Stages);
        if !session.sources.is_empty() {
            out.push(Accounts::Sessions);
        }
        out
    }
}
