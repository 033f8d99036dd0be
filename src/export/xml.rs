//! XML for the REFI-QDA project: elements written by quick-xml, which
//! escapes, after leaving out what XML 1.0 cannot hold.

use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event as Xml};
use sha2::{Digest, Sha256};

/// What XML 1.0 can hold: the characters it forbids (C0 controls other
/// than tab, LF and CR; U+FFFE, U+FFFF) left out.
pub(super) fn xml_chars(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}'))
        .collect()
}

/// One element, written by quick-xml, which escapes its attribute values;
/// `inner` is content made by [`el`] and [`text`] only, so every element
/// is closed where it was opened. Attribute values are one line (a reader's
/// attribute normalisation turns tab, LF and CR into spaces anyway).
pub(super) fn el(name: &str, attrs: &[(&str, &str)], inner: &str) -> String {
    let values: Vec<String> = attrs
        .iter()
        .map(|(_, v)| xml_chars(v).replace(['\t', '\n', '\r'], " "))
        .collect();
    let mut start = BytesStart::new(name);
    for ((key, _), value) in attrs.iter().zip(&values) {
        start.push_attribute((*key, value.as_str()));
    }
    let mut w = quick_xml::Writer::new(Vec::new());
    // Writing into memory cannot fail.
    let _ = if inner.is_empty() {
        w.write_event(Xml::Empty(start))
    } else {
        w.write_event(Xml::Start(start))
            .and_then(|()| w.write_event(Xml::Text(BytesText::from_escaped(inner))))
            .and_then(|()| w.write_event(Xml::End(BytesEnd::new(name))))
    };
    String::from_utf8(w.into_inner()).unwrap_or_default()
}

/// Element text, escaped by quick-xml, with LF line ends (a reader turns
/// CR into LF anyway).
pub(super) fn text(s: &str) -> String {
    quick_xml::escape::escape(lf(&xml_chars(s)).as_ref()).into_owned()
}

/// A `<Description>`.
pub(super) fn description(s: &str) -> String {
    el("Description", &[], &text(s))
}

/// Elements one per line, with a line before and after.
pub(super) fn lines(elements: &[String]) -> String {
    format!("\n{}\n", elements.join("\n"))
}

/// Line ends as LF: a reader that opens the transcript in text mode turns
/// CRLF and CR into LF, and positions counted before that would drift.
pub(super) fn lf(s: &str) -> std::borrow::Cow<'_, str> {
    crate::safe::breaks(s)
}

/// A GUID that is the same every time the same session is exported: a hash
/// of the session's identity and the object's kind and id.
pub fn guid(session_key: &str, kind: &str, id: &str) -> String {
    let h = Sha256::digest(format!("{session_key}\u{0}{kind}\u{0}{id}").as_bytes());
    let mut b: [u8; 16] = [0; 16];
    b.copy_from_slice(&h[..16]);
    // Shaped as a name-based UUID (version 5 bits, RFC 4122 variant).
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let x = hex::encode(b);
    format!(
        "{}-{}-{}-{}-{}",
        &x[0..8],
        &x[8..12],
        &x[12..16],
        &x[16..20],
        &x[20..32]
    )
}
