//! The end-of-session summary on the projector: the agenda planned against
//! what happened, who spoke, what was voted and agreed, and what is to be
//! done.

use super::untrusted::para;
use super::{Theme, panel};
use crate::domain::time::mmss;
use crate::domain::{InterpretationStatus, RoleGroup, Session, StageState, Timestamp};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Wrap;

pub fn render(f: &mut Frame, area: Rect, session: &Session, now: Timestamp, theme: &Theme) {
    let block = panel(Span::styled(" What we did today ", theme.accent), theme);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let agenda = agenda_lines(session, now, theme);
    let outcome = outcome_lines(session, theme);
    if inner.width >= 120 {
        let [a, b] = Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)])
            .spacing(2)
            .areas(inner);
        f.render_widget(para(agenda).wrap(Wrap { trim: false }), a);
        f.render_widget(para(outcome).wrap(Wrap { trim: false }), b);
        return;
    }
    let [a, b] = Layout::vertical([Constraint::Length(agenda.len() as u16), Constraint::Min(1)])
        .areas(inner);
    f.render_widget(para(agenda), a);
    f.render_widget(para(outcome).wrap(Wrap { trim: false }), b);
}

/// Stages planned against actual minutes, and the whole session's.
pub fn agenda_lines<'a>(session: &Session, now: Timestamp, theme: &Theme) -> Vec<Line<'a>> {
    let mut lines = vec![Line::from(Span::styled(
        "Agenda: planned / actual",
        theme.title,
    ))];
    let (mut planned, mut actual) = (0i64, 0i64);
    for st in session.stages.values() {
        planned += i64::from(st.planned_secs);
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
                format!("{:>5} / {:<9}", mmss(i64::from(st.planned_secs)), did),
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
    let voices: Vec<String> = RoleGroup::ALL
        .iter()
        .zip(session.voices)
        .map(|(g, n)| format!("{} {n}", g.label()))
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
