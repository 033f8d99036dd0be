//! Small pieces shared by screens: the countdown, tally bars, voice balance.

use super::Theme;
use super::untrusted::para;
use crate::domain::time::mmss;
use crate::domain::vote::{Results, VoteRound};
use crate::domain::{RoleGroup, Session, Speaker, Stage, StageState, Timestamp};
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use tui_big_text::{BigText, PixelSize};

/// How a stage's clock stands, in words as well as colour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clock {
    /// `12:34`, or `+01:05` once over time.
    pub digits: String,
    pub cue: &'static str,
    pub style: Style,
}

/// The stage's clock: time left (the default), or time used when
/// `used`; the cue and colour say the stage's state either way.
pub fn clock(stage: &Stage, now: Timestamp, used: bool, theme: &Theme) -> Clock {
    let remaining = stage.remaining_millis(now);
    let allowed = stage.allowed_secs() * 1000;
    // Whole seconds, rounding up while time is left so 0:00 means time is up.
    let secs = if remaining > 0 {
        (remaining + 999) / 1000
    } else {
        (-remaining) / 1000
    };
    let digits = match (used, remaining > 0) {
        (true, _) => mmss(stage.elapsed_millis(now) / 1000),
        (false, true) => mmss(secs),
        (false, false) => format!("+{}", mmss(secs)),
    };
    let (cue, style) = match stage.state() {
        StageState::NotStarted => ("not started", theme.dim),
        StageState::Ended => ("finished", theme.dim),
        StageState::Paused => ("PAUSED", theme.warn),
        StageState::Running if remaining <= 0 => ("OVER TIME", theme.over),
        StageState::Running if remaining * 5 <= allowed => ("LAST FIFTH", theme.warn),
        StageState::Running if used => ("time used", theme.accent),
        StageState::Running => ("time left", theme.accent),
    };
    Clock { digits, cue, style }
}

/// The countdown as large as `area` allows.
pub fn big_clock(f: &mut Frame, area: Rect, c: &Clock) {
    let chars = c.digits.chars().count() as u16;
    let size = if area.height >= 8 && area.width >= chars * 8 {
        PixelSize::Full
    } else if area.height >= 4 && area.width >= chars * 8 {
        PixelSize::HalfHeight
    } else if area.height >= 4 && area.width >= chars * 4 {
        PixelSize::Quadrant
    } else {
        f.render_widget(
            para(Span::styled(c.digits.as_str(), c.style)).alignment(Alignment::Center),
            area,
        );
        return;
    };
    let big = BigText::builder()
        .pixel_size(size)
        .style(c.style)
        .lines(vec![Line::from(c.digits.as_str())])
        .centered()
        .build();
    f.render_widget(big, area);
}

/// A horizontal bar of `n` out of `max` in `width` cells.
pub fn bar(n: u32, max: u32, width: usize) -> String {
    if max == 0 || width == 0 {
        return String::new();
    }
    let cells = (n as usize * width).div_ceil(max as usize).min(width);
    "█".repeat(cells)
}

/// One line per option: label, bar, count.
pub fn result_lines<'a>(res: &Results, width: u16, theme: &Theme) -> Vec<Line<'a>> {
    let label_w = res
        .options
        .iter()
        .map(|o| o.chars().count())
        .max()
        .unwrap_or(0)
        .min(24);
    let max = res.counts.iter().copied().max().unwrap_or(0);
    let bar_w = (width as usize).saturating_sub(label_w + 8);
    res.options
        .iter()
        .zip(&res.counts)
        .map(|(opt, n)| {
            let label: String = opt.chars().take(label_w).collect();
            Line::from(vec![
                Span::styled(format!("{label:>label_w$} "), theme.base),
                Span::styled(bar(*n, max, bar_w), theme.bar),
                Span::styled(format!(" {n}"), theme.title),
            ])
        })
        .collect()
}

/// Results or, while hidden, how many have voted.
pub fn round_lines<'a>(
    session: &Session,
    round: &VoteRound,
    width: u16,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let res = session.results(round);
    if round.results_visible() {
        result_lines(&res, width, theme)
    } else {
        let n = match round.mode {
            crate::domain::BallotMode::PerParticipant | crate::domain::BallotMode::Anonymous => {
                crate::domain::describe::counted(u64::from(res.voters), "ballot", "ballots") + " in"
            }
            crate::domain::BallotMode::Counted => {
                crate::domain::describe::counted(round.tallies.len() as u64, "tally", "tallies")
                    + " in"
            }
        };
        vec![Line::from(Span::styled(
            format!("Results hidden until the round closes · {n}"),
            theme.dim,
        ))]
    }
}

/// A grid cell: the count (if any), then as many whole ids as fit in `room`, with
/// "…" when some are left out.
pub fn ids_in(count: Option<usize>, ids: &[String], room: usize) -> String {
    let mut text = count.map(|n| format!("{n}:")).unwrap_or_default();
    for (k, id) in ids.iter().enumerate() {
        let sep = match (k, text.is_empty()) {
            (0, true) => "",
            (0, false) => " ",
            _ => ",",
        };
        let last = k + 1 == ids.len();
        let need = sep.len() + id.chars().count() + usize::from(!last);
        if text.chars().count() + need > room {
            text.push('…');
            break;
        }
        text.push_str(sep);
        text.push_str(id);
    }
    text
}

/// Statements per group of the room's natural breakdown (role group; in a
/// staff study, sector or level), retracted ones and the whole group's
/// left out. By role group the session keeps the counts; by sector or
/// level they are counted here (a staff study's hundreds of statements).
pub fn voice_balance(session: &Session) -> Vec<(&'static str, u32)> {
    let by = crate::domain::Breakdown::natural(session.participants.values());
    if by == crate::domain::Breakdown::RoleGroup {
        return RoleGroup::ALL
            .iter()
            .map(|g| g.label())
            .zip(session.voices)
            .collect();
    }
    let mut counts = [0u32; 4];
    for s in session.statements.values().filter(|s| !s.is_retracted()) {
        if let crate::domain::Speaker::Participant(p) = &s.current().speaker
            && let Some(p) = session.participants.get(p)
            && !p.role.convenes()
        {
            counts[by.group_of(p)] += 1;
        }
    }
    let mut out: Vec<(&'static str, u32)> = by.groups().into_iter().zip(counts).collect();
    if counts[3] == 0 {
        out.pop();
    }
    out
}

pub fn voice_line<'a>(session: &Session, width: u16, theme: &Theme) -> Line<'a> {
    let balance = voice_balance(session);
    let total: u32 = balance.iter().map(|(_, n)| n).sum();
    let mut spans = vec![Span::styled("Voices ", theme.accent)];
    if total == 0 {
        spans.push(Span::styled("no statements yet", theme.dim));
        return Line::from(spans);
    }
    let counts: Vec<u64> = balance.iter().map(|&(_, n)| u64::from(n)).collect();
    let labels: Vec<String> = balance
        .iter()
        .zip(crate::domain::whole_percents(&counts))
        .map(|((group, _), share)| format!("{group} {share}% "))
        .collect();
    let label_w: usize = labels.iter().map(|l| l.chars().count() + 1).sum();
    let bar_w = (width as usize).saturating_sub(7 + label_w) / balance.len().max(1);
    for ((_, n), label) in balance.iter().zip(labels) {
        spans.push(Span::styled(label, theme.base));
        spans.push(Span::styled(
            format!("{:<bar_w$} ", bar(*n, total, bar_w)),
            theme.bar,
        ));
    }
    Line::from(spans)
}

/// When the session now looks like ending against its plan, in the
/// longest wording that fits `room` columns; nothing if none does.
pub fn finish<'a>(
    session: &Session,
    now: Timestamp,
    room: usize,
    theme: &Theme,
) -> Option<Span<'a>> {
    let p = session.projection(now);
    let behind = p.behind_secs();
    let style = if behind >= 120 { theme.warn } else { theme.dim };
    let short = match behind {
        -59..=59 => "on time".to_owned(),
        b if b > 0 => format!("{} min behind", (b + 30) / 60),
        b => format!("{} min ahead", (-b + 30) / 60),
    };
    [
        p.describe(),
        format!("ends {} · {short}", p.projected_end.clock_time()),
        format!("ends {}", p.projected_end.clock_time()),
    ]
    .into_iter()
    .find(|t| t.chars().count() <= room)
    .map(|t| Span::styled(t, style))
}

/// `P3 · unpaid carer`, or `whole group`.
pub fn speaker_label(session: &Session, speaker: &Speaker) -> String {
    session.speaker_label(speaker)
}

/// What a workshop's interpretation taken up from a workspace rests on, for
/// the wall: a heading, then a case a row (cut at a word), so every case is
/// seen however small the projector.
pub fn cases_lines<'a>(
    t: &crate::domain::session::TakenUp,
    width: u16,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "From the cross-case synthesis, resting on {}:",
            crate::domain::describe::counted(t.grounds.len() as u64, "case", "cases")
        ),
        theme.accent,
    ))];
    for g in &t.grounds {
        lines.push(Line::from(Span::styled(
            super::big::shorten_at_word(g, usize::from(width)),
            theme.base.add_modifier(ratatui::style::Modifier::BOLD),
        )));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_count() {
        assert_eq!(bar(5, 5, 10), "██████████");
        assert_eq!(bar(1, 5, 10), "██");
        assert_eq!(bar(0, 5, 10), "");
        assert_eq!(bar(3, 0, 10), "");
    }
}
