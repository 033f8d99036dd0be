//! What a cross-session workspace rests on, read: the workspace with the
//! words it refers to brought in from its sources, for its exports, its
//! review and a workshop's take-up.

use super::workspace::{Source, check_sources};
use crate::domain::{Event, Session};
use crate::store;
use std::path::Path;

/// A workspace as its exports read it: the workspace, with the words its
/// concepts and interpretations rest on brought in from each source under
/// the source's key (`A.st3` said by `A.P2` in stage `A.S1`, "A · Opening
/// round"), with who said them, their role, their stage, every amendment
/// and retraction, and each speaker's consent as it stands in the source
/// now. Built by applying events to a copy, never written anywhere; the
/// workspace and its sources are only read. A source that cannot be read
/// is listed with why, and its words are missing from the view.
pub fn export_view(dir: &Path, workspace: &Session) -> (Session, Vec<crate::export::Case>) {
    let sessions = dir.parent().unwrap_or(Path::new("."));
    let mut cases = check_sources(dir, workspace);
    let mut loaded = Vec::new();
    for c in cases.iter_mut().filter(|c| c.found.is_ok()) {
        match store::open_read_only(&sessions.join(&c.session)) {
            Ok(r) => loaded.push(Source {
                key: c.key.clone(),
                session: r.session,
            }),
            Err(e) => c.found = Err(format!("{} cannot be read: {e}", c.session)),
        }
    }
    let (view, refused) = view_over(workspace, &loaded);
    for (key, why) in refused {
        if let Some(c) = cases.iter_mut().find(|c| c.key == key) {
            c.found = Err(format!("{} could not be brought in: {why}", c.session));
        }
    }
    (view, cases)
}

/// The workspace with the words it refers to brought in from `sources`
/// (already read), as [`export_view`] describes; and each source whose
/// words could not be brought in, with why (the view then lacks them).
pub fn view_over(workspace: &Session, sources: &[Source]) -> (Session, Vec<(String, String)>) {
    let mut view = workspace.clone();
    let wanted = referenced(workspace);
    let mut refused = Vec::new();
    for src in sources {
        for e in brought_in(&src.key, &src.session, &wanted) {
            if let Err(err) = view.apply_owned(e) {
                refused.push((src.key.clone(), err.to_string()));
                break;
            }
        }
    }
    (view, refused)
}

/// Every source statement the workspace refers to, as `KEY.id`.
fn referenced(s: &Session) -> std::collections::BTreeSet<crate::domain::StatementId> {
    s.concepts
        .values()
        .flat_map(|c| c.statements.iter())
        .chain(s.interpretations.values().flat_map(|i| i.statements.iter()))
        .filter(|id| id.source_ref().is_some())
        .cloned()
        .collect()
}

/// The events that bring source `key`'s statements in `wanted` into a
/// workspace's view: their speakers and stages first, each under the key.
fn brought_in(
    key: &str,
    source: &Session,
    wanted: &std::collections::BTreeSet<crate::domain::StatementId>,
) -> Vec<Event> {
    use crate::domain::{ParticipantId, Speaker, StageId, StatementId};
    let keyed_speaker = |sp: &Speaker| match sp {
        Speaker::Group => Speaker::Group,
        Speaker::Participant(p) => Speaker::Participant(ParticipantId::new(format!("{key}.{p}"))),
    };
    let said: Vec<&crate::domain::Statement> = source
        .statements
        .values()
        .filter(|st| wanted.contains(format!("{key}.{}", st.id).as_str()))
        .map(|st| &**st)
        .collect();
    let mut events = Vec::new();
    for p in source.participants.values() {
        let speaks = |v: &crate::domain::statement::StatementVersion| {
            v.speaker == Speaker::Participant(p.id.clone())
        };
        if said
            .iter()
            .any(|st| speaks(&st.original) || st.amendments.iter().any(speaks))
        {
            let mut keyed = p.clone();
            keyed.id = ParticipantId::new(format!("{key}.{}", p.id));
            // One person may be in several cases (their register id in
            // each): in the view they are each case's participant.
            keyed.person = None;
            events.push(Event::ParticipantAdded { participant: keyed });
        }
    }
    for stage in source.stages.values() {
        if said.iter().any(|st| st.stage.as_ref() == Some(&stage.id)) {
            events.push(Event::StageAdded {
                id: StageId::new(format!("{key}.{}", stage.id)),
                kind: stage.kind,
                title: format!("{key} · {}", stage.title),
                prompt: stage.prompt.clone(),
                planned_secs: stage.planned_secs,
            });
        }
    }
    for st in said {
        let id = StatementId::new(format!("{key}.{}", st.id));
        let o = &st.original;
        events.push(Event::StatementAdded {
            id: id.clone(),
            kind: o.kind,
            speaker: keyed_speaker(&o.speaker),
            stage: st
                .stage
                .as_ref()
                .map(|s| StageId::new(format!("{key}.{s}"))),
            text: o.text.clone(),
            tags: o.tags.clone(),
            captured_by: o.by.clone(),
            at: o.at,
        });
        for a in &st.amendments {
            if a.recoded {
                events.push(Event::StatementRecoded {
                    statement: id.clone(),
                    kind: a.kind,
                    tags: a.tags.clone(),
                    by: a.by.clone(),
                    at: a.at,
                });
                continue;
            }
            events.push(Event::StatementAmended {
                statement: id.clone(),
                kind: a.kind,
                speaker: keyed_speaker(&a.speaker),
                text: a.text.clone(),
                tags: a.tags.clone(),
                reason: a.reason.clone(),
                by: a.by.clone(),
                at: a.at,
            });
        }
        if let Some(r) = &st.retracted {
            events.push(Event::StatementRetracted {
                statement: id,
                reason: r.reason.clone(),
                by: r.by.clone(),
                at: r.at,
            });
        }
    }
    events
}
