//! The review's views of one session as it stood at the scrubber's record:
//! timeline, agenda, statements, votes, synthesis, integrity.

use super::super::Theme;
use super::super::big::shorten_at_word;
use super::super::widgets::{bar, result_lines, speaker_label};
use crate::app::review::Loaded;
use crate::domain::analysis::{Accounts, grid_with, provenance_with};
use crate::domain::time::mmss;
use crate::domain::{Role, Session, StageState};
use ratatui::text::{Line, Span};

pub(super) fn timeline<'a>(l: &Loaded, rows: usize, theme: &Theme) -> Vec<Line<'a>> {
    // The records around the scrubber, the current one highlighted.
    let rows = rows.max(1);
    let start = l
        .cursor
        .saturating_sub(rows / 2 + 1)
        .min(l.records.len().saturating_sub(rows));
    l.records
        .iter()
        .enumerate()
        .skip(start)
        .take(rows)
        .map(|(i, r)| {
            let current = i + 1 == l.cursor;
            let applied = i < l.cursor;
            let style = if current {
                theme.selected
            } else if applied {
                theme.base
            } else {
                theme.dim
            };
            Line::from(Span::styled(
                format!(
                    "{} {:>5}  {}  {:<12} {}",
                    if current { "▶" } else { " " },
                    r.seq,
                    r.at.clock_time(),
                    r.actor,
                    l.describe(r)
                ),
                style,
            ))
        })
        .collect()
}

pub(super) fn agenda<'a>(l: &Loaded, width: u16, theme: &Theme) -> Vec<Line<'a>> {
    let s = &l.session;
    let now = l.now();
    let max = s
        .stages
        .values()
        .map(|st| i64::from(st.planned_secs).max(st.elapsed_millis(now) / 1000))
        .max()
        .unwrap_or(1)
        .max(1);
    let bar_w = (width as usize).saturating_sub(46).max(4);
    let mut lines = vec![Line::from(Span::styled(
        "planned ░ and actual █ time per stage (actual beyond plan is marked +)",
        theme.dim,
    ))];
    for (i, st) in s.stages.values().enumerate() {
        let planned = i64::from(st.planned_secs);
        let actual = st.elapsed_millis(now) / 1000;
        let title: String = st.title.chars().take(28).collect();
        lines.push(Line::from(vec![
            Span::styled(format!("{:>2} {title:<28} ", i + 1), theme.base),
            Span::styled(
                format!(
                    "{:<bar_w$}",
                    "░".repeat((planned as usize * bar_w).div_ceil(max as usize).min(bar_w))
                ),
                theme.dim,
            ),
            Span::styled(format!(" {}", mmss(planned)), theme.dim),
        ]));
        let adj = st.allowed_secs() - planned;
        let state = match st.state() {
            StageState::NotStarted if st.is_skipped() => "skipped".to_owned(),
            StageState::NotStarted => "not run".to_owned(),
            StageState::Running | StageState::Paused => "under way".to_owned(),
            StageState::Ended => String::new(),
        };
        // Time given or taken during the session, beside what happened.
        let state = match adj {
            0 => state,
            a => format!(
                "{state}{}{}{}",
                if state.is_empty() { "" } else { ", " },
                if a > 0 { "+" } else { "−" },
                mmss(a.abs())
            ),
        };
        let over = if actual > st.allowed_secs() && st.state() != StageState::NotStarted {
            " +"
        } else {
            ""
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{:>2} {:<28} ", "", state), theme.dim),
            Span::styled(
                format!("{:<bar_w$}", bar(actual.max(0) as u32, max as u32, bar_w)),
                theme.bar,
            ),
            Span::styled(format!(" {}{over}", mmss(actual)), theme.title),
        ]));
    }
    lines
}

/// A workspace's agenda is its cases: each source, the statements drawn
/// from it, and what `verify` finds of it.
pub(super) fn cases<'a>(l: &Loaded, theme: &Theme) -> Vec<Line<'a>> {
    let s = l.read();
    let mut lines = vec![Line::from(Span::styled(
        "A workspace has no agenda of its own: these are its cases. Their words are under 3 Statements as KEY.id.",
        theme.dim,
    ))];
    for (key, src) in &s.sources {
        let drawn = s
            .statements
            .keys()
            .filter(|id| id.source_ref().is_some_and(|(k, _)| k == key))
            .count();
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            format!("{key} · {} · {}", src.title, src.session),
            theme.title,
        )));
        lines.push(Line::from(Span::styled(
            format!(
                "  {} drawn on here",
                crate::domain::describe::counted(drawn as u64, "statement", "statements")
            ),
            theme.base,
        )));
        if let Some(c) = l.sources.iter().find(|c| &c.key == key) {
            lines.push(match &c.found {
                Ok(why) => Line::from(Span::styled(format!("  ✓ {why}"), theme.ok)),
                Err(why) => Line::from(Span::styled(format!("  ✗ {why}"), theme.over)),
            });
        }
    }
    lines
}

pub(super) fn statements<'a>(l: &Loaded, theme: &Theme) -> Vec<Line<'a>> {
    let s = l.read();
    let mut lines = Vec::new();
    let mut by_role: Vec<(String, usize)> = Role::ALL
        .iter()
        .map(|r| {
            (
                r.label().to_owned(),
                s.statements
                    .values()
                    .filter(|x| s.role_of(&x.current().speaker) == Some(*r))
                    .count(),
            )
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    let group = s
        .statements
        .values()
        .filter(|x| s.role_of(&x.current().speaker).is_none())
        .count();
    if group > 0 {
        by_role.push(("whole group".into(), group));
    }
    let summary: Vec<String> = by_role.iter().map(|(r, n)| format!("{r} {n}")).collect();
    lines.push(Line::from(Span::styled(
        format!("By speaker role: {}", summary.join(" · ")),
        theme.accent,
    )));
    // Each stage, then what was said outside any stage.
    let mut stages: Vec<Option<&crate::domain::agenda::Stage>> =
        s.stages.values().map(Some).collect();
    stages.push(None);
    for st in stages {
        let said: Vec<_> = s
            .statements
            .values()
            .filter(|x| x.stage.as_ref() == st.map(|st| &st.id))
            .collect();
        if said.is_empty() {
            continue;
        }
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            match st {
                Some(st) => format!("{} · {}", st.id, st.title),
                None => "Outside any stage".to_owned(),
            },
            theme.title,
        )));
        for x in said {
            let v = x.current();
            // A withheld statement's placeholder says why already.
            let flag = if x.is_amended() && !l.withheld.contains_key(&x.id) {
                " [amended]"
            } else {
                ""
            };
            lines.push(Line::from(vec![
                Span::styled(
                    format!(
                        "  {:<5} {:<28} {:<10} ",
                        x.id,
                        speaker_label(s, &v.speaker),
                        v.kind
                    ),
                    theme.dim,
                ),
                Span::styled(
                    format!("{}{flag}", l.words(x)),
                    if x.is_retracted() {
                        theme.dim
                    } else {
                        theme.base
                    },
                ),
            ]));
        }
    }
    lines
}

/// What a round's counts that cannot be placed by sector or level are
/// called.
const UNPLACED: &str = "not placed (anonymous or counted)";

pub(super) fn votes<'a>(
    s: &Session,
    by: crate::domain::Breakdown,
    width: u16,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    if s.rounds.is_empty() {
        lines.push(Line::from(Span::styled(
            "No vote rounds at this point of the session.",
            theme.dim,
        )));
        return lines;
    }
    for r in s.rounds.values() {
        let state = if r.is_open() { "open" } else { "closed" };
        lines.push(Line::from(vec![
            Span::styled(
                format!("{} · {} · {state} ", r.id, r.method.label()),
                theme.accent,
            ),
            Span::styled(r.question.clone(), theme.title),
        ]));
        if r.results_visible() {
            lines.extend(result_lines(&s.results(r), width.saturating_sub(4), theme));
            // By role group, each role as it voted; by sector or level, its
            // groups that voted, then what cannot be placed.
            let rows: Vec<(String, Vec<u32>)> = match by {
                crate::domain::Breakdown::RoleGroup => s
                    .results(r)
                    .by_role
                    .into_iter()
                    .map(|(role, counts)| (role.label().to_owned(), counts))
                    .collect(),
                _ => {
                    let (groups, unplaced) = s.results_by(r, by);
                    groups
                        .into_iter()
                        .filter(|(_, c)| c.iter().any(|n| *n > 0))
                        .map(|(l, c)| (l.to_owned(), c))
                        .chain(unplaced.map(|c| (UNPLACED.to_owned(), c)))
                        .collect()
                }
            };
            for (label, counts) in &rows {
                let parts: Vec<String> = r
                    .method
                    .options()
                    .iter()
                    .zip(counts)
                    .map(|(o, n)| format!("{o} {n}"))
                    .collect();
                lines.push(Line::from(Span::styled(
                    format!("    {label:<26} {}", parts.join(" · ")),
                    theme.dim,
                )));
            }
        } else {
            lines.push(Line::from(Span::styled(
                format!(
                    "Results hidden until the round closes ({} in)",
                    crate::domain::describe::counted(
                        u64::from(s.results(r).voters),
                        "ballot",
                        "ballots"
                    )
                ),
                theme.dim,
            )));
        }
        lines.push(Line::from(""));
    }
    lines
}

pub(super) fn synthesis<'a>(l: &Loaded, width: u16, theme: &Theme) -> Vec<Line<'a>> {
    let s = &l.session;
    let mut lines = Vec::new();
    // A workspace's grid is by source session, its words from the sources.
    let resolve = |id: &crate::domain::StatementId| l.resolve(id);
    let accounts = match (l.linked.is_empty(), l.by) {
        (false, _) => Accounts::Sessions,
        (true, crate::domain::Breakdown::Sector) => Accounts::Sectors,
        (true, crate::domain::Breakdown::Level) => Accounts::Levels,
        (true, crate::domain::Breakdown::RoleGroup) => Accounts::RoleGroups,
    };
    let g = grid_with(s, &resolve, accounts);
    if g.rows.is_empty() {
        lines.push(Line::from(Span::styled(
            "No concepts yet at this point of the session.",
            theme.dim,
        )));
    } else {
        // Columns share the width left after the concept names.
        let name_w = if width >= 120 { 28 } else { 20 };
        let col_w = ((width as usize).saturating_sub(name_w + 1) / g.accounts.len().max(1))
            .clamp(6, 16)
            - 1;
        let heads: Vec<String> = g
            .accounts
            .iter()
            .map(|a| format!("{:<col_w$}", shorten_at_word(&a.label(s), col_w)))
            .collect();
        lines.push(Line::from(Span::styled(
            format!("{:<name_w$} {}", "concept", heads.join(" ")),
            theme.accent,
        )));
        for row in &g.rows {
            // Cut at a whole word or id, with "…": never past its column.
            let name = s
                .concepts
                .get(&row.concept)
                .map(|c| shorten_at_word(&format!("{} {}", c.id, c.name), name_w - 1))
                .unwrap_or_default();
            let cells: Vec<String> = (0..row.cells.len())
                .map(|i| {
                    let ids = row.ids(i, "✗");
                    let t = if ids.is_empty() {
                        "·".to_owned()
                    } else {
                        crate::ui::widgets::ids_in(None, &ids, col_w)
                    };
                    format!("{t:<col_w$}")
                })
                .collect();
            lines.push(Line::from(Span::styled(
                format!("{name:<name_w$} {}", cells.join(" ")),
                theme.base,
            )));
        }
    }
    for i in s.interpretations.values() {
        let p = provenance_with(s, &resolve, i);
        lines.push(Line::from(""));
        // Its words wrapped under themselves, not back to the first column.
        let head = format!("{} [{}] ", i.id, i.status);
        let indent = head.chars().count();
        let room = usize::from(width).saturating_sub(indent).max(20);
        let words = i.text().replace('\n', " ");
        let rows = super::super::big::wrap_words(&words, room).unwrap_or_else(|| vec![words]);
        for (k, row) in rows.into_iter().enumerate() {
            let lead = match k {
                0 => Span::styled(head.clone(), theme.accent),
                _ => Span::raw(" ".repeat(indent)),
            };
            lines.push(Line::from(vec![lead, Span::styled(row, theme.title)]));
        }
        if let Some(h) = i.history.last() {
            lines.push(Line::from(Span::styled(
                format!("   decision: {}", h.reason),
                theme.base,
            )));
        }
        for t in &p.translations {
            let ids: Vec<&str> = t.concepts.iter().map(|c| c.as_str()).collect();
            lines.push(Line::from(Span::styled(
                format!("   ← {} {} ({})", t.id, t.kind.label(), ids.join(", ")),
                theme.base,
            )));
            // A line of argument's stages, in order, each on its own row.
            for (n, st) in t.kind.stages().iter().enumerate() {
                let held: Vec<String> = st
                    .concepts
                    .iter()
                    .map(|c| match s.concepts.get(c) {
                        Some(c) => format!("{} {}", c.id, c.name),
                        None => c.to_string(),
                    })
                    .collect();
                lines.push(Line::from(Span::styled(
                    format!("      {}. {}: {}", n + 1, st.title, held.join("; ")),
                    theme.base,
                )));
            }
        }
        for c in &p.concepts {
            lines.push(Line::from(Span::styled(
                format!("   ← {} {}", c.id, c.name),
                theme.base,
            )));
        }
        for e in &p.evidence {
            let v = e.statement.current();
            let flag = if e.retracted() {
                "⚠ RETRACTED "
            } else if e.amended() {
                "⚠ amended "
            } else {
                ""
            };
            let text = format!(
                "{flag}{} {}: {}",
                e.statement.id,
                speaker_label(e.home, &v.speaker),
                l.words_in(e.home, e.statement)
            );
            let style = if flag.is_empty() {
                theme.dim
            } else {
                theme.warn
            };
            // Wrapped under itself, never back to the first column.
            let room = usize::from(width).saturating_sub(6).max(20);
            let rows = super::super::big::wrap_words(&text, room).unwrap_or_else(|| vec![text]);
            for row in rows {
                lines.push(Line::from(Span::styled(format!("      {row}"), style)));
            }
        }
    }
    lines
}

pub(super) fn integrity<'a>(l: &Loaded, theme: &Theme) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    match &l.verification {
        Ok(v) => {
            // The verdict `roundtable verify` gives, in the same words.
            match (&v.failure, &v.snapshot_mismatch) {
                (None, None) => lines.push(Line::from(Span::styled(
                    format!("✓ verified: all {} records sound", v.records),
                    theme.ok,
                ))),
                (None, Some(why)) => {
                    lines.push(Line::from(Span::styled(
                        "✗ verification FAILED",
                        theme.over,
                    )));
                    lines.push(Line::from(Span::styled(why.clone(), theme.base)));
                    lines.push(Line::from(Span::styled(
                        format!(
                            "The journal itself is sound: {} records. The snapshot is only a cache and \
                             is never believed over the journal.",
                            v.records
                        ),
                        theme.base,
                    )));
                }
                (Some(p), _) => {
                    lines.push(Line::from(Span::styled(
                        "✗ verification FAILED",
                        theme.over,
                    )));
                    lines.push(Line::from(Span::styled(p.to_string(), theme.base)));
                    lines.push(Line::from(Span::styled(
                        format!("{} records before it are sound", v.records),
                        theme.base,
                    )));
                }
            }
            lines.push(Line::from(Span::styled(
                format!("head hash {}", v.head),
                theme.base,
            )));
            for n in &v.notes {
                lines.push(Line::from(Span::styled(n.clone(), theme.dim)));
            }
        }
        Err(e) => lines.push(Line::from(Span::styled(
            format!("could not verify: {e}"),
            theme.over,
        ))),
    }
    if let Some(d) = &l.damage {
        lines.push(Line::from(Span::styled(
            format!("Reading stopped early: {d}"),
            theme.warn,
        )));
    }
    // A workspace's sources, as `verify` checks them.
    for c in &l.sources {
        let (mark, what, style) = match &c.found {
            Ok(what) => ("✓", what, theme.ok),
            Err(why) => ("✗ FAILED:", why, theme.over),
        };
        lines.push(Line::from(Span::styled(
            format!("{mark} source {} ({}): {what}", c.key, c.session),
            style,
        )));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        format!("Folder: {}", l.dir.display()),
        theme.dim,
    )));
    lines.push(Line::from(Span::styled("Review opens the journal read-only: it works while the session is running elsewhere; r reloads.", theme.dim)));
    lines
}
