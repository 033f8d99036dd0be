//! The devices that joined over the network ([`super::DEVICES`]): token
//! ids, secrets and the names they were issued for, so a laptop reconnects
//! after the host restarts, and only as the name it joined as.

use super::{Listening, Reply, kick, lock, valid_name};
use crate::net::wire;
use std::collections::HashMap;
use std::path::Path;

/// A device that joined over the network: its token's secret, and the
/// name it joined as (it may come back only as that name).
#[derive(Clone)]
pub(super) struct Device {
    pub(super) secret: [u8; 32],
    pub(super) name: String,
}

/// `devices.ron`: token id → (name, secret in hex).
type Tokens = std::collections::BTreeMap<String, (String, String)>;

pub(super) fn load_tokens(path: &Path) -> HashMap<String, Device> {
    let Ok(bytes) =
        crate::store::fsutil::read_sole(path, crate::store::limits::MAX_SMALL_FILE, "devices.ron")
    else {
        return HashMap::new();
    };
    let text = String::from_utf8_lossy(&bytes);
    // An unreadable (or older) file only means joining with the code again.
    let tokens: Tokens = crate::store::ron_text::parse_ron(text.trim()).unwrap_or_default();
    tokens
        .into_iter()
        .filter_map(|(id, (name, secret))| {
            let secret: [u8; 32] = hex::decode(secret).ok()?.try_into().ok()?;
            valid_name(&name).ok()?;
            Some((id, Device { secret, name }))
        })
        .collect()
}

pub(super) fn save_tokens(path: &Path, tokens: &HashMap<String, Device>) {
    let map: Tokens = tokens
        .iter()
        .map(|(id, d)| (id.clone(), (d.name.clone(), hex::encode(d.secret))))
        .collect();
    if let Ok(text) = ron::to_string(&map) {
        // Losing this file only means joining with the code again.
        let _ = crate::store::fsutil::write_atomic(path, text.as_bytes());
    }
}

impl Listening {
    /// Disconnects the terminal shown as `shown` in the list of connected
    /// terminals ("Sam (note-taker)") and forgets every device joined under
    /// its name, so it can come back only with the join code. Whether one
    /// was connected.
    /// The facilitator frees `name` for a new laptop: the laptop that held
    /// it can no longer come back as it (and is disconnected if it is
    /// here); the join code stays as shown. Whether the name was held.
    pub fn free_name(&self, name: &str) -> bool {
        let held = {
            let mut tokens = lock(&self.shared.tokens);
            let before = tokens.len();
            tokens.retain(|_, d| d.name.to_lowercase() != name.to_lowercase());
            let held = tokens.len() != before;
            if held {
                save_tokens(&self.shared.devices, &tokens);
            }
            held
        };
        let here = lock(&self.shared.peers)
            .iter()
            .find(|p| p.name.to_lowercase() == name.to_lowercase())
            .map(|p| p.conn);
        if let Some(conn) = here {
            kick(
                &self.shared,
                conn,
                "the facilitator gave this name to another laptop",
            );
        }
        let claims = {
            let mut claims = lock(&self.shared.claims);
            claims.retain(|c| c != name);
            claims.clone()
        };
        let _ = self.shared.ui.send(Reply::Claimed(claims));
        held
    }

    pub fn remove(&self, shown: &str) -> bool {
        let found = lock(&self.shared.peers)
            .iter()
            .find(|p| p.shown() == shown)
            .map(|p| (p.conn, p.name.clone()));
        let Some((conn, name)) = found else {
            return false;
        };
        {
            let mut tokens = lock(&self.shared.tokens);
            let before = tokens.len();
            tokens.retain(|_, d| d.name != name);
            if tokens.len() != before {
                save_tokens(&self.shared.devices, &tokens);
            }
        }
        kick(&self.shared, conn, "removed by the facilitator");
        // The code it knew no longer opens the door.
        if let Some(at) = self.shared.lan_addr
            && let Ok(code) = wire::new_code()
        {
            *lock(&self.shared.code) = code.clone();
            let _ = self.shared.ui.send(Reply::JoinCode {
                code,
                at: at.to_string(),
            });
        }
        true
    }
}
