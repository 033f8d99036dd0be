//! Translations between marked concepts, and interpretations: drafting,
//! rewording, votes on them, decisions, the projector.

use super::*;

pub(super) fn action(
    app: &mut App,
    session: &Session,
    action: Action,
    now: Timestamp,
    fx: &mut Vec<Effect>,
) {
    match action {
        Action::Reciprocal | Action::Refutational | Action::LineOfArgument => {
            let concepts = app.synthesis.marked_concepts.clone();
            if concepts.len() < 2 {
                return app.say(
                    Tone::Info,
                    app.keys("mark two or more concepts ({Mark}, in the concepts pane) to translate between"),
                );
            }
            match action {
                Action::Reciprocal => ask(
                    app,
                    Ask::Wording {
                        kind: Translating::Reciprocal,
                        concepts,
                    },
                    "",
                ),
                Action::LineOfArgument => ask(
                    app,
                    Ask::Wording {
                        kind: Translating::LineOfArgument,
                        concepts,
                    },
                    "",
                ),
                _ => ask(
                    app,
                    Ask::Rationale {
                        kind: Translating::Refutational,
                        concepts,
                        wording: String::new(),
                    },
                    "",
                ),
            }
        }
        Action::Draft => {
            let mut concepts = app.synthesis.marked_concepts.clone();
            let by_cursor = concepts.is_empty();
            if by_cursor {
                concepts.extend(current_concept(app, session));
            }
            let translations: Vec<TranslationId> = session
                .translations
                .values()
                .filter(|t| t.concepts.iter().all(|c| concepts.contains(c)))
                .map(|t| t.id.clone())
                .collect();
            let statements = app.synthesis.marked_statements.clone();
            if concepts.is_empty() {
                return app.say(
                    Tone::Info,
                    "an interpretation rests on concepts: name one first (n)",
                );
            }
            ask(
                app,
                Ask::Interpretation {
                    concepts,
                    translations,
                    statements,
                    by_cursor,
                },
                "",
            );
        }
        _ => decide(app, session, action, now, fx),
    }
}

/// Votes on the interpretation under the cursor, decisions about it, and
/// showing it on the projector.
fn decide(app: &mut App, session: &Session, action: Action, now: Timestamp, fx: &mut Vec<Effect>) {
    match action {
        Action::Reground => reground(app, session, now, fx),
        Action::VoteOnInterpretation | Action::ResonanceOnInterpretation | Action::Present
            if app.in_workspace() =>
        {
            app.say(
                Tone::Refused,
                app.keys(crate::app::layers::WORKSPACE_HAS_NO_ROOM),
            );
        }
        Action::VoteOnInterpretation | Action::ResonanceOnInterpretation => {
            let Some(i) = current_interpretation(app, session) else {
                return app.say(
                    Tone::Info,
                    app.keys("no interpretation yet: {Draft} drafts one"),
                );
            };
            let (method, question) = if action == Action::VoteOnInterpretation {
                (
                    VoteMethod::AgreeDisagree,
                    "Do you agree with this interpretation?",
                )
            } else {
                (
                    VoteMethod::Resonance,
                    "How strongly does this interpretation resonate with you?",
                )
            };
            let id = app.fresh_id(
                "v",
                |id| session.rounds.contains_key(id),
                session.rounds.len(),
            );
            let proposed = Event::InterpretationStatusChanged {
                interpretation: i.clone(),
                status: InterpretationStatus::Proposed,
                reason: "sent to the group's vote".into(),
                round: None,
                at: now,
            };
            let open = Event::VoteOpened {
                id: RoundId::new(id),
                target: VoteTarget::Interpretation(i.clone()),
                question: question.into(),
                method,
                mode: BallotMode::PerParticipant,
                hidden: false,
                named: false,
                stage: session.current_stage().map(|s| s.id.clone()),
                at: now,
            };
            let show = Event::RoomShows {
                view: crate::domain::RoomView::Interpretation(i),
                at: now,
            };
            if app.record(session, proposed, fx)
                && app.record(session, open, fx)
                && app.record(session, show, fx)
            {
                app.vote.cursor = 0;
                app.screen = Screen::Vote;
            }
        }
        Action::MarkAgreed | Action::SetAside => {
            let Some(i) = current_interpretation(app, session) else {
                return;
            };
            let round = session
                .rounds
                .values()
                .rev()
                .find(|r| !r.is_open() && r.target == VoteTarget::Interpretation(i.clone()))
                .map(|r| r.id.clone());
            let prefill = round
                .as_ref()
                .and_then(|r| session.rounds.get(r))
                // The result in words, so the reason reads as it will be kept.
                .map(|r| session.results(r).in_words(r))
                .unwrap_or_default();
            let status = if action == Action::MarkAgreed {
                InterpretationStatus::Agreed
            } else {
                InterpretationStatus::SetAside
            };
            ask(
                app,
                Ask::Decision {
                    interpretation: i,
                    status,
                    round,
                },
                &prefill,
            );
        }
        Action::Present => {
            // What the room sees is recorded, so every projector follows.
            let current = current_interpretation(app, session);
            let view = match current {
                Some(i) if session.room != crate::domain::RoomView::Interpretation(i.clone()) => {
                    crate::domain::RoomView::Interpretation(i)
                }
                _ => crate::domain::RoomView::Latest,
            };
            app.record(session, Event::RoomShows { view, at: now }, fx);
        }
        _ => {}
    }
}

/// Turns a prompt's answer into events.
pub(super) fn submit(
    app: &mut App,
    session: &Session,
    ask_: Ask,
    text: String,
    now: Timestamp,
    fx: &mut Vec<Effect>,
) {
    match ask_ {
        Ask::Wording { kind, concepts } => ask(
            app,
            Ask::Rationale {
                kind,
                concepts,
                wording: text,
            },
            "",
        ),
        Ask::Rationale {
            kind: Translating::LineOfArgument,
            concepts,
            wording,
        } => ask(
            app,
            Ask::Stages {
                concepts,
                argument: wording,
                rationale: text,
            },
            "",
        ),
        Ask::Stages {
            concepts,
            argument,
            rationale,
        } => match argument_stages(&text, &concepts) {
            Ok(stages) => translate(
                app,
                session,
                TranslationKind::LineOfArgument { argument, stages },
                concepts.clone(),
                rationale,
                now,
                fx,
            ),
            Err(why) => {
                ask(
                    app,
                    Ask::Stages {
                        concepts,
                        argument,
                        rationale,
                    },
                    &text,
                );
                app.say(Tone::Problem, why);
            }
        },
        Ask::Rationale {
            kind,
            concepts,
            wording,
        } => {
            let kind = match kind {
                Translating::Reciprocal => TranslationKind::Reciprocal { wording },
                Translating::LineOfArgument => TranslationKind::LineOfArgument {
                    argument: wording,
                    stages: Vec::new(),
                },
                Translating::Refutational => TranslationKind::Refutational,
            };
            translate(app, session, kind, concepts, text, now, fx);
        }
        Ask::Interpretation {
            concepts,
            translations,
            statements,
            ..
        } => {
            let id = InterpretationId::new(app.fresh_id(
                "i",
                |id| session.interpretations.contains_key(id),
                session.interpretations.len(),
            ));
            let event = Event::InterpretationDrafted {
                id,
                text,
                translations,
                concepts,
                statements,
                at: now,
            };
            if app.record(session, event, fx) {
                app.synthesis.marked_concepts.clear();
                app.synthesis.marked_statements.clear();
                app.synthesis.view = SynthView::Interpretations;
                app.synthesis.interpretation = session.interpretations.len();
            }
        }
        Ask::Revise(interpretation) => {
            app.record(
                session,
                Event::InterpretationRevised {
                    interpretation,
                    text,
                    at: now,
                },
                fx,
            );
        }
        Ask::Decision {
            interpretation,
            status,
            round,
        } => {
            app.record(
                session,
                Event::InterpretationStatusChanged {
                    interpretation,
                    status,
                    reason: text,
                    round,
                    at: now,
                },
                fx,
            );
        }
        _ => {}
    }
}

/// The interpretation under the cursor rests on the marked concepts (and
/// the translations among them; the marked statements, or those it had):
/// a concept taken out or added, the earlier grounds kept in the journal.
fn reground(app: &mut App, session: &Session, now: Timestamp, fx: &mut Vec<Effect>) {
    let Some(i) = current_interpretation(app, session) else {
        return app.say(
            Tone::Info,
            app.keys("no interpretation yet: {Draft} drafts one"),
        );
    };
    let concepts = app.synthesis.marked_concepts.clone();
    if concepts.is_empty() {
        return app.say(
            Tone::Refused,
            app.keys("mark the concepts it should rest on ({Mark}), then {Reground}"),
        );
    }
    let translations = session
        .translations
        .values()
        .filter(|t| t.concepts.iter().all(|c| concepts.contains(c)))
        .map(|t| t.id.clone())
        .collect();
    let statements = match app.synthesis.marked_statements.is_empty() {
        true => session.interpretations[&i].statements.clone(),
        false => app.synthesis.marked_statements.clone(),
    };
    let e = Event::InterpretationGrounded {
        interpretation: i,
        concepts,
        translations,
        statements,
        at: now,
    };
    app.record(session, e, fx);
}

/// Records a translation of `concepts`, and lets the marked concepts go.
fn translate(
    app: &mut App,
    session: &Session,
    kind: TranslationKind,
    concepts: Vec<ConceptId>,
    rationale: String,
    now: Timestamp,
    fx: &mut Vec<Effect>,
) {
    let id = TranslationId::new(app.fresh_id(
        "t",
        |id| session.translations.contains_key(id),
        session.translations.len(),
    ));
    let made = Event::TranslationMade {
        id,
        kind,
        concepts,
        rationale,
        at: now,
    };
    if app.record(session, made, fx) {
        app.synthesis.marked_concepts.clear();
    }
}

/// A line of argument's stages as typed: `Title: c1 c2 | Title: c3`, in
/// order, each stage's concepts among those translated. Empty: none.
pub fn argument_stages(
    typed: &str,
    concepts: &[ConceptId],
) -> Result<Vec<crate::domain::synthesis::ArgumentStage>, String> {
    let mut stages = Vec::new();
    for part in typed.split('|').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((title, ids)) = part.rsplit_once(':') else {
            return Err(format!(
                "“{part}” needs a title and its concepts: Title: c1 c2"
            ));
        };
        let mut held = Vec::new();
        for id in ids.split([' ', ',']).filter(|x| !x.is_empty()) {
            match concepts.iter().find(|c| c.as_str() == id) {
                Some(c) if !held.contains(c) => held.push(c.clone()),
                Some(_) => {}
                None => {
                    return Err(format!(
                        "{id} is not one of the concepts this line of argument goes through ({})",
                        concepts
                            .iter()
                            .map(|c| c.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
            }
        }
        if title.trim().is_empty() || held.is_empty() {
            return Err(format!(
                "“{part}” needs a title and its concepts: Title: c1 c2"
            ));
        }
        stages.push(crate::domain::synthesis::ArgumentStage {
            title: title.trim().to_owned(),
            concepts: held,
        });
    }
    Ok(stages)
}
