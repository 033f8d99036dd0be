//! Appending to the journal durably: write the line, sync, and only then
//! report it committed; after a failure, reopen, cut the piece, and retry.

use super::error::{Result, StoreError};
use super::journal::JOURNAL;
use super::limits::{MAX_JOURNAL_WRITE, MAX_LINE};
use super::record;
use crate::domain::{Event, Timestamp};
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// The journal file as the appender uses it. Tests put faults here: a
/// write that stops after N bytes with "no space left", a failing sync.
pub trait JournalFile: Send {
    /// Writes all of `bytes` at the end of the file.
    fn append(&mut self, bytes: &[u8]) -> io::Result<()>;
    /// Makes everything written so far survive a crash or power loss.
    fn sync(&mut self) -> io::Result<()>;
    fn size(&mut self) -> io::Result<u64>;
    /// Up to `len` bytes from `offset`.
    fn read_at(&mut self, offset: u64, len: usize) -> io::Result<Vec<u8>>;
    /// Cuts the file back to `len` bytes (and syncs that).
    fn truncate(&mut self, len: u64) -> io::Result<()>;
}

/// Opens the journal afresh. After a failed write or sync the old handle is
/// dropped and never used again (PostgreSQL's lesson: after a failed fsync
/// the kernel may have dropped the data, and a retry on the same handle
/// can report success for what was lost).
pub trait JournalOpener: Send {
    fn open(&mut self) -> io::Result<Box<dyn JournalFile>>;

    /// Whether the journal's name still names the very file the writer
    /// holds (a sync client, a backup tool or an editor may have put
    /// another file in its place); why not, if not.
    fn still_ours(&mut self) -> std::result::Result<(), String> {
        Ok(())
    }
}

/// What a facilitator is told when the journal was replaced under them.
pub const REPLACED: &str = "journal.ron was replaced by another program; quit to rescue the rest";

impl JournalFile for File {
    fn append(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.write_all(bytes)?;
        self.flush()
    }
    fn sync(&mut self) -> io::Result<()> {
        // fdatasync also flushes the file size, which an append changes.
        self.sync_data()
    }
    fn size(&mut self) -> io::Result<u64> {
        Ok(self.metadata()?.len())
    }
    fn read_at(&mut self, offset: u64, len: usize) -> io::Result<Vec<u8>> {
        let mut buf = Vec::new();
        let mut f: &File = self;
        use std::io::Seek;
        f.seek(std::io::SeekFrom::Start(offset))?;
        f.take(len as u64).read_to_end(&mut buf)?;
        Ok(buf)
    }
    fn truncate(&mut self, len: u64) -> io::Result<()> {
        self.set_len(len)?;
        self.sync_all()
    }
}

/// Reopens the journal at `path`, making sure it is still the very file the
/// writer locked: a regular file with one name, never through a link.
pub struct ReopenJournal {
    pub path: PathBuf,
    pub id: super::fsutil::FileId,
}

impl JournalOpener for ReopenJournal {
    fn open(&mut self) -> io::Result<Box<dyn JournalFile>> {
        let file = super::fsutil::open_sole(
            &self.path,
            std::fs::OpenOptions::new().read(true).append(true),
            "the journal",
        )
        .map_err(io::Error::other)?;
        let id = super::fsutil::file_id(&file, &self.path).map_err(io::Error::other)?;
        if id != self.id {
            return Err(io::Error::other(
                "journal.ron was replaced by another file while the session was open",
            ));
        }
        Ok(Box::new(file))
    }

    fn still_ours(&mut self) -> std::result::Result<(), String> {
        match crate::os::identity_at(&self.path) {
            Ok(now) if now.id == self.id && now.links == 1 && !now.is_link => Ok(()),
            Ok(_) => Err(REPLACED.into()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                Err("journal.ron was moved or deleted; quit to rescue the rest".into())
            }
            Err(e) => Err(format!("journal.ron cannot be checked: {e}")),
        }
    }
}

/// Proof that a record reached the disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Committed {
    pub seq: u64,
    pub hash: String,
}

/// Appends records: write the line, sync, and only then report it committed.
///
/// After a failed write or sync the handle is dropped. The next append
/// opens the journal afresh, reads back what is past the last committed
/// record, cuts it off (setting aside anything that is not a piece of the
/// record that just failed), checks the last committed record is intact,
/// and only then writes. So once the disk has room again, retrying saves
/// the record exactly once and every committed record is kept.
pub struct Appender {
    opener: Box<dyn JournalOpener>,
    out: Option<Box<dyn JournalFile>>,
    path: PathBuf,
    next_seq: u64,
    head: String,
    /// Bytes up to the end of the last committed record.
    len: u64,
    /// The line whose write or sync failed: what may be past `len`.
    attempted: Option<String>,
    /// Set when the file is not what was committed: only reopening the
    /// session (which re-reads and re-checks the journal) can go on.
    broken: Option<String>,
    /// Set when the journal's name was given to another file.
    replaced: Option<String>,
}

impl Appender {
    /// An appender over an open journal of `records` records, `len` bytes,
    /// ending with `head`; `opener` opens it again after a failure.
    pub fn new(
        out: Box<dyn JournalFile>,
        opener: Box<dyn JournalOpener>,
        path: PathBuf,
        records: u64,
        head: String,
        len: u64,
    ) -> Self {
        Self {
            opener,
            out: Some(out),
            path,
            next_seq: records + 1,
            head,
            len,
            attempted: None,
            broken: None,
            replaced: None,
        }
    }

    pub fn records(&self) -> u64 {
        self.next_seq - 1
    }

    pub fn head(&self) -> &str {
        &self.head
    }

    /// Bytes committed so far.
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn file_name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| JOURNAL.into())
    }

    /// The journal's name names another file now: nothing more is written.
    fn replaced_by(&mut self, why: String) -> StoreError {
        self.out = None;
        self.replaced = Some(why.clone());
        StoreError::Replaced(why)
    }

    /// Stops all further writing (the session must be reopened).
    /// Why nothing more is written, once writing has stopped for good.
    pub fn stopped(&self) -> Option<&str> {
        self.broken.as_deref().or(self.replaced.as_deref())
    }

    pub fn break_off(&mut self, why: String) {
        self.out = None;
        self.broken = Some(why);
    }

    pub fn append(&mut self, at: Timestamp, actor: &str, event: &Event) -> Result<Committed> {
        let mut one = self.append_all(&[(at, actor, event)])?;
        one.pop()
            .ok_or_else(|| StoreError::WriteFailed("nothing was appended".into()))
    }

    /// Appends records in one write and one sync (a room's ballots
    /// arriving together): every one is committed, or none is. At most
    /// [`MAX_LINE`] bytes in all, so that what a failed write may leave
    /// behind is cut back as a single line's would be.
    pub fn append_all(&mut self, records: &[(Timestamp, &str, &Event)]) -> Result<Vec<Committed>> {
        if let Some(why) = &self.broken {
            return Err(StoreError::Poisoned(why.clone()));
        }
        let mut text = String::new();
        let mut committed = Vec::with_capacity(records.len());
        let (mut seq, mut head) = (self.next_seq, self.head.clone());
        for (at, actor, event) in records {
            let (line, hash) = record::encode(seq, &head, *at, actor, event).map_err(|reason| {
                StoreError::Invalid {
                    path: self.path.clone(),
                    reason: format!("not saved: {reason}"),
                }
            })?;
            text.push_str(&line);
            committed.push(Committed {
                seq,
                hash: hash.clone(),
            });
            (seq, head) = (seq + 1, hash);
        }
        if records.len() > 1 && text.len() > MAX_LINE {
            return Err(StoreError::Invalid {
                path: self.path.clone(),
                reason: "not saved: too much to write at once".into(),
            });
        }
        if self.len + text.len() as u64 > MAX_JOURNAL_WRITE {
            return Err(StoreError::Full {
                len: self.len,
                max: MAX_JOURNAL_WRITE,
            });
        }
        // The name must still be the file this writer holds: after a file
        // was put in its place, an append would go to a file nobody sees.
        if let Some(why) = &self.replaced {
            return Err(StoreError::Replaced(why.clone()));
        }
        if let Err(why) = self.opener.still_ours() {
            return Err(self.replaced_by(why));
        }
        if self.out.is_none() {
            self.recover()?;
        }
        let Some(out) = self.out.as_mut() else {
            return Err(StoreError::WriteFailed("the journal is not open".into()));
        };
        let result = out
            .append(text.as_bytes())
            .map_err(|e| ("written", e))
            .and_then(|()| out.sync().map_err(|e| ("synced", e)));
        if let Err((what, e)) = result {
            // The file's state is unknown now: part of the line may be there,
            // or the kernel may have dropped it. Never trust this handle again.
            self.out = None;
            self.attempted = Some(text);
            return Err(StoreError::WriteFailed(write_failure(
                &self.file_name(),
                what,
                &e,
            )));
        }
        // Replaced while this line was written: it is in a file nobody
        // sees, so it is not saved, and nothing more will be.
        if let Err(why) = self.opener.still_ours() {
            return Err(self.replaced_by(why));
        }
        self.next_seq = seq;
        self.head = head;
        self.len += text.len() as u64;
        self.attempted = None;
        Ok(committed)
    }

    /// After a failure: open afresh, cut what is past the last committed
    /// record (setting aside what is not ours), check what was committed.
    fn recover(&mut self) -> Result<()> {
        let name = self.file_name();
        let failed =
            |what: &str, e: io::Error| StoreError::WriteFailed(write_failure(&name, what, &e));
        let mut f = self.opener.open().map_err(|e| failed("reopened", e))?;
        let now = f.size().map_err(|e| failed("read", e))?;
        if now < self.len {
            let why = format!(
                "{name} is shorter than what was saved ({now} of {} bytes)",
                self.len
            );
            self.broken = Some(why.clone());
            return Err(StoreError::Poisoned(why));
        }
        if now > self.len {
            let extra = now - self.len;
            if extra > 2 * MAX_LINE as u64 {
                let why = format!("{name} has {extra} unexpected bytes after the last record");
                self.broken = Some(why.clone());
                return Err(StoreError::Poisoned(why));
            }
            let tail = f
                .read_at(self.len, extra as usize)
                .map_err(|e| failed("read", e))?;
            let ours = self
                .attempted
                .as_deref()
                .is_some_and(|a| a.as_bytes().starts_with(&tail));
            if !ours {
                set_aside(&self.path, &tail, wall_now())?;
            }
            f.truncate(self.len).map_err(|e| failed("cut back", e))?;
        }
        // The last committed record must still be there, unchanged.
        if self.len > 0 {
            let from = self.len.saturating_sub(MAX_LINE as u64 + 1);
            let back = f
                .read_at(from, (self.len - from) as usize)
                .map_err(|e| failed("read", e))?;
            let body = back.strip_suffix(b"\n").unwrap_or(&[]);
            let start = body.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
            if record::check_hash(&body[start..]).ok() != Some(self.head.as_str()) {
                let why = format!("the last saved record in {name} has changed");
                self.broken = Some(why.clone());
                return Err(StoreError::Poisoned(why));
            }
        }
        self.out = Some(f);
        Ok(())
    }
}

/// Copies `bytes` cut from the journal at `path` to a file beside it,
/// `journal.ron.broken-<time>`, owner-only and synced; never an empty one.
pub fn set_aside(path: &Path, bytes: &[u8], at: Timestamp) -> Result<PathBuf> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| JOURNAL.into());
    let stamp: String = at
        .to_string()
        .chars()
        .map(|c| if c == ':' { '-' } else { c })
        .collect();
    let mut n = 1;
    loop {
        let suffix = if n == 1 {
            String::new()
        } else {
            format!("-{n}")
        };
        let aside = path.with_file_name(format!("{name}.broken-{stamp}{suffix}"));
        match super::fsutil::create_new_private(&aside, bytes) {
            Err(StoreError::Io { source, .. })
                if source.kind() == io::ErrorKind::AlreadyExists && n < 100 =>
            {
                n += 1;
            }
            Err(e) => return Err(e),
            Ok(()) => {
                if let Some(dir) = aside.parent() {
                    super::fsutil::sync_dir(dir)?;
                }
                return Ok(aside);
            }
        }
    }
}

/// The computer's clock, only to name a set-aside file.
fn wall_now() -> Timestamp {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    Timestamp::from_unix_millis(ms)
}

/// A short account of a failed write: with the key to retry, it fits on an
/// 80-column status line.
fn write_failure(name: &str, what: &str, e: &io::Error) -> String {
    match e.raw_os_error() {
        Some(28) => "disk full; free some space".into(),
        Some(122) => "disk quota used up; free some space".into(),
        Some(5) => format!("disk error: {name} could not be {what}"),
        _ => format!("{name} could not be {what}: {e}"),
    }
}
