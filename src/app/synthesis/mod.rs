//! The synthesis screen: name concepts, link statements to them, translate
//! between concepts, draft interpretations, and take them to a decision.

mod concepts;
mod interpretations;
mod navigate;

use super::actions::Action;
use super::{App, Effect, Overlay, PromptKind, Screen, Tone};
use crate::domain::analysis::Accounts;
use crate::domain::synthesis::Concept;
use crate::domain::{
    BallotMode, ConceptId, ConceptPart, Event, InterpretationId, InterpretationStatus, RoomView,
    RoundId, Session, Statement, StatementId, Timestamp, TranslationId, TranslationKind,
    VoteMethod, VoteTarget,
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
    /// The grid's first column shown, when its columns do not all fit.
    pub column: usize,
    /// How many columns the grid showed when last drawn, of how many: the
    /// view knows the screen's width, and ←→ stop where the columns end.
    pub columns_fit: std::cell::Cell<(usize, usize)>,
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
            column: 0,
            columns_fit: std::cell::Cell::new((usize::MAX, 0)),
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
    /// A line of argument's ordered stages, each with its concepts
    /// (`Noticing: c1 c5 | Asking: c2`); none when left empty.
    Stages {
        concepts: Vec<ConceptId>,
        argument: String,
        rationale: String,
    },
    Interpretation {
        concepts: Vec<ConceptId>,
        translations: Vec<TranslationId>,
        statements: Vec<StatementId>,
        /// No concept was marked: it rests on the one under the cursor,
        /// and the prompt says so.
        by_cursor: bool,
    },
    Decision {
        interpretation: InterpretationId,
        status: InterpretationStatus,
        round: Option<RoundId>,
    },
    Revise(InterpretationId),
    /// A code for the codebook: `[facet] #path Name | what it means`.
    Code,
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
            Ask::Code => {
                " A code for the codebook: #theme/subtheme Its name | what it means (facet #barrier Barrier for a facet) ".into()
            }
            Ask::Filter => {
                " Filter statements: words, #tag, P3, role:carer, sector:nhs, level:front, stage:S3 — empty shows all ".into()
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
                " Translation of {}, then: why? (optional: Enter leaves it empty) ",
                ids(concepts)
            ),
            Ask::Stages { .. } => {
                " Stages in order (optional, Enter for none): Title: c1 c2 | Title: c3 ".into()
            }
            Ask::Interpretation {
                concepts,
                translations,
                statements,
                by_cursor,
            } => {
                use crate::domain::describe::counted;
                format!(
                    " New interpretation resting on {}{}, {}, {}: its wording ",
                    ids(concepts),
                    if *by_cursor {
                        " (the concept under the cursor: none is marked)"
                    } else {
                        ""
                    },
                    counted(translations.len() as u64, "translation", "translations"),
                    counted(statements.len() as u64, "statement", "statements")
                )
            }
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
                | Ask::Stages { .. }
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
/// `#tag` (or a code beneath it), a `role:` (service, carer, staff, other),
/// a `sector:` (nhs, local, la, vcse), a `level:` (strategic, operational,
/// front), a `stage:` id, or a speaker's pseudonym (`P3`).
pub fn filtered<'a>(app: &'a App, session: &'a Session, filter: &str) -> Vec<Item<'a>> {
    let words: Vec<String> = filter.split_whitespace().map(str::to_lowercase).collect();
    corpus(app, session)
        .into_iter()
        .filter(|item| {
            let (s, home) = (item.statement, item.home);
            let v = s.current();
            // Withheld words and tags are not searched: a match would tell them.
            let readable = home.withheld(s).is_none();
            words.iter().all(|w| {
                let person = match &v.speaker {
                    crate::domain::Speaker::Participant(p) => home.participants.get(p),
                    crate::domain::Speaker::Group => None,
                };
                if let Some(tag) = w.strip_prefix('#') {
                    readable && crate::domain::codebook::codes_at(&v.tags, tag)
                } else if let Some(sector) = w.strip_prefix("sector:") {
                    person
                        .and_then(|p| p.sector)
                        .is_some_and(|x| grid_matches(x.label(), sector))
                } else if let Some(level) = w.strip_prefix("level:") {
                    person
                        .and_then(|p| p.level)
                        .is_some_and(|x| grid_matches(x.label(), level))
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
                    (readable && v.text.to_lowercase().contains(w.as_str()))
                        || item.id.as_str().eq_ignore_ascii_case(w)
                        || person.is_some_and(|p| p.id.as_str().eq_ignore_ascii_case(w))
                }
            })
        })
        .collect()
}

/// Whether a sector or level `label` is what was typed after `sector:` or
/// `level:`: a word of it (`local`, `front`), the whole with `-` for
/// spaces (`front-line`), or its initials (`la`, `fl`).
fn grid_matches(label: &str, typed: &str) -> bool {
    let label = label.to_lowercase();
    let typed = typed.replace(['-', '_'], " ");
    let initials: String = label
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .collect();
    !typed.is_empty()
        && (label.starts_with(&typed)
            || label.split_whitespace().any(|w| w.starts_with(&typed))
            || (typed.chars().count() > 1 && initials == typed))
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
    selected_item(app, session).map(|s| s.id)
}

/// The statement under the cursor in the statements list, with the
/// session it was said in.
pub fn selected_item<'a>(app: &'a App, session: &'a Session) -> Option<Item<'a>> {
    let list = listing(app, session, &app.synthesis.filter);
    list.get(app.synthesis.statement.min(list.len().saturating_sub(1)))
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
    // A filter offered again is selected: typing replaces it, an arrow
    // edits it. Words to keep (a name, an interpretation, a decision's
    // reason) are never one keystroke from gone: the cursor waits after them.
    let input = match a {
        Ask::Filter => super::input_offering("", prefill),
        _ => {
            let mut input = super::new_input("");
            input.insert_str(prefill);
            input
        }
    };
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
        src.session.statements.get(st).map(|s| (&**s, &src.session))
    }
}

pub fn action(
    app: &mut App,
    session: &Session,
    action: Action,
    now: Timestamp,
    fx: &mut Vec<Effect>,
) {
    match action {
        Action::ToggleAccounts => {
            navigate::action(app, session, action);
            // A grid on the wall follows the columns the facilitator chose.
            if matches!(session.room, RoomView::Grid(_)) {
                let view = RoomView::Grid(app.synthesis.accounts);
                app.record(session, Event::RoomShows { view, at: now }, fx);
            }
        }
        Action::Present if app.synthesis.view == SynthView::Grid && !app.in_workspace() => {
            // What the room sees is recorded, so every projector follows.
            let view = match session.room {
                RoomView::Grid(_) => RoomView::Latest,
                _ => RoomView::Grid(app.synthesis.accounts),
            };
            app.record(session, Event::RoomShows { view, at: now }, fx);
        }
        Action::ShowGrid
        | Action::ShowInterpretations
        | Action::GridColumnsBack
        | Action::GridColumnsOn
        | Action::SwitchPane
        | Action::SelectUp
        | Action::SelectDown
        | Action::Mark
        | Action::Cancel
        | Action::Filter => navigate::action(app, session, action),
        Action::NewConcept
        | Action::DefineCode
        | Action::RenameConcept
        | Action::DescribeConcept
        | Action::Link
        | Action::Unlink
        | Action::Merge
        | Action::Split => concepts::action(app, session, action, fx),
        _ => interpretations::action(app, session, action, now, fx),
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
    match ask_ {
        Ask::Filter
        | Ask::Code
        | Ask::NewConcept { .. }
        | Ask::Rename(_)
        | Ask::Describe(_)
        | Ask::Split { .. } => concepts::submit(app, session, ask_, text, fx),
        _ => interpretations::submit(app, session, ask_, text, now, fx),
    }
}
