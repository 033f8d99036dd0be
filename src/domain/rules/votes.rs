//! Votes: rounds opened and closed, ballots and counted tallies.

use super::*;

impl Session {
    /// How many people a tally may count: those with `role`, or everyone.
    pub fn roster(&self, role: Option<crate::domain::Role>) -> u64 {
        self.participants
            .values()
            .filter(|p| role.is_none_or(|r| p.role == r))
            .count() as u64
    }

    pub(super) fn check_votes(&self, event: &Event) -> Result<(), DomainError> {
        match event {
            Event::VoteOpened {
                id,
                target,
                question,
                method,
                mode,
                stage,
                ..
            } => {
                new_id(RoundId::WHAT, id.as_str(), self.rounds.contains_key(id))?;
                match target {
                    VoteTarget::Statement(s) => {
                        let st = self.live_statement(s)?;
                        // A vote puts the words to the room.
                        if !self.consents(&st.current().speaker) {
                            return Err(vote_problem(
                                id,
                                format!(
                                    "cannot be about {s}: its speaker has not consented to their words being shown"
                                ),
                            ));
                        }
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
                check_method(id, method, *mode)
            }
            Event::BallotCast {
                round,
                participant,
                choice,
                recorded_by,
                ..
            } => {
                limit("who recorded the ballot", recorded_by, MAX_SHORT)?;
                let r = self.open_round(round)?;
                match r.mode {
                    BallotMode::Counted => {
                        return Err(vote_problem(
                            round,
                            "counts a show of hands; record a tally instead of ballots",
                        ));
                    }
                    BallotMode::Anonymous => {
                        return Err(vote_problem(
                            round,
                            "is anonymous: its ballots come from phones and are recorded without names",
                        ));
                    }
                    BallotMode::PerParticipant => {}
                }
                if !self.participants.contains_key(participant) {
                    return Err(unknown(ParticipantId::WHAT, participant));
                }
                choice
                    .counts(&r.method)
                    .map(|_| ())
                    .map_err(|p| vote_problem(round, p))
            }
            Event::AnonymousBallotCast {
                round,
                ballot,
                group,
                choice,
                ..
            } => self.check_anonymous_ballot(round, ballot, *group, choice),
            Event::TallyRecorded {
                round,
                role,
                counts,
                beyond_roster,
                ..
            } => {
                let r = self.open_round(round)?;
                if r.mode != BallotMode::Counted {
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
                if *beyond_roster {
                    return Ok(());
                }
                // No more hands than there are people in the group (dots:
                // no more than they have between them).
                let people = self.roster(*role);
                let each = match &r.method {
                    VoteMethod::Dots { per_person, .. } => u64::from(*per_person),
                    _ => 1,
                };
                let given: u64 = counts.iter().map(|c| u64::from(*c)).sum();
                if given > people * each {
                    let who = role.map_or("the session".to_owned(), |r| format!("the {r} group"));
                    let what = if each == 1 { "hands" } else { "dots" };
                    return Err(DomainError::Rule(format!(
                        "{given} {what} counted, but {who} lists {people} {}; add who arrived late, or say the count is right",
                        if people == 1 { "person" } else { "people" }
                    )));
                }
                Ok(())
            }
            Event::VoteClosed { round, .. } => self.open_round(round).map(|_| ()),
            _ => Ok(()),
        }
    }

    /// Checks a run of ballots as though each were applied before the next
    /// is checked, without changing this session: the store writes and
    /// syncs a room's ballots together, and applies them only once they
    /// are saved. Whether a ballot can be cast reads only the session's
    /// creation, its participants and its rounds, so a copy of those (and
    /// of only the rounds named) stands in for the whole session. Anything
    /// but a ballot is refused here.
    pub fn check_ballots(&self, events: &[&Event]) -> Vec<Result<(), DomainError>> {
        let mut scratch = Session {
            info: self.info.clone(),
            participants: self.participants.clone(),
            ..Session::default()
        };
        for event in events {
            if let Event::BallotCast { round, .. } | Event::AnonymousBallotCast { round, .. } =
                event
                && let Some(r) = self.rounds.get(round)
                && !scratch.rounds.contains_key(round)
            {
                scratch.rounds.insert(round.clone(), r.clone());
            }
        }
        events
            .iter()
            .map(|event| match event {
                Event::BallotCast { .. } | Event::AnonymousBallotCast { .. } => {
                    scratch.apply(event)
                }
                _ => Err(DomainError::Rule(
                    "only ballots are checked together".into(),
                )),
            })
            .collect()
    }

    /// An anonymous ballot: only in an anonymous round, a ballot id that is
    /// a short word, a choice that fits, and no more ids from a role group
    /// than it has people.
    fn check_anonymous_ballot(
        &self,
        round: &RoundId,
        ballot: &str,
        group: crate::domain::RoleGroup,
        choice: &crate::domain::Choice,
    ) -> Result<(), DomainError> {
        let r = self.open_round(round)?;
        if r.mode != BallotMode::Anonymous {
            return Err(vote_problem(
                round,
                "is not anonymous: its ballots are recorded with each participant's name",
            ));
        }
        if !is_valid_id(ballot) {
            return Err(vote_problem(round, "a ballot id is a short word"));
        }
        choice
            .counts(&r.method)
            .map_err(|p| vote_problem(round, p))?;
        // No more ballots from a group than it has people.
        let new = !r.anonymous.iter().any(|b| b.ballot == ballot);
        if new {
            let people = self
                .participants
                .values()
                .filter(|p| p.role.group() == group)
                .count();
            // Counted without sorting: a town hall's two thousand ballots
            // are each checked against all those before them.
            let ids: std::collections::HashSet<&str> = r
                .anonymous
                .iter()
                .filter(|b| b.group == group)
                .map(|b| b.ballot.as_str())
                .collect();
            if ids.len() >= people {
                return Err(vote_problem(
                    round,
                    format!(
                        "has a ballot from each of the {people} {} already",
                        group.label()
                    ),
                ));
            }
        }
        Ok(())
    }

    pub(super) fn mutate_votes(&mut self, event: Event) {
        match event {
            Event::VoteOpened {
                id,
                target,
                question,
                method,
                mode,
                hidden,
                named,
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
                        named: named && mode == BallotMode::PerParticipant,
                        stage,
                        opened: at,
                        closed: None,
                        ballots: Vec::new(),
                        tallies: Vec::new(),
                        anonymous: Vec::new(),
                    },
                );
            }
            Event::BallotCast {
                round,
                participant,
                choice,
                at,
                recorded_by,
            } => {
                if let Some(r) = self.rounds.get_mut(&round) {
                    r.ballots.push(Ballot {
                        participant,
                        choice,
                        at,
                        recorded_by,
                    });
                }
            }
            Event::AnonymousBallotCast {
                round,
                ballot,
                group,
                choice,
                at,
            } => {
                if let Some(r) = self.rounds.get_mut(&round) {
                    r.anonymous.push(AnonymousBallot {
                        ballot,
                        group,
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
                ..
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
            _ => {}
        }
    }
}

/// What a method needs: two to twenty options; one to ten dots each; a
/// ranking taken from each person, never counted from hands.
fn check_method(id: &RoundId, method: &VoteMethod, mode: BallotMode) -> Result<(), DomainError> {
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
        VoteMethod::Ranking { options } => {
            if mode == BallotMode::Counted {
                return Err(vote_problem(
                    id,
                    "a show of hands cannot rank: take ballots per person, or anonymous ones from phones",
                ));
            }
            check_options(id, options)
        }
        _ => Ok(()),
    }
}
