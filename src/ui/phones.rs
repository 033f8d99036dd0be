//! How participants' phones join, on the projector: a QR code drawn with
//! half blocks (two modules to a character cell, which is about square), in
//! black on white whatever the theme, with the address to type below it.

use super::Theme;
use super::untrusted::para;
use crate::live::PhoneRoom;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Wrap;

/// [`qr_lines`], drawn once per address and scale: the join screen is up
/// while a room of phones joins, and encoding the code again for each of
/// hundreds of frames took the time the phones needed.
fn qr_kept(text: &str, scale: usize) -> Option<Vec<Line<'static>>> {
    type Kept = Option<(String, Vec<(usize, Option<Vec<Line<'static>>>)>)>;
    thread_local! {
        static KEPT: std::cell::RefCell<Kept> = const { std::cell::RefCell::new(None) };
    }
    KEPT.with_borrow_mut(|kept| {
        if kept.as_ref().is_none_or(|(url, _)| url != text) {
            *kept = Some((text.to_owned(), Vec::new()));
        }
        let (_, drawn) = kept.as_mut()?;
        if let Some((_, lines)) = drawn.iter().find(|(s, _)| *s == scale) {
            return lines.clone();
        }
        let lines = qr_lines(text, scale);
        drawn.push((scale, lines.clone()));
        lines
    })
}

/// The QR code of `text` with a quiet zone of two modules: at `scale` 0 as
/// half blocks (a module is one column and half a row), at `scale` m a
/// module is 2m columns and m rows of full blocks. `None` when `text` does
/// not fit a QR code.
pub fn qr_lines(text: &str, scale: usize) -> Option<Vec<Line<'static>>> {
    let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::L).ok()?;
    let width = code.width();
    let colors = code.to_colors();
    let quiet = 2;
    let side = width + 2 * quiet;
    let dark = |x: usize, y: usize| -> bool {
        x >= quiet
            && y >= quiet
            && x < width + quiet
            && y < width + quiet
            && colors[(y - quiet) * width + (x - quiet)] == qrcode::Color::Dark
    };
    let style = Style::default().fg(Color::Black).bg(Color::White);
    let mut lines = Vec::new();
    if scale > 0 {
        for y in 0..side {
            let row: String = (0..side)
                .map(|x| if dark(x, y) { "█" } else { " " }.repeat(2 * scale))
                .collect();
            for _ in 0..scale {
                lines.push(Line::from(Span::styled(row.clone(), style)));
            }
        }
        return Some(lines);
    }
    for y in (0..side).step_by(2) {
        let row: String = (0..side)
            .map(|x| match (dark(x, y), y + 1 < side && dark(x, y + 1)) {
                (true, true) => '█',
                (true, false) => '▀',
                (false, true) => '▄',
                (false, false) => ' ',
            })
            .collect();
        lines.push(Line::from(Span::styled(row, style)));
    }
    Some(lines)
}

/// The address as it is read and typed: the room key in groups of five
/// (the page ignores the dashes), so that it wraps between groups.
fn typed(url: &str) -> String {
    match url.split_once('#') {
        Some((at, key)) => {
            let groups: Vec<String> = key
                .as_bytes()
                .chunks(5)
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect();
            format!("{at}#{}", groups.join("-"))
        }
        None => url.to_owned(),
    }
}

/// Lines of the names of phones joined, at most.
const NAME_LINES: usize = 6;

/// The join screen: the code, the address, how many phones have joined.
pub fn render(f: &mut Frame, area: Rect, phones: &PhoneRoom, theme: &Theme) {
    // As large as leaves room for the words beside it: the code is read
    // from across the room.
    let fits = |scale: usize| {
        qr_kept(&phones.url, scale).filter(|q| {
            let (w, h) = (q.first().map_or(0, |l| l.width() as u16), q.len() as u16);
            w + 32 <= area.width && h <= area.height
        })
    };
    let qr = (1..=4)
        .rev()
        .find_map(fits)
        .or_else(|| qr_kept(&phones.url, 0))
        .unwrap_or_default();
    let qr_h = qr.len() as u16;
    let qr_w = qr.first().map_or(0, |l| l.width() as u16);
    let beside = area.width >= qr_w + 30 && area.height >= qr_h;
    let words_w = if beside {
        area.width.saturating_sub(qr_w + 2)
    } else {
        area.width
    };
    let mut words = vec![Line::from(Span::styled(
        "Vote and speak up from your phone",
        theme.title,
    ))];
    words.push(Line::from(Span::styled(
        "Scan the code, or type this address:",
        theme.base,
    )));
    // Broken only between groups of the key, never inside one.
    let mut line = String::new();
    for part in typed(&phones.url).split_inclusive('-') {
        if !line.is_empty() && line.chars().count() + part.chars().count() > usize::from(words_w) {
            words.push(Line::from(Span::styled(
                std::mem::take(&mut line),
                theme.accent,
            )));
        }
        line.push_str(part);
    }
    words.push(Line::from(Span::styled(line, theme.accent)));
    words.push(Line::from(""));
    words.push(Line::from(Span::styled(
        "No app, no account, no internet: the page comes from this computer, and what your phone sends is encrypted.",
        theme.dim,
    )));
    words.push(Line::from(""));
    let joined = phones.connected.len() + phones.unnamed;
    words.push(Line::from(Span::styled(
        format!(
            "{joined} {} joined{}",
            if joined == 1 { "phone" } else { "phones" },
            match (phones.closed, phones.nameless) {
                (true, _) => " · the door is closed to new phones",
                (false, true) => " · you may join without a name",
                (false, false) => "",
            }
        ),
        theme.base,
    )));
    if joined > 0 {
        // As many names as six lines hold: a town hall's two thousand
        // could not be read from the back of the room, and wrapping them
        // all on every frame took the time the phones needed.
        let room_for = usize::from(words_w) * NAME_LINES;
        let mut names = String::new();
        let mut shown = 0;
        for name in &phones.connected {
            if names.chars().count() + name.chars().count() + 2 > room_for {
                break;
            }
            if !names.is_empty() {
                names.push_str(", ");
            }
            names.push_str(name);
            shown += 1;
        }
        let mut more = Vec::new();
        if shown < phones.connected.len() {
            more.push(format!("{} more", phones.connected.len() - shown));
        }
        if phones.unnamed > 0 {
            more.push(format!("{} not named here", phones.unnamed));
        }
        if !more.is_empty() {
            names = match names.is_empty() {
                true => more.join(", "),
                false => format!("{names} and {}", more.join(", ")),
            };
        }
        words.push(Line::from(Span::styled(names, theme.dim)));
    }
    if !phones.asking.is_empty() {
        // Each phone joining under a name waits for the facilitator, who
        // matches the number it shows (F7).
        words.push(Line::from(""));
        words.push(Line::from(Span::styled(
            format!(
                "{} asking to join: the facilitator lets each in (your phone shows a number)",
                phones.asking.len()
            ),
            theme.accent,
        )));
    }
    // The code beside the words when there is room, above them when not.
    if beside {
        let [left, right] =
            Layout::horizontal([Constraint::Length(qr_w + 2), Constraint::Min(20)]).areas(area);
        f.render_widget(para(qr), left);
        f.render_widget(para(words).wrap(Wrap { trim: true }), right);
    } else {
        let [top, bottom] =
            Layout::vertical([Constraint::Length(qr_h), Constraint::Min(0)]).areas(area);
        f.render_widget(para(qr), top);
        f.render_widget(para(words).wrap(Wrap { trim: true }), bottom);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_typed_address_groups_the_key_by_five() {
        assert_eq!(
            typed("http://10.0.0.2:8080/#abcdefghijkl"),
            "http://10.0.0.2:8080/#abcde-fghij-kl"
        );
    }

    /// The half blocks as drawn, read back into modules and scanned by a
    /// QR decoder (rqrr), as a phone's camera would.
    #[test]
    fn the_code_as_drawn_scans_to_the_address() {
        let url = "http://192.168.1.23:8080/#k7pqz2m4xw3nvb6rt5ycfhdsla";
        let lines = qr_lines(url, 0).unwrap();
        let side = lines[0].width();
        assert!(lines.iter().all(|l| l.width() == side));
        // Version 3 (29 modules and the quiet zone) at this length: 33
        // columns and 17 rows, which fit beside the words at 80×24.
        assert_eq!((side, lines.len()), (33, 17));
        let scale = 6;
        let dark = |x: usize, y: usize| -> bool {
            let text: String = lines[y / 2]
                .spans
                .iter()
                .map(|s| s.content.as_ref())
                .collect();
            match text.chars().nth(x) {
                Some('█') => true,
                Some('▀') => y.is_multiple_of(2),
                Some('▄') => y % 2 == 1,
                _ => false,
            }
        };
        let px = (side + 8) * scale;
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(px, px, |x, y| {
            let (mx, my) = (x / scale, y / scale);
            // A wider white margin, as the projector's background gives.
            if mx < 4 || my < 4 || mx >= side + 4 || my >= side + 4 || my - 4 >= lines.len() * 2 {
                return 255;
            }
            if dark(mx - 4, my - 4) { 0 } else { 255 }
        });
        let grids = img.detect_grids();
        assert_eq!(grids.len(), 1);
        let (_, content) = grids[0].decode().unwrap();
        assert_eq!(content, url);
        // Twice as large, in full blocks: the same modules.
        let big = qr_lines(url, 1).unwrap();
        assert_eq!((big[0].width(), big.len()), (66, 33));
        for (y, line) in big.iter().enumerate() {
            let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
            for (x, c) in text.chars().step_by(2).enumerate() {
                assert_eq!(c == '█', dark(x, y), "module {x},{y}");
            }
        }
    }
}
