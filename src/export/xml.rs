//! XML for the REFI-QDA project: elements written by quick-xml, which
//! escapes, after leaving out what XML 1.0 cannot hold.

use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event as Xml};

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
