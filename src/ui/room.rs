//! The projector's room views other than the live stage: a closed round's
//! results, one statement full-screen, the holding slide, and a break.

use super::big::big_words;
use super::untrusted::para;
use super::widgets::{big_clock, speaker_label};
use super::{Theme, panel};
use crate::domain::vote::VoteRound;
use crate::domain::{Session, StageKind, Timestamp};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::Span;
use ratatui::widgets::Wrap;

/// A closed round's results, large: the question, every option's bar,
/// count and share, and the role groups' counts.
pub(super) fn results(
    f: &mut Frame,
    area: Rect,
    session: &Session,
    round: &VoteRound,
    theme: &Theme,
) {
    let state = if round.is_open() { "open" } else { "closed" };
    let block = panel(
        Span::styled(
            format!(
                " Results · round {} · {} · {state} ",
                round.id,
                round.method.label()
            ),
            theme.accent,
        ),
        theme,
    );
    let inner = block.inner(area);
    f.render_widget(block, area);
    let table = super::results::table(session, round, inner.width, theme);
    // Every option first; the question takes what they leave, as large as fits.
    let table_rows = (table.len() as u16).min(inner.height.saturating_sub(1));
    let question = Rect {
        height: inner.height - table_rows,
        ..inner
    };
    let style = theme.title.add_modifier(Modifier::BOLD);
    let used = big_words(f, question, &round.question, style, false);
    // The options follow the question after a blank line, when there is room.
    let gap = u16::from(used < question.height);
    let rest = Rect {
        y: inner.y + used + gap,
        height: table_rows,
        ..inner
    };
    f.render_widget(para(table), rest);
}

/// One statement, full-screen, as large as it fits.
pub(super) fn one_statement(
    f: &mut Frame,
    area: Rect,
    session: &Session,
    st: &crate::domain::Statement,
    theme: &Theme,
) {
    let v = st.current();
    let block = panel(
        Span::styled(
            format!(" {} · {} ", speaker_label(session, &v.speaker), v.kind),
            theme.accent,
        ),
        theme,
    );
    let inner = block.inner(area);
    f.render_widget(block, area);
    let words = v.text.replace('\n', " ");
    let text = if v.kind == crate::domain::StatementKind::Quote {
        format!("“{words}”")
    } else {
        words
    };
    big_words(
        f,
        inner,
        &text,
        theme.title.add_modifier(Modifier::BOLD),
        false,
    );
}

/// The holding slide: the session's title and focus, nothing else.
pub(super) fn holding(f: &mut Frame, area: Rect, session: &Session, theme: &Theme) {
    let block = panel(Span::raw(""), theme);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let [_, title, _, focus] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Percentage(50),
        Constraint::Length(1),
        Constraint::Min(1),
    ])
    .areas(inner);
    big_words(
        f,
        title,
        session.title(),
        theme.title.add_modifier(Modifier::BOLD),
        true,
    );
    f.render_widget(
        para(session.focus().to_owned())
            .style(theme.base)
            .alignment(ratatui::layout::Alignment::Center)
            .wrap(Wrap { trim: true }),
        focus,
    );
}

/// A break: "Back at" the time, in big digits, and how long is left.
pub(super) fn break_screen(
    f: &mut Frame,
    area: Rect,
    session: &Session,
    now: Timestamp,
    until: Timestamp,
    theme: &Theme,
) {
    let block = panel(Span::styled(" Break ", theme.accent), theme);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let digits_rows: u16 = if inner.height >= 20 { 8 } else { 4 };
    let [_, label, digits, _, left, _, prompt] = Layout::vertical([
        Constraint::Min(0),
        Constraint::Length(1),
        Constraint::Length(digits_rows),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(inner);
    let centre = ratatui::layout::Alignment::Center;
    f.render_widget(
        para(Span::styled("Back at", theme.title)).alignment(centre),
        label,
    );
    let back = until.clock_time();
    big_clock(
        f,
        digits,
        &super::widgets::Clock {
            digits: back.clone(),
            cue: "",
            style: theme.title,
        },
    );
    let remaining = until.millis_since(now);
    let left_text = if remaining > 0 {
        format!(
            "{} left · back at {back} {}",
            crate::domain::time::mmss((remaining + 999) / 1000),
            until.zone()
        )
    } else {
        format!(
            "time to start again ({} over)",
            crate::domain::time::mmss(-remaining / 1000)
        )
    };
    f.render_widget(
        para(Span::styled(left_text, theme.accent)).alignment(centre),
        left,
    );
    let prompt_text = session
        .current_stage()
        .filter(|s| s.kind == StageKind::Break)
        .map(|s| s.prompt.clone())
        .unwrap_or_default();
    f.render_widget(
        para(prompt_text)
            .style(theme.base)
            .alignment(centre)
            .wrap(Wrap { trim: true }),
        prompt,
    );
}
