//! A workshop and a cross-case workspace: the workshop takes up the
//! workspace's interpretations, and the workspace records its verdicts.

use super::locate::{now, resolve};
use super::workspace::{folder_name, one_line_short};
use super::workspace_view::export_view;
use super::{OpsError, Result};
use crate::domain::Event;
use crate::store::{self, Writer};
use std::path::Path;

/// Takes up into the session `into` (a workshop) every interpretation of the
/// workspace named `workspace` that has not been set aside: its words, where
/// it comes from and what it rests on, case by case, in counts. Refused when
/// a source of the workspace has changed since it was drawn on. Returns the
/// ids taken up.
pub fn take_up(
    sessions: &Path,
    workspace: &str,
    into: &mut Writer,
    actor: &str,
) -> Result<Vec<String>> {
    use crate::domain::InterpretationStatus;
    let dir = resolve(sessions, workspace)?;
    let r = store::open_read_only(&dir)?;
    if r.session.sources.is_empty() {
        return Err(OpsError::NotAWorkspace(dir));
    }
    let (view, cases) = export_view(&dir, &r.session);
    let problems: Vec<String> = cases
        .iter()
        .filter_map(|c| c.found.as_ref().err().cloned())
        .collect();
    if !problems.is_empty() {
        return Err(OpsError::Sources(format!(
            "the workspace's interpretations were not taken up, because what they rest on cannot be read as it was drawn on: {}",
            problems.join("; ")
        )));
    }
    let name = folder_name(&dir);
    let now = now();
    let mut taken = Vec::new();
    for i in view
        .interpretations
        .values()
        .filter(|i| i.status != InterpretationStatus::SetAside)
    {
        let p = crate::domain::analysis::provenance(&view, i);
        let grounds = cases
            .iter()
            .filter_map(|c| {
                let of_case: Vec<_> = p
                    .evidence
                    .iter()
                    .filter(|e| e.id.source_ref().is_some_and(|(k, _)| k == c.key))
                    .filter(|e| !e.retracted())
                    .collect();
                if of_case.is_empty() {
                    return None;
                }
                // By role group only those who consented: a group of one
                // who declined is never named by its count.
                let mut groups: Vec<(&str, usize)> = Vec::new();
                let mut withheld = 0;
                for e in &of_case {
                    if !crate::export::listed(&view, e.statement) {
                        withheld += 1;
                        continue;
                    }
                    let g = view
                        .role_of(&e.statement.current().speaker)
                        .map_or("whole group", |r| r.group().label());
                    match groups.iter_mut().find(|(x, _)| *x == g) {
                        Some((_, n)) => *n += 1,
                        None => groups.push((g, 1)),
                    }
                }
                let mut groups: Vec<String> =
                    groups.iter().map(|(g, n)| format!("{g} {n}")).collect();
                if withheld > 0 {
                    groups.push(format!("{withheld} withheld"));
                }
                Some(one_line_short(
                    &format!(
                        "Case {} · {}: {} ({})",
                        c.key,
                        c.title,
                        crate::domain::describe::counted(
                            of_case.len() as u64,
                            "statement",
                            "statements"
                        ),
                        groups.join(", ")
                    ),
                    300,
                ))
            })
            .collect();
        let e = Event::InterpretationTakenUp {
            id: i.id.clone(),
            text: i.text().to_owned(),
            workspace: name.clone(),
            from: i.id.clone(),
            head: r.head.clone(),
            grounds,
            at: now,
        };
        into.record(actor, now, &e)?;
        taken.push(i.id.to_string());
    }
    Ok(taken)
}

/// What `verdicts` recorded: each interpretation, its verdict and where.
pub struct Verdict {
    pub interpretation: String,
    pub status: String,
    pub round: String,
}

/// Records in the workspace at `workspace` what the workshop at `workshop`
/// decided of the interpretations it took up from it: each agreed or set
/// aside there by a vote, once. Returns what was recorded.
pub fn record_verdicts(
    sessions: &Path,
    workspace: &str,
    workshop: &str,
    actor: &str,
) -> Result<Vec<Verdict>> {
    use crate::domain::InterpretationStatus;
    let ws_dir = resolve(sessions, workspace)?;
    let shop_dir = resolve(sessions, workshop)?;
    let shop = store::open_read_only(&shop_dir)?;
    if let Some(d) = &shop.damage {
        return Err(OpsError::Damaged {
            damage: d.to_string(),
            records: shop.records,
        });
    }
    let ws_name = folder_name(&ws_dir);
    let shop_name = folder_name(&shop_dir);
    let now = now();
    let (mut w, _) = Writer::open(&ws_dir, now)?;
    if w.session().sources.is_empty() {
        return Err(OpsError::NotAWorkspace(ws_dir));
    }
    let mut recorded = Vec::new();
    for (id, from) in shop
        .session
        .taken_up
        .iter()
        .filter(|(_, t)| t.workspace == ws_name)
    {
        let Some(i) = shop.session.interpretations.get(id) else {
            continue;
        };
        // Decided there by a vote, and not yet recorded here.
        let Some(change) = i.history.last() else {
            continue;
        };
        let (Some(round), true) = (
            &change.round,
            matches!(
                i.status,
                InterpretationStatus::Agreed | InterpretationStatus::SetAside
            ),
        ) else {
            continue;
        };
        let said = format!("in the workshop {shop_name}, vote {round}:");
        let already = w
            .session()
            .interpretations
            .get(&from.from)
            .is_some_and(|x| x.history.iter().any(|h| h.reason.starts_with(&said)));
        if already {
            continue;
        }
        let e = Event::VerdictRecorded {
            interpretation: from.from.clone(),
            status: i.status,
            workshop: shop_name.clone(),
            round: round.clone(),
            head: shop.head.clone(),
            reason: change.reason.chars().take(400).collect(),
            at: now,
        };
        w.record(actor, now, &e)?;
        recorded.push(Verdict {
            interpretation: from.from.to_string(),
            status: i.status.label().to_owned(),
            round: round.to_string(),
        });
    }
    Ok(recorded)
}
