//! Rendering for `roundtable review`.

use super::untrusted::para;
use super::widgets::{bar, result_lines, speaker_label};
use super::{Theme, panel};
use crate::app::actions::Layer;
use crate::app::hints::hints;
use crate::app::keymap::Keymap;
use crate::app::review::{Browser, Loaded, Review, Tab, View};
use crate::domain::analysis::{Accounts, grid, provenance};
use crate::domain::time::mmss;
use crate::domain::{Role, Session, StageState, describe};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Wrap};

pub fn render(f: &mut Frame, review: &Review, theme: &Theme) {
    let area = f.area();
    f.render_widget(Block::new().style(theme.base), area);
    if super::too_small(f, "review", theme) {
        return;
    }
    match &review.view {
        View::Browser => browser(
            f,
            area,
            &review.browser,
            &review.keymap,
            review.message.as_deref(),
            theme,
        ),
        View::Session(l) => session(f, area, l, &review.keymap, review.message.as_deref(), theme),
    }
}

/// The hint line for a layer of the review, from the action table.
fn keys_line<'a>(keymap: &Keymap, layer: Layer, theme: &Theme) -> Line<'a> {
    let spans: Vec<Span> = hints(keymap, layer, None)
        .into_iter()
        .flat_map(|(k, what)| {
            [
                Span::styled(format!(" {k}"), theme.accent),
                Span::styled(format!(" {what} "), theme.dim),
            ]
        })
        .collect();
    Line::from(spans)
}

fn browser(
    f: &mut Frame,
    area: Rect,
    b: &Browser,
    keymap: &Keymap,
    message: Option<&str>,
    theme: &Theme,
) {
    let [head, body, foot] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(3),
        Constraint::Length(1),
    ])
    .areas(area);
    let filter = if b.filtering || !b.filter.is_empty() {
        format!("filter: {}{}", b.filter, if b.filtering { "▏" } else { "" })
    } else {
        String::new()
    };
    f.render_widget(
        para(vec![
            Line::from(Span::styled(
                "roundtable review — past sessions",
                theme.title,
            )),
            Line::from(vec![
                Span::styled(filter, theme.accent),
                Span::styled(format!("  {}", message.unwrap_or("")), theme.over),
            ]),
        ]),
        head,
    );
    let order = if b.newest_first {
        "newest first"
    } else {
        "oldest first"
    };
    let visible = b.visible();
    let block = panel(
        Span::styled(
            format!(" {} sessions, {order} ", visible.len()),
            theme.accent,
        ),
        theme,
    );
    let inner = block.inner(body);
    f.render_widget(block, body);
    let per = 3usize;
    let rows = (inner.height as usize / per).max(1);
    let start = b.cursor.saturating_sub(rows - 1);
    let mut lines = Vec::new();
    for (i, e) in visible.iter().enumerate().skip(start).take(rows) {
        let sel = i == b.cursor;
        let style = if sel { theme.selected } else { theme.title };
        lines.push(Line::from(vec![
            Span::styled(if sel { "▶ " } else { "  " }, style),
            Span::styled(format!("{}  {}", e.date, e.title), style),
        ]));
        lines.push(Line::from(Span::styled(
            format!("    focus: {}", e.focus),
            theme.base,
        )));
        let problem = e
            .problem
            .as_ref()
            .map(|p| format!(" · PROBLEM: {p}"))
            .unwrap_or_default();
        lines.push(Line::from(Span::styled(
            format!(
                "    {} ran · {} statements · {} votes · {} interpretations · {} records{problem}",
                mmss(e.ran_secs),
                e.statements,
                e.votes,
                e.interpretations,
                e.records
            ),
            if e.problem.is_some() {
                theme.over
            } else {
                theme.dim
            },
        )));
    }
    if lines.is_empty() {
        lines.push(Line::from(Span::styled("No sessions match.", theme.dim)));
    }
    f.render_widget(para(lines), inner);
    f.render_widget(para(keys_line(keymap, Layer::ReviewBrowser, theme)), foot);
}

fn session(
    f: &mut Frame,
    area: Rect,
    l: &Loaded,
    keymap: &Keymap,
    message: Option<&str>,
    theme: &Theme,
) {
    let s = &l.session;
    let focus_rows = if (s.focus().chars().count() + 7) as u16 > area.width {
        2
    } else {
        1
    };
    let [head, scrub, tabs, body, foot] = Layout::vertical([
        Constraint::Length(1 + focus_rows),
        Constraint::Length(2),
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
    ])
    .areas(area);
    f.render_widget(
        para(vec![
            Line::from(Span::styled(s.title().to_owned(), theme.title)),
            Line::from(vec![
                Span::styled("Focus: ", theme.accent),
                Span::styled(s.focus().to_owned(), theme.base),
            ]),
        ])
        .wrap(Wrap { trim: true }),
        head,
    );
    // The scrubber: where in the record we are, and what happened there.
    let total = l.records.len().max(1);
    let here = l.cursor.checked_sub(1).and_then(|i| l.records.get(i));
    let what = here
        .map(|r| {
            format!(
                "{} · {} · {}",
                r.at.clock_time(),
                r.actor,
                describe::with_words(&r.event, Some(s))
            )
        })
        .unwrap_or_default();
    let width = scrub.width.saturating_sub(2) as usize;
    let pos = (l.cursor.saturating_sub(1) * width.saturating_sub(1)) / (total - 1).max(1);
    let track: String = (0..width)
        .map(|i| if i == pos { '●' } else { '─' })
        .collect();
    f.render_widget(
        para(vec![
            Line::from(vec![
                Span::styled(
                    format!("Record {} of {} ", l.cursor, l.records.len()),
                    theme.accent,
                ),
                Span::styled(what, theme.base),
            ]),
            Line::from(Span::styled(format!("├{track}┤"), theme.bar)),
        ]),
        scrub,
    );
    let tab_spans: Vec<Span> = Tab::ALL
        .iter()
        .enumerate()
        .map(|(i, t)| {
            Span::styled(
                format!(" {} {} ", i + 1, t.title()),
                if *t == l.tab {
                    theme.selected
                } else {
                    theme.dim
                },
            )
        })
        .collect();
    f.render_widget(para(Line::from(tab_spans)), tabs);
    let lines = match l.tab {
        Tab::Timeline => timeline(l, body.height.saturating_sub(2) as usize, theme),
        Tab::Agenda => agenda(l, body.width, theme),
        Tab::Statements => statements(s, theme),
        Tab::Votes => votes(s, body.width, theme),
        Tab::Synthesis => synthesis(s, body.width.saturating_sub(2), theme),
        Tab::Integrity => integrity(l, theme),
    };
    let block = panel(
        Span::styled(
            format!(" {} — as it stood at record {} ", l.tab.title(), l.cursor),
            theme.accent,
        ),
        theme,
    );
    let inner = block.inner(body);
    f.render_widget(block, body);
    // The timeline keeps one record per row; other views wrap and scroll.
    if l.tab == Tab::Timeline {
        f.render_widget(para(lines), inner);
    } else {
        let scroll = l
            .scroll
            .min(lines.len().saturating_sub(1))
            .min(u16::MAX as usize) as u16;
        f.render_widget(
            para(lines).wrap(Wrap { trim: false }).scroll((scroll, 0)),
            inner,
        );
    }
    let mut foot_line = keys_line(keymap, Layer::ReviewSession, theme);
    if let Some(m) = message {
        foot_line = Line::from(Span::styled(m.to_owned(), theme.ok));
    }
    f.render_widget(para(foot_line), foot);
}

fn timeline<'a>(l: &Loaded, rows: usize, theme: &Theme) -> Vec<Line<'a>> {
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
                    describe::with_words(&r.event, Some(&l.session))
                ),
                style,
            ))
        })
        .collect()
}

fn agenda<'a>(l: &Loaded, width: u16, theme: &Theme) -> Vec<Line<'a>> {
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
        let state = match st.state() {
            StageState::NotStarted => "not run",
            StageState::Running | StageState::Paused => "under way",
            StageState::Ended => "",
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

fn statements<'a>(s: &Session, theme: &Theme) -> Vec<Line<'a>> {
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
    for st in s.stages.values() {
        let said: Vec<_> = s
            .statements
            .values()
            .filter(|x| x.stage.as_ref() == Some(&st.id))
            .collect();
        if said.is_empty() {
            continue;
        }
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            format!("{} · {}", st.id, st.title),
            theme.title,
        )));
        for x in said {
            let v = x.current();
            let flag = if x.is_retracted() {
                " [retracted]"
            } else if x.is_amended() {
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
                    format!("{}{flag}", v.text.replace('\n', " ")),
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

fn votes<'a>(s: &Session, width: u16, theme: &Theme) -> Vec<Line<'a>> {
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
            for (role, counts) in &s.results(r).by_role {
                let label = role
                    .map(|x| x.label().to_owned())
                    .unwrap_or_else(|| "not by role".into());
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
                    "Results hidden until the round closes ({} ballots in)",
                    s.results(r).voters
                ),
                theme.dim,
            )));
        }
        lines.push(Line::from(""));
    }
    lines
}

fn synthesis<'a>(s: &Session, width: u16, theme: &Theme) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    let g = grid(s, Accounts::RoleGroups);
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
            .map(|a| {
                format!(
                    "{:<col_w$}",
                    a.label(s).chars().take(col_w).collect::<String>()
                )
            })
            .collect();
        lines.push(Line::from(Span::styled(
            format!("{:<name_w$} {}", "concept", heads.join(" ")),
            theme.accent,
        )));
        for row in &g.rows {
            let name: String = s
                .concepts
                .get(&row.concept)
                .map(|c| format!("{} {}", c.id, c.name))
                .unwrap_or_default()
                .chars()
                .take(name_w - 1)
                .collect();
            let cells: Vec<String> = row
                .cells
                .iter()
                .map(|c| {
                    let ids: Vec<&str> = c.iter().map(|i| i.as_str()).collect();
                    let t = if ids.is_empty() {
                        "·".to_owned()
                    } else {
                        ids.join(",")
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
        let p = provenance(s, i);
        lines.push(Line::from(""));
        lines.push(Line::from(vec![
            Span::styled(format!("{} [{}] ", i.id, i.status), theme.accent),
            Span::styled(i.text().to_owned(), theme.title),
        ]));
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
            lines.push(Line::from(Span::styled(
                format!(
                    "      {flag}{} {}: {}",
                    e.statement.id,
                    speaker_label(s, &v.speaker),
                    v.text.replace('\n', " ")
                ),
                if flag.is_empty() {
                    theme.dim
                } else {
                    theme.warn
                },
            )));
        }
    }
    lines
}

fn integrity<'a>(l: &Loaded, theme: &Theme) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    match &l.verification {
        Ok(v) => {
            match &v.failure {
                None => lines.push(Line::from(Span::styled(
                    format!("✓ verified: all {} records sound", v.records),
                    theme.ok,
                ))),
                Some(p) => {
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
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        format!("Folder: {}", l.dir.display()),
        theme.dim,
    )));
    lines.push(Line::from(Span::styled("Review opens the journal read-only: it works while the session is running elsewhere; r reloads.", theme.dim)));
    lines
}
