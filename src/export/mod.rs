//! Exports: reports, CSV and REFI-QDA. They read a session and write files;
//! they never change the session or touch the journal. Participants appear
//! by pseudonym unless names are asked for.

pub mod csv;
pub mod emerge;
pub mod html;
pub mod markdown;
pub mod measures;
mod page;
pub mod qdpx;
pub mod report;
mod xml;

use crate::domain::{Session, Speaker};
use crate::store::ReadOnly;

/// How an export treats people.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Privacy {
    /// Show real names beside pseudonyms (`--names`).
    pub names: bool,
}

impl Privacy {
    /// `P3`, or `P3 (Linda Hughes)` when names are asked for and known.
    pub fn speaker(&self, session: &Session, speaker: &Speaker) -> String {
        match speaker {
            Speaker::Group => "group".into(),
            Speaker::Participant(p) => match session
                .participants
                .get(p)
                .and_then(|x| x.real_name.as_ref())
            {
                Some(name) if self.names => format!("{p} ({name})"),
                _ => p.to_string(),
            },
        }
    }
}

impl Privacy {
    /// The facilitator's name, only with `--names` (staff are people too).
    pub fn facilitator(&self, session: &Session) -> Option<String> {
        session
            .info()
            .filter(|i| self.names && !i.facilitator.trim().is_empty())
            .map(|i| i.facilitator.clone())
    }
}

/// What an export is made from: the session and its audit facts.
pub struct Source<'a> {
    pub session: &'a Session,
    /// The session folder's name.
    pub name: String,
    pub records: u64,
    pub head: String,
    /// Why the journal could only be read up to `records`, if it could.
    pub damage: Option<String>,
}

impl<'a> Source<'a> {
    pub fn from_read_only(r: &'a ReadOnly) -> Self {
        Source {
            session: &r.session,
            name: r
                .dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            records: r.records,
            head: r.head.clone(),
            damage: r.damage.as_ref().map(|d| d.to_string()),
        }
    }
}
