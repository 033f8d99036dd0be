//! Concepts: naming, describing, linking statements, merging and splitting.

use super::*;

pub(super) fn action(app: &mut App, session: &Session, action: Action, fx: &mut Vec<Effect>) {
    match action {
        Action::NewConcept => {
            let link = app.synthesis.marked_statements.clone();
            ask(app, Ask::NewConcept { link }, "");
        }
        Action::DefineCode => ask(app, Ask::Code, ""),
        Action::RenameConcept | Action::DescribeConcept
            if app.synthesis.view == SynthView::Interpretations =>
        {
            let Some(i) = current_interpretation(app, session) else {
                return;
            };
            let text = session.interpretations[&i].text().to_owned();
            ask(app, Ask::Revise(i), &text);
        }
        Action::RenameConcept | Action::DescribeConcept => {
            let Some(c) = current_concept(app, session) else {
                return app.say(
                    Tone::Info,
                    app.keys("no concept yet: {NewConcept} names one"),
                );
            };
            if action == Action::RenameConcept {
                let name = session.concepts[&c].name.clone();
                ask(app, Ask::Rename(c), &name);
            } else {
                let d = session.concepts[&c].description.clone();
                ask(app, Ask::Describe(c), &d);
            }
        }
        Action::Link | Action::Unlink => {
            let Some(concept) = current_concept(app, session) else {
                return app.say(
                    Tone::Info,
                    app.keys("no concept yet: {NewConcept} names one"),
                );
            };
            let mut statements = chosen_statements(app, session);
            if action == Action::Unlink {
                statements.retain(|s| session.concepts[&concept].statements.contains(s));
            } else {
                // A retracted statement's words are withdrawn: nothing rests on them.
                let before = statements.len();
                statements.retain(|s| {
                    session
                        .statements
                        .get(s)
                        .map(|st| &**st)
                        .or_else(|| app.resolve(s).map(|(st, _)| st))
                        .is_none_or(|st| !st.is_retracted())
                });
                if statements.is_empty() && before > 0 {
                    return app.say(
                        Tone::Problem,
                        "not linked: a retracted statement's words are withdrawn",
                    );
                }
            }
            if statements.is_empty() {
                return app.say(Tone::Info, app.keys("mark statements with {Mark} first"));
            }
            let event = if action == Action::Link {
                Event::StatementsLinked {
                    concept,
                    statements,
                }
            } else {
                Event::StatementsUnlinked {
                    concept,
                    statements,
                }
            };
            if app.record(session, event, fx) {
                app.synthesis.marked_statements.clear();
            }
        }
        Action::Merge => {
            let Some(into) = current_concept(app, session) else {
                return;
            };
            let concepts: Vec<ConceptId> = app
                .synthesis
                .marked_concepts
                .iter()
                .filter(|c| **c != into)
                .cloned()
                .collect();
            if concepts.is_empty() {
                return app.say(
                    Tone::Info,
                    "mark the concepts to fold in (space), then put the cursor on the one to keep",
                );
            }
            app.overlays.push(Overlay::Confirm {
                question: format!("Merge {} into {into}? Their statements move to {into}; they are kept in the record as merged.", ids(&concepts)),
                events: vec![Event::ConceptsMerged { concepts, into }],
            });
            app.synthesis.marked_concepts.clear();
        }
        Action::Split => {
            let Some(concept) = current_concept(app, session) else {
                return;
            };
            let statements: Vec<StatementId> = chosen_statements(app, session)
                .into_iter()
                .filter(|s| session.concepts[&concept].statements.contains(s))
                .collect();
            if statements.is_empty() {
                return app.say(
                    Tone::Info,
                    format!("mark statements linked to {concept} to split them out"),
                );
            }
            ask(
                app,
                Ask::Split {
                    concept,
                    statements,
                },
                "",
            );
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
    fx: &mut Vec<Effect>,
) {
    let concept_id = |app: &App| {
        ConceptId::new(app.fresh_id(
            "c",
            |id| session.concepts.contains_key(id),
            session.concepts.len(),
        ))
    };
    match ask_ {
        Ask::Filter => {
            app.synthesis.filter = text;
            app.synthesis.statement = 0;
            app.synthesis.pane = Pane::Statements;
        }
        Ask::Code => match code_typed(&text) {
            Ok(event) => {
                app.record(session, event, fx);
            }
            Err(why) => app.say(Tone::Problem, why),
        },
        Ask::NewConcept { link } => {
            let id = concept_id(app);
            if app.record(
                session,
                Event::ConceptCreated {
                    id: id.clone(),
                    name: text,
                    description: String::new(),
                },
                fx,
            ) {
                app.synthesis.concept = active_concepts(session).len();
                if !link.is_empty()
                    && app.record(
                        session,
                        Event::StatementsLinked {
                            concept: id,
                            statements: link,
                        },
                        fx,
                    )
                {
                    app.synthesis.marked_statements.clear();
                }
            }
        }
        Ask::Rename(concept) => {
            app.record(
                session,
                Event::ConceptRenamed {
                    concept,
                    name: text,
                },
                fx,
            );
        }
        Ask::Describe(concept) => {
            app.record(
                session,
                Event::ConceptDescribed {
                    concept,
                    description: text,
                },
                fx,
            );
        }
        Ask::Split {
            concept,
            statements,
        } => {
            let part = ConceptPart {
                id: concept_id(app),
                name: text,
                statements,
            };
            if app.record(
                session,
                Event::ConceptSplit {
                    concept,
                    parts: vec![part],
                },
                fx,
            ) {
                app.synthesis.marked_statements.clear();
            }
        }
        _ => {}
    }
}

/// `[facet] #path Name | what it means` as a code's definition.
fn code_typed(text: &str) -> Result<Event, String> {
    let (head, description) = match text.split_once('|') {
        Some((h, d)) => (h.trim(), d.trim().to_owned()),
        None => (text.trim(), String::new()),
    };
    let (facet, head) = match head.strip_prefix("facet ") {
        Some(rest) => (true, rest.trim()),
        None => (false, head),
    };
    let (path, name) = head.split_once(char::is_whitespace).unwrap_or((head, ""));
    let path = path.trim_start_matches('#');
    let Some(code) = crate::domain::statement::typed_tag(path) else {
        return Err(format!(
            "“{path}” is not a code: 1 to 4 levels split by /, each letters, digits, - or _ (#capability/knowledge)"
        ));
    };
    let name = match name.trim() {
        "" => code.rsplit('/').next().unwrap_or(&code).to_owned(),
        n => n.to_owned(),
    };
    Ok(Event::CodeDefined {
        code,
        name,
        description,
        facet,
    })
}
