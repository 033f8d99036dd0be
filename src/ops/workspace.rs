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
    let folder_name = |d: &PathBuf| {
        d.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let default_name = match dirs.len() {
        1 => format!("synthesis-{}", folder_name(&dirs[0])),
        n => format!("synthesis-{}-and-{}-more", folder_name(&dirs[0]), n - 1),
    };
    let dir = sessions.join(into.unwrap_or(default_name));
    let now = now();
    let (mut writer, warnings) = if dir.join(store::journal::JOURNAL).exists() {
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
    // Each source not yet in the workspace is added under the next free key.
    for d in &dirs {
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
            key,
            session: name,
            title: r.session.title().to_owned(),
            head: r.head.clone(),
            statements: r.session.statements.keys().cloned().collect(),
        };
        writer.record(actor, now, &event)?;
    }
    let mut loaded = Vec::new();
    for (key, src) in &writer.session().sources {
        let r = store::open_read_only(&sessions.join(&src.session))?;
        loaded.push(Source {
            key: key.clone(),
            session: r.session,
        });
    }
    Ok((writer, warnings, loaded))
}
