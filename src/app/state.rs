//! The interaction state that is not part of the record: which screen,
//! what is being typed, what is waiting for the store, what to tell the
//! user. Changed only by `update` and the handlers it calls.

use super::actions::Layer;
use super::keymap::Keymap;
use super::overlay::{Overlay, Unsaved};
use super::{Effect, capture, synthesis, vote};
use crate::domain::{Event, Session, StatementKind, Timestamp, describe};
use ratatui_textarea::TextArea;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    Projector,
    Capture,
    Vote,
    Agenda,
    Synthesis,
}

impl Screen {
    pub const ALL: [Screen; 5] = [
        Screen::Projector,
        Screen::Capture,
        Screen::Vote,
        Screen::Agenda,
        Screen::Synthesis,
    ];

    pub fn layer(self) -> Layer {
        match self {
            Screen::Projector => Layer::Projector,
            Screen::Capture => Layer::Capture,
            Screen::Vote => Layer::Vote,
            Screen::Agenda => Layer::Agenda,
            Screen::Synthesis => Layer::Synthesis,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Screen::Projector => "Projector",
            Screen::Capture => "Capture",
            Screen::Vote => "Vote",
            Screen::Agenda => "Agenda",
            Screen::Synthesis => "Synthesis",
        }
    }
}

/// An event sent to the store and not yet acknowledged.
#[derive(Clone, Debug, PartialEq)]
pub struct Pending {
    pub token: u64,
    pub event: Event,
    /// Set when the store refused or failed to save it.
    pub failed: Option<String>,
}

/// What a terminal that cannot tell a paste from typing means for a
/// note-taker, in 80 columns.
pub const PASTE_IS_TYPING: &str =
    "Paste one line at a time here: this console types a pasted line break as Enter";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Info,
    Saved,
    Problem,
    /// Something refused, which trying again would not change: shown like
    /// a problem, and cleared by the next key once read.
    Refused,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub tone: Tone,
}

pub struct App {
    pub screen: Screen,
    pub overlays: Vec<Overlay>,
    pub keymap: Keymap,
    /// Who the journal says did things from this terminal.
    pub actor: String,
    pub capture: capture::CaptureState,
    pub vote: vote::VoteDraft,
    pub synthesis: synthesis::SynthesisState,
    /// Source sessions of a cross-session workspace (read-only; empty otherwise).
    pub sources: Vec<synthesis::Source>,
    pub pending: Vec<Pending>,
    pub message: Option<Message>,
    pub quit: bool,
    /// The clock shows time used instead of time left.
    pub clock_shows_used: bool,
    /// The stage chosen on the agenda screen.
    pub agenda_selected: Option<crate::domain::StageId>,
    /// The stage and allowance for which the zero bell has rung.
    pub bell_for: Option<(crate::domain::StageId, i64)>,
    /// Put before every id this terminal makes, so that terminals joined to
    /// one session never make the same one (`sam-st4`). Empty at the host.
    pub id_prefix: String,
    /// The host's, a note-taker's or a viewer's: what this terminal may do.
    pub seat: super::actions::Seat,
    /// Other terminals joined to this session (at the host).
    pub peers: Vec<String>,
    /// Names new laptops asked for that other laptops hold (at the host).
    pub claims: Vec<String>,
    /// How another laptop joins: the code and the address (with `--lan`).
    pub join_code: Option<(String, String)>,
    /// Wrong join codes tried from the network (shown by the code).
    pub wrong_codes: u64,
    /// Participants' phones (with `--phones`): where they join, who has,
    /// and what they sent that waits for the facilitator.
    pub phones: Option<crate::live::PhoneRoom>,
    /// This projector shows how phones join (the QR code) instead of the room.
    pub show_phones: bool,
    /// A joined terminal's link to its host: connected, and what to say.
    pub link: Option<(bool, String)>,
    /// Problems that stay on screen above the status line until quit (a
    /// line set aside, a journal replaced or damaged), so that no later
    /// message pushes them away.
    pub standing: Vec<String>,
    /// The session shown came from a snapshot still being checked against
    /// the journal: the header says "checking…" until it is.
    pub checking: bool,
    /// Withheld words shown on this screen for a moment (the reveal key):
    /// gone at the next key, or when the time is up.
    pub reveal: Option<Reveal>,
    next_token: u64,
}

/// How long withheld words stay revealed.
pub const REVEAL_SECS: i64 = 10;

/// A withheld statement's words, shown on one screen of one terminal
/// until `until` (never on a projector, never kept).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reveal {
    pub statement: crate::domain::StatementId,
    pub until: Timestamp,
}

impl App {
    pub fn new(keymap: Keymap, actor: impl Into<String>) -> Self {
        Self {
            screen: Screen::Projector,
            overlays: Vec::new(),
            keymap,
            actor: actor.into(),
            capture: capture::CaptureState::default(),
            vote: vote::VoteDraft::default(),
            synthesis: synthesis::SynthesisState::default(),
            sources: Vec::new(),
            pending: Vec::new(),
            message: None,
            quit: false,
            bell_for: None,
            clock_shows_used: false,
            agenda_selected: None,
            id_prefix: String::new(),
            seat: super::actions::Seat::Host,
            peers: Vec::new(),
            claims: Vec::new(),
            phones: None,
            show_phones: false,
            join_code: None,
            wrong_codes: 0,
            link: None,
            standing: Vec::new(),
            checking: false,
            reveal: None,
            next_token: 1,
        }
    }

    /// The layer of the screen beneath any overlays.
    pub fn context(&self) -> Layer {
        self.screen.layer()
    }

    /// Asks for `event` to be recorded. When nothing is in flight the event is
    /// checked first so a mistake is explained at once; otherwise the store
    /// checks it against the saved state.
    pub(crate) fn record(&mut self, session: &Session, event: Event, fx: &mut Vec<Effect>) -> bool {
        if self.pending.iter().all(|p| p.failed.is_some())
            && let Err(e) = session.check(&event)
        {
            self.say(Tone::Refused, format!("not saved: {e}"));
            return false;
        }
        let token = self.next_token;
        self.next_token += 1;
        self.pending.push(Pending {
            token,
            event: event.clone(),
            failed: None,
        });
        fx.push(Effect::Record { token, event });
        true
    }

    /// What the bottom line's hints depend on.
    pub fn hint_state<'a>(&self, session: &'a Session) -> super::actions::HintState<'a> {
        super::actions::HintState {
            session,
            failed: self.pending.iter().any(|p| p.failed.is_some()),
            synthesis: self.synthesis.view,
            connected: !self.peers.is_empty(),
            phones: self
                .phones
                .as_ref()
                .map(|p| p.waiting.len() + p.asking.len()),
            withheld_selected: self.selected_withheld(session).is_some(),
            workspace: self.in_workspace(),
            grid_paged: {
                let (shown, of) = self.synthesis.columns_fit.get();
                shown < of
            },
        }
    }

    /// `template` with `{Action}` replaced by its key on this screen.
    pub(crate) fn keys(&self, template: &str) -> String {
        self.keymap.fill(self.context(), template)
    }

    pub(crate) fn say(&mut self, tone: Tone, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            tone,
        });
    }

    /// A cross-session workspace: it translates its sources' words; it has
    /// no room, agenda or votes, and the researcher's notes are memos.
    pub fn in_workspace(&self) -> bool {
        !self.sources.is_empty()
    }

    /// The terminal cannot tell a paste from typing (Windows' classic
    /// console): a pasted line break would save what is above it, so that
    /// stays said on screen, on every seat that types.
    pub fn paste_is_typing(&mut self) {
        if self.seat != super::actions::Seat::Viewer {
            self.stand(PASTE_IS_TYPING);
        }
    }

    /// Keeps `text` on screen until quit (once, however often it is said).
    pub(crate) fn stand(&mut self, text: impl Into<String>) {
        let text = text.into();
        if !self.standing.contains(&text) {
            self.standing.push(text);
        }
    }

    /// A fresh id with `prefix` unused by the session and by anything in flight.
    pub(crate) fn fresh_id(
        &self,
        prefix: &str,
        taken: impl Fn(&str) -> bool,
        start: usize,
    ) -> String {
        let mut n = start + 1;
        loop {
            let id = format!("{}{prefix}{n}", self.id_prefix);
            let in_flight = self
                .pending
                .iter()
                .any(|p| event_id(&p.event) == Some(id.as_str()));
            if !taken(&id) && !in_flight {
                return id;
            }
            n += 1;
        }
    }

    /// The withheld statement selected on this screen (capture, synthesis),
    /// and why it is withheld: what the reveal key would show.
    pub fn selected_withheld(
        &self,
        session: &Session,
    ) -> Option<(crate::domain::StatementId, crate::domain::Withheld)> {
        let (id, home, st) = match self.screen {
            Screen::Capture => {
                let id = self.capture.selected.clone()?;
                let st = session.statements.get(&id)?;
                (id, session, &**st)
            }
            Screen::Synthesis => {
                let item = super::synthesis::selected_item(self, session)?;
                (item.id, item.home, item.statement)
            }
            _ => return None,
        };
        home.withheld(st).map(|w| (id, w))
    }

    /// Whether `statement`'s withheld words are revealed here at `now`.
    pub fn revealed(&self, statement: &crate::domain::StatementId, now: Timestamp) -> bool {
        self.seat != super::actions::Seat::Viewer
            && self
                .reveal
                .as_ref()
                .is_some_and(|r| &r.statement == statement && now < r.until)
    }

    /// The reveal in force at `now`, if any.
    pub fn revealing(&self, now: Timestamp) -> Option<&Reveal> {
        self.reveal
            .as_ref()
            .filter(|r| now < r.until && self.seat != super::actions::Seat::Viewer)
    }

    pub fn in_flight(&self) -> usize {
        self.pending.iter().filter(|p| p.failed.is_none()).count()
    }

    /// What quitting now would lose.
    pub fn unsaved(&self) -> Unsaved {
        let typed = |t: &TextArea| t.lines().iter().any(|l| !l.trim().is_empty());
        Unsaved {
            saving: self.in_flight(),
            failed: self.pending.len() - self.in_flight(),
            typed: typed(&self.capture.input)
                || self.overlays.iter().any(|o| match o {
                    Overlay::Prompt { input, .. } => typed(input),
                    _ => false,
                }),
        }
    }

    /// A rescue file's text: everything not saved, readable and as records.
    pub fn rescue_text(&self, now: Timestamp) -> String {
        let mut out = format!(
            "roundtable rescue file, written {now} on quitting.\n\
             Nothing below is in the session's journal: it was not saved, or not yet.\n"
        );
        for p in &self.pending {
            let state = match &p.failed {
                Some(why) => format!("NOT SAVED ({why})"),
                None => "still being saved when the program quit".to_owned(),
            };
            out.push_str(&format!("\n{}: {state}\n", describe::short(&p.event)));
            if let Some(text) = event_text(&p.event) {
                for line in text.lines() {
                    out.push_str(&format!("    {line}\n"));
                }
            }
            if let Ok(ron) = ron::to_string(&p.event) {
                out.push_str(&format!("    record: {ron}\n"));
            }
        }
        let typed = self.capture.input.lines().join("\n");
        if !typed.trim().is_empty() {
            out.push_str("\nBeing typed on the capture screen:\n");
            for line in typed.lines() {
                out.push_str(&format!("    {line}\n"));
            }
        }
        for o in &self.overlays {
            if let Overlay::Prompt { input, .. } = o {
                let typed = input.lines().join("\n");
                if !typed.trim().is_empty() {
                    out.push_str(&format!("\nBeing typed in a prompt:\n    {typed}\n"));
                }
            }
        }
        out
    }

    /// Quits now, or asks first when that would lose anything.
    /// Quitting always asks first: a stray key must not end the session
    /// for the room and every joined terminal.
    pub(crate) fn ask_to_quit(&mut self) {
        let unsaved = self.unsaved();
        let peers = self.peers.clone();
        self.overlays.push(Overlay::Quit { unsaved, peers });
    }
}

/// The words an event carries, if it carries any.
pub fn event_text(e: &Event) -> Option<&str> {
    match e {
        Event::StatementAdded { text, .. }
        | Event::StatementAmended { text, .. }
        | Event::MemoAdded { text, .. } => Some(text),
        Event::StatementRetracted { reason, .. } => Some(reason),
        _ => None,
    }
}

/// The id an event creates, if it creates something.
pub fn event_id(e: &Event) -> Option<&str> {
    match e {
        Event::StatementAdded { id, .. } => Some(id.as_str()),
        Event::VoteOpened { id, .. } => Some(id.as_str()),
        Event::MemoAdded { id, .. } => Some(id.as_str()),
        Event::ConceptCreated { id, .. } => Some(id.as_str()),
        Event::TranslationMade { id, .. } => Some(id.as_str()),
        Event::InterpretationDrafted { id, .. } => Some(id.as_str()),
        _ => None,
    }
}

pub fn new_input(placeholder: &str) -> TextArea<'static> {
    let mut t = TextArea::default();
    t.set_placeholder_text(placeholder.to_owned());
    t.set_cursor_line_style(ratatui::style::Style::default());
    t
}

/// A prompt offering `last` again: selected, so typing replaces it and an
/// arrow key keeps it to edit.
pub fn input_offering(placeholder: &str, last: &str) -> TextArea<'static> {
    let mut t = new_input(placeholder);
    t.insert_str(last);
    t.select_all();
    t
}

/// The kinds a statement cycles through on the capture screen.
pub const KINDS: [StatementKind; 4] = [
    StatementKind::Quote,
    StatementKind::Paraphrase,
    StatementKind::Question,
    StatementKind::Action,
];
