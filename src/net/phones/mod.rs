//! Participants' phones: `roundtable run --phones` serves a small page on
//! the room's network from the running session. A phone joins by choosing
//! its pseudonym, follows the stage and the open vote, votes, raises a
//! hand and sends statements for the facilitator to take into the record.
//!
//! Every request and answer is sealed (see [`seal`]) with a key the page
//! takes from the address's fragment, which the projector's QR code
//! carries; a request that does not open counts against its address as a
//! wrong join code does (see [`crate::net::door`]). The host stamps who and
//! when, as for joined terminals: the phone only proposes.

mod news;
pub mod room;
pub mod seal;
mod voted;

use news::{publish, publisher};
pub use voted::VOTED;
use voted::Voted;

use crate::live::{Feed, Reply};
use crate::net::door::{Door, Limits, Refusal};
use crate::net::lock;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::{Method, Response, StatusCode};
use room::{Envelope, Room, Step};
pub use seal::PAD;
use seal::{Nonces, Seal, padded};
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// Largest request body: a statement of [`room::MAX_SAY`] characters,
/// sealed and in base64, fits several times over.
pub const MAX_BODY: usize = 16 * 1024;
/// Time to send a request's head, and its body.
pub const REQUEST_DEADLINE: Duration = Duration::from_secs(10);
/// How long a phone's "tell me when something changes" waits at most.
pub const WATCH: Duration = Duration::from_secs(20);
/// A connection is closed after this long, whatever it does (the page
/// opens another).
pub const CONNECTION_LIFETIME: Duration = Duration::from_secs(600);

const PAGE: &str = include_str!("../../../assets/phone/index.html");
const SCRIPT: &str = include_str!("../../../assets/phone/app.js");
const STYLE: &str = include_str!("../../../assets/phone/style.css");
const NACL: &str = include_str!("../../../assets/phone/nacl.min.js");

/// Limits on connections from phones: many more than from laptops (one per
/// person in the room), and each request is checked by its seal.
pub fn limits() -> Limits {
    limits_for(u64::MAX)
}

/// Phones' connections open at once, at most, where the process may hold
/// that many: a town-hall meeting of 2,000 phones, each with a request for
/// news open while it votes.
const MOST_CONNECTIONS: u64 = 4096;

/// [`limits`] for a process that may hold `open_files`: the phones get at
/// most what is left after [`crate::net::deadline::KEPT_BACK`], so the
/// door turns the greediest away before the process runs out of files,
/// and the LAN door and the journal always have theirs.
pub fn limits_for(open_files: u64) -> Limits {
    let room = open_files.saturating_sub(crate::net::deadline::KEPT_BACK);
    Limits {
        unauthenticated: usize::try_from(room.clamp(64, MOST_CONNECTIONS)).unwrap_or(1024),
        unauthenticated_per_address: 16,
        ..Limits::default()
    }
}

/// The phone door of a running session (a handle: clones share it).
#[derive(Clone)]
pub struct Phones {
    pub addr: SocketAddr,
    /// The address to open, with the room secret after `#`.
    pub url: String,
    shared: Arc<Shared>,
}

impl Phones {
    /// Stops passing what phones send to the store (they are told the
    /// session is closing), so the store thread can finish.
    pub fn stop(&self) {
        lock(&self.shared.store).take();
    }

    /// Closes the door to new phones (joined ones carry on), or opens it.
    pub fn set_closed(&self, closed: bool) {
        lock(&self.shared.room).closed = closed;
        publish(&self.shared);
    }

    /// Lets phones join without choosing a name, or only by name (which
    /// lets every guest go: turning guests off frees their places).
    pub fn set_nameless(&self, allowed: bool) {
        let mut room = lock(&self.shared.room);
        room.nameless = allowed;
        if !allowed {
            room.clear_guests();
        }
        drop(room);
        publish(&self.shared);
    }

    /// Phones asking to join under a name, oldest first.
    pub fn asking(&self) -> Vec<crate::live::Asking> {
        lock(&self.shared.room).asking()
    }

    /// The facilitator lets phone request `id` in, or refuses it; whom it
    /// was, if it was still asking.
    pub fn admit(&self, id: u64, yes: bool) -> Option<crate::domain::ParticipantId> {
        let (who, token) = lock(&self.shared.room).admit(id, yes).unzip();
        // Only what changed is told: a request answered already is not.
        if let Some(token) = token {
            publish(&self.shared);
            let _ = self.shared.news_for.send(token);
        }
        who
    }

    /// Takes a waiting statement into the record (the caller records the
    /// returned statement) or sets it aside. Only once: whoever asks first,
    /// at the host or on a joined terminal, has it.
    pub fn settle(&self, id: u64, accepted: bool) -> Option<crate::live::Said> {
        let (said, phones) = {
            let mut room = lock(&self.shared.room);
            let said = room.settle_said(id, accepted);
            let phones = said
                .as_ref()
                .map(|s| room.tokens_labelled(&s.from))
                .unwrap_or_default();
            (said, phones)
        };
        // The phone that sent it shows what became of it at once (set
        // aside, nothing is recorded that would wake it).
        for token in phones {
            let _ = self.shared.news_for.send(token);
        }
        publish(&self.shared);
        said
    }

    /// [`Phones::settle`], answered as a screen reads it.
    pub fn take_in(&self, id: u64, accepted: bool) -> Result<crate::live::Said, String> {
        self.settle(id, accepted)
            .ok_or_else(|| "someone else took that statement in or set it aside first".to_owned())
    }

    /// What waits for the facilitator, as it changes.
    pub fn waiting(&self) -> tokio::sync::watch::Receiver<Vec<crate::live::Said>> {
        self.shared.waiting.subscribe()
    }
}

struct Shared {
    seal: Seal,
    room: Mutex<Room>,
    door: Mutex<Door>,
    session: crate::store::Shared,
    store: crate::net::StoreLink,
    feed: Feed,
    ui: mpsc::UnboundedSender<Reply>,
    head: AtomicU64,
    next_conn: AtomicU64,
    clock: Arc<crate::live::clock::SessionClock>,
    /// Nonces of requests seen lately: a request overheard and sent again
    /// (a join would let the person's own phone go; a vote would be cast
    /// twice) has the same one.
    nonces: Mutex<Nonces>,
    /// What waits for the facilitator, for joined note-takers.
    waiting: tokio::sync::watch::Sender<Vec<crate::live::Said>>,
    /// Who has voted in each open anonymous round, on disk.
    voted: Voted,
    /// What every phone and joined terminal together may still record.
    budget: Arc<Mutex<crate::net::budget::Room>>,
    /// When the facilitator was last told that a phone floods.
    flooding: Mutex<std::collections::HashMap<String, Instant>>,
    /// Phones with news of their own, by token (let in or refused by the
    /// facilitator, a statement set aside): the phone waiting for news
    /// wakes at once instead of at the room's next record.
    news_for: tokio::sync::broadcast::Sender<String>,
    /// How to close each open connection, should the door need its place.
    open: Mutex<std::collections::HashMap<u64, tokio::sync::oneshot::Sender<()>>>,
    /// The room changed since the screens were last told.
    news: tokio::sync::Notify,
}

/// The statement a phone sent, as the record takes it when the facilitator
/// accepts it: the participant is the speaker (the whole group, from a
/// phone joined without a name); `by` took it in.
pub fn statement_from(
    said: &crate::live::Said,
    id: crate::domain::StatementId,
    stage: Option<crate::domain::StageId>,
    by: &str,
    at: crate::domain::Timestamp,
) -> crate::domain::Event {
    crate::domain::Event::StatementAdded {
        id,
        kind: crate::domain::StatementKind::Quote,
        speaker: said.participant.clone().map_or(
            crate::domain::Speaker::Group,
            crate::domain::Speaker::Participant,
        ),
        stage,
        text: said.text.clone(),
        tags: vec!["phone".into()],
        captured_by: by.to_owned(),
        at,
    }
}

/// Starts serving phones at `bind` on a thread of its own.
pub fn start(
    bind: SocketAddr,
    dir: &std::path::Path,
    wiring: crate::live::Wiring,
    clock: Arc<crate::live::clock::SessionClock>,
    session: crate::store::Shared,
    limits: Limits,
) -> std::io::Result<Phones> {
    let crate::live::Wiring {
        head,
        store,
        feed,
        ui,
        budget,
    } = wiring;
    let listener = std::net::TcpListener::bind(bind)?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let seal = Seal::fresh().map_err(std::io::Error::other)?;
    let url = format!("http://{}/#{}", shown_address(addr), seal.fragment());
    let (voted, voted_before) = Voted::load(dir, &session.read());
    let shared = Arc::new(Shared {
        seal,
        voted,
        budget,
        flooding: Mutex::new(std::collections::HashMap::new()),
        room: Mutex::new({
            let mut room = Room::default();
            room.voted_before = voted_before.into_iter().collect();
            room
        }),
        door: Mutex::new(Door::new(limits, Instant::now())),
        session,
        store: Mutex::new(Some(store)),
        feed,
        ui,
        head: AtomicU64::new(head),
        next_conn: AtomicU64::new(1),
        clock,
        nonces: Mutex::new(Nonces::default()),
        waiting: tokio::sync::watch::channel(Vec::new()).0,
        news_for: tokio::sync::broadcast::channel(64).0,
        open: Mutex::new(std::collections::HashMap::new()),
        news: tokio::sync::Notify::new(),
    });
    let for_thread = shared.clone();
    crate::net::on_own_thread("roundtable-phones", move || accept(for_thread, listener))?;
    let _ = shared.ui.send(Reply::PhonesAt(url.clone()));
    Ok(Phones { addr, url, shared })
}

/// The address phones type: the computer's own on the room's network when
/// listening on every address.
fn shown_address(addr: SocketAddr) -> String {
    if addr.ip().is_unspecified()
        && let Some(ip) = local_ip()
    {
        return SocketAddr::new(ip, addr.port()).to_string();
    }
    addr.to_string()
}

/// The address this computer uses to reach the network (no packet is sent:
/// a UDP socket only picks its route).
fn local_ip() -> Option<IpAddr> {
    let s = std::net::UdpSocket::bind("0.0.0.0:0").ok()?;
    s.connect("192.0.2.1:9").ok()?;
    s.local_addr().ok().map(|a| a.ip())
}

async fn accept(shared: Arc<Shared>, listener: std::net::TcpListener) {
    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
        return;
    };
    tokio::spawn(publisher(shared.clone()));
    let for_head = shared.clone();
    crate::net::follow_head(&shared.feed, move |seq| {
        for_head.head.store(seq, Ordering::Relaxed);
        let shared = for_head.clone();
        tokio::spawn(async move {
            shared
                .voted
                .forget_closed(&shared.room, &shared.session)
                .await;
        });
    });
    let mut pause = Duration::from_millis(50);
    loop {
        let (stream, from) = match listener.accept().await {
            Ok(c) => c,
            Err(_) => {
                // Out of file descriptors: wait, longer each time.
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_secs(1));
                continue;
            }
        };
        pause = Duration::from_millis(50);
        let ip = from.ip();
        let id = shared.next_conn.fetch_add(1, Ordering::Relaxed);
        // Connections are capped per address and in all, as for laptops
        // waiting to authenticate; a phone's connection never "authenticates"
        // (each request does), so it counts for as long as it is open.
        let (close, closed) = tokio::sync::oneshot::channel::<()>();
        match lock(&shared.door).connect(ip, id, Instant::now()) {
            Err(_) => {
                drop(stream);
                continue;
            }
            // Every place was taken: the oldest connection of the address
            // holding the most makes room for this one.
            Ok(Some(victim)) => {
                if let Some(c) = lock(&shared.open).remove(&victim) {
                    let _ = c.send(());
                }
            }
            Ok(None) => {}
        }
        lock(&shared.open).insert(id, close);
        let _ = stream.set_nodelay(true);
        let shared = shared.clone();
        tokio::spawn(async move {
            // A connection that stops reading what it is sent is closed.
            let io = hyper_util::rt::TokioIo::new(crate::net::deadline::WriteDeadline::new(stream));
            let for_requests = shared.clone();
            let service = hyper::service::service_fn(move |req| {
                let shared = for_requests.clone();
                async move { Ok::<_, std::convert::Infallible>(answer(&shared, ip, req).await) }
            });
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(REQUEST_DEADLINE)
                .max_buf_size(MAX_BODY.max(8192))
                .serve_connection(io, service);
            tokio::select! {
                _ = tokio::time::timeout(CONNECTION_LIFETIME, conn) => {}
                _ = closed => {}
            }
            lock(&shared.open).remove(&id);
            lock(&shared.door).leave(ip, id, Instant::now());
        });
    }
}

fn reply(status: StatusCode, kind: &str, body: impl Into<Bytes>) -> Response<Full<Bytes>> {
    let mut r = Response::new(Full::new(body.into()));
    *r.status_mut() = status;
    let h = r.headers_mut();
    let set = |h: &mut hyper::HeaderMap, k: &'static str, v: &str| {
        if let Ok(v) = hyper::header::HeaderValue::from_str(v) {
            h.insert(k, v);
        }
    };
    set(h, "content-type", kind);
    set(h, "cache-control", "no-store");
    set(h, "x-content-type-options", "nosniff");
    set(h, "referrer-policy", "no-referrer");
    set(
        h,
        "content-security-policy",
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    r
}

fn plain(status: StatusCode, text: &str) -> Response<Full<Bytes>> {
    reply(status, "text/plain; charset=utf-8", text.to_owned())
}

async fn answer(
    shared: &Arc<Shared>,
    ip: IpAddr,
    req: hyper::Request<Incoming>,
) -> Response<Full<Bytes>> {
    match (req.method(), req.uri().path()) {
        (&Method::GET, "/") => reply(StatusCode::OK, "text/html; charset=utf-8", PAGE),
        (&Method::GET, "/app.js") => {
            reply(StatusCode::OK, "text/javascript; charset=utf-8", SCRIPT)
        }
        (&Method::GET, "/nacl.min.js") => {
            reply(StatusCode::OK, "text/javascript; charset=utf-8", NACL)
        }
        (&Method::GET, "/style.css") => reply(StatusCode::OK, "text/css; charset=utf-8", STYLE),
        (&Method::POST, "/api") => api(shared, ip, req).await,
        _ => plain(StatusCode::NOT_FOUND, "not here"),
    }
}

async fn api(
    shared: &Arc<Shared>,
    ip: IpAddr,
    req: hyper::Request<Incoming>,
) -> Response<Full<Bytes>> {
    let body = Limited::new(req.into_body(), MAX_BODY).collect();
    let body = match tokio::time::timeout(REQUEST_DEADLINE, body).await {
        Ok(Ok(b)) => b.to_bytes(),
        Ok(Err(_)) => return plain(StatusCode::PAYLOAD_TOO_LARGE, "too large"),
        Err(_) => return plain(StatusCode::REQUEST_TIMEOUT, "too slow"),
    };
    // A request that does not open is a wrong key: it counts against the
    // address, which waits longer and longer, as with a wrong join code.
    let opened = {
        let mut door = lock(&shared.door);
        let now = Instant::now();
        match door.attempt(ip, now) {
            Err(Refusal::Wait(wait) | Refusal::Network(wait)) => {
                let mut r = plain(StatusCode::TOO_MANY_REQUESTS, "wait");
                if let Ok(v) = hyper::header::HeaderValue::from_str(&wait.as_secs().to_string()) {
                    r.headers_mut().insert("retry-after", v);
                }
                return r;
            }
            Err(Refusal::Full) => return plain(StatusCode::SERVICE_UNAVAILABLE, "busy"),
            Ok(()) => {}
        }
        // Decided only after every check: a request overheard and sent
        // again opens, but is no proof of the key, and counts as wrong.
        let opened = shared
            .seal
            .open_with_nonce(&body)
            .filter(|(_, nonce)| lock(&shared.nonces).fresh(*nonce));
        door.outcome(ip, opened.is_none(), now);
        opened
    };
    let Some((plain_text, _)) = opened else {
        publish(shared);
        return plain(
            StatusCode::FORBIDDEN,
            "this page's key does not open the door, or the request was sent before",
        );
    };
    let answer = match serde_json::from_slice::<Envelope>(&plain_text) {
        Ok(env) => step(shared, env).await,
        Err(_) => serde_json::json!({ "error": "the page sent something the host cannot read" }),
    };
    let text = padded(serde_json::to_vec(&answer).unwrap_or_default());
    match shared.seal.seal(&text) {
        Ok(sealed) => reply(StatusCode::OK, "text/plain; charset=utf-8", sealed),
        Err(_) => plain(StatusCode::INTERNAL_SERVER_ERROR, "cannot seal"),
    }
}

async fn step(shared: &Arc<Shared>, env: Envelope) -> serde_json::Value {
    let is_join = matches!(env.ask, room::Ask::Join { .. });
    // A joining phone's token; no other request needs one.
    let token = match is_join.then(crate::net::wire::random::<16>).transpose() {
        Ok(t) => t.map(hex::encode).unwrap_or_default(),
        Err(_) => return serde_json::json!({ "error": "the host has no random numbers" }),
    };
    let phone = env.phone.clone();
    // Whether this phone was still waiting to be let in when it asked.
    let asked = env
        .phone
        .as_deref()
        .is_some_and(|t| lock(&shared.room).is_asking(t));
    // What the projector shows of the phones changes with these.
    let changes_room = is_join || matches!(env.ask, room::Ask::Say { .. });
    let (next, flood) = {
        let session = shared.session.read();
        let mut room = lock(&shared.room);
        let next = room.handle(&session, env, &token, Instant::now());
        (next, room.flooding.take())
    };
    if let Some(who) = flood {
        crate::net::tell_flooding(
            &shared.flooding,
            &shared.ui,
            &format!("{who}'s phone"),
            Instant::now(),
        );
    }
    if changes_room {
        publish(shared);
    }
    match next {
        Step::Answer(v) => v,
        Step::No(why) => serde_json::json!({ "error": why }),
        Step::Watch { since } => {
            let mut feed = shared.feed.subscribe();
            let mut news_for = shared.news_for.subscribe();
            let me = phone.clone().unwrap_or_default();
            // Looked at only once subscribed, so a phone let in meanwhile
            // is not left waiting for the next record.
            let (still_asking, let_in) = {
                let room = lock(&shared.room);
                (room.is_asking(&me), room.let_in_unheard(&me))
            };
            if shared.head.load(Ordering::Relaxed) <= since && !let_in && (still_asking || !asked) {
                let _ = tokio::time::timeout(WATCH, async {
                    tokio::select! {
                        _ = feed.recv() => {}
                        _ = async {
                            loop {
                                match news_for.recv().await {
                                    Ok(t) if t != me => continue,
                                    _ => break,
                                }
                            }
                        } => {}
                    }
                })
                .await;
            }
            view(shared, phone.as_deref().unwrap_or_default())
        }
        Step::Record {
            event,
            actor,
            first,
        } => {
            // A first anonymous ballot: who has voted (never how) is on
            // disk before the ballot is, so a restart gives nobody a second.
            // The whole room's budget: a person's vote waits a moment
            // rather than being lost when many phones record at once.
            let size = crate::net::budget::size_of(&event);
            let mut room_has = false;
            for _ in 0..20 {
                let wait = lock(&shared.budget).take(size, Instant::now());
                match wait {
                    Ok(()) => {
                        room_has = true;
                        break;
                    }
                    Err(wait) => tokio::time::sleep(wait.min(Duration::from_millis(500))).await,
                }
            }
            if !room_has {
                return serde_json::json!({ "error": "the room is very busy: try again in a moment" });
            }
            if let Some((round, who)) = &first
                && let Err(why) = shared.voted.note(&shared.room, round, who, true).await
            {
                return serde_json::json!({ "error": why });
            }
            let recorded = event.clone();
            match crate::net::propose(&shared.store, actor, event, "the session is closing").await {
                Ok(seq) => {
                    lock(&shared.room).recorded(&recorded, phone.as_deref().unwrap_or_default());
                    serde_json::json!({ "recorded": seq })
                }
                Err(why) => {
                    if let Some((round, who)) = &first {
                        let _ = shared.voted.note(&shared.room, round, who, false).await;
                    }
                    serde_json::json!({ "error": why })
                }
            }
        }
    }
}

fn view(shared: &Shared, token: &str) -> serde_json::Value {
    let now = shared.clock.now();
    let head = shared.head.load(Ordering::Relaxed);
    let session = shared.session.read();
    let mut room = lock(&shared.room);
    let view = room.view(&session, token, now, head);
    room.told(token);
    view
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The phones' door holds fewer connections than the process may open,
    /// leaving room for the LAN door, joined terminals and the journal.
    #[test]
    fn the_phones_door_is_sized_below_what_the_process_can_hold() {
        assert_eq!(limits_for(1024).unauthenticated, 768);
        assert_eq!(limits_for(300).unauthenticated, 64);
        assert_eq!(limits_for(1 << 20).unauthenticated, 4096);
        for files in [320, 1024, 1280, 4096] {
            let phones = limits_for(files).unauthenticated as u64;
            assert!(
                phones + crate::net::deadline::KEPT_BACK <= files,
                "{files}: {phones}"
            );
        }
    }

    #[test]
    fn every_sealed_answer_is_a_whole_number_of_pads() {
        for n in [0, 1, PAD - 1, PAD, PAD + 1, 5000] {
            let p = padded(vec![b'x'; n]);
            assert_eq!(p.len() % PAD, 0);
            assert!(p.len() >= n.max(1));
            assert!(p[n..].iter().all(|b| *b == b' '));
        }
    }
}
