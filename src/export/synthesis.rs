//! The report's synthesis: the translation grid, and each interpretation
//! with its provenance down to the statements it rests on (those whose
//! speakers did not consent only counted).

use super::statements::statement_row;
use super::{Privacy, listed};
use crate::domain::Session;
use crate::domain::analysis::{Accounts, grid, provenance};

pub struct GridTable {
    pub columns: Vec<String>,
    /// Concept name, then each cell's statement ids.
    pub rows: Vec<(String, Vec<String>)>,
}

pub struct InterpretationRow {
    pub id: String,
    pub text: String,
    pub status: String,
    pub decision: String,
    pub translations: Vec<String>,
    pub concepts: Vec<String>,
    pub evidence: Vec<String>,
    /// Statements it rests on whose speakers did not consent: a count.
    pub withheld: usize,
}

/// A workspace's grid and framework are concept × case; a session's,
/// concept × role group.
fn accounts_of(s: &Session) -> Accounts {
    match s.sources.is_empty() {
        true => Accounts::RoleGroups,
        false => Accounts::Sessions,
    }
}

/// A quote in a framework matrix's cell: its id, who said it, its words.
pub struct Quote {
    pub id: String,
    pub who: String,
    pub words: String,
    /// Their own words (a quote), not the note-taker's (a paraphrase).
    pub quoted: bool,
}

/// The framework matrix: concepts as rows, the grid's accounts as columns,
/// the words themselves in the cells (as NVivo's framework matrices give
/// them); those whose speakers did not consent counted, never quoted, and
/// retracted ones left out.
pub struct Framework {
    pub columns: Vec<String>,
    /// Concept, then each cell.
    pub rows: Vec<(String, Vec<Cell>)>,
}

/// A framework cell: its quotes, and how many were withheld.
pub type Cell = (Vec<Quote>, usize);

/// The grid's columns' labels, and each row as its concept (`c1 Name`) and
/// what `cells` makes of it: what the grid table and the framework share.
fn by_concept<T>(
    s: &Session,
    cells: impl Fn(&crate::domain::analysis::GridRow) -> T,
) -> (Vec<String>, Vec<(String, T)>) {
    let g = grid(s, accounts_of(s));
    let rows = g
        .rows
        .iter()
        .map(|r| {
            let name = s
                .concepts
                .get(&r.concept)
                .map(|c| format!("{} {}", c.id, c.name))
                .unwrap_or_default();
            (name, cells(r))
        })
        .collect();
    (g.accounts.iter().map(|a| a.label(s)).collect(), rows)
}

pub(super) fn framework(s: &Session, privacy: Privacy) -> Framework {
    let (columns, rows) = by_concept(s, |r| {
        r.cells
            .iter()
            .map(|cell| {
                let mut quotes = Vec::new();
                let mut withheld = 0;
                for st in cell.iter().filter_map(|id| s.statements.get(id)) {
                    if st.is_retracted() {
                        continue;
                    }
                    if !listed(s, st) {
                        withheld += 1;
                        continue;
                    }
                    let v = st.current();
                    let who = match s.role_of(&v.speaker) {
                        Some(role) => {
                            format!("{}, {}", privacy.speaker(s, &v.speaker), role.label())
                        }
                        None => "whole group".to_owned(),
                    };
                    quotes.push(Quote {
                        id: st.id.to_string(),
                        who,
                        words: v.text.clone(),
                        quoted: v.kind == crate::domain::StatementKind::Quote,
                    });
                }
                (quotes, withheld)
            })
            .collect()
    });
    Framework { columns, rows }
}

pub(super) fn grid_table(s: &Session) -> GridTable {
    let (columns, rows) = by_concept(s, |r| {
        (0..r.cells.len())
            .map(|i| {
                // Statements whose speakers did not consent are
                // counted, never named.
                let mut ids: Vec<String> = r.cells[i]
                    .iter()
                    .filter(|id| s.statements.get(*id).is_none_or(|st| listed(s, st)))
                    .map(|id| match r.retracted.contains(id) {
                        true => format!("{id} (retracted)"),
                        false => id.to_string(),
                    })
                    .collect();
                let withheld = r.cells[i].len() - ids.len();
                if withheld > 0 {
                    ids.push(format!("{withheld} withheld"));
                }
                ids.join(", ")
            })
            .collect()
    });
    GridTable { columns, rows }
}

pub(super) fn interpretations(s: &Session, privacy: Privacy) -> Vec<InterpretationRow> {
    s.interpretations
        .values()
        .map(|i| {
            let p = provenance(s, i);
            let decision = i
                .history
                .last()
                .map(|h| {
                    let round = h
                        .round
                        .as_ref()
                        .map(|r| format!(" (vote {r})"))
                        .unwrap_or_default();
                    format!("{}{round}: {}", h.status, h.reason)
                })
                .unwrap_or_default();
            let withheld = p
                .evidence
                .iter()
                .filter(|e| !listed(s, e.statement))
                .count();
            InterpretationRow {
                withheld,
                id: i.id.to_string(),
                text: i.text().to_owned(),
                status: i.status.label().to_owned(),
                decision,
                translations: p
                    .translations
                    .iter()
                    .map(|t| {
                        let ids: Vec<&str> = t.concepts.iter().map(|c| c.as_str()).collect();
                        let extra = match &t.kind {
                            crate::domain::TranslationKind::Reciprocal { wording } => {
                                format!(" — “{wording}”")
                            }
                            crate::domain::TranslationKind::LineOfArgument { argument, .. } => {
                                format!(" — {argument}{}", stages_with_evidence(s, &t.kind))
                            }
                            crate::domain::TranslationKind::Refutational => String::new(),
                        };
                        format!(
                            "{} {} ({}){extra}. Rationale: {}",
                            t.id,
                            t.kind.label(),
                            ids.join(", "),
                            t.rationale
                        )
                    })
                    .collect(),
                concepts: p
                    .concepts
                    .iter()
                    .map(|c| format!("{} {}", c.id, c.name))
                    .collect(),
                evidence: p
                    .evidence
                    .iter()
                    .filter(|e| listed(s, e.statement))
                    .map(|e| {
                        let row = statement_row(s, privacy, e.statement);
                        let mut how = Vec::new();
                        if e.direct {
                            how.push("linked directly".to_owned());
                        }
                        if !e.via.is_empty() {
                            how.push(format!(
                                "via {}",
                                e.via
                                    .iter()
                                    .map(|c| c.as_str())
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ));
                        }
                        let via = how.join(", ");
                        let flag = if e.retracted() {
                            " ⚠ RETRACTED".to_owned()
                        } else if e.amended() {
                            " ⚠ amended".to_owned()
                        } else {
                            String::new()
                        };
                        let text = if row.text.is_empty() {
                            "(words withdrawn)".to_owned()
                        } else {
                            row.words()
                        };
                        format!(
                            "{} {} ({}, {}): {text} [{via}]{flag}",
                            row.id, row.speaker, row.role, row.kind
                        )
                    })
                    .collect(),
            }
        })
        .collect()
}

/// A line of argument's stages, each with its concepts and the statements
/// they rest on (those whose speakers did not consent counted):
/// `; in 2 stages: 1. Noticing: c1 Finding out (st2, st3); 2. …`.
fn stages_with_evidence(s: &Session, kind: &crate::domain::TranslationKind) -> String {
    let stages = kind.stages();
    if stages.is_empty() {
        return String::new();
    }
    let each: Vec<String> = stages
        .iter()
        .enumerate()
        .map(|(i, st)| {
            let concepts: Vec<String> = st
                .concepts
                .iter()
                .map(|c| match s.concepts.get(c) {
                    Some(c) => {
                        let ids: Vec<&str> = c
                            .statements
                            .iter()
                            .filter(|id| s.statements.get(*id).is_none_or(|st| listed(s, st)))
                            .map(|id| id.as_str())
                            .collect();
                        let withheld = c.statements.len() - ids.len();
                        let mut said = ids.join(", ");
                        if withheld > 0 {
                            said.push_str(&format!(
                                "{}{withheld} withheld",
                                if said.is_empty() { "" } else { ", " }
                            ));
                        }
                        format!("{} {} ({said})", c.id, c.name)
                    }
                    None => c.to_string(),
                })
                .collect();
            format!("{}. {}: {}", i + 1, st.title, concepts.join("; "))
        })
        .collect();
    format!(
        "; in {} stage{}: {}",
        stages.len(),
        if stages.len() == 1 { "" } else { "s" },
        each.join(" — ")
    )
}
