//! Translations between concepts, and the interpretations built from them.

use super::*;

impl Session {
    pub(super) fn check_interpretations(&self, event: &Event) -> Result<(), DomainError> {
        match event {
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
                    TranslationKind::LineOfArgument { argument, stages } => {
                        text("the line of argument", argument, MAX_TEXT)?;
                        Self::check_stages(stages, concepts)
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
                self.grounds_exist(concepts, translations, statements)?;
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
            Event::InterpretationGrounded {
                interpretation,
                concepts,
                translations,
                statements,
                ..
            } => self.check_grounds(interpretation, concepts, translations, statements),
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
            Event::InterpretationTakenUp { .. } | Event::VerdictRecorded { .. } => {
                self.check_cross_case(event)
            }
            _ => Ok(()),
        }
    }

    /// A line of argument's stages: at most so many, each titled, holding
    /// concepts the line goes through, none twice.
    fn check_stages(
        stages: &[crate::domain::synthesis::ArgumentStage],
        concepts: &[ConceptId],
    ) -> Result<(), DomainError> {
        if stages.len() > crate::domain::synthesis::MAX_ARGUMENT_STAGES {
            return Err(DomainError::Rule(format!(
                "a line of argument holds at most {} stages",
                crate::domain::synthesis::MAX_ARGUMENT_STAGES
            )));
        }
        for st in stages {
            text("a stage's title", &st.title, MAX_SHORT)?;
            if st.concepts.is_empty() {
                return Err(DomainError::Rule(format!(
                    "the stage “{}” holds no concept",
                    st.title
                )));
            }
            Self::no_repeats("concept", &st.concepts)?;
            if let Some(c) = st.concepts.iter().find(|c| !concepts.contains(c)) {
                return Err(DomainError::Rule(format!(
                    "the stage “{}” holds {c}, which the line of argument does not go through",
                    st.title
                )));
            }
        }
        Ok(())
    }

    /// An interpretation a workshop takes up from a workspace, and the
    /// verdict a workspace records from a workshop.
    fn check_cross_case(&self, event: &Event) -> Result<(), DomainError> {
        match event {
            Event::InterpretationTakenUp {
                id,
                text: t,
                workspace,
                from,
                head,
                grounds,
                ..
            } => {
                new_id(
                    InterpretationId::WHAT,
                    id.as_str(),
                    self.interpretations.contains_key(id),
                )?;
                text("the interpretation", t, MAX_TEXT)?;
                text("the workspace", workspace, MAX_SHORT)?;
                text("the workspace's interpretation", from.as_str(), MAX_SHORT)?;
                limit("the workspace's head", head, MAX_SHORT)?;
                if grounds.len() > 26 {
                    return Err(DomainError::Rule(
                        "an interpretation rests on at most 26 cases".into(),
                    ));
                }
                for g in grounds {
                    limit("what it rests on", g, MAX_SHORT)?;
                }
                Ok(())
            }
            Event::VerdictRecorded {
                interpretation,
                status,
                workshop,
                round,
                head,
                reason,
                ..
            } => {
                if self.sources.is_empty() {
                    return Err(DomainError::Rule(
                        "only a cross-case workspace records a workshop's verdict".into(),
                    ));
                }
                if !self.interpretations.contains_key(interpretation) {
                    return Err(unknown(InterpretationId::WHAT, interpretation));
                }
                if !matches!(
                    status,
                    InterpretationStatus::Agreed | InterpretationStatus::SetAside
                ) {
                    return Err(DomainError::Rule(
                        "a workshop's verdict agrees an interpretation or sets it aside".into(),
                    ));
                }
                text("the workshop", workshop, MAX_SHORT)?;
                text("the workshop's round", round.as_str(), MAX_SHORT)?;
                limit("the workshop's head", head, MAX_SHORT)?;
                limit("the reason", reason, MAX_SHORT)
            }
            _ => Ok(()),
        }
    }

    /// An interpretation's grounds put right: it exists and is not yet
    /// decided, and what it is to rest on exists.
    fn check_grounds(
        &self,
        interpretation: &InterpretationId,
        concepts: &[ConceptId],
        translations: &[TranslationId],
        statements: &[StatementId],
    ) -> Result<(), DomainError> {
        let i = self
            .interpretations
            .get(interpretation)
            .ok_or_else(|| unknown(InterpretationId::WHAT, interpretation))?;
        if matches!(
            i.status,
            InterpretationStatus::Agreed | InterpretationStatus::SetAside
        ) {
            return Err(DomainError::Rule(format!(
                "{interpretation} was {} on these grounds; draft a new interpretation to rest on others",
                i.status
            )));
        }
        if concepts.is_empty() {
            return Err(DomainError::Rule(
                "an interpretation rests on at least one concept".into(),
            ));
        }
        Self::no_repeats("concept", concepts)?;
        self.grounds_exist(concepts, translations, statements)
    }

    /// What an interpretation rests on exists: its concepts, translations
    /// and statements.
    fn grounds_exist(
        &self,
        concepts: &[ConceptId],
        translations: &[TranslationId],
        statements: &[StatementId],
    ) -> Result<(), DomainError> {
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
        self.statements_exist(statements)
    }

    pub(super) fn mutate_interpretations(&mut self, event: Event) {
        match event {
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
            Event::InterpretationGrounded {
                interpretation,
                concepts,
                translations,
                statements,
                ..
            } => {
                if let Some(i) = self.interpretations.get_mut(&interpretation) {
                    (i.concepts, i.translations, i.statements) =
                        (concepts, translations, statements);
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
            Event::InterpretationTakenUp {
                id,
                text,
                workspace,
                from,
                head,
                grounds,
                at,
            } => {
                self.interpretations.insert(
                    id.clone(),
                    Interpretation {
                        id: id.clone(),
                        texts: vec![text],
                        translations: Vec::new(),
                        concepts: Vec::new(),
                        statements: Vec::new(),
                        status: InterpretationStatus::Draft,
                        history: Vec::new(),
                        drafted: at,
                    },
                );
                self.taken_up.insert(
                    id,
                    super::super::session::TakenUp {
                        workspace,
                        from,
                        head,
                        grounds,
                    },
                );
            }
            Event::VerdictRecorded {
                interpretation,
                status,
                workshop,
                round,
                reason,
                at,
                ..
            } => {
                if let Some(i) = self.interpretations.get_mut(&interpretation) {
                    i.status = status;
                    i.history.push(StatusChange {
                        status,
                        reason: format!("in the workshop {workshop}, vote {round}: {reason}"),
                        round: None,
                        at,
                    });
                }
            }
            _ => {}
        }
    }
}
