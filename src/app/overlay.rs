//! What can lie over a screen: the help list, a yes/no question, a prompt,
//! the quit dialog. How keys reach them is in [`super::layers`].

use super::actions::Layer;
use super::synthesis;
use crate::domain::{Event, MemoKind, StatementId};
use ratatui_textarea::TextArea;

/// What a one-line prompt is asking for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PromptKind {
    Memo(MemoKind),
    /// The statement, and what the dialog shows of it: its words and whose
    /// (or the placeholder of words withheld), since the dialog may cover
    /// its row.
    Retract(StatementId, String),
    Question,
    /// A break's length in minutes.
    Break,
    /// An action, from this statement if any.
    NewAction(Option<crate::domain::StatementId>),
    /// Someone who arrived late.
    Latecomer,
    /// A statement's number or words, to select it.
    Find,
    /// A new stage's title and minutes, to go after this one.
    AddStage(crate::domain::StageId),
    /// Synthesis prompts, answered in `synthesis::submit`.
    Synthesis(synthesis::Ask),
}

/// Layers over the screen; the top one gets keys first.
pub enum Overlay {
    /// Every key of the screen beneath; `page` turns with PgDn or space
    /// where they do not all fit.
    Help { page: u16 },
    /// Quitting always asks: it says what is not yet in the journal (and
    /// offers a rescue file for it) and who would be disconnected.
    Quit {
        unsaved: Unsaved,
        /// Who is joined to this session and would lose the host.
        peers: Vec<String>,
    },
    Confirm {
        question: String,
        events: Vec<Event>,
    },
    /// A statement sent from a phone: into the record, or set aside.
    /// `private`: from someone who did not consent to be shown, so its
    /// words wait for the reveal key.
    PhoneSaid {
        said: crate::live::Said,
        private: bool,
    },
    /// A phone asks to join under a name: the facilitator matches the
    /// number it shows and lets it in, or not.
    PhoneJoin { asking: crate::live::Asking },
    /// Several answers, each with what it records; none of them records nothing.
    Choose {
        question: String,
        answers: Vec<(String, Vec<Event>)>,
    },
    Prompt {
        kind: PromptKind,
        input: Box<TextArea<'static>>,
    },
    /// Which joined terminal to disconnect, as the projector lists them.
    /// Which joined terminal to disconnect, or which name asked for by a
    /// new laptop to free (numbered after the terminals).
    Remove {
        shown: Vec<String>,
        claims: Vec<String>,
    },
}

impl Overlay {
    /// The keymap layer this overlay reads its keys in.
    pub fn layer(&self) -> Layer {
        match self {
            Overlay::Help { .. } => Layer::Help,
            Overlay::Quit { .. } => Layer::Quitting,
            Overlay::Confirm { .. } | Overlay::PhoneSaid { .. } | Overlay::PhoneJoin { .. } => {
                Layer::Confirm
            }
            Overlay::Choose { .. } | Overlay::Remove { .. } => Layer::Choose,
            Overlay::Prompt { .. } => Layer::Prompt,
        }
    }
}

/// What quitting now would lose.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Unsaved {
    /// Sent to the store and not yet saved.
    pub saving: usize,
    /// Refused or failed: `NOT SAVED` on screen.
    pub failed: usize,
    /// Text in the capture box or an open prompt.
    pub typed: bool,
}

impl Unsaved {
    pub fn is_nothing(&self) -> bool {
        *self == Unsaved::default()
    }

    /// "1 NOT SAVED, 2 still saving and text being typed".
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if self.failed > 0 {
            parts.push(format!("{} NOT SAVED", self.failed));
        }
        if self.saving > 0 {
            parts.push(format!("{} still saving", self.saving));
        }
        if self.typed {
            parts.push("text being typed".to_owned());
        }
        match parts.len() {
            0 => "nothing".to_owned(),
            1 => parts.remove(0),
            _ => {
                let last = parts.pop().unwrap_or_default();
                format!("{} and {last}", parts.join(", "))
            }
        }
    }
}
