//! The note-taker's capture screen: type, attribute, tag, save; amend and
//! retract what was saved.

use super::actions::Action;
use super::{App, Effect, KINDS, Overlay, PromptKind, Tone, new_input};
use crate::domain::{
    Event, ParticipantId, Session, Speaker, StatementId, StatementKind, Timestamp,
};
use ratatui_textarea::TextArea;

pub const PLACEHOLDER: &str = "Type what was said · #tag · @P2";

pub struct CaptureState {
    pub input: TextArea<'static>,
    /// Who is speaking; `None` is the whole group.
    pub speaker: Option<ParticipantId>,
    pub kind: StatementKind,
    /// The statement selected in the recent list (for amend and retract).
    pub selected: Option<StatementId>,
    /// Set while the input holds an amendment to this statement.
    pub amending: Option<StatementId>,
    /// Set once a speaker was chosen, so the default does not override it.
    pub speaker_chosen: bool,
    /// What was last looked for: looking for it again goes further back.
    pub last_find: Option<String>,
}

impl Default for CaptureState {
    fn default() -> Self {
        let mut input = new_input(PLACEHOLDER);
        input.set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
        Self {
            input,
            speaker: None,
            kind: StatementKind::Quote,
            selected: None,
            amending: None,
            speaker_chosen: false,
            last_find: None,
        }
    }
}

/// What the note-taker typed, split into words, tags and an attribution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub text: String,
    pub tags: Vec<String>,
    /// A leading `@P2` names the speaker; `@group` the whole group.
    pub speaker: Option<Speaker>,
    /// A leading `@name` that is nobody in the session.
    pub unknown: Option<String>,
}

/// Pulls `#tags` out of the text, and a speaker from an `@name` that starts
/// it; an `@name` later in the text is part of what was said and stays.
/// Keeps line breaks.
pub fn parse(raw: &str, session: &Session) -> Parsed {
    let mut tags: Vec<String> = Vec::new();
    let mut speaker = None;
    let mut unknown = None;
    let mut body = raw.trim_start();
    if let Some(rest) = body.strip_prefix('@') {
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let who = rest[..end].trim_end_matches([',', ':', '.', ';']);
        if who.eq_ignore_ascii_case("group") {
            speaker = Some(Speaker::Group);
        } else if let Some(p) = session
            .participants
            .keys()
            .find(|p| p.as_str().eq_ignore_ascii_case(who))
        {
            speaker = Some(Speaker::Participant(p.clone()));
        } else {
            unknown = Some(who.to_owned());
        }
        if unknown.is_none() {
            body = &rest[end..];
        }
    }
    let lines: Vec<String> = body
        .lines()
        .map(|line| {
            line.split_whitespace()
                .filter(|word| {
                    let Some(tag) = word.strip_prefix('#') else {
                        return true;
                    };
                    let Some(tag) = crate::domain::statement::typed_tag(tag) else {
                        return true;
                    };
                    let tag = crate::domain::codebook::resolve(&session.codebook, tag);
                    if !tags.contains(&tag) {
                        tags.push(tag);
                    }
                    false
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    Parsed {
        text: lines.join("\n").trim().to_owned(),
        tags,
        speaker,
        unknown,
    }
}

/// Participants in order, then the whole group: the speaker cycle.
fn speakers(session: &Session) -> Vec<Option<ParticipantId>> {
    session
        .participants
        .keys()
        .cloned()
        .map(Some)
        .chain([None])
        .collect()
}

impl CaptureState {
    /// The speaker shown: the chosen one, or the first participant.
    pub fn speaker(&self, session: &Session) -> Speaker {
        if self.speaker_chosen {
            return self
                .speaker
                .clone()
                .map(Speaker::Participant)
                .unwrap_or(Speaker::Group);
        }
        session
            .participants
            .keys()
            .next()
            .cloned()
            .map(Speaker::Participant)
            .unwrap_or(Speaker::Group)
    }

    fn cycle_speaker(&mut self, session: &Session, step: isize) {
        let list = speakers(session);
        let current = match self.speaker(session) {
            Speaker::Participant(p) => Some(p),
            Speaker::Group => None,
        };
        let i = list.iter().position(|s| *s == current).unwrap_or(0) as isize;
        let n = list.len() as isize;
        self.speaker = list[((i + step).rem_euclid(n)) as usize].clone();
        self.speaker_chosen = true;
    }
}

/// Statements as listed on the capture screen, oldest first.
pub fn listed(
    session: &Session,
) -> impl DoubleEndedIterator<Item = &StatementId> + ExactSizeIterator {
    session.statements.keys()
}

fn move_selection(app: &mut App, session: &Session, up: bool) {
    let n = session.statements.len();
    if n == 0 {
        return;
    }
    let i = app
        .capture
        .selected
        .as_ref()
        .and_then(|s| session.statements.get_index_of(s))
        .unwrap_or(n);
    let j = if up {
        i.saturating_sub(1)
    } else {
        (i + 1).min(n - 1)
    };
    app.capture.selected = session.statements.get_index(j).map(|(k, _)| k.clone());
}

pub fn action(
    app: &mut App,
    session: &Session,
    action: Action,
    now: Timestamp,
    fx: &mut Vec<Effect>,
) {
    match action {
        Action::Commit => commit(app, session, now, fx),
        Action::NewLine => app.capture.input.insert_newline(),
        Action::NextSpeaker => app.capture.cycle_speaker(session, 1),
        Action::PreviousSpeaker => app.capture.cycle_speaker(session, -1),
        Action::GroupSpeaker => {
            app.capture.speaker = None;
            app.capture.speaker_chosen = true;
        }
        Action::CycleKind => {
            let i = KINDS
                .iter()
                .position(|k| *k == app.capture.kind)
                .unwrap_or(0);
            app.capture.kind = KINDS[(i + 1) % KINDS.len()];
        }
        Action::SelectUp => move_selection(app, session, true),
        Action::SelectDown => move_selection(app, session, false),
        Action::Amend => {
            let Some(id) = app.capture.selected.clone() else {
                app.say(
                    Tone::Info,
                    app.keys("select a statement first ({SelectUp} / {SelectDown})"),
                );
                return;
            };
            let Some(st) = session.statements.get(&id) else {
                return;
            };
            if st.is_retracted() {
                app.say(
                    Tone::Problem,
                    format!("{id} was retracted; it cannot be amended"),
                );
                return;
            }
            // Its words go into the box: only once deliberately shown.
            if session.withheld(st).is_some() && !app.revealed(&id, now) {
                app.say(
                    Tone::Refused,
                    app.keys(&format!(
                        "{id}'s words are not shown (no consent): {{Reveal}} shows them here, then {{Amend}} amends it"
                    )),
                );
                return;
            }
            let v = st.current();
            let mut text = v.text.clone();
            for t in &v.tags {
                text.push_str(&format!(" #{t}"));
            }
            let mut input = TextArea::new(text.lines().map(str::to_owned).collect());
            input.set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
            input.set_cursor_line_style(ratatui::style::Style::default());
            input.move_cursor(ratatui_textarea::CursorMove::Bottom);
            input.move_cursor(ratatui_textarea::CursorMove::End);
            app.capture.input = input;
            app.capture.kind = v.kind;
            app.capture.speaker = match &v.speaker {
                Speaker::Participant(p) => Some(p.clone()),
                Speaker::Group => None,
            };
            app.capture.speaker_chosen = true;
            app.capture.amending = Some(id.clone());
            app.say(
                Tone::Info,
                format!(
                    "changing {id}: {}",
                    app.keys("edit its words to amend it, or only its #tags or kind ({CycleKind}) to re-code it; {Commit} saves, {Cancel} cancels")
                ),
            );
        }
        Action::Find => {
            let placeholder = "12, st12, or words it contains";
            let input = match &app.capture.last_find {
                Some(last) => super::input_offering(placeholder, last),
                None => new_input(placeholder),
            };
            app.overlays.push(Overlay::Prompt {
                kind: PromptKind::Find,
                input: Box::new(input),
            });
        }
        Action::Retract => match app.capture.selected.clone() {
            Some(id) => {
                let said = session.statements.get(&id).map_or_else(String::new, |st| {
                    crate::domain::describe::words_and_whose(session, st)
                });
                app.overlays.push(Overlay::Prompt {
                    kind: PromptKind::Retract(id, said),
                    input: Box::new(new_input("why is it retracted? (required)")),
                });
            }
            None => app.say(
                Tone::Info,
                app.keys("select a statement first ({SelectUp} / {SelectDown})"),
            ),
        },
        Action::Cancel => {
            if app.capture.amending.take().is_some() {
                app.say(Tone::Info, "change cancelled: the statement is as it was");
            }
            clear_input(app);
            app.capture.selected = None;
        }
        _ => {}
    }
}

fn clear_input(app: &mut App) {
    let mut input = new_input(PLACEHOLDER);
    input.set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
    app.capture.input = input;
}

fn commit(app: &mut App, session: &Session, now: Timestamp, fx: &mut Vec<Effect>) {
    let raw = app.capture.input.lines().join("\n");
    let parsed = parse(&raw, session);
    if let Some(who) = &parsed.unknown {
        // The text stays in the box: nothing is saved under the wrong name.
        app.say(
            Tone::Problem,
            format!(
                "not saved: nobody here is @{who}; use a participant's pseudonym (@P2) or @group"
            ),
        );
        return;
    }
    if parsed.text.is_empty() {
        app.say(Tone::Info, "nothing to save: type the statement first");
        return;
    }
    let speaker = parsed
        .speaker
        .clone()
        .unwrap_or_else(|| app.capture.speaker(session));
    let before = app
        .capture
        .amending
        .as_ref()
        .and_then(|id| session.statements.get(id))
        .map(|s| s.current());
    if let Some(v) = before
        && (&v.text, &v.speaker, v.kind, &v.tags)
            == (&parsed.text, &speaker, app.capture.kind, &parsed.tags)
    {
        app.say(
            Tone::Info,
            app.keys("nothing changed: edit the words to amend, or the #tags or kind ({CycleKind}) to re-code; {Cancel} cancels"),
        );
        return;
    }
    let recoding = before.is_some_and(|v| (&v.text, &v.speaker) == (&parsed.text, &speaker));
    let event = match app.capture.amending.clone() {
        // Only the codes or the kind changed: the words are as they were.
        Some(statement) if recoding => Event::StatementRecoded {
            statement,
            kind: app.capture.kind,
            tags: parsed.tags,
            by: app.actor.clone(),
            at: now,
        },
        Some(statement) => Event::StatementAmended {
            statement,
            kind: app.capture.kind,
            speaker,
            text: parsed.text,
            tags: parsed.tags,
            reason: None,
            by: app.actor.clone(),
            at: now,
        },
        None => {
            let id = app.fresh_id(
                "st",
                |id| session.statements.contains_key(id),
                session.statements.len(),
            );
            Event::StatementAdded {
                id: StatementId::new(id),
                kind: app.capture.kind,
                speaker,
                stage: session.current_stage().map(|s| s.id.clone()),
                text: parsed.text,
                tags: parsed.tags,
                captured_by: app.actor.clone(),
                at: now,
            }
        }
    };
    // The input is cleared at once so typing can go on while the store
    // saves; the text stays in the pending list until it is saved.
    if app.record(session, event, fx) {
        // A new statement lets go of the one found or chosen before: the
        // list follows what is new, and what acts on "the chosen
        // statement" acts on the latest. (An amended one stays chosen.)
        if app.capture.amending.take().is_none() {
            app.capture.selected = None;
        }
        clear_input(app);
    }
}

/// Selects the statement `query` names: its number (`12`, `st12`), or else
/// the newest whose words (or speaker) contain it, ignoring case. Asked
/// again for the same words, the next older match, round to the newest.
pub fn find(app: &mut App, session: &Session, query: &str) {
    let query = query.trim();
    if query.is_empty() {
        return;
    }
    // A whole id (`sam-st5`), or a number (`5`, `st5`) whichever terminal
    // made the statement (`st5`, `sam-st5`); else words.
    let exact = session.statements.get_index_of(query);
    let number = query
        .strip_prefix("st")
        .or(Some(query))
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        .map(|n| format!("st{}", n.trim_start_matches('0')));
    let needle = query.to_lowercase();
    let matches: Vec<usize> = match (exact, &number) {
        (Some(i), _) => vec![i],
        (None, Some(n)) => session
            .statements
            .keys()
            .enumerate()
            .filter(|(_, id)| id.as_str() == n || id.as_str().ends_with(&format!("-{n}")))
            .map(|(i, _)| i)
            .collect(),
        (None, None) => session
            .statements
            .values()
            .enumerate()
            .filter(|(_, s)| {
                let v = s.current();
                // Withheld words are not searched: a match would tell them.
                (session.withheld(s).is_none() && v.text.to_lowercase().contains(&needle))
                    || matches!(&v.speaker, Speaker::Participant(p) if p.as_str().eq_ignore_ascii_case(query))
            })
            .map(|(i, _)| i)
            .collect(),
    };
    let Some(&newest) = matches.last() else {
        let said = match number {
            Some(n) => format!("there is no statement {n}"),
            None => format!("no statement has “{query}” in it"),
        };
        app.say(Tone::Refused, said);
        return;
    };
    let again = app.capture.last_find.as_deref() == Some(query);
    let from = app
        .capture
        .selected
        .as_ref()
        .and_then(|s| session.statements.get_index_of(s))
        .filter(|_| again);
    let pick = from
        .and_then(|i| matches.iter().rev().find(|&&m| m < i).copied())
        .unwrap_or(newest);
    let id = session.statements.get_index(pick).map(|(k, _)| k.clone());
    app.capture.selected = id.clone();
    app.capture.last_find = Some(query.to_owned());
    if let Some(id) = id {
        app.say(Tone::Info, found_message(app, &id, matches.len()));
    }
}

fn found_message(app: &App, id: &StatementId, of: usize) -> String {
    let more = if of > 1 {
        format!(" (one of {of}; {{Find}} again for the next)")
    } else {
        String::new()
    };
    app.keys(&format!(
        "{id} selected{more}: {{Amend}} amends, {{Retract}} retracts"
    ))
}
