//! The agenda: stages planned, started, paused, adjusted, ended and reopened.

use super::*;

impl Session {
    pub(super) fn check_agenda(&self, event: &Event) -> Result<(), DomainError> {
        match event {
            Event::StageAdded {
                id,
                title,
                prompt,
                planned_secs,
                ..
            } => {
                new_id(StageId::WHAT, id.as_str(), self.stages.contains_key(id))?;
                text("the stage title", title, MAX_SHORT)?;
                limit("the stage prompt", prompt, MAX_TEXT)?;
                if i64::from(*planned_secs) > MAX_STAGE_SECS || *planned_secs == 0 {
                    return Err(stage_problem(
                        id,
                        format!(
                            "must be planned for between 1 second and {} hours",
                            MAX_STAGE_SECS / 3600
                        ),
                    ));
                }
                Ok(())
            }
            Event::StageStarted { stage, .. } => {
                if self.stage(stage)?.is_skipped() {
                    return Err(stage_problem(
                        stage,
                        "was skipped; put it back on the agenda first",
                    ));
                }
                match self.stage(stage)?.state() {
                    StageState::NotStarted => {}
                    StageState::Ended => {
                        return Err(stage_problem(
                            stage,
                            "has already finished; it cannot be started again",
                        ));
                    }
                    StageState::Running | StageState::Paused => {
                        return Err(stage_problem(stage, "is already under way"));
                    }
                }
                if let Some(cur) = self.current_stage() {
                    return Err(stage_problem(
                        stage,
                        format!(
                            "cannot start while stage `{}` is under way; end that first",
                            cur.id
                        ),
                    ));
                }
                Ok(())
            }
            Event::StagePaused { stage, at } => {
                let s = self.stage(stage)?;
                match s.state() {
                    StageState::Running => not_before(stage, s, *at),
                    StageState::Paused => Err(stage_problem(stage, "is already paused")),
                    _ => Err(stage_problem(
                        stage,
                        "is not running, so it cannot be paused",
                    )),
                }
            }
            Event::StageResumed { stage, at } => {
                let s = self.stage(stage)?;
                match (s.state(), s.runtime.pauses.last()) {
                    (StageState::Paused, Some(p)) if *at < p.from => Err(stage_problem(
                        stage,
                        "cannot resume before the moment it was paused",
                    )),
                    (StageState::Paused, _) => Ok(()),
                    _ => Err(stage_problem(
                        stage,
                        "is not paused, so it cannot be resumed",
                    )),
                }
            }
            Event::StageAdjusted { stage, by_secs, .. } => {
                let s = self.stage(stage)?;
                if s.state() == StageState::Ended {
                    return Err(stage_problem(
                        stage,
                        "has finished; its time can no longer change",
                    ));
                }
                let allowed = s.allowed_secs().saturating_add(*by_secs);
                if allowed < 0 {
                    return Err(stage_problem(
                        stage,
                        "cannot be shortened below no time at all",
                    ));
                }
                if allowed > MAX_STAGE_SECS {
                    return Err(stage_problem(stage, "cannot be extended beyond 8 hours"));
                }
                Ok(())
            }
            Event::StageEnded { stage, at } => {
                let s = self.stage(stage)?;
                match s.state() {
                    StageState::Running | StageState::Paused => not_before(stage, s, *at),
                    StageState::NotStarted => {
                        Err(stage_problem(stage, "has not started, so it cannot end"))
                    }
                    StageState::Ended => Err(stage_problem(stage, "has already ended")),
                }
            }
            Event::StageReopened { stage, at } => {
                let s = self.stage(stage)?;
                if s.state() != StageState::Ended {
                    return Err(stage_problem(
                        stage,
                        "has not finished, so it cannot be reopened",
                    ));
                }
                if let Some(cur) = self.current_stage() {
                    return Err(stage_problem(
                        stage,
                        format!(
                            "cannot reopen while stage `{}` is under way; end that first",
                            cur.id
                        ),
                    ));
                }
                match s.runtime.ended {
                    Some(ended) if *at < ended => Err(stage_problem(
                        stage,
                        "cannot reopen before the moment it ended",
                    )),
                    _ => Ok(()),
                }
            }
            Event::StageSkipped { .. } | Event::StageMoved { .. } => self.check_bend(event),
            _ => Ok(()),
        }
    }

    /// Skipping and moving stages yet to run: the agenda bending.
    fn check_bend(&self, event: &Event) -> Result<(), DomainError> {
        match event {
            Event::StageSkipped { stage, skipped, .. } => {
                let s = self.stage(stage)?;
                if s.state() != StageState::NotStarted {
                    return Err(stage_problem(
                        stage,
                        "has already run; only a stage yet to run can be skipped or put back",
                    ));
                }
                match (s.is_skipped(), skipped) {
                    (true, true) => Err(stage_problem(stage, "is already skipped")),
                    (false, false) => Err(stage_problem(stage, "is not skipped")),
                    _ => Ok(()),
                }
            }
            Event::StageMoved { stage, to, .. } => {
                if self.stage(stage)?.state() != StageState::NotStarted {
                    return Err(stage_problem(
                        stage,
                        "has already run; only a stage yet to run can move",
                    ));
                }
                let to = *to as usize;
                if to >= self.stages.len() {
                    return Err(stage_problem(
                        stage,
                        format!(
                            "cannot move to place {}: the agenda has {} stages",
                            to + 1,
                            self.stages.len()
                        ),
                    ));
                }
                let from = self.stages.get_index_of(stage).unwrap_or(0);
                // Never before (or between) stages that have run.
                let earliest = self
                    .stages
                    .values()
                    .enumerate()
                    .filter(|(i, s)| *i != from && s.state() != StageState::NotStarted)
                    .map(|(i, _)| if i > from { i } else { i + 1 })
                    .max()
                    .unwrap_or(0);
                if to < earliest {
                    return Err(stage_problem(
                        stage,
                        "cannot move before a stage that has already run",
                    ));
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    pub(super) fn mutate_agenda(&mut self, event: Event) {
        match event {
            Event::StageAdded {
                id,
                kind,
                title,
                prompt,
                planned_secs,
            } => {
                // Added once the session was under way: not part of its plan.
                let added_late = self.stages.values().any(|s| s.runtime.started.is_some());
                self.stages.insert(
                    id.clone(),
                    Stage {
                        id,
                        kind,
                        title,
                        prompt,
                        planned_secs,
                        runtime: StageRuntime {
                            added_late,
                            ..StageRuntime::default()
                        },
                    },
                );
            }
            Event::StageStarted { stage, at } => {
                if let Some(s) = self.stages.get_mut(&stage) {
                    s.runtime.started = Some(at);
                }
            }
            Event::StageSkipped { stage, skipped, at } => {
                if let Some(s) = self.stages.get_mut(&stage) {
                    s.runtime.skipped = skipped.then_some(at);
                }
            }
            Event::StageMoved { stage, to, .. } => {
                if let Some(from) = self.stages.get_index_of(&stage) {
                    self.stages.move_index(from, to as usize);
                }
            }
            Event::StagePaused { stage, at } => {
                if let Some(s) = self.stages.get_mut(&stage) {
                    s.runtime.pauses.push(Pause {
                        from: at,
                        until: None,
                    });
                }
            }
            Event::StageResumed { stage, at } => {
                if let Some(p) = self
                    .stages
                    .get_mut(&stage)
                    .and_then(|s| s.runtime.pauses.last_mut())
                {
                    p.until = Some(at);
                }
            }
            Event::StageAdjusted { stage, by_secs, at } => {
                if let Some(s) = self.stages.get_mut(&stage) {
                    s.runtime.adjustments.push(Adjustment { at, by_secs });
                }
            }
            Event::StageEnded { stage, at } => {
                if let Some(s) = self.stages.get_mut(&stage) {
                    if let Some(p) = s.runtime.pauses.last_mut().filter(|p| p.until.is_none()) {
                        p.until = Some(at);
                    }
                    s.runtime.ended = Some(at);
                }
            }
            Event::StageReopened { stage, at } => {
                if let Some(s) = self.stages.get_mut(&stage)
                    && let Some(ended) = s.runtime.ended.take()
                {
                    s.runtime.pauses.push(Pause {
                        from: ended,
                        until: Some(at),
                    });
                }
            }
            _ => {}
        }
    }
}
