//! Planned against actual: the agenda as it has run so far.

use super::widgets::clock;
use super::{Theme, panel};
use crate::domain::time::mmss;
use crate::domain::{Session, StageState, Timestamp};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn render(f: &mut Frame, area: Rect, session: &Session, now: Timestamp, theme: &Theme) {
    let block = panel(
        Span::styled(" Agenda — planned and actual ", theme.accent),
        theme,
    );
    let inner = block.inner(area);
    f.render_widget(block, area);
    let title_w = (inner.width as usize).saturating_sub(52).clamp(10, 60);
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "    {:<3} {:<11} {:<title_w$} {:>7} {:>7} {:>6}  {}",
            "#", "kind", "stage", "planned", "actual", "start", "state"
        ),
        theme.dim,
    ))];
    let (mut planned, mut actual) = (0i64, 0i64);
    for (i, s) in session.stages.values().enumerate() {
        let state = s.state();
        let used = s.elapsed_millis(now) / 1000;
        planned += i64::from(s.planned_secs);
        actual += used;
        let c = clock(s, now, theme);
        let (mark, style) = match state {
            StageState::Running | StageState::Paused => ("▶", theme.selected),
            StageState::Ended => ("✓", theme.base),
            StageState::NotStarted => (" ", theme.dim),
        };
        let state_text = match state {
            StageState::Running | StageState::Paused => format!("{} {}", c.cue, c.digits),
            StageState::Ended if used > s.allowed_secs() => {
                format!("finished, {} over", mmss(used - i64::from(s.planned_secs)))
            }
            StageState::Ended => "done".into(),
            StageState::NotStarted => "to come".into(),
        };
        let title: String = s.title.chars().take(title_w).collect();
        let actual_text = if state == StageState::NotStarted {
            "-".into()
        } else {
            mmss(used)
        };
        let start = s
            .runtime
            .started
            .map(|t| t.clock_time())
            .unwrap_or_else(|| "-".into());
        let adj: i64 = s.allowed_secs() - i64::from(s.planned_secs);
        let adj_text = if adj != 0 {
            format!(
                " ({}{} min)",
                if adj > 0 { "+" } else { "−" },
                adj.abs() / 60
            )
        } else {
            String::new()
        };
        lines.push(Line::from(vec![
            Span::styled(
                format!(
                    " {mark}  {:<3} {:<11} {:<title_w$} {:>7} {:>7} {:>6}  ",
                    i + 1,
                    s.kind.label(),
                    title,
                    mmss(i64::from(s.planned_secs)),
                    actual_text,
                    start
                ),
                style,
            ),
            Span::styled(
                format!("{state_text}{adj_text}"),
                if matches!(state, StageState::Running | StageState::Paused) {
                    c.style
                } else {
                    theme.base
                },
            ),
        ]));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        format!(
            "    planned {} min · run so far {}",
            planned / 60,
            mmss(actual)
        ),
        theme.accent,
    )));
    let skip = lines.len().saturating_sub(inner.height as usize);
    f.render_widget(
        Paragraph::new(lines.split_off(skip.min(lines.len()))),
        inner,
    );
}
