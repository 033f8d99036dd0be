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
    let default_name = match dirs.as_slice() {
        [] => {
            return Err(OpsError::Sources(
                "a workspace draws on at least one session: name them".into(),
            ));
        }
        [one] => format!("synthesis-{}", folder_name(one)),
        [first, rest @ ..] => format!("synthesis-{}-and-{}-more", folder_name(first), rest.len()),
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
pub(super) fn folder_name(d: &Path) -> String {
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
        let dir = sessions.join(&src.session);
        // A source renamed or moved since: say which, and where it was.
        if !dir.join(store::journal::JOURNAL).is_file() {
            return Err(OpsError::Sources(format!(
                "source {key} of this workspace, {}, is not in {} (renamed or moved?): the workspace finds its sources there by name; put it back, or make a new workspace",
                src.session,
                sessions.display()
            )));
        }
        let r = store::open_read_only(&dir)?;
        loaded.push(Source {
            key: key.clone(),
            session: r.session,
        });
    }
    Ok(loaded)
}

/// Checks that each source of the workspace at `dir` still holds the record
/// the workspace drew on (its head when added): records appended since are
/// no change; a journal rewritten, damaged before it, or gone is.
pub fn check_sources(dir: &Path, session: &Session) -> Vec<crate::export::Case> {
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
            crate::export::Case {
                key: key.clone(),
                session: src.session.clone(),
                title: src.title.clone(),
                head: src.head.clone(),
                found,
            }
        })
        .collect()
}

/// The first twelve characters of a hash, as people compare them.
fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
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

/// `text` on one line, at most `max` columns, cut at a word with "…".
pub(super) fn one_line_short(text: &str, max: usize) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    crate::safe::fit_width(&line, max)
}
