//! A large session body read by two threads: one reads the statements
//! from about the middle of the line to the end of their map, the other
//! everything else, waiting for the first where they meet.

use super::{HandOff, NotCompact, Reader, Result};
use serde::de::DeserializeOwned;

/// The entries of a map from byte `at` (the start of an entry's key) to
/// its closing `}`, read as `depth` deep: the entries, and where the `}` is.
fn entries_from<K: DeserializeOwned, V: DeserializeOwned>(
    text: &str,
    at: usize,
    depth: usize,
) -> Result<(Vec<(K, V)>, usize)> {
    let mut r = Reader::new(text);
    r.pos = at;
    r.depth = depth;
    let mut out = Vec::new();
    loop {
        let key = K::deserialize(&mut r)?;
        r.expect(b':')?;
        out.push((key, V::deserialize(&mut r)?));
        if r.peek() == Some(b'}') || (r.eat(b',') && r.peek() == Some(b'}')) {
            return Ok((out, r.pos));
        }
    }
}

/// Where a session body's statements can be split between two readers:
/// the start of a statement entry's key near `from`. The pattern
/// `,"K":(id:"K",stage:` cannot lie inside a string (its quotes are not
/// escaped, and a closing quote is never followed by an id's first
/// character), and only a statement starts `(id:…,stage:`.
fn statement_entry_after(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let id_char = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.');
    for i in memchr::memmem::find_iter(bytes.get(from..)?, b"\":(id:\"").map(|i| i + from) {
        let key_len = bytes[..i].iter().rev().take_while(|b| id_char(b)).count();
        let key_start = i - key_len;
        if key_len == 0 || key_len > crate::domain::ids::MAX_ID_LEN || key_start < 2 {
            continue;
        }
        if &bytes[key_start - 2..key_start] != b",\"" {
            continue;
        }
        let after = &bytes[i + 7..];
        let key = &bytes[key_start..i];
        if after.starts_with(key) && after[key.len()..].starts_with(b"\",stage:") {
            return Some(key_start - 1);
        }
    }
    None
}

/// Reads a session body with two threads: the statements from about the
/// middle of the text to the end of their map on one, everything else on
/// the other, which waits for the first at the point where they meet.
/// Anything unexpected is `NotCompact`, and the caller reads it the
/// ordinary way.
pub fn session_in_two(text: &str) -> Result<crate::domain::Session> {
    use crate::domain::{Statement, StatementId};
    let at = statement_entry_after(text, text.len() * 2 / 5).ok_or(NotCompact)?;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::scope(|scope| {
        let tail = scope.spawn(move || {
            let read = entries_from::<StatementId, Box<Statement>>(text, at, 2);
            let _ = tx.send(read.as_ref().ok().map(|(_, end)| *end));
            read
        });
        let mut r = Reader::new(text);
        r.hand_off = Some(HandOff {
            at,
            resume: rx,
            taken: false,
        });
        let head = <crate::domain::Session as serde::Deserialize>::deserialize(&mut r);
        let whole = r.pos == r.bytes.len();
        let taken = r.hand_off.as_ref().is_some_and(|h| h.taken);
        let tail = tail.join().map_err(|_| NotCompact)?;
        match (head, tail) {
            (Ok(mut session), Ok((entries, _))) if whole && taken => {
                // One growth to the final size (extend alone reserves half).
                session.statements.reserve(entries.len());
                session.statements.extend(entries);
                Ok(session)
            }
            _ => Err(NotCompact),
        }
    })
}
