//! Derived views of a session: the translation grid and an interpretation's
//! provenance. Pure functions of the session; nothing here changes it.

use super::ids::{ConceptId, StageId, StatementId};
use super::participant::RoleGroup;
use super::session::Session;
use super::statement::{Speaker, Statement};
use super::synthesis::{Concept, Interpretation, Translation};

pub use super::synthesis::Accounts;

/// A grid column: an account the statements come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Account {
    Role(RoleGroup),
    /// A group of a sector or level breakdown: its label.
    Group(&'static str),
    /// Statements from the whole group, not one speaker.
    WholeGroup,
    Stage(StageId),
    NoStage,
    /// A source session, by key.
    Source(String),
}

impl Account {
    pub fn label(&self, session: &Session) -> String {
        match self {
            Account::Role(g) => g.label().to_owned(),
            Account::Group(label) => (*label).to_owned(),
            Account::WholeGroup => "whole group".into(),
            Account::Stage(s) => session
                .stages
                .get(s)
                .map(|st| st.title.clone())
                .unwrap_or_else(|| s.to_string()),
            Account::NoStage => "no stage".into(),
            Account::Source(key) => match session.sources.get(key) {
                Some(src) => format!("{key}: {}", src.title),
                None => key.clone(),
            },
        }
    }
}

/// Concepts as rows, accounts as columns, statements in the cells.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grid {
    pub accounts: Vec<Account>,
    pub rows: Vec<GridRow>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GridRow {
    pub concept: ConceptId,
    /// One cell per account, in column order.
    pub cells: Vec<Vec<StatementId>>,
    /// The statements in the cells that were retracted: shown marked, so
    /// nothing silently disappears, and never counted.
    pub retracted: Vec<StatementId>,
}

impl GridRow {
    /// How many statements in cell `i` count (retracted ones do not).
    pub fn counted(&self, i: usize) -> usize {
        self.cells.get(i).map_or(0, |c| {
            c.iter().filter(|s| !self.retracted.contains(s)).count()
        })
    }

    /// Cell `i`'s statement ids, each retracted one followed by `mark`.
    pub fn ids(&self, i: usize, mark: &str) -> Vec<String> {
        self.cells.get(i).map_or_else(Vec::new, |c| {
            c.iter()
                .map(|s| {
                    if self.retracted.contains(s) {
                        format!("{s}{mark}")
                    } else {
                        s.to_string()
                    }
                })
                .collect()
        })
    }
}

/// Finds a statement that lives in a source session (for `KEY.id`), with
/// the session it was said in.
pub type Resolver<'a> = &'a dyn Fn(&StatementId) -> Option<(&'a Statement, &'a Session)>;

/// No source sessions: a session's own statements only.
pub fn no_sources<'a>(_: &StatementId) -> Option<(&'a Statement, &'a Session)> {
    None
}

fn find<'a>(
    session: &'a Session,
    resolve: Resolver<'a>,
    id: &StatementId,
) -> Option<(&'a Statement, &'a Session)> {
    session
        .statements
        .get(id)
        .map(|s| (&**s, session))
        .or_else(|| resolve(id))
}

fn account_of<'a>(
    session: &'a Session,
    resolve: Resolver<'a>,
    id: &StatementId,
    accounts: Accounts,
) -> Option<Account> {
    if accounts == Accounts::Sessions {
        return id
            .source_ref()
            .map(|(key, _)| Account::Source(key.to_owned()));
    }
    let (s, home) = find(session, resolve, id)?;
    Some(match accounts {
        Accounts::RoleGroups => match &s.current().speaker {
            Speaker::Participant(p) => home
                .participants
                .get(p)
                .map(|p| Account::Role(p.role.group()))
                .unwrap_or(Account::Role(RoleGroup::Others)),
            Speaker::Group => Account::WholeGroup,
        },
        Accounts::Sectors | Accounts::Levels => {
            let by = accounts.breakdown()?;
            match &s.current().speaker {
                Speaker::Participant(p) => home
                    .participants
                    .get(p)
                    .map(|p| Account::Group(by.groups()[by.group_of(p)]))
                    .unwrap_or(Account::Group(by.groups()[3])),
                Speaker::Group => Account::WholeGroup,
            }
        }
        _ => s
            .stage
            .clone()
            .map(Account::Stage)
            .unwrap_or(Account::NoStage),
    })
}

/// The translation grid over active concepts. Retracted statements stay in
/// their cells (a view flags them) so nothing silently disappears.
pub fn grid(session: &Session, accounts: Accounts) -> Grid {
    grid_with(session, &no_sources, accounts)
}

/// The grid, resolving statements that live in source sessions.
pub fn grid_with<'a>(session: &'a Session, resolve: Resolver<'a>, accounts: Accounts) -> Grid {
    let mut columns: Vec<Account> = match accounts {
        Accounts::RoleGroups => RoleGroup::ALL
            .iter()
            .copied()
            .map(Account::Role)
            .chain([Account::WholeGroup])
            .collect(),
        Accounts::Stages => session
            .stages
            .keys()
            .cloned()
            .map(Account::Stage)
            .chain([Account::NoStage])
            .collect(),
        Accounts::Sessions => session
            .sources
            .keys()
            .cloned()
            .map(Account::Source)
            .collect(),
        Accounts::Sectors | Accounts::Levels => accounts
            .breakdown()
            .map(|by| {
                by.groups()
                    .into_iter()
                    .map(Account::Group)
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
            .into_iter()
            .chain([Account::WholeGroup])
            .collect(),
    };
    let rows: Vec<GridRow> = session
        .concepts
        .values()
        .filter(|c| c.is_active())
        .map(|c| {
            let mut cells = vec![Vec::new(); columns.len()];
            for id in &c.statements {
                if let Some(a) = account_of(session, resolve, id, accounts)
                    && let Some(i) = columns.iter().position(|x| *x == a)
                {
                    cells[i].push(id.clone());
                }
            }
            let retracted = c
                .statements
                .iter()
                .filter(|id| find(session, resolve, id).is_some_and(|(s, _)| s.is_retracted()))
                .cloned()
                .collect();
            GridRow {
                concept: c.id.clone(),
                cells,
                retracted,
            }
        })
        .collect();
    // Columns nobody spoke in are dropped, except the role groups and the
    // sources, whose emptiness is itself worth seeing.
    let keep: Vec<bool> = (0..columns.len())
        .map(|i| {
            let none_group = matches!(columns[i], Account::Group(l) if l.starts_with("no "));
            (matches!(
                columns[i],
                Account::Role(_) | Account::Source(_) | Account::Group(_)
            ) && !none_group)
                || rows.iter().any(|r| !r.cells[i].is_empty())
        })
        .collect();
    let mut k = keep.iter();
    columns.retain(|_| *k.next().unwrap_or(&true));
    let rows = rows
        .into_iter()
        .map(|r| GridRow {
            concept: r.concept,
            retracted: r.retracted,
            cells: r
                .cells
                .into_iter()
                .zip(&keep)
                .filter(|(_, k)| **k)
                .map(|(c, _)| c)
                .collect(),
        })
        .collect();
    Grid {
        accounts: columns,
        rows,
    }
}

/// A statement under an interpretation, with what happened to it since.
#[derive(Clone, Debug, PartialEq)]
pub struct Evidence<'a> {
    /// How the interpretation refers to it (`st3`, or `A.st3` for a source's).
    pub id: StatementId,
    pub statement: &'a Statement,
    /// The session it was said in.
    pub home: &'a Session,
    /// Linked directly to the interpretation, not only through a concept.
    pub direct: bool,
    /// The concepts through which it supports the interpretation.
    pub via: Vec<ConceptId>,
}

impl Evidence<'_> {
    pub fn retracted(&self) -> bool {
        self.statement.is_retracted()
    }

    pub fn amended(&self) -> bool {
        self.statement.is_amended()
    }
}

/// Everything an interpretation rests on, top to bottom.
#[derive(Clone, Debug, PartialEq)]
pub struct Provenance<'a> {
    pub interpretation: &'a Interpretation,
    pub translations: Vec<&'a Translation>,
    /// Its own concepts, then those reached through its translations.
    pub concepts: Vec<&'a Concept>,
    pub evidence: Vec<Evidence<'a>>,
}

impl Provenance<'_> {
    /// Statements that were retracted or amended.
    pub fn flagged(&self) -> usize {
        self.evidence
            .iter()
            .filter(|e| e.retracted() || e.amended())
            .count()
    }
}

pub fn provenance<'a>(session: &'a Session, interpretation: &'a Interpretation) -> Provenance<'a> {
    provenance_with(session, &no_sources, interpretation)
}

/// Provenance, resolving statements that live in source sessions.
pub fn provenance_with<'a>(
    session: &'a Session,
    resolve: Resolver<'a>,
    interpretation: &'a Interpretation,
) -> Provenance<'a> {
    let translations: Vec<&Translation> = interpretation
        .translations
        .iter()
        .filter_map(|t| session.translations.get(t))
        .collect();
    let mut concept_ids: Vec<&ConceptId> = interpretation.concepts.iter().collect();
    for t in &translations {
        for c in &t.concepts {
            if !concept_ids.contains(&c) {
                concept_ids.push(c);
            }
        }
    }
    let concepts: Vec<&Concept> = concept_ids
        .iter()
        .filter_map(|c| session.concepts.get(*c))
        .collect();
    let mut evidence: Vec<Evidence> = Vec::new();
    for id in &interpretation.statements {
        if let Some((s, home)) = find(session, resolve, id) {
            evidence.push(Evidence {
                id: id.clone(),
                statement: s,
                home,
                direct: true,
                via: Vec::new(),
            });
        }
    }
    for c in &concepts {
        for id in &c.statements {
            match evidence.iter_mut().find(|e| &e.id == id) {
                Some(e) => e.via.push(c.id.clone()),
                None => {
                    if let Some((s, home)) = find(session, resolve, id) {
                        evidence.push(Evidence {
                            id: id.clone(),
                            statement: s,
                            home,
                            direct: false,
                            via: vec![c.id.clone()],
                        });
                    }
                }
            }
        }
    }
    Provenance {
        interpretation,
        translations,
        concepts,
        evidence,
    }
}
