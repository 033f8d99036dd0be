//! The synthesis screen: name concepts, link statements to them, translate
//! between concepts, draft interpretations, and take them to a decision.

use super::action::Action;
use super::{App, Effect, Overlay, PromptKind, Screen, Tone, new_input};
use crate::domain::analysis::Accounts;
use crate::domain::synthesis::Concept;
use crate::domain::{
    BallotMode, ConceptId, ConceptPart, Event, InterpretationId, InterpretationStatus, RoundId,
    Session, Statement, StatementId, Timestamp, TranslationId, TranslationKind, VoteMethod,
    VoteTarget,
};

pub use super::actions::SynthView;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Pane {
    #[default]
    Concepts,
    Statements,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SynthesisState {
    pub view: SynthView,
    pub pane: Pane,
    pub concept: usize,
    pub statement: usize,
    pub interpretation: usize,
    pub marked_statements: Vec<StatementId>,
    /// In the order they were marked: a line of argument keeps it.
    pub marked_concepts: Vec<ConceptId>,
    pub filter: String,
    pub accounts: Accounts,
    pub scroll: usize,
    /// The interpretation the projector shows, if any.
    pub presenting: Option<InterpretationId>,
}

impl Default for SynthesisState {
    fn default() -> Self {
        SynthesisState {
            view: SynthView::Link,
            pane: Pane::Concepts,
            concept: 0,
            statement: 0,
            interpretation: 0,
            marked_statements: Vec::new(),
            marked_concepts: Vec::new(),
            filter: String::new(),
            accounts: Accounts::RoleGroups,
            scroll: 0,
            presenting: None,
        }
    }
}

/// Which of Noblit and Hare's translations is being made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Translating {
    /// They say the same thing: asks for the translated wording.
    Reciprocal,
    /// They contradict each other: the rationale is required.
    Refutational,
    /// Together they build a larger whole: asks for the argument.
    LineOfArgument,
}

/// What a synthesis prompt is asking for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ask {
    NewConcept {
        link: Vec<StatementId>,
    },
    Rename(ConceptId),
    Describe(ConceptId),
    Filter,
    Split {
        concept: ConceptId,
        statements: Vec<StatementId>,
    },
    /// The translated wording (reciprocal) or the argument (line of argument).
    Wording {
        kind: Translating,
        concepts: Vec<ConceptId>,
    },
    Rationale {
        kind: Translating,
        concepts: Vec<ConceptId>,
        wording: String,
    },
    Interpretation {
        concepts: Vec<ConceptId>,
        translations: Vec<TranslationId>,
        statements: Vec<StatementId>,
    },
    Decision {
        interpretation: InterpretationId,
        status: InterpretationStatus,
        round: Option<RoundId>,
    },
    Revise(InterpretationId),
}

impl Ask {
    /// The prompt's title.
    pub fn title(&self) -> String {
        match self {
            Ask::NewConcept { link } if !link.is_empty() => format!(
                " New concept, linked to the {} marked statements — its name ",
                link.len()
            ),
            Ask::NewConcept { .. } => " New concept — its name ".into(),
            Ask::Rename(c) => format!(" Rename {c} "),
            Ask::Describe(c) => format!(" Describe {c} (what it means, in a sentence) "),
            Ask::Filter => {
                " Filter statements: words, #tag, role:carer, stage:S3 — empty shows all ".into()
            }
            Ask::Split {
                concept,
                statements,
            } => format!(
                " Split {} statements out of {concept}: the new concept's name ",
                statements.len()
            ),
            Ask::Wording {
                kind: Translating::Reciprocal,
                concepts,
            } => format!(
                " Reciprocal translation of {}: the translated concept's wording ",
                ids(concepts)
            ),
            Ask::Wording { concepts, .. } => format!(
                " Line of argument through {}: the argument they build ",
                ids(concepts)
            ),
            Ask::Rationale {
                kind: Translating::Refutational,
                concepts,
                ..
            } => format!(
                " Refutational translation of {}: how do they contradict? (required) ",
                ids(concepts)
            ),
            Ask::Rationale { concepts, .. } => format!(
                " Translation of {}: the rationale (optional) ",
                ids(concepts)
            ),
            Ask::Interpretation {
                concepts,
                translations,
                statements,
            } => format!(
                " New interpretation resting on {} concepts, {} translations, {} statements: its wording ",
                concepts.len(),
                translations.len(),
                statements.len()
            ),
            Ask::Revise(i) => format!(" Revise the wording of {i} (the earlier wording is kept) "),
            Ask::Decision {
                interpretation,
                status,
                round,
            } => format!(
                " {interpretation} {}{}: the reason ",
                status.label(),
                round
                    .as_ref()
                    .map(|r| format!(" after vote {r}"))
                    .unwrap_or_default()
            ),
        }
    }

    /// Whether an empty answer is acceptable.
    pub fn may_be_empty(&self) -> bool {
        matches!(
            self,
            Ask::Describe(_)
                | Ask::Filter
                | Ask::Rationale {
                    kind: Translating::Reciprocal | Translating::LineOfArgument,
                    ..
                }
        )
    }
}

fn ids(c: &[ConceptId]) -> String {
    c.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ")
}

/// A statement the synthesis screen can link: the session's own, or a
/// source session's (referred to as `KEY.id`).
pub struct Item<'a> {
    pub id: StatementId,
    pub statement: &'a Statement,
    /// The session it was said in.
    pub home: &'a Session,
}

/// Every statement available to link, in order.
pub fn corpus<'a>(app: &'a App, session: &'a Session) -> Vec<Item<'a>> {
    if app.sources.is_empty() {
        return session
            .statements
            .values()
            .map(|s| Item {
                id: s.id.clone(),
                statement: s,
                home: session,
            })
            .collect();
    }
    app.sources
        .iter()
        .flat_map(|src| {
            src.session.statements.values().map(move |s| Item {
                id: StatementId::new(format!("{}.{}", src.key, s.id)),
                statement: s,
                home: &src.session,
            })
        })
        .collect()
}

pub fn active_concepts(session: &Session) -> Vec<&Concept> {
    session
        .concepts
        .values()
        .filter(|c| c.is_active())
        .collect()
}

/// Statements matching the filter: every word must match the text, a
/// `#tag`, a `role:` (service, carer, staff, other) or a `stage:` id.
pub fn filtered<'a>(app: &'a App, session: &'a Session, filter: &str) -> Vec<Item<'a>> {
    let words: Vec<String> = filter.split_whitespace().map(str::to_lowercase).collect();
    corpus(app, session)
        .into_iter()
        .filter(|item| {
            let (s, home) = (item.statement, item.home);
            let v = s.current();
            words.iter().all(|w| {
                if let Some(tag) = w.strip_prefix('#') {
                    v.tags.iter().any(|t| t == tag)
                } else if let Some(role) = w.strip_prefix("role:") {
                    let label = home
                        .role_of(&v.speaker)
                        .map(|r| r.group().label())
                        .unwrap_or("whole group");
                    label.contains(role)
                } else if let Some(stage) = w.strip_prefix("stage:") {
                    s.stage
                        .as_ref()
                        .is_some_and(|st| st.as_str().eq_ignore_ascii_case(stage))
                } else {
                    v.text.to_lowercase().contains(w.as_str())
                        || item.id.as_str().eq_ignore_ascii_case(w)
                }
            })
        })
        .collect()
}

fn current_concept(app: &App, session: &Session) -> Option<ConceptId> {
    let list = active_concepts(session);
    list.get(app.synthesis.concept.min(list.len().saturating_sub(1)))
        .map(|c| c.id.clone())
}

/// The statements listed on the synthesis screen. Without a filter, rows are
/// read straight from the sessions by position, so a screenful costs the
/// same with a hundred statements or a hundred thousand; a filter scans once.
pub struct Listing<'a> {
    app: &'a App,
    session: &'a Session,
    filtered: Option<Vec<Item<'a>>>,
}

impl<'a> Listing<'a> {
    pub fn len(&self) -> usize {
        match &self.filtered {
            Some(v) => v.len(),
            None if self.app.sources.is_empty() => self.session.statements.len(),
            None => self
                .app
                .sources
                .iter()
                .map(|s| s.session.statements.len())
                .sum(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, mut i: usize) -> Option<Item<'a>> {
        if let Some(v) = &self.filtered {
            return v.get(i).map(|x| Item {
                id: x.id.clone(),
                statement: x.statement,
                home: x.home,
            });
        }
        if self.app.sources.is_empty() {
            let (_, s) = self.session.statements.get_index(i)?;
            return Some(Item {
                id: s.id.clone(),
                statement: s,
                home: self.session,
            });
        }
        for src in &self.app.sources {
            let n = src.session.statements.len();
            if i < n {
                let (_, s) = src.session.statements.get_index(i)?;
                return Some(Item {
                    id: StatementId::new(format!("{}.{}", src.key, s.id)),
                    statement: s,
                    home: &src.session,
                });
            }
            i -= n;
        }
        None
    }
}

pub fn listing<'a>(app: &'a App, session: &'a Session, filter: &str) -> Listing<'a> {
    let filtered = (!filter.trim().is_empty()).then(|| filtered(app, session, filter));
    Listing {
        app,
        session,
        filtered,
    }
}

fn current_statement(app: &App, session: &Session) -> Option<StatementId> {
    let list = listing(app, session, &app.synthesis.filter);
    list.get(app.synthesis.statement.min(list.len().saturating_sub(1)))
        .map(|s| s.id)
}

pub fn current_interpretation(app: &App, session: &Session) -> Option<InterpretationId> {
    let n = session.interpretations.len();
    session
        .interpretations
        .get_index(app.synthesis.interpretation.min(n.saturating_sub(1)))
        .map(|(k, _)| k.clone())
}

/// Marked statements, or the one under the cursor when none are marked.
fn chosen_statements(app: &App, session: &Session) -> Vec<StatementId> {
    if app.synthesis.marked_statements.is_empty() {
        current_statement(app, session).into_iter().collect()
    } else {
        app.synthesis.marked_statements.clone()
    }
}

fn ask(app: &mut App, a: Ask, prefill: &str) {
    let mut input = new_input("");
    input.insert_str(prefill);
    app.overlays.push(Overlay::Prompt {
        kind: PromptKind::Synthesis(a),
        input: Box::new(input),
    });
}

fn toggle<T: PartialEq>(list: &mut Vec<T>, item: T) {
    match list.iter().position(|x| *x == item) {
        Some(i) => {
            list.remove(i);
        }
        None => list.push(item),
    }
}

pub use crate::ops::workspace::Source;

impl App {
    /// Finds `KEY.id` among the loaded source sessions.
    pub fn resolve(&self, id: &StatementId) -> Option<(&Statement, &Session)> {
        let (key, st) = id.source_ref()?;
        let src = self.sources.iter().find(|s| s.key == key)?;
        src.session.statements.get(st).map(|s| (s, &src.session))
    }
}

pub fn action(
    app: &mut App,
    session: &Session,
    action: Action,
    now: Timestamp,
    fx: &mut Vec<Effect>,
) {
    let n_statements = listing(app, session, &app.synthesis.filter).len();
    let has_sources = !app.sources.is_empty();
    let st = &mut app.synthesis;
    match action {
        Action::ShowGrid => {
            st.view = if st.view == SynthView::Grid {
                SynthView::Link
            } else {
                SynthView::Grid
            };
            st.scroll = 0;
        }
        Action::ShowInterpretations => {
            st.view = if st.view == SynthView::Interpretations {
                SynthView::Link
            } else {
                SynthView::Interpretations
            };
            st.scroll = 0;
        }
        Action::ToggleAccounts => {
            st.accounts = match st.accounts {
                Accounts::RoleGroups => Accounts::Stages,
                Accounts::Stages if has_sources => Accounts::Sessions,
                _ => Accounts::RoleGroups,
            }
        }
        Action::SwitchPane => {
            st.pane = match st.pane {
                Pane::Concepts => Pane::Statements,
                Pane::Statements => Pane::Concepts,
            }
        }
        Action::SelectUp | Action::SelectDown => {
            let down = action == Action::SelectDown;
            let step = |i: usize, n: usize| {
                if down {
                    (i + 1).min(n.saturating_sub(1))
                } else {
                    i.saturating_sub(1)
                }
            };
            match (st.view, st.pane) {
                (SynthView::Grid, _) => {
                    st.scroll = if down {
                        st.scroll + 1
                    } else {
                        st.scroll.saturating_sub(1)
                    }
                }
                (SynthView::Interpretations, Pane::Statements) => {
                    st.scroll = if down {
                        st.scroll + 1
                    } else {
                        st.scroll.saturating_sub(1)
                    }
                }
                (SynthView::Interpretations, Pane::Concepts) => {
                    st.interpretation = step(st.interpretation, session.interpretations.len());
                    st.scroll = 0;
                }
                (SynthView::Link, Pane::Concepts) => {
                    st.concept = step(st.concept, active_concepts(session).len())
                }
                (SynthView::Link, Pane::Statements) => {
                    st.statement = step(st.statement, n_statements)
                }
            }
        }
        Action::Mark => match st.pane {
            Pane::Concepts => {
                if let Some(c) = current_concept(app, session) {
                    toggle(&mut app.synthesis.marked_concepts, c);
                }
            }
            Pane::Statements => {
                if let Some(s) = current_statement(app, session) {
                    toggle(&mut app.synthesis.marked_statements, s);
                    app.synthesis.statement =
                        (app.synthesis.statement + 1).min(n_statements.saturating_sub(1));
                }
            }
        },
        Action::Cancel => {
            st.marked_concepts.clear();
            st.marked_statements.clear();
            st.filter.clear();
            app.say(Tone::Info, "marks and filter cleared");
        }
        Action::Filter => {
            let f = app.synthesis.filter.clone();
            ask(app, Ask::Filter, &f);
        }
        Action::NewConcept => {
            let link = app.synthesis.marked_statements.clone();
            ask(app, Ask::NewConcept { link }, "");
        }
        Action::RenameConcept | Action::DescribeConcept
            if st.view == SynthView::Interpretations =>
        {
            let Some(i) = current_interpretation(app, session) else {
                return;
            };
            let text = session.interpretations[&i].text().to_owned();
            ask(app, Ask::Revise(i), &text);
        }
        Action::RenameConcept | Action::DescribeConcept => {
            let Some(c) = current_concept(app, session) else {
                return app.say(Tone::Info, "no concept yet: n names one");
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
                return app.say(Tone::Info, "no concept yet: n names one");
            };
            let mut statements = chosen_statements(app, session);
            if action == Action::Unlink {
                statements.retain(|s| session.concepts[&concept].statements.contains(s));
            }
            if statements.is_empty() {
                return app.say(Tone::Info, "mark statements with space first");
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
        Action::Reciprocal | Action::Refutational | Action::LineOfArgument => {
            let concepts = app.synthesis.marked_concepts.clone();
            if concepts.len() < 2 {
                return app.say(
                    Tone::Info,
                    "mark two or more concepts (space, in the concepts pane) to translate between",
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
            if concepts.is_empty() {
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
                },
                "",
            );
        }
        Action::VoteOnInterpretation | Action::ResonanceOnInterpretation => {
            let Some(i) = current_interpretation(app, session) else {
                return app.say(Tone::Info, "no interpretation yet: d drafts one");
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
                stage: session.current_stage().map(|s| s.id.clone()),
                at: now,
            };
            if app.record(session, proposed, fx) && app.record(session, open, fx) {
                app.synthesis.presenting = Some(i);
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
                .map(|r| {
                    let res = session.results(r);
                    res.options
                        .iter()
                        .zip(&res.counts)
                        .filter(|(_, n)| **n > 0)
                        .map(|(o, n)| format!("{n} {o}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
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
            let current = current_interpretation(app, session);
            app.synthesis.presenting =
                if app.synthesis.presenting.is_some() && app.synthesis.presenting == current {
                    None
                } else {
                    current
                };
            match &app.synthesis.presenting {
                Some(i) => app.say(Tone::Info, format!("the projector shows {i}")),
                None => app.say(
                    Tone::Info,
                    "the projector shows the latest statements again",
                ),
            }
        }
        _ => {}
    }
}

/// Turns a prompt's answer into events.
pub fn submit(
    app: &mut App,
    session: &Session,
    ask_: Ask,
    text: String,
    now: Timestamp,
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
            kind,
            concepts,
            wording,
        } => {
            let kind = match kind {
                Translating::Reciprocal => TranslationKind::Reciprocal { wording },
                Translating::LineOfArgument => {
                    TranslationKind::LineOfArgument { argument: wording }
                }
                Translating::Refutational => TranslationKind::Refutational,
            };
            let id = TranslationId::new(app.fresh_id(
                "t",
                |id| session.translations.contains_key(id),
                session.translations.len(),
            ));
            if app.record(
                session,
                Event::TranslationMade {
                    id,
                    kind,
                    concepts,
                    rationale: text,
                    at: now,
                },
                fx,
            ) {
                app.synthesis.marked_concepts.clear();
            }
        }
        Ask::Interpretation {
            concepts,
            translations,
            statements,
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
    }
}
