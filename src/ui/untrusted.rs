//! Drawing text that came from people, files or other machines. Every
//! paragraph, panel title and list on the screens is built through here, so
//! an escape sequence in a statement, a title or a name is shown (`␛]52;…`)
//! rather than dropped silently or acted on; and [`guard`] checks the whole
//! frame last, so nothing unsafe reaches the terminal whatever a screen did.

use crate::safe;
use ratatui::buffer::Buffer;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::Paragraph;
use std::borrow::Cow;

/// A paragraph whose every span is made safe to show.
pub fn para<'a>(t: impl Into<Text<'a>>) -> Paragraph<'a> {
    Paragraph::new(text(t.into()))
}

pub fn text(mut t: Text<'_>) -> Text<'_> {
    t.lines = t.lines.into_iter().map(line).collect();
    t
}

pub fn line(mut l: Line<'_>) -> Line<'_> {
    l.spans = l.spans.into_iter().map(span).collect();
    l
}

pub fn span(mut s: Span<'_>) -> Span<'_> {
    if s.content.chars().any(safe::is_unsafe) {
        s.content = Cow::Owned(safe::line(&s.content).into_owned());
    }
    s
}

/// The last line of defence: a cell still holding a character that would
/// act on the terminal shows a replacement mark instead.
pub fn guard(buf: &mut Buffer) {
    for cell in buf.content.iter_mut() {
        if cell.symbol().chars().any(safe::is_unsafe) {
            cell.set_symbol("\u{fffd}");
        }
    }
}
