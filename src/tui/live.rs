//! The full-screen runtime: terminal setup and restore, the event loop, and
//! the store thread that saves events without making the screen wait.

use super::frames::{Cause, Frames};
use super::{debug_panic_switch, with_terminal};
use crate::app::{self, App, Effect, Model, Msg};
use crate::domain::{Event, Session, StageState, Timestamp};
use crate::live::{Hosting, Origin, Reply, Request, host};
use crate::store::{StoreError, Writer};
use crate::ui::{self, Theme};
use crossterm::event::{Event as TermEvent, EventStream};
use futures_util::StreamExt;
use ratatui::DefaultTerminal;
use std::io::Write;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

const CLOCK_CHECK: Duration = Duration::from_secs(5);
/// Replies taken in before the screen is drawn again, at most.
const MOST_AT_ONCE: usize = 4096;

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

pub struct Options {
    pub theme: Theme,
    pub actor: String,
    pub keymap: app::keymap::Keymap,
    pub warnings: Vec<String>,
    /// Source sessions, for a cross-session workspace.
    pub sources: Vec<app::synthesis::Source>,
    /// Also listen on TCP for note-takers on other laptops, and for
    /// participants' phones.
    pub listen: crate::live::Listen,
}

/// Runs the live screens on an open session until the user quits. Other
/// terminals can join through the session folder's socket (and over the
/// network with `lan`) while it runs.
pub fn run(writer: Writer, opts: Options) -> std::io::Result<()> {
    let session = writer.shared();
    let checking = !writer.is_settled();
    let dir = writer.dir().to_owned();
    let Hosting {
        clock,
        store: tx,
        replies,
        listening,
        phones,
        handle,
    } = host(writer, opts.actor.clone(), opts.listen);
    let mut warnings = opts.warnings;
    let mut join_code = None;
    match &listening {
        Ok(l) => {
            join_code = l
                .lan
                .as_ref()
                .map(|(addr, code)| (code.clone(), addr.to_string()))
        }
        Err(e) if opts.listen.lan.is_some() => {
            return Err(std::io::Error::other(format!(
                "cannot listen for other laptops: {e}"
            )));
        }
        Err(e) => warnings.push(format!("other terminals cannot join: {e}.")),
    }
    let phones = match phones.transpose() {
        Ok(p) => p,
        Err(e) => {
            return Err(std::io::Error::other(format!(
                "cannot listen for phones: {e}"
            )));
        }
    };
    let mut model = Model::hosting(
        App::new(opts.keymap, opts.actor),
        session,
        app::Opening {
            sources: opts.sources,
            warnings,
            join_code,
            checking,
        },
    );
    let store = tx.clone();
    let mut io = Io {
        send: Box::new(move |token, event| {
            store
                .send(Request {
                    token,
                    event,
                    from: Origin::Local,
                })
                .is_ok()
        }),
        remove: Box::new(|shown| listening.as_ref().is_ok_and(|l| l.remove(shown))),
        free: Box::new(|name| listening.as_ref().is_ok_and(|l| l.free_name(name))),
        phones: phones.as_ref(),
        take_in: Box::new(|id, accept| match &phones {
            Some(p) => Outcome::Answer(Msg::PhoneTaken(p.take_in(id, accept))),
            None => Outcome::Done,
        }),
        clock: &clock,
        rescue_dir: dir,
    };
    let result = with_terminal(|mut terminal| async move {
        event_loop(&mut terminal, &mut model, &mut io, replies, &opts.theme).await
    });
    if let Ok(l) = &listening {
        l.stop();
    }
    // Phones hold a way to the store too: without this the store would
    // wait for them for ever, and quitting would hang.
    if let Some(p) = &phones {
        p.stop();
    }
    drop(tx);
    // Everything sent has been saved or refused by now; leave a fresh snapshot.
    if let Ok(mut writer) = handle.join() {
        let _ = writer.snapshot();
    }
    result
}

/// What `roundtable join` needs besides the link.
pub struct JoinScreen {
    pub theme: Theme,
    pub keymap: app::keymap::Keymap,
}

/// Runs the live screens of a session hosted by another `roundtable run`.
pub fn join(opts: crate::net::client::JoinOptions, screen: JoinScreen) -> std::io::Result<()> {
    let clock = crate::live::clock::SessionClock::system(Timestamp::default());
    let mut model = Model::joined(
        App::new(screen.keymap, opts.name.clone()),
        crate::net::wire::id_prefix(&opts.name),
        opts.role == crate::net::wire::Role::Viewer,
    );
    // Unsaved text is rescued beside the outbox, which keeps the rest.
    let rescue_dir = opts
        .outbox
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| std::path::PathBuf::from("."), |p| p.to_owned());
    with_terminal(|mut terminal| async move {
        let (proposals, take_ins, replies) = crate::net::client::start_with_phones(opts)?;
        let mut io = Io {
            send: Box::new(move |token, event| proposals.send((token, event)).is_ok()),
            remove: Box::new(|_| false),
            free: Box::new(|_| false),
            phones: None,
            take_in: Box::new(move |id, accept| {
                let _ = take_ins.send((id, accept));
                Outcome::Done
            }),
            clock: &clock,
            rescue_dir,
        };
        event_loop(&mut terminal, &mut model, &mut io, replies, &screen.theme).await
    })
}

/// Writes unsaved text to `rescue-<time>.txt` in `dir`, owner-only; the
/// file's path, or why it could not be written.
fn write_rescue(dir: &std::path::Path, text: &str, now: Timestamp) -> Result<String, String> {
    let stamp: String = now
        .to_string()
        .chars()
        .map(|c| if c == ':' { '-' } else { c })
        .collect();
    let path = dir.join(format!("rescue-{stamp}.txt"));
    crate::store::fsutil::create_new_private(&path, text.as_bytes())
        .map(|()| path.display().to_string())
        .map_err(|e| match e {
            StoreError::Io { source, .. } => source.to_string(),
            other => other.to_string(),
        })
}

/// Where effects go: the store (or the host), the terminal's bell, the
/// folder for rescue files; and the session clock that stamps messages.
struct Io<'a> {
    send: Box<dyn FnMut(u64, Event) -> bool + 'a>,
    /// Disconnects a joined terminal (the host's alone).
    remove: Box<dyn Fn(&str) -> bool + 'a>,
    /// Frees a name for a new laptop (the host's alone).
    free: Box<dyn Fn(&str) -> bool + 'a>,
    /// Participants' phones (the host's, with `--phones`).
    phones: Option<&'a crate::net::phones::Phones>,
    /// Takes a phone's statement in or sets it aside: at the host at once,
    /// from a joined note-taker through the host.
    take_in: Box<dyn FnMut(u64, bool) -> Outcome + 'a>,
    clock: &'a crate::live::clock::SessionClock,
    rescue_dir: std::path::PathBuf,
}

/// What carrying out an effect came to.
enum Outcome {
    Done,
    /// The effect's answer, a message of its own.
    Answer(Msg),
    Quit,
}

impl Io<'_> {
    fn carry_out(&mut self, effect: Effect) -> Outcome {
        match effect {
            Effect::Record { token, event } => {
                if (self.send)(token, event) {
                    Outcome::Done
                } else {
                    // Kept as NOT SAVED, so quitting offers to rescue it.
                    Outcome::Answer(Msg::Failed {
                        token,
                        error: "the store has stopped".into(),
                        retry: true,
                    })
                }
            }
            Effect::Bell => {
                let mut out = std::io::stdout();
                let _ = out.write_all(b"\x07").and_then(|()| out.flush());
                Outcome::Done
            }
            Effect::Rescue { text } => Outcome::Answer(Msg::Rescued(write_rescue(
                &self.rescue_dir,
                &text,
                self.clock.now(),
            ))),
            Effect::FreeName { name } => {
                (self.free)(&name);
                Outcome::Answer(Msg::Freed(name))
            }
            Effect::RemoveDevice { shown } => {
                let was_connected = (self.remove)(&shown);
                Outcome::Answer(Msg::Removed {
                    shown,
                    was_connected,
                })
            }
            Effect::PhoneDoor { closed } => {
                if let Some(p) = self.phones {
                    p.set_closed(closed);
                }
                Outcome::Done
            }
            Effect::PhoneNameless { allowed } => {
                if let Some(p) = self.phones {
                    p.set_nameless(allowed);
                }
                Outcome::Done
            }
            Effect::PhoneSaid { id, accepted } => (self.take_in)(id, accepted),
            Effect::PhoneAdmit { id, yes } => {
                if let Some(p) = self.phones {
                    p.admit(id, yes);
                }
                Outcome::Done
            }
            Effect::Quit => Outcome::Quit,
        }
    }
}

/// Turns the terminal, the store's replies and time into messages, and the
/// effects `update` asks for into I/O; draws when something changed.
async fn event_loop(
    terminal: &mut DefaultTerminal,
    model: &mut Model,
    io: &mut Io<'_>,
    mut replies: mpsc::UnboundedReceiver<Reply>,
    theme: &Theme,
) -> std::io::Result<()> {
    let mut events = EventStream::new();
    let mut frames = Frames::default();
    if !super::paste_told() {
        model.app.paste_is_typing();
    }
    // Check the bell straight away: a session reopened over time says so.
    let mut inbox = std::collections::VecDeque::from([(Msg::Tick, Cause::Elsewhere)]);
    loop {
        while let Some((msg, cause)) = inbox.pop_front() {
            for effect in app::update(model, msg, io.clock.now()) {
                match io.carry_out(effect) {
                    Outcome::Done => {}
                    Outcome::Answer(msg) => inbox.push_back((msg, cause)),
                    Outcome::Quit => return Ok(()),
                }
            }
            frames.changed(cause);
        }
        if frames.due(Instant::now()) {
            let now = io.clock.now();
            terminal.draw(|f| {
                ui::render(f, &model.app, &model.session.read(), now, theme);
                ui::untrusted::guard(f.buffer_mut());
            })?;
            frames.drawn(Instant::now());
        }
        if let Some((wall, session)) = io.clock.jump() {
            inbox.push_back((Msg::ClockJumped { wall, session }, Cause::Elsewhere));
            continue;
        }
        // Wake at the countdown's next second, and every few seconds to
        // notice a jump of the computer's clock.
        // Revealed words are hidden again on time, not at the next tick.
        let now = io.clock.now();
        let hide = model
            .app
            .reveal
            .as_ref()
            .map(|r| Duration::from_millis(r.until.millis_since(now).max(0) as u64 + 5));
        let wait = until_next_second(&model.session.read(), now)
            .unwrap_or(CLOCK_CHECK)
            .min(CLOCK_CHECK)
            .min(hide.unwrap_or(CLOCK_CHECK));
        // A frame owed for what arrived from elsewhere is drawn when due.
        let owed = frames.wait(Instant::now());
        let msg = tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(TermEvent::Key(k))) => {
                    debug_panic_switch(&k);
                    (Msg::Key(k), Cause::Input)
                }
                Some(Ok(TermEvent::Paste(s))) => (Msg::Paste(s), Cause::Input),
                Some(Ok(TermEvent::Resize(..))) => (Msg::Resize, Cause::Input),
                Some(Ok(_)) => continue,
                Some(Err(e)) => return Err(e),
                None => return Ok(()),
            },
            reply = replies.recv() => match reply {
                Some(reply) => {
                    // Everything else already waiting comes in with it,
                    // and is drawn in one frame.
                    for _ in 0..MOST_AT_ONCE {
                        match replies.try_recv() {
                            Ok(more) => inbox.push_back((Msg::from(more), Cause::Elsewhere)),
                            Err(_) => break,
                        }
                    }
                    inbox.push_front((Msg::from(reply), Cause::Elsewhere));
                    continue;
                }
                None => return Ok(()),
            },
            _ = tokio::time::sleep(owed.unwrap_or(wait).min(wait)) => {
                if owed.is_some_and(|o| o < wait) {
                    continue;
                }
                (Msg::Tick, Cause::Elsewhere)
            }
        };
        inbox.push_back(msg);
    }
}
