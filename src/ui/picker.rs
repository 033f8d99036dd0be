//! The session picker's screen: sessions newest first, and the form for a
//! new one.

use super::untrusted::para;
use super::{Theme, centred, panel};
use crate::app::actions::Layer;
use crate::app::hints::hints;
use crate::app::picker::{Field, Picker};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Wrap};

pub fn render(picker: &Picker, f: &mut Frame, theme: &Theme) {
    let area = f.area();
    f.render_widget(ratatui::widgets::Block::new().style(theme.base), area);
    let [head, body, foot] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(3),
        Constraint::Length(1),
    ])
    .areas(area);
    f.render_widget(
        para(vec![
            Line::from(Span::styled("roundtable — choose a session", theme.title)),
            Line::from(Span::styled(
                picker.message.clone().unwrap_or_default(),
                theme.over,
            )),
        ]),
        head,
    );
    let block = panel(
        Span::styled(" Sessions, newest first ", theme.accent),
        theme,
    );
    let inner = block.inner(body);
    f.render_widget(block, body);
    let rows = (inner.height / 2).max(1) as usize;
    let start = picker.cursor.saturating_sub(rows - 1);
    let mut lines = Vec::new();
    for (i, e) in picker.entries.iter().enumerate().skip(start).take(rows) {
        let style = if i == picker.cursor {
            theme.selected
        } else {
            theme.base
        };
        lines.push(Line::from(vec![
            Span::styled(
                format!("{} ", if i == picker.cursor { "▶" } else { " " }),
                style,
            ),
            Span::styled(format!("{}  {}", e.date, e.title), style),
        ]));
        lines.push(Line::from(Span::styled(
            format!("              {}", e.detail),
            theme.dim,
        )));
    }
    if lines.is_empty() {
        lines.push(Line::from(Span::styled(
            "No sessions yet: press n to create one.",
            theme.dim,
        )));
    }
    f.render_widget(para(lines), inner);
    f.render_widget(
        para(Line::from(Span::styled(
            format!(
                " {}",
                hints(&picker.keymap, Layer::Picker, None)
                    .into_iter()
                    .map(|(keys, label)| format!("{keys} {label}"))
                    .collect::<Vec<_>>()
                    .join("   ")
            ),
            theme.accent,
        ))),
        foot,
    );
    if let Some(form) = &picker.form {
        let r = centred(area, 76, 16);
        f.render_widget(Clear, r);
        let block = panel(
            Span::styled(
                picker.keymap.fill(
                    Layer::NewSession,
                    " New session — {NextField} next field · {Submit} create · {Cancel} back ",
                ),
                theme.accent,
            ),
            theme,
        )
        .border_style(theme.accent);
        let inner = block.inner(r);
        f.render_widget(block, r);
        let [t, t2, ti, fo, fo2, pa, pa2] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(2),
            Constraint::Length(2),
            Constraint::Length(1),
            Constraint::Length(3),
            Constraint::Length(1),
            Constraint::Length(3),
        ])
        .areas(inner);
        let (name, tpl) = &picker.templates[form.template];
        let mark = |f: Field| {
            if form.field == f {
                theme.selected
            } else {
                theme.accent
            }
        };
        f.render_widget(
            para(Line::from(vec![
                Span::styled(" template ", mark(Field::Template)),
                Span::styled(
                    format!(" ◀ {name} ▶  {} min", tpl.planned_minutes()),
                    theme.base,
                ),
            ])),
            t,
        );
        f.render_widget(
            para(Span::styled(tpl.description.clone(), theme.dim)).wrap(Wrap { trim: true }),
            t2,
        );
        let [tl, tv] = Layout::horizontal([Constraint::Length(10), Constraint::Min(1)]).areas(ti);
        f.render_widget(para(Span::styled(" title ", mark(Field::Title))), tl);
        f.render_widget(&form.title, tv);
        f.render_widget(para(Span::styled(" focus ", mark(Field::Focus))), fo);
        f.render_widget(&form.focus, fo2);
        let [pl, pv] = Layout::horizontal([Constraint::Length(15), Constraint::Min(1)]).areas(pa);
        f.render_widget(
            para(Span::styled(" participants ", mark(Field::Participants))),
            pl,
        );
        f.render_widget(&form.participants, pv);
        let people = if form.people.is_empty() {
            picker.keymap.fill(
                Layer::Capture,
                "Without one, add each person as they arrive: {Latecomer} while the session runs.",
            )
        } else {
            form.people.clone()
        };
        f.render_widget(
            para(Span::styled(people, theme.dim)).wrap(Wrap { trim: true }),
            pa2,
        );
    }
}
