//! The one listing of sessions: what `list`, the session picker and the
//! review browser each show, read once per session by replaying its journal.

use crate::domain::StageState;
use crate::store::{self, StoreError};
use std::path::{Path, PathBuf};

/// A session as a list shows it.
#[derive(Clone, Debug)]
pub struct SessionSummary {
    pub dir: PathBuf,
    /// The folder's name.
    pub name: String,
    /// `YYYY-MM-DD` it was created; `None` if it cannot be read.
    pub date: Option<String>,
    pub title: String,
    pub focus: String,
    pub participants: usize,
    pub statements: usize,
    pub votes: usize,
    pub interpretations: usize,
    pub stages: usize,
    pub stages_done: usize,
    /// Time spent in stages, in seconds.
    pub ran_secs: i64,
    pub records: u64,
    /// Where reading stopped early, for a damaged journal.
    pub damage: Option<String>,
    /// Why it could not be read at all.
    pub unreadable: Option<String>,
}

impl SessionSummary {
    /// What is wrong with it, if anything.
    pub fn problem(&self) -> Option<&str> {
        self.unreadable.as_deref().or(self.damage.as_deref())
    }
}

/// Every session folder under `sessions`, sorted by folder name.
pub fn catalog(sessions: &Path) -> Result<Vec<SessionSummary>, StoreError> {
    Ok(store::session_dirs(sessions)?
        .into_iter()
        .map(|dir| summarise(&dir))
        .collect())
}

/// One session's summary; a session that cannot be read says why.
pub fn summarise(dir: &Path) -> SessionSummary {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let empty = SessionSummary {
        dir: dir.to_owned(),
        name,
        date: None,
        title: String::new(),
        focus: String::new(),
        participants: 0,
        statements: 0,
        votes: 0,
        interpretations: 0,
        stages: 0,
        stages_done: 0,
        ran_secs: 0,
        records: 0,
        damage: None,
        unreadable: None,
    };
    let r = match store::open_read_only(dir) {
        Ok(r) => r,
        Err(e) => {
            return SessionSummary {
                unreadable: Some(e.to_string()),
                ..empty
            };
        }
    };
    let s = &r.session;
    SessionSummary {
        date: Some(s.info().map(|i| i.created.date()).unwrap_or_default()),
        title: s.title().to_owned(),
        focus: s.focus().to_owned(),
        participants: s.participants.len(),
        statements: s.statements.len(),
        votes: s.rounds.len(),
        interpretations: s.interpretations.len(),
        stages: s.stages.len(),
        stages_done: s
            .stages
            .values()
            .filter(|st| st.state() == StageState::Ended)
            .count(),
        ran_secs: s
            .stages
            .values()
            .filter(|st| st.state() != StageState::NotStarted)
            .map(|st| {
                st.elapsed_millis(st.runtime.ended.or(st.runtime.started).unwrap_or_default())
                    / 1000
            })
            .sum(),
        records: r.records,
        damage: r.damage.map(|d| d.to_string()),
        ..empty
    }
}
