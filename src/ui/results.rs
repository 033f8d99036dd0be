//! A round's results, as the room sees them: a bar, a count and a share
//! for every option (none of it carried by colour alone), the breakdown by
//! role group, and for ordered scales the middle answer.

use super::Theme;
use super::widgets::bar;
use crate::domain::vote::{Results, VoteRound};
use crate::domain::{Breakdown, Session, VoteMethod};
use ratatui::text::{Line, Span};

/// A group's column head, shorter where space is short.
fn group_head(label: &'static str, narrow: bool) -> &'static str {
    match (label, narrow) {
        ("service users", true) => "users",
        ("Local Authority", true) => "LA",
        ("operational", true) => "oper.",
        ("strategic", true) => "strat.",
        ("front line", true) => "front",
        (l, _) => l,
    }
}

/// One line per option, every option, in `width` columns: label, bar,
/// count and share, then the count from each group of `by` (role group,
/// sector or level).
pub fn table<'a>(
    session: &Session,
    round: &VoteRound,
    by: Breakdown,
    width: u16,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let res = session.results(round);
    let (mut groups, mut room) = session.results_by(round, by);
    // Off the grid (`no sector`): a column only when someone there voted.
    if by != Breakdown::RoleGroup && groups[3].1.iter().all(|n| *n == 0) {
        groups.pop();
    }
    let narrow = width < 100;
    let heads_of = |groups: &[(&'static str, Vec<u32>)], room: bool| {
        let mut heads: Vec<&str> = groups.iter().map(|(g, _)| group_head(g, narrow)).collect();
        if room {
            heads.push(match by {
                Breakdown::RoleGroup => "whole room",
                _ => "unplaced",
            });
        }
        heads
    };
    let width_of = |heads: &[&str]| -> Vec<usize> {
        heads.iter().map(|h| h.chars().count().max(3) + 2).collect()
    };
    // label, space, bar, space, "12 (100%)"
    let count_w = 10;
    // Too narrow for a column per group (a side panel beside the stage on
    // a small projector): the rows would wrap into each other, so the
    // breakdown is left to the full-width results screen, and said so.
    let least = 8 + 2 + 4 + 1 + count_w;
    let by_group = least
        + width_of(&heads_of(&groups, room.is_some()))
            .iter()
            .sum::<usize>()
        <= width as usize;
    if !by_group {
        groups.clear();
        room = None;
    }
    let heads = heads_of(&groups, room.is_some());
    let col_w = width_of(&heads);
    let groups_w: usize = col_w.iter().sum();
    // A label longer than its column wraps at spaces onto the next row.
    let label_w = round
        .method
        .labels()
        .iter()
        .map(|o| o.chars().count())
        .max()
        .unwrap_or(0)
        .min(
            (width as usize)
                .saturating_sub(count_w + groups_w + 8)
                .max(8),
        );
    let bar_w = (width as usize).saturating_sub(label_w + 2 + count_w + groups_w);
    let mut lines = Vec::with_capacity(res.options.len() + 2);
    // The head says what the columns are, where there are any.
    let caption = match groups.is_empty() && room.is_none() {
        true => String::new(),
        false => format!("by {}:", by.label()),
    };
    let mut head = vec![Span::styled(
        format!("{caption:>w$}", w = label_w + 2 + bar_w + count_w),
        theme.dim,
    )];
    for (h, w) in heads.iter().zip(&col_w) {
        head.push(Span::styled(format!("{h:>w$}"), theme.dim));
    }
    lines.push(Line::from(head));
    let max = res.counts.iter().copied().max().unwrap_or(0);
    for (i, label) in round.method.labels().iter().enumerate() {
        let n = res.counts.get(i).copied().unwrap_or(0);
        let mut parts = crate::ui::big::wrap_words(label, label_w)
            .unwrap_or_else(|| vec![label.clone()])
            .into_iter();
        let first = parts.next().unwrap_or_default();
        let mut spans = vec![
            Span::styled(format!("{first:<label_w$} "), theme.base),
            Span::styled(format!("{:<bar_w$} ", bar(n, max, bar_w)), theme.bar),
            Span::styled(
                format!(
                    "{:>count_w$}",
                    match round.method {
                        // Borda points: a share of them means nothing.
                        VoteMethod::Ranking { .. } => format!("{n} pts"),
                        _ => format!("{n} ({}%)", res.percent(i)),
                    }
                ),
                theme.title,
            ),
        ];
        let mut cols: Vec<u32> = groups
            .iter()
            .map(|(_, c)| c.get(i).copied().unwrap_or(0))
            .collect();
        if let Some(r) = &room {
            cols.push(r.get(i).copied().unwrap_or(0));
        }
        for (c, w) in cols.iter().zip(&col_w) {
            spans.push(Span::styled(format!("{c:>w$}"), theme.base));
        }
        lines.push(Line::from(spans));
        lines.extend(parts.map(|rest| Line::from(Span::styled(rest, theme.base))));
    }
    lines.push(Line::from(Span::styled(summary(&res, round), theme.dim)));
    if let VoteMethod::Ranking { options } = &round.method {
        // Whole words on as many lines as it takes: nothing cut at the edge.
        let said = crate::domain::vote::ranks_line(options, &session.median_ranks(round));
        let wrapped = crate::ui::big::wrap_words(&said, usize::from(width).max(10))
            .unwrap_or_else(|| vec![said.clone()]);
        lines.extend(
            wrapped
                .into_iter()
                .map(|l| Line::from(Span::styled(l, theme.dim))),
        );
    }
    if !by_group {
        lines.push(Line::from(Span::styled(
            format!("by {}: on the results screen", by.label()),
            theme.dim,
        )));
    } else if by != Breakdown::RoleGroup && round.mode != crate::domain::BallotMode::PerParticipant
    {
        lines.push(Line::from(Span::styled(
            format!(
                "an anonymous or counted round records role groups, not people: its votes cannot be placed by {}",
                by.label()
            ),
            theme.dim,
        )));
    }
    lines
}

/// Who voted, and for ordered scales the middle answer.
fn summary(res: &Results, round: &VoteRound) -> String {
    let who = match (&round.method, round.mode) {
        (VoteMethod::Dots { .. }, _) => format!("{} dots placed", res.total()),
        (_, crate::domain::BallotMode::Counted) => format!("{} hands counted", res.voters),
        _ => format!("{} voted", res.voters),
    };
    let labels = round.method.labels();
    let label = |i: usize| labels.get(i).map_or("?", String::as_str);
    let middle = match (&round.method, res.middle()) {
        (VoteMethod::Resonance | VoteMethod::Ladder, Some((m, None))) => {
            format!(" · middle answer: {}", label(m))
        }
        (VoteMethod::Resonance | VoteMethod::Ladder, Some((m, Some(u)))) => {
            format!(" · middle answer: between {} and {}", label(m), label(u))
        }
        _ => String::new(),
    };
    format!("{who}{middle}")
}
