//! What keeps phones' words from a listener on the room's Wi-Fi. The page is
//! plain HTTP on a local address, where browsers offer no WebCrypto; so the
//! projector's QR code carries a room secret in the address's fragment
//! (after `#`, which a browser never sends), and every request and answer
//! is sealed with NaCl's `secretbox` (XSalsa20-Poly1305) under a key made
//! from it: by the page with tweetnacl, here with `crypto_secretbox`.
//!
//! The key is `SHA-512("roundtable phones 1" ‖ secret)`'s first 32 bytes;
//! a sealed message is `base64(nonce ‖ box)` with a random 24-byte nonce.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use crypto_secretbox::aead::{Aead, KeyInit};
use crypto_secretbox::{Key, Nonce, XSalsa20Poly1305};
use sha2::{Digest, Sha512};

/// Bytes of room secret: 128 bits, typed as 26 letters and digits.
pub const SECRET_BYTES: usize = 16;
const NONCE: usize = 24;
const CONTEXT: &[u8] = b"roundtable phones 1";
/// RFC 4648 base32 without padding, lowercase: no 0/1/8/9, so nothing
/// looks like another letter when typed from the projector.
const BASE32: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";

/// The room's secret and the key sealed messages use.
#[derive(Clone)]
pub struct Seal {
    secret: [u8; SECRET_BYTES],
    cipher: XSalsa20Poly1305,
}

impl Seal {
    pub fn new(secret: [u8; SECRET_BYTES]) -> Self {
        let mut h = Sha512::new();
        h.update(CONTEXT);
        h.update(secret);
        let digest = h.finalize();
        let key = Key::from_slice(&digest[..32]);
        Seal {
            secret,
            cipher: XSalsa20Poly1305::new(key),
        }
    }

    /// A fresh room secret from the operating system.
    pub fn fresh() -> Result<Self, String> {
        let mut secret = [0u8; SECRET_BYTES];
        getrandom::fill(&mut secret).map_err(|e| format!("no random numbers: {e}"))?;
        Ok(Seal::new(secret))
    }

    /// The seal of the room whose address ends `#fragment` (as the page
    /// reads it: case and anything not base32 ignored).
    pub fn from_fragment(fragment: &str) -> Option<Self> {
        let mut bytes = Vec::new();
        let (mut acc, mut bits) = (0u32, 0u32);
        for c in fragment.bytes() {
            let Some(v) = BASE32.iter().position(|b| *b == c.to_ascii_lowercase()) else {
                continue;
            };
            acc = (acc << 5) | v as u32;
            bits += 5;
            if bits >= 8 {
                bits -= 8;
                bytes.push((acc >> bits) as u8);
            }
        }
        let secret: [u8; SECRET_BYTES] = bytes.try_into().ok()?;
        Some(Seal::new(secret))
    }

    /// The secret as the address's fragment: 26 characters of base32.
    pub fn fragment(&self) -> String {
        base32(&self.secret)
    }

    /// Seals `plain` under a fresh random nonce.
    pub fn seal(&self, plain: &[u8]) -> Result<String, String> {
        let mut nonce = [0u8; NONCE];
        getrandom::fill(&mut nonce).map_err(|e| format!("no random numbers: {e}"))?;
        let sealed = self
            .cipher
            .encrypt(Nonce::from_slice(&nonce), plain)
            .map_err(|_| "cannot seal".to_owned())?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Ok(B64.encode(out))
    }

    /// Opens what [`Seal::seal`] (or the page) sealed; `None` for anything
    /// else: the wrong key, a changed byte, not base64, too short.
    pub fn open(&self, text: &[u8]) -> Option<Vec<u8>> {
        self.open_with_nonce(text).map(|(plain, _)| plain)
    }

    /// [`Seal::open`], and the message's nonce: every honest message has
    /// its own, so one seen before is a message sent again.
    pub fn open_with_nonce(&self, text: &[u8]) -> Option<(Vec<u8>, [u8; NONCE])> {
        let bytes = B64.decode(text.trim_ascii()).ok()?;
        if bytes.len() < NONCE + 16 {
            return None;
        }
        let (nonce, sealed) = bytes.split_at(NONCE);
        let plain = self.cipher.decrypt(Nonce::from_slice(nonce), sealed).ok()?;
        Some((plain, nonce.try_into().ok()?))
    }
}

fn base32(bytes: &[u8]) -> String {
    let mut out = String::new();
    let (mut acc, mut bits) = (0u32, 0u32);
    for b in bytes {
        acc = (acc << 8) | u32::from(*b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(BASE32[((acc >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(BASE32[((acc << (5 - bits)) & 31) as usize]));
    }
    out
}

/// The last [`NONCES`] request nonces.
#[derive(Default)]
pub(super) struct Nonces {
    set: std::collections::HashSet<[u8; 24]>,
    order: std::collections::VecDeque<[u8; 24]>,
}

/// Request nonces remembered: 64 per phone in a full room.
const NONCES: usize = 65_536;

impl Nonces {
    /// Whether `n` is new; remembers it.
    pub(super) fn fresh(&mut self, n: [u8; 24]) -> bool {
        if !self.set.insert(n) {
            return false;
        }
        self.order.push_back(n);
        if self.order.len() > NONCES
            && let Some(old) = self.order.pop_front()
        {
            self.set.remove(&old);
        }
        true
    }
}

/// Every sealed answer is a whole number of these bytes long: which vote
/// was cast, or whether one was, cannot be told from its size.
pub const PAD: usize = 1024;

/// `text` (JSON) with spaces after it to a multiple of [`PAD`] bytes; a
/// JSON reader passes over them.
pub(super) fn padded(mut text: Vec<u8>) -> Vec<u8> {
    let len = text.len().div_ceil(PAD).max(1) * PAD;
    text.resize(len, b' ');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_sealed_opens_only_with_the_same_secret_and_unchanged() {
        let seal = Seal::new([7; SECRET_BYTES]);
        let text = seal.seal(b"{\"op\":\"vote\"}").unwrap();
        assert_eq!(seal.open(text.as_bytes()).unwrap(), b"{\"op\":\"vote\"}");
        assert!(!text.contains("vote"), "{text}");
        // Two seals of the same words differ (fresh nonces).
        assert_ne!(seal.seal(b"x").unwrap(), seal.seal(b"x").unwrap());
        let other = Seal::new([8; SECRET_BYTES]);
        assert_eq!(other.open(text.as_bytes()), None, "another room's key");
        let mut bytes = B64.decode(&text).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        assert_eq!(
            seal.open(B64.encode(&bytes).as_bytes()),
            None,
            "a changed byte"
        );
        for junk in ["", "not base64!", "AAAA", &"A".repeat(10_000)] {
            assert_eq!(seal.open(junk.as_bytes()), None, "{junk:.20}");
        }
    }

    #[test]
    fn the_fragment_is_26_characters_of_base32() {
        let f = Seal::new([0xff; SECRET_BYTES]).fragment();
        assert_eq!(f.len(), 26);
        assert_eq!(&f[..25], "7".repeat(25));
        assert_eq!(Seal::new([0; SECRET_BYTES]).fragment(), "a".repeat(26));
        // RFC 4648's own example, "foobar" → MZXW6YTBOI.
        assert_eq!(base32(b"foobar"), "mzxw6ytboi");
        let seal = Seal::new([42; SECRET_BYTES]);
        let back = Seal::from_fragment(&seal.fragment().to_uppercase()).unwrap();
        assert_eq!(back.fragment(), seal.fragment());
        assert!(Seal::from_fragment("abc").is_none());
    }
}
