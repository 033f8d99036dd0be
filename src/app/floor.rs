//! The room as the note-taker and facilitator keep it: hands up, who came
//! late or left, what is parked for later and what is to be done. Each is
//! one key on the capture screen; each is an event.

use super::Effect;
use super::actions::Action;
use super::overlay::{Overlay, PromptKind};
use super::state::{App, Tone, new_input};
use crate::domain::{
    ActionId, ActionStatus, Event, Participant, ParticipantId, Role, Session, Speaker, StatementId,
    Timestamp,
};
use crate::domain::{Level, Sector};

fn highlighted(app: &App, session: &Session) -> Option<ParticipantId> {
    match app.capture.speaker(session) {
        Speaker::Participant(p) => Some(p),
        Speaker::Group => None,
    }
}

/// The statement chosen on the capture screen, else the latest.
fn chosen_statement(app: &App, session: &Session) -> Option<StatementId> {
    app.capture
        .selected
        .clone()
        .or_else(|| session.statements.keys().last().cloned())
}

/// A capture-screen action about the room; `false` when it is not one.
pub fn action(
    app: &mut App,
    session: &Session,
    action: Action,
    now: Timestamp,
    fx: &mut Vec<Effect>,
) -> bool {
    match action {
        Action::Hand => match highlighted(app, session) {
            Some(p) => {
                let e = if session.floor.hands.contains(&p) {
                    Event::HandLowered {
                        participant: p,
                        at: now,
                    }
                } else {
                    Event::HandRaised {
                        participant: p,
                        at: now,
                    }
                };
                app.record(session, e, fx);
            }
            None => app.say(
                Tone::Info,
                app.keys("choose who wants to speak first ({NextSpeaker})"),
            ),
        },
        Action::LeftOrBack => match highlighted(app, session) {
            Some(p) => {
                let here = session.floor.attendance.get(&p).is_none_or(|a| a.present());
                let e = if here {
                    Event::ParticipantLeft {
                        participant: p,
                        at: now,
                    }
                } else {
                    Event::ParticipantArrived {
                        participant: p,
                        at: now,
                    }
                };
                app.record(session, e, fx);
            }
            None => app.say(
                Tone::Info,
                app.keys("choose who left first ({NextSpeaker})"),
            ),
        },
        Action::Park => match chosen_statement(app, session) {
            Some(s) => {
                let parked = !session.floor.parked.contains(&s);
                app.record(
                    session,
                    Event::StatementParked {
                        statement: s,
                        parked,
                        at: now,
                    },
                    fx,
                );
            }
            None => app.say(Tone::Info, "nothing has been said yet to park"),
        },
        Action::NewAction => {
            // From the statement chosen, if it may still be read; the
            // prompt says which.
            let from = app.capture.selected.clone().filter(|id| {
                session
                    .statements
                    .get(id)
                    .is_some_and(|s| !s.is_retracted())
            });
            let input = new_input("what; who; by when   (or: a1 done: how)");
            app.overlays.push(Overlay::Prompt {
                kind: PromptKind::NewAction(from),
                input: Box::new(input),
            });
        }
        Action::Latecomer => {
            let input =
                new_input("role [sector level], name, yes/no consent, pseudonym (optional)");
            app.overlays.push(Overlay::Prompt {
                kind: PromptKind::Latecomer,
                input: Box::new(input),
            });
        }
        _ => return false,
    }
    true
}

/// `what; who; by when` as an action, from the chosen statement if any;
/// or `a1 done` (`open`, `dropped`), with an optional note after it, for
/// what became of one ("you said, we did").
pub fn add_action(
    app: &mut App,
    session: &Session,
    from: Option<StatementId>,
    typed: &str,
    now: Timestamp,
    fx: &mut Vec<Effect>,
) {
    if let Some((typed_id, change)) = addressed(typed) {
        // `a1` also names the one action a joined terminal numbered so
        // (`sam-a1`), when there is no other.
        let suffix = format!("-{typed_id}");
        let mut like = session
            .actions
            .keys()
            .filter(|k| k.as_str() == typed_id || k.as_str().ends_with(&suffix));
        let id = match (
            session.actions.get_key_value(typed_id).map(|(k, _)| k),
            like.next(),
            like.next(),
        ) {
            (Some(exact), _, _) => exact.clone(),
            (None, Some(only), None) => only.clone(),
            (None, Some(a), Some(b)) => {
                let said = format!("{typed_id} could be {a} or {b}: type the whole id");
                return keep_typed(app, from, typed, said);
            }
            (None, None, _) => {
                let said = format!(
                    "there is no action {typed_id}: correct it, or {}",
                    app.keys("{Cancel} to leave it")
                );
                return keep_typed(app, from, typed, said);
            }
        };
        let e = match change {
            Change::Status(status, note) => Event::ActionStatusChanged {
                action: id,
                status,
                note: note.to_owned(),
                at: now,
            },
            // Put right: what is typed replaces; a part left empty keeps
            // what it said.
            Change::Words(words) => {
                let was = &session.actions[&id];
                let (what, who, by_when) = parts(words);
                let or = |new: String, old: &str| if new.is_empty() { old.to_owned() } else { new };
                Event::ActionCorrected {
                    what: or(what, &was.what),
                    who: or(who, &was.who),
                    by_when: or(by_when, &was.by_when),
                    action: id,
                    at: now,
                }
            }
        };
        app.record(session, e, fx);
        return;
    }
    let (what, who, by_when) = parts(typed);
    let id = app.fresh_id(
        "a",
        |id| session.actions.contains_key(id),
        session.actions.len(),
    );
    let e = Event::ActionAdded {
        id: ActionId::new(id),
        what,
        who,
        by_when,
        from,
        at: now,
    };
    app.record(session, e, fx);
}

/// `what; who; by when`, each trimmed.
fn parts(typed: &str) -> (String, String, String) {
    let mut parts = typed.split(';').map(str::trim);
    let mut next = || parts.next().unwrap_or_default().to_owned();
    (next(), next(), next())
}

/// What is typed about an action agreed earlier.
enum Change<'a> {
    /// `a1 done: how` (`open`, `dropped`), with an optional note.
    Status(ActionStatus, &'a str),
    /// `a1: what; who; by when`: its words put right.
    Words(&'a str),
}

/// The action `typed` is about (`a1`, or a joined terminal's `sam-a1`) and
/// what becomes of it, if it is about one.
fn addressed(typed: &str) -> Option<(&str, Change<'_>)> {
    let typed = typed.trim();
    let end = typed
        .find(|c: char| c.is_whitespace() || c == ':')
        .unwrap_or(typed.len());
    let (id, rest) = typed.split_at(end);
    let own = id.rsplit_once('-').map_or(id, |(_, own)| own);
    let digits = own.strip_prefix('a')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if let Some(words) = rest.strip_prefix(':') {
        return Some((id, Change::Words(words.trim())));
    }
    let rest = rest.trim_start();
    let word_end = rest
        .find(|c: char| !c.is_alphabetic())
        .unwrap_or(rest.len());
    let status = match rest[..word_end].to_lowercase().as_str() {
        "done" => ActionStatus::Done,
        "dropped" => ActionStatus::Dropped,
        "open" => ActionStatus::Open,
        _ => return None,
    };
    let note = rest[word_end..]
        .trim_start_matches([':', ';', ',', '-', ' '])
        .trim();
    Some((id, Change::Status(status, note)))
}

/// A refused action: what was typed stays in the prompt to correct, and
/// why is said.
fn keep_typed(app: &mut App, from: Option<StatementId>, typed: &str, said: String) {
    keep_in(app, PromptKind::NewAction(from), typed, said);
}

/// What was typed stays in a prompt of `kind` to correct, and why is said.
fn keep_in(app: &mut App, kind: PromptKind, typed: &str, said: String) {
    let mut input = new_input("");
    input.insert_str(typed);
    app.overlays.push(Overlay::Prompt {
        kind,
        input: Box::new(input),
    });
    app.say(Tone::Problem, said);
}

/// The roles a latecomer can be given by name, as typed.
fn role_named(word: &str) -> Option<Role> {
    let w = word.trim().to_lowercase();
    Role::ALL
        .iter()
        .copied()
        .find(|r| r.label() == w || r.label().split(' ').any(|part| part == w))
}

/// Sector and level words, as typed for a latecomer (`NHS operational`,
/// `la front line`): each, if all the words name them; otherwise the first
/// word that names neither.
fn grid_words(typed: &str) -> Result<(Option<Sector>, Option<Level>), String> {
    let words: Vec<String> = typed.split_whitespace().map(str::to_lowercase).collect();
    let (mut sector, mut level) = (None, None);
    let mut i = 0;
    while i < words.len() {
        let two = words.get(i + 1).map(|n| format!("{} {n}", words[i]));
        let (found, used) = match (words[i].as_str(), two.as_deref()) {
            (_, Some("local authority")) => ((Some(Sector::LocalAuthority), None), 2),
            (_, Some("front line")) => ((None, Some(Level::FrontLine)), 2),
            ("nhs", _) => ((Some(Sector::Nhs), None), 1),
            ("la", _) => ((Some(Sector::LocalAuthority), None), 1),
            ("vcse" | "vcs" | "voluntary", _) => ((Some(Sector::Vcse), None), 1),
            ("strategic", _) => ((None, Some(Level::Strategic)), 1),
            ("operational", _) => ((None, Some(Level::Operational)), 1),
            ("front-line" | "frontline" | "front", _) => ((None, Some(Level::FrontLine)), 1),
            (other, _) => return Err(other.to_owned()),
        };
        sector = found.0.or(sector);
        level = found.1.or(level);
        i += used;
    }
    Ok((sector, level))
}

/// `role [sector level], name, yes|no`: a participant added now, who
/// arrived now. Without
/// a clear yes they have not consented: their words are kept but never
/// shown or exported until consent is recorded.
pub fn add_latecomer(
    app: &mut App,
    session: &Session,
    typed: &str,
    now: Timestamp,
    fx: &mut Vec<Effect>,
) {
    let mut parts = typed.split(',').map(str::trim);
    let first = parts.next().unwrap_or_default();
    // The role, then (for staff on a study's grid) sector and level words.
    let words: Vec<&str> = first.split_whitespace().collect();
    let split = (1..=words.len())
        .rev()
        .find(|n| role_named(&words[..*n].join(" ")).is_some());
    let Some(role) = split.and_then(|n| role_named(&words[..n].join(" "))) else {
        let known: Vec<&str> = Role::ALL.iter().map(|r| r.label()).collect();
        return app.say(
            Tone::Problem,
            format!("“{first}” is not a role; one of: {}", known.join(", ")),
        );
    };
    let (mut sector, mut level) = match grid_words(&words[split.unwrap_or(0)..].join(" ")) {
        Ok(grid) => grid,
        Err(word) => {
            return keep_in(
                app,
                PromptKind::Latecomer,
                typed,
                format!(
                    "“{word}” is neither a sector (NHS, LA, VCSE) nor a level (strategic, operational, front line)"
                ),
            );
        }
    };
    let mut typed_name = parts.next().filter(|n| !n.is_empty()).map(str::to_owned);
    // The grid typed where the name goes is the grid, never a real name.
    if let Some(Ok(grid)) = typed_name.as_deref().map(grid_words)
        && (grid.0.is_some() || grid.1.is_some())
    {
        (sector, level) = (grid.0.or(sector), grid.1.or(level));
        typed_name = None;
    }
    // A real name is the facilitator's to record, at the host: a joined
    // terminal's would be refused, and a viewer must never hold one.
    let at_host = app.seat == super::actions::Seat::Host;
    let name = typed_name.clone().filter(|_| at_host);
    let consent = parts
        .next()
        .is_some_and(|c| matches!(c.to_lowercase().as_str(), "yes" | "y" | "consents"));
    // A pseudonym of the facilitator's choosing (one a study uses for them
    // in every session), or the next free one.
    let chosen = parts.next().filter(|c| !c.is_empty());
    let p = match chosen {
        Some(c) if !crate::domain::ids::is_valid_id(c) => {
            return keep_in(
                app,
                PromptKind::Latecomer,
                typed,
                format!("“{c}” cannot be a pseudonym: 1 to 40 letters, digits, - _ or ."),
            );
        }
        Some(c) if session.participants.contains_key(c) => {
            return keep_in(
                app,
                PromptKind::Latecomer,
                typed,
                format!("{c} is already someone in this session: choose another pseudonym"),
            );
        }
        Some(c) => ParticipantId::new(c),
        // Pseudonyms run on from the ones already used, the same on every
        // terminal (were two added at once, the host would refuse the
        // second, which is then added again).
        None => (session.participants.len() + 1..)
            .map(|n| ParticipantId::new(format!("P{n}")))
            .find(|p| !session.participants.contains_key(p))
            .unwrap_or_else(|| ParticipantId::new("P")),
    };
    let participant = Participant {
        id: p.clone(),
        role,
        sector,
        level,
        real_name: name,
        consent,
        person: None,
        attributes: Default::default(),
    };
    let described = participant.described();
    let events = vec![
        Event::ParticipantAdded { participant },
        Event::ParticipantArrived {
            participant: p.clone(),
            at: now,
        },
    ];
    super::room::record_all(app, session, events, fx);
    let mut said = Vec::new();
    if sector.is_some() || level.is_some() {
        said.push(format!("{p} is {described}"));
    }
    if !consent {
        said.push(format!(
            "{p} added without consent: their words are kept, never shown or exported"
        ));
    }
    if typed_name.is_some() && !at_host {
        said.push(format!(
            "{p}'s name is for the facilitator to record, at the host"
        ));
    }
    if !said.is_empty() {
        app.say(Tone::Info, said.join("; "));
    }
}
