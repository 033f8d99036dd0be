//! Statements as an export lists them: only those whose speakers
//! consented (the rest are counted), in their current wording, a
//! retracted one by its id and reason alone.

use super::{Privacy, listed};
use crate::domain::Session;

pub struct StatementRow {
    pub id: String,
    pub speaker: String,
    pub role: String,
    pub kind: String,
    /// Empty for a retracted statement: its words are withdrawn.
    pub text: String,
    pub tags: Vec<String>,
    pub note: String,
}

impl StatementRow {
    /// The words as a reader should meet them: a verbatim quote in
    /// quotation marks, a paraphrase, question or action plain.
    pub fn words(&self) -> String {
        if self.kind == crate::domain::StatementKind::Quote.label() {
            format!("“{}”", self.text)
        } else {
            self.text.clone()
        }
    }
}

pub(super) fn statement_row(
    session: &Session,
    privacy: Privacy,
    s: &crate::domain::Statement,
) -> StatementRow {
    let v = s.current();
    let role = session
        .role_of(&v.speaker)
        .map(|r| r.label().to_owned())
        .unwrap_or_else(|| "whole group".into());
    // Only the current wording: what an amendment took out stays in the
    // journal. A retracted statement keeps its id and why, not its words
    // or tags.
    let (text, tags, note) = match (&s.retracted, s.is_amended()) {
        (Some(r), _) => (
            String::new(),
            Vec::new(),
            format!("retracted: {}", r.reason),
        ),
        (None, true) => (v.text.clone(), v.tags.clone(), amended_note(s)),
        (None, false) => (v.text.clone(), v.tags.clone(), String::new()),
    };
    StatementRow {
        id: s.id.to_string(),
        speaker: privacy.speaker(session, &v.speaker),
        role,
        kind: v.kind.label().to_owned(),
        text,
        tags,
        note,
    }
}

/// `amended`, and whether the speaker was corrected: a mark, never the
/// earlier wording.
pub fn amended_note(s: &crate::domain::Statement) -> String {
    if s.original.speaker != s.current().speaker {
        "amended; speaker corrected".into()
    } else {
        "amended".into()
    }
}

/// The statements of `which` that may be listed, as rows, and how many
/// were withheld (their speakers did not consent).
pub(super) fn rows<'a>(
    session: &'a Session,
    privacy: Privacy,
    which: impl Iterator<Item = &'a crate::domain::Statement>,
) -> (Vec<StatementRow>, usize) {
    let mut withheld = 0;
    let mut out = Vec::new();
    for st in which {
        if listed(session, st) {
            out.push(statement_row(session, privacy, st));
        } else {
            withheld += 1;
        }
    }
    (out, withheld)
}
