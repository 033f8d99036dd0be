//! How the translation was done, for reporting a meta-ethnography by the
//! eMERGe guidance: each translation's kind and wording, the concepts it
//! joins, its rationale, when and with whom it was made, and the
//! statements each interpretation built on it rests on, by role group.
//! Drawn only from the record.

use crate::domain::Session;
use crate::domain::analysis::provenance;

/// One translation as eMERGe asks it to be reported (criteria on how
/// studies were translated): drawn only from the record.
pub struct EmergeRow {
    pub id: String,
    /// The kind, with the group's wording for a reciprocal translation or
    /// a line of argument.
    pub kind: String,
    pub concepts: Vec<String>,
    pub rationale: String,
    /// When, in which stage, and who was in the room by role group.
    pub when: String,
    /// The interpretations resting on it, and the statements each rests
    /// on, by role group.
    pub used_by: Vec<String>,
}

/// Every translation, as the researcher's report tells it.
pub fn emerge(s: &Session) -> Vec<EmergeRow> {
    let by_role = |ids: &mut dyn Iterator<Item = &crate::domain::StatementId>| {
        let mut counts: Vec<(String, usize)> = Vec::new();
        for id in ids {
            let role = s
                .statements
                .get(id)
                .and_then(|st| s.role_of(&st.current().speaker))
                .map_or("whole group", |r| r.label())
                .to_owned();
            match counts.iter_mut().find(|(r, _)| *r == role) {
                Some((_, n)) => *n += 1,
                None => counts.push((role, 1)),
            }
        }
        counts
            .iter()
            .map(|(r, n)| format!("{r}: {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut present: Vec<(String, usize)> = Vec::new();
    for p in s.participants.values() {
        let role = p.role.label().to_owned();
        match present.iter_mut().find(|(r, _)| *r == role) {
            Some((_, n)) => *n += 1,
            None => present.push((role, 1)),
        }
    }
    let room = present
        .iter()
        .map(|(r, n)| format!("{r}: {n}"))
        .collect::<Vec<_>>()
        .join(", ");
    s.translations
        .values()
        .map(|t| {
            let stage = s.stages.values().enumerate().find(|(_, st)| {
                st.runtime.started.is_some_and(|a| a <= t.at)
                    && st.runtime.ended.is_none_or(|b| t.at <= b)
            });
            let during = stage
                .map(|(i, st)| format!(" during stage {} ({})", i + 1, st.title))
                .unwrap_or_default();
            let used_by = s
                .interpretations
                .values()
                .filter(|i| i.translations.contains(&t.id))
                .map(|i| {
                    let p = provenance(s, i);
                    // Those whose speakers did not consent are counted,
                    // never named, not even by id.
                    let mut ids: Vec<String> = p
                        .evidence
                        .iter()
                        .filter(|e| super::listed(s, e.statement))
                        .map(|e| e.statement.id.to_string())
                        .collect();
                    let withheld = p.evidence.len() - ids.len();
                    if let Some(n) = super::withheld_count(withheld, "statement") {
                        ids.push(n);
                    }
                    format!(
                        "{} ({}) rests on {} statements ({}): {}",
                        i.id,
                        i.status.label(),
                        p.evidence.len(),
                        by_role(&mut p.evidence.iter().map(|e| &e.statement.id)),
                        ids.join(", ")
                    )
                })
                .collect();
            EmergeRow {
                id: t.id.to_string(),
                kind: match t.kind.stages_line() {
                    Some(stages) => format!("{}, {stages}", t.kind.described()),
                    None => t.kind.described(),
                },
                concepts: t
                    .concepts
                    .iter()
                    .map(|c| match s.concepts.get(c) {
                        Some(c) => format!("{} {}", c.id, c.name),
                        None => c.to_string(),
                    })
                    .collect(),
                rationale: t.rationale.clone(),
                when: match s.sources.len() {
                    0 => format!(
                        "recorded at {}{during}, by the group in the room ({room})",
                        t.at.clock_time()
                    ),
                    n => format!(
                        "recorded on {} at {} in this cross-case workspace, over the words of {n} cases (speakers: {room})",
                        t.at.date(),
                        t.at.clock_time()
                    ),
                },
                used_by,
            }
        })
        .collect()
}
