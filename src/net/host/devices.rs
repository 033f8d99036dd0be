//! The devices that joined over the network ([`super::DEVICES`]): token
//! ids, secrets and the names they were issued for, so a laptop reconnects
//! after the host restarts, and only as the name it joined as.

use super::valid_name;
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
