//! A session folder: opening it for writing (one writer, recovery of a torn
//! tail), reading it (no lock, up to the last good record) and verifying it.

use super::error::{FileProblem, Result, StoreError, io_err};
use super::fsutil::sync_dir;
use super::journal::{self, Appender, Committed, JOURNAL, Scan};
use super::lock::{self, WriterLock};
use super::record::GENESIS;
use super::snapshot;
use crate::domain::{Event, Session, Timestamp};
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Write a snapshot after this many records.
pub const SNAPSHOT_EVERY: u64 = 1000;
const MAX_ACTOR: usize = 200;

/// Something the user should know that did not stop the session opening.
pub type Warning = String;

/// A session open for writing: the only path by which events reach the
/// journal and then the in-memory session.
pub struct Writer {
    dir: PathBuf,
    session: Session,
    appender: Appender,
    _lock: WriterLock,
    pub snapshot_every: u64,
}

struct Loaded {
    session: Session,
    scan: Scan,
    warnings: Vec<Warning>,
}

/// Loads snapshot + tail, falling back to a full replay when the snapshot is
/// missing, unreadable or disagrees with the journal.
fn load(dir: &Path) -> Result<Loaded> {
    let path = dir.join(JOURNAL);
    if !path.exists() {
        return Err(StoreError::Invalid {
            path,
            reason: "there is no journal here; is this a session folder?".into(),
        });
    }
    if let Some(loaded) = load_overlapped(dir, &path) {
        return Ok(loaded);
    }
    let mut warnings = Vec::new();
    let snap = match snapshot::read(dir) {
        Ok(s) => s,
        Err(e) => {
            warnings.push(format!(
                "{e}; ignoring the snapshot and replaying the journal"
            ));
            None
        }
    };
    if let Some(snap) = snap {
        let mut session = snap.session;
        let scan = journal::scan(&path, snap.seq + 1, snap.seq, &mut |r| {
            session.apply_owned(r.event).map_err(|e| e.to_string())
        })?;
        if scan.remembered.as_deref() == Some(snap.hash.as_str()) {
            return Ok(Loaded {
                session,
                scan,
                warnings,
            });
        }
        warnings.push(format!(
            "{} does not match record {} of the journal; replaying the journal instead",
            dir.join(snapshot::SNAPSHOT).display(),
            snap.seq
        ));
    }
    let mut session = Session::default();
    let scan = journal::scan(&path, 1, 0, &mut |r| {
        session.apply_owned(r.event).map_err(|e| e.to_string())
    })?;
    Ok(Loaded {
        session,
        scan,
        warnings,
    })
}

/// The usual open, faster: the journal is checked (and its tail read) while
/// another thread reads the snapshot. `None` whenever anything is not as
/// usual (no snapshot, one that does not match, damage, an event that cannot
/// be applied), and [`load`] then goes the careful way, which explains.
fn load_overlapped(dir: &Path, path: &Path) -> Option<Loaded> {
    let seq = snapshot::claimed_seq(dir)?;
    let (snap, scan, tail) = std::thread::scope(|scope| {
        let reading = scope.spawn(|| snapshot::read(dir));
        let mut tail = Vec::new();
        let scan = journal::scan(path, seq + 1, seq, &mut |r| {
            tail.push(r.event);
            Ok(())
        });
        let snap = reading
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (snap, scan, tail)
    });
    let (snap, scan) = (snap.ok()??, scan.ok()?);
    if snap.seq != seq
        || scan.remembered.as_deref() != Some(snap.hash.as_str())
        || scan.damage.is_some()
    {
        return None;
    }
    let mut session = snap.session;
    for event in tail {
        session.apply_owned(event).ok()?;
    }
    Some(Loaded {
        session,
        scan,
        warnings: Vec::new(),
    })
}

impl Writer {
    /// Creates a new session folder whose journal starts with `events`.
    pub fn create(dir: &Path, actor: &str, at: Timestamp, events: &[Event]) -> Result<Writer> {
        if dir.exists() {
            return Err(StoreError::Invalid {
                path: dir.to_owned(),
                reason: "a session folder with this name already exists".into(),
            });
        }
        // Check every event before anything touches the disk.
        let mut trial = Session::default();
        for e in events {
            trial.apply(e)?;
        }
        let parent = dir.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(parent).map_err(io_err(parent))?;
        fs::create_dir(dir).map_err(io_err(dir))?;
        sync_dir(parent)?;
        let lock = lock::acquire(dir, at)?;
        let path = dir.join(JOURNAL);
        let file = OpenOptions::new()
            .append(true)
            .create_new(true)
            .open(&path)
            .map_err(io_err(&path))?;
        sync_dir(dir)?;
        let mut w = Writer {
            dir: dir.to_owned(),
            session: Session::default(),
            appender: Appender::new(Box::new(file), path, 0, GENESIS.to_owned()),
            _lock: lock,
            snapshot_every: SNAPSHOT_EVERY,
        };
        for e in events {
            w.record(actor, at, e)?;
        }
        Ok(w)
    }

    /// Opens a session for writing. A torn last line is set aside and cut
    /// off (with a warning); damage anywhere else refuses.
    pub fn open(dir: &Path, now: Timestamp) -> Result<(Writer, Vec<Warning>)> {
        let lock = lock::acquire(dir, now)?;
        let Loaded {
            session,
            scan,
            mut warnings,
        } = load(dir)?;
        if let Some(damage) = scan.damage {
            return Err(StoreError::Damaged(damage));
        }
        let path = dir.join(JOURNAL);
        if let Some(torn) = &scan.torn {
            warnings.push(set_aside_torn_tail(dir, torn, now)?);
        }
        if scan.records == 0 {
            return Err(StoreError::Invalid {
                path,
                reason: "the journal holds no records".into(),
            });
        }
        let file = OpenOptions::new()
            .append(true)
            .open(&path)
            .map_err(io_err(&path))?;
        let appender = Appender::new(Box::new(file), path, scan.records, scan.head);
        Ok((
            Writer {
                dir: dir.to_owned(),
                session,
                appender,
                _lock: lock,
                snapshot_every: SNAPSHOT_EVERY,
            },
            warnings,
        ))
    }

    /// A writer over any sink (tests use this to fail writes on purpose).
    #[doc(hidden)]
    pub fn with_appender(
        dir: &Path,
        session: Session,
        appender: Appender,
        lock: WriterLock,
    ) -> Writer {
        Writer {
            dir: dir.to_owned(),
            session,
            appender,
            _lock: lock,
            snapshot_every: SNAPSHOT_EVERY,
        }
    }

    pub fn session(&self) -> &Session {
        &self.session
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn records(&self) -> u64 {
        self.appender.records()
    }

    pub fn head(&self) -> &str {
        self.appender.head()
    }

    /// Checks the event, writes and syncs its record, and only then applies
    /// it. On any error the session is unchanged and nothing counts as saved.
    pub fn record(&mut self, actor: &str, at: Timestamp, event: &Event) -> Result<Committed> {
        if actor.trim().is_empty() || actor.chars().count() > MAX_ACTOR {
            return Err(StoreError::Invalid {
                path: self.dir.join(JOURNAL),
                reason: format!("not saved: the actor must be 1 to {MAX_ACTOR} characters"),
            });
        }
        self.session.check(event)?;
        let committed = self.appender.append(at, actor, event)?;
        self.session.apply(event)?;
        if self.snapshot_every > 0 && committed.seq % self.snapshot_every == 0 {
            // A snapshot is only a cache: failing to write one loses nothing.
            let _ = self.snapshot();
        }
        Ok(committed)
    }

    /// When the journal's last record was written, if it can be read.
    pub fn last_record_time(&self) -> Option<Timestamp> {
        last_record_time(&self.dir)
    }

    /// Writes `snapshot.ron` for the current state, atomically.
    pub fn snapshot(&self) -> Result<()> {
        snapshot::write(&self.dir, self.records(), self.head(), &self.session)
    }
}

/// The time of the journal's last complete record, read from its tail.
pub fn last_record_time(dir: &Path) -> Option<Timestamp> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = File::open(dir.join(JOURNAL)).ok()?;
    let len = f.metadata().ok()?.len();
    let from = len.saturating_sub(super::limits::MAX_LINE as u64 + 1);
    f.seek(SeekFrom::Start(from)).ok()?;
    let mut tail = Vec::new();
    f.take(len - from).read_to_end(&mut tail).ok()?;
    let end = tail.iter().rposition(|b| *b == b'\n')?;
    let start = tail[..end]
        .iter()
        .rposition(|b| *b == b'\n')
        .map(|i| i + 1)
        .unwrap_or(0);
    super::record::decode(&tail[start..end]).ok().map(|r| r.at)
}

fn set_aside_torn_tail(dir: &Path, torn: &journal::TornTail, now: Timestamp) -> Result<Warning> {
    let stamp: String = now
        .to_string()
        .chars()
        .map(|c| if c == ':' { '-' } else { c })
        .collect();
    let aside = dir.join(format!("{JOURNAL}.broken-{stamp}"));
    let mut f = File::create(&aside).map_err(io_err(&aside))?;
    f.write_all(&torn.bytes)
        .and_then(|()| f.sync_all())
        .map_err(io_err(&aside))?;
    let path = dir.join(JOURNAL);
    let journal = OpenOptions::new()
        .write(true)
        .open(&path)
        .map_err(io_err(&path))?;
    journal
        .set_len(torn.offset)
        .and_then(|()| journal.sync_all())
        .map_err(io_err(&path))?;
    sync_dir(dir)?;
    Ok(format!(
        "{} line {}: the last record was cut short (the program stopped while writing it). \
         Its {} bytes were saved to {} and the journal now ends at record {}; nothing before it was lost.",
        path.display(),
        torn.line,
        torn.bytes.len(),
        aside.display(),
        torn.line - 1
    ))
}

/// A session read without the lock: works while another process writes it,
/// and on a damaged journal up to the last good record.
#[derive(Debug, Clone)]
pub struct ReadOnly {
    pub dir: PathBuf,
    pub session: Session,
    pub records: u64,
    pub head: String,
    /// Why reading stopped early, if it did.
    pub damage: Option<FileProblem>,
    pub warnings: Vec<Warning>,
}

pub fn open_read_only(dir: &Path) -> Result<ReadOnly> {
    let Loaded {
        session,
        scan,
        mut warnings,
    } = load(dir)?;
    if let Some(t) = &scan.torn {
        warnings.push(format!(
            "{} line {}: the last record is cut short and is not counted",
            dir.join(JOURNAL).display(),
            t.line
        ));
    }
    Ok(ReadOnly {
        dir: dir.to_owned(),
        session,
        records: scan.records,
        head: scan.head,
        damage: scan.damage,
        warnings,
    })
}

/// The result of checking every record from the start.
#[derive(Debug, Clone)]
pub struct Verification {
    pub records: u64,
    pub head: String,
    /// The first bad record and why; `None` when the whole journal is sound.
    pub failure: Option<FileProblem>,
    /// Notes that do not make the journal unsound (a stale snapshot).
    pub notes: Vec<String>,
}

/// Parses every record, checks hashes, sequence and chain, and replays every
/// event through the domain rules. Ignores the snapshot except to compare it.
pub fn verify(dir: &Path) -> Result<Verification> {
    verify_with(dir, &mut |_, _| {}).map(|(v, _)| v)
}

/// `verify`, also handing each sound record and the session after it to
/// `also` (review builds its timeline from the same single pass). Returns the
/// session as of the last sound record too.
pub fn verify_with(
    dir: &Path,
    also: &mut dyn FnMut(super::record::Record, &Session),
) -> Result<(Verification, Session)> {
    let path = dir.join(JOURNAL);
    let snap = snapshot::read(dir);
    let snap_seq = match &snap {
        Ok(Some(s)) => s.seq,
        _ => 0,
    };
    let mut session = Session::default();
    let mut at_snapshot = None;
    let scan = journal::scan(&path, 1, snap_seq, &mut |r| {
        session.apply(&r.event).map_err(|e| e.to_string())?;
        if r.seq == snap_seq {
            at_snapshot = Some(session.clone());
        }
        also(r, &session);
        Ok(())
    })?;
    let mut notes = Vec::new();
    match snap {
        Ok(None) => {}
        Err(e) => notes.push(format!(
            "{e} (a snapshot is only a cache; it will be rebuilt)"
        )),
        Ok(Some(s)) => {
            let same = scan.remembered.as_deref() == Some(s.hash.as_str())
                && at_snapshot.as_ref() == Some(&s.session);
            if same {
                notes.push(format!("snapshot.ron matches record {}", s.seq));
            } else {
                notes.push(format!(
                    "snapshot.ron does not match record {} of the journal (a snapshot is only a cache; it will be rebuilt)",
                    s.seq
                ));
            }
        }
    }
    let failure = scan.damage.or_else(|| {
        scan.torn.map(|t| FileProblem {
            file: path.clone(),
            line: t.line,
            col: 0,
            reason: format!(
                "record {}: the last line is cut short (no newline at its end); opening the session for writing will set it aside",
                t.line
            ),
        })
    });
    let failure = failure.or_else(|| {
        (scan.records == 0).then(|| FileProblem {
            file: path.clone(),
            line: 1,
            col: 0,
            reason: "the journal holds no records".into(),
        })
    });
    Ok((
        Verification {
            records: scan.records,
            head: scan.head,
            failure,
            notes,
        },
        session,
    ))
}

/// The session folders under `sessions` (those holding a journal), sorted by
/// name; none when the folder does not exist.
pub fn session_dirs(sessions: &Path) -> Result<Vec<PathBuf>> {
    let mut dirs: Vec<PathBuf> = match fs::read_dir(sessions) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.join(JOURNAL).is_file())
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(io_err(sessions)(e)),
    };
    dirs.sort();
    Ok(dirs)
}
