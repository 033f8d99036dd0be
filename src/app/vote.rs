//! The vote screen: set up and open a round, take ballots in single keys or
//! counted tallies, close and reveal.

use super::actions::Action;
use super::{App, Effect, Overlay, PromptKind, Tone, new_input};
use crate::domain::RoomView;
use crate::domain::vote::VoteRound;
use crate::domain::{
    Agreement, BallotMode, Choice, Event, ParticipantId, Role, RoundId, Session, Timestamp,
    VoteMethod, VoteTarget,
};

/// The voting methods a new round can use, in the order `m` cycles them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum MethodChoice {
    #[default]
    AgreeDisagree,
    Resonance,
    Dots,
    SingleChoice,
    Ladder,
    Ranking,
}

impl MethodChoice {
    pub const ALL: [MethodChoice; 6] = [
        MethodChoice::AgreeDisagree,
        MethodChoice::Resonance,
        MethodChoice::Dots,
        MethodChoice::SingleChoice,
        MethodChoice::Ladder,
        MethodChoice::Ranking,
    ];

    pub fn label(self) -> &'static str {
        match self {
            MethodChoice::AgreeDisagree => "agree/disagree/pass",
            MethodChoice::Resonance => "resonance 1-5",
            MethodChoice::Dots => "dot vote",
            MethodChoice::SingleChoice => "single choice",
            MethodChoice::Ladder => "ladder of co-production",
            MethodChoice::Ranking => "ranking (Borda points and median rank)",
        }
    }

    fn next(self) -> MethodChoice {
        let i = MethodChoice::ALL
            .iter()
            .position(|m| *m == self)
            .unwrap_or(0);
        MethodChoice::ALL[(i + 1) % MethodChoice::ALL.len()]
    }
}

pub const DOTS_EACH: u8 = 3;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VoteDraft {
    pub method: MethodChoice,
    /// Which of the possible targets: see [`target`].
    pub target: usize,
    pub mode: BallotMode,
    pub hidden: bool,
    /// Who chose what is shown by name (per participant rounds only).
    pub named: bool,
    /// The question; for dots and single choice, options follow `|`.
    pub question: String,
    /// Cursor over participants (ballots) or options (tallies).
    pub cursor: usize,
    /// The ballot being entered: dots on each option, or a ranking's
    /// options so far, most important first.
    pub dots: Vec<u8>,
    /// Whose hands a tally counts: everyone, or one role.
    pub tally_role: Option<Role>,
    pub tally: Vec<u32>,
    /// What the results are broken down by, once chosen (`b`); until then
    /// the room's natural breakdown.
    pub breakdown: Option<crate::domain::Breakdown>,
}

impl VoteDraft {
    pub fn tally_role(&self) -> Option<Role> {
        self.tally_role
    }

    /// Everyone, then each role in turn, then everyone again.
    fn next_tally_role(&mut self) {
        self.tally_role = match self.tally_role {
            None => Role::ALL.first().copied(),
            Some(r) => {
                let i = Role::ALL.iter().position(|x| *x == r).unwrap_or(0);
                Role::ALL.get(i + 1).copied()
            }
        };
    }

    /// The question and options as typed.
    pub fn parts(&self) -> (String, Vec<String>) {
        let mut parts = self.question.split('|').map(|p| p.trim().to_owned());
        let question = parts.next().unwrap_or_default();
        (question, parts.filter(|p| !p.is_empty()).collect())
    }

    pub fn method(&self) -> VoteMethod {
        let (_, options) = self.parts();
        match self.method {
            MethodChoice::AgreeDisagree => VoteMethod::AgreeDisagree,
            MethodChoice::Resonance => VoteMethod::Resonance,
            MethodChoice::Dots => VoteMethod::Dots {
                options,
                per_person: DOTS_EACH,
            },
            MethodChoice::SingleChoice => VoteMethod::SingleChoice { options },
            MethodChoice::Ladder => VoteMethod::Ladder,
            MethodChoice::Ranking => VoteMethod::Ranking { options },
        }
    }
}

/// What a new round can be about: the selected (or latest) statement, each
/// interpretation, or a free question.
/// The statement a new round would be about: the one selected on the
/// capture screen, or else the latest not retracted.
fn target_statement(app: &App, session: &Session) -> Option<crate::domain::StatementId> {
    // A vote puts the words to the room: only words the room may see.
    let may =
        |s: &crate::domain::Statement| !s.is_retracted() && session.consents(&s.current().speaker);
    app.capture
        .selected
        .clone()
        .filter(|s| session.statements.get(s).is_some_and(|s| may(s)))
        .or_else(|| {
            session
                .statements
                .values()
                .rev()
                .find(|s| may(s))
                .map(|s| s.id.clone())
        })
}

/// How many things a new round can be about (see [`target`]).
pub fn target_count(app: &App, session: &Session) -> usize {
    usize::from(target_statement(app, session).is_some()) + session.interpretations.len() + 1
}

/// What a new round would be about: the selected (or latest) statement,
/// then each interpretation, then a free question, chosen by the draft's
/// cycling index; found without listing them all.
pub fn target(app: &App, session: &Session) -> VoteTarget {
    let statement = target_statement(app, session);
    let n = target_count(app, session);
    let mut i = app.vote.target % n;
    if let Some(s) = statement {
        if i == 0 {
            return VoteTarget::Statement(s);
        }
        i -= 1;
    }
    session
        .interpretations
        .get_index(i)
        .map(|(id, _)| VoteTarget::Interpretation(id.clone()))
        .unwrap_or(VoteTarget::Question)
}

/// The most recently opened round that is still open.
pub fn open_round(session: &Session) -> Option<&VoteRound> {
    session.round_open_now()
}

/// The question a round will ask if none is typed.
pub fn default_question(target: &VoteTarget, method: &VoteMethod) -> String {
    match (target, method) {
        (_, VoteMethod::Resonance) => {
            "How strongly does this resonate with your experience?".into()
        }
        (_, VoteMethod::Ladder) => "Where on the ladder of co-production is this work?".into(),
        (VoteTarget::Interpretation(_), _) => "Do you agree with this interpretation?".into(),
        (VoteTarget::Statement(_), _) => "Do you agree with this statement?".into(),
        (VoteTarget::Question, _) => String::new(),
    }
}

pub fn action(
    app: &mut App,
    session: &Session,
    action: Action,
    now: Timestamp,
    fx: &mut Vec<Effect>,
) {
    if action == Action::ResultsBy {
        return super::vote_entry::results_by(app, session);
    }
    match open_round(session) {
        Some(round) => in_round(app, session, round, action, now, fx),
        None => setup(app, session, action, now, fx),
    }
}

fn setup(app: &mut App, session: &Session, action: Action, now: Timestamp, fx: &mut Vec<Effect>) {
    let d = &mut app.vote;
    match action {
        Action::CycleMethod => d.method = d.method.next(),
        Action::CycleTarget => {
            let n = target_count(app, session);
            app.vote.target = (app.vote.target + 1) % n;
        }
        // Up and down choose which statement the round is about.
        Action::SelectUp | Action::SelectDown => {
            let live: Vec<&crate::domain::StatementId> = session
                .statements
                .values()
                .filter(|s| !s.is_retracted() && session.consents(&s.current().speaker))
                .map(|s| &s.id)
                .collect();
            let here = target_statement(app, session)
                .and_then(|id| live.iter().position(|s| **s == id))
                .unwrap_or(live.len().saturating_sub(1));
            let next = if action == Action::SelectUp {
                here.saturating_sub(1)
            } else {
                (here + 1).min(live.len().saturating_sub(1))
            };
            if let Some(id) = live.get(next) {
                app.capture.selected = Some((*id).clone());
                app.vote.target = 0;
            }
        }
        Action::ToggleCounted => d.mode = d.mode.next(),
        Action::ToggleHidden => d.hidden = !d.hidden,
        Action::ToggleNamed => d.named = !d.named,
        Action::EditQuestion => {
            let mut input = new_input("the question | option | option …");
            input.insert_str(&d.question);
            app.overlays.push(Overlay::Prompt {
                kind: PromptKind::Question,
                input: Box::new(input),
            });
        }
        Action::Cancel => d.question.clear(),
        Action::OpenRound => {
            let target = target(app, session);
            let method =
                match crate::domain::codebook::with_codes(app.vote.method(), &session.codebook) {
                    Ok(m) => m,
                    Err(why) => return app.say(Tone::Problem, why),
                };
            let (typed, _) = app.vote.parts();
            let question = if typed.is_empty() {
                default_question(&target, &method)
            } else {
                typed
            };
            if question.is_empty() {
                app.say(
                    Tone::Problem,
                    app.keys("a free question needs its wording: press {EditQuestion} to type it"),
                );
                return;
            }
            if matches!(
                method,
                VoteMethod::Dots { .. }
                    | VoteMethod::SingleChoice { .. }
                    | VoteMethod::Ranking { .. }
            ) && method.options().len() < 2
            {
                app.say(
                    Tone::Problem,
                    app.keys("this method needs options: press {EditQuestion} and type  question | option | option"),
                );
                return;
            }
            let id = app.fresh_id(
                "v",
                |id| session.rounds.contains_key(id),
                session.rounds.len(),
            );
            let event = Event::VoteOpened {
                id: RoundId::new(id),
                target,
                question,
                method,
                mode: app.vote.mode,
                hidden: app.vote.hidden,
                named: app.vote.named && app.vote.mode == BallotMode::PerParticipant,
                stage: session.current_stage().map(|s| s.id.clone()),
                at: now,
            };
            if app.record(session, event, fx) {
                // The next round's form starts from the same defaults, so
                // a documented key path means the same whatever came
                // before, and no question is asked of a round it was not
                // typed for.
                app.vote = VoteDraft::default();
                // The room moves on from the last round's results to this one.
                if matches!(session.room, RoomView::Results(_)) {
                    app.record(
                        session,
                        Event::RoomShows {
                            view: RoomView::Latest,
                            at: now,
                        },
                        fx,
                    );
                }
            }
        }
        Action::CloseRound => app.say(
            Tone::Info,
            app.keys("no round is open: {OpenRound} opens one"),
        ),
        _ => {}
    }
}

fn participant_at(session: &Session, i: usize) -> Option<ParticipantId> {
    session.participants.get_index(i).map(|(k, _)| k.clone())
}

fn in_round(
    app: &mut App,
    session: &Session,
    round: &VoteRound,
    action: Action,
    now: Timestamp,
    fx: &mut Vec<Effect>,
) {
    if action == Action::CloseRound {
        return ask_to_close(app, round, now);
    }
    if round.mode == BallotMode::Anonymous {
        return app.say(
            Tone::Info,
            app.keys(
                "this round is anonymous: people vote from their phones; {CloseRound} closes it",
            ),
        );
    }
    if round.mode == BallotMode::Counted && app.seat != super::actions::Seat::Host {
        return app.say(
            Tone::Info,
            "a show of hands is counted by the facilitator at the host",
        );
    }
    if round.mode == BallotMode::Counted {
        return counting(app, session, round, action, now, fx);
    }
    per_person(app, session, round, action, now, fx);
}

/// Closing asks first; closed, the results go up on every projector.
fn ask_to_close(app: &mut App, round: &VoteRound, now: Timestamp) {
    let reveal = if round.hidden {
        " and reveal the results"
    } else {
        ""
    };
    app.overlays.push(Overlay::Confirm {
        question: format!(
            "Close round {}{reveal}? No more ballots can be added; every projector shows the results.",
            round.id
        ),
        events: vec![
            Event::VoteClosed {
                round: round.id.clone(),
                at: now,
            },
            // The result stays on every projector until the facilitator moves on.
            Event::RoomShows {
                view: RoomView::Results(round.id.clone()),
                at: now,
            },
        ],
    });
}

/// A show of hands: choose the option, set its count, record the tally.
fn counting(
    app: &mut App,
    session: &Session,
    round: &VoteRound,
    action: Action,
    now: Timestamp,
    fx: &mut Vec<Effect>,
) {
    let options = round.method.options().len();
    let d = &mut app.vote;
    d.tally.resize(options, 0);
    match action {
        Action::SelectUp => d.cursor = d.cursor.saturating_sub(1),
        Action::SelectDown => d.cursor = (d.cursor + 1).min(options.saturating_sub(1)),
        Action::CountUp => d.tally[d.cursor.min(options - 1)] += 1,
        Action::CountDown => {
            let c = &mut d.tally[d.cursor.min(options - 1)];
            *c = c.saturating_sub(1);
        }
        Action::Choice(n) => d.tally[d.cursor.min(options - 1)] = u32::from(n),
        Action::ClearBallot | Action::Cancel => d.tally = vec![0; options],
        Action::CycleTallyRole => d.next_tally_role(),
        Action::CastBallot => {
            let event = Event::TallyRecorded {
                round: round.id.clone(),
                role: d.tally_role(),
                counts: d.tally.clone(),
                at: now,
                beyond_roster: false,
            };
            // More hands than the group has people: a miscount, or people
            // who arrived and are not listed yet. The facilitator says which.
            if let Err(e) = session.check(&event) {
                let mut anyway = event.clone();
                if let Event::TallyRecorded { beyond_roster, .. } = &mut anyway {
                    *beyond_roster = true;
                }
                if session.check(&anyway).is_ok() {
                    app.overlays.push(Overlay::Confirm {
                        question: format!(
                            "{e}. Record it anyway, as people here who are not on the list?"
                        ),
                        events: vec![anyway],
                    });
                    return;
                }
            }
            if app.record(session, event, fx) {
                app.vote.tally = vec![0; options];
            }
        }
        _ => {}
    }
}

/// One ballot per person: a single key records it and moves on.
fn per_person(
    app: &mut App,
    session: &Session,
    round: &VoteRound,
    action: Action,
    now: Timestamp,
    fx: &mut Vec<Effect>,
) {
    let options = round.method.options().len();
    let n_people = session.participants.len().max(1);
    let choice = match (action, &round.method) {
        (Action::SelectUp, _) => {
            app.vote.cursor = app.vote.cursor.saturating_sub(1);
            app.vote.dots.clear();
            None
        }
        (Action::SelectDown, _) => {
            app.vote.cursor = (app.vote.cursor + 1).min(n_people - 1);
            app.vote.dots.clear();
            None
        }
        (Action::Agree, VoteMethod::AgreeDisagree) => Some(Choice::Agreement(Agreement::Agree)),
        (Action::Disagree, VoteMethod::AgreeDisagree) => {
            Some(Choice::Agreement(Agreement::Disagree))
        }
        (Action::Pass, VoteMethod::AgreeDisagree) => Some(Choice::Agreement(Agreement::Pass)),
        (Action::Choice(n), VoteMethod::AgreeDisagree) if n <= 3 => Some(Choice::Agreement(
            [Agreement::Agree, Agreement::Disagree, Agreement::Pass][usize::from(n - 1)],
        )),
        (Action::Choice(n), VoteMethod::Resonance) if n <= 5 => Some(Choice::Resonance(n)),
        (Action::Choice(n), VoteMethod::Ladder) if n <= 8 => Some(Choice::Rung(n - 1)),
        (Action::Choice(n), VoteMethod::SingleChoice { .. }) if usize::from(n) <= options => {
            Some(Choice::Single(n - 1))
        }
        (Action::Choice(n), VoteMethod::Dots { per_person, .. }) if usize::from(n) <= options => {
            let d = &mut app.vote.dots;
            d.resize(options, 0);
            if d.iter().map(|x| u32::from(*x)).sum::<u32>() < u32::from(*per_person) {
                d[usize::from(n - 1)] += 1;
            } else {
                app.say(
                    Tone::Info,
                    format!(
                        "all {per_person} dots placed: {}",
                        app.keys("{CastBallot} casts, {ClearBallot} clears")
                    ),
                );
            }
            None
        }
        (Action::Choice(n), VoteMethod::Ranking { options: names })
            if usize::from(n) <= options =>
        {
            super::vote_entry::rank(app, names, n);
            None
        }
        (Action::CastBallot, VoteMethod::Ranking { .. }) => {
            if app.vote.dots.len() < options {
                app.say(
                    Tone::Problem,
                    format!("rank all {options} options first, most important first (1-9)"),
                );
                return;
            }
            Some(Choice::Ranking(app.vote.dots.clone()))
        }
        (Action::ClearBallot | Action::Cancel, _) => {
            app.vote.dots.clear();
            None
        }
        (Action::CastBallot, VoteMethod::Dots { .. }) => {
            let mut d = app.vote.dots.clone();
            d.resize(options, 0);
            Some(Choice::Dots(d))
        }
        (Action::Choice(n), _) => {
            app.say(
                Tone::Problem,
                format!("{n} is not a choice in a {} round", round.method.label()),
            );
            None
        }
        _ => None,
    };
    let Some(choice) = choice else { return };
    let Some(participant) = participant_at(session, app.vote.cursor) else {
        app.say(
            Tone::Problem,
            "this session has no participants to take ballots from",
        );
        return;
    };
    let earlier = round
        .ballots
        .iter()
        .rev()
        .find(|b| b.participant == participant)
        .cloned();
    let event = Event::BallotCast {
        round: round.id.clone(),
        participant,
        choice,
        at: now,
        recorded_by: app.actor.clone(),
    };
    // Someone's ballot is never replaced quietly: say whose, and by whom.
    if let (Some(b), Event::BallotCast { choice, .. }) = (earlier, &event) {
        let shown = |c: &Choice| choice_words(&round.method, c);
        let by = if b.recorded_by.is_empty() {
            String::new()
        } else {
            format!(", taken by {}", b.recorded_by)
        };
        app.overlays.push(Overlay::Confirm {
            question: format!(
                "{} has voted {}{by}. Replace it with {}?",
                b.participant,
                shown(&b.choice),
                shown(choice)
            ),
            events: vec![event],
        });
        return;
    }
    if app.record(session, event, fx) {
        app.vote.dots.clear();
        // Straight on to the next person: a round is a quick walk round the table.
        app.vote.cursor = (app.vote.cursor + 1).min(n_people - 1);
    }
}

/// A choice in words: `agree`, `4`, `co-design`, `dots on 1×2, 3×1`.
pub fn choice_words(method: &VoteMethod, c: &Choice) -> String {
    let options = method.options();
    let at = |i: usize| options.get(i).cloned().unwrap_or_default();
    match c {
        Choice::Agreement(a) => format!("“{}”", format!("{a:?}").to_lowercase()),
        Choice::Resonance(r) => format!("resonance {r}"),
        Choice::Single(i) | Choice::Rung(i) => format!("“{}”", at(usize::from(*i))),
        Choice::Dots(d) => Choice::dots_words(d),
        Choice::Ranking(order) => format!("ranked {}", Choice::ranking_words(order, &options)),
    }
}
