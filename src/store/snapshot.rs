//! `snapshot.ron`: the session as it stood at some record, so that opening
//! need not replay everything. A cache: losing it costs time, never data.
//!
//! Two lines: a header `(format:3,seq:N,hash:"…",body:"<sha256>")` and the
//! session itself. `hash` must match journal record `seq`, and `body` the
//! SHA-256 of the second line's exact bytes, or the snapshot is not used.

use super::error::{Result, StoreError};
use super::fsutil::{open_for_reading, read_sole, write_atomic_with};
use super::limits::{MAX_SNAPSHOT, utf8_or_line};
use super::record::sha256_hex;
use super::ron_text::{parse_fast, parse_ron};
use crate::domain::Session;
use serde::{Deserialize, Serialize};
use std::path::Path;

pub const SNAPSHOT: &str = "snapshot.ron";
/// The snapshot format this version writes and reads. 4: the session keeps
/// who was heard in each stage (`Session::heard`); 5: and the speaking
/// queue's history (`Floor::queue`), and the header says where in the
/// journal its record ends (`at`); 6: and the concepts of each statement
/// (`Session::linked`); 7: rounds may be anonymous, with their ballots
/// (`VoteRound::anonymous`); 8: a memo's id only as its key.
pub const FORMAT: u32 = 8;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    format: u32,
    seq: u64,
    hash: String,
    /// The journal's length through record `seq`: where the next record
    /// starts. Lets opening check only the records after it (the proof
    /// replay checks them all).
    at: u64,
    body: String,
}

#[derive(Debug, Clone)]
pub struct Snapshot {
    /// The last record folded into `session`.
    pub seq: u64,
    /// That record's hash: the snapshot is only used if the journal agrees.
    pub hash: String,
    /// Where record `seq` ends in the journal (as the header claims).
    pub at: u64,
    pub session: Session,
}

/// Bytes in, handed to a hashing thread a step at a time: a serialiser
/// writes into it without the text ever being kept, and serialising and
/// hashing run side by side. Emptied buffers come back to be filled again.
struct Hashing {
    to_hash: std::sync::mpsc::SyncSender<Vec<u8>>,
    emptied: std::sync::mpsc::Receiver<Vec<u8>>,
}

impl std::io::Write for Hashing {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let mut step = self.emptied.try_recv().unwrap_or_default();
        step.clear();
        step.extend_from_slice(bytes);
        self.to_hash
            .send(step)
            .map_err(|_| std::io::Error::other("the hashing thread stopped"))?;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Bytes in, hashed as they come, on the writer's own thread (in a copy
/// of the process, which has no other threads to hand work to).
struct HashingHere {
    sha: sha2::Sha256,
    len: u64,
}

impl std::io::Write for HashingHere {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        sha2::Digest::update(&mut self.sha, bytes);
        self.len += bytes.len() as u64;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Whether the snapshot's hash may be computed on a thread of its own.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Threads {
    Two,
    One,
}

/// The SHA-256 and length of `session` written as a snapshot's second line
/// by the fast writer, or `None` when the fast writer leaves it to `ron`.
fn fast_body(session: &Session, threads: Threads) -> Option<(String, u64)> {
    if threads == Threads::One {
        let mut out = HashingHere {
            sha: sha2::Digest::new(),
            len: 0,
        };
        super::ron_write::to_writer(&mut out, session).ok()?;
        return Some((hex::encode(sha2::Digest::finalize(out.sha)), out.len));
    }
    std::thread::scope(|scope| {
        let (to_hash, steps) = std::sync::mpsc::sync_channel::<Vec<u8>>(4);
        let (give_back, emptied) = std::sync::mpsc::channel();
        let hasher = scope.spawn(move || {
            let (mut sha, mut len): (sha2::Sha256, u64) = (sha2::Digest::new(), 0);
            for step in steps {
                sha2::Digest::update(&mut sha, &step);
                len += step.len() as u64;
                let _ = give_back.send(step);
            }
            (hex::encode(sha2::Digest::finalize(sha)), len)
        });
        let mut out = Hashing { to_hash, emptied };
        let written = super::ron_write::to_writer(&mut out, session).is_ok();
        // The hasher ends when the last step is sent.
        drop(out);
        let hashed = hasher.join().ok()?;
        written.then_some(hashed)
    })
}

/// The SHA-256 of `session` written as a snapshot's second line, computed
/// as it is serialised, without the text: equal to a snapshot header's
/// `body` exactly when that snapshot holds this session.
pub fn body_hash(session: &Session) -> std::result::Result<String, ron::Error> {
    match fast_body(session, Threads::Two) {
        Some((hash, _)) => Ok(hash),
        None => Ok(sha256_hex(ron::to_string(session)?.as_bytes())),
    }
}

/// Writes `snapshot.ron` atomically. The session line is streamed into the
/// file after a first pass that only hashes it, so a large session is never
/// held as text (at 100k statements that was 30 MB, twice, and it stayed
/// resident).
pub fn write(dir: &Path, seq: u64, hash: &str, at: u64, session: &Session) -> Result<()> {
    write_with(dir, (seq, hash, at), session, Threads::Two)
}

/// A snapshot being written without the writer waiting for it: by a copy
/// of the process where there is one (it sees the session as it stood,
/// however it changes meanwhile), else from a copy of the session on a
/// thread of its own (Windows).
pub enum Writing {
    Copy(crate::os::Copy),
    Thread(std::thread::JoinHandle<bool>),
}

impl Writing {
    /// Starts writing `snapshot.ron` for `session`, the state after record
    /// `seq` (whose hash is `hash`, ending at `at` in the journal), after
    /// waiting `pause` (tests: a snapshot that takes long to write).
    pub fn start(
        dir: &Path,
        (seq, hash, at): (u64, &str, u64),
        session: &Session,
        pause: std::time::Duration,
    ) -> Writing {
        let work = || {
            std::thread::sleep(pause);
            write_with(dir, (seq, hash, at), session, Threads::One).is_ok()
        };
        match crate::os::in_a_copy(work) {
            Some(Ok(copy)) => Writing::Copy(copy),
            // No copy of the process to be had: a copy of the session.
            Some(Err(_)) | None => {
                let (dir, hash, session) = (dir.to_owned(), hash.to_owned(), session.clone());
                Writing::Thread(std::thread::spawn(move || {
                    crate::os::lower_priority();
                    std::thread::sleep(pause);
                    write_with(&dir, (seq, &hash, at), &session, Threads::Two).is_ok()
                }))
            }
        }
    }

    /// Whether it has ended; never waits.
    pub fn ended(&mut self) -> bool {
        match self {
            Writing::Copy(copy) => copy.ended().is_some(),
            Writing::Thread(t) => t.is_finished(),
        }
    }

    /// Waits for it to end: whether the snapshot was written.
    pub fn wait(self) -> bool {
        match self {
            Writing::Copy(mut copy) => copy.wait(),
            Writing::Thread(t) => t.join().unwrap_or(false),
        }
    }
}

fn write_with(
    dir: &Path,
    (seq, hash, at): (u64, &str, u64),
    session: &Session,
    threads: Threads,
) -> Result<()> {
    let path = dir.join(SNAPSHOT);
    let invalid = |e: ron::Error| StoreError::Invalid {
        path: path.clone(),
        reason: e.to_string(),
    };
    // `ron` itself, as text, for anything the fast writer leaves to it.
    let (body, len, slow) = match fast_body(session, threads) {
        Some((body, len)) => (body, len, None),
        None => {
            let text = ron::to_string(session).map_err(invalid)?;
            (sha256_hex(text.as_bytes()), text.len() as u64, Some(text))
        }
    };
    let header = Header {
        format: FORMAT,
        seq,
        hash: hash.to_owned(),
        at,
        body,
    };
    let header = ron::to_string(&header).map_err(invalid)?;
    let total = header.len() as u64 + len + 2;
    if total > MAX_SNAPSHOT {
        // It could not be read back; without it, opening replays the journal.
        return Err(StoreError::Invalid {
            path,
            reason: format!(
                "the snapshot would be {total} bytes, more than the {MAX_SNAPSHOT} that are read; \
                 not written (opening replays the journal instead)"
            ),
        });
    }
    write_atomic_with(
        &path,
        Box::new(|f: &mut std::fs::File| {
            use std::io::Write;
            let mut out = std::io::BufWriter::with_capacity(1 << 16, f);
            out.write_all(header.as_bytes())?;
            out.write_all(b"\n")?;
            match &slow {
                Some(text) => out.write_all(text.as_bytes())?,
                None => super::ron_write::to_writer(&mut out, session)
                    .map_err(|e| std::io::Error::other(e.to_string()))?,
            }
            out.write_all(b"\n")?;
            out.flush()
        }),
    )
}

/// A snapshot's first line, or why it is not one this version reads.
fn parse_header(head: &str) -> std::result::Result<Header, String> {
    let header: Header = parse_ron(head).map_err(|p| {
        format!(
            "line 1, column {}: not a snapshot header: {}",
            p.col, p.reason
        )
    })?;
    if header.format != FORMAT {
        return Err(format!(
            "line 1: snapshot format {} is not the {FORMAT} this version writes",
            header.format
        ));
    }
    Ok(header)
}

/// The record a snapshot claims to hold, from its first line alone: lets
/// the journal be checked while the snapshot is still being read. A hint
/// only; [`read`] decides whether the snapshot can be used.
pub fn claimed_seq(dir: &Path) -> Option<u64> {
    claimed(dir).map(|(seq, _, _)| seq)
}

/// [`claimed_seq`], with that record's hash and where it ends.
pub fn claimed(dir: &Path) -> Option<(u64, String, u64)> {
    use std::io::{BufRead, Read};
    let file = open_for_reading(&dir.join(SNAPSHOT), "the snapshot").ok()?;
    let mut head = Vec::new();
    std::io::BufReader::new(file)
        .take(1024)
        .read_until(b'\n', &mut head)
        .ok()?;
    let header: Header = parse_ron(std::str::from_utf8(&head).ok()?.trim_end()).ok()?;
    Some((header.seq, header.hash, header.at))
}

/// What a snapshot claims, read without its session: the record it holds,
/// that record's hash, and the SHA-256 of its second line (which its bytes
/// have been checked to match).
#[derive(Debug, Clone)]
pub struct Claim {
    pub seq: u64,
    pub hash: String,
    pub body: String,
}

/// Why a snapshot whose second line does not match its header is not used.
const BODY_MISMATCH: &str =
    "line 2: the session does not match its hash (edited, corrupted or cut short)";

/// The snapshot's header, its second line hashed in 64 KiB steps (it is
/// never held whole) and checked against it. `Ok(None)`: no snapshot.
/// `Err`: one that cannot be used, with the reason.
pub fn read_claim(dir: &Path) -> Result<Option<Claim>> {
    use std::io::{BufRead, Read};
    let path = dir.join(SNAPSHOT);
    if std::fs::symlink_metadata(&path).is_err() {
        return Ok(None);
    }
    let file = super::fsutil::open_sole(
        &path,
        std::fs::OpenOptions::new().read(true),
        "the snapshot",
    )?;
    let len = file.metadata().map_err(super::error::io_err(&path))?.len();
    let largest = check_size(dir, &path, len)?;
    let mut reader = std::io::BufReader::with_capacity(1 << 16, file.take(largest));
    let mut head = Vec::new();
    (&mut reader)
        .take(4096)
        .read_until(b'\n', &mut head)
        .map_err(super::error::io_err(&path))?;
    let invalid = |reason: String| StoreError::Invalid {
        path: path.clone(),
        reason,
    };
    let head = std::str::from_utf8(&head)
        .map_err(|_| invalid("line 1: not valid UTF-8".into()))?
        .trim_end_matches('\n');
    let header = parse_header(head).map_err(invalid)?;
    // The second line without its final line break.
    let mut hasher: sha2::Sha256 = sha2::Digest::new();
    let mut newline_held = false;
    loop {
        let chunk = reader.fill_buf().map_err(super::error::io_err(&path))?;
        if chunk.is_empty() {
            break;
        }
        if newline_held {
            sha2::Digest::update(&mut hasher, b"\n");
        }
        let n = chunk.len();
        newline_held = chunk[n - 1] == b'\n';
        sha2::Digest::update(&mut hasher, &chunk[..n - usize::from(newline_held)]);
        reader.consume(n);
    }
    if hex::encode(sha2::Digest::finalize(hasher)) != header.body {
        return Err(invalid(BODY_MISMATCH.into()));
    }
    Ok(Some(Claim {
        seq: header.seq,
        hash: header.hash,
        body: header.body,
    }))
}

/// How much larger than the journal a snapshot may be. A snapshot holds the
/// session the journal's records build, without their hashes, times and
/// actors, and is smaller than the journal it stands for (0.4 of it for the
/// shipped example, 0.6 for a generated 10 MB session): one larger than
/// twice the journal, and a megabyte, is not the journal's, and is refused
/// before it is read or parsed, so a forged one cannot take the memory
/// reading it would need.
const SNAPSHOT_PER_JOURNAL: u64 = 2;

/// The largest snapshot believed beside the journal in `dir`.
fn largest_believable(dir: &Path) -> u64 {
    let journal = std::fs::symlink_metadata(dir.join(super::journal::JOURNAL))
        .map(|m| m.len())
        .unwrap_or(0);
    journal
        .saturating_mul(SNAPSHOT_PER_JOURNAL)
        .saturating_add(1 << 20)
        .min(MAX_SNAPSHOT)
}

/// Refuses a snapshot of `len` bytes larger than [`largest_believable`].
fn check_size(dir: &Path, path: &Path, len: u64) -> Result<u64> {
    let largest = largest_believable(dir);
    if len > largest {
        return Err(StoreError::Invalid {
            path: path.to_owned(),
            reason: format!(
                "it is {len} bytes, far more than the journal it would stand for could make \
                 (at most {largest}); it is not read"
            ),
        });
    }
    Ok(largest)
}

/// Bodies above this many bytes are parsed by two threads.
const TWO_READERS: usize = 1 << 20;

/// A snapshot's session line: by two threads when it is large, and the
/// ordinary way whenever that does not work out.
fn parse_body(body: &str) -> std::result::Result<Session, super::ron_text::ParseProblem> {
    if body.len() > TWO_READERS
        && let Ok(session) = super::compact::session_in_two(body)
    {
        return Ok(session);
    }
    parse_fast(body)
}

/// Reads the snapshot if there is one. `Ok(None)`: no snapshot. `Err`: one
/// that cannot be used, with the reason (the caller replays instead).
pub fn read(dir: &Path) -> Result<Option<Snapshot>> {
    let path = dir.join(SNAPSHOT);
    if std::fs::symlink_metadata(&path).is_err() {
        return Ok(None);
    }
    let len = std::fs::symlink_metadata(&path)
        .map_err(super::error::io_err(&path))?
        .len();
    let largest = check_size(dir, &path, len)?;
    let bytes = read_sole(&path, largest, "the snapshot")?;
    let invalid = |reason: String| StoreError::Invalid {
        path: path.clone(),
        reason,
    };
    let text =
        utf8_or_line(&bytes).map_err(|line| invalid(format!("line {line}: not valid UTF-8")))?;
    let (head, rest) = text.split_once('\n').unwrap_or((text, ""));
    let body = rest.strip_suffix('\n').unwrap_or(rest);
    let header = parse_header(head).map_err(invalid)?;
    // Hashed while it is parsed (a large one by two threads); what was
    // parsed is used only if the hash matches.
    let (hash, parsed) = std::thread::scope(|scope| {
        let hashing = scope.spawn(|| sha256_hex(body.as_bytes()));
        let parsed = parse_body(body);
        (hashing.join(), parsed)
    });
    if hash.map_or(true, |h| h != header.body) {
        return Err(invalid(BODY_MISMATCH.into()));
    }
    let session: Session =
        parsed.map_err(|p| invalid(format!("line 2, column {}: {}", p.col, p.reason)))?;
    if session.applied != header.seq {
        return Err(invalid(format!(
            "line 1: it claims record {} but holds {} events",
            header.seq, session.applied
        )));
    }
    Ok(Some(Snapshot {
        seq: header.seq,
        hash: header.hash,
        at: header.at,
        session,
    }))
}
