//! Exports: reports, CSV and REFI-QDA. They read a session and write files;
//! they never change the session or touch the journal. Participants appear
//! by pseudonym unless names are asked for.

pub mod codebook;
pub mod csv;
pub mod easy;
pub mod emerge;
pub mod gripp2;
pub mod html;
pub mod markdown;
pub mod measures;
mod page;
pub mod qdpx;
pub mod report;
mod statements;
mod synthesis;
pub mod synthesis_csv;
pub mod template;
pub mod transcript;
mod variables;
pub mod xlsx;
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

/// Who recorded things, as an export names them: `facilitator`, `phone
/// P3`, and every other name (a note-taker's terminal) as `note-taker 1`,
/// `note-taker 2` in the order they first appear; their own names only
/// with `--names` (staff are people too).
pub struct Staff {
    names: Vec<String>,
    named: bool,
}

impl Staff {
    pub fn of(session: &Session, privacy: Privacy) -> Staff {
        let mut names: Vec<String> = Vec::new();
        let mut see = |by: &str| {
            if !Self::kept(by) && !names.iter().any(|n| n == by) {
                names.push(by.to_owned());
            }
        };
        for st in session.statements.values() {
            see(&st.original.by);
            for a in &st.amendments {
                see(&a.by);
            }
            if let Some(r) = &st.retracted {
                see(&r.by);
            }
        }
        for r in session.rounds.values() {
            for b in &r.ballots {
                see(&b.recorded_by);
            }
        }
        for m in session.memos.values() {
            see(&m.by);
        }
        Staff {
            names,
            named: privacy.names,
        }
    }

    /// Labels that already name a role, not a person.
    fn kept(by: &str) -> bool {
        by.is_empty() || by == "facilitator" || by == "phones" || by.starts_with("phone ")
    }

    /// How `by` appears in an export.
    pub fn label(&self, by: &str) -> String {
        if self.named || Self::kept(by) {
            return by.to_owned();
        }
        match self.names.iter().position(|n| n == by) {
            Some(i) => format!("note-taker {}", i + 1),
            None => "note-taker".to_owned(),
        }
    }
}

/// `n statements withheld: no consent`, or nothing when none were.
pub fn withheld_count(n: usize, what: &str) -> Option<String> {
    match n {
        0 => None,
        1 => Some(format!("1 {what} withheld: no consent")),
        n => Some(format!("{n} {what}s withheld: no consent")),
    }
}

/// `2 more took part: not named (no consent)`, or nothing.
pub fn unnamed(n: usize) -> Option<String> {
    match n {
        0 => None,
        1 => Some("1 more took part: not named (no consent)".into()),
        n => Some(format!("{n} more took part: not named (no consent)")),
    }
}

/// Whether a statement appears in a research export at all: not when its
/// speaker has not consented, who is then only part of a count.
pub fn listed(session: &Session, st: &crate::domain::Statement) -> bool {
    session.consents(&st.current().speaker)
}

/// A source of a cross-session workspace as `verify`, review and the
/// exports list it: its key, what it is, the head the workspace drew on,
/// and what `verify` finds of it now.
#[derive(Clone, Debug)]
pub struct Case {
    pub key: String,
    pub session: String,
    pub title: String,
    pub head: String,
    pub found: Result<String, String>,
}

impl Case {
    /// What `verify` finds of it now, in words: a problem starts `PROBLEM:`.
    pub fn now(&self) -> String {
        match &self.found {
            Ok(_) => "unchanged since drawn on".into(),
            Err(e) => format!("PROBLEM: {e}"),
        }
    }
}

/// What an export is made from: the session and its audit facts.
pub struct Source<'a> {
    pub session: &'a Session,
    /// A workspace's sources (none for a session).
    pub cases: Vec<Case>,
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
            cases: Vec::new(),
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
