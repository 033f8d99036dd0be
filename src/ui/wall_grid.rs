//! The translation grid on the wall: the concepts the group is working
//! with, by whose accounts (role groups, stages or source sessions), each
//! cell a row of dots and the count of statements in it, the concepts'
//! names whole. Too big for the screen, it turns its pages by itself — rows
//! and columns — so every projector shows all of it, whatever its size.

use super::summary::PAGE_SECS;
use super::untrusted::para;
use super::{Theme, panel};
use crate::app::App;
use crate::domain::analysis::{Accounts, Grid, grid_with};
use crate::domain::{Session, Timestamp};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

/// The narrowest a column gets before the columns go onto pages.
const MIN_COLUMN: usize = 14;

pub(super) fn render(
    f: &mut Frame,
    area: Rect,
    app: &App,
    session: &Session,
    accounts: Accounts,
    now: Timestamp,
    theme: &Theme,
) {
    let resolve = |id: &crate::domain::StatementId| app.resolve(id);
    let grid = grid_with(session, &resolve, accounts);
    let title = super::fit_title(
        &format!(
            " Our concepts, and whose accounts they come from: by {} ",
            accounts.label()
        ),
        area.width,
    );
    let block = panel(Span::styled(title, theme.accent), theme);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let pages = layout(&grid, session, inner);
    if grid.rows.is_empty() {
        let none = "No concepts yet: they appear here as the facilitator makes them.";
        f.render_widget(para(Span::styled(none, theme.dim)), inner);
        return;
    }
    let since = session.room_log.last().map_or(now, |(at, _)| *at);
    let n = pages.len().max(1);
    let page = (now.millis_since(since).max(0) / 1000 / PAGE_SECS) as usize % n;
    let Some(p) = pages.get(page) else {
        return;
    };
    let mut lines = draw_page(&grid, session, p, theme);
    let foot = if n > 1 {
        format!(
            "● a statement · page {} of {n} · turns every {PAGE_SECS} s",
            page + 1
        )
    } else {
        "● a statement".to_owned()
    };
    let room = usize::from(inner.height).saturating_sub(1);
    lines.resize(room, Line::from(""));
    lines.push(Line::from(Span::styled(foot, theme.dim)));
    f.render_widget(para(lines), inner);
}

/// One page: a run of concepts at a run of columns, with the widths they
/// are drawn at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Page {
    pub rows: std::ops::Range<usize>,
    pub columns: std::ops::Range<usize>,
    name_w: usize,
    col_w: usize,
    /// Blank rows between concepts: one where there is room for it.
    gap: usize,
}

/// The pages the grid needs in `area`: every concept at every column, each
/// exactly once; a single page when it all fits.
pub(super) fn layout(grid: &Grid, session: &Session, area: Rect) -> Vec<Page> {
    let width = usize::from(area.width);
    let name_w = (width / 3).clamp(12, 40);
    let n_cols = grid.accounts.len().max(1);
    let per_page = (width.saturating_sub(name_w) / MIN_COLUMN).clamp(1, n_cols);
    let col_w = (width.saturating_sub(name_w) / per_page).max(4);
    // The header takes two rows, the foot one; a blank row between
    // concepts where the screen is tall enough to spare it.
    let room = usize::from(area.height).saturating_sub(3).max(1);
    let gap = usize::from(area.height >= 26);
    let mut row_runs = Vec::new();
    let mut start = 0;
    let mut used = 0;
    for (i, row) in grid.rows.iter().enumerate() {
        let h = name_rows(session, &row.concept, name_w).len() + gap;
        if used + h > room && i > start {
            row_runs.push(start..i);
            start = i;
            used = 0;
        }
        used += h;
    }
    row_runs.push(start..grid.rows.len());
    let mut pages = Vec::new();
    for rows in row_runs {
        let mut c = 0;
        while c < n_cols {
            let end = (c + per_page).min(n_cols);
            pages.push(Page {
                rows: rows.clone(),
                columns: c..end,
                name_w,
                col_w,
                gap,
            });
            c = end;
        }
    }
    pages
}

/// A concept's id and name, wrapped at words to `width` (at most three
/// rows, the last ending "…" if more was left).
fn name_rows(session: &Session, concept: &crate::domain::ConceptId, width: usize) -> Vec<String> {
    let name = session
        .concepts
        .get(concept)
        .map(|c| format!("{} {}", c.id, c.name))
        .unwrap_or_else(|| concept.to_string());
    wrap_words(&name, width.saturating_sub(1), 3)
}

/// `text` wrapped at spaces to `width`, at most `max` rows; a word longer
/// than a row, or words beyond the last row, end in "…".
fn wrap_words(text: &str, width: usize, max: usize) -> Vec<String> {
    let width = width.max(2);
    // A word longer than a row is cut to fit, marked "…": the only way to
    // show some of it.
    let fitted: Vec<String> = text
        .split_whitespace()
        .map(|w| match w.chars().count() > width {
            true => w.chars().take(width - 1).chain(['…']).collect(),
            false => w.to_owned(),
        })
        .collect();
    let mut rows = super::big::wrap_words(&fitted.join(" "), width).unwrap_or_default();
    let cut = rows.len() > max;
    rows.truncate(max);
    // Words left over: the last row says so, unless it already ends "…".
    if cut
        && let Some(last) = rows.last_mut()
        && !last.ends_with('…')
    {
        *last = super::big::shorten_at_word(&format!("{last} …"), width);
    }
    rows
}

fn draw_page(grid: &Grid, session: &Session, p: &Page, theme: &Theme) -> Vec<Line<'static>> {
    let bold = theme.accent.add_modifier(Modifier::BOLD);
    let pad = |s: &str, w: usize| format!("{s:<w$}");
    // The column heads, wrapped to two rows.
    let heads: Vec<Vec<String>> = grid.accounts[p.columns.clone()]
        .iter()
        .map(|a| wrap_words(&a.label(session), p.col_w.saturating_sub(1), 2))
        .collect();
    let mut lines = Vec::new();
    for r in 0..2 {
        let mut spans = vec![Span::styled(
            pad(if r == 0 { "concept" } else { "" }, p.name_w),
            bold,
        )];
        for h in &heads {
            let text = h.get(r).map_or("", String::as_str);
            spans.push(Span::styled(pad(text, p.col_w), bold));
        }
        lines.push(Line::from(spans));
    }
    for row in &grid.rows[p.rows.clone()] {
        let names = name_rows(session, &row.concept, p.name_w);
        for (k, name) in names.iter().enumerate() {
            let mut spans = vec![Span::styled(pad(name, p.name_w), theme.base)];
            if k == 0 {
                for i in p.columns.clone() {
                    spans.push(cell(row.counted(i), p.col_w, theme));
                }
            }
            lines.push(Line::from(spans));
        }
        lines.extend((0..p.gap).map(|_| Line::from("")));
    }
    lines
}

/// A cell: a dot for each statement, as many as fit, and the count.
fn cell(n: usize, width: usize, theme: &Theme) -> Span<'static> {
    if n == 0 {
        return Span::styled(format!("{:<width$}", "·"), theme.dim);
    }
    let count = n.to_string();
    let dots = n.min(width.saturating_sub(count.len() + 2)).min(10);
    let text = format!("{} {count}", "●".repeat(dots));
    Span::styled(format!("{text:<width$}"), theme.base)
}
