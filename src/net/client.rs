//! The joining side: a link to the host that keeps what it has not yet had
//! acknowledged in an outbox file, sends it again after any disconnection,
//! and reconnects by itself. The host recognises anything it already holds,
//! so resending never records twice.

use super::wire::{self, FrameReader, FrameWriter, Knock, Role, ToClient, ToHost, WireError};
use crate::domain::Event;
use crate::live::Reply;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use std::io::Write;
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

#[derive(Serialize, Deserialize)]
enum OutboxLine {
    Sent(u64, Event),
    Done(u64),
    /// The device token the host gave (empty: none), to reconnect without the code.
    Token(String),
}

/// Proposals not yet acknowledged, kept on disk (written and synced before
/// they are sent) so a killed terminal sends them again when restarted.
/// One terminal at a time: the outbox is locked while it is open.
pub struct Outbox {
    path: PathBuf,
    file: std::fs::File,
    /// Holds the lock on `<outbox>.lock` for as long as the outbox is open.
    _lock: std::fs::File,
    pending: IndexMap<u64, Event>,
    last_nonce: u64,
    token: Option<String>,
    /// Acknowledged since the file was last rewritten.
    done_since: usize,
}

/// Largest outbox read back: far more unsent statements than a session has.
const MAX_OUTBOX: u64 = 256 << 20;

impl Outbox {
    pub fn open(path: PathBuf) -> std::io::Result<Outbox> {
        use crate::store::fsutil;
        use std::os::unix::fs::OpenOptionsExt;
        let io = |e: crate::store::StoreError| std::io::Error::other(e.to_string());
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            fsutil::create_private_dir_all(dir).map_err(io)?;
        }
        // The lock is a file of its own: the outbox itself is replaced by
        // renaming, which would leave a lock on it behind.
        let lock_path = PathBuf::from(format!("{}.lock", path.display()));
        let lock = fsutil::open_sole(
            &lock_path,
            std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .mode(fsutil::FILE_MODE),
            "the outbox's lock",
        )
        .map_err(io)?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(std::io::Error::other(format!(
                    "another `roundtable join` on this computer is already using {} \
                     (the same name joining the same session); close that one first, \
                     or join with a different --as name",
                    path.display()
                )));
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(e),
        }
        let mut pending = IndexMap::new();
        let mut last_nonce = 0;
        let mut token = None;
        if std::fs::symlink_metadata(&path).is_ok() {
            let bytes = fsutil::read_sole(&path, MAX_OUTBOX, "the outbox").map_err(io)?;
            let text = String::from_utf8_lossy(&bytes);
            // A line cut short by a crash was never sent: skip it.
            for line in text.lines() {
                match crate::store::ron_text::parse_ron::<OutboxLine>(line) {
                    Ok(OutboxLine::Sent(n, e)) => {
                        last_nonce = last_nonce.max(n);
                        pending.insert(n, e);
                    }
                    Ok(OutboxLine::Done(n)) => {
                        pending.shift_remove(&n);
                    }
                    Ok(OutboxLine::Token(t)) => token = Some(t).filter(|t| !t.is_empty()),
                    Err(_) => {}
                }
            }
        }
        // Start the file afresh with only what is still pending.
        let file = write_outbox(&path, token.as_ref(), &pending)?;
        Ok(Outbox {
            path,
            file,
            _lock: lock,
            pending,
            last_nonce,
            token,
            done_since: 0,
        })
    }

    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// Keeps `token` for this run, and in the file for the next (if that
    /// write fails, only a restarted terminal needs the code again).
    pub fn set_token(&mut self, token: Option<String>) -> std::io::Result<()> {
        if token == self.token {
            return Ok(());
        }
        let written = self.append(&OutboxLine::Token(token.clone().unwrap_or_default()));
        self.token = token;
        written
    }

    fn append(&mut self, l: &OutboxLine) -> std::io::Result<()> {
        self.file.write_all(line(l)?.as_bytes())?;
        self.file.sync_data()
    }

    pub fn sent(&mut self, nonce: u64, event: &Event) -> std::io::Result<()> {
        self.append(&OutboxLine::Sent(nonce, event.clone()))?;
        self.pending.insert(nonce, event.clone());
        Ok(())
    }

    /// `nonce` is acknowledged (or refused for good), and the outbox lets
    /// its words go. With nothing left to send (a note-taker's usual state,
    /// one statement at a time) the file is cut back to the device token at
    /// once; while others are still in flight it is rewritten with only
    /// those whenever the acknowledged outnumber them, so it never holds
    /// more than twice what waits.
    pub fn done(&mut self, nonce: u64) -> std::io::Result<()> {
        if self.pending.shift_remove(&nonce).is_none() {
            return Ok(());
        }
        if self.pending.is_empty() {
            self.done_since = 0;
            self.file.set_len(0)?;
            if let Some(t) = self.token.clone() {
                self.file
                    .write_all(line(&OutboxLine::Token(t))?.as_bytes())?;
            }
            return self.file.sync_data();
        }
        self.done_since += 1;
        if self.done_since > self.pending.len() {
            self.done_since = 0;
            return self.rewrite();
        }
        self.append(&OutboxLine::Done(nonce))
    }

    /// The file afresh, atomically: the token and what is still waiting.
    fn rewrite(&mut self) -> std::io::Result<()> {
        self.file = write_outbox(&self.path, self.token.as_ref(), &self.pending)?;
        Ok(())
    }

    /// The terminal is closing: with nothing left to send, the outbox is
    /// cut back to the device token alone (no words; the laptop comes back
    /// under its name without the code), or removed when there is no
    /// token; with something left, it stays for the next run.
    pub fn finish(mut self) {
        if !self.pending.is_empty() {
            return;
        }
        match self.token.clone() {
            Some(t) => {
                let _ = self
                    .file
                    .set_len(0)
                    .and_then(|()| self.file.write_all(line(&OutboxLine::Token(t))?.as_bytes()))
                    .and_then(|()| self.file.sync_data());
            }
            None => {
                drop(self.file);
                let _ = std::fs::remove_file(&self.path);
            }
        }
    }

    pub fn pending(&self) -> impl Iterator<Item = (u64, &Event)> {
        self.pending.iter().map(|(n, e)| (*n, e))
    }

    pub fn len(&self) -> usize {
        self.pending.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    pub fn path(&self) -> &std::path::Path {
        &self.path
    }
}

/// Writes the outbox at `path` atomically with the token and what is
/// still waiting, and opens it to append to.
fn write_outbox(
    path: &std::path::Path,
    token: Option<&String>,
    pending: &IndexMap<u64, Event>,
) -> std::io::Result<std::fs::File> {
    use crate::store::fsutil;
    let io = |e: crate::store::StoreError| std::io::Error::other(e.to_string());
    let mut text = String::new();
    if let Some(t) = token {
        text.push_str(&line(&OutboxLine::Token(t.clone()))?);
    }
    for (n, e) in pending {
        text.push_str(&line(&OutboxLine::Sent(*n, e.clone()))?);
    }
    fsutil::write_atomic(path, text.as_bytes()).map_err(io)?;
    fsutil::open_sole(path, std::fs::OpenOptions::new().append(true), "the outbox").map_err(io)
}

fn line(l: &OutboxLine) -> std::io::Result<String> {
    ron::to_string(l)
        .map(|s| s + "\n")
        .map_err(|e| std::io::Error::other(e.to_string()))
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
    let outbox = Outbox::open(opts.outbox.clone())?;
    let (tx, rx) = mpsc::unbounded_channel();
    let (take_tx, take_rx) = mpsc::unbounded_channel();
    let (reply_tx, reply_rx) = mpsc::unbounded_channel();
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
            let s = tokio::net::UnixStream::connect(path).await?;
            let (r, w) = s.into_split();
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
    let base = outbox.last_nonce;
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
                    // It will never be accepted: stop sending it.
                    let _ = outbox.done(nonce);
                    if nonce > base {
                        let _ = to_ui.send(Reply::Failed {
                            token: nonce - base,
                            error: reason,
                            retry: false,
                        });
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
