//! One journal record per line:
//!
//! `(seq:1,prev:"<64 hex>",at:"<RFC 3339>",actor:"…",event:…,hash:"<64 hex>")`
//!
//! `hash` is the SHA-256 of every byte of the line before `,hash:"`, so the
//! line can be checked without re-serialising anything, and `prev` chains
//! each record to the one before it.

use super::limits::MAX_LINE;
use super::ron_text::parse_fast;
use crate::domain::{Event, Timestamp};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The `prev` of the first record.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
const HASH_TAG: &str = ",hash:\"";
const HASH_HEX: usize = 64;
/// `,hash:"` + 64 hex digits + `")`.
const SUFFIX_LEN: usize = HASH_TAG.len() + HASH_HEX + 2;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    pub seq: u64,
    pub prev: Hex64,
    pub at: Timestamp,
    pub actor: Actor,
    pub event: Event,
    pub hash: Hex64,
}

/// A record's hash or `prev`: 64 ASCII characters kept inline, so reading
/// a million records allocates nothing for them. Which characters they are
/// is checked where they are compared with the line.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Hex64([u8; HASH_HEX]);

impl Hex64 {
    pub fn as_str(&self) -> &str {
        // Only ASCII is ever stored (see `Deserialize`).
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl std::fmt::Debug for Hex64 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq<str> for Hex64 {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<String> for Hex64 {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl Serialize for Hex64 {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Hex64 {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Hex64;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                write!(f, "{HASH_HEX} hexadecimal digits")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Hex64, E> {
                match <[u8; HASH_HEX]>::try_from(v.as_bytes()) {
                    Ok(b) if b.is_ascii() => Ok(Hex64(b)),
                    _ => Err(E::custom(format!("not {HASH_HEX} hexadecimal digits"))),
                }
            }
        }
        d.deserialize_str(V)
    }
}

/// Who appended a record. A name of up to [`Actor::INLINE`] bytes (every
/// one roundtable writes in practice) is kept inside the record: a replay
/// parses records on one thread and drops them on another, and a million
/// small strings freed away from the thread that made them cost a tenth of
/// a second.
#[derive(Clone, PartialEq, Eq)]
pub struct Actor(ActorText);

#[derive(Clone, PartialEq, Eq)]
enum ActorText {
    Inline(u8, [u8; Actor::INLINE]),
    Long(Box<str>),
}

impl Actor {
    pub const INLINE: usize = 30;

    pub fn as_str(&self) -> &str {
        match &self.0 {
            // Only whole `str`s are stored (see `From<&str>`).
            ActorText::Inline(len, bytes) => {
                std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default()
            }
            ActorText::Long(s) => s,
        }
    }
}

impl From<&str> for Actor {
    fn from(s: &str) -> Self {
        let mut bytes = [0u8; Actor::INLINE];
        match bytes.get_mut(..s.len()) {
            Some(inline) => {
                inline.copy_from_slice(s.as_bytes());
                Actor(ActorText::Inline(s.len() as u8, bytes))
            }
            None => Actor(ActorText::Long(s.into())),
        }
    }
}

impl std::ops::Deref for Actor {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Display for Actor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

impl std::fmt::Debug for Actor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq<str> for Actor {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl Serialize for Actor {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Actor {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Actor;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a name")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Actor, E> {
                Ok(Actor::from(v))
            }
        }
        d.deserialize_str(V)
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Whether `hex` (lowercase) spells `digest`, without building a string.
fn digest_is(digest: &[u8], hex: &[u8]) -> bool {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    digest.len() * 2 == hex.len()
        && digest.iter().zip(hex.chunks_exact(2)).all(|(b, h)| {
            h[0] == DIGITS[usize::from(b >> 4)] && h[1] == DIGITS[usize::from(b & 15)]
        })
}

/// Writes a record as one line (with its newline) and returns it with its hash.
pub fn encode(
    seq: u64,
    prev: &str,
    at: Timestamp,
    actor: &str,
    event: &Event,
) -> Result<(String, String), String> {
    let actor_ron = ron::to_string(actor).map_err(|e| e.to_string())?;
    let event_ron = ron::to_string(event).map_err(|e| e.to_string())?;
    let body =
        format!("(seq:{seq},prev:\"{prev}\",at:\"{at}\",actor:{actor_ron},event:{event_ron}");
    let hash = sha256_hex(body.as_bytes());
    let line = format!("{body}{HASH_TAG}{hash}\")\n");
    if line.len() > MAX_LINE {
        return Err(format!(
            "the record would be {} bytes; a record may be at most {MAX_LINE}",
            line.len()
        ));
    }
    // Nothing is written that a reader would take differently, or not at
    // all (a time outside the years 0000 to 9999 has no RFC 3339 form).
    let back = parse_checked(&line.as_bytes()[..line.len() - 1])
        .map_err(|why| format!("it would not read back: {why}"))?;
    if back.event != *event || *back.actor != *actor || back.at != at {
        return Err("it would not read back exactly as it was given".into());
    }
    Ok((line, hash))
}

/// Checks a line's own hash (newline already removed), without parsing the
/// event. Returns the hash.
pub fn check_hash(line: &[u8]) -> Result<&str, String> {
    let hash = check_hash_bytes(line)?;
    std::str::from_utf8(hash).map_err(|_| NOT_A_HASH.into())
}

const NOT_A_HASH: &str = "it does not end with a record hash (cut short, or not a record)";

/// [`check_hash`], the hash as the line's bytes: 64 lowercase hex digits
/// when it checks out.
pub(crate) fn check_hash_bytes(line: &[u8]) -> Result<&[u8], String> {
    if line.len() < SUFFIX_LEN || !line.ends_with(b"\")") {
        return Err(NOT_A_HASH.into());
    }
    let split = line.len() - SUFFIX_LEN;
    let (body, suffix) = line.split_at(split);
    let hash = suffix
        .strip_prefix(HASH_TAG.as_bytes())
        .and_then(|s| s.get(..HASH_HEX))
        .ok_or(NOT_A_HASH)?;
    // A match means `hash` is 64 lowercase hex digits; only a mismatch
    // needs telling apart from a malformed hash.
    if !digest_is(&Sha256::digest(body), hash) {
        let well_formed = hash
            .iter()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase());
        return Err(if well_formed {
            "record hash does not match its content (edited or corrupted)".into()
        } else {
            NOT_A_HASH.into()
        });
    }
    Ok(hash)
}

/// Reads `seq` and `prev` from the start of a line whose hash checked out,
/// without parsing the event.
pub fn header(line: &[u8]) -> Result<(u64, &str), String> {
    let (seq, prev) = header_bytes(line)?;
    let prev = std::str::from_utf8(prev).map_err(|_| bad_header())?;
    Ok((seq, prev))
}

fn bad_header() -> String {
    "it does not start with `(seq:N,prev:\"…\"`".to_string()
}

/// [`header`], `prev` as the line's 64 bytes (not checked to be hex).
pub(crate) fn header_bytes(line: &[u8]) -> Result<(u64, &[u8]), String> {
    let rest = line.strip_prefix(b"(seq:").ok_or_else(bad_header)?;
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || digits > 19 {
        return Err(bad_header());
    }
    // At most 19 digits: no overflow.
    let seq = rest[..digits]
        .iter()
        .fold(0u64, |n, d| n * 10 + u64::from(d - b'0'));
    let rest = rest[digits..]
        .strip_prefix(b",prev:\"")
        .ok_or_else(bad_header)?;
    let prev = rest.get(..HASH_HEX).ok_or_else(bad_header)?;
    if rest.get(HASH_HEX) != Some(&b'"') {
        return Err(bad_header());
    }
    Ok((seq, prev))
}

/// Fully checks and parses one line (newline removed).
pub fn decode(line: &[u8]) -> Result<Record, String> {
    check_hash(line)?;
    parse_checked(line)
}

/// Parses a line whose hash has been checked, and makes sure the parsed
/// record says what the line's text does: its `seq` and `prev` are those
/// [`header`] reads, and its `hash` is the one at the end of the line.
pub fn parse_checked(line: &[u8]) -> Result<Record, String> {
    let text = std::str::from_utf8(line)
        .map_err(|e| format!("not valid UTF-8 (byte {})", e.valid_up_to() + 1))?;
    let record: Record = parse_fast(text)
        .map_err(|p| format!("not a valid record at column {}: {}", p.col, p.reason))?;
    let at_end = text
        .len()
        .checked_sub(HASH_HEX + 2)
        .and_then(|start| text.get(start..start + HASH_HEX));
    if at_end != Some(record.hash.as_str()) {
        return Err("record hash field is not the one at the end of the line".into());
    }
    if header(line)? != (record.seq, record.prev.as_str()) {
        return Err("record fields are not the ones at the start of the line".into());
    }
    Ok(record)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Event;

    fn sample() -> Event {
        Event::SessionCreated {
            title: "A \"quoted\" title,\nwith a newline".into(),
            focus: "What matters?".into(),
            facilitator: "Sam".into(),
            created: Timestamp::from_unix_millis(0),
            template: None,
        }
    }

    #[test]
    fn a_record_is_one_line_and_round_trips() {
        let (line, hash) = encode(
            1,
            GENESIS,
            Timestamp::from_unix_millis(5),
            "facilitator",
            &sample(),
        )
        .unwrap();
        assert_eq!(line.matches('\n').count(), 1);
        assert!(line.ends_with("\")\n"));
        let r = decode(line.trim_end_matches('\n').as_bytes()).unwrap();
        assert_eq!(r.seq, 1);
        assert_eq!(r.hash, hash);
        assert_eq!(r.event, sample());
        assert_eq!(header(line.as_bytes()).unwrap(), (1, GENESIS));
    }

    #[test]
    fn a_hash_is_64_ascii_characters_kept_inline() {
        let h: Hex64 = ron::from_str(&format!("\"{GENESIS}\"")).unwrap();
        assert_eq!(h, *GENESIS);
        assert_eq!(ron::to_string(&h).unwrap(), format!("\"{GENESIS}\""));
        for bad in [
            "\"abc\"".to_owned(),
            format!("\"{GENESIS}0\""),
            format!("\"{}é\"", &GENESIS[..62]),
        ] {
            assert!(ron::from_str::<Hex64>(&bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn an_actor_reads_back_as_written_short_or_long() {
        let long = "n".repeat(Actor::INLINE) + "é";
        for name in ["", "f", "note-taker: Ayesha", &long[..Actor::INLINE], &long] {
            let (line, _) =
                encode(1, GENESIS, Timestamp::from_unix_millis(5), name, &sample()).unwrap();
            let r = decode(line.trim_end_matches('\n').as_bytes()).unwrap();
            assert_eq!(r.actor.as_str(), name);
            assert_eq!(format!("[{:<3}]", r.actor), format!("[{name:<3}]"));
        }
    }

    #[test]
    fn any_changed_byte_is_caught() {
        let (line, _) = encode(7, GENESIS, Timestamp::from_unix_millis(5), "n", &sample()).unwrap();
        let line = line.trim_end_matches('\n').as_bytes().to_vec();
        for i in 0..line.len() {
            let mut bad = line.clone();
            bad[i] = bad[i].wrapping_add(1);
            assert!(decode(&bad).is_err(), "byte {i} changed unnoticed");
        }
    }
}
