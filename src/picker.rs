//! `roundtable` with no arguments: pick a session to run, or create one
//! from a template with a title and a focus.

use crate::cli::{Failure, Look, NewSession, new_session, run_live};
use crate::store;
use crate::store::template::{Template, list_templates};
use crate::ui::untrusted::para;
use crate::ui::{Theme, ThemeName, centred, panel};
use crossterm::event::{self, Event as TermEvent, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Wrap};
use ratatui_textarea::TextArea;
use std::io::Write;
use std::path::{Path, PathBuf};

pub struct Entry {
    pub dir: PathBuf,
    pub date: String,
    pub title: String,
    pub detail: String,
}

pub struct NewForm {
    pub template: usize,
    pub title: TextArea<'static>,
    pub focus: TextArea<'static>,
    /// 0 template, 1 title, 2 focus.
    pub field: usize,
}

pub struct Picker {
    pub entries: Vec<Entry>,
    pub templates: Vec<(String, Template)>,
    pub cursor: usize,
    pub form: Option<NewForm>,
    pub message: Option<String>,
}

pub enum Outcome {
    Stay,
    Quit,
    Open(PathBuf),
    Create {
        template: String,
        title: String,
        focus: String,
    },
}

impl Picker {
    pub fn load(sessions: &Path) -> Result<Self, Failure> {
        let mut dirs = store::session_dirs(sessions)?;
        dirs.reverse();
        let entries = dirs
            .into_iter()
            .map(|dir| match store::open_read_only(&dir) {
                Ok(r) => {
                    let s = &r.session;
                    let done = s
                        .stages
                        .values()
                        .filter(|st| st.state() == crate::domain::StageState::Ended)
                        .count();
                    Entry {
                        date: s.info().map(|i| i.created.date()).unwrap_or_default(),
                        title: s.title().to_owned(),
                        detail: format!(
                            "{} of {} stages run · {} statements · {} votes{}",
                            done,
                            s.stages.len(),
                            s.statements.len(),
                            s.rounds.len(),
                            if r.damage.is_some() {
                                " · DAMAGED"
                            } else {
                                ""
                            }
                        ),
                        dir,
                    }
                }
                Err(e) => Entry {
                    date: "????-??-??".into(),
                    title: dir.display().to_string(),
                    detail: format!("cannot be read: {e}"),
                    dir,
                },
            })
            .collect();
        let templates = list_templates(sessions)?
            .into_iter()
            .filter_map(|(n, t)| t.ok().map(|t| (n, t)))
            .collect();
        Ok(Self {
            entries,
            templates,
            cursor: 0,
            form: None,
            message: None,
        })
    }

    pub fn key(&mut self, key: KeyEvent) -> Outcome {
        if key.kind != KeyEventKind::Press {
            return Outcome::Stay;
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl && matches!(key.code, KeyCode::Char('q') | KeyCode::Char('c')) {
            return Outcome::Quit;
        }
        let Some(form) = &mut self.form else {
            match key.code {
                KeyCode::Char('q') | KeyCode::Esc => return Outcome::Quit,
                KeyCode::Up => self.cursor = self.cursor.saturating_sub(1),
                KeyCode::Down => {
                    self.cursor = (self.cursor + 1).min(self.entries.len().saturating_sub(1))
                }
                KeyCode::Enter => {
                    if let Some(e) = self.entries.get(self.cursor) {
                        return Outcome::Open(e.dir.clone());
                    }
                }
                KeyCode::Char('n') => {
                    if self.templates.is_empty() {
                        self.message =
                            Some("no templates in the sessions folder's templates/".into());
                    } else {
                        let mut title = TextArea::default();
                        title.set_placeholder_text("e.g. CAG roundtable: early findings");
                        let mut focus = TextArea::default();
                        focus
                            .set_placeholder_text("the one question this session exists to answer");
                        self.form = Some(NewForm {
                            template: 0,
                            title,
                            focus,
                            field: 0,
                        });
                    }
                }
                _ => {}
            }
            return Outcome::Stay;
        };
        match key.code {
            KeyCode::Esc => self.form = None,
            KeyCode::Tab | KeyCode::Down => form.field = (form.field + 1) % 3,
            KeyCode::BackTab | KeyCode::Up => form.field = (form.field + 2) % 3,
            KeyCode::Left if form.field == 0 => {
                form.template = (form.template + self.templates.len() - 1) % self.templates.len()
            }
            KeyCode::Right if form.field == 0 => {
                form.template = (form.template + 1) % self.templates.len()
            }
            KeyCode::Enter => {
                let title = form.title.lines().join(" ").trim().to_owned();
                let focus = form.focus.lines().join(" ").trim().to_owned();
                if title.is_empty() {
                    form.field = 1;
                    self.message = Some("give the session a title".into());
                } else if focus.is_empty() {
                    form.field = 2;
                    self.message = Some(
                        "a session needs its focus: the one question it exists to answer".into(),
                    );
                } else {
                    return Outcome::Create {
                        template: self.templates[form.template].0.clone(),
                        title,
                        focus,
                    };
                }
            }
            _ => match form.field {
                1 => {
                    form.title.input(key);
                }
                2 => {
                    form.focus.input(key);
                }
                _ => {}
            },
        }
        Outcome::Stay
    }

    pub fn render(&self, f: &mut Frame, theme: &Theme) {
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
                    self.message.clone().unwrap_or_default(),
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
        let start = self.cursor.saturating_sub(rows - 1);
        let mut lines = Vec::new();
        for (i, e) in self.entries.iter().enumerate().skip(start).take(rows) {
            let style = if i == self.cursor {
                theme.selected
            } else {
                theme.base
            };
            lines.push(Line::from(vec![
                Span::styled(
                    format!("{} ", if i == self.cursor { "▶" } else { " " }),
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
                " ↑↓ choose   Enter run   n new session   q quit",
                theme.accent,
            ))),
            foot,
        );
        if let Some(form) = &self.form {
            let r = centred(area, 76, 12);
            f.render_widget(Clear, r);
            let block = panel(
                Span::styled(
                    " New session — Tab next field · Enter create · Esc back ",
                    theme.accent,
                ),
                theme,
            )
            .border_style(theme.accent);
            let inner = block.inner(r);
            f.render_widget(block, r);
            let [t, t2, ti, fo, fo2] = Layout::vertical([
                Constraint::Length(1),
                Constraint::Length(2),
                Constraint::Length(2),
                Constraint::Length(1),
                Constraint::Length(3),
            ])
            .areas(inner);
            let (name, tpl) = &self.templates[form.template];
            let mark = |i: usize| {
                if form.field == i {
                    theme.selected
                } else {
                    theme.accent
                }
            };
            f.render_widget(
                para(Line::from(vec![
                    Span::styled(" template ", mark(0)),
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
            let [tl, tv] =
                Layout::horizontal([Constraint::Length(10), Constraint::Min(1)]).areas(ti);
            f.render_widget(para(Span::styled(" title ", mark(1))), tl);
            f.render_widget(&form.title, tv);
            f.render_widget(para(Span::styled(" focus ", mark(2))), fo);
            f.render_widget(&form.focus, fo2);
        }
    }
}

/// Creates a session from a template; returns its folder.
pub fn create(
    sessions: &Path,
    template: &str,
    title: &str,
    focus: &str,
) -> Result<PathBuf, Failure> {
    let spec = NewSession {
        template,
        title,
        focus,
        facilitator: "facilitator",
        participants: Vec::new(),
    };
    new_session(sessions, spec, None).map(|(dir, _, _)| dir)
}

pub fn run(sessions: &Path, out: &mut dyn Write) -> Result<i32, Failure> {
    let mut picker = Picker::load(sessions)?;
    let theme = Theme::new(ThemeName::HighContrast);
    let mut terminal = ratatui::try_init()?;
    let chosen = loop {
        if let Err(e) = terminal.draw(|f| {
            picker.render(f, &theme);
            crate::ui::untrusted::guard(f.buffer_mut());
        }) {
            ratatui::restore();
            return Err(e.into());
        }
        let ev = match event::read() {
            Ok(ev) => ev,
            Err(e) => {
                ratatui::restore();
                return Err(e.into());
            }
        };
        let TermEvent::Key(k) = ev else { continue };
        match picker.key(k) {
            Outcome::Stay => {}
            Outcome::Quit => break None,
            Outcome::Open(dir) => break Some(dir),
            Outcome::Create {
                template,
                title,
                focus,
            } => match create(sessions, &template, &title, &focus) {
                Ok(dir) => break Some(dir),
                Err(e) => picker.message = Some(e.to_string()),
            },
        }
    };
    ratatui::restore();
    match chosen {
        None => Ok(0),
        Some(dir) => {
            writeln!(out, "Opening {}", dir.display())?;
            run_live(
                &dir,
                Look {
                    theme: ThemeName::HighContrast,
                    keymap: None,
                    actor: "facilitator".into(),
                },
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(p: &mut Picker, code: KeyCode) -> Outcome {
        p.key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    fn type_text(p: &mut Picker, s: &str) {
        for c in s.chars() {
            press(p, KeyCode::Char(c));
        }
    }

    #[test]
    fn a_new_session_form_goes_template_title_focus() {
        let mut p = Picker::load(Path::new("sessions")).unwrap();
        assert_eq!(p.entries.len(), 1, "the shipped example");
        press(&mut p, KeyCode::Char('n'));
        press(&mut p, KeyCode::Right);
        press(&mut p, KeyCode::Tab);
        type_text(&mut p, "Access: what helps");
        press(&mut p, KeyCode::Tab);
        assert!(
            matches!(press(&mut p, KeyCode::Enter), Outcome::Stay),
            "no focus yet"
        );
        assert!(
            p.message.as_deref().unwrap_or("").contains("focus"),
            "{:?}",
            p.message
        );
        type_text(&mut p, "What helps people get support?");
        match press(&mut p, KeyCode::Enter) {
            Outcome::Create {
                template,
                title,
                focus,
            } => {
                assert_eq!(template, "cag-roundtable");
                assert_eq!(title, "Access: what helps");
                assert_eq!(focus, "What helps people get support?");
            }
            _ => panic!("not created"),
        }
    }

    #[test]
    fn enter_opens_the_selected_session_and_q_quits() {
        let mut p = Picker::load(Path::new("sessions")).unwrap();
        assert!(
            matches!(press(&mut p, KeyCode::Enter), Outcome::Open(d) if d.ends_with("2026-03-14-cag-findings"))
        );
        assert!(matches!(press(&mut p, KeyCode::Char('q')), Outcome::Quit));
    }
}
