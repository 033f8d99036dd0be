//! Reading sessions without the lock: a whole replay of the journal for
//! everything that prints or exports, `verify`, and the list of session
//! folders. The snapshot is never used here except to compare it.

use super::error::{FileProblem, Result, StoreError, io_err};
use super::fsutil;
use super::journal::{self, JOURNAL};
use super::load::replay;
use super::session_dir::Warning;
use super::snapshot;
use crate::domain::Session;
use std::fs;
use std::path::{Path, PathBuf};

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

/// Reads a session by replaying its whole journal: the snapshot is never
/// used here, so what is printed or exported is always what the journal
/// says, whatever a snapshot claims.
pub fn open_read_only(dir: &Path) -> Result<ReadOnly> {
    let path = dir.join(JOURNAL);
    if fs::symlink_metadata(&path).is_err() {
        return Err(StoreError::Invalid {
            path,
            reason: "there is no journal here; is this a session folder?".into(),
        });
    }
    let (session, scan) = replay(
        &path,
        fsutil::open_for_reading(&path, "the journal")?,
        u64::MAX,
    )?;
    let mut warnings = Vec::new();
    if let Some(t) = &scan.torn {
        warnings.push(format!(
            "{} line {}: {}; it is not counted",
            path.display(),
            t.line,
            t.what()
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
    /// A snapshot that reads as sound but does not match the journal: the
    /// journal may be sound, but something on disk claims otherwise, so
    /// verification fails. Says where they first differ.
    pub snapshot_mismatch: Option<String>,
    /// Notes that do not make the session unsound (an unreadable snapshot,
    /// which is never used).
    pub notes: Vec<String>,
}

impl Verification {
    /// Whether everything checked out: the journal and any snapshot.
    pub fn passed(&self) -> bool {
        self.failure.is_none() && self.snapshot_mismatch.is_none()
    }
}

/// Parses every record, checks hashes, sequence and chain, and replays every
/// event through the domain rules. Ignores the snapshot except to compare it.
pub fn verify(dir: &Path) -> Result<Verification> {
    check(dir, None).map(|(v, _)| v)
}

/// [`verify`], returning the session as of the last sound record too.
pub fn verify_and_keep(dir: &Path) -> Result<(Verification, Session)> {
    check(dir, None)
}

/// `verify`, also handing each sound record and the session after it to
/// `also` (review builds its timeline from the same single pass). Returns the
/// session as of the last sound record too.
pub fn verify_with(
    dir: &Path,
    also: &mut dyn FnMut(super::record::Record, &Session),
) -> Result<(Verification, Session)> {
    check(dir, Some(also))
}

/// What review does with each sound record and the session after it.
type Visit<'a> = &'a mut dyn FnMut(super::record::Record, &Session);

/// [`verify`] and [`verify_with`]: without `also`, each event is applied
/// by value, as a replay does, rather than copied to keep its record.
fn check(dir: &Path, mut also: Option<Visit<'_>>) -> Result<(Verification, Session)> {
    let path = dir.join(JOURNAL);
    // The snapshot is checked without a second copy of the session: the
    // replayed state at its record is serialised straight into SHA-256 and
    // compared with the hash its header gives, while another thread hashes
    // the snapshot's own bytes. Only when they differ is it read whole, to
    // say where.
    let snap_seq = snapshot::claimed_seq(dir).unwrap_or(0);
    let mut session = Session::default();
    let mut at_snapshot = None;
    let (scan, claim) = std::thread::scope(|scope| {
        let claim = scope.spawn(|| snapshot::read_claim(dir));
        let scan = journal::scan(&path, 1, snap_seq, &mut |r| {
            let seq = r.seq;
            match also.as_deref_mut() {
                Some(also) => {
                    session.apply(&r.event).map_err(|e| e.to_string())?;
                    also(r, &session);
                }
                None => session.apply_owned(r.event).map_err(|e| e.to_string())?,
            }
            if seq == snap_seq {
                at_snapshot = Some(snapshot::body_hash(&session).map_err(|e| e.to_string())?);
            }
            Ok(())
        });
        let claim = claim
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (scan, claim)
    });
    let scan = scan?;
    let mut notes = Vec::new();
    let mut snapshot_mismatch = None;
    match claim {
        Ok(None) => {}
        Err(e) => notes.push(unusable(&e)),
        Ok(Some(c)) => {
            let diff = match (&scan.remembered, &at_snapshot) {
                (Some(hash), Some(body))
                    if c.seq == snap_seq && *hash == c.hash && *body == c.body =>
                {
                    None
                }
                (Some(hash), Some(_)) if c.seq == snap_seq && *hash == c.hash => {
                    match first_difference(dir, &path, c.seq) {
                        Ok(d) => d,
                        Err(e) => {
                            notes.push(unusable(&e));
                            None
                        }
                    }
                }
                (Some(_), Some(_)) => Some(format!(
                    "it names record {} by a hash the journal's record {} does not have",
                    c.seq, c.seq
                )),
                _ => Some(format!(
                    "it claims record {} but the journal's sound records end at {}",
                    c.seq, scan.records
                )),
            };
            match diff {
                None if notes.is_empty() => {
                    notes.push(format!("snapshot.ron matches record {}", c.seq))
                }
                None => {}
                Some(d) => {
                    snapshot_mismatch = Some(format!(
                        "{}: does not match record {} of the journal: {d}",
                        dir.join(snapshot::SNAPSHOT).display(),
                        c.seq
                    ))
                }
            }
        }
    }
    let failure = scan.damage.or_else(|| {
        scan.torn.map(|t| FileProblem {
            file: path.clone(),
            line: t.line,
            col: 0,
            reason: format!(
                "record {}: {}; opening the session for writing will set it aside",
                t.line,
                t.what()
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
            snapshot_mismatch,
            notes,
        },
        session,
    ))
}

/// Why a snapshot is not used, as a note: it never is as it is.
fn unusable(e: &StoreError) -> String {
    format!("{e} (it is never used as it is; opening the session for writing rebuilds it)")
}

/// Where a snapshot whose session is not the journal's at `seq` first
/// differs from it (`None`: the same session, written differently, as by
/// another version). The slow way, only when the hashes disagree: the
/// snapshot read whole and the journal replayed again to `seq`.
fn first_difference(dir: &Path, path: &Path, seq: u64) -> Result<Option<String>> {
    let Some(snap) = snapshot::read(dir)? else {
        return Ok(Some(
            "it was removed while the journal was being checked".into(),
        ));
    };
    if snap.seq != seq {
        return Ok(Some(
            "it was replaced while the journal was being checked".into(),
        ));
    }
    let mut replayed = Session::default();
    journal::scan(path, 1, 0, &mut |r| {
        if r.seq <= seq {
            replayed.apply_owned(r.event).map_err(|e| e.to_string())?;
        }
        Ok(())
    })?;
    Ok(snap.session.first_difference(&replayed))
}

/// The session folders under `sessions` (those holding a journal, even one
/// that is not a regular file: it is listed, and says why it cannot be
/// read), sorted by name; none when the folder does not exist.
pub fn session_dirs(sessions: &Path) -> Result<Vec<PathBuf>> {
    let mut dirs: Vec<PathBuf> = match fs::read_dir(sessions) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_dir() && fs::symlink_metadata(p.join(JOURNAL)).is_ok())
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(io_err(sessions)(e)),
    };
    dirs.sort();
    Ok(dirs)
}
