//! The end-of-session summary on the projector: the agenda planned against
//! what happened, who spoke, what was voted and agreed, and what is to be
//! done.

use super::untrusted::para;
use super::{Theme, panel};
use crate::domain::time::mmss;
use crate::domain::{InterpretationStatus, Session, StageState, Timestamp};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// Seconds each page of a summary too long for the screen stays up.
pub const PAGE_SECS: i64 = 15;

pub fn render(f: &mut Frame, area: Rect, session: &Session, now: Timestamp, theme: &Theme) {
    let block = panel(Span::styled(" What we did today ", theme.accent), theme);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let mut lines = agenda_lines(session, now, theme);
    lines.push(Line::from(""));
    lines.extend(outcome_lines(session, theme));
    // Whole words on every row; a summary longer than the screen turns its
    // pages by itself, so every projector shows all of it, whatever its size.
    let rows = wrap_lines(lines, usize::from(inner.width));
    let height = usize::from(inner.height).max(2);
    if rows.len() <= height {
        f.render_widget(para(rows), inner);
        return;
    }
    let per_page = height - 1;
    let pages = rows.len().div_ceil(per_page);
    let since = session.room_log.last().map_or(now, |(at, _)| *at);
    let page = (now.millis_since(since).max(0) / 1000 / PAGE_SECS) as usize % pages;
    let mut shown: Vec<Line> = rows
        .into_iter()
        .skip(page * per_page)
        .take(per_page)
        .collect();
    shown.resize(per_page, Line::from(""));
    shown.push(Line::from(Span::styled(
        format!("page {} of {pages} · turns every {PAGE_SECS} s", page + 1),
        theme.dim,
    )));
    f.render_widget(para(shown), inner);
}

/// Lines wrapped at spaces to `width`, each span's style kept; a row that
/// continues a line is indented under its text.
fn wrap_lines(lines: Vec<Line<'static>>, width: usize) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for line in lines {
        if line.width() <= width {
            out.push(line);
            continue;
        }
        let indent = line
            .spans
            .first()
            .filter(|s| s.content.ends_with(' '))
            .map_or(0, |s| s.content.chars().count())
            .min(width / 2);
        let mut row: Vec<Span<'static>> = Vec::new();
        let mut used = 0;
        for span in line.spans {
            for (i, word) in span.content.split(' ').enumerate() {
                let w = word.chars().count();
                let space = usize::from(i > 0);
                if used > indent && used + space + w > width {
                    out.push(Line::from(std::mem::take(&mut row)));
                    row.push(Span::raw(" ".repeat(indent)));
                    used = indent;
                } else if space == 1 {
                    row.push(Span::styled(" ", span.style));
                    used += 1;
                }
                row.push(Span::styled(word.to_owned(), span.style));
                used += w;
            }
        }
        out.push(Line::from(row));
    }
    out
}

/// Stages planned against actual minutes, and the whole session's.
pub fn agenda_lines<'a>(session: &Session, now: Timestamp, theme: &Theme) -> Vec<Line<'a>> {
    let mut lines = vec![Line::from(Span::styled(
        "Agenda: planned / actual",
        theme.title,
    ))];
    let (mut planned, mut actual) = (0i64, 0i64);
    // As agreed in the room: extended or shortened time counts.
    for st in session.stages.values() {
        planned += st.allowed_secs();
        let did = match st.state() {
            StageState::NotStarted => "not run".to_owned(),
            _ => {
                let used = st.elapsed_millis(now) / 1000;
                actual += used;
                mmss(used)
            }
        };
        lines.push(Line::from(vec![
            Span::styled(
                format!("{:>5} / {:<9}", mmss(st.allowed_secs()), did),
                theme.base,
            ),
            Span::styled(st.title.clone(), theme.base),
        ]));
    }
    lines.push(Line::from(Span::styled(
        format!("{:>5} / {:<9}in all", mmss(planned), mmss(actual)),
        theme.accent,
    )));
    lines
}

/// Statements by role group, votes, agreed interpretations: a heading
/// word, then the items.
fn outcome_lines<'a>(session: &Session, theme: &Theme) -> Vec<Line<'a>> {
    let voices: Vec<String> = super::widgets::voice_balance(session)
        .into_iter()
        .map(|(g, n)| format!("{g} {n}"))
        .collect();
    let mut lines = vec![heading_line("Who spoke", voices.join(" · "), theme)];
    let mut votes: Vec<String> = session
        .rounds
        .values()
        .map(|r| {
            let res = session.results(r);
            let outcome = if !r.results_visible() {
                "results hidden".to_owned()
            } else {
                match res.counts.iter().enumerate().max_by_key(|(_, n)| **n) {
                    Some((i, n)) if *n > 0 => format!(
                        "most: {} ({n}, {}%)",
                        res.options.get(i).map_or("?", String::as_str),
                        res.percent(i)
                    ),
                    _ => "no votes".to_owned(),
                }
            };
            format!("{} {} · {outcome}", r.id, r.question)
        })
        .collect();
    if votes.is_empty() {
        votes.push("none".into());
    }
    lines.extend(items("Votes", votes, theme));
    let mut agreed: Vec<String> = session
        .interpretations
        .values()
        .filter(|i| i.status == InterpretationStatus::Agreed)
        .map(|i| format!("{} “{}”", i.id, i.text()))
        .collect();
    if agreed.is_empty() {
        agreed.push("nothing yet".into());
    }
    lines.extend(items("Agreed", agreed, theme));
    let mut todo: Vec<String> = session
        .actions
        .values()
        .map(|a| {
            let mut t = format!("{} [{}] {}", a.id, a.status.label(), a.what);
            if !a.who.is_empty() {
                t.push_str(&format!(" · {}", a.who));
            }
            if !a.by_when.is_empty() {
                t.push_str(&format!(" · by {}", a.by_when));
            }
            t
        })
        .collect();
    if todo.is_empty() {
        todo.push("none recorded".into());
    }
    lines.extend(items("Actions", todo, theme));
    // Parked words reach the wall only with their speaker's consent.
    let mut parked: Vec<String> = session
        .floor
        .parked
        .iter()
        .filter_map(|id| session.statements.get(id))
        .map(|st| {
            let v = st.current();
            if st.is_retracted() || !session.consents(&v.speaker) {
                format!("{} (not shown)", st.id)
            } else {
                format!("{} {}", st.id, v.text.replace('\n', " "))
            }
        })
        .collect();
    if parked.is_empty() {
        parked.push("nothing".into());
    }
    lines.extend(items("Parked", parked, theme));
    lines
}

fn heading_line<'a>(heading: &str, text: String, theme: &Theme) -> Line<'a> {
    Line::from(vec![
        Span::styled(format!("{heading:<11}"), theme.title),
        Span::styled(text, theme.base),
    ])
}

/// The heading beside the first item, the rest beneath it.
fn items<'a>(heading: &str, items: Vec<String>, theme: &Theme) -> Vec<Line<'a>> {
    items
        .into_iter()
        .enumerate()
        .map(|(i, text)| heading_line(if i == 0 { heading } else { "" }, text, theme))
        .collect()
}
