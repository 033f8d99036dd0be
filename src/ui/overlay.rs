//! What lies over a screen: help, the quit dialog, a yes/no question, a
//! choice, a one-line prompt. Each is drawn by its own function.

use super::untrusted::{self, para};
use super::{Theme, big, centred};
use crate::app::actions;
use crate::app::overlay::Unsaved;
use crate::app::{App, Overlay, PromptKind};
use crate::domain::MemoKind;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Wrap};
use ratatui_textarea::TextArea;

pub fn render(
    f: &mut Frame,
    area: Rect,
    app: &App,
    overlay: &Overlay,
    now: crate::domain::Timestamp,
    theme: &Theme,
) {
    match overlay {
        Overlay::Help { page } => help_overlay(f, area, app, *page, theme),
        Overlay::Quit { unsaved, peers } => quit(f, area, app, unsaved, peers, theme),
        Overlay::Choose { question, answers } => {
            let labels: Vec<&str> = answers.iter().map(|(l, _)| l.as_str()).collect();
            choose(f, area, app, (" Choose ", question), &labels, theme)
        }
        Overlay::Remove { shown, claims } => {
            let freed: Vec<String> = claims
                .iter()
                .map(|n| format!("free the name `{n}` for the new laptop asking for it"))
                .collect();
            let labels: Vec<&str> = shown
                .iter()
                .map(String::as_str)
                .chain(freed.iter().map(String::as_str))
                .collect();
            let question = "Disconnect which terminal? A laptop must then use the join code again.";
            choose(f, area, app, (" Disconnect ", question), &labels, theme)
        }
        Overlay::Confirm { question, .. } => confirm(f, area, app, question, theme),
        Overlay::PhoneJoin { asking } => phone_join(f, area, app, asking, theme),
        Overlay::PhoneSaid { said, private } => {
            let shown = !private || app.revealed(&crate::app::reveal::phone_said_id(said), now);
            phone_said(f, area, app, said, shown, theme)
        }
        Overlay::Prompt { kind, input } => prompt(f, area, app, kind, input, theme),
    }
}

/// Quitting: what is not yet in the journal, who would be disconnected.
fn quit(f: &mut Frame, area: Rect, app: &App, unsaved: &Unsaved, peers: &[String], theme: &Theme) {
    let keys = |a| app.keymap.shown_all(actions::Layer::Quitting, a);
    let choice = |key: String, what: &'static str| {
        Line::from(vec![
            Span::styled(format!(" {key:<9} "), theme.selected),
            Span::raw(format!(" {what}")),
        ])
    };
    let mut text = Vec::new();
    if unsaved.is_nothing() {
        text.push(Line::from("Everything is saved in the journal."));
    } else {
        text.push(Line::from(Span::styled(
            format!("Not in the journal: {}.", unsaved.describe()),
            theme.over,
        )));
    }
    // A joined terminal leaves alone; the host's quitting ends the session
    // for every terminal and phone joined.
    let phones = app
        .phones
        .as_ref()
        .map_or(0, |p| p.connected.len() + p.unnamed);
    let mut lost: Vec<String> = peers.to_vec();
    if phones > 0 {
        lost.push(crate::domain::describe::counted(
            phones as u64,
            "phone",
            "phones",
        ));
    }
    if app.link.is_some() {
        text.push(Line::from(
            "You leave; the session goes on at the host for everyone else.",
        ));
    } else if !lost.is_empty() {
        text.push(Line::from(format!(
            "Connected, and would be disconnected: {}.",
            lost.join(", ")
        )));
    }
    text.push(Line::from(""));
    if unsaved.is_nothing() {
        let quit = format!(
            "{} / {}",
            keys(actions::Action::QuitAnyway),
            keys(actions::Action::Rescue)
        );
        text.push(choice(quit, "quit"));
    } else {
        text.push(choice(
            keys(actions::Action::Rescue),
            "write it to a rescue file, then quit",
        ));
        text.push(choice(
            keys(actions::Action::QuitAnyway),
            "quit and lose it",
        ));
    }
    text.push(choice(keys(actions::Action::Cancel), "stay"));
    let h = text.len() as u16 + 2;
    dialog(
        f,
        centred(area, 64, h + 1),
        " Quit? ",
        theme.over,
        text,
        theme,
    );
}

/// Numbered answers, each recording its events; Esc records nothing.
fn choose(
    f: &mut Frame,
    area: Rect,
    app: &App,
    (title, question): (&'static str, &str),
    labels: &[&str],
    theme: &Theme,
) {
    let mut text = vec![Line::from(question), Line::from("")];
    for (i, label) in labels.iter().enumerate() {
        text.push(Line::from(vec![
            Span::styled(format!(" {} ", i + 1), theme.selected),
            Span::raw(format!(" {label}")),
        ]));
    }
    text.push(Line::from(vec![
        Span::styled(
            format!(
                " {} ",
                app.keymap
                    .shown_all(actions::Layer::Choose, actions::Action::Cancel)
            ),
            theme.selected,
        ),
        Span::raw(" leave it as it is"),
    ]));
    // Rows as wrapped in the dialog's 70 columns.
    let h: usize = text.iter().map(|l| l.width().max(1).div_ceil(70)).sum();
    dialog(
        f,
        centred(area, 72, h as u16 + 2),
        title,
        theme.accent,
        text,
        theme,
    );
}

/// A yes/no question.
fn confirm(f: &mut Frame, area: Rect, app: &App, question: &str, theme: &Theme) {
    let text = vec![
        Line::from(question),
        Line::from(""),
        Line::from(vec![
            Span::styled(
                format!(
                    " {} ",
                    app.keymap
                        .shown_all(actions::Layer::Confirm, actions::Action::Confirm)
                ),
                theme.selected,
            ),
            Span::raw(" yes    "),
            Span::styled(
                format!(
                    " {} ",
                    app.keymap
                        .shown_all(actions::Layer::Confirm, actions::Action::Cancel)
                ),
                theme.selected,
            ),
            Span::raw(" no"),
        ]),
    ];
    dialog(
        f,
        centred(area, 64, 7),
        " Confirm ",
        theme.accent,
        text,
        theme,
    );
}

/// A statement sent from a phone, whole, and what each answer does.
/// A phone asking to join under a name, and the number it shows.
fn phone_join(f: &mut Frame, area: Rect, app: &App, asking: &crate::live::Asking, theme: &Theme) {
    let key = |a| app.keymap.shown_all(actions::Layer::Confirm, a);
    let mut text = vec![
        Line::from(Span::styled(
            format!("A phone asks to join as {}.", asking.participant),
            theme.accent,
        )),
        Line::from(vec![
            Span::raw("Let it in only if "),
            Span::styled(asking.participant.to_string(), theme.title),
            Span::raw("'s own phone shows "),
            Span::styled(format!(" {} ", asking.number), theme.selected),
        ]),
    ];
    if asking.replaces {
        text.push(Line::from(Span::styled(
            format!(
                "{} already has a phone in: letting this one in lets that one go.",
                asking.participant
            ),
            theme.warn,
        )));
    }
    text.push(Line::from(""));
    text.push(Line::from(vec![
        Span::styled(
            format!(" {} ", key(actions::Action::Confirm)),
            theme.selected,
        ),
        Span::raw(" let it in"),
    ]));
    text.push(Line::from(vec![
        Span::styled(
            format!(" {} ", key(actions::Action::Cancel)),
            theme.selected,
        ),
        Span::raw(" not this phone (it is told to choose its own name)"),
    ]));
    let h = (text.len() as u16 + 2).min(area.height);
    dialog(
        f,
        centred(area, 70, h),
        " A phone asks to join ",
        theme.accent,
        text,
        theme,
    );
}

/// Without consent to be shown, its words wait for the reveal key.
fn phone_said(
    f: &mut Frame,
    area: Rect,
    app: &App,
    said: &crate::live::Said,
    shown: bool,
    theme: &Theme,
) {
    let key = |a| app.keymap.shown_all(actions::Layer::Confirm, a);
    let width = area.width.saturating_sub(4).min(76);
    let words = match (shown, &said.participant) {
        (false, Some(p)) => format!(
            "{} · {} shows them here for ten seconds",
            crate::domain::Withheld::NoConsent(p.clone()).placeholder(),
            key(actions::Action::Reveal)
        ),
        _ => format!("“{}”", said.text),
    };
    let mut text = vec![Line::from(Span::styled(
        format!("From {}'s phone:", said.from),
        theme.accent,
    ))];
    text.extend(super::vote::wrapped(
        &words,
        usize::from(width.saturating_sub(2)).max(10),
        theme.base,
    ));
    text.push(Line::from(""));
    text.push(Line::from(vec![
        Span::styled(
            format!(" {} ", key(actions::Action::Confirm)),
            theme.selected,
        ),
        Span::raw(match &said.participant {
            Some(p) => format!(" add it to the record as {p}'s"),
            None => " add it to the record as the whole group's".to_owned(),
        }),
    ]));
    text.push(Line::from(vec![
        Span::styled(
            format!(" {} ", key(actions::Action::Cancel)),
            theme.selected,
        ),
        Span::raw(" set it aside (their phone is told)"),
    ]));
    let h = (text.len() as u16 + 2).min(area.height);
    dialog(
        f,
        centred(area, width, h),
        " From a phone ",
        theme.accent,
        text,
        theme,
    );
}

/// A one-line prompt: its instructions in the border, or wrapped inside the
/// box when they are longer than the border.
fn prompt(
    f: &mut Frame,
    area: Rect,
    app: &App,
    kind: &PromptKind,
    input: &TextArea<'static>,
    theme: &Theme,
) {
    let title = match kind {
            PromptKind::Synthesis(ask) => ask.title(),
            PromptKind::Memo(MemoKind::Process) => app.keymap.fill(
                actions::Layer::Prompt,
                " Memo: process note — {ToggleMemoKind} for reflexive, {Submit} saves, {Cancel} cancels ",
            ),
            PromptKind::Memo(MemoKind::Reflexive) => app.keymap.fill(
                actions::Layer::Prompt,
                " Memo: reflexive note — {ToggleMemoKind} for process, {Submit} saves, {Cancel} cancels ",
            ),
            PromptKind::AddStage(after) => app.keymap.fill(
                actions::Layer::Prompt,
                &format!(
                    " A stage after {after}: its title and minutes (“Small groups 10”); {{Submit}} adds it "
                ),
            ),
            PromptKind::NewAction(from) => app.keymap.fill(
                actions::Layer::Prompt,
                &format!(
                    " An action{}: what; who; by when — or, for one agreed earlier, “a1 done: how” or “a1: its words put right” — {{Submit}} saves ",
                    from.as_ref().map(|s| format!(" from {s}")).unwrap_or_default()
                ),
            ),
            PromptKind::Latecomer => app.keymap.fill(
                actions::Layer::Prompt,
                " Arrived late: role, name, consent yes/no (“carer, Ann, yes”) — {Submit} adds ",
            ),
            PromptKind::Find => app.keymap.fill(
                actions::Layer::Prompt,
                " Find a statement: its number (12 or st12) or some of its words — {Submit} selects ",
            ),
            PromptKind::Break => app.keymap.fill(
                actions::Layer::Prompt,
                " A break: how many minutes? {Submit} starts it, {Cancel} cancels ",
            ),
            PromptKind::Retract(id, _) => format!(
                " Retract {id}: why? {} ",
                app.keymap.fill(
                    actions::Layer::Prompt,
                    "{Submit} retracts, {Cancel} cancels"
                )
            ),
            PromptKind::Question => app.keymap.fill(
                actions::Layer::Prompt,
                " Question (options after |) — {Submit} keeps, {Cancel} cancels ",
            ),
        };
    let w = area.width.saturating_sub(8).max(40);
    // A title too long for the border is wrapped inside the box,
    // above the input, so that no word of it is cut.
    let mut inside = (title.chars().count() + 2 > usize::from(w))
        .then(|| big::wrap_words(title.trim(), usize::from(w.saturating_sub(2))))
        .flatten()
        .unwrap_or_default();
    let title_inside = !inside.is_empty();
    // What is being retracted (the box may cover its row): whole, up to
    // six lines.
    if let PromptKind::Retract(_, said) = kind {
        let width = usize::from(w.saturating_sub(2));
        let mut lines =
            big::wrap_words(said, width).unwrap_or_else(|| vec![big::shorten_at_word(said, width)]);
        if lines.len() > 6 {
            lines.truncate(6);
            lines[5] = big::shorten_at_word(&format!("{} …", lines[5]), width);
        }
        inside.extend(lines);
    }
    let r = centred(area, w, 5 + inside.len() as u16);
    f.render_widget(Clear, r);
    let mut block = Block::bordered()
        .style(theme.base)
        .border_style(theme.accent);
    // Every prompt says how to clear what is typed in it.
    if let Some(k) = app
        .keymap
        .key_for(actions::Layer::Prompt, actions::Action::ClearInput)
    {
        block = block.title_bottom(Line::from(format!(" {k} clears ")).right_aligned());
    }
    if !title_inside {
        block = block.title(untrusted::line(Line::from(title)));
    }
    let inner = block.inner(r);
    f.render_widget(block, r);
    let [above, field] =
        Layout::vertical([Constraint::Length(inside.len() as u16), Constraint::Min(1)])
            .areas(inner);
    let above_lines: Vec<Line> = inside
        .into_iter()
        .map(|l| Line::from(Span::styled(l, theme.accent)))
        .collect();
    f.render_widget(untrusted::para(above_lines), above);
    f.render_widget(input, field);
}

/// Every key on the screen beneath, one to a row, its description wrapped
/// at whole words; in pages (PgDn or space turns them) when they do not
/// all fit.
fn help_overlay(f: &mut Frame, area: Rect, app: &App, page: u16, theme: &Theme) {
    let keys = crate::app::hints::help_lines(&app.keymap, app.context());
    let key_w = keys
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(1);
    let w = area.width.min(80);
    let what_w = usize::from(w.saturating_sub(2))
        .saturating_sub(key_w + 2)
        .max(10);
    // Each key's rows, kept together on one page.
    let entries: Vec<Vec<Line>> = keys
        .into_iter()
        .map(|(key, what)| {
            let rows = big::wrap_words(&what, what_w).unwrap_or_else(|| vec![what.clone()]);
            rows.into_iter()
                .enumerate()
                .map(|(i, row)| {
                    let k = if i == 0 { key.as_str() } else { "" };
                    Line::from(vec![
                        Span::styled(format!("{k:>key_w$}  "), theme.accent),
                        Span::styled(row, theme.base),
                    ])
                })
                .collect()
        })
        .collect();
    let room = usize::from(area.height.saturating_sub(3)).max(1);
    let mut pages: Vec<Vec<Line>> = vec![Vec::new()];
    for entry in entries {
        let last = pages.len() - 1;
        if !pages[last].is_empty() && pages[last].len() + entry.len() > room {
            pages.push(Vec::new());
        }
        if let Some(p) = pages.last_mut() {
            p.extend(entry);
        }
    }
    let count = pages.len();
    let shown = usize::from(page) % count;
    let mut lines = pages.swap_remove(shown);
    if count > 1 {
        lines.resize(room, Line::from(""));
        lines.push(Line::from(Span::styled(
            format!("page {} of {count} · PgDn or space: next page", shown + 1),
            theme.dim,
        )));
    }
    let h = (lines.len() as u16 + 2).min(area.height);
    let r = centred(area, w, h);
    f.render_widget(Clear, r);
    let block = Block::bordered()
        .title(format!(
            " Keys on the {} screen — any other key closes ",
            app.screen.title()
        ))
        .style(theme.base)
        .border_style(theme.accent);
    let inner = block.inner(r);
    f.render_widget(block, r);
    f.render_widget(para(lines), inner);
}

/// A bordered box over whatever is beneath, holding `text`.
fn dialog(
    f: &mut Frame,
    r: Rect,
    title: &'static str,
    border: ratatui::style::Style,
    text: Vec<Line<'_>>,
    theme: &Theme,
) {
    f.render_widget(Clear, r);
    let block = Block::bordered()
        .title(title)
        .style(theme.base)
        .border_style(border);
    f.render_widget(para(text).block(block).wrap(Wrap { trim: true }), r);
}
