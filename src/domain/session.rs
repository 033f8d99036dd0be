//! The session and its one mutation path, `Session::apply`.

use super::agenda::{Stage, StageState};
use super::error::DomainError;
use super::event::Event;
use super::ids::*;
use super::participant::{Participant, Role, RoleGroup};
use super::statement::{Speaker, Statement};
use super::synthesis::{Concept, Interpretation, Memo, Translation};
use super::time::Timestamp;
use super::vote::{BallotMode, CountedFor, Results, Tally, VoteMethod, VoteRound};
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

/// Where a workshop's interpretation came from: a cross-case workspace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TakenUp {
    pub workspace: String,
    pub from: InterpretationId,
    pub head: String,
    pub grounds: Vec<String>,
}

/// The maps that grow to a million entries: hashed with foldhash, which
/// is several times quicker than the standard library's SipHash on short
/// ids, and seeded at random per map all the same.
pub type ById<K, V> = IndexMap<K, V, foldhash::fast::RandomState>;

/// A session's state: the fold of its events through [`Session::apply`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub info: Option<SessionInfo>,
    pub participants: IndexMap<ParticipantId, Participant>,
    pub stages: IndexMap<StageId, Stage>,
    pub statements: ById<StatementId, Box<Statement>>,
    pub rounds: IndexMap<RoundId, VoteRound>,
    pub concepts: IndexMap<ConceptId, Concept>,
    pub translations: IndexMap<TranslationId, Translation>,
    pub interpretations: IndexMap<InterpretationId, Interpretation>,
    pub memos: ById<MemoId, Box<Memo>>,
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
    /// Statements not retracted, per stage and speaking participant, kept
    /// up to date by `apply` so "not yet heard in this stage" costs nothing
    /// per frame. Absent when none.
    #[serde(default)]
    pub heard: IndexMap<StageId, IndexMap<ParticipantId, u32>>,
    /// The concepts (not merged away) each statement is linked to, in the
    /// concepts' order, kept up to date by `apply` so the synthesis screen
    /// labels its visible rows without walking every link. Absent when none.
    #[serde(default)]
    pub linked: IndexMap<StatementId, Vec<ConceptId>>,
    /// What the room's projectors show below the stage.
    #[serde(default)]
    pub room: super::event::RoomView,
    /// Hands up, parked items and attendance.
    #[serde(default)]
    pub floor: super::room::Floor,
    /// What the group agreed to do.
    #[serde(default)]
    pub actions: IndexMap<ActionId, super::room::FollowUp>,
    /// Every change of what the room was shown, and when (breaks are read
    /// from here).
    #[serde(default)]
    pub room_log: Vec<(Timestamp, super::event::RoomView)>,
    /// Interpretations a workshop took up from a cross-case workspace.
    /// Left out of a snapshot when empty, so sessions without any keep the
    /// snapshot format they had.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub taken_up: IndexMap<InterpretationId, TakenUp>,
    /// The codebook, by code path, in the order codes were defined.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub codebook: IndexMap<String, super::codebook::Code>,
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

    /// Whether `event` is one this session already holds: a statement,
    /// memo, amendment, retraction or ballot sent again because its
    /// acknowledgement was lost. Lets a second terminal resend what it is
    /// unsure of without anything being recorded twice. Times are not
    /// compared (the host stamps its own); an amendment or ballot that
    /// would change nothing (the statement already reads so, the person's
    /// latest ballot is already this) counts as held.
    pub fn already_has(&self, event: &Event) -> bool {
        match event {
            Event::StatementAdded {
                id,
                kind,
                speaker,
                text,
                tags,
                captured_by,
                ..
            } => self.statements.get(id).is_some_and(|s| {
                let o = &s.original;
                (&o.kind, &o.speaker, &o.text, &o.tags, &o.by)
                    == (kind, speaker, text, tags, captured_by)
            }),
            Event::StatementAmended {
                statement,
                kind,
                speaker,
                text,
                tags,
                by,
                ..
            } => self.statements.get(statement).is_some_and(|s| {
                let v = s.current();
                !s.amendments.is_empty()
                    && (&v.kind, &v.speaker, &v.text, &v.tags, &v.by)
                        == (kind, speaker, text, tags, by)
            }),
            Event::StatementRecoded {
                statement,
                kind,
                tags,
                by,
                ..
            } => self.statements.get(statement).is_some_and(|s| {
                let v = s.current();
                v.recoded && (&v.kind, &v.tags, &v.by) == (kind, tags, by)
            }),
            Event::StatementRetracted { statement, by, .. } => self
                .statements
                .get(statement)
                .and_then(|s| s.retracted.as_ref())
                .is_some_and(|r| &r.by == by),
            Event::MemoAdded {
                id,
                kind,
                text,
                stage,
                by,
                ..
            } => self
                .memos
                .get(id)
                .is_some_and(|m| (&m.kind, &m.text, &m.stage, &m.by) == (kind, text, stage, by)),
            Event::BallotCast {
                round,
                participant,
                choice,
                recorded_by,
                ..
            } => self.rounds.get(round).is_some_and(|r| {
                r.ballots
                    .iter()
                    .rev()
                    .find(|b| &b.participant == participant)
                    .is_some_and(|b| (&b.choice, &b.recorded_by) == (choice, recorded_by))
            }),
            Event::AnonymousBallotCast {
                round,
                ballot,
                group,
                choice,
                ..
            } => self.rounds.get(round).is_some_and(|r| {
                r.anonymous
                    .iter()
                    .rev()
                    .find(|b| &b.ballot == ballot)
                    .is_some_and(|b| (&b.group, &b.choice) == (group, choice))
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

    /// Whether the speaker's words may be shown to the room or exported:
    /// the whole group, or a participant who has consented (as they stand
    /// now: consent withdrawn later withholds what they said before).
    pub fn consents(&self, speaker: &Speaker) -> bool {
        match speaker {
            Speaker::Group => true,
            Speaker::Participant(p) => self.participants.get(p).is_none_or(|x| x.consent),
        }
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
            .find(|s| s.state() == StageState::NotStarted && !s.is_skipped())
    }

    /// The stage after `stage` in the agenda, skipped ones passed over.
    pub fn stage_after(&self, stage: &StageId) -> Option<&Stage> {
        let i = self.stages.get_index_of(stage)?;
        self.stages.values().skip(i + 1).find(|s| !s.is_skipped())
    }

    /// When the session set out to end and when it now looks like ending:
    /// the running stage's time left (none once over), then every stage
    /// still to run, as it now stands.
    pub fn projection(&self, now: Timestamp) -> Projection {
        let started = self.stages.values().filter_map(|s| s.runtime.started).min();
        let start = started.unwrap_or(now);
        // The plan the session set out with: stages added once it was under
        // way are not part of it.
        let planned: i64 = self
            .stages
            .values()
            .filter(|s| !s.runtime.added_late)
            .map(|s| i64::from(s.planned_secs))
            .sum();
        let mut left_ms: i64 = self
            .current_stage()
            .map_or(0, |s| s.remaining_millis(now).max(0));
        left_ms += self
            .stages
            .values()
            .filter(|s| s.state() == StageState::NotStarted && !s.is_skipped())
            .map(|s| s.allowed_secs().max(0) * 1000)
            .sum::<i64>();
        Projection {
            planned_end: start.plus_secs(planned),
            projected_end: now.plus_millis(left_ms),
        }
    }

    pub(super) fn voice_slot(&self, speaker: &Speaker) -> Option<usize> {
        let group = Some(self.role_of(speaker)?)
            .filter(|r| !r.convenes())?
            .group();
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
        let add = |role: CountedFor, counts: &[u32], res: &mut Results| {
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
                let latest = round.latest_ballots();
                res.voters = latest.len() as u32;
                for (p, b) in latest {
                    let role = self
                        .participants
                        .get(p)
                        .map_or(CountedFor::Room, |p| CountedFor::Role(p.role));
                    if let Ok(counts) = b.choice.counts(&round.method) {
                        add(role, &counts, &mut res);
                    }
                }
            }
            BallotMode::Anonymous => {
                let latest = round.latest_anonymous();
                res.voters = latest.len() as u32;
                for b in latest.values() {
                    if let Ok(counts) = b.choice.counts(&round.method) {
                        add(CountedFor::Group(b.group), &counts, &mut res);
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
                    add(
                        role.map_or(CountedFor::Room, CountedFor::Role),
                        &t.counts,
                        &mut res,
                    );
                }
            }
        }
        res.by_role.sort_by_key(|(r, _)| *r);
        res
    }

    /// Each option's median rank (1 is first) over the latest ballots of a
    /// ranking round, a half where the middle falls between two ranks;
    /// none for an option nobody ranked, or another kind of round.
    pub fn median_ranks(&self, round: &VoteRound) -> Vec<Option<f64>> {
        let n = round.method.options().len();
        let mut ranks: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut add = |choice: &super::vote::Choice| {
            if let super::vote::Choice::Ranking(order) = choice {
                for (place, &i) in order.iter().enumerate() {
                    if let Some(r) = ranks.get_mut(usize::from(i)) {
                        r.push(place + 1);
                    }
                }
            }
        };
        round.latest_ballots().values().for_each(|b| add(&b.choice));
        round
            .latest_anonymous()
            .values()
            .for_each(|b| add(&b.choice));
        ranks
            .into_iter()
            .map(|mut r| {
                r.sort_unstable();
                let m = r.len();
                match m {
                    0 => None,
                    _ if m % 2 == 1 => Some(r[m / 2] as f64),
                    _ => Some((r[m / 2 - 1] + r[m / 2]) as f64 / 2.0),
                }
            })
            .collect()
    }

    /// A round's counts by the groups of `by` (role group, sector or level),
    /// each with its label; then what could not be placed in a group: a
    /// tally for the whole room, and, by sector or level, every ballot of an
    /// anonymous or counted round (which record role groups, never people).
    pub fn results_by(
        &self,
        round: &VoteRound,
        by: super::participant::Breakdown,
    ) -> super::vote::ByGroups {
        let res = self.results(round);
        let labels = by.groups();
        if by == super::participant::Breakdown::RoleGroup {
            let (groups, room) = res.by_group();
            let named = groups
                .into_iter()
                .zip(labels)
                .map(|((_, counts), label)| (label, counts))
                .collect();
            return (named, room);
        }
        let n = res.options.len();
        let mut groups: Vec<(&'static str, Vec<u32>)> =
            labels.iter().map(|l| (*l, vec![0; n])).collect();
        if round.mode != BallotMode::PerParticipant {
            return (groups, Some(res.counts));
        }
        let mut unplaced: Option<Vec<u32>> = None;
        for (p, b) in round.latest_ballots() {
            let Ok(counts) = b.choice.counts(&round.method) else {
                continue;
            };
            let slot = match self.participants.get(p) {
                Some(p) => &mut groups[by.group_of(p)].1,
                None => unplaced.get_or_insert_with(|| vec![0; n]),
            };
            for (c, x) in slot.iter_mut().zip(&counts) {
                *c += x;
            }
        }
        (groups, unplaced)
    }
}

/// The session's planned end against its projected one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Projection {
    pub planned_end: Timestamp,
    pub projected_end: Timestamp,
}

impl Projection {
    /// Seconds behind the plan (negative: ahead).
    pub fn behind_secs(&self) -> i64 {
        self.projected_end.millis_since(self.planned_end) / 1000
    }

    /// `ends 11:32 (planned 11:30, 2 min behind)`, in local time.
    pub fn describe(&self) -> String {
        let b = self.behind_secs();
        let how = match b {
            -59..=59 => "on time".to_owned(),
            b if b > 0 => format!("{} min behind", (b + 30) / 60),
            b => format!("{} min ahead", (-b + 30) / 60),
        };
        format!(
            "ends {} (planned {}, {how})",
            self.projected_end.clock_time(),
            self.planned_end.clock_time()
        )
    }
}
