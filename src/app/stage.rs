//! The facilitator's stage controls. Every control is an event.

use super::actions::Action;
use super::{App, Effect, Overlay, Tone};
use crate::domain::time::mmss;
use crate::domain::{Event, RoomView, Session, Stage, StageState, Timestamp};

fn go_to(target: &Stage, now: Timestamp) -> Event {
    match target.state() {
        StageState::Ended => Event::StageReopened {
            stage: target.id.clone(),
            at: now,
        },
        _ => Event::StageStarted {
            stage: target.id.clone(),
            at: now,
        },
    }
}

/// A new stage moves the room on from what the last one put up (a round's
/// results, a statement, an interpretation), so every projector follows the
/// stage (a break stage shows the break screen). The holding slide and a
/// held view stay: those are the facilitator's to end.
fn room_moves_on(session: &Session, now: Timestamp) -> Option<Event> {
    matches!(
        session.room,
        RoomView::Results(_)
            | RoomView::Statement(_)
            | RoomView::Interpretation(_)
            | RoomView::Grid(_)
    )
    .then_some(Event::RoomShows {
        view: RoomView::Latest,
        at: now,
    })
}

fn used(stage: &Stage, now: Timestamp) -> String {
    format!(
        "{} used of {}",
        mmss(stage.elapsed_millis(now) / 1000),
        mmss(stage.allowed_secs())
    )
}

pub fn action(
    app: &mut App,
    session: &Session,
    action: Action,
    now: Timestamp,
    fx: &mut Vec<Effect>,
) {
    let current = session.current_stage();
    match action {
        Action::StartStage => match (current, session.next_stage()) {
            (Some(c), _) => app.say(
                Tone::Info,
                format!(
                    "“{}” is under way; {}",
                    c.title,
                    app.keys("{NextStage} goes to the next stage")
                ),
            ),
            (None, Some(next)) => {
                let start = Event::StageStarted {
                    stage: next.id.clone(),
                    at: now,
                };
                let events = std::iter::once(start).chain(room_moves_on(session, now));
                super::room::record_all(app, session, events.collect(), fx);
            }
            (None, None) => app.say(
                Tone::Info,
                app.keys("every stage has been run; {PreviousStage} goes back to the last one"),
            ),
        },
        Action::ToggleClock => app.clock_shows_used = !app.clock_shows_used,
        Action::PauseResume => match current {
            // Resuming from a break brings the room back too.
            Some(c)
                if c.state() == StageState::Paused
                    && matches!(session.room, RoomView::Break(_)) =>
            {
                super::room::record_all(app, session, super::room::end_break(session, now), fx);
            }
            Some(c) if c.state() == StageState::Paused => {
                app.record(
                    session,
                    Event::StageResumed {
                        stage: c.id.clone(),
                        at: now,
                    },
                    fx,
                );
            }
            Some(c) => {
                app.record(
                    session,
                    Event::StagePaused {
                        stage: c.id.clone(),
                        at: now,
                    },
                    fx,
                );
            }
            None => app.say(
                Tone::Info,
                app.keys("no stage is running: {StartStage} starts the next one"),
            ),
        },
        Action::Extend1 | Action::Shorten1 | Action::Extend5 | Action::Shorten5 => {
            let by_secs = match action {
                Action::Extend1 => 60,
                Action::Shorten1 => -60,
                Action::Extend5 => 300,
                _ => -300,
            };
            match current {
                Some(c) => super::agenda::adjust(app, session, c, by_secs, now, fx),
                None => app.say(Tone::Info, "no stage is running to extend or shorten"),
            }
        }
        _ => move_between(app, session, action, now, fx),
    }
}

/// Ending this stage for the next or the previous one: asks first.
fn move_between(
    app: &mut App,
    session: &Session,
    action: Action,
    now: Timestamp,
    fx: &mut Vec<Effect>,
) {
    let current = session.current_stage();
    match action {
        Action::NextStage => {
            let Some(c) = current else {
                return self::action(app, session, Action::StartStage, now, fx);
            };
            let end = Event::StageEnded {
                stage: c.id.clone(),
                at: now,
            };
            // The next stage that will run: skipped ones are passed over.
            let (question, events) = match session.stage_after(&c.id) {
                Some(next) => (
                    format!(
                        "End “{}” ({}) and go to “{}”?",
                        c.title,
                        used(c, now),
                        next.title
                    ),
                    [end, go_to(next, now)]
                        .into_iter()
                        .chain(room_moves_on(session, now))
                        .collect(),
                ),
                None => (
                    format!(
                        "End “{}” ({})? It is the last stage.",
                        c.title,
                        used(c, now)
                    ),
                    vec![end],
                ),
            };
            app.overlays.push(Overlay::Confirm { question, events });
        }
        Action::PreviousStage => {
            let (question, events) = match current {
                Some(c) => {
                    let i = session.stages.get_index_of(&c.id).unwrap_or(0);
                    let Some((_, prev)) =
                        i.checked_sub(1).and_then(|p| session.stages.get_index(p))
                    else {
                        app.say(Tone::Info, "this is the first stage");
                        return;
                    };
                    (
                        format!(
                            "End “{}” ({}) and go back to “{}”?",
                            c.title,
                            used(c, now),
                            prev.title
                        ),
                        [
                            Event::StageEnded {
                                stage: c.id.clone(),
                                at: now,
                            },
                            go_to(prev, now),
                        ]
                        .into_iter()
                        .chain(room_moves_on(session, now))
                        .collect(),
                    )
                }
                None => {
                    let Some(last) = session
                        .stages
                        .values()
                        .rev()
                        .find(|s| s.state() == StageState::Ended)
                    else {
                        app.say(
                            Tone::Info,
                            app.keys("no stage has been run yet: {StartStage} starts the first"),
                        );
                        return;
                    };
                    (
                        format!("Go back to “{}” ({})?", last.title, used(last, now)),
                        std::iter::once(go_to(last, now))
                            .chain(room_moves_on(session, now))
                            .collect(),
                    )
                }
            };
            app.overlays.push(Overlay::Confirm { question, events });
        }
        _ => {}
    }
}

/// Rings the bell once when the running stage reaches zero (again after an
/// extension).
pub fn tick(app: &mut App, session: &Session, now: Timestamp, fx: &mut Vec<Effect>) {
    let Some(c) = session
        .current_stage()
        .filter(|c| c.state() == StageState::Running)
    else {
        return;
    };
    let key = (c.id.clone(), c.allowed_secs());
    if c.remaining_millis(now) <= 0 && app.bell_for.as_ref() != Some(&key) {
        app.bell_for = Some(key);
        app.say(
            Tone::Problem,
            format!("TIME: “{}” has reached its planned time", c.title),
        );
        fx.push(Effect::Bell);
    }
}
