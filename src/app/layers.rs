//! The layers keys pass through: overlays (help, a question, a prompt, the
//! quit dialog) stacked over the current screen. The top layer sees a key
//! first and says whether it used it; a screen passes on what it does not
//! bind, which on the capture screen is typing. Every key is looked up in
//! the keymap for its layer, overlays included.

use super::actions::{Action, Layer};
use super::keys::Key;
use super::overlay::{Overlay, PromptKind};
use super::state::{App, Screen, Tone, new_input};
use super::{Effect, capture, room, stage, synthesis, vote};
use crate::domain::{Event, MemoId, MemoKind, Session, Timestamp};
use crossterm::event::{KeyCode, KeyEvent};

/// Whether a layer used a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Handled {
    Consumed,
    Passed,
}

/// A key through the layers, top first: the overlays, then the screen.
pub fn key(app: &mut App, session: &Session, key: KeyEvent, now: Timestamp, fx: &mut Vec<Effect>) {
    if let Some(top) = app.overlays.pop() {
        // Overlays are modal: the top one uses every key.
        overlay_key(app, session, top, key, now, fx);
        return;
    }
    if screen_key(app, session, key, now, fx) == Handled::Passed && app.screen == Screen::Capture {
        app.capture.input.input(key);
    }
}

/// Why a workspace offers one screen: what it is for, and where the rest is.
/// (80 columns: the status line shows it whole.)
pub(crate) const WORKSPACE_HAS_NO_ROOM: &str =
    "A workspace has no room or votes: notes are memos ({Memo}); vote in a workshop";

/// A key on the screen beneath the overlays: its action, or `Passed`.
fn screen_key(
    app: &mut App,
    session: &Session,
    key: KeyEvent,
    now: Timestamp,
    fx: &mut Vec<Effect>,
) -> Handled {
    let Some(action) = app.keymap.action(app.context(), Key::from_event(&key)) else {
        return Handled::Passed;
    };
    match action {
        Action::Quit => app.ask_to_quit(),
        Action::Help => app.overlays.push(Overlay::Help { page: 0 }),
        Action::ShowProjector
        | Action::ShowCapture
        | Action::ShowVote
        | Action::ShowAgenda
        | Action::NextScreen
            if app.in_workspace() =>
        {
            app.say(Tone::Refused, app.keys(WORKSPACE_HAS_NO_ROOM));
        }
        Action::ShowProjector => app.screen = Screen::Projector,
        Action::ShowCapture => app.screen = Screen::Capture,
        Action::ShowVote => app.screen = Screen::Vote,
        Action::ShowAgenda => app.screen = Screen::Agenda,
        Action::ShowSynthesis => app.screen = Screen::Synthesis,
        Action::NextScreen => {
            let i = Screen::ALL
                .iter()
                .position(|s| *s == app.screen)
                .unwrap_or(0);
            app.screen = Screen::ALL[(i + 1) % Screen::ALL.len()];
        }
        Action::Memo => app.overlays.push(Overlay::Prompt {
            kind: PromptKind::Memo(MemoKind::Process),
            input: Box::new(new_input(
                &app.keymap
                    .fill(Layer::Prompt, "process note… ({ToggleMemoKind}: reflexive)"),
            )),
        }),
        Action::Retry => {
            let failed: Vec<Event> = app
                .pending
                .iter()
                .filter(|p| p.failed.is_some())
                .map(|p| p.event.clone())
                .collect();
            app.pending.retain(|p| p.failed.is_none());
            if failed.is_empty() {
                app.say(Tone::Info, "nothing is waiting to be retried");
            }
            for e in failed {
                app.record(session, e, fx);
            }
        }
        a @ (Action::RoomLatest
        | Action::RoomBlank
        | Action::RoomFreeze
        | Action::RoomResults
        | Action::RoomBreak
        | Action::RoomSummary
        | Action::RoomStatement) => room::action(app, session, a, now, fx),
        Action::PhonesShow if app.phones.is_some() => app.show_phones = !app.show_phones,
        a @ (Action::PhoneDoor | Action::PhoneNameless) => phone_setting(app, a, fx),
        // A phone asking to join comes first: its person is waiting to vote.
        Action::PhoneNext
            if app.seat == super::actions::Seat::Host
                && app.phones.as_ref().is_some_and(|p| !p.asking.is_empty()) =>
        {
            if let Some(asking) = app.phones.as_ref().and_then(|p| p.asking.first()) {
                app.overlays.push(Overlay::PhoneJoin {
                    asking: asking.clone(),
                });
            }
        }
        Action::PhoneNext => match app.phones.as_ref().and_then(|p| p.waiting.first()) {
            // The projector is the room's: the words of someone who has not
            // consented to be shown are read on the capture screen.
            Some(said)
                if app.screen == Screen::Projector
                    && said.participant.as_ref().is_some_and(|p| {
                        !session.consents(&crate::domain::Speaker::Participant(p.clone()))
                    }) =>
            {
                app.say(
                    Tone::Info,
                    app.keys("the next statement from a phone is from someone not shown on the projector: read it on the capture screen ({ShowCapture})"),
                )
            }
            Some(said) => app.overlays.push(Overlay::PhoneSaid {
                said: said.clone(),
                private: said
                    .participant
                    .as_ref()
                    .is_some_and(|p| !session.consented(p)),
            }),
            None => app.say(Tone::Info, "nothing from phones is waiting"),
        },
        Action::Reveal => super::reveal::reveal(app, session, now),
        Action::RemoveDevice if app.peers.is_empty() && app.claims.is_empty() => {
            app.say(Tone::Refused, "no other terminal is connected")
        }
        Action::RemoveDevice => app.overlays.push(Overlay::Remove {
            shown: app.peers.clone(),
            claims: app.claims.clone(),
        }),
        a if app.screen == Screen::Agenda && super::agenda::action(app, session, a, now, fx) => {}
        a if app.screen == Screen::Capture && super::floor::action(app, session, a, now, fx) => {}
        a if app.screen == Screen::Capture => capture::action(app, session, a, now, fx),
        a if app.screen == Screen::Vote => vote::action(app, session, a, now, fx),
        a if app.screen == Screen::Synthesis => synthesis::action(app, session, a, now, fx),
        a => stage::action(app, session, a, now, fx),
    }
    Handled::Consumed
}

/// A key at the top overlay, which has been taken off the stack: it goes
/// back unless the key closes it.
fn overlay_key(
    app: &mut App,
    session: &Session,
    top: Overlay,
    key: KeyEvent,
    now: Timestamp,
    fx: &mut Vec<Effect>,
) {
    let action = app.keymap.action(top.layer(), Key::from_event(&key));
    match top {
        // PgDn or space turns help's page (round to the first); any other
        // key closes it.
        Overlay::Help { page } => {
            if matches!(key.code, KeyCode::PageDown | KeyCode::Char(' ')) {
                app.overlays.push(Overlay::Help {
                    page: page.wrapping_add(1),
                });
            }
        }
        Overlay::Quit { unsaved, peers } => match action {
            // With nothing to rescue, the rescue key simply quits.
            Some(Action::Rescue) if unsaved.is_nothing() => app.quit = true,
            Some(Action::Rescue) => fx.push(Effect::Rescue {
                text: app.rescue_text(now),
            }),
            Some(Action::QuitAnyway) => app.quit = true,
            Some(Action::Cancel) => app.say(Tone::Info, "still running; nothing was lost"),
            _ => app.overlays.push(Overlay::Quit { unsaved, peers }),
        },
        Overlay::Confirm { question, events } => match action {
            Some(Action::Confirm) => {
                for e in events {
                    if !app.record(session, e, fx) {
                        break;
                    }
                }
            }
            Some(Action::Cancel) => app.say(Tone::Info, "cancelled"),
            _ => app.overlays.push(Overlay::Confirm { question, events }),
        },
        Overlay::PhoneSaid { said, private } => match action {
            Some(a @ (Action::Confirm | Action::Cancel)) => fx.push(Effect::PhoneSaid {
                id: said.id,
                accepted: a == Action::Confirm,
            }),
            Some(Action::Reveal) if private => {
                app.reveal = Some(super::state::Reveal {
                    statement: super::reveal::phone_said_id(&said),
                    until: now.plus_secs(super::state::REVEAL_SECS),
                });
                app.overlays.push(Overlay::PhoneSaid { said, private });
            }
            _ => app.overlays.push(Overlay::PhoneSaid { said, private }),
        },
        Overlay::PhoneJoin { asking } => match action {
            Some(a @ (Action::Confirm | Action::Cancel)) => {
                let yes = a == Action::Confirm;
                fx.push(Effect::PhoneAdmit { id: asking.id, yes });
                // Gone from the list at once, so the next F7 is the next one.
                if let Some(p) = app.phones.as_mut() {
                    p.asking.retain(|x| x.id != asking.id);
                }
                app.say(
                    Tone::Info,
                    match yes {
                        true => format!("{}'s phone is in", asking.participant),
                        false => format!(
                            "that phone was not let in as {}; it is told to choose its own name",
                            asking.participant
                        ),
                    },
                );
            }
            _ => app.overlays.push(Overlay::PhoneJoin { asking }),
        },
        Overlay::Choose { question, answers } => match action {
            Some(Action::Choice(n)) if usize::from(n) <= answers.len() => {
                let events = answers
                    .into_iter()
                    .nth(usize::from(n) - 1)
                    .map(|(_, e)| e)
                    .unwrap_or_default();
                super::room::record_all(app, session, events, fx);
            }
            Some(Action::Cancel) => app.say(Tone::Info, "left as it is"),
            _ => app.overlays.push(Overlay::Choose { question, answers }),
        },
        Overlay::Remove {
            mut shown,
            mut claims,
        } => match action {
            Some(Action::Choice(n)) if (1..=shown.len()).contains(&usize::from(n)) => {
                let shown = shown.swap_remove(usize::from(n) - 1);
                app.say(Tone::Info, format!("disconnecting {shown}…"));
                fx.push(Effect::RemoveDevice { shown });
            }
            Some(Action::Choice(n))
                if (shown.len() + 1..=shown.len() + claims.len()).contains(&usize::from(n)) =>
            {
                let name = claims.swap_remove(usize::from(n) - 1 - shown.len());
                app.say(Tone::Info, format!("freeing the name `{name}`…"));
                fx.push(Effect::FreeName { name });
            }
            Some(Action::Cancel) => app.say(Tone::Info, "left connected"),
            _ => app.overlays.push(Overlay::Remove { shown, claims }),
        },
        Overlay::Prompt { kind, mut input } => match action {
            Some(Action::Cancel) => app.say(Tone::Info, "cancelled"),
            Some(Action::ClearInput) => {
                input.select_all();
                input.cut();
                app.overlays.push(Overlay::Prompt { kind, input });
            }
            Some(Action::ToggleMemoKind) => {
                let kind = other_memo_kind(app, kind, &mut input);
                app.overlays.push(Overlay::Prompt { kind, input });
            }
            Some(Action::Submit) => {
                let text = input.lines().join(" ").trim().to_owned();
                if text.is_empty()
                    && !matches!(&kind, PromptKind::Question)
                    && !matches!(&kind, PromptKind::Synthesis(a) if a.may_be_empty())
                {
                    app.overlays.push(Overlay::Prompt { kind, input });
                    let text = app
                        .keymap
                        .fill(Layer::Prompt, "type something first, or {Cancel} to cancel");
                    app.say(Tone::Problem, text);
                    return;
                }
                submit_prompt(app, session, kind, text, now, fx);
            }
            _ => {
                input.input(key);
                app.overlays.push(Overlay::Prompt { kind, input });
            }
        },
    }
}

/// A memo prompt turned to the other kind of memo (the placeholder says
/// which); any other prompt as it was.
fn other_memo_kind(
    app: &App,
    kind: PromptKind,
    input: &mut ratatui_textarea::TextArea<'static>,
) -> PromptKind {
    let (next, placeholder) = match kind {
        PromptKind::Memo(MemoKind::Process) => (
            MemoKind::Reflexive,
            "reflexive note… ({ToggleMemoKind}: process)",
        ),
        PromptKind::Memo(MemoKind::Reflexive) => (
            MemoKind::Process,
            "process note… ({ToggleMemoKind}: reflexive)",
        ),
        other => return other,
    };
    input.set_placeholder_text(app.keymap.fill(Layer::Prompt, placeholder));
    PromptKind::Memo(next)
}

fn submit_prompt(
    app: &mut App,
    session: &Session,
    kind: PromptKind,
    text: String,
    now: Timestamp,
    fx: &mut Vec<Effect>,
) {
    match kind {
        PromptKind::Memo(memo_kind) => {
            let id = app.fresh_id(
                "m",
                |id| session.memos.contains_key(id),
                session.memos.len(),
            );
            let event = Event::MemoAdded {
                id: MemoId::new(id),
                kind: memo_kind,
                text,
                stage: session.current_stage().map(|s| s.id.clone()),
                by: app.actor.clone(),
                at: now,
            };
            app.record(session, event, fx);
        }
        PromptKind::Retract(statement, _) => {
            let event = Event::StatementRetracted {
                statement,
                reason: text,
                by: app.actor.clone(),
                at: now,
            };
            app.record(session, event, fx);
        }
        PromptKind::Question => app.vote.question = text,
        PromptKind::Break => room::start_break(app, session, &text, now, fx),
        PromptKind::NewAction(from) => super::floor::add_action(app, session, from, &text, now, fx),
        PromptKind::Latecomer => super::floor::add_latecomer(app, session, &text, now, fx),
        PromptKind::Find => super::capture::find(app, session, &text),
        PromptKind::AddStage(after) => {
            super::agenda::add_after(app, session, &after, &text, fx, now)
        }
        PromptKind::Synthesis(ask) => synthesis::submit(app, session, ask, text, now, fx),
    }
}

/// The host's answer to taking a phone's statement in: record it now as the
/// participant's (the whole group's, from a phone joined without a name),
/// or say it was set aside, or why not.
pub(super) fn phone_taken(
    app: &mut App,
    session: &Session,
    answer: Result<crate::live::Said, String>,
    now: Timestamp,
    fx: &mut Vec<Effect>,
) {
    match answer {
        Ok(said) if said.status == crate::live::SaidStatus::Accepted => {
            let id = app.fresh_id(
                "st",
                |id| session.statements.contains_key(id),
                session.statements.len(),
            );
            let event = crate::net::phones::statement_from(
                &said,
                crate::domain::StatementId::new(id),
                session.current_stage().map(|s| s.id.clone()),
                &app.actor,
                now,
            );
            app.record(session, event, fx);
        }
        Ok(said) => app.say(
            Tone::Info,
            format!("set aside; {}'s phone is told", said.from),
        ),
        Err(why) => app.say(Tone::Refused, why),
    }
}

/// The phone door closed or opened (`PhoneDoor`), or joining without a
/// name allowed or not (`PhoneNameless`): each switches what it is now.
fn phone_setting(app: &mut App, action: Action, fx: &mut Vec<Effect>) {
    let Some(p) = &app.phones else {
        return app.say(Tone::Refused, "phones are not on: run with --phones");
    };
    let (effect, said) = if action == Action::PhoneDoor {
        let closed = !p.closed;
        let said = if closed {
            "the door is closed to new phones; joined phones carry on"
        } else {
            "phones may join again"
        };
        (Effect::PhoneDoor { closed }, said)
    } else {
        let allowed = !p.nameless;
        let said = if allowed {
            "phones may join without a name: they are listed as guests, and can follow and send words but not vote"
        } else {
            "phones join by name only (guests already joined carry on)"
        };
        (Effect::PhoneNameless { allowed }, said)
    };
    fx.push(effect);
    app.say(Tone::Info, said);
}
