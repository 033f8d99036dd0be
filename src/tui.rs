//! The full-screen runtime: terminal setup and restore, the event loop, and
//! the store thread that saves events without making the screen wait.

use crate::app::{self, App, Effect, Msg, Tone};
use crate::domain::{Event, Session, StageState, Timestamp};
use crate::store::{StoreError, Writer};
use crate::ui::{self, Theme};
use crossterm::event::{
    DisableBracketedPaste, EnableBracketedPaste, Event as TermEvent, EventStream,
};
use futures_util::StreamExt;
use ratatui::DefaultTerminal;
use std::io::Write;
use std::sync::mpsc as std_mpsc;
use std::time::Duration;
use tokio::sync::mpsc;

/// What the store thread says about one event.
pub enum Reply {
    Saved { token: u64, seq: u64, event: Event },
    Failed { token: u64, error: String },
}

pub struct Request {
    pub token: u64,
    pub event: Event,
}

/// Runs the writer on its own thread: each request is checked, appended and
/// fsynced there, so typing never waits for the disk.
pub fn spawn_store(
    mut writer: Writer,
    actor: String,
    clock: std::sync::Arc<dyn Fn() -> Timestamp + Send + Sync>,
) -> (
    std_mpsc::Sender<Request>,
    mpsc::UnboundedReceiver<Reply>,
    std::thread::JoinHandle<Writer>,
) {
    let (tx, rx) = std_mpsc::channel::<Request>();
    let (reply_tx, reply_rx) = mpsc::unbounded_channel();
    let handle = std::thread::spawn(move || {
        for req in rx {
            let reply = match writer.record(&actor, clock(), &req.event) {
                Ok(c) => Reply::Saved {
                    token: req.token,
                    seq: c.seq,
                    event: req.event,
                },
                Err(e) => Reply::Failed {
                    token: req.token,
                    error: error_text(&e),
                },
            };
            if reply_tx.send(reply).is_err() {
                break;
            }
        }
        writer
    });
    (tx, reply_rx, handle)
}

fn error_text(e: &StoreError) -> String {
    e.to_string().trim_start_matches("not saved: ").to_owned()
}

const CLOCK_CHECK: Duration = Duration::from_secs(5);

/// Milliseconds until the countdown's displayed second next changes.
fn until_next_second(session: &Session, now: Timestamp) -> Option<Duration> {
    let stage = session
        .current_stage()
        .filter(|s| s.state() == StageState::Running)?;
    let r = stage.remaining_millis(now);
    let ms = match r.rem_euclid(1000) {
        0 => 1000,
        m => m,
    };
    Some(Duration::from_millis(ms as u64 + 5))
}

/// Debug builds only: with `ROUNDTABLE_DEBUG_PANIC=1`, F12 panics, so tests
/// can check that a panic leaves a usable terminal behind.
fn debug_panic_switch(key: &crossterm::event::KeyEvent) {
    if cfg!(debug_assertions)
        && key.code == crossterm::event::KeyCode::F(12)
        && std::env::var_os("ROUNDTABLE_DEBUG_PANIC").is_some()
    {
        panic!("debug panic requested with F12 (ROUNDTABLE_DEBUG_PANIC is set)");
    }
}

/// Puts the terminal back however the program ends, panics included.
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = crossterm::execute!(std::io::stdout(), DisableBracketedPaste);
        ratatui::restore();
        previous(info);
    }));
}

pub struct Options {
    pub theme: Theme,
    pub actor: String,
    pub keymap: app::keymap::Keymap,
    pub warnings: Vec<String>,
    /// Source sessions, for a cross-session workspace.
    pub sources: Vec<app::synthesis::Source>,
}

/// Runs the live screens on an open session until the user quits.
pub fn run(writer: Writer, opts: Options) -> std::io::Result<()> {
    let mut session = writer.session().clone();
    let floor = writer.last_record_time().unwrap_or_default();
    let clock = std::sync::Arc::new(crate::clock::SessionClock::system(floor));
    let store_clock = clock.clone();
    let (tx, replies, handle) = spawn_store(
        writer,
        opts.actor.clone(),
        std::sync::Arc::new(move || store_clock.now()),
    );
    let mut app = App::new(opts.keymap, opts.actor);
    if !opts.sources.is_empty() {
        app.sources = opts.sources;
        app.screen = app::Screen::Synthesis;
        app.synthesis.accounts = crate::domain::analysis::Accounts::Sessions;
        app.synthesis.view = app::synthesis::SynthView::Grid;
    }
    if !opts.warnings.is_empty() {
        app.message = Some(app::Message {
            text: opts.warnings.join(" "),
            tone: Tone::Problem,
        });
    }
    let mut terminal = ratatui::try_init()?;
    install_panic_hook();
    let _ = crossterm::execute!(std::io::stdout(), EnableBracketedPaste);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()?;
    let result = rt.block_on(event_loop(
        &mut terminal,
        &mut app,
        &mut session,
        &tx,
        replies,
        &opts.theme,
        &clock,
    ));
    let _ = crossterm::execute!(std::io::stdout(), DisableBracketedPaste);
    ratatui::restore();
    drop(tx);
    // Everything sent has been saved or refused by now; leave a fresh snapshot.
    if let Ok(writer) = handle.join() {
        let _ = writer.snapshot();
    }
    result
}

async fn event_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    session: &mut Session,
    store: &std_mpsc::Sender<Request>,
    mut replies: mpsc::UnboundedReceiver<Reply>,
    theme: &Theme,
    clock: &crate::clock::SessionClock,
) -> std::io::Result<()> {
    let mut events = EventStream::new();
    let mut dirty = true;
    // Check the bell straight away: a session reopened over time says so.
    let mut pending_msgs = vec![Msg::Tick];
    loop {
        for msg in pending_msgs.drain(..) {
            let now = clock.now();
            for effect in app::update(app, session, msg, now) {
                match effect {
                    Effect::Record { token, event } => {
                        if store.send(Request { token, event }).is_err() {
                            app.pending.retain(|p| p.token != token);
                            app.message = Some(app::Message {
                                text: "NOT SAVED: the store has stopped".into(),
                                tone: Tone::Problem,
                            });
                        }
                    }
                    Effect::Bell => {
                        let mut out = std::io::stdout();
                        let _ = out.write_all(b"\x07").and_then(|()| out.flush());
                    }
                    Effect::Quit => return Ok(()),
                }
            }
            dirty = true;
        }
        if dirty {
            let now = clock.now();
            terminal.draw(|f| ui::render(f, app, session, now, theme))?;
            dirty = false;
        }
        // Wake at the countdown's next second, and every few seconds to
        // notice a jump of the computer's clock.
        let wait = until_next_second(session, clock.now())
            .unwrap_or(CLOCK_CHECK)
            .min(CLOCK_CHECK);
        tokio::select! {
            ev = events.next() => match ev {
                                Some(Ok(TermEvent::Key(k))) => {
                    debug_panic_switch(&k);
                    pending_msgs.push(Msg::Key(k))
                }Some(Ok(TermEvent::Paste(s))) => pending_msgs.push(Msg::Paste(s)),
                Some(Ok(TermEvent::Resize(..))) => dirty = true,
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(e),
                None => return Ok(()),
            },
            reply = replies.recv() => match reply {
                Some(Reply::Saved { token, seq, event }) => {
                    // The store applied it to its copy; this keeps ours identical.
                    if let Err(e) = session.apply(&event) {
                        app.message = Some(app::Message { text: format!("display out of step: {e}; restart to reload"), tone: Tone::Problem });
                    }
                    pending_msgs.push(Msg::Committed { token, seq });
                }
                Some(Reply::Failed { token, error }) => pending_msgs.push(Msg::Failed { token, error }),
                None => return Ok(()),
            },
                        _ = tokio::time::sleep(wait) => pending_msgs.push(Msg::Tick),
        }
        if let Some((wall, ours)) = clock.jump() {
            pending_msgs.push(Msg::ClockJumped {
                wall,
                session: ours,
            });
        }
    }
}
