//! Every change a session can undergo. Nothing changes a session except an
//! `Event` passed to `Session::apply`.

use super::agenda::StageKind;
use super::ids::*;
use super::participant::{Participant, Role, RoleGroup};
use super::statement::{Speaker, StatementKind};
use super::synthesis::{InterpretationStatus, MemoKind, TranslationKind};
use super::time::Timestamp;
use super::vote::{BallotMode, Choice, VoteMethod, VoteTarget};
use serde::{Deserialize, Serialize};

/// What the room's projectors show. The facilitator decides, with a
/// `RoomShows` event, and every projector, local or joined, follows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum RoomView {
    /// The stage, the latest statements, and an open vote.
    #[default]
    Latest,
    /// One interpretation, with the words it rests on.
    Interpretation(InterpretationId),
    /// A closed round's results, large, with the breakdown by role group.
    Results(RoundId),
    /// One statement, full-screen.
    Statement(StatementId),
    /// A holding slide: the session's title and focus, nothing else.
    Blank,
    /// Held as it was: statements up to this one (none if `None`), and no
    /// vote, while the facilitator prepares the next thing.
    Frozen(Option<StatementId>),
    /// A break, with "back at" this time.
    Break(Timestamp),
    /// The end-of-session summary.
    Summary,
    /// The translation grid, concepts × these columns, for the room to
    /// work on together: how many statements in each cell, in large type,
    /// turning its pages by itself when it does not fit.
    Grid(super::synthesis::Accounts),
}

/// A new concept carved out of another by a split.

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConceptPart {
    pub id: ConceptId,
    pub name: String,
    pub statements: Vec<StatementId>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Event {
    /// Always the first event of a session.
    SessionCreated {
        title: String,
        focus: String,
        facilitator: String,
        created: Timestamp,
        template: Option<String>,
    },
    /// A cross-session workspace draws on a session: its statements are
    /// referred to as `KEY.id`; the source itself is never written.
    SourceAdded {
        key: String,
        /// The source session's folder name.
        session: String,
        title: String,
        /// The source's head hash when it was added.
        head: String,
        statements: Vec<StatementId>,
    },
    /// The computer's clock disagreed with the session's (it jumped); the
    /// session kept counting from its own monotonic clock.
    ClockNoted {
        wall: Timestamp,
        session: Timestamp,
    },
    ParticipantAdded {
        participant: Participant,
    },
    ConsentChanged {
        participant: ParticipantId,
        consent: bool,
    },
    StageAdded {
        id: StageId,
        kind: StageKind,
        title: String,
        prompt: String,
        planned_secs: u32,
    },
    StageStarted {
        stage: StageId,
        at: Timestamp,
    },
    StagePaused {
        stage: StageId,
        at: Timestamp,
    },
    StageResumed {
        stage: StageId,
        at: Timestamp,
    },
    /// Extends (positive) or shortens (negative) a stage.
    StageAdjusted {
        stage: StageId,
        by_secs: i64,
        at: Timestamp,
    },
    StageEnded {
        stage: StageId,
        at: Timestamp,
    },
    /// A stage yet to run is left out (`skipped`), or put back.
    StageSkipped {
        stage: StageId,
        skipped: bool,
        at: Timestamp,
    },
    /// A stage yet to run moves to position `to` (0 is first) in the agenda,
    /// never before a stage that has run.
    StageMoved {
        stage: StageId,
        to: u32,
        at: Timestamp,
    },
    /// Goes back to a finished stage. Its clock carries on from where it
    /// stopped: the time it spent finished counts as a pause.
    StageReopened {
        stage: StageId,
        at: Timestamp,
    },
    StatementAdded {
        id: StatementId,
        kind: StatementKind,
        speaker: Speaker,
        stage: Option<StageId>,
        text: String,
        tags: Vec<String>,
        captured_by: String,
        at: Timestamp,
    },
    /// A new version of a statement; the earlier ones are kept.
    StatementAmended {
        statement: StatementId,
        kind: StatementKind,
        speaker: Speaker,
        text: String,
        tags: Vec<String>,
        reason: Option<String>,
        by: String,
        at: Timestamp,
    },
    /// New codes (tags) or a new kind for a statement: its words and its
    /// speaker stay as they are, so it is not an amendment. The earlier
    /// coding is kept.
    StatementRecoded {
        statement: StatementId,
        kind: StatementKind,
        tags: Vec<String>,
        by: String,
        at: Timestamp,
    },
    StatementRetracted {
        statement: StatementId,
        reason: String,
        by: String,
        at: Timestamp,
    },
    VoteOpened {
        id: RoundId,
        target: VoteTarget,
        question: String,
        method: VoteMethod,
        mode: BallotMode,
        hidden: bool,
        /// Who chose what is shown on the screens (per participant only):
        /// a deliberate choice of the group, which the projector announces.
        /// Otherwise screens show who has voted, and choices only as counts.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        named: bool,
        stage: Option<StageId>,
        at: Timestamp,
    },
    /// One participant's ballot; a later one from the same participant
    /// replaces it (the screens ask first).
    BallotCast {
        round: RoundId,
        participant: ParticipantId,
        choice: Choice,
        at: Timestamp,
        /// Who took it down: the host stamps a joined terminal's own name.
        #[serde(default)]
        recorded_by: String,
    },
    /// A ballot in an anonymous round: the voter's role group and the
    /// random id the host drew for them in this round, never the voter. A
    /// later ballot with the same id replaces it.
    AnonymousBallotCast {
        round: RoundId,
        ballot: String,
        group: RoleGroup,
        choice: Choice,
        at: Timestamp,
    },
    TallyRecorded {
        round: RoundId,
        role: Option<Role>,
        counts: Vec<u32>,
        at: Timestamp,
        /// More hands than the role group has people: allowed only when the
        /// facilitator says so (people arrived who are not yet listed).
        #[serde(default)]
        beyond_roster: bool,
    },
    VoteClosed {
        round: RoundId,
        at: Timestamp,
    },
    ConceptCreated {
        id: ConceptId,
        name: String,
        description: String,
    },
    ConceptRenamed {
        concept: ConceptId,
        name: String,
    },
    ConceptDescribed {
        concept: ConceptId,
        description: String,
    },
    /// A code in the codebook, defined or redefined (its name, meaning or
    /// facet); a code path with `/` sits under the code before it.
    CodeDefined {
        code: String,
        name: String,
        description: String,
        facet: bool,
    },
    StatementsLinked {
        concept: ConceptId,
        statements: Vec<StatementId>,
    },
    StatementsUnlinked {
        concept: ConceptId,
        statements: Vec<StatementId>,
    },
    /// `concepts` are folded into `into`, which gains their statements.
    ConceptsMerged {
        concepts: Vec<ConceptId>,
        into: ConceptId,
    },
    /// Moves some of a concept's statements into new concepts; the
    /// original keeps the rest.
    ConceptSplit {
        concept: ConceptId,
        parts: Vec<ConceptPart>,
    },
    TranslationMade {
        id: TranslationId,
        kind: TranslationKind,
        concepts: Vec<ConceptId>,
        rationale: String,
        at: Timestamp,
    },
    InterpretationDrafted {
        id: InterpretationId,
        text: String,
        translations: Vec<TranslationId>,
        concepts: Vec<ConceptId>,
        statements: Vec<StatementId>,
        at: Timestamp,
    },
    InterpretationRevised {
        interpretation: InterpretationId,
        text: String,
        at: Timestamp,
    },
    /// What an interpretation rests on, put right (a concept taken out, or
    /// one added): its concepts, the translations among them and its
    /// statements as they now are. The earlier grounds stay in the journal.
    InterpretationGrounded {
        interpretation: InterpretationId,
        concepts: Vec<ConceptId>,
        translations: Vec<TranslationId>,
        statements: Vec<StatementId>,
        at: Timestamp,
    },
    InterpretationStatusChanged {
        interpretation: InterpretationId,
        status: InterpretationStatus,
        reason: String,
        round: Option<RoundId>,
        at: Timestamp,
    },
    /// A workshop takes up an interpretation drafted in a cross-case
    /// workspace, to present and decide: its words, where it comes from,
    /// and what it rests on case by case (counts, never words).
    InterpretationTakenUp {
        id: InterpretationId,
        text: String,
        /// The workspace's folder name.
        workspace: String,
        /// The interpretation's id in the workspace.
        from: InterpretationId,
        /// The workspace's head hash when it was taken up.
        head: String,
        /// A line per case: "Case A · its title: 6 statements (…)".
        grounds: Vec<String>,
        at: Timestamp,
    },
    /// A cross-case workspace records what a workshop decided of one of its
    /// interpretations, with the round that settled it there.
    VerdictRecorded {
        interpretation: InterpretationId,
        status: InterpretationStatus,
        /// The workshop session's folder name.
        workshop: String,
        round: RoundId,
        /// The workshop's head hash when the verdict was read from it.
        head: String,
        reason: String,
        at: Timestamp,
    },
    /// What every projector shows in place of the latest statements: the
    /// facilitator decides, and every projector, local or joined, follows.
    RoomShows {
        view: RoomView,
        at: Timestamp,
    },
    /// Someone came into the room after the session began, or came back.
    ParticipantArrived {
        participant: ParticipantId,
        at: Timestamp,
    },
    ParticipantLeft {
        participant: ParticipantId,
        at: Timestamp,
    },
    /// A hand up: they are in the queue to speak.
    HandRaised {
        participant: ParticipantId,
        at: Timestamp,
    },
    /// Out of the queue without speaking (speaking takes them out too).
    HandLowered {
        participant: ParticipantId,
        at: Timestamp,
    },
    /// A statement or question kept for later (`parked`), or taken back up.
    StatementParked {
        statement: StatementId,
        parked: bool,
        at: Timestamp,
    },
    /// Something the group will do.
    ActionAdded {
        id: ActionId,
        what: String,
        who: String,
        by_when: String,
        from: Option<StatementId>,
        at: Timestamp,
    },
    /// What became of an action: "you said, we did".
    ActionStatusChanged {
        action: ActionId,
        status: crate::domain::ActionStatus,
        note: String,
        at: Timestamp,
    },
    /// An action's words put right: what, who and by when as they now
    /// read (the earlier wording stays in the journal).
    ActionCorrected {
        action: ActionId,
        what: String,
        who: String,
        by_when: String,
        at: Timestamp,
    },
    MemoAdded {
        id: MemoId,
        kind: MemoKind,
        text: String,
        stage: Option<StageId>,
        by: String,
        at: Timestamp,
    },
}

impl Event {
    /// Puts `who` in every field that says who did it (captured, amended,
    /// retracted, wrote, took the ballot down): the host does this with the
    /// name a joined terminal authenticated as, whatever the terminal claimed.
    pub fn stamp_identity(&mut self, who: &str) {
        match self {
            Event::StatementAdded { captured_by, .. } => *captured_by = who.to_owned(),
            Event::StatementAmended { by, .. }
            | Event::StatementRecoded { by, .. }
            | Event::StatementRetracted { by, .. }
            | Event::MemoAdded { by, .. } => *by = who.to_owned(),
            Event::BallotCast { recorded_by, .. } => *recorded_by = who.to_owned(),
            _ => {}
        }
    }

    /// Puts `now` in the time of every event a joined terminal may propose:
    /// the host records when it received it, by its own clock, whatever the
    /// terminal claimed.
    pub fn stamp_time(&mut self, now: Timestamp) {
        match self {
            Event::StatementAdded { at, .. }
            | Event::StatementAmended { at, .. }
            | Event::StatementRecoded { at, .. }
            | Event::StatementRetracted { at, .. }
            | Event::MemoAdded { at, .. }
            | Event::BallotCast { at, .. }
            | Event::AnonymousBallotCast { at, .. }
            | Event::ParticipantArrived { at, .. }
            | Event::ParticipantLeft { at, .. }
            | Event::HandRaised { at, .. }
            | Event::HandLowered { at, .. }
            | Event::StatementParked { at, .. }
            | Event::ActionAdded { at, .. }
            | Event::ActionStatusChanged { at, .. }
            | Event::ActionCorrected { at, .. } => *at = now,
            _ => {}
        }
    }

    /// The variant's name, as it appears in the journal.
    pub fn name(&self) -> &'static str {
        match self {
            Event::SessionCreated { .. } => "SessionCreated",
            Event::SourceAdded { .. } => "SourceAdded",
            Event::ClockNoted { .. } => "ClockNoted",
            Event::ParticipantAdded { .. } => "ParticipantAdded",
            Event::ConsentChanged { .. } => "ConsentChanged",
            Event::StageAdded { .. } => "StageAdded",
            Event::StageStarted { .. } => "StageStarted",
            Event::StagePaused { .. } => "StagePaused",
            Event::StageResumed { .. } => "StageResumed",
            Event::StageAdjusted { .. } => "StageAdjusted",
            Event::StageEnded { .. } => "StageEnded",
            Event::StageReopened { .. } => "StageReopened",
            Event::StageSkipped { .. } => "StageSkipped",
            Event::StageMoved { .. } => "StageMoved",
            Event::StatementAdded { .. } => "StatementAdded",
            Event::StatementAmended { .. } => "StatementAmended",
            Event::StatementRecoded { .. } => "StatementRecoded",
            Event::StatementRetracted { .. } => "StatementRetracted",
            Event::VoteOpened { .. } => "VoteOpened",
            Event::BallotCast { .. } => "BallotCast",
            Event::AnonymousBallotCast { .. } => "AnonymousBallotCast",
            Event::TallyRecorded { .. } => "TallyRecorded",
            Event::VoteClosed { .. } => "VoteClosed",
            Event::ConceptCreated { .. } => "ConceptCreated",
            Event::ConceptRenamed { .. } => "ConceptRenamed",
            Event::ConceptDescribed { .. } => "ConceptDescribed",
            Event::CodeDefined { .. } => "CodeDefined",
            Event::StatementsLinked { .. } => "StatementsLinked",
            Event::StatementsUnlinked { .. } => "StatementsUnlinked",
            Event::ConceptsMerged { .. } => "ConceptsMerged",
            Event::ConceptSplit { .. } => "ConceptSplit",
            Event::TranslationMade { .. } => "TranslationMade",
            Event::InterpretationDrafted { .. } => "InterpretationDrafted",
            Event::InterpretationRevised { .. } => "InterpretationRevised",
            Event::InterpretationGrounded { .. } => "InterpretationGrounded",
            Event::InterpretationStatusChanged { .. } => "InterpretationStatusChanged",
            Event::InterpretationTakenUp { .. } => "InterpretationTakenUp",
            Event::VerdictRecorded { .. } => "VerdictRecorded",
            Event::MemoAdded { .. } => "MemoAdded",
            Event::RoomShows { .. } => "RoomShows",
            Event::ParticipantArrived { .. } => "ParticipantArrived",
            Event::ParticipantLeft { .. } => "ParticipantLeft",
            Event::HandRaised { .. } => "HandRaised",
            Event::HandLowered { .. } => "HandLowered",
            Event::StatementParked { .. } => "StatementParked",
            Event::ActionAdded { .. } => "ActionAdded",
            Event::ActionStatusChanged { .. } => "ActionStatusChanged",
            Event::ActionCorrected { .. } => "ActionCorrected",
        }
    }
}
