//! `roundtable` with no arguments: pick a session to run, or create one
//! from a template with a title and a focus.

use crate::ops::catalog::catalog;
use crate::store::StoreError;
use crate::store::template::{Template, list_templates};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui_textarea::TextArea;
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
    pub fn load(sessions: &Path) -> Result<Self, StoreError> {
        let mut all = catalog(sessions)?;
        all.reverse();
        let entries = all
            .into_iter()
            .map(|c| match &c.unreadable {
                None => Entry {
                    date: c.date.clone().unwrap_or_default(),
                    title: c.title.clone(),
                    detail: format!(
                        "{} of {} stages run · {} statements · {} votes{}",
                        c.stages_done,
                        c.stages,
                        c.statements,
                        c.votes,
                        if c.damage.is_some() {
                            " · DAMAGED"
                        } else {
                            ""
                        }
                    ),
                    dir: c.dir,
                },
                Some(e) => Entry {
                    date: "????-??-??".into(),
                    title: c.dir.display().to_string(),
                    detail: format!("cannot be read: {e}"),
                    dir: c.dir,
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
}
