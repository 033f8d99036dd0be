//! Planned against actual: the agenda as it has run so far.

use super::big::wrap_words;
use super::untrusted::para;
use super::widgets::clock;
use super::{Theme, panel};
use crate::app::App;
use crate::domain::time::mmss;
use crate::domain::{Session, Stage, StageId, StageState, Timestamp};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
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
    let chosen = crate::app::agenda::selected(app, session).map(|s| s.id.clone());
    let block = panel(
        Span::styled(" Agenda — planned and actual ", theme.accent),
        theme,
    );
    let inner = block.inner(area);
    f.render_widget(block, area);
    // The clock time each stage started and each stage's kind, only where
    // there is room for them; a title wraps whole words onto more rows
    // rather than being cut.
    let wide = inner.width >= 100;
    let rows: Vec<Row> = session
        .stages
        .values()
        .map(|s| row(s, now, chosen.as_ref(), theme))
        .collect();
    let state_w = rows
        .iter()
        .map(|r| r.state.chars().count())
        .max()
        .unwrap_or(0)
        .max(5);
    let fixed = if wide {
        2 + 2 + 4 + 12 + 8 + 8 + 7 + 2
    } else {
        2 + 2 + 4 + 8 + 8 + 2
    };
    let title_w = (inner.width as usize)
        .saturating_sub(fixed + state_w)
        .clamp(10, 60);
    let columns = |pointer: &str,
                   mark: &str,
                   n: &str,
                   kind: &str,
                   title: &str,
                   planned: &str,
                   actual: &str,
                   start: &str| {
        if wide {
            format!(
                "{pointer}{mark}  {n:<3} {kind:<11} {title:<title_w$} {planned:>7} {actual:>7} {start:>6}  "
            )
        } else {
            format!("{pointer}{mark}  {n:<3} {title:<title_w$} {planned:>7} {actual:>7}  ")
        }
    };
    let mut lines = vec![Line::from(Span::styled(
        columns(" ", " ", "#", "kind", "stage", "planned", "actual", "start") + "state",
        theme.dim,
    ))];
    let (mut planned, mut actual) = (0i64, 0i64);
    for (i, (s, r)) in session.stages.values().zip(&rows).enumerate() {
        planned += i64::from(s.planned_secs);
        actual += s.elapsed_millis(now) / 1000;
        let title_rows = wrap_words(&s.title, title_w).unwrap_or_else(|| {
            let chars: Vec<char> = s.title.chars().collect();
            chars.chunks(title_w).map(|c| c.iter().collect()).collect()
        });
        for (k, title) in title_rows.iter().enumerate() {
            let line = if k == 0 {
                Line::from(vec![
                    Span::styled(
                        columns(
                            r.pointer,
                            r.mark,
                            &(i + 1).to_string(),
                            s.kind.label(),
                            title,
                            &mmss(i64::from(s.planned_secs)),
                            &r.actual,
                            &r.start,
                        ),
                        r.style,
                    ),
                    Span::styled(r.state.clone(), r.state_style),
                ])
            } else {
                Line::from(Span::styled(
                    columns(" ", " ", "", "", title, "", "", ""),
                    r.style,
                ))
            };
            lines.push(line);
        }
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        format!(
            "    planned {} min · run so far {} · {} · times in {}",
            planned / 60,
            mmss(actual),
            session.projection(now).describe(),
            now.zone()
        ),
        theme.accent,
    )));
    f.render_widget(para(lines).wrap(Wrap { trim: false }), inner);
}

/// One stage's row, apart from its title.
struct Row {
    pointer: &'static str,
    mark: &'static str,
    style: Style,
    actual: String,
    start: String,
    state: String,
    state_style: Style,
}

fn row(s: &Stage, now: Timestamp, chosen: Option<&StageId>, theme: &Theme) -> Row {
    let state = s.state();
    let used = s.elapsed_millis(now) / 1000;
    let c = clock(s, now, false, theme);
    let live = matches!(state, StageState::Running | StageState::Paused);
    let (mark, style) = match state {
        _ if live => ("▶", theme.selected),
        StageState::Ended => ("✓", theme.base),
        _ if s.is_skipped() => ("✗", theme.dim),
        _ => (" ", theme.dim),
    };
    let adj = s.allowed_secs() - i64::from(s.planned_secs);
    let adj_text = match adj {
        0 => String::new(),
        a if a % 60 == 0 => format!(" ({}{} min)", if a > 0 { "+" } else { "−" }, a.abs() / 60),
        a => format!(" ({}{})", if a > 0 { "+" } else { "−" }, mmss(a.abs())),
    };
    let state_text = match state {
        _ if live => format!("{} {}", c.cue, c.digits),
        StageState::Ended if used > s.allowed_secs() => {
            format!("done, {} over", mmss(used - s.allowed_secs()))
        }
        StageState::Ended => "done".into(),
        _ if s.is_skipped() => "skipped".into(),
        _ => "to come".into(),
    };
    Row {
        // The chosen stage, which + - x < > and a act on.
        pointer: if chosen == Some(&s.id) { "›" } else { " " },
        mark,
        style,
        actual: if state == StageState::NotStarted {
            "-".into()
        } else {
            mmss(used)
        },
        start: s
            .runtime
            .started
            .map(|t| t.clock_time())
            .unwrap_or_else(|| "-".into()),
        state: format!("{state_text}{adj_text}"),
        state_style: if live { c.style } else { theme.base },
    }
}
