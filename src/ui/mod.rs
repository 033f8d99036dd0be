//! Rendering: reads the app and the session, changes nothing.

pub mod agenda;
pub mod big;
pub mod capture;
pub mod picker;
pub mod projector;
pub mod results;
pub mod review;
pub mod summary;
pub mod synthesis;
pub mod theme;
pub mod untrusted;
pub mod vote;
pub mod widgets;

use self::untrusted::para;
use crate::app::actions;
use crate::app::{App, Overlay, PromptKind, Screen, Tone};
use crate::domain::{MemoKind, Session, Timestamp};
use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Wrap};
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
    let [head, body, status] = Layout::vertical([
        Constraint::Length(header_height(session, area.width)),
        Constraint::Min(0),
        Constraint::Length(2),
    ])
    .areas(area);
    header(f, head, app, session, theme);
    match app.screen {
        Screen::Projector => projector::render(f, body, app, session, now, theme),
        Screen::Capture => capture::render(f, body, app, session, now, theme),
        Screen::Vote => vote::render(f, body, app, session, theme),
        Screen::Agenda => agenda::render(f, body, app, session, now, theme),
        Screen::Synthesis => synthesis::render(f, body, app, session, theme),
    }
    status_bar(f, status, app, session, theme);
    for overlay in &app.overlays {
        render_overlay(f, area, app, overlay, theme);
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
    let tabs: Vec<Span> = Screen::ALL
        .iter()
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
    let title_w = session.title().chars().count() + 2;
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
    f.render_widget(para(Span::styled(session.title(), theme.title)), title_area);
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
        f.render_widget(para(Span::styled(m.text.as_str(), style)), msg_area);
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

fn render_overlay(f: &mut Frame, area: Rect, app: &App, overlay: &Overlay, theme: &Theme) {
    match overlay {
        Overlay::Help { page } => help_overlay(f, area, app, *page, theme),
        Overlay::Quit { unsaved, peers } => {
            let keys = |a| app.keymap.shown_all(actions::Layer::Quitting, a);
            let choice = |key: String, what: &'static str| {
                Line::from(vec![
                    Span::styled(format!(" {key:<9} "), theme.selected),
                    Span::raw(format!(" {what}")),
                ])
            };
            let mut text = Vec::new();
            if unsaved.is_nothing() {
                text.push(Line::from("Everything is saved in the journal."));
            } else {
                text.push(Line::from(Span::styled(
                    format!("Not in the journal: {}.", unsaved.describe()),
                    theme.over,
                )));
            }
            if !peers.is_empty() {
                text.push(Line::from(format!(
                    "Connected, and would be disconnected: {}.",
                    peers.join(", ")
                )));
            } else if app.link.is_some() {
                text.push(Line::from("The session goes on at the host."));
            }
            text.push(Line::from(""));
            if unsaved.is_nothing() {
                let quit = format!(
                    "{} / {}",
                    keys(actions::Action::QuitAnyway),
                    keys(actions::Action::Rescue)
                );
                text.push(choice(quit, "quit"));
            } else {
                text.push(choice(
                    keys(actions::Action::Rescue),
                    "write it to a rescue file, then quit",
                ));
                text.push(choice(
                    keys(actions::Action::QuitAnyway),
                    "quit and lose it",
                ));
            }
            text.push(choice(keys(actions::Action::Cancel), "stay"));
            let h = text.len() as u16 + 2;
            dialog(
                f,
                centred(area, 64, h + 1),
                " Quit? ",
                theme.over,
                text,
                theme,
            );
        }
        Overlay::Choose { question, answers } => {
            let mut text = vec![Line::from(question.as_str()), Line::from("")];
            for (i, (label, _)) in answers.iter().enumerate() {
                text.push(Line::from(vec![
                    Span::styled(format!(" {} ", i + 1), theme.selected),
                    Span::raw(format!(" {label}")),
                ]));
            }
            text.push(Line::from(vec![
                Span::styled(
                    format!(
                        " {} ",
                        app.keymap
                            .shown_all(actions::Layer::Choose, actions::Action::Cancel)
                    ),
                    theme.selected,
                ),
                Span::raw(" leave it as it is"),
            ]));
            // Rows as wrapped in the dialog's 70 columns.
            let h: usize = text.iter().map(|l| l.width().max(1).div_ceil(70)).sum();
            dialog(
                f,
                centred(area, 72, h as u16 + 2),
                " Choose ",
                theme.accent,
                text,
                theme,
            );
        }
        Overlay::Confirm { question, .. } => {
            let text = vec![
                Line::from(question.as_str()),
                Line::from(""),
                Line::from(vec![
                    Span::styled(
                        format!(
                            " {} ",
                            app.keymap
                                .shown_all(actions::Layer::Confirm, actions::Action::Confirm)
                        ),
                        theme.selected,
                    ),
                    Span::raw(" yes    "),
                    Span::styled(
                        format!(
                            " {} ",
                            app.keymap
                                .shown_all(actions::Layer::Confirm, actions::Action::Cancel)
                        ),
                        theme.selected,
                    ),
                    Span::raw(" no"),
                ]),
            ];
            dialog(
                f,
                centred(area, 64, 7),
                " Confirm ",
                theme.accent,
                text,
                theme,
            );
        }
        Overlay::Prompt { kind, input } => {
            let title = match kind {
                PromptKind::Synthesis(ask) => ask.title(),
                PromptKind::Memo(MemoKind::Process) => app.keymap.fill(
                    actions::Layer::Prompt,
                    " Memo: process note — {ToggleMemoKind} for reflexive, {Submit} saves, {Cancel} cancels ",
                ),
                PromptKind::Memo(MemoKind::Reflexive) => app.keymap.fill(
                    actions::Layer::Prompt,
                    " Memo: reflexive note — {ToggleMemoKind} for process, {Submit} saves, {Cancel} cancels ",
                ),
                PromptKind::AddStage(after) => app.keymap.fill(
                    actions::Layer::Prompt,
                    &format!(
                        " A stage after {after}: its title and minutes (“Small groups 10”); {{Submit}} adds it "
                    ),
                ),
                PromptKind::NewAction(_) => app.keymap.fill(
                    actions::Layer::Prompt,
                    " An action: what; who; by when — or “a1 done: how” for one agreed earlier — {Submit} saves ",
                ),
                PromptKind::Latecomer => app.keymap.fill(
                    actions::Layer::Prompt,
                    " Arrived late: role, name, consent yes/no (“carer, Ann, yes”) — {Submit} adds ",
                ),
                PromptKind::Find => app.keymap.fill(
                    actions::Layer::Prompt,
                    " Find a statement: its number (12 or st12) or some of its words — {Submit} selects ",
                ),
                PromptKind::Break => app.keymap.fill(
                    actions::Layer::Prompt,
                    " A break: how many minutes? {Submit} starts it, {Cancel} cancels ",
                ),
                PromptKind::Retract(id) => format!(
                    " Retract {id}: why? {} ",
                    app.keymap.fill(
                        actions::Layer::Prompt,
                        "{Submit} retracts, {Cancel} cancels"
                    )
                ),
                PromptKind::Question => app.keymap.fill(
                    actions::Layer::Prompt,
                    " Question (options after |) — {Submit} keeps, {Cancel} cancels ",
                ),
            };
            let w = area.width.saturating_sub(8).max(40);
            // A title too long for the border is wrapped inside the box,
            // above the input, so that no word of it is cut.
            let inside = (title.chars().count() + 2 > usize::from(w))
                .then(|| big::wrap_words(title.trim(), usize::from(w.saturating_sub(2))))
                .flatten()
                .unwrap_or_default();
            let r = centred(area, w, 5 + inside.len() as u16);
            f.render_widget(Clear, r);
            let mut block = Block::bordered()
                .style(theme.base)
                .border_style(theme.accent);
            if inside.is_empty() {
                block = block.title(untrusted::line(Line::from(title)));
            }
            let inner = block.inner(r);
            f.render_widget(block, r);
            let [above, field] =
                Layout::vertical([Constraint::Length(inside.len() as u16), Constraint::Min(1)])
                    .areas(inner);
            let above_lines: Vec<Line> = inside
                .into_iter()
                .map(|l| Line::from(Span::styled(l, theme.accent)))
                .collect();
            f.render_widget(untrusted::para(above_lines), above);
            f.render_widget(&**input, field);
        }
    }
}

/// Every key on the screen beneath, one to a row, its description wrapped
/// at whole words; in pages (PgDn or space turns them) when they do not
/// all fit.
fn help_overlay(f: &mut Frame, area: Rect, app: &App, page: u16, theme: &Theme) {
    let keys = crate::app::hints::help_lines(&app.keymap, app.context());
    let key_w = keys
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(1);
    let w = area.width.min(80);
    let what_w = usize::from(w.saturating_sub(2))
        .saturating_sub(key_w + 2)
        .max(10);
    // Each key's rows, kept together on one page.
    let entries: Vec<Vec<Line>> = keys
        .into_iter()
        .map(|(key, what)| {
            let rows = big::wrap_words(&what, what_w).unwrap_or_else(|| vec![what.clone()]);
            rows.into_iter()
                .enumerate()
                .map(|(i, row)| {
                    let k = if i == 0 { key.as_str() } else { "" };
                    Line::from(vec![
                        Span::styled(format!("{k:>key_w$}  "), theme.accent),
                        Span::styled(row, theme.base),
                    ])
                })
                .collect()
        })
        .collect();
    let room = usize::from(area.height.saturating_sub(3)).max(1);
    let mut pages: Vec<Vec<Line>> = vec![Vec::new()];
    for entry in entries {
        let last = pages.len() - 1;
        if !pages[last].is_empty() && pages[last].len() + entry.len() > room {
            pages.push(Vec::new());
        }
        if let Some(p) = pages.last_mut() {
            p.extend(entry);
        }
    }
    let count = pages.len();
    let shown = usize::from(page) % count;
    let mut lines = pages.swap_remove(shown);
    if count > 1 {
        lines.resize(room, Line::from(""));
        lines.push(Line::from(Span::styled(
            format!("page {} of {count} · PgDn or space: next page", shown + 1),
            theme.dim,
        )));
    }
    let h = (lines.len() as u16 + 2).min(area.height);
    let r = centred(area, w, h);
    f.render_widget(Clear, r);
    let block = Block::bordered()
        .title(format!(
            " Keys on the {} screen — any key closes ",
            app.screen.title()
        ))
        .style(theme.base)
        .border_style(theme.accent);
    let inner = block.inner(r);
    f.render_widget(block, r);
    f.render_widget(para(lines), inner);
}

/// A bordered box over whatever is beneath, holding `text`.
fn dialog(
    f: &mut Frame,
    r: Rect,
    title: &'static str,
    border: ratatui::style::Style,
    text: Vec<Line<'_>>,
    theme: &Theme,
) {
    f.render_widget(Clear, r);
    let block = Block::bordered()
        .title(title)
        .style(theme.base)
        .border_style(border);
    f.render_widget(para(text).block(block).wrap(Wrap { trim: true }), r);
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
