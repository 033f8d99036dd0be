//! Where `join` connects, and where a joined terminal keeps its outbox.

use super::locate::resolve;
use super::{OpsError, Result};
use crate::net::client::Target;
use std::path::{Path, PathBuf};

/// A local session's socket, or HOST:PORT with a code; and what to call the
/// target in the outbox file's name.
pub fn join_target(
    sessions: &Path,
    target: &str,
    code: Option<String>,
) -> Result<(Target, String)> {
    if let Ok(dir) = resolve(sessions, target) {
        let socket = dir.join(crate::net::host::SOCKET);
        if code.is_some() {
            return Err(OpsError::CodeForLocalSession);
        }
        if !crate::os::local::present(&socket) {
            return Err(OpsError::NotRunning { dir, socket });
        }
        let name = dir.file_name().map(|n| n.to_string_lossy().into_owned());
        return Ok((Target::Unix(socket), name.unwrap_or_default()));
    }
    match code {
        Some(code) if target.contains(':') => Ok((
            Target::Tcp {
                addr: target.to_owned(),
                code,
            },
            target.to_owned(),
        )),
        Some(_) => Err(OpsError::NotATarget(target.to_owned())),
        None => Err(OpsError::NoSessionToJoin(target.to_owned())),
    }
}

/// `~/.local/state/roundtable/outbox-TARGET-NAME.ron` (or under
/// $XDG_STATE_HOME; on Windows under %LOCALAPPDATA%).
pub fn default_outbox(target: &str, name: &str) -> PathBuf {
    let base = crate::os::state_home().unwrap_or_else(std::env::temp_dir);
    let safe = |s: &str| -> String {
        s.chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect()
    };
    base.join("roundtable")
        .join(format!("outbox-{}-{}.ron", safe(target), safe(name)))
}
