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
use ratatui::text::{Line, Span};
use ratatui::widgets::Wrap;

/// A closed round's results, large: what it was about, the question, every
/// option's bar, count and share, and the role groups' counts.
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
    let table = super::results::table(session, round, natural(session), inner.width, theme);
    vote_body(f, inner, session, round, table, theme);
}

/// An open round as every projector shows it: what it is about, the
/// question, and every option with its live count (or, hidden, every option
/// and that the counts come at the close).
pub(super) fn open_vote(
    f: &mut Frame,
    area: Rect,
    session: &Session,
    round: &VoteRound,
    theme: &Theme,
) {
    let title = match round.named {
        true => format!(
            " Vote {} · {} · NAMED: who chose what is shown ",
            round.id,
            round.method.label()
        ),
        false => format!(" Vote {} · {} ", round.id, round.method.label()),
    };
    let block = panel(Span::styled(title, theme.accent), theme);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let below = options(session, round, inner.width, theme);
    vote_body(f, inner, session, round, below, theme);
}

/// Every option of an open round, with its count when the room may see it.
fn options<'a>(session: &Session, round: &VoteRound, width: u16, theme: &Theme) -> Vec<Line<'a>> {
    if round.results_visible() {
        return super::results::table(session, round, natural(session), width, theme);
    }
    let mut lines: Vec<Line> = round
        .method
        .labels()
        .into_iter()
        .enumerate()
        .map(|(i, label)| Line::from(Span::styled(format!("{} {label}", i + 1), theme.base)))
        .collect();
    lines.extend(super::widgets::round_lines(session, round, width, theme));
    lines
}

/// The fewest rows [`open_vote`] needs at `width` to show everything, the
/// question in ordinary type.
pub(super) fn open_vote_rows(
    session: &Session,
    round: &VoteRound,
    width: u16,
    theme: &Theme,
) -> u16 {
    let inner = width.saturating_sub(2);
    let about = crate::domain::describe::vote_about(session, &round.target)
        .map_or(0, |a| rows_for(&a, inner));
    let below = options(session, round, inner, theme).len() as u16;
    2 + about + rows_for(&round.question, inner) + 1 + below
}

/// Rows `text` takes wrapped at `width`, words whole where they can be.
fn rows_for(text: &str, width: u16) -> u16 {
    let width = usize::from(width.max(1));
    match super::big::wrap_words(text, width) {
        Some(lines) => lines.len().max(1) as u16,
        None => text.chars().count().div_ceil(width).max(1) as u16,
    }
}

/// Inside a round's panel: every option (`below`) first, then what the
/// round is about, whole, and the question with what is left, as large as
/// fits.
fn vote_body(
    f: &mut Frame,
    inner: Rect,
    session: &Session,
    round: &VoteRound,
    below: Vec<Line<'_>>,
    theme: &Theme,
) {
    let below_rows = (below.len() as u16).min(inner.height.saturating_sub(1));
    let about = crate::domain::describe::vote_about(session, &round.target);
    let about_rows = about
        .as_ref()
        .map_or(0, |a| rows_for(a, inner.width))
        .min(inner.height.saturating_sub(below_rows + 1));
    let question_rows = inner.height.saturating_sub(below_rows + about_rows);
    let [about_area, question, rest] = Layout::vertical([
        Constraint::Length(about_rows),
        Constraint::Length(question_rows),
        Constraint::Length(below_rows),
    ])
    .areas(inner);
    if let Some(about) = about {
        f.render_widget(
            para(Span::styled(about, theme.base)).wrap(Wrap { trim: true }),
            about_area,
        );
    }
    let style = theme.title.add_modifier(Modifier::BOLD);
    let used = big_words(f, question, &round.question, style, false);
    // The options follow the question after a blank line, when there is room.
    let gap = u16::from(used < question.height);
    let rest = Rect {
        y: question.y + used + gap,
        ..rest
    };
    f.render_widget(para(below), rest);
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

/// What every projector breaks results down by: the room's natural
/// breakdown (sector in a staff study, role group otherwise).
fn natural(session: &Session) -> crate::domain::Breakdown {
    crate::domain::Breakdown::natural(session.participants.values())
}
