//! What may be read of a statement: the one test every screen, export and
//! `show` asks before showing its words, tags or speaker.
//!
//! A participant who did not consent to be quoted (or withdrew consent) and
//! a retracted statement are *withheld*: their words and tags are shown
//! nowhere but the journal and the data controller's views. Every screen
//! may be projected, so screens show a marked placeholder instead.

use super::ids::ParticipantId;
use super::session::Session;
use super::statement::{Speaker, Statement};

/// Why a statement's words are not shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Withheld {
    /// Said by someone who did not consent to be quoted (as they stand now).
    NoConsent(ParticipantId),
    /// Taken back.
    Retracted,
}

impl Withheld {
    /// What a screen shows in place of the words: `[P7 · no consent: not
    /// shown]`, `[retracted: not shown]`.
    pub fn placeholder(&self) -> String {
        match self {
            Withheld::NoConsent(p) => format!("[{p} · no consent: not shown]"),
            Withheld::Retracted => "[retracted: not shown]".into(),
        }
    }

    /// Why, in a few words: `no consent`, `retracted`.
    pub fn reason(&self) -> &'static str {
        match self {
            Withheld::NoConsent(_) => "no consent",
            Withheld::Retracted => "retracted",
        }
    }
}

impl Session {
    /// Why `statement`'s words may not be shown, or `None` when they may.
    pub fn withheld(&self, statement: &Statement) -> Option<Withheld> {
        if statement.is_retracted() {
            return Some(Withheld::Retracted);
        }
        match &statement.current().speaker {
            Speaker::Participant(p) if !self.consents(&statement.current().speaker) => {
                Some(Withheld::NoConsent(p.clone()))
            }
            _ => None,
        }
    }

    /// Whether `participant` has consented to be named in research exports
    /// (an unknown id is nobody's, and so is no one to protect).
    pub fn consented(&self, participant: &ParticipantId) -> bool {
        self.consents(&Speaker::Participant(participant.clone()))
    }

    /// The statement's words on a screen: the current wording, or the
    /// placeholder when it is withheld.
    pub fn words_shown(&self, statement: &Statement) -> String {
        match self.withheld(statement) {
            Some(w) => w.placeholder(),
            None => statement.current().text.clone(),
        }
    }
}
