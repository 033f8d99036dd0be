//! Withheld words, revealed for a moment on the screen that asks.
//!
//! Every screen may be on the wall, so a statement whose speaker did not
//! consent, or that was retracted, shows as a placeholder everywhere. The
//! facilitator or note-taker who needs its words (to check or amend it)
//! presses the reveal key: the words show on this screen, under a PRIVATE
//! banner, for [`REVEAL_SECS`] seconds or until the next key. Never on a
//! projector, never remembered.

use super::state::{App, REVEAL_SECS, Reveal, Tone};
use crate::domain::{Session, StatementId, Timestamp, Withheld};

/// How the status line begins while words are revealed.
const SHOWN: &str = "shown here for";

impl App {
    /// The revealed words are hidden again, and the line that said so goes.
    pub fn end_reveal(&mut self) {
        self.reveal = None;
        if self
            .message
            .as_ref()
            .is_some_and(|m| m.text.starts_with(SHOWN))
        {
            self.message = None;
        }
    }
}

/// What a phone's waiting statement is called while its words are shown:
/// `P7's phone`.
pub fn phone_said_id(said: &crate::live::Said) -> StatementId {
    StatementId::new(format!("{}'s phone", said.from))
}

/// The reveal key: the selected withheld statement's words, for a moment.
pub fn reveal(app: &mut App, session: &Session, now: Timestamp) {
    match app.selected_withheld(session) {
        Some((statement, why)) => {
            app.reveal = Some(Reveal {
                statement,
                until: now.plus_secs(REVEAL_SECS),
            });
            let whose = match why {
                Withheld::NoConsent(p) => format!("{p} did not consent to be shown"),
                Withheld::Retracted => "it was retracted".to_owned(),
            };
            app.say(
                Tone::Info,
                format!("{SHOWN} {REVEAL_SECS} s ({whose}); any key hides it"),
            );
        }
        None => app.say(
            Tone::Refused,
            "select a statement marked “not shown” first: its words are the only ones hidden",
        ),
    }
}
