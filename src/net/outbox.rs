//! A joined terminal's outbox: what it has proposed and the host has not
//! yet acknowledged, written and synced before it is sent, so a killed
//! terminal sends it again when restarted. Acknowledged words leave it at
//! once; a clean quit leaves only the device token.

use crate::domain::Event;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::PathBuf;

#[derive(Serialize, Deserialize)]
enum OutboxLine {
    Sent(u64, Event),
    Done(u64),
    /// The device token the host gave (empty: none), to reconnect without the code.
    Token(String),
}

/// Proposals not yet acknowledged, kept on disk (written and synced before
/// they are sent) so a killed terminal sends them again when restarted.
/// One terminal at a time: the outbox is locked while it is open.
pub struct Outbox {
    path: PathBuf,
    /// Open to append; let go while the file is replaced (Windows will not
    /// rename over a file a handle holds open), and opened again after.
    file: Option<std::fs::File>,
    /// Holds the lock on `<outbox>.lock` for as long as the outbox is open.
    _lock: std::fs::File,
    pending: IndexMap<u64, Event>,
    last_nonce: u64,
    token: Option<String>,
    /// Acknowledged since the file was last rewritten.
    done_since: usize,
    /// What the note-taker must be told from opening it (lines set aside).
    notices: Vec<String>,
}

/// Largest outbox read back: far more unsent statements than a session has.
const MAX_OUTBOX: u64 = 256 << 20;

/// Largest nonce read back. A run's nonces count up from the last one, one
/// per statement, so a larger one is damage (and would wrap).
const MAX_NONCE: u64 = 1 << 53;

/// A line of the outbox that could not be taken back: its number and why.
struct Unread {
    line: usize,
    why: String,
    text: String,
}

impl Outbox {
    pub fn open(path: PathBuf) -> std::io::Result<Outbox> {
        use crate::store::fsutil;
        let io = |e: crate::store::StoreError| std::io::Error::other(e.to_string());
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            fsutil::create_private_dir_all(dir).map_err(io)?;
        }
        // The lock is a file of its own: the outbox itself is replaced by
        // renaming, which would leave a lock on it behind.
        let lock_path = PathBuf::from(format!("{}.lock", path.display()));
        let lock = fsutil::open_sole(
            &lock_path,
            crate::os::private_file(
                std::fs::OpenOptions::new()
                    .read(true)
                    .write(true)
                    .create(true)
                    .truncate(false),
            ),
            "the outbox's lock",
        )
        .map_err(io)?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(std::io::Error::other(format!(
                    "another `roundtable join` on this computer is already using {} \
                     (the same name joining the same session); close that one first, \
                     or join with a different --as name",
                    path.display()
                )));
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(e),
        }
        let mut pending = IndexMap::new();
        let mut last_nonce = 0;
        let mut token = None;
        let mut unread = Vec::new();
        if std::fs::symlink_metadata(&path).is_ok() {
            let bytes = fsutil::read_sole(&path, MAX_OUTBOX, "the outbox").map_err(io)?;
            let text = String::from_utf8_lossy(&bytes);
            for (i, line) in text.split_inclusive('\n').enumerate() {
                let whole = line.ends_with('\n');
                let line = line.trim_end_matches(['\n', '\r']);
                if line.trim().is_empty() {
                    continue;
                }
                let why = match crate::store::ron_text::parse_ron::<OutboxLine>(line) {
                    Ok(OutboxLine::Sent(n, e)) if n <= MAX_NONCE => {
                        last_nonce = last_nonce.max(n);
                        pending.insert(n, e);
                        continue;
                    }
                    Ok(OutboxLine::Done(n)) if n <= MAX_NONCE => {
                        pending.shift_remove(&n);
                        continue;
                    }
                    Ok(OutboxLine::Token(t)) => {
                        token = Some(t).filter(|t| !t.is_empty());
                        continue;
                    }
                    Ok(_) => "its number is out of range".to_owned(),
                    Err(_) if !whole => "it was cut short as it was written".to_owned(),
                    Err(e) => format!("it is damaged (column {}: {})", e.col, e.reason),
                };
                unread.push(Unread {
                    line: i + 1,
                    why,
                    text: line.to_owned(),
                });
            }
        }
        // Nothing is dropped: what cannot be read is kept beside the outbox
        // (written and synced) before the outbox is rewritten without it.
        let mut notices = Vec::new();
        if !unread.is_empty() {
            let aside = set_aside(&path, &unread)?;
            let mut which: Vec<String> = unread
                .iter()
                .take(3)
                .map(|u| format!("line {}: {}", u.line, u.why))
                .collect();
            if unread.len() > 3 {
                which.push(format!("and {} more", unread.len() - 3));
            }
            notices.push(format!(
                "NOT SENT: {} line(s) of the outbox from an earlier run could not be read ({}); \
                 they are kept in {}",
                unread.len(),
                which.join("; "),
                aside.display()
            ));
        }
        // Start the file afresh with only what is still pending.
        let file = write_outbox(&path, token.as_ref(), &pending)?;
        Ok(Outbox {
            path,
            file: Some(file),
            _lock: lock,
            pending,
            last_nonce,
            token,
            done_since: 0,
            notices,
        })
    }

    /// What the note-taker must be told from opening the outbox.
    pub fn take_notices(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notices)
    }

    /// The host refused `nonce` for good. Its words leave the outbox only
    /// once they are kept beside it; what the note-taker is told comes back.
    pub fn refused(&mut self, nonce: u64, reason: &str) -> std::io::Result<String> {
        let Some(event) = self.pending.get(&nonce).cloned() else {
            return Ok(format!("the host refused a statement: {reason}"));
        };
        let text = line(&OutboxLine::Sent(nonce, event.clone()))?;
        let what = crate::domain::describe::short(&event);
        let aside = set_aside(
            &self.path,
            &[Unread {
                line: 0,
                why: format!("the host refused it: {reason}"),
                text: text.trim_end().to_owned(),
            }],
        )?;
        self.done(nonce)?;
        Ok(format!(
            "NOT SAVED: the host refused {} ({reason}); its words are kept in {}",
            what,
            aside.display()
        ))
    }

    /// The highest nonce an earlier run used: this run's come after it.
    pub fn last_nonce(&self) -> u64 {
        self.last_nonce
    }

    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// Keeps `token` for this run, and in the file for the next (if that
    /// write fails, only a restarted terminal needs the code again).
    pub fn set_token(&mut self, token: Option<String>) -> std::io::Result<()> {
        if token == self.token {
            return Ok(());
        }
        let written = self.append(&OutboxLine::Token(token.clone().unwrap_or_default()));
        self.token = token;
        written
    }

    fn append(&mut self, l: &OutboxLine) -> std::io::Result<()> {
        let file = self.handle()?;
        file.write_all(line(l)?.as_bytes())?;
        file.sync_data()
    }

    /// The outbox open to append to, opened again if a rewrite let it go.
    fn handle(&mut self) -> std::io::Result<&mut std::fs::File> {
        if self.file.is_none() {
            let opened = crate::store::fsutil::open_sole(
                &self.path,
                std::fs::OpenOptions::new().append(true),
                "the outbox",
            )
            .map_err(|e| std::io::Error::other(e.to_string()))?;
            self.file = Some(opened);
        }
        self.file
            .as_mut()
            .ok_or_else(|| std::io::Error::other("the outbox is not open"))
    }

    pub fn sent(&mut self, nonce: u64, event: &Event) -> std::io::Result<()> {
        self.append(&OutboxLine::Sent(nonce, event.clone()))?;
        self.pending.insert(nonce, event.clone());
        Ok(())
    }

    /// `nonce` is acknowledged (or refused for good), and the outbox lets
    /// its words go. With nothing left to send (a note-taker's usual state,
    /// one statement at a time) the file is cut back to the device token at
    /// once; while others are still in flight it is rewritten with only
    /// those whenever the acknowledged outnumber them, so it never holds
    /// more than twice what waits.
    pub fn done(&mut self, nonce: u64) -> std::io::Result<()> {
        if self.pending.shift_remove(&nonce).is_none() {
            return Ok(());
        }
        if self.pending.is_empty() {
            self.done_since = 0;
            let token = self.token.clone();
            let file = self.handle()?;
            file.set_len(0)?;
            if let Some(t) = token {
                file.write_all(line(&OutboxLine::Token(t))?.as_bytes())?;
            }
            return file.sync_data();
        }
        self.done_since += 1;
        if self.done_since > self.pending.len() {
            self.done_since = 0;
            return self.rewrite();
        }
        self.append(&OutboxLine::Done(nonce))
    }

    /// The file afresh, atomically: the token and what is still waiting.
    fn rewrite(&mut self) -> std::io::Result<()> {
        self.file = None;
        self.file = Some(write_outbox(
            &self.path,
            self.token.as_ref(),
            &self.pending,
        )?);
        Ok(())
    }

    /// The terminal is closing: with nothing left to send, the outbox is
    /// cut back to the device token alone (no words; the laptop comes back
    /// under its name without the code), or removed when there is no
    /// token; with something left, it stays for the next run.
    pub fn finish(mut self) {
        if !self.pending.is_empty() {
            return;
        }
        match self.token.clone() {
            Some(t) => {
                let _ = self.handle().and_then(|file| {
                    file.set_len(0)?;
                    file.write_all(line(&OutboxLine::Token(t))?.as_bytes())?;
                    file.sync_data()
                });
            }
            None => {
                drop(self.file.take());
                let _ = std::fs::remove_file(&self.path);
            }
        }
    }

    pub fn pending(&self) -> impl Iterator<Item = (u64, &Event)> {
        self.pending.iter().map(|(n, e)| (*n, e))
    }

    pub fn len(&self) -> usize {
        self.pending.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    pub fn path(&self) -> &std::path::Path {
        &self.path
    }
}

/// Appends `unread` to the file beside the outbox at `path` that keeps what
/// was not delivered (created owner-only, never through a link), synced;
/// returns its path.
fn set_aside(path: &std::path::Path, unread: &[Unread]) -> std::io::Result<PathBuf> {
    use crate::store::fsutil;
    let aside = PathBuf::from(format!("{}.not-delivered.txt", path.display()));
    let mut file = fsutil::open_sole(
        &aside,
        crate::os::private_file(std::fs::OpenOptions::new().append(true).create(true)),
        "the outbox's not-delivered file",
    )
    .map_err(|e| std::io::Error::other(e.to_string()))?;
    let mut text = String::new();
    for u in unread {
        if u.line > 0 {
            text.push_str(&format!(
                "# line {} of {}: not sent, because {}\n",
                u.line,
                path.display(),
                u.why
            ));
        } else {
            text.push_str(&format!("# not saved, because {}\n", u.why));
        }
        text.push_str(&u.text);
        text.push('\n');
    }
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    Ok(aside)
}

/// Writes the outbox at `path` atomically with the token and what is
/// still waiting, and opens it to append to.
fn write_outbox(
    path: &std::path::Path,
    token: Option<&String>,
    pending: &IndexMap<u64, Event>,
) -> std::io::Result<std::fs::File> {
    use crate::store::fsutil;
    let io = |e: crate::store::StoreError| std::io::Error::other(e.to_string());
    let mut text = String::new();
    if let Some(t) = token {
        text.push_str(&line(&OutboxLine::Token(t.clone()))?);
    }
    for (n, e) in pending {
        text.push_str(&line(&OutboxLine::Sent(*n, e.clone()))?);
    }
    fsutil::write_atomic(path, text.as_bytes()).map_err(io)?;
    fsutil::open_sole(path, std::fs::OpenOptions::new().append(true), "the outbox").map_err(io)
}

fn line(l: &OutboxLine) -> std::io::Result<String> {
    ron::to_string(l)
        .map(|s| s + "\n")
        .map_err(|e| std::io::Error::other(e.to_string()))
}
