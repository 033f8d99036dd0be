//! Interaction state that is not part of the record (which screen, the
//! half-typed statement, the cursor) and a pure `update` that turns
//! messages into effects. `update` never touches the session: it asks for
//! events to be recorded, and the runtime applies them once they are saved.

pub mod capture;
pub mod keymap;
pub mod picker;
pub mod review;
pub mod stage;
pub mod synthesis;
pub mod vote;

use crate::domain::{
    Event, MemoId, MemoKind, Session, StatementId, StatementKind, Timestamp, describe,
};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind};
use keymap::{Action, Context, Key, Keymap};
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

    pub fn context(self) -> Context {
        match self {
            Screen::Projector => Context::Projector,
            Screen::Capture => Context::Capture,
            Screen::Vote => Context::Vote,
            Screen::Agenda => Context::Agenda,
            Screen::Synthesis => Context::Synthesis,
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

/// What a one-line prompt is asking for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PromptKind {
    Memo(MemoKind),
    Retract(StatementId),
    Question,
    /// Synthesis prompts, answered in `synthesis::submit`.
    Synthesis(synthesis::Ask),
}

/// Layers over the screen; the top one gets keys first.
pub enum Overlay {
    Help,
    /// Quitting would lose something: say what, and offer a rescue file.
    Quit {
        unsaved: Unsaved,
    },
    Confirm {
        question: String,
        events: Vec<Event>,
    },
    Prompt {
        kind: PromptKind,
        input: Box<TextArea<'static>>,
    },
}

/// An event sent to the store and not yet acknowledged.
#[derive(Clone, Debug, PartialEq)]
pub struct Pending {
    pub token: u64,
    pub event: Event,
    /// Set when the store refused or failed to save it.
    pub failed: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Info,
    Saved,
    Problem,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub tone: Tone,
}

pub enum Msg {
    Key(KeyEvent),
    /// The rescue file asked for by [`Effect::Rescue`] was written (its
    /// path), or could not be (why).
    Rescued(Result<String, String>),
    Paste(String),
    /// Time passed (the countdown's second changed).
    Tick,
    /// The store saved the event sent with `token` as record `seq`.
    Committed {
        token: u64,
        seq: u64,
    },
    /// The store did not save it.
    Failed {
        token: u64,
        error: String,
    },
    /// The computer's clock disagrees with the session's monotonic one.
    ClockJumped {
        wall: Timestamp,
        session: Timestamp,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// Validate, append and fsync this event; then apply it.
    Record {
        token: u64,
        event: Event,
    },
    /// The terminal bell: a stage reached zero.
    Bell,
    /// Write this unsaved text to a rescue file beside the journal (or the
    /// outbox), then answer with [`Msg::Rescued`].
    Rescue {
        text: String,
    },
    Quit,
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
    /// The stage and allowance for which the zero bell has rung.
    pub bell_for: Option<(crate::domain::StageId, i64)>,
    /// Put before every id this terminal makes, so that terminals joined to
    /// one session never make the same one (`sam-st4`). Empty at the host.
    pub id_prefix: String,
    /// Other terminals joined to this session (at the host).
    pub peers: Vec<String>,
    /// How another laptop joins: the code and the address (with `--lan`).
    pub join_code: Option<(String, String)>,
    /// A joined terminal's link to its host: connected, and what to say.
    pub link: Option<(bool, String)>,
    next_token: u64,
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
            id_prefix: String::new(),
            peers: Vec::new(),
            join_code: None,
            link: None,
            next_token: 1,
        }
    }

    pub fn context(&self) -> Context {
        self.screen.context()
    }

    /// Asks for `event` to be recorded. When nothing is in flight the event is
    /// checked first so a mistake is explained at once; otherwise the store
    /// checks it against the saved state.
    pub(crate) fn record(&mut self, session: &Session, event: Event, fx: &mut Vec<Effect>) -> bool {
        if self.pending.iter().all(|p| p.failed.is_some())
            && let Err(e) = session.check(&event)
        {
            self.say(Tone::Problem, format!("not saved: {e}"));
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

    pub(crate) fn say(&mut self, tone: Tone, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            tone,
        });
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
    fn ask_to_quit(&mut self) {
        let unsaved = self.unsaved();
        if unsaved.is_nothing() {
            self.quit = true;
        } else {
            self.overlays.push(Overlay::Quit { unsaved });
        }
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

/// The pure heart of the program: a message in, effects out.
pub fn update(app: &mut App, session: &Session, msg: Msg, now: Timestamp) -> Vec<Effect> {
    let mut fx = Vec::new();
    match msg {
        Msg::Key(key) => {
            if key.kind != KeyEventKind::Press {
                return fx;
            }
            if !app.overlays.is_empty() {
                overlay_key(app, session, key, now, &mut fx);
            } else {
                screen_key(app, session, key, now, &mut fx);
            }
        }
        Msg::Paste(text) => {
            // Pasted text goes where typing goes, newlines and all.
            let text = text.replace("\r\n", "\n").replace('\r', "\n");
            match app.overlays.last_mut() {
                Some(Overlay::Prompt { input, .. }) => {
                    input.insert_str(text.replace('\n', " "));
                }
                Some(_) => {}
                None if app.screen == Screen::Capture => {
                    app.capture.input.insert_str(text);
                }
                None => app.say(
                    Tone::Info,
                    "paste on the capture screen (F3) to add a statement",
                ),
            }
        }
        Msg::Tick => stage::tick(app, session, now, &mut fx),
        Msg::Rescued(Ok(path)) => {
            app.say(Tone::Info, format!("unsaved text written to {path}"));
            app.quit = true;
        }
        Msg::Rescued(Err(why)) => app.say(
            Tone::Problem,
            format!("rescue file not written: {why}; still running"),
        ),
        Msg::ClockJumped {
            wall,
            session: ours,
        } => {
            let by = wall.millis_since(ours);
            let way = if by < 0 { "back" } else { "forward" };
            app.record(
                session,
                Event::ClockNoted {
                    wall,
                    session: ours,
                },
                &mut fx,
            );
            app.say(
                Tone::Info,
                format!(
                    "The computer's clock jumped {way} {}; roundtable keeps its own time (noted in the record)",
                    crate::domain::time::mmss(by.abs() / 1000)
                ),
            );
        }
        Msg::Committed { token, seq } => {
            if let Some(i) = app.pending.iter().position(|p| p.token == token) {
                let p = app.pending.remove(i);
                app.say(
                    Tone::Saved,
                    format!("✓ saved: {} (record {seq})", describe::short(&p.event)),
                );
            }
        }
        Msg::Failed { token, error } => {
            if let Some(p) = app.pending.iter_mut().find(|p| p.token == token) {
                p.failed = Some(error.clone());
                let what = describe::short(&p.event);
                // The key comes before the name of what failed, so that a
                // narrow screen cuts the name, not what to do about it.
                let retry = app
                    .keymap
                    .key_for(app.context(), Action::Retry)
                    .map(|k| format!(" · {k} retries"))
                    .unwrap_or_default();
                app.say(Tone::Problem, format!("NOT SAVED: {error}{retry} · {what}"));
            }
        }
    }
    if app.quit {
        fx.push(Effect::Quit);
    }
    fx
}

fn screen_key(
    app: &mut App,
    session: &Session,
    key: KeyEvent,
    now: Timestamp,
    fx: &mut Vec<Effect>,
) {
    let action = app.keymap.action(app.context(), Key::from_event(&key));
    let Some(action) = action else {
        if app.screen == Screen::Capture {
            app.capture.input.input(key);
        }
        return;
    };
    match action {
        Action::Quit => app.ask_to_quit(),
        Action::Help => app.overlays.push(Overlay::Help),
        Action::ShowProjector => app.screen = Screen::Projector,
        Action::ShowCapture => app.screen = Screen::Capture,
        Action::ShowVote => app.screen = Screen::Vote,
        Action::ShowAgenda => app.screen = Screen::Agenda,
        Action::ShowSynthesis => app.screen = Screen::Synthesis,
        Action::NextScreen => {
            let i = Screen::ALL
                .iter()
                .position(|s| *s == app.screen)
                .unwrap_or(0);
            app.screen = Screen::ALL[(i + 1) % Screen::ALL.len()];
        }
        Action::Memo => app.overlays.push(Overlay::Prompt {
            kind: PromptKind::Memo(MemoKind::Process),
            input: Box::new(new_input("process note… (Tab: reflexive)")),
        }),
        Action::Retry => {
            let failed: Vec<Event> = app
                .pending
                .iter()
                .filter(|p| p.failed.is_some())
                .map(|p| p.event.clone())
                .collect();
            app.pending.retain(|p| p.failed.is_none());
            if failed.is_empty() {
                app.say(Tone::Info, "nothing is waiting to be retried");
            }
            for e in failed {
                app.record(session, e, fx);
            }
        }
        a if app.screen == Screen::Capture => capture::action(app, session, a, now, fx),
        a if app.screen == Screen::Vote => vote::action(app, session, a, now, fx),
        a if app.screen == Screen::Synthesis => synthesis::action(app, session, a, now, fx),
        a => stage::action(app, session, a, now, fx),
    }
}

fn overlay_key(
    app: &mut App,
    session: &Session,
    key: KeyEvent,
    now: Timestamp,
    fx: &mut Vec<Effect>,
) {
    let Some(top) = app.overlays.pop() else {
        return;
    };
    match top {
        Overlay::Help => {} // any key closes help
        Overlay::Quit { unsaved } => match key.code {
            KeyCode::Char('r') | KeyCode::Char('R') | KeyCode::Enter => {
                fx.push(Effect::Rescue {
                    text: app.rescue_text(now),
                });
            }
            KeyCode::Char('y') | KeyCode::Char('Y') => app.quit = true,
            KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc => {
                app.say(Tone::Info, "still running; nothing was lost")
            }
            _ => app.overlays.push(Overlay::Quit { unsaved }),
        },
        Overlay::Confirm { question, events } => match key.code {
            KeyCode::Char('y') | KeyCode::Char('Y') | KeyCode::Enter => {
                for e in events {
                    if !app.record(session, e, fx) {
                        break;
                    }
                }
            }
            KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc => {
                app.say(Tone::Info, "cancelled")
            }
            _ => app.overlays.push(Overlay::Confirm { question, events }),
        },
        Overlay::Prompt { kind, mut input } => match key.code {
            KeyCode::Esc => app.say(Tone::Info, "cancelled"),
            KeyCode::Tab => {
                let kind = match kind {
                    PromptKind::Memo(MemoKind::Process) => {
                        input.set_placeholder_text("reflexive note… (Tab: process)");
                        PromptKind::Memo(MemoKind::Reflexive)
                    }
                    PromptKind::Memo(MemoKind::Reflexive) => {
                        input.set_placeholder_text("process note… (Tab: reflexive)");
                        PromptKind::Memo(MemoKind::Process)
                    }
                    other => other,
                };
                app.overlays.push(Overlay::Prompt { kind, input });
            }
            KeyCode::Enter => {
                let text = input.lines().join(" ").trim().to_owned();
                if text.is_empty()
                    && !matches!(&kind, PromptKind::Question)
                    && !matches!(&kind, PromptKind::Synthesis(a) if a.may_be_empty())
                {
                    app.overlays.push(Overlay::Prompt { kind, input });
                    app.say(Tone::Problem, "type something first, or Esc to cancel");
                    return;
                }
                submit_prompt(app, session, kind, text, now, fx);
            }
            _ => {
                input.input(key);
                app.overlays.push(Overlay::Prompt { kind, input });
            }
        },
    }
}

fn submit_prompt(
    app: &mut App,
    session: &Session,
    kind: PromptKind,
    text: String,
    now: Timestamp,
    fx: &mut Vec<Effect>,
) {
    match kind {
        PromptKind::Memo(memo_kind) => {
            let id = app.fresh_id(
                "m",
                |id| session.memos.contains_key(id),
                session.memos.len(),
            );
            let event = Event::MemoAdded {
                id: MemoId::new(id),
                kind: memo_kind,
                text,
                stage: session.current_stage().map(|s| s.id.clone()),
                by: app.actor.clone(),
                at: now,
            };
            app.record(session, event, fx);
        }
        PromptKind::Retract(statement) => {
            let event = Event::StatementRetracted {
                statement,
                reason: text,
                by: app.actor.clone(),
                at: now,
            };
            app.record(session, event, fx);
        }
        PromptKind::Question => app.vote.question = text,
        PromptKind::Synthesis(ask) => synthesis::submit(app, session, ask, text, now, fx),
    }
}

/// The kinds a statement cycles through on the capture screen.
pub const KINDS: [StatementKind; 4] = [
    StatementKind::Quote,
    StatementKind::Paraphrase,
    StatementKind::Question,
    StatementKind::Action,
];
