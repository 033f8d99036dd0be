//! The projector screen: readable from the back of the room.

use super::big::{big_words, shorten_at_word};
use super::room;
use super::untrusted::para;
use super::widgets::{big_clock, clock, speaker_label, voice_line};
use super::{Theme, panel};
use crate::app::{App, vote as vote_app};
use crate::domain::vote::VoteRound;
use crate::domain::{
    ParticipantId, RoomView, Session, StageKind, StageState, StatementId, Timestamp, VoteTarget,
};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Wrap;

/// What the projector draws below the header, read from the record (and,
/// for a break stage, from the agenda).
enum Shown<'s> {
    /// The stage, what has been said (up to a statement when held), and an
    /// open vote unless held.
    Live {
        interpretation: Option<&'s crate::domain::synthesis::Interpretation>,
        held: Option<Option<&'s StatementId>>,
    },
    Results(&'s VoteRound),
    Statement(&'s crate::domain::Statement),
    Blank,
    Break(Timestamp),
    Summary,
    Grid(crate::domain::analysis::Accounts),
}

fn shown<'s>(session: &'s Session, now: Timestamp) -> Shown<'s> {
    let live = Shown::Live {
        interpretation: None,
        held: None,
    };
    match &session.room {
        RoomView::Latest => match session.current_stage() {
            Some(s) if s.kind == StageKind::Break && s.state() == StageState::Running => {
                Shown::Break(now.plus_millis(s.remaining_millis(now).max(0)))
            }
            _ => live,
        },
        RoomView::Interpretation(i) => Shown::Live {
            interpretation: session.interpretations.get(i),
            held: None,
        },
        RoomView::Results(r) => session.rounds.get(r).map_or(live, Shown::Results),
        // Checked again here: a statement retracted, or its speaker's
        // consent withdrawn, since it was put up leaves the wall at once.
        RoomView::Statement(id) => match session.statements.get(id) {
            Some(st) if !st.is_retracted() && session.consents(&st.current().speaker) => {
                Shown::Statement(st)
            }
            _ => live,
        },
        RoomView::Blank => Shown::Blank,
        RoomView::Frozen(upto) => Shown::Live {
            interpretation: None,
            held: Some(upto.as_ref()),
        },
        RoomView::Break(until) => Shown::Break(*until),
        RoomView::Summary => Shown::Summary,
        RoomView::Grid(accounts) => Shown::Grid(*accounts),
    }
}

pub fn render(
    f: &mut Frame,
    area: Rect,
    app: &App,
    session: &Session,
    now: Timestamp,
    theme: &Theme,
) {
    let room = room_line(app, theme);
    // Two rows when the code and the connected list do not fit in one.
    let room_rows = room.as_ref().map_or(0, |l| {
        if l.width() > usize::from(area.width) {
            2
        } else {
            1
        }
    });
    let floor = floor_line(session, theme);
    let floor_rows = floor.as_ref().map_or(0, |l| {
        if l.width() > usize::from(area.width) {
            2
        } else {
            1
        }
    });
    let [main, floor_area, voice, room_area] = Layout::vertical([
        Constraint::Min(3),
        Constraint::Length(floor_rows),
        Constraint::Length(1),
        Constraint::Length(room_rows),
    ])
    .areas(area);
    if let Some(line) = room {
        f.render_widget(para(line).wrap(Wrap { trim: true }), room_area);
    }
    // This projector alone shows how phones join, over whatever the room sees.
    if app.show_phones
        && let Some(phones) = &app.phones
    {
        return super::phones::render(f, main.union(voice), phones, theme);
    }
    let shown = shown(session, now);
    // The views that fill the screen have no line of who is waiting: it
    // would be drawn over them.
    if let (
        Some(line),
        Shown::Live { .. } | Shown::Results(_) | Shown::Statement(_) | Shown::Grid(_),
    ) = (floor, &shown)
    {
        f.render_widget(para(line).wrap(Wrap { trim: true }), floor_area);
    }
    match shown {
        Shown::Blank => return room::holding(f, main.union(voice), session, theme),
        Shown::Break(until) => {
            return room::break_screen(f, main.union(voice), session, now, until, theme);
        }
        Shown::Summary => return super::summary::render(f, main.union(voice), session, now, theme),
        Shown::Results(round) => {
            let [head, body] =
                Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(main);
            stage_line(f, head, session, now, app.clock_shows_used, theme);
            room::results(f, body, session, round, theme);
        }
        Shown::Statement(st) => {
            let [head, body] =
                Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(main);
            stage_line(f, head, session, now, app.clock_shows_used, theme);
            room::one_statement(f, body, session, st, theme);
        }
        Shown::Grid(accounts) => {
            let [head, body] =
                Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(main);
            stage_line(f, head, session, now, app.clock_shows_used, theme);
            super::wall_grid::render(f, body, app, session, accounts, now, theme);
        }
        Shown::Live {
            interpretation,
            held,
        } => live(f, main, app, session, now, interpretation, held, theme),
    }
    f.render_widget(para(voice_line(session, voice.width, theme)), voice);
}

/// Below this many rows an open round takes the live view (see [`live`]).
const COMPACT_BELOW: u16 = 30;

/// The stage with its clock, what has been said or the interpretation
/// under discussion, and an open vote beside or below.
#[allow(clippy::too_many_arguments)]
fn live(
    f: &mut Frame,
    area: Rect,
    app: &App,
    session: &Session,
    now: Timestamp,
    interpretation: Option<&crate::domain::synthesis::Interpretation>,
    held: Option<Option<&StatementId>>,
    theme: &Theme,
) {
    // Held still: no vote appears until the facilitator lets the room see it.
    let round = match held {
        Some(_) => None,
        None => vote_app::open_round(session),
    };
    // On a short screen an open round takes the room: the stage on one
    // line, and the round with what it is about and every option below.
    if let Some(round) = round.filter(|_| area.height < COMPACT_BELOW) {
        let [head, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
        stage_line(f, head, session, now, app.clock_shows_used, theme);
        // What has been said keeps what the round does not need, if that
        // is enough to read.
        let needs = room::open_vote_rows(session, round, body.width, theme);
        if body.height >= needs + 4 {
            let [vote, said] =
                Layout::vertical([Constraint::Length(needs), Constraint::Min(4)]).areas(body);
            room::open_vote(f, vote, session, round, theme);
            return statements(f, said, session, held, theme);
        }
        return room::open_vote(f, body, session, round, theme);
    }
    let clock_rows: u16 = if area.height >= 36 { 8 } else { 4 };
    let prompt_rows: u16 = if area.height >= 36 { 8 } else { 2 };
    let stage_height = clock_rows + prompt_rows + 4;
    let [stage_area, lower] =
        Layout::vertical([Constraint::Length(stage_height), Constraint::Min(3)]).areas(area);
    stage_panel(
        f,
        stage_area,
        session,
        now,
        (clock_rows, prompt_rows),
        app.clock_shows_used,
        theme,
    );
    let (said_area, vote_area) = match round {
        Some(_) if lower.width >= 100 => {
            let [a, b] =
                Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
                    .areas(lower);
            (a, Some(b))
        }
        Some(_) => {
            let [a, b] = Layout::vertical([Constraint::Percentage(35), Constraint::Percentage(65)])
                .areas(lower);
            (a, Some(b))
        }
        None => (lower, None),
    };
    // An interpretation under discussion takes the place of the latest statements.
    let discussed = round
        .and_then(|r| match &r.target {
            VoteTarget::Interpretation(i) => session.interpretations.get(i),
            _ => None,
        })
        .or(interpretation);
    match discussed {
        Some(i) => self::interpretation(f, said_area, session, i, theme),
        None => statements(f, said_area, session, held, theme),
    }
    if let (Some(round), Some(area)) = (round, vote_area) {
        room::open_vote(f, area, session, round, theme);
    }
}

/// One line for the stage when something else fills the screen.
fn stage_line(
    f: &mut Frame,
    area: Rect,
    session: &Session,
    now: Timestamp,
    used: bool,
    theme: &Theme,
) {
    let mut line = match session.current_stage() {
        Some(stage) => {
            let c = clock(stage, now, used, theme);
            Line::from(vec![
                Span::styled(format!("{} ", stage.title), theme.title),
                Span::styled(format!("{} {}", c.digits, c.cue), c.style),
            ])
        }
        None => Line::from(Span::styled("No stage running", theme.dim)),
    };
    let room = usize::from(area.width).saturating_sub(line.width() + 3);
    if let Some(end) = super::widgets::finish(session, now, room, theme) {
        line.spans.push(Span::raw(" · "));
        line.spans.push(end);
    }
    f.render_widget(para(line), area);
}

/// Who is waiting to speak, and who has not yet been heard in this stage,
/// by pseudonym and role (nobody without consent is named on the wall).
fn floor_line(session: &Session, theme: &Theme) -> Option<Line<'static>> {
    let on_wall =
        |p: &&ParticipantId| session.consents(&crate::domain::Speaker::Participant((*p).clone()));
    let named = |p: &ParticipantId| {
        let role = session
            .participants
            .get(p)
            .map_or(String::new(), |x| x.described());
        format!("{p} {role}")
    };
    let hands: Vec<String> = session
        .floor
        .hands
        .iter()
        .filter(on_wall)
        .map(named)
        .collect();
    let quiet: Vec<String> = session
        .current_stage()
        .map(|s| session.not_yet_heard(&s.id))
        .unwrap_or_default()
        .into_iter()
        .filter(on_wall)
        .map(named)
        .collect();
    if hands.is_empty() && quiet.is_empty() {
        return None;
    }
    let mut spans = Vec::new();
    if !hands.is_empty() {
        spans.push(Span::styled("Next to speak: ", theme.accent));
        spans.push(Span::styled(hands.join(" · "), theme.title));
        spans.push(Span::raw("   "));
    }
    if !quiet.is_empty() {
        spans.push(Span::styled("Not yet heard: ", theme.accent));
        spans.push(Span::styled(quiet.join(", "), theme.base));
    }
    Some(Line::from(spans))
}

/// Who else is connected, and how to join from another laptop.
fn room_line(app: &App, theme: &Theme) -> Option<Line<'static>> {
    let mut spans = Vec::new();
    if let Some((code, at)) = &app.join_code {
        spans.push(Span::styled("Join: ", theme.dim));
        spans.push(Span::styled(format!("code {code}"), theme.title));
        spans.push(Span::styled(format!(" at {at}   "), theme.dim));
        if app.wrong_codes > 0 {
            // Someone may be guessing: the facilitator should know.
            spans.push(Span::styled(
                format!("{} wrong codes tried   ", app.wrong_codes),
                theme.warn,
            ));
        }
    }
    if let Some(p) = &app.phones {
        spans.push(Span::styled("Phones: ", theme.dim));
        spans.push(Span::styled(
            format!(
                "{} joined{}",
                p.connected.len() + p.unnamed,
                if p.closed { ", door closed" } else { "" }
            ),
            theme.base,
        ));
        if !p.asking.is_empty() {
            spans.push(Span::styled(
                format!(", {} asking to join", p.asking.len()),
                theme.accent,
            ));
        }
        if !p.waiting.is_empty() {
            spans.push(Span::styled(
                format!(", {} waiting", p.waiting.len()),
                theme.accent,
            ));
        }
        if p.wrong_keys > 0 {
            // Someone may be guessing the room key, or replaying what they
            // overheard: the facilitator should know.
            spans.push(Span::styled(
                format!(", {} wrong keys", p.wrong_keys),
                theme.warn,
            ));
        }
        spans.push(Span::raw("   "));
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
    (clock_rows, prompt_rows): (u16, u16),
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
        Constraint::Length(prompt_rows),
        Constraint::Length(clock_rows),
        Constraint::Length(1),
    ])
    .areas(inner);
    f.render_widget(para(Span::styled(stage.title.as_str(), theme.title)), title);
    // The session's projected finish, right of the title, whenever it fits.
    let room = usize::from(title.width).saturating_sub(stage.title.chars().count() + 2);
    if let Some(end) = super::widgets::finish(session, now, room, theme) {
        f.render_widget(
            para(end).alignment(ratatui::layout::Alignment::Right),
            title,
        );
    }
    big_words(f, prompt, &stage.prompt, theme.base, false);
    let c = clock(stage, now, used, theme);
    big_clock(f, digits, &c);
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
    // The next stage's title shortened at a word, never cut inside one.
    let room = usize::from(cue.width).saturating_sub(Line::from(spans.clone()).width());
    let next = session
        .stage_after(&stage.id)
        .map(|s| {
            let minutes = format!(" ({} min)", s.allowed_secs() / 60);
            let title_room = room.saturating_sub("Next: ".len() + minutes.len());
            format!("Next: {}{minutes}", shorten_at_word(&s.title, title_room))
        })
        .unwrap_or_else(|| "Last stage".into());
    spans.push(Span::styled(next, theme.base));
    f.render_widget(para(Line::from(spans)), cue);
}

/// The latest statements, newest first, in bold so they carry across a room.
/// Held still, only those up to the statement it was held at.
fn statements(
    f: &mut Frame,
    area: Rect,
    session: &Session,
    held: Option<Option<&StatementId>>,
    theme: &Theme,
) {
    let block = panel(Span::styled(" What has been said ", theme.accent), theme);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let width = inner.width.max(1) as usize;
    let mut lines: Vec<Line> = Vec::new();
    let mut rows = 0usize;
    // Only the statements that fit are turned into lines.
    let shown = match held {
        Some(Some(id)) => session.statements.get_index_of(id).map_or(0, |i| i + 1),
        Some(None) => 0,
        None => session.statements.len(),
    };
    for s in session
        .statements
        .values()
        .take(shown)
        .rev()
        // Without consent, a participant's words are never on the wall.
        .filter(|s| !s.is_retracted() && session.consents(&s.current().speaker))
    {
        let v = s.current();
        let text_rows: usize = v
            .text
            .lines()
            .map(|l| l.chars().count().div_ceil(width).max(1))
            .sum::<usize>()
            .max(1);
        if rows + text_rows + 1 > inner.height as usize && !lines.is_empty() {
            break;
        }
        rows += text_rows + 2;
        // Lines as they were typed or pasted (a list stays a list).
        let quote = if v.kind == crate::domain::StatementKind::Quote {
            format!("“{}”", v.text.trim_end())
        } else {
            v.text.trim_end().to_owned()
        };
        for line in quote.lines() {
            lines.push(Line::from(Span::styled(
                line.to_owned(),
                theme.title.add_modifier(Modifier::BOLD),
            )));
        }
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
    let words = format!("“{}”", i.text());
    let style = theme.title.add_modifier(Modifier::BOLD);
    // The words being agreed large when they fit in the top half.
    let half = Rect {
        height: inner.height / 2,
        ..inner
    };
    let mut lines = Vec::new();
    let top = match super::big::fit(&words, half) {
        Some(_) => big_words(f, half, &words, style, false) + 1,
        None => {
            lines.push(Line::from(Span::styled(words, style)));
            lines.push(Line::from(""));
            0
        }
    };
    let inner = Rect {
        y: inner.y + top,
        height: inner.height.saturating_sub(top),
        ..inner
    };
    // Taken up from a cross-case workspace: the cases it rests on.
    if let Some(t) = session.taken_up.get(&i.id) {
        lines.extend(super::widgets::cases_lines(t, inner.width, theme));
        f.render_widget(para(lines).wrap(Wrap { trim: false }), inner);
        return;
    }
    lines.push(Line::from(Span::styled(
        "Resting on what was said:",
        theme.accent,
    )));
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
