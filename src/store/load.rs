//! Loading a session to write to: from the snapshot and the journal after
//! its record when they agree (the usual, fast way), else by replaying the
//! journal; the writer (`session_dir.rs`) proves a snapshot it opened from
//! before anything is written.

use super::error::Result;
use super::journal::{self, JOURNAL, Scan};
use super::snapshot;
use crate::domain::Session;
use std::fs::File;
use std::path::Path;

/// What opening found: the session, the journal's scan, what to tell the
/// user.
pub(super) struct Loaded {
    pub(super) session: Session,
    pub(super) scan: Scan,
    /// Sentences for the user (a snapshot not used, and why).
    pub(super) warnings: Vec<String>,
    /// Whether `session` came from the snapshot (and so is still unproven).
    pub(super) from_snapshot: bool,
}

/// Loads snapshot + tail, falling back to a full replay when the snapshot is
/// missing, unreadable or disagrees with the journal's hashes. Only
/// `Writer::open` uses this: its result is proven against a full replay
/// before anything is written.
pub(super) fn load(dir: &Path, journal: &dyn Fn() -> Result<File>) -> Result<Loaded> {
    let path = dir.join(JOURNAL);
    if let Some(loaded) = load_overlapped(dir, &path, journal) {
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
        let scan = journal::scan_file(
            journal()?,
            &path,
            u64::MAX,
            snap.seq + 1,
            snap.seq,
            &mut |r| session.apply_owned(r.event).map_err(|e| e.to_string()),
        )?;
        if scan.remembered.as_deref() == Some(snap.hash.as_str()) && scan.damage.is_none() {
            return Ok(Loaded {
                session,
                scan,
                warnings,
                from_snapshot: true,
            });
        }
        warnings.push(format!(
            "{} does not match record {} of the journal; replaying the journal instead",
            dir.join(snapshot::SNAPSHOT).display(),
            snap.seq
        ));
    }
    let (session, scan) = replay(&path, journal()?, u64::MAX)?;
    Ok(Loaded {
        session,
        scan,
        warnings,
        from_snapshot: false,
    })
}

/// Every record from the first, through the session's rules.
pub(super) fn replay(path: &Path, file: File, limit: u64) -> Result<(Session, Scan)> {
    let mut session = Session::default();
    let scan = journal::scan_file(file, path, limit, 1, 0, &mut |r| {
        session.apply_owned(r.event).map_err(|e| e.to_string())
    })?;
    Ok((session, scan))
}

/// The usual open, faster: the journal is checked (and its tail read) while
/// another thread reads the snapshot. `None` whenever anything is not as
/// usual (no snapshot, one that does not match, damage, an event that cannot
/// be applied), and [`load`] then goes the careful way, which explains.
fn load_overlapped(dir: &Path, path: &Path, journal: &dyn Fn() -> Result<File>) -> Option<Loaded> {
    let (seq, hash, at) = snapshot::claimed(dir)?;
    let file = journal().ok()?;
    // Only the records after the snapshot's are read now, once the line it
    // says it ends with is its record; the proof replay, which every write
    // waits for, reads and checks them all.
    if !journal::record_ends_at(&file, at, seq, &hash) {
        return None;
    }
    let resume = journal::Resume {
        offset: at,
        records: seq,
        head: hash,
    };
    let (snap, scan, tail) = std::thread::scope(|scope| {
        let reading = scope.spawn(|| snapshot::read(dir));
        let mut tail = Vec::new();
        let scan =
            journal::scan_file_from(file, path, u64::MAX, Some(resume), seq + 1, seq, &mut |r| {
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
        || snap.at != at
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
        from_snapshot: true,
    })
}
