//! The full-screen runtime: terminal setup and restore, the event loop, and
//! the store thread that saves events without making the screen wait.

use super::{debug_panic_switch, with_terminal};
use crate::app::{self, App, Effect, Msg, Tone};
use crate::domain::{Event, Session, StageState, Timestamp};
use crate::live::{Hosting, Origin, Reply, Request, host};
use crate::store::{StoreError, Writer};
use crate::ui::{self, Theme};
use crossterm::event::{Event as TermEvent, EventStream};
use futures_util::StreamExt;
use ratatui::DefaultTerminal;
use std::io::Write;
use std::time::Duration;
use tokio::sync::mpsc;

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

pub struct Options {
    pub theme: Theme,
    pub actor: String,
    pub keymap: app::keymap::Keymap,
    pub warnings: Vec<String>,
    /// Source sessions, for a cross-session workspace.
    pub sources: Vec<app::synthesis::Source>,
    /// Also listen on TCP here for note-takers on other laptops.
    pub lan: Option<std::net::SocketAddr>,
}

/// Runs the live screens on an open session until the user quits. Other
/// terminals can join through the session folder's socket (and over the
/// network with `lan`) while it runs.
pub fn run(writer: Writer, opts: Options) -> std::io::Result<()> {
    let mut session = writer.session().clone();
    let dir = writer.dir().to_owned();
    let Hosting {
        clock,
        store: tx,
        replies,
        listening,
        handle,
    } = host(writer, opts.actor.clone(), opts.lan);
    let mut app = App::new(opts.keymap, opts.actor);
    if !opts.sources.is_empty() {
        app.sources = opts.sources;
        app.screen = app::Screen::Synthesis;
        app.synthesis.accounts = crate::domain::analysis::Accounts::Sessions;
        app.synthesis.view = app::synthesis::SynthView::Grid;
    }
    let mut warnings = opts.warnings;
    match &listening {
        Ok(l) => {
            if let Some((addr, code)) = &l.lan {
                app.join_code = Some((code.clone(), addr.to_string()));
            }
        }
        Err(e) if opts.lan.is_some() => {
            return Err(std::io::Error::other(format!(
                "cannot listen for other laptops: {e}"
            )));
        }
        Err(e) => warnings.push(format!("other terminals cannot join: {e}.")),
    }
    if !warnings.is_empty() {
        app.message = Some(app::Message {
            text: warnings.join(" "),
            tone: Tone::Problem,
        });
    }
    let store = tx.clone();
    let mut send = move |token, event| {
        store
            .send(Request {
                token,
                event,
                from: Origin::Local,
            })
            .is_ok()
    };
    let result = with_terminal(|mut terminal| async move {
        event_loop(
            &mut terminal,
            &mut app,
            &mut session,
            &mut send,
            replies,
            &opts.theme,
            &clock,
            &dir,
        )
        .await
    });
    if let Ok(l) = &listening {
        l.stop();
    }
    drop(tx);
    // Everything sent has been saved or refused by now; leave a fresh snapshot.
    if let Ok(writer) = handle.join() {
        let _ = writer.snapshot();
    }
    result
}

/// A host without screens, for tests and benchmarks: prints `socket PATH`,
/// then `lan ADDR CODE` with `lan`, then `code CODE` whenever the code is
/// replaced, and serves until killed.
pub fn host_headless(writer: Writer, lan: Option<std::net::SocketAddr>) -> std::io::Result<()> {
    let Hosting {
        mut replies,
        listening,
        ..
    } = host(writer, "facilitator".into(), lan);
    let l = listening?;
    let mut out = std::io::stdout();
    writeln!(out, "socket {}", l.socket.display())?;
    if let Some((addr, code)) = &l.lan {
        writeln!(out, "lan {addr} {code}")?;
    }
    out.flush()?;
    while let Some(reply) = replies.blocking_recv() {
        if let Reply::JoinCode { code, .. } = reply {
            writeln!(out, "code {code}")?;
            out.flush()?;
        }
    }
    Ok(())
}

/// A joined terminal without screens, for tests: each line on stdin,
/// `ID TEXT`, is proposed as a statement by the whole group; prints
/// `acked ID SEQ`, `failed ID WHY` and `link up|down TEXT`. Runs until killed.
pub fn join_headless(opts: crate::net::client::JoinOptions) -> std::io::Result<()> {
    use std::io::BufRead;
    let name = opts.name.clone();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        let (proposals, mut replies) = crate::net::client::start(opts)?;
        let (line_tx, mut lines) = mpsc::unbounded_channel::<String>();
        std::thread::spawn(move || {
            for line in std::io::stdin().lock().lines().map_while(Result::ok) {
                if line_tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut ids = std::collections::HashMap::new();
        let mut open = true;
        let mut out = std::io::stdout();
        loop {
            tokio::select! {
                line = lines.recv(), if open => match line {
                    Some(line) => {
                        let (id, text) = line.split_once(' ').unwrap_or((line.as_str(), "…"));
                        let token = ids.len() as u64 + 1;
                        ids.insert(token, id.to_owned());
                        let event = Event::StatementAdded {
                            id: crate::domain::StatementId::new(id),
                            kind: crate::domain::StatementKind::Paraphrase,
                            speaker: crate::domain::Speaker::Group,
                            stage: None,
                            text: text.to_owned(),
                            tags: Vec::new(),
                            captured_by: name.clone(),
                            at: Timestamp::from_unix_millis(0),
                        };
                        let _ = proposals.send((token, event));
                    }
                    None => open = false,
                },
                reply = replies.recv() => {
                    let id = |t: u64| ids.get(&t).cloned().unwrap_or_default();
                    match reply {
                        Some(Reply::Acked { token, seq }) => writeln!(out, "acked {} {seq}", id(token))?,
                        Some(Reply::Failed { token, error }) => writeln!(out, "failed {} {error}", id(token))?,
                        Some(Reply::Link { connected, text }) => {
                            writeln!(out, "link {} {text}", if connected { "up" } else { "down" })?
                        }
                        Some(_) => continue,
                        None => return Ok(()),
                    }
                    out.flush()?;
                }
            }
        }
    })
}

/// What `roundtable join` needs besides the link.
pub struct JoinScreen {
    pub theme: Theme,
    pub keymap: app::keymap::Keymap,
}

/// Runs the live screens of a session hosted by another `roundtable run`.
pub fn join(opts: crate::net::client::JoinOptions, screen: JoinScreen) -> std::io::Result<()> {
    let clock = crate::clock::SessionClock::system(Timestamp::default());
    let mut app = App::new(screen.keymap, opts.name.clone());
    app.id_prefix = id_prefix(&opts.name);
    app.screen = match opts.role {
        crate::net::wire::Role::NoteTaker => app::Screen::Capture,
        crate::net::wire::Role::Viewer => app::Screen::Projector,
    };
    app.link = Some((false, "connecting…".into()));
    let mut session = Session::default();
    // Unsaved text is rescued beside the outbox, which keeps the rest.
    let rescue_dir = opts
        .outbox
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| std::path::PathBuf::from("."), |p| p.to_owned());
    with_terminal(|mut terminal| async move {
        let (proposals, replies) = crate::net::client::start(opts)?;
        let mut send = move |token, event| proposals.send((token, event)).is_ok();
        event_loop(
            &mut terminal,
            &mut app,
            &mut session,
            &mut send,
            replies,
            &screen.theme,
            &clock,
            &rescue_dir,
        )
        .await
    })
}

/// The id prefix for a joined terminal's name: `Sam Patel` → `sam-patel-`.
pub fn id_prefix(name: &str) -> String {
    let mut p: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .take(24)
        .collect();
    p = p.trim_matches('-').to_owned();
    if p.is_empty() {
        p = "joined".into();
    }
    p + "-"
}

/// Applies a saved record to the screens' copy of the session, which the
/// store (or the host) has already applied to its own: this keeps them equal.
fn show_saved(app: &mut App, session: &mut Session, event: &Event) {
    if let Err(e) = session.apply(event) {
        app.message = Some(app::Message {
            text: format!("display out of step: {e}; restart to reload"),
            tone: Tone::Problem,
        });
    }
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

#[allow(clippy::too_many_arguments)]
async fn event_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    session: &mut Session,
    send: &mut dyn FnMut(u64, Event) -> bool,
    mut replies: mpsc::UnboundedReceiver<Reply>,
    theme: &Theme,
    clock: &crate::clock::SessionClock,
    rescue_dir: &std::path::Path,
) -> std::io::Result<()> {
    let mut events = EventStream::new();
    let mut dirty = true;
    // Check the bell straight away: a session reopened over time says so.
    let mut pending_msgs = vec![Msg::Tick];
    loop {
        // An effect's answer (a rescue file written) is a message of its own.
        while !pending_msgs.is_empty() {
            for msg in std::mem::take(&mut pending_msgs) {
                let now = clock.now();
                for effect in app::update(app, session, msg, now) {
                    match effect {
                        Effect::Record { token, event } => {
                            if !send(token, event) {
                                // Kept as NOT SAVED, so quitting offers to rescue it.
                                pending_msgs.push(Msg::Failed {
                                    token,
                                    error: "the store has stopped".into(),
                                });
                            }
                        }
                        Effect::Bell => {
                            let mut out = std::io::stdout();
                            let _ = out.write_all(b"\x07").and_then(|()| out.flush());
                        }
                        Effect::Rescue { text } => {
                            pending_msgs.push(Msg::Rescued(write_rescue(
                                rescue_dir,
                                &text,
                                clock.now(),
                            )));
                        }
                        Effect::Quit => return Ok(()),
                    }
                }
                dirty = true;
            }
        }
        if dirty {
            let now = clock.now();
            terminal.draw(|f| {
                ui::render(f, app, session, now, theme);
                ui::untrusted::guard(f.buffer_mut());
            })?;
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
                    show_saved(app, session, &event);
                    pending_msgs.push(Msg::Committed { token, seq });
                }
                Some(Reply::Applied { event, .. }) => {
                    show_saved(app, session, &event);
                    dirty = true;
                }
                Some(Reply::Acked { token, seq }) => pending_msgs.push(Msg::Committed { token, seq }),
                Some(Reply::Failed { token, error }) => pending_msgs.push(Msg::Failed { token, error }),
                Some(Reply::Peers(names)) => {
                    app.peers = names;
                    dirty = true;
                }
                Some(Reply::JoinCode { code, at }) => {
                    app.join_code = Some((code, at));
                    dirty = true;
                }
                Some(Reply::Link { connected, text }) => {
                    app.link = Some((connected, text));
                    dirty = true;
                }
                Some(Reply::Corrected { session: replayed, text }) => {
                    if let Some(replayed) = replayed {
                        *session = *replayed;
                    }
                    app.message = Some(app::Message { text, tone: Tone::Problem });
                    dirty = true;
                }
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
