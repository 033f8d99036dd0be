//! The running session, shared by the host's screens, its listeners and a
//! joined terminal's link: what passes between them in this process (the
//! store's answers, requests to record, the feed of saved records), and the
//! one writer thread. Nothing here knows about the terminal.

pub mod clock;
pub mod store_thread;

use crate::domain::{Event, ParticipantId};

pub use store_thread::{Hosting, Listen, host};

/// What the live screens hear from the store, or from the host they joined.
pub enum Reply {
    /// This terminal's event is saved as record `seq`: apply it.
    Saved { token: u64, seq: u64, event: Event },
    /// Someone else's event, saved as record `seq`: apply it.
    Applied { seq: u64, event: Event },
    /// A joined terminal's event is saved (its record comes as `Applied`).
    Acked { token: u64, seq: u64 },
    Failed {
        token: u64,
        error: String,
        /// Whether trying again could save it (a write failed), or never
        /// (the session's rules, or the host, refuse it).
        retry: bool,
    },
    /// Not saved, and nothing more can be (the journal's name was given
    /// to another file): the words are kept for the rescue file.
    Stopped { token: u64, error: String },
    /// Who is connected to this session from other terminals.
    Peers(Vec<String>),
    /// Where phones join: the address with the room secret after `#`.
    PhonesAt(String),
    /// The phones in the room: who has joined, whether the door is closed,
    /// and what they sent that waits for the facilitator.
    Phones(PhoneRoom),
    /// A phone's statement this terminal took in (to record now as the
    /// participant's) or set aside; or why it could not.
    PhoneTaken(Result<Said, String>),
    /// How other laptops join: the code and where.
    JoinCode { code: String, at: String },
    /// Wrong join codes tried from the network since the host started.
    WrongCodes(u64),
    /// A joined terminal or a phone (as the projector names it) is sending
    /// more than a person would, and is being slowed down.
    Flooding(String),
    /// Names a new laptop asked to join under that another laptop holds in
    /// this session: the facilitator may free them (`d`).
    Claimed(Vec<String>),
    /// A joined terminal's link to its host.
    Link { connected: bool, text: String },
    /// The replay that checks the snapshot a session opened from has
    /// finished: `None` when it matched; otherwise the store has put what
    /// the journal proves in its place, and `problem` says what it found.
    Proven { problem: Option<String> },
    /// Something not delivered or not saved that the user must see until
    /// they quit (it stays above the status line).
    Problem(String),
}

/// Where a request came from, and so where its answer goes.
pub enum Origin {
    /// These screens: the answer is a [`Reply`].
    Local,
    /// A joined terminal, recorded under `actor`.
    Remote {
        actor: String,
        reply: tokio::sync::oneshot::Sender<Result<u64, String>>,
    },
}

pub struct Request {
    pub token: u64,
    pub event: Event,
    pub from: Origin,
}

/// Every saved record, in order, for joined terminals.
pub type Feed = tokio::sync::broadcast::Sender<std::sync::Arc<(u64, Event)>>;

/// What a listener (for joined terminals, for phones) needs of the running
/// session: the journal's last record when it starts, the way to the one
/// store thread, every saved record as it comes, and the host's screens.
#[derive(Clone)]
pub struct Wiring {
    pub head: u64,
    pub store: std::sync::mpsc::Sender<Request>,
    pub feed: Feed,
    pub ui: tokio::sync::mpsc::UnboundedSender<Reply>,
    /// What every phone and joined terminal together may still record.
    pub budget: std::sync::Arc<std::sync::Mutex<crate::net::budget::Room>>,
}

/// How a refusal to a joined terminal begins when the host cannot save
/// anything now (its journal was replaced): not a refusal of the event,
/// which the terminal keeps to send again.
pub const STOPPED: &str = "the host cannot save now: ";

/// What the projector shows of the phones.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PhoneRoom {
    /// Where phones join: the address with the room key after `#`.
    pub url: String,
    /// Who has joined, as the room may see it: pseudonyms of those who
    /// consented to be shown, and guests…
    pub connected: Vec<String>,
    /// …and how many others joined, not named on the projector.
    pub unnamed: usize,
    pub closed: bool,
    /// Phones may join without choosing a name.
    pub nameless: bool,
    pub waiting: Vec<Said>,
    /// Requests that did not open with the room key (or were sent again)
    /// since the host started: someone may be guessing or replaying.
    pub wrong_keys: u64,
    /// Phones asking to join under a name, waiting for the facilitator.
    pub asking: Vec<Asking>,
}

/// A phone asking to join as a participant: everyone in the room holds the
/// room key, so the facilitator lets each one in, matching the number the
/// phone shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Asking {
    pub id: u64,
    pub participant: ParticipantId,
    /// What the asking phone shows, for the facilitator to match.
    pub number: u16,
    /// This person already has a phone in: letting this one in lets that
    /// one go.
    pub replaces: bool,
}

/// A statement or question sent from a phone, waiting for the facilitator.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Said {
    pub id: u64,
    /// Whose it is; `None` from a phone joined without a name.
    pub participant: Option<ParticipantId>,
    /// Whose phone, as the projector lists it: `P3`, or `guest 2`.
    pub from: String,
    pub text: String,
    pub status: SaidStatus,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SaidStatus {
    Waiting,
    Accepted,
    #[serde(rename = "set aside")]
    SetAside,
}
