//! What the room sees: the facilitator blanks, holds, breaks, shows results,
//! one statement or the summary. Each is a `RoomShows` event, so every
//! projector, local or joined, follows, and the record says what the room
//! saw and when.

use super::Effect;
use super::actions::Action;
use super::overlay::{Overlay, PromptKind};
use super::state::{App, Tone, new_input};
use crate::domain::{Event, RoomView, Session, StageKind, StageState, Timestamp};

/// Minutes a break is offered for.
pub const BREAK_MINUTES: u32 = 10;
/// The longest break the prompt accepts.
const MAX_BREAK_MINUTES: u32 = 120;

/// Records `events` in order, stopping at the first refused.
pub(crate) fn record_all(
    app: &mut App,
    session: &Session,
    events: Vec<Event>,
    fx: &mut Vec<Effect>,
) {
    for e in events {
        if !app.record(session, e, fx) {
            break;
        }
    }
}

fn show(view: RoomView, now: Timestamp) -> Event {
    Event::RoomShows { view, at: now }
}

/// The same view again means "back to the room's usual view".
fn toggle(app: &mut App, session: &Session, view: RoomView, now: Timestamp, fx: &mut Vec<Effect>) {
    let next = if same_kind(&session.room, &view) {
        RoomView::Latest
    } else {
        view
    };
    app.record(session, show(next, now), fx);
}

fn same_kind(a: &RoomView, b: &RoomView) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

pub fn action(
    app: &mut App,
    session: &Session,
    action: Action,
    now: Timestamp,
    fx: &mut Vec<Effect>,
) {
    match action {
        Action::RoomLatest => {
            app.record(session, show(RoomView::Latest, now), fx);
        }
        Action::RoomBlank => toggle(app, session, RoomView::Blank, now, fx),
        Action::RoomSummary => toggle(app, session, RoomView::Summary, now, fx),
        Action::RoomFreeze => {
            let last = session.statements.last().map(|(id, _)| id.clone());
            toggle(app, session, RoomView::Frozen(last), now, fx);
        }
        Action::RoomResults => {
            let round = session
                .rounds
                .values()
                .rev()
                .find(|r| !r.is_open() || !r.hidden)
                .map(|r| r.id.clone());
            match round {
                Some(r) => toggle(app, session, RoomView::Results(r), now, fx),
                None => app.say(
                    Tone::Info,
                    "no round has results the room may see yet: a hidden round shows them when it closes",
                ),
            }
        }
        Action::RoomStatement => {
            let chosen = app.capture.selected.clone().or_else(|| {
                session
                    .statements
                    .values()
                    .rev()
                    .find(|s| !s.is_retracted() && session.consents(&s.current().speaker))
                    .map(|s| s.id.clone())
            });
            let withheld = chosen
                .as_ref()
                .and_then(|id| session.statements.get(id))
                .and_then(|st| session.withheld(st));
            match chosen {
                Some(id) if session.room == RoomView::Statement(id.clone()) => {
                    app.record(session, show(RoomView::Latest, now), fx);
                }
                Some(id) if withheld.is_some() => app.say(
                    Tone::Refused,
                    format!(
                        "{id} is not shown to the room ({}): choose another",
                        withheld.map_or("", |w| w.reason())
                    ),
                ),
                Some(id) => {
                    app.record(session, show(RoomView::Statement(id), now), fx);
                }
                None => app.say(Tone::Info, "there is no statement the room may see yet"),
            }
        }
        Action::RoomBreak => take_break(app, session, now, fx),
        _ => {}
    }
}

/// A break: asks how long, or ends the one under way.
fn take_break(app: &mut App, session: &Session, now: Timestamp, fx: &mut Vec<Effect>) {
    if matches!(session.room, RoomView::Break(_)) {
        return record_all(app, session, end_break(session, now), fx);
    }
    if let Some(s) = session
        .current_stage()
        .filter(|s| s.kind == StageKind::Break)
    {
        return app.say(
            Tone::Info,
            format!(
                "“{}” is the break; {}",
                s.title,
                app.keys("{NextStage} goes on to the next stage")
            ),
        );
    }
    let mut input = new_input("minutes");
    input.insert_str(BREAK_MINUTES.to_string());
    app.overlays.push(Overlay::Prompt {
        kind: PromptKind::Break,
        input: Box::new(input),
    });
}

/// The break's events once its length is typed: the running stage pauses,
/// and the room shows when to be back.
pub fn start_break(
    app: &mut App,
    session: &Session,
    typed: &str,
    now: Timestamp,
    fx: &mut Vec<Effect>,
) {
    let minutes = match typed.trim().parse::<u32>() {
        Ok(m) if (1..=MAX_BREAK_MINUTES).contains(&m) => m,
        _ => {
            return app.say(
                Tone::Problem,
                format!("a break is 1 to {MAX_BREAK_MINUTES} whole minutes, not “{typed}”"),
            );
        }
    };
    let mut events = Vec::new();
    if let Some(s) = session
        .current_stage()
        .filter(|s| s.state() == StageState::Running)
    {
        events.push(Event::StagePaused {
            stage: s.id.clone(),
            at: now,
        });
    }
    events.push(show(
        RoomView::Break(now.plus_secs(i64::from(minutes) * 60)),
        now,
    ));
    record_all(app, session, events, fx);
}

/// Back from a break: the room sees the stage again, and a stage the break
/// paused carries on.
pub fn end_break(session: &Session, now: Timestamp) -> Vec<Event> {
    let mut events = vec![show(RoomView::Latest, now)];
    if let Some(s) = session
        .current_stage()
        .filter(|s| s.state() == StageState::Paused)
    {
        events.push(Event::StageResumed {
            stage: s.id.clone(),
            at: now,
        });
    }
    events
}
