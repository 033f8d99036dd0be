//! The room as it runs: arrivals and departures, hands up, parked items and
//! actions.

use super::*;
use crate::domain::room::FollowUp;

impl Session {
    fn listed(&self, p: &ParticipantId) -> Result<(), DomainError> {
        match self.participants.contains_key(p) {
            true => Ok(()),
            false => Err(unknown(ParticipantId::WHAT, p)),
        }
    }

    pub(super) fn check_floor(&self, event: &Event) -> Result<(), DomainError> {
        let here = |p: &ParticipantId| self.floor.attendance.get(p).is_none_or(|a| a.present());
        match event {
            Event::ParticipantArrived { participant, .. } => {
                self.listed(participant)?;
                let arrived_before = self
                    .floor
                    .attendance
                    .get(participant)
                    .is_some_and(|a| !a.arrived.is_empty());
                if here(participant) && arrived_before {
                    return Err(DomainError::Rule(format!("{participant} is already here")));
                }
                Ok(())
            }
            Event::ParticipantLeft { participant, .. } => {
                self.listed(participant)?;
                if !here(participant) {
                    return Err(DomainError::Rule(format!("{participant} has already left")));
                }
                Ok(())
            }
            Event::HandRaised { participant, .. } => {
                self.listed(participant)?;
                if self.floor.hands.contains(participant) {
                    return Err(DomainError::Rule(format!(
                        "{participant} is already in the queue to speak"
                    )));
                }
                Ok(())
            }
            Event::HandLowered { participant, .. } => {
                if !self.floor.hands.contains(participant) {
                    return Err(DomainError::Rule(format!(
                        "{participant} is not in the queue to speak"
                    )));
                }
                Ok(())
            }
            Event::StatementParked {
                statement, parked, ..
            } => {
                if !self.statements.contains_key(statement) {
                    return Err(unknown(StatementId::WHAT, statement));
                }
                match (self.floor.parked.contains(statement), parked) {
                    (true, true) => {
                        Err(DomainError::Rule(format!("{statement} is already parked")))
                    }
                    (false, false) => Err(DomainError::Rule(format!("{statement} is not parked"))),
                    _ => Ok(()),
                }
            }
            Event::ActionAdded {
                id,
                what,
                who,
                by_when,
                from,
                ..
            } => {
                new_id(ActionId::WHAT, id.as_str(), self.actions.contains_key(id))?;
                text("what is to be done", what, MAX_TEXT)?;
                limit("who will do it", who, MAX_SHORT)?;
                limit("by when", by_when, MAX_SHORT)?;
                match from {
                    Some(s) if !self.statements.contains_key(s) => {
                        Err(unknown(StatementId::WHAT, s))
                    }
                    _ => Ok(()),
                }
            }
            Event::ActionStatusChanged { action, note, .. } => {
                if !self.actions.contains_key(action) {
                    return Err(unknown(ActionId::WHAT, action));
                }
                limit("the note", note, MAX_TEXT)
            }
            Event::ActionCorrected {
                action,
                what,
                who,
                by_when,
                ..
            } => {
                if !self.actions.contains_key(action) {
                    return Err(unknown(ActionId::WHAT, action));
                }
                text("what is to be done", what, MAX_TEXT)?;
                limit("who will do it", who, MAX_SHORT)?;
                limit("by when", by_when, MAX_SHORT)
            }
            _ => Ok(()),
        }
    }

    pub(super) fn mutate_floor(&mut self, event: Event) {
        match event {
            Event::ParticipantArrived { participant, at } => {
                self.floor
                    .attendance
                    .entry(participant)
                    .or_default()
                    .arrived
                    .push(at);
            }
            Event::ParticipantLeft { participant, at } => {
                self.floor.hands.retain(|h| *h != participant);
                self.floor
                    .attendance
                    .entry(participant)
                    .or_default()
                    .left
                    .push(at);
            }
            Event::HandRaised { participant, .. } => {
                if let Some(i) = self.voice_slot(&Speaker::Participant(participant.clone())) {
                    self.floor.queue.raised[i] += 1;
                }
                self.floor.hands.push(participant)
            }
            Event::HandLowered { participant, .. } => {
                self.floor.hands.retain(|h| *h != participant)
            }
            Event::StatementParked {
                statement, parked, ..
            } => {
                if parked {
                    self.floor.parked.push(statement);
                } else {
                    self.floor.parked.retain(|s| *s != statement);
                }
            }
            Event::ActionAdded {
                id,
                what,
                who,
                by_when,
                from,
                at,
            } => {
                self.actions.insert(
                    id.clone(),
                    FollowUp {
                        id,
                        what,
                        who,
                        by_when,
                        from,
                        at,
                        status: Default::default(),
                        note: String::new(),
                    },
                );
            }
            Event::ActionStatusChanged {
                action,
                status,
                note,
                ..
            } => {
                if let Some(a) = self.actions.get_mut(&action) {
                    a.status = status;
                    a.note = note;
                }
            }
            Event::ActionCorrected {
                action,
                what,
                who,
                by_when,
                ..
            } => {
                if let Some(a) = self.actions.get_mut(&action) {
                    a.what = what;
                    a.who = who;
                    a.by_when = by_when;
                }
            }
            _ => {}
        }
    }

    /// Present participants (those who have not left) who have said nothing
    /// in `stage`, in the order listed.
    pub fn not_yet_heard(&self, stage: &StageId) -> Vec<&ParticipantId> {
        self.participants
            .keys()
            .filter(|p| self.floor.attendance.get(*p).is_none_or(|a| a.present()))
            .filter(|p| !self.heard.get(stage).is_some_and(|h| h.contains_key(*p)))
            .collect()
    }
}
