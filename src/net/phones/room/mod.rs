//! What the host keeps in memory about the phones in the room, and what a
//! phone may ask. Pure bookkeeping: the session and the time are passed in,
//! events come out to be recorded by the store like any other, so every
//! rule here is tested without a network.
//!
//! What is never written down: which phone is whose, and which random
//! ballot id an anonymous round gave whom (the host needs it only to let
//! each person vote once and change their mind).

use crate::domain::{
    BallotMode, Choice, Event, ParticipantId, RoundId, Session, StageState, Timestamp, VoteMethod,
};
use crate::live::{Said, SaidStatus};
use serde::Deserialize;
use std::collections::HashMap;

mod admission;

/// Phones joined at once, at most (a town-hall meeting of 2,000 fits).
pub const MAX_PHONES: usize = 2500;
/// Phones waiting at once for the facilitator to let them in, at most
/// (and at most [`ASKING_PER_NAME`] under one name): a key-holder cannot
/// bury the genuine ones.
pub const MAX_ASKING: usize = 24;
pub const ASKING_PER_NAME: usize = 3;
/// The width a phone's own vote is written in, padded with spaces (the
/// page trims them).
pub const MINE_WIDTH: usize = 240;
/// Phones joined without a name, at most.
pub const MAX_GUESTS: usize = 60;
/// A guest, or a phone still asking to join, that has not been heard from
/// for this long is let go.
pub const IDLE: std::time::Duration = std::time::Duration::from_secs(600);
/// Statements and questions waiting at once, at most.
pub const MAX_WAITING: usize = 200;
/// Longest statement a phone may send, in characters.
pub const MAX_SAY: usize = 1000;

/// One request from a phone, once opened.
#[derive(Debug, Deserialize)]
pub struct Envelope {
    /// Counts up with each request from one phone, so a request overheard
    /// and sent again is refused.
    pub n: u64,
    /// The phone's token, once it has joined.
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(flatten)]
    pub ask: Ask,
}

#[derive(Debug, Deserialize)]
#[serde(tag = "op", rename_all = "lowercase")]
pub enum Ask {
    /// Who may join, and the room as it is.
    Hello,
    /// Join as a participant, or without a name (`None`) where the
    /// facilitator allows it.
    Join {
        #[serde(default)]
        participant: Option<String>,
    },
    /// The room as it is, once the journal is past `since`.
    State {
        #[serde(default)]
        since: u64,
    },
    /// A vote in the open round: option `pick` (from 0), for dots the
    /// dots on each option, for a ranking every option, first first.
    Vote {
        round: String,
        #[serde(default)]
        pick: Option<usize>,
        #[serde(default)]
        dots: Option<Vec<u8>>,
        #[serde(default)]
        ranking: Option<Vec<u8>>,
    },
    /// A statement or question for the facilitator to take into the record.
    Say {
        text: String,
    },
    Hand {
        up: bool,
    },
}

struct Phone {
    /// Whose phone it is; `None` for a phone joined without a name.
    participant: Option<ParticipantId>,
    /// How the projector lists it: `P3`, or `guest 2`.
    label: String,
    /// Still waiting for the facilitator to let it in: the request's id
    /// and the number the phone shows.
    asking: Option<(u64, u16)>,
    /// Whether what it was last told is that it waits to be let in: once
    /// let in, its next request for news is answered at once.
    told_asking: bool,
    /// When it was last heard from.
    last: std::time::Instant,
    /// What it may still record or send.
    budget: crate::net::budget::Budget,
    seen: Seen,
}

/// Request numbers seen lately, so that one overheard and sent again is
/// refused. A page numbers its requests from its clock in microseconds,
/// and may have two under way at once (a vote while it waits for news), so
/// they can arrive out of order: any number not seen before is taken unless
/// it is more than [`WINDOW`] older than the newest.
#[derive(Default)]
struct Seen {
    recent: std::collections::VecDeque<u64>,
    newest: u64,
}

/// A minute, in the page's request numbers.
const WINDOW: u64 = 60_000_000;
/// Request numbers remembered (per phone, and of joins for the room).
const REMEMBERED: usize = 4096;

impl Seen {
    /// Whether `n` is new; remembers it.
    fn fresh(&mut self, n: u64) -> bool {
        if self.recent.contains(&n) || n.saturating_add(WINDOW) < self.newest {
            return false;
        }
        if self.recent.len() == REMEMBERED {
            self.recent.pop_front();
        }
        self.recent.push_back(n);
        self.newest = self.newest.max(n);
        true
    }
}

/// The phones in the room.
#[derive(Default)]
pub struct Room {
    phones: HashMap<String, Phone>,
    /// Anonymous rounds: the ballot id each person was given.
    ballots: HashMap<(RoundId, ParticipantId), String>,
    /// What each person last voted in each round, to show them.
    voted: HashMap<(RoundId, ParticipantId), Choice>,
    said: Vec<Said>,
    next_said: u64,
    guests: u32,
    next_ask: u64,
    /// When quiet phones were last let go (see [`Room::expire`]).
    expired: Option<std::time::Instant>,
    /// Phones the facilitator did not let in (their tokens), to tell them.
    refused: std::collections::VecDeque<String>,
    /// A phone that sends more than a person would (as the projector names
    /// it), for the host to tell the facilitator.
    pub flooding: Option<String>,
    /// Who has voted in each open anonymous round (not how): kept on disk
    /// by the host, so that a restart does not give anyone a second vote.
    pub voted_before: HashMap<RoundId, std::collections::BTreeSet<ParticipantId>>,
    /// Whether new phones may join.
    pub closed: bool,
    /// Whether a phone may join without choosing a name: it follows the
    /// room and sends what it wants to say (recorded as the whole group's
    /// once the facilitator accepts it), but votes and queues to speak only
    /// with a name.
    pub nameless: bool,
}

/// What to do with a request.
#[derive(Debug, PartialEq)]
pub enum Step {
    /// Answer at once.
    Answer(serde_json::Value),
    /// Record this, then answer "recorded" (and call [`Room::recorded`]).
    /// `first`: this person's first ballot in this anonymous round, which
    /// the host notes (who has voted, never how) before recording it, so
    /// that after a restart they cannot vote a second time.
    Record {
        event: Event,
        actor: String,
        first: Option<(RoundId, ParticipantId)>,
    },
    /// Wait until the journal is past `since` (or a while), then answer
    /// with the room as it is.
    Watch { since: u64 },
    /// Refuse, saying why.
    No(String),
}

impl Room {
    /// Phones joined now.
    pub fn phones(&self) -> usize {
        self.phones.len()
    }

    /// Who has a phone joined, for the projector's list: pseudonyms (only
    /// of those who consented to be shown), then phones joined without a
    /// name; and how many more are not named. Phones still asking to join
    /// are not in it.
    pub fn who(&self, session: &Session) -> (Vec<String>, usize) {
        let mut who: Vec<(bool, String)> = Vec::new();
        let mut unnamed = 0;
        for p in self.phones.values().filter(|p| p.asking.is_none()) {
            match &p.participant {
                Some(id) if !session.consents(&crate::domain::Speaker::Participant(id.clone())) => {
                    unnamed += 1;
                }
                _ => who.push((p.participant.is_none(), p.label.clone())),
            }
        }
        who.sort();
        (who.into_iter().map(|(_, l)| l).collect(), unnamed)
    }

    pub fn said(&self) -> &[Said] {
        &self.said
    }

    /// The facilitator takes statement `id` into the record (the event to
    /// record is theirs to make) or sets it aside.
    pub fn settle_said(&mut self, id: u64, accepted: bool) -> Option<Said> {
        let s = self.said.iter_mut().find(|s| s.id == id)?;
        if s.status != SaidStatus::Waiting {
            return None;
        }
        s.status = if accepted {
            SaidStatus::Accepted
        } else {
            SaidStatus::SetAside
        };
        Some(s.clone())
    }

    /// What to do with `env` from the session as it is; `token` is a fresh
    /// random token, used if this request joins a phone.
    pub fn handle(
        &mut self,
        session: &Session,
        env: Envelope,
        token: &str,
        now: std::time::Instant,
    ) -> Step {
        self.expire(now);
        let (who, label, asking) = match (&env.ask, &env.phone) {
            (Ask::Hello, _) => {
                return Step::Answer(hello(session, self.closed, self.nameless));
            }
            (Ask::Join { participant }, _) => {
                return self.join(session, participant.as_deref(), token, now);
            }
            (_, None) => return Step::No("join first".into()),
            (_, Some(t)) if self.refused.contains(t) => {
                return Step::No(
                    "the facilitator did not let this phone in under that name: choose your own name"
                        .into(),
                );
            }
            (_, Some(t)) => match self.phones.get_mut(t) {
                None => return Step::No("this phone is not joined; join again".into()),
                Some(p) => {
                    if !p.seen.fresh(env.n) {
                        return Step::No("this request was sent before".into());
                    }
                    p.last = now;
                    // Following the room is free; everything that records
                    // or waits for the facilitator comes at a person's pace.
                    if !matches!(env.ask, Ask::State { .. })
                        && let Err(wait) = p.budget.take(1.0, now)
                    {
                        self.flooding = Some(p.label.clone());
                        return Step::No(format!(
                            "that is a lot at once: try again in {} s",
                            wait.as_secs().max(1)
                        ));
                    }
                    (p.participant.clone(), p.label.clone(), p.asking)
                }
            },
        };
        match (env.ask, who, asking) {
            (Ask::Hello | Ask::Join { .. }, ..) => Step::No("joined already".into()),
            (Ask::State { since }, ..) => Step::Watch { since },
            // Until the facilitator lets it in, a phone follows the room
            // and does nothing in anyone's name.
            (_, _, Some((_, number))) => Step::No(format!(
                "the facilitator has not let this phone in yet: show them the number {number}"
            )),
            (Ask::Say { text }, who, _) => self.say(who, label, text),
            (_, None, _) => Step::No(
                "to vote or to queue to speak, join with your name; without one you can follow and send what you want to say".into(),
            ),
            (
                Ask::Vote {
                    round,
                    pick,
                    dots,
                    ranking,
                },
                Some(who),
                _,
            ) => self.vote(session, &who, &round, pick, dots.or(ranking)),
            // A hand already up (or down) is not recorded again.
            (Ask::Hand { up }, Some(who), _) if session.floor.hands.contains(&who) == up => {
                Step::Answer(serde_json::json!({ "unchanged": true }))
            }
            (Ask::Hand { up }, Some(who), _) => {
                let event = if up {
                    Event::HandRaised {
                        participant: who.clone(),
                        at: Timestamp::default(),
                    }
                } else {
                    Event::HandLowered {
                        participant: who.clone(),
                        at: Timestamp::default(),
                    }
                };
                Step::Record {
                    event,
                    actor: format!("phone {who}"),
                    first: None,
                }
            }
        }
    }

    fn vote(
        &mut self,
        session: &Session,
        who: &ParticipantId,
        round: &str,
        pick: Option<usize>,
        dots: Option<Vec<u8>>,
    ) -> Step {
        let Some(r) = session.rounds.get(round).filter(|r| r.is_open()) else {
            return Step::No("that vote has closed".into());
        };
        let choice = match (&r.method, pick, dots) {
            (VoteMethod::Dots { .. }, _, Some(d)) => Choice::Dots(d),
            (VoteMethod::Ranking { .. }, _, Some(order)) => Choice::Ranking(order),
            (m, Some(i), _) => match Choice::of_option(m, i) {
                Some(c) => c,
                None => return Step::No("that is not one of the choices".into()),
            },
            _ => return Step::No("choose an answer".into()),
        };
        if let Err(why) = choice.counts(&r.method) {
            return Step::No(why);
        }
        let Some(p) = session.participants.get(who) else {
            return Step::No("you are no longer on the session's list".into());
        };
        let event = match r.mode {
            BallotMode::Counted => {
                return Step::No("this vote is a show of hands: raise your hand".into());
            }
            BallotMode::PerParticipant => Event::BallotCast {
                round: r.id.clone(),
                participant: who.clone(),
                choice,
                at: Timestamp::default(),
                recorded_by: String::new(),
            },
            BallotMode::Anonymous => {
                let key = (r.id.clone(), who.clone());
                let ballot = match self.ballots.get(&key) {
                    Some(b) => b.clone(),
                    // Voted before the host restarted: which ballot was
                    // theirs was never written down, so it cannot be
                    // replaced, and a second would count twice.
                    None if self
                        .voted_before
                        .get(&r.id)
                        .is_some_and(|v| v.contains(who)) =>
                    {
                        return Step::No(
                            "you voted in this round before the host restarted: your vote stands, and cannot be changed now".into(),
                        );
                    }
                    None => match crate::net::wire::random::<8>() {
                        Ok(b) => hex::encode(b),
                        Err(_) => return Step::No("the host has no random numbers".into()),
                    },
                };
                let first = (!self.ballots.contains_key(&key)).then(|| key.clone());
                self.ballots.insert(key, ballot.clone());
                return Step::Record {
                    event: Event::AnonymousBallotCast {
                        round: r.id.clone(),
                        ballot,
                        group: p.role.group(),
                        choice,
                        at: Timestamp::default(),
                    },
                    // An anonymous ballot's record names no phone and no person.
                    actor: "phones".to_owned(),
                    first,
                };
            }
        };
        Step::Record {
            event,
            actor: format!("phone {who}"),
            first: None,
        }
    }

    fn say(&mut self, who: Option<ParticipantId>, from: String, text: String) -> Step {
        let text = text.trim().to_owned();
        if text.is_empty() {
            return Step::No("type what you want to say first".into());
        }
        if text.chars().count() > MAX_SAY || text.chars().any(|c| c.is_control() && c != '\n') {
            return Step::No(format!(
                "at most {MAX_SAY} characters, without control characters"
            ));
        }
        let waiting = self
            .said
            .iter()
            .filter(|s| s.status == SaidStatus::Waiting)
            .count();
        if waiting >= MAX_WAITING {
            return Step::No("the facilitator has a lot waiting; try again soon".into());
        }
        self.next_said += 1;
        self.said.push(Said {
            id: self.next_said,
            participant: who,
            from,
            text,
            status: SaidStatus::Waiting,
        });
        Step::Answer(serde_json::json!({ "waiting": self.next_said }))
    }

    /// Phone `token`'s event was recorded: remember what its person voted,
    /// to show them.
    pub fn recorded(&mut self, event: &Event, token: &str) {
        let (round, choice) = match event {
            Event::BallotCast { round, choice, .. }
            | Event::AnonymousBallotCast { round, choice, .. } => (round, choice),
            _ => return,
        };
        if let Some(who) = self.whose(token).cloned() {
            self.voted.insert((round.clone(), who), choice.clone());
        }
    }

    /// Whose phone `token` is (`None` for one joined without a name, or
    /// still asking to join).
    pub fn whose(&self, token: &str) -> Option<&ParticipantId> {
        self.phones
            .get(token)
            .filter(|p| p.asking.is_none())
            .and_then(|p| p.participant.as_ref())
    }

    /// The room as `token`'s phone should show it.
    /// The phones the projector lists as `label` (`P3`, `guest 2`).
    pub fn tokens_labelled(&self, label: &str) -> Vec<String> {
        self.phones
            .iter()
            .filter(|(_, p)| p.label == label)
            .map(|(t, _)| t.clone())
            .collect()
    }

    /// Phone `token` was let in after it was last told it waits: it
    /// learns so now, not when something next happens in the room.
    pub fn let_in_unheard(&self, token: &str) -> bool {
        self.phones
            .get(token)
            .is_some_and(|p| p.told_asking && p.asking.is_none())
    }

    /// Phone `token` was just told whether it waits to be let in.
    pub fn told(&mut self, token: &str) {
        if let Some(p) = self.phones.get_mut(token) {
            p.told_asking = p.asking.is_some();
        }
    }

    pub fn view(
        &self,
        session: &Session,
        token: &str,
        now: Timestamp,
        head: u64,
    ) -> serde_json::Value {
        let me = self.whose(token);
        let asking = self
            .phones
            .get(token)
            .and_then(|p| p.asking)
            .map(|(_, n)| n);
        let label = self.phones.get(token).map(|p| &p.label);
        let stage = session.current_stage().map(|s| {
            serde_json::json!({
                "title": s.title,
                "prompt": s.prompt,
                "paused": s.state() == StageState::Paused,
                "minutes_left": (s.remaining_millis(now).max(0) + 59_999) / 60_000,
            })
        });
        let round = session.round_open_now().map(|r| {
            let mine = me.and_then(|p| self.voted.get(&(r.id.clone(), p.clone())));
            let dots = match &r.method {
                VoteMethod::Dots { per_person, .. } => Some(*per_person),
                _ => None,
            };
            let ranking = matches!(r.method, VoteMethod::Ranking { .. });
            serde_json::json!({
                "id": r.id.as_str(),
                "question": r.question,
                // What it is about, whole, as the projector shows it.
                "about": crate::domain::describe::vote_about(session, &r.target),
                "labels": r.method.labels(),
                "dots": dots,
                "ranking": ranking,
                "anonymous": r.mode == BallotMode::Anonymous,
                "counted": r.mode == BallotMode::Counted,
                // Always the same width, voted or not, whatever the vote:
                // the size of a sealed answer tells a listener nothing.
                "mine": format!(
                    "{:<w$}",
                    mine.map(|c| describe_choice(&r.method, c)).unwrap_or_default(),
                    w = MINE_WIDTH
                ),
            })
        });
        let hand = me.is_some_and(|p| session.floor.hands.contains(p));
        let said: Vec<serde_json::Value> = self
            .said
            .iter()
            .filter(|s| label == Some(&s.from))
            .map(|s| serde_json::json!({ "text": s.text, "status": s.status }))
            .collect();
        serde_json::json!({
            "head": head,
            "title": session.title(),
            "stage": stage,
            "round": round,
            "hand": hand,
            "said": said,
            "me": label,
            "named": me.is_some(),
            "asking": asking,
        })
    }
}

/// A choice in the words the phone showed.
fn describe_choice(method: &VoteMethod, c: &Choice) -> String {
    match c {
        Choice::Dots(d) => Choice::dots_words(d),
        Choice::Ranking(order) => Choice::ranking_words(order, &method.options()),
        _ => c
            .counts(method)
            .ok()
            .and_then(|counts| counts.iter().position(|n| *n > 0))
            .and_then(|i| method.labels().get(i).cloned())
            .unwrap_or_default(),
    }
}

fn hello(session: &Session, closed: bool, nameless: bool) -> serde_json::Value {
    // Pseudonyms and roles only: what the projector already shows the room.
    let people: Vec<serde_json::Value> = session
        .participants
        .values()
        .map(|p| serde_json::json!({ "id": p.id.as_str(), "role": p.role.label() }))
        .collect();
    serde_json::json!({
        "title": session.title(),
        "people": people,
        "closed": closed,
        "nameless": nameless,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Participant, Role, VoteTarget};

    fn session(method: VoteMethod, mode: BallotMode) -> Session {
        let mut s = Session::default();
        let at = Timestamp::from_unix_millis(0);
        let events = [
            Event::SessionCreated {
                title: "t".into(),
                focus: "f".into(),
                facilitator: "Sam".into(),
                created: at,
                template: None,
            },
            Event::ParticipantAdded {
                participant: Participant::consenting("P1", Role::UnpaidCarer),
            },
            Event::VoteOpened {
                id: "v1".into(),
                target: VoteTarget::Question,
                question: "q".into(),
                method,
                mode,
                hidden: false,
                named: false,
                stage: None,
                at,
            },
        ];
        for e in &events {
            s.apply(e).unwrap();
        }
        s
    }

    fn ask(room: &mut Room, s: &Session, n: u64, phone: Option<&str>, ask: Ask) -> Step {
        let env = Envelope {
            n,
            phone: phone.map(str::to_owned),
            ask,
        };
        room.handle(s, env, "tok", std::time::Instant::now())
    }

    /// A room where P1's phone (token `tok`) asked to join and was let in.
    fn joined(s: &Session) -> Room {
        let mut room = Room::default();
        let step = ask(
            &mut room,
            s,
            1,
            None,
            Ask::Join {
                participant: Some("P1".into()),
            },
        );
        assert!(matches!(step, Step::Answer(_)), "{step:?}");
        let asking = room.asking();
        assert_eq!(asking.len(), 1);
        assert!(room.admit(asking[0].id, true).is_some());
        room
    }

    #[test]
    fn every_method_the_domain_knows_can_be_voted_from_a_phone() {
        // The method, what the page sends (an option, or dots), the choice.
        type Case = (VoteMethod, Option<usize>, Option<Vec<u8>>, Choice);
        let cases: Vec<Case> = vec![
            (
                VoteMethod::AgreeDisagree,
                Some(1),
                None,
                Choice::Agreement(crate::domain::Agreement::Disagree),
            ),
            (VoteMethod::Resonance, Some(4), None, Choice::Resonance(5)),
            (VoteMethod::Ladder, Some(2), None, Choice::Rung(2)),
            (
                VoteMethod::SingleChoice {
                    options: vec!["a".into(), "b".into()],
                },
                Some(1),
                None,
                Choice::Single(1),
            ),
            (
                VoteMethod::Dots {
                    options: vec!["a".into(), "b".into()],
                    per_person: 3,
                },
                None,
                Some(vec![2, 1]),
                Choice::Dots(vec![2, 1]),
            ),
            (
                VoteMethod::Ranking {
                    options: vec!["a".into(), "b".into(), "c".into()],
                },
                None,
                Some(vec![2, 0, 1]),
                Choice::Ranking(vec![2, 0, 1]),
            ),
        ];
        for (method, pick, dots, expect) in cases {
            let s = session(method.clone(), BallotMode::PerParticipant);
            let mut room = joined(&s);
            let step = ask(
                &mut room,
                &s,
                2,
                Some("tok"),
                Ask::Vote {
                    round: "v1".into(),
                    pick,
                    ranking: None,
                    dots,
                },
            );
            let Step::Record {
                event:
                    Event::BallotCast {
                        choice,
                        participant,
                        ..
                    },
                actor,
                ..
            } = step
            else {
                panic!("{method:?}: {step:?}");
            };
            assert_eq!(
                (choice, participant.as_str(), actor.as_str()),
                (expect, "P1", "phone P1")
            );
        }
    }

    #[test]
    fn what_a_phone_may_not_do_is_refused_with_a_reason() {
        let s = session(VoteMethod::Resonance, BallotMode::Anonymous);
        let mut room = joined(&s);
        let mut n = 10;
        let mut no = |room: &mut Room, phone: Option<&str>, a: Ask| {
            n += 1;
            match ask(room, &s, n, phone, a) {
                Step::No(why) => why,
                other => panic!("accepted: {other:?}"),
            }
        };
        let vote = |pick| Ask::Vote {
            round: "v1".into(),
            pick: Some(pick),
            dots: None,
            ranking: None,
        };
        assert_eq!(no(&mut room, None, vote(1)), "join first");
        assert!(no(&mut room, Some("forged"), vote(1)).contains("not joined"));
        assert!(no(&mut room, Some("tok"), vote(7)).contains("not one of the choices"));
        assert!(no(&mut room, Some("tok"), Ask::Say { text: "  ".into() }).contains("type"));
        // Escape sequences and other control characters never reach the
        // facilitator's terminal from a phone.
        let hostile = Ask::Say {
            text: "\u{1b}[2Jgone".into(),
        };
        assert!(no(&mut room, Some("tok"), hostile).contains("control characters"));
        let long = Ask::Say {
            text: "x".repeat(MAX_SAY + 1),
        };
        assert!(no(&mut room, Some("tok"), long).contains("at most"));
        assert!(
            no(
                &mut room,
                Some("tok"),
                Ask::Join {
                    participant: Some("P9".into())
                }
            )
            .contains("choose your name")
        );
        room.closed = true;
        assert!(
            no(
                &mut room,
                None,
                Ask::Join {
                    participant: Some("P1".into())
                }
            )
            .contains("closed")
        );
    }

    #[test]
    fn an_anonymous_ballot_keeps_one_random_id_per_person_and_names_nobody() {
        let s = session(VoteMethod::Resonance, BallotMode::Anonymous);
        let mut room = joined(&s);
        let vote = |pick| Ask::Vote {
            round: "v1".into(),
            pick: Some(pick),
            dots: None,
            ranking: None,
        };
        let ids: Vec<String> = (0..2)
            .map(
                |i| match ask(&mut room, &s, 5 + i, Some("tok"), vote(i as usize)) {
                    Step::Record {
                        event: Event::AnonymousBallotCast { ballot, group, .. },
                        actor,
                        ..
                    } => {
                        assert_eq!(
                            (group, actor.as_str()),
                            (crate::domain::RoleGroup::Carers, "phones")
                        );
                        ballot
                    }
                    other => panic!("{other:?}"),
                },
            )
            .collect();
        assert_eq!(ids[0], ids[1], "a changed mind keeps the ballot id");
        assert_eq!(ids[0].len(), 16);
        assert!(!ids[0].contains("P1"));
    }

    #[test]
    fn request_numbers_may_arrive_out_of_order_but_never_twice_or_long_after() {
        let mut seen = Seen::default();
        assert!(seen.fresh(100 + WINDOW));
        assert!(seen.fresh(99 + WINDOW), "a little out of order");
        assert!(!seen.fresh(99 + WINDOW), "the same again");
        assert!(!seen.fresh(10), "older than the window");
    }

    #[test]
    fn without_a_name_a_phone_follows_and_speaks_up_but_does_not_vote() {
        let s = session(VoteMethod::Resonance, BallotMode::Anonymous);
        let mut room = Room::default();
        let guest = |room: &mut Room, n| ask(room, &s, n, None, Ask::Join { participant: None });
        assert!(
            matches!(guest(&mut room, 1), Step::No(why) if why.contains("choose your name")),
            "only where the facilitator allows it"
        );
        room.nameless = true;
        let Step::Answer(a) = guest(&mut room, 2) else {
            panic!()
        };
        assert_eq!(a["me"], "guest 1");
        assert_eq!(room.who(&s), (vec!["guest 1".to_owned()], 0));
        let vote = Ask::Vote {
            round: "v1".into(),
            pick: Some(2),
            dots: None,
            ranking: None,
        };
        assert!(
            matches!(ask(&mut room, &s, 3, Some("tok"), vote), Step::No(why) if why.contains("join with your name"))
        );
        assert!(matches!(
            ask(&mut room, &s, 4, Some("tok"), Ask::Hand { up: true }),
            Step::No(_)
        ));
        let said = ask(
            &mut room,
            &s,
            5,
            Some("tok"),
            Ask::Say {
                text: "Can we have a break?".into(),
            },
        );
        assert!(matches!(said, Step::Answer(_)), "{said:?}");
        assert_eq!(
            (
                room.said()[0].participant.clone(),
                room.said()[0].from.as_str()
            ),
            (None, "guest 1")
        );
        let Step::Watch { .. } = ask(&mut room, &s, 6, Some("tok"), Ask::State { since: 0 }) else {
            panic!()
        };
        let view = room.view(&s, "tok", Timestamp::from_unix_millis(0), 3);
        assert_eq!(
            (view["me"].as_str(), view["named"].as_bool()),
            (Some("guest 1"), Some(false))
        );
        assert_eq!(view["said"][0]["text"], "Can we have a break?");
    }

    #[test]
    fn the_projectors_list_names_only_those_who_consented_to_be_shown() {
        let mut s = session(VoteMethod::Resonance, BallotMode::Anonymous);
        s.apply(&Event::ParticipantAdded {
            participant: Participant {
                id: "P2".into(),
                role: Role::Staff,
                sector: None,
                level: None,
                real_name: None,
                consent: false,
                person: None,
                attributes: Default::default(),
            },
        })
        .unwrap();
        let mut room = joined(&s);
        let env = Envelope {
            n: 1,
            phone: None,
            ask: Ask::Join {
                participant: Some("P2".into()),
            },
        };
        assert!(matches!(
            room.handle(&s, env, "tok2", std::time::Instant::now()),
            Step::Answer(_)
        ));
        let id = room.asking()[0].id;
        room.admit(id, true);
        assert_eq!(room.who(&s), (vec!["P1".to_owned()], 1));
    }

    /// Everyone in the room holds the room key: a second phone cannot take
    /// P1's place or read P1's vote, nor can one person vote as five
    /// others, without the facilitator letting each phone in; the genuine
    /// P1 votes on.
    #[test]
    fn a_room_key_holder_cannot_become_someone_else() {
        let mut s = session(VoteMethod::AgreeDisagree, BallotMode::Anonymous);
        for n in 2..=6 {
            s.apply(&Event::ParticipantAdded {
                participant: Participant::consenting(format!("P{n}").as_str(), Role::ServiceUser),
            })
            .unwrap();
        }
        let now = std::time::Instant::now();
        let mut room = joined(&s);
        let at = Timestamp::from_unix_millis(0);
        let vote = |room: &mut Room, token: &str, n: u64, pick: usize| {
            let env = Envelope {
                n,
                phone: Some(token.into()),
                ask: Ask::Vote {
                    round: "v1".into(),
                    pick: Some(pick),
                    dots: None,
                    ranking: None,
                },
            };
            room.handle(&s, env, token, now)
        };
        // P1 votes; the host records it and shows P1 their vote.
        let Step::Record { event, .. } = vote(&mut room, "tok", 2, 0) else {
            panic!()
        };
        room.recorded(&event, "tok");
        assert_eq!(
            room.view(&s, "tok", at, 9)["round"]["mine"]
                .as_str()
                .unwrap()
                .trim(),
            "agree"
        );
        // A second phone asks to be P1: it waits, sees nothing of P1's and
        // cannot vote as P1.
        let join = |room: &mut Room, token: &str, who: &str| {
            let env = Envelope {
                n: 1,
                phone: None,
                ask: Ask::Join {
                    participant: Some(who.into()),
                },
            };
            room.handle(&s, env, token, now)
        };
        let Step::Answer(a) = join(&mut room, "mallory", "P1") else {
            panic!()
        };
        let number = a["asking"].as_u64().unwrap();
        let view = room.view(&s, "mallory", at, 9);
        assert_eq!(view["round"]["mine"].as_str().unwrap().trim(), "", "{view}");
        assert_eq!(view["asking"], number);
        assert!(
            matches!(vote(&mut room, "mallory", 2, 1), Step::No(why) if why.contains(&number.to_string()))
        );
        // The facilitator sees two phones for P1 and refuses the second.
        let asking = room.asking();
        assert_eq!(asking.len(), 1);
        assert!(
            asking[0].replaces,
            "the facilitator is told P1 has a phone in"
        );
        room.admit(asking[0].id, false);
        assert!(
            matches!(vote(&mut room, "mallory", 3, 1), Step::No(why) if why.contains("did not let this phone in"))
        );
        // One person asks to be P2…P6: none may vote until let in.
        for n in 2..=6 {
            let token = format!("m{n}");
            assert!(matches!(
                join(&mut room, &token, &format!("P{n}")),
                Step::Answer(_)
            ));
            assert!(matches!(vote(&mut room, &token, 2, 1), Step::No(_)));
        }
        assert_eq!(room.asking().len(), 5);
        // The genuine P1 carries on: a changed mind replaces P1's ballot.
        let Step::Record { event, .. } = vote(&mut room, "tok", 3, 1) else {
            panic!()
        };
        room.recorded(&event, "tok");
        assert_eq!(
            room.view(&s, "tok", at, 9)["round"]["mine"]
                .as_str()
                .unwrap()
                .trim(),
            "disagree"
        );
        // P1's new phone, let in by the facilitator, takes P1's place.
        let Step::Answer(_) = join(&mut room, "new", "P1") else {
            panic!()
        };
        let id = room
            .asking()
            .iter()
            .find(|a| a.participant.as_str() == "P1")
            .unwrap()
            .id;
        room.admit(id, true);
        assert!(
            matches!(vote(&mut room, "tok", 4, 0), Step::No(why) if why.contains("not joined"))
        );
        assert!(matches!(vote(&mut room, "new", 2, 0), Step::Record { .. }));
    }

    /// One key-holder joining guest after guest fills no more than the
    /// guests' places: named people still join; guests quiet for ten
    /// minutes are let go, and all go when the facilitator turns them off.
    #[test]
    fn guests_cannot_fill_the_room() {
        let s = session(VoteMethod::Resonance, BallotMode::Anonymous);
        let mut room = Room {
            nameless: true,
            ..Room::default()
        };
        let now = std::time::Instant::now();
        let mut joined = 0;
        for n in 0..1000 {
            let env = Envelope {
                n,
                phone: None,
                ask: Ask::Join { participant: None },
            };
            if let Step::Answer(_) = room.handle(&s, env, &format!("g{n}"), now) {
                joined += 1;
            }
        }
        assert_eq!(joined, MAX_GUESTS);
        let env = Envelope {
            n: 1,
            phone: None,
            ask: Ask::Join {
                participant: Some("P1".into()),
            },
        };
        assert!(matches!(room.handle(&s, env, "p1", now), Step::Answer(_)));
        // Ten minutes on, the quiet guests are let go (a phone in the room
        // asks every few seconds).
        let later = now + IDLE;
        let env = Envelope {
            n: 2,
            phone: Some("g0".into()),
            ask: Ask::State { since: 0 },
        };
        assert!(matches!(room.handle(&s, env, "x", later), Step::No(_)));
        assert_eq!(room.who(&s).0.len(), 0);
        // Turned off, every guest goes at once.
        let mut room2 = Room {
            nameless: true,
            ..Room::default()
        };
        for n in 0..5 {
            let env = Envelope {
                n,
                phone: None,
                ask: Ask::Join { participant: None },
            };
            room2.handle(&s, env, &format!("g{n}"), now);
        }
        assert_eq!(room2.who(&s).0.len(), 5);
        room2.clear_guests();
        assert_eq!(room2.who(&s).0.len(), 0);
    }
}
