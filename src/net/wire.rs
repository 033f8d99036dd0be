//! What travels between the host (`roundtable run`) and a joined terminal:
//! length-prefixed frames of at most 64 KiB, each one RON message, encrypted
//! with Noise once a network handshake has agreed a key.

use crate::domain::Event;
use crate::store::ron_text::parse_ron;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use snow::StatelessTransportState;
use std::sync::Arc;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// Largest frame body on the wire (the most one Noise message may be).
pub const MAX_FRAME: usize = 65_535;
/// Noise's authentication tag on each encrypted frame.
const TAG: usize = 16;
/// Largest message, spread over as many frames as it needs: room for the
/// largest journal record.
pub const MAX_MESSAGE: usize = 2 << 20;
/// Largest frame and message before a network connection has
/// authenticated: a knock and a Noise handshake message are far smaller.
pub const MAX_UNAUTHENTICATED: usize = 1024;
/// Each frame of a message starts with one byte: more frames follow, or not.
const MORE: u8 = 1;
const LAST: u8 = 0;
pub const NOISE: &str = "Noise_NNpsk0_25519_ChaChaPoly_BLAKE2s";

#[derive(Debug, thiserror::Error)]
pub enum WireError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The handshake failed: the two sides do not share the code (or the
    /// device token).
    #[error("the join code does not match")]
    WrongCode,
    /// The host is not taking join attempts from here for a while.
    #[error("{1}")]
    Busy(u64, String),
    #[error("{0}")]
    Bad(String),
}

pub type WireResult<T> = Result<T, WireError>;

fn bad(reason: impl Into<String>) -> WireError {
    WireError::Bad(reason.into())
}

/// What a joining terminal is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    /// Captures statements, memos and ballots.
    NoteTaker,
    /// A second projector view: proposes nothing.
    Viewer,
}

impl Role {
    pub fn label(self) -> &'static str {
        match self {
            Role::NoteTaker => "note-taker",
            Role::Viewer => "viewer",
        }
    }

    /// Note-takers capture statements, memos and ballots (and the floor:
    /// hands, who came and went, what is parked, actions, their words put
    /// right and what became of them); the agenda,
    /// votes and synthesis stay with the facilitator at the host.
    pub fn may_propose(self, e: &Event) -> bool {
        self == Role::NoteTaker
            && matches!(
                e,
                Event::StatementAdded { .. }
                    | Event::StatementAmended { .. }
                    | Event::StatementRecoded { .. }
                    | Event::StatementRetracted { .. }
                    | Event::MemoAdded { .. }
                    | Event::BallotCast { .. }
                    | Event::ParticipantAdded { .. }
                    | Event::ParticipantArrived { .. }
                    | Event::ParticipantLeft { .. }
                    | Event::HandRaised { .. }
                    | Event::HandLowered { .. }
                    | Event::StatementParked { .. }
                    | Event::ActionAdded { .. }
                    | Event::ActionCorrected { .. }
                    | Event::ActionStatusChanged { .. }
            )
    }

    /// Why a terminal joined as `name` in this role may not propose `e`,
    /// if it may not: beyond its role's events, a real name (kept at the
    /// host, by the facilitator) or an id outside its own `name-` prefix
    /// (which would take the place of one another terminal may make).
    pub fn refusal(self, name: &str, e: &Event) -> Option<String> {
        if !self.may_propose(e) {
            return Some(format!(
                "a {} cannot do that; ask the facilitator",
                self.label()
            ));
        }
        let prefix = id_prefix(name);
        let id = match e {
            Event::StatementAdded { id, .. } => Some(id.as_str()),
            Event::MemoAdded { id, .. } => Some(id.as_str()),
            Event::ActionAdded { id, .. } => Some(id.as_str()),
            Event::ParticipantAdded { participant } if participant.real_name.is_some() => {
                return Some(
                    "a participant's real name is recorded by the facilitator, at the host".into(),
                );
            }
            // Who someone is across a study is the facilitator's to say.
            Event::ParticipantAdded { participant } if participant.person.is_some() => {
                return Some(
                    "a participant's register id is recorded by the facilitator, at the host"
                        .into(),
                );
            }
            _ => None,
        };
        id.filter(|id| !id.starts_with(&prefix))
            .map(|id| format!("`{id}` is not one of this terminal's ids (they start `{prefix}`)"))
    }
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

/// The first, unencrypted frame of a network connection.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Knock {
    /// A SPAKE2 message made from the join code.
    Code(Vec<u8>),
    /// A device that joined before, by the id of its token.
    Token(String),
    /// From the host: not now (too many wrong codes lately, or too many
    /// connections waiting); try again in `secs` seconds.
    Busy { secs: u64, why: String },
    /// From the host: the code (or the device token) did not match. Said
    /// outright, so that a connection that merely closed is never taken
    /// for a wrong code.
    NoMatch,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ToHost {
    /// First message: who this is, and the last record it holds.
    Hello {
        name: String,
        role: Role,
        after: u64,
    },
    /// An event to record; `nonce` comes back with the answer.
    Propose { nonce: u64, event: Event },
    /// A note-taker takes the phone statement `id` in (to record it as the
    /// participant's), or sets it aside.
    TakeIn { id: u64, accept: bool },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ToClient {
    /// Joined. `token` (network joins only) reconnects this device without
    /// the code: `id:secret`.
    Welcome {
        name: String,
        token: Option<String>,
        head: u64,
    },
    Refused(String),
    /// The host ended this connection on purpose (the facilitator removed
    /// the device, or a newer connection from it took over): do not come
    /// back on your own.
    Dismissed(String),
    /// A record of the journal, in order, each exactly once.
    Record {
        seq: u64,
        event: Event,
    },
    /// The proposal is saved: it is record `seq` (or was already there).
    Ack {
        nonce: u64,
        seq: u64,
    },
    Rejected {
        nonce: u64,
        reason: String,
    },
    /// Who is connected.
    Peers(Vec<String>),
    /// Statements sent from phones, waiting (to note-takers).
    PhoneWaiting(Vec<crate::live::Said>),
    /// The answer to `TakeIn`: the statement, now this terminal's to
    /// record (or set aside), or why not.
    TakenIn(Result<crate::live::Said, String>),
}

/// One direction's Noise state: the shared keys and this side's counter.
struct Crypt {
    state: Arc<StatelessTransportState>,
    nonce: u64,
}

pub struct FrameReader {
    inner: Box<dyn AsyncRead + Unpin + Send>,
    crypt: Option<Crypt>,
    /// The largest frame and message accepted now.
    max_frame: usize,
    max_message: usize,
}

pub struct FrameWriter {
    inner: Box<dyn AsyncWrite + Unpin + Send>,
    crypt: Option<Crypt>,
}

impl FrameReader {
    pub fn new(inner: impl AsyncRead + Unpin + Send + 'static) -> Self {
        Self {
            inner: Box::new(inner),
            crypt: None,
            max_frame: MAX_FRAME,
            max_message: MAX_MESSAGE,
        }
    }

    /// Accepts only small frames and messages (before authentication), or
    /// again the full sizes.
    pub fn unauthenticated(&mut self, small: bool) {
        (self.max_frame, self.max_message) = if small {
            (MAX_UNAUTHENTICATED, MAX_UNAUTHENTICATED)
        } else {
            (MAX_FRAME, MAX_MESSAGE)
        };
    }

    /// One frame's body, or `None` at a clean end of stream.
    pub async fn raw(&mut self) -> WireResult<Option<Vec<u8>>> {
        let mut len = [0u8; 4];
        match self.inner.read_exact(&mut len).await {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
            Err(e) => return Err(e.into()),
        }
        let len = u32::from_be_bytes(len) as usize;
        if len > self.max_frame {
            return Err(bad(format!(
                "a frame of {len} bytes; at most {} are accepted",
                self.max_frame
            )));
        }
        let mut body = vec![0; len];
        self.inner.read_exact(&mut body).await?;
        let Some(c) = &mut self.crypt else {
            return Ok(Some(body));
        };
        let mut plain = vec![0; len];
        let n = c
            .state
            .read_message(c.nonce, &body, &mut plain)
            .map_err(|_| bad("a frame that does not decrypt (wrong key, or tampered with)"))?;
        c.nonce += 1;
        plain.truncate(n);
        Ok(Some(plain))
    }

    /// The next message, or `None` at a clean end of stream.
    pub async fn recv<T: DeserializeOwned>(&mut self) -> WireResult<Option<T>> {
        let mut message = Vec::new();
        loop {
            let Some(body) = self.raw().await? else {
                return if message.is_empty() {
                    Ok(None)
                } else {
                    Err(bad("the connection closed in the middle of a message"))
                };
            };
            let (&flag, part) = body.split_first().ok_or_else(|| bad("an empty frame"))?;
            if message.len() + part.len() > self.max_message {
                return Err(bad(format!(
                    "a message of more than {} bytes",
                    self.max_message
                )));
            }
            message.extend_from_slice(part);
            match flag {
                LAST => return decode(&message).map(Some),
                MORE => {}
                _ => return Err(bad("not a frame of this protocol")),
            }
        }
    }
}

/// A message from a frame's body.
pub fn decode<T: DeserializeOwned>(body: &[u8]) -> WireResult<T> {
    let text = std::str::from_utf8(body).map_err(|_| bad("a frame that is not UTF-8"))?;
    parse_ron(text).map_err(|p| {
        bad(format!(
            "a frame that is not a message (column {}: {})",
            p.col, p.reason
        ))
    })
}

impl FrameWriter {
    pub fn new(inner: impl AsyncWrite + Unpin + Send + 'static) -> Self {
        Self {
            inner: Box::new(inner),
            crypt: None,
        }
    }

    pub async fn raw(&mut self, body: &[u8]) -> WireResult<()> {
        let sealed;
        let body = match &mut self.crypt {
            None => body,
            Some(c) => {
                let mut out = vec![0; body.len() + TAG];
                let n = c
                    .state
                    .write_message(c.nonce, body, &mut out)
                    .map_err(|e| bad(format!("cannot encrypt a frame: {e}")))?;
                c.nonce += 1;
                out.truncate(n);
                sealed = out;
                &sealed
            }
        };
        if body.len() > MAX_FRAME {
            return Err(bad(format!(
                "a message of {} bytes is too large to send",
                body.len()
            )));
        }
        let len = u32::try_from(body.len()).map_err(|_| bad("frame too large"))?;
        self.inner.write_all(&len.to_be_bytes()).await?;
        self.inner.write_all(body).await?;
        self.inner.flush().await?;
        Ok(())
    }

    /// Sends a message in as many frames as it needs.
    pub async fn send<T: Serialize>(&mut self, msg: &T) -> WireResult<()> {
        let text = ron::to_string(msg).map_err(|e| bad(e.to_string()))?;
        if text.len() > MAX_MESSAGE {
            return Err(bad(format!(
                "a message of {} bytes is too large to send",
                text.len()
            )));
        }
        let room = MAX_FRAME - TAG - 1;
        let mut parts = text.as_bytes().chunks(room).peekable();
        let mut frame = Vec::with_capacity(room.min(text.len()) + 1);
        loop {
            let part = parts.next().unwrap_or_default();
            frame.clear();
            frame.push(if parts.peek().is_some() { MORE } else { LAST });
            frame.extend_from_slice(part);
            self.raw(&frame).await?;
            if parts.peek().is_none() {
                return Ok(());
            }
        }
    }
}

/// Turns on encryption in both directions with an agreed Noise state.
pub fn encrypt(r: &mut FrameReader, w: &mut FrameWriter, state: StatelessTransportState) {
    let state = Arc::new(state);
    r.crypt = Some(Crypt {
        state: state.clone(),
        nonce: 0,
    });
    w.crypt = Some(Crypt { state, nonce: 0 });
}

/// The Noise pre-shared key from a secret agreed some other way.
pub fn psk(secret: &[u8]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(b"roundtable join psk v1\0");
    h.update(secret);
    h.finalize().into()
}

/// Runs the Noise handshake over raw frames: the joining side initiates.
pub async fn handshake(
    r: &mut FrameReader,
    w: &mut FrameWriter,
    key: &[u8; 32],
    initiator: bool,
) -> WireResult<()> {
    let params = NOISE
        .parse()
        .map_err(|e| bad(format!("noise parameters: {e:?}")))?;
    let builder = snow::Builder::new(params)
        .psk(0, key)
        .map_err(|e| bad(format!("noise: {e}")))?;
    let mut hs = if initiator {
        builder.build_initiator()
    } else {
        builder.build_responder()
    }
    .map_err(|e| bad(format!("noise: {e}")))?;
    let mut buf = vec![0u8; MAX_FRAME];
    if initiator {
        let n = hs
            .write_message(&[], &mut buf)
            .map_err(|e| bad(e.to_string()))?;
        w.raw(&buf[..n]).await?;
        let reply = r
            .raw()
            .await?
            .ok_or_else(|| bad("the host closed the connection during the handshake"))?;
        if hs.read_message(&reply, &mut buf).is_err() {
            // Not Noise: the host said why in plain words, or it is not
            // the host.
            let said = match reply.split_first() {
                Some((&LAST, body)) => decode::<Knock>(body),
                _ => Err(bad("not a whole message")),
            };
            return Err(match said {
                Ok(Knock::NoMatch) => WireError::WrongCode,
                Ok(Knock::Busy { secs, why }) => WireError::Busy(secs, why),
                _ => bad("the host's answer is not a handshake"),
            });
        }
    } else {
        // A connection closed before its first message tried no code.
        let first = r
            .raw()
            .await?
            .ok_or_else(|| bad("closed during the handshake"))?;
        // Shorter than any first handshake message (an ephemeral key and a
        // tag): malformed, not a guess at the code.
        if first.len() < 48 {
            return Err(bad("not a handshake message"));
        }
        if hs.read_message(&first, &mut buf).is_err() {
            let _ = w.send(&Knock::NoMatch).await;
            return Err(WireError::WrongCode);
        }
        let n = hs
            .write_message(&[], &mut buf)
            .map_err(|e| bad(e.to_string()))?;
        w.raw(&buf[..n]).await?;
    }
    let state = hs
        .into_stateless_transport_mode()
        .map_err(|e| bad(e.to_string()))?;
    encrypt(r, w, state);
    Ok(())
}

/// Starts SPAKE2 with the join code: the state and the message to send.
pub fn spake_start(code: &str) -> (spake2::Spake2<spake2::Ed25519Group>, Vec<u8>) {
    spake2::Spake2::<spake2::Ed25519Group>::start_symmetric(
        &spake2::Password::new(normalise_code(code).as_bytes()),
        &spake2::Identity::new(b"roundtable join"),
    )
}

/// Join codes are read aloud and typed: ignore spaces, dashes and case.
pub fn normalise_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Random bytes from the operating system.
pub fn random<const N: usize>() -> WireResult<[u8; N]> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b)
        .map_err(|e| bad(format!("the operating system gave no random numbers: {e}")))?;
    Ok(b)
}

/// Digits in a join code.
pub const CODE_DIGITS: u32 = 9;

/// A fresh join code: nine digits, shown as `123-456-789`, uniformly
/// chosen (draws beyond the largest multiple of a billion are drawn again).
pub fn new_code() -> WireResult<String> {
    const CODES: u64 = 1_000_000_000;
    let n = loop {
        let x = u64::from(u32::from_be_bytes(random::<4>()?));
        if x < (u64::from(u32::MAX) + 1) / CODES * CODES {
            break x % CODES;
        }
    };
    Ok(format!(
        "{:03}-{:03}-{:03}",
        n / 1_000_000,
        n / 1000 % 1000,
        n % 1000
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair() -> ((FrameReader, FrameWriter), (FrameReader, FrameWriter)) {
        let (a, b) = tokio::io::duplex(1 << 20);
        let (ar, aw) = tokio::io::split(a);
        let (br, bw) = tokio::io::split(b);
        (
            (FrameReader::new(ar), FrameWriter::new(aw)),
            (FrameReader::new(br), FrameWriter::new(bw)),
        )
    }

    fn rt() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    }

    #[test]
    fn a_joined_terminal_may_not_propose_an_anonymous_ballot() {
        use crate::domain::{Choice, RoleGroup, Timestamp};
        let anonymous = Event::AnonymousBallotCast {
            round: "v1".into(),
            ballot: "b1".into(),
            group: RoleGroup::Carers,
            choice: Choice::Resonance(3),
            at: Timestamp::from_unix_millis(0),
        };
        // A note-taker could otherwise fill a round with ballots nobody cast.
        assert!(!Role::NoteTaker.may_propose(&anonymous));
        assert!(!Role::Viewer.may_propose(&anonymous));
    }

    #[test]
    fn a_note_taker_proposes_only_under_its_own_ids_and_no_real_names() {
        use crate::domain::{Participant, Role as PRole, Speaker, StatementKind, Timestamp};
        let said = |id: &str| Event::StatementAdded {
            id: id.into(),
            kind: StatementKind::Quote,
            speaker: Speaker::Group,
            stage: None,
            text: "t".into(),
            tags: vec![],
            captured_by: "x".into(),
            at: Timestamp::from_unix_millis(0),
        };
        assert_eq!(
            Role::NoteTaker.refusal("Sam Patel", &said("sam-patel-st3")),
            None
        );
        assert!(
            Role::NoteTaker
                .refusal("Sam Patel", &said("st200"))
                .is_some()
        );
        assert!(Role::NoteTaker.refusal("Sam", &said("alex-st1")).is_some());
        let latecomer = |name: Option<&str>, person: Option<&str>| Event::ParticipantAdded {
            participant: Participant {
                id: "P9".into(),
                role: PRole::UnpaidCarer,
                sector: None,
                level: None,
                real_name: name.map(str::to_owned),
                consent: true,
                person: person.map(str::to_owned),
                attributes: Default::default(),
            },
        };
        assert_eq!(Role::NoteTaker.refusal("Sam", &latecomer(None, None)), None);
        assert!(
            Role::NoteTaker
                .refusal("Sam", &latecomer(Some("Ann"), None))
                .is_some()
        );
        assert!(
            Role::NoteTaker
                .refusal("Sam", &latecomer(None, Some("CR01")))
                .is_some_and(|why| why.contains("register id"))
        );
        // Nor may a note-taker take an interpretation up or record a verdict.
        let verdict = Event::VerdictRecorded {
            interpretation: "i1".into(),
            status: crate::domain::InterpretationStatus::Agreed,
            workshop: "w".into(),
            round: "v1".into(),
            head: String::new(),
            reason: "forged".into(),
            at: Timestamp::from_unix_millis(0),
        };
        assert!(Role::NoteTaker.refusal("Sam", &verdict).is_some());
        assert!(Role::Viewer.refusal("Wall", &said("wall-st1")).is_some());
    }

    #[test]
    fn a_message_larger_than_a_frame_arrives_whole_encrypted() {
        rt().block_on(async {
            let ((mut ar, mut aw), (mut br, mut bw)) = pair();
            let key = psk(b"agreed");
            let (x, y) = tokio::join!(
                handshake(&mut ar, &mut aw, &key, true),
                handshake(&mut br, &mut bw, &key, false)
            );
            x.unwrap();
            y.unwrap();
            let big = ToClient::Refused("é\"x\n".repeat(60_000));
            aw.send(&big).await.unwrap();
            assert_eq!(br.recv::<ToClient>().await.unwrap(), Some(big));
        });
    }

    #[test]
    fn codes_are_nine_digits_drawn_from_all_of_them() {
        let mut seen = std::collections::HashSet::new();
        let mut first = [0u32; 10];
        for _ in 0..10_000 {
            let code = new_code().unwrap();
            let digits: Vec<u32> = code.chars().filter_map(|c| c.to_digit(10)).collect();
            assert_eq!(digits.len(), 9, "{code}");
            assert_eq!(code.len(), 11, "{code}");
            assert_eq!(&code[3..4], "-");
            assert_eq!(&code[7..8], "-");
            first[digits[0] as usize] += 1;
            seen.insert(code);
        }
        // 10,000 draws from 10^9 repeat with probability about 5%; more
        // than two repeats would mean far fewer codes than claimed.
        assert!(seen.len() >= 9_998, "{} distinct", seen.len());
        // Each leading digit about 1,000 times: none below 800.
        assert!(first.iter().all(|&n| n > 800), "{first:?}");
    }

    #[test]
    fn different_codes_do_not_agree() {
        rt().block_on(async {
            let ((mut ar, mut aw), (mut br, mut bw)) = pair();
            let (one, two) = (psk(b"one"), psk(b"two"));
            // The host hangs up when the first message does not decrypt.
            let host = async move { handshake(&mut br, &mut bw, &two, false).await };
            let (x, y) = tokio::join!(handshake(&mut ar, &mut aw, &one, true), host);
            assert!(y.is_err(), "the host refuses the first message");
            assert!(matches!(x, Err(WireError::WrongCode)), "{x:?}");
        });
    }

    #[test]
    fn a_host_that_hangs_up_or_is_busy_mid_handshake_is_not_a_wrong_code() {
        rt().block_on(async {
            let key = psk(b"one");
            // Hung up after the first message (displaced, out of time, or
            // gone): the joiner may try again with the same code.
            let ((mut ar, mut aw), (mut br, bw)) = pair();
            let host = async move {
                let _ = br.raw().await;
                drop((br, bw));
            };
            let (x, ()) = tokio::join!(handshake(&mut ar, &mut aw, &key, true), host);
            assert!(matches!(x, Err(WireError::Bad(_))), "{x:?}");
            // Told it is busy: it waits as told.
            let ((mut ar, mut aw), (mut br, mut bw)) = pair();
            let host = async move {
                let _ = br.raw().await;
                let busy = Knock::Busy {
                    secs: 2,
                    why: "busy".into(),
                };
                bw.send(&busy).await
            };
            let (x, _) = tokio::join!(handshake(&mut ar, &mut aw, &key, true), host);
            assert!(matches!(x, Err(WireError::Busy(2, _))), "{x:?}");
        });
    }

    #[test]
    fn bad_frames_are_errors_not_panics() {
        rt().block_on(async {
            let ((_, mut aw), (mut br, _)) = pair();
            aw.raw(&[7, b'x']).await.unwrap();
            assert!(br.recv::<ToHost>().await.is_err(), "unknown flag");
            aw.raw(&[]).await.unwrap();
            assert!(br.recv::<ToHost>().await.is_err(), "empty frame");
            aw.raw(b"\0(garbage").await.unwrap();
            assert!(br.recv::<ToHost>().await.is_err(), "not a message");
            let more = vec![MORE; MAX_FRAME];
            let flood = async move {
                for _ in 0..40 {
                    if aw.raw(&more).await.is_err() {
                        break;
                    }
                }
            };
            let (_, got) = tokio::join!(flood, br.recv::<ToHost>());
            let why = got.unwrap_err().to_string();
            assert!(why.contains("a message of more than"), "{why}");
        });
    }
}
