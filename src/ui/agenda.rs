//! Planned against actual: the agenda as it has run so far.

use super::untrusted::para;
use super::widgets::clock;
use super::{Theme, panel};
use crate::app::App;
use crate::domain::time::mmss;
use crate::domain::{Session, StageState, Timestamp};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

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
    // The clock time each stage started, only where there is room for it.
    let wide = inner.width >= 100;
    let fixed = if wide { 70 } else { 58 };
    let title_w = (inner.width as usize).saturating_sub(fixed).clamp(10, 60);
    let start_col = |s: &str| {
        if wide {
            format!(" {s:>6}")
        } else {
            String::new()
        }
    };
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "    {:<3} {:<11} {:<title_w$} {:>7} {:>7}{}  {}",
            "#",
            "kind",
            "stage",
            "planned",
            "actual",
            start_col("start"),
            "state"
        ),
        theme.dim,
    ))];
    let (mut planned, mut actual) = (0i64, 0i64);
    for (i, s) in session.stages.values().enumerate() {
        let state = s.state();
        let used = s.elapsed_millis(now) / 1000;
        planned += i64::from(s.planned_secs);
        actual += used;
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
        // The chosen stage, which + - x < > and a act on.
        let pointer = if chosen.as_ref() == Some(&s.id) {
            "›"
        } else {
            " "
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
        let title: String = s.title.chars().take(title_w).collect();
        let actual_text = if state == StageState::NotStarted {
            "-".into()
        } else {
            mmss(used)
        };
        let start = start_col(
            &s.runtime
                .started
                .map(|t| t.clock_time())
                .unwrap_or_else(|| "-".into()),
        );
        lines.push(Line::from(vec![
            Span::styled(
                format!(
                    "{pointer}{mark}  {:<3} {:<11} {:<title_w$} {:>7} {:>7}{start}  ",
                    i + 1,
                    s.kind.label(),
                    title,
                    mmss(i64::from(s.planned_secs)),
                    actual_text
                ),
                style,
            ),
            Span::styled(
                format!("{state_text}{adj_text}"),
                if live { c.style } else { theme.base },
            ),
        ]));
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
    f.render_widget(para(lines), inner);
}
