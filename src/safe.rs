//! Untrusted text made safe to show on a terminal.
//!
//! Statements, titles, names and file contents come from people, files and
//! other machines. Written raw, an escape sequence in them would act on the
//! viewer's terminal: OSC 52 writes the clipboard, OSC 0 retitles the
//! window, CSI 2J clears the screen, and bidirectional overrides make text
//! read differently from what it is. Everything that prints or draws such
//! text goes through [`text`] or [`line`], which show these characters
//! visibly instead (`␛]52;…`, `\u{202e}`) and never pass them through.

use std::borrow::Cow;

/// Whether `c` would act on a terminal, or change how the text around it
/// reads, rather than just being shown.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() // C0 (escape, bell, backspace …), DEL and C1 (CSI 0x9b …)
        || matches!(c,
            '\u{200e}' | '\u{200f}' | '\u{061c}' // directional marks
            | '\u{202a}'..='\u{202e}'            // embeddings and overrides
            | '\u{2066}'..='\u{2069}'            // isolates
            | '\u{2028}' | '\u{2029}'            // line and paragraph separators
            | '\u{feff}'                         // a byte-order mark inside text
        )
}

/// Text whose directional controls are balanced, for a file whose reader
/// lays it out (Markdown): an embedding or override (U+202A–U+202E) left
/// open is closed with U+202C, an isolate (U+2066–U+2068) with U+2069, at
/// each line break and at the end, so what someone typed cannot reverse
/// what follows it (an exporter's "(amended)" read as "(dednema)"); a
/// closer with nothing open is left out.
pub fn balance_bidi(s: &str) -> Cow<'_, str> {
    if !s
        .chars()
        .any(|c| matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
    {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    // What is open, innermost last: true for an isolate.
    let mut open: Vec<bool> = Vec::new();
    let close_all = |open: &mut Vec<bool>, out: &mut String| {
        while let Some(isolate) = open.pop() {
            out.push(if isolate { '\u{2069}' } else { '\u{202c}' });
        }
    };
    for c in s.chars() {
        match c {
            '\u{202a}'..='\u{202b}' | '\u{202d}'..='\u{202e}' => {
                open.push(false);
                out.push(c);
            }
            '\u{2066}'..='\u{2068}' => {
                open.push(true);
                out.push(c);
            }
            // A pop closes the innermost embedding, if it is one.
            '\u{202c}' => {
                if open.last() == Some(&false) {
                    open.pop();
                    out.push(c);
                }
            }
            // An isolate's end closes it and whatever opened inside it.
            '\u{2069}' => {
                if let Some(i) = open.iter().rposition(|isolate| *isolate) {
                    while open.len() > i + 1 {
                        open.pop();
                        out.push('\u{202c}');
                    }
                    open.pop();
                    out.push(c);
                }
            }
            c if c == '\n' || is_break(c) => {
                close_all(&mut open, &mut out);
                out.push(c);
            }
            c => out.push(c),
        }
    }
    close_all(&mut open, &mut out);
    Cow::Owned(out)
}

/// Multi-line text: newlines are kept (and a tab becomes a space); every
/// other unsafe character is shown visibly.
pub fn text(s: &str) -> Cow<'_, str> {
    show(s, true, false)
}

/// A cell of a table written to a file (CSV): line breaks (see [`breaks`])
/// and tabs are kept, as the words had them (a reader of the file lays them
/// out); every other unsafe character is shown visibly.
pub fn cell(s: &str) -> Cow<'_, str> {
    match breaks(s) {
        Cow::Borrowed(b) => show(b, true, true),
        Cow::Owned(o) => Cow::Owned(show(&o, true, true).into_owned()),
    }
}

/// Whether `c` ends a line in what someone typed: a line feed, a carriage
/// return, and what Word and other programs write for one — a vertical tab
/// (Word's soft line break), a form feed, U+0085, and the line and
/// paragraph separators. Every export writes each as its own line break (or
/// a space where a line must stay one), never deletes it.
pub fn is_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{b}' | '\u{c}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// `s` with every line break (see [`is_break`]; CRLF as one) a line feed.
pub fn breaks(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| is_break(c) && c != '\n') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            chars.next_if_eq(&'\n');
        }
        out.push(if is_break(c) { '\n' } else { c });
    }
    Cow::Owned(out)
}

/// One line: newlines, carriage returns and tabs are shown too (`␤`, `␍`, a
/// space), so the text cannot break out of its line.
pub fn line(s: &str) -> Cow<'_, str> {
    show(s, false, false)
}

fn show(s: &str, keep_newlines: bool, keep_tabs: bool) -> Cow<'_, str> {
    let kept = |c: char| (keep_newlines && c == '\n') || (keep_tabs && c == '\t');
    if !s.chars().any(|c| is_unsafe(c) && !kept(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            c if kept(c) => out.push(c),
            '\t' => out.push(' '),
            '\n' => out.push('␤'),
            // C0 controls and DEL have pictures of their own: ␛ ␇ ␈ ␤ ␍ ␡.
            '\u{0}'..='\u{1f}' => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('?')),
            '\u{7f}' => out.push('\u{2421}'),
            c if is_unsafe(c) => out.push_str(&c.escape_unicode().to_string()),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A writer that passes everything through [`text`]: what the command line
/// prints can never act on the terminal, whatever a session holds.
pub struct SafeWriter<W: std::io::Write> {
    inner: W,
    /// Bytes of a character split across two writes.
    partial: Vec<u8>,
}

impl<W: std::io::Write> SafeWriter<W> {
    pub fn new(inner: W) -> Self {
        Self {
            inner,
            partial: Vec::new(),
        }
    }
}

impl<W: std::io::Write> std::io::Write for SafeWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.partial.extend_from_slice(buf);
        let bytes = std::mem::take(&mut self.partial);
        let mut rest: &[u8] = &bytes;
        while !rest.is_empty() {
            match std::str::from_utf8(rest) {
                Ok(s) => {
                    self.inner.write_all(text(s).as_bytes())?;
                    rest = &[];
                }
                Err(e) => {
                    let (good, after) = rest.split_at(e.valid_up_to());
                    // Checked just above: these bytes are UTF-8.
                    let good = std::str::from_utf8(good).unwrap_or_default();
                    self.inner.write_all(text(good).as_bytes())?;
                    match e.error_len() {
                        // Cut off at the end: wait for the rest of the character.
                        None => {
                            self.partial = after.to_vec();
                            rest = &[];
                        }
                        Some(n) => {
                            self.inner.write_all("\u{fffd}".as_bytes())?;
                            rest = &after[n..];
                        }
                    }
                }
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if !self.partial.is_empty() {
            self.partial.clear();
            self.inner.write_all("\u{fffd}".as_bytes())?;
        }
        self.inner.flush()
    }
}

/// `text` cut to at most `cols` columns as it is drawn (a CJK character
/// takes two), at a word where one ends in the second half, with "…"; as it
/// was when it fits.
pub fn fit_width(text: &str, cols: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    if text.width() <= cols {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    let mut next = None;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > cols {
            next = Some(c);
            break;
        }
        out.push(c);
        used += w;
    }
    // Cut inside a word: end at the word before, when one ends far enough in.
    if next.is_some_and(|c| !c.is_whitespace())
        && let Some(i) = out.rfind(' ').filter(|&i| out[..i].width() * 2 >= cols)
    {
        out.truncate(i);
    }
    format!("{}…", out.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    pub const HOSTILE: &str =
        "a\u{1b}]52;c;aGk=\u{7}b\u{1b}]0;pwned\u{7}c\u{1b}[2Jd\u{8}e\u{202e}f\u{9b}g";

    #[test]
    fn a_label_is_cut_by_how_wide_it_is_drawn_at_a_word() {
        use unicode_width::UnicodeWidthStr;
        assert_eq!(fit_width("Short", 22), "Short");
        // Latin: at a word, never mid-word.
        assert_eq!(
            fit_width("Reflecting from lived experience together", 22),
            "Reflecting from lived…"
        );
        // CJK: two columns a character, so half as many fit.
        let cjk = fit_width("長い会議のタイトルがここにあります長い会議", 22);
        assert!(cjk.width() <= 22 && cjk.ends_with('…'), "{cjk}");
        assert_eq!(cjk.chars().count(), 11, "{cjk}");
    }

    #[test]
    fn escape_sequences_are_shown_not_passed_through() {
        let shown = line(HOSTILE);
        assert!(!shown.chars().any(is_unsafe), "{shown:?}");
        assert_eq!(shown, "a␛]52;c;aGk=␇b␛]0;pwned␇c␛[2Jd␈e\\u{202e}f\\u{9b}g");
        assert_eq!(text("two\nlines\there"), "two\nlines here");
        assert_eq!(line("two\nlines"), "two␤lines");
        assert!(matches!(
            text("plain, “quoted” and émoji 🎉"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn the_writer_cleans_characters_split_across_writes() {
        let mut out = SafeWriter::new(Vec::new());
        let bytes = format!("é{HOSTILE}\n").into_bytes();
        for b in &bytes {
            out.write_all(std::slice::from_ref(b)).unwrap();
        }
        out.write_all(&[0xff, b'x']).unwrap();
        out.flush().unwrap();
        let s = String::from_utf8(out.inner).unwrap();
        assert!(s.starts_with("é") && s.contains("␛]52;") && s.ends_with("\n\u{fffd}x"));
        assert!(!s.chars().any(|c| is_unsafe(c) && c != '\n'), "{s:?}");
    }
}
