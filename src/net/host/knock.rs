//! The host's side of the door: a network connection from knocking to
//! authenticated, asking [`Door`] at each step (may it wait, may it try
//! the code, how the attempt ended) and giving its place back however the
//! connection ends.

use super::{Shared, lock};
use crate::live::Reply;
use crate::net::door::Refusal;
use crate::net::wire::{self, FrameReader, FrameWriter, Knock, WireError, WireResult};
use std::net::IpAddr;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

/// A network connection the door let in, not yet authenticated: where it
/// comes from, its place at the door, and word if another takes its place.
pub(super) struct Waiting {
    ip: IpAddr,
    id: u64,
    displaced: oneshot::Receiver<()>,
}

/// Asks the door to let a connection from `ip` wait to authenticate,
/// closing any it displaces. `None`: closed as soon as accepted.
pub(super) fn let_in(shared: &Shared, ip: IpAddr) -> Option<Waiting> {
    let id = shared.next_conn.fetch_add(1, Ordering::Relaxed);
    let displaced = lock(&shared.door).connect(ip, id, Instant::now()).ok()?;
    let mut waiting = lock(&shared.waiting);
    if let Some(gone) = displaced.and_then(|d| waiting.remove(&d)) {
        let _ = gone.send(());
    }
    let (tx, rx) = oneshot::channel();
    waiting.insert(id, tx);
    Some(Waiting {
        ip,
        id,
        displaced: rx,
    })
}

/// Authenticates a network connection the door let wait, in small messages;
/// it gives up its place at the door when another takes it.
pub(super) async fn authenticate(
    shared: &Shared,
    r: &mut FrameReader,
    w: &mut FrameWriter,
    Waiting { ip, id, displaced }: Waiting,
) -> Result<Joined, String> {
    let mut unauthenticated = Unauthenticated {
        shared,
        ip,
        id,
        done: false,
    };
    r.unauthenticated(true);
    let joined = tokio::select! {
        joined = knock(shared, ip, r, w) => joined.map_err(|e| e.to_string())?,
        _ = displaced => {
            // Said outright, so the joiner tries again rather than taking
            // the closed connection for a wrong code.
            let why = "the host is busy with other connections".to_owned();
            let _ = w.send(&Knock::Busy { secs: 1, why: why.clone() }).await;
            return Err(why);
        }
    };
    r.unauthenticated(false);
    unauthenticated.done();
    Ok(joined)
}

/// A network connection counted as not yet authenticated until dropped or
/// [`Unauthenticated::done`].
struct Unauthenticated<'a> {
    shared: &'a Shared,
    ip: IpAddr,
    id: u64,
    done: bool,
}

impl Unauthenticated<'_> {
    fn done(&mut self) {
        if !self.done {
            self.done = true;
            lock(&self.shared.waiting).remove(&self.id);
            lock(&self.shared.door).leave(self.ip, self.id, Instant::now());
        }
    }
}

impl Drop for Unauthenticated<'_> {
    fn drop(&mut self) {
        self.done();
    }
}

/// A code attempt admitted by the door: a wrong code counts, anything else
/// (including being dropped at the deadline) gives its place back.
struct Attempt<'a> {
    shared: &'a Shared,
    ip: IpAddr,
    settled: bool,
}

impl Attempt<'_> {
    fn settle(&mut self, wrong: bool) {
        self.settled = true;
        let failures = {
            let mut door = lock(&self.shared.door);
            door.outcome(self.ip, wrong, Instant::now());
            door.failures
        };
        if wrong {
            let _ = self.shared.ui.send(Reply::WrongCodes(failures));
        }
    }
}

impl Drop for Attempt<'_> {
    fn drop(&mut self) {
        if !self.settled {
            lock(&self.shared.door).abandoned(self.ip, Instant::now());
        }
    }
}

/// How a network connection authenticated.
pub(super) enum Joined {
    /// With the code: it is given a new device token once it says hello.
    Code,
    /// With the device token of this id.
    Token(String),
}

/// A network join: SPAKE2 with the join code (or a device token), then
/// Noise keyed by the result.
async fn knock(
    shared: &Shared,
    ip: IpAddr,
    r: &mut FrameReader,
    w: &mut FrameWriter,
) -> WireResult<Joined> {
    let first: Knock = r
        .recv()
        .await?
        .ok_or_else(|| WireError::Bad("closed".into()))?;
    match first {
        Knock::Code(theirs) => {
            let admitted = lock(&shared.door).attempt(ip, Instant::now());
            if let Err(refusal) = admitted {
                let (wait, why) = match refusal {
                    Refusal::Wait(wait) => (wait, "too many wrong codes from here lately"),
                    // Said as it is: this address may never have guessed.
                    Refusal::Network(wait) => (wait, "too many wrong codes on this network lately"),
                    Refusal::Full => (Duration::from_secs(1), "the host is busy"),
                };
                let secs = wait.as_secs().max(1);
                let why = why.to_owned();
                w.send(&Knock::Busy {
                    secs,
                    why: why.clone(),
                })
                .await?;
                return Err(WireError::Busy(secs, why));
            }
            let mut attempt = Attempt {
                shared,
                ip,
                settled: false,
            };
            let code = lock(&shared.code).clone();
            let (spake, ours) = wire::spake_start(&code);
            w.send(&Knock::Code(ours)).await?;
            // Not a SPAKE2 message: a protocol error, not a guess.
            let key = spake
                .finish(&theirs)
                .map_err(|_| WireError::Bad("not a SPAKE2 message".into()))?;
            match wire::handshake(r, w, &wire::psk(&key), false).await {
                Ok(()) => attempt.settle(false),
                Err(WireError::WrongCode) => {
                    attempt.settle(true);
                    return Err(WireError::WrongCode);
                }
                Err(e) => return Err(e),
            }
            Ok(Joined::Code)
        }
        Knock::Token(id) => {
            let device = lock(&shared.tokens).get(&id).cloned();
            let Some(device) = device else {
                // Revoked, or never issued here: the laptop falls back to
                // the code.
                w.send(&Knock::NoMatch).await?;
                return Err(WireError::Bad("unknown device token".into()));
            };
            wire::handshake(r, w, &wire::psk(&device.secret), false).await?;
            Ok(Joined::Token(id))
        }
        Knock::Busy { .. } | Knock::NoMatch => Err(WireError::Bad("not a knock".into())),
    }
}
