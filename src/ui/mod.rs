//! Rendering: reads the app and the session, changes nothing.

pub mod agenda;
pub mod big;
pub mod capture;
pub mod overlay;
pub mod phones;
pub mod picker;
pub mod projector;
pub mod provenance;
pub mod results;
pub mod review;
pub mod room;
pub mod summary;
pub mod synthesis;
pub mod theme;
pub mod untrusted;
pub mod vote;
pub mod wall_grid;
pub mod widgets;
pub mod withheld;

use self::untrusted::para;
use crate::app::actions;
use crate::app::{App, Screen, Tone};
use crate::domain::{Session, Timestamp};
use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Wrap};
pub use theme::{Theme, ThemeName};

/// Smallest terminal the screens are laid out for.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 18;

pub fn render(f: &mut Frame, app: &App, session: &Session, now: Timestamp, theme: &Theme) {
    let area = f.area();
    f.render_widget(Block::new().style(theme.base), area);
    if too_small(f, "roundtable", theme) {
        return;
    }
    let standing = standing_text(app);
    let [head, body, problems, status] = Layout::vertical([
        Constraint::Length(header_height(session, area.width)),
        Constraint::Min(0),
        Constraint::Length(lines_needed(&standing, area.width, STANDING_LINES)),
        Constraint::Length(2),
    ])
    .areas(area);
    header(f, head, app, session, theme);
    match app.screen {
        Screen::Projector => projector::render(f, body, app, session, now, theme),
        Screen::Capture => capture::render(f, body, app, session, now, theme),
        Screen::Vote => vote::render(f, body, app, session, theme),
        Screen::Agenda => agenda::render(f, body, app, session, now, theme),
        Screen::Synthesis => synthesis::render(f, body, app, session, now, theme),
    }
    f.render_widget(
        para(Span::styled(standing, theme.over)).wrap(Wrap { trim: true }),
        problems,
    );
    status_bar(f, status, app, session, theme);
    withheld::banner(f, head, app, session, now, theme);
    for overlay in &app.overlays {
        overlay::render(f, area, app, overlay, now, theme);
    }
}

/// Asks for a larger window instead of drawing a cramped screen. Returns
/// whether it did.
pub fn too_small(f: &mut Frame, what: &str, theme: &Theme) -> bool {
    let area = f.area();
    if area.width >= MIN_WIDTH && area.height >= MIN_HEIGHT {
        return false;
    }
    let msg = format!(
        "Please enlarge the window: {what} needs at least {MIN_WIDTH}×{MIN_HEIGHT} (now {}×{}).",
        area.width, area.height
    );
    f.render_widget(
        para(msg).style(theme.accent).wrap(Wrap { trim: true }),
        area,
    );
    true
}

/// At most this many lines of standing problems, so the screen stays usable.
const STANDING_LINES: u16 = 4;

/// The problems that stay on screen, one after another.
fn standing_text(app: &App) -> String {
    app.standing
        .iter()
        .map(|p| format!("⚠ {p}"))
        .collect::<Vec<_>>()
        .join("  ")
}

/// Lines `text` takes wrapped at `width` (by characters, a little
/// generously for word wrapping), at most `most`.
fn lines_needed(text: &str, width: u16, most: u16) -> u16 {
    if text.is_empty() || width == 0 {
        return 0;
    }
    let chars = text.chars().count() as u64;
    let lines = (chars * 11 / 10).div_ceil(u64::from(width)).max(1);
    lines.min(u64::from(most)) as u16
}

fn header_height(session: &Session, width: u16) -> u16 {
    let focus = format!("Focus: {}", session.focus());
    if focus.chars().count() as u16 > width {
        3
    } else {
        2
    }
}

/// Title and focus: always on screen.
fn header(f: &mut Frame, area: Rect, app: &App, session: &Session, theme: &Theme) {
    // A workspace has the synthesis screen alone.
    let tabs: Vec<Span> = Screen::ALL
        .iter()
        .filter(|s| !app.in_workspace() || **s == Screen::Synthesis)
        .flat_map(|s| {
            let key = app
                .keymap
                .key_for(
                    actions::Layer::Global,
                    match s {
                        Screen::Projector => actions::Action::ShowProjector,
                        Screen::Capture => actions::Action::ShowCapture,
                        Screen::Vote => actions::Action::ShowVote,
                        Screen::Agenda => actions::Action::ShowAgenda,
                        Screen::Synthesis => actions::Action::ShowSynthesis,
                    },
                )
                .map(|k| k.to_string())
                .unwrap_or_default();
            let label = format!(" {key} {} ", s.title());
            let style = if *s == app.screen {
                theme.selected
            } else {
                theme.dim
            };
            [Span::styled(label, style)]
        })
        .collect();
    // The title always shows in full; the screen tabs shrink to make room.
    let checking_w = if app.checking { 11 } else { 0 };
    let title_w = session.title().chars().count() + 2 + checking_w;
    let full_w: usize = tabs.iter().map(|s| s.content.chars().count()).sum();
    let tabs = if title_w + full_w <= area.width as usize {
        tabs
    } else {
        let help = app
            .keymap
            .key_for(app.context(), actions::Action::Help)
            .map(|k| k.to_string())
            .unwrap_or_default();
        vec![
            Span::styled(format!(" {} ", app.screen.title()), theme.selected),
            Span::styled(format!(" {help} help "), theme.dim),
        ]
    };
    let tabs_width: usize = tabs.iter().map(|s| s.content.chars().count()).sum();
    let [title_area, tabs_area] =
        Layout::horizontal([Constraint::Min(10), Constraint::Length(tabs_width as u16)])
            .areas(Rect { height: 1, ..area });
    let mut title = vec![Span::styled(session.title(), theme.title)];
    if app.checking {
        // The session shown came from a snapshot whose proof is running.
        title.push(Span::styled("  checking…", theme.dim));
    }
    f.render_widget(para(Line::from(title)), title_area);
    f.render_widget(para(Line::from(tabs)), tabs_area);
    let focus = Line::from(vec![
        Span::styled("Focus: ", theme.accent),
        Span::styled(session.focus(), theme.base),
    ]);
    f.render_widget(
        para(focus).wrap(Wrap { trim: true }),
        Rect {
            y: area.y + 1,
            height: area.height.saturating_sub(1),
            ..area
        },
    );
}

fn status_bar(f: &mut Frame, area: Rect, app: &App, session: &Session, theme: &Theme) {
    let [msg_area, keys_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(area);
    let lost = app.link.as_ref().filter(|(connected, _)| !connected);
    let problem = app
        .message
        .as_ref()
        .is_some_and(|m| matches!(m.tone, Tone::Problem | Tone::Refused));
    if let (Some((_, text)), false) = (lost, problem) {
        // Losing the host matters more than the last thing that was saved.
        f.render_widget(
            para(Span::styled(format!("○ {text}"), theme.over)),
            msg_area,
        );
    } else if let Some(m) = &app.message {
        let style = match m.tone {
            Tone::Info => theme.base,
            Tone::Saved => theme.ok,
            Tone::Problem | Tone::Refused => theme.over,
        };
        // One line: what does not fit ends at a whole word, with "…"
        // (a problem that must be read whole stands above, see `stand`).
        let text = big::shorten_at_word(&m.text, usize::from(msg_area.width));
        f.render_widget(para(Span::styled(text, style)), msg_area);
    } else if app.in_flight() > 0 {
        f.render_widget(
            para(Span::styled(
                format!("saving {}…", app.in_flight()),
                theme.dim,
            )),
            msg_area,
        );
    } else if let Some((true, text)) = &app.link {
        f.render_widget(para(Span::styled(format!("● {text}"), theme.dim)), msg_area);
    }
    let view = app.hint_state(session);
    let mut spans = Vec::new();
    let mut used = 0usize;
    for (key, label) in crate::app::hints::hints(&app.keymap, app.context(), Some(&view)) {
        let len = key.chars().count() + label.chars().count() + 3;
        if used + len > area.width as usize {
            break;
        }
        used += len;
        spans.push(Span::styled(format!(" {key}"), theme.accent));
        spans.push(Span::styled(format!(" {label} "), theme.dim));
    }
    f.render_widget(para(Line::from(spans)), keys_area);
}

/// A rectangle of at most `w`×`h` centred in `area`.
pub fn centred(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// A panel's title for a box `width` wide: whole, or cut at a word with
/// "…" so the border never cuts a word.
pub fn fit_title(title: &str, width: u16) -> String {
    let room = usize::from(width.saturating_sub(2));
    if title.chars().count() <= room {
        return title.to_owned();
    }
    format!(
        " {} ",
        big::shorten_at_word(title.trim(), room.saturating_sub(2))
    )
}

/// A block with the theme's border and a title.
pub fn panel<'a>(title: impl Into<Line<'a>>, theme: &Theme) -> Block<'a> {
    Block::new()
        .borders(Borders::ALL)
        .title(untrusted::line(title.into()))
        .title_alignment(Alignment::Left)
        .style(theme.base)
        .border_style(theme.border)
}
