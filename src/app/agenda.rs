//! Bending the agenda during the session: choose a stage, then shorten or
//! lengthen it, skip it, move it, or add one after it. After the running
//! stage is extended, the facilitator is offered to take the time back from
//! the stages still to come. Every change is an event.

use super::Effect;
use super::actions::Action;
use super::overlay::{Overlay, PromptKind};
use super::state::{App, Tone, new_input};
use crate::domain::time::mmss;
use crate::domain::{Event, Session, Stage, StageId, StageKind, StageState, Timestamp};

/// The stage the agenda screen acts on: the one chosen, else the running
/// one, else the next to run.
pub fn selected<'a>(app: &App, session: &'a Session) -> Option<&'a Stage> {
    app.agenda_selected
        .as_ref()
        .and_then(|id| session.stages.get(id))
        .or_else(|| session.current_stage())
        .or_else(|| session.next_stage())
        .or_else(|| session.stages.values().last())
}

fn index_of(session: &Session, stage: &Stage) -> usize {
    session.stages.get_index_of(&stage.id).unwrap_or(0)
}

/// An agenda-screen action; `false` when it is not one of these.
pub fn action(
    app: &mut App,
    session: &Session,
    action: Action,
    now: Timestamp,
    fx: &mut Vec<Effect>,
) -> bool {
    let Some(stage) = selected(app, session) else {
        return false;
    };
    let i = index_of(session, stage);
    match action {
        Action::SelectUp | Action::SelectDown => {
            let j = if action == Action::SelectUp {
                i.saturating_sub(1)
            } else {
                (i + 1).min(session.stages.len().saturating_sub(1))
            };
            app.agenda_selected = session.stages.get_index(j).map(|(id, _)| id.clone());
        }
        Action::Extend1 | Action::Shorten1 | Action::Extend5 | Action::Shorten5 => {
            let by_secs = match action {
                Action::Extend1 => 60,
                Action::Shorten1 => -60,
                Action::Extend5 => 300,
                _ => -300,
            };
            adjust(app, session, stage, by_secs, now, fx);
        }
        Action::SkipStage => {
            if stage.state() != StageState::NotStarted {
                app.say(
                    Tone::Info,
                    format!(
                        "“{}” has already run; only a stage to come can be skipped",
                        stage.title
                    ),
                );
            } else {
                let e = Event::StageSkipped {
                    stage: stage.id.clone(),
                    skipped: !stage.is_skipped(),
                    at: now,
                };
                app.record(session, e, fx);
            }
        }
        Action::MoveEarlier | Action::MoveLater => {
            let to = if action == Action::MoveEarlier {
                i.checked_sub(1)
            } else {
                Some(i + 1).filter(|j| *j < session.stages.len())
            };
            match to {
                Some(to) => {
                    let e = Event::StageMoved {
                        stage: stage.id.clone(),
                        to: to as u32,
                        at: now,
                    };
                    app.record(session, e, fx);
                }
                None => app.say(Tone::Info, "it cannot move further that way"),
            }
        }
        Action::AddStage => {
            let mut input = new_input("title, then minutes: Small groups 10");
            input.insert_str("");
            app.overlays.push(Overlay::Prompt {
                kind: PromptKind::AddStage(stage.id.clone()),
                input: Box::new(input),
            });
        }
        _ => return false,
    }
    true
}

/// Lengthens or shortens `stage`; extending the running stage offers to take
/// the time back from the stages still to come.
pub fn adjust(
    app: &mut App,
    session: &Session,
    stage: &Stage,
    by_secs: i64,
    now: Timestamp,
    fx: &mut Vec<Effect>,
) {
    let e = Event::StageAdjusted {
        stage: stage.id.clone(),
        by_secs,
        at: now,
    };
    if !app.record(session, e, fx) {
        return;
    }
    let running = matches!(stage.state(), StageState::Running | StageState::Paused);
    if by_secs > 0 && running {
        offer_to_take_back(app, session, stage, by_secs, now);
    }
}

/// The stages still to come that could give time: not skipped, and not
/// breaks (people need those).
fn later<'a>(session: &'a Session, after: &Stage) -> Vec<&'a Stage> {
    let i = index_of(session, after);
    session
        .stages
        .values()
        .skip(i + 1)
        .filter(|s| s.state() == StageState::NotStarted && !s.is_skipped())
        .filter(|s| s.kind != StageKind::Break)
        .collect()
}

/// At least this much stays in a stage that gives time.
const MIN_STAGE_SECS: i64 = 60;

fn offer_to_take_back(app: &mut App, session: &Session, stage: &Stage, secs: i64, now: Timestamp) {
    let later = later(session, stage);
    let room: i64 = later
        .iter()
        .map(|s| (s.allowed_secs() - MIN_STAGE_SECS).max(0))
        .sum();
    if later.is_empty() || room < secs {
        return;
    }
    let mut answers = Vec::new();
    let shares = proportional(&later, secs);
    answers.push((
        format!(
            "from the {} stages to come, in proportion to their length",
            later.len()
        ),
        later
            .iter()
            .zip(&shares)
            .filter(|(_, take)| **take > 0)
            .map(|(s, take)| take_from(s, *take, now))
            .collect(),
    ));
    for s in later
        .iter()
        .filter(|s| s.allowed_secs() - secs >= MIN_STAGE_SECS)
        .take(8)
    {
        answers.push((
            format!(
                "all from “{}” ({} → {})",
                s.title,
                mmss(s.allowed_secs()),
                mmss(s.allowed_secs() - secs)
            ),
            vec![take_from(s, secs, now)],
        ));
    }
    app.overlays.push(Overlay::Choose {
        question: format!(
            "“{}” has {} more. Take it back from the stages to come, so the session still ends on time?",
            stage.title,
            mmss(secs)
        ),
        answers,
    });
}

fn take_from(stage: &Stage, secs: i64, now: Timestamp) -> Event {
    Event::StageAdjusted {
        stage: stage.id.clone(),
        by_secs: -secs,
        at: now,
    }
}

/// `secs` shared over `stages` by their length, whole seconds, none left
/// with less than a minute; the shares add up to `secs` when there is room.
pub fn proportional(stages: &[&Stage], secs: i64) -> Vec<i64> {
    let spare: Vec<i64> = stages
        .iter()
        .map(|s| (s.allowed_secs() - MIN_STAGE_SECS).max(0))
        .collect();
    let total: i64 = stages.iter().map(|s| s.allowed_secs().max(0)).sum();
    if total == 0 {
        return vec![0; stages.len()];
    }
    let mut shares: Vec<i64> = stages
        .iter()
        .zip(&spare)
        .map(|(s, spare)| (secs * s.allowed_secs().max(0) / total).min(*spare))
        .collect();
    // Whatever rounding and the minimum left over goes where there is room.
    let mut left = secs - shares.iter().sum::<i64>();
    for (share, spare) in shares.iter_mut().zip(&spare) {
        let more = left.min(spare - *share).max(0);
        *share += more;
        left -= more;
    }
    shares
}

/// A new stage from `title minutes`, placed after `after`.
pub fn add_after(
    app: &mut App,
    session: &Session,
    after: &StageId,
    typed: &str,
    fx: &mut Vec<Effect>,
    now: Timestamp,
) {
    let (title, minutes) = match typed.trim().rsplit_once(' ') {
        Some((t, m)) => match m.parse::<u32>() {
            Ok(m) if (1..=480).contains(&m) && !t.trim().is_empty() => (t.trim().to_owned(), m),
            _ => (typed.trim().to_owned(), 0),
        },
        None => (typed.trim().to_owned(), 0),
    };
    if minutes == 0 {
        return app.say(
            Tone::Problem,
            format!(
                "a new stage needs its title and minutes, like “Small groups 10”, not “{typed}”"
            ),
        );
    }
    let id = app.fresh_id(
        "S",
        |id| session.stages.contains_key(id),
        session.stages.len(),
    );
    let id = StageId::new(id);
    let kind = if title.to_lowercase().contains("break") {
        StageKind::Break
    } else {
        StageKind::Discuss
    };
    let to = session
        .stages
        .get_index_of(after)
        .map_or(session.stages.len(), |i| i + 1);
    let mut events = vec![Event::StageAdded {
        id: id.clone(),
        kind,
        title,
        prompt: String::new(),
        planned_secs: minutes * 60,
    }];
    // Added at the end, then moved into place: each step is in the record.
    if to < session.stages.len() {
        events.push(Event::StageMoved {
            stage: id.clone(),
            to: to as u32,
            at: now,
        });
    }
    super::room::record_all(app, session, events, fx);
    app.agenda_selected = Some(id);
}
