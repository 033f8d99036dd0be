//! The session and its one mutation path, `Session::apply`.

use super::agenda::{Adjustment, Pause, Stage, StageRuntime, StageState};
use super::error::DomainError;
use super::event::Event;
use super::ids::*;
use super::participant::{Participant, Role, RoleGroup};
use super::statement::{Retraction, Speaker, Statement, StatementVersion};
use super::synthesis::{
    Concept, Interpretation, InterpretationStatus, Memo, StatusChange, Translation, TranslationKind,
};
use super::time::Timestamp;
use super::vote::{
    Ballot, BallotMode, MAX_DOTS, MAX_OPTIONS, Results, Tally, VoteMethod, VoteRound, VoteTarget,
};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// Longest statement, memo or interpretation text, in characters.
pub const MAX_TEXT: usize = 10_000;
/// Longest title, name, question, tag list entry or reason.
pub const MAX_SHORT: usize = 500;
/// Most tags on one statement.
pub const MAX_TAGS: usize = 20;
/// Longest a stage may be planned or extended to: a working day.
pub const MAX_STAGE_SECS: i64 = 8 * 3600;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub title: String,
    /// The one question the session exists to answer.
    pub focus: String,
    pub facilitator: String,
    pub created: Timestamp,
    pub template: Option<String>,
}

/// A session a cross-session workspace draws on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceRef {
    pub session: String,
    pub title: String,
    pub head: String,
    pub statements: Vec<StatementId>,
}

/// A session's state: the fold of its events through [`Session::apply`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub info: Option<SessionInfo>,
    pub participants: IndexMap<ParticipantId, Participant>,
    pub stages: IndexMap<StageId, Stage>,
    pub statements: IndexMap<StatementId, Statement>,
    pub rounds: IndexMap<RoundId, VoteRound>,
    pub concepts: IndexMap<ConceptId, Concept>,
    pub translations: IndexMap<TranslationId, Translation>,
    pub interpretations: IndexMap<InterpretationId, Interpretation>,
    pub memos: IndexMap<MemoId, Memo>,
    /// How many events have been applied.
    pub applied: u64,
    /// Sessions drawn on, by key (cross-session workspaces only).
    #[serde(default)]
    pub sources: IndexMap<String, SourceRef>,
    /// Times the computer's clock jumped: (wall time, session time).
    #[serde(default)]
    pub clock_notes: Vec<(Timestamp, Timestamp)>,
    /// Statements not retracted, per role group (service users, carers,
    /// staff, others), kept up to date by `apply` so the projector's voice
    /// balance costs nothing per frame.
    pub voices: [u32; 4],
}

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
        let ok = !t.is_empty()
            && t.chars().count() <= 32
            && t.chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_');
        if !ok {
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
    /// Applies one event, or explains why it cannot happen. On error the
    /// session is unchanged.
    pub fn apply(&mut self, event: &Event) -> Result<(), DomainError> {
        self.check(event)?;
        self.mutate(event.clone());
        self.applied += 1;
        Ok(())
    }

    /// [`Session::apply`] for an event the caller no longer needs, as when
    /// replaying a journal: the same checks, without copying the event.
    pub fn apply_owned(&mut self, event: Event) -> Result<(), DomainError> {
        self.check(&event)?;
        self.mutate(event);
        self.applied += 1;
        Ok(())
    }

    /// Whether `event` is one this session already holds, exactly: a
    /// statement, memo, amendment, retraction or ballot sent again because
    /// its acknowledgement was lost. Lets a second terminal resend what it
    /// is unsure of without anything being recorded twice.
    pub fn already_has(&self, event: &Event) -> bool {
        match event {
            Event::StatementAdded {
                id,
                kind,
                speaker,
                text,
                tags,
                captured_by,
                at,
                ..
            } => self.statements.get(id).is_some_and(|s| {
                let o = &s.original;
                (&o.kind, &o.speaker, &o.text, &o.tags, &o.by, &o.at)
                    == (kind, speaker, text, tags, captured_by, at)
            }),
            Event::StatementAmended {
                statement,
                kind,
                speaker,
                text,
                tags,
                by,
                at,
                ..
            } => self.statements.get(statement).is_some_and(|s| {
                s.amendments.iter().any(|v| {
                    (&v.kind, &v.speaker, &v.text, &v.tags, &v.by, &v.at)
                        == (kind, speaker, text, tags, by, at)
                })
            }),
            Event::StatementRetracted {
                statement, by, at, ..
            } => self
                .statements
                .get(statement)
                .and_then(|s| s.retracted.as_ref())
                .is_some_and(|r| (&r.by, &r.at) == (by, at)),
            Event::MemoAdded {
                id,
                kind,
                text,
                stage,
                by,
                at,
            } => self.memos.get(id).is_some_and(|m| {
                (&m.kind, &m.text, &m.stage, &m.by, &m.at) == (kind, text, stage, by, at)
            }),
            Event::BallotCast {
                round,
                participant,
                choice,
                at,
            } => self.rounds.get(round).is_some_and(|r| {
                r.ballots
                    .iter()
                    .any(|b| (&b.participant, &b.choice, &b.at) == (participant, choice, at))
            }),
            _ => false,
        }
    }

    /// Applies events in order, stopping at the first that cannot happen.
    pub fn replay<'a>(events: impl IntoIterator<Item = &'a Event>) -> Result<Self, DomainError> {
        let mut s = Session::default();
        for e in events {
            s.apply(e)?;
        }
        Ok(s)
    }

    pub fn info(&self) -> Option<&SessionInfo> {
        self.info.as_ref()
    }

    pub fn title(&self) -> &str {
        self.info.as_ref().map(|i| i.title.as_str()).unwrap_or("")
    }

    pub fn focus(&self) -> &str {
        self.info.as_ref().map(|i| i.focus.as_str()).unwrap_or("")
    }

    /// The vote round now open, if any (the latest, should there be more).
    pub fn round_open_now(&self) -> Option<&VoteRound> {
        self.rounds.values().rev().find(|r| r.is_open())
    }

    /// The stage that is running or paused, if any.
    pub fn current_stage(&self) -> Option<&Stage> {
        self.stages
            .values()
            .find(|s| matches!(s.state(), StageState::Running | StageState::Paused))
    }

    /// The first stage not yet started.
    pub fn next_stage(&self) -> Option<&Stage> {
        self.stages
            .values()
            .find(|s| s.state() == StageState::NotStarted)
    }

    fn voice_slot(&self, speaker: &Speaker) -> Option<usize> {
        let group = self.role_of(speaker)?.group();
        RoleGroup::ALL.iter().position(|g| *g == group)
    }

    pub fn role_of(&self, speaker: &Speaker) -> Option<Role> {
        match speaker {
            Speaker::Participant(p) => self.participants.get(p).map(|p| p.role),
            Speaker::Group => None,
        }
    }

    /// Results of a round: each participant's latest ballot, or the latest
    /// tally per role.
    pub fn results(&self, round: &VoteRound) -> Results {
        let options = round.method.options();
        let n = options.len();
        let mut res = Results {
            counts: vec![0; n],
            options,
            ..Results::default()
        };
        let add = |role: Option<Role>, counts: &[u32], res: &mut Results| {
            for (c, x) in res.counts.iter_mut().zip(counts) {
                *c += x;
            }
            let slot = match res.by_role.iter_mut().find(|(r, _)| *r == role) {
                Some((_, v)) => v,
                None => {
                    res.by_role.push((role, vec![0; n]));
                    let last = res.by_role.len() - 1;
                    &mut res.by_role[last].1
                }
            };
            for (c, x) in slot.iter_mut().zip(counts) {
                *c += x;
            }
        };
        match round.mode {
            BallotMode::PerParticipant => {
                let mut latest: IndexMap<&ParticipantId, &Ballot> = IndexMap::new();
                for b in &round.ballots {
                    latest.insert(&b.participant, b);
                }
                res.voters = latest.len() as u32;
                for (p, b) in latest {
                    let role = self.participants.get(p).map(|p| p.role);
                    if let Ok(counts) = b.choice.counts(&round.method) {
                        add(role, &counts, &mut res);
                    }
                }
            }
            BallotMode::Counted => {
                let mut latest: IndexMap<Option<Role>, &Tally> = IndexMap::new();
                for t in &round.tallies {
                    latest.insert(t.role, t);
                }
                for (role, t) in latest {
                    // Dots are not hands: only count voters where one hand is one vote.
                    if !matches!(round.method, VoteMethod::Dots { .. }) {
                        res.voters += t.counts.iter().sum::<u32>();
                    }
                    add(role, &t.counts, &mut res);
                }
            }
        }
        res.by_role.sort_by_key(|(r, _)| (r.is_none(), *r));
        res
    }

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
            Event::SessionCreated { .. } => Ok(()),
            Event::SourceAdded {
                key,
                session,
                statements,
                ..
            } => {
                let ok_key = !key.is_empty()
                    && key.len() <= 8
                    && key.bytes().all(|b| b.is_ascii_alphanumeric());
                if !ok_key {
                    return Err(DomainError::Rule(format!(
                        "source key `{key}` must be 1-8 letters or digits"
                    )));
                }
                if self.sources.contains_key(key) {
                    return Err(DomainError::Duplicate {
                        what: "source",
                        id: key.clone(),
                    });
                }
                if self.sources.values().any(|s| &s.session == session) {
                    return Err(DomainError::Rule(format!(
                        "session `{session}` is already a source"
                    )));
                }
                text("the source session's name", session, MAX_SHORT)?;
                if statements.len() > 1_000_000 {
                    return Err(DomainError::Rule(
                        "a source may list at most 1,000,000 statements".into(),
                    ));
                }
                Ok(())
            }
            Event::ClockNoted { .. } => Ok(()),
            Event::ParticipantAdded { participant: p } => {
                new_id(
                    ParticipantId::WHAT,
                    p.id.as_str(),
                    self.participants.contains_key(&p.id),
                )?;
                if let Some(name) = &p.real_name {
                    limit("a real name", name, MAX_SHORT)?;
                }
                Ok(())
            }
            Event::ConsentChanged { participant, .. } => {
                if self.participants.contains_key(participant) {
                    Ok(())
                } else {
                    Err(unknown(ParticipantId::WHAT, participant))
                }
            }
            Event::StageAdded {
                id,
                title,
                prompt,
                planned_secs,
                ..
            } => {
                new_id(StageId::WHAT, id.as_str(), self.stages.contains_key(id))?;
                text("the stage title", title, MAX_SHORT)?;
                limit("the stage prompt", prompt, MAX_TEXT)?;
                if i64::from(*planned_secs) > MAX_STAGE_SECS || *planned_secs == 0 {
                    return Err(stage_problem(
                        id,
                        format!(
                            "must be planned for between 1 second and {} hours",
                            MAX_STAGE_SECS / 3600
                        ),
                    ));
                }
                Ok(())
            }
            Event::StageStarted { stage, .. } => {
                match self.stage(stage)?.state() {
                    StageState::NotStarted => {}
                    StageState::Ended => {
                        return Err(stage_problem(
                            stage,
                            "has already finished; it cannot be started again",
                        ));
                    }
                    StageState::Running | StageState::Paused => {
                        return Err(stage_problem(stage, "is already under way"));
                    }
                }
                if let Some(cur) = self.current_stage() {
                    return Err(stage_problem(
                        stage,
                        format!(
                            "cannot start while stage `{}` is under way; end that first",
                            cur.id
                        ),
                    ));
                }
                Ok(())
            }
            Event::StagePaused { stage, at } => {
                let s = self.stage(stage)?;
                match s.state() {
                    StageState::Running => not_before(stage, s, *at),
                    StageState::Paused => Err(stage_problem(stage, "is already paused")),
                    _ => Err(stage_problem(
                        stage,
                        "is not running, so it cannot be paused",
                    )),
                }
            }
            Event::StageResumed { stage, at } => {
                let s = self.stage(stage)?;
                match (s.state(), s.runtime.pauses.last()) {
                    (StageState::Paused, Some(p)) if *at < p.from => Err(stage_problem(
                        stage,
                        "cannot resume before the moment it was paused",
                    )),
                    (StageState::Paused, _) => Ok(()),
                    _ => Err(stage_problem(
                        stage,
                        "is not paused, so it cannot be resumed",
                    )),
                }
            }
            Event::StageAdjusted { stage, by_secs, .. } => {
                let s = self.stage(stage)?;
                if s.state() == StageState::Ended {
                    return Err(stage_problem(
                        stage,
                        "has finished; its time can no longer change",
                    ));
                }
                let allowed = s.allowed_secs().saturating_add(*by_secs);
                if allowed < 0 {
                    return Err(stage_problem(
                        stage,
                        "cannot be shortened below no time at all",
                    ));
                }
                if allowed > MAX_STAGE_SECS {
                    return Err(stage_problem(stage, "cannot be extended beyond 8 hours"));
                }
                Ok(())
            }
            Event::StageEnded { stage, at } => {
                let s = self.stage(stage)?;
                match s.state() {
                    StageState::Running | StageState::Paused => not_before(stage, s, *at),
                    StageState::NotStarted => {
                        Err(stage_problem(stage, "has not started, so it cannot end"))
                    }
                    StageState::Ended => Err(stage_problem(stage, "has already ended")),
                }
            }
            Event::StageReopened { stage, at } => {
                let s = self.stage(stage)?;
                if s.state() != StageState::Ended {
                    return Err(stage_problem(
                        stage,
                        "has not finished, so it cannot be reopened",
                    ));
                }
                if let Some(cur) = self.current_stage() {
                    return Err(stage_problem(
                        stage,
                        format!(
                            "cannot reopen while stage `{}` is under way; end that first",
                            cur.id
                        ),
                    ));
                }
                match s.runtime.ended {
                    Some(ended) if *at < ended => Err(stage_problem(
                        stage,
                        "cannot reopen before the moment it ended",
                    )),
                    _ => Ok(()),
                }
            }
            Event::StatementAdded {
                id,
                speaker,
                stage,
                text: t,
                tags: tg,
                captured_by,
                ..
            } => {
                new_id(
                    StatementId::WHAT,
                    id.as_str(),
                    self.statements.contains_key(id),
                )?;
                text("the statement", t, MAX_TEXT)?;
                self.speaker(speaker)?;
                self.optional_stage(stage)?;
                tags(tg)?;
                text("who captured it", captured_by, MAX_SHORT)
            }
            Event::StatementAmended {
                statement,
                speaker,
                text: t,
                tags: tg,
                reason,
                by,
                ..
            } => {
                self.live_statement(statement)?;
                text("the statement", t, MAX_TEXT)?;
                self.speaker(speaker)?;
                tags(tg)?;
                if let Some(r) = reason {
                    limit("the reason", r, MAX_SHORT)?;
                }
                text("who amended it", by, MAX_SHORT)
            }
            Event::StatementRetracted {
                statement,
                reason,
                by,
                ..
            } => {
                self.live_statement(statement)?;
                text("the reason for retracting", reason, MAX_SHORT)?;
                text("who retracted it", by, MAX_SHORT)
            }
            Event::VoteOpened {
                id,
                target,
                question,
                method,
                stage,
                ..
            } => {
                new_id(RoundId::WHAT, id.as_str(), self.rounds.contains_key(id))?;
                match target {
                    VoteTarget::Statement(s) => {
                        self.live_statement(s)?;
                    }
                    VoteTarget::Interpretation(i) => {
                        if !self.interpretations.contains_key(i) {
                            return Err(unknown(InterpretationId::WHAT, i));
                        }
                    }
                    VoteTarget::Question => {}
                }
                text("the question", question, MAX_TEXT)?;
                self.optional_stage(stage)?;
                match method {
                    VoteMethod::Dots {
                        options,
                        per_person,
                    } => {
                        check_options(id, options)?;
                        if *per_person == 0 || *per_person > MAX_DOTS {
                            return Err(vote_problem(
                                id,
                                format!("each person gets 1 to {MAX_DOTS} dots"),
                            ));
                        }
                        Ok(())
                    }
                    VoteMethod::SingleChoice { options } => check_options(id, options),
                    _ => Ok(()),
                }
            }
            Event::BallotCast {
                round,
                participant,
                choice,
                ..
            } => {
                let r = self.open_round(round)?;
                if r.mode == BallotMode::Counted {
                    return Err(vote_problem(
                        round,
                        "counts a show of hands; record a tally instead of ballots",
                    ));
                }
                if !self.participants.contains_key(participant) {
                    return Err(unknown(ParticipantId::WHAT, participant));
                }
                choice
                    .counts(&r.method)
                    .map(|_| ())
                    .map_err(|p| vote_problem(round, p))
            }
            Event::TallyRecorded { round, counts, .. } => {
                let r = self.open_round(round)?;
                if r.mode == BallotMode::PerParticipant {
                    return Err(vote_problem(
                        round,
                        "records each participant's ballot; it takes no counted tally",
                    ));
                }
                let n = r.method.options().len();
                if counts.len() != n {
                    return Err(vote_problem(
                        round,
                        format!("a tally needs {n} counts, {} given", counts.len()),
                    ));
                }
                if counts.iter().any(|c| *c > 100_000) {
                    return Err(vote_problem(
                        round,
                        "a count above 100,000 is not a show of hands",
                    ));
                }
                Ok(())
            }
            Event::VoteClosed { round, .. } => self.open_round(round).map(|_| ()),
            Event::ConceptCreated {
                id,
                name,
                description,
            } => {
                new_id(ConceptId::WHAT, id.as_str(), self.concepts.contains_key(id))?;
                text("the concept's name", name, MAX_SHORT)?;
                limit("the description", description, MAX_TEXT)?;
                self.name_free(name, None)
            }
            Event::ConceptRenamed { concept, name } => {
                self.active_concept(concept)?;
                text("the concept's name", name, MAX_SHORT)?;
                self.name_free(name, Some(concept))
            }
            Event::ConceptDescribed {
                concept,
                description,
            } => {
                self.active_concept(concept)?;
                limit("the description", description, MAX_TEXT)
            }
            Event::StatementsLinked {
                concept,
                statements,
            } => {
                self.active_concept(concept)?;
                if statements.is_empty() {
                    return Err(DomainError::Empty {
                        field: "the list of statements to link",
                    });
                }
                self.statements_exist(statements)
            }
            Event::StatementsUnlinked {
                concept,
                statements,
            } => {
                let c = self.active_concept(concept)?;
                if statements.is_empty() {
                    return Err(DomainError::Empty {
                        field: "the list of statements to unlink",
                    });
                }
                for s in statements {
                    if !c.statements.contains(s) {
                        return Err(DomainError::Rule(format!(
                            "statement `{s}` is not linked to concept `{concept}`"
                        )));
                    }
                }
                Ok(())
            }
            Event::ConceptsMerged { concepts, into } => {
                self.active_concept(into)?;
                if concepts.is_empty() {
                    return Err(DomainError::Empty {
                        field: "the list of concepts to merge",
                    });
                }
                Self::no_repeats("concept", concepts)?;
                for c in concepts {
                    if c == into {
                        return Err(DomainError::Rule(format!(
                            "concept `{c}` cannot be merged into itself"
                        )));
                    }
                    self.active_concept(c)?;
                }
                Ok(())
            }
            Event::ConceptSplit { concept, parts } => {
                let c = self.active_concept(concept)?;
                if parts.is_empty() {
                    return Err(DomainError::Empty {
                        field: "the list of new concepts",
                    });
                }
                let mut moved: Vec<&StatementId> = Vec::new();
                let mut names: Vec<&str> = Vec::new();
                for (i, part) in parts.iter().enumerate() {
                    new_id(
                        ConceptId::WHAT,
                        part.id.as_str(),
                        self.concepts.contains_key(&part.id)
                            || parts[..i].iter().any(|p| p.id == part.id),
                    )?;
                    text("the new concept's name", &part.name, MAX_SHORT)?;
                    self.name_free(&part.name, None)?;
                    if names
                        .iter()
                        .any(|n| n.trim().eq_ignore_ascii_case(part.name.trim()))
                    {
                        return Err(DomainError::Rule(format!(
                            "two new concepts are both called `{}`",
                            part.name.trim()
                        )));
                    }
                    names.push(&part.name);
                    if part.statements.is_empty() {
                        return Err(DomainError::Rule(format!(
                            "new concept `{}` takes no statements",
                            part.id
                        )));
                    }
                    for st in &part.statements {
                        if !c.statements.contains(st) {
                            return Err(DomainError::Rule(format!(
                                "statement `{st}` is not linked to concept `{concept}`"
                            )));
                        }
                        if moved.contains(&st) {
                            return Err(DomainError::Rule(format!(
                                "statement `{st}` is given to two new concepts"
                            )));
                        }
                        moved.push(st);
                    }
                }
                Ok(())
            }
            Event::TranslationMade {
                id,
                kind,
                concepts,
                rationale,
                ..
            } => {
                new_id(
                    TranslationId::WHAT,
                    id.as_str(),
                    self.translations.contains_key(id),
                )?;
                if concepts.len() < 2 {
                    return Err(DomainError::Rule(format!(
                        "a {} translation needs at least two concepts",
                        kind.label()
                    )));
                }
                Self::no_repeats("concept", concepts)?;
                for c in concepts {
                    self.active_concept(c)?;
                }
                limit("the rationale", rationale, MAX_TEXT)?;
                match kind {
                    TranslationKind::Refutational => {
                        if rationale.trim().is_empty() {
                            return Err(DomainError::Rule(
                                "a refutational translation needs a rationale: say how the concepts contradict each other".into(),
                            ));
                        }
                        Ok(())
                    }
                    TranslationKind::Reciprocal { wording } => {
                        text("the translated concept's wording", wording, MAX_TEXT)
                    }
                    TranslationKind::LineOfArgument { argument } => {
                        text("the line of argument", argument, MAX_TEXT)
                    }
                }
            }
            Event::InterpretationDrafted {
                id,
                text: t,
                translations,
                concepts,
                statements,
                ..
            } => {
                new_id(
                    InterpretationId::WHAT,
                    id.as_str(),
                    self.interpretations.contains_key(id),
                )?;
                text("the interpretation", t, MAX_TEXT)?;
                for tr in translations {
                    if !self.translations.contains_key(tr) {
                        return Err(unknown(TranslationId::WHAT, tr));
                    }
                }
                for c in concepts {
                    if !self.concepts.contains_key(c) {
                        return Err(unknown(ConceptId::WHAT, c));
                    }
                }
                self.statements_exist(statements)?;
                if concepts.is_empty() && translations.is_empty() {
                    return Err(DomainError::Rule(
                        "an interpretation must rest on at least one concept or translation".into(),
                    ));
                }
                Ok(())
            }
            Event::InterpretationRevised {
                interpretation,
                text: t,
                ..
            } => {
                if !self.interpretations.contains_key(interpretation) {
                    return Err(unknown(InterpretationId::WHAT, interpretation));
                }
                text("the interpretation", t, MAX_TEXT)
            }
            Event::InterpretationStatusChanged {
                interpretation,
                status,
                reason,
                round,
                ..
            } => {
                if !self.interpretations.contains_key(interpretation) {
                    return Err(unknown(InterpretationId::WHAT, interpretation));
                }
                if matches!(
                    status,
                    InterpretationStatus::Agreed | InterpretationStatus::SetAside
                ) {
                    text("the reason for the decision", reason, MAX_SHORT)?;
                } else {
                    limit("the reason", reason, MAX_SHORT)?;
                }
                if let Some(r) = round {
                    let vr = self
                        .rounds
                        .get(r)
                        .ok_or_else(|| unknown(RoundId::WHAT, r))?;
                    if vr.target != VoteTarget::Interpretation(interpretation.clone()) {
                        return Err(vote_problem(
                            r,
                            format!("was not a vote on interpretation `{interpretation}`"),
                        ));
                    }
                    if vr.is_open() {
                        return Err(vote_problem(
                            r,
                            "is still open; close it before it settles anything",
                        ));
                    }
                }
                Ok(())
            }
            Event::MemoAdded {
                id,
                text: t,
                stage,
                by,
                ..
            } => {
                new_id(MemoId::WHAT, id.as_str(), self.memos.contains_key(id))?;
                text("the memo", t, MAX_TEXT)?;
                self.optional_stage(stage)?;
                text("the memo's author", by, MAX_SHORT)
            }
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

    /// Makes the change. Only called after `check` accepted the event.
    fn mutate(&mut self, event: Event) {
        match event {
            Event::SessionCreated {
                title,
                focus,
                facilitator,
                created,
                template,
            } => {
                self.info = Some(SessionInfo {
                    title,
                    focus,
                    facilitator,
                    created,
                    template,
                })
            }
            Event::SourceAdded {
                key,
                session,
                title,
                head,
                statements,
            } => {
                self.sources.insert(
                    key,
                    SourceRef {
                        session,
                        title,
                        head,
                        statements,
                    },
                );
            }
            Event::ClockNoted { wall, session } => self.clock_notes.push((wall, session)),
            Event::ParticipantAdded { participant } => {
                self.participants
                    .insert(participant.id.clone(), participant);
            }
            Event::ConsentChanged {
                participant,
                consent,
            } => {
                if let Some(p) = self.participants.get_mut(&participant) {
                    p.consent = consent;
                }
            }
            Event::StageAdded {
                id,
                kind,
                title,
                prompt,
                planned_secs,
            } => {
                self.stages.insert(
                    id.clone(),
                    Stage {
                        id,
                        kind,
                        title,
                        prompt,
                        planned_secs,
                        runtime: StageRuntime::default(),
                    },
                );
            }
            Event::StageStarted { stage, at } => {
                if let Some(s) = self.stages.get_mut(&stage) {
                    s.runtime.started = Some(at);
                }
            }
            Event::StagePaused { stage, at } => {
                if let Some(s) = self.stages.get_mut(&stage) {
                    s.runtime.pauses.push(Pause {
                        from: at,
                        until: None,
                    });
                }
            }
            Event::StageResumed { stage, at } => {
                if let Some(p) = self
                    .stages
                    .get_mut(&stage)
                    .and_then(|s| s.runtime.pauses.last_mut())
                {
                    p.until = Some(at);
                }
            }
            Event::StageAdjusted { stage, by_secs, at } => {
                if let Some(s) = self.stages.get_mut(&stage) {
                    s.runtime.adjustments.push(Adjustment { at, by_secs });
                }
            }
            Event::StageEnded { stage, at } => {
                if let Some(s) = self.stages.get_mut(&stage) {
                    if let Some(p) = s.runtime.pauses.last_mut().filter(|p| p.until.is_none()) {
                        p.until = Some(at);
                    }
                    s.runtime.ended = Some(at);
                }
            }
            Event::StageReopened { stage, at } => {
                if let Some(s) = self.stages.get_mut(&stage)
                    && let Some(ended) = s.runtime.ended.take()
                {
                    s.runtime.pauses.push(Pause {
                        from: ended,
                        until: Some(at),
                    });
                }
            }
            Event::StatementAdded {
                id,
                kind,
                speaker,
                stage,
                text,
                tags,
                captured_by,
                at,
            } => {
                if let Some(i) = self.voice_slot(&speaker) {
                    self.voices[i] += 1;
                }
                self.statements.insert(
                    id.clone(),
                    Statement {
                        id,
                        stage,
                        original: StatementVersion {
                            text,
                            kind,
                            speaker,
                            tags,
                            at,
                            by: captured_by,
                            reason: None,
                        },
                        amendments: Vec::new(),
                        retracted: None,
                    },
                );
            }
            Event::StatementAmended {
                statement,
                kind,
                speaker,
                text,
                tags,
                reason,
                by,
                at,
            } => {
                let before = self
                    .statements
                    .get(&statement)
                    .and_then(|s| self.voice_slot(&s.current().speaker));
                if let Some(i) = before {
                    self.voices[i] = self.voices[i].saturating_sub(1);
                }
                if let Some(i) = self.voice_slot(&speaker) {
                    self.voices[i] += 1;
                }
                if let Some(s) = self.statements.get_mut(&statement) {
                    s.amendments.push(StatementVersion {
                        text,
                        kind,
                        speaker,
                        tags,
                        at,
                        by,
                        reason,
                    });
                }
            }
            Event::StatementRetracted {
                statement,
                reason,
                by,
                at,
            } => {
                if let Some(i) = self
                    .statements
                    .get(&statement)
                    .and_then(|s| self.voice_slot(&s.current().speaker))
                {
                    self.voices[i] = self.voices[i].saturating_sub(1);
                }
                if let Some(s) = self.statements.get_mut(&statement) {
                    s.retracted = Some(Retraction { at, by, reason });
                }
            }
            Event::VoteOpened {
                id,
                target,
                question,
                method,
                mode,
                hidden,
                stage,
                at,
            } => {
                self.rounds.insert(
                    id.clone(),
                    VoteRound {
                        id,
                        target,
                        question,
                        method,
                        mode,
                        hidden,
                        stage,
                        opened: at,
                        closed: None,
                        ballots: Vec::new(),
                        tallies: Vec::new(),
                    },
                );
            }
            Event::BallotCast {
                round,
                participant,
                choice,
                at,
            } => {
                if let Some(r) = self.rounds.get_mut(&round) {
                    r.ballots.push(Ballot {
                        participant,
                        choice,
                        at,
                    });
                }
            }
            Event::TallyRecorded {
                round,
                role,
                counts,
                at,
            } => {
                if let Some(r) = self.rounds.get_mut(&round) {
                    r.tallies.push(Tally { role, counts, at });
                }
            }
            Event::VoteClosed { round, at } => {
                if let Some(r) = self.rounds.get_mut(&round) {
                    r.closed = Some(at);
                }
            }
            Event::ConceptCreated {
                id,
                name,
                description,
            } => {
                self.concepts.insert(
                    id.clone(),
                    Concept {
                        id,
                        name,
                        description,
                        statements: Vec::new(),
                        merged_into: None,
                    },
                );
            }
            Event::ConceptRenamed { concept, name } => {
                if let Some(c) = self.concepts.get_mut(&concept) {
                    c.name = name;
                }
            }
            Event::ConceptDescribed {
                concept,
                description,
            } => {
                if let Some(c) = self.concepts.get_mut(&concept) {
                    c.description = description;
                }
            }
            Event::StatementsLinked {
                concept,
                statements,
            } => {
                if let Some(c) = self.concepts.get_mut(&concept) {
                    for s in statements {
                        if !c.statements.contains(&s) {
                            c.statements.push(s);
                        }
                    }
                }
            }
            Event::StatementsUnlinked {
                concept,
                statements,
            } => {
                if let Some(c) = self.concepts.get_mut(&concept) {
                    c.statements.retain(|s| !statements.contains(s));
                }
            }
            Event::ConceptsMerged { concepts, into } => {
                let mut gathered = Vec::new();
                for id in &concepts {
                    if let Some(c) = self.concepts.get_mut(id) {
                        c.merged_into = Some(into.clone());
                        gathered.extend(c.statements.iter().cloned());
                    }
                }
                if let Some(target) = self.concepts.get_mut(&into) {
                    for s in gathered {
                        if !target.statements.contains(&s) {
                            target.statements.push(s);
                        }
                    }
                }
            }
            Event::ConceptSplit { concept, parts } => {
                if let Some(c) = self.concepts.get_mut(&concept) {
                    c.statements
                        .retain(|s| !parts.iter().any(|p| p.statements.contains(s)));
                }
                for part in parts {
                    self.concepts.insert(
                        part.id.clone(),
                        Concept {
                            id: part.id,
                            name: part.name,
                            description: format!("split from {concept}"),
                            statements: part.statements,
                            merged_into: None,
                        },
                    );
                }
            }
            Event::TranslationMade {
                id,
                kind,
                concepts,
                rationale,
                at,
            } => {
                self.translations.insert(
                    id.clone(),
                    Translation {
                        id,
                        kind,
                        concepts,
                        rationale,
                        at,
                    },
                );
            }
            Event::InterpretationDrafted {
                id,
                text,
                translations,
                concepts,
                statements,
                at,
            } => {
                self.interpretations.insert(
                    id.clone(),
                    Interpretation {
                        id,
                        texts: vec![text],
                        translations,
                        concepts,
                        statements,
                        status: InterpretationStatus::Draft,
                        history: Vec::new(),
                        drafted: at,
                    },
                );
            }
            Event::InterpretationRevised {
                interpretation,
                text,
                ..
            } => {
                if let Some(i) = self.interpretations.get_mut(&interpretation) {
                    i.texts.push(text);
                }
            }
            Event::InterpretationStatusChanged {
                interpretation,
                status,
                reason,
                round,
                at,
            } => {
                if let Some(i) = self.interpretations.get_mut(&interpretation) {
                    i.status = status;
                    i.history.push(StatusChange {
                        status,
                        reason,
                        round,
                        at,
                    });
                }
            }
            Event::MemoAdded {
                id,
                kind,
                text,
                stage,
                by,
                at,
            } => {
                self.memos.insert(
                    id.clone(),
                    Memo {
                        id,
                        kind,
                        text,
                        stage,
                        by,
                        at,
                    },
                );
            }
        }
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
