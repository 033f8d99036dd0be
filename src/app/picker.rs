//! `roundtable` with no arguments: pick a session to run, or create one
//! from a template with a title, a focus and, if there is one, a
//! participants file.

use super::actions::{Action, Layer};
use super::keymap::Keymap;
use super::keys::Key;
use crate::domain::Participant;
use crate::ops::catalog::catalog;
use crate::ops::create::consent_summary;
use crate::store::StoreError;
use crate::store::template::{Template, declined, list_templates, load_participants};
use crossterm::event::{KeyEvent, KeyEventKind};
use ratatui_textarea::TextArea;
use std::path::{Path, PathBuf};

pub struct Entry {
    pub dir: PathBuf,
    pub date: String,
    pub title: String,
    pub detail: String,
}

/// The fields of the new-session form, in the order Tab visits them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Template,
    Title,
    Focus,
    Participants,
}

impl Field {
    fn next(self) -> Field {
        match self {
            Field::Template => Field::Title,
            Field::Title => Field::Focus,
            Field::Focus => Field::Participants,
            Field::Participants => Field::Template,
        }
    }

    fn previous(self) -> Field {
        self.next().next().next()
    }
}

pub struct NewForm {
    /// Index into the picker's templates.
    pub template: usize,
    pub title: TextArea<'static>,
    pub focus: TextArea<'static>,
    /// A participants file (optional): its path as typed.
    pub participants: TextArea<'static>,
    /// What that file holds, or why it cannot be used, as typed so far.
    pub people: String,
    pub field: Field,
}

pub struct Picker {
    pub entries: Vec<Entry>,
    pub templates: Vec<(String, Template)>,
    pub cursor: usize,
    pub form: Option<NewForm>,
    pub message: Option<String>,
    pub keymap: Keymap,
    /// The sessions folder: a participants file's name is also looked
    /// for in it.
    pub sessions: PathBuf,
}

pub enum Outcome {
    Stay,
    Quit,
    Open(PathBuf),
    Create {
        template: String,
        title: String,
        focus: String,
        participants: Vec<Participant>,
    },
}

impl Picker {
    pub fn load(sessions: &Path) -> Result<Self, StoreError> {
        Picker::load_with(sessions, Keymap::default())
    }

    pub fn load_with(sessions: &Path, keymap: Keymap) -> Result<Self, StoreError> {
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
            keymap,
            sessions: sessions.to_owned(),
        })
    }

    /// Creating the session the form asked for failed: say why, and stay.
    pub fn creation_failed(&mut self, why: String) {
        self.message = Some(why);
    }

    /// The layer keys are read in now.
    pub fn layer(&self) -> Layer {
        if self.form.is_some() {
            Layer::NewSession
        } else {
            Layer::Picker
        }
    }

    pub fn key(&mut self, key: KeyEvent) -> Outcome {
        if key.kind != KeyEventKind::Press {
            return Outcome::Stay;
        }
        let action = self.keymap.action(self.layer(), Key::from_event(&key));
        if action == Some(Action::Quit) {
            return Outcome::Quit;
        }
        if self.form.is_some() {
            return self.form_key(action, key);
        }
        match action {
            Some(Action::SelectUp) => self.cursor = self.cursor.saturating_sub(1),
            Some(Action::SelectDown) => {
                self.cursor = (self.cursor + 1).min(self.entries.len().saturating_sub(1))
            }
            Some(Action::Open) => {
                if let Some(e) = self.entries.get(self.cursor) {
                    return Outcome::Open(e.dir.clone());
                }
            }
            Some(Action::NewSession) if self.templates.is_empty() => {
                self.message = Some("no templates in the sessions folder's templates/".into());
            }
            Some(Action::NewSession) => {
                let mut title = TextArea::default();
                title.set_placeholder_text("e.g. CAG roundtable: early findings");
                let mut focus = TextArea::default();
                focus.set_placeholder_text("the one question this session exists to answer");
                let mut participants = TextArea::default();
                participants.set_placeholder_text("optional: a participants file, e.g. people.ron");
                self.form = Some(NewForm {
                    template: 0,
                    title,
                    focus,
                    participants,
                    people: String::new(),
                    field: Field::Template,
                });
            }
            _ => {}
        }
        Outcome::Stay
    }

    /// A key in the new-session form: what the keymap does not bind (or a
    /// template key away from the template field) is typing.
    fn form_key(&mut self, action: Option<Action>, key: KeyEvent) -> Outcome {
        let Some(form) = &mut self.form else {
            return Outcome::Stay;
        };
        let n = self.templates.len().max(1);
        match action {
            Some(Action::Cancel) => self.form = None,
            Some(Action::NextField) => form.field = form.field.next(),
            Some(Action::PreviousField) => form.field = form.field.previous(),
            Some(Action::PreviousTemplate) if form.field == Field::Template => {
                form.template = (form.template + n - 1) % n
            }
            Some(Action::NextTemplate) if form.field == Field::Template => {
                form.template = (form.template + 1) % n
            }
            Some(Action::Submit) => {
                let title = form.title.lines().join(" ").trim().to_owned();
                let focus = form.focus.lines().join(" ").trim().to_owned();
                if title.is_empty() {
                    form.field = Field::Title;
                    self.message = Some("give the session a title".into());
                } else if focus.is_empty() {
                    form.field = Field::Focus;
                    self.message = Some(
                        "a session needs its focus: the one question it exists to answer".into(),
                    );
                } else if let Some((name, _)) = self.templates.get(form.template) {
                    let named = form.participants.lines().join("").trim().to_owned();
                    let participants = if named.is_empty() {
                        Vec::new()
                    } else {
                        match load_participants(&participants_path(&self.sessions, &named)) {
                            Ok(people) => people,
                            Err(e) => {
                                form.field = Field::Participants;
                                self.message = Some(e.to_string());
                                return Outcome::Stay;
                            }
                        }
                    };
                    return Outcome::Create {
                        template: name.clone(),
                        title,
                        focus,
                        participants,
                    };
                }
            }
            _ => match form.field {
                Field::Title => {
                    form.title.input(key);
                }
                Field::Focus => {
                    form.focus.input(key);
                }
                Field::Participants => {
                    form.participants.input(key);
                    let named = form.participants.lines().join("").trim().to_owned();
                    form.people = people(&self.sessions, &named);
                }
                Field::Template => {}
            },
        }
        Outcome::Stay
    }
}

/// Where a participants file named `typed` is: as typed (from the folder
/// `roundtable` was started in), else in the sessions folder.
fn participants_path(sessions: &Path, typed: &str) -> PathBuf {
    let typed = Path::new(typed);
    if typed.is_absolute() || typed.exists() {
        return typed.to_owned();
    }
    let in_sessions = sessions.join(typed);
    if in_sessions.exists() {
        in_sessions
    } else {
        typed.to_owned()
    }
}

/// What the participants file named `typed` holds, whose words will be
/// kept off every screen and export, or why it cannot be used yet.
fn people(sessions: &Path, typed: &str) -> String {
    if typed.is_empty() {
        return String::new();
    }
    let path = participants_path(sessions, typed);
    if !path.is_file() {
        return format!("no file {} yet", path.display());
    }
    match (load_participants(&path), declined(&path)) {
        (Ok(people), Ok(said_no)) => {
            let mut said = vec![format!(
                "{} participant{}",
                people.len(),
                if people.len() == 1 { "" } else { "s" }
            )];
            said.extend(consent_summary(&people, &said_no));
            said.join(" · ")
        }
        (Err(e), _) | (_, Err(e)) => e.to_string(),
    }
}
