//! The vote screen: set up a round, take ballots or tallies, see results.

use super::big::{shorten_at_word, wrap_words};
use super::untrusted::para;
use super::widgets::{bar, round_lines};
use super::{Theme, panel};
use crate::app::App;
use crate::app::actions::{Action, Layer};
use crate::app::vote::{default_question, open_round, target};
use crate::domain::VoteMethod;
use crate::domain::vote::VoteRound;
use crate::domain::{BallotMode, Choice, Session, VoteTarget};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Wrap;

pub fn render(f: &mut Frame, area: Rect, app: &App, session: &Session, theme: &Theme) {
    match open_round(session) {
        Some(round) => live(f, area, app, session, round, theme),
        None => setup(f, area, app, session, theme),
    }
}

fn target_text(session: &Session, t: &VoteTarget) -> String {
    match t {
        VoteTarget::Statement(id) => match session.statements.get(id) {
            Some(s) if !session.consents(&s.current().speaker) => {
                format!("statement {id} [no consent: its words are not shown]")
            }
            Some(s) => format!("statement {id}: “{}”", s.current().text),
            None => format!("statement {id}"),
        },
        VoteTarget::Interpretation(id) => match session.interpretations.get(id) {
            Some(i) => format!("interpretation {id}: “{}”", i.text()),
            None => format!("interpretation {id}"),
        },
        VoteTarget::Question => "a free question".into(),
    }
}

fn setup(f: &mut Frame, area: Rect, app: &App, session: &Session, theme: &Theme) {
    let d = &app.vote;
    let t = target(app, session);
    // What the round is about, whole, on as many rows as it takes (up to 3).
    let about_w = usize::from(area.width.saturating_sub(17)).max(10);
    let mut about = wrap_words(&target_text(session, &t), about_w).unwrap_or_default();
    if about.len() > 3 {
        about.truncate(3);
        about[2] = shorten_at_word(&format!("{} …", about[2]), about_w);
    }
    let form_h = 9 + about.len().max(1) as u16;
    let [form, past] =
        Layout::vertical([Constraint::Length(form_h), Constraint::Min(3)]).areas(area);
    let method = d.method();
    let (typed, options) = d.parts();
    let question = if typed.is_empty() {
        default_question(&t, &method)
    } else {
        typed
    };
    let key = |a| app.keymap.shown(Layer::Vote, a).unwrap_or_default();
    let row = |key: String, label: &str, value: String| {
        Line::from(vec![
            Span::styled(format!(" {key:>2} "), theme.accent),
            Span::styled(format!("{label:<10}"), theme.dim),
            Span::styled(value, theme.base),
        ])
    };
    let more_about: Vec<Line> = about
        .iter()
        .skip(1)
        .map(|l| Line::from(Span::styled(format!("{:14}{l}", ""), theme.base)))
        .collect();
    let mut lines = vec![
        row(
            key(Action::CycleTarget),
            "vote on",
            about.first().cloned().unwrap_or_default(),
        ),
        row(
            key(Action::CycleMethod),
            "method",
            d.method.label().to_owned(),
        ),
        row(
            key(Action::ToggleCounted),
            "ballots",
            d.mode.describe().into(),
        ),
        row(
            key(Action::ToggleHidden),
            "results",
            if d.hidden {
                "hidden until the round closes".into()
            } else {
                "shown live".into()
            },
        ),
        row(
            key(Action::ToggleNamed),
            "who chose",
            match (d.mode, d.named) {
                (BallotMode::PerParticipant, true) => {
                    "shown by name on every screen (the group agreed; projectors say so)".into()
                }
                (BallotMode::PerParticipant, false) => {
                    "not shown: who has voted, and counts by role group".into()
                }
                _ => "never shown (no names are recorded with these ballots)".into(),
            },
        ),
        row(
            key(Action::EditQuestion),
            "question",
            if question.is_empty() {
                format!("(type the question: press {})", key(Action::EditQuestion))
            } else {
                question
            },
        ),
        row(
            String::new(),
            "options",
            if options.is_empty() {
                "(after | for dots, a choice or a ranking; #code: codebook)".into()
            } else {
                options.join(" · ")
            },
        ),
        Line::from(vec![
            Span::styled(format!(" {:>2} ", key(Action::OpenRound)), theme.accent),
            Span::styled("opens the round", theme.base),
        ]),
    ];
    for (k, l) in more_about.into_iter().enumerate() {
        lines.insert(1 + k, l);
    }
    let block = panel(Span::styled(" New vote round ", theme.accent), theme);
    f.render_widget(para(lines).block(block).wrap(Wrap { trim: false }), form);

    let block = panel(Span::styled(" Earlier rounds ", theme.accent), theme);
    let inner = block.inner(past);
    f.render_widget(block, past);
    let mut lines = Vec::new();
    for r in session.rounds.values().rev() {
        if lines.len() >= inner.height as usize {
            break;
        }
        let res = session.results(r);
        let summary: Vec<String> = res
            .options
            .iter()
            .zip(&res.counts)
            .filter(|(_, n)| **n > 0)
            .map(|(o, n)| match r.method {
                // A ranking's counts are Borda points, not votes.
                VoteMethod::Ranking { .. } => format!("{o} {n} pts"),
                _ => format!("{o} {n}"),
            })
            .collect();
        // Each row ends at a whole word.
        let row = shorten_at_word(
            &format!("{}: {}", r.question, summary.join(" · ")),
            usize::from(inner.width).saturating_sub(4),
        );
        lines.push(Line::from(vec![
            Span::styled(format!("{:<4}", r.id), theme.accent),
            Span::styled(row, theme.base),
        ]));
    }
    if lines.is_empty() {
        lines.push(Line::from(Span::styled("No rounds yet.", theme.dim)));
    }
    f.render_widget(para(lines), inner);
}

/// A ballot as the list shows it: the option by its number and name, or
/// for dots each option's number and how many dots it got.
fn choice_text(round: &VoteRound, c: &Choice) -> String {
    let labels = round.method.labels();
    let at = |i: usize| labels.get(i).cloned().unwrap_or_default();
    match c {
        Choice::Agreement(a) => format!("{a:?}").to_lowercase(),
        Choice::Resonance(r) => format!("resonance {}", at(usize::from(*r).saturating_sub(1))),
        Choice::Single(i) | Choice::Rung(i) => at(usize::from(*i)),
        Choice::Dots(d) => Choice::dots_words(d),
        // By number, as the keys enter them and the results list them.
        Choice::Ranking(order) => {
            let each: Vec<String> = order
                .iter()
                .map(|i| (u32::from(*i) + 1).to_string())
                .collect();
            each.join(" > ")
        }
    }
}

fn live(f: &mut Frame, area: Rect, app: &App, session: &Session, round: &VoteRound, theme: &Theme) {
    let wide = area.width >= 100;
    let results_width = if wide { area.width / 2 } else { area.width };
    let by = app
        .vote
        .breakdown
        .unwrap_or_else(|| crate::domain::Breakdown::natural(session.participants.values()));
    let results = results_lines(session, round, by, results_width.saturating_sub(2), theme);
    let [left, right] = if wide {
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(area)
    } else {
        // Every option is listed: the results take the rows they need, and
        // the ballots the rest (the list scrolls to the one being taken).
        let need = results.len() as u16 + 2;
        let left_min = match round.mode {
            BallotMode::PerParticipant | BallotMode::Anonymous => 6,
            BallotMode::Counted => round.method.options().len() as u16 + 5,
        };
        let right = need.min(area.height.saturating_sub(left_min)).max(3);
        Layout::vertical([Constraint::Min(0), Constraint::Length(right)]).areas(area)
    };
    let title = round_title(round);
    let block = panel(
        Span::styled(super::fit_title(&title, left.width), theme.accent),
        theme,
    );
    let inner = block.inner(left);
    f.render_widget(block, left);
    // The question and what it is about, whole: wrapped at words.
    let width = usize::from(inner.width).max(10);
    let mut lines = wrapped(&round.question, width, theme.title);
    lines.extend(wrapped(
        &target_text(session, &round.target),
        width,
        theme.dim,
    ));
    lines.push(Line::from(""));
    let labels = round.method.labels();
    match round.mode {
        BallotMode::PerParticipant => {
            let room = (inner.height as usize).saturating_sub(lines.len());
            let start = app.vote.cursor.saturating_sub(room.saturating_sub(1));
            for (i, (id, p)) in session
                .participants
                .iter()
                .enumerate()
                .skip(start)
                .take(room)
            {
                let latest = round.ballots.iter().rev().find(|b| &b.participant == id);
                // Who chose what only where the group agreed to it, never
                // for someone who did not consent to be shown, and never
                // before the results may be seen: this screen may be on the
                // wall.
                let shown = match latest {
                    Some(b) if round.named && round.results_visible() && session.consented(id) => {
                        format!("✓ {}", choice_text(round, &b.choice))
                    }
                    Some(_) => "✓ voted".to_owned(),
                    None if i == app.vote.cursor && !app.vote.dots.is_empty() => {
                        let (what, choice) = match round.method {
                            VoteMethod::Ranking { .. } => {
                                ("ranking", Choice::Ranking(app.vote.dots.clone()))
                            }
                            _ => ("placing", Choice::Dots(app.vote.dots.clone())),
                        };
                        format!("{what}: {}", choice_text(round, &choice))
                    }
                    None => "·".to_owned(),
                };
                let style = if i == app.vote.cursor {
                    theme.selected
                } else {
                    theme.base
                };
                let pointer = if i == app.vote.cursor { "▶" } else { " " };
                lines.push(Line::from(vec![
                    Span::styled(format!("{pointer} {id:<4} {:<26}", short_who(p)), style),
                    Span::styled(format!(" {shown}"), theme.base),
                ]));
            }
        }
        BallotMode::Anonymous => {
            // Never who voted what: how many, and from which groups once shown.
            let res = session.results(round);
            let said = format!(
                "{} {} in from phones. Each person votes once; the record keeps their role group, never their name.",
                res.voters,
                if res.voters == 1 { "ballot" } else { "ballots" }
            );
            lines.extend(wrapped(&said, width, theme.base));
        }
        BallotMode::Counted => {
            let role = app
                .vote
                .tally_role()
                .map(|r| r.label().to_owned())
                .unwrap_or_else(|| "everyone".into());
            lines.push(Line::from(vec![
                Span::styled(" r ", theme.accent),
                Span::styled(format!("hands from: {role}"), theme.base),
            ]));
            let max = app.vote.tally.iter().copied().max().unwrap_or(0).max(1);
            let label_w = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
            for (i, opt) in labels.iter().enumerate() {
                let n = app.vote.tally.get(i).copied().unwrap_or(0);
                let style = if i == app.vote.cursor {
                    theme.selected
                } else {
                    theme.base
                };
                lines.push(Line::from(vec![
                    Span::styled(
                        format!(
                            "{} {opt:<label_w$} {n:>3} ",
                            if i == app.vote.cursor { "▶" } else { " " }
                        ),
                        style,
                    ),
                    Span::styled(bar(n, max, 20), theme.bar),
                ]));
            }
            lines.push(Line::from(Span::styled(
                app.keymap.fill(
                    Layer::Vote,
                    " {CastBallot} records this tally; a later tally for the same role replaces it",
                ),
                theme.dim,
            )));
        }
    }
    f.render_widget(para(lines), inner);

    let block = panel(Span::styled(" Results ", theme.accent), theme);
    let inner = block.inner(right);
    f.render_widget(block, right);
    f.render_widget(para(results).wrap(Wrap { trim: false }), inner);
}

/// Every option, numbered as the keys record them, with its count, share
/// and each role group's count once results may be seen; before that, the
/// options and how many have voted.
fn results_lines<'a>(
    session: &Session,
    round: &VoteRound,
    by: crate::domain::Breakdown,
    width: u16,
    theme: &Theme,
) -> Vec<Line<'a>> {
    if round.results_visible() {
        return super::results::table(session, round, by, width, theme);
    }
    let mut lines = vec![Line::from(Span::styled(
        format!("Choices: {}", round.method.labels().join(" · ")),
        theme.base,
    ))];
    lines.extend(round_lines(session, round, width, theme));
    lines
}

/// `text` wrapped at whole words to `width`, as lines in `style`.
pub(super) fn wrapped<'a>(text: &str, width: usize, style: ratatui::style::Style) -> Vec<Line<'a>> {
    wrap_words(text, width)
        .unwrap_or_else(|| vec![text.to_owned()])
        .into_iter()
        .map(|l| Line::from(Span::styled(l, style)))
        .collect()
}

/// A participant's role, and where on a staff study's grid: `staff · NHS
/// front` (nine `staff` would be nine alike).
fn short_who(p: &crate::domain::Participant) -> String {
    match p.grid_short() {
        Some(grid) => format!("{} · {grid}", p.role.label()),
        None => p.role.label().to_owned(),
    }
}

/// ` Round v1 · dot vote, 3 dots each · one ballot each · hidden until closed `.
fn round_title(round: &VoteRound) -> String {
    let mode = match round.mode {
        BallotMode::PerParticipant => "one ballot each",
        BallotMode::Counted => "show of hands",
        BallotMode::Anonymous => "anonymous, from phones",
    };
    let hidden = match (round.hidden, round.named) {
        (true, true) => " · hidden until closed · named",
        (true, false) => " · hidden until closed",
        (false, true) => " · named",
        (false, false) => "",
    };
    // How many dots each person has, or that every option is ranked.
    let method = match &round.method {
        VoteMethod::Dots { per_person, .. } => format!("dot vote, {per_person} dots each"),
        VoteMethod::Ranking { options } => format!("ranking all {}", options.len()),
        m => m.label().to_owned(),
    };
    format!(" Round {} · {method} · {mode}{hidden} ", round.id)
}
