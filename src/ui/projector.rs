//! The projector screen: readable from the back of the room.

use super::untrusted::para;
use super::widgets::{big_clock, clock, round_lines, speaker_label, voice_line};
use super::{Theme, panel};
use crate::app::{App, vote as vote_app};
use crate::domain::{Session, StageState, Timestamp};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
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
    let clock_rows: u16 = if area.height >= 40 { 8 } else { 4 };
    let stage_height = clock_rows + 6;
    let room = room_line(app, theme);
    // Two rows when the code and the connected list do not fit in one.
    let room_rows = room.as_ref().map_or(0, |l| {
        if l.width() > usize::from(area.width) {
            2
        } else {
            1
        }
    });
    let [stage_area, lower, voice, room_area] = Layout::vertical([
        Constraint::Length(stage_height),
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(room_rows),
    ])
    .areas(area);
    if let Some(line) = room {
        f.render_widget(para(line).wrap(Wrap { trim: true }), room_area);
    }
    stage_panel(
        f,
        stage_area,
        session,
        now,
        clock_rows,
        app.clock_shows_used,
        theme,
    );

    let round = vote_app::open_round(session);
    let (said_area, vote_area) = match round {
        Some(_) if lower.width >= 100 => {
            let [a, b] =
                Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
                    .areas(lower);
            (a, Some(b))
        }
        Some(_) => {
            let [a, b] = Layout::vertical([Constraint::Percentage(40), Constraint::Percentage(60)])
                .areas(lower);
            (a, Some(b))
        }
        None => (lower, None),
    };
    // An interpretation under discussion takes the place of the latest statements.
    let discussed = round
        .and_then(|r| match &r.target {
            crate::domain::VoteTarget::Interpretation(i) => Some(i.clone()),
            _ => None,
        })
        .or_else(|| match &session.room {
            crate::domain::RoomView::Interpretation(i) => Some(i.clone()),
            crate::domain::RoomView::Latest => None,
        });
    match discussed
        .as_ref()
        .and_then(|i| session.interpretations.get(i))
    {
        Some(i) => interpretation(f, said_area, session, i, theme),
        None => statements(f, said_area, session, theme),
    }
    if let (Some(round), Some(area)) = (round, vote_area) {
        let block = panel(
            Span::styled(
                format!(" Vote {} · {} ", round.id, round.method.label()),
                theme.accent,
            ),
            theme,
        );
        let inner = block.inner(area);
        f.render_widget(block, area);
        let mut lines = vec![
            Line::from(Span::styled(round.question.clone(), theme.title)),
            Line::from(""),
        ];
        lines.extend(round_lines(session, round, inner.width, theme));
        f.render_widget(para(lines).wrap(Wrap { trim: false }), inner);
    }
    f.render_widget(para(voice_line(session, voice.width, theme)), voice);
}

/// Who else is connected, and how to join from another laptop.
fn room_line(app: &App, theme: &Theme) -> Option<Line<'static>> {
    let mut spans = Vec::new();
    if let Some((code, at)) = &app.join_code {
        spans.push(Span::styled("Join: ", theme.dim));
        spans.push(Span::styled(format!("code {code}"), theme.title));
        spans.push(Span::styled(format!(" at {at}   "), theme.dim));
    }
    if !app.peers.is_empty() {
        spans.push(Span::styled("Connected: ", theme.dim));
        spans.push(Span::styled(app.peers.join(", "), theme.base));
    } else if app.join_code.is_some() {
        spans.push(Span::styled("no other terminal connected", theme.dim));
    }
    (!spans.is_empty()).then(|| Line::from(spans))
}

fn stage_panel(
    f: &mut Frame,
    area: Rect,
    session: &Session,
    now: Timestamp,
    clock_rows: u16,
    used: bool,
    theme: &Theme,
) {
    let total = session.stages.len();
    let Some(stage) = session.current_stage() else {
        let (title, body) = match session.next_stage() {
            Some(next) => (
                " Waiting to start ".to_owned(),
                format!(
                    "Next: {} ({} min)\n\n{}",
                    next.title,
                    next.planned_secs / 60,
                    next.prompt
                ),
            ),
            None => (
                " All stages done ".to_owned(),
                "Thank you. Every stage of the agenda has been run.".to_owned(),
            ),
        };
        let block = panel(Span::styled(title, theme.accent), theme);
        f.render_widget(
            para(body)
                .style(theme.title)
                .wrap(Wrap { trim: true })
                .block(block),
            area,
        );
        return;
    };
    let n = session
        .stages
        .get_index_of(&stage.id)
        .map(|i| i + 1)
        .unwrap_or(0);
    let block = panel(
        Span::styled(
            format!(" Stage {n} of {total} · {} ", stage.kind),
            theme.accent,
        ),
        theme,
    );
    let inner = block.inner(area);
    f.render_widget(block, area);
    let [title, prompt, digits, cue] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(2),
        Constraint::Length(clock_rows),
        Constraint::Length(1),
    ])
    .areas(inner);
    f.render_widget(para(Span::styled(stage.title.as_str(), theme.title)), title);
    f.render_widget(
        para(stage.prompt.as_str())
            .style(theme.base)
            .wrap(Wrap { trim: true }),
        prompt,
    );
    let c = clock(stage, now, used, theme);
    big_clock(f, digits, &c);
    let next = session
        .stages
        .get_index(n)
        .map(|(_, s)| format!("Next: {} ({} min)", s.title, s.planned_secs / 60))
        .unwrap_or_else(|| "Last stage".into());
    let mut spans = vec![Span::styled(format!(" {} ", c.cue), c.style)];
    if stage.state() == StageState::Running || stage.state() == StageState::Paused {
        spans.push(Span::styled(
            format!(
                "  {} used of {} min   ",
                crate::domain::time::mmss(stage.elapsed_millis(now) / 1000),
                stage.allowed_secs() / 60
            ),
            theme.dim,
        ));
    }
    spans.push(Span::styled(next, theme.base));
    f.render_widget(para(Line::from(spans)), cue);
}

/// The latest statements, newest first, in bold so they carry across a room.
fn statements(f: &mut Frame, area: Rect, session: &Session, theme: &Theme) {
    let block = panel(Span::styled(" What has been said ", theme.accent), theme);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let width = inner.width.max(1) as usize;
    let mut lines: Vec<Line> = Vec::new();
    let mut rows = 0usize;
    // Only the statements that fit are turned into lines.
    for s in session
        .statements
        .values()
        .rev()
        // Without consent, a participant's words are never on the wall.
        .filter(|s| !s.is_retracted() && session.consents(&s.current().speaker))
    {
        let v = s.current();
        let text_rows =
            v.text.chars().count().div_ceil(width).max(1) + v.text.matches('\n').count();
        if rows + text_rows + 1 > inner.height as usize && !lines.is_empty() {
            break;
        }
        rows += text_rows + 2;
        // A line break in what was typed reads as a space on the wall.
        let words = v.text.replace('\n', " ");
        let quote = if v.kind == crate::domain::StatementKind::Quote {
            format!("“{words}”")
        } else {
            words
        };
        lines.push(Line::from(Span::styled(
            quote,
            theme.title.add_modifier(Modifier::BOLD),
        )));
        lines.push(Line::from(Span::styled(
            format!("   — {} ({})", speaker_label(session, &v.speaker), v.kind),
            theme.dim,
        )));
        lines.push(Line::from(""));
    }
    if lines.is_empty() {
        lines.push(Line::from(Span::styled("Nothing captured yet.", theme.dim)));
    }
    f.render_widget(para(lines).wrap(Wrap { trim: false }), inner);
}

/// The interpretation under discussion and the quotes it rests on, in bold.
fn interpretation(
    f: &mut Frame,
    area: Rect,
    session: &Session,
    i: &crate::domain::synthesis::Interpretation,
    theme: &Theme,
) {
    let block = panel(
        Span::styled(
            format!(" Interpretation {} · {} ", i.id, i.status),
            theme.accent,
        ),
        theme,
    );
    let inner = block.inner(area);
    f.render_widget(block, area);
    let p = crate::domain::analysis::provenance(session, i);
    let mut lines = vec![
        Line::from(Span::styled(
            format!("“{}”", i.text()),
            theme.title.add_modifier(Modifier::BOLD),
        )),
        Line::from(""),
        Line::from(Span::styled("Resting on what was said:", theme.accent)),
    ];
    for e in p
        .evidence
        .iter()
        .filter(|e| !e.retracted() && session.consents(&e.statement.current().speaker))
    {
        let v = e.statement.current();
        let words = v.text.replace('\n', " ");
        lines.push(Line::from(Span::styled(
            if v.kind == crate::domain::StatementKind::Quote {
                format!("“{words}”")
            } else {
                words
            },
            theme.base.add_modifier(Modifier::BOLD),
        )));
        lines.push(Line::from(Span::styled(
            format!("   — {}", speaker_label(session, &v.speaker)),
            theme.dim,
        )));
    }
    f.render_widget(para(lines).wrap(Wrap { trim: false }), inner);
}
