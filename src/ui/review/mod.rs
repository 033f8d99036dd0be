//! Rendering for `roundtable review`.

use super::untrusted::para;
use super::{Theme, panel};
use crate::app::actions::Layer;
use crate::app::hints::hints;
use crate::app::keymap::Keymap;
use crate::app::review::{Browser, Loaded, Review, Tab, View};
use crate::domain::time::mmss;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Wrap};

mod measures;
mod views;
use measures::measures;
use views::{agenda, cases, integrity, statements, synthesis, timeline, votes};

pub fn render(f: &mut Frame, review: &Review, theme: &Theme) {
    let area = f.area();
    f.render_widget(Block::new().style(theme.base), area);
    if super::too_small(f, "review", theme) {
        return;
    }
    match &review.view {
        View::Browser => browser(
            f,
            area,
            &review.browser,
            &review.keymap,
            review.message.as_deref(),
            theme,
        ),
        View::Session(l) => session(f, area, l, &review.keymap, review.message.as_deref(), theme),
        View::Programme { lines, scroll } => {
            programme(f, area, lines, *scroll, &review.keymap, theme)
        }
    }
}

/// The measures across the sessions the browser listed.
fn programme(
    f: &mut Frame,
    area: Rect,
    lines: &[String],
    scroll: usize,
    keymap: &Keymap,
    theme: &Theme,
) {
    let [head, body, foot] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
    ])
    .areas(area);
    f.render_widget(
        para(Line::from(Span::styled(
            "roundtable review — measures of co-production across sessions",
            theme.title,
        ))),
        head,
    );
    let block = panel(
        Span::styled(" Programme (definitions: docs/measures.md) ", theme.accent),
        theme,
    );
    let inner = block.inner(body);
    f.render_widget(block, body);
    let text: Vec<Line> = lines
        .iter()
        .map(|l| Line::from(Span::styled(l.clone(), theme.base)))
        .collect();
    let scroll = scroll
        .min(lines.len().saturating_sub(1))
        .min(u16::MAX as usize) as u16;
    f.render_widget(
        para(text).wrap(Wrap { trim: false }).scroll((scroll, 0)),
        inner,
    );
    let key = |a| {
        keymap
            .key_for(Layer::ReviewSession, a)
            .map(|k| k.to_string())
            .unwrap_or_default()
    };
    let keys = [
        (key(crate::app::actions::Action::SelectDown), "scroll"),
        (key(crate::app::actions::Action::Cancel), "sessions"),
        (key(crate::app::actions::Action::Quit), "quit"),
    ];
    let spans: Vec<Span> = keys
        .iter()
        .flat_map(|(k, what)| {
            [
                Span::styled(format!(" {k}"), theme.accent),
                Span::styled(format!(" {what} "), theme.dim),
            ]
        })
        .collect();
    f.render_widget(para(Line::from(spans)), foot);
}

/// The hint line for a layer of the review, from the action table.
fn keys_line<'a>(keymap: &Keymap, layer: Layer, theme: &Theme) -> Line<'a> {
    let spans: Vec<Span> = hints(keymap, layer, None)
        .into_iter()
        .flat_map(|(k, what)| {
            [
                Span::styled(format!(" {k}"), theme.accent),
                Span::styled(format!(" {what} "), theme.dim),
            ]
        })
        .collect();
    Line::from(spans)
}

fn browser(
    f: &mut Frame,
    area: Rect,
    b: &Browser,
    keymap: &Keymap,
    message: Option<&str>,
    theme: &Theme,
) {
    let [head, body, foot] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(3),
        Constraint::Length(1),
    ])
    .areas(area);
    // A filter offered again is shown selected: typing replaces it.
    let mut filter = Vec::new();
    if b.filtering || !b.filter.is_empty() {
        filter.push(Span::styled("filter: ", theme.accent));
        let style = match b.offered {
            true => theme
                .accent
                .add_modifier(ratatui::style::Modifier::REVERSED),
            false => theme.accent,
        };
        filter.push(Span::styled(b.filter.clone(), style));
        if b.filtering {
            filter.push(Span::styled("▏", theme.accent));
        }
    }
    f.render_widget(
        para(vec![
            Line::from(Span::styled(
                "roundtable review — past sessions",
                theme.title,
            )),
            Line::from(
                filter
                    .into_iter()
                    .chain([Span::styled(
                        format!("  {}", message.unwrap_or("")),
                        theme.over,
                    )])
                    .collect::<Vec<_>>(),
            ),
        ]),
        head,
    );
    let order = if b.newest_first {
        "newest first"
    } else {
        "oldest first"
    };
    let visible = b.visible();
    let block = panel(
        Span::styled(
            format!(" {} sessions, {order} ", visible.len()),
            theme.accent,
        ),
        theme,
    );
    let inner = block.inner(body);
    f.render_widget(block, body);
    let per = 3usize;
    let rows = (inner.height as usize / per).max(1);
    let start = b.cursor.saturating_sub(rows - 1);
    let mut lines = Vec::new();
    for (i, e) in visible.iter().enumerate().skip(start).take(rows) {
        let sel = i == b.cursor;
        let style = if sel { theme.selected } else { theme.title };
        lines.push(Line::from(vec![
            Span::styled(if sel { "▶ " } else { "  " }, style),
            Span::styled(format!("{}  {}", e.date, e.title), style),
        ]));
        lines.push(Line::from(Span::styled(
            format!("    focus: {}", e.focus),
            theme.base,
        )));
        let problem = e
            .problem
            .as_ref()
            .map(|p| format!(" · PROBLEM: {p}"))
            .unwrap_or_default();
        lines.push(Line::from(Span::styled(
            format!(
                "    {} ran · {} statements · {} votes · {} interpretations · {} records{problem}",
                mmss(e.ran_secs),
                e.statements,
                e.votes,
                e.interpretations,
                e.records
            ),
            if e.problem.is_some() {
                theme.over
            } else {
                theme.dim
            },
        )));
    }
    if lines.is_empty() {
        lines.push(Line::from(Span::styled("No sessions match.", theme.dim)));
    }
    f.render_widget(para(lines), inner);
    f.render_widget(para(keys_line(keymap, Layer::ReviewBrowser, theme)), foot);
}

fn session(
    f: &mut Frame,
    area: Rect,
    l: &Loaded,
    keymap: &Keymap,
    message: Option<&str>,
    theme: &Theme,
) {
    let s = &l.session;
    let focus_rows = if (s.focus().chars().count() + 7) as u16 > area.width {
        2
    } else {
        1
    };
    let [head, scrub, tabs, body, foot] = Layout::vertical([
        Constraint::Length(1 + focus_rows),
        Constraint::Length(2),
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
    ])
    .areas(area);
    f.render_widget(
        para(vec![
            Line::from(Span::styled(s.title().to_owned(), theme.title)),
            Line::from(vec![
                Span::styled("Focus: ", theme.accent),
                Span::styled(s.focus().to_owned(), theme.base),
            ]),
        ])
        .wrap(Wrap { trim: true }),
        head,
    );
    // The scrubber: where in the record we are, and what happened there.
    let total = l.records.len().max(1);
    let here = l.cursor.checked_sub(1).and_then(|i| l.records.get(i));
    let what = here
        .map(|r| format!("{} · {} · {}", r.at.clock_time(), r.actor, l.describe(r)))
        .unwrap_or_default();
    let width = scrub.width.saturating_sub(2) as usize;
    let pos = (l.cursor.saturating_sub(1) * width.saturating_sub(1)) / (total - 1).max(1);
    let track: String = (0..width)
        .map(|i| if i == pos { '●' } else { '─' })
        .collect();
    f.render_widget(
        para(vec![
            Line::from(vec![
                Span::styled(
                    format!("Record {} of {} ", l.cursor, l.records.len()),
                    theme.accent,
                ),
                Span::styled(what, theme.base),
            ]),
            Line::from(Span::styled(format!("├{track}┤"), theme.bar)),
        ]),
        scrub,
    );
    let tab_spans: Vec<Span> = Tab::ALL
        .iter()
        .enumerate()
        .map(|(i, t)| {
            // Seven tabs fit 80 columns without the space after each.
            let gap = if tabs.width < 90 { "" } else { " " };
            Span::styled(
                format!(" {} {}{gap}", i + 1, t.title()),
                if *t == l.tab {
                    theme.selected
                } else {
                    theme.dim
                },
            )
        })
        .collect();
    f.render_widget(para(Line::from(tab_spans)), tabs);
    let lines = match l.tab {
        Tab::Timeline => timeline(l, body.height.saturating_sub(2) as usize, theme),
        Tab::Agenda if l.view.is_some() => cases(l, theme),
        Tab::Agenda => agenda(l, body.width, theme),
        Tab::Statements => statements(l, theme),
        Tab::Votes => votes(s, l.by, body.width, theme),
        Tab::Synthesis => synthesis(l, body.width.saturating_sub(2), theme),
        Tab::Integrity => integrity(l, theme),
        Tab::Measures => measures(l.read(), l.by, body.width.saturating_sub(2), theme),
    };
    let block = panel(
        Span::styled(
            format!(
                " {} — as it stood at record {} · times in {} ",
                l.tab.title(),
                l.cursor,
                l.records
                    .first()
                    .map_or_else(|| "UTC".to_owned(), |r| r.at.zone())
            ),
            theme.accent,
        ),
        theme,
    );
    let inner = block.inner(body);
    f.render_widget(block, body);
    // The timeline keeps one record per row; other views wrap and scroll.
    if l.tab == Tab::Timeline {
        f.render_widget(para(lines), inner);
    } else {
        let scroll = l
            .scroll
            .min(lines.len().saturating_sub(1))
            .min(u16::MAX as usize) as u16;
        f.render_widget(
            para(lines).wrap(Wrap { trim: false }).scroll((scroll, 0)),
            inner,
        );
    }
    let mut foot_line = keys_line(keymap, Layer::ReviewSession, theme);
    if let Some(m) = message {
        foot_line = Line::from(Span::styled(m.to_owned(), theme.ok));
    }
    f.render_widget(para(foot_line), foot);
}
