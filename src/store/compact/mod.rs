//! A fast reader for the one-line RON that roundtable itself writes.
//!
//! Journal records and snapshot bodies are written by `ron` in its compact
//! form: no whitespace, no comments, structs as `(field:value,…)`, enums as
//! `Variant`, `Variant(…)` or `Variant(field:…)`, strings escaped as Rust's
//! `escape_debug` does. This reader accepts exactly that subset and nothing
//! more, several times faster than the general parser. Anything it does not
//! recognise (whitespace, comments, raw strings, floats, a value it cannot
//! place) is an error, and the caller then parses the same text with `ron`,
//! which either reads it or says precisely what is wrong. So this module
//! decides speed, never meaning: whatever it accepts, `ron` reads the same
//! way (`tests::reads_every_record_and_the_snapshot_as_ron_does` and the
//! replay property test check that).

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, EnumAccess, IntoDeserializer, MapAccess, SeqAccess,
    VariantAccess, Visitor,
};
use std::fmt;

mod two;
pub use two::session_in_two;

/// Deepest nesting this reader follows before giving the text to `ron`.
const MAX_DEPTH: usize = super::limits::MAX_DEPTH;

/// Not this reader's subset; the text goes to `ron` for the real answer.
#[derive(Debug)]
pub struct NotCompact;

impl fmt::Display for NotCompact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not compact RON")
    }
}

impl std::error::Error for NotCompact {}

impl de::Error for NotCompact {
    fn custom<T: fmt::Display>(_: T) -> Self {
        NotCompact
    }
}

type Result<T> = std::result::Result<T, NotCompact>;

/// Reads one value that must fill the whole text.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T> {
    let mut r = Reader::new(text);
    let value = T::deserialize(&mut r)?;
    if r.pos == r.bytes.len() {
        Ok(value)
    } else {
        Err(NotCompact)
    }
}

struct Reader<'de> {
    bytes: &'de [u8],
    text: &'de str,
    pos: usize,
    depth: usize,
    /// Where another thread reads the rest of a map instead.
    hand_off: Option<HandOff>,
}

/// At byte `at`, the start of a map entry's key, the rest of that map is
/// another reader's: it sends where the map's closing `}` is once it has
/// read them (or `None`, when it could not), and this reader carries on
/// from there.
struct HandOff {
    at: usize,
    resume: std::sync::mpsc::Receiver<Option<usize>>,
    taken: bool,
}

impl<'de> Reader<'de> {
    fn new(text: &'de str) -> Self {
        Reader {
            bytes: text.as_bytes(),
            text,
            pos: 0,
            depth: 0,
            hand_off: None,
        }
    }

    /// Whether this is where the rest of the map is another reader's; if
    /// so, waits for it and moves to the map's end.
    fn handed_off(&mut self) -> Result<bool> {
        let Some(h) = self
            .hand_off
            .as_mut()
            .filter(|h| !h.taken && h.at == self.pos)
        else {
            return Ok(false);
        };
        h.taken = true;
        self.pos = h.resume.recv().ok().flatten().ok_or(NotCompact)?;
        Ok(true)
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, b: u8) -> Result<()> {
        if self.eat(b) { Ok(()) } else { Err(NotCompact) }
    }

    fn eat_word(&mut self, word: &[u8]) -> bool {
        let end = self.pos + word.len();
        let followed_by_ident = self
            .bytes
            .get(end)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_');
        if self.bytes.get(self.pos..end) == Some(word) && !followed_by_ident {
            self.pos = end;
            true
        } else {
            false
        }
    }

    fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            Err(NotCompact)
        } else {
            Ok(())
        }
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    fn ident(&mut self) -> Result<&'de str> {
        let start = self.pos;
        match self.peek() {
            Some(b) if b.is_ascii_alphabetic() || b == b'_' => self.pos += 1,
            _ => return Err(NotCompact),
        }
        while self
            .peek()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            self.pos += 1;
        }
        // Only ASCII was consumed, so these are character boundaries.
        Ok(&self.text[start..self.pos])
    }

    fn unsigned(&mut self) -> Result<u64> {
        let start = self.pos;
        let mut n: u64 = 0;
        while let Some(d) = self.peek().filter(u8::is_ascii_digit) {
            n = n
                .checked_mul(10)
                .and_then(|n| n.checked_add(u64::from(d - b'0')))
                .ok_or(NotCompact)?;
            self.pos += 1;
        }
        let digits = self.pos - start;
        // ron writes no leading zeros, signs or suffixes; leave those to it.
        if digits == 0 || (digits > 1 && self.bytes[start] == b'0') {
            return Err(NotCompact);
        }
        if matches!(
            self.peek(),
            Some(b'.' | b'e' | b'E' | b'_' | b'i' | b'u' | b'f')
        ) {
            return Err(NotCompact);
        }
        Ok(n)
    }

    fn signed(&mut self) -> Result<i64> {
        if self.eat(b'-') {
            let n = self.unsigned()?;
            0i64.checked_sub_unsigned(n).ok_or(NotCompact)
        } else {
            i64::try_from(self.unsigned()?).map_err(|_| NotCompact)
        }
    }

    /// A string literal: borrowed when it has no escapes.
    fn string(&mut self) -> Result<Text<'de>> {
        self.expect(b'"')?;
        let start = self.pos;
        self.skip_to_quote_or_backslash();
        match self.peek() {
            None => return Err(NotCompact),
            Some(b'"') => {
                let s = &self.text[start..self.pos];
                self.pos += 1;
                return Ok(Text::Borrowed(s));
            }
            Some(_) => {}
        }
        let mut owned = String::with_capacity(self.pos - start + 16);
        owned.push_str(&self.text[start..self.pos]);
        loop {
            let run = self.pos;
            self.skip_to_quote_or_backslash();
            // `"` and `\` are ASCII, so the run ends on a character boundary.
            owned.push_str(&self.text[run..self.pos]);
            match self.peek() {
                None => return Err(NotCompact),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(Text::Owned(owned));
                }
                _ => {
                    self.pos += 1;
                    owned.push(self.escape()?);
                }
            }
        }
    }

    /// Moves to the next `"` or `\`, or to the end.
    fn skip_to_quote_or_backslash(&mut self) {
        let rest = self.bytes.get(self.pos..).unwrap_or_default();
        self.pos += memchr::memchr2(b'"', b'\\', rest).unwrap_or(rest.len());
    }

    /// The character after a backslash, as `escape_debug` writes it.
    fn escape(&mut self) -> Result<char> {
        let b = self.peek().ok_or(NotCompact)?;
        self.pos += 1;
        Ok(match b {
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'0' => '\0',
            b'\\' => '\\',
            b'"' => '"',
            b'\'' => '\'',
            b'u' => {
                self.expect(b'{')?;
                let start = self.pos;
                while self.peek().is_some_and(|b| b.is_ascii_hexdigit()) {
                    self.pos += 1;
                }
                let digits = &self.text[start..self.pos];
                if digits.is_empty() || digits.len() > 6 {
                    return Err(NotCompact);
                }
                self.expect(b'}')?;
                u32::from_str_radix(digits, 16)
                    .ok()
                    .and_then(char::from_u32)
                    .ok_or(NotCompact)?
            }
            _ => return Err(NotCompact),
        })
    }

    /// Whether another item follows before `close` (which it consumes),
    /// items being separated by commas, a trailing comma allowed.
    fn more(&mut self, close: u8, first: &mut bool) -> Result<bool> {
        if self.eat(close) {
            return Ok(false);
        }
        if !std::mem::take(first) {
            self.expect(b',')?;
            if self.eat(close) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// The elements between `open` and `close`, handed to `visit` as a
    /// sequence (a list or tuple) or a map (a map or a struct's fields). A
    /// visitor that knows its length (an array, a tuple) stops asking before
    /// the bracket, so the end is checked here: more elements than it wanted
    /// is not compact.
    fn between<T>(
        &mut self,
        open: u8,
        close: u8,
        visit: impl FnOnce(&mut Elements<'_, 'de>) -> Result<T>,
    ) -> Result<T> {
        self.expect(open)?;
        self.enter()?;
        let mut elements = Elements {
            r: self,
            close,
            first: true,
            done: false,
        };
        let value = visit(&mut elements)?;
        if !elements.done && elements.r.more(close, &mut elements.first)? {
            return Err(NotCompact);
        }
        self.leave();
        Ok(value)
    }
}

enum Text<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl<'de> Text<'de> {
    fn visit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self {
            Text::Borrowed(s) => visitor.visit_borrowed_str(s),
            Text::Owned(s) => visitor.visit_string(s),
        }
    }
}

macro_rules! unsigned {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            visitor.visit_u64(self.unsigned()?)
        }
    )*};
}

macro_rules! signed {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            visitor.visit_i64(self.signed()?)
        }
    )*};
}

macro_rules! refuse {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, _: V) -> Result<V::Value> {
            Err(NotCompact)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for &mut Reader<'de> {
    type Error = NotCompact;

    unsigned!(deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64);
    signed!(deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64);
    refuse!(deserialize_any deserialize_f32 deserialize_f64 deserialize_char
        deserialize_bytes deserialize_byte_buf deserialize_ignored_any);

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if self.eat_word(b"true") {
            visitor.visit_bool(true)
        } else if self.eat_word(b"false") {
            visitor.visit_bool(false)
        } else {
            Err(NotCompact)
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.string()?.visit(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.string()?.visit(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if self.eat_word(b"None") {
            visitor.visit_none()
        } else if self.bytes[self.pos..].starts_with(b"Some(") {
            self.pos += 5;
            self.enter()?;
            let value = visitor.visit_some(&mut *self)?;
            self.leave();
            self.expect(b')')?;
            Ok(value)
        } else {
            // ron's implicit `Some`, as `parse_ron` allows.
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.expect(b'(')?;
        self.expect(b')')?;
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        self.expect(b'(')?;
        self.enter()?;
        let value = visitor.visit_newtype_struct(&mut *self)?;
        self.leave();
        self.expect(b')')?;
        Ok(value)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.between(b'[', b']', |e| visitor.visit_seq(e))
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value> {
        self.between(b'(', b')', |e| visitor.visit_seq(e))
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_tuple(len, visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.between(b'{', b'}', |e| visitor.visit_map(e))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.between(b'(', b')', |e| visitor.visit_map(e))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.enter()?;
        let value = visitor.visit_enum(&mut *self)?;
        self.leave();
        Ok(value)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_borrowed_str(self.ident()?)
    }
}

/// The elements of a list or tuple, the entries of a map (`{"key":value}`)
/// or the fields of a struct (`(field:value)`).
struct Elements<'a, 'de> {
    r: &'a mut Reader<'de>,
    close: u8,
    first: bool,
    done: bool,
}

impl Elements<'_, '_> {
    /// Whether another element follows (its separator read); at the close,
    /// none does, and none is asked for again.
    fn next(&mut self) -> Result<bool> {
        if self.done || !self.r.more(self.close, &mut self.first)? {
            self.done = true;
            return Ok(false);
        }
        Ok(true)
    }
}

impl<'de> SeqAccess<'de> for &mut Elements<'_, 'de> {
    type Error = NotCompact;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        if !self.next()? {
            return Ok(None);
        }
        seed.deserialize(&mut *self.r).map(Some)
    }
}

impl<'de> MapAccess<'de> for &mut Elements<'_, 'de> {
    type Error = NotCompact;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        if !self.next()? {
            return Ok(None);
        }
        if self.r.handed_off()? {
            // The other reader stopped at this map's closing bracket.
            self.r.expect(self.close)?;
            self.done = true;
            return Ok(None);
        }
        let key = seed.deserialize(&mut *self.r)?;
        self.r.expect(b':')?;
        Ok(Some(key))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        seed.deserialize(&mut *self.r)
    }
}

impl<'de> EnumAccess<'de> for &mut Reader<'de> {
    type Error = NotCompact;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self)> {
        let name = self.ident()?;
        let value = seed.deserialize(IntoDeserializer::<NotCompact>::into_deserializer(name))?;
        Ok((value, self))
    }
}

impl<'de> VariantAccess<'de> for &mut Reader<'de> {
    type Error = NotCompact;

    fn unit_variant(self) -> Result<()> {
        // `Variant()` is ron's too, but roundtable never writes it.
        if self.peek() == Some(b'(') {
            Err(NotCompact)
        } else {
            Ok(())
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value> {
        self.expect(b'(')?;
        let value = seed.deserialize(&mut *self)?;
        self.expect(b')')?;
        Ok(value)
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value> {
        de::Deserializer::deserialize_tuple(self, len, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        de::Deserializer::deserialize_struct(self, "", fields, visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Event, Session, Timestamp};
    use crate::store::record::Record;

    const EXAMPLE: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/sessions/2026-03-14-cag-findings"
    );

    fn ron_reads<T: DeserializeOwned>(text: &str) -> T {
        ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
            .from_str(text)
            .unwrap()
    }

    #[test]
    fn reads_every_record_and_the_snapshot_as_ron_does() {
        let journal = std::fs::read_to_string(format!("{EXAMPLE}/journal.ron")).unwrap();
        for (n, line) in journal.lines().enumerate() {
            let fast: Record = from_str(line).unwrap_or_else(|_| panic!("line {}", n + 1));
            assert_eq!(fast, ron_reads::<Record>(line), "line {}", n + 1);
        }
        let snapshot = std::fs::read_to_string(format!("{EXAMPLE}/snapshot.ron")).unwrap();
        let body = snapshot.lines().nth(1).unwrap();
        let fast: Session = from_str(body).unwrap();
        assert_eq!(fast, ron_reads::<Session>(body));
        // The fixed-length `voices` tuple closes the session: it is read whole.
        assert_eq!(fast.voices, ron_reads::<Session>(body).voices);
    }

    #[test]
    fn strings_with_every_escape_come_back_whole() {
        for text in [
            "plain",
            "",
            "a \"quoted\" word, a back\\slash",
            "line\nbreak\r\ttab\0nul",
            "it's",
            "\u{1b}[31m escape \u{7f} \u{200b} \u{301}accent",
            "emoji 👩‍⚕️ and 日本語",
        ] {
            let written = ron::to_string(&text.to_owned()).unwrap();
            assert_eq!(from_str::<String>(&written).unwrap(), text, "{written}");
        }
    }

    #[test]
    fn events_of_every_shape_read_back_the_same() {
        let at = Timestamp::from_unix_millis(1_700_000_000_000);
        let events = [
            Event::SessionCreated {
                title: "A, (tricky) [title]: {x}".into(),
                focus: "Why?".into(),
                facilitator: "Sam".into(),
                created: at,
                template: None,
            },
            Event::ClockNoted {
                wall: at,
                session: at,
            },
        ];
        for e in events {
            let written = ron::to_string(&e).unwrap();
            assert_eq!(from_str::<Event>(&written).unwrap(), e, "{written}");
        }
        assert_eq!(
            from_str::<Vec<(u32, i64)>>("[(1,-2),(3,4),]").unwrap(),
            vec![(1, -2), (3, 4)]
        );
        assert_eq!(from_str::<Option<u8>>("Some(7)").unwrap(), Some(7));
        assert_eq!(
            from_str::<Option<u8>>("7").unwrap(),
            Some(7),
            "implicit Some"
        );
        assert_eq!(from_str::<Option<u8>>("None").unwrap(), None);
        assert_eq!(from_str::<i64>(&i64::MIN.to_string()).unwrap(), i64::MIN);
    }

    #[test]
    fn anything_else_is_left_to_ron() {
        for text in [
            "( seq:1)",
            "/* c */1",
            "1 ",
            "1)",
            "01",
            "1.5",
            "1u8",
            "+1",
            "256",
            "r\"raw\"",
            "\"unterminated",
            "\"bad \\q escape\"",
            "\"\\u{110000}\"",
            "[1,,2]",
            "(1,2,3)",
            "Some(1",
        ] {
            let parsed: Result<Vec<u8>> = from_str(text);
            let as_u8: Result<u8> = from_str(text);
            let as_string: Result<String> = from_str(text);
            let as_option: Result<Option<u8>> = from_str(text);
            let as_pair: Result<(u8, u8)> = from_str(text);
            assert!(
                parsed.is_err()
                    && as_u8.is_err()
                    && as_string.is_err()
                    && as_option.is_err()
                    && as_pair.is_err(),
                "{text} was taken"
            );
        }
        // Unknown fields and variants go to ron, which names them.
        let line = std::fs::read_to_string(format!("{EXAMPLE}/journal.ron")).unwrap();
        let first = line.lines().next().unwrap();
        assert!(from_str::<Record>(&first.replace("actor:", "acter:")).is_err());
        assert!(from_str::<Record>(&first.replace("SessionCreated", "SessionMade")).is_err());
    }

    #[test]
    fn deep_nesting_is_refused_without_recursing_far() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(from_str::<Vec<Vec<u8>>>(&deep).is_err());
        let deep_options = format!("{}1{}", "Some(".repeat(100_000), ")".repeat(100_000));
        assert!(from_str::<Option<u8>>(&deep_options).is_err());
    }
}
