//! The synthesis as tables, for every session and workspace: the concepts,
//! each coding (a statement linked to a concept), the translations, the
//! interpretations, and the framework matrix in long form (one row per
//! quote, with its concept and its case or role group). Statements whose
//! speakers did not consent are counted, never listed; retracted ones keep
//! their id, not their words.

use super::csv::table;
use super::synthesis::framework;
use super::{Privacy, listed, withheld_count};
use crate::domain::Session;
use crate::domain::analysis::provenance;

/// Each concept: its name and description, how many statements it codes,
/// and what it became (merged into another).
pub fn concepts(s: &Session) -> super::csv::Table {
    table(
        &["id", "name", "description", "statements", "merged_into"],
        s.concepts
            .values()
            .map(|c| {
                vec![
                    c.id.to_string(),
                    c.name.clone(),
                    c.description.clone(),
                    c.statements.len().to_string(),
                    c.merged_into
                        .as_ref()
                        .map(|m| m.to_string())
                        .unwrap_or_default(),
                ]
            })
            .collect(),
    )
}

/// Each coding: a concept and a statement it codes; a statement whose
/// speaker did not consent only as a count per concept.
pub fn codings(s: &Session) -> super::csv::Table {
    let mut rows = Vec::new();
    for c in s.concepts.values() {
        let mut withheld = 0;
        for id in &c.statements {
            match s.statements.get(id) {
                Some(st) if !listed(s, st) => withheld += 1,
                Some(st) if st.is_retracted() => {
                    rows.push(vec![c.id.to_string(), id.to_string(), "retracted".into()])
                }
                _ => rows.push(vec![c.id.to_string(), id.to_string(), String::new()]),
            }
        }
        if let Some(n) = withheld_count(withheld, "statement") {
            rows.push(vec![c.id.to_string(), String::new(), n]);
        }
    }
    table(&["concept", "statement", "note"], rows)
}

/// Each translation: its kind, its wording or argument, the concepts it
/// joins in order, the rationale and when.
pub fn translations(s: &Session) -> super::csv::Table {
    use crate::domain::TranslationKind;
    table(
        &[
            "id",
            "kind",
            "wording",
            "concepts",
            "stages",
            "rationale",
            "at_utc",
        ],
        s.translations
            .values()
            .map(|t| {
                let wording = match &t.kind {
                    TranslationKind::Reciprocal { wording } => wording.clone(),
                    TranslationKind::LineOfArgument { argument, .. } => argument.clone(),
                    TranslationKind::Refutational => String::new(),
                };
                vec![
                    t.id.to_string(),
                    t.kind.label().to_owned(),
                    wording,
                    t.concepts
                        .iter()
                        .map(|c| c.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                    t.kind.stages_line().unwrap_or_default(),
                    t.rationale.clone(),
                    t.at.to_string(),
                ]
            })
            .collect(),
    )
}

/// Each interpretation: its words, status and last decision, and what it
/// rests on (translations, concepts, statements by id; withheld counted).
pub fn interpretations(s: &Session) -> super::csv::Table {
    table(
        &[
            "id",
            "status",
            "text",
            "decision",
            "translations",
            "concepts",
            "statements",
            "statements_withheld",
        ],
        s.interpretations
            .values()
            .map(|i| {
                let p = provenance(s, i);
                let ids: Vec<&str> = p
                    .evidence
                    .iter()
                    .filter(|e| listed(s, e.statement))
                    .map(|e| e.id.as_str())
                    .collect();
                let withheld = p.evidence.len() - ids.len();
                let join = |v: Vec<&str>| v.join(" ");
                vec![
                    i.id.to_string(),
                    i.status.label().to_owned(),
                    i.text().to_owned(),
                    i.history
                        .last()
                        .map(|h| h.reason.clone())
                        .unwrap_or_default(),
                    join(p.translations.iter().map(|t| t.id.as_str()).collect()),
                    join(p.concepts.iter().map(|c| c.id.as_str()).collect()),
                    join(ids),
                    withheld.to_string(),
                ]
            })
            .collect(),
    )
}

/// The framework matrix in long form: a row per quote, with its concept
/// and its column (a case, or a role group); withheld ones counted per
/// cell.
pub fn framework_long(s: &Session, privacy: Privacy) -> super::csv::Table {
    let f = framework(s, privacy);
    let mut rows = Vec::new();
    for (concept, cells) in &f.rows {
        for (column, (quotes, withheld)) in f.columns.iter().zip(cells) {
            for q in quotes {
                rows.push(vec![
                    concept.clone(),
                    column.clone(),
                    q.id.clone(),
                    q.who.clone(),
                    q.words.clone(),
                ]);
            }
            if let Some(n) = withheld_count(*withheld, "statement") {
                rows.push(vec![
                    concept.clone(),
                    column.clone(),
                    String::new(),
                    String::new(),
                    n,
                ]);
            }
        }
    }
    table(&["concept", "column", "statement", "who", "words"], rows)
}
