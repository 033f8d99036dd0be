//! A session folder: opening it for writing (one writer, recovery of a torn
//! tail), reading it (no lock, up to the last good record) and verifying it.

use super::appender::{self, Appender, Committed, ReopenJournal};
use super::error::{Result, StoreError, io_err};
use super::fsutil::{self, FileId, sync_dir};
use super::journal::{self, JOURNAL};
use super::load::{Loaded, load};
use super::lock::{self, WriterLock};
use super::record::GENESIS;
use super::snapshot;
use crate::domain::{Event, Session, Timestamp};
use std::fs::{self, File, OpenOptions};
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
    /// The session as of the last record: the program's only copy, which
    /// the screens read too (see [`Writer::shared`]).
    session: super::Shared,
    appender: Appender,
    _lock: WriterLock,
    /// Holds the OS lock on the journal file itself.
    _journal_lock: Option<File>,
    /// A full replay of the journal, running while the session opened from
    /// its snapshot; see [`Writer::settle`].
    proof: Option<Proof>,
    /// What [`Writer::settle`] found when `record` had to wait for it.
    notices: Vec<Warning>,
    pub snapshot_every: u64,
    /// The snapshot being written behind the commits, if one is.
    writing: Option<snapshot::Writing>,
    /// How long a snapshot written behind the commits waits before it is
    /// written (tests: one that takes long). Nothing by default.
    pub snapshot_pause: std::time::Duration,
}

/// The replay that proves a snapshot, on its own thread; stopped early if
/// the writer is dropped before it is needed.
struct Proof {
    handle: std::thread::JoinHandle<Result<Proven>>,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

/// What the proof replay found.
enum Proven {
    /// The opened session is the journal's.
    Same,
    /// It is not: what differs, and the journal's.
    Differs(String, Session),
    /// The journal is damaged before the snapshot's record: why, and the
    /// session of the records before the damage.
    Damaged(String, Session),
}

impl Drop for Writer {
    fn drop(&mut self) {
        if let Some(p) = &self.proof {
            p.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        // The next writer of this folder must not find a snapshot still
        // being written.
        if let Some(writing) = self.writing.take() {
            writing.wait();
        }
    }
}

/// Opens the journal at `path` for reading, checking it is the file `id`.
fn open_same(path: &Path, id: FileId) -> Result<File> {
    let file = fsutil::open_for_reading(path, "the journal")?;
    if super::fsutil::file_id(&file, path)? != id {
        return Err(StoreError::Invalid {
            path: path.to_owned(),
            reason: "the journal was replaced by another file while it was being opened".into(),
        });
    }
    Ok(file)
}

/// Takes group and other access away from a session folder and the files
/// roundtable keeps in it (earlier versions made them world-readable).
/// What could not be made private is said, not done (see
/// [`fsutil::make_private`]).
fn make_folder_private(dir: &Path) -> Result<Vec<Warning>> {
    let mut said = Vec::new();
    said.extend(fsutil::make_private(dir)?);
    for name in [JOURNAL, snapshot::SNAPSHOT, lock::LOCK, "devices.ron"] {
        let path = dir.join(name);
        if fs::symlink_metadata(&path).is_ok() {
            said.extend(fsutil::make_private(&path)?);
        }
    }
    Ok(said)
}

impl Writer {
    /// Creates a new session folder (owner-only) whose journal starts with `events`.
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
        fsutil::create_private_dir_all(parent)?;
        fsutil::create_private_dir(dir)?;
        sync_dir(parent)?;
        let lock = lock::acquire(dir, at)?;
        let path = dir.join(JOURNAL);
        let file =
            crate::os::private_file(OpenOptions::new().read(true).append(true).create_new(true))
                .open(&path)
                .map_err(io_err(&path))?;
        sync_dir(dir)?;
        let (journal_lock, id) = lock::lock_journal(&path)?;
        let mut w = Writer {
            dir: dir.to_owned(),
            session: super::Shared::default(),
            appender: Appender::new(
                Box::new(file),
                Box::new(ReopenJournal {
                    path: path.clone(),
                    id,
                }),
                path,
                0,
                GENESIS.to_owned(),
                0,
            ),
            _lock: lock,
            _journal_lock: Some(journal_lock),
            proof: None,
            notices: Vec::new(),
            writing: None,
            snapshot_pause: std::time::Duration::ZERO,
            snapshot_every: SNAPSHOT_EVERY,
        };
        for e in events {
            w.record(actor, at, e)?;
        }
        Ok(w)
    }

    /// Opens a session for writing. A last line that was cut short, or is
    /// complete but damaged, is set aside and cut off (with a warning);
    /// damage anywhere else refuses. The journal must be a regular file with
    /// one name, reached without a link, and is locked itself.
    ///
    /// When a snapshot saves replaying, the session opens from it at once and
    /// a full replay runs on another thread; [`Writer::settle`] waits for it,
    /// and nothing is written before it has (see there).
    pub fn open(dir: &Path, now: Timestamp) -> Result<(Writer, Vec<Warning>)> {
        let path = dir.join(JOURNAL);
        if fs::symlink_metadata(&path).is_err() {
            return Err(StoreError::Invalid {
                path,
                reason: "there is no journal here; is this a session folder?".into(),
            });
        }
        let lock = lock::acquire(dir, now)?;
        let (journal_lock, id) = lock::lock_journal(&path)?;
        let private = make_folder_private(dir)?;
        // What a process killed while writing the snapshot left behind.
        fsutil::remove_stale_temps(dir, &[snapshot::SNAPSHOT, "devices.ron"]);
        let Loaded {
            session,
            scan,
            mut warnings,
            from_snapshot,
        } = load(dir, &|| open_same(&path, id))?;
        warnings.extend(private);
        if let Some(damage) = scan.damage {
            return Err(StoreError::Damaged(damage));
        }
        // Checked before anything is cut: a journal whose only line is
        // damaged is left exactly as it is.
        if scan.records == 0 {
            let reason = match &scan.torn {
                Some(_) => {
                    "its only line is damaged or cut short, so there is no session to open; \
                            it was left as it is"
                        .into()
                }
                None => "the journal holds no records".into(),
            };
            return Err(StoreError::Invalid { path, reason });
        }
        let mut good_len = scan.good_len;
        if let Some(torn) = &scan.torn {
            warnings.push(set_aside_torn_tail(&path, id, torn, now)?);
            good_len = torn.offset;
        }
        let file = fsutil::open_sole(
            &path,
            OpenOptions::new().read(true).append(true),
            "the journal",
        )?;
        if super::fsutil::file_id(&file, &path)? != id {
            return Err(StoreError::Invalid {
                path,
                reason: "the journal was replaced by another file while it was being opened".into(),
            });
        }
        let shared = super::Shared::new(session);
        let proof = from_snapshot.then(|| {
            let path = path.clone();
            let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
            let stopped = stop.clone();
            let opened = shared.clone();
            let handle = std::thread::spawn(move || {
                behind_the_screens();
                let mut session = Session::default();
                let scan =
                    journal::scan_file(open_same(&path, id)?, &path, good_len, 1, 0, &mut |r| {
                        if stopped.load(std::sync::atomic::Ordering::Relaxed) {
                            return Err("stopped: the session was closed".into());
                        }
                        session.apply_owned(r.event).map_err(|e| e.to_string())
                    })?;
                if let Some(d) = scan.damage {
                    let why = format!(
                        "line {}: {}; only the {} records before it are shown",
                        d.line, d.reason, scan.records
                    );
                    return Ok(Proven::Damaged(why, session));
                }
                // Nothing is written before `settle` has this answer, so the
                // opened session is still as it was opened.
                let diff = opened.read().first_difference(&session);
                match diff {
                    Some(diff) => Ok(Proven::Differs(diff, session)),
                    None => {
                        // Freed here, by the thread that allocated it, and
                        // given back to the system rather than kept.
                        drop(session);
                        give_back_freed_memory();
                        Ok(Proven::Same)
                    }
                }
            });
            Proof { handle, stop }
        });
        let appender = Appender::new(
            Box::new(file),
            Box::new(ReopenJournal {
                path: path.clone(),
                id,
            }),
            path,
            scan.records,
            scan.head,
            good_len,
        );
        // The snapshot's text and what parsing it needed are freed by now.
        give_back_freed_memory();
        Ok((
            Writer {
                dir: dir.to_owned(),
                session: shared,
                appender,
                _lock: lock,
                _journal_lock: Some(journal_lock),
                proof,
                notices: Vec::new(),
                writing: None,
                snapshot_pause: std::time::Duration::ZERO,
                snapshot_every: SNAPSHOT_EVERY,
            },
            warnings,
        ))
    }

    /// A writer over any journal file (tests use this to fail writes on purpose).
    #[doc(hidden)]
    pub fn with_appender(
        dir: &Path,
        session: Session,
        appender: Appender,
        lock: WriterLock,
    ) -> Writer {
        Writer {
            dir: dir.to_owned(),
            session: super::Shared::new(session),
            appender,
            _lock: lock,
            _journal_lock: None,
            proof: None,
            notices: Vec::new(),
            writing: None,
            snapshot_pause: std::time::Duration::ZERO,
            snapshot_every: SNAPSHOT_EVERY,
        }
    }

    /// Waits for the full replay that proves a session opened from its
    /// snapshot. If the snapshot was wrong (edited, or from a different
    /// history), the replayed session replaces it, the snapshot is rewritten,
    /// and the returned warning says what differed. If the journal itself
    /// cannot be replayed, writing stops. Does nothing the second time.
    /// [`Writer::record`] calls this first, so no record is ever checked
    /// against an unproven state.
    pub fn settle(&mut self) -> Option<Warning> {
        let proof = self.proof.take()?;
        let (diff, replayed) = match proof.handle.join() {
            Ok(Ok(Proven::Same)) => return None,
            Ok(Ok(Proven::Differs(diff, replayed))) => (diff, replayed),
            // What the snapshot says cannot be proven: the screens show only
            // what the journal proves, up to the damage, and nothing more is
            // written.
            Ok(Ok(Proven::Damaged(why, before))) => {
                *self.session.write() = before;
                let why = format!("journal.ron is damaged at {why}");
                self.appender.break_off(why.clone());
                return Some(format!(
                    "{why}, and nothing more is written. Quit, and restore journal.ron from a backup"
                ));
            }
            // Nothing the snapshot says is shown unproven: the screens show
            // only the problem.
            Ok(Err(e)) => {
                *self.session.write() = Session::default();
                let why =
                    format!("the journal could not be replayed ({e}); nothing from it is shown");
                self.appender.break_off(why.clone());
                return Some(format!(
                    "{why}, and nothing more is written. Quit; `roundtable verify` says more"
                ));
            }
            Err(panic) => std::panic::resume_unwind(panic),
        };
        *self.session.write() = replayed;
        let rewritten = match self.snapshot() {
            Ok(()) => "and the snapshot rewritten",
            Err(_) => "but the snapshot could not be rewritten",
        };
        Some(format!(
            "snapshot.ron does not match the journal ({diff}); the session was replayed from the journal {rewritten}"
        ))
    }

    /// Whether [`Writer::settle`] has work left.
    pub fn is_settled(&self) -> bool {
        self.proof.is_none()
    }

    /// What settling found when [`Writer::record`] did it.
    pub fn take_notices(&mut self) -> Vec<Warning> {
        std::mem::take(&mut self.notices)
    }

    /// The session as of the last record, to read.
    pub fn session(&self) -> std::sync::RwLockReadGuard<'_, Session> {
        self.session.read()
    }

    /// The session itself, for the screens of the running program to read
    /// without a copy of their own. Only this writer changes it.
    pub fn shared(&self) -> super::Shared {
        self.session.clone()
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
        if let Some(notice) = self.settle() {
            self.notices.push(notice);
        }
        if actor.trim().is_empty() || actor.chars().count() > MAX_ACTOR {
            return Err(StoreError::Invalid {
                path: self.dir.join(JOURNAL),
                reason: format!("not saved: the actor must be 1 to {MAX_ACTOR} characters"),
            });
        }
        self.session.read().check(event)?;
        let committed = self.appender.append(at, actor, event)?;
        self.session.write().apply(event)?;
        if self.snapshot_every > 0 && committed.seq % self.snapshot_every == 0 {
            self.snapshot_behind();
        }
        Ok(committed)
    }

    /// Records a room's ballots together: each is checked as though those
    /// before it were applied, those that pass are written in one write
    /// and one sync, and only then applied. Each ballot's own answer, or
    /// an error for them all when nothing could be written (none is saved
    /// then). Anything but a ballot is refused (see [`Writer::record`]).
    pub fn record_ballots(
        &mut self,
        ballots: &[(&str, Timestamp, &Event)],
    ) -> Result<Vec<Result<Committed>>> {
        if let Some(notice) = self.settle() {
            self.notices.push(notice);
        }
        let events: Vec<&Event> = ballots.iter().map(|(_, _, e)| *e).collect();
        let checks = self.session.read().check_ballots(&events);
        let mut answers: Vec<Option<Result<Committed>>> = Vec::with_capacity(ballots.len());
        let mut passing = Vec::new();
        for ((actor, at, event), check) in ballots.iter().zip(checks) {
            if actor.trim().is_empty() || actor.chars().count() > MAX_ACTOR {
                answers.push(Some(Err(StoreError::Invalid {
                    path: self.dir.join(JOURNAL),
                    reason: format!("not saved: the actor must be 1 to {MAX_ACTOR} characters"),
                })));
            } else if let Err(e) = check {
                answers.push(Some(Err(e.into())));
            } else {
                answers.push(None);
                passing.push((*at, *actor, *event));
            }
        }
        let committed = match passing.is_empty() {
            true => Vec::new(),
            false => self.appender.append_all(&passing)?,
        };
        let due =
            self.snapshot_every > 0 && committed.iter().any(|c| c.seq % self.snapshot_every == 0);
        {
            let mut session = self.session.write();
            for (_, _, event) in &passing {
                session.apply(event)?;
            }
        }
        let mut committed = committed.into_iter();
        let answers = answers
            .into_iter()
            .map(|a| match a {
                Some(refused) => refused,
                None => committed
                    .next()
                    .ok_or_else(|| StoreError::WriteFailed("a ballot went missing".into())),
            })
            .collect();
        if due {
            self.snapshot_behind();
        }
        Ok(answers)
    }

    /// Starts writing `snapshot.ron` for the current state without the
    /// next commit waiting for it (at a million records, writing one took a
    /// second, and every commit queued behind it waited): a copy of the
    /// process writes it from the session as it stands now. A snapshot is
    /// only a cache, so one still being written when the next is due lets
    /// that one go, and failing to write one loses nothing.
    fn snapshot_behind(&mut self) {
        if let Some(writing) = &mut self.writing {
            if !writing.ended() {
                return;
            }
            if let Some(done) = self.writing.take() {
                done.wait();
            }
        }
        if self.appender.stopped().is_some() {
            return;
        }
        let session = self.session.read();
        let writing = snapshot::Writing::start(
            &self.dir,
            (
                self.appender.records(),
                self.appender.head(),
                self.appender.len(),
            ),
            &session,
            self.snapshot_pause,
        );
        drop(session);
        self.writing = Some(writing);
    }

    /// Waits for a snapshot being written behind the commits to end:
    /// whether it was written (`None`: none was being written).
    pub fn snapshot_written(&mut self) -> Option<bool> {
        self.writing.take().map(snapshot::Writing::wait)
    }

    /// When the journal's last record was written, if it can be read.
    pub fn last_record_time(&self) -> Option<Timestamp> {
        last_record_time(&self.dir)
    }

    /// Writes `snapshot.ron` for the current state, atomically.
    ///
    /// Never once writing has stopped: the session shown then is not the
    /// journal's last record (a damaged journal), or the journal is no
    /// longer the file this writer holds.
    pub fn snapshot(&mut self) -> Result<()> {
        // One snapshot at a time: the one behind the commits ends first.
        if let Some(writing) = self.writing.take() {
            writing.wait();
        }
        if let Some(why) = self.appender.stopped() {
            return Err(StoreError::Poisoned(why.to_owned()));
        }
        snapshot::write(
            &self.dir,
            self.records(),
            self.head(),
            self.appender.len(),
            &self.session.read(),
        )
    }
}

/// The time of the journal's last complete record, read from its tail.
pub fn last_record_time(dir: &Path) -> Option<Timestamp> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = fsutil::open_for_reading(&dir.join(JOURNAL), "the journal").ok()?;
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

/// Sets the journal's bad last line aside and cuts the journal back to the
/// record before it, through a fresh handle checked to be the locked file.
fn set_aside_torn_tail(
    path: &Path,
    id: FileId,
    torn: &journal::TornTail,
    now: Timestamp,
) -> Result<Warning> {
    let aside = appender::set_aside(path, &torn.bytes, now)?;
    let journal = fsutil::open_sole(path, OpenOptions::new().write(true), "the journal")?;
    if super::fsutil::file_id(&journal, path)? != id {
        return Err(StoreError::Invalid {
            path: path.to_owned(),
            reason: "the journal was replaced by another file while it was being opened".into(),
        });
    }
    journal
        .set_len(torn.offset)
        .and_then(|()| journal.sync_all())
        .map_err(io_err(path))?;
    Ok(format!(
        "{} line {}: {}. Its {} bytes were saved to {} and the journal now ends at record {}; \
         nothing that was reported saved was lost.",
        path.display(),
        torn.line,
        torn.what(),
        torn.bytes.len(),
        aside.display(),
        torn.line - 1
    ))
}

/// Lowers the calling thread's priority (and that of the threads it
/// starts): the proof replay runs while the screens draw and take keys,
/// and on two cores it must not delay them.
fn behind_the_screens() {
    crate::os::lower_priority();
}

/// Returns freed heap pages to the system (the allocator keeps them for
/// reuse otherwise). Collects the calling thread's own free memory.
pub fn give_back_freed_memory() {
    crate::os::give_back_freed_memory();
}
