//! A fast writer for the one-line RON that roundtable writes: byte for byte
//! what `ron::to_string` gives (its compact form, no extensions), several
//! times faster, into any `io::Write` in 64 KiB steps. Snapshot bodies are
//! written and checked with it (a snapshot of a million records is about
//! 120 MB of text, and `ron`'s serialiser writes it a character at a time).
//!
//! `ron` stays the reference: `tests::writes_what_ron_writes` and the replay
//! property test compare the two on every kind of value a session holds,
//! and a value this writer does not handle (bytes, 128-bit numbers) is an
//! error, on which callers use `ron` itself.

use serde::ser::{self, Serialize};
use std::fmt;
use std::io::Write;

#[derive(Debug)]
pub struct WriteError(String);

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for WriteError {}

impl ser::Error for WriteError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        WriteError(msg.to_string())
    }
}

type Result<T> = std::result::Result<T, WriteError>;

const STEP: usize = 1 << 16;

/// Writes `value` as compact RON into `out`.
pub fn to_writer<W: Write, T: Serialize + ?Sized>(out: W, value: &T) -> Result<()> {
    let mut w = Writer {
        buf: Vec::with_capacity(STEP),
        out,
    };
    value.serialize(&mut w)?;
    w.flush()
}

/// `value` as compact RON.
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Result<String> {
    let mut bytes = Vec::new();
    to_writer(&mut bytes, value)?;
    String::from_utf8(bytes).map_err(|e| WriteError(e.to_string()))
}

struct Writer<W: Write> {
    buf: Vec<u8>,
    out: W,
}

impl<W: Write> Writer<W> {
    fn push(&mut self, bytes: &[u8]) -> Result<()> {
        if self.buf.len() + bytes.len() > STEP {
            self.flush()?;
            if bytes.len() > STEP {
                return self
                    .out
                    .write_all(bytes)
                    .map_err(|e| WriteError(e.to_string()));
            }
        }
        self.buf.extend_from_slice(bytes);
        Ok(())
    }

    fn byte(&mut self, b: u8) -> Result<()> {
        if self.buf.len() == STEP {
            self.flush()?;
        }
        self.buf.push(b);
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        self.out
            .write_all(&self.buf)
            .map_err(|e| WriteError(e.to_string()))?;
        self.buf.clear();
        Ok(())
    }

    fn display(&mut self, v: impl fmt::Display) -> Result<()> {
        let mut s = [0u8; 48];
        let mut cursor = std::io::Cursor::new(&mut s[..]);
        write!(cursor, "{v}").map_err(|e| WriteError(e.to_string()))?;
        let n = cursor.position() as usize;
        self.push(&s[..n])
    }

    /// A field or variant name, as `ron` writes identifiers (`r#` before
    /// one that is not a plain identifier or is a RON keyword).
    fn ident(&mut self, name: &str) -> Result<()> {
        let plain = name
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            && ![
                "true", "false", "Some", "None", "inf", "inff32", "inff64", "NaN", "NaNf32",
                "NaNf64",
            ]
            .contains(&name);
        if !plain {
            if !name.is_ascii() {
                return Err(WriteError(format!("identifier {name:?}: left to ron")));
            }
            self.push(b"r#")?;
        }
        self.push(name.as_bytes())
    }

    /// A string as `ron` escapes it: each character's `escape_debug`. Runs
    /// of printable ASCII are copied whole; only the characters around them
    /// are escaped one by one.
    fn string(&mut self, v: &str) -> Result<()> {
        self.byte(b'"')?;
        let bytes = v.as_bytes();
        let mut run = 0;
        let mut i = 0;
        while i < bytes.len() {
            // Eight bytes at a time while none needs escaping.
            if let Some(word) = bytes.get(i..i + 8)
                && plain_word(u64::from_le_bytes(word.try_into().unwrap_or_default()))
            {
                i += 8;
                continue;
            }
            let b = bytes[i];
            if plain(b) {
                i += 1;
                continue;
            }
            self.push(&bytes[run..i])?;
            // A character boundary: everything before it was ASCII or a
            // whole character.
            let c = v[i..].chars().next().unwrap_or('\u{fffd}');
            let mut scalar = [0u8; 4];
            for e in c.escape_debug() {
                self.push(e.encode_utf8(&mut scalar).as_bytes())?;
            }
            i += c.len_utf8();
            run = i;
        }
        self.push(&bytes[run..])?;
        self.byte(b'"')
    }
}

/// A byte written as itself inside a string: printable ASCII other than
/// `"`, `\` and `'`.
fn plain(b: u8) -> bool {
    (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\' && b != b'\''
}

/// Whether all eight bytes of `w` are [`plain`], tested together: none
/// below 0x20, none at 0x7f or above, none equal to `"`, `'` or `\`.
fn plain_word(w: u64) -> bool {
    const ONES: u64 = u64::MAX / 255;
    const HIGH: u64 = ONES * 0x80;
    let below = |n: u64| w.wrapping_sub(ONES * n) & !w & HIGH;
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    // A byte of 0x7f or more: its top bit is set, or adding 1 sets it.
    let high = (w.wrapping_add(ONES) | w) & HIGH;
    below(0x20) | high | zero(w ^ (ONES * 0x22)) | zero(w ^ (ONES * 0x27)) | zero(w ^ (ONES * 0x5c))
        == 0
}

/// One compound value being written: whether a comma comes before the next
/// element, and what closes it.
pub struct Compound<'a, W: Write> {
    w: &'a mut Writer<W>,
    first: bool,
    close: u8,
}

impl<W: Write> Compound<'_, W> {
    fn sep(&mut self) -> Result<()> {
        if self.first {
            self.first = false;
            Ok(())
        } else {
            self.w.byte(b',')
        }
    }

    fn end(self) -> Result<()> {
        self.w.byte(self.close)
    }
}

fn unsupported<T>(what: &str) -> Result<T> {
    Err(WriteError(format!("{what}: left to ron")))
}

impl<'a, W: Write> ser::Serializer for &'a mut Writer<W> {
    type Ok = ();
    type Error = WriteError;
    type SerializeSeq = Compound<'a, W>;
    type SerializeTuple = Compound<'a, W>;
    type SerializeTupleStruct = Compound<'a, W>;
    type SerializeTupleVariant = Compound<'a, W>;
    type SerializeMap = Compound<'a, W>;
    type SerializeStruct = Compound<'a, W>;
    type SerializeStructVariant = Compound<'a, W>;

    fn serialize_bool(self, v: bool) -> Result<()> {
        self.push(if v { b"true" } else { b"false" })
    }
    fn serialize_i8(self, v: i8) -> Result<()> {
        self.display(v)
    }
    fn serialize_i16(self, v: i16) -> Result<()> {
        self.display(v)
    }
    fn serialize_i32(self, v: i32) -> Result<()> {
        self.display(v)
    }
    fn serialize_i64(self, v: i64) -> Result<()> {
        self.display(v)
    }
    fn serialize_u8(self, v: u8) -> Result<()> {
        self.display(v)
    }
    fn serialize_u16(self, v: u16) -> Result<()> {
        self.display(v)
    }
    fn serialize_u32(self, v: u32) -> Result<()> {
        self.display(v)
    }
    fn serialize_u64(self, v: u64) -> Result<()> {
        self.display(v)
    }
    fn serialize_f32(self, _: f32) -> Result<()> {
        unsupported("a float")
    }
    fn serialize_f64(self, _: f64) -> Result<()> {
        unsupported("a float")
    }
    fn serialize_char(self, v: char) -> Result<()> {
        self.byte(b'\'')?;
        if v == '\\' || v == '\'' {
            self.byte(b'\\')?;
        }
        let mut scalar = [0u8; 4];
        self.push(v.encode_utf8(&mut scalar).as_bytes())?;
        self.byte(b'\'')
    }
    fn serialize_str(self, v: &str) -> Result<()> {
        self.string(v)
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<()> {
        unsupported("bytes")
    }
    fn serialize_none(self) -> Result<()> {
        self.push(b"None")
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<()> {
        self.push(b"Some(")?;
        value.serialize(&mut *self)?;
        self.byte(b')')
    }
    fn serialize_unit(self) -> Result<()> {
        self.push(b"()")
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<()> {
        self.push(b"()")
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<()> {
        self.ident(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<()> {
        if name.starts_with("$ron::") {
            return unsupported("a raw RON value");
        }
        self.byte(b'(')?;
        value.serialize(&mut *self)?;
        self.byte(b')')
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<()> {
        self.ident(variant)?;
        self.byte(b'(')?;
        value.serialize(&mut *self)?;
        self.byte(b')')
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'a, W>> {
        self.byte(b'[')?;
        Ok(Compound {
            w: self,
            first: true,
            close: b']',
        })
    }
    fn serialize_tuple(self, _: usize) -> Result<Compound<'a, W>> {
        self.byte(b'(')?;
        Ok(Compound {
            w: self,
            first: true,
            close: b')',
        })
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Compound<'a, W>> {
        self.serialize_tuple(len)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Compound<'a, W>> {
        self.ident(variant)?;
        self.serialize_tuple(len)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'a, W>> {
        self.byte(b'{')?;
        Ok(Compound {
            w: self,
            first: true,
            close: b'}',
        })
    }
    fn serialize_struct(self, name: &'static str, len: usize) -> Result<Compound<'a, W>> {
        if matches!(
            name,
            "Range" | "RangeInclusive" | "RangeFrom" | "RangeTo" | "RangeToInclusive"
        ) {
            return unsupported("a range");
        }
        self.serialize_tuple(len)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Compound<'a, W>> {
        self.ident(variant)?;
        self.serialize_tuple(len)
    }
    fn serialize_i128(self, _: i128) -> Result<()> {
        unsupported("a 128-bit number")
    }
    fn serialize_u128(self, _: u128) -> Result<()> {
        unsupported("a 128-bit number")
    }
}

/// Sequences, tuples and tuple structs and variants: elements separated by
/// commas, whatever serde calls the method.
macro_rules! elements {
    ($($trait:ident :: $method:ident),*) => {$(
        impl<W: Write> ser::$trait for Compound<'_, W> {
            type Ok = ();
            type Error = WriteError;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
                self.sep()?;
                value.serialize(&mut *self.w)
            }
            fn end(self) -> Result<()> {
                Compound::end(self)
            }
        }
    )*};
}

elements!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl<W: Write> ser::SerializeMap for Compound<'_, W> {
    type Ok = ();
    type Error = WriteError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<()> {
        self.sep()?;
        key.serialize(&mut *self.w)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.w.byte(b':')?;
        value.serialize(&mut *self.w)
    }
    fn end(self) -> Result<()> {
        Compound::end(self)
    }
}

impl<W: Write> ser::SerializeStruct for Compound<'_, W> {
    type Ok = ();
    type Error = WriteError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        self.sep()?;
        self.w.ident(key)?;
        self.w.byte(b':')?;
        value.serialize(&mut *self.w)
    }
    fn end(self) -> Result<()> {
        Compound::end(self)
    }
}

impl<W: Write> ser::SerializeStructVariant for Compound<'_, W> {
    type Ok = ();
    type Error = WriteError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        ser::SerializeStruct::serialize_field(self, key, value)
    }
    fn end(self) -> Result<()> {
        Compound::end(self)
    }
}

#[cfg(test)]
mod plain_words {
    use super::*;

    /// The eight-at-a-time test agrees with the byte test for every byte in
    /// every position, among plain neighbours and among other bytes.
    #[test]
    fn agrees_with_the_byte_test_everywhere() {
        for b in 0..=255u8 {
            for pos in 0..8 {
                for fill in [b'a', b' ', b'~', 0x7f, 0x1f, 0x80, b'"'] {
                    let mut word = [fill; 8];
                    word[pos] = b;
                    let bytewise = word.iter().all(|&x| plain(x));
                    assert_eq!(plain_word(u64::from_le_bytes(word)), bytewise, "{word:?}");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    #[derive(Serialize)]
    struct Id(String);

    #[derive(Serialize)]
    enum Kind {
        Plain,
        Wrapped(u32),
        Pair(i64, bool),
        Named { r#type: String, at: Option<char> },
    }

    #[derive(Serialize)]
    struct All {
        id: Id,
        kinds: Vec<Kind>,
        map: std::collections::BTreeMap<String, (u8, Option<String>)>,
        unit: (),
        nothing: Option<u64>,
        negative: i32,
        text: String,
    }

    #[test]
    fn writes_what_ron_writes() {
        let texts = [
            "plain",
            "",
            "quote \" backslash \\ apostrophe '",
            "line\nbreak\r\ttab \u{b} bell \u{7}",
            "Café e\u{301} 😀 漢字 \u{202e}bidi \u{200b}",
            "None",
        ];
        for text in texts {
            let value = All {
                id: Id(text.into()),
                kinds: vec![
                    Kind::Plain,
                    Kind::Wrapped(7),
                    Kind::Pair(-3, true),
                    Kind::Named {
                        r#type: text.into(),
                        at: Some('\''),
                    },
                    Kind::Named {
                        r#type: String::new(),
                        at: Some('\\'),
                    },
                    Kind::Named {
                        r#type: String::new(),
                        at: None,
                    },
                ],
                map: [
                    (text.to_owned(), (1, Some(text.to_owned()))),
                    ("b".into(), (255, None)),
                ]
                .into_iter()
                .collect(),
                unit: (),
                nothing: None,
                negative: i32::MIN,
                text: text.into(),
            };
            assert_eq!(
                to_string(&value).unwrap(),
                ron::to_string(&value).unwrap(),
                "{text:?}"
            );
        }
    }
}
