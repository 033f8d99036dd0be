//! A cross-session workspace: a folder with a journal of its own that
//! draws on several sessions, which are only read.

use super::locate::{now, resolve};
use super::{OpsError, Result};
use crate::domain::{Event, Session};
use crate::store::{self, Writer};
use std::path::{Path, PathBuf};

/// A session a cross-session workspace draws on, loaded read-only.
pub struct Source {
    pub key: String,
    pub session: Session,
}

/// Opens (or creates) a cross-session workspace over `sources`: its own
/// folder and journal, with each source recorded by `SourceAdded` and loaded
/// read-only. Sources are never written. Returns the writer, any warnings
/// from opening it, and the loaded sources.
pub fn open_workspace(
    sessions: &Path,
    sources: &[String],
    into: Option<String>,
    title: Option<String>,
    focus: Option<String>,
    actor: &str,
) -> Result<(Writer, Vec<String>, Vec<Source>)> {
    let mut dirs = Vec::new();
    for name in sources {
        dirs.push(resolve(sessions, name)?);
    }
    let default_name = match dirs.len() {
        1 => format!("synthesis-{}", folder_name(&dirs[0])),
        n => format!("synthesis-{}-and-{}-more", folder_name(&dirs[0]), n - 1),
    };
    // Everything that can be checked is, before a folder is made: a
    // workspace finds its sources by name in the sessions folder, and takes
    // at most 26 of them.
    for d in &dirs {
        if sessions.join(folder_name(d)).canonicalize().ok() != d.canonicalize().ok() {
            return Err(OpsError::SourceElsewhere(d.clone()));
        }
    }
    let dir = sessions.join(into.unwrap_or(default_name));
    let fresh = !dir.join(store::journal::JOURNAL).exists();
    if fresh && dirs.len() > 26 {
        return Err(OpsError::TooManySources);
    }
    let now = now();
    let (writer, warnings) = if !fresh {
        Writer::open(&dir, now)?
    } else {
        let mut titles = Vec::new();
        for d in &dirs {
            titles.push(store::open_read_only(d)?.session.title().to_owned());
        }
        let created = Event::SessionCreated {
            title: title.unwrap_or_else(|| {
                format!("Cross-case synthesis: {}", titles.join(" · "))
                    .chars()
                    .take(300)
                    .collect()
            }),
            focus: focus.unwrap_or_else(|| "What do these sessions say together?".into()),
            facilitator: actor.to_owned(),
            created: now,
            template: None,
        };
        (Writer::create(&dir, actor, now, &[created])?, Vec::new())
    };
    let (mut writer, mut warnings) = (writer, warnings);
    match add_sources(sessions, &dirs, &mut writer, actor, &mut warnings) {
        Ok(loaded) => Ok((writer, warnings, loaded)),
        Err(e) => {
            // A workspace made just now and not finished is not left behind
            // half made (its journal holds nothing but its creation and
            // what was added).
            if fresh {
                drop(writer);
                let _ = std::fs::remove_dir_all(&dir);
            }
            Err(e)
        }
    }
}

/// A session's folder name, by which a workspace knows it.
fn folder_name(d: &Path) -> String {
    d.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Adds each source in `dirs` not yet in the workspace, under the next
/// free key, and loads them all read-only.
fn add_sources(
    sessions: &Path,
    dirs: &[PathBuf],
    writer: &mut Writer,
    actor: &str,
    warnings: &mut Vec<String>,
) -> Result<Vec<Source>> {
    let now = now();
    for d in dirs {
        let name = folder_name(d);
        if writer.session().sources.values().any(|s| s.session == name) {
            continue;
        }
        let r = store::open_read_only(d)?;
        let key = (b'A'..=b'Z')
            .map(|c| (c as char).to_string())
            .find(|k| !writer.session().sources.contains_key(k))
            .ok_or(OpsError::TooManySources)?;
        let event = Event::SourceAdded {
            key: key.clone(),
            session: name,
            title: r.session.title().to_owned(),
            head: r.head.clone(),
            statements: r.session.statements.keys().cloned().collect(),
        };
        writer.record(actor, now, &event)?;
        // The case's own concepts, translations and agreed interpretations
        // come in as the material to translate.
        for e in constructs(&key, &r.session) {
            let checked = writer.session().check(&e);
            match checked {
                Ok(()) => {
                    writer.record(actor, now, &e)?;
                }
                Err(why) => warnings.push(format!(
                    "not brought in from case {key}: {} ({why})",
                    crate::domain::describe::short(&e)
                )),
            }
        }
    }
    let mut loaded = Vec::new();
    for (key, src) in &writer.session().sources {
        let r = store::open_read_only(&sessions.join(&src.session))?;
        loaded.push(Source {
            key: key.clone(),
            session: r.session,
        });
    }
    Ok(loaded)
}

/// What `verify` finds of one source of a workspace.
pub struct SourceCheck {
    pub key: String,
    pub session: String,
    /// `Ok` says what was found; `Err` why the workspace no longer rests on
    /// what it drew on.
    pub found: std::result::Result<String, String>,
}

/// Checks that each source of the workspace at `dir` still holds the record
/// the workspace drew on (its head when added): records appended since are
/// no change; a journal rewritten, damaged before it, or gone is.
pub fn check_sources(dir: &Path, session: &Session) -> Vec<SourceCheck> {
    let sessions = dir.parent().unwrap_or(Path::new("."));
    session
        .sources
        .iter()
        .map(|(key, src)| {
            let journal = sessions.join(&src.session).join(store::journal::JOURNAL);
            let found = if !journal.is_file() {
                Err(format!(
                    "{} is not in {} (renamed or moved?): the workspace finds its sources there by name",
                    src.session,
                    sessions.display()
                ))
            } else {
                let mut seen = false;
                let head = src.head.as_str();
                match store::journal::scan(&journal, 1, 0, &mut |r| {
                    seen |= r.hash == *head;
                    Ok(())
                }) {
                    Ok(_) if seen => Ok(format!(
                        "{} still holds the record the workspace drew on (head {})",
                        src.session,
                        short(head)
                    )),
                    Ok(scan) => Err(format!(
                        "{} has changed: the record the workspace drew on (head {}) is not in its journal{}",
                        src.session,
                        short(head),
                        scan.damage
                            .map(|d| format!(", which is damaged at line {}", d.line))
                            .unwrap_or_default()
                    )),
                    Err(e) => Err(format!("{} cannot be read: {e}", src.session)),
                }
            };
            SourceCheck {
                key: key.clone(),
                session: src.session.clone(),
                found,
            }
        })
        .collect()
}

/// The first twelve characters of a hash, as people compare them.
fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

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
    let checks = check_sources(dir, workspace);
    let mut loaded = Vec::new();
    let mut lines = Vec::new();
    for (check, (key, src)) in checks.into_iter().zip(&workspace.sources) {
        let mut found = check.found;
        if found.is_ok() {
            match store::open_read_only(&sessions.join(&src.session)) {
                Ok(r) => loaded.push(Source {
                    key: key.clone(),
                    session: r.session,
                }),
                Err(e) => found = Err(format!("{} cannot be read: {e}", src.session)),
            }
        }
        lines.push(crate::export::Case {
            key: key.clone(),
            session: src.session.clone(),
            title: src.title.clone(),
            head: src.head.clone(),
            found,
        });
    }
    let (view, refused) = view_over(workspace, &loaded);
    for (key, why) in refused {
        if let Some(c) = lines.iter_mut().find(|c| c.key == key) {
            c.found = Err(format!("{} could not be brought in: {why}", c.session));
        }
    }
    (view, lines)
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

/// A case's own second-order constructs, as a workspace brings them in to
/// be translated: each live concept (`A.c1`, named "A: …") with its
/// statements; each translation among those concepts (`A.t1`); and each
/// interpretation the case agreed, as a concept of its own (`A.i1`) resting
/// on every statement its provenance reaches. Each says where it came from.
fn constructs(key: &str, s: &Session) -> Vec<Event> {
    use crate::domain::{ConceptId, InterpretationStatus, StatementId, TranslationId};
    let k = |id: &str| format!("{key}.{id}");
    let keyed = |ids: &mut dyn Iterator<Item = &StatementId>| -> Vec<StatementId> {
        let mut out: Vec<StatementId> = Vec::new();
        for id in ids {
            let id = StatementId::new(k(id.as_str()));
            if !out.contains(&id) {
                out.push(id);
            }
        }
        out
    };
    let title = s.title();
    let mut out = Vec::new();
    let mut concept = |id: String, name: String, about: String, statements: Vec<StatementId>| {
        let id = ConceptId::new(id);
        out.push(Event::ConceptCreated {
            id: id.clone(),
            name: one_line_short(&name, 120),
            description: about
                .chars()
                .take(crate::domain::session::MAX_TEXT)
                .collect(),
        });
        if !statements.is_empty() {
            out.push(Event::StatementsLinked {
                concept: id,
                statements,
            });
        }
    };
    for c in s.concepts.values().filter(|c| c.is_active()) {
        let about = match c.description.trim() {
            "" => format!("From case {key} ({title}), its concept {}.", c.id),
            d => format!("From case {key} ({title}), its concept {}: {d}", c.id),
        };
        concept(
            k(c.id.as_str()),
            format!("{key}: {}", c.name),
            about,
            keyed(&mut c.statements.iter()),
        );
    }
    for i in s
        .interpretations
        .values()
        .filter(|i| i.status == InterpretationStatus::Agreed)
    {
        let p = crate::domain::analysis::provenance(s, i);
        let decided = i
            .history
            .last()
            .map(|h| match &h.round {
                Some(r) => format!(" (vote {r}: {})", h.reason),
                None => format!(" ({})", h.reason),
            })
            .unwrap_or_default();
        concept(
            k(i.id.as_str()),
            format!("{key}: {}", i.text()),
            format!(
                "Case {key} ({title}) agreed its interpretation {}{decided}: {}",
                i.id,
                i.text()
            ),
            keyed(&mut p.evidence.iter().map(|e| &e.id)),
        );
    }
    for t in s.translations.values() {
        let live = t
            .concepts
            .iter()
            .all(|c| s.concepts.get(c).is_some_and(|c| c.is_active()));
        if live {
            // A line of argument's stages name the case's concepts too.
            let kind = match &t.kind {
                crate::domain::TranslationKind::LineOfArgument { argument, stages } => {
                    crate::domain::TranslationKind::LineOfArgument {
                        argument: argument.clone(),
                        stages: stages
                            .iter()
                            .map(|st| crate::domain::synthesis::ArgumentStage {
                                title: st.title.clone(),
                                concepts: st
                                    .concepts
                                    .iter()
                                    .map(|c| ConceptId::new(k(c.as_str())))
                                    .collect(),
                            })
                            .collect(),
                    }
                }
                other => other.clone(),
            };
            out.push(Event::TranslationMade {
                id: TranslationId::new(k(t.id.as_str())),
                kind,
                concepts: t
                    .concepts
                    .iter()
                    .map(|c| ConceptId::new(k(c.as_str())))
                    .collect(),
                rationale: format!("From case {key}: {}", t.rationale)
                    .chars()
                    .take(crate::domain::session::MAX_TEXT)
                    .collect(),
                at: t.at,
            });
        }
    }
    out
}

/// `text` on one line, at most `max` characters, cut at a word with "…".
fn one_line_short(text: &str, max: usize) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= max {
        return line;
    }
    let cut: String = line.chars().take(max - 1).collect();
    let at = cut.rfind(' ').filter(|&i| i > max / 2).unwrap_or(cut.len());
    format!("{}…", cut[..at].trim_end())
}

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
                let mut groups: Vec<(&str, usize)> = Vec::new();
                for e in &of_case {
                    let g = view
                        .role_of(&e.statement.current().speaker)
                        .map_or("whole group", |r| r.group().label());
                    match groups.iter_mut().find(|(x, _)| *x == g) {
                        Some((_, n)) => *n += 1,
                        None => groups.push((g, 1)),
                    }
                }
                let groups: Vec<String> = groups.iter().map(|(g, n)| format!("{g} {n}")).collect();
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
