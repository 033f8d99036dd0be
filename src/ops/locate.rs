//! Finding a session folder, naming a new one, and the computer's clock.

use crate::domain::Timestamp;
use crate::store::{StoreError, journal::JOURNAL};
use std::path::{Path, PathBuf};

/// Finds a session by path or by folder name under the sessions folder.
pub fn resolve(sessions: &Path, name: &str) -> Result<PathBuf, StoreError> {
    let direct = PathBuf::from(name);
    if direct.join(JOURNAL).exists() {
        return Ok(direct);
    }
    let dir = sessions.join(name);
    if dir.join(JOURNAL).exists() {
        return Ok(dir);
    }
    Err(StoreError::Invalid {
        path: dir,
        reason: format!(
            "there is no session `{name}` here (no journal.ron); `roundtable list` shows the sessions in {}",
            sessions.display()
        ),
    })
}

/// The computer's clock, as the record writes time.
pub fn now() -> Timestamp {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    Timestamp::from_unix_millis(ms)
}

/// A folder name from a date and a title: `2026-03-14-cag-findings`.
pub fn slug(date: &str, title: &str) -> String {
    let mut s = String::from(date);
    let mut dash = true;
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            if dash {
                s.push('-');
            }
            s.push(c);
            dash = false;
        } else {
            dash = true;
        }
        if s.len() >= 60 {
            break;
        }
    }
    s
}
