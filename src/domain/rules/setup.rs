//! The session itself: its creation, sources, participants, consent, clock notes and memos.

use super::*;
use crate::domain::event::RoomView;

impl Session {
    pub(super) fn check_setup(&self, event: &Event) -> Result<(), DomainError> {
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
                if p.attributes.len() > crate::domain::participant::MAX_ATTRIBUTES {
                    return Err(DomainError::Rule(format!(
                        "{} attributes given; at most {}",
                        p.attributes.len(),
                        crate::domain::participant::MAX_ATTRIBUTES
                    )));
                }
                for (name, value) in &p.attributes {
                    text("an attribute's name", name, 40)?;
                    limit("an attribute's value", value, MAX_SHORT)?;
                }
                if let Some(person) = &p.person {
                    if !super::super::ids::is_valid_id(person) {
                        return Err(DomainError::Rule(format!(
                            "`{person}` is not a register id: 1 to 40 letters, digits, `-`, `_` or `.`"
                        )));
                    }
                    if let Some(other) = self
                        .participants
                        .values()
                        .find(|x| x.person.as_deref() == Some(person.as_str()))
                    {
                        return Err(DomainError::Rule(format!(
                            "{person} in the register is already {} in this session",
                            other.id
                        )));
                    }
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
            Event::RoomShows { view, at } => self.check_room(view, *at),
            _ => Ok(()),
        }
    }

    pub(super) fn mutate_setup(&mut self, event: Event) {
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
            Event::MemoAdded {
                id,
                kind,
                text,
                stage,
                by,
                at,
            } => {
                self.memos.insert(
                    id,
                    Box::new(Memo {
                        kind,
                        text,
                        stage,
                        by,
                        at,
                    }),
                );
            }
            Event::RoomShows { view, at } => {
                self.room_log.push((at, view.clone()));
                self.room = view;
            }
            _ => {}
        }
    }
}

impl Session {
    /// Whether the room may be shown `view`: what it names exists, and
    /// nobody's words reach the wall without their consent.
    fn check_room(&self, view: &RoomView, at: Timestamp) -> Result<(), DomainError> {
        match view {
            RoomView::Latest | RoomView::Blank | RoomView::Summary | RoomView::Frozen(None) => {
                Ok(())
            }
            RoomView::Grid(crate::domain::analysis::Accounts::Sessions)
                if self.sources.is_empty() =>
            {
                Err(DomainError::Rule(
                    "a grid by session needs a workspace over source sessions".into(),
                ))
            }
            RoomView::Grid(_) => Ok(()),
            RoomView::Interpretation(i) => match self.interpretations.contains_key(i) {
                true => Ok(()),
                false => Err(unknown("interpretation", i)),
            },
            RoomView::Results(r) => match self.rounds.get(r) {
                None => Err(unknown("vote round", r)),
                Some(round) if !round.results_visible() => Err(DomainError::Rule(format!(
                    "round {r}'s results are hidden until it closes"
                ))),
                Some(_) => Ok(()),
            },
            RoomView::Frozen(Some(s)) => match self.statements.contains_key(s) {
                true => Ok(()),
                false => Err(unknown("statement", s)),
            },
            RoomView::Statement(s) => {
                let Some(st) = self.statements.get(s) else {
                    return Err(unknown("statement", s));
                };
                if st.is_retracted() {
                    return Err(DomainError::Rule(format!(
                        "statement {s} was retracted; it is not shown to the room"
                    )));
                }
                if !self.consents(&st.current().speaker) {
                    return Err(DomainError::Rule(format!(
                        "{} has not consented: their words are never shown to the room",
                        self.speaker_label(&st.current().speaker)
                    )));
                }
                Ok(())
            }
            RoomView::Break(until) => {
                let secs = until.millis_since(at) / 1000;
                if secs <= 0 || secs > MAX_STAGE_SECS {
                    return Err(DomainError::Rule(
                        "a break must end after it starts, and within 8 hours".into(),
                    ));
                }
                Ok(())
            }
        }
    }
}
