//! The host side: `roundtable run` listens on a Unix socket in the session
//! folder (and, with `--lan`, on TCP behind a join code) and passes joined
//! terminals' proposals to the one store thread, which checks, appends and
//! fsyncs them like its own.

use super::wire::{
    self, FrameReader, FrameWriter, Knock, Role, ToClient, ToHost, WireError, WireResult,
};
use crate::domain::Event;
use crate::live::{Feed, Origin, Reply, Request};
use crate::store::journal::{self, JOURNAL};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc as std_mpsc;
use std::sync::{Arc, Mutex};
use tokio::sync::{mpsc, watch};

/// The socket a second terminal on the same computer joins by.
pub const SOCKET: &str = "roundtable.sock";
/// Wrong codes tolerated before the code is replaced.
pub const MAX_FAILURES: u32 = 5;
/// Messages queued for one terminal before the host waits for it to read.
const QUEUE: usize = 1024;
/// Longest name a joining terminal may give.
const MAX_NAME: usize = 40;
/// The devices that have joined over the network, so they can reconnect
/// after the host restarts: token ids and secrets, readable by the owner only.
pub const DEVICES: &str = "devices.ron";

type Tokens = std::collections::BTreeMap<String, String>;

fn load_tokens(path: &Path) -> HashMap<String, [u8; 32]> {
    let Ok(bytes) =
        crate::store::fsutil::read_sole(path, crate::store::limits::MAX_SMALL_FILE, "devices.ron")
    else {
        return HashMap::new();
    };
    let text = String::from_utf8_lossy(&bytes);
    let tokens: Tokens = crate::store::ron_text::parse_ron(text.trim()).unwrap_or_default();
    tokens
        .into_iter()
        .filter_map(|(id, secret)| {
            let bytes: [u8; 32] = hex::decode(secret).ok()?.try_into().ok()?;
            Some((id, bytes))
        })
        .collect()
}

fn save_tokens(path: &Path, tokens: &HashMap<String, [u8; 32]>) {
    let map: Tokens = tokens
        .iter()
        .map(|(id, s)| (id.clone(), hex::encode(s)))
        .collect();
    if let Ok(text) = ron::to_string(&map) {
        // Losing this file only means joining with the code again.
        let _ = crate::store::fsutil::write_atomic(path, text.as_bytes());
    }
}

/// Where the host listens.
pub struct Listening {
    pub socket: PathBuf,
    /// The TCP address and the current join code, with `--lan`.
    pub lan: Option<(std::net::SocketAddr, String)>,
    shared: Arc<Shared>,
}

impl Listening {
    /// Stops passing proposals to the store (joined terminals are told the
    /// host is closing), so the store thread can finish, and removes the socket.
    pub fn stop(&self) {
        lock(&self.shared.store).take();
        let _ = std::fs::remove_file(&self.socket);
    }
}

struct Code {
    current: String,
    failures: u32,
}

struct Shared {
    journal: PathBuf,
    store: Mutex<Option<std_mpsc::Sender<Request>>>,
    feed: Feed,
    ui: mpsc::UnboundedSender<Reply>,
    peers: Mutex<Vec<(u64, String, Role)>>,
    peers_tx: watch::Sender<Vec<String>>,
    code: Mutex<Code>,
    lan_addr: Option<std::net::SocketAddr>,
    /// Device tokens: id → secret, kept in [`DEVICES`].
    tokens: Mutex<HashMap<String, [u8; 32]>>,
    devices: PathBuf,
    next_conn: std::sync::atomic::AtomicU64,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Starts listening for joined terminals on a thread of its own. The socket
/// file is owner-only; a stale one left by a killed host is replaced.
pub fn start(
    dir: &Path,
    lan: Option<std::net::SocketAddr>,
    store: std_mpsc::Sender<Request>,
    feed: Feed,
    ui: mpsc::UnboundedSender<Reply>,
) -> std::io::Result<Listening> {
    let socket = dir.join(SOCKET);
    if socket.exists() {
        if std::os::unix::net::UnixStream::connect(&socket).is_ok() {
            return Err(std::io::Error::other(format!(
                "{} is in use: is the session already running?",
                socket.display()
            )));
        }
        std::fs::remove_file(&socket)?;
    }
    let unix = std::os::unix::net::UnixListener::bind(&socket)?;
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&socket, std::fs::Permissions::from_mode(0o600))?;
    }
    unix.set_nonblocking(true)?;
    let tcp = match lan {
        Some(addr) => {
            let l = std::net::TcpListener::bind(addr)?;
            l.set_nonblocking(true)?;
            Some(l)
        }
        None => None,
    };
    let code = wire::new_code().map_err(std::io::Error::other)?;
    let lan_addr = tcp.as_ref().map(|l| l.local_addr()).transpose()?;
    let shared = Arc::new(Shared {
        journal: dir.join(JOURNAL),
        store: Mutex::new(Some(store)),
        feed,
        ui,
        peers: Mutex::new(Vec::new()),
        peers_tx: watch::channel(Vec::new()).0,
        code: Mutex::new(Code {
            current: code.clone(),
            failures: 0,
        }),
        lan_addr,
        tokens: Mutex::new(load_tokens(&dir.join(DEVICES))),
        devices: dir.join(DEVICES),
        next_conn: std::sync::atomic::AtomicU64::new(1),
    });
    let for_thread = shared.clone();
    std::thread::Builder::new()
        .name("roundtable-host".into())
        .spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(accept(for_thread, unix, tcp));
        })?;
    Ok(Listening {
        socket,
        lan: lan_addr.map(|a| (a, code)),
        shared,
    })
}

async fn accept(
    shared: Arc<Shared>,
    unix: std::os::unix::net::UnixListener,
    tcp: Option<std::net::TcpListener>,
) {
    let Ok(unix) = tokio::net::UnixListener::from_std(unix) else {
        return;
    };
    let tcp = tcp.and_then(|l| tokio::net::TcpListener::from_std(l).ok());
    loop {
        tokio::select! {
            conn = unix.accept() => if let Ok((stream, _)) = conn {
                let (r, w) = stream.into_split();
                tokio::spawn(serve(shared.clone(), FrameReader::new(r), FrameWriter::new(w), false));
            },
            conn = async { match &tcp { Some(l) => l.accept().await, None => std::future::pending().await } } => {
                if let Ok((stream, _)) = conn {
                    let _ = stream.set_nodelay(true);
                    let (r, w) = stream.into_split();
                    tokio::spawn(serve(shared.clone(), FrameReader::new(r), FrameWriter::new(w), true));
                }
            }
        }
    }
}

/// A network join: SPAKE2 with the join code (or a device token), then
/// Noise keyed by the result. Returns the token to give a new device.
async fn knock(
    shared: &Shared,
    r: &mut FrameReader,
    w: &mut FrameWriter,
) -> WireResult<Option<String>> {
    let first: Knock = r
        .recv()
        .await?
        .ok_or_else(|| WireError::Bad("closed".into()))?;
    match first {
        Knock::Code(theirs) => {
            let code = lock(&shared.code).current.clone();
            let (spake, ours) = wire::spake_start(&code);
            w.send(&Knock::Code(ours)).await?;
            let agreed = spake.finish(&theirs);
            let result = match agreed {
                Ok(key) => wire::handshake(r, w, &wire::psk(&key), false).await,
                Err(_) => Err(WireError::Bad("not a SPAKE2 message".into())),
            };
            if let Err(e) = result {
                failed_attempt(shared, &code);
                return Err(e);
            }
            lock(&shared.code).failures = 0;
            let id = hex::encode(wire::random::<8>()?);
            let secret = wire::random::<32>()?;
            {
                let mut tokens = lock(&shared.tokens);
                tokens.insert(id.clone(), secret);
                save_tokens(&shared.devices, &tokens);
            }
            Ok(Some(format!("{id}:{}", hex::encode(secret))))
        }
        Knock::Token(id) => {
            let secret = lock(&shared.tokens).get(&id).copied();
            let Some(secret) = secret else {
                return Err(WireError::Bad("unknown device token".into()));
            };
            wire::handshake(r, w, &wire::psk(&secret), false).await?;
            Ok(None)
        }
    }
}

/// Counts a wrong code; after [`MAX_FAILURES`] the code is replaced and the
/// projector shows the new one.
fn failed_attempt(shared: &Shared, tried: &str) {
    let mut code = lock(&shared.code);
    if code.current != tried {
        return;
    }
    code.failures += 1;
    if code.failures >= MAX_FAILURES
        && let Ok(new) = wire::new_code()
    {
        code.current = new.clone();
        code.failures = 0;
        if let Some(addr) = shared.lan_addr {
            let _ = shared.ui.send(Reply::JoinCode {
                code: new,
                at: addr.to_string(),
            });
        }
    }
}

fn valid_name(name: &str) -> Result<(), String> {
    let len = name.chars().count();
    if name.trim().is_empty() || len > MAX_NAME || name.chars().any(char::is_control) {
        return Err(format!(
            "a name must be 1 to {MAX_NAME} characters, without control characters"
        ));
    }
    Ok(())
}

fn publish_peers(shared: &Shared) {
    let names: Vec<String> = lock(&shared.peers)
        .iter()
        .map(|(_, n, r)| format!("{n} ({})", r.label()))
        .collect();
    let _ = shared.ui.send(Reply::Peers(names.clone()));
    shared.peers_tx.send_replace(names);
}

/// Takes a peer off the list when its connection ends, however it ends.
struct PeerGuard<'a>(&'a Shared, u64);

impl Drop for PeerGuard<'_> {
    fn drop(&mut self) {
        lock(&self.0.peers).retain(|(id, ..)| *id != self.1);
        publish_peers(self.0);
    }
}

async fn serve(shared: Arc<Shared>, mut r: FrameReader, mut w: FrameWriter, network: bool) {
    let token = if network {
        match knock(&shared, &mut r, &mut w).await {
            Ok(t) => t,
            Err(_) => return,
        }
    } else {
        None
    };
    let hello = match r.recv::<ToHost>().await {
        Ok(Some(ToHost::Hello { name, role, after })) => (name, role, after),
        Ok(_) => {
            let _ = w.send(&ToClient::Refused("say hello first".into())).await;
            return;
        }
        Err(e) => {
            let _ = w.send(&ToClient::Refused(e.to_string())).await;
            return;
        }
    };
    let (name, role, after) = hello;
    if let Err(why) = valid_name(&name) {
        let _ = w.send(&ToClient::Refused(why)).await;
        return;
    }
    let conn = shared
        .next_conn
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let taken = {
        let mut peers = lock(&shared.peers);
        let taken = peers.iter().any(|(_, n, _)| *n == name);
        if !taken {
            peers.push((conn, name.clone(), role));
        }
        taken
    };
    if taken {
        let _ = w
            .send(&ToClient::Refused(format!(
                "a terminal called `{name}` is already connected"
            )))
            .await;
        return;
    }
    let _guard = PeerGuard(&shared, conn);
    publish_peers(&shared);
    // Writing has its own task, so this one never stops reading while a
    // slow reader at the other end holds up what is being sent to it.
    let (out, mut queue) = mpsc::channel::<ToClient>(QUEUE);
    let writer = tokio::spawn(async move {
        while let Some(msg) = queue.recv().await {
            if w.send(&msg).await.is_err() {
                break;
            }
        }
    });
    let _ = live(&shared, &mut r, &out, name, role, after, token).await;
    drop(out);
    let _ = writer.await;
}

/// Queues a message for the connection's writer, waiting while the queue
/// is full (a slow terminal); fails once the writer has stopped.
async fn put(out: &mpsc::Sender<ToClient>, msg: ToClient) -> WireResult<()> {
    out.send(msg)
        .await
        .map_err(|_| WireError::Bad("the connection closed".into()))
}

/// Records after `after`, read from the journal on disk.
async fn records_after(journal: &Path, after: u64) -> Vec<(u64, Event)> {
    let path = journal.to_owned();
    tokio::task::spawn_blocking(move || {
        let mut out = Vec::new();
        let _ = journal::scan(&path, after.saturating_add(1), 0, &mut |rec| {
            out.push((rec.seq, rec.event));
            Ok(())
        });
        out
    })
    .await
    .unwrap_or_default()
}

async fn live(
    shared: &Shared,
    r: &mut FrameReader,
    w: &mpsc::Sender<ToClient>,
    name: String,
    role: Role,
    after: u64,
    token: Option<String>,
) -> WireResult<()> {
    // Subscribe before reading the journal, so nothing falls between.
    let mut feed = shared.feed.subscribe();
    let mut peers = shared.peers_tx.subscribe();
    let missed = records_after(&shared.journal, after).await;
    let mut last = after;
    let head = missed.last().map(|(s, _)| *s).unwrap_or(after);
    put(
        w,
        ToClient::Welcome {
            name: name.clone(),
            token,
            head,
        },
    )
    .await?;
    for (seq, event) in missed {
        put(w, ToClient::Record { seq, event }).await?;
        last = seq;
    }
    let list = peers.borrow_and_update().clone();
    put(w, ToClient::Peers(list)).await?;
    let actor = format!("{} {name}", role.label());
    loop {
        tokio::select! {
                msg = r.recv::<ToHost>() => match msg? {
                    None => return Ok(()),
                    Some(ToHost::Hello { .. }) => {}
                    Some(ToHost::Propose { nonce, event }) => {
                        let answer = if role.may_propose(&event) {
                            propose(shared, &actor, event).await
                        } else {
                            Err(format!("a {} cannot do that; ask the facilitator", role.label()))
                        };
                        match answer {
                            Ok(seq) => {
                                // Its record goes out before the acknowledgement.
                                while last < seq {
                                    match feed.recv().await {
                                        Ok(rec) => send_record(w, &rec, &mut last).await?,
                                        Err(_) => {
                                            catch_up(shared, w, &mut last).await?;
                                            break;
                                        }
                                    }
                                }
                                put(w, ToClient::Ack { nonce, seq }).await?;
                            }
                            Err(reason) => put(w, ToClient::Rejected { nonce, reason }).await?,
                        }
                    }
                },
                rec = feed.recv() => match rec {
                    Ok(rec) => send_record(w, &rec, &mut last).await?,
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => catch_up(shared, w, &mut last).await?,
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return Ok(()),
                },
                changed = peers.changed() => {
                    if changed.is_err() {
                        return Ok(());
                    }
                    let list = peers.borrow_and_update().clone();
        put(w, ToClient::Peers(list)).await?;
                }
            }
    }
}

async fn send_record(
    w: &mpsc::Sender<ToClient>,
    rec: &(u64, Event),
    last: &mut u64,
) -> WireResult<()> {
    if rec.0 > *last {
        put(
            w,
            ToClient::Record {
                seq: rec.0,
                event: rec.1.clone(),
            },
        )
        .await?;
        *last = rec.0;
    }
    Ok(())
}

/// After falling behind the feed: what was missed, from the journal.
async fn catch_up(shared: &Shared, w: &mpsc::Sender<ToClient>, last: &mut u64) -> WireResult<()> {
    for (seq, event) in records_after(&shared.journal, *last).await {
        put(w, ToClient::Record { seq, event }).await?;
        *last = seq;
    }
    Ok(())
}

async fn propose(shared: &Shared, actor: &str, event: Event) -> Result<u64, String> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let req = Request {
        token: 0,
        event,
        from: Origin::Remote {
            actor: actor.to_owned(),
            reply: tx,
        },
    };
    let sent = lock(&shared.store).as_ref().map(|s| s.send(req).is_ok());
    if sent != Some(true) {
        return Err("the host is closing".into());
    }
    rx.await
        .unwrap_or_else(|_| Err("the host is closing".into()))
}
