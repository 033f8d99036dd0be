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

pub(super) fn grid_table(s: &Session) -> GridTable {
    // A workspace's grid is concept × case.
    let accounts = match s.sources.is_empty() {
        true => Accounts::RoleGroups,
        false => Accounts::Sessions,
    };
    let g = grid(s, accounts);
    GridTable {
        columns: g.accounts.iter().map(|a| a.label(s)).collect(),
        rows: g
            .rows
            .iter()
            .map(|r| {
                let name = s
                    .concepts
                    .get(&r.concept)
                    .map(|c| format!("{} {}", c.id, c.name))
                    .unwrap_or_default();
                (
                    name,
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
                        .collect(),
                )
            })
            .collect(),
    }
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
                            crate::domain::TranslationKind::LineOfArgument { argument } => {
                                format!(" — {argument}")
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
