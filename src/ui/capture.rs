//! The note-taker's capture screen.

use super::big::{shorten_at_word, wrap_words};
use super::untrusted::para;
use super::widgets::clock;
use super::{Theme, panel};
use crate::app::actions::Layer;
use crate::app::{App, capture::parse};
use crate::domain::{Session, Speaker, Timestamp};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};

pub fn render(
    f: &mut Frame,
    area: Rect,
    app: &App,
    session: &Session,
    now: Timestamp,
    theme: &Theme,
) {
    let input_rows = if area.height >= 30 { 6 } else { 4 };
    let [stage, who, input, list] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(3),
        Constraint::Length(input_rows),
        Constraint::Min(3),
    ])
    .areas(area);

    let stage_line = match session.current_stage() {
        Some(s) => {
            let c = clock(s, now, app.clock_shows_used, theme);
            let mut line = Line::from(vec![
                Span::styled(format!("Stage {} · {} ", s.id, s.title), theme.base),
                Span::styled(format!(" {} {} ", c.digits, c.cue), c.style),
            ]);
            let room = usize::from(stage.width).saturating_sub(line.width() + 1);
            if let Some(end) = super::widgets::finish(session, now, room, theme) {
                line.spans.push(Span::raw(" "));
                line.spans.push(end);
            }
            line
        }
        None => Line::from(Span::styled(
            "No stage running: statements are saved without a stage",
            theme.dim,
        )),
    };
    f.render_widget(para(stage_line), stage);

    // Speaker row: every participant, the current one marked.
    let typed = parse(&app.capture.input.lines().join("\n"), session);
    let current = typed
        .speaker
        .clone()
        .unwrap_or_else(|| app.capture.speaker(session));
    let mut spans = vec![Span::styled("Speaker ", theme.accent)];
    let by_grid = crate::domain::Breakdown::natural(session.participants.values())
        != crate::domain::Breakdown::RoleGroup;
    for (id, p) in &session.participants {
        let me = current == Speaker::Participant(id.clone());
        // ⊘: no consent, so never shown to the room nor exported; ↑2 waiting
        // to speak (its place in the queue); "gone": left the room.
        let mut marks = String::new();
        if !p.consent {
            marks.push_str(" ⊘");
        }
        if let Some(i) = session.floor.hands.iter().position(|h| h == id) {
            marks.push_str(&format!(" ↑{}", i + 1));
        }
        if session
            .floor
            .attendance
            .get(id)
            .is_some_and(|a| !a.present())
        {
            marks.push_str(" gone");
        }
        // In a staff study, where on the grid tells nine `staff` apart.
        let who = match (by_grid, p.grid_short()) {
            (true, Some(grid)) => grid,
            _ => short_role(p.role).to_owned(),
        };
        let label = format!(" {id} {who}{marks} ");
        spans.push(Span::styled(
            if me { format!("▶{label}◀") } else { label },
            if me { theme.selected } else { theme.dim },
        ));
    }
    let me = current == Speaker::Group;
    spans.push(Span::styled(
        if me {
            "▶ group ◀".to_owned()
        } else {
            " group ".to_owned()
        },
        if me { theme.selected } else { theme.dim },
    ));
    let kind_line = Line::from(vec![
        Span::styled("Kind ", theme.accent),
        Span::styled(format!(" {} ", app.capture.kind), theme.selected),
        Span::styled(
            if typed.tags.is_empty() {
                String::new()
            } else {
                format!(
                    "   tags: {}",
                    typed
                        .tags
                        .iter()
                        .map(|t| format!("#{t}"))
                        .collect::<Vec<_>>()
                        .join(" ")
                )
            },
            theme.base,
        ),
    ]);
    let [speakers, kind] =
        Layout::vertical([Constraint::Length(2), Constraint::Length(1)]).areas(who);
    f.render_widget(
        para(Line::from(spans)).wrap(ratatui::widgets::Wrap { trim: false }),
        speakers,
    );
    f.render_widget(para(kind_line), kind);

    let title = match &app.capture.amending {
        Some(id) => app.keymap.fill(
            Layer::Capture,
            &format!(" Changing {id} — words amend, tags or kind re-code · {{Commit}} saves, {{Cancel}} cancels "),
        ),
        None => app.keymap.fill(
            Layer::Capture,
            " New statement — {Commit} saves, {NewLine} new line ",
        ),
    };
    let block = panel(Span::styled(title, theme.accent), theme).border_style(theme.accent);
    let inner = block.inner(input);
    f.render_widget(block, input);
    f.render_widget(&app.capture.input, inner);

    recent(f, list, app, session, now, theme);
}

fn short_role(role: crate::domain::Role) -> &'static str {
    use crate::domain::Role::*;
    match role {
        ServiceUser => "service user",
        UnpaidCarer => "carer",
        Staff => "staff",
        Volunteer => "volunteer",
        CommunityRepresentative => "community",
        Researcher => "researcher",
        Other => "other",
        Facilitator => "facilitator",
        Presenter => "presenter",
    }
}

/// Saved statements (✓) with anything still in flight (… saving) or
/// refused (✗ NOT SAVED) below them; only the rows that fit are built.
fn recent(f: &mut Frame, area: Rect, app: &App, session: &Session, now: Timestamp, theme: &Theme) {
    let block = panel(
        Span::styled(
            app.keymap.fill(
                Layer::Capture,
                " Statements — {SelectUp}/{SelectDown} select · {Find} find · {Amend} amend · {Retract} retract ",
            ),
            theme.accent,
        ),
        theme,
    );
    let inner = block.inner(area);
    f.render_widget(block, area);
    let rows = inner.height as usize;
    let mut pending: Vec<Line> = Vec::new();
    for p in &app.pending {
        // At the host the store applies a record to the session the
        // screens read before its answer arrives: it is saved, not pending.
        if p.failed.is_none() && session.already_has(&p.event) {
            continue;
        }
        let (mark, style) = match &p.failed {
            Some(_) => ("✗ NOT SAVED", theme.over),
            None => ("… saving", theme.warn),
        };
        // A statement from someone who has not consented is not put on
        // screen while it saves either: the box it was typed in is emptied.
        let text = match &p.event {
            crate::domain::Event::StatementAdded { id, speaker, .. }
                if !session.consents(speaker) =>
            {
                format!("{id} {speaker}: {}", withheld_placeholder(speaker))
            }
            e => crate::domain::describe::with_words(e, None),
        };
        let width = usize::from(inner.width).saturating_sub(mark.chars().count() + 1);
        pending.push(Line::from(vec![
            Span::styled(format!("{mark} "), style),
            Span::styled(shorten_at_word(&one_line(&text), width), theme.base),
        ]));
    }
    // Oldest at the top, newest next to the input; keep the selection in view.
    let n = session.statements.len();
    let sel = app
        .capture
        .selected
        .as_ref()
        .and_then(|s| session.statements.get_index_of(s));
    let room = rows.saturating_sub(pending.len());
    let end = match sel {
        Some(i) if i + room / 2 < n => (i + 1 + room / 2).min(n).max(room.min(n)),
        _ => n,
    };
    let start = end.saturating_sub(room);
    // Ids from joined terminals (`sam-st4`) are longer: keep the columns in line.
    let id_width = (start..end)
        .filter_map(|i| session.statements.get_index(i))
        .map(|(id, _)| id.as_str().chars().count())
        .max()
        .unwrap_or(0)
        .clamp(5, 16);
    let mut out: Vec<Line> = Vec::with_capacity(rows);
    let mut sel_row = None;
    for i in start..end {
        let Some((id, s)) = session.statements.get_index(i) else {
            continue;
        };
        let v = s.current();
        let shown = super::withheld::shown(app, session, id, s, now);
        let mut flags = String::new();
        if s.is_amended() {
            flags.push_str(" [amended]");
        }
        // ⊘ at the row's start, where it is seen whether or not the row is
        // selected: no consent, so never shown to the room nor exported.
        // One width for every mark, so the columns stay in line; every row
        // here is saved, and ⊘ says whose words are not shown.
        let (mark, mark_style) = match &shown.withheld {
            Some(crate::domain::Withheld::Retracted) => ("✓", theme.dim),
            Some(crate::domain::Withheld::NoConsent(_)) => ("⊘", theme.warn),
            None => ("✓", theme.ok),
        };
        let tags: String = shown.tags.iter().map(|t| format!(" #{t}")).collect();
        // The columns, then the words: each row ends at a whole word ("…"
        // where more follows); the selected statement is shown whole, on as
        // many rows as it takes (up to 4), so what is amended or retracted
        // can be read first.
        let columns = format!(
            "{id:<id_width$} {:<6} {:<10} ",
            v.speaker.to_string(),
            v.kind.to_string()
        );
        let words = format!("{}{tags}{flags}", one_line(&shown.words));
        let style = if shown.revealed {
            theme.over
        } else if Some(i) == sel {
            theme.selected
        } else if s.is_retracted() {
            theme.dim
        } else {
            theme.base
        };
        let lead = mark.chars().count() + 1 + columns.chars().count();
        let width = usize::from(inner.width).saturating_sub(lead).max(10);
        let body_rows = if Some(i) == sel {
            let mut rows = wrap_words(&words, width).unwrap_or_else(|| vec![words.clone()]);
            if rows.len() > 4 {
                rows.truncate(4);
                rows[3] = shorten_at_word(&format!("{} …", rows[3]), width);
            }
            rows
        } else {
            vec![shorten_at_word(&words, width)]
        };
        if Some(i) == sel {
            sel_row = Some(out.len());
        }
        for (k, row) in body_rows.into_iter().enumerate() {
            let (lead_mark, lead_columns) = if k == 0 {
                (format!("{mark} "), columns.clone())
            } else {
                (
                    " ".repeat(mark.chars().count() + 1),
                    " ".repeat(columns.chars().count()),
                )
            };
            out.push(Line::from(vec![
                Span::styled(lead_mark, mark_style),
                Span::styled(lead_columns + &row, style),
            ]));
        }
    }
    out.extend(pending);
    // Too many rows: the oldest go, but never the selected statement's first.
    let skip = out
        .len()
        .saturating_sub(rows)
        .min(sel_row.unwrap_or(usize::MAX));
    f.render_widget(para(out.split_off(skip)), inner);
}

/// `[P7 · no consent: not shown]` for a statement being saved.
fn withheld_placeholder(speaker: &Speaker) -> String {
    match speaker {
        Speaker::Participant(p) => crate::domain::Withheld::NoConsent(p.clone()).placeholder(),
        Speaker::Group => String::new(),
    }
}

fn one_line(s: &str) -> String {
    s.replace('\n', " ⏎ ")
}
