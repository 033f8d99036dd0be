//! The synthesis screen: concepts and statements, the translation grid,
//! interpretations with their provenance.

use super::big::shorten_at_word;
use super::untrusted::para;
use super::{Theme, fit_title, panel};
use crate::app::App;
use crate::app::actions::Layer;
use crate::app::synthesis::{Pane, SynthView, active_concepts, current_interpretation, listing};
use crate::domain::analysis::grid_with;
use crate::domain::{Session, Timestamp};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Wrap;

pub fn render(
    f: &mut Frame,
    area: Rect,
    app: &App,
    session: &Session,
    now: Timestamp,
    theme: &Theme,
) {
    match app.synthesis.view {
        SynthView::Link => link(f, area, app, session, now, theme),
        SynthView::Grid => grid_view(f, area, app, session, theme),
        SynthView::Interpretations => interpretations(f, area, app, session, now, theme),
    }
}

/// Rows `start..start+rows` of a list of `n`, keeping `cursor` in view.
fn window(cursor: usize, n: usize, rows: usize) -> std::ops::Range<usize> {
    let rows = rows.max(1);
    let start = cursor.saturating_sub(rows - 1).min(n.saturating_sub(rows));
    start..(start + rows).min(n)
}

fn link(f: &mut Frame, area: Rect, app: &App, session: &Session, now: Timestamp, theme: &Theme) {
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(38), Constraint::Percentage(62)]).areas(area);
    concepts_pane(f, left, app, session, theme);
    statements_pane(f, right, app, session, now, theme);
}

/// The border of a pane: bright when it has the keys.
/// A pane's title, with `▶` before it when the pane has the keys: said in
/// words, not only by the border's colour.
fn pane_title(app: &App, pane: Pane, title: String) -> String {
    match app.synthesis.pane == pane {
        true => format!(" ▶{title}"),
        false => title,
    }
}

fn pane_border(app: &App, pane: Pane, theme: &Theme) -> ratatui::style::Style {
    if app.synthesis.pane == pane {
        theme.accent
    } else {
        theme.border
    }
}

/// The concepts, marks and the one under the cursor described.
fn concepts_pane(f: &mut Frame, left: Rect, app: &App, session: &Session, theme: &Theme) {
    let st = &app.synthesis;
    let concepts = active_concepts(session);
    let title = app.keymap.fill(
        Layer::Synthesis,
        &format!(
            " Concepts ({}) — {{NewConcept}} new · {{Link}} link · {{Split}} split · {{Merge}} merge ",
            concepts.len()
        ),
    );
    let title = fit_title(&pane_title(app, Pane::Concepts, title), left.width);
    let block = panel(Span::styled(title, theme.accent), theme).border_style(pane_border(
        app,
        Pane::Concepts,
        theme,
    ));
    let inner = block.inner(left);
    f.render_widget(block, left);
    let cursor = st.concept.min(concepts.len().saturating_sub(1));
    let [list_area, detail_area] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(4)]).areas(inner);
    let name_w = list_area.width as usize;
    let mut lines = Vec::new();
    for i in window(cursor, concepts.len(), list_area.height as usize) {
        let c = concepts[i];
        let marked = st.marked_concepts.contains(&c.id);
        let here = i == cursor;
        let style = if here && st.pane == Pane::Concepts {
            theme.selected
        } else if marked {
            theme.accent
        } else {
            theme.base
        };
        let head = format!(
            "{}{} {} ({}) ",
            if here { "▶" } else { " " },
            if marked { "[x]" } else { "[ ]" },
            c.id,
            c.statements.len(),
        );
        // The name ends at a whole word ("…" where more follows).
        let room = name_w.saturating_sub(head.chars().count());
        let row = head + &shorten_at_word(&c.name, room);
        lines.push(Line::from(Span::styled(row, style)));
    }
    if concepts.is_empty() {
        lines.push(Line::from(Span::styled(
            app.keymap
                .fill(Layer::Synthesis, "No concepts yet: {NewConcept} names one."),
            theme.dim,
        )));
    }
    f.render_widget(para(lines), list_area);
    let mut lines = Vec::new();
    if let Some(c) = concepts.get(cursor) {
        let d = if c.description.is_empty() {
            app.keymap.fill(
                Layer::Synthesis,
                "(no description: {DescribeConcept} adds one)",
            )
        } else {
            c.description.clone()
        };
        lines.push(Line::from(Span::styled(d, theme.dim)));
        let linked: Vec<&str> = c.statements.iter().map(|s| s.as_str()).collect();
        lines.push(Line::from(Span::styled(
            format!("statements: {}", linked.join(", ")),
            theme.dim,
        )));
    }
    f.render_widget(para(lines).wrap(Wrap { trim: false }), detail_area);
}

/// The statements (filtered), marks, and the concepts each is linked to.
fn statements_pane(
    f: &mut Frame,
    right: Rect,
    app: &App,
    session: &Session,
    now: Timestamp,
    theme: &Theme,
) {
    let st = &app.synthesis;
    let statements = listing(app, session, &st.filter);
    let title = if st.filter.is_empty() {
        app.keymap.fill(
            Layer::Synthesis,
            &format!(
                " Statements ({}) — {{Mark}} mark · {{Filter}} filter · {{SwitchPane}} pane ",
                statements.len()
            ),
        )
    } else {
        format!(
            " Statements matching “{}” ({}) — {} ",
            st.filter,
            statements.len(),
            app.keymap.fill(Layer::Synthesis, "{Cancel} clears")
        )
    };
    let title = fit_title(&pane_title(app, Pane::Statements, title), right.width);
    let block = panel(Span::styled(title, theme.accent), theme).border_style(pane_border(
        app,
        Pane::Statements,
        theme,
    ));
    let inner = block.inner(right);
    f.render_widget(block, right);
    let cursor = st.statement.min(statements.len().saturating_sub(1));
    let width = inner.width as usize;
    // The statement under the cursor is shown whole, on the rows below its
    // own (up to four), so its row and those rows are kept on screen.
    let whole: Vec<String> = statements
        .get(cursor)
        .map(|item| {
            let shown = super::withheld::shown(app, item.home, &item.id, item.statement, now);
            super::big::wrap_words(&shown.words.replace('\n', " "), width.saturating_sub(6))
                .unwrap_or_default()
        })
        .unwrap_or_default();
    let more = (whole.len().saturating_sub(1)).min(4);
    // Only the rows on screen are built, and only their concept links looked up.
    let rows: Vec<(usize, crate::app::synthesis::Item)> = window(
        cursor,
        statements.len(),
        (inner.height as usize).saturating_sub(more),
    )
    .filter_map(|i| statements.get(i).map(|item| (i, item)))
    .collect();
    let id_w = rows
        .iter()
        .map(|(_, i)| i.id.as_str().len())
        .max()
        .unwrap_or(4)
        .max(5);
    // As wide as the widest speaker shown ("group" is five letters).
    let who_w = rows
        .iter()
        .map(|(_, i)| i.statement.current().speaker.to_string().chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    let mut lines = Vec::new();
    for (i, item) in &rows {
        let i = *i;
        let s = item.statement;
        let v = s.current();
        let marked = st.marked_statements.contains(&item.id);
        let here = i == cursor;
        // Kept by `apply`, so a frame costs the same however many links.
        let concepts: Vec<&str> = session
            .linked
            .get(&item.id)
            .map(|cs| cs.iter().map(|c| c.as_str()).collect())
            .unwrap_or_default();
        // Before the words, so a long statement cannot push them out of view.
        let linked = if concepts.is_empty() {
            String::new()
        } else {
            format!("→{} ", concepts.join(","))
        };
        let shown = super::withheld::shown(app, item.home, &item.id, s, now);
        let role = item
            .home
            .role_of(&v.speaker)
            .map(|r| r.group().label())
            .unwrap_or("group");
        // A narrow pane keeps the words: the role group goes (the speaker
        // stays, and the grid counts by group).
        let role = match width >= 70 {
            true => format!("{role:<13} "),
            false => String::new(),
        };
        let head = format!(
            "{}{} {:<id_w$} {:<who_w$} {role}{linked}",
            if here { "▶" } else { " " },
            if marked { "[x]" } else { "[ ]" },
            item.id,
            v.speaker.to_string(),
        );
        // The words end at a whole word ("…" where more follows; under the
        // cursor the rest follows on the rows beneath).
        let room = width.saturating_sub(head.chars().count());
        let words = shown.words.replace('\n', " ");
        let text = match here && words.chars().count() > room {
            true => head + &words[..room_words(&words, room)],
            false => head + &shorten_at_word(&words, room),
        };
        let style = if shown.revealed {
            theme.over
        } else if here && st.pane == Pane::Statements {
            theme.selected
        } else if marked {
            theme.accent
        } else if s.is_retracted() {
            theme.dim
        } else {
            theme.base
        };
        lines.push(Line::from(Span::styled(text, style)));
        if here && whole.len() > 1 {
            // The rest of its words, whole, beneath it.
            let shown_up_to = room_words(&words, room);
            let rest = words[shown_up_to..].trim_start();
            let rest_lines =
                super::big::wrap_words(rest, width.saturating_sub(6)).unwrap_or_default();
            let n = rest_lines.len();
            for (k, l) in rest_lines.into_iter().take(4).enumerate() {
                let l = if k == 3 && n > 4 {
                    shorten_at_word(&format!("{l} …"), width.saturating_sub(6))
                } else {
                    l
                };
                lines.push(Line::from(Span::styled(format!("      {l}"), style)));
            }
        }
    }
    if statements.is_empty() {
        lines.push(Line::from(Span::styled("No statements match.", theme.dim)));
    }
    f.render_widget(para(lines), inner);
}

/// The byte length of the leading whole words of `words` that fit in
/// `room` characters.
fn room_words(words: &str, room: usize) -> usize {
    let mut end = 0;
    for (n, (i, c)) in words.char_indices().enumerate() {
        if n >= room {
            return end;
        }
        if c == ' ' {
            end = i;
        }
    }
    words.len()
}

fn grid_view(f: &mut Frame, area: Rect, app: &App, session: &Session, theme: &Theme) {
    let accounts = app.synthesis.accounts;
    let resolve = |id: &crate::domain::StatementId| app.resolve(id);
    let g = grid_with(session, &resolve, accounts);
    let by = accounts.label();
    let width = usize::from(area.width.saturating_sub(2));
    let name_w = (width / 4).clamp(16, 32);
    // Columns narrower than this go onto pages, turned with ←→.
    const MIN_COLUMN: usize = 12;
    let n_cols = g.accounts.len();
    let per_page = (width.saturating_sub(name_w + 1) / MIN_COLUMN).clamp(1, n_cols.max(1));
    let first = app.synthesis.column.min(n_cols.saturating_sub(per_page));
    let shown = first..(first + per_page).min(n_cols);
    app.synthesis.columns_fit.set((per_page, n_cols));
    let paged = if per_page < n_cols {
        app.keymap.fill(
            Layer::Synthesis,
            &format!(
                " · {by}s {}–{} of {n_cols}, {{GridColumnsBack}}{{GridColumnsOn}} more",
                shown.start + 1,
                shown.end
            ),
        )
    } else {
        String::new()
    };
    // A workspace has no wall to put it on.
    let project = if app.in_workspace() {
        ""
    } else {
        " · {Present} project"
    };
    let title = app.keymap.fill(
        Layer::Synthesis,
        &format!(
            " Translation grid — concepts × {by}{paged} · {{ToggleAccounts}} switches · {{SelectUp}}{{SelectDown}} scroll{project} · {{ShowGrid}} back "
        ),
    );
    let block = panel(
        Span::styled(super::fit_title(&title, area.width), theme.accent),
        theme,
    );
    let inner = block.inner(area);
    f.render_widget(block, area);
    let cols = shown.len().max(1);
    let col_w = ((width.saturating_sub(name_w + 1)) / cols).max(6);
    // Whatever does not fit ends at a whole word or id, with "…".
    let cell = |s: String| -> String {
        let s = shorten_at_word(&s, col_w - 1);
        format!("{s:<w$} ", w = col_w - 1)
    };
    let mut head = format!("{:<name_w$} ", "concept");
    for a in &g.accounts[shown.clone()] {
        head.push_str(&cell(a.label(session)));
    }
    let mut lines = vec![Line::from(Span::styled(head, theme.accent))];
    // Only the rows that fit are built: the grid stays quick however many statements.
    let rows = (inner.height as usize).saturating_sub(1);
    let start = app.synthesis.scroll.min(g.rows.len().saturating_sub(rows));
    for row in g.rows.iter().skip(start).take(rows) {
        let name: String = session
            .concepts
            .get(&row.concept)
            .map(|c| shorten_at_word(&format!("{} {}", c.id, c.name), name_w))
            .unwrap_or_default();
        let mut line = format!("{name:<name_w$} ");
        for (i, c) in row
            .cells
            .iter()
            .enumerate()
            .skip(shown.start)
            .take(shown.len())
        {
            // A retracted statement is marked ✗ and not counted.
            let text = match c.len() {
                0 => "·".to_owned(),
                _ => super::widgets::ids_in(Some(row.counted(i)), &row.ids(i, "✗"), col_w - 1),
            };
            line.push_str(&cell(text));
        }
        lines.push(Line::from(Span::styled(line, theme.base)));
    }
    if g.rows.is_empty() {
        lines.push(Line::from(Span::styled("No concepts yet.", theme.dim)));
    }
    f.render_widget(para(lines), inner);
}

fn interpretations(
    f: &mut Frame,
    area: Rect,
    app: &App,
    session: &Session,
    now: Timestamp,
    theme: &Theme,
) {
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(34), Constraint::Percentage(66)]).areas(area);
    let title = app.keymap.fill(
        Layer::Synthesis,
        " Interpretations — {DescribeConcept} reword · {ShowInterpretations} back ",
    );
    let block = panel(
        Span::styled(super::fit_title(&title, left.width), theme.accent),
        theme,
    );
    let inner = block.inner(left);
    f.render_widget(block, left);
    let current = current_interpretation(app, session);
    let mut lines = Vec::new();
    for i in session.interpretations.values() {
        let here = Some(&i.id) == current.as_ref();
        let projected = session.room == crate::domain::RoomView::Interpretation(i.id.clone());
        lines.push(Line::from(Span::styled(
            format!(
                "{}{} [{}]{} {}",
                if here { "▶" } else { " " },
                i.id,
                i.status,
                if projected { " ◉" } else { "" },
                i.text()
            ),
            if here { theme.selected } else { theme.base },
        )));
    }
    if lines.is_empty() {
        lines.push(Line::from(Span::styled(
            "None yet: mark concepts, then d drafts one.",
            theme.dim,
        )));
    }
    f.render_widget(para(lines).wrap(Wrap { trim: false }), inner);

    let focused = app.synthesis.pane == Pane::Statements;
    // A workspace records the verdict; the vote and the wall are a workshop's.
    let title = app.keymap.fill(
        Layer::Synthesis,
        if app.in_workspace() {
            " Provenance — {SwitchPane}, then {SelectUp}{SelectDown} scrolls · {MarkAgreed} agreed · {SetAside} set aside "
        } else {
            " Provenance — {SwitchPane}, then {SelectUp}{SelectDown} scrolls · {VoteOnInterpretation} vote · {ResonanceOnInterpretation} resonance · {MarkAgreed} agreed · {SetAside} set aside · {Present} project "
        },
    );
    let block = panel(
        Span::styled(super::fit_title(&title, right.width), theme.accent),
        theme,
    )
    .border_style(if focused { theme.accent } else { theme.border });
    let inner = block.inner(right);
    f.render_widget(block, right);
    let Some(i) = current
        .as_ref()
        .and_then(|id| session.interpretations.get(id))
    else {
        return;
    };
    let scroll = app.synthesis.scroll.min(u16::MAX as usize) as u16;
    f.render_widget(
        para(super::provenance::provenance_lines(
            app, session, i, now, theme,
        ))
        .wrap(Wrap { trim: false })
        .scroll((scroll, 0)),
        inner,
    );
}
