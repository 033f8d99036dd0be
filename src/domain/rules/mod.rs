//! The rules of a session, area by area: what `check` accepts and what
//! `mutate` changes for each kind of event. `Session::apply` is the only
//! caller; each area's file holds both halves for its own events.

mod agenda;
mod concepts;
mod floor;
mod interpretations;
mod setup;
mod statements;
mod votes;

use super::agenda::{Adjustment, Pause, Stage, StageRuntime, StageState};
use super::error::DomainError;
use super::event::Event;
use super::ids::*;
use super::session::{
    MAX_SHORT, MAX_STAGE_SECS, MAX_TAGS, MAX_TEXT, Session, SessionInfo, SourceRef,
};
use super::statement::{Retraction, Speaker, Statement, StatementVersion};
use super::synthesis::{
    Concept, Interpretation, InterpretationStatus, Memo, StatusChange, Translation, TranslationKind,
};
use super::time::Timestamp;
use super::vote::{
    AnonymousBallot, Ballot, BallotMode, MAX_DOTS, MAX_OPTIONS, Tally, VoteMethod, VoteRound,
    VoteTarget,
};

fn unknown<T: std::fmt::Display>(what: &'static str, id: &T) -> DomainError {
    DomainError::Unknown {
        what,
        id: id.to_string(),
    }
}

fn text(field: &'static str, s: &str, max: usize) -> Result<(), DomainError> {
    if s.trim().is_empty() {
        return Err(DomainError::Empty { field });
    }
    limit(field, s, max)
}

fn limit(field: &'static str, s: &str, max: usize) -> Result<(), DomainError> {
    // A character is at least one byte: short text needs no counting.
    if s.len() <= max {
        return Ok(());
    }
    let len = s.chars().count();
    if len > max {
        return Err(DomainError::TooLong { field, len, max });
    }
    Ok(())
}

fn new_id(what: &'static str, id: &str, exists: bool) -> Result<(), DomainError> {
    if !is_valid_id(id) {
        return Err(DomainError::BadId {
            what,
            id: id.chars().take(60).collect(),
        });
    }
    if exists {
        return Err(DomainError::Duplicate {
            what,
            id: id.to_owned(),
        });
    }
    Ok(())
}

fn tags(tags: &[String]) -> Result<(), DomainError> {
    if tags.len() > MAX_TAGS {
        return Err(DomainError::Rule(format!(
            "{} tags given; at most {MAX_TAGS}",
            tags.len()
        )));
    }
    for t in tags {
        if !crate::domain::statement::tag_ok(t) {
            return Err(DomainError::BadTag(t.chars().take(40).collect()));
        }
    }
    Ok(())
}

fn stage_problem(stage: &StageId, problem: impl Into<String>) -> DomainError {
    DomainError::Stage {
        stage: stage.to_string(),
        problem: problem.into(),
    }
}

fn vote_problem(round: &RoundId, problem: impl Into<String>) -> DomainError {
    DomainError::Vote {
        round: round.to_string(),
        problem: problem.into(),
    }
}

impl Session {
    fn created(&self) -> Result<&SessionInfo, DomainError> {
        self.info.as_ref().ok_or(DomainError::NotCreated)
    }

    fn stage(&self, id: &StageId) -> Result<&Stage, DomainError> {
        self.stages
            .get(id)
            .ok_or_else(|| unknown(StageId::WHAT, id))
    }

    fn optional_stage(&self, id: &Option<StageId>) -> Result<(), DomainError> {
        match id {
            Some(id) => self.stage(id).map(|_| ()),
            None => Ok(()),
        }
    }

    fn live_statement(&self, id: &StatementId) -> Result<&Statement, DomainError> {
        let s = self
            .statements
            .get(id)
            .ok_or_else(|| unknown(StatementId::WHAT, id))?;
        if s.is_retracted() {
            return Err(DomainError::Retracted(id.to_string()));
        }
        Ok(s)
    }

    fn speaker(&self, speaker: &Speaker) -> Result<(), DomainError> {
        match speaker {
            Speaker::Participant(p) if !self.participants.contains_key(p) => {
                Err(unknown(ParticipantId::WHAT, p))
            }
            _ => Ok(()),
        }
    }

    fn open_round(&self, id: &RoundId) -> Result<&VoteRound, DomainError> {
        let r = self
            .rounds
            .get(id)
            .ok_or_else(|| unknown(RoundId::WHAT, id))?;
        if !r.is_open() {
            return Err(DomainError::RoundClosed(id.to_string()));
        }
        Ok(r)
    }

    fn active_concept(&self, id: &ConceptId) -> Result<&Concept, DomainError> {
        let c = self
            .concepts
            .get(id)
            .ok_or_else(|| unknown(ConceptId::WHAT, id))?;
        if !c.is_active() {
            return Err(DomainError::ConceptMerged(id.to_string()));
        }
        Ok(c)
    }

    /// Whether `id` names a statement of a source session (`KEY.id`).
    pub fn is_source_statement(&self, id: &StatementId) -> bool {
        id.source_ref()
            .and_then(|(key, st)| {
                self.sources
                    .get(key)
                    .map(|s| s.statements.iter().any(|x| x.as_str() == st))
            })
            .unwrap_or(false)
    }

    fn statements_exist(&self, ids: &[StatementId]) -> Result<(), DomainError> {
        for id in ids {
            if !self.statements.contains_key(id) && !self.is_source_statement(id) {
                return Err(unknown(StatementId::WHAT, id));
            }
        }
        Ok(())
    }

    fn no_repeats<T: PartialEq + std::fmt::Display>(
        what: &str,
        ids: &[T],
    ) -> Result<(), DomainError> {
        for (i, a) in ids.iter().enumerate() {
            if ids[..i].contains(a) {
                return Err(DomainError::Rule(format!("{what} `{a}` is listed twice")));
            }
        }
        Ok(())
    }

    /// Whether `event` can happen now, without changing anything.
    pub fn check(&self, event: &Event) -> Result<(), DomainError> {
        if let Event::SessionCreated {
            title,
            focus,
            facilitator,
            ..
        } = event
        {
            if self.info.is_some() {
                return Err(DomainError::AlreadyCreated);
            }
            text("the title", title, MAX_SHORT)?;
            text("the focus", focus, MAX_TEXT)?;
            return text("the facilitator's name", facilitator, MAX_SHORT);
        }
        self.created()?;
        match event {
            Event::SessionCreated { .. }
            | Event::SourceAdded { .. }
            | Event::ClockNoted { .. }
            | Event::ParticipantAdded { .. }
            | Event::ConsentChanged { .. }
            | Event::MemoAdded { .. }
            | Event::RoomShows { .. } => self.check_setup(event),
            Event::StageAdded { .. }
            | Event::StageStarted { .. }
            | Event::StagePaused { .. }
            | Event::StageResumed { .. }
            | Event::StageAdjusted { .. }
            | Event::StageEnded { .. }
            | Event::StageReopened { .. }
            | Event::StageSkipped { .. }
            | Event::StageMoved { .. } => self.check_agenda(event),
            Event::StatementAdded { .. }
            | Event::StatementAmended { .. }
            | Event::StatementRecoded { .. }
            | Event::StatementRetracted { .. } => self.check_statements(event),
            Event::VoteOpened { .. }
            | Event::BallotCast { .. }
            | Event::AnonymousBallotCast { .. }
            | Event::TallyRecorded { .. }
            | Event::VoteClosed { .. } => self.check_votes(event),
            Event::ConceptCreated { .. }
            | Event::ConceptRenamed { .. }
            | Event::ConceptDescribed { .. }
            | Event::CodeDefined { .. }
            | Event::StatementsLinked { .. }
            | Event::StatementsUnlinked { .. }
            | Event::ConceptsMerged { .. }
            | Event::ConceptSplit { .. } => self.check_concepts(event),
            Event::TranslationMade { .. }
            | Event::InterpretationDrafted { .. }
            | Event::InterpretationRevised { .. }
            | Event::InterpretationGrounded { .. }
            | Event::InterpretationStatusChanged { .. }
            | Event::InterpretationTakenUp { .. }
            | Event::VerdictRecorded { .. } => self.check_interpretations(event),
            Event::ParticipantArrived { .. }
            | Event::ParticipantLeft { .. }
            | Event::HandRaised { .. }
            | Event::HandLowered { .. }
            | Event::StatementParked { .. }
            | Event::ActionAdded { .. }
            | Event::ActionStatusChanged { .. }
            | Event::ActionCorrected { .. } => self.check_floor(event),
        }
    }

    /// Makes the change. Only called after `check` accepted the event.
    pub(super) fn mutate(&mut self, event: Event) {
        match &event {
            Event::SessionCreated { .. }
            | Event::SourceAdded { .. }
            | Event::ClockNoted { .. }
            | Event::ParticipantAdded { .. }
            | Event::ConsentChanged { .. }
            | Event::MemoAdded { .. }
            | Event::RoomShows { .. } => self.mutate_setup(event),
            Event::StageAdded { .. }
            | Event::StageStarted { .. }
            | Event::StagePaused { .. }
            | Event::StageResumed { .. }
            | Event::StageAdjusted { .. }
            | Event::StageEnded { .. }
            | Event::StageReopened { .. }
            | Event::StageSkipped { .. }
            | Event::StageMoved { .. } => self.mutate_agenda(event),
            Event::StatementAdded { .. }
            | Event::StatementAmended { .. }
            | Event::StatementRecoded { .. }
            | Event::StatementRetracted { .. } => self.mutate_statements(event),
            Event::VoteOpened { .. }
            | Event::BallotCast { .. }
            | Event::AnonymousBallotCast { .. }
            | Event::TallyRecorded { .. }
            | Event::VoteClosed { .. } => self.mutate_votes(event),
            Event::ConceptCreated { .. }
            | Event::ConceptRenamed { .. }
            | Event::ConceptDescribed { .. }
            | Event::CodeDefined { .. }
            | Event::StatementsLinked { .. }
            | Event::StatementsUnlinked { .. }
            | Event::ConceptsMerged { .. }
            | Event::ConceptSplit { .. } => self.mutate_concepts(event),
            Event::TranslationMade { .. }
            | Event::InterpretationDrafted { .. }
            | Event::InterpretationRevised { .. }
            | Event::InterpretationGrounded { .. }
            | Event::InterpretationStatusChanged { .. }
            | Event::InterpretationTakenUp { .. }
            | Event::VerdictRecorded { .. } => self.mutate_interpretations(event),
            Event::ParticipantArrived { .. }
            | Event::ParticipantLeft { .. }
            | Event::HandRaised { .. }
            | Event::HandLowered { .. }
            | Event::StatementParked { .. }
            | Event::ActionAdded { .. }
            | Event::ActionStatusChanged { .. }
            | Event::ActionCorrected { .. } => self.mutate_floor(event),
        }
    }

    fn name_free(&self, name: &str, except: Option<&ConceptId>) -> Result<(), DomainError> {
        let taken = self.concepts.values().any(|c| {
            c.is_active()
                && Some(&c.id) != except
                && c.name.trim().eq_ignore_ascii_case(name.trim())
        });
        if taken {
            return Err(DomainError::Rule(format!(
                "a concept is already called `{}`",
                name.trim()
            )));
        }
        Ok(())
    }
}

fn not_before(id: &StageId, s: &Stage, at: Timestamp) -> Result<(), DomainError> {
    match s.runtime.started {
        Some(start) if at < start => Err(stage_problem(
            id,
            "cannot change before the moment it started",
        )),
        _ => Ok(()),
    }
}

fn check_options(round: &RoundId, options: &[String]) -> Result<(), DomainError> {
    if options.len() < 2 || options.len() > MAX_OPTIONS {
        return Err(vote_problem(
            round,
            format!("needs 2 to {MAX_OPTIONS} options"),
        ));
    }
    for o in options {
        text("an option", o, MAX_SHORT)?;
    }
    Session::no_repeats("option", options)
}
