//! One writer per session: an OS lock on `writer.lock`, which also says who
//! holds it.

use super::error::{Result, StoreError, io_err};
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
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(io_err(&path))?;
    // A writer that is just closing (or a process being spawned, which holds
    // copies of descriptors until it execs) may hold the lock for a moment.
    let mut tries = 0;
    let locked = loop {
        match file.try_lock() {
            Err(std::fs::TryLockError::WouldBlock) if tries < 10 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => break other,
        }
    };
    match locked {
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
    let user = std::env::var("USER").unwrap_or_else(|_| "unknown user".into());
    let host = std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_owned())
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "this machine".into());
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
