//! Large type for what the room must read from the back: the prompt, the
//! question being voted on, the interpretation being agreed, the time a
//! break ends. Words wrap whole; a word is never cut.

use super::untrusted::para;
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::Wrap;
use tui_big_text::{BigText, PixelSize};

/// The sizes tried, largest first: cells per character across and down.
const SIZES: [(PixelSize, u16, u16); 3] = [
    (PixelSize::Full, 8, 8),
    (PixelSize::HalfHeight, 8, 4),
    (PixelSize::Quadrant, 4, 4),
];

/// Breaks `text` into lines of at most `width` characters at spaces, or
/// `None` when a word is longer than a line (it would have to be cut).
pub fn wrap_words(text: &str, width: usize) -> Option<Vec<String>> {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        let w = word.chars().count();
        if w > width {
            return None;
        }
        let cur_w = cur.chars().count();
        if cur.is_empty() {
            cur.push_str(word);
        } else if cur_w + 1 + w <= width {
            cur.push(' ');
            cur.push_str(word);
        } else {
            lines.push(std::mem::take(&mut cur));
            cur.push_str(word);
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    Some(lines)
}

/// `text` in at most `width` characters: whole words then "…" when it is
/// longer, so that no word is shown cut.
pub fn shorten_at_word(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_owned();
    }
    let mut out = String::new();
    for word in text.split_whitespace() {
        let sep = usize::from(!out.is_empty());
        if out.chars().count() + sep + word.chars().count() + 1 > width {
            break;
        }
        if sep == 1 {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.push('…');
    out
}

/// Typographic quotes and dashes as the 8×8 font has them.
fn plain(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '“' | '”' => '"',
            '‘' | '’' => '\'',
            '–' | '—' | '−' => '-',
            c => c,
        })
        .collect()
}

/// The largest size at which `text` fits `area` with whole words: the pixel
/// size and its lines, or `None` for ordinary (bold) type.
pub fn fit(text: &str, area: Rect) -> Option<(PixelSize, Vec<String>)> {
    let text = plain(text);
    // Only the characters the 8×8 font draws are drawn large.
    if text.is_empty() || !text.chars().all(|c| c.is_ascii() && !c.is_ascii_control()) {
        return None;
    }
    SIZES.iter().find_map(|(size, w, h)| {
        let lines = wrap_words(&text, usize::from(area.width / w))?;
        (lines.len() as u16 * h <= area.height).then_some((*size, lines))
    })
}

/// Draws `text` as large as `area` allows with whole words; in ordinary
/// type, wrapped at spaces, when nothing larger fits. Returns the rows used.
pub fn big_words(f: &mut Frame, area: Rect, text: &str, style: Style, centred: bool) -> u16 {
    match fit(text, area) {
        Some((size, lines)) => {
            let rows = lines.len() as u16 * cell_height(size);
            let mut builder = BigText::builder();
            builder
                .pixel_size(size)
                .style(style)
                .lines(lines.into_iter().map(Line::from).collect::<Vec<_>>());
            if centred {
                builder.centered();
            }
            f.render_widget(builder.build(), area);
            rows
        }
        None => {
            let (p, rows) = match wrap_words(text, usize::from(area.width)) {
                Some(lines) => {
                    let rows = lines.len() as u16;
                    let lines: Vec<Line> = lines.into_iter().map(Line::from).collect();
                    (para(lines).style(style), rows)
                }
                // A word wider than the screen: broken, as nothing else can show it.
                None => (
                    para(text.to_owned()).style(style).wrap(Wrap { trim: true }),
                    area.height,
                ),
            };
            let rows = rows.min(area.height);
            let p = if centred {
                p.alignment(Alignment::Center)
            } else {
                p
            };
            f.render_widget(p, area);
            rows
        }
    }
}

fn cell_height(size: PixelSize) -> u16 {
    SIZES
        .iter()
        .find(|(s, _, _)| *s == size)
        .map_or(1, |(_, _, h)| *h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_wrap_whole_and_a_word_too_long_is_refused() {
        assert_eq!(
            wrap_words("back at 14:35", 8),
            Some(vec!["back at".to_owned(), "14:35".to_owned()])
        );
        assert_eq!(wrap_words("unbreakable", 5), None);
    }

    #[test]
    fn the_largest_size_that_fits_is_chosen() {
        let wide = Rect::new(0, 0, 80, 8);
        assert_eq!(fit("14:35", wide).map(|(s, _)| s), Some(PixelSize::Full));
        let short = Rect::new(0, 0, 80, 4);
        assert_eq!(
            fit("14:35", short).map(|(s, _)| s),
            Some(PixelSize::HalfHeight)
        );
        let long = "What do we, together, say these findings mean for people leaving hospital?";
        assert_eq!(fit(long, Rect::new(0, 0, 80, 6)), None);
        // Text the 8×8 font cannot draw stays ordinary.
        assert_eq!(fit("café", wide), None);
    }
}
