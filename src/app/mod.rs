//! The live screens' model and its one place of change. Every input — a
//! key, a paste, a resize, a tick, a clock jump, a record saved or applied,
//! an acknowledgement, a failure, who is connected, the join code, the link
//! to the host — arrives as a [`Msg`]; [`update`] is the only function that
//! changes the [`Model`], and it answers with [`Effect`]s (record this
//! event, ring the bell, write a rescue file, quit) that the runtime carries
//! out. The session the model shows changes only by records saved: at the
//! host the store applies them to the one copy the screens read, after the
//! fsync; a joined terminal applies what its host saved.

pub mod actions;
pub mod agenda;
pub mod capture;
pub mod floor;
pub mod hints;
pub mod keymap;
pub mod keys;
pub mod layers;
pub mod overlay;
pub mod picker;
pub mod reveal;
pub mod review;
pub mod room;
pub mod stage;
pub mod state;
pub mod synthesis;
pub mod vote;
mod vote_entry;

pub use overlay::{Overlay, PromptKind, Unsaved};
pub use state::{
    App, KINDS, Message, PASTE_IS_TYPING, Pending, Screen, Tone, event_id, event_text,
    input_offering, new_input,
};

use crate::domain::{Event, Session, Timestamp, describe};
use crate::live::Reply;
use crate::store::Shared;
use crossterm::event::{KeyEvent, KeyEventKind};
use keymap::Action;

/// What the live screens show and hold: the interaction state and the
/// session they show.
pub struct Model {
    pub app: App,
    /// At the host, the store's own session (the store applies each saved
    /// record; the screens only read it); elsewhere, this model's own.
    pub session: Shared,
    /// Whether saved records are applied here (a joined terminal, or a
    /// model on a session of its own) or by the store (the host).
    applies: bool,
}

/// What the host's screens open with besides the session.
#[derive(Default)]
pub struct Opening {
    /// Source sessions, for a cross-session workspace.
    pub sources: Vec<synthesis::Source>,
    /// What the user should know from opening (a torn tail set aside).
    pub warnings: Vec<String>,
    /// How other laptops join: the code and where.
    pub join_code: Option<(String, String)>,
    /// The session opened from a snapshot whose proof is still running.
    pub checking: bool,
}

impl Model {
    /// Screens on a session of their own, which they apply saved records to.
    pub fn new(app: App, session: Session) -> Self {
        Model {
            app,
            session: Shared::new(session),
            applies: true,
        }
    }

    /// The host's screens on the store's session, which the store alone
    /// changes: a workspace opens on the grid of its sources, and anything
    /// worth knowing from opening is said.
    pub fn hosting(mut app: App, session: Shared, opening: Opening) -> Self {
        if !opening.sources.is_empty() {
            app.sources = opening.sources;
            app.screen = Screen::Synthesis;
            app.synthesis.accounts = crate::domain::analysis::Accounts::Sessions;
            app.synthesis.view = synthesis::SynthView::Grid;
        }
        app.join_code = opening.join_code;
        for warning in opening.warnings {
            app.stand(warning);
        }
        app.checking = opening.checking;
        Model {
            app,
            session,
            applies: false,
        }
    }

    /// A joined terminal's screens: capture for a note-taker, the projector
    /// for a viewer; ids made here start with `id_prefix`. The session
    /// arrives record by record from the host.
    pub fn joined(mut app: App, id_prefix: String, viewer: bool) -> Self {
        app.id_prefix = id_prefix;
        app.seat = if viewer {
            actions::Seat::Viewer
        } else {
            actions::Seat::NoteTaker
        };
        app.keymap = app.keymap.clone().for_seat(app.seat);
        app.screen = if viewer {
            Screen::Projector
        } else {
            Screen::Capture
        };
        app.link = Some((false, "connecting…".into()));
        Model::new(app, Session::default())
    }
}

pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    /// The terminal changed size.
    Resize,
    /// Time passed (the countdown's second changed).
    Tick,
    /// The computer's clock disagrees with the session's monotonic one.
    ClockJumped {
        wall: Timestamp,
        session: Timestamp,
    },
    /// This terminal's event, sent with `token`, is saved as record `seq`.
    Saved {
        token: u64,
        seq: u64,
        event: Event,
    },
    /// Someone else's event is saved: show it.
    Applied {
        event: Event,
    },
    /// The host saved this terminal's event as record `seq` (its record
    /// comes as [`Msg::Applied`]).
    Committed {
        token: u64,
        seq: u64,
    },
    /// The store did not save it; `retry` when trying again could.
    Failed {
        token: u64,
        error: String,
        retry: bool,
    },
    /// Not saved, and nothing more can be: kept for the rescue file.
    Stopped {
        token: u64,
        error: String,
    },
    /// Who is connected from other terminals.
    Peers(Vec<String>),
    /// How other laptops join: the code and where.
    JoinCode {
        code: String,
        at: String,
    },
    /// Wrong join codes tried from the network so far.
    WrongCodes(u64),
    /// A joined terminal or a phone sends more than a person would.
    Flooding(String),
    /// Names new laptops asked for that other laptops hold.
    Claimed(Vec<String>),
    /// [`Effect::FreeName`] was carried out.
    Freed(String),
    /// Where phones join (with `--phones`).
    PhonesAt(String),
    /// The phones in the room.
    Phones(crate::live::PhoneRoom),
    /// A phone's statement this terminal asked to take in or set aside:
    /// now its to record, or why not.
    PhoneTaken(Result<crate::live::Said, String>),
    /// A joined terminal's link to its host.
    Link {
        connected: bool,
        text: String,
    },
    /// The snapshot the session opened from is proven (`None`), or was not
    /// the journal's and the store has put what the journal proves in its
    /// place.
    Proven {
        problem: Option<String>,
    },
    /// A problem to keep on screen until quit.
    Problem(String),
    /// The rescue file asked for by [`Effect::Rescue`] was written (its
    /// path), or could not be (why).
    Rescued(Result<String, String>),
    /// [`Effect::RemoveDevice`] was carried out: who, and whether they were
    /// still connected.
    Removed {
        shown: String,
        was_connected: bool,
    },
}

impl From<Reply> for Msg {
    fn from(r: Reply) -> Msg {
        match r {
            Reply::Saved { token, seq, event } => Msg::Saved { token, seq, event },
            Reply::Applied { event, .. } => Msg::Applied { event },
            Reply::Acked { token, seq } => Msg::Committed { token, seq },
            Reply::Failed {
                token,
                error,
                retry,
            } => Msg::Failed {
                token,
                error,
                retry,
            },
            Reply::Stopped { token, error } => Msg::Stopped { token, error },
            Reply::Peers(names) => Msg::Peers(names),
            Reply::PhonesAt(url) => Msg::PhonesAt(url),
            Reply::Phones(room) => Msg::Phones(room),
            Reply::PhoneTaken(answer) => Msg::PhoneTaken(answer),
            Reply::JoinCode { code, at } => Msg::JoinCode { code, at },
            Reply::WrongCodes(n) => Msg::WrongCodes(n),
            Reply::Flooding(who) => Msg::Flooding(who),
            Reply::Claimed(names) => Msg::Claimed(names),
            Reply::Link { connected, text } => Msg::Link { connected, text },
            Reply::Proven { problem } => Msg::Proven { problem },
            Reply::Problem(text) => Msg::Problem(text),
        }
    }
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
    /// Disconnect the joined terminal listed as `shown` and revoke its
    /// device; answered with [`Msg::Removed`].
    RemoveDevice {
        shown: String,
    },
    /// Free a name a new laptop asked for (another laptop held it);
    /// answered with [`Msg::Freed`].
    FreeName {
        name: String,
    },
    /// Close the door to new phones, or open it.
    PhoneDoor {
        closed: bool,
    },
    /// Let phones join without a name, or only by name.
    PhoneNameless {
        allowed: bool,
    },
    /// Take the phone's statement `id` in (answered with
    /// [`Msg::PhoneTaken`], after which this terminal records it), or set it
    /// aside; whoever asks the host first has it.
    PhoneSaid {
        id: u64,
        accepted: bool,
    },
    /// Let the phone asking to join as request `id` in, or refuse it (the
    /// host's own screens only).
    PhoneAdmit {
        id: u64,
        yes: bool,
    },
    Quit,
}

/// The pure heart of the program: a message in, effects out. `now` is the
/// session clock's time, which events are stamped with.
pub fn update(model: &mut Model, msg: Msg, now: Timestamp) -> Vec<Effect> {
    let mut fx = Vec::new();
    let Model {
        app,
        session: shared,
        applies,
    } = model;
    let apply = |app: &mut App, event: &Event| {
        if *applies {
            show_saved(app, &mut shared.write(), event);
        }
    };
    match msg {
        Msg::Key(key) => {
            if key.kind == KeyEventKind::Press {
                // A refusal has been read once the next key is pressed; a
                // failure waiting for a retry, or a warning, stays said.
                if app
                    .message
                    .as_ref()
                    .is_some_and(|m| m.tone == Tone::Refused)
                {
                    app.message = None;
                }
                // Revealed words are hidden again by the next key, whatever
                // it does (the reveal key shows them anew); the key itself
                // is handled with them still shown, so amending can see
                // they were.
                let before = app.reveal.clone();
                layers::key(app, &shared.read(), key, now, &mut fx);
                if app.reveal.is_some() && app.reveal == before {
                    app.end_reveal();
                }
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
                    app.keys("paste on the capture screen ({ShowCapture}) to add a statement"),
                ),
            }
        }
        Msg::Tick => {
            if app.reveal.as_ref().is_some_and(|r| now >= r.until) {
                app.end_reveal();
            }
            stage::tick(app, &shared.read(), now, &mut fx)
        }
        // Only the screen's size changed: drawing again is enough.
        Msg::Resize => {}
        Msg::Rescued(Ok(path)) => {
            app.say(Tone::Info, format!("unsaved text written to {path}"));
            app.quit = true;
        }
        Msg::Removed {
            shown,
            was_connected: true,
        } => app.say(
            Tone::Info,
            format!("{shown} disconnected; a laptop must use the join code to come back"),
        ),
        Msg::Removed { shown, .. } => app.say(Tone::Info, format!("{shown} had already left")),
        Msg::Rescued(Err(why)) => app.say(
            Tone::Problem,
            format!("rescue file not written: {why}; still running"),
        ),
        Msg::ClockJumped {
            wall,
            session: ours,
        } => clock_jumped(app, &shared.read(), wall, ours, &mut fx),
        Msg::Saved { token, seq, event } => {
            apply(app, &event);
            committed(app, token, seq);
        }
        Msg::Applied { event } => apply(app, &event),
        Msg::Peers(names) => app.peers = names,
        Msg::PhonesAt(url) => app.phones.get_or_insert_with(Default::default).url = url,
        Msg::Phones(room) => {
            let url = app.phones.take().map(|p| p.url).unwrap_or_default();
            app.phones = Some(crate::live::PhoneRoom { url, ..room });
        }
        Msg::PhoneTaken(answer) => layers::phone_taken(app, &shared.read(), answer, now, &mut fx),
        Msg::JoinCode { code, at } => app.join_code = Some((code, at)),
        Msg::WrongCodes(n) => app.wrong_codes = n,
        Msg::Claimed(names) => claimed(app, names),
        Msg::Freed(name) => app.say(
            Tone::Info,
            format!("the name `{name}` is free: the new laptop can join with it and the code"),
        ),
        Msg::Flooding(who) => app.say(
            Tone::Problem,
            app.keymap.fill(actions::Layer::Projector, &format!(
                "{who} is sending more than a person would, and is slowed down: if it is not theirs, {{RemoveDevice}} removes a terminal and {{PhoneDoor}} closes the phone door"
            )),
        ),
        Msg::Link { connected, text } => {
            // Who else is connected is known only while this terminal is:
            // a list kept after the host has gone would be untrue.
            if !connected {
                app.peers.clear();
            }
            app.link = Some((connected, text));
        }
        Msg::Problem(text) => app.stand(text),
        Msg::Proven { problem } => {
            app.checking = false;
            if let Some(text) = problem {
                app.stand(text);
            }
        }
        Msg::Committed { token, seq } => committed(app, token, seq),
        Msg::Failed {
            token,
            error,
            retry,
        } => failed(app, token, error, retry),
        Msg::Stopped { token, error } => {
            if let Some(p) = app.pending.iter_mut().find(|p| p.token == token) {
                p.failed = Some(error.clone());
            }
            app.say(Tone::Problem, format!("NOT SAVED: {error}"));
            app.stand(format!("Nothing more can be saved: {error}"));
        }
    }
    if app.quit {
        fx.push(Effect::Quit);
    }
    fx
}

/// The computer's clock jumped: noted in the record, and said.
fn clock_jumped(
    app: &mut App,
    session: &Session,
    wall: Timestamp,
    ours: Timestamp,
    fx: &mut Vec<Effect>,
) {
    let by = wall.millis_since(ours);
    let way = if by < 0 { "back" } else { "forward" };
    app.record(
        session,
        Event::ClockNoted {
            wall,
            session: ours,
        },
        fx,
    );
    app.say(
        Tone::Info,
        format!(
            "The computer's clock jumped {way} {}; roundtable keeps its own time (noted in the record)",
            crate::domain::time::mmss(by.abs() / 1000)
        ),
    );
}

/// Names a new laptop asked for that another holds: the first new one said.
fn claimed(app: &mut App, names: Vec<String>) {
    if let Some(name) = names.iter().find(|n| !app.claims.contains(n)) {
        app.say(
            Tone::Problem,
            app.keymap.fill(
                actions::Layer::Projector,
                &format!(
                    "a new laptop asked to join as `{name}`, a name another laptop holds: if it is theirs, {{RemoveDevice}} frees the name"
                ),
            ),
        );
    }
    app.claims = names;
}

/// A saved record applied to a joined terminal's session, which the host
/// has already applied to its own: this keeps them equal.
fn show_saved(app: &mut App, session: &mut Session, event: &Event) {
    if let Err(e) = session.apply(event) {
        app.say(
            Tone::Problem,
            format!("display out of step: {e}; restart to reload"),
        );
    }
}

/// The store saved a pending event as record `seq`.
fn committed(app: &mut App, token: u64, seq: u64) {
    if let Some(i) = app.pending.iter().position(|p| p.token == token) {
        let p = app.pending.remove(i);
        app.say(
            Tone::Saved,
            format!("✓ saved: {} (record {seq})", describe::short(&p.event)),
        );
    }
}

/// The store did not save a pending event: it stays, marked, for a retry
/// when one could save it; a refusal is said once and let go, since sending
/// it again would only be refused again.
fn failed(app: &mut App, token: u64, error: String, retry: bool) {
    if !retry {
        if let Some(i) = app.pending.iter().position(|p| p.token == token) {
            let p = app.pending.remove(i);
            let what = describe::short(&p.event);
            app.say(Tone::Refused, format!("not saved: {error} · {what}"));
        }
        return;
    }
    // The key comes before the name of what failed, so that a narrow
    // screen cuts the name, not what to do about it.
    let retry = app
        .keymap
        .key_for(app.context(), Action::Retry)
        .map(|k| format!(" · {k} retries"))
        .unwrap_or_default();
    if let Some(p) = app.pending.iter_mut().find(|p| p.token == token) {
        let what = describe::short(&p.event);
        p.failed = Some(error.clone());
        app.say(Tone::Problem, format!("NOT SAVED: {error}{retry} · {what}"));
    }
}
