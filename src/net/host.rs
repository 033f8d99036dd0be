//! The host side: `roundtable run` listens on its local channel in the
//! session folder (a Unix socket, or a named pipe on Windows: `os::local`) (and, with `--lan`, on TCP behind a join code) and passes joined
//! terminals' proposals to the one store thread, which checks, appends and
//! fsyncs them like its own.

use super::door::{Door, Limits};
use super::lock;
use super::wire::{self, FrameReader, FrameWriter, Role, ToClient, ToHost, WireError, WireResult};
use crate::domain::Event;
use crate::live::{Feed, Reply};
use crate::store::journal::JOURNAL;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, oneshot, watch};

mod catch_up;
mod devices;
mod knock;
mod pace;
use catch_up::{catch_up, send_record, stream_records};
use devices::{Device, load_tokens, save_tokens};
use knock::{Joined, Waiting, authenticate, let_in};

/// The socket a second terminal on the same computer joins by.
pub const SOCKET: &str = "roundtable.sock";
/// Time a network connection has to authenticate and say hello.
pub const HANDSHAKE_DEADLINE: Duration = Duration::from_secs(10);
/// Messages queued for one terminal before the host waits for it to read.
const QUEUE: usize = 64;
/// Terminals reading the journal to catch up at the same time; others wait
/// their turn, so memory does not grow with how many join at once.
const CATCHING_UP: usize = 2;
/// Longest name a joining terminal may give.
const MAX_NAME: usize = 40;
/// The devices that have joined over the network, so they can reconnect
/// after the host restarts: token ids and secrets, readable by the owner only.
pub const DEVICES: &str = "devices.ron";

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
        self.shared.closing.send_replace(true);
        let _ = std::fs::remove_file(&self.socket);
    }
}

/// One joined terminal.
struct Peer {
    conn: u64,
    name: String,
    role: Role,
    /// The device token it joined with (network joins).
    token: Option<String>,
    /// Tells its connection to close, saying why.
    kick: Option<oneshot::Sender<String>>,
}

/// Closes connection `conn`, telling it why, and takes it off the list.
fn kick(shared: &Shared, conn: u64, why: &str) {
    let kicked = {
        let mut peers = lock(&shared.peers);
        let i = peers.iter().position(|p| p.conn == conn);
        i.map(|i| peers.remove(i))
    };
    if let Some(mut p) = kicked {
        if let Some(k) = p.kick.take() {
            let _ = k.send(why.to_owned());
        }
        publish_peers(shared);
    }
}

struct Shared {
    journal: PathBuf,
    store: super::StoreLink,
    feed: Feed,
    ui: mpsc::UnboundedSender<Reply>,
    peers: Mutex<Vec<Peer>>,
    peers_tx: watch::Sender<Vec<String>>,
    /// Set when the host stops: the listeners close (on Windows the named
    /// pipe would otherwise keep a new host for the session out).
    closing: watch::Sender<bool>,
    /// The join code: it changes when the host restarts and when the
    /// facilitator removes a device, never because of wrong guesses.
    code: Mutex<String>,
    /// Where laptops join, for the screen when the code changes.
    lan_addr: Option<std::net::SocketAddr>,
    /// Who may try the code, and how often.
    door: Mutex<Door>,
    /// How to close each connection waiting to authenticate, should a
    /// newcomer take its place.
    waiting: Mutex<HashMap<u64, oneshot::Sender<()>>>,
    /// Device tokens, kept in [`DEVICES`].
    tokens: Mutex<HashMap<String, Device>>,
    devices: PathBuf,
    next_conn: AtomicU64,
    /// The last record in the journal.
    head: AtomicU64,
    /// Turns at reading the journal, [`CATCHING_UP`] at a time.
    readers: tokio::sync::Semaphore,
    /// Participants' phones, whose statements note-takers may take in.
    phones: Option<super::phones::Phones>,
    /// What every phone and joined terminal together may still record.
    budget: Arc<Mutex<super::budget::Room>>,
    /// When the facilitator was last told that someone floods, by name.
    flooding: Mutex<HashMap<String, Instant>>,
    /// Names a new laptop asked for that another laptop holds.
    claims: Mutex<Vec<String>>,
}

/// Starts listening for joined terminals on a thread of its own. The socket
/// file is owner-only; a stale one left by a killed host is replaced.
pub fn start(
    dir: &Path,
    lan: Option<std::net::SocketAddr>,
    wiring: crate::live::Wiring,
    phones: Option<super::phones::Phones>,
) -> std::io::Result<Listening> {
    let crate::live::Wiring {
        head,
        store,
        feed,
        ui,
        budget,
    } = wiring;
    let socket = dir.join(SOCKET);
    let local = crate::os::local::bind(&socket)?;
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
        closing: watch::channel(false).0,
        code: Mutex::new(code.clone()),
        lan_addr,
        door: Mutex::new(Door::new(Limits::default(), Instant::now())),
        waiting: Mutex::new(HashMap::new()),
        tokens: Mutex::new(load_tokens(&dir.join(DEVICES))),
        devices: dir.join(DEVICES),
        next_conn: AtomicU64::new(1),
        head: AtomicU64::new(head),
        readers: tokio::sync::Semaphore::new(CATCHING_UP),
        phones,
        budget,
        flooding: Mutex::new(HashMap::new()),
        claims: Mutex::new(Vec::new()),
    });
    let for_thread = shared.clone();
    super::on_own_thread("roundtable-host", move || accept(for_thread, local, tcp))?;
    Ok(Listening {
        socket,
        lan: lan_addr.map(|a| (a, code)),
        shared,
    })
}

async fn accept(
    shared: Arc<Shared>,
    local: crate::os::local::Bound,
    tcp: Option<std::net::TcpListener>,
) {
    let Ok(mut local) = local.start() else {
        return;
    };
    let tcp = tcp.and_then(|l| tokio::net::TcpListener::from_std(l).ok());
    // The journal's head, for welcomes.
    let for_head = shared.clone();
    super::follow_head(&shared.feed, move |seq| {
        for_head.head.store(seq, Ordering::Relaxed)
    });
    // Out of file descriptors (or memory): wait, longer each time, rather
    // than retry at once; what is connected carries on meanwhile.
    let mut pause = Duration::from_millis(50);
    let mut closing = shared.closing.subscribe();
    loop {
        let failed = tokio::select! {
            // Stopped: no more connections.
            _ = closing.wait_for(|c| *c) => break,
            conn = local.accept() => match conn {
                Ok((r, w)) => {
                    tokio::spawn(serve(shared.clone(), FrameReader::new(r), FrameWriter::new(w), None));
                    false
                }
                Err(_) => true,
            },
            conn = async { match &tcp { Some(l) => l.accept().await, None => std::future::pending().await } } => match conn {
                Ok((stream, from)) => {
                    let ip = from.ip();
                    if let Some(waiting) = let_in(&shared, ip) {
                        let _ = stream.set_nodelay(true);
                        let (r, w) = stream.into_split();
                        tokio::spawn(serve(shared.clone(), FrameReader::new(r), FrameWriter::new(w), Some(waiting)));
                    }
                    false
                }
                Err(_) => true,
            },
        };
        if failed {
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(Duration::from_secs(1));
        } else {
            pause = Duration::from_millis(50);
        }
    }
    // The listeners close (the socket or pipe, and the LAN port, are free
    // for a new host); the joined terminals' connections stay to be told.
    drop(local);
    drop(tcp);
    std::future::pending::<()>().await;
}

fn valid_name(name: &str) -> Result<(), String> {
    let len = name.chars().count();
    // The projector lists terminals as `Sam (note-taker), Wall (viewer)`:
    // a name with a comma or brackets could pass for two.
    if name.trim().is_empty()
        || len > MAX_NAME
        || name
            .chars()
            .any(|c| c.is_control() || matches!(c, ',' | '(' | ')'))
    {
        return Err(format!(
            "a name must be 1 to {MAX_NAME} characters, without commas, brackets or control characters"
        ));
    }
    Ok(())
}

/// The projector's list of who is connected, by name so that it reads the
/// same whichever laptop's connection happened to arrive first.
fn publish_peers(shared: &Shared) {
    let mut names: Vec<String> = lock(&shared.peers).iter().map(Peer::shown).collect();
    names.sort_by_key(|n| n.to_lowercase());
    let _ = shared.ui.send(Reply::Peers(names.clone()));
    shared.peers_tx.send_replace(names);
}

impl Peer {
    /// How it is listed on the host's projector: "Sam (note-taker)".
    fn shown(&self) -> String {
        format!("{} ({})", self.name, self.role.label())
    }
}

/// Takes a peer off the list when its connection ends, however it ends.
struct PeerGuard<'a>(&'a Shared, u64);

impl Drop for PeerGuard<'_> {
    fn drop(&mut self) {
        let before = {
            let mut peers = lock(&self.0.peers);
            let before = peers.len();
            peers.retain(|p| p.conn != self.1);
            before != peers.len()
        };
        if before {
            publish_peers(self.0);
        }
    }
}

/// What a connection says before anything else: who it is, how it joined.
struct Hello {
    name: String,
    role: Role,
    after: u64,
    /// The device token it is known by, and (when new) the token to give it.
    token: Option<String>,
    new_token: Option<String>,
}

/// Authenticates a network connection and reads its hello, within
/// [`HANDSHAKE_DEADLINE`] and in small messages until authenticated.
async fn admit(
    shared: &Shared,
    r: &mut FrameReader,
    w: &mut FrameWriter,
    waiting: Option<Waiting>,
) -> Result<Hello, String> {
    let joined = match waiting {
        Some(waiting) => Some(authenticate(shared, r, w, waiting).await?),
        None => None,
    };
    let (name, role, after) = match r.recv::<ToHost>().await {
        Ok(Some(ToHost::Hello { name, role, after })) => (name, role, after),
        Ok(_) => return Err("say hello first".into()),
        Err(e) => return Err(e.to_string()),
    };
    valid_name(&name)?;
    let (token, new_token) = match joined {
        None => (None, None),
        Some(Joined::Token(id)) => {
            let bound = lock(&shared.tokens).get(&id).map(|d| d.name.clone());
            if bound.as_deref() != Some(name.as_str()) {
                return Err(format!(
                    "this device joined as `{}`; join with the code to use another name",
                    bound.unwrap_or_default()
                ));
            }
            (Some(id), None)
        }
        Some(Joined::Code) => {
            // A name belongs to the laptop that first joined under it in
            // this session: another needs the facilitator to free it.
            let held = lock(&shared.tokens)
                .values()
                .any(|d| d.name.to_lowercase() == name.to_lowercase());
            if held {
                let claims = {
                    let mut claims = lock(&shared.claims);
                    if !claims.contains(&name) && claims.len() < 16 {
                        claims.push(name.clone());
                    }
                    claims.clone()
                };
                let _ = shared.ui.send(Reply::Claimed(claims));
                return Err(format!(
                    "the name `{name}` belongs to another laptop in this session: join under another name, or ask the facilitator to free it (`d` on the projector) and join again"
                ));
            }
            let id = hex::encode(wire::random::<8>().map_err(|e| e.to_string())?);
            let secret = wire::random::<32>().map_err(|e| e.to_string())?;
            let mut tokens = lock(&shared.tokens);
            tokens.insert(
                id.clone(),
                Device {
                    secret,
                    name: name.clone(),
                },
            );
            save_tokens(&shared.devices, &tokens);
            (
                Some(id.clone()),
                Some(format!("{id}:{}", hex::encode(secret))),
            )
        }
    };
    Ok(Hello {
        name,
        role,
        after,
        token,
        new_token,
    })
}

async fn serve(
    shared: Arc<Shared>,
    mut r: FrameReader,
    mut w: FrameWriter,
    waiting: Option<Waiting>,
) {
    let hello =
        match tokio::time::timeout(HANDSHAKE_DEADLINE, admit(&shared, &mut r, &mut w, waiting))
            .await
        {
            Ok(Ok(hello)) => hello,
            Ok(Err(why)) => {
                let _ = w.send(&ToClient::Refused(why)).await;
                return;
            }
            Err(_) => return,
        };
    let conn = shared.next_conn.fetch_add(1, Ordering::Relaxed);
    // One live connection per device: a newer one replaces the older,
    // which is told.
    let older = hello.token.as_ref().and_then(|t| {
        lock(&shared.peers)
            .iter()
            .find(|p| p.token.as_ref() == Some(t))
            .map(|p| p.conn)
    });
    if let Some(older) = older {
        kick(
            &shared,
            older,
            "replaced by a newer connection from the same device",
        );
    }
    let (kick_tx, kick_rx) = oneshot::channel();
    let taken = {
        let mut peers = lock(&shared.peers);
        let taken = peers.iter().any(|p| p.name == hello.name);
        if !taken {
            peers.push(Peer {
                conn,
                name: hello.name.clone(),
                role: hello.role,
                token: hello.token.clone(),
                kick: Some(kick_tx),
            });
        }
        taken
    };
    if taken {
        let _ = w
            .send(&ToClient::Refused(format!(
                "a terminal called `{}` is already connected",
                hello.name
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
    let _ = live(&shared, &mut r, &out, hello, kick_rx).await;
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

async fn live(
    shared: &Shared,
    r: &mut FrameReader,
    w: &mpsc::Sender<ToClient>,
    hello: Hello,
    mut kicked: oneshot::Receiver<String>,
) -> WireResult<()> {
    let Hello {
        name,
        role,
        after,
        new_token,
        ..
    } = hello;
    // Subscribe before reading the journal, so nothing falls between.
    let mut feed = shared.feed.subscribe();
    let mut peers = shared.peers_tx.subscribe();
    let head = shared.head.load(Ordering::Relaxed).max(after);
    put(
        w,
        ToClient::Welcome {
            name: name.clone(),
            token: new_token,
            head,
        },
    )
    .await?;
    let mut last = after;
    stream_records(shared, w, &mut last).await?;
    let list = peers.borrow_and_update().clone();
    put(w, ToClient::Peers(list)).await?;
    let actor = format!("{} {name}", role.label());
    let shown = format!("{name} ({})", role.label());
    let mut records = super::budget::terminal_records(Instant::now());
    let mut bytes = super::budget::terminal_bytes(Instant::now());
    // Note-takers see what phones sent and may take it in; viewers do not.
    let mut waiting = shared
        .phones
        .as_ref()
        .filter(|_| role == Role::NoteTaker)
        .map(|p| p.waiting());
    if let Some(list) = waiting.as_mut().map(|w| w.borrow_and_update().clone()) {
        put(w, ToClient::PhoneWaiting(list)).await?;
    }
    loop {
        tokio::select! {
                why = &mut kicked => {
                    let why = why.unwrap_or_else(|_| "disconnected by the host".into());
                    put(w, ToClient::Dismissed(why)).await?;
                    return Ok(());
                },
                msg = r.recv::<ToHost>() => match msg? {
                    None => return Ok(()),
                    Some(ToHost::Hello { .. }) => {}
                    Some(ToHost::TakeIn { id, accept }) => {
                        let answer = match (&shared.phones, role) {
                            (Some(p), Role::NoteTaker) => p.take_in(id, accept),
                            _ => Err("only a note-taker, with phones on, takes in what phones send".into()),
                        };
                        put(w, ToClient::TakenIn(answer)).await?;
                    }
                    Some(ToHost::Propose { nonce, event }) => {
                        // More than a person types is held back, never
                        // refused: it is saved, at a person's pace.
                        pace::paced(shared, &shown, &mut records, &mut bytes, &event).await;
                        let answer = match role.refusal(&name, &event) {
                            None => propose(shared, &actor, event).await,
                            Some(why) => Err(why),
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
                            // Not refused: kept in the terminal's outbox
                            // (no answer), sent again once the host runs again.
                            Err(reason) if reason.starts_with(crate::live::STOPPED) => {}
                            Err(reason) => put(w, ToClient::Rejected { nonce, reason }).await?,
                        }
                    }
                },
                rec = feed.recv() => match rec {
                    Ok(rec) => send_record(w, &rec, &mut last).await?,
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => catch_up(shared, w, &mut last).await?,
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return Ok(()),
                },
                list = async {
                    match waiting.as_mut() {
                        Some(w) => match w.changed().await {
                            Ok(()) => Some(w.borrow_and_update().clone()),
                            Err(_) => std::future::pending().await,
                        },
                        None => std::future::pending().await,
                    }
                } => {
                    if let Some(list) = list {
                        put(w, ToClient::PhoneWaiting(list)).await?;
                    }
                }
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

async fn propose(shared: &Shared, actor: &str, event: Event) -> Result<u64, String> {
    super::propose(
        &shared.store,
        actor.to_owned(),
        event,
        "the host is closing",
    )
    .await
}
