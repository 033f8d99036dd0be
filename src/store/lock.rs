//! One writer per session: an OS lock on `writer.lock`, which also says who
//! holds it.

use super::error::{Result, StoreError, io_err};
use super::fsutil::FileId;
use crate::domain::Timestamp;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

pub const LOCK: &str = "writer.lock";

/// Held for as long as a session is open for writing; the OS releases it
/// when the process ends, however it ends.
#[derive(Debug)]
pub struct WriterLock {
    _file: File,
}

pub fn acquire(dir: &Path, now: Timestamp) -> Result<WriterLock> {
    let path = dir.join(LOCK);
    // Never through a link: the holder's name is written into this file.
    let mut file = super::fsutil::open_sole(
        &path,
        crate::os::private_file(
            OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false),
        ),
        "writer.lock",
    )?;
    match try_lock_patiently(&file) {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            let mut holder = String::new();
            let _ = (&mut file).take(1024).read_to_string(&mut holder);
            let holder = holder.trim();
            return Err(StoreError::Locked {
                holder: if holder.is_empty() {
                    "another roundtable process".to_owned()
                } else {
                    holder.to_owned()
                },
            });
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(io_err(&path)(e)),
    }
    let (user, host) = crate::os::user_and_host();
    let who = format!(
        "roundtable (process {}, user {user} on {host}, since {now})\n",
        std::process::id()
    );
    file.set_len(0)
        .and_then(|()| file.seek(SeekFrom::Start(0)))
        .and_then(|_| file.write_all(who.as_bytes()))
        .map_err(io_err(&path))?;
    Ok(WriterLock { _file: file })
}

/// Tries the lock a few times: a writer that is just closing (or a process
/// being spawned, which holds copies of descriptors until it execs) may
/// hold it for a moment.
fn try_lock_patiently(file: &File) -> std::result::Result<(), std::fs::TryLockError> {
    let mut tries = 0;
    loop {
        match file.try_lock() {
            Err(std::fs::TryLockError::WouldBlock) if tries < 10 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return other,
        }
    }
}

/// Locks the journal file itself, whatever path reaches it, so that two
/// writers can never append to one file (a second folder holding a link to
/// it included). Returns the handle that holds the lock and the file's
/// identity, which every later open is checked against.
pub fn lock_journal(path: &Path) -> Result<(File, FileId)> {
    let file = super::fsutil::open_sole(path, OpenOptions::new().read(true), "the journal")?;
    match try_lock_patiently(&file) {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            return Err(StoreError::Locked {
                holder: "another roundtable process (through another path to the same journal)"
                    .into(),
            });
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(io_err(path)(e)),
    }
    let id = super::fsutil::file_id(&file, path)?;
    Ok((file, id))
}
