//! What was said: statements added, amended, re-coded and retracted.

use super::*;

impl Session {
    pub(super) fn check_statements(&self, event: &Event) -> Result<(), DomainError> {
        match event {
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
            Event::StatementRecoded {
                statement,
                tags: tg,
                by,
                ..
            } => {
                self.live_statement(statement)?;
                tags(tg)?;
                text("who re-coded it", by, MAX_SHORT)
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
            _ => Ok(()),
        }
    }

    pub(super) fn mutate_statements(&mut self, event: Event) {
        match event {
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
                self.hear(stage.as_ref(), &speaker, true);
                // Speaking takes a hand out of the queue.
                if let Speaker::Participant(p) = &speaker
                    && self.floor.hands.contains(p)
                {
                    self.floor.hands.retain(|h| h != p);
                    if let Some(i) = self.voice_slot(&speaker) {
                        self.floor.queue.reached[i] += 1;
                    }
                }
                self.statements.insert(
                    id.clone(),
                    Box::new(Statement {
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
                            recoded: false,
                        },
                        amendments: Vec::new(),
                        retracted: None,
                    }),
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
                if let Some((stage, before)) = self
                    .statements
                    .get(&statement)
                    .map(|s| (s.stage.clone(), s.current().speaker.clone()))
                {
                    self.hear(stage.as_ref(), &before, false);
                    self.hear(stage.as_ref(), &speaker, true);
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
                        recoded: false,
                    });
                }
            }
            Event::StatementRecoded {
                statement,
                kind,
                tags,
                by,
                at,
            } => {
                if let Some(s) = self.statements.get_mut(&statement) {
                    let now = s.current();
                    let version = StatementVersion {
                        text: now.text.clone(),
                        kind,
                        speaker: now.speaker.clone(),
                        tags,
                        at,
                        by,
                        reason: None,
                        recoded: true,
                    };
                    s.amendments.push(version);
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
                if let Some((stage, before)) = self
                    .statements
                    .get(&statement)
                    .map(|s| (s.stage.clone(), s.current().speaker.clone()))
                {
                    self.hear(stage.as_ref(), &before, false);
                }
                if let Some(s) = self.statements.get_mut(&statement) {
                    s.retracted = Some(Retraction { at, by, reason });
                }
            }
            _ => {}
        }
    }

    /// One more (or one fewer) statement by `speaker` in `stage`, in the
    /// index behind [`Session::not_yet_heard`]; a count of none is removed.
    fn hear(&mut self, stage: Option<&StageId>, speaker: &Speaker, more: bool) {
        let (Some(stage), Speaker::Participant(p)) = (stage, speaker) else {
            return;
        };
        if more {
            *self
                .heard
                .entry(stage.clone())
                .or_default()
                .entry(p.clone())
                .or_default() += 1;
            return;
        }
        let Some(speakers) = self.heard.get_mut(stage) else {
            return;
        };
        if let Some(n) = speakers.get_mut(p) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                speakers.shift_remove(p);
            }
        }
        if speakers.is_empty() {
            self.heard.shift_remove(stage);
        }
    }
}
