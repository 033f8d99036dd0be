//! `snapshot.ron`: the session as it stood at some record, so that opening
//! need not replay everything. A cache: losing it costs time, never data.

use super::error::{Result, StoreError};
use super::fsutil::{read_capped, write_atomic};
use super::limits::{MAX_SNAPSHOT, parse_ron};
use crate::domain::Session;
use serde::{Deserialize, Serialize};
use std::path::Path;

pub const SNAPSHOT: &str = "snapshot.ron";
const FORMAT: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    pub format: u32,
    /// The last record folded into `session`.
    pub seq: u64,
    /// That record's hash: the snapshot is only used if the journal agrees.
    pub hash: String,
    pub session: Session,
}

pub fn write(dir: &Path, seq: u64, hash: &str, session: &Session) -> Result<()> {
    let snap = Snapshot {
        format: FORMAT,
        seq,
        hash: hash.to_owned(),
        session: session.clone(),
    };
    let path = dir.join(SNAPSHOT);
    let mut text = ron::to_string(&snap).map_err(|e| StoreError::Invalid {
        path: path.clone(),
        reason: e.to_string(),
    })?;
    text.push('\n');
    write_atomic(&path, text.as_bytes())
}

/// Reads the snapshot if there is one. `Ok(None)`: no snapshot. `Err`: one
/// that cannot be used, with the reason (the caller replays instead).
pub fn read(dir: &Path) -> Result<Option<Snapshot>> {
    let path = dir.join(SNAPSHOT);
    if !path.exists() {
        return Ok(None);
    }
    let bytes = read_capped(&path, MAX_SNAPSHOT)?;
    let invalid = |reason: String| StoreError::Invalid {
        path: path.clone(),
        reason,
    };
    let text = std::str::from_utf8(&bytes)
        .map_err(|e| invalid(format!("not valid UTF-8 (byte {})", e.valid_up_to() + 1)))?;
    let snap: Snapshot = parse_ron(text)
        .map_err(|p| invalid(format!("line {}, column {}: {}", p.line, p.col, p.reason)))?;
    if snap.format != FORMAT {
        return Err(invalid(format!(
            "snapshot format {} is not the {FORMAT} this version writes",
            snap.format
        )));
    }
    if snap.session.applied != snap.seq {
        return Err(invalid(format!(
            "it claims record {} but holds {} events",
            snap.seq, snap.session.applied
        )));
    }
    Ok(Some(snap))
}
