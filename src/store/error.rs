use crate::domain::DomainError;
use std::fmt;
use std::io;
use std::path::PathBuf;
use thiserror::Error;

/// A problem at a known place in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProblem {
    pub file: PathBuf,
    pub line: u64,
    /// 0 when the column is not known.
    pub col: u64,
    pub reason: String,
}

impl fmt::Display for FileProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.col > 0 {
            write!(
                f,
                "{} line {}, column {}: {}",
                self.file.display(),
                self.line,
                self.col,
                self.reason
            )
        } else {
            write!(
                f,
                "{} line {}: {}",
                self.file.display(),
                self.line,
                self.reason
            )
        }
    }
}

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("{0}")]
    File(FileProblem),
    #[error(
        "{0}\nThe journal is damaged before its end, so roundtable will not write to it. \
         Review, export and verify still work up to the last good record."
    )]
    Damaged(FileProblem),
    #[error("{}: {reason}", path.display())]
    Invalid { path: PathBuf, reason: String },
    #[error(
        "this session is already open for writing by {holder}. Close it there first; review, export and verify work meanwhile."
    )]
    Locked { holder: String },
    /// The session's rules refuse the event. Ids in the reason came from
    /// whoever proposed it, so they are quoted at most 80 characters long.
    #[error("not saved: {}", super::limits::shorten_quotes(&.0.to_string()))]
    Rejected(#[from] DomainError),
    /// A write or sync failed; retrying reopens the journal first.
    #[error("not saved: {0}")]
    WriteFailed(String),
    /// The journal is not as it was committed: writing stops until reopened.
    #[error("not saved: {0}; quit and reopen the session, which re-checks it")]
    Poisoned(String),
    /// The journal's name no longer names the file being written (another
    /// program put a file in its place): writing stops for good.
    #[error("not saved: {0}")]
    Replaced(String),
    /// The journal reached the most the writer puts in one session.
    #[error(
        "not saved: this session's journal is full ({} MiB); start a new session (this one stays readable)",
        len >> 20
    )]
    Full { len: u64, max: u64 },
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

pub(crate) fn io_err(path: impl Into<PathBuf>) -> impl FnOnce(io::Error) -> StoreError {
    let path = path.into();
    move |source| StoreError::Io { path, source }
}
