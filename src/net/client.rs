//! The joining side: a link to the host that keeps what it has not yet had
//! acknowledged in an outbox file, sends it again after any disconnection,
//! and reconnects by itself. The host recognises anything it already holds,
//! so resending never records twice.

pub use super::outbox::Outbox;
use super::wire::{self, FrameReader, FrameWriter, Knock, Role, ToClient, ToHost, WireError};
use crate::domain::Event;
use crate::live::Reply;
use std::path::PathBuf;
use std::time::Duration;
use tokio::sync::mpsc;

/// How long to wait between attempts to reach the host.
const RETRY: Duration = Duration::from_millis(300);

#[derive(Clone, Debug)]
pub enum Target {
    /// The session folder's socket, on this computer.
    Unix(PathBuf),
    /// Another laptop, with the join code shown on its projector.
    Tcp { addr: String, code: String },
}

#[derive(Clone, Debug)]
pub struct JoinOptions {
    pub target: Target,
    pub name: String,
    pub role: Role,
    /// Where unacknowledged proposals are kept across a crash.
    pub outbox: PathBuf,
}

/// What the screens send: (their token, the event).
pub type Proposals = mpsc::UnboundedSender<(u64, Event)>;
/// A statement sent from a phone that a note-taker takes in (`true`) or
/// sets aside, by its number; answered with [`Reply::PhoneTaken`].
pub type TakeIns = mpsc::UnboundedSender<(u64, bool)>;

/// What the screens send, as the link receives it.
struct FromUi {
    proposals: mpsc::UnboundedReceiver<(u64, Event)>,
    take_ins: mpsc::UnboundedReceiver<(u64, bool)>,
}

/// Starts the link on the current tokio runtime. Replies come as the store
/// thread's would: `Applied` for each record in order, `Acked` for this
/// terminal's own, `Link` when the connection comes or goes.
pub fn start(opts: JoinOptions) -> std::io::Result<(Proposals, mpsc::UnboundedReceiver<Reply>)> {
    let (proposals, _, replies) = start_with_phones(opts)?;
    Ok((proposals, replies))
}

/// [`start`], and a way to take in what phones sent (note-takers).
pub fn start_with_phones(
    opts: JoinOptions,
) -> std::io::Result<(Proposals, TakeIns, mpsc::UnboundedReceiver<Reply>)> {
    let mut outbox = Outbox::open(opts.outbox.clone())?;
    let (tx, rx) = mpsc::unbounded_channel();
    let (take_tx, take_rx) = mpsc::unbounded_channel();
    let (reply_tx, reply_rx) = mpsc::unbounded_channel();
    for notice in outbox.take_notices() {
        let _ = reply_tx.send(Reply::Problem(notice));
    }
    let from_ui = FromUi {
        proposals: rx,
        take_ins: take_rx,
    };
    tokio::spawn(run(opts, outbox, from_ui, reply_tx));
    Ok((tx, take_tx, reply_rx))
}

struct Conn {
    r: FrameReader,
    w: FrameWriter,
}

async fn connect(opts: &JoinOptions, token: Option<&str>) -> Result<Conn, WireError> {
    match &opts.target {
        Target::Unix(path) => {
            let (r, w) = crate::os::local::connect(path).await?;
            Ok(Conn {
                r: FrameReader::new(r),
                w: FrameWriter::new(w),
            })
        }
        Target::Tcp { addr, code } => {
            let s = tokio::net::TcpStream::connect(addr.as_str()).await?;
            let _ = s.set_nodelay(true);
            let (r, w) = s.into_split();
            let (mut r, mut w) = (FrameReader::new(r), FrameWriter::new(w));
            match token.and_then(|t| t.split_once(':')) {
                Some((id, secret)) => {
                    let secret = hex::decode(secret)
                        .map_err(|_| WireError::Bad("a damaged device token".into()))?;
                    w.send(&Knock::Token(id.to_owned())).await?;
                    wire::handshake(&mut r, &mut w, &wire::psk(&secret), true).await?;
                }
                None => {
                    let (spake, ours) = wire::spake_start(code);
                    w.send(&Knock::Code(ours)).await?;
                    let theirs = match r.recv::<Knock>().await? {
                        Some(Knock::Code(m)) => m,
                        Some(Knock::Busy { secs, why }) => return Err(WireError::Busy(secs, why)),
                        _ => return Err(WireError::Bad("the host did not answer".into())),
                    };
                    let key = spake
                        .finish(&theirs)
                        .map_err(|_| WireError::Bad("the host's answer is not SPAKE2".into()))?;
                    wire::handshake(&mut r, &mut w, &wire::psk(&key), true).await?;
                }
            }
            Ok(Conn { r, w })
        }
    }
}

async fn run(
    opts: JoinOptions,
    mut outbox: Outbox,
    mut from_ui: FromUi,
    to_ui: mpsc::UnboundedSender<Reply>,
) {
    // Nonces above `base` are this run's tokens; at or below, earlier runs'.
    let base = outbox.last_nonce();
    let mut after = 0u64;
    loop {
        let with_token = outbox.token().is_some() && matches!(opts.target, Target::Tcp { .. });
        let connected = connect(&opts, outbox.token()).await;
        if with_token && let Err(WireError::WrongCode) = &connected {
            // The host said it does not know this device any more: use the
            // code. (A connection that merely closed keeps the token.)
            let _ = outbox.set_token(None);
            continue;
        }
        let wrong_code = matches!(connected, Err(WireError::WrongCode)) && outbox.token().is_none();
        let busy = match &connected {
            Err(WireError::Busy(secs, _)) => Some(*secs),
            _ => None,
        };
        let mut stop = wrong_code.then(|| {
            (
                "the join code does not match; check it on the projector and join again".to_owned(),
                "not joined: the join code did not match".to_owned(),
            )
        });
        let reason = match connected {
            Ok(conn) => {
                match session(
                    &opts,
                    conn,
                    &mut outbox,
                    &mut from_ui,
                    &to_ui,
                    base,
                    &mut after,
                )
                .await
                {
                    Ended::Quit => return outbox.finish(),
                    Ended::Lost(why) => why,
                    Ended::Refused(why) => format!("refused: {why}"),
                    Ended::Dismissed(why) => {
                        stop = Some((
                            format!("{why} · to come back, join with the code on the projector"),
                            format!("not joined: {why}"),
                        ));
                        why
                    }
                }
            }
            Err(WireError::Io(e))
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::NotFound | std::io::ErrorKind::ConnectionRefused
                ) =>
            {
                "the host is not running".into()
            }
            Err(e) => e.to_string(),
        };
        let text = match (&stop, outbox.len()) {
            (Some((said, _)), _) => said.clone(),
            (None, 0) => match busy {
                Some(secs) => format!("not joined yet: {reason} · trying again in {secs} s"),
                None => format!("disconnected: {reason} · trying again"),
            },
            (None, n) => format!("disconnected: {reason} · {n} kept here until it is back"),
        };
        let _ = to_ui.send(Reply::Link {
            connected: false,
            text,
        });
        if let Some((_, error)) = stop {
            // Guessing again would only use up the room's attempts; coming
            // back on our own would undo the host's decision. What is typed
            // now stays unsaved on screen (quitting offers to rescue it).
            while let Some((tok, _)) = from_ui.proposals.recv().await {
                let _ = to_ui.send(Reply::Failed {
                    token: tok,
                    retry: false,
                    error: error.clone(),
                });
            }
            outbox.finish();
            return;
        }
        // Not taking attempts from here for a while: wait as long as asked
        // (a minute at most at a time), then try again.
        let wait = tokio::time::sleep(match busy {
            Some(secs) => Duration::from_secs(secs.min(60)),
            None => RETRY,
        });
        tokio::pin!(wait);
        loop {
            tokio::select! {
                _ = &mut wait => break,
                m = from_ui.proposals.recv() => match m {
                    Some((tok, event)) => {
                        keep(&mut outbox, &to_ui, base + tok, tok, &event);
                    }
                    None => return outbox.finish(),
                },
                Some(_) = from_ui.take_ins.recv() => {
                    let _ = to_ui.send(Reply::PhoneTaken(Err(
                        "not connected to the host: try again when it is back".into(),
                    )));
                }
            }
        }
    }
}

enum Ended {
    Quit,
    Lost(String),
    Refused(String),
    /// The host ended the connection on purpose: not to be retried.
    Dismissed(String),
}

/// Writes a proposal to the outbox before anything else; a failure to do so
/// is reported against it, so the screen never shows it saved.
fn keep(
    outbox: &mut Outbox,
    to_ui: &mpsc::UnboundedSender<Reply>,
    nonce: u64,
    tok: u64,
    e: &Event,
) -> bool {
    match outbox.sent(nonce, e) {
        Ok(()) => true,
        Err(err) => {
            let _ = to_ui.send(Reply::Failed {
                token: tok,
                retry: true,
                error: format!("could not keep it in {}: {err}", outbox.path().display()),
            });
            false
        }
    }
}

/// Stops a connection's writer when its session ends.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

async fn session(
    opts: &JoinOptions,
    mut conn: Conn,
    outbox: &mut Outbox,
    from_ui: &mut FromUi,
    to_ui: &mpsc::UnboundedSender<Reply>,
    base: u64,
    after: &mut u64,
) -> Ended {
    let hello = ToHost::Hello {
        name: opts.name.clone(),
        role: opts.role,
        after: *after,
    };
    if let Err(e) = conn.w.send(&hello).await {
        return Ended::Lost(e.to_string());
    }
    match conn.r.recv::<ToClient>().await {
        Ok(Some(ToClient::Welcome { token, .. })) => {
            if token.is_some() {
                let _ = outbox.set_token(token);
            }
        }
        Ok(Some(ToClient::Refused(why))) => return Ended::Refused(why),
        Ok(_) => return Ended::Lost("the host did not welcome us".into()),
        Err(e) => return Ended::Lost(e.to_string()),
    }
    let _ = to_ui.send(Reply::Link {
        connected: true,
        text: format!("joined as {} ({})", opts.name, opts.role.label()),
    });
    // Writing has its own task, so reading never waits behind a full socket.
    let (out, mut queue) = mpsc::unbounded_channel::<ToHost>();
    let mut w = conn.w;
    let (lost_tx, mut lost) = tokio::sync::oneshot::channel::<String>();
    let writer = tokio::spawn(async move {
        while let Some(msg) = queue.recv().await {
            if let Err(e) = w.send(&msg).await {
                let _ = lost_tx.send(e.to_string());
                return;
            }
        }
    });
    let _abort = AbortOnDrop(writer);
    for (nonce, event) in outbox.pending() {
        let _ = out.send(ToHost::Propose {
            nonce,
            event: event.clone(),
        });
    }
    loop {
        tokio::select! {
            why = &mut lost => return Ended::Lost(why.unwrap_or_else(|_| "the connection closed".into())),
            m = from_ui.proposals.recv() => match m {
                None => return Ended::Quit,
                Some((tok, event)) => {
                    let nonce = base + tok;
                    if keep(outbox, to_ui, nonce, tok, &event) {
                        let _ = out.send(ToHost::Propose { nonce, event });
                    }
                }
            },
            Some((id, accept)) = from_ui.take_ins.recv() => {
                let _ = out.send(ToHost::TakeIn { id, accept });
            }
            f = conn.r.recv::<ToClient>() => match f {
                Ok(Some(ToClient::Record { seq, event })) => {
                    if Some(seq) == after.checked_add(1) {
                        *after = seq;
                        let _ = to_ui.send(Reply::Applied { seq, event });
                    }
                }
                Ok(Some(ToClient::Ack { nonce, seq })) => {
                    // Saved at the host: said first, then let go here (a
                    // crash between the two only sends it again, which the
                    // host recognises).
                    if nonce > base {
                        let _ = to_ui.send(Reply::Acked { token: nonce - base, seq });
                    }
                    let _ = outbox.done(nonce);
                }
                Ok(Some(ToClient::Rejected { nonce, reason })) => {
                    // It will never be accepted: stop sending it. This
                    // run's words stay on screen (quitting rescues them);
                    // an earlier run's are kept beside the outbox, and the
                    // note-taker is told.
                    if nonce > base {
                        let _ = outbox.done(nonce);
                        let _ = to_ui.send(Reply::Failed {
                            token: nonce - base,
                            error: reason,
                            retry: false,
                        });
                    } else {
                        let said = match outbox.refused(nonce, &reason) {
                            Ok(said) => said,
                            Err(e) => format!(
                                "NOT SAVED: the host refused a statement from an earlier run ({reason}), \
                                 and it stays in {} because it could not be set aside: {e}",
                                outbox.path().display()
                            ),
                        };
                        let _ = to_ui.send(Reply::Problem(said));
                    }
                }
                Ok(Some(ToClient::Peers(names))) => {
                    let _ = to_ui.send(Reply::Peers(names));
                }
                Ok(Some(ToClient::PhoneWaiting(waiting))) => {
                    let _ = to_ui.send(Reply::Phones(crate::live::PhoneRoom {
                        waiting,
                        ..Default::default()
                    }));
                }
                Ok(Some(ToClient::TakenIn(answer))) => {
                    let _ = to_ui.send(Reply::PhoneTaken(answer));
                }
                Ok(Some(ToClient::Refused(why))) => return Ended::Refused(why),
                Ok(Some(ToClient::Dismissed(why))) => return Ended::Dismissed(why),
                Ok(Some(ToClient::Welcome { .. })) => {}
                Ok(None) => return Ended::Lost("the host closed the connection".into()),
                Err(e) => return Ended::Lost(e.to_string()),
            },
        }
    }
}
